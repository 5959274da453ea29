"""Generated documents: ask for one (POST), follow its making, download it.

Who gets what: the convention out of sight → 404; the parties' version to the parties' staff
alone (asking for it otherwise → 403; a rendering of it is a 404 to anyone else); a review not
yet approved, or the minutes of a meeting not yet held, to those who may edit the convention
(the document then carries the « Projet » mark); a document asked for before the approval (or
before the meeting was held) stays theirs alone.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partenariats.conventions.models import Convention
from partenariats.steering import renderings
from partenariats.steering.access import may_edit as _may_edit
from partenariats.steering.access import readable_convention as _convention
from partenariats.steering.models import Meeting, MeetingStatus, Rendering, RenderStatus, Review, Variant

PENDING = (RenderStatus.QUEUED, RenderStatus.RUNNING)


def _final(review: Review | None, meeting: Meeting | None) -> bool:
    """An approved review, the minutes of a held meeting: what readers may have."""
    if review is not None:
        return review.is_approved
    return meeting.status == MeetingStatus.HELD


def may_have(user, convention: Convention, rendering: Rendering) -> bool:
    """Whether ``user`` (who sees ``convention``) may open this rendering: editors any of the
    version they may read, readers only a final one (asked for since the review was approved or
    the meeting held; an older one was drawn from the draft)."""
    if rendering.variant == Variant.FULL and not convention.is_party_staff(user):
        return False
    return _may_edit(user, convention) or renderings.is_final(rendering)


def _request(request: HttpRequest, convention: Convention, *, review=None, meeting=None) -> HttpResponse:
    variant = request.POST.get("variant", "")
    file_format = request.POST.get("file_format", "")
    back = (review or meeting).get_absolute_url()
    if variant == Variant.FULL and not convention.is_party_staff(request.user):
        raise PermissionDenied("La version des parties est réservée à leurs équipes.")
    if not _final(review, meeting) and not _may_edit(request.user, convention):
        raise PermissionDenied("Ce document n’est pas encore définitif.")
    try:
        rendering = renderings.request_rendering(
            request.user, review=review, meeting=meeting, variant=variant, file_format=file_format
        )
    except renderings.RenderingRefused as error:
        messages.error(request, str(error))
        return redirect(back)
    return redirect("steering:rendering_detail", convention_pk=convention.pk, pk=rendering.pk)


@require_POST
def review_render(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    convention = _convention(request, convention_pk)
    review = get_object_or_404(Review, convention=convention, school_year=year)
    review.convention = convention
    return _request(request, convention, review=review)


@require_POST
def minutes_render(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = _convention(request, convention_pk)
    meeting = get_object_or_404(Meeting, convention=convention, pk=meeting_pk)
    meeting.convention = convention
    return _request(request, convention, meeting=meeting)


def _rendering(request: HttpRequest, convention_pk: int, pk: int) -> tuple[Convention, Rendering]:
    convention = _convention(request, convention_pk)
    rendering = get_object_or_404(Rendering.objects.select_related("review", "meeting"), convention=convention, pk=pk)
    rendering.convention = convention
    if not may_have(request.user, convention, rendering):
        raise Http404
    return convention, rendering


def _crumbs(convention: Convention, rendering: Rendering, current: str) -> dict:
    links = [
        {"url": reverse("conventions:convention_list"), "title": "Conventions"},
        {"url": convention.get_absolute_url(), "title": str(convention)},
    ]
    if rendering.review_id:
        links.append({"url": rendering.review.get_absolute_url(), "title": f"Bilan {rendering.review.year.label}"})
    else:
        links.append({"url": rendering.meeting.get_absolute_url(), "title": str(rendering.meeting)})
    return {"links": links, "current": current}


def rendering_detail(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    """Where the document stands; htmx polls the status block every second while it is made."""
    convention, rendering = _rendering(request, convention_pk, pk)
    context = {"convention": convention, "rendering": rendering, "pending": rendering.status in PENDING}
    if request.htmx:
        return render(request, "steering/_rendering_status.html", context)
    title = str(rendering)
    source = rendering.review or rendering.meeting
    return render(
        request,
        "steering/rendering_detail.html",
        {
            **context,
            "title": title,
            "back_url": source.get_absolute_url(),
            "breadcrumb_data": _crumbs(convention, rendering, title),
        },
    )


def rendering_download(request: HttpRequest, convention_pk: int, pk: int) -> FileResponse:
    """The file, after the same checks as the page; a document not (or no longer) made is a 404."""
    _, rendering = _rendering(request, convention_pk, pk)
    if rendering.status != RenderStatus.DONE or not rendering.file:
        raise Http404
    try:
        stream = rendering.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=renderings.download_name(rendering),
        content_type=renderings.content_type(rendering),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
