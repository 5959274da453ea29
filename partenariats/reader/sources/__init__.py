"""From a file's bytes to pages of raw text: PDF (text layer, or OCR for scanned pages), images
(OCR), DOCX, plain text and Markdown. Every refusal is a ``ReaderError`` in French."""

from partenariats.reader.errors import ReaderError
from partenariats.reader.model import Limits, Page, Progress, Source, no_progress


def too_large_message(size: int, limits: Limits) -> str:
    return (
        f"Le fichier pèse {size / 1024 / 1024:.1f} Mo : la limite est de "
        f"{limits.max_bytes // 1024 // 1024} Mo."
    )


def extract(
    data: bytes, filename: str | None = None, *, limits: Limits = Limits(), progress: Progress = no_progress
) -> Source:
    """The pages of ``data``; the type is sniffed from the content (``filename`` only for messages)."""
    # SKELETON: plain UTF-8 text only, until the real extractors land.
    if not data:
        raise ReaderError("Le fichier est vide.", "empty")
    if len(data) > limits.max_bytes:
        raise ReaderError(too_large_message(len(data), limits), "too_large")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReaderError("Format de fichier non reconnu.", "unsupported") from error
    return Source(kind="text", pages=(Page(number=1, text=text),))
