"""Indicator pages of a convention, an organisation, an académie and a bassin, for a school
year (``?year=2025`` or ``?year=2025-2026``, the current one by default). Every table
downloads as ``?export=<table>&format=csv|xlsx``, with the numbers of the page."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from partenariats.core.access import scope_of
from partenariats.core.cache import cached_report
from partenariats.core.exports import export_response
from partenariats.core.fragments import cached_html, kept_page
from partenariats.core.school_year import SchoolYear
from partenariats.indicators.access import (
    may_see_academy,
    readable_academy,
    readable_basin,
    readable_convention,
    readable_organisation,
)
from partenariats.indicators.reports import Report, convention_report, organisation_report, territory_report
from partenariats.territories.models import Academy, Basin

EXPORT_FORMATS = ("csv", "xlsx")
YEARS_BACK = 4
BAD_YEAR = "Année scolaire non reconnue « {text} » : voici l’année en cours. Écrivez par exemple 2025-2026."


def current_year() -> SchoolYear:
    return SchoolYear.of(timezone.localdate())


def requested_year(request: HttpRequest) -> tuple[SchoolYear, str]:
    """The school year asked for in ``?year=``, the current one otherwise (with a message if unreadable)."""
    text = request.GET.get("year", "").strip()
    if not text:
        return current_year(), ""
    year = SchoolYear.parse(text)
    if year is None:
        return current_year(), BAD_YEAR.format(text=text[:20])
    return year, ""


def year_choices(selected: SchoolYear) -> list[SchoolYear]:
    current = current_year()
    years = {SchoolYear(current.start_year - back) for back in range(YEARS_BACK + 1)} | {current.next(), selected}
    return sorted(years, reverse=True)


REPORT_BODY = "indicators/_report_body.html"


def _crumbs(*links: tuple[str, str], current: str) -> dict:
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def _page(
    request: HttpRequest,
    cached_as: tuple[str, int],
    make_report: Callable[[SchoolYear], Report],
    *,
    title: str,
    filename: str,
    crumbs: dict,
    **context,
) -> HttpResponse:
    """The page for the year asked for, or one of its tables as a download; ``cached_as`` (page, pk)
    keys the cached report and the page drawn from it (``core.fragments``: per reader's scope)."""
    year, year_error = requested_year(request)

    def report() -> Report:
        return cached_report(*cached_as, request.user, year.start_year, lambda: make_report(year))

    key = request.GET.get("export")
    if key:
        table = report().table(key)
        if table is None:
            raise Http404("Ce tableau n’existe pas.")
        fmt = request.GET.get("format", "csv")
        name = f"{filename}-{key}-{year.slug}"
        return export_response(table.headers, table.rows, filename=name, fmt=fmt if fmt in EXPORT_FORMATS else "csv")

    def drawn() -> dict:
        made = report()
        charts = {}
        for table in made.tables:
            if table.chart is not None and not table.chart.is_empty:
                # The chart module's own markup (no script, no style, no external reference): safe.
                charts[table.key] = mark_safe(table.chart.svg())  # noqa: S308
        return {
            "report": made,
            "tables": [(table, charts.get(table.key)) for table in made.tables if table.key != "synthese"],
            "summary_table": made.table("synthese"),
            "year": made.year,
            "years": year_choices(made.year),
            **context,
        }

    error = render_to_string("indicators/_year_error.html", {"year_error": year_error}) if year_error else ""
    page, pk = cached_as
    body = cached_html(
        request, f"indicators:{page}:{pk}:{year.start_year}", REPORT_BODY, drawn, fill={"year_error": error}
    )
    return kept_page(request, body, title=title, breadcrumb_data=crumbs)


def convention_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    convention = readable_convention(request.user, pk)
    return _page(
        request,
        ("convention", convention.pk),
        lambda year: convention_report(convention, request.user, year),
        title=f"Indicateurs – {convention.title}",
        filename=f"indicateurs-convention-{convention.pk}",
        crumbs=_crumbs(
            (reverse("conventions:convention_list"), "Conventions"),
            (convention.get_absolute_url(), convention.title),
            current="Indicateurs",
        ),
        subject=convention.title,
        back_url=convention.get_absolute_url(),
    )


def organisation_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = readable_organisation(request.user, pk)
    detail_url = reverse("directory:organisation_detail", args=[organisation.pk])
    return _page(
        request,
        ("organisation", organisation.pk),
        lambda year: organisation_report(organisation, request.user, year),
        title=f"Indicateurs – {organisation.name}",
        filename=f"indicateurs-{slugify(organisation.name)[:40]}",
        crumbs=_crumbs(
            (reverse("directory:organisation_list"), "Organisations"),
            (detail_url, organisation.name),
            current="Indicateurs",
        ),
        subject=organisation.name,
        back_url=detail_url,
    )


def academy_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    academy = readable_academy(request.user, pk)
    return _page(
        request,
        ("academy", academy.pk),
        lambda year: territory_report(request.user, year, academy=academy),
        title=f"Indicateurs – {academy}",
        filename=f"indicateurs-{slugify(academy.name)}",
        crumbs=_crumbs((reverse("indicators:home"), "Indicateurs"), current=str(academy)),
        subject=str(academy),
        basins=academy.basins.order_by("name"),
    )


def basin_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    basin = readable_basin(request.user, pk)
    academy_link = []
    if may_see_academy(scope_of(request.user), basin.academy_id):
        academy_link = [(reverse("indicators:academy", args=[basin.academy_id]), str(basin.academy))]
    return _page(
        request,
        ("basin", basin.pk),
        lambda year: territory_report(request.user, year, basin=basin),
        title=f"Indicateurs – {basin.name}",
        filename=f"indicateurs-{slugify(basin.name)}",
        crumbs=_crumbs((reverse("indicators:home"), "Indicateurs"), *academy_link, current=basin.name),
        subject=f"Bassin {basin.name}",
    )


def home(request: HttpRequest) -> HttpResponse:
    """To the most relevant page: académie staff and observers → their académie; CLEE → their
    bassin; school and partner staff → their organisation; platform admins choose an académie."""
    scope = scope_of(request.user)
    if scope.is_platform_admin:
        return render(
            request,
            "indicators/home.html",
            {
                "title": "Indicateurs",
                "academies": Academy.objects.all(),
                "breadcrumb_data": _crumbs(current="Indicateurs"),
            },
        )
    academies = Academy.objects.filter(pk__in=scope.writable_academy_ids or scope.academy_ids)
    if scope.writable_academy_ids or (scope.academy_ids and not scope.basin_ids):
        return redirect("indicators:academy", pk=academies.first().pk)
    if scope.basin_ids:
        return redirect("indicators:basin", pk=Basin.objects.filter(pk__in=scope.basin_ids).order_by("name").first().pk)
    if scope.organisation_ids:
        return redirect("indicators:organisation", pk=min(scope.organisation_ids))
    raise PermissionDenied
