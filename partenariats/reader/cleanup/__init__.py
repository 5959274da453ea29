"""OCR repair and page furniture: raw pages → one cleaned ``Text`` with page offsets.

The cleaned text is what every field reader and the reviewer see, and evidence offsets
point into it: it stays a faithful, readable copy of the document (paragraph breaks kept,
each heading on its own line, Markdown marks kept), only repaired. The stages, in order:

1. ``normalize.characters``: one spelling per character (apostrophes, spaces, dashes, ligatures);
2. ``normalize.line``: each line trimmed, spaces collapsed, column gaps as a tab, heading dashes " – ";
3. ``furniture``: running headers and footers, page numbers and junk lines removed;
4. ``reflow.join_cut_words``: words cut by an end-of-line hyphen joined back;
5. ``furniture.remove_contents``: the table of contents removed;
6. ``reflow.reflow``: sentences broken across lines by a hard-wrapped layout joined;
7. ``words``: words split by OCR rejoined, lost accents restored;
8. blank lines collapsed (one blank line at most), pages joined by a blank line.
"""

from __future__ import annotations

from partenariats.reader.cleanup import furniture, normalize, words
from partenariats.reader.cleanup.reflow import join_cut_words, measure, reflow
from partenariats.reader.model import Page, Source, Text

__all__ = ["clean", "clean_page_text"]


def clean(source: Source) -> Text:
    """The source's pages repaired and joined by a blank line, with each page's start offset."""
    raw = [normalize.characters(page.text) for page in source.pages]
    # The document's own vocabulary, counted once over every page, arbitrates word repairs.
    vocabulary = words.Vocabulary("\n".join(raw))
    pages = [[normalize.line(line) for line in text.split("\n")] for text in raw]
    pages = furniture.remove_furniture(pages)
    pages = [join_cut_words(lines, vocabulary) for lines in pages]
    pages = furniture.remove_contents(pages)
    width = measure(pages)  # None unless the text is laid out in hard-wrapped lines
    flowed = [reflow(lines, width) for lines in pages]
    # Repairs change the document's vocabulary, which arbitrates repairs: count it again and
    # repair again until nothing moves, so that cleaning a cleaned text changes nothing.
    for _ in range(3):
        repaired = [[_repair_words(line, vocabulary) for line in lines] for lines in flowed]
        if repaired == flowed:
            break
        flowed = repaired
        vocabulary = words.Vocabulary("\n".join("\n".join(lines) for lines in flowed))
    cleaned = [_paragraphs([normalize.heading_dashes(line) for line in lines]) for lines in flowed]
    starts: list[int] = []
    offset = 0
    for text in cleaned:
        starts.append(offset)
        offset += len(text) + 2
    return Text(text="\n\n".join(cleaned), page_starts=tuple(starts) or (0,))


def _repair_words(line: str, vocabulary: words.Vocabulary) -> str:
    """Split words joined, then accents put back, again while that changes the line ("sür e" → "sûr e" →
    "sûre"): one repair may open another, and cleaning a cleaned text must change nothing."""
    for _ in range(4):  # a changed line is rare; two rounds settle it in practice
        repaired = words.restore_accents(words.rejoin_splits(line, vocabulary), vocabulary)
        if repaired == line:
            break
        line = repaired
    return line


def clean_page_text(text: str) -> str:
    """One text cleaned as a one-page document (for tests and tools)."""
    return clean(Source(kind="text", pages=(Page(number=1, text=text),))).text


def _paragraphs(lines: list[str]) -> str:
    """The lines as one page's text: no blank line at either end, never two blank lines in a row."""
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)
