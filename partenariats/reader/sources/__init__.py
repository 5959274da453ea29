"""From a file's bytes to pages of raw text: PDF (text layer, or OCR for scanned pages), images
(OCR), DOCX, plain text and Markdown. Every refusal is a ``ReaderError`` in French.

The type is found from the content (``sniff``), never from the file name; the name only makes
a refusal clearer ("ce fichier n'est pas un PDF valide" when it says ``.pdf``).
"""

from __future__ import annotations

import logging

from partenariats.reader.errors import ReaderError
from partenariats.reader.model import Limits, Progress, Source, no_progress
from partenariats.reader.sources import images, pdf, plain, word
from partenariats.reader.sources.sniff import ACCEPTED, sniff

logger = logging.getLogger(__name__)
DEFAULT_LIMITS = Limits()

__all__ = ["ACCEPTED", "extract", "precheck", "sniff", "too_large_message"]


def too_large_message(size: int, limits: Limits) -> str:
    """The French refusal of a file heavier than ``limits.max_bytes``."""
    return f"Le fichier pèse {size / 1024 / 1024:.1f} Mo : la limite est de {limits.max_bytes // 1024 // 1024} Mo."


def precheck(data: bytes, filename: str | None = None, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """The kind of ``data`` (see ``sniff``) once the cheap checks pass: size, type, and for a PDF its
    structure, for a DOCX its archive, for an image its dimensions and page count. What only a full
    reading shows (damaged pages, no text) is left to ``extract``. Raises ``ReaderError``."""
    if not data:
        raise ReaderError("Le fichier est vide.", "empty")
    if len(data) > limits.max_bytes:
        raise ReaderError(too_large_message(len(data), limits), "too_large")
    kind = sniff(data, filename)
    try:
        if kind == "pdf":
            pdf.check_structure(data, limits)
        elif kind == "docx":
            word.check_archive(data, limits)
        elif kind == "image":
            images.check_header(data, limits)
    except ReaderError:
        raise
    except Exception as error:  # a library surprised by a damaged file: the full reading says more
        logger.warning("Unexpected error while checking a %s file", kind, exc_info=True)
        raise ReaderError(
            "Ce fichier est endommagé ou illisible : enregistrez-le à nouveau puis réessayez.", "corrupt"
        ) from error
    return kind


def extract(
    data: bytes, filename: str | None = None, *, limits: Limits = DEFAULT_LIMITS, progress: Progress = no_progress
) -> Source:
    """The pages of ``data``; the type is sniffed from the content (``filename`` only for messages).

    Raises ``ReaderError`` (and nothing else) for any file it cannot read.
    """
    if not data:
        raise ReaderError("Le fichier est vide.", "empty")
    if len(data) > limits.max_bytes:
        raise ReaderError(too_large_message(len(data), limits), "too_large")
    kind = "unknown"
    try:
        kind = sniff(data, filename)
        progress(0.02, "Ouverture du document")
        if kind == "pdf":
            source = pdf.extract(data, limits, progress)
        elif kind == "docx":
            source = word.extract(data, limits)
        elif kind == "image":
            source = images.extract(data, limits, progress)
        else:
            source = plain.extract(data)
    except ReaderError:
        raise
    except MemoryError as error:
        raise ReaderError("Ce fichier est trop lourd à lire pour le serveur.", "too_large") from error
    except Exception as error:
        # Each extractor already turns the errors it expects into French refusals; anything
        # else is a damaged file that surprised a library, and the user needs a message.
        logger.warning("Unexpected error while extracting a %s file", kind, exc_info=True)
        raise ReaderError(
            "Ce fichier est endommagé ou illisible : enregistrez-le à nouveau puis réessayez.", "corrupt"
        ) from error
    if not any(page.text.strip() for page in source.pages):
        raise ReaderError(_nothing_message(source.kind), "empty" if source.kind in ("text", "markdown") else "no_text")
    return source


def _nothing_message(kind: str) -> str:
    if kind == "pdf":
        return "Ce PDF ne contient ni texte ni image de page : il n'y a rien à lire."
    if kind == "image":
        return "Aucun texte n'a été reconnu dans cette image."
    if kind == "docx":
        return "Ce document Word ne contient aucun texte."
    return "Le fichier ne contient que des espaces ou des lignes vides."
