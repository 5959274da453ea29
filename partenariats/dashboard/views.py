from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions.deadlines import ENDED_STATUSES, Deadline, followed_by, upcoming
from partenariats.conventions.models import STATUS_BADGES, Convention, ConventionStatus
from partenariats.core.access import Scope, scope_of
from partenariats.terms.dates import add_months

# The « À traiter » panel: what falls due in the next 90 days, and what fell due in the last 30.
AHEAD = timedelta(days=90)
OVERDUE_SHOWN = timedelta(days=30)
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
    """The dashboard: what falls due in the user's conventions, then the way into each part."""
    scope = scope_of(request.user)
    context = {"scope": scope, "title": "Tableau de bord"}
    if scope.has_role:
        context |= to_do(request.user, scope, timezone.localdate())
    return render(request, "dashboard/home.html", context)


def to_do(user, scope: Scope, today: date) -> dict:
    """The « À traiter » panel, in a fixed number of queries.

    Académie side: the conventions the user owns or follows, else those of their académies;
    school and partner staff: their organisation's conventions (all they may see).
    """
    visible = Convention.objects.for_user(user)
    conventions: QuerySet[Convention] = visible
    source = "organisation"
    if scope.is_academy_side:
        conventions, source = followed_by(user), "mine"
        if not conventions.exists():
            conventions, source = visible, "academies"
            if scope.academy_ids:
                conventions = visible.filter(academies__in=scope.academy_ids)
    rows = [
        Row(deadline, deadline.days_left(today))
        for deadline in upcoming(conventions, today, start=today - OVERDUE_SHOWN, end=today + AHEAD)
    ]
    context = {
        "source": source,
        "overdue": [row for row in rows if row.days_left < 0],
        "coming": [row for row in rows if row.days_left >= 0],
        "deadline_count": len(rows),
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
