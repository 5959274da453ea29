"""Journey: import a real convention's text, see a value beside its source passage, save, and
read the convention's terms computed from what was saved; axe-core finds nothing on the way."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partenariats.conventions.models import Convention
from tests.browser.conftest import describe_violations, run_axe, watched_page
from tests.browser.pages import LoginPage
from tests.browser.pages_intake import ConventionListPage, ImportUploadPage
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "004_c4445d50fca04f14.txt"


@pytest.fixture
def seed() -> Path:
    if not SEED.exists():
        pytest.skip(f"{SEED} is missing")
    return SEED


def test_it_imports_reviews_and_saves_a_convention(page, artifacts, academy_staff, aix, seed):
    LoginPage(page, artifacts).open().log_in(academy_staff.email, PASSWORD)
    upload = ConventionListPage(page, artifacts).open().start_import()
    review = upload.upload(seed)
    review.screenshot("verification")

    expect(page.get_by_role("heading", name="À vérifier en priorité")).to_be_visible()
    place = review.field("Lieu de signature")
    expect(place).to_have_value("Toulouse")
    mark = review.show_source_of("Lieu de signature")
    expect(mark).to_contain_text("Toulouse")

    # What the reviewer decides: the académie that registers it, the commitments the reader
    # could not attribute to a party (dropped here; a reviewer could also choose the party).
    review.choose_academy(str(aix))
    review.drop_commitments_without_party()
    review.save()
    convention = Convention.objects.get()
    expect(page).to_have_url(re.compile(re.escape(convention.get_absolute_url()) + "$"))
    review.screenshot("convention")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text(convention.title[:40])
    expect(page.get_by_role("heading", name="Calendrier")).to_be_visible()
    assert convention.duration_months == 24
    assert convention.period_start is not None
    expect(main).to_contain_text(f"du {convention.period_start:%d/%m/%Y}")


@pytest.mark.parametrize("step", ["upload", "review"])
def test_the_import_pages_pass_axe(new_context, academy_staff, seed, step):
    context = new_context(bypass_csp=True)
    page = watched_page(context)
    LoginPage(page).open().log_in(academy_staff.email, PASSWORD)
    upload = ImportUploadPage(page).open()
    if step == "review":
        upload.upload(seed)
    violations = run_axe(page)
    assert not violations, f"{step}:\n    {describe_violations(violations)}"
    context.close()


def test_the_job_page_shows_the_progress_without_javascript(page, academy_staff):
    from tests.factories import ImportJobFactory

    job = ImportJobFactory(created_by=academy_staff, status="running", progress=40, progress_label="Lecture")
    LoginPage(page).open().log_in(academy_staff.email, PASSWORD)
    page.goto(reverse("intake:job_detail", args=[job.pk]))
    expect(page.locator("progress#job-progress")).to_have_attribute("value", "40")
    expect(page.get_by_role("link", name="Rafraîchir")).to_be_visible()
