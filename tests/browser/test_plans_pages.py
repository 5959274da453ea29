"""The plan pages with real content, in a browser: axe-core finds nothing on the list, the plan
(actions, modalities, targets, history), the action form (empty and with errors), the targets
form and the new-plan form; a context that enforces the CSP reports no violation."""

from datetime import date

import pytest
from django.urls import reverse

from partenariats.activities.models import ActionModality, CommitmentTarget, Metric
from partenariats.conventions.models import Article, PartySide
from tests.browser.conftest import describe_violations, run_axe, watched_page
from tests.browser.pages import LoginPage
from tests.conftest import PASSWORD
from tests.factories import ActionFactory, ActionTargetFactory, CommitmentFactory, ConventionFactory, PlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def plan(aix):
    convention = ConventionFactory(signed=True, academy=aix, title="Convention du plan")
    partner = convention.parties.get(side=PartySide.PARTNER)
    article = Article.objects.create(convention=convention, number="3", heading="Découverte des métiers")
    commitment = CommitmentFactory(convention=convention, party=partner, article=article, text="Accueillir des 3e")
    CommitmentFactory(convention=convention, party=partner, text="Financer les cars", confidential=True)
    plan = PlanFactory(convention=convention, school_year=2025)
    action = ActionFactory(
        plan=plan,
        number=1,
        title="Visites d’entreprise",
        article=article,
        commitments=[commitment],
        objective="Faire découvrir l’industrie",
        start_wording="1er trimestre 2026",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 3, 31),
        owner_party=partner,
        confidential=True,
    )
    ActionModality.objects.create(action=action, party=partner, text="La fédération ouvre les portes.")
    ActionTargetFactory(action=action, metric=Metric.PUPILS, value=120)
    CommitmentTarget.objects.create(commitment=commitment, school_year=2025, metric=Metric.EVENTS, value=6)
    return plan


def _assert_accessible(page, where: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{where}:\n    {describe_violations(violations)}"


def test_the_plan_pages_pass_axe_and_the_csp(new_context, plan, academy_staff):
    convention_pk, year = plan.convention_id, plan.school_year
    action = plan.actions.get()
    paths = {
        "the list": reverse("activities:plan_list", args=[convention_pk]),
        "the new plan form": reverse("activities:plan_create", args=[convention_pk]),
        "the plan": plan.get_absolute_url(),
        "the action form": reverse("activities:action_update", args=[convention_pk, year, action.pk]),
        "the new action form": reverse("activities:action_create", args=[convention_pk, year]),
        "the targets form": reverse("activities:plan_targets", args=[convention_pk, year]),
        "the deletion page": reverse("activities:action_delete", args=[convention_pk, year, action.pk]),
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
            page.goto(paths["the new action form"])
            page.get_by_label("Date de début", exact=False).fill("2026-03-01")
            page.get_by_label("Date de fin", exact=False).fill("2026-02-01")
            page.get_by_role("button", name="Enregistrer l’action").click()
            assert "La date de fin précède la date de début." in page.content()
            _assert_accessible(page, "the action form with errors")
        context.close()
