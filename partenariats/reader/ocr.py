"""Optical character recognition: one page image → its text, by the ``tesseract`` binary.

Tesseract runs in a subprocess (no Python binding): its memory is capped with ``RLIMIT_AS``,
its time with what is left of the document's OCR budget, and it uses a single thread so that
several import workers do not fight over the cores. ``tesseract_command`` is the exact
command, so that the benchmark can time the same command without us.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from partenariats.reader.errors import ReaderError
from partenariats.reader.model import Limits

TESSERACT_BINARY = "tesseract"
# French model; psm 3 (automatic page segmentation, no orientation detection): the best
# layout analysis for a typical one- or two-column convention page, and orientation
# detection (psm 1) would cost a second pass for the rare sideways scan.
TESSERACT_ARGS: tuple[str, ...] = ("stdout", "-l", "fra", "--psm", "3")
# One thread: a page OCR'd by several threads is barely faster, and workers run side by side.
TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}
DEFAULT_LIMITS = Limits()


def tesseract_command(image_path: str | Path) -> list[str]:
    """The command that OCRs the image at ``image_path`` and prints its text on stdout."""
    return [TESSERACT_BINARY, str(image_path), *TESSERACT_ARGS]


def timeout_message(limits: Limits) -> str:
    """The French message when OCR outlives the document's budget."""
    seconds = limits.ocr_timeout_seconds
    span = f"{seconds // 60} minute{'s' if seconds >= 120 else ''}" if seconds >= 60 else f"{seconds} secondes"
    return (
        f"La reconnaissance du texte a dépassé {span} : le document est trop long ou trop difficile à lire. "
        "Essayez un PDF contenant du texte, ou un scan plus net de moins de pages."
    )


def _limit_memory(max_bytes: int):
    """A ``preexec_fn`` capping the child's address space (a runaway page must not take the server)."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))

    return apply


def ocr_image(image: str | Path | bytes, limits: Limits = DEFAULT_LIMITS, deadline: float | None = None) -> str:
    """The text Tesseract reads in ``image`` (a path, or the bytes of a PNG/JPEG/TIFF/PNM file).

    ``deadline`` is a ``time.monotonic()`` instant shared by all the pages of a document; it
    defaults to the whole ``limits.ocr_timeout_seconds`` from now.
    """
    if deadline is None:
        deadline = time.monotonic() + limits.ocr_timeout_seconds
    if isinstance(image, bytes):
        # Tesseract reads files; a private temporary file is cheaper than piping through stdin
        # (Leptonica would buffer the whole stream anyway) and works for every format.
        with tempfile.NamedTemporaryFile(prefix="ocr-", suffix=".img") as handle:
            handle.write(image)
            handle.flush()
            return _run(handle.name, limits, deadline)
    return _run(str(image), limits, deadline)


def _run(path: str, limits: Limits, deadline: float) -> str:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ReaderError(timeout_message(limits), "ocr_timeout")
    env = {**os.environ, **TESSERACT_ENV}
    try:
        process = subprocess.Popen(  # noqa: S603 - a fixed binary; the only variable is our temporary file
            tesseract_command(path),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            preexec_fn=_limit_memory(limits.ocr_memory_bytes),
            start_new_session=True,
        )
    except FileNotFoundError as error:
        raise ReaderError(
            "La reconnaissance du texte (Tesseract) n'est pas installée sur ce serveur : "
            "seuls les documents contenant déjà du texte peuvent être lus.",
            "ocr_unavailable",
        ) from error
    except OSError as error:
        raise ReaderError(
            f"La reconnaissance du texte n'a pas pu démarrer ({error.strerror}).", "ocr_failed"
        ) from error
    try:
        stdout, stderr = process.communicate(timeout=remaining)
    except subprocess.TimeoutExpired as error:
        process.kill()
        process.communicate()
        raise ReaderError(timeout_message(limits), "ocr_timeout") from error
    except BaseException:
        process.kill()
        process.wait()
        raise
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        if "fra" in " ".join(detail) and "language" in " ".join(detail).lower():
            raise ReaderError(
                "La reconnaissance du texte en français (Tesseract, langue « fra ») "
                "n'est pas installée sur ce serveur.",
                "ocr_unavailable",
            )
        raise ReaderError(
            "La reconnaissance du texte a échoué sur une page "
            "(image illisible ou trop lourde pour la mémoire allouée).",
            "ocr_failed",
        )
    return stdout.decode("utf-8", "replace")
