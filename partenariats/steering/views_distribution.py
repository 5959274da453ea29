"""Distribution pages: who would receive a review or minutes and the sending (the coordinator's),
a sending's recipients, and the personal link a recipient opens without an account.

The personal link's address is a secret: it is neither cached nor sent on as a referrer, and
its refusals are not logged with their path (the key is in it).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from partenariats.conventions.models import Convention
from partenariats.core.pagination import paginate
from partenariats.core.templatetags.french import plural
from partenariats.steering import distribution
from partenariats.steering.access import editable_convention, may_edit, readable_convention
from partenariats.steering.distribution import AlreadySent, DistributionRefused, DocumentNotReady, PlannedRecipient
from partenariats.steering.forms_distribution import DistributeForm
from partenariats.steering.models import Distribution, Meeting, MeetingStatus, Review

logger = logging.getLogger(__name__)


def _url(obj) -> str | None:
    """The page of ``obj`` if its URL is declared (the pages of the committee are another helper's)."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


def _crumbs(convention: Convention, parent: tuple[str | None, str] | None, current: str) -> dict:
    links = [
        {"url": reverse("conventions:convention_list"), "title": "Conventions"},
        {"url": convention.get_absolute_url(), "title": str(convention)},
    ]
    if parent and parent[0]:
        links.append({"url": parent[0], "title": parent[1]})
    return {"links": links, "current": current}


# The coordinator's pages ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_distribute(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    """The recipients of a review, and its sending (an approved one beyond the committee)."""
    convention = editable_convention(request, convention_pk)
    review = get_object_or_404(Review.objects.filter(convention=convention), school_year=year)
    beyond = distribution.may_relay(review)

    def plan(relay: bool, extra: list[str]) -> list[PlannedRecipient]:
        return distribution.review_recipients(review, relay=relay, extra=extra)

    def send(relay: bool, extra: list[str], message: str) -> Distribution:
        return distribution.send_review(review, by_user=request.user, relay=relay, extra=extra, message=message)

    title = f"Diffuser le bilan {review.year.label}" if beyond else f"Diffuser le projet de bilan {review.year.label}"
    context = {
        "review": review,
        "document_label": "le bilan" if beyond else "le projet de bilan",
        "draft": not beyond,
        "back_url": _url(review),
        "past": review.distributions.exists(),
        "breadcrumb_data": _crumbs(convention, (_url(review), f"Bilan {review.year.label}"), title),
    }
    return _distribute(request, convention, title, beyond=beyond, networks=True, plan=plan, send=send, context=context)


@require_http_methods(["GET", "POST"])
def minutes_distribute(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    """The recipients of a held meeting's minutes, and their sending."""
    convention = editable_convention(request, convention_pk)
    meeting = get_object_or_404(Meeting.objects.filter(convention=convention), pk=meeting_pk)

    def plan(relay: bool, extra: list[str]) -> list[PlannedRecipient]:
        return distribution.minutes_recipients(meeting, extra=extra)

    def send(relay: bool, extra: list[str], message: str) -> Distribution:
        return distribution.send_minutes(meeting, by_user=request.user, extra=extra, message=message)

    title = "Diffuser le compte rendu"
    context = {
        "meeting": meeting,
        "document_label": "le compte rendu",
        "not_held": meeting.status != MeetingStatus.HELD,
        "back_url": _url(meeting),
        "past": meeting.distributions.exists(),
        "breadcrumb_data": _crumbs(convention, (_url(meeting), str(meeting)), title),
    }
    return _distribute(request, convention, title, beyond=True, networks=False, plan=plan, send=send, context=context)


def _distribute(request, convention, title, *, beyond, networks, plan, send, context) -> HttpResponse:
    """The preview (GET, or POST « Mettre à jour la liste ») and the sending (POST « Envoyer »)."""
    form = DistributeForm(
        request.POST or None,
        beyond_committee=beyond,
        networks=networks,
        initial={"relay": request.GET.get("relais") == "1"},
    )
    relay = "relay" in form.fields and (
        bool(form.data.get("relay")) if form.is_bound else bool(form.initial.get("relay"))
    )
    extra: list[str] = []
    not_ready = None
    already_sent = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            extra = form.cleaned_data.get("extra_addresses") or []
            relay = bool(form.cleaned_data.get("relay"))
            if request.POST.get("action") == "send":
                try:
                    sent = send(relay, extra, form.cleaned_data["message"])
                except DocumentNotReady as refused:
                    not_ready = refused.rendering
                    form.add_error(None, str(refused))
                    status = 409
                except AlreadySent as refused:
                    already_sent = refused.distribution
                    form.add_error(None, str(refused))
                    status = 409
                except DistributionRefused as refused:
                    form.add_error(None, str(refused))
                    status = 422
                else:
                    _report_sending(request, sent)
                    return redirect("steering:distribution_detail", convention_pk=convention.pk, pk=sent.pk)
        else:
            status = 422
    context |= {
        "title": title,
        "convention": convention,
        "form": form,
        "can_edit": True,
        "party_staff": convention.is_party_staff(request.user),
        "recipients": plan(relay, extra),
        "relay": relay,
        "not_ready": not_ready,
        "already_sent": already_sent,
    }
    return render(request, "steering/distribution_form.html", context, status=status)


def _report_sending(request: HttpRequest, sent: Distribution) -> None:
    total = sent.recipients.count()
    failed = sent.recipients.filter(failed=True).count()
    plural = "s" if total > 1 else ""
    messages.success(request, f"Le document est diffusé à {total} destinataire{plural}.")
    if failed:
        plural = "s" if failed > 1 else ""
        messages.warning(
            request, f"L’envoi a échoué pour {failed} destinataire{plural} : vérifiez leur adresse ci-dessous."
        )


@require_http_methods(["GET", "HEAD", "POST"])
def distribution_detail(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    """One sending: its counts (per channel) for the convention's readers, its recipients (their
    addresses and openings) for its editors alone; they may send again the mails that failed
    (POST « Renvoyer »)."""
    convention = readable_convention(request, convention_pk)
    sent = get_object_or_404(
        Distribution.objects.filter(convention=convention).select_related("sent_by", "review", "meeting"), pk=pk
    )
    if request.method == "POST":
        if not may_edit(request.user, convention):
            raise PermissionDenied
        try:
            count = distribution.resend_failed(sent)
        except DistributionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"Courriel renvoyé à {count} destinataire{plural(count)}, avec un nouveau lien.")
        return redirect("steering:distribution_detail", convention_pk=convention.pk, pk=sent.pk)
    summary = distribution.summaries(Distribution.objects.filter(pk=sent.pk))[0]
    can_edit = may_edit(request.user, convention)
    page = None
    by_channel = []
    if can_edit:
        page = paginate(request, sent.recipients.select_related("organisation", "relayed_by", "rendering"))
    else:
        by_channel = distribution.counts_by_channel(sent)
    target = sent.review or sent.meeting
    parent_title = f"Bilan {sent.review.year.label}" if sent.review else str(sent.meeting)
    what = "bilan" if sent.review else "compte rendu"
    title = f"Diffusion du {what} le {timezone.localtime(sent.sent_at):%d/%m/%Y}"
    context = {
        "title": title,
        "convention": convention,
        "distribution": sent,
        "summary": summary,
        "can_edit": can_edit,
        "page_obj": page,
        "by_channel": by_channel,
        "back_url": _url(target),
        "breadcrumb_data": _crumbs(convention, (_url(target), parent_title), title),
    }
    return render(request, "steering/distribution_detail.html", context)


# The recipient's personal link ------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """The address is a secret: no referrer carries it elsewhere, no search engine keeps it."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _link_missing(request: HttpRequest) -> HttpResponse:
    response = render(
        request, "steering/distribution_link_missing.html", {"title": "Ce lien n’est pas valable"}, status=404
    )
    # Django logs every 4xx with its path, and the path holds the key: log the refusal without it.
    response._has_been_logged = True
    logger.info("Distribution link refused")
    return _private(response)


@login_not_required
@require_safe
@never_cache
def distribution_link(request: HttpRequest, key: str) -> HttpResponse:
    """The document a recipient was sent, inline, while the link is valid; each opening counted."""
    recipient = distribution.recipient_for_key(key)
    if recipient is None:
        return _link_missing(request)
    try:
        handle = recipient.rendering.file.open("rb")
    except OSError:  # the stored file is gone
        logger.warning("Distribution link file missing", extra={"recipient_id": recipient.pk})
        return _link_missing(request)
    if request.method == "GET":
        distribution.record_opening(recipient)
    response = FileResponse(handle, content_type="application/pdf", filename=distribution.file_name(recipient))
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
