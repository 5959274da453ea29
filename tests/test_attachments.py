"""An activity's files: checked by content, those about minors only with consent and a retention
date, downloaded through an access check (parties only for minors), purged when their date passes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from partenariats.activities.attachments import (
    MAX_SIZE,
    attachment_content_type,
    default_retention,
    purge_expired_attachments,
)
from partenariats.activities.models import Attachment, AttachmentKind
from partenariats.core.school_year import SchoolYear
from tests.factories import ActivityFactory, AttachmentFactory
from tests.hostile_files import image_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# Real images: a header alone is refused as damaged.
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


@pytest.fixture(autouse=True)
def memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def stored_files(folder: str = "activities") -> list[str]:
    if not default_storage.exists(folder):
        return []
    directories, files = default_storage.listdir(folder)
    return [f"{folder}/{name}" for name in files] + [
        path for directory in directories for path in stored_files(f"{folder}/{directory}")
    ]


@pytest.fixture
def visit(aix, school, company):
    return ActivityFactory(academy=aix, pupils=24, groups__school=school, organisations=[company])


def login(client, user):
    client.force_login(user)
    return client


def upload(client, activity, content: bytes, name: str, **fields):
    data = {
        "title": "Feuille d’émargement",
        "kind": AttachmentKind.ATTENDANCE,
        "file": SimpleUploadedFile(name, content),
        "concerns_minors": "on",
        "consent_obtained": "on",
        "retain_until": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
    } | fields
    return client.post(reverse("activities:attachment_upload", args=[activity.pk]), data)


# --- Uploading ------------------------------------------------------------------------------------


def test_an_editor_attaches_a_file_stored_under_a_name_of_its_own(client, academy_staff, visit):
    response = upload(login(client, academy_staff), visit, PDF, "../../etc/passwd.pdf")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "passwd.pdf"
    assert "passwd" not in attachment.file.name
    assert attachment.file.name.startswith(f"activities/{visit.pk}/")
    assert attachment.uploaded_by == academy_staff
    assert stored_files() == [attachment.file.name]
    # The same file twice is stored once.
    upload(client, visit, PDF, "encore.pdf")
    assert Attachment.objects.count() == 1


def test_the_form_proposes_31_august_of_the_following_school_year(client, academy_staff, aix):
    today = timezone.localdate()
    activity = ActivityFactory(academy=aix, starts_on=today)
    url = reverse("activities:attachment_upload", args=[activity.pk])
    form = login(client, academy_staff).get(url).context["form"]
    assert form.initial["retain_until"] == datetime.date(SchoolYear.of(today).start_year + 2, 8, 31)


@pytest.mark.parametrize(
    ("content", "name", "fields", "message"),
    [
        (PDF, "photo.jpg", {}, "ne correspond pas à son nom"),
        (b"", "vide.pdf", {}, "vide"),
        (b"%PDF-1.4\n" + b"0" * MAX_SIZE, "gros.pdf", {}, "taille maximale de 10 Mo"),
        (b"<html><script>alert(1)</script></html>", "page.pdf", {}, "pas d’un type accepté"),
        (b"GIF89a" + b"\x00" * 32, "anime.gif", {}, "pas d’un type accepté"),
        (PDF, "liste.pdf", {"consent_obtained": ""}, "responsables légaux"),
        (PDF, "liste.pdf", {"retain_until": ""}, "jusqu’à quand"),
        (PDF, "liste.pdf", {"retain_until": "2020-01-01"}, "doit être à venir"),
    ],
)
def test_it_refuses_a_hostile_or_incomplete_upload_in_french_and_stores_nothing(
    client, academy_staff, visit, content, name, fields, message
):
    response = upload(login(client, academy_staff), visit, content, name, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_a_file_not_about_minors_needs_no_consent(client, academy_staff, visit):
    response = upload(
        login(client, academy_staff),
        visit,
        PNG,
        "affiche.png",
        kind=AttachmentKind.REPORT,
        concerns_minors="",
        consent_obtained="",
        retain_until="",
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.concerns_minors, attachment.retain_until, attachment.content_type) == (False, None, "image/png")


def test_readers_do_not_attach_files(client, observer, visit):
    assert upload(login(client, observer), visit, PDF, "liste.pdf").status_code == 403
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF, "a.pdf", "application/pdf"),
        (JPEG, "a.jpeg", "image/jpeg"),
        (PNG, "A.PNG", "image/png"),
        (JPEG, "sans-extension", "image/jpeg"),
    ],
)
def test_it_reads_the_type_from_the_content(content, name, expected):
    assert attachment_content_type(content, name) == expected


@given(st.binary(max_size=256))
def test_it_never_accepts_bytes_that_are_not_pdf_jpeg_or_png(content):
    """Whatever the bytes, the answer is an accepted type or a French refusal, never a crash."""
    try:
        content_type = attachment_content_type(content, "fichier.bin")
    except ValidationError:
        return  # refused, with its French message
    assert content_type in ("application/pdf", "image/jpeg", "image/png")


def test_default_retention_is_never_in_the_past():
    old = ActivityFactory.build(starts_on=datetime.date(2019, 10, 1))
    old.school_year = 2019
    assert default_retention(old, datetime.date(2026, 11, 22)) == datetime.date(2027, 8, 31)
    recent = ActivityFactory.build(starts_on=datetime.date(2026, 10, 1))
    recent.school_year = 2026
    assert default_retention(recent, datetime.date(2026, 11, 22)) == datetime.date(2028, 8, 31)


# --- Downloading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("academy_staff", 200),  # may edit the activity
        ("school_head", 200),  # their school took part
        ("partner_contact", 200),  # their company took part
        ("platform_admin", 200),
        ("observer", 404),  # reads the activity, is not a party
        ("clee_member", 404),  # reads it in its académie, cannot edit it, took no part
        ("colleague_elsewhere", 404),
        ("outsider", 404),
    ],
)
def test_a_file_about_minors_goes_to_the_parties_only(client, request, visit, persona, status):
    attachment = AttachmentFactory(activity=visit, title="Photos de la visite")
    url = reverse("activities:attachment_download", args=[visit.pk, attachment.pk])
    login(client, request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == status
    page = client.get(visit.get_absolute_url())
    if page.status_code == 200:
        assert ("Photos de la visite" in page.content.decode()) is (status == 200)
    if status == 200:
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith('attachment; filename="photos-de-la-visite.pdf"')
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_file_not_about_minors_goes_to_every_reader(client, observer, visit):
    attachment = AttachmentFactory(activity=visit, concerns_minors=False, consent_obtained=False, retain_until=None)
    url = reverse("activities:attachment_download", args=[visit.pk, attachment.pk])
    assert login(client, observer).get(url).status_code == 200


def test_a_file_is_reached_only_through_its_own_activity(client, academy_staff, visit, aix):
    other = ActivityFactory(academy=aix)
    attachment = AttachmentFactory(activity=other)
    url = reverse("activities:attachment_download", args=[visit.pk, attachment.pk])
    assert login(client, academy_staff).get(url).status_code == 404


def test_an_editor_deletes_a_file_after_confirming(
    client, academy_staff, observer, visit, django_capture_on_commit_callbacks
):
    attachment = AttachmentFactory(activity=visit)
    name = attachment.file.name
    url = reverse("activities:attachment_delete", args=[visit.pk, attachment.pk])
    assert login(client, observer).post(url).status_code == 403
    login(client, academy_staff)
    assert client.get(url).status_code == 200
    assert Attachment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)
    assert Attachment.history.filter(history_type="-").count() == 1


# --- Purging ------------------------------------------------------------------------------------


@pytest.fixture
def kept_and_expired(visit):
    expired = AttachmentFactory(activity=visit, retain_until=datetime.date(2026, 8, 31))
    kept = AttachmentFactory(activity=visit, retain_until=datetime.date(2027, 8, 31))
    forever = AttachmentFactory(activity=visit, concerns_minors=False, consent_obtained=False, retain_until=None)
    return expired, kept, forever


def test_the_purge_deletes_expired_files_only(kept_and_expired, django_capture_on_commit_callbacks):
    expired, kept, forever = kept_and_expired
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_attachments(datetime.date(2026, 9, 1)) == 1
    assert set(Attachment.objects.all()) == {kept, forever}
    assert not default_storage.exists(expired.file.name)
    assert default_storage.exists(kept.file.name)
    assert default_storage.exists(forever.file.name)
    # Idempotent: nothing more the second time.
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_attachments(datetime.date(2026, 9, 1)) == 0


def test_the_purge_keeps_a_file_on_its_last_day(kept_and_expired):
    assert purge_expired_attachments(datetime.date(2026, 8, 31)) == 0


def test_the_purge_command_says_how_many_and_simulates(kept_and_expired, capsys, django_capture_on_commit_callbacks):
    call_command("purge_attachments", "--date", "2026-09-01", "--dry-run")
    assert "1 pièce(s) jointe(s) à supprimer ; rien n’a été supprimé" in capsys.readouterr().out
    assert Attachment.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_attachments", "--date", "2026-09-01")
    assert "1 supprimée(s)" in capsys.readouterr().out
    assert Attachment.objects.count() == 2
