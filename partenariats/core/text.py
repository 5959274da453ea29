"""Text helpers shared by search and imports."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str | None) -> str:
    """Lower-case, accent-free, single-spaced text: what accent-insensitive search compares."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("’", "'")
    return _SPACES.sub(" ", stripped.casefold()).strip()


# The months as French writes them (« 1er mars 2021 »), January first.
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
