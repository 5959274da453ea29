"""The deadlines someone must act on, read from the terms engine's timeline of each convention.

A deadline is one dated thing to do or to know in time: the last day to give notice before a
tacit renewal, the end of the term, the end of a provisional continuation, the yearly steering
committee, the yearly contact-list exchange and, with a lower priority, the yearly named events
(Mois de l'ESS…). The digest (``alerts``), the dashboard's « À traiter » panel and the personal
ICS feed (``feeds``) all read them from here.

Running the engine is cheap, loading a convention is not: ``upcoming`` first narrows the
conventions in SQL with the cached terms (``status``, ``period_end``, ``notice_deadline``,
``effective_end``, ``provisional_until``, refreshed daily), then loads the candidates with
``Convention.TERMS_PREFETCH`` in a fixed number of queries.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from partenariats import terms
from partenariats.conventions import services
from partenariats.conventions.models import Convention, ConventionStatus
from partenariats.terms.dates import french

logger = logging.getLogger(__name__)

NOTICE_DEADLINE = "notice_deadline"
END_OF_TERM = "end_of_term"
PROVISIONAL_END = "provisional_end"
STEERING_COMMITTEE = "steering_committee"
CONTACT_EXCHANGE = "contact_exchange"
NAMED_EVENT = "named_event"

# Short French titles, in order of importance.
KIND_LABELS: dict[str, str] = {
    NOTICE_DEADLINE: "Date limite de préavis",
    END_OF_TERM: "Fin de la convention",
    PROVISIONAL_END: "Fin du maintien provisoire",
    STEERING_COMMITTEE: "Comité de pilotage",
    CONTACT_EXCHANGE: "Échange des listes de contacts",
    NAMED_EVENT: "Événement annuel",
}
ALL_KINDS = tuple(KIND_LABELS)
# What the digest and the dashboard announce: the named events only go to the calendar feed.
ALERT_KINDS = tuple(kind for kind in ALL_KINDS if kind != NAMED_EVENT)

# Statuses after which nothing falls due any more (the term is over, or it never started).
ENDED_STATUSES = (ConventionStatus.EXPIRED, ConventionStatus.TERMINATED, ConventionStatus.UNKNOWN)
# Once a provisional continuation is over, the cache keeps only the lapsed period's end: a
# continuation ends at most this long after it (the texts say six months; three years is ample).
PROVISIONAL_SLACK = timedelta(days=3 * 366)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class Deadline:
    """One dated deadline of one convention."""

    convention: Convention
    kind: str
    due_on: date
    label: str

    @property
    def title(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def priority(self) -> int:
        """0 is the most important."""
        return ALL_KINDS.index(self.kind)

    @property
    def uid(self) -> str:
        """Stable across feeds and runs: the same deadline keeps its calendar event."""
        return f"{self.convention.pk}-{self.kind}-{self.due_on.isoformat()}@partenariats"

    @property
    def due_on_text(self) -> str:
        """« mardi 1er décembre 2026 »."""
        return f"{WEEKDAYS[self.due_on.weekday()]} {french(self.due_on)}"

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days

    def is_overdue(self, today: date) -> bool:
        return self.due_on < today


# The timeline knows when a yearly steering committee falls due, not whether it was already
# convened or held: the app that records meetings (higher up) settles those deadlines. A settler
# receives every deadline found for a set of conventions and returns them, some dropped or
# reworded, in a fixed number of queries. Registered once, by its app's ``ready()``.
Settler = Callable[[list["Deadline"]], list["Deadline"]]
SETTLERS: list[Settler] = []


def register_settler(settler: Settler) -> None:
    if settler not in SETTLERS:
        SETTLERS.append(settler)


def settle(deadlines: list["Deadline"]) -> list["Deadline"]:
    """``deadlines`` once every registered settler has seen them, sorted by date then importance."""
    for settler in SETTLERS:
        deadlines = settler(deadlines)
    return sorted(deadlines, key=lambda d: (d.due_on, d.priority))


def read_timeline(convention: Convention, timeline: list[dict]) -> list[Deadline]:
    """The deadlines in the engine's timeline, one per kind and day, sorted by date then importance.

    A period end followed by a renewal the next day is no deadline (the notice deadline before
    it is); a notice deadline after a notice or a termination has nothing left to prevent; the
    engine's ``expired`` (the first day out of force) is the end of the term on the day before.
    """
    entries = [(date.fromisoformat(entry["date"]), entry["kind"], entry["label"]) for entry in timeline]
    renewal_days = {day for day, kind, _ in entries if kind == "renewal"}
    provisional_days = [day for day, kind, _ in entries if kind == "provisional_end"]
    stopped_on = min((day for day, kind, _ in entries if kind in ("notice_given", "terminated")), default=None)
    found: dict[tuple[str, date], str] = {}
    expired_days = []
    for day, kind, label in entries:
        if kind == "notice_deadline":
            if stopped_on is None or day < stopped_on:
                found[(NOTICE_DEADLINE, day)] = label
        elif kind == "period_end":
            if day + timedelta(days=1) in renewal_days:
                continue
            if any(day < end for end in provisional_days):
                label = "Fin de la période en cours ; la convention est maintenue pendant la renégociation"
            else:
                label = "Dernier jour d’application : la convention n’est pas reconduite tacitement"
            found.setdefault((END_OF_TERM, day), label)
        elif kind == "effective_end":
            found[(END_OF_TERM, day)] = "Dernier jour d’application de la convention (préavis ou résiliation)"
        elif kind == "expired":
            expired_days.append(day - timedelta(days=1))
        elif kind == "provisional_end":
            found[(PROVISIONAL_END, day)] = "Fin du maintien provisoire pendant la renégociation"
        elif kind == "steering_committee":
            found[(STEERING_COMMITTEE, day)] = (
                "Réunir le comité de pilotage annuel : bilan de l’année et plan de partenariat"
            )
        elif kind == "contact_exchange":
            found[(CONTACT_EXCHANGE, day)] = label
        elif kind == "named_event":
            found[(NAMED_EVENT, day)] = label
    for day in expired_days:
        if (END_OF_TERM, day) not in found and (PROVISIONAL_END, day) not in found:
            found[(END_OF_TERM, day)] = "Dernier jour d’application : la convention expire le lendemain"
    deadlines = [Deadline(convention, kind, day, label) for (kind, day), label in found.items()]
    return sorted(deadlines, key=lambda d: (d.due_on, d.priority))


def deadlines_of(
    convention: Convention,
    today: date,
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: Iterable[str] = ALL_KINDS,
) -> list[Deadline]:
    """The convention's deadlines from ``start`` to ``end`` (both included), as the engine sees them on
    ``today``, before ``settle``: callers settle the deadlines of all their conventions at once."""
    try:
        timeline = services.timeline(convention, today)["timeline"]
    except terms.TermsInputError:
        # A convention the engine cannot read has no computable deadline; its page says why.
        logger.warning("Terms of convention %s cannot be computed", convention.pk, exc_info=True)
        return []
    kinds = set(kinds)
    return [
        deadline
        for deadline in read_timeline(convention, timeline)
        if deadline.kind in kinds
        and (start is None or deadline.due_on >= start)
        and (end is None or deadline.due_on <= end)
    ]


def may_fall_due(conventions: QuerySet[Convention], start: date) -> QuerySet[Convention]:
    """The conventions that may still have a deadline on or after ``start``, read from the cached terms.

    A convention in force (or not yet) always may (its yearly committee); one that ended may
    only up to its last day, which the cached dates give.
    """
    recent_end = (
        Q(effective_end__gte=start)
        | Q(period_end__gte=start)
        | Q(provisional_until__gte=start)
        | Q(notice_deadline__gte=start)
        | Q(provisional_extension_months__isnull=False, period_end__gte=start - PROVISIONAL_SLACK)
    )
    return conventions.filter(~Q(status__in=ENDED_STATUSES) | Q(status_computed_on__isnull=True) | recent_end)


def followed_by(user) -> QuerySet[Convention]:
    """The conventions ``user`` owns or follows, among those they may still see."""
    owned = Convention.owners.through.objects.filter(user=user).values("convention")
    followed = Convention.followers.through.objects.filter(user=user).values("convention")
    return Convention.objects.for_user(user).filter(Q(pk__in=owned) | Q(pk__in=followed))


def upcoming(
    conventions: QuerySet[Convention],
    today: date,
    *,
    start: date,
    end: date,
    kinds: Iterable[str] = ALERT_KINDS,
) -> list[Deadline]:
    """The deadlines of ``conventions`` from ``start`` to ``end``, sorted by date then importance.

    A fixed number of queries whatever the number of conventions.
    """
    kinds = tuple(kinds)
    candidates = may_fall_due(conventions, start).prefetch_related(*Convention.TERMS_PREFETCH)
    found = settle(
        [
            deadline
            for convention in candidates
            for deadline in deadlines_of(convention, today, start=start, end=end, kinds=kinds)
        ]
    )
    return sorted(found, key=lambda d: (d.due_on, d.priority, d.convention.title.lower(), d.convention.pk))
