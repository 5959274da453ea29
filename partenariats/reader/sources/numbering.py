"""Word's automatic numbering: the "Article 3 –", "1.2", "b)" or bullet Word draws before a paragraph.

Rule: a paragraph numbered by a list (its own ``w:numPr`` or its style's) gets the level's
``lvlText`` with each ``%n`` replaced by the counter of level n in its format (decimal, Roman,
letters); counters run per abstract list and a level restarts when a higher one advances;
bullets become "- ". python-docx leaves this numbering out of the text, and articles numbered
by Word would otherwise lose their numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn

VAL = qn("w:val")
PLACEHOLDER = re.compile(r"%([1-9])")
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"))
ROMAN_SMALL = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(number: int) -> str:
    out = []
    for value, letters in ROMAN + ROMAN_SMALL:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _letters(number: int) -> str:
    # Word repeats the letter past z: a … z, aa … zz
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_counter(number: int, fmt: str) -> str:
    """``number`` as Word writes it in the list format ``fmt``."""
    if number <= 0:
        return str(number)
    if fmt == "upperRoman":
        return _roman(number).upper()
    if fmt == "lowerRoman":
        return _roman(number)
    if fmt == "upperLetter":
        return _letters(number).upper()
    if fmt == "lowerLetter":
        return _letters(number)
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt == "ordinal":
        return "1er" if number == 1 else f"{number}e"
    if fmt == "none":
        return ""
    return str(number)  # decimal and the exotic formats


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    style: str | None = None  # the paragraph style this level is bound to


@dataclass
class Numbering:
    """The lists of one document and their running counters."""

    abstracts: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId → (abstract, start overrides)
    counters: dict[str, list[int | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError, ValueError):
            return numbering
        for abstract in root.findall(qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(qn("w:lvl")):
                level = _Level()
                fmt, text, start, style = (
                    lvl.find(qn(f"w:{name}")) for name in ("numFmt", "lvlText", "start", "pStyle")
                )
                level.fmt = fmt.get(VAL, "decimal") if fmt is not None else "decimal"
                level.text = text.get(VAL, "") if text is not None else ""
                level.start = _int(start.get(VAL)) if start is not None else 1
                level.style = style.get(VAL) if style is not None else None
                levels[_int(lvl.get(qn("w:ilvl")))] = level
            numbering.abstracts[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            link = num.find(qn("w:abstractNumId"))
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    overrides[_int(override.get(qn("w:ilvl")))] = _int(start.get(VAL))
            numbering.nums[num.get(qn("w:numId"), "")] = (link.get(VAL, "") if link is not None else "", overrides)
        return numbering

    def label(self, paragraph) -> str:
        """The number Word draws before ``paragraph`` ("Article 2 – ", "1.3 ", "- "), or ""."""
        if not self.nums:
            return ""
        found = _num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl, style_id = found
        if num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstracts.get(abstract_id, {})
        if ilvl is None:  # numbered through a style: the level bound to that style
            ilvl = next((index for index, level in levels.items() if level.style == style_id), 0)
        level = levels.get(ilvl)
        if level is None:
            return ""
        if level.fmt == "bullet":
            return "- "
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        if not 0 <= ilvl < 9:
            return ""
        current = counters[ilvl]
        counters[ilvl] = overrides.get(ilvl, level.start) if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None

        def value(match: re.Match) -> str:
            index = int(match.group(1)) - 1
            counted = counters[index]
            if counted is None:  # a level never used before this one: Word shows its start
                other = levels.get(index, _Level())
                counted = overrides.get(index, other.start)
            return format_counter(counted, levels.get(index, _Level()).fmt)

        text = PLACEHOLDER.sub(value, level.text).strip()
        return f"{text} " if text else ""


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _num_pr(paragraph) -> tuple[str, int | None, str | None] | None:
    """(numId, level or None, style id) of the list numbering ``paragraph``, or None."""
    p_pr = paragraph._p.pPr
    style_id = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else None
    if p_pr is not None and p_pr.numPr is not None:
        num_pr = p_pr.numPr
        num_id = num_pr.numId.val if num_pr.numId is not None else None
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        if num_id is not None:
            return None if num_id == 0 else (str(num_id), ilvl, style_id)  # numId 0: numbering removed
    # numbering inherited from the style or the styles it is based on
    try:
        style = paragraph.style
    except (KeyError, ValueError, AttributeError):
        return None
    for _ in range(10):  # a basedOn chain; bounded against loops
        if style is None:
            return None
        element = style.element
        num_pr = element.pPr.numPr if element.pPr is not None else None
        if num_pr is not None and num_pr.numId is not None:
            if num_pr.numId.val == 0:
                return None
            ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else None
            return (str(num_pr.numId.val), ilvl, style.style_id)
        style = style.base_style
    return None
