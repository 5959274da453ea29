import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(aix, company):
    person = PersonFactory(academy=aix, phone="06 00 00 00 01", data_source="Convention 2026-12")
    MembershipFactory(person=person, organisation=company, title="Responsable RH")
    return person


def test_it_shows_contact_details_memberships_and_gdpr_facts(client, academy_staff, contact, company):
    client.force_login(academy_staff)

    html = client.get(contact.get_absolute_url()).content.decode()

    assert contact.email in html
    assert "06 00 00 00 01" in html
    assert company.name in html
    assert "Responsable RH" in html
    assert "Mission d’intérêt public" in html
    assert "01/09/2026" in html
    assert "Convention 2026-12" in html


def test_it_answers_404_to_another_academy(client, colleague_elsewhere, contact):
    client.force_login(colleague_elsewhere)

    assert client.get(contact.get_absolute_url()).status_code == 404


def test_it_shows_a_contact_to_the_organisation_it_works_for(client, partner_contact, contact):
    client.force_login(partner_contact)

    assert client.get(contact.get_absolute_url()).status_code == 200


def test_it_shows_the_history_of_changes(client, academy_staff, contact):
    client.force_login(academy_staff)
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": "nouvelle@example.invalid",
        "legal_basis": contact.legal_basis,
        "data_collected_on": "2026-09-01",
    }
    client.post(reverse("directory:person_update", args=[contact.pk]), data)

    html = client.get(contact.get_absolute_url()).content.decode()

    assert "→ nouvelle@example.invalid" in html
    assert str(academy_staff) in html
