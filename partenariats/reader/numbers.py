"""Numbers as conventions write them: Roman numerals ("TITRE II") and French number words ("cinq ans")."""

from __future__ import annotations

import re

from text_to_num import text2num

_ROMAN_VALUES = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
# Canonical Roman numerals only, 1 to 3999: "IIII" or "VX" are not numbers but OCR noise or words.
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")

# Ordinal spellings that text2num does not know.
_ORDINALS = {"premier": 1, "premiere": 1, "première": 1, "1er": 1, "1ère": 1, "1ere": 1, "unique": 1}


def int_to_roman(value: int) -> str:
    """The canonical Roman numeral of ``value`` (1 to 3999)."""
    if not 1 <= value <= 3999:
        raise ValueError(f"{value} has no Roman numeral")
    parts = []
    for amount, letters in _ROMAN_VALUES:
        count, value = divmod(value, amount)
        parts.append(letters * count)
    return "".join(parts)


def roman_to_int(text: str) -> int | None:
    """The value of a canonical Roman numeral (any case), or None when ``text`` is not one."""
    upper = text.strip().upper()
    if not upper or not _ROMAN.match(upper):
        return None
    total = 0
    index = 0
    for amount, letters in _ROMAN_VALUES:
        while upper.startswith(letters, index):
            total += amount
            index += len(letters)
    return total


def word_to_int(text: str) -> int | None:
    """The value of a French number written in words or figures ("vingt-quatre", "un", "3"), or None."""
    word = " ".join(text.strip().lower().replace("\u2011", "-").split())
    if not word:
        return None
    if word.isdigit():
        return int(word)
    if word in _ORDINALS:
        return _ORDINALS[word]
    try:
        value = text2num(word, "fr")
    except (ValueError, TypeError):
        return None
    return value if isinstance(value, int) else None


def heading_number(token: str) -> int | None:
    """A heading's number as printed: figures, a Roman numeral, "1er" or "premier"; None otherwise."""
    token = token.strip().rstrip(".")
    if token.isdigit():
        return int(token)
    lower = token.lower()
    if lower in _ORDINALS:
        return _ORDINALS[lower]
    return roman_to_int(token)
