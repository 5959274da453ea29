"""Deterministic OCR damage for tests: the same clean text, as a scanner and an OCR would spoil it.

``noisy(text, seed)`` splits words at inner positions ("entre prises" → "e ntreprises"),
cuts words with an end-of-line hyphen, loses accents on capitals ("École" → "Ecole"),
reads "û" as "ü", curls apostrophes, doubles some spaces and inserts a running header,
a footer and page numbers every ~50 lines. Tests check that the reader gives the same
answer on a sample and on its noisy version.

Only damage a careful human reader can undo is produced: a word is split only where one
of the two pieces is no word by itself ("immers ion", never "pour suivre"), and e-mails,
URLs and figures are left alone.
"""

from __future__ import annotations

import random
import re

from partenariats.reader import lexicon

_WORD = re.compile(r"[^\W\d_]+")
_PROTECTED = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:fr|com|org|net|eu)\b")
_CAPITALS = str.maketrans({"É": "E", "È": "E", "Ê": "E", "À": "A", "Ç": "C", "Î": "I", "Ô": "O", "Û": "U"})
HEADER = "Convention de partenariat – page {page}/{pages}"
FOOTER = "- {page} -"


def noisy(
    text: str,
    seed: int,
    *,
    split_rate: float = 0.02,
    hyphen_rate: float = 0.01,
    accent_loss: float = 0.5,
    furniture: bool = True,
    quotes: bool = True,
    double_spaces: float = 0.02,
) -> str:
    """``text`` damaged as OCR would, the same way for the same ``seed``."""
    rng = random.Random(seed)
    lines = [_damage_line(line, rng, split_rate, hyphen_rate, accent_loss, double_spaces) for line in text.split("\n")]
    damaged = "\n".join(lines)
    if quotes:
        damaged = damaged.replace("'", "’")
    if furniture:
        damaged = _add_furniture(damaged)
    return damaged


def _damage_line(
    line: str, rng: random.Random, split_rate: float, hyphen_rate: float, accent_loss: float, spaces: float
) -> str:
    protected = [match.span() for match in _PROTECTED.finditer(line)]

    def damage(match: re.Match[str]) -> str:
        word = match.group()
        start, end = match.span()
        if any(low < end and start < high for low, high in protected):
            return word
        roll = rng.random()
        if roll < split_rate and len(word) >= 4:
            position = rng.randint(1, len(word) - 1)
            left, right = word[:position], word[position:]
            if _undoable(left, right):
                word = f"{left} {right}"
        elif roll < split_rate + hyphen_rate and len(word) >= 6 and end < len(line):
            position = rng.randint(2, len(word) - 2)
            word = f"{word[:position]}-\n{word[position:]}"
        return word

    line = _WORD.sub(damage, line)
    if accent_loss:
        line = "".join(
            char.translate(_CAPITALS) if char in "ÉÈÊÀÇÎÔÛ" and rng.random() < accent_loss else char for char in line
        )
        line = "".join("ü" if char == "û" and rng.random() < accent_loss else char for char in line)
    if spaces:
        line = "".join("  " if char == " " and rng.random() < spaces else char for char in line)
    return line


def _undoable(left: str, right: str) -> bool:
    """True when a reader can tell the two pieces are one word: one of them is no word alone."""

    def alone(piece: str) -> bool:
        return (len(piece) > 1 or piece.lower() in "aày") and lexicon.frequency(piece) >= 1000

    return not (alone(left) and alone(right))


def _add_furniture(text: str) -> str:
    """A footer, a page number and a running header between pages of about fifty lines."""
    lines = text.split("\n")
    every = max(8, min(50, len(lines) // 3))
    breaks = list(range(every, len(lines), every))
    pages = len(breaks) + 1
    result: list[str] = []
    for index, line in enumerate(lines):
        if index in breaks:
            page = breaks.index(index) + 1
            result.append(FOOTER.format(page=page))
            result.append(HEADER.format(page=page + 1, pages=pages))
        result.append(line)
    return "\n".join(result)
