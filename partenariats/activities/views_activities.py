"""Activity pages for reading: the list (filters, count, export), the detail (groups, partners,
what it counts toward, attachments, history), withdrawing and restoring, confirming a suggested
contribution. The forms are in ``views_activity_forms``, the files in ``views_attachments``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partenariats.activities import services
from partenariats.activities.attachments import is_party, visible_attachments
from partenariats.activities.filters_activities import WITHDRAWN, ActivityFilter, with_default_year
from partenariats.activities.forms_activities import WithdrawForm, may_record
from partenariats.activities.models import Activity, ActivityGroup, Contribution
from partenariats.core.exports import export_response
from partenariats.core.fragments import cached_html, kept_page
from partenariats.core.history import HISTORY_LIMIT, HistoryEntry, entries_from_records
from partenariats.core.pagination import COUNT_CAP, paginate, rendered_rows
from partenariats.directory.models import Organisation, Person

EXPORT_FORMATS = ("csv", "xlsx")
HISTORY_HIDDEN = ("version", "school_year", "volunteers", "recorded_via")


def crumbs(*links: tuple[str, str], current: str) -> dict:
    pairs = [(reverse("activities:activity_list"), "Activités"), *links]
    return {"links": [{"url": url, "title": title} for url, title in pairs], "current": current}


def readable_activity(request: HttpRequest, pk: int) -> Activity:
    """The activity if the user sees it; a withdrawn one only for those who may restore it."""
    user = request.user
    activity = Activity.objects.for_user(user).filter(pk=pk).first()
    if activity is None:
        activity = Activity.objects.editable_by(user, include_withdrawn=True).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def editable_activity(request: HttpRequest, pk: int, *, include_withdrawn: bool = False) -> Activity:
    """The activity if the user may change it: out of sight → 404, read-only → 403."""
    user = request.user
    if include_withdrawn:
        # A withdrawn activity exists only for its editors: anyone else gets a 404, not a 403.
        live = Activity.objects.for_user(user).filter(pk=pk).exists()
        editable = Activity.objects.editable_by(user, include_withdrawn=True).filter(pk=pk).first()
        if editable is None and not live:
            raise Http404
    activity = get_object_or_404(Activity.objects.for_user(user, include_withdrawn=include_withdrawn), pk=pk)
    if not Activity.objects.editable_by(user, include_withdrawn=include_withdrawn).filter(pk=pk).exists():
        raise PermissionDenied
    return activity


# The list

EXPORT_HEADERS = [
    "N°",
    "Date",
    "Date de fin",
    "Année scolaire",
    "Type",
    "Intitulé",
    "Lieu",
    "Académie",
    "Bassin",
    "Dispositif",
    "Établissements",
    "Organisations partenaires",
    "Participations d’élèves",
    "Classes",
    "Enseignants",
    "Professionnels",
    "Heures",
    "Préparée avec les élèves",
    "Exploitée ensuite",
    "Confidentielle",
]


def _with_relations(queryset):
    return queryset.select_related("academy", "basin", "programme").prefetch_related(
        Prefetch("groups", queryset=ActivityGroup.objects.select_related("school")), "organisations"
    )


# What a row of the list shows: reading whole records (and whole organisations) took 25 ms more a page.
LISTED_FIELDS = (
    "title",
    "kind",
    "starts_on",
    "ends_on",
    "confidential",
    "withdrawn_at",
    "pupil_participations",
    "prepared_with_pupils",
    "exploited_afterwards",
)


def _listed(queryset):
    """``queryset`` with what the list's rows show, and no more."""
    return queryset.only(*LISTED_FIELDS).prefetch_related(
        Prefetch("groups", queryset=ActivityGroup.objects.select_related("school").only("activity", "school__name")),
        Prefetch("organisations", queryset=Organisation.objects.only("name")),
    )


def _with_schools(activities) -> list[Activity]:
    """The activities, each with the schools of its groups, once each."""
    activities = list(activities)
    for activity in activities:
        activity.schools_shown = list({g.school.pk: g.school for g in activity.groups.all() if g.school}.values())
    return activities


def _export_rows(queryset):
    for a in _with_relations(queryset).iterator(chunk_size=500):
        schools = {g.school.name: None for g in a.groups.all() if g.school}
        yield [
            a.pk,
            a.starts_on,
            a.ends_on,
            a.year.label,
            a.get_kind_display(),
            a.title,
            a.place,
            a.academy.name if a.academy else "",
            a.basin.name if a.basin else "",
            str(a.programme) if a.programme else "",
            ", ".join(schools),
            ", ".join(o.name for o in a.organisations.all()),
            a.pupil_participations,
            a.class_count,
            a.teacher_count,
            a.professional_count,
            float(a.hours),
            a.prepared_with_pupils,
            a.exploited_afterwards,
            a.confidential,
        ]


def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    data = with_default_year(request.GET)
    fmt = request.GET.get("format")
    if data.get("state") == WITHDRAWN:
        queryset = Activity.objects.editable_by(user, include_withdrawn=True).filter(withdrawn_at__isnull=False)
    else:
        queryset = Activity.objects.for_user(user, listing=fmt not in EXPORT_FORMATS)
    filterset = ActivityFilter(data, queryset=queryset, request=request)
    activities = filterset.qs
    if fmt in EXPORT_FORMATS:
        return export_response(EXPORT_HEADERS, _export_rows(activities), filename="activites", fmt=fmt)
    page = paginate(request, _listed(activities), cap=COUNT_CAP)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/activity_list.html",
        {
            "title": "Activités",
            "filter": filterset,
            "page_obj": page,
            "rows": rendered_rows(page, "activities/_activity_rows.html", _with_schools),
            "query": query.urlencode(),
            "may_record": may_record(user),
            "breadcrumb_data": {"links": [], "current": "Activités"},
        },
    )


# The detail


def _history(activity: Activity) -> list[HistoryEntry]:
    """Changes of the activity and of its groups of pupils, newest first."""
    sources = [
        (Activity, activity.history.all(), lambda r: "Activité", HISTORY_HIDDEN),
        (
            ActivityGroup,
            ActivityGroup.history.filter(activity_id=activity.pk),
            lambda r: f"Groupe « {r.class_name or r.get_level_display()} »",
            (),
        ),
    ]
    entries: list[HistoryEntry] = []
    for model, records, subject, hidden in sources:
        fetched = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:200])
        entries += entries_from_records(model, fetched, limit=HISTORY_LIMIT, subject=subject, hidden=hidden)
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:HISTORY_LIMIT]


def _withdrawal_reason(activity: Activity) -> str:
    record = activity.history.filter(withdrawn_at__isnull=False).order_by("-history_date").first()
    return (record.history_change_reason or "") if record else ""


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = readable_activity(request, pk)
    body = cached_html(
        request, f"activity:{pk}", "activities/_activity_body.html", lambda: _detail_context(request.user, pk)
    )
    return kept_page(request, body, title=activity.title, breadcrumb_data=crumbs(current=activity.title))


def _detail_context(user, pk: int) -> dict:
    """What the activity's page shows to readers of ``user``'s scope (files about minors to its
    parties alone): the same for each of them until the data change."""
    activity = (
        Activity.objects.select_related("academy", "basin", "programme", "recorded_by", "recorded_for")
        .prefetch_related("organisations")
        .get(pk=pk)
    )
    party = is_party(user, activity)
    contributions, _hidden = services.visible_contributions(
        user,
        activity.contributions.select_related("convention", "action__plan", "commitment", "confirmed_by").order_by(
            "convention__title", "action__number", "pk"
        ),
    )
    volunteers = activity.volunteers.all()
    return {
        "activity": activity,
        "groups": list(activity.groups.select_related("school")),
        "volunteers": list(Person.objects.for_user(user).filter(pk__in=volunteers.values("pk"))),
        "volunteer_count": volunteers.count(),
        "contributions": contributions,
        "attachments": list(visible_attachments(user, activity, party=party).select_related("uploaded_by")),
        "party": party,
        "editable": Activity.objects.editable_by(user, include_withdrawn=True).filter(pk=pk).exists(),
        "withdrawal_reason": _withdrawal_reason(activity) if activity.withdrawn_at else "",
        "history": _history(activity),
    }


# Withdrawing, restoring, confirming


def activity_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    activity = editable_activity(request, pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_activity(activity, reason=form.cleaned_data["reason"], by_user=request.user)
        messages.success(
            request,
            f"L’activité « {activity} » a été retirée : elle ne compte plus nulle part. Vous pouvez la rétablir.",
        )
        return redirect(activity)
    title = "Retirer l’activité"
    return render(
        request,
        "activities/activity_withdraw.html",
        {
            "title": title,
            "activity": activity,
            "form": form,
            "breadcrumb_data": crumbs((activity.get_absolute_url(), str(activity)), current=title),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def activity_restore(request: HttpRequest, pk: int) -> HttpResponse:
    activity = editable_activity(request, pk, include_withdrawn=True)
    services.restore_activity(activity.pk, by_user=request.user)
    messages.success(request, f"L’activité « {activity} » a été rétablie : elle compte de nouveau.")
    return redirect(activity)


@require_POST
def contribution_confirm(request: HttpRequest, pk: int, contribution_pk: int) -> HttpResponse:
    """An editor confirms a suggested contribution they can see."""
    activity = editable_activity(request, pk)
    rows = Contribution.objects.filter(activity=activity, pk=contribution_pk).select_related(
        "convention", "action", "commitment"
    )
    shown, _hidden = services.visible_contributions(request.user, rows)
    if not shown:
        raise Http404
    services.confirm_contribution(shown[0], by_user=request.user)
    messages.success(request, f"Le rattachement à « {shown[0].convention} » est confirmé : l’activité y compte.")
    return redirect(reverse("activities:activity_detail", args=[activity.pk]) + "#compte-pour")
