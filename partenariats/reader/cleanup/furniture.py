"""Page furniture: running headers and footers, page numbers, junk lines and tables of contents.

Everything here works on lines already tidied by ``normalize.line`` (one list per page) and
only removes lines; it never rewrites one. A removed line leaves its neighbours in place,
so a sentence cut by a page break closes up again.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable

from partenariats.reader.cleanup.normalize import is_heading
from partenariats.reader.lexicon import fold

# How many non-blank lines at the top and at the bottom of a page may be header or footer.
ZONE = 3

# A whole line that is a page number: "- 3 -", "Page 3", "page 3 sur 8", "p. 3", "3/8", "3 / 8".
PAGE_NUMBER = re.compile(
    r"""^(?:
        [-–_.•*(\[]\s*\d{1,3}\s*[-–_.•*)\]]
      | (?:page|p\.?)\s*\d{1,3}(?:\s*(?:/|sur|de)\s*\d{1,3})?
      | \d{1,3}\s*(?:/|sur)\s*\d{1,3}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
BARE_NUMBER = re.compile(r"^\d{1,3}$")
# A running header or footer that carries the page number: "Convention … – page 3/8", "… 3 / 8".
_NUMBERED = re.compile(
    r"(?:\bpage\s*#+(?:\s*(?:/|sur|de)\s*#+)?|(?<![\w#])#+\s*/\s*#+)\s*[-–)\]]?\s*$|^\s*(?:page\s*)?#+\s*(?:/|sur)\s*#+\b"
)
_DIGITS = re.compile(r"\d+")
_BLANKS = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
# A line that ends a sentence or a list item; anything else runs on into the next line.
_CLOSED = re.compile(r"[.!?:;]\W*$")

# Tables of contents.
_CONTENTS_TITLE = re.compile(
    r"^[#*_\s]*(?:sommaire|table\s+des\s+mati[èe]res|plan\s+de\s+la\s+convention)[*_\s:.]*$", re.I
)
# An entry's page reference: dot leaders, a tab, or "p. 3" at the end of the line.
# "… p 8" with one space: a PDF text layer turns the tab before the page reference into a space.
_LEADER_ENTRY = re.compile(
    r"(?:\.{4,}|…{2,}|(?:\. ){3,})\s*(?:p\.?\s*)?\d{1,3}\s*$|\s(?:p\.?|page)\s*\d{1,3}\s*$", re.I
)
_TAB_ENTRY = re.compile(r"\t\s*(?:p\.?\s*)?\d{1,3}\s*$|\s{2,}(?:p\.?\s*)?\d{1,3}\s*$", re.I)
_ENTRY_TAIL = re.compile(r"(?:[\s.…]*(?:p\.?|page)?\s*\d{1,3}\s*)$", re.I)
_NON_WORD = re.compile(r"[\W_]+")


def _key(line: str) -> str:
    """What two copies of a running header share: case, spacing and (when it has one) the page number aside."""
    folded = _BLANKS.sub(" ", line.casefold()).strip()
    numbered = _DIGITS.sub("#", folded)
    return numbered if _NUMBERED.search(numbered) or PAGE_NUMBER.match(line) else folded


def _letters(text: str) -> int:
    return len(_LETTER.findall(text))


def is_page_number(line: str) -> bool:
    """True for a line that is only a page number in one of its usual forms (a bare figure aside)."""
    return bool(PAGE_NUMBER.match(line))


def is_junk(line: str) -> bool:
    """True for OCR debris: a line of one or two characters with neither letter nor figure."""
    stripped = line.strip()
    return 0 < len(stripped) <= 2 and not any(char.isalnum() for char in stripped)


def _could_be_furniture(line: str) -> bool:
    """A line that may repeat as a header: some words, not a heading, not a table row or list opener."""
    return (
        _letters(line) >= 3
        and "\t" not in line
        and len(line) <= 150
        and not line.endswith((",", ";", ":"))
        and not is_heading(line)
    )


def remove_furniture(pages: list[list[str]]) -> list[list[str]]:
    """The pages without running headers, footers, page numbers and junk lines.

    Rule: a line is furniture when it recurs at the top or bottom of at least half the pages
    (two at least), or when it recurs through the text with a sign of being one (a page
    number in it, a page number beside it, or a sentence it interrupts); page numbers go,
    and so do lines of one or two non-letter characters.
    """
    drop: list[set[int]] = [set() for _ in pages]
    zones = [_zone(lines) for lines in pages]

    # 1. Headers and footers at the same place on many pages (real page breaks).
    if len(pages) >= 2:
        seen: Counter[str] = Counter()
        for lines, zone in zip(pages, zones, strict=True):
            seen.update({_key(lines[index]) for index in zone if _could_be_furniture(lines[index])})
        needed = max(2, math.ceil(len(pages) / 2))
        repeated = {key for key, count in seen.items() if count >= needed}
        for number, (lines, zone) in enumerate(zip(pages, zones, strict=True)):
            top = set(zone[: min(ZONE, len(zone))])
            for index in zone:
                key = _key(lines[index])
                if key in repeated and _could_be_furniture(lines[index]):
                    # The first page's letterhead may also be its title: kept there unless numbered.
                    if number == 0 and index in top and "#" not in key:
                        continue
                    drop[number].add(index)
                elif is_page_number(lines[index]) or BARE_NUMBER.match(lines[index]):
                    drop[number].add(index)

    # 2. Page numbers in any of their explicit forms, anywhere.
    for number, lines in enumerate(pages):
        for index, line in enumerate(lines):
            if is_page_number(line) or is_junk(line):
                drop[number].add(index)

    # 3. Lines that recur through the text (a document whose page breaks were lost).
    _repeated_through_text(pages, drop)

    # 4. Bare figures alone on their line: page numbers when beside furniture or counting pages.
    _bare_numbers(pages, drop)

    return [
        [line for index, line in enumerate(lines) if index not in drop[number]] for number, lines in enumerate(pages)
    ]


def _zone(lines: list[str]) -> list[int]:
    """Indexes of the first and last ``ZONE`` non-blank lines of a page, top ones first."""
    filled = [index for index, line in enumerate(lines) if line]
    top = filled[:ZONE]
    bottom = [index for index in filled[-ZONE:] if index not in top]
    return top + bottom


def _neighbour(lines: list[str], index: int, step: int, skip: set[int]) -> int | None:
    """The nearest non-blank line before (step -1) or after (step 1) ``index`` that is not in ``skip``."""
    index += step
    while 0 <= index < len(lines):
        if lines[index] and index not in skip:
            return index
        index += step
    return None


def _repeated_through_text(pages: list[list[str]], drop: list[set[int]]) -> None:
    """Mark lines that recur three times or more (twice when numbered) and show a sign of furniture."""
    places: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for number, lines in enumerate(pages):
        for index, line in enumerate(lines):
            if line and index not in drop[number] and _could_be_furniture(line):
                places[_key(line)].append((number, index))
    for key, found in places.items():
        numbered = bool(_NUMBERED.search(key))
        if len(found) < (2 if numbered else 3):
            continue
        if numbered or any(_looks_inserted(pages[number], index, drop[number]) for number, index in found):
            for number, index in found:
                drop[number].add(index)


def _looks_inserted(lines: list[str], index: int, skip: set[int]) -> bool:
    """True when the line sits beside a page number, or inside a sentence that runs on across it."""
    before = _neighbour(lines, index, -1, set())
    after = _neighbour(lines, index, 1, set())
    for near in (before, after):
        if near is not None and (is_page_number(lines[near]) or BARE_NUMBER.match(lines[near])):
            return True
    before = _neighbour(lines, index, -1, skip | {index})
    after = _neighbour(lines, index, 1, skip | {index})
    if before is None or after is None:
        return False
    runs_on = not _CLOSED.search(lines[before]) and not is_heading(lines[before])
    return runs_on and lines[after][:1].islower()


def _bare_numbers(pages: list[list[str]], drop: list[set[int]]) -> None:
    """Mark bare figures that are page numbers: beside removed furniture, or counting up page by page.

    A figure alone between blank lines is a page number when the next such figure is one more
    (2, then 3); a lone figure with no such sign may be a table cell and stays.
    """
    alone: list[tuple[int, int, int]] = []  # (page, line, value)
    for number, lines in enumerate(pages):
        for index, line in enumerate(lines):
            if index in drop[number] or not BARE_NUMBER.match(line):
                continue
            above, below = index - 1, index + 1
            if (above >= 0 and above in drop[number]) or (below < len(lines) and below in drop[number]):
                drop[number].add(index)
                continue
            isolated = (above < 0 or not lines[above]) and (below >= len(lines) or not lines[below])
            if isolated:
                alone.append((number, index, int(line)))
    for position, (number, index, value) in enumerate(alone):
        previous = alone[position - 1][2] if position > 0 else None
        following = alone[position + 1][2] if position + 1 < len(alone) else None
        if previous == value - 1 or following == value + 1:
            drop[number].add(index)


def remove_contents(pages: list[list[str]]) -> list[list[str]]:
    """The pages without their table of contents.

    Rule: a "Sommaire" / "Table des matières" line and the entries after it go; entries are
    lines ending in a page reference, or (in a contents without page numbers) lines that
    name a heading the text gives again further on. Any run of three or more lines ending
    in dot leaders and a page number goes too, titled or not.
    """
    if not any(
        (line[-1:].isdigit() and _LEADER_ENTRY.search(line)) or _CONTENTS_TITLE.match(line)
        for lines in pages
        for line in lines
    ):
        return pages  # the usual case, decided in one pass
    last_seen: dict[str, tuple[int, int]] = {}  # filled on demand: only a contents without page numbers needs it

    def seen_last() -> dict[str, tuple[int, int]]:
        if not last_seen:
            for number, lines in enumerate(pages):
                for index, line in enumerate(lines):
                    if line:
                        last_seen[_entry_key(line)] = (number, index)
        return last_seen

    result = []
    for number, lines in enumerate(pages):
        drop: set[int] = set()
        for index, line in enumerate(lines):
            if index not in drop and _CONTENTS_TITLE.match(line):
                entries = _titled_entries(lines, number, index + 1, seen_last)
                if len(entries) >= 2:
                    drop.add(index)
                    drop.update(entries)
        drop.update(_leader_runs(lines, drop))
        result.append([line for index, line in enumerate(lines) if index not in drop])
    return result


def _entry_key(line: str) -> str:
    """A heading as a contents entry and as the heading itself both give it: words only, folded."""
    return _NON_WORD.sub(" ", fold(_ENTRY_TAIL.sub("", line))).strip()


def _titled_entries(
    lines: list[str], page: int, start: int, seen_last: Callable[[], dict[str, tuple[int, int]]]
) -> list[int]:
    """Indexes of the entries that follow a contents title, up to the first line that is not one."""
    entries: list[int] = []
    with_pages: bool | None = None  # a contents gives page numbers to all its entries or to none
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        referenced = bool(_LEADER_ENTRY.search(line) or _TAB_ENTRY.search(line))
        if with_pages is None:
            with_pages = referenced
        if with_pages:
            entry = referenced
        else:
            key = _entry_key(line)
            entry = bool(key) and seen_last().get(key, (-1, -1)) > (page, index)
        if not entry:
            break
        entries.append(index)
    return entries


def _leader_runs(lines: list[str], already: set[int]) -> set[int]:
    """Runs of three or more lines ending in dot leaders and a page number (blank lines between allowed)."""
    found: set[int] = set()
    run: list[int] = []
    for index, line in enumerate([*lines, ""]):
        if index < len(lines) and index not in already and line and _LEADER_ENTRY.search(line):
            run.append(index)
        elif line or index == len(lines):
            if len(run) >= 3:
                found.update(run)
            run = []
    return found
