"""Importing organisations from the template: SIRET checks, updates, all or nothing."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from partenariats.accounts.models import Role
from partenariats.directory import import_services, importers
from partenariats.directory.importers import ORGANISATION_TEMPLATE_HEADERS
from partenariats.directory.models import CompanySize, Organisation, OrganisationKind
from tests.factories import AssignmentFactory, OrganisationFactory, academy, valid_siret

pytestmark = pytest.mark.django_db

SIRET_A, SIRET_B = valid_siret(1), valid_siret(2)
LA_POSTE = "35600000000001"  # digit sum 15: valid although it fails Luhn


def template_csv(*rows: dict, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ORGANISATION_TEMPLATE_HEADERS, delimiter=delimiter, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


COMPANY = {
    "nom": "Chantiers Navals Exemple",
    "type": "Entreprise",
    "sigle": "CNE",
    "siret": f"{SIRET_A[:3]} {SIRET_A[3:6]} {SIRET_A[6:9]} {SIRET_A[9:]}",
    "code_naf": "3011z",
    "taille": "PME",
    "adresse": "1 quai de l’Exemple",
    "code_postal": "13002",
    "commune": "Marseille",
    "site_web": "www.example.invalid",
    "courriel": "contact@example.invalid",
    "telephone": "491000000",
}
FEDERATION = {"nom": "Fédération Régionale du Bâtiment", "type": "fédération", "siret": SIRET_B}
CHAMBER = {"nom": "Chambre de Métiers Exemple", "type": "chambre consulaire", "academie": "Aix-Marseille"}


def _named(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def upload(client, data: bytes, name: str = "organisations.csv"):
    return client.post(reverse("directory:import_upload"), {"kind": "organisations", "file": _named(data, name)})


def preview(client) -> str:
    return client.get(reverse("directory:import_preview")).content.decode()


def confirm(client):
    return client.post(reverse("directory:import_preview"), {"confirm": ""})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_imports_companies_federations_and_chambers(client, academy_staff):
    client.force_login(academy_staff)
    upload(client, template_csv(COMPANY, FEDERATION, CHAMBER))
    assert "3 à créer" in preview(client)
    response = confirm(client)

    assert "3 créés" in response.content.decode()
    company = Organisation.objects.get(siret=SIRET_A)
    assert company.kind == OrganisationKind.COMPANY
    assert (company.acronym, company.naf_code, company.size) == ("CNE", "30.11Z", CompanySize.SME)
    assert company.website == "https://www.example.invalid"
    assert company.phone == "0491000000"
    assert company.department_code == "13"
    # No académie in the file: the importer's own.
    assert company.academy == academy("Aix-Marseille")
    assert Organisation.objects.get(siret=SIRET_B).kind == OrganisationKind.EMPLOYER_ORG
    assert Organisation.objects.get(name__startswith="Chambre").kind == OrganisationKind.CHAMBER
    assert Organisation.objects.search("federation regionale batiment").count() == 1
    assert Organisation.objects.search(SIRET_A).get() == company


def test_it_accepts_la_poste_sirets_and_reports_bad_ones(client, academy_staff):
    rows = [
        {"nom": "La Poste Exemple", "type": "organisme public", "siret": LA_POSTE},
        {"nom": "Faute de frappe", "type": "entreprise", "siret": SIRET_A[:-1] + str((int(SIRET_A[-1]) + 1) % 10)},
        {"nom": "Un SIREN", "type": "entreprise", "siret": SIRET_A[:9]},
        {"nom": "", "type": "ovni", "taille": "énorme", "code_naf": "ABC", "courriel": "pas-un-courriel"},
    ]
    client.force_login(academy_staff)
    upload(client, template_csv(*rows))
    page = preview(client)

    assert "Ligne 2" not in page.split("import-errors")[1].split("</ul>")[0]
    assert "Ligne 3 : le SIRET « " in page
    assert "» est invalide (14 chiffres et clé de contrôle attendus)" in page
    assert f"Ligne 4 : « {SIRET_A[:9]} » est un SIREN (9 chiffres) : indiquez le SIRET (14 chiffres)" in page
    assert "Ligne 5 : le nom est vide" in page
    assert "Ligne 5 : le type « ovni » est inconnu" in page
    assert "Ligne 5 : la taille « énorme » est inconnue" in page
    assert "Ligne 5 : le code NAF « ABC » est invalide (format attendu : 62.01Z)" in page
    assert "Ligne 5 : le courriel « pas-un-courriel » n’est pas une adresse valide" in page
    confirm(client)
    assert not Organisation.objects.exists()


def test_it_refuses_a_siret_twice_in_the_same_file(client, academy_staff):
    client.force_login(academy_staff)
    upload(client, template_csv(COMPANY, {**FEDERATION, "siret": SIRET_A}))
    assert f"Ligne 3 : le SIRET « {SIRET_A} » figure déjà ligne 2" in preview(client)
    response = confirm(client)
    assert "Échec" in response.content.decode()
    assert not Organisation.objects.exists()


def test_it_updates_a_known_siret_and_keeps_what_empty_cells_leave(client, academy_staff):
    known = OrganisationFactory(company=True, siret=SIRET_A, name="Ancien nom", acronym="AN", city="Aix")
    client.force_login(academy_staff)
    upload(client, template_csv({"nom": "Chantiers Navals Exemple", "type": "entreprise", "siret": SIRET_A}))
    assert "mise à jour" in preview(client)
    confirm(client)

    known.refresh_from_db()
    assert Organisation.objects.count() == 1
    assert (known.name, known.acronym, known.city) == ("Chantiers Navals Exemple", "AN", "Aix")
    assert Organisation.objects.search("chantiers navals").get() == known


def test_it_refuses_a_known_siret_held_by_another_academy(client, academy_staff):
    OrganisationFactory(company=True, siret=SIRET_A, name="Société de Nice", academy=academy("Nice"))
    client.force_login(academy_staff)
    upload(client, template_csv({**COMPANY, "academie": "Aix-Marseille"}, {**FEDERATION, "academie": "Nice"}))
    page = preview(client)
    assert "Ligne 2 : la fiche existante « Société de Nice » est hors de votre périmètre" in page
    assert "Ligne 3 : l’académie « Nice » est hors de votre périmètre" in page


def test_it_rolls_everything_back_when_the_commit_fails(client, academy_staff, monkeypatch):
    known = OrganisationFactory(company=True, siret=SIRET_B, name="Ancien nom")

    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(import_services, "bulk_update_with_history", broken)
    client.force_login(academy_staff)
    upload(client, template_csv(COMPANY, FEDERATION, CHAMBER))
    response = confirm(client)

    assert "une erreur inattendue a interrompu l’import" in response.content.decode()
    assert list(Organisation.objects.all()) == [known]
    known.refresh_from_db()
    assert known.name == "Ancien nom"


def test_it_rolls_back_when_the_database_refuses_a_duplicate(client, academy_staff, monkeypatch):
    """A SIRET recorded between the preview and the commit: the created rows before it are undone too."""
    OrganisationFactory(company=True, siret=SIRET_B, name="Enregistrée entre-temps")
    monkeypatch.setattr(importers, "_existing", lambda field_name, values, user: ({}, set()))
    client.force_login(academy_staff)
    upload(client, template_csv(COMPANY, FEDERATION))
    response = confirm(client)

    assert "a été enregistrée entre-temps" in response.content.decode()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Enregistrée entre-temps"]


def test_it_imports_an_xlsx_template_with_numeric_cells(client, academy_staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(ORGANISATION_TEMPLATE_HEADERS)
    sheet.append(["Chantiers Navals Exemple", "entreprise", None, int(SIRET_A), None, None, None, 4400, "Digne"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    client.force_login(academy_staff)
    upload(client, buffer.getvalue(), "organisations.xlsx")
    confirm(client)
    company = Organisation.objects.get(siret=SIRET_A)
    assert (company.postal_code, company.department_code) == ("04400", "04")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_offers_the_template_to_download(client, academy_staff, fmt):
    client.force_login(academy_staff)
    response = client.get(reverse("directory:import_template"), {"format": fmt})

    assert response["Content-Disposition"] == f'attachment; filename="modele-import-organisations.{fmt}"'
    if fmt == "csv":
        assert response.content.decode("utf-8-sig").strip() == ";".join(ORGANISATION_TEMPLATE_HEADERS)
    else:
        rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
        assert rows == [tuple(ORGANISATION_TEMPLATE_HEADERS)]
    # Sent back unfilled, it says what is missing.
    upload_response = upload(client, response.content, f"modele.{fmt}")
    assert "aucune ligne à importer" in upload_response.context["form"].errors["file"][0]


def test_it_asks_for_the_academy_when_the_importer_has_several(client, academy_staff):
    AssignmentFactory(user=academy_staff, role=Role.ACADEMY_STAFF, academy=academy("Nice"))
    client.force_login(academy_staff)
    upload(client, template_csv(COMPANY, {**FEDERATION, "academie": "nice"}))
    page = preview(client)
    assert "Ligne 2 : l’académie n’est pas renseignée (vous intervenez dans plusieurs académies)" in page
    assert "Ligne 3" not in page.split("import-errors")[1].split("</ul>")[0]
