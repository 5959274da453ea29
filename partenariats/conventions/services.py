"""Workflows on conventions: every change goes through here, in a transaction, with its history."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from partenariats import terms
from partenariats.conventions.models import Convention, ConventionEvent, EventKind

# Engine output keys cached on the convention for list filters and the dashboard.
CACHED_DATES = ("period_start", "period_end", "notice_deadline", "effective_end", "provisional_until")


class StaleVersion(Exception):
    """The convention changed since the form was opened: the change is refused, not merged."""

    def __init__(self, current: Convention):
        super().__init__("La convention a été modifiée entre-temps.")
        self.current = current


def timeline(convention: Convention, on: date) -> dict:
    """The terms engine's answer for this convention on ``on`` (the CLI's JSON)."""
    return terms.compute(convention.terms_input(), on)


def refresh_terms(convention: Convention, today: date | None = None) -> dict:
    """Recompute and cache the status and dates the lists filter on; return the engine's answer."""
    today = today or timezone.localdate()
    result = timeline(convention, today)
    convention.status = result["status"]
    convention.status_computed_on = today
    for key in CACHED_DATES:
        value = result[key]
        setattr(convention, key, date.fromisoformat(value) if value else None)
    convention.ends_on = (
        convention.effective_end
        or convention.provisional_until
        or (convention.period_end if not convention.tacit_renewal else None)
    )
    convention.search_text = convention.build_search_text()
    Convention.objects.filter(pk=convention.pk).update(
        status=convention.status,
        status_computed_on=today,
        ends_on=convention.ends_on,
        search_text=convention.search_text,
        **{key: getattr(convention, key) for key in CACHED_DATES},
    )
    return result


@transaction.atomic
def save_convention(convention: Convention, *, expected_version: int, changed_by=None) -> Convention:
    """Save an edited convention unless someone saved it since ``expected_version`` was read."""
    current = Convention.objects.select_for_update().get(pk=convention.pk)
    if current.version != expected_version:
        raise StaleVersion(current)
    convention.version = current.version + 1
    if changed_by is not None:
        convention._history_user = changed_by
    convention.save()
    refresh_terms(convention)
    return convention


def bump_version(convention: Convention, *, expected_version: int | None = None) -> None:
    """Mark the convention changed (a party, an article, an event…): forms opened before go stale."""
    current = Convention.objects.select_for_update().get(pk=convention.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    convention.version = current.version + 1
    Convention.objects.filter(pk=convention.pk).update(version=convention.version, updated_at=timezone.now())


@transaction.atomic
def record_event(
    convention: Convention,
    *,
    kind: str,
    on: date,
    by_user,
    expected_version: int | None = None,
    **details,
) -> ConventionEvent:
    """Record a life event (renewal, renegotiation, notice, termination) and recompute the terms."""
    if kind not in EventKind.values:
        raise ValueError(f"Unknown event kind {kind!r}")
    bump_version(convention, expected_version=expected_version)
    event = ConventionEvent(convention=convention, kind=kind, date=on, recorded_by=by_user, **details)
    event._history_user = by_user
    event.save()
    refresh_terms(convention)
    return event
