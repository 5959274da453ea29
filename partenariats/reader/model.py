"""The reader's data: a source's pages, the cleaned text, its headings, and what was found in it.

Offsets (``start``, ``end``) are always character offsets into ``Text.text``, the cleaned
text that the contract's ``text`` key holds; pages are numbered from 1.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

# progress(fraction between 0 and 1, French label): the import job's progress bar and heartbeat
Progress = Callable[[float, str], None]


def no_progress(fraction: float, label: str) -> None:
    """The default progress callback: nobody is watching."""


@dataclass(frozen=True)
class Limits:
    """What the reader accepts and how long OCR may take (the web import's limits by default)."""

    max_bytes: int = 20 * 1024 * 1024
    max_pages: int = 100
    ocr_timeout_seconds: int = 300  # the whole document
    ocr_memory_bytes: int = 1536 * 1024 * 1024  # each Tesseract process
    ocr_dpi: int = 300
    max_unpacked_bytes: int = 50 * 1024 * 1024  # a DOCX's members, all together
    # A PDF's compressed streams may inflate to this many times its size (or max_unpacked_bytes).
    max_pdf_inflation_ratio: int = 40


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    text: str
    ocr: bool = False  # read by Tesseract (a scanned page or an image)


@dataclass(frozen=True)
class Source:
    """The raw text of a file, page by page (a text file is one page)."""

    kind: str  # "pdf", "docx", "text", "markdown", "image"
    pages: tuple[Page, ...]

    @property
    def ocr_pages(self) -> int:
        return sum(1 for page in self.pages if page.ocr)


@dataclass(frozen=True)
class Text:
    """The cleaned text, and the offset where each page starts in it."""

    text: str
    page_starts: tuple[int, ...] = (0,)

    def page_at(self, offset: int) -> int:
        """The page (from 1) holding the character at ``offset``."""
        return max(1, bisect.bisect_right(self.page_starts, offset))


@dataclass
class Heading:
    """A heading of the text and the section it opens.

    ``kind``: ``preamble``, ``title`` (TITRE I), ``article``, ``annex``, ``section`` (1.3,
    2.1.4…) or ``other`` (a bold or Markdown heading with no number).
    ``number`` is in Arabic figures ("1", "1.3.2"; "" for a preamble); ``label`` the words
    after the number, OCR damage repaired. ``start``–``end`` is the heading line,
    ``body_end`` where its section ends (the next heading of the same or a higher level).
    """

    kind: str
    number: str
    label: str
    level: int
    start: int
    end: int
    body_end: int
    children: list[Heading] = field(default_factory=list)

    @property
    def display(self) -> str:
        """The heading as the contract's ``articles`` gives it: "Article 1 – Objet", "Préambule"."""
        word = {"article": "Article", "title": "Titre", "annex": "Annexe"}.get(self.kind)
        if self.kind == "preamble":
            return "Préambule"
        head = " ".join(part for part in (word, self.number) if part)
        if head and self.label:
            return f"{head} – {self.label}"
        return head or self.label

    def walk(self) -> Iterator[Heading]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Structure:
    """The heading tree; ``top`` are the top-level headings in order."""

    top: list[Heading] = field(default_factory=list)

    def walk(self) -> Iterator[Heading]:
        for heading in self.top:
            yield from heading.walk()

    def containing(self, offset: int) -> Heading | None:
        """The deepest heading whose section holds ``offset``."""
        found = None
        for heading in self.walk():
            if heading.start <= offset < heading.body_end:
                found = heading
        return found


@dataclass(frozen=True)
class Document:
    """What every field reader receives."""

    source: Source
    text: Text
    structure: Structure


@dataclass(frozen=True)
class Evidence:
    confidence: float  # 0 to 1
    page: int
    start: int
    end: int
    flag: str | None = None  # French, for the reviewer: "date partielle", "déduit de la durée"…

    def as_dict(self) -> dict:
        data = {"confidence": round(self.confidence, 2), "page": self.page, "start": self.start, "end": self.end}
        if self.flag:
            data["flag"] = self.flag
        return data


@dataclass(frozen=True)
class Candidate:
    value: Any
    reason: str  # French: "date illisible", "reconduction non précisée"
    start: int | None = None
    end: int | None = None

    def as_dict(self) -> dict:
        data: dict[str, Any] = {"value": self.value, "reason": self.reason}
        if self.start is not None:
            data.update(start=self.start, end=self.end)
        return data


def _split(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in path.split(".")]


class Findings:
    """What the field readers found: values at key paths with their evidence, and doubts.

    A path is the contract's key path: ``title``, ``terms.duration_months``,
    ``parties.0.representative``, ``signatures.2.date``. Field readers run in order and may
    read what earlier ones found (``get``).
    """

    def __init__(self, text: Text):
        self.text = text
        self.values: dict[str, Any] = {}
        self.evidence: dict[str, Evidence] = {}
        self.candidates: dict[str, list[Candidate]] = {}
        self.warnings: list[str] = []

    def set(
        self,
        path: str,
        value: Any,
        *,
        start: int | None = None,
        end: int | None = None,
        confidence: float = 0.9,
        flag: str | None = None,
    ) -> None:
        """Record ``value`` at ``path``, backed by the passage ``start``–``end`` when given."""
        target: Any = self.values
        parts = _split(path)
        for part, following in itertools.pairwise(parts):
            empty: Any = [] if isinstance(following, int) else {}
            if isinstance(part, int):
                while len(target) <= part:
                    target.append(None)
                if target[part] is None:
                    target[part] = empty
                target = target[part]
            else:
                target = target.setdefault(part, empty)
        last = parts[-1]
        if isinstance(last, int):
            while len(target) <= last:
                target.append(None)
        target[last] = value
        if start is not None and end is not None:
            self.evidence[path] = Evidence(confidence, self.text.page_at(start), start, end, flag)

    def get(self, path: str, default: Any = None) -> Any:
        target: Any = self.values
        for part in _split(path):
            try:
                target = target[part]
            except (KeyError, IndexError, TypeError):
                return default
        return target

    def doubt(self, path: str, reason: str, candidates: list[Candidate] | None = None) -> None:
        """Leave ``path`` empty and say why, with the values it might be."""
        self.candidates.setdefault(path, []).extend(candidates or [Candidate(None, reason)])

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


# The contract's plain keys (seeds/truth/README.md), empty.
TERMS_KEYS = (
    "start",
    "duration_months",
    "indefinite",
    "tacit_renewal",
    "renewal_months",
    "provisional_extension_months",
    "notice_months",
    "notice_by_registered_letter",
    "termination_effect",
    "termination_date",
)


def empty_contract() -> dict[str, Any]:
    return {
        "title": None,
        "parties": [],
        "signature_place": None,
        "signature_date": None,
        "signatures": [],
        "originals": None,
        "terms": dict.fromkeys(TERMS_KEYS),
        "parent": None,
        "articles": [],
    }


@dataclass
class Reading:
    """The result: the contract's plain keys, the cleaned text, evidence and candidates."""

    document: Document
    findings: Findings

    def as_contract(self) -> dict[str, Any]:
        """The JSON of ``partenariats read --json``: plain keys first, then evidence and the rest."""
        data = empty_contract()
        for key, value in self.findings.values.items():
            if key == "terms":
                data["terms"].update(value)
            else:
                data[key] = value
        # The same facts in the terms engine's input shape, so that ``read --json | timeline -``
        # puts the steering committee, the contact exchange and the yearly events on the timeline.
        data["obligations"] = {
            key: data.get(key)
            for key in ("steering_committee", "steering_committee_month", "contact_exchange_month")
            if data.get(key) is not None
        }
        data["named_events"] = [
            {"name": event["name"], "month": event["month"]}
            for event in data.get("yearly_events") or []
            if event.get("name") and event.get("month")
        ]
        data["text"] = self.document.text.text
        data["pages"] = list(self.document.text.page_starts)
        data["source"] = {
            "kind": self.document.source.kind,
            "pages": len(self.document.source.pages),
            "ocr_pages": self.document.source.ocr_pages,
        }
        data["evidence"] = {path: evidence.as_dict() for path, evidence in self.findings.evidence.items()}
        data["candidates"] = {
            path: [candidate.as_dict() for candidate in candidates]
            for path, candidates in self.findings.candidates.items()
        }
        data["warnings"] = list(self.findings.warnings)
        return data
