"""The indicator pages with real numbers and charts, in a browser: axe-core finds nothing, and
a context that enforces the CSP reports no violation (the inline SVG charts carry no style)."""

import pytest
from django.urls import reverse

from tests.browser.conftest import describe_violations, run_axe, watched_page
from tests.browser.pages import LoginPage
from tests.conftest import PASSWORD
from tests.test_indicators import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_indicator_pages_pass_axe_and_the_csp(new_context, academy_staff):
    world = World()
    paths = {
        "the convention": reverse("indicators:convention", args=[world.convention.pk]) + "?year=2025",
        "the company": reverse("indicators:organisation", args=[world.company.pk]) + "?year=2025",
        "the académie": reverse("indicators:academy", args=[world.aix.pk]) + "?year=2025",
        "the bassin": reverse("indicators:basin", args=[world.basin.pk]) + "?year=2025",
        "a year not understood": reverse("indicators:convention", args=[world.convention.pk]) + "?year=jamais",
    }
    for bypass_csp in (True, False):
        context = new_context(bypass_csp=bypass_csp)
        page = watched_page(context)
        LoginPage(page).open().log_in(academy_staff.email, PASSWORD)
        for where, path in paths.items():
            page.goto(path)
            page.wait_for_load_state("load")
            if bypass_csp:
                violations = run_axe(page)
                assert not violations, f"{where}:\n    {describe_violations(violations)}"
            else:
                assert page.locator("svg[role=img]").count() >= 1 or where == "a year not understood"
                page.watcher.assert_clean(where)
        context.close()
