"""A commitment's target for a school year, per metric: the one set explicitly on the commitment
(``CommitmentTarget``), else the sum of the targets of the plan's actions that serve it.

Aggregated in the database (two queries whatever the number of actions), for the plan page and
the indicators alike.
"""

from collections.abc import Iterable

from django.db.models import QuerySet, Sum

from partenariats.activities.models import ActionTarget, CommitmentTarget
from partenariats.conventions.models import Convention
from partenariats.core.school_year import SchoolYear

TargetKey = tuple[int, str]  # (commitment id, metric)
Conventions = Convention | QuerySet | Iterable[int]


def _start_year(year: SchoolYear | int) -> int:
    return year.start_year if isinstance(year, SchoolYear) else int(year)


def _of(prefix: str, conventions: Conventions) -> dict:
    """A filter on one convention, or on several (a queryset of conventions or their ids)."""
    if isinstance(conventions, Convention):
        return {prefix: conventions.pk}
    if isinstance(conventions, QuerySet):
        return {f"{prefix}__in": conventions.values("pk")}
    return {f"{prefix}__in": list(conventions)}


def summed_targets(
    conventions: Conventions, year: SchoolYear | int, *, public_only: bool = False
) -> dict[TargetKey, int]:
    """Per commitment and metric, the sum of the targets of that year's actions serving it
    (without the confidential actions' if ``public_only``: what a non-party may see).

    An action serving two commitments counts toward each of them (once each)."""
    targets = ActionTarget.objects.filter(
        **_of("action__plan__convention", conventions),
        action__plan__school_year=_start_year(year),
        action__commitments__isnull=False,
    )
    if public_only:
        targets = targets.filter(action__confidential=False)
    rows = targets.values_list("action__commitments", "metric").annotate(total=Sum("value")).order_by()
    return {(commitment_id, metric): total for commitment_id, metric, total in rows}


def explicit_targets(conventions: Conventions, year: SchoolYear | int) -> dict[TargetKey, int]:
    """Per commitment and metric, the target set on the commitment itself for that year."""
    rows = CommitmentTarget.objects.filter(
        **_of("commitment__convention", conventions), school_year=_start_year(year)
    ).values_list("commitment_id", "metric", "value")
    return {(commitment_id, metric): value for commitment_id, metric, value in rows}


def commitment_targets(
    conventions: Conventions, year: SchoolYear | int, *, public_only: bool = False
) -> dict[TargetKey, int]:
    """``{(commitment id, metric): target}`` for the commitments of ``conventions`` (a convention,
    a queryset of conventions or convention ids) in the school year ``year`` (a SchoolYear or its
    starting year): the explicit target where one is set, else the sum of the actions' targets.
    Commitments and metrics without any target are absent. Confidential commitments are
    included: filter them with ``Commitment.objects.visible_to`` before showing."""
    return summed_targets(conventions, year, public_only=public_only) | explicit_targets(conventions, year)
