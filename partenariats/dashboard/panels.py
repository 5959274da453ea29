"""The blocks every role's panel is made of: a list's first rows with its total, the actions
that are late or fall due, and the confidentiality rule in SQL.

Each block is a fixed number of queries whatever the data size: totals are counted in the
database and only the first rows are loaded.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from partenariats.activities.models import Action, Activity, ActivityGroup, Contribution
from partenariats.conventions.models import Convention, ConventionStatus
from partenariats.core.access import Scope
from partenariats.core.school_year import SchoolYear

SHOWN = 10  # rows of each table
LAST_SHOWN = 5  # « the last five activities », « the first few schools »
SOON = timedelta(days=30)
# Statuses in which a convention runs and needs a plan each year.
IN_FORCE = (ConventionStatus.ACTIVE, ConventionStatus.UNDER_NOTICE, ConventionStatus.PROVISIONAL_CONTINUATION)


@dataclass(frozen=True)
class Listing:
    """The first rows of a list, and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def listing(queryset: QuerySet, shown: int = SHOWN) -> Listing:
    """Two queries, whatever the size: the first ``shown`` rows and the count."""
    return Listing(list(queryset[:shown]), queryset.count())


@dataclass(frozen=True)
class ActionRow:
    """An action of a plan, late (started with nothing counted) or falling due soon."""

    action: Action
    days: int  # from today to its start: negative or zero once started

    @property
    def late(self) -> bool:
        return self.days <= 0

    @property
    def badge_class(self) -> str:
        return "fr-badge--error" if self.late else "fr-badge--warning"

    @property
    def badge_text(self) -> str:
        if self.late:
            return "En retard"
        return "Demain" if self.days == 1 else f"Dans {self.days} jours"


@dataclass(frozen=True)
class ActivityFigures:
    """A set of activities of the year: how many, for how many pupil participations, the last ones."""

    count: int
    pupils: int
    last: list[Activity]


def parties_only(scope: Scope, convention_path: str) -> Q:
    """Confidential actions and commitments stay with the parties' staff (``Convention.is_party_staff`` in SQL)."""
    if scope.is_platform_admin:
        return Q()
    parties = Convention.objects.filter(
        Q(academies__in=scope.academy_ids) | Q(parties__organisation__in=scope.organisation_ids)
    ).values("pk")
    return Q(confidential=False) | Q(**{f"{convention_path}__in": parties})


def counted() -> Exists:
    """An action has an activity counted toward it: a confirmed contribution of a live activity names it."""
    return Exists(
        Contribution.objects.filter(action=OuterRef("pk"), confirmed=True, activity__withdrawn_at__isnull=True)
    )


def late_actions(actions: QuerySet[Action], scope: Scope, today: date, shown: int = SHOWN) -> Listing:
    """Actions of this school year's plans whose period has started with no activity counted yet, oldest first."""
    late = (
        actions.filter(parties_only(scope, "plan__convention"))
        .filter(plan__school_year=SchoolYear.of(today).start_year, starts_on__lte=today)
        .filter(~counted())
        .select_related("plan__convention")
        .order_by("starts_on", "plan__convention__title", "number", "pk")
    )
    return rows_of(listing(late, shown), today)


def due_actions(actions: QuerySet[Action], scope: Scope, today: date, shown: int = SHOWN) -> Listing:
    """Actions starting in the next 30 days, whatever their plan's year (September's are next year's), soonest first."""
    due = (
        actions.filter(parties_only(scope, "plan__convention"))
        .filter(starts_on__gt=today, starts_on__lte=today + SOON)
        .select_related("plan__convention")
        .order_by("starts_on", "plan__convention__title", "number", "pk")
    )
    return rows_of(listing(due, shown), today)


def rows_of(found: Listing, today: date) -> Listing:
    return Listing([ActionRow(action, (action.starts_on - today).days) for action in found.rows], found.total)


def activity_figures(activities: QuerySet[Activity], shown: int = LAST_SHOWN) -> ActivityFigures:
    """Two queries: the count and pupil participations in one aggregate, then the last activities."""
    figures = activities.aggregate(count=Count("pk"), pupils=Sum("pupil_participations"))
    last = list(activities.order_by("-starts_on", "-pk")[:shown])
    return ActivityFigures(figures["count"], figures["pupils"] or 0, last)


def involving(organisation_ids: Iterable[int], *, as_school: bool) -> QuerySet[Activity]:
    """The activities (ids) an organisation took part in: its pupils' groups for a school, its
    presence among the partners for the others; or recorded for it."""
    ids = list(organisation_ids)
    if as_school:
        took_part = ActivityGroup.objects.filter(school__in=ids).values("activity")
    else:
        took_part = Activity.organisations.through.objects.filter(organisation__in=ids).values("activity")
    # ``pk IN (subquery)`` rather than a join: a LEFT JOIN under an OR made PostgreSQL scan every
    # activity (≈ 1 s at 50,000); the subquery reads the organisation's index alone.
    return Activity.objects.filter(Q(pk__in=took_part) | Q(recorded_for__in=ids)).values("pk")
