"""Activities as people read them: the list (filters, export, constant queries), the detail (what
it counts toward, per persona), withdrawing and restoring, confirming a suggested contribution."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.activities.models import Activity, ActivityKind, Contribution
from partenariats.activities.services import suggest_contributions
from partenariats.conventions.models import PartySide
from partenariats.core.school_year import SchoolYear
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    AssignmentFactory,
    ContributionFactory,
    ConventionFactory,
    OrganisationFactory,
    PartyFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("activities:activity_list")


def titles(response) -> set[str]:
    return {activity.title for activity in response.context["page_obj"]}


def detail(activity: Activity) -> str:
    return reverse("activities:activity_detail", args=[activity.pk])


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def visit(aix, school, company, today):
    """A visit of the school's pupils to the company (partner_contact's), in Aix, this school year."""
    return ActivityFactory(
        title="Visite de l’atelier",
        starts_on=today,
        academy=aix,
        pupils=24,
        groups__school=school,
        organisations=[company],
    )


def login(client, user):
    client.force_login(user)
    return client


# --- Who sees it ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "list_shows", "detail_status", "update_status"),
    [
        ("academy_staff", True, 200, 200),
        ("clee_member", True, 200, 403),  # in the bassin's académie, but not in its bassin
        ("observer", True, 200, 403),
        ("school_head", True, 200, 200),  # their school took part
        ("partner_contact", True, 200, 200),  # their company took part
        ("colleague_elsewhere", False, 404, 404),
        ("outsider", False, 404, 404),
        ("platform_admin", True, 200, 200),
    ],
)
def test_it_shows_an_activity_to_each_persona_as_the_access_rules_say(
    client, request, visit, persona, list_shows, detail_status, update_status
):
    login(client, request.getfixturevalue(persona))
    assert (visit.title in titles(client.get(LIST))) is list_shows
    assert client.get(detail(visit)).status_code == detail_status
    assert client.get(reverse("activities:activity_update", args=[visit.pk])).status_code == update_status


def test_it_hides_a_confidential_activity_of_another_company_from_a_partner(client, partner_contact, company, today):
    """Two companies are parties to one convention: each sees the other's shared activities, never
    its confidential ones."""
    other = OrganisationFactory(company=True, name="Concurrent Exemple")
    convention = ConventionFactory(signed=True, title="Convention de branche")
    PartyFactory(convention=convention, organisation=company, position=2)
    PartyFactory(convention=convention, organisation=other, position=3)
    shared = ActivityFactory(title="Visite partagée", starts_on=today, organisations=[other])
    secret = ActivityFactory(title="Visite confidentielle", starts_on=today, organisations=[other], confidential=True)
    for activity in (shared, secret):
        ContributionFactory(activity=activity, convention=convention)
    login(client, partner_contact)
    shown = titles(client.get(LIST))
    assert "Visite partagée" in shown
    assert "Visite confidentielle" not in shown
    assert client.get(detail(shared)).status_code == 200
    assert client.get(detail(secret)).status_code == 404


def test_only_a_confirmed_contribution_shares_an_activity_with_the_convention_parties(
    client, partner_contact, company, today
):
    other = OrganisationFactory(company=True)
    convention = ConventionFactory(signed=True)
    PartyFactory(convention=convention, organisation=company, position=2)
    activity = ActivityFactory(starts_on=today, organisations=[other])
    contribution = ContributionFactory(activity=activity, convention=convention, confirmed=False)
    login(client, partner_contact)
    assert client.get(detail(activity)).status_code == 404
    contribution.confirmed = True
    contribution.save()
    assert client.get(detail(activity)).status_code == 200


# --- The list -------------------------------------------------------------------------------------


def test_it_lists_the_current_school_year_unless_another_is_chosen(client, academy_staff, aix, today):
    ActivityFactory(title="Cette année", starts_on=today, academy=aix)
    last_year = SchoolYear.of(today).previous()
    ActivityFactory(title="L’an dernier", starts_on=last_year.start, academy=aix)
    login(client, academy_staff)
    assert titles(client.get(LIST)) == {"Cette année"}
    assert titles(client.get(LIST, {"year": last_year.start_year})) == {"L’an dernier"}
    assert titles(client.get(LIST, {"year": "toutes"})) == {"Cette année", "L’an dernier"}


def test_a_long_list_says_there_are_more_than_it_counts(client, academy_staff, aix, today, monkeypatch):
    monkeypatch.setattr("partenariats.activities.views_activities.COUNT_CAP", 2)
    for number in range(3):
        ActivityFactory(title=f"Visite {number}", starts_on=today, academy=aix)
    login(client, academy_staff)

    response = client.get(LIST)

    assert titles(response) == {"Visite 0", "Visite 1", "Visite 2"}
    assert "Plus de 2 activités : affinez les filtres" in response.content.decode()
    assert "page 1 sur au moins 1<" in response.content.decode()  # its pages are not all counted
    monkeypatch.setattr("partenariats.activities.views_activities.COUNT_CAP", 3)
    assert "3 activités" in client.get(LIST).content.decode()


def test_it_filters_the_list(client, academy_staff, aix, school, company, today):
    convention = ConventionFactory(signed=True)
    counted = ActivityFactory(
        title="Forum des métiers",
        kind=ActivityKind.FORUM_STAND,
        starts_on=today,
        academy=aix,
        prepared_with_pupils=True,
        exploited_afterwards=True,
        organisations=[company],
    )
    ContributionFactory(activity=counted, convention=convention)
    suggested = ActivityFactory(title="Visite suggérée", starts_on=today, academy=aix, pupils=10, groups__school=school)
    ContributionFactory(activity=suggested, convention=convention, confirmed=False)
    login(client, academy_staff)
    assert titles(client.get(LIST, {"kind": ActivityKind.FORUM_STAND})) == {"Forum des métiers"}
    assert titles(client.get(LIST, {"q": "forum"})) == {"Forum des métiers"}
    assert titles(client.get(LIST, {"prepared": "oui"})) == {"Forum des métiers"}
    assert titles(client.get(LIST, {"prepared": "non"})) == {"Visite suggérée"}
    # Only confirmed contributions count toward a convention.
    assert titles(client.get(LIST, {"convention": convention.pk})) == {"Forum des métiers"}
    assert titles(client.get(LIST, {"organisation": company.name.upper()})) == {"Forum des métiers"}
    assert titles(client.get(LIST, {"organisation": school.name})) == {"Visite suggérée"}


def test_it_keeps_the_same_number_of_queries_whatever_the_number_of_activities(
    client, academy_staff, aix, school, company, today
):
    login(client, academy_staff)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST)
            assert response.status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for _ in range(n):
            activity = ActivityFactory(
                starts_on=today, academy=aix, pupils=12, groups__school=school, organisations=[company]
            )
            ContributionFactory(activity=activity)

    add(2)
    with_two = count_queries()
    add(15)
    assert count_queries() == with_two
    assert len(client.get(LIST).context["page_obj"]) == 17


def test_it_exports_the_filtered_list(client, academy_staff, aix, school, company, today):
    ActivityFactory(
        title="=Visite exportée",
        starts_on=today,
        academy=aix,
        pupils=24,
        groups__school=school,
        organisations=[company],
    )
    ActivityFactory(title="Forum non exporté", kind=ActivityKind.FORUM_STAND, starts_on=today, academy=aix)
    login(client, academy_staff)
    response = client.get(LIST, {"kind": ActivityKind.COMPANY_VISIT, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="activites.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Intitulé"] == "'=Visite exportée"  # a formula is neutralised
    assert row["Établissements"] == school.name
    assert row["Organisations partenaires"] == company.name
    assert row["Participations d’élèves"] == "24"
    xlsx = client.get(LIST, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_offers_to_record_only_to_those_who_may(client, academy_staff, observer, school_head):
    for user, offered in ((academy_staff, True), (school_head, True), (observer, False)):
        page = login(client, user).get(LIST).content.decode()
        assert ("Saisir une activité" in page) is offered
        assert ("Saisie rapide" in page) is offered


# --- The detail ------------------------------------------------------------------------------------


def test_it_shows_what_the_activity_counts_toward_and_hides_confidential_actions(client, academy_staff, visit, company):
    """A federation's staff read its member company's activity and convention, but are not a party:
    the confidential action stays hidden from them."""
    federation = OrganisationFactory(federation=True)
    federation.members.add(company)
    federation_staff = UserFactory()
    AssignmentFactory(user=federation_staff, role=Role.PARTNER_STAFF, academy=None, organisation=federation)
    plan = PlanFactory(school_year=visit.school_year)
    PartyFactory(convention=plan.convention, organisation=company, position=2)
    open_action = ActionFactory(plan=plan, number=1, title="Visites pour les 3e")
    secret_action = ActionFactory(plan=plan, number=2, title="Action réservée", confidential=True)
    ContributionFactory(activity=visit, convention=plan.convention, action=open_action)
    ContributionFactory(activity=visit, convention=plan.convention, action=secret_action, confirmed=False)
    page = login(client, academy_staff).get(detail(visit)).content.decode()
    assert "Visites pour les 3e" in page
    assert "Action réservée" in page
    assert "Suggéré — à confirmer" in page
    page = login(client, federation_staff).get(detail(visit)).content.decode()
    assert "Visites pour les 3e" in page
    assert "Action réservée" not in page


def test_an_editor_confirms_a_suggested_contribution(client, academy_staff, observer, visit):
    convention = ConventionFactory(signed=True)
    contribution = ContributionFactory(activity=visit, convention=convention, confirmed=False)
    url = reverse("activities:contribution_confirm", args=[visit.pk, contribution.pk])
    assert login(client, observer).post(url).status_code == 403
    response = login(client, academy_staff).post(url)
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.confirmed
    assert contribution.confirmed_by == academy_staff
    assert contribution.confirmed_at is not None
    # A form opened before the confirmation is now stale: saving it cannot drop the confirmed row.
    version_before = visit.version
    visit.refresh_from_db()
    assert visit.version == version_before + 1


# --- Withdrawing and restoring ------------------------------------------------------------------------


def test_a_withdrawn_activity_leaves_lists_and_counts_and_can_be_restored(client, academy_staff, observer, visit):
    convention = ConventionFactory(signed=True)
    ContributionFactory(activity=visit, convention=convention)
    login(client, academy_staff)
    response = client.post(reverse("activities:activity_withdraw", args=[visit.pk]), {"reason": "Doublon"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.withdrawn_at is not None
    assert Activity.objects.filter(pk=visit.pk).exists()  # nothing is deleted
    assert visit.title not in titles(client.get(LIST))
    assert visit.title not in titles(client.get(LIST, {"convention": convention.pk}))
    assert not Activity.objects.for_user(academy_staff).filter(contributions__convention=convention).exists()
    # The editor still opens it, with the reason, and may restore it; a reader does not see it.
    page = client.get(detail(visit)).content.decode()
    assert "Retirée le" in page
    assert "Doublon" in page
    assert "Rétablir" in page
    assert visit.title in titles(client.get(LIST, {"state": "retirees"}))
    assert login(client, observer).get(detail(visit)).status_code == 404
    assert (
        client.post(reverse("activities:activity_restore", args=[visit.pk])).status_code == 404
    )  # a withdrawn activity exists only for its editors
    login(client, academy_staff).post(reverse("activities:activity_restore", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.withdrawn_at is None
    assert visit.title in titles(client.get(LIST, {"convention": convention.pk}))
    reasons = list(visit.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["Rétablie", "Doublon"]


def test_withdrawing_needs_a_reason(client, academy_staff, visit):
    response = login(client, academy_staff).post(reverse("activities:activity_withdraw", args=[visit.pk]), {})
    assert response.status_code == 422
    assert "Indiquez pourquoi" in response.content.decode()
    visit.refresh_from_db()
    assert visit.withdrawn_at is None


def test_the_observer_cannot_withdraw(client, observer, visit):
    response = login(client, observer).post(reverse("activities:activity_withdraw", args=[visit.pk]), {"reason": "x"})
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.withdrawn_at is None


def test_contributions_count_each_activity_once_and_only_when_confirmed(visit, today):
    convention = ConventionFactory(signed=True)
    plan = PlanFactory(convention=convention, school_year=visit.school_year)
    first, second = ActionFactory(plan=plan), ActionFactory(plan=plan)
    ContributionFactory(activity=visit, convention=convention, action=first)
    ContributionFactory(activity=visit, convention=convention, action=second)
    ContributionFactory(activity=ActivityFactory(starts_on=today), convention=convention, confirmed=False)
    counted = Activity.objects.live().filter(contributions__convention=convention, contributions__confirmed=True)
    assert counted.distinct().count() == 1
    assert Contribution.objects.filter(convention=convention, confirmed=True).count() == 2


def test_the_detail_keeps_a_constant_number_of_queries(client, academy_staff, visit):
    login(client, academy_staff)
    with CaptureQueriesContext(connection) as few:
        client.get(detail(visit))
    for _ in range(5):
        ContributionFactory(activity=visit)
    with CaptureQueriesContext(connection) as more:
        client.get(detail(visit))
    # Each convention adds at most its party check (is_party_staff), never a query per row shown.
    assert len(more) <= len(few) + 1


def test_dates_show_in_french(client, academy_staff, aix):
    activity = ActivityFactory(starts_on=datetime.date(2025, 11, 14), ends_on=datetime.date(2025, 11, 15), academy=aix)
    page = login(client, academy_staff).get(detail(activity)).content.decode()
    assert "du 14/11/2025 au 15/11/2025" in page
    assert "2025–2026" in page


def test_a_federation_members_activity_is_suggested_toward_the_federations_convention(academy_staff, aix):
    """A visit of a company that is not itself a party but belongs to a federation party."""
    federation = OrganisationFactory(federation=True, academy=aix, name="Fédération Exemple du Bâtiment")
    member = OrganisationFactory(company=True, academy=aix, name="Maçonnerie Exemple")
    outsider = OrganisationFactory(company=True, academy=aix, name="Entreprise Sans Lien")
    federation.members.add(member)
    convention = ConventionFactory(academy=aix, title="Convention de la fédération")
    PartyFactory(convention=convention, organisation=federation, side=PartySide.PARTNER)

    suggested = suggest_contributions(user=academy_staff, on=datetime.date(2025, 11, 14), organisations=[member])
    nothing = suggest_contributions(user=academy_staff, on=datetime.date(2025, 11, 14), organisations=[outsider])

    assert [(s.convention, s.reason) for s in suggested] == [(convention, "Adhérent d’une organisation partie")]
    assert nothing == []
