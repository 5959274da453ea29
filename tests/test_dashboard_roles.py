"""The dashboard per role: what to record, what is late, what falls due this school year."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.activities.models import PlanStatus, RecordingLink
from partenariats.conventions.models import ConventionKind, Party, PartySide
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    BasinFactory,
    CommitmentFactory,
    ContributionFactory,
    ConventionFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 20)  # school year 2025–2026
URL = reverse("dashboard:home")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def in_days(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def running(**kwargs):
    """Signed 18 March 2021 for two years, renewed tacitly: in force in 2025."""
    return ConventionFactory(signed=True, **kwargs)


def get(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response


def titles(listing) -> list[str]:
    return [row.action.title for row in listing.rows]


def party(convention, organisation) -> Party:
    return Party.objects.create(convention=convention, organisation=organisation, side=PartySide.PARTNER, position=5)


# --- Académie side ---------------------------------------------------------------------------


def test_an_action_is_late_once_started_with_nothing_counted(client, academy_staff):
    convention = running(title="Convention des visites")
    plan = PlanFactory(convention=convention)
    ActionFactory(plan=plan, title="Commencée sans rien", starts_on=datetime.date(2025, 10, 1))
    ActionFactory(plan=plan, title="Commence aujourd’hui", starts_on=TODAY)
    done = ActionFactory(plan=plan, title="Commencée et réalisée", starts_on=datetime.date(2025, 10, 1))
    ContributionFactory(convention=convention, action=done)
    suggested = ActionFactory(plan=plan, title="Seulement suggérée", starts_on=datetime.date(2025, 9, 15))
    ContributionFactory(convention=convention, action=suggested, confirmed=False)
    withdrawn = ActionFactory(plan=plan, title="Activité retirée", starts_on=datetime.date(2025, 10, 2))
    ContributionFactory(
        convention=convention, action=withdrawn, activity__withdrawn_at=timezone.now() - datetime.timedelta(days=1)
    )
    ActionFactory(plan=plan, title="Pas encore commencée", starts_on=in_days(1))
    ActionFactory(plan=PlanFactory(convention=convention, school_year=2024), starts_on=datetime.date(2024, 10, 1))

    response = get(client, academy_staff)

    late = response.context["academy_panel"].late
    assert titles(late) == ["Seulement suggérée", "Commencée sans rien", "Activité retirée", "Commence aujourd’hui"]
    assert late.total == 4
    html = response.content.decode()
    assert "Actions en retard" in html
    assert '<p class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--error">En retard</p>' in html
    assert f'href="/conventions/{convention.pk}/plans/2025/#action-' in html


def test_actions_falling_due_within_thirty_days_come_soonest_first(client, academy_staff):
    plan = PlanFactory(convention=running())
    ActionFactory(plan=plan, title="Dans un mois pile", starts_on=in_days(30))
    ActionFactory(plan=plan, title="Demain", starts_on=in_days(1))
    ActionFactory(plan=plan, title="Trop loin", starts_on=in_days(31))
    next_year = PlanFactory(convention=plan.convention, school_year=2026)
    ActionFactory(plan=next_year, title="Plan suivant", starts_on=in_days(12))

    response = get(client, academy_staff)

    due = response.context["academy_panel"].due
    assert titles(due) == ["Demain", "Plan suivant", "Dans un mois pile"]
    assert [row.badge_text for row in due.rows] == ["Demain", "Dans 12 jours", "Dans 30 jours"]
    assert "fr-badge--warning" in due.rows[0].badge_class
    assert "Dans 12 jours" in response.content.decode()


def test_it_lists_the_plans_to_prepare_and_those_in_draft(client, academy_staff, nice):
    without = running(title="Convention sans plan")
    drafted = PlanFactory(convention=running(title="Convention au plan en préparation"))
    PlanFactory(convention=running(title="Convention au plan adopté"), status=PlanStatus.ADOPTED)
    ConventionFactory(signed=True, tacit_renewal=False, renewal_months=None, title="Convention échue")
    running(title="Convention de Nice", academy=nice)

    response = get(client, academy_staff)

    panel = response.context["academy_panel"]
    assert [c.title for c in panel.plans_to_prepare.rows] == ["Convention sans plan"]
    assert [p.convention.title for p in panel.draft_plans.rows] == ["Convention au plan en préparation"]
    html = response.content.decode()
    assert "Plan 2025–2026 à préparer" in html
    assert f'href="/conventions/{without.pk}/plans/nouveau/"' in html
    assert "Préparer le plan" in html
    assert f'href="/conventions/{drafted.convention_id}/plans/2025/"' in html
    assert "Compléter et adopter" in html


def test_an_observer_sees_the_same_panel_without_action_buttons(client, observer):
    without = running(title="Convention sans plan")
    PlanFactory(convention=running(title="Convention au plan en préparation"))
    plan = PlanFactory(convention=running(), status=PlanStatus.ADOPTED)
    ActionFactory(plan=plan, title="Action en retard", starts_on=datetime.date(2025, 10, 1))

    response = get(client, observer)

    html = response.content.decode()
    assert "Convention sans plan" in html
    assert "Action en retard" in html
    assert "Vous les consultez en lecture seule." in html
    assert "Préparer le plan" not in html
    assert "Compléter et adopter" not in html
    assert f"/conventions/{without.pk}/plans/nouveau/" not in html


def test_it_counts_the_commitments_with_no_activity_this_year(client, academy_staff):
    convention = running(title="Convention aux engagements")
    through_action, direct, last_year, idle = (CommitmentFactory(convention=convention) for _ in range(4))
    action = ActionFactory(plan=PlanFactory(convention=convention), commitments=[through_action])
    ContributionFactory(convention=convention, action=action)
    ContributionFactory(convention=convention, commitment=direct)
    ContributionFactory(convention=convention, commitment=last_year, activity__starts_on=datetime.date(2025, 6, 3))
    ContributionFactory(convention=convention, commitment=idle, confirmed=False)
    all_done = running(title="Convention sans retard")
    ContributionFactory(convention=all_done, commitment=CommitmentFactory(convention=all_done))

    response = get(client, academy_staff)

    panel = response.context["academy_panel"]
    assert panel.silent_commitment_count == 2
    assert panel.silent_convention_count == 1
    assert [(row["convention__title"], row["count"]) for row in panel.silent_commitments] == [
        ("Convention aux engagements", 2)
    ]
    assert f'href="/indicateurs/conventions/{convention.pk}/"' in response.content.decode()


def test_confidential_actions_and_commitments_stay_with_the_parties(client, academy_staff, colleague_elsewhere, nice):
    national = running(title="Convention nationale de Nice", kind=ConventionKind.NATIONAL, academy=nice)
    national.followers.add(academy_staff, colleague_elsewhere)
    plan = PlanFactory(convention=national)
    ActionFactory(plan=plan, title="Action publique", starts_on=datetime.date(2025, 10, 1))
    ActionFactory(plan=plan, title="Action confidentielle", starts_on=datetime.date(2025, 10, 1), confidential=True)
    ActionFactory(plan=plan, title="Prochaine action confidentielle", starts_on=in_days(3), confidential=True)
    CommitmentFactory(convention=national)
    CommitmentFactory(convention=national, confidential=True)

    outside = get(client, academy_staff).context["academy_panel"]
    assert titles(outside.late) == ["Action publique"]
    assert outside.due.total == 0
    assert outside.silent_commitment_count == 1

    party_staff = get(client, colleague_elsewhere).context["academy_panel"]
    assert titles(party_staff.late) == ["Action publique", "Action confidentielle"]
    assert titles(party_staff.due) == ["Prochaine action confidentielle"]
    assert party_staff.silent_commitment_count == 2


def test_it_lists_the_activities_to_confirm(client, academy_staff):
    convention = running()
    ContributionFactory(convention=convention, confirmed=False, activity__title="Visite à confirmer")
    ContributionFactory(convention=convention, activity__title="Visite confirmée")

    response = get(client, academy_staff)

    assert [a.title for a in response.context["academy_panel"].to_confirm.rows] == ["Visite à confirmer"]
    assert "Visite confirmée" not in response.content.decode()


def link(convention, company, days: float, **kwargs) -> RecordingLink:
    return RecordingLink.objects.create(
        convention=convention,
        organisation=company,
        email=f"benevole{days}@example.invalid",
        guest=UserFactory(),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        **kwargs,
    )


def test_it_lists_the_unused_links_expiring_within_a_week(client, academy_staff, company):
    convention = running()
    link(convention, company, 3)
    link(convention, company, 10)
    link(convention, company, 2, used_at=timezone.now())
    link(convention, company, 4, revoked_at=timezone.now())
    link(convention, company, -1)

    response = get(client, academy_staff)

    links = response.context["academy_panel"].expiring_links
    assert [row.email for row in links.rows] == ["benevole3@example.invalid"]
    assert f'href="/conventions/{convention.pk}/liens-de-saisie/"' in response.content.decode()


def test_empty_panels_say_so_in_french(client, academy_staff):
    html = get(client, academy_staff).content.decode()
    assert "Aucune action en retard" in html
    assert "Rien à confirmer pour l’instant." in html
    assert "Une activité avec vos élèves ?" not in html


# --- CLEE ---------------------------------------------------------------------------------------


def test_a_clee_member_sees_the_basins_activities_and_the_schools_not_reached(client, clee_member, aix):
    basin = clee_member.assignments.get().basin
    reached = OrganisationFactory(school=True, basin=basin, name="Collège Atteint")
    reached_last_year = OrganisationFactory(school=True, basin=basin, name="Collège de l’an passé")
    OrganisationFactory(school=True, basin=basin, name="Collège Oublié")
    OrganisationFactory(school=True, name="Collège d’un autre bassin")
    ActivityFactory(pupils=25, groups__school=reached, title="Visite du bassin")
    ActivityFactory(basin=basin, title="Forum du bassin", pupils=40)
    ActivityFactory(pupils=30, groups__school=reached_last_year, starts_on=datetime.date(2025, 5, 2))
    ActivityFactory(pupils=12, title="Visite hors bassin")

    response = get(client, clee_member)

    panel = response.context["basin_panel"]
    assert (panel.activities.count, panel.activities.pupils) == (2, 65)
    assert [s.name for s in panel.silent_schools.rows] == ["Collège de l’an passé", "Collège Oublié"]
    assert (panel.silent_schools.total, panel.school_count) == (2, 3)
    html = response.content.decode()
    assert "Visite hors bassin" not in html
    assert "2 sur 3" in html
    assert f'href="{reverse("activities:activity_quick")}"' in html
    assert f'href="{reverse("indicators:basin", args=[basin.pk])}"' in html
    assert "academy_panel" not in response.context
    assert "Plans et activités" not in html


# --- School staff -----------------------------------------------------------------------------


def test_a_school_head_gets_the_quick_button_and_their_schools_activities(client, school_head, school):
    for day in range(1, 8):
        ActivityFactory(
            pupils=20,
            groups__school=school,
            starts_on=datetime.date(2025, 10, day),
            title=f"Visite du {day} octobre",
            prepared_with_pupils=True,
            exploited_afterwards=True,
        )
    ActivityFactory(pupils=15, groups__school=school, title="Visite à exploiter", prepared_with_pupils=True)
    ActivityFactory(pupils=15, groups__school=school, title="Visite à venir", starts_on=in_days(5))
    ActivityFactory(pupils=18, groups__school=OrganisationFactory(school=True), title="Visite d’un autre collège")

    response = get(client, school_head)

    html = response.content.decode()
    assert "Saisir une activité en deux minutes" in html
    assert html.index("Saisir une activité en deux minutes") < html.index("À traiter")
    panel = response.context["school_panel"]
    assert panel.activities.count == 9
    assert [a.title for a in panel.activities.last][:2] == ["Visite à venir", "Visite à exploiter"]
    assert len(panel.activities.last) == 5
    assert [a.title for a in panel.to_complete.rows] == ["Visite à exploiter"]
    assert "exploitation en classe" in html
    assert "Visite d’un autre collège" not in html
    assert "academy_panel" not in response.context
    assert "partner_panel" not in response.context


def test_a_school_head_sees_the_actions_coming_in_their_schools_conventions(client, school_head, school):
    ours = running(title="Convention du collège")
    party(ours, school)
    ActionFactory(plan=PlanFactory(convention=ours), title="Forum des métiers", starts_on=in_days(10))
    ActionFactory(plan=PlanFactory(convention=running()), title="Action d’une autre convention", starts_on=in_days(10))

    response = get(client, school_head)

    assert titles(response.context["school_panel"].due) == ["Forum des métiers"]
    assert "Action d’une autre convention" not in response.content.decode()


# --- Partner staff ----------------------------------------------------------------------------


def test_a_partner_sees_its_own_activities_and_not_another_companys(client, partner_contact, company):
    convention = running(title="Convention de l’entreprise")
    party(convention, company)
    ActivityFactory(organisations=[company], title="Notre visite", pupils=24)
    other = OrganisationFactory(company=True)
    ContributionFactory(
        convention=convention, activity__organisations=[other], activity__title="Visite d’un concurrent"
    )

    response = get(client, partner_contact)

    panel = response.context["partner_panel"]
    assert (panel.activities.count, panel.activities.pupils) == (1, 24)
    html = response.content.decode()
    assert "Notre visite" in html
    assert "Visite d’un concurrent" not in html
    assert f'href="/indicateurs/organisations/{company.pk}/"' in html
    assert "Une activité avec vos élèves ?" not in html
    assert "academy_panel" not in response.context
    assert "school_panel" not in response.context


def test_a_partner_sees_the_actions_its_party_leads(client, partner_contact, company):
    convention = running()
    ours = party(convention, company)
    plan = PlanFactory(convention=convention)
    ActionFactory(plan=plan, title="Nos visites", owner_party=ours, starts_on=datetime.date(2025, 10, 1))
    ActionFactory(plan=plan, title="Notre forum", owner_party=ours, starts_on=in_days(7))
    ActionFactory(plan=plan, title="Action du rectorat", starts_on=datetime.date(2025, 10, 1))

    response = get(client, partner_contact)

    panel = response.context["partner_panel"]
    assert titles(panel.late) == ["Nos visites"]
    assert titles(panel.due) == ["Notre forum"]
    assert "Action du rectorat" not in response.content.decode()


def test_a_partner_confirms_the_suggestions_of_its_activities(client, partner_contact, company):
    convention = running()
    party(convention, company)
    ContributionFactory(
        convention=convention, confirmed=False, activity__organisations=[company], activity__title="Visite suggérée"
    )
    ContributionFactory(
        convention=convention,
        confirmed=False,
        activity__organisations=[OrganisationFactory(company=True)],
        activity__title="Suggestion d’une autre entreprise",
    )

    response = get(client, partner_contact)

    assert [a.title for a in response.context["partner_panel"].to_confirm.rows] == ["Visite suggérée"]
    assert "Suggestion d’une autre entreprise" not in response.content.decode()


# --- Queries ----------------------------------------------------------------------------------


def populate(size: int, *, school, company, basin) -> None:
    """``size`` of everything each panel lists, in the personas' scope."""
    for n in range(size):
        convention = running(title=f"Convention {n}")
        ours = party(convention, company)
        party(convention, school)
        running(title=f"Convention sans plan {n}")
        plan = PlanFactory(convention=convention, status=PlanStatus.DRAFT)
        commitment = CommitmentFactory(convention=convention)
        ActionFactory(plan=plan, owner_party=ours, starts_on=datetime.date(2025, 10, 1), commitments=[commitment])
        ActionFactory(plan=plan, owner_party=ours, starts_on=in_days(5))
        activity = ActivityFactory(pupils=10, groups__school=school, organisations=[company], basin=basin)
        ContributionFactory(convention=convention, activity=activity, confirmed=False)
        OrganisationFactory(school=True, basin=basin)
        link(convention, company, 2)


@pytest.mark.parametrize(
    "persona", ["academy_staff", "observer", "platform_admin", "clee_member", "school_head", "partner_contact"]
)
def test_it_makes_a_fixed_number_of_queries(client, request, persona, school, company):
    user = request.getfixturevalue(persona)
    basin = BasinFactory()
    if persona == "clee_member":
        basin = user.assignments.get().basin

    def count() -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    populate(1, school=school, company=company, basin=basin)
    few = count()
    populate(10, school=school, company=company, basin=basin)
    assert count() == few
    assert few < 60, few
