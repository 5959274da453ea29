"""A convention's term clauses as one plain French sentence (pure Python, no Django).

``describe_terms(terms, start_date)`` reads the ``terms`` object of the engine's input (the
reader's shape: ``start``, ``duration_months``, ``indefinite``, ``tacit_renewal``,
``renewal_months``, ``provisional_extension_months``, ``notice_months``,
``notice_by_registered_letter``, ``termination_effect``, ``termination_date``) and says what
the text says, never what the engine infers: a clause the text leaves out is written "non
précisé(e)". Values of the wrong type count as not stated, so the function never raises.
"""

from datetime import date
from typing import Any

from partenariats.terms.dates import FRENCH_MONTHS, french, parse_date

# The engine's timeline kinds (``TIMELINE_KINDS``), as a French reader names them.
TIMELINE_KIND_LABELS = {
    "signature": "Signature",
    "start": "Entrée en vigueur",
    "amendment": "Avenant",
    "renewal": "Reconduction",
    "school_year_start": "Rentrée scolaire",
    "steering_committee": "Comité de pilotage",
    "contact_exchange": "Échange des listes de contacts",
    "named_event": "Événement annuel",
    "renegotiation_opened": "Renégociation",
    "notice_given": "Dénonciation",
    "notice_deadline": "Date limite de dénonciation",
    "period_end": "Fin de période",
    "provisional_end": "Fin du maintien provisoire",
    "effective_end": "Fin effective",
    "terminated": "Résiliation",
    "expired": "Expiration",
}

EFFECTS = {
    "end_of_notice": "avec effet à l’issue du préavis",
    "end_of_period": "avec effet à la fin de la période en cours",
    "next_school_year_start": "avec effet à la rentrée scolaire suivante",
}


def _months(value: Any) -> int | None:
    """A positive whole number of months, else None (not stated or unreadable)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _duration(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "1 an" if years == 1 else f"{years} ans"
    return f"{months} mois"


def _date(value: Any) -> tuple[date, bool] | None:
    if isinstance(value, date):
        return value, False
    parsed = parse_date(value) if isinstance(value, str) else None
    return parsed


def _from(start_date: date | None, terms: dict, month_only: bool) -> str:
    """``à compter du 18 mars 2021``, ``à compter de mai 2018`` or ``à compter de sa signature``."""
    known = (start_date, month_only) if isinstance(start_date, date) else _date(terms.get("start"))
    if known is None:
        return "à compter de sa signature"
    day, only_month = known
    if only_month:
        return f"à compter de {FRENCH_MONTHS[day.month - 1]} {day.year}"
    return f"à compter du {french(day)}"


def _term(terms: dict, start_date: date | None, month_only: bool) -> tuple[str, bool]:
    """The opening clause, and whether the term is finite (renewal only matters then)."""
    duration = _months(terms.get("duration_months"))
    indefinite = _flag(terms.get("indefinite"))
    starts = _from(start_date, terms, month_only)
    if indefinite is True:
        return f"Conclue pour une durée indéterminée {starts}", False
    if duration is None:
        return f"Conclue sans durée précisée {starts}", False
    return f"Conclue pour {_duration(duration)} {starts}", True


def _renewal(terms: dict) -> str:
    tacit = _flag(terms.get("tacit_renewal"))
    if tacit is None:
        return "reconduction non précisée"
    if tacit is False:
        return "renouvelable uniquement par avenant ou nouvelle convention"
    renewal = _months(terms.get("renewal_months"))
    if renewal is not None and renewal != _months(terms.get("duration_months")):
        return f"reconduite tacitement par périodes de {_duration(renewal)}"
    return "reconduite tacitement"


def _termination(terms: dict) -> str:
    notice = _months(terms.get("notice_months"))
    registered = _flag(terms.get("notice_by_registered_letter"))
    effect = terms.get("termination_effect")
    parts = []
    if registered is True:
        parts.append("par lettre recommandée")
    elif registered is False:
        parts.append("sans forme imposée")
    if notice is not None:
        parts.append(f"moyennant un préavis de {notice} mois")
    if effect in EFFECTS:
        parts.append(EFFECTS[effect])
    elif effect == "fixed_date":
        fixed = _date(terms.get("termination_date"))
        if fixed is None:
            parts.append("avec effet à une date fixée")
        elif fixed[1]:
            parts.append(f"avec effet en {FRENCH_MONTHS[fixed[0].month - 1]} {fixed[0].year}")
        else:
            parts.append(f"avec effet au {french(fixed[0])}")
    if not parts:
        return "conditions de résiliation non précisées"
    return "résiliable " + " ".join(parts)


def describe_terms(terms: dict, start_date: date | None, *, month_only: bool = False) -> str:
    """One French sentence for the term clauses: duration and start, renewal, continuation, notice."""
    if not isinstance(terms, dict):
        terms = {}
    opening, finite = _term(terms, start_date, month_only)
    clauses = [opening]
    if finite:
        clauses.append(_renewal(terms))
    provisional = _months(terms.get("provisional_extension_months"))
    if provisional is not None:
        clauses.append(f"maintenue au plus {provisional} mois pendant sa renégociation")
    return ", ".join(clauses) + " ; " + _termination(terms) + "."
