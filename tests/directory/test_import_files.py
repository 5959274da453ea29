"""Files that are not a readable table: a French message, nothing stored, nothing saved."""

import io
import os
import re
import zipfile

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from partenariats.directory.importers import ImportFileError, column_key, read_table
from partenariats.directory.models import Organisation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
OLE = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024)


def zip_bomb() -> bytes:
    """60 MB of zeros in a 60 KB archive that claims to be a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = bytes(1024 * 1024)
            for _ in range(60):
                sheet.write(chunk)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


BROKEN_FILES = {
    "empty": ("vide.csv", b"", "Le fichier est vide."),
    "blank lines": ("blanc.csv", b"\r\n ;;\r\n\r\n", "Le fichier est vide."),
    "random bytes": ("hasard.csv", os.urandom(4096), "n’est ni un tableau CSV ni un classeur Excel"),
    "pdf named csv": ("annuaire.csv", PDF, "Ce fichier est un document PDF, pas un tableau"),
    "old excel": ("annuaire.xlsx", OLE, "Office 97-2003"),
    "zip bomb named xlsx": ("annuaire.xlsx", None, "trop volumineux une fois décompressé"),
    "zip that is no workbook": ("annuaire.xlsx", plain_zip(), "n’est pas un classeur Excel (.xlsx)"),
    "damaged zip": ("annuaire.xlsx", b"PK\x03\x04" + b"\x00" * 10 + b"garbage", "endommagé"),
    "header only": ("entete.csv", b"nom;type;siret\r\n", "ne contient que la ligne d’en-tête"),
    "unknown encoding": ("ancien.csv", "nom;type\r\nÉcole;x\r\n".encode("cp1252") + b"\x81\x8d", "encodage"),
    "not our columns": ("autre.csv", b"prenom;age\r\nCamille;12\r\n", "Colonnes obligatoires absentes : nom, type."),
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("case", list(BROKEN_FILES), ids=list(BROKEN_FILES))
def test_it_refuses_a_broken_file_in_french_and_keeps_nothing(client, academy_staff, settings, tmp_path, case):
    name, data, expected = BROKEN_FILES[case]
    file = io.BytesIO(zip_bomb() if data is None else data)
    file.name = name
    client.force_login(academy_staff)
    response = client.post(reverse("directory:import_upload"), {"kind": "organisations", "file": file})

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert expected in errors[0], errors
    assert expected in response.content.decode()
    assert "directory_import" not in client.session
    assert not list(tmp_path.rglob("*.*"))
    assert not Organisation.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(client, academy_staff, settings):
    settings.IMPORT_MAX_BYTES = 1024
    file = io.BytesIO(b"nom;type\r\n" + b"Entreprise;entreprise\r\n" * 100)
    file.name = "gros.csv"
    client.force_login(academy_staff)
    response = client.post(reverse("directory:import_upload"), {"kind": "organisations", "file": file})
    assert response.context["form"].errors["file"] == ["Le fichier dépasse la taille maximale autorisée (0 Mo)."]


def test_it_keeps_the_chosen_kind_when_the_file_is_refused(client, academy_staff):
    file = io.BytesIO(PDF)
    file.name = "annuaire.csv"
    client.force_login(academy_staff)
    response = client.post(reverse("directory:import_upload"), {"kind": "schools", "file": file})
    assert re.search(r'value="schools"[^>]* checked>', response.content.decode())


@pytest.mark.parametrize(
    ("data", "delimiter_notice"),
    [
        (b"nom;type\r\nA;entreprise\r\n", None),
        (b"nom,type\nA,entreprise\n", "« , »"),
        (b"nom\ttype\nA\tentreprise\n", "tabulation"),
        ("\ufeffnom;type\nA;entreprise\n".encode(), None),
        ("nom;type\nA;entreprise\n".encode("utf-16"), None),
    ],
)
def test_it_sniffs_the_separator_and_the_encoding(data, delimiter_notice):
    table = read_table(data)
    assert table.headers == ["nom", "type"]
    assert table.rows == [(2, ["A", "entreprise"])]
    assert any(delimiter_notice in notice for notice in table.notices) if delimiter_notice else not table.notices


def test_it_numbers_lines_as_the_file_does():
    table = read_table(b'nom;type\r\n\r\n"Sur deux\r\nlignes";entreprise\r\nB;association\r\n')
    assert [line for line, _ in table.rows] == [4, 5]
    assert table.rows[0][1][0] == "Sur deux lignes"


def test_it_raises_a_french_error_outside_the_web_too():
    with pytest.raises(ImportFileError, match="Le fichier est vide"):
        read_table(b"   ")


@given(st.text())
def test_it_reduces_any_header_to_a_plain_key(header):
    key = column_key(header)
    assert key == column_key(key.upper())
    assert all(char.isascii() and (char.isalnum() or char == "_") for char in key)
    assert not key.startswith("_")
    assert not key.endswith("_")
