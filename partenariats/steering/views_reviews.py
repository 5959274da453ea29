"""The reviews (bilans) of a convention: the list by year, a review as a page (its stored figures,
narrative by people), its sections and highlights, its refresh and approval.

Reviews follow their convention: whoever reads the convention reads its approved reviews (the
parties' staff the full version, others the public one); whoever may edit it prepares them and
alone sees the drafts (a reader gets a 403 page « Ce bilan est en préparation »). Out of sight
→ 404; in sight but not allowed to change → 403; an approved review is read-only (403 on changes).
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from partenariats.activities.models import Contribution, Plan
from partenariats.charts import Chart, format_number
from partenariats.conventions.models import Convention
from partenariats.core.school_year import SchoolYear
from partenariats.steering import renderings, reviews
from partenariats.steering.access import editable_convention, may_edit, posted_version, readable_convention
from partenariats.steering.documents import common
from partenariats.steering.forms_reviews import HighlightsForm, ReviewCreateForm, SectionForm
from partenariats.steering.models import Review, ReviewStatus
from partenariats.steering.reviews import HighlightInput, ReviewRefused, SnapshotUnavailable, StaleReview
from partenariats.steering.sentences import french_date, percent

STATUS_BADGES = {ReviewStatus.DRAFT: "fr-badge--info", ReviewStatus.APPROVED: "fr-badge--success"}
# The highlights form lists at most this many activities (the latest, plus those already chosen).
HIGHLIGHT_CHOICES = 300
PUBLIC_PARAM = "publique"
NOT_CONFIRMED = "Cochez la case de confirmation pour approuver le bilan."
IN_PREPARATION = "Ce bilan est en préparation : il sera consultable une fois approuvé par le comité de pilotage."


# --- Access (shared rules in ``steering.access``) ----------------------------------------------

_convention = readable_convention
_may_edit = may_edit
_editable_convention = editable_convention
_version = posted_version


def _review(convention: Convention, year: int) -> Review:
    review = get_object_or_404(
        Review.objects.select_related("meeting", "approved_by"), convention=convention, school_year=year
    )
    review.convention = convention
    return review


def _draft(request: HttpRequest, convention_pk: int, year: int) -> Review:
    """A review the user may change: editable convention (else 403/404) and not approved (else 403)."""
    review = _review(_editable_convention(request, convention_pk), year)
    if review.is_approved:
        raise PermissionDenied(reviews.APPROVED)
    return review


def _crumbs(convention: Convention, current: str, review: Review | None = None, *, with_list: bool = True) -> dict:
    links = [
        {"url": reverse("conventions:convention_list"), "title": "Conventions"},
        {"url": convention.get_absolute_url(), "title": str(convention)},
    ]
    if with_list:
        links.append({"url": reverse("steering:review_list", args=[convention.pk]), "title": "Bilans annuels"})
    if review is not None:
        links.append({"url": review.get_absolute_url(), "title": f"Bilan {review.year.label}"})
    return {"links": links, "current": current}


def _years_to_review(convention: Convention, existing: set[int]) -> list[SchoolYear]:
    """Years with a plan or activities counted toward the convention, and no review yet (latest first)."""
    planned = set(Plan.objects.filter(convention=convention).values_list("school_year", flat=True))
    done = set(
        Contribution.objects.filter(convention=convention, confirmed=True, activity__withdrawn_at__isnull=True)
        .values_list("activity__school_year", flat=True)
        .distinct()
    )
    today = SchoolYear.of(timezone.localdate())
    # A plan for a year not yet started has nothing to review.
    years = {year for year in planned | done if year <= today.start_year} - existing
    return [SchoolYear(year) for year in sorted(years, reverse=True)]


# --- The list and a new review ------------------------------------------------------------------


def review_list(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = _convention(request, convention_pk)
    editable = _may_edit(request.user, convention)
    found = Review.objects.filter(convention=convention).select_related("meeting").order_by("-school_year")
    if not editable:  # drafts are their editors' business
        found = found.filter(status=ReviewStatus.APPROVED)
    found = list(found)
    for review in found:
        review.badge_class = STATUS_BADGES.get(review.status, "")
        review.approved_display = (
            french_date(timezone.localtime(review.approved_at).date()) if review.approved_at else ""
        )
    title = "Bilans annuels"
    return render(
        request,
        "steering/review_list.html",
        {
            "title": title,
            "convention": convention,
            "reviews": found,
            "years_to_review": _years_to_review(convention, {r.school_year for r in found}) if editable else [],
            "can_edit": editable,
            "breadcrumb_data": _crumbs(convention, title, with_list=False),
        },
    )


@require_POST
def review_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = _editable_convention(request, convention_pk)
    existing = set(Review.objects.filter(convention=convention).values_list("school_year", flat=True))
    form = ReviewCreateForm(request.POST, years=_years_to_review(convention, existing))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("steering:review_list", convention.pk)
    try:
        review = reviews.create_review(convention, form.cleaned_data["school_year"], request.user)
    except ReviewRefused as refused:
        messages.error(request, str(refused))
        return redirect("steering:review_list", convention.pk)
    messages.success(request, f"Le bilan {review.year.label} est prêt à être complété.")
    return redirect(review)


# --- A review ------------------------------------------------------------------------------------


def review_detail(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    convention = _convention(request, convention_pk)
    review = _review(convention, year)
    can_edit = _may_edit(request.user, convention)
    if not review.is_approved and not can_edit:
        return _review_notice(request, convention, review, "steering/review_in_preparation.html", status=403)
    party_staff = convention.is_party_staff(request.user)
    # The parties' staff may look at what the public version says (``?version=publique``).
    public = not party_staff or request.GET.get("version") == PUBLIC_PARAM
    try:
        content = _displayed(reviews.review_content(review, public=public))
    except SnapshotUnavailable:
        return _review_notice(request, convention, review, "steering/review_unavailable.html", status=409)
    charts = []
    for data in content["charts"]:
        chart = Chart.from_dict(data)
        rows = {"headers": chart.headers, "cells": [[_number(cell) for cell in row] for row in chart.table()]}
        # The chart module's own markup (no script, no style, no external reference): safe.
        charts.append((data, mark_safe(chart.svg()), rows))  # noqa: S308
    private_sections = set(review.sections.filter(public=False).values_list("key", flat=True)) if not public else set()
    title = f"Bilan {review.year.label}"
    return render(
        request,
        "steering/review_detail.html",
        {
            "title": title,
            "convention": convention,
            "review": review,
            "content": content,
            "chapters": common.chapters(content),
            "next_plan": common.next_plan(content["next_plan"]),
            "highlights_section": common.highlights_section(content),
            "charts": charts,
            "private_sections": private_sections,
            "badge_class": STATUS_BADGES.get(review.status, ""),
            "party_staff": party_staff,
            "public": public,
            "public_param": PUBLIC_PARAM,
            "can_edit": can_edit,
            "editing": can_edit and not review.is_approved,
            "snapshot_display": _moment(review.snapshot_at),
            "snapshot_at": review.snapshot_at.isoformat() if review.snapshot_at else "",
            "renderings": renderings.listed(
                review.renderings.all(), may_edit=can_edit, party_staff=party_staff, review=review
            ),
            "breadcrumb_data": _crumbs(convention, title),
        },
    )


def _review_notice(request: HttpRequest, convention: Convention, review: Review, template: str, *, status: int):
    """A page in place of the review: a draft to a reader, frozen figures gone missing."""
    title = f"Bilan {review.year.label}"
    return render(
        request,
        template,
        {"title": title, "convention": convention, "review": review, "breadcrumb_data": _crumbs(convention, title)},
        status=status,
    )


def _number(value) -> str:
    return format_number(value) if value is None or isinstance(value, int | float) else str(value)


def _displayed(content: dict) -> dict:
    """The content with its figures written in French for the page (a copy: a snapshot stays as stored)."""
    content = copy.deepcopy(content)
    rows = [row for axis in content["axes"] for action in axis["actions"] for row in action["rows"]]
    rows += [row for commitment in content["commitments"] for row in commitment["rows"]]
    for row in rows:
        row["target_display"] = _number(row["target"])
        row["realised_display"] = _number(row["realised"])
        row["rate_display"] = "—" if row["rate"] is None else percent(row["rate"])
    return content


def _moment(when) -> str:
    if when is None:
        return ""
    local = timezone.localtime(when)
    return f"{french_date(local.date())} à {local:%H:%M}"


@require_POST
def review_refresh(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    review = _draft(request, convention_pk, year)
    try:
        reviews.refresh(review, request.user)
    except ReviewRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Les chiffres ont été recalculés le {_moment(review.snapshot_at)}.")
    return redirect(review)


def section_update(request: HttpRequest, convention_pk: int, year: int, key: str) -> HttpResponse:
    review = _draft(request, convention_pk, year)
    section = get_object_or_404(review.sections, key=key)
    form = SectionForm(request.POST or None, section=section, version=review.version)
    current_text = None
    if request.method == "POST" and form.is_valid():
        try:
            reviews.update_section(
                review,
                section,
                text=form.cleaned_data["text"],
                public=form.cleaned_data["public"],
                expected_version=_version(request),
                user=request.user,
            )
        except StaleReview as stale:
            form.add_error(None, str(stale))
            section.refresh_from_db()
            current_text = section.text
            # Sent again, the form saves over the current version: the user has now seen it.
            form.data = form.data.copy()
            form.data["version"] = stale.current.version
        except ReviewRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"La section « {section.title} » a été enregistrée.")
            anchor = "faits-marquants" if section.key == common.HIGHLIGHTS_SECTION else f"section-{section.key}"
            return redirect(review.get_absolute_url() + f"#{anchor}")
    title = f"Modifier « {section.title} »"
    return render(
        request,
        "steering/review_section_form.html",
        {
            "title": title,
            "convention": review.convention,
            "review": review,
            "section": section,
            "form": form,
            "current_text": current_text,
            "breadcrumb_data": _crumbs(review.convention, title, review),
        },
        status=422 if request.method == "POST" else 200,
    )


def review_highlights(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    review = _draft(request, convention_pk, year)
    chosen = dict(review.highlights.values_list("activity_id", "comment"))
    counted = reviews.counted_activities(review)
    latest = list(counted.order_by("-starts_on", "-pk")[:HIGHLIGHT_CHOICES])
    missing = set(chosen) - {activity.pk for activity in latest}
    activities = sorted(
        latest + list(counted.filter(pk__in=missing)), key=lambda activity: (activity.starts_on, activity.pk)
    )
    form = HighlightsForm(
        request.POST or None, activities=activities, chosen=chosen, initial={"version": review.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            reviews.set_highlights(
                review,
                [HighlightInput(activity, comment) for activity, comment in form.chosen()],
                expected_version=_version(request),
                user=request.user,
            )
        except (ReviewRefused, StaleReview) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Les faits marquants ont été enregistrés.")
            return redirect(review.get_absolute_url() + "#faits-marquants")
    title = "Faits marquants"
    return render(
        request,
        "steering/review_highlights.html",
        {
            "title": title,
            "convention": review.convention,
            "review": review,
            "form": form,
            "truncated": counted.count() > len(activities),
            "limit": HIGHLIGHT_CHOICES,
            "breadcrumb_data": _crumbs(review.convention, title, review),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def review_approve(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    review = _draft(request, convention_pk, year)
    if request.POST.get("confirm") != "1":
        messages.error(request, NOT_CONFIRMED)
        return redirect(review.get_absolute_url() + "#approuver")
    try:
        reviews.approve(
            review, request.user, expected_version=_version(request), snapshot_at=request.POST.get("snapshot_at", "")
        )
    except (ReviewRefused, StaleReview) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"Le bilan {review.year.label} est approuvé : ses chiffres sont arrêtés au {_moment(review.snapshot_at)}.",
        )
    return redirect(review)
