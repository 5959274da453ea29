import datetime
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from partenariats.accounts import services
from partenariats.accounts.models import Assignment, Role, User, UserStatus
from tests.factories import AssignmentFactory, BasinFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

INVITE = reverse("accounts:user_invite")
NEW_PASSWORD = "Bienvenue-Sur-La-Plateforme-7"


def invitation(**overrides):
    data = {
        "email": "Nouvelle.Recrue@Example.invalid",
        "first_name": "Claude",
        "last_name": "Nouveau",
        "role": Role.ACADEMY_STAFF,
    }
    return {**data, **overrides}


def emailed_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/compte/invitation/\S+)", message.body).group(1)


@pytest.fixture
def invited(academy_admin, aix, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.invite_user(
            by=academy_admin, email="invitee@example.invalid", first_name="Claude", last_name="Nouveau",
            role=Role.ACADEMY_STAFF, academy=aix,
        )  # fmt: skip
    return assignment.user


def test_it_creates_the_account_and_its_role(client, academy_admin, aix, django_capture_on_commit_callbacks):
    client.force_login(academy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, invitation(academy=aix.pk, manages_accounts="on"))
    user = User.objects.get(email="nouvelle.recrue@example.invalid")
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert not user.has_usable_password()
    assert user.invited_by == academy_admin
    assert user.status == UserStatus.INVITED
    assignment = user.assignments.get()
    assert (assignment.role, assignment.academy, assignment.granted_by) == (Role.ACADEMY_STAFF, aix, academy_admin)
    assert assignment.manages_accounts


def test_it_sends_the_invitation_once_and_only_after_commit(
    client, academy_admin, aix, django_capture_on_commit_callbacks
):
    client.force_login(academy_admin)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(INVITE, invitation(academy=aix.pk))
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.recrue@example.invalid"]
    assert message.subject == "Votre accès à Partenariats école–entreprise"
    assert "choisissez votre mot de passe" in message.body
    assert "valable 3 jours" in message.body


def test_it_sends_nothing_when_the_invitation_fails(client, academy_admin, nice, django_capture_on_commit_callbacks):
    client.force_login(academy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(INVITE, invitation(academy=nice.pk))
    assert mail.outbox == []
    assert not User.objects.filter(email="nouvelle.recrue@example.invalid").exists()


def test_it_lets_the_invited_person_choose_a_password_and_land_on_the_dashboard(client, invited):
    form_page = client.get(emailed_path(mail.outbox[0]), follow=True)
    assert "Activer votre compte" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard:home")
    assert response.context["user"] == invited
    assert "Votre compte est activé" in response.content.decode()
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    assert invited.status == UserStatus.ACTIVE


def test_it_refuses_a_ten_character_password_with_the_cnil_message(client, invited):
    form_url = client.get(emailed_path(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "Ab3!efghij", "new_password2": "Ab3!efghij"})
    assert response.status_code == 200
    assert "Le mot de passe doit compter au moins 12 caractères" in response.content.decode()
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_it_refuses_a_used_link(client, invited):
    path = emailed_path(mail.outbox[0])
    client.post(client.get(path)["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    response = client.get(path)
    assert "Ce lien n’est plus valable" in response.content.decode()
    assert "new_password1" not in response.content.decode()


def test_it_refuses_an_expired_link(client, invited, monkeypatch):
    path = emailed_path(mail.outbox[0])
    in_four_days = datetime.datetime.now() + datetime.timedelta(days=4)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: in_four_days)
    response = client.get(path)
    assert "Ce lien n’est plus valable" in response.content.decode()


def test_it_accepts_a_link_two_days_old(client, invited, monkeypatch):
    path = emailed_path(mail.outbox[0])
    in_two_days = datetime.datetime.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: in_two_days)
    assert client.get(path).status_code == 302


def test_it_refuses_the_link_of_a_deactivated_account(client, invited, academy_admin):
    invited.deactivate(by=academy_admin)
    response = client.get(emailed_path(mail.outbox[0]))
    assert "Ce lien n’est plus valable" in response.content.decode()


def test_it_only_offers_the_managed_academies(client, academy_admin, aix, nice):
    client.force_login(academy_admin)
    response = client.get(INVITE)
    form = response.context["form"]
    assert list(form.fields["academy"].queryset) == [aix]
    assert "region" not in form.fields  # Nice is in the same région académique
    assert "Académie de Nice" not in response.content.decode()


@pytest.mark.parametrize("field", ["academy", "region", "basin", "organisation"])
def test_it_refuses_a_scope_in_another_academy(client, academy_admin, nice, field):
    role, value = {
        "academy": (Role.ACADEMY_STAFF, nice.pk),
        "region": (Role.ACADEMY_STAFF, nice.region_id),
        "basin": (Role.CLEE_MEMBER, BasinFactory(academy=nice).pk),
        "organisation": (Role.SCHOOL_STAFF, OrganisationFactory(school=True, academy=nice).pk),
    }[field]
    client.force_login(academy_admin)
    response = client.post(INVITE, invitation(role=role, **{field: value}))
    assert response.status_code == 200
    # The région field is not even offered to an académie admin: the scope is then missing.
    assert response.context["form"].errors["academy" if field == "region" else field]
    assert not User.objects.filter(email="nouvelle.recrue@example.invalid").exists()


def test_the_service_refuses_a_scope_in_another_academy(academy_admin, nice):
    with pytest.raises(PermissionDenied):
        services.invite_user(
            by=academy_admin, email="x@example.invalid", first_name="X", last_name="Y",
            role=Role.ACADEMY_STAFF, academy=nice,
        )  # fmt: skip
    assert not User.objects.filter(email="x@example.invalid").exists()


def test_the_service_refuses_the_region_of_an_academy_admin(academy_admin, aix):
    with pytest.raises(PermissionDenied):
        services.invite_user(
            by=academy_admin, email="x@example.invalid", first_name="X", last_name="Y",
            role=Role.OBSERVER, region=aix.region,
        )  # fmt: skip


def test_a_region_admin_may_invite_at_region_level(client, aix, nice):
    region_admin = AssignmentFactory(academy=None, region=aix.region, manages_accounts=True).user
    client.force_login(region_admin)
    response = client.post(INVITE, invitation(role=Role.OBSERVER, region=aix.region_id))
    assert response.status_code == 302
    assert User.objects.get(email="nouvelle.recrue@example.invalid").assignments.get().region == aix.region


def test_a_platform_admin_may_invite_anywhere(client, platform_admin, nice):
    client.force_login(platform_admin)
    response = client.post(INVITE, invitation(academy=nice.pk))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("role", "kind", "error"),
    [
        (Role.SCHOOL_STAFF, "company", "établissement scolaire"),
        (Role.PARTNER_STAFF, "school", "organisation non scolaire"),
    ],
)
def test_it_matches_the_organisation_to_the_role(client, academy_admin, aix, role, kind, error):
    organisation = OrganisationFactory(academy=aix, **{kind: True})
    client.force_login(academy_admin)
    response = client.post(INVITE, invitation(role=role, organisation=organisation.pk))
    assert error in response.context["form"].errors["organisation"][0]


def test_it_requires_the_scope_of_the_role(client, academy_admin, aix):
    client.force_login(academy_admin)
    response = client.post(INVITE, invitation(role=Role.CLEE_MEMBER, academy=aix.pk))
    assert response.context["form"].errors["basin"] == ["Ce rôle demande un périmètre, un seul : bassin de formation."]
    assert response.context["form"].errors["academy"]


def test_it_keeps_account_management_to_academy_staff(client, academy_admin, aix):
    client.force_login(academy_admin)
    response = client.post(INVITE, invitation(role=Role.OBSERVER, academy=aix.pk, manages_accounts="on"))
    assert response.context["form"].errors["manages_accounts"] == [
        "Seul le personnel académique peut gérer les comptes."
    ]


def test_it_keeps_what_was_typed_on_error(client, academy_admin):
    client.force_login(academy_admin)
    response = client.post(INVITE, invitation(role=Role.ACADEMY_STAFF))
    assert 'value="Nouvelle.Recrue@Example.invalid"' in response.content.decode()
    assert 'value="Claude"' in response.content.decode()


def test_it_adds_a_role_to_an_existing_account_and_tells_them(
    client, academy_admin, academy_staff, school, django_capture_on_commit_callbacks
):
    academy_staff.last_login = academy_staff.date_joined
    academy_staff.save()
    client.force_login(academy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            INVITE, invitation(email=academy_staff.email.upper(), role=Role.SCHOOL_STAFF, organisation=school.pk)
        )
    assert response.status_code == 302
    assert set(academy_staff.assignments.values_list("role", flat=True)) == {Role.ACADEMY_STAFF, Role.SCHOOL_STAFF}
    assert User.objects.filter(email=academy_staff.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Nouveau rôle sur Partenariats école–entreprise"
    assert school.name in mail.outbox[0].body
    assert "/compte/invitation/" not in mail.outbox[0].body


def test_it_refuses_a_role_the_person_already_has(client, academy_admin, academy_staff, aix):
    client.force_login(academy_admin)
    response = client.post(INVITE, invitation(email=academy_staff.email, academy=aix.pk))
    assert response.context["form"].non_field_errors() == ["Cette personne a déjà ce rôle sur ce périmètre."]
    assert academy_staff.assignments.count() == 1


def test_it_refuses_to_add_a_role_to_a_platform_admin(client, academy_admin, platform_admin, aix):
    client.force_login(academy_admin)
    response = client.post(INVITE, invitation(email=platform_admin.email, academy=aix.pk))
    assert "administrateur·rice de la plateforme" in response.context["form"].non_field_errors()[0]
    assert not Assignment.objects.filter(user=platform_admin, academy=aix).exists()


@pytest.mark.parametrize("persona", ["academy_staff", "observer", "school_head", "colleague_elsewhere", "outsider"])
def test_it_refuses_people_who_do_not_manage_accounts(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(INVITE).status_code == 403
    assert client.post(INVITE, invitation()).status_code == 403


def test_it_resends_the_invitation(client, academy_admin, invited, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    client.force_login(academy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_invitation_resend", args=[invited.pk]), follow=True)
    assert "Invitation renvoyée" in response.content.decode()
    assert len(mail.outbox) == 1
    assert client.get(emailed_path(mail.outbox[0])).status_code == 302


def test_it_does_not_resend_to_someone_who_has_logged_in(
    client, academy_admin, academy_staff, django_capture_on_commit_callbacks
):
    academy_staff.last_login = academy_staff.date_joined
    academy_staff.save()
    client.force_login(academy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_invitation_resend", args=[academy_staff.pk]), follow=True)
    assert "s’est déjà connectée" in response.content.decode()
    assert mail.outbox == []
