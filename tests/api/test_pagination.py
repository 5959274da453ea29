import pytest

from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def walk(client, headers, path, limit) -> list[int]:
    """Every id of a list, read page by page."""
    ids, offset = [], 0
    while True:
        body = client.get(path, {"limit": limit, "offset": offset}, headers=headers).json()
        ids += [item["id"] for item in body["items"]]
        offset += limit
        if offset >= body["count"]:
            return ids


def test_it_gives_50_items_by_default_and_the_total_count(client, bearer, academy_staff):
    OrganisationFactory.create_batch(55)
    body = client.get("/api/organisations", headers=bearer(academy_staff)).json()
    assert len(body["items"]) == 50
    assert body["count"] == 55


def test_it_accepts_100_items_a_page(client, bearer, academy_staff):
    OrganisationFactory.create_batch(3)
    response = client.get("/api/organisations", {"limit": 100}, headers=bearer(academy_staff))
    assert response.status_code == 200


@pytest.mark.parametrize("limit", [101, 1000, 0, -1])
def test_it_refuses_a_page_size_out_of_bounds(client, bearer, academy_staff, limit):
    response = client.get("/api/people", {"limit": limit}, headers=bearer(academy_staff))
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("paramètre › limit : valeur trop")


def test_it_walks_organisations_in_a_stable_order_without_gaps(client, bearer, academy_staff):
    # Names alike but for case, so that only the primary key decides between them.
    created = [OrganisationFactory(name=name) for name in ["beta", "Alpha", "BETA", "alpha", "Gamma", "beta", "Alpha"]]
    ids = walk(client, bearer(academy_staff), "/api/organisations", limit=2)
    expected = sorted(created, key=lambda org: (org.name.lower(), org.pk))
    assert ids == [org.pk for org in expected]


def test_it_walks_people_in_a_stable_order_without_gaps(client, bearer, academy_staff):
    created = [
        PersonFactory(last_name=last, first_name=first)
        for last, first in [("Roux", "Léa"), ("roux", "léa"), ("Blanc", "Marc"), ("Roux", "Anne"), ("Roux", "Léa")]
    ]
    ids = walk(client, bearer(academy_staff), "/api/people", limit=2)
    expected = sorted(created, key=lambda p: (p.last_name.lower(), p.first_name.lower(), p.pk))
    assert ids == [p.pk for p in expected]
    assert len(set(ids)) == len(created)
