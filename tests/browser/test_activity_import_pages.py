"""The activity import in a browser: upload a file with a wrong row, read the preview, upload it
corrected, confirm, read the outcome; axe-core finds nothing on any step and a context that
enforces the CSP reports no violation."""

import pytest
from django.urls import reverse

from tests.browser.conftest import describe_violations, run_axe, watched_page
from tests.browser.pages import LoginPage
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADER = "date;type;intitulé;UAI de l’établissement;élèves\n"


def _check(page, where: str, *, bypass_csp: bool) -> None:
    if bypass_csp:
        violations = run_axe(page)
        assert not violations, f"{where}:\n    {describe_violations(violations)}"
    else:
        page.watcher.assert_clean(where)


def _upload(page, content: str) -> None:
    page.goto(reverse("activities:import_start"))
    page.get_by_label("Fichier CSV ou Excel", exact=False).set_input_files(
        {"name": "activites.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Voir l’aperçu").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("bypass_csp", [True, False])
def test_the_import_steps_pass_axe_and_the_csp(new_context, academy_staff, school, bypass_csp):
    context = new_context(bypass_csp=bypass_csp)
    page = watched_page(context)
    LoginPage(page).open().log_in(academy_staff.email, PASSWORD)
    page.goto(reverse("activities:import_start"))
    _check(page, "the upload page", bypass_csp=bypass_csp)

    _upload(page, HEADER + f"31/02/2026;Visite d’entreprise;Visite;{school.uai};24\n")
    assert "la date « 31/02/2026 » n’existe pas" in page.content()
    _check(page, "the preview with an error", bypass_csp=bypass_csp)

    _upload(page, HEADER + f"14/11/2025;Visite d’entreprise;Visite;{school.uai};24\n")
    page.get_by_role("button", name="Enregistrer 1 activité").click()
    page.wait_for_load_state("load")
    assert "1 activité enregistrée." in page.content()
    _check(page, "the outcome", bypass_csp=bypass_csp)
    context.close()
