"""Page objects: what a person does on a page, in the interface's words."""

import re
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect


class BasePage:
    def __init__(self, page: Page, artifacts: Path | None = None):
        self.page = page
        self.artifacts = artifacts

    def screenshot(self, name: str) -> None:
        """Keep a picture of this step (the visible part) in test-artifacts/, numbered in order.

        Not the full page: capturing it resizes the window, and the DSFR header then copies its
        tool links by innerHTML with the inline style its script had set, which the CSP reports
        (a DSFR behaviour, not a page's; see the README's known limits).
        """
        if self.artifacts is None:
            return
        number = len(list(self.artifacts.glob("*.png"))) + 1
        self.page.screenshot(path=self.artifacts / f"{number:02d}-{name}.png")

    def assert_clean(self, where: str) -> None:
        self.page.watcher.assert_clean(where)

    def heading(self) -> str:
        return self.page.locator("main h1").inner_text()


class LoginPage(BasePage):
    def open(self) -> "LoginPage":
        self.page.goto(reverse("accounts:login"))
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Connexion")
        return self

    def log_in(self, email: str, password: str) -> None:
        self.page.get_by_label("Adresse électronique").fill(email)
        self.page.get_by_label("Mot de passe").fill(password)
        self.screenshot("connexion")
        self.page.get_by_role("button", name="Se connecter").click()
        expect(self.page).to_have_url(re.compile(re.escape(reverse("dashboard:home")) + r"$"))
        self.assert_clean("after logging in")


class OrganisationListPage(BasePage):
    def open(self) -> "OrganisationListPage":
        self.page.goto(reverse("directory:organisation_list"))
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Organisations")
        self.assert_clean("organisation list")
        return self

    def search(self, text: str) -> "OrganisationListPage":
        """Type in the search field and submit the filters, as without JavaScript."""
        filters = self.page.get_by_role("search", name="Filtrer les organisations")
        filters.get_by_label("Rechercher").fill(text)
        filters.get_by_role("button", name="Filtrer").click()
        self.page.wait_for_url(re.compile(r"[?&]q="))
        self.assert_clean(f"searching {text!r}")
        return self

    def result_names(self) -> list[str]:
        return [name.strip() for name in self.page.locator("main table tbody tr td:first-child a").all_inner_texts()]

    def open_result(self, name: str) -> "OrganisationDetailPage":
        self.page.locator("main table").get_by_role("link", name=name, exact=True).click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(name)
        self.assert_clean(f"opening {name}")
        return OrganisationDetailPage(self.page, self.artifacts)


class OrganisationDetailPage(BasePage):
    def edit(self) -> "OrganisationFormPage":
        self.page.locator("main").get_by_role("link", name="Modifier", exact=True).click()
        expect(self.page).to_have_url(re.compile(r"/modifier/$"))
        self.assert_clean("edit page")
        return OrganisationFormPage(self.page, self.artifacts)

    def messages(self) -> str:
        return " ".join(self.page.locator("main .fr-alert").all_inner_texts())

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def history(self) -> str:
        return self.page.get_by_role("table", name="Historique des modifications").inner_text()


class OrganisationFormPage(BasePage):
    def set_field(self, label: str, value: str) -> "OrganisationFormPage":
        self.page.locator("main form").get_by_label(label).fill(value)
        return self

    def save(self) -> OrganisationDetailPage:
        self.screenshot("formulaire-rempli")
        self.page.locator("main form").get_by_role("button", name="Enregistrer").click()
        expect(self.page).to_have_url(re.compile(r"/organisations/\d+/$"))
        self.assert_clean("after saving")
        return OrganisationDetailPage(self.page, self.artifacts)


# --- The yearly loop: plans, recording links, indicators ---------------------------------------


def table_cells(page: Page, caption: str) -> list[list[str]]:
    """The body cells of the table named by ``caption``, as the page shows them."""
    rows = page.get_by_role("table", name=caption).locator("tbody tr")
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]


class ConventionPage(BasePage):
    def open(self, convention) -> "ConventionPage":
        self.page.goto(convention.get_absolute_url())
        expect(self.page.get_by_role("heading", name="Suivi annuel")).to_be_visible()
        self.assert_clean("convention page")
        return self

    def follow(self, link: str) -> None:
        """Follow a link of the « Suivi annuel » section."""
        self.page.locator("main").get_by_role("link", name=link, exact=True).click()
        self.page.wait_for_load_state("load")
        self.assert_clean(f"following {link!r}")


class PlanListPage(BasePage):
    def prepare(self, label: str) -> "PlanFormPage":
        self.page.get_by_role("link", name=f"Préparer le plan {label}").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Préparer un plan de partenariat")
        self.assert_clean("new plan form")
        return PlanFormPage(self.page, self.artifacts)


class PlanFormPage(BasePage):
    def create(self, year_label: str, starting_point: str) -> "PlanPage":
        form = self.page.locator("main form")
        form.get_by_label("Année scolaire").select_option(label=year_label)
        form.get_by_label("Point de départ").select_option(label=starting_point)
        self.screenshot("nouveau-plan")
        form.get_by_role("button", name="Créer le plan").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(f"Plan de partenariat {year_label}")
        self.assert_clean("after creating the plan")
        return PlanPage(self.page, self.artifacts)


class PlanPage(BasePage):
    def messages(self) -> str:
        return " ".join(self.page.locator("main .fr-alert").all_inner_texts())

    def actions(self, year_label: str) -> list[list[str]]:
        return table_cells(self.page, f"Actions du plan {year_label}")

    def targets_text(self) -> str:
        return self.page.locator("main h2#cibles + p + *").inner_text()

    def set_action_targets(self, number: int, targets: dict[str, int]) -> "PlanPage":
        self.page.get_by_role("link", name=f"Modifier l’action n° {number}").click()
        expect(self.page).to_have_url(re.compile(r"/actions/\d+/modifier/$"))
        form = self.page.locator("main form")
        targets_group = form.get_by_role("group", name=re.compile(r"^Cibles de l’année"))
        for label, value in targets.items():
            # Optional fields: the label goes on with « (Optionnel) ».
            targets_group.get_by_role("spinbutton", name=label).fill(str(value))
        self.screenshot("cibles-de-l-action")
        form.get_by_role("button", name="Enregistrer l’action").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Plan de partenariat "))
        self.assert_clean("after saving the action")
        return self


class LinkListPage(BasePage):
    def send(self, *, organisation: str, email: str, action: str) -> "LinkListPage":
        form = self.page.locator("main form").first
        form.get_by_label("Organisation pour laquelle le bénévole intervient").select_option(label=organisation)
        form.get_by_label("Courriel du bénévole").fill(email)
        form.get_by_role("combobox", name="Action du plan").select_option(label=action)
        self.screenshot("lien-a-envoyer")
        form.get_by_role("button", name="Envoyer le lien").click()
        expect(self.page.locator("main .fr-alert").first).to_contain_text(f"Le lien a été envoyé à {email}")
        self.assert_clean("after sending the link")
        return self


class VolunteerFormPage(BasePage):
    def open(self, path: str) -> "VolunteerFormPage":
        self.page.goto(path)
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Déclarer une activité")
        self.assert_clean("the volunteer's form")
        return self

    def record(self, fields: dict[str, str], selects: dict[str, str], ticks: list[str]) -> str:
        """Fill in and send the form (labels go on with hints); the heading of the page that answers."""
        for label, value in fields.items():
            # A label that another one contains (« Classe » in « … exploitée ensuite en classe »): the textbox's.
            self.page.get_by_role("textbox", name=label).or_(self.page.get_by_label(label)).first.fill(value)
        for label, option in selects.items():
            self.page.get_by_label(label).select_option(label=option)
        for label in ticks:
            # DSFR draws the box on the label, which takes the click.
            self.page.locator("label", has_text=label).click()
            expect(self.page.get_by_label(label)).to_be_checked()
        self.screenshot("formulaire-benevole")
        self.page.get_by_role("button", name="Enregistrer l’activité").click()
        self.page.wait_for_load_state("load")
        self.assert_clean("after recording")
        return self.heading()


class IndicatorsPage(BasePage):
    def open(self, convention, year) -> "IndicatorsPage":
        self.page.goto(reverse("indicators:convention", args=[convention.pk]) + f"?year={year.start_year}")
        expect(self.page.get_by_role("heading", level=1)).to_have_text(f"Indicateurs – {convention.title}")
        self.assert_clean("indicator page")
        return self

    def table(self, title: str, year) -> list[list[str]]:
        return table_cells(self.page, f"{title}, année scolaire {year.label}")

    def download_csv(self, title: str) -> bytes:
        with self.page.expect_download() as download:
            self.page.get_by_role("link", name=f"Exporter « {title} » en CSV").click()
        return Path(download.value.path()).read_bytes()
