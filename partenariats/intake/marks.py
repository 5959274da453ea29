"""The cleaned text of a reading as safe HTML: each value's source passage in a ``<mark>``, pages
labelled. The text is escaped piece by piece; marks that overlap are closed and reopened at
every boundary so that the elements always nest."""

import itertools
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    anchor: str  # the ``id`` of the mark (its first piece), "src-…"


def anchor_for(path: str) -> str:
    """The mark's id for an evidence path: ``parties.0.name`` → ``src-parties-0-name``."""
    return "src-" + "".join(char if char.isalnum() else "-" for char in path)


def source_html(text: str, page_starts: list[int] | tuple[int, ...], spans: list[Span]) -> SafeString:
    """``text`` escaped, with a mark around each span and a "Page N" label where each page starts."""
    size = len(text)
    spans = [
        Span(max(0, s.start), min(size, s.end), s.anchor) for s in spans if isinstance(s.start, int) and s.end > s.start
    ]
    spans = [s for s in spans if s.start < s.end]
    starts = sorted({p for p in page_starts if isinstance(p, int) and 0 <= p < size} | {0}) if size else []
    boundaries = sorted({0, size, *starts, *(s.start for s in spans), *(s.end for s in spans)})
    by_start: dict[int, list[Span]] = {}
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        by_start.setdefault(span.start, []).append(span)
    page_numbers = {offset: number for number, offset in enumerate(starts, start=1)}
    seen: set[str] = set()
    active: list[Span] = []
    out: list[str] = []
    for left, right in itertools.pairwise(boundaries):
        if left in page_numbers and len(starts) > 1:
            out.append(f'<span class="intake-page" id="page-{page_numbers[left]}">Page {page_numbers[left]}</span>')
        active = [s for s in active if s.end > left] + by_start.get(left, [])
        opened = 0
        for span in active:
            if span.anchor in seen:
                out.append(f'<mark class="intake-mark" data-source="{escape(span.anchor)}">')
            else:
                seen.add(span.anchor)
                out.append(f'<mark class="intake-mark" id="{escape(span.anchor)}" data-source="{escape(span.anchor)}">')
            opened += 1
        out.append(escape(text[left:right]))
        out.append("</mark>" * opened)
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
