"""Signs that an uploaded file is cut short, carries another file (a polyglot) or active content.

Shared by the convention reader (a pure engine) and the registry of documents and attachments,
so no Django here. Each check reads bytes only: nothing is parsed nor decoded, and the one check
that inflates stops at a budget.

Rules:
- a PDF ends with ``%%EOF``, padding aside; without one the file was cut short, and more than a
  few bytes after the last one are another file glued behind it (or, when they hold PDF objects,
  an update cut short);
- a PNG ends with its ``IEND`` chunk (without it, it was cut short); bytes after it are another file;
- a JPEG holds its end marker (without it, it was cut short) and may carry data after its
  image (phones append a second picture or a video), but not a zip archive nor web markup;
- a PDF carrying JavaScript, or any of these files carrying HTML/PHP markup, is active content;
- a PDF's zlib streams are inflated with the output thrown away, and the count stops at a budget:
  a decompression bomb costs the budget, never what it would inflate to.
"""

import re
import zlib

PADDING = b"\x00 \t\r\n\f"
PDF_EOF = b"%%EOF"
GLUED_TOLERANCE = 32  # stray bytes some producers leave after the end
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"
JPEG_MAGIC = b"\xff\xd8\xff"
JPEG_END = b"\xff\xd9"
ZIP_END = b"PK\x05\x06"
ZIP_MEMBER = b"PK\x03\x04"
MARKUP = re.compile(rb"<script|<html|<\?php|<iframe|<svg[\s>]", re.IGNORECASE)
# ``/JS`` alone is three bytes that compressed data holds by chance: it counts only before its value
# (a string, or a reference to one).
PDF_JAVASCRIPT = re.compile(rb"/JavaScript(?![A-Za-z0-9])|/JS\s*(?:\(|<|\d+\s+\d+\s+R)")
PDF_UPDATE = re.compile(rb"\d+\s+\d+\s+obj\b|\bxref\b|\btrailer\b")
STREAM_START = re.compile(rb"stream\r?\n")
ZLIB_FIRST_BYTE = b"\x78"
INFLATE_CHUNK = 1 << 20


def pdf_ending(data: bytes) -> str | None:
    """``"truncated"`` (no ``%%EOF`` at the end), ``"glued"`` (another file after it) or None."""
    body = data.rstrip(PADDING)
    last = body.rfind(PDF_EOF)
    if last < 0:
        return "truncated"
    after = body[last + len(PDF_EOF) :]
    if len(after) > GLUED_TOLERANCE:
        return "truncated" if PDF_UPDATE.search(after) else "glued"
    return None


def pdf_active(data: bytes) -> bool:
    """Whether a PDF names JavaScript actions or holds web markup."""
    return bool(PDF_JAVASCRIPT.search(data) or MARKUP.search(data))


def image_ending(data: bytes) -> str | None:
    """``"truncated"``, ``"glued"`` (another file or web markup inside) or None, for a PNG or a JPEG
    (see the module's rules); None for any other file."""
    if data.startswith(PNG_MAGIC):
        end = data.rfind(PNG_END)
        if end < 0:
            return "truncated"
        if len(data[end + len(PNG_END) :].rstrip(PADDING)) > GLUED_TOLERANCE or _markup(data):
            return "glued"
    elif data.startswith(JPEG_MAGIC):
        if JPEG_END not in data:
            return "truncated"
        if (ZIP_MEMBER in data and ZIP_END in data[-65_600:]) or _markup(data):
            return "glued"
    return None


def _markup(data: bytes) -> bool:
    return MARKUP.search(data) is not None


def inflates_beyond(data: bytes, budget: int) -> bool:
    """Whether a PDF's zlib streams together inflate to more than ``budget`` bytes (see the rules)."""
    total = 0
    for match in STREAM_START.finditer(data):
        start = match.end()
        if data[start : start + 1] != ZLIB_FIRST_BYTE:  # JPEG, CCITT, uncompressed…
            continue
        end = data.find(b"endstream", start)
        pending = data[start : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            while pending and not inflater.eof:
                total += len(inflater.decompress(pending, INFLATE_CHUNK))
                if total > budget:
                    return True
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue  # a damaged stream: whoever reads the file judges it
    return False
