"""A keyboard-only journey through the main flows: no mouse, no click, no fill.

Everything is reached with Tab (or Shift+Tab) and used with Enter, Space or typed text, as a
person who cannot use a mouse does: the skip link to the content, logging in, the conventions
list filtered, a convention opened, edited and saved, its yearly plan opened, a convention file
chosen and sent to the reader, logging out. Each element that takes the focus on the way must
show it (an outline or a shadow) and be on screen.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from partenariats.conventions.models import Convention
from partenariats.core.school_year import SchoolYear
from tests.browser.conftest import watched_page
from tests.conftest import PASSWORD
from tests.factories import ActionFactory, ConventionFactory, PlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The focused element: whether its focus can be seen, and whether it is on screen. A DSFR
# checkbox or radio button is drawn by its label, which shows the focus ring.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const ring = (node, pseudo) => {
    const style = getComputedStyle(node, pseudo);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow && style.boxShadow !== 'none');
  };
  const drawn = ['checkbox', 'radio', 'file'].includes(element.type) && element.labels && element.labels.length
    ? element.labels[0] : element;
  const visible = ring(element) || ring(drawn) || ring(drawn, '::before');
  const box = drawn.getBoundingClientRect();
  const onScreen = box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
  const name = (element.getAttribute('aria-label') || element.innerText || element.value || element.name || '');
  return {description: `<${element.tagName.toLowerCase()}> « ${name.trim().slice(0, 50)} »`, visible, onScreen};
}"""


class Keyboard:
    """Moves the focus with Tab only, checking each element it lands on."""

    def __init__(self, page: Page):
        self.page = page
        self.problems: list[str] = []

    def check_focus(self, where: str) -> None:
        state = self.page.evaluate(FOCUS_STATE)
        if state is None:
            return
        if not state["visible"]:
            self.problems.append(f"{where}: no visible focus on {state['description']}")
        if not state["onScreen"]:
            self.problems.append(f"{where}: {state['description']} has the focus but is off screen")

    def tab_to(self, target: Locator, where: str, *, limit: int = 200, backwards: bool = False) -> None:
        """Press Tab until ``target`` has the focus; fails if it never gets it (unreachable)."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(limit):
            self.page.keyboard.press(key)
            self.check_focus(where)
            if target.evaluate("(element) => element === document.activeElement"):
                return
        pytest.fail(f"{where}: {target} never got the focus after {limit} × {key}")

    def type_into(self, target: Locator, text: str, where: str) -> None:
        self.tab_to(target, where)
        self.page.keyboard.press("Control+a")
        self.page.keyboard.type(text)

    def activate(self, target: Locator, where: str, *, navigates: bool = True) -> None:
        """Tab to a link or button and press Enter; by default, wait for the page it opens."""
        self.tab_to(target, where)
        if not navigates:
            self.page.keyboard.press("Enter")
            return
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.page.wait_for_load_state("load")


@pytest.fixture
def convention(aix):
    today = timezone.localdate()
    ConventionFactory(signed=True, academy=aix, title="Convention sans rapport avec la recherche")
    convention = ConventionFactory(signed=True, academy=aix, title="Convention du clavier avec la Menuiserie Témoin")
    plan = PlanFactory(convention=convention, school_year=SchoolYear.of(today).start_year)
    ActionFactory(plan=plan, number=1, title="Visites de l’atelier")
    return convention


@pytest.fixture
def convention_file(tmp_path) -> Path:
    path = tmp_path / "convention-clavier.txt"
    path.write_text(
        "CONVENTION DE PARTENARIAT\nentre l’académie d’Aix-Marseille et la Menuiserie Témoin\n\n"
        "Article 1 – Objet\nLa présente convention organise des visites de l’atelier.\n\n"
        "Article 2 – Durée\nElle est conclue pour trois ans à compter de sa signature.\n",
        encoding="utf-8",
    )
    return path


def test_the_main_flows_can_be_done_with_the_keyboard_alone(
    new_context, academy_staff, convention, convention_file, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the uploaded convention
    page = watched_page(new_context())
    keyboard = Keyboard(page)
    main = page.locator("main")

    # The skip link, reached with Tab (the login page focuses its first field), leads into the content.
    page.goto(reverse("accounts:login"))
    skip = page.locator(".fr-skiplinks").get_by_role("link", name="Contenu")
    keyboard.activate(skip, "skip link", navigates=False)
    expect(page).to_have_url(re.compile(r"#content$"))
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')"), "Tab after the skip link left the content"
    keyboard.check_focus("first field after the skip link")

    # Log in.
    keyboard.type_into(main.get_by_label("Adresse électronique"), academy_staff.email, "login")
    keyboard.type_into(main.get_by_label("Mot de passe"), PASSWORD, "login")
    page.keyboard.press("Enter")
    # The fragment of the skip link stays on the address through the redirect.
    expect(page).to_have_url(re.compile(re.escape(reverse("dashboard:home")) + "(#content)?$"))
    expect(main.get_by_role("heading", level=1)).to_have_text("Tableau de bord")

    # The conventions list, filtered.
    keyboard.activate(
        page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Conventions"), "menu"
    )
    expect(main.get_by_role("heading", level=1)).to_have_text("Conventions")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()  # on a page opened without a fragment, the skip link comes first
    filters = main.get_by_role("search", name="Filtrer les conventions")
    keyboard.type_into(filters.get_by_label("Rechercher", exact=False), "clavier", "filters")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=clavier"))
    results = main.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text(convention.title)

    # Open the convention, edit a field, save.
    keyboard.activate(main.get_by_role("link", name=convention.title), "results")
    expect(main.get_by_role("heading", level=1)).to_have_text(convention.title)
    keyboard.activate(main.get_by_role("link", name="Modifier", exact=True), "convention page")
    expect(page).to_have_url(re.compile(r"/modifier/$"))
    keyboard.type_into(main.get_by_label("Lieu de signature", exact=False), "Salon-de-Provence", "edit form")
    keyboard.activate(main.get_by_role("button", name="Enregistrer", exact=True), "edit form")
    expect(page).to_have_url(re.compile(re.escape(convention.get_absolute_url()) + "$"))
    assert Convention.objects.get(pk=convention.pk).signature_place == "Salon-de-Provence"

    # Its yearly plan.
    keyboard.activate(main.get_by_role("link", name="Plans de partenariat", exact=True), "convention page")
    year = SchoolYear.of(timezone.localdate())
    keyboard.activate(main.get_by_role("link", name=f"Plan {year.label}"), "plans")
    expect(main.get_by_role("heading", level=1)).to_have_text(f"Plan de partenariat {year.label}")
    expect(main).to_contain_text("Visites de l’atelier")

    # A convention file sent to the reader: the file input opens the chooser with Space.
    keyboard.activate(
        page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Conventions"), "menu"
    )
    keyboard.activate(main.get_by_role("link", name="Importer une convention"), "conventions list")
    file_input = main.get_by_label("Convention à importer", exact=False)
    keyboard.tab_to(file_input, "upload form")
    # Chromium opens its chooser late on a loaded machine (CI once waited over 10 s).
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(convention_file))
    keyboard.activate(main.get_by_role("button", name="Lancer la lecture"), "upload form")
    # The reading runs at once in the tests; the job page then opens the review.
    expect(page).to_have_url(re.compile(r"/conventions/importer/\d+/verifier/$"), timeout=60_000)
    page.wait_for_load_state("load")

    # Log out, from the header.
    keyboard.activate(page.locator("header").get_by_role("button", name="Se déconnecter"), "header")
    expect(page.locator("header").get_by_role("link", name="Se connecter")).to_be_visible()

    assert not keyboard.problems, "\n".join(keyboard.problems)
    page.watcher.assert_clean("at the end of the keyboard journey")
