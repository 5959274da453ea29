"""The volunteer's pages behind a recording link, in a browser: axe-core finds nothing on the
form (empty and with errors), the thank-you page and the "already used" page, and a context
that enforces the CSP reports no violation while the volunteer fills the form in."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partenariats.activities.links import create_link, link_url
from partenariats.activities.models import RecordingLink
from partenariats.conventions.models import PartySide
from tests.browser.conftest import describe_violations, run_axe, watched_page
from tests.factories import ConventionFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def convention(aix):
    return ConventionFactory(signed=True, academy=aix, title="Convention de l’atelier")


@pytest.fixture
def link_path(aix, convention):
    company = OrganisationFactory(company=True, academy=aix, name="Ateliers du Vieux-Port")
    convention.parties.get(side=PartySide.PARTNER).organisation.members.add(company)
    OrganisationFactory(school=True, academy=aix, name="Collège Jean Moulin", city="Marseille")
    link = create_link(
        convention=convention,
        organisation=company,
        email="benevole@example.invalid",
        by_user=UserFactory(first_name="Claire", last_name="Coordinatrice"),
        message="Merci d’avance !",
    )
    return link_url(link).split("8000", 1)[1]


def assert_accessible(page, where: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{where}:\n    {describe_violations(violations)}"


def test_the_volunteer_pages_pass_axe(new_context, link_path):
    page = watched_page(new_context(bypass_csp=True))

    page.goto(link_path)
    assert_accessible(page, "the form")

    page.get_by_label("Date de l’activité").fill("2099-01-01")
    page.get_by_role("button", name="Enregistrer l’activité").click()
    assert "La date ne peut pas être dans le futur" in page.content()
    assert_accessible(page, "the form with errors")

    page.get_by_label("Date de l’activité").fill(timezone.localdate().isoformat())
    page.get_by_label("Type d’activité").select_option(label="Visite d’entreprise")
    page.get_by_label("Intitulé").fill("Visite de l’atelier")
    page.get_by_label("Établissement (Optionnel)").fill("college jean moulin")
    page.get_by_label("Nombre d’élèves").fill("24")
    page.get_by_role("button", name="Enregistrer l’activité").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Merci, votre activité est enregistrée"
    assert_accessible(page, "the thank-you page")

    page.goto(link_path)
    assert page.get_by_role("heading", level=1).inner_text() == "Ce lien a déjà servi"
    assert_accessible(page, "the used-link page")


def test_the_form_breaks_no_content_security_policy(new_context, link_path):
    page = watched_page(new_context())
    page.goto(link_path)
    page.get_by_label("Intitulé").fill("Visite")
    page.get_by_role("button", name="Enregistrer l’activité").click()
    page.watcher.assert_clean("the volunteer's form")


def test_the_coordinators_page_passes_axe(new_context, live_server, link_path, convention, academy_staff):
    RecordingLink.objects.create(
        convention=convention,
        organisation=RecordingLink.objects.get().organisation,
        email="ancien@example.invalid",
        guest=UserFactory(),
        expires_at=timezone.now() - timedelta(days=1),
    )
    client = Client()
    client.force_login(academy_staff)
    context = new_context(bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = watched_page(context)

    page.goto(reverse("activities:link_list", args=[convention.pk]))
    assert_accessible(page, "the links page")

    page.get_by_label("Durée de validité (jours)").fill("90")
    page.get_by_role("button", name="Envoyer le lien").click()
    assert "Un lien vaut au plus 60 jours." in page.content()
    assert_accessible(page, "the links page with errors")
