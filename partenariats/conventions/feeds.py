"""The personal ICS feed of deadlines: a secret URL a calendar application polls, revocable.

The feed lists the deadlines of the conventions its owner owns or follows and may still see,
from 30 days ago to two years ahead, as all-day events whose UID stays the same from one poll
to the next. Only the key's hash is stored; the clear URL is shown once, when it is made.
"""

import secrets
from datetime import date, datetime, timedelta

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from partenariats.conventions.deadlines import ALL_KINDS, Deadline, followed_by, upcoming
from partenariats.conventions.models import CalendarFeed

PAST = timedelta(days=30)
AHEAD = timedelta(days=2 * 365)


@transaction.atomic
def issue_feed(user) -> tuple[CalendarFeed, str]:
    """A new feed for ``user``, replacing (revoking) the previous one; the clear key is returned once."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key = secrets.token_urlsafe(32)
    return CalendarFeed.objects.create(user=user, key_hash=CalendarFeed.hash_key(key)), key


def feed_url(key: str) -> str:
    return settings.SITE_URL + reverse("conventions:feed", kwargs={"key": key})


def build_calendar(deadlines: list[Deadline], stamp: datetime) -> bytes:
    """An RFC 5545 calendar of all-day events, one per deadline."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Partenariats école–entreprise//Échéances des conventions//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Échéances des conventions")
    calendar.add("x-wr-caldesc", f"Échéances des conventions que vous suivez — {settings.SITE_TITLE}")
    calendar.add("x-published-ttl", "PT12H")  # how often calendar applications should poll
    for deadline in deadlines:
        convention = deadline.convention
        url = settings.SITE_URL + convention.get_absolute_url()
        event = icalendar.Event()
        event.add("uid", deadline.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + timedelta(days=1))
        event.add("summary", f"{deadline.title} — {convention.title}")
        reference = f" (réf. {convention.reference})" if convention.reference else ""
        event.add("description", f"{deadline.label}\n\n{convention.title}{reference}\n{url}")
        event.add("url", url)
        event.add("categories", [deadline.title])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


@login_not_required
@require_safe
@never_cache
def feed(request: HttpRequest, key: str) -> HttpResponse:
    """The feed itself: public by URL, the key in it; a revoked key or a deactivated user's is a 404."""
    calendar_feed = get_object_or_404(
        CalendarFeed.objects.usable().select_related("user"), key_hash=CalendarFeed.hash_key(key)
    )
    today: date = timezone.localdate()
    deadlines = upcoming(followed_by(calendar_feed.user), today, start=today - PAST, end=today + AHEAD, kinds=ALL_KINDS)
    CalendarFeed.objects.filter(pk=calendar_feed.pk).update(last_used_at=timezone.now())
    response = HttpResponse(build_calendar(deadlines, timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="echeances.ics"'
    return response


def feed_manage(request: HttpRequest) -> HttpResponse:
    return _render_manage(request)


@require_POST
@never_cache
def feed_create(request: HttpRequest) -> HttpResponse:
    """Create the feed, or regenerate it (the previous URL stops working)."""
    _, key = issue_feed(request.user)
    # Rendered, not redirected: the clear URL is shown in this response only and never stored.
    return _render_manage(request, new_url=feed_url(key))


@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    revoked = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        messages.success(request, "Votre lien d’agenda est révoqué : les agendas abonnés ne reçoivent plus rien.")
    return redirect("conventions:feed_manage")


def _render_manage(request: HttpRequest, **extra) -> HttpResponse:
    title = "Mon agenda des échéances"
    context = {
        "title": title,
        "breadcrumb_data": {"links": [], "current": title},
        "active_feed": CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True)
        .order_by("-created_at")
        .first(),
        "followed_count": followed_by(request.user).count(),
        **extra,
    }
    return render(request, "conventions/feeds/feed_manage.html", context)
