"""A convention's documents: upload checked by content, versions, download through an access check."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partenariats.accounts.models import Role
from partenariats.conventions.documents import MAX_SIZE, content_type_of
from partenariats.conventions.models import Document, DocumentKind
from tests.factories import (
    AssignmentFactory,
    ConventionFactory,
    DocumentFactory,
    OrganisationFactory,
    PartyFactory,
    UserFactory,
)
from tests.hostile_files import image_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ENCRYPTED_PDF = (
    b"%PDF-1.6\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    b"2 0 obj\n<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R /Encrypt 2 0 R /ID [<01><01>] >>\n%%EOF\n"
)
PNG = image_bytes("PNG")  # a real image: a header alone is refused as damaged


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes(encrypted: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        manifest = "<manifest:encryption-data/>" if encrypted else "<manifest:manifest/>"
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@pytest.fixture
def convention(company):
    convention = ConventionFactory(signed=True)
    PartyFactory(convention=convention, organisation=company, position=2)
    return convention


def upload_url(convention) -> str:
    return reverse("conventions:document_upload", args=[convention.pk])


def upload(client, convention, content: bytes, name: str = "convention.pdf", **fields):
    data = {"title": "Exemplaire signé", "kind": DocumentKind.SIGNED, **fields}
    data["file"] = SimpleUploadedFile(name, content)
    return client.post(upload_url(convention), data)


def download_url(document) -> str:
    return reverse("conventions:document_download", args=[document.convention_id, document.pk])


class TestContentCheck:
    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (PDF, "application/pdf"),
            (PNG, "image/png"),
            (image_bytes("JPEG"), "image/jpeg"),
            (image_bytes("TIFF"), "image/tiff"),
            (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ],
    )
    def test_it_accepts_the_listed_formats(self, content, expected):
        assert content_type_of(content) == expected

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "Le fichier est vide."),
            (b"Bonjour, je ne suis pas un PDF.", "n’est pas d’un type accepté"),
            (b"MZ\x90\x00" + b"\x00" * 64, "n’est pas d’un type accepté"),
            (ENCRYPTED_PDF, "chiffré"),
            (odt_bytes(encrypted=True), "protégé par un mot de passe"),
            (bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptedPackage".encode("utf-16-le"), "protégé par un mot de passe"),
            (b"PK\x03\x04 pas une archive", "illisible"),
            (b"%PDF-1.4\n" + b"0" * MAX_SIZE, "taille maximale de 20 Mo"),
        ],
    )
    def test_it_refuses_in_french(self, content, message):
        with pytest.raises(ValidationError) as refused:
            content_type_of(content)
        assert message in refused.value.messages[0]


class TestUpload:
    def test_it_stores_the_file_under_a_name_from_its_content(self, client, academy_staff, convention):
        client.force_login(academy_staff)
        response = upload(client, convention, PDF, name="../../etc/passwd.pdf")
        assert response.status_code == 302
        document = Document.objects.get()
        assert document.file.name.startswith(f"conventions/{convention.pk}/{document.sha256[:16]}")
        assert "passwd" not in document.file.name
        assert default_storage.open(document.file.name).read() == PDF
        assert (document.version, document.content_type, document.size) == (1, "application/pdf", len(PDF))
        assert document.uploaded_by == academy_staff

    def test_it_makes_a_new_version_of_a_document_with_the_same_title(self, client, academy_staff, convention):
        client.force_login(academy_staff)
        upload(client, convention, PDF)
        upload(client, convention, PDF.replace(b"1.4", b"1.5"))
        assert sorted(Document.objects.values_list("version", flat=True)) == [1, 2]
        html = client.get(convention.get_absolute_url()).content.decode()
        assert "Remplacé" in html

    def test_it_warns_instead_of_storing_the_same_content_twice(self, client, academy_staff, convention):
        client.force_login(academy_staff)
        upload(client, convention, PDF)
        response = upload(client, convention, PDF, title="Autre titre")
        assert Document.objects.count() == 1
        follow = client.get(response["Location"])
        assert "a déjà été déposé" in follow.content.decode()

    @pytest.mark.parametrize(
        ("content", "message"),
        [(b"Ceci est un texte nomme .pdf", "n’est pas d’un type accepté"), (ENCRYPTED_PDF, "chiffré")],
    )
    def test_it_refuses_a_bad_file_and_saves_nothing(self, client, academy_staff, convention, content, message):
        client.force_login(academy_staff)
        response = upload(client, convention, content, title="Mon titre")
        assert response.status_code == 422
        html = response.content.decode()
        assert message in html
        assert 'value="Mon titre"' in html
        assert not Document.objects.exists()

    def test_it_refuses_the_form_without_a_title_in_french(self, client, academy_staff, convention):
        client.force_login(academy_staff)
        response = upload(client, convention, PDF, title="")
        assert "Donnez un titre au document." in response.content.decode()
        assert not Document.objects.exists()

    @pytest.mark.parametrize(("persona", "status"), [("observer", 403), ("partner_contact", 403)])
    def test_it_is_refused_to_readers(self, client, convention, persona, status, request):
        client.force_login(request.getfixturevalue(persona))
        assert upload(client, convention, PDF).status_code == status
        assert not Document.objects.exists()

    def test_it_is_a_404_out_of_scope(self, client, colleague_elsewhere, convention):
        client.force_login(colleague_elsewhere)
        assert client.get(upload_url(convention)).status_code == 404


class TestDownload:
    def test_it_serves_the_file_as_an_attachment(self, client, academy_staff, convention):
        document = DocumentFactory(convention=convention, title='Convention "signée" ../../ v2', content=PDF)
        client.force_login(academy_staff)
        response = client.get(download_url(document))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == 'attachment; filename="convention-signee-v2-v1.pdf"'

    def test_it_is_a_404_out_of_scope(self, client, colleague_elsewhere, convention):
        document = DocumentFactory(convention=convention)
        client.force_login(colleague_elsewhere)
        assert client.get(download_url(document)).status_code == 404

    def test_it_is_a_404_through_another_convention(self, client, academy_staff, convention):
        other = ConventionFactory()
        document = DocumentFactory(convention=other)
        client.force_login(academy_staff)
        url = reverse("conventions:document_download", args=[convention.pk, document.pk])
        assert client.get(url).status_code == 404

    def test_it_keeps_confidential_files_for_the_parties_staff(self, client, convention, company, partner_contact):
        document = DocumentFactory(convention=convention, confidential=True)
        federation = OrganisationFactory(federation=True)
        federation.members.add(company)
        federation_staff = UserFactory()
        AssignmentFactory(user=federation_staff, role=Role.PARTNER_STAFF, academy=None, organisation=federation)
        client.force_login(federation_staff)
        assert client.get(convention.get_absolute_url()).status_code == 200  # sees the convention…
        assert client.get(download_url(document)).status_code == 404  # …not the confidential file
        client.force_login(partner_contact)
        assert client.get(download_url(document)).status_code == 200
