"""What the API accepts, bounded so that no client input reaches the database as a number it cannot
hold: an offset or an identifier past 2⁶³ was a server error (500) on SQLite and PostgreSQL; now it is
a 422 with a French message, like any other invalid input."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

from partenariats.core.cache import scope_key, versioned

# Far beyond any list the platform holds, well within a 64-bit OFFSET.
MAX_OFFSET = 1_000_000_000
# What the database holds: 64-bit keys, 32-bit counts. Values inside these bounds but still wrong
# (a negative count, an unknown id) are left to the forms, whose French messages say what is expected.
RecordId = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
Count = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]


@dataclass(frozen=True)
class Listing:
    """Rows to page through, with their own way of being counted: a list read a page at a time
    may be slow to count in the same query plan (see ``Activity.objects.for_user``). For rows of
    the watched apps only (``core.cache``): its pages are kept until the data change, under
    ``key`` (what names the rows: the list, its filters and the reader's scope)."""

    rows: QuerySet
    count: Callable[[], int]
    key: str


def counted_once(rows: QuerySet, *, name: str, filters: Schema, user, counted: QuerySet | None = None) -> Listing:
    """``rows`` to page through, their exact count (of ``counted`` when given: the same rows read
    in another plan) kept per list, filters, reader's scope and data version (``core.cache``):
    counting what a national reader sees takes from 50 ms (200,000 organisations) to seconds
    (a million activities), for every page of the list."""
    key = f"api:{name}:{filters.model_dump_json()}:{scope_key(user)}"
    source = rows if counted is None else counted
    return Listing(rows, count=lambda: versioned(lambda: key, source.count), key=key)


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
        # The page's records, kept like its count: sorting every plan a national reader sees to
        # give the first twenty costs more than the rest of the call.
        page = queryset.rows[pagination.offset : pagination.offset + limit]
        rows = versioned(lambda: f"{queryset.key}:rows:{pagination.offset}:{limit}", lambda: list(page))
        return {self.items_attribute: rows, "count": queryset.count()}


def cached_detail(
    request: HttpRequest,
    key: str,
    schema: type[Schema],
    read: Callable[[], Any],
    *,
    own: Callable[[dict], None] | None = None,
) -> JsonResponse:
    """One record as ``schema`` gives it (``read()``: the record, or a 404), kept in the cache
    under ``key``, the reader's scope and the data version: a convention's or an activity's
    answer is the same for every reader of a scope until the data change. ``own`` then sets
    what is the reader's alone (following a convention). Served as JSON directly: the schema
    already shaped it."""

    def make() -> dict:
        return schema.model_validate(read(), context={"request": request}).model_dump(mode="json")

    data = dict(versioned(lambda: f"api-detail:{key}:{request.get_host()}:{scope_key(request.auth)}", make))
    if own is not None:
        own(data)
    return JsonResponse(data)
