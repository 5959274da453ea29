"""What the API accepts, bounded so that no client input reaches the database as a number it cannot
hold: an offset or an identifier past 2⁶³ was a server error (500) on SQLite and PostgreSQL; now it is
a 422 with a French message, like any other invalid input."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

# Far beyond any list the platform holds, well within a 64-bit OFFSET.
MAX_OFFSET = 1_000_000_000
# What the database holds: 64-bit keys, 32-bit counts. Values inside these bounds but still wrong
# (a negative count, an unknown id) are left to the forms, whose French messages say what is expected.
RecordId = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
Count = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


@dataclass(frozen=True)
class Listing:
    """Rows to page through, with their own way of being counted: a list read a page at a time
    may be slow to count in the same query plan (see ``Activity.objects.for_user``)."""

    rows: QuerySet
    count: Callable[[], int]


class ApiPagination(LimitOffsetPagination):
    """django-ninja's limit/offset pagination, with an upper bound on ``offset`` (422 beyond it);
    a view may return a :class:`Listing` to count its rows its own way."""

    class Input(Schema):
        limit: int = Field(
            settings.PAGINATION_PER_PAGE,
            ge=1,
            le=settings.PAGINATION_MAX_LIMIT,
            description="Nombre d’éléments par page (100 au plus).",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Nombre d’éléments à sauter.")

    def paginate_queryset(self, queryset: QuerySet | Listing, pagination: Input, request: HttpRequest, **params: Any):
        if not isinstance(queryset, Listing):
            return super().paginate_queryset(queryset, pagination, request, **params)
        limit = min(pagination.limit, self.max_limit)
        rows = queryset.rows[pagination.offset : pagination.offset + limit]
        return {self.items_attribute: rows, "count": queryset.count()}
