"""Plain text and Markdown files: bytes → pages of text.

Rule: UTF-8 (with or without BOM) or UTF-16 with a BOM; otherwise Windows-1252, then Latin-1,
provided the result looks like text (no NUL byte, almost only printable characters). A form
feed (``\\f``, what ``pdftotext`` writes between pages) starts a new page.
"""

from __future__ import annotations

import codecs
import re

from partenariats.reader.model import Page, Source

SAMPLE_BYTES = 64 * 1024  # enough to judge; a text file is judged on its beginning
MAX_CONTROL_RATIO = 0.03
# Control characters (C0 but the line and page breaks, DEL, C1), surrogates, private use and
# the replacement character: what binary data decoded as text is full of, and text is not.
# Non-breaking spaces (French typography) and other separators are fine.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd\ufffe\uffff]")

# Markdown markup that plain conventions never carry: an ATX heading line, bold spans.
MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
MARKDOWN_BOLD = re.compile(r"(\*\*|__)(?=\S)[^\n*_]{1,200}?(?<=\S)\1")


def decode(data: bytes) -> str | None:
    """The text of ``data``, or None when it is not text in any encoding we accept."""
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif b"\x00" in data[:SAMPLE_BYTES]:
        return None  # binary (UTF-16 without a BOM is not worth the false positives)
    else:
        candidates = ("utf-8", "cp1252", "latin-1")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, UnicodeError):
            continue
        return text if _printable(text[:SAMPLE_BYTES]) else None
    return None


def _printable(sample: str) -> bool:
    """Whether almost every character is printable (a few stray controls are tolerated)."""
    return len(CONTROL.findall(sample)) <= len(sample) * MAX_CONTROL_RATIO


def looks_like_text(data: bytes) -> bool:
    """True when ``data`` decodes as text (see the module's rule)."""
    # A sample cut inside a UTF-8 sequence falls back to cp1252, which still says "text".
    return decode(data[:SAMPLE_BYTES]) is not None


def is_markdown(text: str) -> bool:
    """True when the text carries Markdown markup: a ``#`` heading, or at least two bold spans."""
    return MARKDOWN_HEADING.search(text) is not None or len(MARKDOWN_BOLD.findall(text, 0, 200_000)) >= 2


def extract(data: bytes) -> Source:
    """The pages of a text or Markdown file (kind ``text`` or ``markdown``)."""
    text = decode(data)
    if text is None:  # sniffed on a sample; the whole file disagrees
        from partenariats.reader.sources.sniff import unsupported

        raise unsupported(None)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kind = "markdown" if is_markdown(text) else "text"
    chunks = text.split("\f")
    # A trailing form feed (pdftotext ends every page with one) opens no page.
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()
    return Source(kind=kind, pages=tuple(Page(number=index, text=chunk) for index, chunk in enumerate(chunks, 1)))
