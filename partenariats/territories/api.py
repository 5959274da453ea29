"""Read-only API of the territories: readable by every user with a role."""

from typing import Annotated

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest
from ninja import Field, FilterLookup, FilterSchema, Query, Router
from ninja.pagination import paginate

from partenariats.core.access import scope_of
from partenariats.core.api_inputs import ApiPagination
from partenariats.territories.models import AcademicRegion, Academy, Basin
from partenariats.territories.schemas import AcademyOut, BasinOut, RegionOut

router = Router(tags=["Territoires"])


def _readable(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """Territories are reference data, but only for users with a role, like every page."""
    return queryset if scope_of(request.auth).has_role else queryset.none()


class AcademyFilters(FilterSchema):
    region: Annotated[str | None, FilterLookup("region__code")] = Field(
        None, description="Code de la région académique, par exemple « 93 »."
    )


class BasinFilters(FilterSchema):
    academy: Annotated[str | None, FilterLookup("academy__code")] = Field(
        None, description="Code de l’académie, par exemple « 02 »."
    )


@router.get("/regions", response=list[RegionOut], summary="Régions académiques")
@paginate(ApiPagination)
def list_regions(request: HttpRequest):
    """Les régions académiques, par nom."""
    return _readable(request, AcademicRegion.objects.order_by(Lower("name"), "pk"))


@router.get("/academies", response=list[AcademyOut], summary="Académies")
@paginate(ApiPagination)
def list_academies(request: HttpRequest, filters: Query[AcademyFilters]):
    """Les académies, par nom, éventuellement celles d’une région académique."""
    academies = Academy.objects.select_related("region").order_by(Lower("name"), "pk")
    return _readable(request, filters.filter(academies))


@router.get("/basins", response=list[BasinOut], summary="Bassins de formation")
@paginate(ApiPagination)
def list_basins(request: HttpRequest, filters: Query[BasinFilters]):
    """Les bassins de formation, par académie puis par nom, éventuellement ceux d’une académie."""
    basins = Basin.objects.select_related("academy").order_by(Lower("academy__name"), Lower("name"), "pk")
    return _readable(request, filters.filter(basins))
