"""The five seed conventions' truth files through the engine, on dates that matter."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from partenariats.terms import compute

TRUTH_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "truth"


def truth(prefix: str) -> dict:
    files = sorted(TRUTH_DIR.glob(f"{prefix}_*.truth.json"))
    if not files:
        pytest.skip(f"seed truth {prefix} absent ({TRUTH_DIR})")
    return json.loads(files[0].read_text(encoding="utf-8"))


def test_it_places_004_in_its_third_tacit_period():
    result = compute(truth("004"), date(2025, 6, 1))

    assert result["status"] == "active"
    assert (result["period_start"], result["period_end"]) == ("2025-03-18", "2027-03-17")
    # Notice takes effect at the next rentrée: it can be given at any time, no deadline.
    assert result["notice_deadline"] is None
    assert result["effective_end"] is None
    renewals = [entry for entry in result["timeline"] if entry["kind"] == "renewal"]
    assert [entry["date"] for entry in renewals] == ["2023-03-18", "2025-03-18", "2027-03-18", "2029-03-18"]


def test_it_ends_004_the_day_before_the_next_rentree_not_three_months_after_notice():
    data = truth("004")  # Région académique Occitanie: académies of Montpellier and Toulouse, zone C
    data["events"] = [{"kind": "notice_given", "date": "2025-11-10", "by": "MEDEF Occitanie"}]

    result = compute(data, date(2025, 12, 1))

    assert result["status"] == "under_notice"
    assert result["effective_end"] == "2026-08-31"  # zone C rentrée: Tuesday 1 September 2026
    assert any("zone C" in sentence for sentence in result["assumptions"])
    assert compute(data, date(2026, 8, 31))["status"] == "under_notice"
    assert compute(data, date(2026, 9, 1))["status"] == "terminated"


def test_it_lists_004_obligations_while_in_force():
    data = truth("004")
    data["obligations"] = {"contact_exchange_month": 9}
    data["events"] = [{"kind": "notice_given", "date": "2025-11-10"}]

    timeline = compute(data, date(2025, 12, 1))["timeline"]

    exchanges = [entry["date"] for entry in timeline if entry["kind"] == "contact_exchange"]
    committees = [entry["date"] for entry in timeline if entry["kind"] == "steering_committee"]
    assert exchanges == ["2021-09-01", "2022-09-01", "2023-09-01", "2024-09-01", "2025-09-01"]
    assert committees == ["2022-03-18", "2023-03-18", "2024-03-18", "2025-03-18", "2026-03-18"]


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_it_cannot_date_an_undated_convention(prefix):
    result = compute(truth(prefix), date(2025, 6, 1))

    assert result["status"] == "unknown"
    assert result["period_start"] is result["period_end"] is result["effective_end"] is None
    assert any("signature" in sentence for sentence in result["assumptions"])


def test_it_dates_000_once_its_signature_date_is_known():
    data = truth("000")
    data["signature_date"] = "2019-06-12"

    assert compute(data, date(2024, 6, 11))["status"] == "active"
    assert compute(data, date(2024, 6, 11))["period_end"] == "2024-06-11"
    assert compute(data, date(2024, 6, 12))["status"] == "expired"


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (date(2010, 5, 16), "draft"),
        (date(2010, 5, 17), "active"),
        (date(2013, 5, 16), "active"),
        (date(2013, 5, 17), "expired"),
    ],
)
def test_it_lets_002_expire_without_a_renegotiation(on, status):
    assert compute(truth("002"), on)["status"] == status


def test_it_keeps_002_applicable_six_months_during_a_renegotiation():
    data = truth("002")
    data["events"] = [{"kind": "renegotiation_opened", "date": "2013-03-01"}]

    during = compute(data, date(2013, 8, 1))

    assert during["status"] == "provisional_continuation"
    assert (during["period_start"], during["period_end"]) == ("2010-05-17", "2013-05-16")
    assert during["provisional_until"] == "2013-11-16"
    assert compute(data, date(2013, 4, 1))["provisional_until"] == "2013-11-16"
    assert compute(data, date(2013, 11, 17))["status"] == "expired"


def test_it_ends_002_provisional_continuation_at_its_renewal():
    data = truth("002")
    data["events"] = [
        {"kind": "renegotiation_opened", "date": "2013-03-01"},
        {"kind": "renewed", "date": "2013-09-20"},
    ]

    assert compute(data, date(2013, 9, 19))["provisional_until"] == "2013-09-19"
    renewed = compute(data, date(2013, 10, 1))
    assert renewed["status"] == "active"
    assert (renewed["period_start"], renewed["period_end"]) == ("2013-09-20", "2016-09-19")


def test_it_starts_003_at_its_month_precision_last_signature():
    data = truth("003")

    assert compute(data, date(2018, 1, 21))["status"] == "draft"
    assert compute(data, date(2018, 3, 1))["status"] == "awaiting_signatures"
    active = compute(data, date(2019, 1, 1))
    assert active["status"] == "active"
    assert (active["period_start"], active["period_end"]) == ("2018-05-01", "2021-04-30")
    assert any("2018-05" in sentence and "1er mai 2018" in sentence for sentence in active["assumptions"])
    assert compute(data, date(2021, 5, 1))["status"] == "expired"


def test_it_ends_003_three_months_after_a_notice():
    data = copy.deepcopy(truth("003"))
    data["events"] = [{"kind": "notice_given", "date": "2019-02-15"}]

    result = compute(data, date(2019, 3, 1))

    assert result["status"] == "under_notice"
    assert result["effective_end"] == "2019-05-14"
    assert compute(data, date(2019, 5, 15))["status"] == "terminated"
