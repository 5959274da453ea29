"""Upload → job → reading in the background (inline in tests) → ready; failures in French;
cancelling; the same file twice; recovering the jobs of a dead worker; who may see what."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions.models import Convention
from partenariats.intake import services
from partenariats.intake.models import ImportJob, ImportStatus
from tests.factories import ConventionFactory, DocumentFactory
from tests.intake.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.django_db

UPLOAD = reverse("intake:upload")


def upload(client, content: bytes, name: str = "convention.txt", **extra):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content), **extra})


def test_an_uploaded_text_is_read_and_ready_for_review(client, academy_staff):
    client.force_login(academy_staff)
    response = upload(client, SAMPLE_TEXT.encode())
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("intake:job_detail", args=[job.pk])
    assert job.status == ImportStatus.READY, job.error
    assert (job.progress, job.attempts, job.created_by) == (100, 1, academy_staff)
    assert job.result["text"].startswith("CONVENTION DE COOPÉRATION")
    assert job.sha256
    assert job.size == len(SAMPLE_TEXT.encode())
    # A ready job's page leads to its review, which opens.
    assert client.get(response["Location"])["Location"] == reverse("intake:job_review", args=[job.pk])
    assert client.get(reverse("intake:job_review", args=[job.pk])).status_code == 200
    # The job is listed on the upload page.
    assert "convention.txt" in client.get(UPLOAD).content.decode()


def test_a_rendered_pdf_is_read(client, academy_staff):
    render = pytest.importorskip("tests.reader.render")
    client.force_login(academy_staff)
    upload(client, render.text_to_pdf(SAMPLE_TEXT), "convention.pdf")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY, job.error
    assert "Article 3" in job.result["text"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (os.urandom(2048).replace(b"%PDF", b"xxxx"), "Formats acceptés"),
    ],
)
def test_a_hostile_upload_is_refused_in_french(client, academy_staff, content, message):
    client.force_login(academy_staff)
    response = upload(client, b"\x00\x01\x02\xff" + content if content else content, "convention.bin")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "Le fichier est vide."), (b"\x7fELF" + bytes(range(256)) * 8, "Formats acceptés")],
)
def test_a_job_the_reader_cannot_read_fails_with_its_french_message(client, academy_staff, aix, content, message):
    job = services.create_job(user=academy_staff, academy=aix, content=content, original_name="x.bin")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert message in job.error
    assert not job.file  # nothing left on disk
    client.force_login(academy_staff)
    page = client.get(reverse("intake:job_detail", args=[job.pk])).content.decode()
    assert message in page
    assert "Importer un autre fichier" in page


def test_an_unexpected_error_fails_the_job_with_a_generic_message(academy_staff, aix, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise MemoryError if False else RuntimeError("panne du lecteur")

    monkeypatch.setattr(services, "read_bytes", broken)
    job = services.create_job(user=academy_staff, academy=aix, content=SAMPLE_TEXT.encode(), original_name="a.txt")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == services.GENERIC_FAILURE
    assert "panne du lecteur" not in job.error


def test_progress_is_written_at_most_once_a_second(ready_job):
    ImportJob.objects.filter(pk=ready_job.pk).update(status=ImportStatus.RUNNING, progress=0)
    now = [100.0]
    writer = services.ProgressWriter(ready_job.pk, clock=lambda: now[0])
    with CaptureQueriesContext(connection) as queries:
        writer(0.1, "Lecture de la page 1")
        now[0] += 0.3
        writer(0.2, "Lecture de la page 2")
        now[0] += 1.0
        writer(0.5, "Lecture de la page 5")
    assert len(queries) == 2
    ready_job.refresh_from_db()
    assert (ready_job.progress, ready_job.progress_label) == (50, "Lecture de la page 5")
    assert ready_job.heartbeat_at is not None


def test_the_job_page_polls_while_it_runs(client, academy_staff, ready_job):
    ImportJob.objects.filter(pk=ready_job.pk).update(
        status=ImportStatus.RUNNING, progress=42, progress_label="Lecture de la page 3"
    )
    client.force_login(academy_staff)
    url = reverse("intake:job_detail", args=[ready_job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<progress id="job-progress"' in page
    assert 'value="42"' in page
    assert "Lecture de la page 3 — 42 %" in page
    assert "Rafraîchir" in page
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content
    assert b"job-progress" in fragment.content
    # Once ready, htmx is sent on to the review.
    ImportJob.objects.filter(pk=ready_job.pk).update(status=ImportStatus.READY)
    redirect = client.get(url, headers={"HX-Request": "true"})
    assert redirect["HX-Redirect"] == reverse("intake:job_review", args=[ready_job.pk])


def test_cancelling_deletes_the_file_and_saves_nothing(client, academy_staff, ready_job):
    name = ready_job.file.name
    assert default_storage.exists(name)
    client.force_login(academy_staff)
    response = client.post(reverse("intake:job_cancel", args=[ready_job.pk]))
    assert response["Location"] == UPLOAD
    ready_job.refresh_from_db()
    assert ready_job.status == ImportStatus.CANCELLED
    assert ready_job.result is None
    assert not default_storage.exists(name)
    assert not Convention.objects.exists()
    # Nothing more to cancel, and the review is closed.
    assert client.get(reverse("intake:job_review", args=[ready_job.pk]))["Location"] == reverse(
        "intake:job_detail", args=[ready_job.pk]
    )


def test_a_job_cancelled_while_queued_is_left_alone_by_the_worker(academy_staff, aix, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda job_id: None)
    job = services.create_job(user=academy_staff, academy=aix, content=SAMPLE_TEXT.encode(), original_name="a.txt")
    services.cancel_job(job)
    services.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert job.attempts == 0


def test_the_same_file_twice_asks_for_a_confirmation(client, academy_staff, aix):
    content = SAMPLE_TEXT.encode()
    client.force_login(academy_staff)
    upload(client, content)
    first = ImportJob.objects.get()

    response = upload(client, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce fichier a déjà été déposé" in page
    assert first.get_absolute_url() in page
    assert "Importer quand même" in page
    assert ImportJob.objects.count() == 1

    response = client.post(UPLOAD, {"confirm": "1"})
    assert ImportJob.objects.count() == 2
    assert response["Location"] == ImportJob.objects.first().get_absolute_url()
    assert "intake_pending" not in client.session


def test_a_file_already_among_a_conventions_documents_is_named(client, academy_staff, aix):
    content = SAMPLE_TEXT.encode()
    convention = ConventionFactory(academy=aix, title="Convention déjà au registre")
    DocumentFactory(convention=convention, content=content)
    client.force_login(academy_staff)
    page = upload(client, content).content.decode()
    assert "Ce fichier a déjà été déposé" in page
    assert f'href="{convention.get_absolute_url()}"' in page
    assert not ImportJob.objects.exists()


def test_the_same_file_can_be_abandoned(client, academy_staff, aix):
    client.force_login(academy_staff)
    upload(client, SAMPLE_TEXT.encode())
    upload(client, SAMPLE_TEXT.encode())
    pending = client.session["intake_pending"]["key"]
    client.post(UPLOAD, {"cancel_pending": "1"})
    assert not default_storage.exists(pending)
    assert ImportJob.objects.count() == 1


# --- Recovery --------------------------------------------------------------------------------


@pytest.fixture
def running_job(academy_staff, aix):
    job = ImportJob(academy=aix, created_by=academy_staff, original_name="a.txt", size=10, sha256="1" * 64, attempts=1)
    job.file.save("upload", ContentFile(SAMPLE_TEXT.encode()), save=False)
    job.status = ImportStatus.RUNNING
    job.started_at = job.heartbeat_at = timezone.now() - datetime.timedelta(minutes=7)
    job.save()
    return job


def test_a_job_whose_worker_died_is_requeued(running_job, monkeypatch):
    enqueued = []
    monkeypatch.setattr(services, "enqueue", enqueued.append)
    assert services.recover_stalled_jobs(timezone.now()) == [running_job.pk]
    running_job.refresh_from_db()
    assert running_job.status == ImportStatus.QUEUED
    assert enqueued == [running_job.pk]


def test_a_requeued_job_is_read_again(running_job):
    call_command("recover_imports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    running_job.refresh_from_db()
    assert running_job.status == ImportStatus.READY
    assert running_job.attempts == 2


def test_a_job_that_keeps_dying_fails(running_job, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda job_id: pytest.fail("must not be enqueued"))
    ImportJob.objects.filter(pk=running_job.pk).update(attempts=3)
    name = running_job.file.name
    assert services.recover_stalled_jobs(timezone.now()) == []
    running_job.refresh_from_db()
    assert running_job.status == ImportStatus.FAILED
    assert running_job.error.startswith("Le traitement a été interrompu à plusieurs reprises")
    assert not default_storage.exists(name)


def test_a_live_job_is_left_alone(running_job, monkeypatch):
    ImportJob.objects.filter(pk=running_job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=30))
    assert services.recover_stalled_jobs(timezone.now()) == []
    running_job.refresh_from_db()
    assert running_job.status == ImportStatus.RUNNING


def test_a_job_lost_on_its_way_to_the_queue_is_enqueued_again(running_job, monkeypatch):
    enqueued = []
    monkeypatch.setattr(services, "enqueue", enqueued.append)
    old = timezone.now() - datetime.timedelta(hours=2)
    ImportJob.objects.filter(pk=running_job.pk).update(status=ImportStatus.QUEUED, enqueued_at=old)
    assert services.recover_stalled_jobs(timezone.now()) == [running_job.pk]
    # Not twice: the job's enqueue time moved on.
    assert services.recover_stalled_jobs(timezone.now()) == []
    assert enqueued == [running_job.pk]


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["partner_contact", "school_head", "observer", "outsider"])
def test_only_those_who_register_conventions_may_import(client, persona, request, ready_job):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, SAMPLE_TEXT.encode()).status_code == 403
    assert client.get(reverse("intake:job_detail", args=[ready_job.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["academy_admin", "colleague_elsewhere", "platform_admin"])
def test_another_users_job_is_not_found(client, persona, request, ready_job):
    client.force_login(request.getfixturevalue(persona))
    for name in ("intake:job_detail", "intake:job_review"):
        assert client.get(reverse(name, args=[ready_job.pk])).status_code == 404
    assert client.post(reverse("intake:job_cancel", args=[ready_job.pk])).status_code == 404
    ready_job.refresh_from_db()
    assert ready_job.status == ImportStatus.READY


def test_the_job_list_takes_a_constant_number_of_queries(client, academy_staff, aix, ready_job):
    client.force_login(academy_staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(UPLOAD).status_code == 200
        return len(queries)

    before = count()
    for index in range(5):
        job = ImportJob.objects.create(
            academy=aix, created_by=academy_staff, original_name=f"f{index}.pdf", size=1, sha256=str(index) * 64
        )
        job.convention = ConventionFactory(academy=aix)
        job.save()
    assert count() == before


def test_the_conventions_list_offers_the_import_to_those_who_may_use_it(client, academy_staff, observer):
    client.force_login(academy_staff)
    assert UPLOAD in client.get(reverse("conventions:convention_list")).content.decode()
    client.force_login(observer)
    assert UPLOAD not in client.get(reverse("conventions:convention_list")).content.decode()


def test_a_reading_left_unsaved_for_30_days_is_forgotten(ready_job):
    ImportJob.objects.filter(pk=ready_job.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    name = ready_job.file.name

    call_command("recover_imports")

    ready_job.refresh_from_db()
    assert ready_job.status == ImportStatus.CANCELLED
    assert ready_job.result is None
    assert not default_storage.exists(name)


def test_a_recent_reading_is_kept(ready_job):
    call_command("recover_imports")

    ready_job.refresh_from_db()
    assert ready_job.status == ImportStatus.READY
    assert ready_job.result
