"""Indicator numbers computed by hand on a small world: what counts, and that it counts once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from partenariats.activities.models import ActivityGroup, CommitmentTarget, Level, Metric
from partenariats.conventions.models import ConventionKind
from partenariats.core.school_year import SchoolYear
from partenariats.directory.models import PriorityEducation
from partenariats.indicators import queries
from partenariats.indicators.reports import NO_ACTIVITY, convention_report, organisation_report, territory_report
from tests.factories import (
    ActionFactory,
    ActionTargetFactory,
    ActivityFactory,
    BasinFactory,
    CommitmentFactory,
    ContributionFactory,
    ConventionFactory,
    OrganisationFactory,
    PlanFactory,
    academy,
)

pytestmark = pytest.mark.django_db

YEAR = SchoolYear(2025)


class World:
    """A convention of Aix with a plan for 2025–2026, and what was done.

    Counted in 2025–2026: *visit* (24 pupils of a REP school, toward action 1 of the convention
    and also toward a second convention), *talk* (10 pupils of a school outside éducation
    prioritaire, toward action 1 and commitment 1 directly: counted once), *confidential*
    (5 pupils of the REP school, toward commitment 1). Not counted: an unconfirmed
    contribution, a withdrawn activity, an activity of the year before.
    """

    def __init__(self):
        self.aix = academy("Aix-Marseille")
        self.basin = BasinFactory(academy=self.aix, name="Bassin de Marseille-Nord")
        self.rep_school = OrganisationFactory(
            school=True, academy=self.aix, basin=self.basin, priority_education=PriorityEducation.REP
        )
        self.plain_school = OrganisationFactory(school=True, academy=self.aix)
        OrganisationFactory(school=True, academy=self.aix, is_active=False)
        self.company = OrganisationFactory(company=True, academy=self.aix, name="Société Alpha")
        self.other_company = OrganisationFactory(company=True, academy=self.aix, name="Société Bêta")
        self.convention = ConventionFactory(signed=True, academy=self.aix, title="Convention Alpha")
        self.second = ConventionFactory(signed=True, academy=self.aix, title="Convention Bêta")
        partner = self.convention.parties.get(side="partner")
        education = self.convention.parties.get(side="education")
        self.commitment = CommitmentFactory(convention=self.convention, party=partner, text="Accueillir des classes")
        self.education_commitment = CommitmentFactory(
            convention=self.convention, party=education, text="Mobiliser les professeurs"
        )
        self.secret = CommitmentFactory(
            convention=self.convention, party=partner, text="Engagement confidentiel", confidential=True
        )
        self.plan = PlanFactory(convention=self.convention, school_year=2025)
        self.action = ActionFactory(plan=self.plan, number=1, title="Visites", commitments=[self.commitment])
        ActionTargetFactory(action=self.action, metric=Metric.PUPILS, value=100)
        ActionTargetFactory(action=self.action, metric=Metric.EVENTS, value=4)
        ActionFactory(plan=self.plan, number=2, title="Action secrète", confidential=True)
        CommitmentTarget.objects.create(
            commitment=self.education_commitment, school_year=2025, metric=Metric.EVENTS, value=5
        )

        self.visit = ActivityFactory(
            pupils=24,
            groups__school=self.rep_school,
            organisations=[self.company],
            prepared_with_pupils=True,
            exploited_afterwards=True,
            hours=Decimal("2.5"),
            teacher_count=2,
            professional_count=3,
            basin=self.basin,
        )
        ContributionFactory(activity=self.visit, convention=self.convention, action=self.action)
        ContributionFactory(activity=self.visit, convention=self.second)
        self.talk = ActivityFactory(
            pupils=10, groups__school=self.plain_school, organisations=[self.other_company], prepared_with_pupils=True
        )
        ContributionFactory(activity=self.talk, convention=self.convention, action=self.action)
        ContributionFactory(activity=self.talk, convention=self.convention, commitment=self.commitment)
        self.confidential = ActivityFactory(pupils=5, groups__school=self.rep_school, confidential=True)
        ContributionFactory(activity=self.confidential, convention=self.convention, commitment=self.commitment)

        unconfirmed = ActivityFactory(pupils=50, groups__school=self.rep_school, organisations=[self.company])
        ContributionFactory(activity=unconfirmed, convention=self.convention, action=self.action, confirmed=False)
        withdrawn = ActivityFactory(pupils=7, organisations=[self.company], withdrawn_at=timezone.now())
        ContributionFactory(activity=withdrawn, convention=self.convention, action=self.action)
        last_year = ActivityFactory(pupils=9, starts_on=datetime.date(2025, 6, 2), organisations=[self.company])
        ContributionFactory(activity=last_year, convention=self.convention, action=self.action)


@pytest.fixture
def world():
    return World()


def test_it_counts_the_convention_activities_once_for_its_parties(world, academy_staff):
    report = convention_report(world.convention, academy_staff, YEAR)

    summary = report.summary
    assert summary.activities == 3
    assert summary.pupils == 39
    assert summary.prepared_and_exploited == 1
    assert summary.prepared_rate == 33.3
    assert summary.schools == 2
    assert summary.companies == 2
    assert summary.hours == Decimal("2.5")
    assert summary.teachers == 2
    assert summary.professionals == 3
    # Two active schools of Aix reached out of the active schools of its académie (the inactive one is left out).
    assert report.coverage["reached"] == 2
    assert report.coverage["total"] == 2


def test_it_compares_each_action_with_its_targets(world, academy_staff):
    rows = convention_report(world.convention, academy_staff, YEAR).table("actions").rows

    assert [1, "Visites", "Participations d’élèves", 100, 34, 34.0] in rows
    assert [1, "Visites", "Actions réalisées", 4, 2, 50.0] in rows


def test_it_counts_an_activity_toward_the_commitments_its_action_serves(world, academy_staff):
    table = convention_report(world.convention, academy_staff, YEAR).table("engagements")
    rows = {(row[1], row[2]): row for row in table.rows}

    # The visit through action 1, the talk through action 1 and directly (once), the confidential one directly.
    assert rows[("Accueillir des classes", "Actions réalisées")][3:5] == [4, 3]
    assert rows[("Accueillir des classes", "Participations d’élèves")][3:5] == [100, 39]
    # A target set on the commitment itself; nothing done.
    assert rows[("Mobiliser les professeurs", "Actions réalisées")][3:6] == [5, 0, 0.0]
    flagged = {row[1] for flag, row in zip(table.flags, table.rows, strict=True) if flag == NO_ACTIVITY}
    assert flagged == {"Mobiliser les professeurs", "Engagement confidentiel"}


def test_it_lists_the_commitments_with_no_activity(world, academy_staff):
    gaps = convention_report(world.convention, academy_staff, YEAR).gaps

    assert sorted(row[2] for row in gaps.rows) == ["Engagement confidentiel", "Mobiliser les professeurs"]


def test_it_counts_per_party_the_activities_toward_its_commitments(world, academy_staff):
    rows = convention_report(world.convention, academy_staff, YEAR).table("parties").rows
    by_side = {row[1]: row for row in rows}

    assert by_side["Partenaire"][2:4] == [3, 39]
    assert by_side["Éducation nationale"][2:4] == [0, 0]


def test_it_counts_an_activity_once_for_a_party_whatever_the_ways_it_serves_its_commitments(world, academy_staff):
    partner = world.commitment.party
    other = CommitmentFactory(convention=world.convention, party=partner, text="Former les tuteurs")
    training = ActionFactory(plan=world.plan, number=3, title="Formations", commitments=[other, world.commitment])
    ContributionFactory(activity=world.visit, convention=world.convention, action=training)
    ContributionFactory(activity=world.visit, convention=world.convention, commitment=other)

    report = convention_report(world.convention, academy_staff, YEAR)

    partner_row = next(row for row in report.table("parties").rows if row[1] == "Partenaire")
    assert partner_row[2:4] == [3, 39]
    commitments = {(row[1], row[2]): row[4] for row in report.table("engagements").rows}
    assert commitments[("Former les tuteurs", "Actions réalisées")] == 1
    assert commitments[("Accueillir des classes", "Actions réalisées")] == 3


def test_it_breaks_pupil_participations_down_by_level_and_priority_education(world, academy_staff):
    table = convention_report(world.convention, academy_staff, YEAR).table("niveaux")

    assert table.headers == ["Niveau", "Hors éducation prioritaire", "REP", "Total"]
    assert table.rows == [["3e", 10, 29, 39]]
    assert "un élève venu à deux activités compte deux fois" in table.note


def test_it_puts_groups_without_a_known_school_in_their_own_column(world, academy_staff):
    ActivityGroup.objects.create(activity=world.visit, school=None, level=Level.CAP, pupils=3)

    table = convention_report(world.convention, academy_staff, YEAR).table("niveaux")

    assert table.headers[-2:] == ["Établissement non précisé", "Total"]
    assert ["CAP", 0, 0, 3, 3] in table.rows


def test_it_hides_confidential_items_from_readers_who_are_not_parties(world, colleague_elsewhere, academy_staff):
    national = ConventionFactory(signed=True, academy=academy("Nice"), kind=ConventionKind.NATIONAL)
    ContributionFactory(activity=world.confidential, convention=national)
    ContributionFactory(activity=world.talk, convention=national)

    outsider_view = convention_report(national, academy_staff, YEAR)  # Aix reads a national convention of Nice
    party_view = convention_report(national, colleague_elsewhere, YEAR)

    assert outsider_view.summary.activities == 1
    assert outsider_view.summary.pupils == 10
    assert party_view.summary.activities == 2
    assert party_view.summary.pupils == 15


def test_it_hides_confidential_commitments_and_actions_from_non_parties(world, academy_staff):
    national = ConventionFactory(signed=True, academy=academy("Nice"), kind=ConventionKind.NATIONAL)
    CommitmentFactory(convention=national, text="Engagement public")
    CommitmentFactory(convention=national, text="Engagement réservé", confidential=True)
    plan = PlanFactory(convention=national, school_year=2025)
    ActionFactory(plan=plan, title="Action publique")
    ActionFactory(plan=plan, title="Action réservée", confidential=True)

    report = convention_report(national, academy_staff, YEAR)

    texts = str([table.rows for table in report.tables])
    assert "Engagement public" in texts
    assert "Action publique" in texts
    assert "réservé" not in texts


def test_it_counts_an_activity_of_two_conventions_once_in_the_academy(world, academy_staff):
    report = territory_report(academy_staff, YEAR, academy=world.aix)

    assert report.summary.activities == 3
    assert report.summary.pupils == 39
    conventions = {row[0]: row[1] for row in report.table("conventions").rows}
    assert conventions == {"Convention Alpha": 3, "Convention Bêta": 1}
    assert report.table("types").rows == [["Visite d’entreprise", 3, 39]]
    basins = {row[0]: row[1:] for row in report.table("bassins").rows}
    assert basins == {"Bassin de Marseille-Nord": [1, 24], "Bassin non précisé": [2, 15]}


def test_it_lists_commitments_of_running_conventions_with_nothing_done_in_the_territory(world, academy_staff):
    gaps = territory_report(academy_staff, YEAR, academy=world.aix).gaps

    assert {(row[0], row[3]) for row in gaps.rows} == {
        ("Convention Alpha", "Mobiliser les professeurs"),
        ("Convention Alpha", "Engagement confidentiel"),
    }


def test_it_counts_a_basin_on_its_own_activities_and_schools(world, academy_staff):
    report = territory_report(academy_staff, YEAR, basin=world.basin)

    assert report.summary.activities == 1
    assert report.summary.pupils == 24
    assert report.coverage == {"reached": 1, "total": 1, "rate": 100.0}
    assert report.table("bassins") is None


def test_it_counts_what_an_organisation_took_part_in(world, academy_staff):
    company = organisation_report(world.company, academy_staff, YEAR)
    school = organisation_report(world.rep_school, academy_staff, YEAR)

    assert company.summary.activities == 1
    assert {row[0]: row[1] for row in company.table("conventions").rows} == {
        "Convention Alpha": 1,
        "Convention Bêta": 1,
    }
    assert school.summary.activities == 2
    assert school.summary.pupils == 29


def test_it_counts_nothing_for_another_year(world, academy_staff):
    report = convention_report(world.convention, academy_staff, SchoolYear(2024))

    assert report.summary.activities == 1
    assert report.summary.pupils == 9


def test_it_computes_rates_only_against_a_whole():
    assert queries.rate(1, 3) == 33.3
    assert queries.rate(3, 0) is None
    assert queries.rate(0, None) is None
