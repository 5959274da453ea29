"""The indicators API (``/api/indicators/…``): the numbers of the indicator pages, for the
same people (out of scope: 404), for a school year (``?year=2025`` or ``2025-2026``, the
current one by default)."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from partenariats.conventions.schemas import ErrorOut
from partenariats.core.cache import cached_report
from partenariats.core.school_year import SchoolYear
from partenariats.indicators.access import (
    readable_academy,
    readable_basin,
    readable_convention,
    readable_organisation,
)
from partenariats.indicators.reports import Report, convention_report, organisation_report, territory_report

router = Router(tags=["Indicateurs"])

BAD_YEAR = "Année scolaire non reconnue « {value} » : attendu par exemple 2025 ou 2025-2026."
YEAR = Query(None, description="Année scolaire : 2025 ou 2025-2026 (par défaut : l’année en cours).")


class SummaryOut(Schema):
    activities: int
    pupil_participations: int
    prepared_and_exploited: int
    prepared_and_exploited_rate: float | None
    schools: int
    companies: int
    professionals: int
    teachers: int
    classes: int
    hours: float


class CoverageOut(Schema):
    reached: int
    total: int
    rate: float | None


class TableOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list[int | float | str | None]]
    note: str
    flags: list[str]


class IndicatorsOut(Schema):
    title: str
    school_year: int
    school_year_label: str
    summary: SummaryOut
    coverage: CoverageOut | None
    tables: list[TableOut]


def _year(value: str | None) -> SchoolYear:
    if not value:
        return SchoolYear.of(timezone.localdate())
    year = SchoolYear.parse(value)
    if year is None:
        raise HttpError(422, BAD_YEAR.format(value=value[:20]))
    return year


def _out(report: Report) -> dict:
    summary = report.summary
    return {
        "title": report.title,
        "school_year": report.year.start_year,
        "school_year_label": report.year.label,
        "summary": {
            "activities": summary.activities,
            "pupil_participations": summary.pupils,
            "prepared_and_exploited": summary.prepared_and_exploited,
            "prepared_and_exploited_rate": summary.prepared_rate,
            "schools": summary.schools,
            "companies": summary.companies,
            "professionals": summary.professionals,
            "teachers": summary.teachers,
            "classes": summary.classes,
            "hours": float(summary.hours),
        },
        "coverage": report.coverage,
        "tables": [{**table.as_dict(), "flags": table.flags or [""] * len(table.rows)} for table in report.tables],
    }


RESPONSES = {200: IndicatorsOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/conventions/{int:convention_id}", response=RESPONSES, summary="Indicateurs d’une convention")
def convention_indicators(request: HttpRequest, convention_id: int, year: str | None = YEAR):
    """Les chiffres de la page d’indicateurs de la convention : cibles et réalisé par action, par
    engagement, par partie, par dispositif, participations par niveau et éducation prioritaire,
    engagements sans activité. Les éléments confidentiels ne sont comptés que pour les parties."""
    convention = readable_convention(request.auth, convention_id)
    school_year = _year(year)
    return _out(
        cached_report(
            "convention",
            convention.pk,
            request.auth,
            school_year.start_year,
            lambda: convention_report(convention, request.auth, school_year),
        )
    )


@router.get("/organisations/{int:organisation_id}", response=RESPONSES, summary="Indicateurs d’une organisation")
def organisation_indicators(request: HttpRequest, organisation_id: int, year: str | None = YEAR):
    """Les activités auxquelles l’organisation (partenaire ou établissement) a pris part, chacune
    comptée une fois : par convention, par type, par niveau et éducation prioritaire."""
    organisation = readable_organisation(request.auth, organisation_id)
    school_year = _year(year)
    return _out(
        cached_report(
            "organisation",
            organisation.pk,
            request.auth,
            school_year.start_year,
            lambda: organisation_report(organisation, request.auth, school_year),
        )
    )


@router.get("/academies/{int:academy_id}", response=RESPONSES, summary="Indicateurs d’une académie")
def academy_indicators(request: HttpRequest, academy_id: int, year: str | None = YEAR):
    """Les activités qui ont eu lieu dans l’académie, chacune comptée une fois."""
    academy = readable_academy(request.auth, academy_id)
    school_year = _year(year)
    return _out(
        cached_report(
            "academy",
            academy.pk,
            request.auth,
            school_year.start_year,
            lambda: territory_report(request.auth, school_year, academy=academy),
        )
    )


@router.get("/basins/{int:basin_id}", response=RESPONSES, summary="Indicateurs d’un bassin")
def basin_indicators(request: HttpRequest, basin_id: int, year: str | None = YEAR):
    """Les activités qui ont eu lieu dans le bassin, chacune comptée une fois."""
    basin = readable_basin(request.auth, basin_id)
    school_year = _year(year)
    return _out(
        cached_report(
            "basin",
            basin.pk,
            request.auth,
            school_year.start_year,
            lambda: territory_report(request.auth, school_year, basin=basin),
        )
    )
