"""Workflows on conventions: every change goes through here, in a transaction, with its history."""

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partenariats import terms
from partenariats.conventions.models import (
    Amendment,
    AmendmentSignatory,
    Article,
    Audience,
    Commitment,
    Convention,
    ConventionEvent,
    DatePrecision,
    EventKind,
    NoticeForm,
    Party,
    Programme,
    Signatory,
    latest_signed_on,
)
from partenariats.core.cache import records_changed
from partenariats.core.history import value_text
from partenariats.directory.models import Organisation, Person
from partenariats.terms.dates import french
from partenariats.territories.models import Academy

# Engine output keys cached on the convention for list filters and the dashboard.
CACHED_DATES = ("period_start", "period_end", "notice_deadline", "effective_end", "provisional_until")


class StaleVersion(Exception):
    """The convention changed since the form was opened: the change is refused, not merged."""

    def __init__(self, current: Convention):
        super().__init__("La convention a été modifiée entre-temps.")
        self.current = current


def timeline(convention: Convention, on: date) -> dict:
    """The terms engine's answer for this convention on ``on`` (the CLI's JSON), with ``draft`` /
    ``awaiting_signatures`` while recorded signatories have not signed: the engine reads only
    dates and cannot tell a missing signature from an illegible date."""
    result = terms.compute(convention.terms_input(), on)
    pending = signing_status(convention)
    if pending and result["status"] in ("unknown", "signed_not_started", "active"):
        result = {**result, "status": pending, "status_label": terms.STATUS_LABELS[pending]}
    return result


def signing_status(convention: Convention) -> str | None:
    """``draft`` while no signatory has signed, ``awaiting_signatures`` while some have not, else None.

    The engine reads only dates; here a signatory without a date has not signed yet, unless the
    date is recorded as unknown (signed, the date left blank or illegible).
    """
    signed = [
        s.signed_on is not None or s.date_precision == DatePrecision.UNKNOWN for s in convention.signatories.all()
    ]
    if not signed or all(signed):
        return None
    return "awaiting_signatures" if any(signed) else "draft"


def refresh_terms(convention: Convention, today: date | None = None) -> dict:
    """Recompute and cache the status and dates the lists filter on; return ``timeline()``'s answer."""
    today = today or timezone.localdate()
    result = timeline(convention, today)
    shown = _shown_terms(convention)
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
    if _shown_terms(convention) != shown:
        # An update sends no signal. Most nightly refreshes change only ``status_computed_on``,
        # which nothing cached shows: renewing the version for each would make every report cold.
        records_changed()
    return result


def _shown_terms(convention: Convention) -> tuple:
    """What ``refresh_terms`` caches that lists, reports and searches show."""
    return (
        convention.status,
        convention.ends_on,
        convention.search_text,
        *(getattr(convention, key) for key in CACHED_DATES),
    )


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


# --- The write side: one page of a convention with its parties and signatories ------------------


@dataclass(frozen=True)
class SignatoryInput:
    """One signatory row as the form validated it; ``pk`` None for a new one."""

    pk: int | None
    person: Person | None
    name: str
    title: str = ""
    signed_on: date | None = None
    date_precision: str = DatePrecision.DAY
    raw_date: str = ""
    place: str = ""


@dataclass(frozen=True)
class PartyInput:
    """One party row and its signatories; ``pk`` None for a new party."""

    pk: int | None
    organisation: Organisation
    side: str
    representative_name: str = ""
    representative_title: str = ""
    signatories: tuple[SignatoryInput, ...] = ()


class ActionRefused(Exception):
    """The change makes no sense for this convention now; the message (French) says why."""


@transaction.atomic
def save_convention_with_parties(
    convention: Convention,
    *,
    academies: Iterable[Academy],
    owners: Iterable,
    parties: Sequence[PartyInput],
    expected_version: int | None,
    changed_by,
) -> Convention:
    """Create or update a convention with its académies, owners, parties and signatories, all or nothing.

    An existing convention saved since ``expected_version`` raises ``StaleVersion``; parties and
    signatories missing from ``parties`` are removed, a party with commitments is never removed.
    """
    if len({party.organisation.pk for party in parties}) != len(parties):
        raise ActionRefused("La même organisation figure deux fois parmi les parties.")
    if convention.pk is None:
        convention._history_user = changed_by
        convention.save()
    else:
        save_convention(convention, expected_version=expected_version or 0, changed_by=changed_by)
    convention.academies.set(list(academies))
    convention.owners.set(list(owners))
    _sync_parties(convention, parties, changed_by)
    refresh_terms(convention)
    return convention


def _sync_parties(convention: Convention, parties: Sequence[PartyInput], changed_by) -> None:
    existing = {party.pk: party for party in convention.parties.all()}
    signatories = {s.pk: s for s in convention.signatories.all()}
    # Each row keeps the party that already holds its organisation, else its own party: two
    # rows that swap organisations then change no party's organisation (the unique constraint
    # holds at every step) and commitments stay with the organisation that made them.
    by_organisation = {party.organisation_id: party for party in existing.values()}
    chosen: list[Party | None] = []
    kept: set[int] = set()
    for row in parties:
        party = next(
            (
                candidate
                for candidate in (by_organisation.get(row.organisation.pk), existing.get(row.pk))
                if candidate is not None and candidate.pk not in kept
            ),
            None,
        )
        if party is not None:
            kept.add(party.pk)
        chosen.append(party)
    for pk, party in existing.items():
        if pk not in kept:
            if party.commitments.exists():
                raise ActionRefused(f"La partie « {party} » a des engagements : retirez-les avant de la retirer.")
            # Reverse relation of the plans' modalities (activities sits above conventions).
            if party.action_modalities.exists():
                raise ActionRefused(
                    f"La partie « {party} » a des modalités dans les plans de partenariat : "
                    "retirez-les des actions avant de la retirer."
                )
            for signatory in party.signatories.all():
                signatory._history_user = changed_by
                signatory.delete()
            party._history_user = changed_by
            party.delete()
    kept_signatories: set[int] = set()
    position = 0
    for index, (row, party) in enumerate(zip(parties, chosen, strict=True)):
        party = party or Party(convention=convention)
        party.organisation = row.organisation
        party.side = row.side
        party.representative_name = row.representative_name
        party.representative_title = row.representative_title
        party.position = index
        party._history_user = changed_by
        party.save()
        for signatory_row in row.signatories:
            signatory = signatories.get(signatory_row.pk) or Signatory(convention=convention)
            signatory.party = party
            signatory.person = signatory_row.person
            signatory.name = signatory_row.name
            signatory.title = signatory_row.title
            signatory.signed_on = signatory_row.signed_on
            signatory.date_precision = signatory_row.date_precision
            signatory.raw_date = signatory_row.raw_date
            signatory.place = signatory_row.place
            signatory.position = position
            signatory._history_user = changed_by
            signatory.save()
            kept_signatories.add(signatory.pk)
            position += 1
    # Signatories of the parties shown on the page but not kept were removed by the user; those
    # outside any party (a co-signer) are not on the page and stay.
    for signatory in convention.signatories.filter(party__isnull=False).exclude(pk__in=kept_signatories):
        signatory._history_user = changed_by
        signatory.delete()


# --- What changed since a form was opened --------------------------------------------------------

# The fields of the edit page, compared when a form comes back stale.
EDITED_FIELDS = (
    "title",
    "reference",
    "kind",
    "parent",
    "parent_description",
    "academies",
    "preamble",
    "confidentiality_clause",
    "dispute_clause",
    "signature_place",
    "originals",
    "start_mode",
    "start_date",
    "duration_months",
    "indefinite",
    "tacit_renewal",
    "renewal_months",
    "provisional_extension_months",
    "notice_months",
    "notice_by_registered_letter",
    "termination_effect",
    "termination_date",
    "steering_committee_month",
    "contact_exchange_month",
    "alert_days",
)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _historical_state(convention: Convention, *, version: int, since: datetime | None):
    records = convention.history.order_by("-history_date", "-history_id")
    if since is not None:
        record = records.filter(history_date__lte=since).first()
        if record is not None:
            return record
    return records.filter(version__lte=version).first()


def _listed(items: Iterable[str]) -> str:
    return " ; ".join(sorted(items)) or "—"


def _signatory_text(name: str, signed_on: date | None, place: str) -> str:
    parts = [name]
    if signed_on:
        parts.append(f"signé le {signed_on:%d/%m/%Y}")
    if place:
        parts.append(f"à {place}")
    return ", ".join(parts)


def changes_since(convention: Convention, *, version: int, since: datetime | None = None) -> list[Change]:
    """What others changed since a form was opened on ``version`` at ``since``: field by field, old → new."""
    old = _historical_state(convention, version=version, since=since)
    new = convention.history.order_by("-history_date", "-history_id").first()
    changes: list[Change] = []
    if old is not None and new is not None and old.pk != new.pk:
        delta = new.diff_against(old, included_fields=list(EDITED_FIELDS))
        wanted: dict[type, set] = {}
        for change in delta.changes:
            field = Convention._meta.get_field(change.field)
            if field.is_relation:
                ids = set()
                for value in (change.old, change.new):
                    if field.many_to_many:
                        target = field.m2m_reverse_field_name()
                        ids |= {row.get(target) for row in value or []}
                    elif value is not None:
                        ids.add(value)
                wanted.setdefault(field.related_model, set()).update(ids - {None})
        objects = {
            (model, pk): obj
            for model, pks in wanted.items()
            for pk, obj in model._base_manager.in_bulk(list(pks)).items()
        }
        order = {name: index for index, name in enumerate(EDITED_FIELDS)}
        for change in sorted(delta.changes, key=lambda c: order[c.field]):
            field = Convention._meta.get_field(change.field)
            changes.append(
                Change(
                    str(field.verbose_name).capitalize(),
                    value_text(field, change.old, objects),
                    value_text(field, change.new, objects),
                )
            )
    since = since or (old.history_date if old is not None else None)
    if since is None:
        return changes
    # Parties and signatories: as they were when the form was opened, and now.
    then_parties = {p.pk: p.organisation_id for p in Party.history.as_of(since).filter(convention_id=convention.pk)}
    now_parties = {p.pk: p.organisation_id for p in convention.parties.all()}
    if sorted(then_parties.values()) != sorted(now_parties.values()):
        names = Organisation.objects.in_bulk([*then_parties.values(), *now_parties.values()])
        changes.append(
            Change(
                "Parties",
                _listed(str(names[pk]) for pk in then_parties.values() if pk in names),
                _listed(str(names[pk]) for pk in now_parties.values() if pk in names),
            )
        )
    then_signatories = {
        _signatory_text(s.name, s.signed_on, s.place)
        for s in Signatory.history.as_of(since).filter(convention_id=convention.pk)
    }
    now_signatories = {_signatory_text(s.name, s.signed_on, s.place) for s in convention.signatories.all()}
    if then_signatories != now_signatories:
        changes.append(Change("Signataires", _listed(then_signatories), _listed(now_signatories)))
    events = [str(event) for event in convention.events.filter(recorded_at__gt=since)]
    events += [str(amendment) for amendment in convention.amendments.filter(created_at__gt=since)]
    if events:
        changes.append(Change("Événements et avenants enregistrés", "—", _listed(events)))
    return changes


# --- Life events, signatures and amendments: guards, previews, records --------------------------

# The statuses (on the day of recording) in which each action makes sense.
ALLOWED_STATUSES: dict[str, frozenset[str]] = {
    EventKind.NOTICE_GIVEN: frozenset({"active", "signed_not_started", "provisional_continuation"}),
    EventKind.RENEWED: frozenset({"active", "under_notice", "provisional_continuation"}),
    EventKind.RENEGOTIATION_OPENED: frozenset({"active", "under_notice"}),
    EventKind.TERMINATED: frozenset(
        {"active", "under_notice", "provisional_continuation", "signed_not_started", "unknown"}
    ),
    "amendment": frozenset(
        {"active", "under_notice", "provisional_continuation", "signed_not_started", "awaiting_signatures", "unknown"}
    ),
}
ACTION_NAMES = {
    EventKind.NOTICE_GIVEN: "d’enregistrer une dénonciation",
    EventKind.RENEWED: "de renouveler cette convention",
    EventKind.RENEGOTIATION_OPENED: "d’ouvrir une renégociation",
    EventKind.TERMINATED: "d’enregistrer une résiliation",
    "amendment": "d’enregistrer un avenant",
}
STATUS_HINTS = {
    "draft": "Elle n’est pas encore signée : enregistrez d’abord les signatures.",
    "awaiting_signatures": "Toutes les signatures ne sont pas enregistrées.",
    "expired": "Elle est expirée : pour poursuivre le partenariat, enregistrez une nouvelle convention.",
    "terminated": "Elle est déjà résiliée : plus rien ne peut en changer le terme.",
    "under_notice": "Elle est déjà en préavis.",
    "provisional_continuation": "Elle est déjà en maintien provisoire pendant sa renégociation.",
    "unknown": "Sa date de début est inconnue : enregistrez d’abord la date des signatures ou une date de début.",
    "signed_not_started": "Elle n’est pas encore entrée en vigueur.",
}


def action_refusal(convention: Convention, action: str, today: date | None = None) -> str | None:
    """Why ``action`` (an event kind, or ``"amendment"``) makes no sense now, in French; None when it does."""
    status = timeline(convention, today or timezone.localdate())["status"]
    pending = signing_status(convention)
    if pending and status in ("unknown", "signed_not_started", "active"):
        status = pending
    if status in ALLOWED_STATUSES[action]:
        return None
    text = f"Impossible {ACTION_NAMES[action]} : son statut est « {terms.STATUS_LABELS[status]} »."
    hint = STATUS_HINTS.get(status)
    return f"{text} {hint}" if hint else text


@dataclass
class Preview:
    """The terms engine's answer before and after a change, and what the change means, in French."""

    before: dict
    after: dict
    consequences: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)


# Why a convention ends on its effective end, per termination effect.
END_REASONS = {
    "next_school_year_start": "veille de la rentrée scolaire",
    "fixed_date": "date fixée par la convention",
}
# Timeline entries worth announcing when a change adds or removes them.
ANNOUNCED_KINDS = ("start", "renewal", "expired")
ANNOUNCED_MAX = 3


def _compute(data: dict, on: date) -> dict:
    try:
        return terms.compute(data, on)
    except terms.TermsInputError as error:
        raise ActionRefused(f"Les conditions de la convention ne peuvent pas être calculées : {error}") from error


def _french(value: str) -> str:
    return french(date.fromisoformat(value))


def terms_in_force(convention: Convention) -> dict:
    """The term clauses (the engine's ``terms`` shape) as the convention and its amendments leave them."""
    current = convention.terms_dict()
    amendments = sorted(
        (a for a in convention.amendments.all() if a.effective_on), key=lambda a: (a.effective_on, a.number)
    )
    for amendment in amendments:
        current.update({key: value for key, value in (amendment.terms_changes or {}).items() if key != "start"})
    return current


def _end_reason(kind: str | None, end: str, before: dict, on: date | None, in_force: dict) -> str | None:
    if kind == EventKind.TERMINATED and on is not None:
        return "veille de la date de résiliation" if date.fromisoformat(end) == on - timedelta(days=1) else None
    if kind != EventKind.NOTICE_GIVEN:
        return None
    effect = in_force.get("termination_effect")
    if effect == "end_of_period" or (effect is None and not in_force.get("notice_months")):
        return "fin de la période en cours" if end == before["period_end"] else "fin de la période suivante"
    if effect == "end_of_notice" or (effect is None and in_force.get("notice_months")):
        months = in_force.get("notice_months")
        return f"fin du préavis de {months} mois" if months else "fin du préavis"
    return END_REASONS.get(effect or "")


def describe_consequences(
    before: dict, after: dict, *, today: date, kind: str | None = None, on: date | None = None, in_force: dict
) -> list[str]:
    """French sentences saying how the engine's answer changes: status, end, period, deadlines."""
    lines = []
    if after["status"] != before["status"]:
        lines.append(f"Statut aujourd’hui : « {before['status_label']} » devient « {after['status_label']} ».")
    end = after["effective_end"]
    if end and end != before["effective_end"]:
        reason = _end_reason(kind, end, before, on, in_force)
        verb = "prendra fin le" if date.fromisoformat(end) >= today else "a pris fin le"
        lines.append(f"La convention {verb} {_french(end)}" + (f" ({reason})." if reason else "."))
    if after["period_end"] and before["period_end"] and after["period_end"] != before["period_end"]:
        if after["period_start"] == before["period_start"]:
            lines.append(
                f"La période en cours se terminera le {_french(after['period_end'])} "
                f"au lieu du {_french(before['period_end'])}."
            )
        else:
            lines.append(f"Période en cours : du {_french(after['period_start'])} au {_french(after['period_end'])}.")
    elif after["period_end"] and not before["period_end"]:
        lines.append(f"Période en cours : du {_french(after['period_start'])} au {_french(after['period_end'])}.")
    if after["provisional_until"] and after["provisional_until"] != before["provisional_until"]:
        lines.append(f"Maintien provisoire pendant la renégociation jusqu’au {_french(after['provisional_until'])}.")
    if after["notice_deadline"] != before["notice_deadline"]:
        if after["notice_deadline"]:
            lines.append(f"Date limite de dénonciation : le {_french(after['notice_deadline'])}.")
        else:
            lines.append("Il n’y a plus de date limite de dénonciation à surveiller.")
    entries_before = {(e["date"], e["kind"], e["label"]) for e in before["timeline"] if e["kind"] in ANNOUNCED_KINDS}
    entries_after = {(e["date"], e["kind"], e["label"]) for e in after["timeline"] if e["kind"] in ANNOUNCED_KINDS}
    for day, _, label in sorted(entries_after - entries_before)[:ANNOUNCED_MAX]:
        lines.append(f"{label} ({_french(day)}).")
    cancelled = [e for e in sorted(entries_before - entries_after) if e[1] == "renewal" and e[0] >= today.isoformat()]
    for _, _, label in cancelled[:ANNOUNCED_MAX]:
        lines.append(f"N’aura plus lieu : {label}.")
    if not lines:
        lines.append("Cette information ne change ni le statut ni les dates de la convention.")
    return lines


def _pending(signed: list[bool]) -> str | None:
    """``signing_status`` for a list of "has signed" flags (a convention being changed on a copy)."""
    if not signed or all(signed):
        return None
    return "awaiting_signatures" if any(signed) else "draft"


def _with_signing(result: dict, pending: str | None) -> dict:
    """The engine's answer with the status ``refresh_terms`` caches while signatures are missing."""
    if pending and result["status"] in ("unknown", "signed_not_started", "active"):
        return {**result, "status": pending, "status_label": terms.STATUS_LABELS[pending]}
    return result


def _preview(
    convention: Convention,
    data: dict,
    changed: dict,
    *,
    today: date,
    kind=None,
    on=None,
    signed_after: list[bool] | None = None,
) -> Preview:
    """Before and after on ``today``; ``signed_after`` are who will have signed, when the change is a signature."""
    pending = signing_status(convention)
    before = _with_signing(_compute(data, today), pending)
    after = _with_signing(_compute(changed, today), pending if signed_after is None else _pending(signed_after))
    in_force = terms_in_force(convention)
    return Preview(
        before=before,
        after=after,
        consequences=describe_consequences(before, after, today=today, kind=kind, on=on, in_force=in_force),
        assumptions=[text for text in after["assumptions"] if text not in before["assumptions"]],
    )


def preview_event(
    convention: Convention,
    *,
    kind: str,
    on: date,
    by_party: Party | None = None,
    form: str = "",
    months: int | None = None,
    today: date | None = None,
) -> Preview:
    """What recording this event would change, computed on a copy (nothing is saved)."""
    today = today or timezone.localdate()
    data = convention.terms_input()
    changed = copy.deepcopy(data)
    event: dict = {"kind": kind, "date": on.isoformat()}
    if kind == EventKind.NOTICE_GIVEN and by_party is not None:
        event["by"] = str(by_party)
    if kind == EventKind.RENEWED and months:
        event["months"] = months
    changed["events"].append(event)
    preview = _preview(convention, data, changed, today=today, kind=kind, on=on)
    if kind == EventKind.NOTICE_GIVEN:
        in_force = terms_in_force(convention)
        if in_force.get("notice_by_registered_letter") and form != NoticeForm.REGISTERED_LETTER:
            preview.warnings.append(
                "La convention exige une lettre recommandée avec accusé de réception : "
                "un préavis donné sous une autre forme peut être contesté."
            )
        deadline = _compute(data, on)["notice_deadline"]
        if deadline and on.isoformat() > deadline:
            end = preview.after["effective_end"]
            preview.warnings.append(
                f"Le préavis est reçu après la date limite de dénonciation ({_french(deadline)}) : "
                "il n’empêche plus la reconduction en cours"
                + (f" ; la convention prendra fin le {_french(end)}." if end else ".")
            )
    if kind == EventKind.RENEGOTIATION_OPENED and not terms_in_force(convention).get("provisional_extension_months"):
        preview.warnings.append(
            "La convention ne prévoit pas de maintien provisoire pendant une renégociation : "
            "sans renouvellement, elle prendra fin au terme de la période en cours."
        )
    return preview


def preview_signature(
    convention: Convention,
    *,
    signatory: Signatory | None,
    name: str,
    signed_on: date,
    date_precision: str,
    today: date | None = None,
) -> Preview:
    today = today or timezone.localdate()
    data = convention.terms_input()
    changed = copy.deepcopy(data)
    signed = Signatory(name=name, signed_on=signed_on, date_precision=date_precision).engine_date()
    signatures = [
        {"name": s.name, "date": signed if signatory is not None and s.pk == signatory.pk else s.engine_date()}
        for s in convention.signatories.all()
    ]
    flags = [
        True
        if signatory is not None and s.pk == signatory.pk
        else (s.signed_on is not None or s.date_precision == DatePrecision.UNKNOWN)
        for s in convention.signatories.all()
    ]
    if signatory is None:
        signatures.append({"name": name, "date": signed})
        flags.append(True)
    changed["signatures"] = signatures
    return _preview(convention, data, changed, today=today, signed_after=flags)


def preview_amendment(
    convention: Convention, *, effective_on: date | None, terms_changes: dict, today: date | None = None
) -> Preview:
    today = today or timezone.localdate()
    data = convention.terms_input()
    changed = copy.deepcopy(data)
    if effective_on is not None:
        changed["events"].append({"kind": "amended", "date": effective_on.isoformat(), "terms": terms_changes})
    preview = _preview(convention, data, changed, today=today, kind="amended", on=effective_on)
    if terms_changes and effective_on is None:
        preview.warnings.append("Sans date d’entrée en vigueur, les nouvelles conditions ne sont pas appliquées.")
    return preview


@transaction.atomic
def record_signature(
    convention: Convention,
    *,
    signatory: Signatory | None,
    party: Party | None,
    name: str,
    title: str,
    signed_on: date,
    date_precision: str,
    raw_date: str,
    place: str,
    by_user,
    expected_version: int | None,
) -> Signatory:
    """Date an existing signatory's signature, or add a signatory who signed; recompute the terms."""
    bump_version(convention, expected_version=expected_version)
    if signatory is None:
        last = convention.signatories.aggregate(last=Max("position"))["last"]
        signatory = Signatory(convention=convention, party=party, name=name, title=title, position=(last or 0) + 1)
    elif signatory.convention_id != convention.pk:
        raise ActionRefused("Ce signataire n’est pas celui de cette convention.")
    signatory.signed_on = signed_on
    signatory.date_precision = date_precision
    signatory.raw_date = raw_date
    if place:
        signatory.place = place
    signatory._history_user = by_user
    signatory.save()
    refresh_terms(convention)
    return signatory


@transaction.atomic
def record_amendment(
    convention: Convention,
    *,
    kind: str,
    title: str,
    summary: str,
    signed_on: date | None,
    effective_on: date | None,
    terms_changes: dict,
    by_user,
    expected_version: int | None,
    signatories: Sequence[dict] = (),
) -> Amendment:
    """Add the next-numbered amendment with its own signatures (``AmendmentSignatory`` fields);
    its term changes apply from ``effective_on``. Its signature date is the latest of its dated
    signatures, ``signed_on`` only when none is dated; the convention's start never moves."""
    bump_version(convention, expected_version=expected_version)
    rows = [AmendmentSignatory(position=position, **values) for position, values in enumerate(signatories, start=1)]
    party_ids = set(convention.parties.values_list("pk", flat=True))
    if any(row.party_id is not None and row.party_id not in party_ids for row in rows):
        raise ActionRefused("Un signataire de l’avenant est rattaché à une partie qui n’est pas de cette convention.")
    last = convention.amendments.aggregate(last=Max("number"))["last"]
    amendment = Amendment(
        convention=convention,
        number=(last or 0) + 1,
        kind=kind,
        title=title,
        summary=summary,
        signed_on=latest_signed_on(rows) or signed_on,
        effective_on=effective_on,
        terms_changes=terms_changes,
    )
    amendment._history_user = by_user
    amendment.save()
    for row in rows:
        row.amendment = amendment
        row._history_user = by_user
        row.save()
    refresh_terms(convention)
    return amendment


@transaction.atomic
def archive_convention(convention: Convention, *, by_user, expected_version: int | None = None) -> None:
    """Set a draft aside (soft delete); a signed convention is never deleted: it is terminated."""
    current = Convention.objects.select_for_update().get(pk=convention.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    if current.is_signed:
        raise ActionRefused(
            "Une convention signée ne peut pas être supprimée : enregistrez plutôt sa résiliation "
            "(elle reste dans le registre, avec son historique)."
        )
    current.archived_at = timezone.now()
    current.version += 1
    current._history_user = by_user
    current.save(update_fields=["archived_at", "version", "updated_at"])
    convention.archived_at, convention.version = current.archived_at, current.version


# --- Articles and commitments, edited one at a time from the convention's page -------------------

ARTICLE_CYCLE = "Un article ne peut pas être rangé sous lui-même ni sous l’un de ses sous-articles."
SIGNED_COMMITMENT_KEPT = (
    "Un engagement d’une convention signée ne se supprime pas : modifiez-le ou enregistrez un avenant."
)


def article_descendant_ids(article: Article) -> set[int]:
    """The article's sub-articles, at every depth (one query for the whole convention)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Article.objects.filter(convention_id=article.convention_id).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    pending = list(children.get(article.pk, []))
    while pending:
        pk = pending.pop()
        if pk not in found:
            found.add(pk)
            pending.extend(children.get(pk, []))
    return found


def _last_position(siblings) -> int:
    last = siblings.aggregate(last=Max("position"))["last"]
    return -1 if last is None else last


@transaction.atomic
def save_article(article: Article, *, by_user) -> Article:
    """Add or change an article; a new one (or one moved under another parent) goes last among its
    siblings; a parent outside the convention, or under the article itself, is refused."""
    convention = article.convention
    if article.parent_id is not None:
        if article.parent.convention_id != convention.pk:
            raise ActionRefused("L’article parent doit appartenir à la même convention.")
        if article.pk is not None and (
            article.parent_id == article.pk or article.parent_id in article_descendant_ids(article)
        ):
            raise ActionRefused(ARTICLE_CYCLE)
    bump_version(convention)
    previous_parent = (
        Article.objects.filter(pk=article.pk).values_list("parent_id", flat=True).first() if article.pk else None
    )
    if article.pk is None or previous_parent != article.parent_id:
        siblings = Article.objects.filter(convention=convention, parent_id=article.parent_id).exclude(pk=article.pk)
        article.position = _last_position(siblings) + 1
    article._history_user = by_user
    article.save()
    refresh_terms(convention)
    return article


@transaction.atomic
def move_article(article: Article, *, up: bool, by_user) -> bool:
    """Swap the article with its previous (``up``) or next sibling; False when it is already first or last."""
    siblings = list(Article.objects.filter(convention_id=article.convention_id, parent_id=article.parent_id))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == article.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Positions are rewritten 0, 1, 2… so that equal positions (imported data) still move.
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling._history_user = by_user
            sibling.save(update_fields=["position"])
    article.position = next(s.position for s in siblings if s.pk == article.pk)
    bump_version(article.convention)
    refresh_terms(article.convention)
    return True


def article_deletion_refusal(article: Article) -> str | None:
    """Why the article cannot be deleted now (French), or None: a commitment or a plan’s action still
    refers to it or to a sub-article."""
    articles = {article.pk} | article_descendant_ids(article)
    count = Commitment.objects.filter(article_id__in=articles).count()
    if not count:
        # Actions of the plans name an article as their axis (reverse relation, by name only).
        if Article.objects.filter(pk__in=articles, actions__isnull=False).exists():
            return (
                f"« {article} » ne peut pas être supprimé : des actions d’un plan de partenariat le mettent "
                "en œuvre (ou l’un de ses sous-articles). Changez l’axe de ces actions, puis recommencez."
            )
        return None
    cited = "un engagement s’y réfère" if count == 1 else f"{count} engagements s’y réfèrent"
    return (
        f"« {article} » ne peut pas être supprimé : {cited} (ou à l’un de ses sous-articles). "
        "Rattachez ces engagements à un autre article, ou supprimez-les, puis recommencez."
    )


@transaction.atomic
def delete_article(article: Article, *, by_user) -> None:
    """Delete an article and its sub-articles, each recorded in the history, unless a commitment refers to them."""
    if refusal := article_deletion_refusal(article):
        raise ActionRefused(refusal)
    convention = article.convention
    bump_version(convention)
    descendants = Article.objects.filter(pk__in=article_descendant_ids(article))
    # Deepest first, one by one: each deletion is recorded with the user who made it.
    for doomed in sorted(descendants, key=lambda a: -_depth(a)):
        doomed._history_user = by_user
        doomed.delete()
    article._history_user = by_user
    article.delete()
    refresh_terms(convention)


def _depth(article: Article) -> int:
    depth, current = 0, article
    while current.parent_id is not None:
        depth, current = depth + 1, current.parent
    return depth


@transaction.atomic
def save_commitment(
    commitment: Commitment,
    *,
    audiences: Iterable[Audience],
    programmes: Iterable[Programme],
    by_user,
) -> Commitment:
    """Add or change a commitment of one of the convention's parties; its programmes may add yearly
    events to the timeline, hence the terms are recomputed."""
    convention = commitment.convention
    if commitment.party.convention_id != convention.pk:
        raise ActionRefused("L’engagement doit être pris par une partie de cette convention.")
    if commitment.article is not None and commitment.article.convention_id != convention.pk:
        raise ActionRefused("L’article cité doit appartenir à cette convention.")
    bump_version(convention)
    if commitment.pk is None:
        commitment.position = _last_position(convention.commitments.all()) + 1
    commitment._history_user = by_user
    commitment.save()
    commitment.audiences.set(list(audiences))
    commitment.programmes.set(list(programmes))
    refresh_terms(convention)
    return commitment


def commitment_deletion_refusal(commitment: Commitment) -> str | None:
    """Why the commitment cannot be deleted now (French), or None: a signed convention's, one that
    activities count toward, or one that actions of a plan serve."""
    if commitment.convention.is_signed:
        return SIGNED_COMMITMENT_KEPT
    # Reverse relations of the activities app (a floor above): read by name, never imported.
    if commitment.contributions.exists():
        return "Des activités sont comptées pour cet engagement : il ne peut pas être supprimé."
    if commitment.actions.exists():
        return "Des actions d’un plan servent cet engagement : retirez-le de ces actions, puis recommencez."
    return None


@transaction.atomic
def delete_commitment(commitment: Commitment, *, by_user) -> None:
    """Delete a commitment of a draft; a signed convention's commitments are amended, never deleted."""
    convention = commitment.convention
    bump_version(convention)  # locks the convention: a signature recorded meanwhile is seen below
    if refusal := commitment_deletion_refusal(commitment):
        raise ActionRefused(refusal)
    commitment._history_user = by_user
    commitment.delete()
    refresh_terms(convention)
