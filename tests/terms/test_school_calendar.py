"""School year starts per zone, and the académie → zone table kept in step with territories."""

import json
from datetime import date
from pathlib import Path

import pytest

from partenariats.terms.school_calendar import (
    LOCAL_RENTREES,
    first_school_year_start_after,
    known_rentrees,
    school_year_start,
)
from partenariats.terms.zones import ACADEMY_ZONES, academy_zone, normalise_zone, zone_in_text

ACADEMIES_JSON = Path(__file__).resolve().parents[2] / "partenariats" / "territories" / "data" / "academies.json"


@pytest.mark.parametrize(
    ("year", "rentree"),
    [(2010, date(2010, 9, 2)), (2021, date(2021, 9, 1)), (2023, date(2023, 9, 4)), (2026, date(2026, 9, 1))],
)
@pytest.mark.parametrize("zone", ["A", "B", "C"])
def test_it_reads_the_official_rentree_of_metropolitan_zones(zone, year, rentree):
    assert school_year_start(year, zone) == (rentree, True)


def test_it_knows_a_metropolitan_year_only_when_its_toussaint_is_published():
    years = known_rentrees("B")

    assert 2027 in years
    assert 2028 not in years  # summer 2028 is in the data, Toussaint 2028 is not
    assert school_year_start(2028, "B") == (date(2028, 9, 1), False)


def test_it_reads_the_sourced_overseas_and_corsican_rentrees():
    assert school_year_start(2024, "reunion") == (date(2024, 8, 19), True)
    assert school_year_start(2024, "mayotte") == (date(2024, 8, 26), True)
    assert school_year_start(2023, "corse") == (date(2023, 9, 5), True)
    assert school_year_start(2024, "corse") == (date(2024, 9, 1), False)


def test_it_keeps_the_sourced_table_plausible():
    for zone, years in LOCAL_RENTREES.items():
        for year, rentree in years.items():
            assert rentree.year == year, zone
            assert date(year, 8, 10) <= rentree <= date(year, 9, 15), (zone, year)


def test_it_takes_the_first_rentree_strictly_after_a_day():
    assert first_school_year_start_after(date(2025, 8, 31), "C") == (date(2025, 9, 1), True)
    assert first_school_year_start_after(date(2025, 9, 1), "C") == (date(2026, 9, 1), True)
    assert first_school_year_start_after(date(2025, 8, 19), "reunion") == (date(2026, 9, 1), False)
    assert first_school_year_start_after(date(2025, 3, 1), None) == (date(2025, 9, 1), False)


def test_it_agrees_with_the_territories_reference_on_every_academie_zone():
    regions = json.loads(ACADEMIES_JSON.read_text(encoding="utf-8"))["regions"]
    reference = {academy["name"]: academy["zone"] for region in regions for academy in region["academies"]}

    assert reference == ACADEMY_ZONES
    assert len(reference) == 30
    for region in regions:
        zones = {academy["zone"] for academy in region["academies"]}
        assert len(zones) == 1
        assert zone_in_text(f"Région académique {region['name']}") == zones.pop()


def test_it_finds_the_zone_in_a_party_name():
    assert zone_in_text("L'État (académie d'Aix-Marseille)") == "B"
    assert zone_in_text("Région académique Occitanie") == "C"
    assert zone_in_text("Rectrice de l'académie de Montpellier") == "C"
    assert zone_in_text("Mouvement des Entreprises de France") is None


def test_it_reads_zone_and_academie_names_loosely():
    assert normalise_zone("zone b") == "B"
    assert normalise_zone("Réunion") == "reunion"
    assert normalise_zone("D") is None
    assert academy_zone("Académie de Créteil") == "C"
    assert academy_zone("ORLEANS-TOURS") == "B"
    assert academy_zone("Atlantide") is None
