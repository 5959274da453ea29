"""Journey: find a school in the directory without typing its accents, correct its phone
number, and see the change on its page and in its history."""

import pytest

from partenariats.directory.models import Organisation
from tests.browser.pages import LoginPage, OrganisationListPage
from tests.conftest import PASSWORD
from tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_it_finds_edits_and_shows_the_history_of_an_organisation(page, artifacts, academy_staff, aix):
    school = OrganisationFactory(school=True, academy=aix, name="Lycée Les Calanques", phone="04 91 00 00 00")
    OrganisationFactory(company=True, academy=aix, name="Boulangerie du Vieux-Port")

    LoginPage(page, artifacts).open().log_in(academy_staff.email, PASSWORD)

    directory = OrganisationListPage(page, artifacts).open()
    directory.search("lycee calanques")
    directory.screenshot("recherche")
    assert directory.result_names() == ["Lycée Les Calanques"]

    detail = directory.open_result("Lycée Les Calanques")
    detail.screenshot("fiche")
    assert "04 91 00 00 00" in detail.text()

    form = detail.edit()
    form.screenshot("formulaire")
    detail = form.set_field("Téléphone du standard", "04 91 11 22 33").save()
    detail.screenshot("fiche-modifiee")

    assert "a été modifiée" in detail.messages()
    assert "04 91 11 22 33" in detail.text()
    history = detail.history()
    assert "04 91 00 00 00" in history
    assert "04 91 11 22 33" in history
    assert Organisation.objects.get(pk=school.pk).phone == "04 91 11 22 33"
