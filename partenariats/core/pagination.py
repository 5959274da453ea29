from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from partenariats.core.cache import cached_query

PER_PAGE = 50
# How far the lists of the national data (2,000,000 activities, 200,000 organisations) count.
COUNT_CAP = 1000


class CachedCountPaginator(Paginator):
    """Keeps its count in the cache until the data change (``core.cache``), under the count
    query's own SQL: the reader's scope and filters are in it, so two readers share a count only
    when they count the same rows. For lists of the watched apps only (activities, conventions,
    directory, territories): another app's change would not renew it."""

    def counted(self, queryset) -> int:
        return cached_query("list-count", queryset, lambda rows: rows.count())

    @cached_property
    def count(self) -> int:
        return self.counted(self.object_list.order_by())


class CappedPaginator(CachedCountPaginator):
    """Counts no further than ``cap`` rows (``capped`` past it: « plus de 1 000 »): counting every
    activity a national reader may see takes seconds; its first pages, milliseconds."""

    def __init__(self, object_list, per_page: int, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.counted(self.object_list.order_by()[: self.cap + 1])  # the slice bounds the count

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate(
    request: HttpRequest, queryset, per_page: int = PER_PAGE, cap: int | None = None, *, cached: bool = False
) -> Page:
    """The requested page of ``queryset`` (a bad or out-of-range number gives the nearest page),
    counting at most ``cap`` rows when given (see :class:`CappedPaginator`, whose count is cached),
    its count cached when ``cached`` (see :class:`CachedCountPaginator`)."""
    if cap is not None:
        paginator = CappedPaginator(queryset, per_page, cap)
    else:
        paginator = CachedCountPaginator(queryset, per_page) if cached else Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = page_numbers(page.number, page.paginator.num_pages)
    return page


def page_numbers(current: int, last: int) -> list[int | str]:
    """Page links to show: the first two, the neighbours of the current one, the last two, "…" between."""
    wanted = sorted({n for n in (1, 2, current - 1, current, current + 1, last - 1, last) if 1 <= n <= last})
    shown: list[int | str] = []
    for number in wanted:
        if shown and number - shown[-1] == 2:
            shown.append(number - 1)
        elif shown and number - shown[-1] > 2:
            shown.append("…")
        shown.append(number)
    return shown


def rendered_rows(page: Page, template: str, prepare=list) -> SafeString:
    """The HTML of a page's rows (``template`` drawn with ``rows``: ``prepare`` applied to the
    page's records), kept in the cache until the data change under the rows' own SQL. For rows
    that show the records alone, the same to every reader who reads them: a hit spares reading
    them and drawing their table, about half of a list page."""
    # A ``SafeString`` from the template engine, which escaped it; it stays one through the cache.
    return cached_query(
        f"rows:{template}", page.object_list, lambda records: render_to_string(template, {"rows": prepare(records)})
    )
