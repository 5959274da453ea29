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
        """Keep a full-page picture of this step in test-artifacts/, numbered in order."""
        if self.artifacts is None:
            return
        number = len(list(self.artifacts.glob("*.png"))) + 1
        self.page.screenshot(path=self.artifacts / f"{number:02d}-{name}.png", full_page=True)

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
