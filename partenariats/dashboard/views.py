from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.conventions.deadlines import ENDED_STATUSES, Deadline, followed_by, upcoming
from partenariats.conventions.models import STATUS_BADGES, Convention, ConventionStatus
from partenariats.core.access import Scope, scope_of
from partenariats.core.cache import cached_for_user
from partenariats.dashboard.roles import academy_panel, basin_panel, partner_panel, school_panel
from partenariats.directory.models import Organisation, OrganisationKind
from partenariats.terms.dates import add_months

# The « À traiter » panel: what falls due in the next 90 days, and what fell due in the last 30.
AHEAD = timedelta(days=90)
OVERDUE_SHOWN = timedelta(days=30)
# Deadlines listed at most (a national federation's staff see those of thousands of members'
# conventions: hundreds of rows); the calendar feed carries them all.
DEADLINES_SHOWN = 30
URGENT_DAYS = 30
ENDING_MONTHS = 6  # one of the list's « Échéance » filter values
OWN_CONVENTIONS_SHOWN = 10


@dataclass(frozen=True)
class Counter:
    count: int
    label: str
    description: str
    url: str
    badge_class: str


@dataclass(frozen=True)
class Row:
    """One deadline of the panel, with how urgent it is."""

    deadline: Deadline
    days_left: int

    @property
    def badge_class(self) -> str:
        if self.days_left <= 0:
            return "fr-badge--error"
        return "fr-badge--warning" if self.days_left <= URGENT_DAYS else "fr-badge--info"

    @property
    def badge_text(self) -> str:
        if self.days_left < 0:
            return "Échéance passée"
        if self.days_left == 0:
            return "Aujourd’hui"
        return "Demain" if self.days_left == 1 else f"Dans {self.days_left} jours"


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: what falls due in the user's conventions, then what each of their roles has
    to record, what is late and what falls due this school year, then the way into each part."""
    user = request.user
    scope = scope_of(user)
    context = {"scope": scope, "title": "Tableau de bord"}
    if scope.has_role:
        today = timezone.localdate()
        context |= cached_for_user("dashboard", user, today, lambda: panels(user, scope, today))
    return render(request, "dashboard/home.html", context)


def panels(user, scope: Scope, today: date) -> dict:
    """Everything the dashboard shows (kept in the cache until the data change: seconds to
    compute at national scale for an académie's staff)."""
    conventions, source = watched(user, scope)
    return to_do(user, conventions, source, today) | role_panels(user, scope, conventions, today)


def watched(user, scope: Scope) -> tuple[QuerySet[Convention], str]:
    """The conventions whose deadlines and plans the user watches, and why.

    Académie side: the conventions the user owns or follows, else those of their académies;
    school and partner staff: their organisation's conventions (all they may see).
    """
    visible = Convention.objects.for_user(user)
    if not scope.is_academy_side:
        return visible, "organisation"
    mine = followed_by(user)
    if mine.exists():
        return mine, "mine"
    if scope.academy_ids:
        return visible.filter(academies__in=scope.academy_ids), "academies"
    return visible, "academies"


def to_do(user, conventions: QuerySet[Convention], source: str, today: date) -> dict:
    """The « À traiter » panel, in a fixed number of queries."""
    visible = Convention.objects.for_user(user)
    rows = [
        Row(deadline, deadline.days_left(today))
        for deadline in upcoming(conventions, today, start=today - OVERDUE_SHOWN, end=today + AHEAD)
    ]
    shown = rows[:DEADLINES_SHOWN]  # by date: the passed ones first
    context = {
        "source": source,
        "overdue": [row for row in shown if row.days_left < 0],
        "coming": [row for row in shown if row.days_left >= 0],
        "deadline_count": len(rows),
        "deadlines_hidden": len(rows) - len(shown),
        "counters": counters(visible, today),
        "list_url": reverse("conventions:convention_list"),
    }
    if source == "organisation":
        current = visible.exclude(status__in=ENDED_STATUSES)
        own = list(current.order_by(F("ends_on").asc(nulls_last=True), "title", "pk")[:OWN_CONVENTIONS_SHOWN])
        for convention in own:
            convention.badge_class = STATUS_BADGES.get(convention.status, "")
        context["own_conventions"] = own
    return context


def role_panels(user, scope: Scope, conventions: QuerySet[Convention], today: date) -> dict:
    """One panel per role the user holds (a user may hold several): académie side, CLEE, school, partner."""
    roles = set(user.assignments.values_list("role", flat=True))
    organisations = list(Organisation.objects.filter(pk__in=scope.organisation_ids).order_by(Lower("name"), "pk"))
    schools = [o for o in organisations if o.kind == OrganisationKind.SCHOOL and Role.SCHOOL_STAFF in roles]
    partners = [o for o in organisations if o.kind != OrganisationKind.SCHOOL and Role.PARTNER_STAFF in roles]
    panels = {}
    if scope.is_platform_admin or roles & {Role.ACADEMY_STAFF, Role.OBSERVER}:
        panels["academy_panel"] = academy_panel(user, scope, conventions, today, timezone.now())
    if scope.basin_ids:
        panels["basin_panel"] = basin_panel(user, scope, today)
    if schools:
        panels["school_panel"] = school_panel(user, scope, schools, today)
    if partners:
        panels["partner_panel"] = partner_panel(user, scope, partners, today)
    return panels


def counters(visible: QuerySet[Convention], today: date) -> list[Counter]:
    """How many of the conventions the user sees are in force, under notice, provisional, ending soon."""
    limit = add_months(today, ENDING_MONTHS)
    ending = Q(ends_on__range=(today, limit)) | Q(notice_deadline__range=(today, limit))
    figures = Convention.objects.filter(pk__in=visible.values("pk")).aggregate(
        active=Count("pk", filter=Q(status=ConventionStatus.ACTIVE)),
        under_notice=Count("pk", filter=Q(status=ConventionStatus.UNDER_NOTICE)),
        provisional=Count("pk", filter=Q(status=ConventionStatus.PROVISIONAL_CONTINUATION)),
        ending=Count("pk", filter=ending),
    )
    url = reverse("conventions:convention_list")
    return [
        Counter(
            figures["active"],
            "En vigueur",
            "Conventions qui s’appliquent aujourd’hui.",
            f"{url}?status=active",
            "fr-badge--success",
        ),
        Counter(
            figures["under_notice"],
            "En préavis",
            "Dénoncées : elles s’appliquent jusqu’à la fin du préavis.",
            f"{url}?status=under_notice",
            "fr-badge--warning",
        ),
        Counter(
            figures["provisional"],
            "Maintien provisoire",
            "Échues, maintenues le temps de la renégociation.",
            f"{url}?status=provisional_continuation",
            "fr-badge--new",
        ),
        Counter(
            figures["ending"],
            "À échéance dans 6 mois",
            "Fin de la convention ou date limite de dénonciation d’ici six mois.",
            f"{url}?ending={ENDING_MONTHS}",
            "fr-badge--info",
        ),
    ]
