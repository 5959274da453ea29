"""Indicators computed in the database: which activities count, and how they add up.

An activity counts when it is live (not withdrawn), belongs to the school year and a
confirmed contribution ties it to a convention. It counts toward a convention or an action
through a confirmed contribution naming it, toward a commitment through one naming the
commitment or an action serving it. Every total counts an activity once: sets of activities
are built with ``pk__in`` and ``Exists`` subqueries, never by joining rows and summing
them (the figures of many rows at once are in ``by_row``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from partenariats.activities.models import (
    ActionTarget,
    Activity,
    ActivityGroup,
    Contribution,
    Metric,
    readable_by,
)
from partenariats.conventions.models import Commitment, Convention, ConventionStatus
from partenariats.core.access import scope_of
from partenariats.directory.models import Organisation, OrganisationKind

# The statuses of a convention being carried out (its commitments are expected to be met).
RUNNING_STATUSES = (
    ConventionStatus.ACTIVE,
    ConventionStatus.UNDER_NOTICE,
    ConventionStatus.PROVISIONAL_CONTINUATION,
)
METRICS = [metric.value for metric in Metric]
Organisations = Activity.organisations.through


def hours_field() -> DecimalField:
    return DecimalField(max_digits=12, decimal_places=1)


# --- Which activities count -------------------------------------------------------------


def year_activities(year: int) -> QuerySet[Activity]:
    """Live activities of the school year that a confirmed contribution ties to a convention."""
    return (
        Activity.objects.live()
        .filter(school_year=year)
        .filter(Exists(Contribution.objects.filter(activity=OuterRef("pk"), confirmed=True)))
    )


def convention_activities(convention: Convention, year: int, *, party_staff: bool) -> QuerySet[Activity]:
    """The activities counting toward a convention; confidential ones only for its parties' staff."""
    activities = year_activities(year).filter(
        pk__in=Contribution.objects.filter(convention=convention, confirmed=True).values("activity")
    )
    return activities if party_staff else activities.filter(confidential=False)


def organisation_activities(organisation: Organisation, year: int, user) -> QuerySet[Activity]:
    """The activities an organisation took part in (as a partner or with its pupils), among
    those ``user`` may read (its own staff read them all)."""
    activities = year_activities(year).filter(
        Q(pk__in=ActivityGroup.objects.filter(school=organisation).values("activity"))
        | Q(pk__in=Organisations.objects.filter(organisation=organisation).values("activity"))
    )
    scope = scope_of(user)
    readable = readable_by(user)
    if readable is None or organisation.pk in scope.organisation_ids:
        return activities
    # The reader's condition on these activities only: ``pk IN`` every activity the reader may
    # read would make the database list them all (hundreds of thousands) on each query.
    return activities.filter(readable)


def territory_activities(year: int, *, academy=None, basin=None) -> QuerySet[Activity]:
    """The activities that took place in an académie or a bassin (its staff read them all)."""
    if basin is not None:
        return year_activities(year).filter(basin=basin)
    return year_activities(year).filter(academy=academy)


# --- What a set of activities adds up to ------------------------------------------------


@dataclass(frozen=True)
class Summary:
    activities: int
    pupils: int
    prepared_and_exploited: int
    classes: int
    teachers: int
    professionals: int
    hours: Decimal
    schools: int
    companies: int

    @property
    def prepared_rate(self) -> float | None:
        """Share of the activities prepared with the pupils and exploited afterwards, in %."""
        return rate(self.prepared_and_exploited, self.activities)

    def value(self, metric: str):
        return {
            Metric.PUPILS: self.pupils,
            Metric.CLASSES: self.classes,
            Metric.SCHOOLS: self.schools,
            Metric.COMPANIES: self.companies,
            Metric.PROFESSIONALS: self.professionals,
            Metric.TEACHERS: self.teachers,
            Metric.EVENTS: self.activities,
            Metric.HOURS: self.hours,
        }[metric]


def rate(part, whole) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal; None when there is no whole."""
    if not whole:
        return None
    return round(float(part) * 100 / float(whole), 1)


def _sums() -> dict:
    """The figures summed over a set of activities (the summary's, but schools and companies)."""
    return {
        "activities": Count("pk"),
        "pupils": Coalesce(Sum("pupil_participations"), 0),
        "prepared_and_exploited": Count("pk", filter=Q(prepared_with_pupils=True, exploited_afterwards=True)),
        "classes": Coalesce(Sum("class_count"), 0),
        "teachers": Coalesce(Sum("teacher_count"), 0),
        "professionals": Coalesce(Sum("professional_count"), 0),
        "hours": Coalesce(Sum("hours"), Value(Decimal(0)), output_field=hours_field()),
    }


def grouped_totals(activities: QuerySet[Activity], *columns: str) -> list[dict]:
    """The summed figures of ``activities`` per value of their own ``columns``, in one query.

    Each activity falls in exactly one group, so the summary and every breakdown by some of those
    columns add up from these rows (``summarise(…, groups)``, ``breakdown``) instead of filtering
    the activities again for each of them."""
    return list(Activity.objects.filter(pk__in=activities.values("pk")).values(*columns).annotate(**_sums()).order_by())


def summarise(activities: QuerySet[Activity], groups: list[dict] | None = None) -> Summary:
    """The summary figures of a set of activities (three queries, two given its ``grouped_totals``)."""
    ids = activities.values("pk")
    if groups is None:
        totals = Activity.objects.filter(pk__in=ids).aggregate(**_sums())
    else:
        totals = {key: sum((group[key] for group in groups), Decimal(0) if key == "hours" else 0) for key in _sums()}
    schools = reached_schools(activities).count()
    companies = (
        Organisations.objects.filter(activity__in=ids, organisation__kind=OrganisationKind.COMPANY)
        .values("organisation")
        .distinct()
        .count()
    )
    return Summary(**totals, schools=schools, companies=companies)


def reached_schools(activities: QuerySet[Activity]) -> QuerySet[Organisation]:
    """The schools whose pupils took part in one of ``activities``."""
    return Organisation.objects.filter(
        pk__in=ActivityGroup.objects.filter(activity__in=activities.values("pk"), school__isnull=False).values("school")
    )


def schools_coverage(activities: QuerySet[Activity], territory_schools: QuerySet[Organisation]) -> dict:
    """Schools reached among the active schools of a territory, and the rate."""
    territory = territory_schools.filter(kind=OrganisationKind.SCHOOL, is_active=True)
    total = territory.count()
    reached = reached_schools(activities).filter(pk__in=territory.values("pk")).count()
    return {"reached": reached, "total": total, "rate": rate(reached, total)}


# --- Targets ------------------------------------------------------------------------------


def action_targets(actions: QuerySet) -> dict[int, dict[str, int]]:
    """action pk → metric → target."""
    targets: dict[int, dict[str, int]] = {}
    for action_id, metric, value in ActionTarget.objects.filter(action__in=actions.values("pk")).values_list(
        "action", "metric", "value"
    ):
        targets.setdefault(action_id, {})[metric] = value
    return targets


# --- Breakdowns (grouped on the activities' own columns: no join multiplies a row) -----------


def breakdown(groups: list[dict], *columns: str) -> list[dict]:
    """Activities and pupil participations per value of ``columns``, added up from ``grouped_totals``
    rows, the most active first (then by the columns, as the database orders them)."""
    merged: dict[tuple, dict] = {}
    for group in groups:
        key = tuple(group[column] for column in columns)
        row = merged.setdefault(key, {**dict(zip(columns, key, strict=True)), "activities": 0, "pupils": 0})
        row["activities"] += group["activities"]
        row["pupils"] += group["pupils"]
    return sorted(merged.values(), key=lambda row: (-row["activities"], *(_ordered(row[c]) for c in columns)))


def _ordered(value) -> tuple:
    """A sort key putting NULL where the database's ``ORDER BY`` does: last on PostgreSQL, first on SQLite."""
    if value is None:
        return (1 if connection.features.nulls_order_largest else -1, 0)
    return (0, value)


def pupils_by_level_and_priority(activities: QuerySet[Activity]) -> list[dict]:
    """Pupil participations per (level, éducation prioritaire status of the school); the status is
    None for groups whose school is not known."""
    return list(
        ActivityGroup.objects.filter(activity__in=activities.values("pk"))
        .values("level", "school__priority_education")
        .annotate(pupils=Sum("pupils"))
        .order_by("level", "school__priority_education")
    )


def readable_commitments(user, conventions: QuerySet[Convention]) -> QuerySet[Commitment]:
    """The commitments of ``conventions`` ``user`` may know of: confidential ones only for the
    staff of the convention's parties (as ``Commitment.objects.visible_to`` for one)."""
    scope = scope_of(user)
    commitments = Commitment.objects.filter(convention__in=conventions.values("pk"))
    if scope.is_platform_admin:
        return commitments
    party_conventions = Convention.objects.filter(
        Q(academies__in=scope.academy_ids) | Q(parties__organisation__in=scope.organisation_ids)
    ).values("pk")
    return commitments.filter(Q(confidential=False) | Q(convention__in=party_conventions))
