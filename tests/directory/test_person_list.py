import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partenariats.directory.models import PersonRole
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("directory:person_list")


def names(response) -> list[str]:
    return [p.last_name for p in response.context["page_obj"]]


def test_it_searches_names_without_accents(client, academy_staff):
    PersonFactory(first_name="Hélène", last_name="Béranger")
    PersonFactory(last_name="Autre")
    client.force_login(academy_staff)

    assert names(client.get(URL, {"q": "helene beranger"})) == ["Béranger"]


def test_it_lists_only_the_contacts_the_user_may_see(client, colleague_elsewhere, nice):
    PersonFactory(last_name="Aixoise")
    PersonFactory(last_name="Niçoise", academy=nice)
    client.force_login(colleague_elsewhere)

    assert names(client.get(URL)) == ["Niçoise"]


def test_it_filters_by_organisation_role_and_academy(client, platform_admin, nice):
    shipyard = OrganisationFactory(name="Chantiers Navals du Midi")
    MembershipFactory(person=PersonFactory(last_name="Tutrice"), organisation=shipyard, role=PersonRole.TUTOR)
    MembershipFactory(person=PersonFactory(last_name="Signataire"), role=PersonRole.SIGNATORY)
    PersonFactory(last_name="Niçois", academy=nice)
    client.force_login(platform_admin)

    assert names(client.get(URL, {"organisation": "CHANTIERS navals"})) == ["Tutrice"]
    assert names(client.get(URL, {"role": PersonRole.SIGNATORY})) == ["Signataire"]
    assert names(client.get(URL, {"academy": nice.pk})) == ["Niçois"]


def test_it_lists_each_person_once_whatever_their_memberships(client, academy_staff):
    person = PersonFactory()
    MembershipFactory.create_batch(3, person=person)
    client.force_login(academy_staff)

    assert names(client.get(URL)) == [person.last_name]


def test_it_hides_deactivated_people_by_default(client, academy_staff):
    PersonFactory(last_name="Partie", is_active=False)
    client.force_login(academy_staff)

    assert names(client.get(URL)) == []
    assert names(client.get(URL, {"status": "inactive"})) == ["Partie"]


def test_it_exports_the_filtered_people(client, academy_staff, company):
    for person in PersonFactory.create_batch(3, last_name="Exporté"):
        MembershipFactory(person=person, organisation=company, title="Tuteur")
    PersonFactory(last_name="Écarté")
    client.force_login(academy_staff)

    response = client.get(URL, {"q": "exporte", "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4
    assert {row[3] for row in rows[1:]} == {"Exporté"}
    assert all(company.name in row[7] and "Tuteur" in row[7] for row in rows[1:])


def test_its_query_count_does_not_grow_with_the_rows(client, academy_staff, django_assert_num_queries):
    client.force_login(academy_staff)
    for person in PersonFactory.create_batch(5):
        MembershipFactory(person=person)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for person in PersonFactory.create_batch(25):
        MembershipFactory(person=person, role=PersonRole.TUTOR)
        MembershipFactory(person=person, role=PersonRole.SIGNATORY)
    with django_assert_num_queries(len(few)):
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 30


def test_it_offers_creation_to_academy_staff_only(client, academy_staff, observer, school_head):
    for user, may in [(academy_staff, True), (observer, False), (school_head, False)]:
        client.force_login(user)
        assert ("Ajouter une personne" in client.get(URL).content.decode()) is may
