"""Who may import, and the flow around the preview: cancel, background run, status page."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from partenariats.accounts.models import Role
from partenariats.directory.models import Organisation
from tests.directory.test_import_schools import annuaire_csv
from tests.factories import AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

SESSION_KEY = "directory_import"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, data: bytes | None = None):
    file = io.BytesIO(annuaire_csv() if data is None else data)
    file.name = "annuaire.csv"
    return client.post(reverse("directory:import_upload"), {"kind": "schools", "file": file})


def stored_files(tmp_path) -> list:
    return [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.mark.parametrize("persona", ["observer", "partner_contact", "school_head", "clee_member", "outsider"])
def test_it_forbids_import_to_anyone_but_academy_staff_and_admins(client, persona, request, tmp_path):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("directory:import_upload")).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(reverse("directory:import_preview")).status_code == 403
    assert client.post(reverse("directory:import_preview"), {"confirm": ""}).status_code == 403
    assert client.get(reverse("directory:import_template")).status_code == 403
    assert (
        client.get(reverse("directory:import_status", args=["00000000-0000-0000-0000-000000000000"])).status_code == 403
    )
    assert not stored_files(tmp_path)
    assert not Organisation.objects.filter(uai="0139001N").exists()


@pytest.mark.parametrize("persona", ["academy_staff", "platform_admin"])
def test_it_shows_the_upload_page_to_importers(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("directory:import_upload")).content.decode()
    assert "<h1>Importer des établissements ou des organisations</h1>" in page
    assert 'enctype="multipart/form-data"' in page
    assert reverse("directory:import_template") + "?format=xlsx" in page


def test_it_keeps_the_file_until_the_preview_is_cancelled(client, academy_staff, tmp_path):
    client.force_login(academy_staff)
    upload(client)
    key = client.session[SESSION_KEY]["key"]
    assert key.startswith("imports/")
    assert key.endswith(".csv")
    assert (tmp_path / key).exists()

    response = client.post(reverse("directory:import_preview"), {"cancel": ""}, follow=True)

    assert "Import annulé : le fichier déposé a été supprimé." in response.content.decode()
    assert not stored_files(tmp_path)
    assert SESSION_KEY not in client.session
    assert not Organisation.objects.exists()


def test_it_replaces_a_pending_file_by_a_new_upload(client, academy_staff, tmp_path):
    client.force_login(academy_staff)
    upload(client)
    upload(client)
    assert len(stored_files(tmp_path)) == 1


def test_it_sends_back_to_the_upload_page_without_a_pending_file(client, academy_staff):
    client.force_login(academy_staff)
    response = client.get(reverse("directory:import_preview"), follow=True)
    assert response.redirect_chain == [(reverse("directory:import_upload"), 302)]
    assert "Aucun fichier en attente d’import" in response.content.decode()


def test_it_shows_counts_and_rows_in_the_preview(client, academy_staff):
    client.force_login(academy_staff)
    upload(client)
    page = " ".join(client.get(reverse("directory:import_preview")).content.decode().split())

    assert "4 à créer" in page
    assert "0 à mettre à jour" in page
    assert "1 ignorée" in page
    assert "établissement fermé : il n’est pas importé" in page
    assert "<caption> Les 5 lignes du fichier </caption>" in page
    assert "Importer 4 lignes </button>" in page


def test_it_removes_the_file_once_imported(client, academy_staff, tmp_path):
    client.force_login(academy_staff)
    upload(client)
    response = client.post(reverse("directory:import_preview"), {"confirm": ""})

    assert response.status_code == 200
    assert Organisation.objects.filter(kind="school").count() == 4
    assert not stored_files(tmp_path)
    assert SESSION_KEY not in client.session


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """The production queue: tasks wait in the database until a worker runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes stale connections between tasks; inside a test transaction it must not.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run_worker():
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)

    return run_worker


def test_it_runs_the_import_in_the_background_and_shows_its_progress(client, academy_staff, database_tasks, tmp_path):
    client.force_login(academy_staff)
    upload(client)
    response = client.post(reverse("directory:import_preview"), {"confirm": ""})
    status_url = response["Location"]
    assert status_url.startswith("/annuaire/import/statut/")
    assert not Organisation.objects.exists()

    page = client.get(status_url).content.decode()
    assert "En attente" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="{status_url}">Rafraîchir</a>' in page
    fragment = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "En attente" in fragment

    database_tasks()

    fragment = " ".join(client.get(status_url, headers={"HX-Request": "true"}).content.decode().split())
    assert "Terminé" in fragment
    assert "Terminé : 4 créés, 0 mis à jour, 1 ligne ignorée." in fragment
    assert "every 2s" not in fragment
    assert Organisation.objects.filter(kind="school").count() == 4
    assert not stored_files(tmp_path)


def test_it_says_why_a_background_import_failed(client, academy_staff, database_tasks):
    rows_with_error = annuaire_csv().replace(b"0139002P", b"0139002A")
    client.force_login(academy_staff)
    upload(client, rows_with_error)
    status_url = client.post(reverse("directory:import_preview"), {"confirm": ""})["Location"]
    database_tasks()

    page = client.get(status_url).content.decode()
    assert "Échec" in page
    assert "Le fichier contient 1 erreur : corrigez-le et déposez-le de nouveau." in page
    assert not Organisation.objects.exists()


def test_it_hides_an_import_from_other_users(client, academy_staff, database_tasks):
    client.force_login(academy_staff)
    upload(client)
    status_url = client.post(reverse("directory:import_preview"), {"confirm": ""})["Location"]

    colleague = UserFactory()
    AssignmentFactory(user=colleague, role=Role.ACADEMY_STAFF)
    client.force_login(colleague)
    assert client.get(status_url).status_code == 404
    assert client.get(reverse("directory:import_status", args=["pas-un-identifiant"])).status_code == 404
