"""Reading and checking the engine's input: the reader's JSON shape, plus events and obligations.

Everything that is not in the contract is ignored (the reader's ``text``, ``evidence``…);
everything that is in it is checked, and a wrong value raises ``TermsInputError`` with a French
message naming the key path.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from partenariats.terms.dates import MAX_YEAR, MIN_YEAR, parse_date
from partenariats.terms.zones import normalise_zone

MAX_MONTHS = 1200  # a hundred years: anything longer is a typing error, not a convention

TERMINATION_EFFECTS = ("end_of_notice", "end_of_period", "next_school_year_start", "fixed_date")
EVENT_KINDS = ("notice_given", "renegotiation_opened", "renewed", "terminated", "amended")


class TermsInputError(ValueError):
    """The input cannot be read; the message (French) says where and why."""


@dataclass(frozen=True)
class Dated:
    """A date read from the input; ``month_only`` when the text gave only ``YYYY-MM`` (day 1 kept)."""

    day: date
    month_only: bool
    path: str
    raw: str


@dataclass(frozen=True)
class Terms:
    start: Dated | None  # None: the term counts from the signature
    start_stated: bool
    duration_months: int | None
    indefinite: bool | None
    tacit_renewal: bool | None
    renewal_months: int | None
    provisional_extension_months: int | None
    notice_months: int | None
    notice_by_registered_letter: bool | None
    termination_effect: str | None
    termination_date: Dated | None


@dataclass(frozen=True)
class Event:
    kind: str
    when: Dated
    order: int
    by: str | None = None
    months: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> date:
        return self.when.day


@dataclass(frozen=True)
class Signature:
    name: str | None
    when: Dated | None


@dataclass(frozen=True)
class Party:
    name: str
    kind: str | None
    representative_title: str | None


@dataclass(frozen=True)
class NamedEvent:
    name: str
    month: int
    day: int | None


@dataclass(frozen=True)
class Input:
    terms: Terms
    signature_date: Dated | None
    signatures: tuple[Signature, ...]
    parties: tuple[Party, ...]
    zone: str | None
    academie: str | None
    events: tuple[Event, ...]
    steering_committee: bool
    steering_committee_month: int | None
    contact_exchange_month: int | None
    named_events: tuple[NamedEvent, ...]


def _fail(path: str, message: str) -> TermsInputError:
    return TermsInputError(f"{path} : {message}")


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"« {value} »"
    return text if len(text) <= 60 else text[:57] + "…"


def _date(value: Any, path: str, *, required: bool = False) -> Dated | None:
    if value is None:
        if required:
            raise _fail(path, "date obligatoire (AAAA-MM-JJ)")
        return None
    if not isinstance(value, str):
        raise _fail(path, f"une date s'écrit AAAA-MM-JJ ou AAAA-MM (reçu {_shown(value)})")
    parsed = parse_date(value)
    if parsed is None:
        raise _fail(
            path,
            f"date impossible ou mal écrite {_shown(value)} "
            f"(attendu AAAA-MM-JJ ou AAAA-MM, années {MIN_YEAR} à {MAX_YEAR})",
        )
    return Dated(parsed[0], parsed[1], path, value)


def _int(value: Any, path: str, *, minimum: int, maximum: int = MAX_MONTHS) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(path, f"un nombre entier est attendu (reçu {_shown(value)})")
    if not minimum <= value <= maximum:
        if value < 0:
            raise _fail(path, f"une durée ne peut pas être négative (reçu {value})")
        raise _fail(path, f"valeur hors limites (reçu {value}, attendu de {minimum} à {maximum})")
    return value


def _bool(value: Any, path: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _fail(path, f"true, false ou null attendu (reçu {_shown(value)})")


def _str(value: Any, path: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _fail(path, f"texte attendu (reçu {_shown(value)})")


def _object(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(path, f"un objet JSON {{…}} est attendu (reçu {_shown(value)})")
    return value


def _list(value: Any, path: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(path, f"une liste […] est attendue (reçu {_shown(value)})")
    return value


def _term_changes(raw: dict, path: str) -> dict[str, Any]:
    """The checked values of the term keys present in ``raw`` (other keys are ignored)."""
    changes: dict[str, Any] = {}
    for key, minimum in (
        ("duration_months", 1),
        ("renewal_months", 1),
        ("provisional_extension_months", 0),
        ("notice_months", 0),
    ):
        if key in raw:
            changes[key] = _int(raw[key], f"{path}.{key}", minimum=minimum)
    for key in ("indefinite", "tacit_renewal", "notice_by_registered_letter"):
        if key in raw:
            changes[key] = _bool(raw[key], f"{path}.{key}")
    if "termination_effect" in raw:
        effect = raw["termination_effect"]
        if effect is not None and effect not in TERMINATION_EFFECTS:
            raise _fail(
                f"{path}.termination_effect",
                f"valeur inconnue {_shown(effect)} (attendu : {', '.join(TERMINATION_EFFECTS)} ou null)",
            )
        changes["termination_effect"] = effect
    if "termination_date" in raw:
        changes["termination_date"] = _date(raw["termination_date"], f"{path}.termination_date")
    if "start" in raw:
        start = raw["start"]
        if start is None or start == "signature":
            changes["start"] = None
        else:
            changes["start"] = _date(start, f"{path}.start")
    return changes


def check_terms(terms: Terms, path: str) -> None:
    """Refuse contradictions that make the terms unreadable."""
    if terms.termination_effect == "fixed_date" and terms.termination_date is None:
        raise _fail(f"{path}.termination_date", "obligatoire quand termination_effect vaut fixed_date")


def _terms(raw: Any) -> Terms:
    changes = _term_changes(_object(raw, "terms"), "terms")
    terms = Terms(
        start=changes.get("start"),
        start_stated="start" in changes and raw.get("start") is not None,
        duration_months=changes.get("duration_months"),
        indefinite=changes.get("indefinite"),
        tacit_renewal=changes.get("tacit_renewal"),
        renewal_months=changes.get("renewal_months"),
        provisional_extension_months=changes.get("provisional_extension_months"),
        notice_months=changes.get("notice_months"),
        notice_by_registered_letter=changes.get("notice_by_registered_letter"),
        termination_effect=changes.get("termination_effect"),
        termination_date=changes.get("termination_date"),
    )
    check_terms(terms, "terms")
    return terms


def amend(terms: Terms, changes: dict[str, Any]) -> Terms:
    """The terms after an amendment (``start`` cannot move: the caller says so)."""
    return replace(terms, **{key: value for key, value in changes.items() if key != "start"})


def _event(raw: Any, index: int) -> Event:
    path = f"events.{index}"
    raw = _object(raw, path)
    kind = raw.get("kind")
    if kind not in EVENT_KINDS:
        raise _fail(f"{path}.kind", f"type d'événement inconnu {_shown(kind)} (attendu : {', '.join(EVENT_KINDS)})")
    when = _date(raw.get("date"), f"{path}.date", required=True)
    assert when is not None
    by = _str(raw.get("by"), f"{path}.by") if kind == "notice_given" else None
    months = _int(raw.get("months"), f"{path}.months", minimum=1) if kind == "renewed" else None
    changes: dict[str, Any] = {}
    if kind == "amended":
        changes = _term_changes(_object(raw.get("terms"), f"{path}.terms"), f"{path}.terms")
    return Event(kind=kind, when=when, order=index, by=by, months=months, changes=changes)


def _month(value: Any, path: str) -> int | None:
    return _int(value, path, minimum=1, maximum=12)


def _named_event(raw: Any, index: int) -> NamedEvent:
    path = f"named_events.{index}"
    raw = _object(raw, path)
    name = _str(raw.get("name"), f"{path}.name")
    if not name or not name.strip():
        raise _fail(f"{path}.name", "nom obligatoire")
    month = _month(raw.get("month"), f"{path}.month")
    if month is None:
        raise _fail(f"{path}.month", "mois obligatoire (1 à 12)")
    day = _int(raw.get("day"), f"{path}.day", minimum=1, maximum=31)
    return NamedEvent(name.strip(), month, day)


def read_input(data: Any) -> Input:
    """The checked input; raises TermsInputError (French message) on anything malformed."""
    if not isinstance(data, dict):
        raise TermsInputError(f"l'entrée doit être un objet JSON {{…}} (reçu {_shown(data)})")
    if "terms" not in data:
        raise TermsInputError("terms : clé obligatoire absente (les clauses de durée de la convention)")
    terms = _terms(data["terms"])

    signatures = []
    for index, raw in enumerate(_list(data.get("signatures"), "signatures")):
        raw = _object(raw, f"signatures.{index}")
        signatures.append(
            Signature(
                name=_str(raw.get("name"), f"signatures.{index}.name"),
                when=_date(raw.get("date"), f"signatures.{index}.date"),
            )
        )
    parties = []
    for index, raw in enumerate(_list(data.get("parties"), "parties")):
        raw = _object(raw, f"parties.{index}")
        parties.append(
            Party(
                name=_str(raw.get("name"), f"parties.{index}.name") or "",
                kind=_str(raw.get("kind"), f"parties.{index}.kind"),
                representative_title=_str(raw.get("representative_title"), f"parties.{index}.representative_title"),
            )
        )

    zone = _str(data.get("zone"), "zone")
    if zone is not None:
        normalised = normalise_zone(zone)
        if normalised is None:
            raise _fail(
                "zone",
                f"zone inconnue {_shown(zone)} (attendu : A, B, C, corse, guadeloupe, guyane, "
                "martinique, mayotte ou reunion)",
            )
        zone = normalised

    obligations = data.get("obligations")
    obligations = {} if obligations is None else _object(obligations, "obligations")
    steering = _bool(obligations.get("steering_committee"), "obligations.steering_committee")

    return Input(
        terms=terms,
        signature_date=_date(data.get("signature_date"), "signature_date"),
        signatures=tuple(signatures),
        parties=tuple(parties),
        zone=zone,
        academie=_str(data.get("academie"), "academie"),
        events=tuple(_event(raw, index) for index, raw in enumerate(_list(data.get("events"), "events"))),
        steering_committee=steering is not False,
        steering_committee_month=_month(
            obligations.get("steering_committee_month"), "obligations.steering_committee_month"
        ),
        contact_exchange_month=_month(obligations.get("contact_exchange_month"), "obligations.contact_exchange_month"),
        named_events=tuple(
            _named_event(raw, index) for index, raw in enumerate(_list(data.get("named_events"), "named_events"))
        ),
    )
