"""Broken and hostile uploads through every page that takes a file: each is refused with a French
message naming what is wrong and what to do, nothing is saved (no record, no stored file), and a
job the worker reads later ends failed, never left running. CSV formula injection comes back out
of the exports as text, never as a formula. The files are built by ``tests/hostile_files.py``.
"""

import csv
import datetime
import html
import io
import re
import secrets
import time
import unicodedata
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from partenariats.activities.models import Activity, Attachment
from partenariats.conventions.models import Convention, Document
from partenariats.core.exports import FORMULA_PREFIXES
from partenariats.directory.models import Organisation
from partenariats.intake.models import ImportJob, ImportStatus
from partenariats.reader import Limits, ReaderError
from partenariats.reader.sources import extract, precheck
from tests import hostile_files as hostile
from tests.factories import ActivityFactory, ConventionFactory, valid_uai

pytestmark = pytest.mark.django_db

DOCUMENTS = hostile.documents()
TABLES = hostile.tables()

# What each family's message must speak of (the reader writes ', the registry ’).
ABOUT = {
    "empty": r"vide|espaces|pas un PDF valide|type accepté|ne ressemble pas|aucune ligne",
    "truncated": r"endommagé|incomplet|illisible|n['’]est pas un PDF|type accepté",
    "encrypted": r"mot de passe|protégé|chiffré|protection|ancien document Office|type accepté",
    "wrong-extension": r"accepté|format|n['’]est pas|ne correspond pas|pas un tableau|ni un tableau|illisible",
    "polyglot": r"accolé|code|accepté|endommagé|illisible|ne correspond pas|n['’]est pas",
    "too-many-pages": r"pages",
    "bomb": r"anormal|volumineu|démesuré|trop",
    "columns": r"[Cc]olonne|ligne|mal formé|erreur",
    "encoding": r"encodage|ni un tableau|texte lisible|[Ll]igne|[Cc]olonne",
    "size": r"taille maximale|Mo|lignes",
    "any": r".",
}
ENGLISH = re.compile(r"\b(?:the|is|not|file|error|invalid|please|upload|failed|traceback|exception)\b", re.IGNORECASE)
# Messages of the page: field errors, alerts, the job's error.
MESSAGE = re.compile(
    r'class="(?:fr-error-text|fr-message fr-message--error|fr-alert[^"]*)"[^>]*>(.*?)</(?:p|div)>', re.DOTALL
)
TAG = re.compile(r"<[^>]+>")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings) -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Convention, Document, ImportJob, Organisation, Activity, Attachment, DBTaskResult)
    }


def post_file(client, url: str, filename: str, data: bytes, fields: dict | None = None):
    """A multipart POST built by hand, so that the file name reaches the server as a browser sends it
    (the test client would strip its directories); browsers percent-encode ``"``, CR and LF."""
    boundary = "----hostile" + secrets.token_hex(8)
    sent = filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    body = b""
    for key, value in (fields or {}).items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{sent}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + data
    body += f"\r\n--{boundary}--\r\n".encode()
    return client.generic("POST", url, body, content_type=f"multipart/form-data; boundary={boundary}")


def messages_of(page: str) -> list[str]:
    return [" ".join(html.unescape(TAG.sub(" ", found)).split()) for found in MESSAGE.findall(page)]


def assert_french_refusal(page: str, family: str) -> str:
    """The page says in French what is wrong (the family's words), with no trace of a crash."""
    assert "Traceback" not in page
    said = [message for message in messages_of(page) if message]
    assert said, "no error message in the page"
    message = " ".join(said)
    assert re.search(ABOUT[family], message), message
    assert not ENGLISH.search(message), message
    return message


def assert_french(message: str) -> None:
    assert message
    assert message[0].isupper(), message
    assert not ENGLISH.search(message), message


# --- The documents: the reader's import, a convention's documents, an activity's attachments -------


@pytest.fixture
def convention():
    return ConventionFactory()


@pytest.fixture
def activity():
    return ActivityFactory()


def entry_point(name: str, convention, activity) -> tuple[str, dict]:
    if name == "intake":
        return reverse("intake:upload"), {}
    if name == "document":
        url = reverse("conventions:document_upload", args=[convention.pk])
        return url, {"title": "Exemplaire signé", "kind": "signed"}
    url = reverse("activities:attachment_upload", args=[activity.pk])
    return url, {"title": "Feuille de présence", "kind": "report"}


# Only the reader counts pages: the registry keeps long documents.
REGISTRY_CASES = [case for case in DOCUMENTS if case.family != "too-many-pages"]


@pytest.mark.parametrize("case", DOCUMENTS, ids=repr)
def test_the_reader_import_refuses_it_and_no_job_is_left_running(client, academy_staff, settings, case):
    client.force_login(academy_staff)
    before = counts()
    response = post_file(client, reverse("intake:upload"), case.name, case.data)
    job = ImportJob.objects.first()
    if response.status_code == 302:
        # Accepted for reading: the worker (inline in tests) read it and gave up, in French.
        assert job is not None
        assert response["Location"] == reverse("intake:job_detail", args=[job.pk])
        assert job.status == ImportStatus.FAILED, (job.status, job.error)
        assert_french(job.error)
        assert re.search(ABOUT[case.family], job.error), job.error
        assert job.started_at
        assert job.finished_at
        assert job.finished_at >= job.started_at
        assert job.attempts == 1
        assert not job.file
        page = html.unescape(client.get(response["Location"]).content.decode())
        assert job.error[:40] in page
        assert counts() == {**before, "ImportJob": before["ImportJob"] + 1}
    else:
        assert response.status_code == 200
        assert_french_refusal(response.content.decode(), case.family)
        assert counts() == before
    assert not stored_files(settings)


@pytest.mark.parametrize("case", REGISTRY_CASES, ids=repr)
@pytest.mark.parametrize("where", ["document", "attachment"])
def test_the_registry_refuses_it_and_stores_nothing(client, academy_staff, settings, convention, activity, where, case):
    client.force_login(academy_staff)
    url, fields = entry_point(where, convention, activity)
    before = counts()
    response = post_file(client, url, case.name, case.data, fields)
    assert response.status_code in (200, 400, 422), response.status_code
    assert_french_refusal(response.content.decode(), case.family)
    assert counts() == before
    assert not stored_files(settings)


@pytest.mark.slow
@pytest.mark.parametrize("case", DOCUMENTS, ids=repr)
def test_the_pure_reader_refuses_it_within_its_limits(case):
    """Straight to the reader: a French ``ReaderError`` within a few seconds, whatever the file."""
    started = time.monotonic()
    with pytest.raises(ReaderError) as refused:
        _read(case.data, case.name)
    assert time.monotonic() - started < 10
    assert_french(str(refused.value))


def _read(data: bytes, name: str) -> None:
    precheck(data, name)
    extract(data, name, limits=Limits(ocr_timeout_seconds=20))


def test_a_decompression_bomb_is_refused_before_it_is_inflated():
    """The budget stops the inflation: 200 MB of spaces are never produced."""
    bomb = hostile.pdf_with_bomb(200)
    started = time.monotonic()
    with pytest.raises(ReaderError) as refused:
        precheck(bomb, "bombe.pdf")
    assert refused.value.code == "bomb"
    assert time.monotonic() - started < 5
    # A valid PDF of the same kind, its stream inflating within the budget, passes.
    assert precheck(hostile.pdf_with_bomb(2), "petit.pdf") == "pdf"


# --- Hostile file names -----------------------------------------------------------------------------

# The reader's import is sent a file it refuses only once read (too many pages): quick, and the name
# is stored and shown all the same.
VALID_FOR = {"intake": hostile.text_pdf(101), "document": hostile.text_pdf(), "attachment": hostile.text_pdf()}
UNSAFE_IN_NAME = re.compile(r"[/\\<>]")


@pytest.mark.parametrize(("kind", "name"), hostile.NAMES, ids=[kind for kind, _ in hostile.NAMES])
@pytest.mark.parametrize("where", ["intake", "document", "attachment"])
def test_a_hostile_name_is_never_stored_nor_shown_as_is(
    client, academy_staff, settings, convention, activity, where, kind, name
):
    client.force_login(academy_staff)
    url, fields = entry_point(where, convention, activity)
    response = post_file(client, url, name, VALID_FOR[where], fields)
    if response.status_code != 302:
        # Refused (a name Django cannot read, or that is nothing once cleaned): said in French.
        assert response.status_code in (200, 400, 422)
        assert_french_refusal(response.content.decode(), "any")
        assert not stored_files(settings)
        return
    record = {"intake": ImportJob, "document": Document, "attachment": Attachment}[where].objects.get()
    stored = record.original_name
    assert stored
    assert len(stored) <= 255
    assert not any(unicodedata.category(char) in ("Cc", "Cf") for char in stored), repr(stored)
    if where != "intake":
        assert not UNSAFE_IN_NAME.search(stored), stored
    assert "/" not in stored
    assert "\\" not in stored
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x onerror" not in page


@pytest.mark.parametrize("where", ["intake", "document"])
def test_a_large_file_with_a_very_long_extension_gets_an_answer(client, academy_staff, convention, activity, where):
    """Past 5 Mo a file arrives on disk, in a temporary file named after its extension."""
    client.force_login(academy_staff)
    url, fields = entry_point(where, convention, activity)
    big = hostile.text_pdf().replace(b"%%EOF", b"%" + b"x" * (6 << 20) + b"\n%%EOF")
    response = post_file(client, url, "convention." + "p" * 250, big, fields)
    assert response.status_code in (200, 302, 422)
    if response.status_code != 302:
        assert_french_refusal(response.content.decode(), "any")


# --- The tables: organisations, schools and activities imports --------------------------------------

TABLE_IMPORTS = {
    "organisations": (lambda: reverse("directory:import_upload"), {"kind": "organisations"}),
    "schools": (lambda: reverse("directory:import_upload"), {"kind": "schools"}),
    "activities": (lambda: reverse("activities:import_start"), {}),
}
PREVIEW = {
    "organisations": "directory:import_preview",
    "schools": "directory:import_preview",
    "activities": "activities:import_preview",
}


@pytest.mark.parametrize("case", TABLES, ids=repr)
@pytest.mark.parametrize("where", list(TABLE_IMPORTS))
def test_a_broken_table_is_refused_and_nothing_is_imported(client, academy_staff, settings, where, case):
    client.force_login(academy_staff)
    url, fields = TABLE_IMPORTS[where]
    before = counts()
    response = post_file(client, url(), case.name, case.data, fields)
    if response.status_code == 302:
        # Readable, but every row is wrong: the preview lists why, and confirming saves nothing.
        preview = client.get(reverse(PREVIEW[where]))
        assert preview.status_code == 200
        errors = preview.context["errors"]
        assert errors
        for error in errors[:20]:
            assert_french(error)
        done = client.post(reverse(PREVIEW[where]), {"confirm": ""})
        assert done.status_code == 200
        assert "erreur" in assert_french_refusal(done.content.decode(), "columns")
    else:
        assert response.status_code == 200
        assert_french_refusal(response.content.decode(), case.family)
    assert counts() == before
    assert not stored_files(settings)


# --- Encodings that are readable: decoded right, or refused (never mojibake) ------------------------

NAME = "Société d’Études Générales"


def organisations_csv(name: str = NAME, separator: str = ";") -> str:
    return hostile.csv_text([hostile.ORGANISATION_HEADER, hostile.organisation_row(name)], separator)


ENCODINGS = {
    "utf8": organisations_csv().encode(),
    "utf8-bom": organisations_csv().encode("utf-8-sig"),
    "utf8-double-bom": ("\ufeff" + organisations_csv()).encode("utf-8-sig"),
    "utf16-le-bom": organisations_csv().encode("utf-16"),
    "utf16-be-bom": b"\xfe\xff" + organisations_csv().encode("utf-16-be"),
    "windows-1252": organisations_csv().encode("cp1252"),
    "latin-1": organisations_csv("Société d'Études Générales").encode("latin-1"),
    "comma-separated": organisations_csv(separator=",").encode(),
    "tab-separated": organisations_csv(separator="\t").encode(),
    "mixed-utf8-and-cp1252": organisations_csv().encode() + "Atelier Léon;entreprise\r\n".encode("cp1252"),
    "bom-in-the-middle-of-the-header": organisations_csv().replace("type", "ty\ufeffpe", 1).encode(),
}


@pytest.mark.parametrize("encoded", list(ENCODINGS.values()), ids=list(ENCODINGS))
def test_an_encoding_is_decoded_right_or_refused(client, academy_staff, settings, encoded):
    client.force_login(academy_staff)
    response = post_file(
        client, reverse("directory:import_upload"), "organisations.csv", encoded, TABLE_IMPORTS["organisations"][1]
    )
    if response.status_code != 302:
        assert_french_refusal(response.content.decode(), "encoding")
        assert not Organisation.objects.exists()
        assert not stored_files(settings)
        return
    preview = client.get(reverse("directory:import_preview")).content.decode()
    assert "Ã" not in preview
    assert "\ufffd" not in preview
    client.post(reverse("directory:import_preview"), {"confirm": ""})
    names = set(Organisation.objects.values_list("name", flat=True))
    assert names
    assert all("Ã" not in name and "\ufeff" not in name for name in names), names
    assert names & {NAME, "Société d'Études Générales"}
    assert not stored_files(settings)


# --- Rows that may be accepted, but whose values never come back out as formulas or markup ---------

INJECTIONS = [*(value for _, value in hostile.FORMULAS), "<script>alert('x')</script>"]


def exported_cells(client, url: str) -> list[str]:
    cells = []
    body = client.get(url + "?format=csv").content.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(body), delimiter=";"):
        cells += row
    workbook = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    for row in workbook.worksheets[0].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            cells.append(str(cell.value or ""))
    return cells


def assert_no_formula(cells: list[str], injected: list[str]) -> None:
    found = [cell for cell in cells if any(value.strip() in cell for value in injected if value.strip())]
    assert found, "the injected values are not in the export"
    for cell in cells:
        assert not cell.startswith(FORMULA_PREFIXES), cell


def test_formulas_in_every_text_column_of_the_organisations_import(client, academy_staff):
    rows = [hostile.ORGANISATION_HEADER]
    for index, value in enumerate(INJECTIONS):
        cells = {"sigle": value[:50], "adresse": value, "commune": value, "telephone": value[:30]}
        rows.append(hostile.organisation_row(f"{value} {index}" if index % 2 else value, **cells))
    client.force_login(academy_staff)
    post_file(
        client, reverse("directory:import_upload"), "o.csv", hostile.csv_text(rows).encode(), {"kind": "organisations"}
    )
    preview = client.get(reverse("directory:import_preview"))
    assert preview.context["errors"] == []
    assert "<script>alert(" not in preview.content.decode()
    client.post(reverse("directory:import_preview"), {"confirm": ""})
    assert Organisation.objects.count() == len(INJECTIONS)
    assert_no_formula(exported_cells(client, reverse("directory:organisation_list")), INJECTIONS)
    marked = Organisation.objects.get(name__startswith="<script>")
    assert (
        "<script>alert(" not in client.get(reverse("directory:organisation_detail", args=[marked.pk])).content.decode()
    )


def test_formulas_in_every_text_column_of_the_schools_import(client, academy_staff):
    header = ["Identifiant_de_l_etablissement", "Nom_etablissement", "Adresse_1", "Adresse_2", "Nom_commune"]
    header += ["Telephone", "Libelle_academie"]
    rows = [header]
    for index, value in enumerate(INJECTIONS):
        rows.append([valid_uai(9100 + index), value, value, value, value, value[:30], "Aix-Marseille"])
    client.force_login(academy_staff)
    post_file(client, reverse("directory:import_upload"), "e.csv", hostile.csv_text(rows).encode(), {"kind": "schools"})
    assert client.get(reverse("directory:import_preview")).context["errors"] == []
    client.post(reverse("directory:import_preview"), {"confirm": ""})
    assert Organisation.objects.filter(kind="school").count() == len(INJECTIONS)
    assert_no_formula(exported_cells(client, reverse("directory:organisation_list")), INJECTIONS)


def test_formulas_in_every_text_column_of_the_activities_import(client, academy_staff):
    today = datetime.date.today().strftime("%d/%m/%Y")
    rows = [["date", "type", "intitulé", "lieu", "classe", "évaluation"]]
    for index, value in enumerate(INJECTIONS):
        rows.append([today, "Forum", f"{value} {index}", value, value[:100], value])
    client.force_login(academy_staff)
    post_file(client, reverse("activities:import_start"), "a.csv", hostile.csv_text(rows).encode())
    preview = client.get(reverse("activities:import_preview"))
    assert preview.context["errors"] == [], preview.context["errors"]
    assert "<script>alert(" not in preview.content.decode()
    client.post(reverse("activities:import_preview"), {"confirm": ""})
    assert Activity.objects.count() == len(INJECTIONS)
    assert_no_formula(exported_cells(client, reverse("activities:activity_list")), INJECTIONS)
    marked = Activity.objects.get(title__startswith="<script>")
    assert "<script>alert(" not in client.get(reverse("activities:activity_detail", args=[marked.pk])).content.decode()


# --- Cells the database or the spreadsheet would choke on ----------------------------------------


def test_control_characters_in_cells_are_dropped_before_they_reach_the_database(client, academy_staff):
    name = "Atelier\x01 du\x1b bois\x7f\u202e"
    rows = [hostile.ORGANISATION_HEADER, hostile.organisation_row(name)]
    rows += [hostile.organisation_row(f"Menuiserie {n}") for n in range(10)]  # a few controls in a text
    client.force_login(academy_staff)
    post_file(
        client, reverse("directory:import_upload"), "o.csv", hostile.csv_text(rows).encode(), {"kind": "organisations"}
    )
    client.post(reverse("directory:import_preview"), {"confirm": ""})
    assert Organisation.objects.filter(name="Atelier du bois").exists()
    # The export opens: no character a workbook refuses.
    assert exported_cells(client, reverse("directory:organisation_list"))


def test_impossible_dates_and_huge_numbers_are_row_errors(client, academy_staff, settings):
    rows = [["date", "type", "intitulé", "élèves", "heures", "nombre de classes"]]
    rows += [
        ["31/02/2026", "Forum", "Forum A", "10", "2", "1"],
        ["01/01/2026", "Forum", "Forum B", "9" * 40, "2", "1"],
        ["01/01/2026", "Forum", "Forum C", "10", "1e309", "1"],
        ["01/01/2026", "Forum", "Forum D", "10", "NaN", "1"],
        ["01/01/2026", "Forum", "Forum E", "10", "2", "-" + "9" * 30],
        ["00/13/0000", "Forum", "Forum F", "10", "2", "1"],
    ]
    client.force_login(academy_staff)
    post_file(client, reverse("activities:import_start"), "a.csv", hostile.csv_text(rows).encode())
    errors = client.get(reverse("activities:import_preview")).context["errors"]
    assert len({error.split(" :")[0] for error in errors}) == 6, errors
    for error in errors:
        assert_french(error)
    client.post(reverse("activities:import_preview"), {"confirm": ""})
    assert not Activity.objects.exists()
    assert not stored_files(settings)


def test_a_hundred_thousand_rows_are_refused_before_they_are_checked(client, academy_staff, settings):
    rows = [hostile.ORGANISATION_HEADER] + [hostile.organisation_row(f"A{n}") for n in range(100_000)]
    data = hostile.csv_text(rows).encode()
    client.force_login(academy_staff)
    started = time.monotonic()
    response = post_file(client, reverse("directory:import_upload"), "o.csv", data, {"kind": "organisations"})
    # Generous for a busy CI machine: checking 100,000 rows took minutes before the limit.
    assert time.monotonic() - started < 60
    assert response.status_code == 200
    assert "découpez-le" in assert_french_refusal(response.content.decode(), "size")
    assert not Organisation.objects.exists()
    assert not stored_files(settings)


def test_the_catalogue_holds_at_least_a_hundred_distinct_inputs():
    inputs = {case.data for case in DOCUMENTS} | {case.data for case in TABLES} | set(ENCODINGS.values())
    names = {name for _, name in hostile.NAMES}
    assert len(inputs) + len(names) >= 100
    assert {case.family for case in [*DOCUMENTS, *TABLES]} == set(ABOUT) - {"any"}
