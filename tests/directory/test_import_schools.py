"""Importing schools from the annuaire de l'éducation: upload → preview → confirm."""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import Workbook

from partenariats.directory.importers import analyse
from partenariats.directory.models import Organisation, PriorityEducation, SchoolType, Sector
from tests.factories import OrganisationFactory, academy

pytestmark = pytest.mark.django_db

SHARED_SAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "annuaire-education-sample.csv"

# Our own file in the annuaire's layout (a subset of its columns, in its order and spelling).
HEADERS = [
    "Identifiant_de_l_etablissement",
    "Nom_etablissement",
    "Type_etablissement",
    "Statut_public_prive",
    "Adresse_1",
    "Adresse_2",
    "Code_postal",
    "Nom_commune",
    "Code_departement",
    "Code_academie",
    "Libelle_academie",
    "Telephone",
    "Mail",
    "Appartenance_Education_Prioritaire",
    "Nombre_d_eleves",
    "Libelle_nature",
    "etat",
]
ROWS = [
    ["0139001N", "Collège des Goélands", "Collège", "Public", "12 avenue des Goélands", "", "13009",
     "Marseille 9e  Arrondissement", "013", "02", "Aix-Marseille", "04 91 00 00 01", "ce.0139001@example.invalid",
     "REP+", "612", "COLLEGE", "OUVERT"],
    ["0139002P", "Lycée du Vieux-Port", "Lycée", "Public", "3 quai de Rive-Neuve", "BP 42", "13007",
     "Marseille 7e Arrondissement", "013", "02", "Aix-Marseille", "", "", "", "455", "LYCEE PROFESSIONNEL", "OUVERT"],
    ["0849003E", "Collège Saint-Exemple", "Collège", "Privé", "1 rue du Test", "", "84000", "Avignon", "084", "02",
     "Aix-Marseille", "", "", "", "389", "COLLEGE", "OUVERT"],
    ["0049004R", "Collège des Hautes-Vallées", "Collège", "Public", "Route de la Montagne", "", "04400",
     "Barcelonnette", "004", "02", "Aix-Marseille", "", "", "REP", "231", "COLLEGE", "OUVERT"],
    ["0839005M", "Lycée fermé", "Lycée", "Public", "5 rue Ancienne", "", "83000", "Toulon", "083", "23", "Nice",
     "", "", "", "0", "LYCEE D ENSEIGNEMENT GENERAL ET TECHNOLOGIQUE", "FERME"],
]  # fmt: skip


def annuaire_csv(rows=ROWS, headers=HEADERS, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client, data: bytes, name: str = "annuaire.csv", kind: str = "schools"):
    return client.post(reverse("directory:import_upload"), {"kind": kind, "file": _named(data, name)})


def _named(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def confirm(client):
    return client.post(reverse("directory:import_preview"), {"confirm": ""})


def import_file(client, data: bytes, name: str = "annuaire.csv", kind: str = "schools"):
    response = upload(client, data, name, kind)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert response["Location"] == reverse("directory:import_preview")
    return confirm(client)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def schools() -> dict[str, Organisation]:
    return {school.uai: school for school in Organisation.objects.all()}


def test_it_imports_the_four_open_schools_of_the_national_sample(client, academy_staff):
    if not SHARED_SAMPLE.exists():
        pytest.skip("the shared annuaire sample is not available")
    client.force_login(academy_staff)
    response = import_file(client, SHARED_SAMPLE.read_bytes(), "fr-en-annuaire-education.csv")

    assert "4 créés, 0 mis à jour" in " ".join(response.content.decode().split())
    found = schools()
    assert set(found) == {"0139001N", "0139002P", "0849003E", "0049004R"}
    assert {school.academy for school in found.values()} == {academy("Aix-Marseille")}
    assert found["0139001N"].priority_education == PriorityEducation.REP_PLUS
    assert found["0049004R"].priority_education == PriorityEducation.REP
    assert found["0139002P"].priority_education == PriorityEducation.NONE
    assert found["0139002P"].school_type == SchoolType.LYCEE_PRO
    assert found["0139001N"].school_type == SchoolType.COLLEGE
    assert found["0849003E"].sector == Sector.PRIVATE
    assert found["0139001N"].sector == Sector.PUBLIC
    assert found["0139001N"].city == "Marseille 9e Arrondissement"
    assert found["0049004R"].department_code == "04"
    assert found["0139001N"].pupil_count == 612


def test_it_imports_our_annuaire_file_with_every_field(client, academy_staff):
    client.force_login(academy_staff)
    import_file(client, annuaire_csv())

    college = Organisation.objects.get(uai="0139001N")
    assert college.name == "Collège des Goélands"
    assert college.address == "12 avenue des Goélands"
    assert college.postal_code == "13009"
    assert college.department_code == "13"
    assert college.email == "ce.0139001@example.invalid"
    assert college.phone == "04 91 00 00 01"
    assert Organisation.objects.get(uai="0139002P").address_extra == "BP 42"
    assert not Organisation.objects.filter(uai="0839005M").exists()
    assert college.history.count() == 1


def test_it_finds_imported_schools_without_accents(client, academy_staff):
    client.force_login(academy_staff)
    import_file(client, annuaire_csv())

    assert list(Organisation.objects.search("goelands marseille").values_list("uai", flat=True)) == ["0139001N"]
    assert list(Organisation.objects.search("HAUTES-VALLEES").values_list("uai", flat=True)) == ["0049004R"]
    assert list(Organisation.objects.search("0849003e").values_list("uai", flat=True)) == ["0849003E"]


def reshaped(data: bytes) -> bytes:
    """The same schools as the API and re-exports serve them."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    headers, body = [h.lower() for h in rows[0]], rows[1:]
    department = headers.index("code_departement")
    for row in body:
        row[department] = row[department].lstrip("0")  # "013" → "13"
    order = list(reversed(range(len(headers))))
    headers = ["Colonne inconnue", *(headers[i] for i in order), "autre_extra"]
    body = [["?", *(row[i] for i in order), "x"] for row in body]
    return annuaire_csv(body, headers, delimiter=",", encoding="utf-8")


@pytest.mark.parametrize("source", ["ours", "shared"])
def test_it_reads_the_same_schools_from_a_reshaped_file(client, academy_staff, source):
    if source == "shared" and not SHARED_SAMPLE.exists():
        pytest.skip("the shared annuaire sample is not available")
    original = SHARED_SAMPLE.read_bytes() if source == "shared" else annuaire_csv()
    variant = reshaped(original)
    assert variant.startswith(b"Colonne inconnue,")

    expected = {row.identifier: row.values for row in analyse("schools", original, academy_staff).rows}
    assert {row.identifier: row.values for row in analyse("schools", variant, academy_staff).rows} == expected

    client.force_login(academy_staff)
    import_file(client, variant)
    assert set(schools()) == {"0139001N", "0139002P", "0849003E", "0049004R"}
    assert Organisation.objects.get(uai="0139001N").department_code == "13"


def test_it_decodes_a_windows_1252_file(client, academy_staff):
    client.force_login(academy_staff)
    upload(client, annuaire_csv(encoding="cp1252"))
    response = client.get(reverse("directory:import_preview"))
    assert "Windows-1252" in response.content.decode()
    confirm(client)
    assert Organisation.objects.get(uai="0049004R").name == "Collège des Hautes-Vallées"


def test_it_imports_an_xlsx_workbook(client, academy_staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([])  # a blank first row: the headers are the first non-empty one
    sheet.append(HEADERS)
    for row in ROWS:
        # Spreadsheets keep numbers as numbers: "04400" becomes 4400, "004" becomes 4.
        sheet.append([int(cell) if cell.isdigit() and index != 0 else cell for index, cell in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    client.force_login(academy_staff)
    import_file(client, buffer.getvalue(), "annuaire.xlsx")

    assert set(schools()) == {"0139001N", "0139002P", "0849003E", "0049004R"}
    mountain = Organisation.objects.get(uai="0049004R")
    assert (mountain.postal_code, mountain.department_code, mountain.pupil_count) == ("04400", "04", 231)
    assert mountain.academy == academy("Aix-Marseille")


def test_it_reports_a_bad_uai_with_its_line_and_saves_nothing(client, academy_staff):
    rows = [list(row) for row in ROWS]
    rows[1][0] = "0139002A"  # line 3 of the file
    client.force_login(academy_staff)
    upload(client, annuaire_csv(rows))

    page = client.get(reverse("directory:import_preview")).content.decode()
    assert "Ligne 3 : le code UAI « 0139002A » est invalide (lettre de contrôle attendue : P)" in page
    assert "disabled" in page.split('name="confirm"')[1].split(">")[0]

    response = confirm(client)
    assert "Le fichier contient 1 erreur" in response.content.decode()
    assert not Organisation.objects.exists()


def test_it_reports_duplicate_uais_unknown_academies_and_bad_counts(client, academy_staff):
    rows = [list(row) for row in ROWS[:3]]
    rows[2][0] = "0139001N"
    rows[1][10], rows[1][9] = "Atlantide", ""
    rows[0][14] = "beaucoup"
    client.force_login(academy_staff)
    upload(client, annuaire_csv(rows))

    page = client.get(reverse("directory:import_preview")).content.decode()
    assert "Ligne 4 : le code UAI « 0139001N » figure déjà ligne 2" in page
    assert "Ligne 3 : l’académie « Atlantide » est inconnue" in page
    assert "Ligne 2 : le nombre d’élèves « beaucoup » n’est pas un nombre entier" in page


def test_it_says_which_required_columns_are_missing(client, academy_staff):
    headers = [h for h in HEADERS if h not in ("Nom_etablissement", "Libelle_academie", "Code_academie")]
    rows = [[cell for h, cell in zip(HEADERS, row, strict=True) if h in headers] for row in ROWS]
    client.force_login(academy_staff)
    response = upload(client, annuaire_csv(rows, headers))

    message = response.context["form"].errors["file"][0]
    assert message.startswith("Colonnes obligatoires absentes : Nom_etablissement, Libelle_academie ou Code_academie.")
    assert "Colonnes trouvées : Identifiant_de_l_etablissement, Type_etablissement" in message
    assert not Organisation.objects.exists()


def test_it_updates_known_schools_instead_of_duplicating_them(client, academy_staff):
    client.force_login(academy_staff)
    import_file(client, annuaire_csv())
    rows = [list(row) for row in ROWS]
    rows[0][1] = "Collège des Goélands (nouveau nom)"
    rows[0][13] = ""

    upload(client, annuaire_csv(rows))
    page = client.get(reverse("directory:import_preview")).content.decode()
    assert "mise à jour" in page
    assert "0 à créer" in page
    assert "1 à mettre à jour" in page
    assert "3 inchangées" in page
    response = confirm(client)

    assert "0 créé, 1 mis à jour, 3 inchangés" in " ".join(response.content.decode().split())
    assert Organisation.objects.count() == 4
    assert Organisation.objects.get(uai="0139002P").history.count() == 1
    college = Organisation.objects.get(uai="0139001N")
    assert college.name == "Collège des Goélands (nouveau nom)"
    assert college.priority_education == PriorityEducation.NONE
    assert Organisation.objects.search("nouveau nom").get() == college
    assert college.history.count() == 2


def test_it_deactivates_a_known_school_the_annuaire_says_is_closed(client, academy_staff):
    known = OrganisationFactory(school=True, uai="0139001N", academy=academy("Aix-Marseille"))
    rows = [list(row) for row in ROWS[:1]]
    rows[0][16] = "FERME"
    client.force_login(academy_staff)
    upload(client, annuaire_csv(rows))
    assert "sa fiche sera désactivée" in client.get(reverse("directory:import_preview")).content.decode()
    confirm(client)

    known.refresh_from_db()
    assert not known.is_active
    assert known.deactivated_on is not None


def test_it_refuses_schools_of_another_academy(client, colleague_elsewhere):
    client.force_login(colleague_elsewhere)
    upload(client, annuaire_csv())

    page = client.get(reverse("directory:import_preview")).content.decode()
    for line in (2, 3, 4, 5):
        assert (
            f"Ligne {line} : l’établissement relève de l’académie « Aix-Marseille » : hors de votre périmètre" in page
        )
    assert "Ligne 6" not in page  # the closed school of Nice is skipped, not refused
    confirm(client)
    assert not Organisation.objects.exists()


def test_it_refuses_to_update_a_school_held_by_another_academy(client, colleague_elsewhere):
    OrganisationFactory(school=True, uai="0839005M", academy=academy("Aix-Marseille"), name="Lycée d’Aix")
    rows = [list(ROWS[4])]
    rows[0][16] = "OUVERT"
    client.force_login(colleague_elsewhere)
    upload(client, annuaire_csv(rows))

    page = client.get(reverse("directory:import_preview")).content.decode()
    assert "Ligne 2 : la fiche existante « Lycée d’Aix » est hors de votre périmètre" in page


def test_it_lets_a_platform_admin_import_every_academy(client, platform_admin):
    rows = [list(row) for row in ROWS]
    rows[4][16] = "OUVERT"
    client.force_login(platform_admin)
    import_file(client, annuaire_csv(rows))
    assert Organisation.objects.get(uai="0839005M").academy == academy("Nice")
