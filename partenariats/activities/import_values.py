"""Reading the cells of an activity import: dates, counts, yes/no, kinds and levels as people
type them. Each reader returns the value, or raises :class:`CellError` with a French message.

Plain functions over text, tested with any input.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from partenariats.activities.models import ActivityKind, Level
from partenariats.core.text import fold


class CellError(ValueError):
    """A cell that cannot be read; the message is for the user."""


_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_day(text: str, what: str = "la date", *, latest: date | None = None) -> date:
    """« 14/11/2025 », « 14.11.25 » or « 2025-11-14 » (what a spreadsheet writes), from the year
    2000 to ``latest``."""
    text = text.strip()
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        year += 2000 if year < 100 else 0
    else:
        raise CellError(f"{what} « {text} » n’est pas reconnue (attendu : JJ/MM/AAAA)")
    try:
        value = date(year, month, day)
    except ValueError as exc:
        raise CellError(f"{what} « {text} » n’existe pas") from exc
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise CellError(f"{what} « {text} » est invraisemblable")
    if latest is not None and value > latest:
        raise CellError(f"{what} « {text} » est plus d’un an après aujourd’hui")
    return value


def parse_count(text: str, what: str, maximum: int = 32767) -> int:
    """A whole number of people, classes…: empty is 0; « 24 », « 24,0 » and « 1 200 » are read."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = re.sub(r"[.,]0+$", "", cleaned)
    if not cleaned:
        return 0
    if re.fullmatch(r"[-−]\d+", cleaned):
        raise CellError(f"le nombre {what} « {text} » est négatif")
    if not cleaned.isdigit() or not cleaned.isascii():
        raise CellError(f"le nombre {what} « {text} » n’est pas un nombre entier")
    value = int(cleaned)
    if value > maximum:
        raise CellError(f"le nombre {what} « {text} » dépasse {maximum}")
    return value


def parse_hours(text: str, maximum: int = 10_000) -> Decimal:
    """A duration in hours with one decimal at most: « 2 », « 1,5 », « 1.5 »; empty is 0."""
    cleaned = text.replace(" ", "").replace(",", ".")
    if not cleaned:
        return Decimal(0)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise CellError(f"la durée « {text} » n’est pas un nombre d’heures") from exc
    if not value.is_finite():
        raise CellError(f"la durée « {text} » n’est pas un nombre d’heures")
    if value < 0:
        raise CellError(f"la durée « {text} » est négative")
    if value >= maximum:
        raise CellError(f"la durée « {text} » dépasse {maximum - 1} heures")
    if value != value.quantize(Decimal("0.1")):
        raise CellError(f"la durée « {text} » a plus d’une décimale")
    return value.quantize(Decimal("0.1"))


_YES = {"oui", "o", "x", "1", "vrai", "yes", "y", "true"}
_NO = {"", "non", "n", "0", "faux", "no", "false", "-"}


def parse_yes_no(text: str, what: str) -> bool:
    folded = fold(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellError(f"« {text} » n’est pas une réponse (oui ou non) pour « {what} »")


_KIND_WORDS = {
    # Usual words only where they cannot mean another kind (« stage » may be an observation or a PFMP).
    "visite": ActivityKind.COMPANY_VISIT,
    "visite d'entreprise": ActivityKind.COMPANY_VISIT,
    "intervention": ActivityKind.TALK_IN_SCHOOL,
    "forum": ActivityKind.FORUM_STAND,
    "salon": ActivityKind.FORUM_STAND,
    "stage d'observation": ActivityKind.OBSERVATION,
    "sequence d'observation": ActivityKind.OBSERVATION,
    "pfmp": ActivityKind.PLACEMENT,
    "immersion": ActivityKind.TEACHER_IMMERSION,
    "jury": ActivityKind.EXAM_JURY,
    "pret de salle": ActivityKind.ROOM_LOAN,
    "orientation": ActivityKind.GUIDANCE_EVENT,
    "concours": ActivityKind.COMPETITION,
    "parrainage": ActivityKind.MENTORING,
    "tutorat": ActivityKind.MENTORING,
    "video": ActivityKind.PUPIL_VIDEO,
    "cv": ActivityKind.CV_CIRCULATION,
    "autre": ActivityKind.OTHER,
}
KIND_HELP = ", ".join(f"« {label} »" for label in ActivityKind.labels)


def activity_kind(text: str) -> str:
    """The kind from its code, its label (« Visite d’entreprise ») or a usual word (« PFMP »)."""
    folded = fold(text)
    for kind in ActivityKind:
        if folded in (kind.value, fold(kind.label)):
            return kind.value
    if folded in _KIND_WORDS:
        return _KIND_WORDS[folded].value
    if not folded:
        raise CellError("le type d’activité est vide")
    raise CellError(f"le type « {text} » est inconnu (valeurs possibles : {KIND_HELP})")


_LEVEL_WORDS = {
    "6eme": Level.SIXIEME,
    "sixieme": Level.SIXIEME,
    "5eme": Level.CINQUIEME,
    "cinquieme": Level.CINQUIEME,
    "4eme": Level.QUATRIEME,
    "quatrieme": Level.QUATRIEME,
    "3eme": Level.TROISIEME,
    "troisieme": Level.TROISIEME,
    "2nde": Level.SECONDE_GT,
    "seconde": Level.SECONDE_GT,
    "2nde gt": Level.SECONDE_GT,
    "2de": Level.SECONDE_GT,
    "2nde pro": Level.SECONDE_PRO,
    "seconde pro": Level.SECONDE_PRO,
    "2nde bac pro": Level.SECONDE_PRO,
    "1ere": Level.PREMIERE,
    "premiere": Level.PREMIERE,
    "terminale": Level.TERMINALE,
    "term": Level.TERMINALE,
    "bts": Level.POST_BAC,
    "post-bac": Level.POST_BAC,
    "post bac": Level.POST_BAC,
    "cpge": Level.POST_BAC,
    "apprenti": Level.APPRENTICES,
    "ecole": Level.PRIMARY,
    "primaire": Level.PRIMARY,
    "cm1": Level.PRIMARY,
    "cm2": Level.PRIMARY,
    "autre": Level.OTHER,
}
LEVEL_HELP = "6e, 5e, 4e, 3e, 2nde GT, 2nde pro, 1re, terminale, CAP, post-bac, apprentis, école, autre (ou vide)"


def level(text: str) -> str:
    """The pupils' level from its code, its label or a usual spelling (« 3ème », « Seconde pro »)."""
    folded = fold(text)
    if not folded:
        return Level.OTHER.value
    for choice in Level:
        if folded in (choice.value, fold(choice.label)):
            return choice.value
    if folded in _LEVEL_WORDS:
        return _LEVEL_WORDS[folded].value
    raise CellError(f"le niveau « {text} » est inconnu (valeurs possibles : {LEVEL_HELP})")
