"""An activity's files: what may be uploaded (checked by content, never by name), who sees them,
storing one, and the purge of those whose retention date has passed.

Files about minors (photos, attendance sheets) carry the legal guardians' consent and a
retention date; they are shown to the activity's parties only (those who may edit it, or whose
organisation took part) and deleted by ``purge_attachments`` once the date has passed. Files
are stored under a name built from their SHA-256 (``attachment_path``), never the uploaded one,
and served only by a view that checks access.
"""

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import get_valid_filename, slugify

from partenariats.activities.models import Activity, Attachment
from partenariats.conventions.documents import content_type_of
from partenariats.core.access import scope_of
from partenariats.core.school_year import SchoolYear

logger = logging.getLogger(__name__)

MAX_SIZE = 10 * 1024 * 1024
ACCEPTED = "PDF, JPEG ou PNG"
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# What a name's extension claims, to refuse a file whose content says otherwise (a PDF named .jpg).
CLAIMED = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def attachment_content_type(content: bytes, name: str = "") -> str:
    """The content type of an acceptable file, read from its bytes; a French ValidationError
    otherwise (empty, too big, another type, encrypted, or a content contradicting its name)."""
    if len(content) > MAX_SIZE:
        raise ValidationError(f"Le fichier dépasse la taille maximale de {MAX_SIZE // (1024 * 1024)} Mo.", "size")
    refused = ValidationError(
        f"Ce fichier n’est pas d’un type accepté ({ACCEPTED}), quel que soit son nom : son contenu a été vérifié.",
        "type",
    )
    try:
        content_type = content_type_of(content)
    except ValidationError as error:
        if error.code in ("type", "damaged"):
            raise refused from error
        raise
    if content_type not in EXTENSIONS:
        raise refused
    extension = PurePath(name).suffix.lower().lstrip(".")
    claimed = CLAIMED.get(extension)
    if claimed is not None and claimed != content_type:
        raise ValidationError(
            f"Le contenu de ce fichier ({TYPE_NAMES[content_type]}) ne correspond pas à son nom "
            f"(« .{extension} ») : renommez-le ou déposez le bon fichier.",
            "mismatch",
        )
    return content_type


def default_retention(activity: Activity, today: date) -> date:
    """31 August of the school year after the activity's; for an older activity, never before the
    end of the current school year."""
    return max(activity.year.next().end, SchoolYear.of(today).end)


# Who sees what


def is_party(user, activity: Activity) -> bool:
    """Whether ``user`` may see the activity's files about minors: they may edit the activity,
    or their organisation took part in it (or recorded it)."""
    if Activity.objects.editable_by(user).filter(pk=activity.pk).exists():
        return True
    organisations = scope_of(user).organisation_ids
    if not organisations:
        return False
    involved = (
        Q(groups__school__in=organisations) | Q(organisations__in=organisations) | Q(recorded_for__in=organisations)
    )
    return Activity.objects.filter(involved, pk=activity.pk).exists()


def visible_attachments(user, activity: Activity, *, party: bool | None = None) -> QuerySet[Attachment]:
    """The activity's files ``user`` may see (``party``: the result of ``is_party`` if known)."""
    attachments = Attachment.objects.filter(activity=activity)
    if party is None:
        party = is_party(user, activity)
    return attachments if party else attachments.filter(concerns_minors=False)


# Writing


@dataclass
class Upload:
    attachment: Attachment
    created: bool  # False: the same content was already attached (``attachment`` is that one)


@transaction.atomic
def add_attachment(
    activity: Activity,
    *,
    content: bytes,
    original_name: str,
    title: str,
    kind: str,
    concerns_minors: bool,
    consent_obtained: bool,
    retain_until: date | None,
    by,
) -> Upload:
    """Store a checked file for the activity; the same content twice is stored once."""
    content_type = attachment_content_type(content, original_name)
    if concerns_minors and not (consent_obtained and retain_until):
        raise ValidationError(
            "Un fichier concernant des mineurs demande les autorisations des responsables légaux "
            "et une date de fin de conservation."
        )
    digest = Attachment.digest(content)
    existing = Attachment.objects.filter(activity=activity, sha256=digest).first()
    if existing is not None:
        return Upload(existing, created=False)
    attachment = Attachment(
        activity=activity,
        kind=kind,
        title=title,
        original_name=get_valid_filename(PurePath(original_name).name)[:255] or "fichier",
        content_type=content_type,
        size=len(content),
        sha256=digest,
        concerns_minors=concerns_minors,
        consent_obtained=consent_obtained if concerns_minors else False,
        retain_until=retain_until,
        uploaded_by=by,
    )
    attachment._history_user = by
    # ``upload_to`` names the stored file from the SHA-256: the name given here is ignored.
    attachment.file.save("upload", ContentFile(content), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return Upload(attachment, created=True)


def delete_attachment(attachment: Attachment, *, by=None) -> None:
    """Delete a file and its record (consent withdrawn, wrong file); the history keeps a trace."""
    name, storage = attachment.file.name, attachment.file.storage
    with transaction.atomic():
        attachment._history_user = by
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def purge_expired_attachments(today: date, *, dry_run: bool = False) -> int:
    """Delete the files and records of the attachments kept until before ``today``; how many.
    Running it again deletes nothing more."""
    expired = list(Attachment.objects.expired(today).order_by("pk"))
    if dry_run:
        return len(expired)
    for attachment in expired:
        pk, kept_until = attachment.pk, attachment.retain_until
        delete_attachment(attachment)
        logger.info("attachment purged", extra={"attachment": pk, "retain_until": str(kept_until)})
    return len(expired)


def download_name(attachment: Attachment) -> str:
    """A safe file name for ``Content-Disposition``: the title, slugified, and the type's extension."""
    extension = EXTENSIONS.get(attachment.content_type, "bin")
    return f"{slugify(attachment.title)[:100] or 'piece-jointe'}.{extension}"
