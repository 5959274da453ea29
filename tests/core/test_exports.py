"""The export helper: spreadsheets that open without running anything."""

import csv
import datetime
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from partenariats.core.exports import FORMULA_PREFIXES, export_response, neutralise, to_csv, to_xlsx
from partenariats.core.text import xml_safe

DANGEROUS = ["=1+1", "+33 4 91", "-2", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("http://x.invalid")']


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(body: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_it_starts_csv_with_a_bom_and_separates_with_semicolons():
    body = to_csv(["nom", "ville"], [["Lycée Exemple", "Marseille"]])
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").splitlines() == ["nom;ville", "Lycée Exemple;Marseille"]


def test_it_neutralises_formulas_in_csv_cells_and_headers():
    rows = _csv_rows(to_csv(["=titre"], [[value] for value in DANGEROUS]))
    assert rows[0] == ["'=titre"]
    assert [row[0] for row in rows[1:]] == ["'" + value for value in DANGEROUS]


def test_it_neutralises_formulas_in_xlsx_cells():
    rows = _xlsx_rows(to_xlsx(["nom"], [[value] for value in DANGEROUS]))
    # A carriage return comes back as itself when openpyxl writes with lxml (which escapes it),
    # as a line feed with the standard library's writer (XML end-of-line normalisation).
    assert [row[0].replace("\r", "\n") for row in rows[1:]] == ["'" + value.replace("\r", "\n") for value in DANGEROUS]
    # openpyxl would have stored a string starting with "=" as a formula.
    sheet = load_workbook(io.BytesIO(to_xlsx(["nom"], [["=1+1"]]))).worksheets[0]
    assert sheet["A2"].data_type == "s"


def test_it_keeps_numbers_as_numbers():
    assert _xlsx_rows(to_xlsx(["n", "x"], [[42, 2.5]]))[1] == (42, 2.5)
    assert _csv_rows(to_csv(["n", "x"], [[-3, 2.5]]))[1] == ["-3", "2.5"]


def test_it_writes_dates_and_booleans_in_french():
    row = [datetime.date(2026, 9, 1), datetime.datetime(2026, 9, 1, 14, 5), True, False, None]
    assert _csv_rows(to_csv(list("abcde"), [row]))[1] == ["01/09/2026", "01/09/2026 14:05", "oui", "non", ""]
    assert _xlsx_rows(to_xlsx(list("abcde"), [row]))[1][:4] == ("01/09/2026", "01/09/2026 14:05", "oui", "non")


def test_it_answers_an_attachment_with_a_safe_filename():
    response = export_response(["nom"], [["A"]], filename="Conventions d’Aix", fmt="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="conventions-daix.xlsx"'
    assert export_response(["nom"], [], filename="x", fmt="exe")["Content-Disposition"].endswith('x.csv"')


@given(st.text())
def test_it_never_leaves_a_formula_prefix(text):
    result = neutralise(text)
    assert isinstance(result, str)
    assert not result.startswith(FORMULA_PREFIXES)
    assert result.removeprefix("'") == xml_safe(text) or result == xml_safe(text)


@given(st.text())
def test_any_text_makes_a_spreadsheet_that_reads_back(text):
    # Forms refuse only NUL: a title may hold a bell, an escape, U+FFFF or a lone surrogate.
    expected = neutralise(text)
    assert _csv_rows(to_csv(["titre"], [[text]]))[1] == [expected]
    (cell,) = _xlsx_rows(to_xlsx(["titre"], [[text]]))[1]
    assert (cell or "").replace("\r", "\n") == expected.replace("\r", "\n")


def test_characters_a_spreadsheet_cannot_carry_are_dropped():
    assert _xlsx_rows(to_xlsx(["titre"], [["Forum\x07 des\uffff métiers\ud800"]]))[1] == ("Forum des métiers",)
    assert _csv_rows(to_csv(["titre"], [["Forum\x1b des métiers"]]))[1] == ["Forum des métiers"]
