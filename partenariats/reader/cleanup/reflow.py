"""Lines broken inside a sentence joined back, and words cut by an end-of-line hyphen.

Text extracted from a PDF keeps the page's line breaks (one every ~90 characters): a
reader looking for "représentée par … Recteur de la région académique Provence-Alpes-Côte
d'Azur" would find it cut in two. This module joins such lines, conservatively:

- a line ending in a word cut by a hyphen ("forma-" / "tion") is always joined to the next;
- in a document laid out in hard-wrapped lines (``measure``: many full-width lines run on
  into a line starting with a small letter), a full-width line (at least 3/4 of the
  text's width: not an address line, a title or the short last line of a paragraph) that
  does not end a sentence or a list item (. ! ? : ;) is joined to the next
  line when that one starts with a small letter, or when the line ends with a grammar
  word that never ends a paragraph ("de", "la", "et"…); never to a heading or a list
  item; across one blank line only in those same cases and never after a comma (a PDF's
  spurious paragraph break inside a sentence, not the blank line after "…, Président,").

Headings stay on their own line (a heading that wraps is completed, never merged with
its body), address blocks and signature blocks keep their lines (they are short), and
Markdown marks are kept. Once joined, the text is no longer hard-wrapped: cleaning it
again joins nothing more.
"""

from __future__ import annotations

import itertools
import re

from partenariats.reader.cleanup.normalize import is_heading
from partenariats.reader.cleanup.words import Vocabulary, keep_hyphen

# A line at least this share of the text's width is a full line, wrapped by the layout.
FULL = 0.75
_CUT = re.compile(r"(?:^|(?<=[^\w-])|(?P<chain>(?<=[^\W\d_]-)))(?P<left>[^\W\d_]+)-$")
_NEXT_WORD = re.compile(r"^(?P<right>[^\W\d_]+)")
_CLOSED = re.compile(r"[.!?:;][\s*_»\"')\]]*$")
# Lines that open a list item or a heading: never the continuation of a sentence.
_ITEM = re.compile(r"^(?:[-–•·*+>√✓✔■□▪◦○●➢➤►|#]|[a-z][).]\s|o\s|\d+[).°]|\(\w\))")
# Grammar words that never end a paragraph: after one, the sentence goes on.
_OPEN_END = re.compile(
    r"(?:^|\s|')(?:de|du|des|la|le|les|l'|d'|et|ou|à|au|aux|en|par|pour|sur|dans|avec|un|une|entre|que|qui)$",
    re.IGNORECASE,
)


def measure(pages: list[list[str]]) -> int | None:
    """The width of a hard-wrapped text (its long lines' length), or None when it is not one.

    A text is hard-wrapped when at least three lines, and a tenth of its lines, are full
    lines that run on into the next; text whose paragraphs are single lines is not.
    """
    lengths = sorted(len(line) for lines in pages for line in lines if line)
    if len(lengths) < 4:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    running = sum(
        1
        for lines in pages
        for line, following in itertools.pairwise(lines)
        if _runs_on(line, following, width, across_blank=False)
    )
    return width if running >= 3 and running * 10 >= len(lengths) else None


def _runs_on(current: str, following: str, width: int, *, across_blank: bool) -> bool:
    """True when ``following`` is the rest of the sentence that the full line ``current`` leaves open."""
    if not following or len(current) < FULL * width or "\t" in current or "\t" in following:
        return False
    if _CLOSED.search(current) or not any(char.islower() for char in current):
        return False
    if _ITEM.match(following) or is_heading(following) or current.startswith("|"):
        return False
    if across_blank and (is_heading(current) or current.endswith(",")):
        return False  # a heading and its body stay apart; so do a party's lines ("…, " / "d'une part,")
    return following[0].islower() or bool(_OPEN_END.search(current))


def join_cut_words(lines: list[str], vocabulary: Vocabulary) -> list[str]:
    """The lines of one page with every word cut by an end-of-line hyphen joined back to its end.

    The rest of the next line comes up with the word's end: the line ending in "forma-"
    was cut inside a sentence, so the two lines are one.
    """
    result: list[str] = []
    for following in lines:
        if result and following:
            current = result[-1]
            cut = _CUT.search(current)
            word = _NEXT_WORD.match(following)
            if cut and word and not is_heading(following):
                chained = cut.group("chain") is not None
                if keep_hyphen(cut.group("left"), word.group("right"), vocabulary, chained=chained):
                    result[-1] = current + following
                else:
                    result[-1] = current[:-1] + following
                continue
        result.append(following)
    return result


def reflow(lines: list[str], width: int | None) -> list[str]:
    """The lines of one page with sentences wrapped by the layout joined (when ``width`` is given)."""
    if not width:
        return lines
    result: list[str] = []
    index = 0
    while index < len(lines):
        current = lines[index]
        last = current  # the last printed line joined so far: its length tells a full line
        index += 1
        while index < len(lines) and current:
            following = lines[index]
            if _runs_on(last, following, width, across_blank=False):
                current = f"{current} {following}"
                last = following
                index += 1
            elif (
                not following and index + 1 < len(lines) and _runs_on(last, lines[index + 1], width, across_blank=True)
            ):
                current = f"{current} {lines[index + 1]}"
                last = lines[index + 1]
                index += 2
            else:
                break
        result.append(current)
    return result
