"""A file's type from its first bytes: ``pdf``, ``docx``, ``image`` or ``text`` (text and Markdown).

Rule: the content decides, never the extension; what is none of the accepted types is refused
with a French message naming the accepted ones.
"""

from __future__ import annotations

import io
import zipfile

from partenariats.reader.errors import ReaderError

ACCEPTED = "PDF, DOCX, TXT, MD, PNG, JPEG ou TIFF"

PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024  # the PDF standard tolerates a little junk before the header
IMAGE_MAGICS = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A password-protected Word file is an OLE container holding an "EncryptedPackage" stream.
OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# Formats people send by mistake, with the advice that fits them.
KNOWN_OTHERS: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "un ancien document Office (.doc, .xls) : enregistrez-le en DOCX ou en PDF"),
    (b"{\\rtf", "un document RTF"),
    (b"MZ", "un programme Windows"),
    (b"\x7fELF", "un programme"),
    (b"GIF8", "une image GIF"),
    (b"BM", "une image BMP"),
    (b"Rar!", "une archive RAR"),
    (b"7z\xbc\xaf", "une archive 7-Zip"),
    (b"\x1f\x8b", "une archive compressée (gzip)"),
)


def unsupported(filename: str | None, what: str | None = None, advice: str = "") -> ReaderError:
    """The refusal of a file of a type the reader does not read."""
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if suffix == "pdf" and what is None:
        message = "Ce fichier n'est pas un PDF valide : son contenu ne ressemble pas à un PDF."
    elif suffix == "docx" and what is None:
        message = "Ce fichier n'est pas un document Word (DOCX) valide."
    elif what:
        message = f"Ce fichier est {what} : ce format n'est pas accepté{advice}."
    else:
        message = "Format de fichier non reconnu."
    return ReaderError(f"{message} Formats acceptés : {ACCEPTED}.", "unsupported")


def sniff(data: bytes, filename: str | None = None) -> str:
    """``pdf``, ``docx``, ``image`` or ``text`` for ``data``; else raises ``ReaderError("unsupported")``.

    ``text`` covers Markdown too (``plain`` tells them apart once decoded).
    """
    from partenariats.reader.sources.plain import looks_like_text  # late: plain imports this module

    if data.startswith(PDF_MAGIC):
        return "pdf"
    if any(data.startswith(magic) for magic in IMAGE_MAGICS):
        return "image"
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data, filename)
    text = looks_like_text(data)
    # Junk before the header (a mail or HTTP header left in): still a PDF, unless the whole is
    # text that merely mentions "%PDF-".
    if PDF_MAGIC in data[:PDF_MAGIC_WINDOW] and not text:
        return "pdf"
    if text:
        # A "PDF" that is text is a broken download or a renamed file, not a convention in
        # plain text: say that it is not a valid PDF rather than read an error page.
        if (filename or "").lower().endswith(".pdf"):
            raise unsupported(filename)
        return "text"
    if data.startswith(OLE_MAGIC) and OLE_ENCRYPTED in data:
        raise ReaderError(
            "Ce document est protégé par un mot de passe : enregistrez-en une copie sans protection "
            f"(en DOCX ou en PDF) puis réessayez. Formats acceptés : {ACCEPTED}.",
            "encrypted",
        )
    for magic, what in KNOWN_OTHERS:
        if data.startswith(magic):
            raise unsupported(filename, what)
    raise unsupported(filename)


def _zip_kind(data: bytes, filename: str | None) -> str:
    """``docx`` for a Word document; other zips (ODT, XLSX, plain archives) are refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except Exception as error:  # zipfile raises BadZipFile, NotImplementedError, RuntimeError…
        raise ReaderError(
            "Ce fichier est endommagé ou incomplet (son archive ZIP, comme celle d'un DOCX, est illisible) : "
            "enregistrez-le à nouveau puis réessayez.",
            "corrupt",
        ) from error
    if "word/document.xml" in names:
        return "docx"
    if b"opendocument.text" in mimetype:
        raise unsupported(filename, "un document OpenDocument (.odt)", " : enregistrez-le en DOCX ou en PDF")
    if b"opendocument" in mimetype:
        raise unsupported(filename, "un document OpenDocument")
    if "xl/workbook.xml" in names:
        raise unsupported(filename, "un classeur Excel")
    if "ppt/presentation.xml" in names:
        raise unsupported(filename, "une présentation PowerPoint")
    raise unsupported(filename, "une archive ZIP")
