import datetime

import pytest

from partenariats.directory.models import OrganisationKind, PriorityEducation
from tests.factories import BasinFactory, MembershipFactory, NoteFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def listed(client, headers, **params) -> list[str]:
    response = client.get("/api/organisations", params, headers=headers)
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_it_shows_an_organisation_identity_to_every_role(client, bearer, school, clee_member):
    response = client.get(f"/api/organisations/{school.pk}", headers=bearer(clee_member))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == school.name
    assert body["kind"] == "school"
    assert body["kind_label"] == "Établissement scolaire"
    assert body["uai"] == school.uai
    assert body["school_type_label"] == "Collège"
    assert body["academy"] == {"code": "02", "name": "Aix-Marseille"}
    # ISO 8601, to the millisecond
    assert abs(datetime.datetime.fromisoformat(body["created_at"]) - school.created_at) < datetime.timedelta(
        milliseconds=1
    )


def test_it_gives_neither_contacts_nor_notes(client, bearer, school, academy_staff):
    MembershipFactory(organisation=school, person__last_name="Secret")
    NoteFactory(organisation=school, text="Note confidentielle")
    response = client.get(f"/api/organisations/{school.pk}", headers=bearer(academy_staff))
    assert "Secret" not in response.content.decode()
    assert "confidentielle" not in response.content.decode()
    assert not {"memberships", "notes", "members", "search_text"} & set(response.json())


def test_it_shows_another_academys_organisation_too(client, bearer, colleague_elsewhere, company):
    assert client.get(f"/api/organisations/{company.pk}", headers=bearer(colleague_elsewhere)).status_code == 200
    assert company.name in listed(client, bearer(colleague_elsewhere))


def test_it_shows_nothing_to_a_user_without_role(client, bearer, outsider, company):
    response = client.get(f"/api/organisations/{company.pk}", headers=bearer(outsider))
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Introuvable")
    assert client.get("/api/organisations", headers=bearer(outsider)).json() == {"items": [], "count": 0}


def test_it_answers_404_for_an_unknown_organisation(client, bearer, academy_staff):
    assert client.get("/api/organisations/999999", headers=bearer(academy_staff)).status_code == 404


def test_it_searches_without_accents_or_case(client, bearer, academy_staff):
    OrganisationFactory(name="Lycée Émile Zola")
    OrganisationFactory(name="Boulangerie Durand")
    assert listed(client, bearer(academy_staff), q="EMILE zola") == ["Lycée Émile Zola"]


def test_it_filters_by_kind(client, bearer, academy_staff, school, company):
    assert listed(client, bearer(academy_staff), kind="school") == [school.name]
    response = client.get("/api/organisations", {"kind": "spaceship"}, headers=bearer(academy_staff))
    assert response.status_code == 422


def test_it_filters_by_academy_code(client, bearer, academy_staff, nice):
    OrganisationFactory(name="Entreprise de Marseille")
    OrganisationFactory(name="Entreprise de Nice", academy=nice)
    assert listed(client, bearer(academy_staff), academy="23") == ["Entreprise de Nice"]


def test_it_finds_a_school_by_uai_whatever_its_case(client, bearer, academy_staff, school):
    OrganisationFactory(school=True)
    assert listed(client, bearer(academy_staff), uai=school.uai.lower()) == [school.name]


def test_it_finds_a_company_by_siret_written_with_spaces(client, bearer, academy_staff, company):
    OrganisationFactory(company=True)
    spaced = f"{company.siret[:3]} {company.siret[3:6]} {company.siret[6:9]} {company.siret[9:]}"
    assert listed(client, bearer(academy_staff), siret=spaced) == [company.name]


def test_it_filters_by_priority_education(client, bearer, academy_staff):
    OrganisationFactory(school=True, name="Collège REP", priority_education=PriorityEducation.REP)
    OrganisationFactory(school=True, name="Collège REP+", priority_education=PriorityEducation.REP_PLUS)
    OrganisationFactory(school=True, name="Collège ordinaire")
    headers = bearer(academy_staff)
    assert listed(client, headers, priority_education="rep") == ["Collège REP"]
    assert listed(client, headers, priority_education="rep_plus") == ["Collège REP+"]
    assert listed(client, headers, priority_education="none", kind=OrganisationKind.SCHOOL) == ["Collège ordinaire"]


def test_it_lists_active_organisations_unless_asked_for_deactivated_ones(client, bearer, academy_staff):
    OrganisationFactory(name="Entreprise ouverte")
    OrganisationFactory(name="Entreprise fermée", is_active=False, deactivated_on=datetime.date(2026, 6, 30))
    headers = bearer(academy_staff)
    assert listed(client, headers) == ["Entreprise ouverte"]
    assert listed(client, headers, active="true") == ["Entreprise ouverte"]
    assert listed(client, headers, active="false") == ["Entreprise fermée"]
    closed = client.get("/api/organisations", {"active": "false"}, headers=headers).json()["items"][0]
    assert closed["deactivated_on"] == "2026-06-30"


def test_it_combines_filters(client, bearer, academy_staff, nice):
    OrganisationFactory(school=True, name="Collège Rostand", academy=nice)
    OrganisationFactory(school=True, name="Collège Rostand")
    OrganisationFactory(company=True, name="Rostand SARL", academy=nice)
    assert listed(client, bearer(academy_staff), q="rostand", kind="school", academy="23") == ["Collège Rostand"]


@pytest.mark.parametrize("rows", [5, 30])
def test_it_lists_with_a_constant_number_of_queries(client, bearer, academy_staff, django_assert_num_queries, rows):
    basin = BasinFactory()
    OrganisationFactory.create_batch(rows, basin=basin)
    headers = bearer(academy_staff)
    # token + its last use + the user's roles + count + page, whatever the number of rows
    with django_assert_num_queries(5):
        response = client.get("/api/organisations", headers=headers)
    assert response.json()["count"] == rows
