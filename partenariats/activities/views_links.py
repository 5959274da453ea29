"""Recording links: the coordinator's page (send, list, revoke) and the volunteer's public form.

The volunteer's page is reached without logging in: the link's address carries the link's
number and a django-sesame token. A forged token is a 404; a link used, revoked or expired
shows why (410) and never the form. Nothing of the convention is shown but its title and the
action proposed (unless confidential); nobody is logged in, and the address (a secret) is
neither cached nor sent on as a referrer.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from partenariats.activities import links
from partenariats.activities.forms_links import RecordByLinkForm, SendLinkForm
from partenariats.activities.links import LinkRecord, LinkState, LinkUnusable
from partenariats.activities.models import RecordingLink
from partenariats.conventions.views_edit import convention_crumbs, editable_convention
from partenariats.core.pagination import paginate

CLOSED_TITLES = {
    LinkState.EXPIRED: "Ce lien a expiré",
    LinkState.USED: "Ce lien a déjà servi",
    LinkState.REVOKED: "Ce lien a été révoqué",
}


# The coordinator's page -------------------------------------------------------------------


def link_list(request: HttpRequest, convention_pk: int) -> HttpResponse:
    """Links sent for the convention, and the form to send a new one (those who may edit it)."""
    convention = editable_convention(request, convention_pk)
    form = SendLinkForm(request.POST or None, convention=convention, user=request.user, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = links.create_link(
                convention=convention,
                organisation=data["organisation"],
                email=data["email"],
                person=data["person"],
                action=data["action"],
                validity_days=data["validity_days"],
                message=data["message"],
                by_user=request.user,
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            expires = timezone.localtime(link.expires_at)
            messages.success(
                request, f"Le lien a été envoyé à {link.email}. Il sert une fois, jusqu’au {expires:%d/%m/%Y à %H:%M}."
            )
            return redirect("activities:link_list", convention_pk=convention.pk)
    page = paginate(request, convention.recording_links.select_related("organisation", "person", "created_by"))
    activity_ids = links.recorded_activity_ids(page.object_list)
    now = timezone.now()
    rows = [(link, links.state_of(link, now), activity_ids.get(link.pk)) for link in page.object_list]
    title = "Liens de saisie"
    context = {
        "title": title,
        "convention": convention,
        "form": form,
        "page_obj": page,
        "rows": rows,
        "usable": LinkState.USABLE,
        "max_days": links.MAX_VALIDITY_DAYS,
        "breadcrumb_data": convention_crumbs(convention, title),
    }
    return render(request, "activities/link_list.html", context)


@require_POST
def link_revoke(request: HttpRequest, convention_pk: int, link_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    link = get_object_or_404(RecordingLink.objects.filter(convention=convention), pk=link_pk)
    if links.revoke_link(link):
        messages.success(request, f"Le lien envoyé à {link.email} est révoqué : il ne peut plus servir.")
    else:
        messages.info(request, f"Le lien envoyé à {link.email} avait déjà servi ou était déjà révoqué.")
    return redirect("activities:link_list", convention_pk=convention.pk)


# The volunteer's page ---------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """The address is a secret: no referrer carries it to another site, no search engine keeps it.

    ``same-origin`` rather than ``no-referrer``: under the latter browsers post with
    ``Origin: null``, which Django's CSRF check (kept, as everywhere) refuses."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _closed(request: HttpRequest, link: RecordingLink, state: LinkState) -> HttpResponse:
    context = {"title": CLOSED_TITLES[state], "state": state, "link": link, "states": LinkState}
    return _private(render(request, "activities/record_by_link_closed.html", context, status=410))


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def record_by_link(request: HttpRequest, link_pk: int, token: str) -> HttpResponse:
    link = links.verified_link(link_pk, token)
    if link is None:
        raise Http404
    state = links.usable_state(link)
    if state != LinkState.USABLE:
        return _closed(request, link, state)
    form = RecordByLinkForm(request.POST or None, link=link, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            activity = links.record_activity(link, LinkRecord(**form.cleaned_data))
        except LinkUnusable as closed:
            return _closed(request, link, closed.state)
        context = {"title": "Merci, votre activité est enregistrée", "link": link, "activity": activity}
        return _private(render(request, "activities/record_by_link_done.html", context))
    context = {
        "title": "Déclarer une activité",
        "link": link,
        "action": links.shown_action(link),
        "form": form,
    }
    return _private(render(request, "activities/record_by_link.html", context))
