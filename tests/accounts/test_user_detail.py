import pytest
from django.urls import reverse

from partenariats.accounts.models import ApiToken, Assignment, Role
from tests.conftest import PASSWORD
from tests.factories import AssignmentFactory, token_for

pytestmark = pytest.mark.django_db


def detail(user):
    return reverse("accounts:user_detail", args=[user.pk])


def test_it_shows_the_roles_and_scopes(client, academy_admin, clee_member):
    client.force_login(academy_admin)
    response = client.get(detail(clee_member))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Membre de CLEE" in content
    assert str(clee_member.assignments.get().basin) in content


def test_it_hides_the_accounts_of_other_academies(client, academy_admin, colleague_elsewhere):
    client.force_login(academy_admin)
    for name in ("user_detail", "user_role_add", "user_deactivate"):
        assert client.get(reverse(f"accounts:{name}", args=[colleague_elsewhere.pk])).status_code == 404
    assert client.post(reverse("accounts:user_deactivate", args=[colleague_elsewhere.pk])).status_code == 404
    colleague_elsewhere.refresh_from_db()
    assert colleague_elsewhere.is_active


def test_it_refuses_people_who_do_not_manage_accounts(client, academy_staff, observer):
    client.force_login(academy_staff)
    assert client.get(detail(observer)).status_code == 403


def test_it_adds_a_role(client, academy_admin, academy_staff, school):
    client.force_login(academy_admin)
    response = client.post(
        reverse("accounts:user_role_add", args=[academy_staff.pk]),
        {"role": Role.SCHOOL_STAFF, "organisation": school.pk},
        follow=True,
    )
    assert "Rôle ajouté" in response.content.decode()
    assignment = academy_staff.assignments.get(role=Role.SCHOOL_STAFF)
    assert (assignment.organisation, assignment.granted_by) == (school, academy_admin)


def test_it_refuses_to_add_a_role_in_another_academy(client, academy_admin, academy_staff, nice):
    client.force_login(academy_admin)
    response = client.post(
        reverse("accounts:user_role_add", args=[academy_staff.pk]), {"role": Role.OBSERVER, "academy": nice.pk}
    )
    assert response.context["form"].errors["academy"]
    assert academy_staff.assignments.count() == 1


def test_it_asks_before_removing_a_role_then_removes_it(client, academy_admin, academy_staff):
    assignment = academy_staff.assignments.get()
    url = reverse("accounts:user_role_remove", args=[academy_staff.pk, assignment.pk])
    client.force_login(academy_admin)
    assert "Retirer à" in client.get(url).content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    response = client.post(url)
    assert response["Location"] == detail(academy_staff)
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_it_does_not_remove_a_role_outside_the_managed_academies(client, academy_admin, academy_staff, nice):
    elsewhere = AssignmentFactory(user=academy_staff, role=Role.OBSERVER, academy=nice)
    client.force_login(academy_admin)
    response = client.post(reverse("accounts:user_role_remove", args=[academy_staff.pk, elsewhere.pk]))
    assert response.status_code == 404
    assert Assignment.objects.filter(pk=elsewhere.pk).exists()


def test_it_deactivates_an_account_after_confirmation(client, academy_admin, academy_staff):
    key = token_for(academy_staff)
    url = reverse("accounts:user_deactivate", args=[academy_staff.pk])
    client.force_login(academy_admin)
    assert "ne pourra plus se connecter" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "est désactivé" in response.content.decode()
    academy_staff.refresh_from_db()
    assert not academy_staff.is_active
    assert academy_staff.deactivated_at is not None
    assert not ApiToken.objects.usable().filter(key_hash=ApiToken.hash_key(key)).exists()
    client.logout()
    client.post(reverse("accounts:login"), {"username": academy_staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_deactivated_users_token_no_longer_opens_the_api(rf, academy_admin, academy_staff):
    from partenariats.api.auth import TokenAuth

    key = token_for(academy_staff)
    assert TokenAuth().authenticate(rf.get("/api/"), key) == academy_staff
    academy_staff.deactivate(by=academy_admin)
    assert TokenAuth().authenticate(rf.get("/api/"), key) is None


def test_it_reactivates_an_account(client, academy_admin, academy_staff):
    academy_staff.deactivate(by=academy_admin)
    client.force_login(academy_admin)
    client.post(reverse("accounts:user_reactivate", args=[academy_staff.pk]))
    academy_staff.refresh_from_db()
    assert academy_staff.is_active
    assert academy_staff.deactivated_at is None


def test_it_reactivates_only_on_post(client, academy_admin, academy_staff):
    academy_staff.deactivate(by=academy_admin)
    client.force_login(academy_admin)
    assert client.get(reverse("accounts:user_reactivate", args=[academy_staff.pk])).status_code == 405


def test_an_admin_cannot_deactivate_themselves(client, academy_admin):
    client.force_login(academy_admin)
    assert "Vous ne pouvez pas modifier vos propres rôles" in client.get(detail(academy_admin)).content.decode()
    assert client.post(reverse("accounts:user_deactivate", args=[academy_admin.pk])).status_code == 403
    academy_admin.refresh_from_db()
    assert academy_admin.is_active


def test_an_admin_cannot_remove_their_own_roles(client, academy_admin):
    assignment = academy_admin.assignments.get()
    client.force_login(academy_admin)
    response = client.post(reverse("accounts:user_role_remove", args=[academy_admin.pk, assignment.pk]))
    assert response.status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_academy_admin_cannot_change_a_platform_admin(client, academy_admin, platform_admin, aix):
    assignment = AssignmentFactory(user=platform_admin, academy=aix)
    client.force_login(academy_admin)
    assert client.get(detail(platform_admin)).status_code == 200
    assert client.post(reverse("accounts:user_deactivate", args=[platform_admin.pk])).status_code == 403
    remove = reverse("accounts:user_role_remove", args=[platform_admin.pk, assignment.pk])
    assert client.post(remove).status_code == 403
    platform_admin.refresh_from_db()
    assert platform_admin.is_active


def test_a_platform_admin_may_deactivate_anyone(client, platform_admin, colleague_elsewhere):
    client.force_login(platform_admin)
    client.post(reverse("accounts:user_deactivate", args=[colleague_elsewhere.pk]))
    colleague_elsewhere.refresh_from_db()
    assert not colleague_elsewhere.is_active
