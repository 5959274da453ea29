"""The convention's outline: ``articles`` (top-level headings), ``sections`` (every heading) and ``preamble``."""

from __future__ import annotations

from partenariats.reader.model import Document, Findings, Heading

_WORDS = {"article": "Article", "title": "Titre", "annex": "Annexe"}


def display(heading: Heading) -> str:
    """The heading as the contract writes it: "Article 1 – Objet", "Annexe – Contacts" (an annex without number)."""
    if heading.kind == "preamble":
        return "Préambule"
    word = _WORDS.get(heading.kind)
    head = " ".join(part for part in (word, heading.number) if part)
    if head and heading.label:
        return f"{head} – {heading.label}"
    return head or heading.label


def read(document: Document, found: Findings) -> None:
    """Top-level headings in order become ``articles``; every heading goes to ``sections`` with its parent."""
    structure = document.structure
    text = document.text.text
    top = structure.top
    if top:
        found.set("articles", [display(heading) for heading in top], start=top[0].start, end=top[-1].end)
    else:
        found.set("articles", [])

    sections: list[dict] = []

    def add(heading: Heading, parent: int | None) -> None:
        index = len(sections)
        sections.append(
            {
                "kind": heading.kind,
                "number": heading.number,
                "label": heading.label,
                "display": display(heading),
                "level": heading.level,
                "parent": parent,
                "start": heading.start,
                "end": heading.end,
                "body_end": heading.body_end,
            }
        )
        for child in heading.children:
            add(child, index)

    for heading in top:
        add(heading, None)
    found.set("sections", sections)

    preamble = next((heading for heading in top if heading.kind == "preamble"), None)
    if preamble is None:
        found.set("preamble", None)
        return
    body = text[preamble.end : preamble.body_end]
    stripped = body.strip()
    if not stripped:
        found.set("preamble", None)
        return
    start = preamble.end + body.index(stripped[0])
    found.set("preamble", stripped, start=start, end=start + len(stripped))
