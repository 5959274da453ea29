"""Personal data out of the public documents: e-mail addresses, French telephone numbers and the
names of the people the platform knows.

Plain Python, no Django: the minutes and the review both scrub their free texts with ``scrub``
before a public version is drawn (the names come from ``partenariats.steering.names``).
"""

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

REMOVED = "[coordonnées retirées]"
NAME_REMOVED = "[nom retiré]"

# The local part as RFC 5322 allows it unquoted (atext and dots), the domain as a host name.
EMAIL = re.compile(r"[\w!#$%&'*+\-/=?^`{|}~.]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)

# 06 12 34 56 78, 06.12.34.56.78, 06-12-34-56-78, 0612345678, +33 6 12 34 56 78, +33 (0)6 12…,
# 0033 6 12…: ten digits starting with 0 (or the country code instead of the 0). A year range
# (« 2025-2026 »), a count (« 340 élèves ») or a date (« 01/12/2026 ») has no such shape.
PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)"
    r"[1-9](?:[\s.\-]?\d{2}){4}"
    r"(?!\d)"
)


# « Mme Durand », « M. Le Gall », « Monsieur Dupont-Moretti »: a civility then a capitalised word (and
# its particle), whoever it is; « Monsieur le Recteur », « Madame la Présidente » are kept.
_SURNAME = r"[A-ZÀ-ÖØ-Þ][\w’'\-]*"
CIVILITY = re.compile(
    r"(?<!\w)(?i:Mme|Mlle|Mmes|MM\.|M\.|Madame|Mademoiselle|Monsieur|Messieurs|Mesdames)\s+"
    rf"(?:(?:de|du|des|d’|d'|van|von|da|di)\s*)?{_SURNAME}(?:\s+{_SURNAME})?",
)


def scrub_personal_data(text: str) -> str:
    """``text`` with every e-mail address and French telephone number replaced by « [coordonnées retirées] »."""
    if not text:
        return text or ""
    text = EMAIL.sub(REMOVED, text)
    return PHONE.sub(REMOVED, text)


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for all ``names``, longest first (« Marie Anne Dupont » before « Anne Dupont »),
    whatever the case and the spaces between the words, as whole words only."""
    if not names:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, name.split())) for name in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def normalise_names(names: Iterable[str]) -> tuple[str, ...]:
    """The distinct non-blank ``names``, spaces collapsed, longest first."""
    cleaned = {" ".join(name.split()) for name in names if name and name.strip()}
    return tuple(sorted(cleaned, key=lambda name: (-len(name), name)))


def scrubber(names: Iterable[str] = ()) -> Callable[[str], str]:
    """``scrub`` with ``names`` prepared once, for many texts."""
    pattern = _names_pattern(normalise_names(names))

    def scrub_one(text: str) -> str:
        if not text:
            return text or ""
        text = scrub_personal_data(text)
        if pattern:
            text = pattern.sub(NAME_REMOVED, text)
        return CIVILITY.sub(NAME_REMOVED, text)

    return scrub_one


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """``text`` without e-mail addresses and telephone numbers (« [coordonnées retirées] »),
    without any of ``names`` and without a surname after a civility (« [nom retiré] »)."""
    return scrubber(names)(text)
