"""The daily digest of deadlines: each owner and follower hears of each deadline once per alert window.

A deadline is announced when it enters one of the convention's alert windows (``alert_windows``,
by default 90 and 30 days: ``due_on − window ≤ today ≤ due_on``), with the narrowest window it
is in: a deadline first seen 20 days ahead is announced once, for the 30-day window, not twice.

Idempotent, even when two runs overlap: every alert is first claimed by inserting its
``AlertDelivery`` row (unique per user, convention, kind, due date and window) in the digest's
transaction, in a fixed order; a run that finds a row already there, or inserted meanwhile by
another run (the unique index makes it wait, then fail), leaves that alert out. The e-mail goes
after the commit, with only the alerts this run claimed; if it cannot be sent, the claims are
released so that the next run tries again.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from partenariats import terms
from partenariats.accounts.models import User
from partenariats.conventions.deadlines import ALERT_KINDS, Deadline, deadlines_of, may_fall_due, settle
from partenariats.conventions.models import AlertDelivery, Convention
from partenariats.conventions.services import refresh_terms

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    """One deadline to announce to one person, for one alert window."""

    user: User
    deadline: Deadline
    window_days: int

    @property
    def key(self) -> tuple:
        d = self.deadline
        return (self.user.pk, d.convention.pk, d.kind, d.due_on, self.window_days)


@dataclass
class RunReport:
    refreshed: int = 0
    digests: int = 0
    alerts: int = 0
    pending: dict[User, list[Alert]] = field(default_factory=dict)


def refresh_all_terms(today: date) -> int:
    """Recompute the cached status and dates of every convention in use not yet computed for ``today``."""
    stale = (
        Convention.objects.filter(archived_at__isnull=True)
        .exclude(status_computed_on=today)
        .prefetch_related(*Convention.TERMS_PREFETCH, "articles")
    )
    count = 0
    for convention in stale.iterator(chunk_size=200):
        try:
            refresh_terms(convention, today)
        except terms.TermsInputError:
            logger.warning("Terms of convention %s cannot be computed", convention.pk, exc_info=True)
            continue
        count += 1
    return count


def alert_window(deadline: Deadline, windows: tuple[int, ...], today: date) -> int | None:
    """The narrowest alert window the deadline is in on ``today``, or None (too far, or past)."""
    days_left = deadline.days_left(today)
    if days_left < 0:
        return None
    return min((window for window in windows if days_left <= window), default=None)


def due_alerts(today: date) -> dict[User, list[Alert]]:
    """Per recipient, the alerts due on ``today`` that no run has sent yet, in a fixed order."""
    conventions = (
        may_fall_due(Convention.objects.filter(archived_at__isnull=True), today)
        .filter(
            Q(pk__in=Convention.owners.through.objects.values("convention"))
            | Q(pk__in=Convention.followers.through.objects.values("convention"))
        )
        .prefetch_related(*Convention.TERMS_PREFETCH, "owners", "followers")
    )
    recipients: dict[int, User] = {}
    wanted: list[tuple[int, Deadline, int]] = []
    readers: dict[int, list[User]] = {}
    found: list[Deadline] = []
    for convention in conventions:
        users = [user for user in (*convention.owners.all(), *convention.followers.all()) if user.is_active]
        if not users:
            continue
        readers[convention.pk] = users
        horizon = today + timedelta(days=max(convention.alert_windows))
        found += deadlines_of(convention, today, start=today, end=horizon, kinds=ALERT_KINDS)
    for deadline in settle(found):
        window = alert_window(deadline, deadline.convention.alert_windows, today)
        if window is None:
            continue
        for user in readers[deadline.convention.pk]:
            recipients.setdefault(user.pk, user)
            wanted.append((user.pk, deadline, window))
    if not wanted:
        return {}

    sent = set(
        AlertDelivery.objects.filter(user__in=list(recipients), due_on__gte=today).values_list(
            "user", "convention", "kind", "due_on", "window_days"
        )
    )
    by_user: dict[int, dict[tuple, Alert]] = defaultdict(dict)
    for user_pk, deadline, window in wanted:
        alert = Alert(recipients[user_pk], deadline, window)
        if alert.key not in sent:
            by_user[user_pk][alert.key] = alert  # an owner who also follows hears it once
    digests: dict[User, list[Alert]] = {}
    for user_pk in sorted(by_user):
        user = recipients[user_pk]
        # Only what the recipient may still see: a role withdrawn stops the alerts.
        visible = set(
            Convention.objects.for_user(user)
            .filter(pk__in={alert.deadline.convention.pk for alert in by_user[user_pk].values()})
            .values_list("pk", flat=True)
        )
        alerts = [alert for key, alert in sorted(by_user[user_pk].items()) if key[1] in visible]
        if alerts:
            digests[user] = alerts
    return digests


@transaction.atomic
def claim(alerts: list[Alert], today: date) -> list[tuple[Alert, int]]:
    """Insert a delivery row per alert, in a fixed order; those another run holds are left out."""
    claimed = []
    for alert in sorted(alerts, key=lambda a: a.key):
        deadline = alert.deadline
        try:
            with transaction.atomic():
                delivery = AlertDelivery.objects.create(
                    user=alert.user,
                    convention=deadline.convention,
                    kind=deadline.kind,
                    due_on=deadline.due_on,
                    window_days=alert.window_days,
                )
        except IntegrityError:
            continue
        claimed.append((alert, delivery.pk))
    if claimed:
        transaction.on_commit(partial(send_digest, claimed, today))
    return claimed


def send_digest(claimed: list[tuple[Alert, int]], today: date) -> None:
    """E-mail one recipient their digest; if it fails, release the claims for the next run."""
    alerts = [alert for alert, _ in claimed]
    user = alerts[0].user
    try:
        _send_mail(user, alerts, today)
    except Exception:
        logger.exception("Deadline digest to user %s not sent; it will be tried again", user.pk)
        AlertDelivery.objects.filter(pk__in=[pk for _, pk in claimed]).delete()


def digest_context(user: User, alerts: list[Alert], today: date) -> dict:
    """The digest's lines grouped by convention, the soonest first."""
    by_convention: dict[Convention, list[Alert]] = {}
    for alert in sorted(alerts, key=lambda a: (a.deadline.due_on, a.deadline.priority)):
        by_convention.setdefault(alert.deadline.convention, []).append(alert)
    return {
        "user": user,
        "conventions": [
            {
                "convention": convention,
                "url": settings.SITE_URL + convention.get_absolute_url(),
                "lines": [(alert, alert.deadline.days_left(today)) for alert in items],
            }
            for convention, items in sorted(
                by_convention.items(), key=lambda item: (item[1][0].deadline.due_on, item[0].title)
            )
        ],
        "count": len(alerts),
        "feed_url": settings.SITE_URL + reverse("conventions:feed_manage"),
        "site_title": settings.SITE_TITLE,
        "site_url": settings.SITE_URL,
    }


def _send_mail(user: User, alerts: list[Alert], today: date) -> None:
    context = digest_context(user, alerts, today)
    subject = " ".join(render_to_string("conventions/emails/deadline_digest_subject.txt", context).split())
    body = render_to_string("conventions/emails/deadline_digest_body.txt", context)
    send_mail(subject, body, None, [user.email])


def send_deadline_alerts(today: date, *, dry_run: bool = False) -> RunReport:
    """The daily run: refresh the cached terms, then e-mail each recipient the alerts due today."""
    report = RunReport()
    if not dry_run:
        report.refreshed = refresh_all_terms(today)
    digests = due_alerts(today)
    if dry_run:
        report.pending = digests
        report.digests = len(digests)
        report.alerts = sum(len(alerts) for alerts in digests.values())
        return report
    for alerts in digests.values():
        claimed = claim(alerts, today)
        if claimed:
            report.digests += 1
            report.alerts += len(claimed)
    return report
