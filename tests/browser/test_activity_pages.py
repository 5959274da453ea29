"""The activity pages with real content, in a browser: axe-core finds nothing on the list, the
detail (groups, contributions, attachments, history), the full and quick forms (empty and with
errors), the withdrawal and attachment pages; a context that enforces the CSP reports no
violation; typing in the forms refreshes their lists and « Compte pour » through htmx."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.core.school_year import SchoolYear
from tests.browser.conftest import describe_violations, run_axe, watched_page
from tests.browser.pages import LoginPage
from tests.conftest import PASSWORD
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    AttachmentFactory,
    ContributionFactory,
    OrganisationFactory,
    PartyFactory,
    PlanFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def activity(aix, school, company):
    today = timezone.localdate()
    plan = PlanFactory(school_year=SchoolYear.of(today).start_year)
    PartyFactory(convention=plan.convention, organisation=school, position=2)
    action = ActionFactory(plan=plan, number=1, title="Visites d’entreprises pour les 3e")
    activity = ActivityFactory(
        title="Visite de l’atelier",
        starts_on=today,
        academy=aix,
        pupils=24,
        groups__school=school,
        organisations=[company],
        evaluation="Les élèves ont posé beaucoup de questions.",
    )
    ContributionFactory(activity=activity, convention=plan.convention, action=action, confirmed=False)
    AttachmentFactory(activity=activity, title="Feuille d’émargement")
    return activity


def _assert_accessible(page, where: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{where}:\n    {describe_violations(violations)}"


def test_the_activity_pages_pass_axe_and_the_csp(new_context, activity, academy_staff):
    paths = {
        "the list": reverse("activities:activity_list"),
        "the detail": activity.get_absolute_url(),
        "the full form": reverse("activities:activity_create"),
        "the update form": reverse("activities:activity_update", args=[activity.pk]),
        "the quick form": reverse("activities:activity_quick"),
        "the withdrawal": reverse("activities:activity_withdraw", args=[activity.pk]),
        "the attachment form": reverse("activities:attachment_upload", args=[activity.pk]),
    }
    for bypass_csp in (True, False):
        context = new_context(bypass_csp=bypass_csp)
        page = watched_page(context)
        LoginPage(page).open().log_in(academy_staff.email, PASSWORD)
        for where, path in paths.items():
            page.goto(path)
            page.wait_for_load_state("load")
            if bypass_csp:
                _assert_accessible(page, where)
            else:
                page.watcher.assert_clean(where)
        if bypass_csp:
            page.goto(paths["the full form"])
            page.get_by_label("Date (ou premier jour)", exact=False).fill("2099-01-01")
            page.get_by_role("button", name="Enregistrer", exact=True).last.click()
            assert "Date impossible" in page.content()
            _assert_accessible(page, "the full form with errors")
            page.goto(paths["the quick form"])
            page.get_by_role("button", name="Enregistrer", exact=True).last.click()
            assert "Rien n’a été enregistré" in page.content()
            _assert_accessible(page, "the quick form with errors")
        context.close()


def test_typing_refreshes_the_lists_and_the_suggestions(new_context, activity, school_head, school):
    """A teacher picks a company by typing its name; the convention of their school is offered
    and pre-ticked; choosing another date refreshes « Compte pour » without losing it."""
    company = OrganisationFactory(company=True, name="Chaudronnerie Témoin")
    context = new_context(bypass_csp=False)
    page = watched_page(context)
    LoginPage(page).open().log_in(school_head.email, PASSWORD)
    page.goto(reverse("activities:activity_quick"))
    assert page.get_by_label("Visites d’entreprises pour les 3e", exact=False).is_checked()
    with page.expect_response(lambda r: "formulaire/listes" in r.url):
        page.get_by_label("Rechercher l’entreprise", exact=False).fill("chaudronnerie")
    page.get_by_label("Entreprise ou organisation partenaire", exact=False).select_option(str(company.pk))
    with page.expect_response(lambda r: "compte-pour" in r.url):
        page.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
        page.get_by_label("Date", exact=True).dispatch_event("change")
    assert page.get_by_label("Visites d’entreprises pour les 3e", exact=False).is_checked()
    page.watcher.assert_clean("the quick form after typing")
    context.close()
