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


# Not characters in XML 1.0, although Unicode does not class them as control characters.
_NON_CHARACTERS = frozenset("\ufffe\uffff")
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs"})


def xml_safe(text: str) -> str:
    """Only what an XML document can carry: no control characters (but tab and line ends), no
    lone surrogate, no U+FFFE or U+FFFF. Forms refuse only NUL, so any text typed on the platform
    may hold the others; an SVG chart, a DOCX or an XLSX built from it would be refused."""
    return "".join(
        char
        for char in text
        if char in "\t\n\r" or (unicodedata.category(char) not in _UNSAFE_CATEGORIES and char not in _NON_CHARACTERS)
    )


def xml_safe_data(value):
    """``value`` (JSON-like: dicts, lists, texts, numbers) with every text made ``xml_safe``."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: xml_safe_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(xml_safe_data(item) for item in value)
    return value
