"""Look: the main pages at desktop (1280×800) and phone (375×812, touch) widths.

Each page is saved as a full-page screenshot in ``test-artifacts/look/<page>-<width>.png`` for a
person to look at, and checked for what a user would notice: a page wider than the phone (the
whole page scrolls sideways), a text or control running off the screen, a main heading out of
sight, a console error or CSP violation; on the phone, the menu button opens the navigation.
A table that scrolls inside its own DSFR wrapper is the intended behaviour and not reported.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from partenariats.accounts.models import User
from partenariats.activities.models import Plan
from partenariats.demo.builder import DemoSizes, load_demo
from partenariats.demo.constants import (
    ACADEMY_STAFF_EMAIL,
    COMPANY_STAFF_EMAIL,
    DEMO_PASSWORD,
    SCHOOL_STAFF_EMAIL,
)
from partenariats.intake.models import ImportJob, ImportStatus
from partenariats.steering.models import CommitteeMember, Meeting, MeetingStatus, Review
from partenariats.territories.models import Academy
from tests.browser.conftest import ARTIFACTS, REPORT_CSP_VIOLATIONS, PageWatcher
from tests.browser.pages import LoginPage
from tests.intake.conftest import PDF_BYTES, sample_contract

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOOK = ARTIFACTS / "look"
SIZES = DemoSizes(schools=30, companies=40, people=40, activities=300)
# As printed on a real convention's signature page: the committee table must still show its buttons.
LONG_TITLE = (
    "Déléguée régionale académique à la formation professionnelle initiale et continue, conseillère "
    "technique du recteur de la région académique pour l’enseignement technique et la relation "
    "école–entreprise, chargée de l’animation du réseau des campus des métiers et des qualifications"
)


@dataclass(frozen=True)
class Width:
    name: str
    options: dict


DESKTOP = Width("1280", {"viewport": {"width": 1280, "height": 800}})
PHONE = Width("375", {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True})

# Elements a user reads or uses: a box beyond the screen that holds nothing visible is not reported.
OVERFLOWING = """(width) => {
  const visible = (e) => {
    const style = getComputedStyle(e);
    return style.display !== 'none' && style.visibility !== 'hidden' && e.getClientRects().length > 0;
  };
  // Clipped by an ancestor that is itself on screen (a table's scrolling container…): not overflowing.
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const selector = 'main a, main button, main input, main select, main textarea, main img, main svg, '
    + 'main h1, main h2, main h3, main p, main li, main td, main th, main label, main dd, main dt, '
    + 'header a, header button, footer a';
  return [...document.querySelectorAll(selector)]
    .filter((e) => visible(e) && !e.closest('.fr-sr-only, .fr-modal, dialog'))
    .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > width + 1 || r.left < -1); })
    .filter((e) => !clipped(e))
    .slice(0, 5)
    .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> « ${e.textContent.trim().slice(0, 60)} » `
      + `from ${Math.round(e.getBoundingClientRect().left)} to ${Math.round(e.getBoundingClientRect().right)} px`);
}"""


# On a desktop, a table's links and buttons are in sight without scrolling the table sideways.
HIDDEN_IN_TABLES = """() => [...document.querySelectorAll('main .fr-table__container')].flatMap((container) => {
  const edge = container.getBoundingClientRect().right;
  return [...container.querySelectorAll('a, button')]
    .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > edge + 1)
    .slice(0, 3)
    .map((e) => `« ${e.textContent.trim().slice(0, 40)} » at ${Math.round(e.getBoundingClientRect().right)} px, `
      + `beyond the table's edge at ${Math.round(edge)} px`);
})"""


@dataclass(frozen=True)
class Shot:
    """A page to look at: its file name, who opens it (None: nobody logged in) and its address."""

    name: str
    persona: str | None
    path: Callable[["World"], str]


@dataclass
class World:
    academy: Academy
    partner: User
    plan: Plan
    meeting: Meeting
    review: Review
    job: ImportJob

    @property
    def convention(self):
        return self.meeting.convention


def build_world() -> World:
    """The demonstration data (a small région), plus what it lacks: an import waiting for its review
    and a committee member whose function is as long as a printed one."""
    load_demo(sizes=SIZES)
    staff = User.objects.get(email=ACADEMY_STAFF_EMAIL)
    aix = Academy.objects.get(name="Aix-Marseille")
    meeting = Meeting.objects.filter(status=MeetingStatus.HELD).select_related("convention").first()
    member = CommitteeMember.objects.filter(convention=meeting.convention).first()
    member.title = LONG_TITLE
    member.save(update_fields=["title"])
    job = ImportJob(
        academy=aix,
        created_by=staff,
        original_name="convention-bois.pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        status=ImportStatus.READY,
        progress=100,
        result=sample_contract(),
    )
    job.file.save("upload", ContentFile(PDF_BYTES), save=False)
    job.save()
    return World(
        academy=aix,
        partner=User.objects.get(email=COMPANY_STAFF_EMAIL),
        plan=meeting.convention.plans.order_by("-school_year").first(),
        meeting=meeting,
        review=Review.objects.filter(convention=meeting.convention).first(),
        job=job,
    )


STAFF, PARTNER, SCHOOL = ACADEMY_STAFF_EMAIL, COMPANY_STAFF_EMAIL, SCHOOL_STAFF_EMAIL

SHOTS = [
    Shot("connexion", None, lambda w: reverse("accounts:login")),
    Shot("tableau-de-bord-academie", STAFF, lambda w: reverse("dashboard:home")),
    Shot("conventions", STAFF, lambda w: reverse("conventions:convention_list")),
    Shot("convention", STAFF, lambda w: w.convention.get_absolute_url()),
    Shot("convention-modifier", STAFF, lambda w: reverse("conventions:convention_update", args=[w.convention.pk])),
    Shot("import-depot", STAFF, lambda w: reverse("intake:upload")),
    Shot("import-verification", STAFF, lambda w: reverse("intake:job_review", args=[w.job.pk])),
    Shot(
        "plan",
        STAFF,
        lambda w: reverse("activities:plan_detail", args=[w.convention.pk, w.plan.school_year]),
    ),
    Shot("activites", STAFF, lambda w: reverse("activities:activity_list")),
    Shot("activite-saisir", STAFF, lambda w: reverse("activities:activity_create")),
    Shot("indicateurs-academie", STAFF, lambda w: reverse("indicators:academy", args=[w.academy.pk])),
    Shot("organisations", STAFF, lambda w: reverse("directory:organisation_list")),
    Shot("personnes", STAFF, lambda w: reverse("directory:person_list")),
    Shot(
        "organisation",
        STAFF,
        lambda w: reverse("directory:organisation_detail", args=[w.partner.assignments.first().organisation_id]),
    ),
    Shot("comite", STAFF, lambda w: reverse("steering:committee", args=[w.convention.pk])),
    Shot("reunion", STAFF, lambda w: w.meeting.get_absolute_url()),
    Shot(
        "bilan",
        STAFF,
        lambda w: reverse("steering:review_detail", args=[w.convention.pk, w.review.school_year]),
    ),
    Shot("agenda", STAFF, lambda w: reverse("conventions:feed_manage")),
    Shot("mon-compte", STAFF, lambda w: reverse("accounts:profile")),
    Shot("tableau-de-bord-partenaire", PARTNER, lambda w: reverse("dashboard:home")),
    Shot(
        "indicateurs-partenaire",
        PARTNER,
        lambda w: reverse("indicators:organisation", args=[w.partner.assignments.first().organisation_id]),
    ),
    Shot("tableau-de-bord-etablissement", SCHOOL, lambda w: reverse("dashboard:home")),
]


def open_context(browser: Browser, base_url: str, width: Width) -> BrowserContext:
    context = browser.new_context(base_url=base_url, locale="fr-FR", **width.options)
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    return context


def logged_in_page(context: BrowserContext, email: str | None) -> Page:
    page = context.new_page()
    page.watcher = PageWatcher(page)
    if email:
        LoginPage(page).open().log_in(email, DEMO_PASSWORD)
    return page


def problems_of(page: Page, width: Width) -> list[str]:
    """What a user would notice on the page as it is shown."""
    pixels = width.options["viewport"]["width"]
    problems = page.watcher.take()
    heading = page.locator("main h1").first
    if not heading.is_visible():
        problems.append("no visible main heading (h1)")
    else:
        box = heading.bounding_box()
        if box["x"] < 0 or box["x"] + box["width"] > pixels + 1:
            problems.append(f"the main heading runs off the screen ({box})")
    # On a phone, Chrome widens the layout viewport to fit a page wider than the screen: compare
    # with the screen's width, not with innerWidth.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > pixels:
        problems.append(f"the page is {scroll_width} px wide on a {pixels} px screen: it scrolls sideways")
    problems += [f"off the screen: {item}" for item in page.evaluate(OVERFLOWING, pixels)]
    if width is DESKTOP:
        problems += [f"hidden in a table: {item}" for item in page.evaluate(HIDDEN_IN_TABLES)]
    return problems


def check_mobile_menu(page: Page) -> list[str]:
    """The DSFR menu button opens the navigation, whose links can then be followed."""
    page.get_by_role("button", name="Menu").first.tap()
    navigation = page.locator("#fr-menu-mobile")
    try:
        expect(navigation.get_by_role("link", name="Conventions", exact=True)).to_be_visible()
    except AssertionError:
        return ["the menu button did not show the navigation's « Conventions » link"]
    navigation.get_by_role("button", name="Fermer").first.tap()
    expect(navigation.get_by_role("link", name="Conventions", exact=True)).to_be_hidden()
    return []


def look_at(browser: Browser, base_url: str, world: World, width: Width) -> list[str]:
    failures: list[str] = []
    contexts: dict[str | None, Page] = {}
    for shot in SHOTS:
        if shot.persona not in contexts:
            contexts[shot.persona] = logged_in_page(open_context(browser, base_url, width), shot.persona)
        page = contexts[shot.persona]
        response = page.goto(shot.path(world))
        page.wait_for_load_state("load")
        problems = [] if response and response.ok else [f"HTTP {response.status if response else '—'}"]
        problems += problems_of(page, width)
        page.screenshot(path=LOOK / f"{shot.name}-{width.name}.png", full_page=True)
        problems += [f"while taking the screenshot: {problem}" for problem in page.watcher.take()]
        if width is PHONE and shot.name == "tableau-de-bord-academie":
            problems += check_mobile_menu(page)
        failures += [f"{shot.name} at {width.name} px ({shot.path(world)}): {problem}" for problem in problems]
    for page in contexts.values():
        page.context.close()
    return failures


def test_the_main_pages_look_right_on_a_desktop_and_on_a_phone(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the import's file
    world = build_world()
    LOOK.mkdir(parents=True, exist_ok=True)
    for old in LOOK.glob("*.png"):
        old.unlink()

    failures = look_at(browser, live_server.url, world, DESKTOP) + look_at(browser, live_server.url, world, PHONE)

    assert not failures, "\n".join(failures)
    saved = {path.name for path in LOOK.glob("*.png")}
    assert saved == {f"{shot.name}-{width.name}.png" for shot in SHOTS for width in (DESKTOP, PHONE)}
