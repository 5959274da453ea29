"""The terms engine: what a convention's term clauses mean on any date. Pure Python, no Django.

``compute(data, on)`` takes the reader's JSON shape (``shared/seeds/truth/README.md``: only
``terms`` is required) and returns the JSON that ``partenariats timeline`` prints and that
``GET /api/conventions/{id}/timeline?on=`` serves.

Input, beyond the reader's keys (unknown keys are ignored)
- ``zone`` (A, B, C, corse, guadeloupe, guyane, martinique, mayotte, reunion) and ``academie``.
- ``events``: ``{"kind": "notice_given", "date", "by"?}``, ``{"kind": "renegotiation_opened",
  "date"}``, ``{"kind": "renewed", "date", "months"?}``, ``{"kind": "terminated", "date"}``,
  ``{"kind": "amended", "date", "terms": {…only the keys that change…}}``. Events are facts: all
  of them count whatever ``on`` is; ``on`` only selects the period and the status.
- ``obligations``: ``{"steering_committee": true|false, "steering_committee_month": 1-12,
  "contact_exchange_month": 1-12}`` and ``named_events``: ``[{"name", "month", "day"?}]``.

Rules
1. Dates are ``YYYY-MM-DD``. A ``YYYY-MM`` date (a text dated "mai 2018") counts as the 1st of
   the month, which puts every deadline at its earliest, and says so in ``assumptions``.
2. A period's end is its last day in force: start + N months (day clamped to the month's last
   day) − 1 day; the next period starts the day after. 2020-02-29 + 12 months → 2021-02-27.
3. The start is ``terms.start`` when it is a date, else ``signature_date``, else the latest
   legible date in ``signatures``; with none of them the status is ``unknown`` and every date
   is null.
4. Term: ``terms.indefinite`` true, or no duration → open-ended (an assumption when
   ``indefinite`` is not stated). Tacit renewal (``tacit_renewal`` true) adds periods of
   ``renewal_months`` (else the initial duration, with an assumption) for ever; ``null`` is
   read as no tacit renewal, with an assumption. A ``renewed`` event dated on or before a
   period's end starts the next period the day after that end (``months`` or the renewal
   length); dated during a provisional continuation, it starts the new period on its date.
   A renewal after the convention ended is ignored (record a new convention).
5. An amendment applies from its date: a period's length is re-read from the terms in force
   after each amendment dated inside it (never ending before the amendment's own date);
   renewal and provisional continuation follow the terms in force on the period's last day,
   a notice's effect the terms in force on its receipt. ``terms.start`` cannot be amended.
6. Status on ``on``: ``unknown`` (no start) → ``terminated``/``expired`` after the last day in
   force (``terminated`` when a notice or a ``terminated`` event set that day, ``expired`` when
   the term ran out) → ``draft`` before the first signature, ``awaiting_signatures`` before the
   last one → ``signed_not_started`` before the start → ``under_notice`` from a valid notice's
   receipt → ``provisional_continuation`` → ``active``.
7. ``notice_deadline``: when the current period renews tacitly, its end − ``notice_months``
   months (same clamping): the last day on which a notice, dated at receipt, still prevents
   the renewal. Null without tacit renewal, when the notice takes effect at the next school
   year start or on a fixed date (then notice can be given at any time), and once the
   convention has ended or is in provisional continuation.
8. ``effective_end`` (the last day in force once notice is given or the convention is
   terminated; null otherwise), per ``terms.termination_effect`` in force on receipt:
   ``end_of_notice``: receipt + ``notice_months`` months − 1 day; ``end_of_period``: the end
   of the period of receipt when received on or before its notice deadline, else the end of
   the next period; ``next_school_year_start``: the day before the first school year start
   strictly after the receipt (after the end of the notice when ``notice_months`` is given);
   ``fixed_date``: ``terms.termination_date`` (with no duration stated, that date also ends
   the initial period: "prend fin le 31 août 2025"). No effect stated: end of notice when
   ``notice_months`` is given, else end of period (assumption). A ``terminated`` event's date
   is the first day no longer in force: the last day is the day before. With several, the
   earliest last day wins; a natural expiry that comes first wins too.
9. Provisional continuation starts only with a ``renegotiation_opened`` event dated within the
   period, when that period is not renewed and ``provisional_extension_months`` is set; it
   lasts until the earliest of end + N months (as a period starting the day after the end), a
   ``renewed`` event (the day before it) or the last day in force. Meanwhile ``period_*``
   keep the lapsed period; ``provisional_until`` gives its last day (also shown from the
   renegotiation's opening).
10. ``in_renewal_window``: true when the status is ``active`` and ``on`` falls in the three
   months up to and including the decision day — the notice deadline when there is one (the
   last chance to stop a tacit renewal), else the period's end (the last chance to renew, or
   to open a renegotiation that keeps the convention alive): ``decision day − 3 months <
   on ≤ decision day``.
11. School year start: see ``school_calendar`` (official data for zones A/B/C, a sourced table
   for Corse and overseas, else 1 September with an assumption). Zone: ``zone`` > ``academie``
   > the first party of kind ``education`` whose name (else its representative's title) names
   an académie or a région académique > unknown (1 September, assumption).
12. Timeline: every dated fact from the first signature to five years after ``on``, sorted by
   date, ``kind`` from ``TIMELINE_KINDS``. Recurring obligations run while the convention is in
   force: the steering committee every year on the start's anniversary (or on the 1st of
   ``steering_committee_month``; ``steering_committee: false`` drops it), the contact-list
   exchange on the 1st of ``contact_exchange_month``, each named event on its ``day`` (or the
   1st) of its month; school year starts are listed when the notice takes effect at one.

Timeline kinds (closed list, ``TIMELINE_KINDS``): ``signature`` (one per dated signatory),
``start``, ``amendment``, ``renewal`` (a period starting by tacit renewal or by a ``renewed``
event, and the event itself), ``school_year_start``, ``steering_committee``,
``contact_exchange``, ``named_event``, ``renegotiation_opened``, ``notice_given``,
``notice_deadline``, ``period_end``, ``provisional_end``, ``effective_end``, ``terminated``
(a ``terminated`` event), ``expired`` (the first day after a term that ran out).

Output keys (``OUTPUT_KEYS``, always all present): ``status``, ``status_label``,
``in_renewal_window``, ``period_start``, ``period_end``, ``notice_deadline``, ``effective_end``,
``provisional_until`` (ISO dates or null), ``assumptions`` (French sentences), ``timeline``
(``[{"date", "kind", "label"}]``).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from partenariats.terms.dates import MAX_YEAR, MIN_YEAR, ONE_DAY, add_months, french, period_last_day
from partenariats.terms.inputs import Dated, Event, Input, Terms, TermsInputError, amend, check_terms, read_input
from partenariats.terms.school_calendar import first_school_year_start_after, school_year_start
from partenariats.terms.wording import EFFECT_LABELS, EVENT_DATE_NAMES, TERM_LABELS, ZONE_LABELS, ZONE_NAMES
from partenariats.terms.zones import academy_zone, zone_in_text

STATUS_LABELS: dict[str, str] = {
    "draft": "Projet (non signée)",
    "awaiting_signatures": "En attente de signatures",
    "signed_not_started": "Signée, pas encore en vigueur",
    "active": "En vigueur",
    "under_notice": "En préavis",
    "provisional_continuation": "Maintien provisoire pendant la renégociation",
    "expired": "Expirée",
    "terminated": "Résiliée",
    "unknown": "Indéterminé (date de début inconnue)",
}
STATUSES = tuple(STATUS_LABELS)

# The closed list of timeline kinds, in the order they sort on one day.
TIMELINE_KINDS = (
    "signature",
    "start",
    "amendment",
    "renewal",
    "school_year_start",
    "steering_committee",
    "contact_exchange",
    "named_event",
    "renegotiation_opened",
    "notice_given",
    "notice_deadline",
    "period_end",
    "provisional_end",
    "effective_end",
    "terminated",
    "expired",
)

OUTPUT_KEYS = (
    "status",
    "status_label",
    "in_renewal_window",
    "period_start",
    "period_end",
    "notice_deadline",
    "effective_end",
    "provisional_until",
    "assumptions",
    "timeline",
)

HORIZON_MONTHS = 60
RENEWAL_WINDOW_MONTHS = 3
MAX_PERIODS = 10_000


@dataclass
class Period:
    start: date
    end: date | None  # None: open-ended
    number: int
    how: str  # "initial", "tacit" or "renewed"


@dataclass
class Provisional:
    start: date
    until: date
    after: int  # number of the lapsed period
    opened: date


def compute(data: dict[str, Any], on: date) -> dict[str, Any]:
    """Status, current period, deadlines, assumptions and timeline of a convention on ``on``.

    Raises ``TermsInputError`` (a ``ValueError`` with a French message) on malformed input.
    """
    if isinstance(on, datetime):
        on = on.date()
    if not isinstance(on, date) or not MIN_YEAR <= on.year <= MAX_YEAR - 10:
        shown = on.isoformat() if isinstance(on, date) else repr(on)
        raise TermsInputError(f"on : date d'évaluation hors limites ({shown}, années {MIN_YEAR} à {MAX_YEAR - 10})")
    return _Computation(read_input(data), on).result()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _month_only(when: Dated) -> str:
    return " (jour inconnu : 1er du mois retenu)" if when.month_only else ""


def _months(count: int) -> str:
    if count % 12 == 0:
        years = count // 12
        return f"{years} an" if years == 1 else f"{years} ans"
    return f"{count} mois"


class _Computation:
    """One evaluation: the input, the date, and the assumptions made on the way."""

    def __init__(self, data: Input, on: date) -> None:
        self.data = data
        self.on = on
        self.horizon = add_months(on, HORIZON_MONTHS)
        self.assumptions: list[str] = []
        self._zone_resolved = False
        self._zone: str | None = None
        self.guessed_rentrees: set[int] = set()

        self.amendments = sorted((e for e in data.events if e.kind == "amended"), key=lambda e: (e.day, e.order))
        self.versions: list[tuple[date | None, Terms]] = [(None, data.terms)]
        for amendment in self.amendments:
            terms = amend(self.versions[-1][1], amendment.changes)
            check_terms(terms, f"events.{amendment.order}.terms")
            self.versions.append((amendment.day, terms))
            self._note_month(amendment.when, EVENT_DATE_NAMES["amended"])
            if "start" in amendment.changes:
                self.assume(
                    f"L'avenant du {french(amendment.day)} modifie le point de départ : un avenant ne "
                    "déplace pas le début de la convention, ce changement est ignoré."
                )

    # -- helpers ---------------------------------------------------------------------------

    def assume(self, sentence: str) -> None:
        if sentence not in self.assumptions:
            self.assumptions.append(sentence)

    def _note_month(self, when: Dated | None, what: str) -> None:
        if when is not None and when.month_only:
            self.assume(
                f"{what[0].upper()}{what[1:]} n'est connue qu'au mois ({when.raw}) : le "
                f"{french(when.day)} est retenu, ce qui place les échéances au plus tôt."
            )

    def terms_at(self, day: date) -> Terms:
        """The terms in force on ``day`` (amendments apply from their date)."""
        terms = self.versions[0][1]
        for since, version in self.versions[1:]:
            if since is not None and since <= day:
                terms = version
        return terms

    def zone(self) -> str | None:
        if not self._zone_resolved:
            self._zone_resolved = True
            self._zone = self._resolve_zone()
        return self._zone

    def _resolve_zone(self) -> str | None:
        data = self.data
        if data.zone:
            return data.zone
        if data.academie:
            zone = academy_zone(data.academie)
            if zone:
                return zone
            self.assume(f"Académie « {data.academie} » non reconnue : la zone de vacances est cherchée ailleurs.")
        education = [party for party in data.parties if party.kind == "education"]
        for party in education:
            zone = zone_in_text(party.name)
            if zone:
                self.assume(f"Zone de vacances ({ZONE_LABELS[zone]}) déduite de la partie « {party.name} ».")
                return zone
        for party in education:
            zone = zone_in_text(party.representative_title or "")
            if zone:
                self.assume(
                    f"Zone de vacances ({ZONE_LABELS[zone]}) déduite du titre du représentant de « {party.name} »."
                )
                return zone
        self.assume("Zone de vacances inconnue : la rentrée scolaire est supposée le 1er septembre.")
        return None

    def rentree_after(self, day: date) -> date:
        rentree, known = first_school_year_start_after(day, self.zone())
        if not known:
            self.guessed_rentrees.add(rentree.year)
        return rentree

    # -- start and signatures --------------------------------------------------------------

    def _signatures(self) -> tuple[Dated | None, date | None]:
        """(the signature date the term counts from, the first signature's day)."""
        data = self.data
        legible = [signature.when for signature in data.signatures if signature.when is not None]
        last = data.signature_date
        if last is None and legible:
            last = max(legible, key=lambda when: when.day)
            blanks = len(data.signatures) - len(legible)
            if blanks:
                self.assume(
                    f"{blanks} signature(s) sans date lisible : la date de signature retenue est la plus "
                    f"tardive des dates lisibles, le {french(last.day)}."
                )
        if last is None:
            return None, None
        first = min([when.day for when in legible] + [last.day])
        return last, first

    def _start(self, signed: Dated | None) -> date | None:
        terms = self.data.terms
        if terms.start is not None:
            self._note_month(terms.start, "la date de prise d'effet")
            if signed is None:
                self.assume(
                    f"Aucune date de signature : la convention est supposée signée avant sa prise d'effet "
                    f"du {french(terms.start.day)}."
                )
            return terms.start.day
        if signed is None:
            self.assume(
                "Aucune date de signature lisible ni date de prise d'effet : le statut et les échéances "
                "ne peuvent pas être calculés."
            )
            return None
        self._note_month(signed, "la date de signature")
        if not terms.start_stated:
            self.assume("Point de départ non précisé : la durée court à compter de la signature.")
        return signed.day

    # -- periods ---------------------------------------------------------------------------

    def _length(self, terms: Terms, how: str, explicit: int | None) -> int | None:
        """Months of a period under ``terms``, None when open-ended."""
        if explicit:
            return explicit
        if terms.indefinite:
            if terms.duration_months:
                self.assume(
                    f"Durée indéterminée : la durée de {_months(terms.duration_months)} aussi indiquée est ignorée."
                )
            return None
        if terms.duration_months is None:
            if terms.indefinite is None:
                self.assume(
                    "Durée non précisée : la convention est considérée comme conclue pour une durée indéterminée."
                )
            else:
                self.assume(
                    "Durée inconnue alors que le texte exclut la durée indéterminée : la convention est "
                    "traitée comme sans terme."
                )
            return None
        if how == "initial":
            return terms.duration_months
        if terms.renewal_months:
            return terms.renewal_months
        self.assume(
            f"Durée de reconduction non précisée : chaque reconduction dure comme la période initiale "
            f"({_months(terms.duration_months)})."
        )
        return terms.duration_months

    def _period_end(self, start: date, how: str, explicit: int | None) -> date | None:
        terms = self.terms_at(start)
        fixed = terms.termination_date
        if (
            how == "initial"
            and terms.duration_months is None
            and not terms.indefinite
            and terms.termination_effect == "fixed_date"
            and fixed is not None
            and fixed.day >= start
        ):
            # "prend fin le 31 août 2025" with no duration: the fixed date is the end of the term.
            self.assume(f"Aucune durée indiquée : la convention prend fin à la date fixée ({french(fixed.day)}).")
            return fixed.day
        length = self._length(terms, how, explicit)
        end = period_last_day(start, length) if length else None
        for amendment in self.amendments:
            if amendment.day <= start:
                continue
            if end is not None and amendment.day > end:
                break
            length = self._length(self.terms_at(amendment.day), how, explicit)
            end = max(period_last_day(start, length), amendment.day) if length else None
        return end

    def _chain(self, start: date) -> tuple[list[Period], list[Provisional], date | None]:
        """The periods and provisional continuations ignoring notices; the natural last day."""
        events = self.data.events
        renewals = sorted((e for e in events if e.kind == "renewed"), key=lambda e: (e.day, e.order))
        renegotiations = sorted((e for e in events if e.kind == "renegotiation_opened"), key=lambda e: e.day)
        for event in renewals + renegotiations:
            self._note_month(event.when, EVENT_DATE_NAMES[event.kind])
        limit = max([self.horizon, self.on, start] + [event.day for event in events])
        used: set[int] = set()

        periods: list[Period] = []
        provisionals: list[Provisional] = []
        natural_end: date | None = None
        period_start, how, explicit = start, "initial", None
        for _ in range(MAX_PERIODS):
            end = self._period_end(period_start, how, explicit)
            period = Period(period_start, end, len(periods) + 1, how)
            periods.append(period)
            if end is None or period_start > limit:
                break
            renewal = next((r for r in renewals if r.order not in used and start <= r.day <= end), None)
            if renewal is not None:
                used.add(renewal.order)
                period_start, how, explicit = end + ONE_DAY, "renewed", renewal.months
                continue
            terms = self.terms_at(end)
            if terms.tacit_renewal:
                period_start, how, explicit = end + ONE_DAY, "tacit", None
                continue
            if terms.tacit_renewal is None:
                self.assume(
                    "Le texte ne dit pas si la convention se reconduit tacitement : elle est supposée "
                    "prendre fin au terme de sa durée."
                )
            opened = next((r for r in renegotiations if period.start <= r.day <= end), None)
            if opened is not None and terms.provisional_extension_months:
                until = period_last_day(end + ONE_DAY, terms.provisional_extension_months)
                renewal = next((r for r in renewals if r.order not in used and end < r.day <= until), None)
                if renewal is not None:
                    used.add(renewal.order)
                    if renewal.day > end + ONE_DAY:
                        provisionals.append(
                            Provisional(end + ONE_DAY, renewal.day - ONE_DAY, period.number, opened.day)
                        )
                    period_start, how, explicit = renewal.day, "renewed", renewal.months
                    continue
                provisionals.append(Provisional(end + ONE_DAY, until, period.number, opened.day))
                natural_end = until
                break
            if opened is not None:
                self.assume(
                    f"Renégociation ouverte le {french(opened.day)}, mais le texte ne prévoit pas de maintien "
                    "provisoire : la convention prend fin au terme de la période."
                )
            natural_end = end
            break
        for renewal in renewals:
            if renewal.order not in used:
                self.assume(
                    f"Renouvellement du {french(renewal.day)} hors de la vie de la convention (avant son début "
                    "ou après sa fin) : ignoré ; enregistrer plutôt une nouvelle convention."
                )
        return periods, provisionals, natural_end

    # -- notices and termination -----------------------------------------------------------

    @staticmethod
    def _containing(day: date, periods: list[Period]) -> Period | None:
        for period in periods:
            if period.start <= day and (period.end is None or day <= period.end):
                return period
        return None

    def notice_deadline(self, period: Period) -> date | None:
        """Last day of receipt that prevents the tacit renewal at the end of ``period``."""
        if period.end is None:
            return None
        terms = self.terms_at(period.end)
        if not terms.tacit_renewal or terms.termination_effect in ("next_school_year_start", "fixed_date"):
            return None
        if terms.notice_months is None:
            self.assume(
                "Durée du préavis non précisée : la reconduction peut être empêchée jusqu'au dernier jour "
                "de la période."
            )
            return period.end
        return add_months(period.end, -terms.notice_months)

    def _notice_end(self, notice: Event, periods: list[Period], provisionals: list[Provisional]) -> date:
        """The last day in force after ``notice`` (received on its date)."""
        received = notice.day
        terms = self.terms_at(received)
        effect, months = terms.termination_effect, terms.notice_months
        if effect is None:
            if months is not None:
                effect = "end_of_notice"
                self.assume(
                    f"Effet de la résiliation non précisé : elle prend effet à la fin du préavis de {_months(months)}."
                )
            else:
                effect = "end_of_period"
                self.assume(
                    "Ni durée de préavis ni effet de la résiliation précisés : elle prend effet à la fin de "
                    "la période en cours."
                )
        if effect == "end_of_period":
            for provisional in provisionals:
                if provisional.start <= received <= provisional.until:
                    return provisional.until
            period = self._containing(received, periods)
            if period is not None and period.end is not None:
                if months is None:
                    self.assume("Durée du préavis non précisée : un préavis reçu avant la fin de la période y met fin.")
                if received <= add_months(period.end, -(months or 0)):
                    return period.end
                following = next((p for p in periods if p.start == period.end + ONE_DAY), None)
                if following is None:
                    return period.end
                if following.end is not None:
                    self.assume(
                        f"Préavis du {french(received)} reçu après la date limite : il prend effet à la fin "
                        "de la période suivante."
                    )
                    return following.end
            self.assume("Pas de fin de période connue : la résiliation prend effet à la fin du préavis.")
            effect = "end_of_notice"
        if effect == "next_school_year_start":
            after = period_last_day(received, months) if months else received
            return self.rentree_after(max(after, received)) - ONE_DAY
        if effect == "fixed_date":
            fixed = terms.termination_date
            assert fixed is not None  # check_terms refuses fixed_date without a date
            self._note_month(fixed, "la date fixe de résiliation")
            if fixed.day < received:
                self.assume(
                    f"La date fixe de résiliation ({french(fixed.day)}) précède la réception du préavis : "
                    "la résiliation prend effet à la réception."
                )
                return received
            return fixed.day
        if months is None:
            self.assume("Durée du préavis non précisée : la résiliation prend effet dès la réception.")
        return max(received, period_last_day(received, months or 0))

    # -- the result ------------------------------------------------------------------------

    def result(self) -> dict[str, Any]:
        signed, first_signature = self._signatures()
        start = self._start(signed)
        for event in self.data.events:
            if event.kind in ("notice_given", "terminated"):
                self._note_month(event.when, EVENT_DATE_NAMES[event.kind])
        if start is None:
            return self._output("unknown", None, None, None, None, None, False, self._event_entries([]))

        periods, provisionals, natural_end = self._chain(start)

        # Notices and terminations, then the last day in force.
        notices = sorted((e for e in self.data.events if e.kind == "notice_given"), key=lambda e: (e.day, e.order))
        candidates: list[date] = []
        first_notice: Event | None = None
        ineffective: set[int] = set()
        for notice in notices:
            if notice.day < start or (natural_end is not None and notice.day > natural_end):
                ineffective.add(notice.order)
                self.assume(f"Préavis du {french(notice.day)} reçu hors de la vie de la convention : sans effet.")
                continue
            candidates.append(self._notice_end(notice, periods, provisionals))
            first_notice = first_notice or notice
        for termination in self.data.events:
            if termination.kind != "terminated":
                continue
            if natural_end is not None and termination.day > natural_end + ONE_DAY:
                ineffective.add(termination.order)
                self.assume(
                    f"Résiliation du {french(termination.day)} postérieure à la fin de la convention : sans effet."
                )
                continue
            candidates.append(termination.day - ONE_DAY)

        last_day, reason, effective_end = natural_end, "expired", None
        if candidates:
            earliest = min(candidates)
            if natural_end is None or earliest <= natural_end:
                last_day, reason = earliest, "terminated"
            effective_end = last_day
        if last_day is not None:
            ineffective.update(notice.order for notice in notices if notice.day > last_day)
            periods = [p for p in periods if p.start <= last_day] or periods[:1]
            provisionals = [
                Provisional(p.start, min(p.until, last_day), p.after, p.opened)
                for p in provisionals
                if p.start <= last_day
            ]

        status = self._status(start, signed, first_signature, last_day, reason, first_notice, provisionals)
        current = self._current_period(status, periods)
        provisional = next(
            (p for p in provisionals if p.after == current.number and p.opened <= self.on <= p.until), None
        )
        deadline = None
        if status in ("draft", "awaiting_signatures", "signed_not_started", "active", "under_notice"):
            deadline = self.notice_deadline(current)
        in_window = False
        if status == "active" and current.end is not None:
            decision_day = deadline or current.end
            in_window = add_months(decision_day, -RENEWAL_WINDOW_MONTHS) < self.on <= decision_day

        timeline = self._timeline(start, periods, provisionals, last_day, reason, effective_end, ineffective)
        if self.guessed_rentrees:
            years = ", ".join(str(year) for year in sorted(self.guessed_rentrees))
            zone = self.zone()
            self.assume(
                f"Date de la rentrée scolaire inconnue du calendrier officiel pour {ZONE_NAMES[zone]} ({years}) : "
                "le 1er septembre est retenu."
                if zone
                else f"Rentrée scolaire {years} supposée le 1er septembre."
            )
        return self._output(
            status,
            current.start,
            current.end,
            deadline,
            effective_end,
            provisional.until if provisional else None,
            in_window,
            timeline,
        )

    def _status(
        self,
        start: date,
        signed: Dated | None,
        first_signature: date | None,
        last_day: date | None,
        reason: str,
        first_notice: Event | None,
        provisionals: list[Provisional],
    ) -> str:
        on = self.on
        if last_day is not None and on > last_day:
            return reason
        if signed is not None and on < signed.day:
            return "draft" if first_signature is not None and on < first_signature else "awaiting_signatures"
        if on < start:
            return "signed_not_started"
        if first_notice is not None and first_notice.day <= on:
            return "under_notice"
        if any(p.start <= on <= p.until for p in provisionals):
            return "provisional_continuation"
        return "active"

    def _current_period(self, status: str, periods: list[Period]) -> Period:
        if status in ("draft", "awaiting_signatures", "signed_not_started"):
            return periods[0]
        current = periods[0]
        for period in periods:
            if period.start <= self.on:
                current = period
        return current

    # -- timeline --------------------------------------------------------------------------

    def _event_entries(self, ineffective: set[int] | list) -> list[tuple[date, str, str]]:
        entries = []
        for event in self.data.events:
            day = event.day
            if event.kind == "notice_given":
                label = "Préavis de résiliation ou de non-reconduction reçu"
                if event.by:
                    label += f" (de {event.by})"
                entries.append((day, "notice_given", label))
            elif event.kind == "renegotiation_opened":
                entries.append((day, "renegotiation_opened", "Ouverture de la renégociation"))
            elif event.kind == "renewed":
                label = "Renouvellement signé" + (f" pour {_months(event.months)}" if event.months else "")
                entries.append((day, "renewal", label))
            elif event.kind == "terminated":
                entries.append((day, "terminated", "Résiliation : la convention cesse de s'appliquer"))
            else:
                entries.append((day, "amendment", "Avenant" + self._changes_text(event.changes)))
            suffix = _month_only(event.when) + (" (sans effet)" if event.order in ineffective else "")
            entries[-1] = (day, entries[-1][1], entries[-1][2] + suffix)
        return entries

    @staticmethod
    def _changes_text(changes: dict[str, Any]) -> str:
        parts = []
        for key, value in changes.items():
            if isinstance(value, bool):
                shown = "oui" if value else "non"
            elif isinstance(value, int):
                shown = _months(value)
            elif isinstance(value, Dated):
                shown = french(value.day)
            elif key == "termination_effect" and value:
                shown = EFFECT_LABELS[value]
            elif value is None:
                shown = "non précisé" if key != "start" else "signature"
            else:
                shown = str(value)
            parts.append(f"{TERM_LABELS[key]} : {shown}")
        return " — " + ", ".join(parts) if parts else ""

    def _timeline(
        self,
        start: date,
        periods: list[Period],
        provisionals: list[Provisional],
        last_day: date | None,
        reason: str,
        effective_end: date | None,
        ineffective: set[int],
    ) -> list[tuple[date, str, str]]:
        data = self.data
        entries: list[tuple[date, str, str]] = []
        dated = [s for s in data.signatures if s.when is not None]
        for signature in dated:
            assert signature.when is not None
            name = f" de {signature.name}" if signature.name else ""
            entries.append((signature.when.day, "signature", f"Signature{name}{_month_only(signature.when)}"))
        if data.signature_date and all(s.when.day != data.signature_date.day for s in dated if s.when):
            label = f"Signature de la convention{_month_only(data.signature_date)}"
            entries.append((data.signature_date.day, "signature", label))
        entries.append((start, "start", "Prise d'effet de la convention"))

        in_force_until = last_day  # None: still in force beyond the horizon
        for period in periods:
            span = f"du {french(period.start)} au {french(period.end)}" if period.end else "sans terme"
            if period.how == "tacit":
                entries.append((period.start, "renewal", f"Reconduction tacite : période {period.number}, {span}"))
            elif period.how == "renewed":
                entries.append((period.start, "renewal", f"Renouvellement : période {period.number}, {span}"))
            if period.end is None or (in_force_until is not None and period.end > in_force_until):
                continue
            entries.append((period.end, "period_end", f"Fin de la période {period.number}"))
            deadline = self.notice_deadline(period)
            if deadline is not None and deadline >= period.start:
                entries.append(
                    (
                        deadline,
                        "notice_deadline",
                        f"Date limite de réception du préavis pour empêcher la reconduction du "
                        f"{french(period.end + ONE_DAY)}",
                    )
                )
        for provisional in provisionals:
            entries.append(
                (provisional.until, "provisional_end", "Fin du maintien provisoire pendant la renégociation")
            )
        entries.extend(self._event_entries(ineffective))
        if effective_end is not None:
            entries.append((effective_end, "effective_end", "Dernier jour d'application de la convention"))
        if reason == "expired" and last_day is not None:
            entries.append((last_day + ONE_DAY, "expired", "Convention expirée"))

        upper = min(in_force_until, self.horizon) if in_force_until else self.horizon
        entries.extend(self._recurring(start, upper))
        if any(terms.termination_effect == "next_school_year_start" for _, terms in self.versions):
            rentree_upper = min(in_force_until + ONE_DAY, self.horizon) if in_force_until else self.horizon
            for year in range(start.year, rentree_upper.year + 1):
                rentree, known = school_year_start(year, self.zone())
                if start < rentree <= rentree_upper:
                    suffix = "" if known else " (date supposée : 1er septembre)"
                    entries.append((rentree, "school_year_start", f"Rentrée scolaire {year}{suffix}"))
        return entries

    def _recurring(self, start: date, upper: date) -> list[tuple[date, str, str]]:
        data = self.data
        entries: list[tuple[date, str, str]] = []
        years = range(start.year, upper.year + 1)
        if data.steering_committee:
            label = "Comité de pilotage annuel : bilan de l'année et plan de partenariat"
            if data.steering_committee_month:
                days = [date(year, data.steering_committee_month, 1) for year in years]
            else:
                days = [add_months(start, 12 * count) for count in range(1, upper.year - start.year + 2)]
            entries.extend((day, "steering_committee", label) for day in days if start < day <= upper)
        if data.contact_exchange_month:
            label = "Échange annuel des listes de contacts (RGPD)"
            days = [date(year, data.contact_exchange_month, 1) for year in years]
            entries.extend((day, "contact_exchange", label) for day in days if start <= day <= upper)
        for named in data.named_events:
            for year in years:
                day = date(year, named.month, min(named.day or 1, calendar.monthrange(year, named.month)[1]))
                if start <= day <= upper:
                    entries.append((day, "named_event", named.name))
        return entries

    # -- output ----------------------------------------------------------------------------

    def _output(
        self,
        status: str,
        period_start: date | None,
        period_end: date | None,
        notice_deadline: date | None,
        effective_end: date | None,
        provisional_until: date | None,
        in_renewal_window: bool,
        entries: list[tuple[date, str, str]],
    ) -> dict[str, Any]:
        order = {kind: index for index, kind in enumerate(TIMELINE_KINDS)}
        kept = sorted(
            {entry for entry in entries if entry[0] <= self.horizon},
            key=lambda entry: (entry[0], order[entry[1]], entry[2]),
        )
        return {
            "status": status,
            "status_label": STATUS_LABELS[status],
            "in_renewal_window": in_renewal_window,
            "period_start": _iso(period_start),
            "period_end": _iso(period_end),
            "notice_deadline": _iso(notice_deadline),
            "effective_end": _iso(effective_end),
            "provisional_until": _iso(provisional_until),
            "assumptions": list(self.assumptions),
            "timeline": [{"date": day.isoformat(), "kind": kind, "label": label} for day, kind, label in kept],
        }
