"""The indicators API: the numbers of the pages and of their exports, for the same people."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import token_for
from tests.test_indicators import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def api_get(user, path: str, **params):
    return Client().get(path, params, headers={"Authorization": f"Bearer {token_for(user)}"})


def test_it_gives_the_numbers_of_the_convention_page(client, world, academy_staff):
    api = api_get(academy_staff, f"/api/indicators/conventions/{world.convention.pk}", year="2025").json()
    client.force_login(academy_staff)
    page = client.get(reverse("indicators:convention", args=[world.convention.pk]), {"year": "2025"}).context["report"]

    assert api["school_year_label"] == "2025–2026"
    assert api["summary"]["activities"] == page.summary.activities == 3
    assert api["summary"]["pupil_participations"] == page.summary.pupils == 39
    assert api["summary"]["prepared_and_exploited_rate"] == 33.3
    assert api["coverage"] == {"reached": 2, "total": 2, "rate": 100.0}
    tables = {table["key"]: table for table in api["tables"]}
    assert tables["actions"]["rows"] == page.table("actions").rows
    assert tables["sans-activite"]["flags"] == ["Aucune activité cette année"] * 2


def test_it_gives_the_numbers_of_the_exports(client, world, academy_staff):
    api = api_get(academy_staff, f"/api/indicators/academies/{world.aix.pk}", year="2025-2026").json()
    client.force_login(academy_staff)
    export = client.get(
        reverse("indicators:academy", args=[world.aix.pk]), {"export": "conventions", "format": "csv", "year": "2025"}
    ).content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(export), delimiter=";"))
    table = next(table for table in api["tables"] if table["key"] == "conventions")
    assert rows[0] == table["headers"]
    assert rows[1:] == [[str(cell) for cell in row] for row in table["rows"]]
    assert api["summary"]["activities"] == 3  # the visit counts toward two conventions, once here


def test_it_answers_for_an_organisation_and_a_basin(world, academy_staff):
    company = api_get(academy_staff, f"/api/indicators/organisations/{world.company.pk}", year="2025").json()
    basin = api_get(academy_staff, f"/api/indicators/basins/{world.basin.pk}", year="2025-26").json()

    assert company["summary"]["activities"] == 1
    assert basin["summary"]["pupil_participations"] == 24


def test_it_answers_another_year(world, academy_staff):
    response = api_get(academy_staff, f"/api/indicators/conventions/{world.convention.pk}", year="2024")

    assert response.json()["summary"]["activities"] == 1


def test_it_refuses_an_unreadable_year_in_french(world, academy_staff):
    response = api_get(academy_staff, f"/api/indicators/conventions/{world.convention.pk}", year="hier")

    assert response.status_code == 422
    assert "Année scolaire non reconnue" in response.json()["detail"]


def test_it_hides_what_is_out_of_scope(world, colleague_elsewhere, partner_contact):
    assert api_get(colleague_elsewhere, f"/api/indicators/conventions/{world.convention.pk}").status_code == 404
    assert api_get(colleague_elsewhere, f"/api/indicators/academies/{world.aix.pk}").status_code == 404
    assert api_get(partner_contact, f"/api/indicators/organisations/{world.company.pk}").status_code == 404
    assert api_get(partner_contact, f"/api/indicators/basins/{world.basin.pk}").status_code == 404
