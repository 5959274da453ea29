"""Recording links: a coordinator sends a volunteer without an account a link that records one
activity, once, before it expires, and opens nothing else."""

import datetime
import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sesame.tokens_v2
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Assignment, User
from partenariats.activities.links import create_link, link_url, partner_organisations
from partenariats.activities.models import Activity, Contribution, RecordingLink
from partenariats.conventions.models import Commitment, PartySide
from partenariats.core.school_year import SchoolYear
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = SchoolYear.of(timezone.localdate())


@pytest.fixture
def convention(aix, company):
    """A convention of Aix signed in 2021 whose partner is a federation; the company is a member."""
    convention = ConventionFactory(signed=True, academy=aix, title="Convention des métiers de l’industrie")
    federation = convention.parties.get(side=PartySide.PARTNER).organisation
    federation.members.add(company)
    return convention


@pytest.fixture
def commitment(convention):
    party = convention.parties.get(side=PartySide.PARTNER)
    return Commitment.objects.create(convention=convention, party=party, text="Ouvrir les ateliers aux collégiens")


@pytest.fixture
def action(convention, commitment):
    plan = PlanFactory(convention=convention, school_year=THIS_YEAR.start_year)
    return ActionFactory(plan=plan, number=3, title="Visites d’ateliers pour les 3e", commitments=[commitment])


@pytest.fixture
def school_of_aix(aix):
    return OrganisationFactory(school=True, academy=aix, name="Collège Jean Moulin", city="Marseille")


@pytest.fixture
def staff_client(academy_staff):
    client = Client()
    client.force_login(academy_staff)
    return client


def list_path(convention) -> str:
    return reverse("activities:link_list", kwargs={"convention_pk": convention.pk})


def send(client: Client, convention, capture, **fields):
    data = {"validity_days": 14, "email": "benevole@example.invalid", **fields}
    with capture(execute=True):
        return client.post(list_path(convention), data)


def path_in(message) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/saisie/\d+/[\w-]+/)", message.body)
    assert match, message.body
    return match[1]


def make_link(convention, organisation, by, **kwargs) -> RecordingLink:
    return create_link(
        convention=convention, organisation=organisation, email="v@example.invalid", by_user=by, **kwargs
    )


def path_of(link: RecordingLink) -> str:
    return link_url(link).removeprefix("http://127.0.0.1:8000")


def report(**fields) -> dict:
    today = timezone.localdate()
    return {
        "starts_on": today.isoformat(),
        "kind": "company_visit",
        "title": "Visite de l’atelier de maintenance",
        "school": "",
        "level": "3e",
        "class_name": "3e B",
        "pupils": "24",
        "professional_count": "2",
        "hours": "2,5",
        "prepared_with_pupils": "on",
        "evaluation": "Élèves curieux, à refaire au printemps.",
        **fields,
    }


def test_a_volunteer_records_a_visit_counted_against_the_action(
    staff_client, convention, action, company, school_of_aix, academy_staff, django_capture_on_commit_callbacks
):
    volunteer = PersonFactory(first_name="Inès", last_name="Atelier")
    MembershipFactory(person=volunteer, organisation=company)

    response = send(
        staff_client,
        convention,
        django_capture_on_commit_callbacks,
        organisation=company.pk,
        person=volunteer.pk,
        action=action.pk,
        message="Merci pour la visite de mardi !",
    )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["benevole@example.invalid"]
    assert message.reply_to == [academy_staff.email]
    assert "Convention des métiers de l’industrie" in message.body
    assert "Merci pour la visite de mardi !" in message.body
    path = path_in(message)

    volunteer_client = Client()
    page = volunteer_client.get(path)
    assert page.status_code == 200
    assert "Déclarer une activité" in page.content.decode()
    assert "Merci pour la visite de mardi !" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]

    done = volunteer_client.post(path, report(school=school_of_aix.uai))

    assert done.status_code == 200
    assert "Merci, votre activité est enregistrée" in done.content.decode()
    activity = Activity.objects.get()
    link = RecordingLink.objects.get()
    assert activity.recorded_via == link
    assert activity.recorded_for == company
    assert activity.recorded_by is None
    assert list(activity.organisations.all()) == [company]
    assert list(activity.volunteers.all()) == [volunteer]
    assert activity.pupil_participations == 24
    assert activity.class_count == 1
    assert activity.groups.get().school == school_of_aix
    assert activity.hours == 2.5
    assert activity.professional_count == 2
    assert activity.prepared_with_pupils
    assert not activity.exploited_afterwards
    assert activity.academy_id == school_of_aix.academy_id
    contribution = Contribution.objects.get(activity=activity)
    assert (contribution.convention, contribution.action, contribution.confirmed) == (convention, action, True)
    assert link.used_at is not None
    # Nobody was logged in, and the link is spent.
    assert "sessionid" not in done.cookies
    assert "_auth_user_id" not in volunteer_client.session
    again = volunteer_client.get(path)
    assert again.status_code == 410
    assert "Ce lien a déjà servi" in again.content.decode()
    assert 'name="title"' not in again.content.decode()
    # The coordinator's list shows it used, with the activity.
    listing = staff_client.get(list_path(convention)).content.decode()
    assert reverse("activities:activity_detail", args=[activity.pk]) in listing


def test_an_activity_of_another_school_year_counts_toward_the_convention_only(
    convention, action, company, academy_staff
):
    link = make_link(convention, company, academy_staff, action=action)
    last_year = THIS_YEAR.previous().start.isoformat()

    response = Client().post(path_of(link), report(starts_on=last_year))

    assert response.status_code == 200
    contribution = Contribution.objects.get()
    assert (contribution.convention, contribution.action) == (convention, None)


def test_a_second_submission_records_nothing_more(convention, company, academy_staff):
    link = make_link(convention, company, academy_staff)
    client = Client()
    assert client.post(path_of(link), report()).status_code == 200

    second = client.post(path_of(link), report(title="Deuxième essai"))

    assert second.status_code == 410
    assert "Ce lien a déjà servi" in second.content.decode()
    assert Activity.objects.count() == 1


def test_an_expired_link_says_so_and_shows_no_form(convention, company, academy_staff):
    link = make_link(convention, company, academy_staff)
    RecordingLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    for response in (Client().get(path_of(link)), Client().post(path_of(link), report())):
        assert response.status_code == 410
        assert "Ce lien a expiré" in response.content.decode()
        assert 'name="title"' not in response.content.decode()
    assert not Activity.objects.exists()


def test_a_revoked_link_says_so(staff_client, convention, company, academy_staff):
    link = make_link(convention, company, academy_staff)
    path = path_of(link)

    revoke = staff_client.post(reverse("activities:link_revoke", args=[convention.pk, link.pk]))

    assert revoke.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    response = Client().post(path, report())
    assert response.status_code == 410
    assert "Ce lien a été révoqué" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_used_link_cannot_be_revoked(staff_client, convention, company, academy_staff):
    link = make_link(convention, company, academy_staff)
    Client().post(path_of(link), report())

    staff_client.post(reverse("activities:link_revoke", args=[convention.pk, link.pk]))

    link.refresh_from_db()
    assert link.used_at is not None
    assert link.revoked_at is None


def test_a_forged_token_or_another_links_token_is_a_404(convention, company, academy_staff):
    first = make_link(convention, company, academy_staff)
    second = make_link(convention, company, academy_staff)  # same volunteer, same guest account
    assert first.guest == second.guest
    second_token = path_of(second).rstrip("/").rsplit("/", 1)[1]

    for path in (
        reverse("activities:record_by_link", kwargs={"link_pk": first.pk, "token": "AAAAAAAAAAAAAAAAAAAAAAAA"}),
        reverse("activities:record_by_link", kwargs={"link_pk": first.pk, "token": second_token}),
        reverse("activities:record_by_link", kwargs={"link_pk": 999999, "token": second_token}),
    ):
        assert Client().get(path).status_code == 404
        assert Client().post(path, report()).status_code == 404
    assert not Activity.objects.exists()


def test_an_expired_link_with_a_forged_token_is_still_a_404(convention, company, academy_staff):
    """The state of a link is told only to someone holding its token."""
    link = make_link(convention, company, academy_staff)
    RecordingLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    path = reverse("activities:record_by_link", kwargs={"link_pk": link.pk, "token": "AAAAAAAAAAAAAAAAAAAAAAAA"})
    assert Client().get(path).status_code == 404


def test_a_token_dies_when_the_guest_account_changes_its_password(convention, company, academy_staff):
    link = make_link(convention, company, academy_staff)
    path = path_of(link)
    link.guest.set_password("Un-autre-mot-de-passe-42!")
    link.guest.save()
    assert Client().get(path).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("partner_contact", 404), ("school_head", 404), ("colleague_elsewhere", 404), ("observer", 403)],
)
def test_only_those_who_may_edit_the_convention_send_links(
    persona, status, convention, company, request, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(list_path(convention)).status_code == status
    assert send(client, convention, django_capture_on_commit_callbacks, organisation=company.pk).status_code == status
    assert not RecordingLink.objects.exists()
    assert not mail.outbox


def test_the_partner_party_itself_reads_the_convention_but_may_not_send_links(
    convention, django_capture_on_commit_callbacks
):
    federation = convention.parties.get(side=PartySide.PARTNER).organisation
    staff = UserFactory()
    Assignment.objects.create(user=staff, role="partner_staff", organisation=federation)
    client = Client()
    client.force_login(staff)

    assert client.get(list_path(convention)).status_code == 403
    assert send(client, convention, django_capture_on_commit_callbacks, organisation=federation.pk).status_code == 403


def test_the_guest_has_no_role_and_sees_nothing_else(convention, company, commitment, academy_staff, action):
    commitment.confidential = True
    commitment.text = "Montant confidentiel du mécénat"
    commitment.save()
    action.confidential = True
    action.save()
    link = make_link(convention, company, academy_staff, action=action)

    page = Client().get(path_of(link)).content.decode()

    assert "Montant confidentiel du mécénat" not in page
    assert action.title not in page
    guest = link.guest
    assert not guest.has_usable_password()
    assert not guest.assignments.exists()
    assert not guest.scope.has_role
    guest_client = Client()
    guest_client.force_login(guest)
    assert guest_client.get(convention.get_absolute_url()).status_code == 404
    assert guest_client.get(list_path(convention)).status_code == 404


def test_an_existing_account_is_reused_without_any_new_role(convention, company, academy_staff, partner_contact):
    link = create_link(
        convention=convention, organisation=company, email=partner_contact.email.upper(), by_user=academy_staff
    )
    assert link.guest == partner_contact
    assert partner_contact.assignments.count() == 1
    assert User.objects.count() == 2


def test_a_deactivated_account_gets_no_link(staff_client, convention, company, django_capture_on_commit_callbacks):
    UserFactory(email="parti@example.invalid", is_active=False)
    response = send(
        staff_client,
        convention,
        django_capture_on_commit_callbacks,
        organisation=company.pk,
        email="parti@example.invalid",
    )
    assert response.status_code == 200
    assert "désactivé" in response.content.decode()
    assert not RecordingLink.objects.exists()
    assert not mail.outbox


def test_the_send_form_refuses_what_does_not_belong_to_the_convention(
    staff_client, convention, company, django_capture_on_commit_callbacks
):
    stranger = OrganisationFactory(company=True, name="Entreprise étrangère")
    colleague = PersonFactory()
    MembershipFactory(person=colleague, organisation=stranger)
    rectorat = convention.parties.get(side=PartySide.EDUCATION).organisation
    other_action = ActionFactory()

    cases = [
        ({"organisation": stranger.pk}, "n’est pas partenaire de la convention"),
        ({"organisation": rectorat.pk}, "n’est pas partenaire de la convention"),
        ({"organisation": company.pk, "validity_days": 61}, "Un lien vaut au plus 60 jours."),
        ({"organisation": company.pk, "validity_days": 0}, "Un lien vaut au moins 1 jour."),
        ({"organisation": company.pk, "email": "pas-un-courriel"}, "Ce courriel n’est pas valide."),
        ({"organisation": company.pk, "email": ""}, "Indiquez le courriel du bénévole."),
        ({"organisation": company.pk, "action": other_action.pk}, "Cette action n’est pas dans le plan de l’année."),
        ({"organisation": company.pk, "person": colleague.pk}, "Cette personne n’est pas dans la liste proposée."),
    ]
    for fields, error in cases:
        response = send(staff_client, convention, django_capture_on_commit_callbacks, **fields)
        assert response.status_code == 200, fields
        assert error in response.content.decode(), fields
    assert not RecordingLink.objects.exists()
    assert not mail.outbox


def test_a_person_must_work_for_the_chosen_organisation(
    staff_client, convention, company, django_capture_on_commit_callbacks
):
    federation = convention.parties.get(side=PartySide.PARTNER).organisation
    person = PersonFactory()
    MembershipFactory(person=person, organisation=federation)

    response = send(
        staff_client, convention, django_capture_on_commit_callbacks, organisation=company.pk, person=person.pk
    )

    assert "Cette personne ne travaille pas pour l’organisation choisie." in response.content.decode()
    assert not RecordingLink.objects.exists()


HOSTILE = [
    ({"title": ""}, "Donnez un intitulé à l’activité."),
    ({"title": "x" * 301}, "L’intitulé ne doit pas dépasser 300 caractères."),
    ({"title": "Visite\x00"}, "Le caractère nul n’est pas autorisé."),
    ({"kind": "room_loan"}, "Choisissez un type d’activité de la liste."),
    ({"pupils": "-5"}, "Ce nombre ne peut pas être négatif."),
    ({"pupils": "99999999999999999999"}, "Au plus 2000 élèves pour une activité"),
    ({"pupils": "vingt"}, "Indiquez un nombre entier."),
    ({"hours": "1e9"}, "Au plus 1000 heures"),
    ({"hours": "1,25"}, "Une décimale au plus"),
    ({"starts_on": "2099-01-01"}, "La date ne peut pas être dans le futur"),
    ({"starts_on": "2021-03-01"}, "La convention a pris effet le 18/03/2021"),
    ({"starts_on": "31/02/2025"}, "Cette date n’est pas valide."),
    ({"school": "Lycée imaginaire"}, "Aucun établissement de l’académie ne correspond à « Lycée imaginaire »"),
    ({"evaluation": "x" * 3001}, "L’appréciation ne doit pas dépasser 3000 caractères."),
]


@pytest.mark.parametrize(("fields", "error"), HOSTILE, ids=[next(iter(f)) for f, _ in HOSTILE])
def test_bad_input_is_refused_in_french_and_nothing_is_saved(fields, error, convention, company, academy_staff):
    link = make_link(convention, company, academy_staff)

    response = Client().post(path_of(link), report(**fields))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Activity.objects.exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_markup_in_the_fields_is_shown_as_text(convention, company, academy_staff):
    link = make_link(convention, company, academy_staff)
    hostile = '<script>alert("x")</script>'

    response = Client().post(path_of(link), report(title=hostile, school=hostile))

    content = response.content.decode()
    assert hostile not in content
    assert "&lt;script&gt;" in content
    assert not Activity.objects.exists()


def test_schools_are_found_by_name_or_uai_in_the_conventions_academies_only(
    convention, company, academy_staff, aix, nice
):
    jean_moulin = OrganisationFactory(school=True, academy=aix, name="Collège Jean Moulin", city="Marseille")
    OrganisationFactory(school=True, academy=aix, name="Collège Jean Moulin Annexe", city="Aubagne")
    elsewhere = OrganisationFactory(school=True, academy=nice, name="Collège des Alpes", city="Nice")

    ambiguous = Client().post(
        path_of(make_link(convention, company, academy_staff)), report(school="college jean moulin")
    )
    assert "Plusieurs établissements correspondent" not in ambiguous.content.decode()  # the exact name wins
    assert Activity.objects.get().groups.get().school == jean_moulin

    several = Client().post(path_of(make_link(convention, company, academy_staff)), report(school="moulin"))
    assert "Plusieurs établissements correspondent à « moulin » : indiquez son UAI" in several.content.decode()
    assert jean_moulin.uai in several.content.decode()

    foreign = Client().post(path_of(make_link(convention, company, academy_staff)), report(school=elsewhere.uai))
    assert "Aucun établissement de l’académie ne correspond" in foreign.content.decode()
    assert Activity.objects.count() == 1


def test_links_go_to_the_partner_parties_and_a_federations_members(convention, company):
    federation = convention.parties.get(side=PartySide.PARTNER).organisation
    rectorat = convention.parties.get(side=PartySide.EDUCATION).organisation
    OrganisationFactory(company=True, name="Entreprise sans lien")

    assert set(partner_organisations(convention)) == {federation, company}
    assert rectorat not in partner_organisations(convention)


def test_the_list_of_links_keeps_a_constant_number_of_queries(staff_client, convention, company, academy_staff):
    def queries_of_the_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(list_path(convention)).status_code == 200
        return len(captured)

    def add_used_links(count: int) -> None:
        for _ in range(count):
            person = PersonFactory()
            MembershipFactory(person=person, organisation=company)
            Client().post(path_of(make_link(convention, company, academy_staff, person=person)), report())
            make_link(convention, company, academy_staff)

    add_used_links(2)
    small = queries_of_the_list()
    add_used_links(8)
    assert queries_of_the_list() == small


def test_the_links_page_lists_states(staff_client, convention, company, academy_staff):
    usable = make_link(convention, company, academy_staff)
    expired = make_link(convention, company, academy_staff)
    RecordingLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))

    page = staff_client.get(list_path(convention)).content.decode()

    assert "Valide" in page
    assert "Expiré" in page
    assert reverse("activities:link_revoke", args=[convention.pk, usable.pk]) in page
    assert reverse("activities:link_revoke", args=[convention.pk, expired.pk]) not in page


def test_a_link_lasts_at_most_sixty_days(convention, company, academy_staff):
    link = make_link(convention, company, academy_staff, validity_days=60)
    assert link.expires_at - timezone.now() <= datetime.timedelta(days=60)
    with pytest.raises(Exception, match="de 1 à 60 jours"):
        make_link(convention, company, academy_staff, validity_days=61)


def test_no_token_outlives_the_sesame_maximum_age(convention, company, academy_staff, monkeypatch, settings):
    link = make_link(convention, company, academy_staff)
    path = path_of(link)
    RecordingLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(days=365))
    later = time.time() + settings.SESAME_MAX_AGE + 60
    monkeypatch.setattr(sesame.tokens_v2, "time", SimpleNamespace(time=lambda: later))

    assert Client().get(path).status_code == 404


def test_the_form_is_protected_against_cross_site_posts(convention, company, academy_staff):
    """The link's own page posts with its CSRF token; another site posting blind is refused."""
    link = make_link(convention, company, academy_staff)
    client = Client(enforce_csrf_checks=True)
    page = client.get(path_of(link))
    token = page.cookies["csrftoken"].value

    forged = Client(enforce_csrf_checks=True).post(path_of(link), report(), headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    assert Activity.objects.count() == 0

    response = client.post(path_of(link), {**report(), "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert Activity.objects.count() == 1


def test_a_link_stops_working_once_its_organisation_is_no_longer_a_party(convention, company, academy_staff):
    """The company was there as a member of the federation party: it leaves the federation."""
    link = make_link(convention, company, academy_staff)
    convention.parties.get(side=PartySide.PARTNER).organisation.members.remove(company)

    page = Client().get(path_of(link))

    assert page.status_code == 410
    assert "révoqué" in page.content.decode()
    assert Activity.objects.count() == 0
