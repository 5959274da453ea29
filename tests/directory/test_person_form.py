import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.directory.models import Membership, Person, PersonRole
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("directory:person_create")


def person_data(**overrides) -> dict:
    return {
        "civility": "mme",
        "first_name": "Inès",
        "last_name": "Moreau",
        "email": "ines.moreau@example.invalid",
        "legal_basis": "public_task",
        "data_collected_on": "2026-10-01",
        "data_source": "Réunion du CLEE",
        **overrides,
    }


def test_it_creates_a_contact_held_by_the_creators_academy(client, academy_staff, aix):
    client.force_login(academy_staff)

    response = client.post(CREATE, person_data())

    person = Person.objects.get()
    assert response["Location"] == person.get_absolute_url()
    assert (person.full_name, person.academy) == ("Inès Moreau", aix)
    assert person.history.get().history_user == academy_staff


def test_it_requires_the_legal_basis_and_the_collection_date(client, academy_staff):
    client.force_login(academy_staff)

    response = client.post(CREATE, person_data(legal_basis="", data_collected_on=""))

    html = response.content.decode()
    assert html.count("Ce champ est obligatoire") == 2
    assert 'value="Moreau"' in html
    assert not Person.objects.exists()


def test_it_creates_a_contact_of_an_organisation_with_its_role(client, academy_staff, company):
    client.force_login(academy_staff)

    client.post(
        f"{CREATE}?organisation={company.pk}",
        person_data(role=PersonRole.TUTOR, title="Cheffe de chantier"),
    )

    membership = Membership.objects.get()
    assert (membership.organisation, membership.role, membership.title) == (
        company,
        PersonRole.TUTOR,
        "Cheffe de chantier",
    )


def test_it_lets_a_partner_add_a_contact_to_their_own_organisation_only(client, partner_contact, company, school):
    client.force_login(partner_contact)

    assert client.get(CREATE).status_code == 403
    assert client.get(f"{CREATE}?organisation={school.pk}").status_code == 403
    client.post(f"{CREATE}?organisation={company.pk}", person_data(role=PersonRole.TUTOR))

    person = Person.objects.get()
    assert person.academy is None
    assert client.get(person.get_absolute_url()).status_code == 200


def test_it_refuses_creation_to_an_observer(client, observer):
    client.force_login(observer)

    assert client.post(CREATE, person_data()).status_code == 403
    assert not Person.objects.exists()


def test_it_edits_a_contact(client, academy_staff):
    person = PersonFactory()
    client.force_login(academy_staff)

    response = client.post(reverse("directory:person_update", args=[person.pk]), person_data(phone="04 42 00 00 00"))

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.phone) == ("Moreau", "04 42 00 00 00")


def test_it_refuses_edits_beyond_the_users_role(client, observer, colleague_elsewhere):
    person = PersonFactory()
    url = reverse("directory:person_update", args=[person.pk])

    client.force_login(observer)
    assert client.get(person.get_absolute_url()).status_code == 200
    assert client.post(url, person_data()).status_code == 403
    client.force_login(colleague_elsewhere)
    assert client.post(url, person_data()).status_code == 404

    person.refresh_from_db()
    assert person.last_name != "Moreau"


def test_it_deactivates_and_reactivates_a_contact(client, academy_staff):
    person = PersonFactory()
    client.force_login(academy_staff)

    client.post(reverse("directory:person_deactivate", args=[person.pk]))
    person.refresh_from_db()
    assert not person.is_active

    client.post(reverse("directory:person_reactivate", args=[person.pk]))
    person.refresh_from_db()
    assert person.is_active


def test_it_refuses_a_collection_date_in_the_future(client, academy_staff):
    client.force_login(academy_staff)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(CREATE, person_data(data_collected_on=tomorrow.isoformat()))

    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not Person.objects.exists()
