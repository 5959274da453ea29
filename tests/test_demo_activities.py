"""The demo's plans and activities: three school years, realistic groups, counts and deliberate gaps."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce

from partenariats.accounts.models import User
from partenariats.activities.models import (
    Action,
    ActionTarget,
    Activity,
    ActivityGroup,
    CommitmentTarget,
    Contribution,
    Level,
    Metric,
    Plan,
    PlanStatus,
)
from partenariats.conventions.models import Commitment, Convention
from partenariats.core.school_year import SchoolYear
from partenariats.demo import constants
from partenariats.demo.activities.catalog import LEVELS_BY_TYPE
from partenariats.demo.activities.plans import NOTHING_THIS_YEAR
from partenariats.demo.builder import DemoSizes, load_demo
from partenariats.directory.models import SchoolType

pytestmark = pytest.mark.django_db

SMALL = DemoSizes(schools=30, companies=40, people=40, activities=400)
TODAY = datetime.date(2026, 11, 22)  # in 2026–2027
CURRENT = SchoolYear.of(TODAY).start_year


def counted(queryset_filter: Q):
    """Live activities counted (a confirmed contribution) toward what ``queryset_filter`` names."""
    ids = Contribution.objects.filter(queryset_filter, confirmed=True).values("activity")
    return Activity.objects.live().filter(pk__in=ids)


def snapshot() -> dict:
    return {
        "plans": sorted(Plan.objects.values_list("convention__reference", "school_year", "status", "adopted_on")),
        "actions": sorted(
            Action.objects.values_list("plan__convention__reference", "plan__school_year", "number", "start_wording")
        ),
        "targets": sorted(ActionTarget.objects.values_list("action__plan__convention__reference", "metric", "value")),
        "activities": sorted(
            Activity.objects.values_list("title", "starts_on", "kind", "pupil_participations", "evaluation")
        ),
        "groups": sorted(
            ActivityGroup.objects.annotate(uai=Coalesce("school__uai", Value(""))).values_list(
                "uai", "level", "class_name", "pupils"
            )
        ),
        "contributions": Contribution.objects.filter(confirmed=True).count(),
    }


def counts() -> dict[str, int]:
    models = (Plan, Action, ActionTarget, Activity, ActivityGroup, Contribution)
    return {m.__name__: m.objects.count() for m in models} | {
        f"{m.__name__} history": m.history.count() for m in models
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo at a small size, loaded once for this module's tests and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(sizes=SMALL, today=TODAY)
        transaction.set_rollback(True)


def delete_plans_and_activities() -> None:
    """The plans and activities, and the steering committees' records that point at them."""
    steering = [
        apps.get_model("steering", name)
        for name in ("Recipient", "Distribution", "Rendering", "Highlight", "ReviewSection", "Review")
    ]
    steering += [
        apps.get_model("steering", name)
        for name in ("CorrectiveAction", "Decision", "Attendance", "Meeting", "CommitteeMember")
    ]
    for model in (*steering, Contribution, ActivityGroup, Activity, CommitmentTarget, Plan):
        model.objects.all().delete()


def test_it_plans_the_last_three_school_years_with_numbered_actions(demo):
    assert set(Plan.objects.values_list("school_year", flat=True)) == {CURRENT - 2, CURRENT - 1, CURRENT}
    assert Plan.objects.filter(school_year=CURRENT).count() >= 25
    for plan in Plan.objects.prefetch_related("actions__modalities", "actions__targets"):
        actions = list(plan.actions.all())
        assert actions, plan
        assert len({a.number for a in actions}) == len(actions)
        for action in actions:
            assert action.start_wording
            assert action.ends_on >= action.starts_on
            assert action.targets.all()
            assert action.modalities.all()
    carried = Plan.objects.filter(school_year=CURRENT, carried_from__isnull=False)
    assert carried.exists()
    assert all(plan.carried_from.school_year == CURRENT - 1 for plan in carried)
    wordings = set(Action.objects.filter(plan__school_year=CURRENT - 1).values_list("start_wording", flat=True))
    assert {"novembre 2025", "Rentrée scolaire 2025–2026", "juin 2026"} <= wordings


def test_it_puts_pupils_in_schools_at_levels_the_school_teaches(demo):
    groups = ActivityGroup.objects.filter(school__isnull=False).select_related("school")
    assert groups.count() > 100
    for group in groups:
        assert group.level in LEVELS_BY_TYPE[group.school.school_type], (group.school.school_type, group.level)
    college_levels = set(groups.filter(school__school_type=SchoolType.COLLEGE).values_list("level", flat=True))
    assert college_levels <= {Level.SIXIEME, Level.CINQUIEME, Level.QUATRIEME, Level.TROISIEME}
    assert Level.TROISIEME in college_levels
    # An activity's pupil participations are the sum of its groups.
    for activity in Activity.objects.filter(pupil_participations__gt=0).annotate(total=Sum("groups__pupils"))[:50]:
        assert activity.pupil_participations == activity.total


def test_it_dates_activities_up_to_the_load_day_and_not_after(demo):
    assert not Activity.objects.filter(starts_on__gt=TODAY).exists()
    assert Activity.objects.filter(school_year=CURRENT).exists()
    by_year = {year: Activity.objects.filter(school_year=year).count() for year in (CURRENT - 2, CURRENT - 1)}
    assert all(count > 50 for count in by_year.values()), by_year


def test_it_confirms_most_contributions_and_leaves_some_to_confirm(demo):
    confirmed = Contribution.objects.filter(confirmed=True)
    assert confirmed.count() > 0.8 * Contribution.objects.count()
    assert not confirmed.filter(Q(confirmed_by__isnull=True) | Q(confirmed_at__isnull=True)).exists()
    assert Contribution.objects.filter(confirmed=False).exists()
    assert confirmed.filter(action__isnull=True, commitment__isnull=False).exists()
    # Some activities count toward two conventions (each counts once in totals across them).
    two = [
        a
        for a in Activity.objects.prefetch_related("contributions")
        if len({c.convention_id for c in a.contributions.all() if c.confirmed}) > 1
    ]
    assert two


def test_it_leaves_gaps_for_the_nothing_done_lists(demo):
    nothing = Convention.objects.get(reference__endswith=f"-{NOTHING_THIS_YEAR:03d}")
    plan = Plan.objects.get(convention=nothing, school_year=CURRENT)
    assert plan.status == PlanStatus.ADOPTED
    assert plan.actions.exists()
    assert not counted(Q(convention=nothing, activity__school_year=CURRENT)).exists()

    served = Commitment.objects.filter(actions__plan__school_year=CURRENT).distinct()
    idle = [c for c in served if not counted(Q(commitment=c) | Q(action__commitments=c)).filter(school_year=CURRENT)]
    assert idle

    below = []
    for target in ActionTarget.objects.filter(metric=Metric.PUPILS, action__plan__school_year=CURRENT - 1):
        done = counted(Q(action=target.action)).aggregate(n=Sum("pupil_participations"))["n"] or 0
        if done < target.value:
            below.append(target)
    assert below


def test_it_withdraws_a_couple_of_activities_and_marks_some_confidential(demo):
    assert Activity.objects.filter(withdrawn_at__isnull=False).count() == 2
    assert Activity.objects.filter(confidential=True).exists()
    assert Action.objects.filter(confidential=True).exists()


@pytest.mark.parametrize(
    "email",
    [
        constants.ACADEMY_STAFF_EMAIL,
        constants.SCHOOL_STAFF_EMAIL,
        constants.COMPANY_STAFF_EMAIL,
        constants.FEDERATION_STAFF_EMAIL,
    ],
)
def test_it_gives_each_demo_account_activities_to_look_at(demo, email):
    user = User.objects.get(email=email)
    assert Activity.objects.for_user(user).exists()


def test_it_creates_nothing_the_second_time(demo):
    before = counts()

    report = load_demo(sizes=SMALL, today=TODAY)

    assert counts() == before
    assert not report.created["activités"]


def test_it_makes_the_same_plans_and_activities_from_the_same_seed(demo):
    first = snapshot()
    delete_plans_and_activities()

    load_demo(sizes=SMALL, today=TODAY)

    assert snapshot() == first


def test_the_command_prints_what_it_created_and_how_long_it_took(demo):
    delete_plans_and_activities()
    out = StringIO()
    options = ["--schools", "30", "--companies", "40", "--people", "40", "--activities", "200"]

    call_command("load_demo", *options, "--today", "2026-11-22", stdout=out)

    assert "activités" in out.getvalue()
    assert "Durée :" in out.getvalue()
    assert 100 < Activity.objects.count() < 260
