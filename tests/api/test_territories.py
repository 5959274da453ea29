import pytest

from partenariats.territories.models import AcademicRegion, Academy
from tests.factories import BasinFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200
    return [item["name"] for item in response.json()["items"]]


def test_it_lists_the_regions_by_name(client, bearer, observer):
    body = client.get("/api/territories/regions", headers=bearer(observer)).json()
    assert body["count"] == AcademicRegion.objects.count()
    listed = [item["name"] for item in body["items"]]
    assert "Provence-Alpes-Côte d'Azur" in listed
    assert listed == sorted(listed, key=str.casefold)


def test_it_lists_the_academies_of_one_region(client, bearer, school_head):
    response = client.get("/api/territories/academies", {"region": "93"}, headers=bearer(school_head))
    assert names(response) == ["Aix-Marseille", "Nice"]
    aix = response.json()["items"][0]
    assert aix["code"] == "02"
    assert aix["region"]["code"] == "93"
    assert aix["holiday_zone"] == "B"
    assert aix["holiday_zone_label"] == "Zone B"


def test_it_lists_every_academy_without_filter(client, bearer, partner_contact):
    body = client.get("/api/territories/academies", {"limit": 100}, headers=bearer(partner_contact)).json()
    assert body["count"] == Academy.objects.count() > 2


def test_it_lists_the_basins_of_one_academy(client, bearer, clee_member, aix, nice):
    BasinFactory(academy=aix, name="Marseille Nord")
    BasinFactory(academy=aix, name="Aubagne")
    BasinFactory(academy=nice, name="Antibes")
    response = client.get("/api/territories/basins", {"academy": "02"}, headers=bearer(clee_member))
    listed = names(response)
    assert "Antibes" not in listed
    assert listed.index("Aubagne") < listed.index("Marseille Nord")
    assert response.json()["items"][0]["academy"] == {"code": "02", "name": "Aix-Marseille"}


def test_it_shows_no_territory_to_a_user_without_role(client, bearer, outsider):
    for path in ("/api/territories/regions", "/api/territories/academies", "/api/territories/basins"):
        assert client.get(path, headers=bearer(outsider)).json() == {"items": [], "count": 0}
