"""Reading an uploaded table (CSV or XLSX) whatever its quirks, and keeping it until confirmed.

Shared by every import: the file is recognised by its content, never its name (a PDF renamed
``.csv`` is refused, a zip bomb is refused unread), decoded (UTF-8, UTF-16, Windows-1252),
its separator sniffed and its columns found by header without case, accents or punctuation.
Cells lose their invisible characters (controls, NUL, byte order marks, direction overrides); a
file mixing UTF-8 and Windows-1252, a password-protected workbook, or one of more than
``MAX_ROWS`` rows is refused before any row is checked.
A file that cannot be read as a table raises :class:`ImportFileError` with a French message.
"""

import csv
import datetime
import io
import re
import secrets
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import puremagic
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from partenariats.core.text import fold

# A workbook whose entries would inflate past this is refused unread (zip bomb).
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_XLSX_ENTRIES = 10_000
# Rows read at most: beyond, the file is refused before its rows are checked (each is looked up
# in the database, three times from upload to commit). An académie's schools are a few thousand.
MAX_ROWS = 20_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
UPLOAD_DIRECTORY = "imports"


class ImportFileError(Exception):
    """The file cannot be read as a table of the expected kind; the message is for the user."""


# --- Reading a file into rows -------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    file_format: str  # "csv" or "xlsx"
    notices: list[str] = field(default_factory=list)


def read_table(data: bytes) -> Table:
    """The header row and data rows of a CSV or XLSX file, recognised by its content."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(f"Le fichier dépasse la taille maximale autorisée ({limit // (1024 * 1024)} Mo).")
    if not data.strip():
        raise ImportFileError("Le fichier est vide.")
    notices: list[str] = []
    if detect_format(data) == "xlsx":
        file_format, lines = "xlsx", _xlsx_lines(data)
    else:
        file_format, lines = "csv", _csv_lines(_decode_text(data, notices), notices)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for line, cells in lines:
        if not any(cells):
            continue
        if headers is None:
            headers = cells
        elif len(rows) == MAX_ROWS:
            limit = f"{MAX_ROWS:,}".replace(",", "\u202f")
            raise ImportFileError(
                f"Le fichier compte plus de {limit} lignes : découpez-le en plusieurs fichiers "
                "(par exemple par département) et importez-les l’un après l’autre."
            )
        else:
            rows.append((line, cells))
    if headers is None:
        raise ImportFileError("Le fichier est vide.")
    if not rows:
        raise ImportFileError("Le fichier ne contient que la ligne d’en-tête : aucune ligne à importer.")
    return Table(headers=headers, rows=rows, file_format=file_format, notices=notices)


# What puremagic may call a text file; anything else it recognises with confidence is refused.
_TEXT_EXTENSIONS = {"", ".txt", ".csv", ".tsv"}
_FOREIGN_FORMATS = {
    ".pdf": "un document PDF",
    ".doc": "un document Office 97-2003 (.doc ou .xls)",
    ".xls": "un classeur Excel 97-2003 (.xls)",
    ".png": "une image PNG",
    ".jpg": "une image JPEG",
    ".gif": "une image GIF",
    ".gz": "une archive compressée (.gz)",
    ".rar": "une archive RAR",
    ".7z": "une archive 7-Zip",
}


def detect_format(data: bytes) -> str:
    """ "xlsx" for a zip container, "csv" for anything else that may be text; other formats are refused."""
    if data.startswith(OLE_MAGIC) and OLE_ENCRYPTED in data:
        # A password-protected workbook is an OLE container holding an "EncryptedPackage" stream.
        raise ImportFileError(
            "Ce classeur est protégé par un mot de passe : enregistrez-en une copie sans protection "
            "(ou au format CSV) puis déposez-la."
        )
    try:
        matches = puremagic.magic_string(data)
    except puremagic.PureError:
        matches = []
    if data.startswith(b"PK\x03\x04") or any(match.extension == ".xlsx" for match in matches):
        return "xlsx"
    # Low-confidence matches are guesses on the first bytes of a text ("ID3…" looks like an MP3).
    confident = [m for m in matches if m.confidence >= 0.4 and m.extension not in _TEXT_EXTENSIONS]
    if confident:
        found = confident[0]
        what = _FOREIGN_FORMATS.get(found.extension, f"un fichier « {found.extension.lstrip('.')} »")
        raise ImportFileError(
            f"Ce fichier est {what}, pas un tableau : déposez un fichier CSV ou un classeur Excel (.xlsx)."
        )
    return "csv"


_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 13} | {127}
# « é », « à », « ç »… as UTF-8 (C3 followed by a continuation byte): « Ã© » in Windows-1252.
UTF8_ACCENTED = re.compile(rb"\xc3[\x80-\xbf]")


def _decode_text(data: bytes, notices: list[str]) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Texte Unicode" export.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError("Le fichier n’est pas lisible : son encodage n’a pas pu être reconnu.") from exc
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if b"\x00" in sample or controls > len(sample) / 100:
        raise ImportFileError(
            "Le fichier n’est ni un tableau CSV ni un classeur Excel (.xlsx) : son contenu n’est pas du texte lisible."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if UTF8_ACCENTED.search(data):
        # Accented letters written in UTF-8 beside bytes that are not: two encodings in one file.
        # Read as Windows-1252, « é » would become « Ã© » in every record.
        raise ImportFileError(
            "Le fichier mélange deux encodages (UTF-8 et Windows-1252) : ouvrez-le dans votre tableur, "
            "vérifiez les accents, enregistrez-le au format « CSV UTF-8 » et déposez-le de nouveau."
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "L’encodage du fichier n’a pas été reconnu : "
            "enregistrez-le au format « CSV UTF-8 » et déposez-le de nouveau."
        ) from exc
    notices.append("Le fichier est encodé en Windows-1252 (ANSI) : il a été converti.")
    return text


def _csv_lines(text: str, notices: list[str]) -> Iterator[tuple[int, list[str]]]:
    sample = "\n".join(text.lstrip("\r\n").splitlines()[:10])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        delimiter = max(";,\t", key=first_line.count)
    if delimiter != ";":
        notices.append(f"Séparateur de colonnes détecté : « {'tabulation' if delimiter == chr(9) else delimiter} ».")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, [_clean(cell) for cell in cells]
    except csv.Error as exc:
        raise ImportFileError(f"Le fichier CSV est mal formé à la ligne {reader.line_num} ({exc}).") from exc


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(
            "Le fichier compressé est endommagé : ce n’est pas un classeur Excel (.xlsx) lisible."
        ) from exc
    if len(entries) > MAX_XLSX_ENTRIES or sum(entry.file_size for entry in entries) > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            "Le classeur est trop volumineux une fois décompressé "
            f"(plus de {MAX_XLSX_UNCOMPRESSED_BYTES // (1024 * 1024)} Mo) : il a été refusé."
        )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise ImportFileError(
                "Les classeurs OpenDocument (.ods) ne sont pas pris en charge : "
                "enregistrez-le au format Excel (.xlsx) ou CSV."
            )
        raise ImportFileError("Ce fichier compressé n’est pas un classeur Excel (.xlsx).")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ImportFileError("Le classeur Excel n’a pas pu être lu : il est peut-être endommagé.") from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError("Le classeur ne contient aucune feuille.")
        # Row by row: ``read_table`` stops reading as soon as the file has too many rows.
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        line = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise ImportFileError("Le classeur Excel n’a pas pu être lu : il est peut-être endommagé.") from exc
            line += 1
            yield line, [_cell_text(value) for value in row]
    finally:
        workbook.close()


_SPACES = re.compile(r"\s+")
# Control characters (NUL included), byte order marks and bidirectional overrides: nothing a cell
# means, and PostgreSQL refuses NUL while a workbook refuses the other controls.
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f\ufeff\u202a-\u202e\u2066-\u2069]")


def _clean(value: str) -> str:
    """A cell's text without invisible characters, surrounding and repeated whitespace."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", value)).strip()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return _clean(str(value))


# --- Columns ------------------------------------------------------------------------------------


def column_key(header: str) -> str:
    """A header compared without case, accents or punctuation: "Code postal" → "code_postal"."""
    return re.sub(r"[^a-z0-9]+", "_", fold(header)).strip("_")


@dataclass(frozen=True)
class Column:
    name: str  # internal name
    header: str  # as the file or the template spells it
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def keys(self) -> set[str]:
        return {column_key(self.header), *(column_key(alias) for alias in self.aliases)}


def map_columns(headers: list[str], columns: Iterable[Column]) -> tuple[dict[str, int], list[str]]:
    """Where each known column sits in the file, and the headers nobody reads."""
    keys = [column_key(header) for header in headers]
    positions: dict[str, int] = {}
    for column in columns:
        for index, key in enumerate(keys):
            if key in column.keys:
                positions[column.name] = index
                break
    used = set(positions.values())
    ignored = [header for index, header in enumerate(headers) if index not in used and header]
    return positions, ignored


def missing_columns_error(missing: list[str], expected: list[str], headers: list[str]) -> ImportFileError:
    found = ", ".join(header for header in headers if header) or "aucune"
    plural = "s" if len(missing) > 1 else ""
    return ImportFileError(
        f"Colonne{plural} obligatoire{plural} absente{plural} : {', '.join(missing)}. "
        f"Colonnes attendues au minimum : {', '.join(expected)}. Colonnes trouvées : {found}."
    )


class Row:
    """One line's cells, read by internal column name."""

    def __init__(self, cells: list[str], positions: dict[str, int]):
        self.cells = cells
        self.positions = positions

    def __getitem__(self, name: str) -> str:
        index = self.positions.get(name)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


# --- Keeping an upload until it is confirmed ----------------------------------------------------


def store_upload(data: bytes, file_format: str) -> str:
    """Keep an uploaded file until it is confirmed or cancelled; returns its storage key."""
    name = f"{UPLOAD_DIRECTORY}/{secrets.token_urlsafe(16)}.{file_format}"
    return default_storage.save(name, ContentFile(data))


def read_upload(key: str) -> bytes:
    """The stored file's bytes; ``FileNotFoundError`` when it is gone."""
    if not key.startswith(f"{UPLOAD_DIRECTORY}/") or not default_storage.exists(key):
        raise FileNotFoundError(key)
    with default_storage.open(key, "rb") as stored:
        return stored.read()


def discard_upload(key: str) -> None:
    if key.startswith(f"{UPLOAD_DIRECTORY}/") and default_storage.exists(key):
        default_storage.delete(key)
