import pytest

from partenariats.directory.models import PersonRole
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def listed(client, headers, **params) -> list[str]:
    response = client.get("/api/people", params, headers=headers)
    assert response.status_code == 200, response.content
    return [item["full_name"] for item in response.json()["items"]]


def test_it_shows_a_person_with_their_memberships(client, bearer, academy_staff, company, school):
    person = PersonFactory(first_name="Jeanne", last_name="Martin", civility="mme")
    MembershipFactory(person=person, organisation=company, role=PersonRole.TUTOR, title="Responsable RH")
    MembershipFactory(person=person, organisation=school, role=PersonRole.VOLUNTEER)
    response = client.get(f"/api/people/{person.pk}", headers=bearer(academy_staff))
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Jeanne Martin"
    assert body["academy"] == {"code": "02", "name": "Aix-Marseille"}
    assert body["legal_basis_label"] == "Mission d’intérêt public"
    assert body["data_collected_on"] == "2026-09-01"
    memberships = {m["organisation"]["name"]: m for m in body["memberships"]}
    assert memberships[company.name]["role"] == "tutor"
    assert memberships[company.name]["role_label"] == "Tuteur·rice"
    assert memberships[company.name]["title"] == "Responsable RH"
    assert memberships[school.name]["organisation"]["id"] == school.pk


def test_it_hides_another_academys_contact(client, bearer, colleague_elsewhere, company):
    person = MembershipFactory(organisation=company, person__last_name="Marseillais").person
    response = client.get(f"/api/people/{person.pk}", headers=bearer(colleague_elsewhere))
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Introuvable")
    assert listed(client, bearer(colleague_elsewhere)) == []


def test_it_shows_a_partner_the_people_of_their_company_only(client, bearer, partner_contact, company):
    colleague = MembershipFactory(organisation=company, person__last_name="Collègue").person
    stranger = MembershipFactory(organisation=OrganisationFactory(), person__last_name="Étranger").person
    headers = bearer(partner_contact)
    assert listed(client, headers) == [colleague.full_name]
    assert client.get(f"/api/people/{colleague.pk}", headers=headers).status_code == 200
    assert client.get(f"/api/people/{stranger.pk}", headers=headers).status_code == 404


def test_it_shows_no_one_to_a_user_without_role(client, bearer, outsider):
    person = PersonFactory()
    headers = bearer(outsider)
    assert client.get("/api/people", headers=headers).json() == {"items": [], "count": 0}
    assert client.get(f"/api/people/{person.pk}", headers=headers).status_code == 404


def test_it_lists_by_last_name_then_first_name(client, bearer, academy_staff):
    PersonFactory(first_name="Zoé", last_name="Durand")
    PersonFactory(first_name="Adèle", last_name="durand")
    PersonFactory(first_name="Marc", last_name="Bernard")
    assert listed(client, bearer(academy_staff)) == ["Marc Bernard", "Adèle durand", "Zoé Durand"]


def test_it_searches_without_accents_or_case(client, bearer, academy_staff):
    PersonFactory(first_name="Hélène", last_name="Lefèvre")
    PersonFactory(first_name="Paul", last_name="Martin")
    assert listed(client, bearer(academy_staff), q="HELENE lefevre") == ["Hélène Lefèvre"]


def test_it_filters_by_organisation_once_per_person(client, bearer, academy_staff, company, school):
    worker = PersonFactory(last_name="Employée")
    MembershipFactory(person=worker, organisation=company, role=PersonRole.TUTOR)
    MembershipFactory(person=worker, organisation=company, role=PersonRole.SIGNATORY)
    MembershipFactory(organisation=school, person__last_name="Enseignant")
    assert listed(client, bearer(academy_staff), organisation=company.pk) == [worker.full_name]


def test_it_filters_by_role(client, bearer, academy_staff, company):
    tutor = MembershipFactory(organisation=company, role=PersonRole.TUTOR).person
    MembershipFactory(organisation=company, role=PersonRole.SIGNATORY)
    assert listed(client, bearer(academy_staff), role="tutor") == [tutor.full_name]
    assert client.get("/api/people", {"role": "astronaut"}, headers=bearer(academy_staff)).status_code == 422


def test_it_matches_role_and_organisation_on_the_same_membership(client, bearer, academy_staff, company, school):
    # A tutor elsewhere who only signs for this company is not this company's tutor.
    person = PersonFactory()
    MembershipFactory(person=person, organisation=school, role=PersonRole.TUTOR)
    MembershipFactory(person=person, organisation=company, role=PersonRole.SIGNATORY)
    headers = bearer(academy_staff)
    assert listed(client, headers, organisation=company.pk, role="tutor") == []
    assert listed(client, headers, organisation=company.pk, role="signatory") == [person.full_name]


@pytest.mark.parametrize("rows", [5, 30])
def test_it_lists_with_a_constant_number_of_queries(
    client, bearer, academy_staff, company, django_assert_num_queries, rows
):
    for person in PersonFactory.create_batch(rows):
        MembershipFactory(person=person, organisation=company)
    headers = bearer(academy_staff)
    with django_assert_num_queries(5):
        response = client.get("/api/people", {"organisation": company.pk}, headers=headers)
    assert response.json()["count"] == rows


@pytest.mark.parametrize("memberships", [1, 10])
def test_it_shows_a_person_with_a_constant_number_of_queries(
    client, bearer, academy_staff, django_assert_num_queries, memberships
):
    person = PersonFactory()
    for organisation in OrganisationFactory.create_batch(memberships):
        MembershipFactory(person=person, organisation=organisation)
    headers = bearer(academy_staff)
    with django_assert_num_queries(5):
        response = client.get(f"/api/people/{person.pk}", headers=headers)
    assert len(response.json()["memberships"]) == memberships
