"""The confidentiality and dispute clauses, and the text helpers the rich-field readers share.

A clause is the text of the section whose heading names it ("Confidentialité", "Règlement
des litiges"), else the paragraphs that speak of it; ``None`` when the text says nothing.

The helpers (folding, markup removal, a fallback heading tree, sentence units) live here
because the rich-field readers (programmes, commitments, contacts, actions) all import this
module, which runs first of them.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from partenariats.reader.model import Document, Findings, Heading, Structure

# ---------------------------------------------------------------------------------------------
# Folding: copies of the text of the SAME length, so that offsets found in them stay valid.


class _FoldTable(dict):
    """``str.translate`` table built on demand: each character to one folded character."""

    def __init__(self, strip_accents: bool):
        super().__init__()
        self.strip_accents = strip_accents

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "’‘`´ʼ":
            value = "'"
        elif char in "–—−‐‑":
            value = "-"
        elif char in "\u00a0\u202f\u2009":
            value = " "
        else:
            base = unicodedata.normalize("NFD", char)[0] if self.strip_accents else char
            low = base.lower()
            value = low if len(low) == 1 else base
        self[code] = value
        return value


_ACCENTLESS = _FoldTable(strip_accents=True)
_LOWER = _FoldTable(strip_accents=False)


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes and dashes unified; same length as ``text``."""
    return text.translate(_ACCENTLESS)


@lru_cache(maxsize=512)
def lower(text: str) -> str:
    """Lower case with apostrophes and dashes unified, accents kept; same length as ``text``."""
    return text.translate(_LOWER)


# ---------------------------------------------------------------------------------------------
# Markup: the cleaned text may still hold Markdown or HTML left by the converters.

_TAG = re.compile(r"</?(?:p|li|ul|ol|br|div|span|i|b|em|strong|sup|sub|u|td|tr|table)\b[^>]*>", re.IGNORECASE)
_SUPERSCRIPT = re.compile(r"\s*\^\s*\{?([A-Za-zèé]{1,3})\}?")
_LINK = re.compile(r"\[([^\]]+)\]\((?:https?:|www\.)[^)]*\)")
_EMPHASIS = re.compile(r"(?m)\*{1,3}|_{2,3}|^[ \t]*#{1,6}[ \t]*")
_SPACES = re.compile(r"\s+")


def plain(text: str) -> str:
    """The passage as a reader sees it: markup removed, "1 ^{er}" as "1er", spaces collapsed."""
    text = _TAG.sub(" ", text)
    text = _SUPERSCRIPT.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------
# Headings: the structure reader's tree, or a light one of our own when it found nothing.

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_MARKUP_PREFIX = r"[ \t]*(?:#{1,6}[ \t]*)?(?:[*_]{1,3}[ \t]*)*(?:[•·▪\-–][ \t]*)?(?:[*_]{1,3}[ \t]*)*"
_HEADING_NAMED = re.compile(
    rf"(?im)^{_MARKUP_PREFIX}(article|titre|annexe|chapitre)[ \t]+(\d{{1,2}}|[ivxlc]{{1,6}}|premier|1er)\b"
    r"[ \t]*(?:[–—−:.\-][ \t]*)?([^\n]{0,300})$"
)
_HEADING_NUMBERED = re.compile(
    rf"(?m)^{_MARKUP_PREFIX}(\d{{1,2}}(?:[ \t]?\.[ \t]?\d{{1,2}})+)\.?[ \t]+(\S[^\n]{{0,200}})$"
)
_HEADING_PREAMBLE = re.compile(rf"(?im)^{_MARKUP_PREFIX}(pr[ée]ambule)[ \t*_:]*$")
_TOC_LINE = re.compile(r"(?:\t|\s{2,}|\.{3,})\s*(?:p\.?|page)?\s*\d{1,3}\s*$", re.IGNORECASE)
_LABEL_TRIM = re.compile(r"^[\s*_#:.–—\-]+|[\s*_#:]+$")


def _arabic(number: str) -> str:
    upper = number.upper()
    if upper in ("PREMIER", "1ER"):
        return "1"
    if upper.isdigit():
        return str(int(upper))
    total = 0
    for char, following in zip(upper, [*upper[1:], ""], strict=False):
        value = _ROMAN.get(char, 0)
        total += -value if following and _ROMAN.get(following, 0) > value else value
    return str(total)


@lru_cache(maxsize=16)
def fallback_structure(text: str) -> Structure:
    """A heading tree read from numbered lines ("Article 2 –", "TITRE II", "2.3 …", "Annexe 1")."""
    found: list[tuple[int, int, str, str, str, int]] = []  # start, end, kind, number, label, level
    for match in _HEADING_NAMED.finditer(text):
        if _TOC_LINE.search(match.group(0)):
            continue  # a table of contents line, not the heading itself
        word = match.group(1).lower()
        kind = {"article": "article", "titre": "title", "annexe": "annex", "chapitre": "title"}[word]
        label = _LABEL_TRIM.sub("", plain(match.group(3)))
        found.append((match.start(), match.end(), kind, _arabic(match.group(2)), label, 1))
    for match in _HEADING_NUMBERED.finditer(text):
        if _TOC_LINE.search(match.group(0)) or len(plain(match.group(2))) < 3:
            continue
        number = re.sub(r"[ \t]", "", match.group(1))
        label = _LABEL_TRIM.sub("", plain(match.group(2)))
        found.append((match.start(), match.end(), "section", number, label, number.count(".") + 1))
    for match in _HEADING_PREAMBLE.finditer(text):
        found.append((match.start(), match.end(), "preamble", "", "", 1))
    found.sort()
    if any(item[2] == "title" for item in found):
        # articles inside titles: one level down, their sections too
        found = [(*item[:5], item[5] + 1) if item[2] in ("article", "section") else item for item in found]
    headings = [
        Heading(kind, number, label, level, start, end, len(text)) for start, end, kind, number, label, level in found
    ]
    top: list[Heading] = []
    stack: list[Heading] = []
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop().body_end = heading.start
        if stack:
            stack[-1].children.append(heading)
        else:
            top.append(heading)
        stack.append(heading)
    # an ancestor's section ends where the next heading of its level or higher begins
    for index, heading in enumerate(headings):
        for later in headings[index + 1 :]:
            if later.level <= heading.level:
                heading.body_end = later.start
                break
        else:
            heading.body_end = len(text)
    return Structure(top=top)


def structure_of(document: Document) -> Structure:
    """The structure reader's headings, or our own fallback when it found none."""
    if document.structure.top:
        return document.structure
    return fallback_structure(document.text.text)


def heading_path(structure: Structure, offset: int) -> list[Heading]:
    """The headings whose sections hold ``offset``, outermost first."""
    path: list[Heading] = []
    level = structure.top
    while True:
        for heading in level:
            if heading.start <= offset < heading.body_end:
                path.append(heading)
                level = heading.children
                break
        else:
            return path


def section_number(structure: Structure, offset: int) -> str | None:
    """The number of the deepest numbered heading holding ``offset`` ("1.3.2"), or None."""
    for heading in reversed(heading_path(structure, offset)):
        if heading.number and heading.kind != "annex":
            return heading.number
    return None


def body_region(document: Document) -> tuple[int, int]:
    """Where the operative articles are: after the preamble, before the signatures and annexes."""
    text = document.text.text
    headings = list(structure_of(document).walk())
    numbered = [h for h in headings if h.kind in ("article", "title", "section") and h.number]
    if numbered:
        start = numbered[0].start
    else:
        agreed = list(_AGREED.finditer(text))
        start = agreed[-1].end() if agreed else 0
    end = len(text)
    annexes = [h.start for h in headings if h.kind == "annex" and h.start > start]
    if annexes:
        end = annexes[0]
    signed = [m.start() for m in _SIGNED.finditer(text, start, end)]
    if signed:
        end = signed[-1]
    return start, end


_AGREED = re.compile(r"(?i)(?:convenu|arr[êe]t[ée]|conviennent de) ce qui suit\s*[.:]?")
_SIGNED = re.compile(
    r"(?im)^[ \t*_]*(?:fait|effectu[ée]e?|[ée]tabli|convention [ée]tablie|sign[ée]e?)\b[^\n]{0,40}"
    r"(?:\bà\b|\ben\b|\ble\b)[^\n]{0,80}(?:exemplaires?|\d{4}|…|\.\.\.|__)"
)

# ---------------------------------------------------------------------------------------------
# Units: sentences and list items, with their offsets.

BULLET = re.compile(
    r"[ \t]*(?:<li[^>]*>|[-•·▪◦●✓√✔➢➤►*–](?:[ \t]*[•·▪◦●✓√✔➢➤►])?|\d{1,2}[.)](?=[ \t])|[a-z]\)(?=[ \t]))[ \t]*"
)
_BOUNDARY = re.compile(r"[.!?](?=\s)|[:;][ \t]*(?=\n)|\n[ \t]*\n|\n(?=[ \t]*(?:<li|[-•·▪◦●✓√✔➢➤►–]))|<li[^>]*>")
_ABBREVIATIONS = {"m", "mme", "mlle", "dr", "cf", "art", "n", "no", "p", "ex", "st", "ste"}
_THREE_LETTERS = re.compile(r"(?:[\W_]*[^\W_]){3}")
_WORD_BEFORE = re.compile(r"(\w+)\.?$")


@dataclass(frozen=True)
class Unit:
    """A sentence or a list item: ``start``–``end`` in the cleaned text."""

    start: int
    end: int
    item: bool  # it was a list item (bullet or "1.")

    def text(self, full: str) -> str:
        return plain(full[self.start : self.end])


def _cut(text: str, a: int, b: int) -> list[int]:
    cuts = [a]
    for match in _BOUNDARY.finditer(text, a, b):
        token = match.group(0)
        if token[0] in ".!?":
            word = _WORD_BEFORE.search(text, max(a, match.start() - 12), match.start())
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue  # "M. Dupont", "cf. annexe", initials
            following = text[match.end() : match.end() + 3].lstrip()
            if following and following[0].islower():
                continue
            cuts.append(match.end())
        elif token[0] == "\n":
            before = text[a : match.start()].rstrip()
            after = text[match.end() : match.end() + 40].lstrip()
            # a blank line inside a sentence is an OCR wrap: cut only after punctuation or before a bullet
            if not before or before[-1] in ".:;!?»)" or BULLET.match(after) or "\n" not in token[1:]:
                cuts.append(match.start())
        elif token.startswith("<li"):
            cuts.append(match.start())
        else:
            cuts.append(match.end())
    cuts.append(b)
    return cuts


@lru_cache(maxsize=32)
def units(text: str, a: int, b: int, skip: tuple[tuple[int, int], ...] = ()) -> tuple[Unit, ...]:
    """The sentences and list items of ``text[a:b]``, heading lines (``skip``) left out."""
    pieces: list[tuple[int, int]] = []
    cursor = a
    for start, end in sorted(skip):
        if end <= cursor or start >= b:
            continue
        if start > cursor:
            pieces.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < b:
        pieces.append((cursor, b))
    found: list[Unit] = []
    for piece_start, piece_end in pieces:
        cuts = _cut(text, piece_start, piece_end)
        for start, end in itertools.pairwise(cuts):
            chunk = text[start:end]
            lead = len(chunk) - len(chunk.lstrip())
            start += lead
            end -= len(chunk) - len(chunk.rstrip())
            if end <= start:
                continue
            bullet = BULLET.match(text, start, end)
            item = bool(bullet and bullet.end() > start)
            if item:
                start = bullet.end()
            if _THREE_LETTERS.match(text, start, end):
                found.append(Unit(start, end, item))
    return tuple(found)


def heading_spans(structure: Structure) -> tuple[tuple[int, int], ...]:
    return tuple((h.start, h.end) for h in structure.walk() if h.end > h.start)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Paragraphs of ``text[a:b]``: blank lines cut, except inside a sentence (an OCR wrap)."""
    spans: list[tuple[int, int]] = []
    start = a
    for match in _PARAGRAPH_BREAK.finditer(text, a, b):
        before = text[start : match.start()].rstrip()
        if before and before[-1] not in ".:;!?»)":
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, b))
    result = []
    for start, end in spans:
        chunk = text[start:end]
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        if end > start:
            result.append((start, end))
    return result


def tidy(text: str, a: int, b: int) -> str:
    """The passage's paragraphs, each in plain text, separated by a blank line."""
    return "\n\n".join(part for part in (plain(text[s:e]) for s, e in paragraphs(text, a, b)) if part)


# ---------------------------------------------------------------------------------------------
# The clauses themselves.

_CONFIDENTIAL_HEADING = re.compile(r"confidenti|\bsecret\b|discretion")
_CONFIDENTIAL_TEXT = re.compile(
    r"caractere confidentiel|confidentialite|secret professionnel|informations? confidentielles?"
    r"|strictement confidenti|obligation de (?:discretion|reserve)|tenus? (?:a|au) la discretion"
)
_DISPUTE_HEADING = re.compile(r"litige|differend|contentieux|juridiction|conciliation|mediation|arbitrage")
_DISPUTE_TEXT = re.compile(
    r"\blitiges?\b|\bdifferends?\b|\bcontentieux\b|tribunal|juridiction|a l'amiable|amiablement"
    r"|conciliation|mediation"
)


def _clause(document: Document, heading_rule: re.Pattern, text_rule: re.Pattern) -> tuple[str, int, int] | None:
    """The clause's text and span: its section when a heading names it, else the paragraphs."""
    text = document.text.text
    folded = fold(text)
    structure = structure_of(document)
    sections = [
        h
        for h in structure.walk()
        if h.kind != "preamble" and h.label and heading_rule.search(fold(h.label)) and h.body_end > h.end
    ]
    # keep the outermost matching sections, in order
    kept: list[Heading] = []
    for heading in sections:
        if not any(k.start <= heading.start < k.body_end for k in kept):
            kept.append(heading)
    if kept:
        parts = [tidy(text, h.end, h.body_end) for h in kept]
        return "\n\n".join(p for p in parts if p), kept[0].end, kept[-1].body_end
    spans = [(s, e) for s, e in paragraphs(text, 0, len(text)) if text_rule.search(folded, s, e)]
    if not spans:
        return None
    return "\n\n".join(plain(text[s:e]) for s, e in spans), spans[0][0], spans[-1][1]


def read(document: Document, found: Findings) -> None:
    """Record the confidentiality and dispute clauses' texts, or None when the text has none."""
    for path, heading_rule, text_rule in (
        ("confidentiality_clause", _CONFIDENTIAL_HEADING, _CONFIDENTIAL_TEXT),
        ("dispute_clause", _DISPUTE_HEADING, _DISPUTE_TEXT),
    ):
        clause = _clause(document, heading_rule, text_rule)
        if clause and clause[0]:
            found.set(path, clause[0], start=clause[1], end=clause[2], confidence=0.85)
        else:
            found.set(path, None)
