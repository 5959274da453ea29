"""Page objects of the convention import: upload, follow the reading, review, save."""

import re
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.pages import BasePage


class ConventionListPage(BasePage):
    def open(self) -> "ConventionListPage":
        self.page.goto(reverse("conventions:convention_list"))
        self.assert_clean("conventions list")
        return self

    def start_import(self) -> "ImportUploadPage":
        self.page.get_by_role("link", name="Importer une convention").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Importer une convention")
        self.assert_clean("import upload page")
        return ImportUploadPage(self.page, self.artifacts)


class ImportUploadPage(BasePage):
    def open(self) -> "ImportUploadPage":
        self.page.goto(reverse("intake:upload"))
        return self

    def upload(self, path: Path) -> "ReviewPage":
        """Send the file; the reading runs, then the review opens (the job page sends there when ready)."""
        self.page.get_by_label("Convention à importer", exact=False).set_input_files(str(path))
        self.screenshot("fichier-choisi")
        self.page.get_by_role("button", name="Lancer la lecture").click()
        expect(self.page).to_have_url(re.compile(r"/conventions/importer/\d+/verifier/$"), timeout=60_000)
        self.assert_clean("the review page")
        return ReviewPage(self.page, self.artifacts)


class ReviewPage(BasePage):
    def field(self, label: str):
        return self.page.locator("main form").get_by_label(label).first

    def show_source_of(self, label: str):
        """Follow « voir la source » of a field; returns the marked passage it highlights."""
        link = self.page.get_by_role("link", name=f"voir la source de « {label} »")
        anchor = link.get_attribute("href").lstrip("#")
        link.click()
        mark = self.page.locator(f"mark#{anchor}")
        expect(mark).to_have_class(re.compile(r"\bis-current\b"))
        expect(mark).to_be_in_viewport()
        return mark

    def choose_academy(self, name: str) -> None:
        self.page.locator("main form").get_by_label(name, exact=True).check(force=True)

    def drop_commitments_without_party(self) -> int:
        """Untick « Garder » on the commitments whose party the reader could not tell; how many."""
        dropped = 0
        for select in self.page.locator("main form select[name^='commitments-'][name$='-party']").all():
            if not select.input_value():
                prefix = select.get_attribute("name").removesuffix("-party")
                self.page.locator(f"input[name='{prefix}-keep']").uncheck(force=True)
                dropped += 1
        return dropped

    def save(self) -> None:
        self.assert_clean("the review page before saving")
        self.page.get_by_role("button", name="Enregistrer la convention").click()
        self.page.wait_for_load_state("load")
        self.assert_clean("after saving the import")
