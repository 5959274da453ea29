"""The one way data leaves the platform as a spreadsheet: CSV (UTF-8 with BOM) or XLSX.

Every cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is prefixed with an apostrophe, so that opening an
export never runs anything (CSV/formula injection). Characters an XML document cannot
carry (control characters, U+FFFF…) are dropped.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook

from partenariats.core.text import xml_safe

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value) -> str | int | float | None:
    """A cell value safe to open in a spreadsheet; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    # An XLSX is XML, and a CSV is UTF-8: neither can carry every character a form accepts.
    text = xml_safe(str(value))
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Export") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([neutralise(h) for h in headers])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, fmt: str = "csv"
) -> HttpResponse:
    """An attachment download of ``rows`` as ``fmt`` ("csv" or "xlsx")."""
    if fmt not in CONTENT_TYPES:
        fmt = "csv"
    body = to_csv(headers, rows) if fmt == "csv" else to_xlsx(headers, rows, sheet_title=filename)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "export"}.{fmt}"'
    return response
