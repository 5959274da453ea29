"""A convention's files: what may be uploaded (checked by content, never by name), storing a new
version, and the headers of a download.

Files go through Django's storage API under the name ``Document.file``'s ``upload_to`` gives
(built from the SHA-256, never from the uploaded name); they are served only by a view that
checks access, and never deleted: a newer version with the same title supersedes the older.
"""

import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import get_valid_filename, slugify
from PIL import Image, UnidentifiedImageError

from partenariats.conventions.models import Amendment, Convention, Document
from partenariats.core import filechecks

MAX_SIZE = 20 * 1024 * 1024
ACCEPTED = "PDF, DOCX, ODT, PNG, JPEG ou TIFF"

# Content type → file extension of the accepted formats.
EXTENSIONS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/tiff": "tiff",
}
ZIP_SIGNATURE = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# An encrypted PDF names its encryption dictionary in its trailer (or cross-reference stream).
PDF_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
# Password-protected Word files are OLE containers holding an "EncryptedPackage" stream.
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
MANIFEST_MAX = 1024 * 1024
MAX_PIXELS = 89_478_485  # Pillow's own guard: a 600 dpi A2 scan
# A DOCX or ODT is checked from its table of contents before anything is read from it.
MAX_MEMBERS = 2000
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200  # XML compresses 5–30 times; a few hundred times is a crafted member
RATIO_MIN_SIZE = 1024 * 1024
MAX_PDF_INFLATION_RATIO = 40  # as the convention reader allows


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _office_type(content: bytes) -> str:
    """DOCX or ODT, from the archive's own table of contents (puremagic only sees "a zip")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        _check_archive(archive)
        names = set(archive.namelist())
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
            if archive.read("mimetype").strip() != ODT_MIMETYPE:
                raise _refuse(f"Ce document n’est pas d’un type accepté ({ACCEPTED}).", "type")
            manifest = archive.getinfo("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else None
            if (
                manifest is not None
                and manifest.file_size < MANIFEST_MAX
                and b"encryption-data" in archive.read(manifest)
            ):
                raise _refuse("Ce document est protégé par un mot de passe : déposez-le sans protection.", "encrypted")
            return "application/vnd.oasis.opendocument.text"
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    except (zipfile.BadZipFile, zlib.error, KeyError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise _refuse("Ce fichier est une archive illisible ou endommagée.", "damaged") from exc
    raise _refuse(f"Ce document n’est pas d’un type accepté ({ACCEPTED}).", "type")


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb from its table of contents: too many members, too much once unpacked, or a
    member compressed beyond what a real document allows. ``zipfile`` never inflates a member past
    its declared size, so the declared sizes bound what reading it costs."""
    members = archive.infolist()
    total = sum(member.file_size for member in members)
    crafted = any(
        member.file_size > RATIO_MIN_SIZE and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_MEMBERS or total > MAX_UNPACKED or crafted:
        raise _refuse(
            "Ce document est anormal (archive trop volumineuse une fois décompressée) : il est refusé par sécurité. "
            "Enregistrez-le à nouveau depuis votre traitement de texte, ou en PDF, puis déposez-le.",
            "bomb",
        )


def content_type_of(content: bytes) -> str:
    """The content type of an acceptable file, read from its bytes; a French ValidationError otherwise."""
    if not content:
        raise _refuse("Le fichier est vide.", "empty")
    if len(content) > MAX_SIZE:
        raise _refuse(f"Le fichier dépasse la taille maximale de {MAX_SIZE // (1024 * 1024)} Mo.", "size")
    if content.startswith(OLE_SIGNATURE) and OLE_ENCRYPTED in content:
        raise _refuse("Ce document est protégé par un mot de passe : déposez-le sans protection.", "encrypted")
    if content.startswith(ZIP_SIGNATURE):
        return _office_type(content)
    try:
        guesses = puremagic.magic_string(content)
    except (puremagic.PureError, ValueError):
        guesses = []
    content_type = next((g.mime_type for g in guesses if g.mime_type in EXTENSIONS), None)
    if content_type is None:
        raise _refuse(
            f"Ce fichier n’est pas d’un type accepté ({ACCEPTED}), quel que soit son nom : son contenu a été vérifié.",
            "type",
        )
    if content_type == "application/pdf" and PDF_ENCRYPT.search(content):
        raise _refuse("Ce PDF est chiffré ou protégé par un mot de passe : déposez-le sans protection.", "encrypted")
    _check_integrity(content, content_type)
    return content_type


def _check_integrity(content: bytes, content_type: str) -> None:
    """Refuse a PDF or an image cut short, glued to another file, carrying active content or
    claiming absurd dimensions (see ``core.filechecks``): stored as is, it would reach whoever
    downloads it."""
    if content_type == "application/pdf":
        ending = filechecks.pdf_ending(content)
        if filechecks.inflates_beyond(content, max(MAX_UNPACKED, MAX_PDF_INFLATION_RATIO * len(content))):
            raise _refuse(
                "Ce PDF est anormal : ses données compressées se décompressent en un volume démesuré. "
                "Il est refusé par sécurité ; enregistrez-le à nouveau depuis le logiciel qui l’a créé, "
                "puis déposez-le.",
                "bomb",
            )
        if filechecks.pdf_active(content):
            raise _refuse(
                "Ce PDF contient du code (JavaScript ou HTML) : il est refusé par sécurité. "
                "Imprimez-le en PDF (« Enregistrer au format PDF ») puis déposez cette copie.",
                "active",
            )
    else:
        ending = filechecks.image_ending(content)
    if ending == "truncated":
        raise _refuse(
            "Ce fichier est incomplet (téléchargement ou copie interrompus ?) : "
            "enregistrez-le à nouveau puis déposez-le.",
            "truncated",
        )
    if ending == "glued":
        raise _refuse(
            "Ce fichier est suivi de données qui n’en font pas partie (un autre fichier y est accolé) : "
            "enregistrez-le à nouveau depuis le logiciel qui l’a créé, puis déposez-le.",
            "polyglot",
        )
    if content_type.startswith("image/"):
        _check_dimensions(content)


def _check_dimensions(content: bytes) -> None:
    """An image whose header claims more pixels than a 600 dpi A2 scan is a decompression bomb."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
    except Image.DecompressionBombError as error:
        raise _bomb() from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise _refuse(
            "Cette image est endommagée ou illisible : enregistrez-la à nouveau puis déposez-la.", "truncated"
        ) from error
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise _bomb()


def _bomb() -> ValidationError:
    return _refuse(
        f"Cette image est anormalement grande (plus de {MAX_PIXELS // 1_000_000} millions de pixels) : "
        "numérisez le document à 300 dpi puis déposez-le.",
        "bomb",
    )


@dataclass
class Upload:
    document: Document
    created: bool  # False: the same content was already there (``document`` is that one)


@transaction.atomic
def add_document(
    convention: Convention,
    *,
    content: bytes,
    original_name: str,
    title: str,
    kind: str,
    confidential: bool,
    by,
    amendment: Amendment | None = None,
) -> Upload:
    """Store a checked file as a new document, or the next version of the document with that title.

    The same content twice is not stored again: the existing document is returned.
    """
    content_type = content_type_of(content)
    digest = Document.digest(content)
    existing = Document.objects.filter(convention=convention, sha256=digest).first()
    if existing is not None:
        return Upload(existing, created=False)
    latest = Document.objects.filter(convention=convention, title__iexact=title).aggregate(v=Max("version"))["v"]
    document = Document(
        convention=convention,
        amendment=amendment,
        kind=kind,
        title=title,
        original_name=get_valid_filename(original_name)[:255] or "document",
        content_type=content_type,
        size=len(content),
        sha256=digest,
        version=(latest or 0) + 1,
        confidential=confidential,
        uploaded_by=by,
    )
    document._history_user = by
    # ``upload_to`` names the stored file from the SHA-256: the name given here is ignored.
    document.file.save("upload", ContentFile(content), save=False)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return Upload(document, created=True)


def download_name(document: Document) -> str:
    """A safe file name for ``Content-Disposition``: the title, slugified, and the type's extension."""
    extension = EXTENSIONS.get(document.content_type, "bin")
    stem = slugify(document.title)[:100] or "document"
    return f"{stem}-v{document.version}.{extension}"
