"""Generated documents (PDF, DOCX) of a review or of a meeting's minutes, made by the worker.

``request_rendering`` takes the content (a review's stored snapshot: nothing is recomputed in the
request), and its digest; a document already made from the same content (same figures and texts,
same version, same format) is handed back as it is, one being made is not made twice (once the
review is approved or the meeting held, only among the documents asked for since: those are
final); otherwise a ``Rendering`` is queued and the task
(``steering.tasks.render_document``) enqueued once the transaction commits. ``run_rendering``
is the worker's side: it never raises, writes the file last, and leaves no file behind when it
fails.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from partenariats.steering import minutes as minutes_module
from partenariats.steering import reviews
from partenariats.steering.documents import docx, pdf
from partenariats.steering.models import (
    DocumentKind,
    FileFormat,
    Meeting,
    MeetingStatus,
    Rendering,
    RenderStatus,
    Review,
    Variant,
)

logger = logging.getLogger(__name__)

GENERIC_FAILURE = (
    "Le document n’a pas pu être produit. Réessayez ; si l’erreur persiste, contactez l’assistance "
    "en indiquant le numéro du document."
)
INTERRUPTED = "La production du document a été interrompue. Relancez-la."
SOURCE_GONE = "Le bilan ou la réunion de ce document n’existe plus."
# A document takes seconds and its worker signs each stage: one silent this long was lost with its
# worker (failed); one queued this long was lost on its way to the queue (enqueued again, at most
# once per period), until it has waited a day (failed).
STALLED_AFTER = timedelta(minutes=10)
LOST_AFTER = timedelta(minutes=10)
GIVEN_UP_AFTER = timedelta(days=1)
# The time of the computation changes at every draft's computation, not what it says.
VOLATILE_KEYS = ("taken_at",)
EVER = datetime(1900, 1, 1, tzinfo=UTC)

RENDERERS: dict[tuple[str, str], Callable[..., bytes]] = {
    (DocumentKind.REVIEW, FileFormat.PDF): pdf.review_pdf,
    (DocumentKind.REVIEW, FileFormat.DOCX): docx.review_docx,
    (DocumentKind.MINUTES, FileFormat.PDF): pdf.minutes_pdf,
    (DocumentKind.MINUTES, FileFormat.DOCX): docx.minutes_docx,
}
CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class RenderingRefused(Exception):
    """A request that cannot be honoured; the message is French, for the person asking."""


# --- Final or draft -----------------------------------------------------------------------------


def _held_since(meeting: Meeting):
    """When the meeting became held (the start of its current held state, from its history); None
    when it is not held. A held meeting without history is taken as held since ever."""
    if meeting.status != MeetingStatus.HELD:
        return None
    history = meeting.history.order_by("-history_date")
    before = history.exclude(status=MeetingStatus.HELD).values_list("history_date", flat=True).first()
    held = history.filter(status=MeetingStatus.HELD)
    if before is not None:
        held = held.filter(history_date__gt=before)
    since = held.order_by("history_date").values_list("history_date", flat=True).first()
    return since or EVER


def final_since(*, review: Review | None = None, meeting: Meeting | None = None):
    """Since when the documents of the review (approved) or of the minutes (held) are final, or None."""
    if review is not None:
        return review.approved_at if review.is_approved else None
    return _held_since(meeting)


def is_final(rendering: Rendering, since=False) -> bool:
    """A document asked for once its review was approved (it draws the frozen snapshot) or once its
    meeting was held: what readers may have. An older one, made from a draft, is not."""
    if since is False:
        since = final_since(review=rendering.review, meeting=rendering.meeting)
    return since is not None and rendering.requested_at >= since


def listed(renderings, *, may_edit: bool, party_staff: bool, review=None, meeting=None, limit: int = 8) -> list:
    """The latest renderings of a review or minutes one may see: editors all (drafts included),
    readers the final ones; the parties' version to the parties' staff only."""
    found = renderings.order_by("-requested_at", "-pk")
    if not party_staff:
        found = found.filter(variant=Variant.PUBLIC)
    if not may_edit:
        since = final_since(review=review, meeting=meeting)
        if since is None:
            return []
        found = found.filter(requested_at__gte=since)
    return list(found[:limit])


def content_of(*, review: Review | None = None, meeting: Meeting | None = None, variant: str) -> dict:
    """What the document will say: the review's or the minutes' content, in the version asked."""
    public = variant == Variant.PUBLIC
    if review is not None:
        return reviews.review_content(review, public=public)
    return minutes_module.minutes_content(meeting, public=public)


def content_digest(content: dict, *, variant: str, file_format: str) -> str:
    """SHA-256 of the canonical JSON of the content (without the computation's time), format and version."""
    stable = {key: value for key, value in content.items() if key not in VOLATILE_KEYS}
    canonical = json.dumps(
        {"content": stable, "variant": variant, "format": file_format},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _check(review: Review | None, meeting: Meeting | None, variant: str, file_format: str) -> None:
    if (review is None) == (meeting is None):
        raise RenderingRefused("Un document porte sur un bilan ou sur une réunion.")
    if variant not in Variant.values:
        raise RenderingRefused("Choisissez la version du document : celle des parties ou la version publique.")
    if file_format not in FileFormat.values:
        raise RenderingRefused("Choisissez le format du document : PDF ou Word (DOCX).")


@transaction.atomic
def request_rendering(
    user, *, review: Review | None = None, meeting: Meeting | None = None, variant: str, file_format: str
) -> Rendering:
    """The document asked for: one already made (or being made) from the same content, else a new
    one, queued. Access is the caller's business (the views check it)."""
    _check(review, meeting, variant, file_format)
    try:
        content = content_of(review=review, meeting=meeting, variant=variant)
    except reviews.SnapshotUnavailable as error:
        raise RenderingRefused(str(error)) from error
    digest = content_digest(content, variant=variant, file_format=file_format)
    same = Rendering.objects.filter(
        review=review,
        meeting=meeting,
        variant=variant,
        file_format=file_format,
        content_digest=digest,
        status__in=(RenderStatus.DONE, RenderStatus.QUEUED, RenderStatus.RUNNING),
    )
    since = final_since(review=review, meeting=meeting)
    if since is not None:  # a final document is not one made from the draft
        same = same.filter(requested_at__gte=since)
    same = same.order_by("-requested_at").first()
    if same is not None:
        return same
    record = review or meeting
    rendering = Rendering.objects.create(
        convention_id=record.convention_id,
        document=DocumentKind.REVIEW if review is not None else DocumentKind.MINUTES,
        review=review,
        meeting=meeting,
        variant=variant,
        file_format=file_format,
        content_digest=digest,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        progress_label="En attente",
    )
    transaction.on_commit(lambda: enqueue(rendering.pk))
    return rendering


def enqueue(rendering_id: int) -> None:
    """Hand the document to the task queue; a failure is left to ``recover_stalled_renderings``."""
    from partenariats.steering.tasks import render_document

    try:
        render_document.enqueue(rendering_id=rendering_id)
    except Exception:
        logger.exception("Rendering %s could not be enqueued.", rendering_id)


# --- The worker's side ------------------------------------------------------------------------

STAGES = {
    "Calcul des chiffres": 10,
    "Dessin des graphiques": 35,
    "Mise en page": 60,
    "Enregistrement": 90,
}


def _stage(rendering_id: int, label: str) -> None:
    """The progress shown, and a sign of life for ``recover_stalled_renderings``."""
    Rendering.objects.filter(pk=rendering_id, status=RenderStatus.RUNNING).update(
        progress=STAGES.get(label, 50), progress_label=label, heartbeat_at=timezone.now()
    )


def _fail(rendering_id: int, message: str) -> None:
    name = Rendering.objects.filter(pk=rendering_id).values_list("file", flat=True).first()
    Rendering.objects.filter(pk=rendering_id).update(
        status=RenderStatus.FAILED, error=message, file="", size=0, finished_at=timezone.now()
    )
    if name:
        default_storage.delete(name)


def run_rendering(rendering_id: int) -> None:
    """Make one queued document; never raises (the worker must survive)."""
    now = timezone.now()
    started = Rendering.objects.filter(pk=rendering_id, status=RenderStatus.QUEUED).update(
        status=RenderStatus.RUNNING, progress=0, progress_label="Démarrage", error="", started_at=now, heartbeat_at=now
    )
    if not started:
        return  # already taken by another worker, or gone
    stored_name = ""
    try:
        rendering = Rendering.objects.select_related("review", "meeting").get(pk=rendering_id)
        _stage(rendering_id, "Calcul des chiffres")
        content = content_of(review=rendering.review, meeting=rendering.meeting, variant=rendering.variant)
        # What is drawn is what is said now (the data may have changed since the request).
        digest = content_digest(content, variant=rendering.variant, file_format=rendering.file_format)
        renderer = RENDERERS[(rendering.document, rendering.file_format)]
        data = renderer(content, progress=lambda label: _stage(rendering_id, label))
        _stage(rendering_id, "Enregistrement")
        stored_name = default_storage.save(rendering_path_for(rendering), ContentFile(data))
        saved = Rendering.objects.filter(pk=rendering_id, status=RenderStatus.RUNNING).update(
            status=RenderStatus.DONE,
            file=stored_name,
            size=len(data),
            content_digest=digest,
            progress=100,
            progress_label="Document prêt",
            finished_at=timezone.now(),
        )
        if not saved:  # recovered as stalled meanwhile: this file is nobody's
            default_storage.delete(stored_name)
    except reviews.SnapshotUnavailable as error:
        _fail(rendering_id, str(error))
    except Exception:
        logger.exception("Rendering %s failed.", rendering_id)
        if stored_name:
            default_storage.delete(stored_name)
        _fail(rendering_id, GENERIC_FAILURE)


def rendering_path_for(rendering: Rendering) -> str:
    field = Rendering._meta.get_field("file")
    return field.generate_filename(rendering, f"document.{rendering.file_format}")


def recover_stalled_renderings(now=None) -> list[int]:
    """Fail the documents whose worker died (running without a sign of life for ``STALLED_AFTER``),
    enqueue again those lost on their way to the queue (queued for ``LOST_AFTER``; the time of the
    last attempt is kept in ``heartbeat_at``, so once per period), and fail those queued for a day.
    Safe to run in parallel (each change is a conditional update). Returns the ids failed or
    enqueued again."""
    now = now or timezone.now()
    silent = now - STALLED_AFTER
    stalled_q = (
        Q(heartbeat_at__lt=silent)
        | Q(heartbeat_at__isnull=True, started_at__lt=silent)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, requested_at__lt=silent)
    )
    running = Rendering.objects.filter(status=RenderStatus.RUNNING)
    failed = []
    for pk in running.filter(stalled_q).values_list("pk", flat=True):
        # A running document has no file yet: failing it is one conditional update.
        if running.filter(stalled_q, pk=pk).update(
            status=RenderStatus.FAILED, error=INTERRUPTED, progress_label="Interrompu", finished_at=now
        ):
            failed.append(pk)
    queued = Rendering.objects.filter(status=RenderStatus.QUEUED)
    given_up = queued.filter(requested_at__lt=now - GIVEN_UP_AFTER)
    for pk in given_up.values_list("pk", flat=True):
        if given_up.filter(pk=pk).update(status=RenderStatus.FAILED, error=INTERRUPTED, finished_at=now):
            failed.append(pk)
    lost_q = Q(requested_at__lt=now - LOST_AFTER) & (
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - LOST_AFTER)
    )
    requeued = []
    for pk in queued.filter(lost_q).values_list("pk", flat=True):
        if queued.filter(lost_q, pk=pk).update(heartbeat_at=now):  # claimed: no other run sends it too
            requeued.append(pk)
            transaction.on_commit(partial(enqueue, pk))
    if failed or requeued:
        logger.warning("Renderings recovered: failed %s, enqueued again %s.", failed, requeued)
    return failed + requeued


# --- Downloads --------------------------------------------------------------------------------


def download_name(rendering: Rendering) -> str:
    """« bilan-2025-2026-convention-rectorat-federation-exemple-public.pdf »."""
    slug = slugify(rendering.convention.title)[:60].strip("-") or f"convention-{rendering.convention_id}"
    suffix = "public" if rendering.variant == Variant.PUBLIC else "parties"
    if rendering.review_id:
        stem = f"bilan-{rendering.review.year.label}"
    else:
        meeting = rendering.meeting
        when = timezone.localtime(meeting.starts_at).date().isoformat() if meeting.starts_at else meeting.year.label
        stem = f"compte-rendu-{when}"
    return f"{stem}-{slug}-{suffix}.{rendering.file_format}".replace("–", "-")


def content_type(rendering: Rendering) -> str:
    return CONTENT_TYPES[rendering.file_format]
