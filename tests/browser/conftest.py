"""Playwright (sync API) driving Debian's chromium against pytest-django's live server.

``playwright install`` cannot download a browser here: we launch /usr/bin/chromium
(``make system-packages`` installs it). Every page a test opens is watched: a CSP
violation, a JavaScript error or a sub-resource that fails to load fails the test.
Screenshots go to ``test-artifacts/`` at the repository root.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response, sync_playwright

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE_SCRIPT = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Make ``--dist loadgroup`` honour ``xdist_group`` again (for the whole suite).

    pytest-xdist 3.8 groups tests by appending ``@group`` to ``item._nodeid``, which pytest 9.2
    no longer reads (node ids became structured): every grouped test was scheduled alone.
    This does the same through the new attribute, and steps aside once xdist does it itself.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")
        }
        if groups and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(groups))}")


class PageWatcher:
    """Collects what the browser reports about a page: CSP violations, JS errors, failed loads."""

    def __init__(self, page: Page):
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")
        # A failed load is reported by _on_response, which knows what kind of resource it was.
        elif not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def _on_response(self, response: Response) -> None:
        # The document itself may be a deliberate 403/404; its sub-resources must all load.
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} on {response.request.resource_type} {response.url}")

    def _on_request_failed(self, request) -> None:
        # ERR_ABORTED: the page was left before the load ended (the next navigation began).
        if request.resource_type != "document" and "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"failed {request.resource_type} {request.url}: {request.failure}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems

    def assert_clean(self, where: str) -> None:
        problems = self.take()
        assert not problems, f"{where}:\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module", autouse=True)
def _reference_data_restored_afterwards(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Put the reference data (académies…) back once the module's browser tests are done.

    The browser tests run on the live server, so in transactions that are really committed, and
    the database is flushed after each one; their serialized rollback reloads the data before
    each test, not after. xdist schedules the browser group first (it is the largest), so the
    worker's later tests would find no académie.
    """
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            if contents := getattr(connection, "_test_serialized_contents", None):
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def browser(live_server) -> Iterator[Browser]:
    """One chromium per test, started after the test's database is ready.

    Playwright's sync API keeps an asyncio loop running in the test's thread, and Django then
    hands out a separate connection object (asgiref's thread-critical local switches to
    context-local storage). Started once per session, it would hide from later tests the
    connection that holds the serialized reference data, and the serialized rollback would
    not restore the académies. Started here, after the autouse database fixtures, it cannot.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-packages` (it apt-installs chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts(request) -> Path:
    """This test's screenshot folder, emptied first."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy (details): ${event.violatedDirective} blocked `
    + `${event.blockedURI || "inline"} in ${event.sourceFile || "the document"}:${event.lineNumber} `
    + `on ${event.documentURI}, sample: ${JSON.stringify(event.sample)}`);
});
"""


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator:
    """Opens browser contexts on the live server; ``bypass_csp=True`` is for the axe walk only."""
    contexts: list[BrowserContext] = []

    def make(*, bypass_csp: bool = False) -> BrowserContext:
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp
        )
        context.set_default_timeout(10_000)
        # Name the culprit of any CSP violation: the console message alone gives only a hash.
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Iterator[Page]:
    """A page in a context that enforces the CSP, watched for problems until the end of the test."""
    page = new_context().new_page()
    page.watcher = PageWatcher(page)
    yield page
    page.watcher.assert_clean("at the end of the test")


def watched_page(context: BrowserContext) -> Page:
    page = context.new_page()
    page.watcher = PageWatcher(page)
    return page


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations on the current page (the page's context must bypass the CSP)."""
    page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        lines.extend(f"      {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5])
    return "\n    ".join(lines)
