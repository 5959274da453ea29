"""GET /api/conventions: who sees which convention, filters, pagination and query count."""

import datetime

import pytest
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.conventions.models import Convention, ConventionKind, ConventionStatus, Programme
from partenariats.conventions.services import refresh_terms
from partenariats.terms.dates import add_months
from tests.factories import (
    AssignmentFactory,
    CommitmentFactory,
    ConventionFactory,
    OrganisationFactory,
    PartyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def listed(client, headers, **params) -> list[str]:
    response = client.get("/api/conventions", params, headers=headers)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def federation_staff(company):
    """Staff of an employer federation of which the company of Aix is a member."""
    federation = OrganisationFactory(federation=True, name="Fédération des essais")
    federation.members.add(company)
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.PARTNER_STAFF, academy=None, organisation=federation)
    return user


def test_it_lists_a_convention_with_its_parties_and_cached_terms(client, bearer, academy_staff):
    convention = ConventionFactory(signed=True, title="Convention avec une fédération", reference="CV-2021-04")
    item = client.get("/api/conventions", headers=bearer(academy_staff)).json()["items"][0]
    assert item["id"] == convention.pk
    assert item["reference"] == "CV-2021-04"
    assert (item["kind"], item["kind_label"]) == ("framework", "Convention cadre académique")
    assert item["status"] == convention.status
    assert item["status_label"] == ConventionStatus(convention.status).label
    assert item["period_end"] == convention.period_end.isoformat()
    assert item["notice_deadline"] == convention.notice_deadline.isoformat()
    assert item["academies"] == ["02"]
    rectorat, federation = convention.parties.all()
    assert item["parties"] == [
        {
            "organisation": {"id": rectorat.organisation_id, "name": rectorat.organisation.name},
            "side": "education",
            "side_label": "Éducation nationale",
        },
        {
            "organisation": {"id": federation.organisation_id, "name": federation.organisation.name},
            "side": "partner",
            "side_label": "Partenaire",
        },
    ]
    assert item["version"] == convention.version


def test_it_hides_another_academys_conventions(client, bearer, academy_staff, colleague_elsewhere, nice):
    ConventionFactory(title="Convention de Nice", academy=nice)
    ConventionFactory(title="Convention d’Aix")
    assert listed(client, bearer(academy_staff)) == ["Convention d’Aix"]
    assert listed(client, bearer(colleague_elsewhere)) == ["Convention de Nice"]


def test_it_shows_a_national_convention_to_every_academys_staff(
    client, bearer, academy_staff, observer, school_head, nice
):
    ConventionFactory(title="Convention nationale", kind=ConventionKind.NATIONAL, academy=nice)
    assert listed(client, bearer(academy_staff)) == ["Convention nationale"]
    assert listed(client, bearer(observer)) == ["Convention nationale"]
    assert listed(client, bearer(school_head)) == []


def test_it_shows_a_partner_the_conventions_its_organisation_is_party_to(
    client, bearer, partner_contact, company, nice
):
    mine = ConventionFactory(title="Convention de l’entreprise", academy=nice)
    PartyFactory(convention=mine, organisation=company)
    ConventionFactory(signed=True, title="Convention d’une autre entreprise")
    assert listed(client, bearer(partner_contact)) == ["Convention de l’entreprise"]


def test_it_shows_a_federations_staff_the_conventions_of_its_members(client, bearer, federation_staff, company):
    of_member = ConventionFactory(title="Convention d’un membre")
    PartyFactory(convention=of_member, organisation=company)
    ConventionFactory(signed=True, title="Convention sans membre")
    assert listed(client, bearer(federation_staff)) == ["Convention d’un membre"]


def test_it_shows_nothing_to_a_user_without_role(client, bearer, outsider):
    ConventionFactory(kind=ConventionKind.NATIONAL)
    assert client.get("/api/conventions", headers=bearer(outsider)).json() == {"items": [], "count": 0}


def test_it_leaves_archived_conventions_out(client, bearer, academy_staff):
    ConventionFactory(title="Convention archivée", archived_at=timezone.now())
    assert listed(client, bearer(academy_staff)) == []


def test_it_searches_titles_and_parties_without_accents_or_case(client, bearer, academy_staff):
    ConventionFactory(title="Convention Éducation–Métallurgie")
    with_party = ConventionFactory(title="Convention sans mot-clé")
    PartyFactory(convention=with_party, organisation=OrganisationFactory(name="Boulangerie Pâtissière Durand"))
    ConventionFactory(title="Convention sans rapport")
    refresh_terms(with_party)  # rebuilds the folded search column
    headers = bearer(academy_staff)
    assert listed(client, headers, q="education METALLURGIE") == ["Convention Éducation–Métallurgie"]
    assert listed(client, headers, q="patissiere") == ["Convention sans mot-clé"]


def test_it_filters_by_status_and_kind(client, bearer, academy_staff):
    ConventionFactory(signed=True, title="Signée", kind=ConventionKind.LOCAL)
    ConventionFactory(title="Non signée", kind=ConventionKind.LOCAL)
    ConventionFactory(signed=True, title="Cadre signée")
    headers = bearer(academy_staff)
    # Not signed: no start date, so the terms engine cannot tell.
    assert listed(client, headers, status="unknown") == ["Non signée"]
    assert listed(client, headers, status="active", kind="local") == ["Signée"]
    assert client.get("/api/conventions", {"status": "vivante"}, headers=headers).status_code == 422


def test_it_filters_by_academy_code(client, bearer, colleague_elsewhere, aix, nice):
    shared = ConventionFactory(title="Convention Aix et Nice", academy=nice)
    shared.academies.add(aix)
    ConventionFactory(title="Convention de Nice", academy=nice)
    headers = bearer(colleague_elsewhere)
    assert listed(client, headers, academy="02") == ["Convention Aix et Nice"]
    assert listed(client, headers, academy="23") == ["Convention Aix et Nice", "Convention de Nice"]


def test_it_filters_by_partner(client, bearer, academy_staff, company):
    with_company = ConventionFactory(signed=True, title="Avec l’entreprise")
    PartyFactory(convention=with_company, organisation=company, position=2)
    ConventionFactory(signed=True, title="Sans l’entreprise")
    assert listed(client, bearer(academy_staff), partner=company.pk) == ["Avec l’entreprise"]


def test_it_filters_by_programme_once_per_convention(client, bearer, academy_staff):
    pfmp = Programme.objects.get(code="pfmp")
    convention = ConventionFactory(title="Avec des PFMP")
    for _ in range(2):
        CommitmentFactory(convention=convention).programmes.add(pfmp)
    CommitmentFactory(convention=ConventionFactory(title="Sans PFMP")).programmes.add(
        Programme.objects.get(code="stage-3e")
    )
    response = client.get("/api/conventions", {"programme": "pfmp"}, headers=bearer(academy_staff)).json()
    assert [item["title"] for item in response["items"]] == ["Avec des PFMP"]
    assert response["count"] == 1


def test_it_does_not_reveal_the_programme_of_a_confidential_commitment(
    client, bearer, academy_staff, colleague_elsewhere, nice
):
    national = ConventionFactory(title="Convention nationale", kind=ConventionKind.NATIONAL, academy=nice)
    CommitmentFactory(convention=national, confidential=True).programmes.add(Programme.objects.get(code="pfmp"))
    # Aix reads the national convention but is not party to it; Nice is.
    assert listed(client, bearer(academy_staff), programme="pfmp") == []
    assert listed(client, bearer(colleague_elsewhere), programme="pfmp") == ["Convention nationale"]


def test_it_filters_the_conventions_ending_within_some_months(client, bearer, academy_staff):
    today = timezone.localdate()
    ConventionFactory(title="Sans fin connue")
    for title, end in [
        ("Finit dans deux mois", add_months(today, 2)),
        ("Finit dans un an", add_months(today, 12)),
        ("Déjà finie", today - datetime.timedelta(days=1)),
    ]:
        # The cached end date, as the terms engine would have left it.
        Convention.objects.filter(pk=ConventionFactory(title=title).pk).update(ends_on=end)
    headers = bearer(academy_staff)
    assert listed(client, headers, ending_within_months=3) == ["Finit dans deux mois"]
    assert listed(client, headers, ending_within_months=12) == ["Finit dans deux mois", "Finit dans un an"]
    assert client.get("/api/conventions", {"ending_within_months": -1}, headers=headers).status_code == 422


def test_it_walks_the_list_in_a_stable_order_without_gaps(client, bearer, academy_staff):
    created = [ConventionFactory(title=title) for title in ["beta", "Alpha", "BETA", "alpha", "Gamma", "beta"]]
    headers = bearer(academy_staff)
    ids, offset = [], 0
    while True:
        body = client.get("/api/conventions", {"limit": 2, "offset": offset}, headers=headers).json()
        ids += [item["id"] for item in body["items"]]
        offset += 2
        if offset >= body["count"]:
            break
    assert ids == [c.pk for c in sorted(created, key=lambda c: (c.title.lower(), c.pk))]


@pytest.mark.parametrize("limit", [101, 0])
def test_it_refuses_a_page_size_out_of_bounds(client, bearer, academy_staff, limit):
    response = client.get("/api/conventions", {"limit": limit}, headers=bearer(academy_staff))
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("paramètre › limit : valeur trop")


def test_it_accepts_100_conventions_a_page(client, bearer, academy_staff):
    ConventionFactory()
    assert client.get("/api/conventions", {"limit": 100}, headers=bearer(academy_staff)).status_code == 200


@pytest.mark.parametrize("rows", [3, 15])
def test_it_lists_with_a_constant_number_of_queries(client, bearer, academy_staff, django_assert_num_queries, rows):
    for _ in range(rows):
        ConventionFactory(signed=True)
    headers = bearer(academy_staff)
    # token + its last use + the user's roles + count + page + académies + parties with their organisations
    with django_assert_num_queries(7):
        response = client.get("/api/conventions", headers=headers)
    body = response.json()
    assert body["count"] == rows
    assert all(len(item["parties"]) == 2 for item in body["items"])


def test_it_refuses_a_call_without_token(client):
    response = client.get("/api/conventions")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentification requise")
