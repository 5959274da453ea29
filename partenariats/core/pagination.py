from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, queryset, per_page: int = PER_PAGE) -> Page:
    """The requested page of ``queryset`` (a bad or out-of-range number gives the nearest page)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
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
