"""The same figures for many rows at once (conventions, actions, commitments, parties).

An activity counts toward a row through one or several confirmed contributions (and, for a
commitment or a party, through the actions serving its commitments), so its rows are first
reduced to distinct (row, activity) pairs, in the database: ``SELECT DISTINCT`` for one
path, ``UNION`` for two. The figures are then one grouped query over those pairs joined to
the activities: each activity counts once per row, and the work grows with the number of
pairs, never with rows × activities. Django's ORM cannot group over a derived table, hence
the few lines of SQL below, built from the models' own table and column names and from the
SQL Django compiles for the pairs, every value passed as a parameter (hence the ``noqa: S608``).
"""

from decimal import Decimal

from django.db import connection
from django.db.models import F, QuerySet

from partenariats.activities.models import Action, Activity, ActivityGroup, Contribution, Metric
from partenariats.directory.models import Organisation, OrganisationKind

ActionCommitments = Action.commitments.through
Organisations = Activity.organisations.through
# The activity column each summed metric adds up.
SUMMED_COLUMNS = {
    Metric.PUPILS: "pupil_participations",
    Metric.CLASSES: "class_count",
    Metric.PROFESSIONALS: "professional_count",
    Metric.TEACHERS: "teacher_count",
    Metric.HOURS: "hours",
}
ONE_TENTH = Decimal("0.1")


def _confirmed(activities: QuerySet[Activity]) -> QuerySet[Contribution]:
    return Contribution.objects.filter(confirmed=True, activity__in=activities.values("pk")).order_by()


def _serving(activities: QuerySet[Activity]) -> QuerySet:
    """(action, commitment) links whose action a confirmed contribution of ``activities`` names."""
    return ActionCommitments.objects.filter(
        action__contributions__confirmed=True, action__contributions__activity__in=activities.values("pk")
    ).order_by()


def convention_pairs(activities: QuerySet[Activity], conventions: QuerySet) -> QuerySet:
    return (
        _confirmed(activities)
        .filter(convention__in=conventions.values("pk"))
        .values(row_id=F("convention"), act_id=F("activity"))
        .distinct()
    )


def action_pairs(activities: QuerySet[Activity], actions: QuerySet) -> QuerySet:
    return (
        _confirmed(activities)
        .filter(action__in=actions.values("pk"))
        .values(row_id=F("action"), act_id=F("activity"))
        .distinct()
    )


def commitment_pairs(activities: QuerySet[Activity], commitments: QuerySet, *, public_only: bool = False) -> QuerySet:
    """A commitment's activities: named by a contribution, or through an action serving it
    (not through a confidential action if ``public_only``)."""
    ids = commitments.values("pk")
    direct = _confirmed(activities).filter(commitment__in=ids).values(row_id=F("commitment"), act_id=F("activity"))
    serving = _serving(activities).filter(commitment__in=ids)
    if public_only:
        serving = serving.filter(action__confidential=False)
    through = serving.values(row_id=F("commitment"), act_id=F("action__contributions__activity"))
    return direct.union(through)


def party_pairs(activities: QuerySet[Activity], parties: QuerySet, *, public_only: bool) -> QuerySet:
    """A party's activities: those counting toward its commitments (the non-confidential ones only, if asked)."""
    ids = parties.values("pk")
    direct = _confirmed(activities).filter(commitment__party__in=ids)
    through = _serving(activities).filter(commitment__party__in=ids)
    if public_only:
        direct = direct.filter(commitment__confidential=False)
        through = through.filter(commitment__confidential=False, action__confidential=False)
    return direct.values(row_id=F("commitment__party"), act_id=F("activity")).union(
        through.values(row_id=F("commitment__party"), act_id=F("action__contributions__activity"))
    )


def _run(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def realised_by_row(pairs: QuerySet, metrics) -> dict[int, dict[str, int | Decimal]]:
    """row id → metric → realised value, over the distinct (row, activity) ``pairs``; rows
    without any activity are absent. One query, two when schools or companies are asked for."""
    pairs_sql, pairs_params = pairs.query.sql_with_params()
    activity, activity_pk = _table(Activity), _column(Activity, "id")
    summed = [metric for metric in SUMMED_COLUMNS if metric in metrics]
    columns = ", ".join(["COUNT(*)", *(f"SUM(a.{_column(Activity, SUMMED_COLUMNS[m])})" for m in summed)])
    figures: dict[int, dict] = {}
    sql = (
        f"SELECT p.row_id, {columns} FROM ({pairs_sql}) p "  # noqa: S608
        f"INNER JOIN {activity} a ON a.{activity_pk} = p.act_id GROUP BY p.row_id"
    )
    for row_id, events, *sums in _run(sql, pairs_params):
        figures[row_id] = {Metric.EVENTS: events}
        for metric, value in zip(summed, sums, strict=True):
            figures[row_id][metric] = _number(metric, value)
    distinct = [metric for metric in (Metric.SCHOOLS, Metric.COMPANIES) if metric in metrics]
    if distinct:
        sql, params = _distinct_counts_sql(pairs_sql, distinct)
        for row_id, *counts in _run(sql, [*params, *pairs_params]):
            figures.setdefault(row_id, {Metric.EVENTS: 0}).update(zip(distinct, counts, strict=True))
    return figures


def _distinct_counts_sql(pairs_sql: str, metrics: list[str]) -> tuple[str, list]:
    """Schools and companies per row: distinct counts, so that joining both does not inflate them."""
    counts, joins, params = [], [], []
    if Metric.SCHOOLS in metrics:
        counts.append(f"COUNT(DISTINCT g.{_column(ActivityGroup, 'school')})")
        joins.append(f"LEFT JOIN {_table(ActivityGroup)} g ON g.{_column(ActivityGroup, 'activity')} = p.act_id")
    if Metric.COMPANIES in metrics:
        organisation = _column(Organisations, "organisation")
        counts.append(f"COUNT(DISTINCT CASE WHEN k.{_column(Organisation, 'kind')} = %s THEN o.{organisation} END)")
        params.append(OrganisationKind.COMPANY.value)
        joins.append(f"LEFT JOIN {_table(Organisations)} o ON o.{_column(Organisations, 'activity')} = p.act_id")
        joins.append(f"LEFT JOIN {_table(Organisation)} k ON k.{_column(Organisation, 'id')} = o.{organisation}")
    sql = f"SELECT p.row_id, {', '.join(counts)} FROM ({pairs_sql}) p {' '.join(joins)} GROUP BY p.row_id"  # noqa: S608
    return sql, params


def _number(metric: str, value) -> int | Decimal:
    if value is None:
        value = 0
    if metric == Metric.HOURS:
        # SQLite sums decimals as floats.
        return Decimal(str(value)).quantize(ONE_TENTH)
    return int(value)


def realised(figures: dict[int, dict], row_id: int, metrics) -> dict[str, int | Decimal]:
    """One row's figures, zero where nothing was done."""
    found = figures.get(row_id, {})
    zero = {Metric.HOURS: Decimal("0.0")}
    return {metric: found.get(metric, zero.get(metric, 0)) for metric in metrics}


def commitments_without_activity(commitments: QuerySet, activities: QuerySet[Activity]) -> QuerySet:
    """Those of ``commitments`` that none of ``activities`` counts toward (directly or through an action)."""
    named = _confirmed(activities).filter(commitment__isnull=False).values("commitment")
    served = _serving(activities).values("commitment")
    return (
        commitments.exclude(pk__in=named)
        .exclude(pk__in=served)
        .select_related("convention", "party__organisation", "article")
    )
