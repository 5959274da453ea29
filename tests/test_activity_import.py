"""Bulk import of activities: upload → preview with per-row French errors → all-or-nothing commit."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from partenariats.accounts.models import Role
from partenariats.activities import import_services, views_import
from partenariats.activities.import_values import CellError, parse_count, parse_day, parse_hours
from partenariats.activities.importers import TEMPLATE_HEADERS, analyse
from partenariats.activities.models import Activity, ActivityKind, Contribution, Level
from partenariats.conventions.models import ConventionKind
from tests.directory.test_import_files import PDF, zip_bomb
from tests.factories import (
    ActionFactory,
    AssignmentFactory,
    BasinFactory,
    ConventionFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
    academy,
    valid_uai,
)

pytestmark = pytest.mark.django_db

SESSION_KEY = "activity_import"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def csv_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    headers = headers or list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue().encode()


def upload(client, data: bytes, name: str = "activites.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("activities:import_start"), {"file": file})


def preview(client):
    return client.get(reverse("activities:import_preview"))


def confirm(client):
    return client.post(reverse("activities:import_preview"), {"confirm": ""})


def row(**cells) -> dict:
    base = {"date": "14/11/2025", "type": "Visite d’entreprise", "intitulé": "Visite de l’atelier"}
    return base | {key.replace("_", " "): value for key, value in cells.items()}


def errors_of(client) -> list[str]:
    return preview(client).context["errors"]


@pytest.fixture
def convention(company, school):
    """A signed convention of Aix with the company as a party, and its 2025 plan's action n° 2."""
    convention = ConventionFactory(signed=True, title="Convention des ateliers", reference="CV-2025-07")
    convention.parties.create(organisation=company, side="partner", position=2)
    plan = PlanFactory(convention=convention, school_year=2025)
    ActionFactory(plan=plan, number=2, title="Visites d’ateliers")
    return convention


def test_it_records_every_row_after_the_preview(client, academy_staff, school, company, convention):
    data = csv_bytes(
        [
            {
                "Date": "14/11/2025",
                "Type": "Visite d’entreprise",
                "Intitulé": "Visite de l’atelier",
                "Lieu": "Marseille",
                "UAI de l’établissement": school.uai,
                "Niveau": "3ème",
                "Classe": "3e B",
                "Élèves": "24",
                "Enseignants": "2",
                "Professionnels": "3",
                "Heures": "2,5",
                "SIRET ou nom du partenaire": company.siret,
                "Préparée": "oui",
                "Exploitée": "non",
                "Évaluation": "Très bon retour des élèves",
                "Convention": "cv-2025-07",
                "Action": "2",
                "Confidentielle": "non",
            },
            {
                "Date": "2026-03-02",
                "Type": "pfmp",
                "Intitulé": "Stage de seconde",
                "UAI de l’établissement": school.name.upper(),
                "Élèves": "1",
                "SIRET ou nom du partenaire": company.name,
                "Convention": "Convention des ateliers",
            },
        ]
    )
    client.force_login(academy_staff)
    assert upload(client, data).status_code == 302
    page = preview(client)
    assert page.context["to_create"] == 2
    assert not page.context["errors"]
    assert "Enregistrer 2 activités" in page.content.decode()
    assert not Activity.objects.exists()

    done = confirm(client)

    assert "2 activités enregistrées." in done.content.decode()
    visit = Activity.objects.get(title="Visite de l’atelier")
    assert (visit.kind, visit.starts_on, visit.place) == (
        ActivityKind.COMPANY_VISIT,
        datetime.date(2025, 11, 14),
        "Marseille",
    )
    assert (visit.pupil_participations, visit.class_count, visit.teacher_count, visit.professional_count) == (
        24,
        1,
        2,
        3,
    )
    assert visit.hours == Decimal("2.5")
    assert (visit.prepared_with_pupils, visit.exploited_afterwards, visit.confidential) == (True, False, False)
    assert visit.evaluation == "Très bon retour des élèves"
    group = visit.groups.get()
    assert (group.school, group.level, group.class_name, group.pupils) == (school, Level.TROISIEME, "3e B", 24)
    assert list(visit.organisations.all()) == [company]
    assert (visit.academy, visit.recorded_by) == (academy("Aix-Marseille"), academy_staff)
    contribution = visit.contributions.get()
    assert (contribution.convention, contribution.action.number) == (convention, 2)
    assert (contribution.confirmed, contribution.confirmed_by) == (True, academy_staff)
    assert visit.history.get(history_type="+").history_change_reason == "Import d’activités"
    placement = Activity.objects.get(title="Stage de seconde")
    assert (placement.kind, placement.school_year) == (ActivityKind.PLACEMENT, 2025)
    assert placement.contributions.get().action is None
    assert SESSION_KEY not in client.session


def test_it_reads_a_workbook_with_real_dates_and_numbers(client, academy_staff, school):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DATE", "TYPE", "INTITULE", "ETABLISSEMENT", "ELEVES", "HEURES"])
    sheet.append([datetime.datetime(2026, 1, 20), "Forum", "Forum des métiers", school.uai, 120, 3.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(academy_staff)
    upload(client, buffer.getvalue(), "activites.xlsx")
    confirm(client)
    forum = Activity.objects.get()
    assert (forum.kind, forum.starts_on, forum.pupil_participations) == ("forum_stand", datetime.date(2026, 1, 20), 120)
    assert forum.hours == Decimal("3.5")


UNKNOWN_UAI = valid_uai(9999)
ROW_ERRORS = {
    "impossible date": (row(date="31/02/2026"), "la date « 31/02/2026 » n’existe pas"),
    "date in words": (row(date="demain"), "la date « demain » n’est pas reconnue (attendu : JJ/MM/AAAA)"),
    "negative pupils": (row(élèves="-3"), "le nombre d’élèves « -3 » est négatif"),
    "pupils in words": (row(élèves="vingt"), "le nombre d’élèves « vingt » n’est pas un nombre entier"),
    "hours with letters": (row(heures="2h"), "la durée « 2h » n’est pas un nombre d’heures"),
    "unknown kind": (row(type="Pique-nique"), "le type « Pique-nique » est inconnu (valeurs possibles : « Visite"),
    "unknown level": (row(niveau="CM7"), "le niveau « CM7 » est inconnu"),
    "yes or no": (row(préparée="peut-être"), "« peut-être » n’est pas une réponse (oui ou non) pour « préparée »"),
    "unknown UAI": (row(UAI=UNKNOWN_UAI), f"l’UAI « {UNKNOWN_UAI} » ne correspond à aucun établissement de l’annuaire"),
    "UAI with a wrong letter": (row(UAI="0130001A"), "le code UAI « 0130001A » est invalide"),
    "unknown school name": (row(UAI="Lycée Imaginaire"), "aucun établissement de l’annuaire ne s’appelle"),
    "SIREN for SIRET": (row(partenaire="552100554"), "« 552100554 » est un SIREN (9 chiffres)"),
    "unknown convention": (
        row(convention="CV-0000"),
        "la convention « CV-0000 » est inconnue ou hors de votre périmètre",
    ),
    "action without convention": (row(action="3"), "une action est indiquée sans sa convention"),
    "end before start": (row(date_de_fin="01/11/2025"), "la date de fin « 01/11/2025 » précède la date"),
    "empty title": (row(intitulé=""), "l’intitulé est vide"),
}


@pytest.mark.parametrize("case", list(ROW_ERRORS), ids=list(ROW_ERRORS))
def test_it_explains_each_wrong_row_in_french_and_records_nothing(client, academy_staff, school, case):
    cells, expected = ROW_ERRORS[case]
    good = row(intitulé="Une ligne juste", UAI=school.uai)
    client.force_login(academy_staff)
    upload(client, csv_bytes([good, {"UAI": school.uai} | cells]))

    page = preview(client)
    errors = page.context["errors"]
    assert len(errors) == 1
    assert errors[0].startswith("Ligne 3 : " + expected), errors
    assert "aucune activité ne peut être enregistrée" in page.content.decode()
    assert 'disabled aria-describedby="import-errors"' in page.content.decode()
    refused = confirm(client)
    assert "Le fichier contient 1 ligne en erreur" in refused.content.decode()
    assert not Activity.objects.exists()


def test_it_refuses_an_action_of_another_year_or_of_another_number(client, partner_contact, convention):
    client.force_login(partner_contact)
    upload(
        client,
        csv_bytes(
            [row(convention="CV-2025-07", action="2", date="01/09/2026"), row(convention="CV-2025-07", action="9")]
        ),
    )
    assert errors_of(client) == [
        "Ligne 2 : la convention « CV-2025-07 » n’a pas de plan pour l’année 2026–2027",
        "Ligne 3 : l’action n° 9 n’existe pas dans le plan 2025–2026 de la convention « CV-2025-07 »",
    ]


def test_it_hides_a_confidential_action_from_who_is_not_a_party(client, colleague_elsewhere, academy_staff, nice):
    national = ConventionFactory(signed=True, kind=ConventionKind.NATIONAL, reference="CV-NAT")
    ActionFactory(plan=PlanFactory(convention=national, school_year=2025), number=1, confidential=True)
    data = csv_bytes([row(convention="CV-NAT", action="1")])
    client.force_login(colleague_elsewhere)
    upload(client, data)
    assert errors_of(client) == [
        "Ligne 2 : l’action n° 1 n’existe pas dans le plan 2025–2026 de la convention « CV-NAT »"
    ]
    client.force_login(academy_staff)
    upload(client, data)
    assert not errors_of(client)


def test_it_refuses_a_convention_out_of_scope_without_revealing_it(client, academy_staff, nice):
    ConventionFactory(signed=True, academy=nice, reference="CV-NICE")
    client.force_login(academy_staff)
    upload(client, csv_bytes([row(convention="CV-NICE")]))
    assert errors_of(client) == ["Ligne 2 : la convention « CV-NICE » est inconnue ou hors de votre périmètre"]


def test_academy_staff_import_only_the_activities_of_their_academy(client, academy_staff, nice):
    school_of_nice = OrganisationFactory(school=True, academy=nice, name="Lycée de Nice")
    client.force_login(academy_staff)
    upload(client, csv_bytes([row(UAI=school_of_nice.uai)]))
    assert errors_of(client) == ["Ligne 2 : l’activité relève de l’académie « Nice » : hors de votre périmètre"]


def test_school_staff_import_only_for_their_school(client, school_head, school):
    other = OrganisationFactory(school=True, name="Collège Voisin")
    client.force_login(school_head)
    upload(client, csv_bytes([row(élèves="20"), row(UAI=other.uai)]))
    page = preview(client)
    assert page.context["errors"] == [
        "Ligne 3 : l’établissement « Collège Voisin » n’est pas le vôtre : hors de votre périmètre"
    ]
    assert f"établissement : « {school.name} » (le vôtre)" in page.content.decode()

    upload(client, csv_bytes([row(élèves="20")]))
    confirm(client)
    activity = Activity.objects.get()
    assert activity.groups.get().school == school
    assert activity.recorded_for == school
    assert list(Activity.objects.for_user(school_head)) == [activity]


def test_partner_staff_always_count_their_organisation(client, partner_contact, company):
    other = OrganisationFactory(company=True, name="Sous-traitant SA")
    client.force_login(partner_contact)
    upload(client, csv_bytes([row(), row(intitulé="Visite conjointe", partenaire=other.siret)]))
    page = preview(client)
    assert not page.context["errors"]
    assert f"« {company.name} » (votre organisation) est comptée parmi les partenaires" in page.content.decode()
    confirm(client)
    assert list(Activity.objects.get(title="Visite de l’atelier").organisations.all()) == [company]
    assert set(Activity.objects.get(title="Visite conjointe").organisations.all()) == {company, other}
    assert set(Activity.objects.for_user(partner_contact)) == set(Activity.objects.all())


def test_partner_staff_may_name_a_school_of_any_academy(client, partner_contact, nice):
    client.force_login(partner_contact)
    upload(client, csv_bytes([row(UAI=OrganisationFactory(school=True, academy=nice).uai)]))
    assert not errors_of(client)


def test_clee_members_import_the_activities_of_their_basin(client, clee_member):
    basin = clee_member.assignments.get().basin
    ours = OrganisationFactory(school=True, basin=basin, name="Lycée du bassin")
    elsewhere = OrganisationFactory(school=True, basin=BasinFactory(), name="Lycée d’un autre bassin")
    in_nice = OrganisationFactory(school=True, academy=academy("Nice"), name="Lycée de Nice")
    client.force_login(clee_member)
    upload(client, csv_bytes([row(UAI=s.uai) for s in (ours, elsewhere, in_nice)]))
    assert errors_of(client) == [
        "Ligne 3 : l’activité ne relève pas de votre bassin : hors de votre périmètre",
        "Ligne 4 : l’activité relève de l’académie « Nice » : hors de votre périmètre",
    ]
    upload(client, csv_bytes([row(UAI=ours.uai)]))
    confirm(client)
    assert Activity.objects.get().basin == basin


@pytest.mark.parametrize("persona", ["observer", "outsider"])
def test_it_forbids_import_to_who_may_not_record(client, persona, request, tmp_path, school):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("activities:import_start")).status_code == 403
    assert upload(client, csv_bytes([row()])).status_code == 403
    assert preview(client).status_code == 403
    assert confirm(client).status_code == 403
    assert client.get(reverse("activities:import_template")).status_code == 403
    status = reverse("activities:import_status", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(status).status_code == 403
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_it_lists_the_expected_columns_when_one_is_missing(client, academy_staff):
    client.force_login(academy_staff)
    response = upload(client, b"jour;activite\r\n14/11/2025;visite\r\n")
    message = response.context["form"].errors["file"][0]
    assert message.startswith("Colonnes obligatoires absentes : date, type, intitulé.")
    assert "Colonnes trouvées : jour, activite." in message
    assert "Colonnes facultatives : date de fin, lieu, UAI de l’établissement" in message
    assert SESSION_KEY not in client.session


HOSTILE_FILES = {
    "pdf named csv": ("activites.csv", PDF, "Ce fichier est un document PDF, pas un tableau"),
    "zip bomb named xlsx": ("activites.xlsx", None, "trop volumineux une fois décompressé"),
    "unknown encoding": ("ancien.csv", "date;type\r\nÉté;x\r\n".encode("cp1252") + b"\x81\x8d", "encodage"),
}


@pytest.mark.parametrize("case", list(HOSTILE_FILES), ids=list(HOSTILE_FILES))
def test_it_refuses_a_hostile_file_and_keeps_nothing(client, academy_staff, tmp_path, case):
    name, data, expected = HOSTILE_FILES[case]
    client.force_login(academy_staff)
    response = upload(client, zip_bomb() if data is None else data, name)
    assert expected in response.context["form"].errors["file"][0]
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_it_keeps_formulas_and_markup_as_plain_text(client, academy_staff, school):
    formula = '=HYPERLINK("http://x.invalid";"clic")'
    client.force_login(academy_staff)
    upload(client, csv_bytes([row(intitulé=formula, lieu="<script>alert(1)</script>", UAI=school.uai)]))
    page = preview(client).content.decode()
    assert "<script>alert(1)</script>" not in page
    confirm(client)
    activity = Activity.objects.get()
    assert (activity.title, activity.place) == (formula, "<script>alert(1)</script>")


def test_a_failure_midway_saves_nothing(client, academy_staff, school, monkeypatch):
    calls = []
    real_save = import_services.save_activity

    def save_then_fail(activity, data, **kwargs):
        calls.append(activity.title)
        if len(calls) == 3:
            raise ValidationError("La base a refusé l’activité.")
        return real_save(activity, data, **kwargs)

    monkeypatch.setattr(import_services, "save_activity", save_then_fail)
    client.force_login(academy_staff)
    upload(client, csv_bytes([row(intitulé=f"Visite {n}", UAI=school.uai) for n in range(4)]))
    page = confirm(client).content.decode()
    assert len(calls) == 3
    assert "Ligne 4 : La base a refusé l’activité." in page
    assert "Aucune activité n’a été enregistrée." in page
    assert not Activity.objects.exists()
    assert not Contribution.objects.exists()


def test_an_unexpected_crash_midway_saves_nothing(client, academy_staff, school, monkeypatch):
    real_save = import_services.save_activity
    saved = []

    def crash_on_second(activity, data, **kwargs):
        if saved:
            raise RuntimeError("disque plein")
        saved.append(real_save(activity, data, **kwargs))

    monkeypatch.setattr(import_services, "save_activity", crash_on_second)
    client.force_login(academy_staff)
    upload(client, csv_bytes([row(intitulé="Première"), row(intitulé="Seconde")]))
    page = confirm(client).content.decode()
    assert "une erreur inattendue a interrompu l’import" in page.lower()
    assert len(saved) == 1
    assert not Activity.objects.exists()


def test_it_checks_the_file_again_at_confirmation(client, academy_staff, convention):
    client.force_login(academy_staff)
    upload(client, csv_bytes([row(convention="CV-2025-07")]))
    assert not errors_of(client)
    convention.archived_at = timezone.now()
    convention.save(update_fields=["archived_at"])
    assert "Le fichier contient 1 ligne en erreur" in confirm(client).content.decode()
    assert not Activity.objects.exists()


def test_it_warns_of_a_file_imported_twice(client, academy_staff, school):
    data = csv_bytes([row(UAI=school.uai, élèves="12")])
    client.force_login(academy_staff)
    upload(client, data)
    confirm(client)
    upload(client, data)
    page = preview(client).content.decode()
    assert "une activité de même date et de même intitulé est déjà enregistrée" in page


def test_it_cancels_and_deletes_the_stored_file(client, academy_staff, tmp_path):
    client.force_login(academy_staff)
    upload(client, csv_bytes([row()]))
    assert client.session[SESSION_KEY]["key"].startswith("imports/")
    response = client.post(reverse("activities:import_preview"), {"cancel": ""}, follow=True)
    assert "Import annulé : le fichier déposé a été supprimé." in response.content.decode()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_it_offers_the_template_in_both_formats(client, partner_contact):
    client.force_login(partner_contact)
    response = client.get(reverse("activities:import_template"))
    assert response.content.decode("utf-8-sig").splitlines()[0].split(";") == TEMPLATE_HEADERS
    workbook = client.get(reverse("activities:import_template"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert [cell.value for cell in sheet[1]] == TEMPLATE_HEADERS


def test_it_shows_an_import_only_to_who_started_it(client, academy_staff, colleague_elsewhere, monkeypatch):
    class Pending:
        id = "a-task"
        kwargs = {"user_id": academy_staff.pk}
        status = "READY"
        return_value = None

    class Task:
        @staticmethod
        def get_result(result_id):
            return Pending()

    monkeypatch.setattr(views_import, "import_activities_file", Task)
    url = reverse("activities:import_status", args=["a-task"])
    client.force_login(academy_staff)
    assert "Import en attente" in client.get(url).content.decode()
    client.force_login(colleague_elsewhere)
    assert client.get(url).status_code == 404


def test_the_preview_reads_the_database_a_constant_number_of_times(academy_staff, school, company, convention):
    def queries(count: int) -> int:
        rows = [
            row(intitulé=f"Visite {n}", UAI=school.uai, partenaire=company.name, convention="CV-2025-07", action="2")
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as context:
            report = analyse(csv_bytes(rows), academy_staff)
        assert not report.has_errors
        return len(context)

    queries(1)  # the user's scope is read once, then kept
    assert queries(2) == queries(60)


# --- Reading cells ----------------------------------------------------------------------------


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_it_reads_any_french_or_iso_date(day):
    assert parse_day(day.strftime("%d/%m/%Y")) == day
    assert parse_day(day.isoformat()) == day


def read(reader, text):
    """What a cell reader answers: (value, None), or (None, its French message)."""
    try:
        return reader(text), None
    except CellError as exc:
        return None, str(exc)


@given(st.text(max_size=20))
def test_it_reads_a_date_or_says_why_not(text):
    day, message = read(parse_day, text)
    assert isinstance(day, datetime.date) or message.startswith("la date « ")


@given(st.integers(min_value=0, max_value=32767))
def test_it_reads_any_count(number):
    assert parse_count(str(number), "d’élèves") == number
    assert parse_count(f"{number:,}".replace(",", " "), "d’élèves") == number


@given(st.text(max_size=12))
def test_it_reads_a_count_or_says_why_not(text):
    count, message = read(lambda cell: parse_count(cell, "d’élèves"), text)
    assert (count is not None and count >= 0) or message.startswith("le nombre d’élèves « ")


@given(st.text(max_size=12))
def test_it_reads_hours_or_says_why_not(text):
    hours, message = read(parse_hours, text)
    if message:
        assert message.startswith("la durée « ")
    else:
        assert Decimal(0) <= hours < 100_000
        assert hours == hours.quantize(Decimal("0.1"))


def test_federation_staff_cannot_count_an_activity_toward_a_members_convention(client, aix, school):
    """They read their members' conventions, but reading is not being a party: the row is refused."""
    federation = OrganisationFactory(federation=True, academy=aix, name="Fédération Exemple")
    member = OrganisationFactory(company=True, academy=aix, name="Adhérente Exemple")
    stranger = OrganisationFactory(company=True, academy=aix, name="Entreprise Étrangère")
    federation.members.add(member, stranger)
    local = ConventionFactory(signed=True, reference="CV-LOCALE")
    local.parties.create(organisation=member, side="partner", position=2)
    staff = UserFactory()
    AssignmentFactory(user=staff, role=Role.PARTNER_STAFF, academy=None, organisation=federation)
    client.force_login(staff)

    upload(client, csv_bytes([row(convention="CV-LOCALE", partenaire=stranger.name)]))
    assert errors_of(client) == [
        "Ligne 2 : ni l’établissement ni le partenaire de la ligne ne sont parties à la convention "
        "« CV-LOCALE » : elle ne peut pas compter pour elle"
    ]
    upload(client, csv_bytes([row(convention="CV-LOCALE", partenaire=member.name)]))
    assert not errors_of(client)
