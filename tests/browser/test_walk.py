"""The browser part of the URL walk: every page as académie staff and as an anonymous visitor,
checked by axe-core (0 violations) and, in a context that enforces the CSP, for CSP
violations and JavaScript errors."""

import pytest
from django.template.loader import render_to_string

from tests.browser.conftest import describe_violations, run_axe, watched_page
from tests.browser.pages import LoginPage
from tests.conftest import PASSWORD
from tests.test_url_walk import (
    LOGIN,
    POST_ONLY,
    PUBLIC,
    TOKEN,
    WALKED_URLS,
    build_world,
    expected_statuses,
    kind_of,
    url_path,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    # The live server needs committed data; the serialized rollback restores the reference
    # territories that the flush at the end of the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MISSING_PAGE = "/page-inexistante-du-parcours/"
SERVER_ERROR_PAGE = "/__erreur-500-du-parcours__/"


def pages_for(persona: str, world, besides: str | None = None) -> list[tuple[str, str]]:
    """(label, path) of every HTML page the persona may open, the error pages included;
    with ``besides``, only the pages that this other persona may not open."""
    pages = []
    forbidden = None
    for url in WALKED_URLS:
        if url.key in POST_ONLY or url.route.startswith(("django-admin/", "api/")):
            continue  # Django's and django-ninja's own pages are not ours to fix.
        if kind_of(url) not in (PUBLIC, LOGIN, TOKEN):
            continue
        statuses = expected_statuses(url)
        if besides and statuses[besides] == 200:
            continue
        if statuses[persona] == 200:
            pages.append((url.key, url_path(url, world)))
        elif statuses[persona] == 403 and forbidden is None:
            forbidden = (f"403 page ({url.key})", url_path(url, world))
    if not besides:
        pages += [forbidden] if forbidden else []
        pages += [("404 page", MISSING_PAGE), ("500 page", SERVER_ERROR_PAGE)]
    return pages


# (persona, the persona whose pages were already checked): account managers see a few more pages.
WALKS = [("anonymous", None), ("academy_staff", None), ("academy_admin", "academy_staff")]


def serve_the_500_page(context) -> None:
    """A server error cannot be caused on purpose: the browser gets the 500 template at a fake address."""
    html = render_to_string("500.html", {"title": "Erreur inattendue"})
    context.route(
        f"**{SERVER_ERROR_PAGE}", lambda route: route.fulfill(status=500, body=html, content_type="text/html")
    )


def is_html(context, path: str) -> bool:
    """Exports and JSON are not pages: check before the browser tries to show them."""
    response = context.request.get(path, max_redirects=0)
    content_type = response.headers.get("content-type", "")
    return content_type.startswith("text/html") and "attachment" not in response.headers.get("content-disposition", "")


def _log_in(context, user, artifacts=None) -> None:
    page = watched_page(context)
    LoginPage(page, artifacts).open().log_in(user.email, PASSWORD)
    page.close()


def _walk(context, pages, check, *, complement: bool = False) -> list[str]:
    page = watched_page(context)
    serve_the_500_page(context)
    failures, seen = [], []
    for label, path in pages:
        if path != SERVER_ERROR_PAGE and not is_html(context, path):
            continue
        page.goto(path)
        page.wait_for_load_state("load")
        seen.append(label)
        if problem := check(page):
            failures.append(f"{label} — {path}:\n    {problem}")
    page.close()
    # The walk is not blind: the home page (or the login page) and the error pages were checked.
    if not complement:
        assert {"404 page", "500 page"} <= set(seen), seen
        assert {"dashboard:home", "accounts:login"} & set(seen), seen
    assert seen, "no page checked"
    print(f"{len(seen)} pages checked: {', '.join(seen)}")
    return failures


def _axe_check(page) -> str | None:
    violations = run_axe(page)
    return describe_violations(violations) if violations else None


def _clean_check(page) -> str | None:
    problems = page.watcher.take()
    return "\n    ".join(problems) if problems else None


@pytest.mark.parametrize(("persona", "besides"), WALKS)
def test_it_has_no_accessibility_violation_on_any_page(persona, besides, request, new_context, artifacts):
    world = build_world()
    context = new_context(bypass_csp=True)  # only so that axe-core can be injected
    if persona != "anonymous":
        _log_in(context, request.getfixturevalue(persona), artifacts)
    failures = _walk(context, pages_for(persona, world, besides), _axe_check, complement=bool(besides))
    assert not failures, f"axe-core violations as {persona}:\n" + "\n".join(failures)


@pytest.mark.parametrize(("persona", "besides"), WALKS)
def test_it_shows_every_page_without_csp_violation_nor_javascript_error(persona, besides, request, new_context):
    world = build_world()
    context = new_context()
    if persona != "anonymous":
        _log_in(context, request.getfixturevalue(persona))
    failures = _walk(context, pages_for(persona, world, besides), _clean_check, complement=bool(besides))
    assert not failures, f"Problems in the browser as {persona}:\n" + "\n".join(failures)


def test_it_notices_a_csp_violation(page):
    """The watcher is not blind: a page whose inline script the CSP blocks is reported."""
    page.route(
        "**/sonde-csp/",
        lambda route: route.fulfill(
            body="<!doctype html><html lang='fr'><title>Sonde</title><script>document.title = 'x'</script></html>",
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'"},
        ),
    )
    page.goto("/sonde-csp/")
    assert any(problem.startswith("CSP violation") for problem in page.watcher.take())
