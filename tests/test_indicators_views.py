"""The indicator pages: who sees them, what they show, their exports, and their query counts."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partenariats.accounts.models import Role
from partenariats.core.school_year import SchoolYear
from partenariats.indicators.reports import ROWS_SHOWN, Table, convention_report
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    ContributionFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.test_indicators import World

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)  # in 2025–2026


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def world():
    return World()


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def convention_url(world) -> str:
    return reverse("indicators:convention", args=[world.convention.pk])


def test_it_shows_a_convention_indicators_with_charts_and_tables(client, world, academy_staff):
    response = get(client, academy_staff, convention_url(world))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Indicateurs – Convention Alpha" in html
    assert "Année scolaire 2025–2026" in html
    assert "Il s’agit de participations : un élève venu à deux activités compte deux fois." in html
    assert "Aucune activité cette année" in html
    assert "Mobiliser les professeurs" in html
    assert "2 engagements sans activité cette année" in html
    # Each chart is inline SVG with its text alternative, and its table is on the page.
    assert 'role="img"' in html
    assert 'aria-label="Cibles et réalisé par action"' in html
    assert "<caption>Cibles et réalisé par action, année scolaire 2025–2026</caption>" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_it_inlines_charts_that_parse_and_carry_no_style(client, world, academy_staff):
    html = get(client, academy_staff, convention_url(world)).content.decode()

    charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    assert len(charts) >= 3
    for chart in charts:
        root = ET.fromstring(chart)  # noqa: S314 (the page we just rendered)
        assert root.get("role") == "img"
        assert not any(element.get("style") for element in root.iter())


def test_it_shows_another_school_year_on_request(client, world, academy_staff):
    response = get(client, academy_staff, convention_url(world), year="2024-2025")

    assert response.context["report"].summary.activities == 1
    assert "Année scolaire 2024–2025" in response.content.decode()


def test_it_says_when_the_year_is_not_understood(client, world, academy_staff):
    response = get(client, academy_staff, convention_url(world), year="l’an dernier")

    assert "Année scolaire non reconnue" in response.content.decode()
    assert response.context["report"].year == SchoolYear(2025)


def test_it_exports_a_table_with_the_numbers_of_the_page(client, world, academy_staff):
    response = get(client, academy_staff, convention_url(world), export="actions", format="csv", year="2025")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["N°", "Action", "Indicateur", "Cible", "Réalisé", "Taux de réalisation (%)"]
    page = convention_report(world.convention, academy_staff, SchoolYear(2025)).table("actions")
    assert rows[1:] == [["" if cell is None else str(cell) for cell in row] for row in page.rows]
    assert ["1", "Visites", "Participations d’élèves", "100", "34", "34.0"] in rows


def test_it_exports_as_a_spreadsheet(client, world, academy_staff):
    response = get(client, academy_staff, convention_url(world), export="synthese", format="xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert values["Activités réalisées"] == 3
    assert values["Participations d’élèves"] == 39


def test_it_refuses_an_unknown_table(client, world, academy_staff):
    assert get(client, academy_staff, convention_url(world), export="inconnu").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("academy_staff", 200),
        ("observer", 200),
        ("clee_member", 200),
        ("platform_admin", 200),
        ("colleague_elsewhere", 404),
        ("partner_contact", 404),
        ("school_head", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_a_convention_indicators_to_its_readers_only(client, world, persona, status, request):
    assert get(client, request.getfixturevalue(persona), convention_url(world)).status_code == status


def test_it_shows_an_organisation_indicators_to_its_staff_and_its_academie(client, world, request):
    url = reverse("indicators:organisation", args=[world.company.pk])
    staff = UserFactory()
    AssignmentFactory(user=staff, role=Role.PARTNER_STAFF, academy=None, organisation=world.company)

    assert get(client, staff, url).status_code == 200
    assert get(client, request.getfixturevalue("academy_staff"), url).status_code == 200
    for persona in ("colleague_elsewhere", "partner_contact", "school_head", "outsider"):
        assert get(client, request.getfixturevalue(persona), url).status_code == 404, persona


def test_it_shows_a_school_what_its_pupils_took_part_in(client, world):
    head = UserFactory()
    AssignmentFactory(user=head, role=Role.SCHOOL_STAFF, academy=None, organisation=world.rep_school)

    response = get(client, head, reverse("indicators:organisation", args=[world.rep_school.pk]))

    assert response.context["report"].summary.pupils == 29
    assert "Activités par convention" in response.content.decode()


def test_it_shows_an_academy_to_its_academy_side_only(client, world, request):
    url = reverse("indicators:academy", args=[world.aix.pk])

    response = get(client, request.getfixturevalue("academy_staff"), url)
    assert response.status_code == 200
    assert "Conventions les plus actives" in response.content.decode()
    assert get(client, request.getfixturevalue("clee_member"), url).status_code == 200
    assert get(client, request.getfixturevalue("colleague_elsewhere"), url).status_code == 404
    assert get(client, request.getfixturevalue("partner_contact"), url).status_code == 404


def test_it_shows_a_basin_to_its_clee(client, world, clee_member, colleague_elsewhere):
    basin = clee_member.assignments.get().basin

    assert get(client, clee_member, reverse("indicators:basin", args=[basin.pk])).status_code == 200
    assert get(client, colleague_elsewhere, reverse("indicators:basin", args=[basin.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("academy_staff", "academy"),
        ("observer", "academy"),
        ("clee_member", "basin"),
        ("school_head", "organisation"),
        ("partner_contact", "organisation"),
    ],
)
def test_it_sends_each_user_to_their_own_indicators(client, persona, target, request, aix):
    user = request.getfixturevalue(persona)
    assignment = user.assignments.get()
    pk = {"academy": aix.pk, "basin": assignment.basin_id, "organisation": assignment.organisation_id}[target]

    response = get(client, user, reverse("indicators:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(f"indicators:{target}", args=[pk])


def test_it_refuses_indicators_to_a_user_without_a_role(client, outsider):
    assert get(client, outsider, reverse("indicators:home")).status_code == 403


def test_it_lets_platform_admins_choose_an_academy(client, platform_admin, aix):
    response = get(client, platform_admin, reverse("indicators:home"))

    assert response.status_code == 200
    assert reverse("indicators:academy", args=[aix.pk]) in response.content.decode()


# --- Query counts ---------------------------------------------------------------------------


def add_activities(world, count: int) -> None:
    """``count`` more counted activities, each with a group, an organisation and two contributions."""
    for n in range(count):
        company = OrganisationFactory(company=True, academy=world.aix)
        activity = ActivityFactory(
            pupils=n + 1, groups__school=world.rep_school, organisations=[company], basin=world.basin
        )
        ContributionFactory(activity=activity, convention=world.convention, action=world.action)
        ContributionFactory(activity=activity, convention=world.second, commitment=None)


def queries_for(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["convention", "organisation", "academy", "basin"])
def test_it_keeps_a_constant_query_count_as_activities_grow(client, world, academy_staff, page):
    url = {
        "convention": reverse("indicators:convention", args=[world.convention.pk]),
        "organisation": reverse("indicators:organisation", args=[world.rep_school.pk]),
        "academy": reverse("indicators:academy", args=[world.aix.pk]),
        "basin": reverse("indicators:basin", args=[world.basin.pk]),
    }[page]
    add_activities(world, 2)
    small = queries_for(client, academy_staff, url)
    add_activities(world, 20)
    large = queries_for(client, academy_staff, url)

    assert large == small
    assert small <= 25


def test_a_long_table_shows_its_first_rows_and_says_where_the_others_are():
    rows = [[f"Convention {n:03}", "Partie", "", f"Engagement {n:03}"] for n in range(ROWS_SHOWN + 5)]
    table = Table("sans-activite", "Engagements sans activité cette année", ["C", "P", "A", "E"], rows)
    html = render_to_string("indicators/_table.html", {"table": table, "year": SchoolYear(2025)})
    assert html.count("<tr>") == ROWS_SHOWN + 1  # and the header's
    assert f"Engagement {ROWS_SHOWN - 1:03}" in html
    assert f"Engagement {ROWS_SHOWN:03}" not in html
    assert f"Les {ROWS_SHOWN} premières lignes sont affichées ; 5 autres figurent dans les exports" in html
    short = Table("t", "Court", ["C"], [["a"], ["b"]])
    assert "premières lignes" not in render_to_string(
        "indicators/_table.html", {"table": short, "year": SchoolYear(2025)}
    )
    assert len(table.rows) == ROWS_SHOWN + 5  # the exports and the API read them all
