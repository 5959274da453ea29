"""The stages end to end: file → pages → cleaned text → headings → fields."""

from pathlib import Path

from partenariats.reader import cleanup, fields, sources, structure
from partenariats.reader.errors import ReaderError
from partenariats.reader.language import is_french
from partenariats.reader.model import Document, Findings, Limits, Page, Progress, Reading, Source, no_progress

DEFAULT_LIMITS = Limits()


def read_source(source: Source, progress: Progress = no_progress) -> Reading:
    """Read pages already extracted (the stages after ``sources``)."""
    progress(0.9, "Nettoyage du texte")
    text = cleanup.clean(source)
    if not text.text.strip():
        raise ReaderError("Le document ne contient aucun texte lisible.", "no_text")
    if not is_french(text.text):
        raise ReaderError(
            "Ce document ne semble pas rédigé en français : le lecteur ne lit que les conventions en français.",
            "not_french",
        )
    progress(0.93, "Repérage des articles")
    document = Document(source=source, text=text, structure=structure.parse(text))
    progress(0.96, "Lecture des clauses")
    found = Findings(text)
    for read in fields.READERS:
        read(document, found)
    progress(1.0, "Lecture terminée")
    return Reading(document=document, findings=found)


def read_bytes(
    data: bytes, filename: str | None = None, *, limits: Limits = DEFAULT_LIMITS, progress: Progress = no_progress
) -> Reading:
    """Read a file's content; its type is found from the content, not from ``filename``."""
    return read_source(sources.extract(data, filename, limits=limits, progress=progress), progress)


def read_path(path: str | Path, *, limits: Limits = DEFAULT_LIMITS, progress: Progress = no_progress) -> Reading:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise ReaderError(sources.too_large_message(size, limits), "too_large")
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise ReaderError(f"Fichier introuvable : {path}", "not_found") from error
    except IsADirectoryError as error:
        raise ReaderError(f"{path} est un dossier, pas un fichier.", "not_found") from error
    except PermissionError as error:
        raise ReaderError(f"Lecture interdite : {path}", "not_found") from error
    return read_bytes(data, path.name, limits=limits, progress=progress)


def read_text(text: str, kind: str = "text") -> Reading:
    """Read a text already in memory (one page)."""
    return read_source(Source(kind=kind, pages=(Page(number=1, text=text),)))
