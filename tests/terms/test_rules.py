"""Each rule of the terms engine's docstring, one behaviour per test."""

from datetime import date

import pytest

from partenariats.terms import TIMELINE_KINDS, TermsInputError, compute


def convention(signed: str | None = "2021-03-18", events=None, **terms) -> dict:
    data = {
        "signature_date": signed,
        "terms": {"start": "signature", "duration_months": 24, "tacit_renewal": False, **terms},
        "zone": "C",
    }
    if events is not None:
        data["events"] = events
    return data


def kinds(result: dict, kind: str) -> list[str]:
    return [entry["date"] for entry in result["timeline"] if entry["kind"] == kind]


# Rule 2: periods ------------------------------------------------------------------------


def test_it_clamps_a_leap_day_start_and_starts_the_next_period_the_day_after():
    data = convention("2020-02-29", duration_months=12, tacit_renewal=True, renewal_months=12)

    first = compute(data, date(2020, 6, 1))
    second = compute(data, date(2021, 3, 1))

    assert (first["period_start"], first["period_end"]) == ("2020-02-29", "2021-02-27")
    assert (second["period_start"], second["period_end"]) == ("2021-02-28", "2022-02-27")


def test_it_ends_a_one_month_period_started_on_the_31st_before_february_ends():
    result = compute(convention("2021-01-31", duration_months=1), date(2021, 2, 1))

    assert result["period_end"] == "2021-02-27"
    assert compute(convention("2021-01-31", duration_months=1), date(2021, 2, 28))["status"] == "expired"


# Rule 3: the start ----------------------------------------------------------------------


def test_it_counts_a_fixed_start_rather_than_the_signature():
    data = convention("2021-06-10", start="2021-09-01")

    assert compute(data, date(2021, 7, 1))["status"] == "signed_not_started"
    assert compute(data, date(2021, 9, 1))["period_end"] == "2023-08-31"


def test_it_prefers_signature_date_to_the_signatures():
    data = convention("2021-03-18")
    data["signatures"] = [{"name": "A", "date": "2021-01-04"}, {"name": "B", "date": "2021-02-01"}]

    assert compute(data, date(2021, 3, 1))["status"] == "awaiting_signatures"
    assert compute(data, date(2021, 3, 18))["period_start"] == "2021-03-18"


def test_it_takes_the_latest_legible_signature_and_says_some_were_blank():
    data = convention(None)
    data["signatures"] = [
        {"name": "A", "date": "2021-01-04"},
        {"name": "B", "date": None, "raw": "22 Marvier 2021"},
        {"name": "C", "date": "2021-02-01"},
    ]

    result = compute(data, date(2021, 6, 1))

    assert result["period_start"] == "2021-02-01"
    assert any("1 signature(s) sans date lisible" in sentence for sentence in result["assumptions"])
    assert kinds(result, "signature") == ["2021-01-04", "2021-02-01"]


def test_it_gives_unknown_with_null_dates_when_nothing_dates_the_start():
    result = compute({"terms": {"start": "signature", "duration_months": 60}}, date(2025, 1, 1))

    assert result["status"] == "unknown"
    assert result["status_label"]
    assert all(result[key] is None for key in ("period_start", "period_end", "notice_deadline", "effective_end"))
    assert result["assumptions"]


# Rule 4: term, renewal ------------------------------------------------------------------


def test_it_keeps_an_indefinite_convention_open_ended():
    result = compute(convention("2001-01-01", duration_months=None, indefinite=True), date(2030, 1, 1))

    assert result["status"] == "active"
    assert result["period_end"] is None
    assert not any("Durée non précisée" in sentence for sentence in result["assumptions"])


def test_it_reads_a_missing_duration_as_indefinite_and_says_so():
    result = compute(convention("2001-01-01", duration_months=None), date(2030, 1, 1))

    assert result["period_end"] is None
    assert any("Durée non précisée" in sentence for sentence in result["assumptions"])


def test_it_ends_a_convention_with_no_duration_on_its_fixed_end_date():
    data = convention(
        "2021-03-18", duration_months=None, termination_effect="fixed_date", termination_date="2023-08-31"
    )

    assert compute(data, date(2023, 8, 31))["status"] == "active"
    result = compute(data, date(2023, 9, 1))
    assert result["status"] == "expired"
    assert result["period_end"] == "2023-08-31"
    assert not any("Durée non précisée" in sentence for sentence in result["assumptions"])


def test_it_keeps_the_duration_when_a_fixed_date_is_only_the_effect_of_a_notice():
    data = convention("2021-03-18", termination_effect="fixed_date", termination_date="2022-08-31")

    assert compute(data, date(2022, 9, 1))["period_end"] == "2023-03-17"


def test_it_reads_an_unstated_tacit_renewal_as_none_and_says_so():
    result = compute(convention(tacit_renewal=None), date(2023, 3, 18))

    assert result["status"] == "expired"
    assert any("reconduit tacitement" in sentence for sentence in result["assumptions"])


def test_it_renews_for_the_initial_duration_when_the_renewal_length_is_not_stated():
    result = compute(convention(tacit_renewal=True, renewal_months=None), date(2023, 4, 1))

    assert (result["period_start"], result["period_end"]) == ("2023-03-18", "2025-03-17")
    assert any("Durée de reconduction non précisée" in sentence for sentence in result["assumptions"])


def test_it_starts_an_explicit_renewal_the_day_after_the_period_ends():
    data = convention(events=[{"kind": "renewed", "date": "2023-01-10", "months": 36}])

    result = compute(data, date(2024, 1, 1))

    assert result["status"] == "active"
    assert (result["period_start"], result["period_end"]) == ("2023-03-18", "2026-03-17")


def test_it_ignores_a_renewal_after_the_convention_expired():
    data = convention(events=[{"kind": "renewed", "date": "2024-01-10"}])

    result = compute(data, date(2024, 2, 1))

    assert result["status"] == "expired"
    assert any("Renouvellement du 10 janvier 2024" in sentence for sentence in result["assumptions"])


# Rule 5: amendments ---------------------------------------------------------------------


def test_it_extends_the_period_from_an_amendment():
    data = convention(events=[{"kind": "amended", "date": "2022-06-01", "terms": {"duration_months": 36}}])

    result = compute(data, date(2023, 6, 1))

    assert result["status"] == "active"
    assert result["period_end"] == "2024-03-17"
    assert "2022-06-01" in kinds(result, "amendment")


def test_it_does_not_let_an_amendment_end_a_period_before_its_own_date():
    data = convention(events=[{"kind": "amended", "date": "2022-06-01", "terms": {"duration_months": 6}}])

    assert compute(data, date(2022, 6, 1))["period_end"] == "2022-06-01"
    assert compute(data, date(2022, 6, 2))["status"] == "expired"


def test_it_refuses_to_move_the_start_by_amendment():
    data = convention(events=[{"kind": "amended", "date": "2022-06-01", "terms": {"start": "2022-01-01"}}])

    result = compute(data, date(2022, 7, 1))

    assert result["period_start"] == "2021-03-18"
    assert any("ne déplace pas le début" in sentence for sentence in result["assumptions"])


def test_it_applies_the_termination_effect_in_force_when_notice_is_received():
    data = convention(
        notice_months=3,
        termination_effect="end_of_notice",
        events=[
            {"kind": "amended", "date": "2021-09-01", "terms": {"termination_effect": "next_school_year_start"}},
            {"kind": "notice_given", "date": "2021-10-05"},
        ],
    )

    # 3 months of notice end on 2022-01-04, then the next rentrée (zone C) is 1 September 2022.
    assert compute(data, date(2021, 11, 1))["effective_end"] == "2022-08-31"


# Rule 6: statuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (date(2021, 1, 3), "draft"),
        (date(2021, 2, 1), "awaiting_signatures"),
        (date(2021, 3, 18), "signed_not_started"),
        (date(2021, 9, 1), "active"),
        (date(2022, 8, 31), "active"),
        (date(2022, 9, 1), "under_notice"),
        (date(2022, 11, 30), "under_notice"),
        (date(2022, 12, 1), "terminated"),
    ],
)
def test_it_gives_the_status_of_each_stage(on, status):
    data = convention("2021-03-18", start="2021-09-01", notice_months=3, termination_effect="end_of_notice")
    data["signatures"] = [{"name": "A", "date": "2021-01-04"}, {"name": "B", "date": "2021-03-18"}]
    data["events"] = [{"kind": "notice_given", "date": "2022-09-01"}]

    result = compute(data, on)

    assert result["status"] == status
    assert result["status_label"]


# Rule 7: notice deadline ----------------------------------------------------------------


def test_it_sets_the_notice_deadline_notice_months_before_a_tacit_period_ends():
    data = convention(tacit_renewal=True, renewal_months=24, notice_months=3, termination_effect="end_of_period")

    result = compute(data, date(2022, 6, 1))

    assert result["period_end"] == "2023-03-17"
    assert result["notice_deadline"] == "2022-12-17"
    assert "2022-12-17" in kinds(result, "notice_deadline")


def test_it_clamps_the_notice_deadline_to_the_end_of_a_shorter_month():
    data = convention("2025-06-01", tacit_renewal=True, notice_months=3, termination_effect="end_of_period")

    assert compute(data, date(2026, 1, 1))["notice_deadline"] == "2027-02-28"  # 2027-05-31 − 3 months


@pytest.mark.parametrize(
    "terms",
    [
        {"tacit_renewal": False, "notice_months": 3},
        {"tacit_renewal": None, "notice_months": 3},
        {"tacit_renewal": True, "notice_months": 3, "termination_effect": "next_school_year_start"},
        {"tacit_renewal": True, "termination_effect": "next_school_year_start"},
    ],
)
def test_it_has_no_notice_deadline_without_a_renewal_to_prevent(terms):
    assert compute(convention(**terms), date(2022, 6, 1))["notice_deadline"] is None


def test_it_ends_at_the_period_end_a_notice_received_on_the_deadline_and_a_period_later_after_it():
    terms = {"tacit_renewal": True, "notice_months": 3, "termination_effect": "end_of_period"}
    in_time = convention(**terms, events=[{"kind": "notice_given", "date": "2022-12-17"}])
    late = convention(**terms, events=[{"kind": "notice_given", "date": "2022-12-18"}])

    assert compute(in_time, date(2023, 1, 1))["effective_end"] == "2023-03-17"
    assert compute(late, date(2023, 1, 1))["effective_end"] == "2025-03-17"


# Rule 8: effective end ------------------------------------------------------------------


def test_it_ends_three_months_after_a_notice_under_end_of_notice():
    data = convention(
        "2021-03-18",
        duration_months=60,
        notice_months=3,
        termination_effect="end_of_notice",
        events=[{"kind": "notice_given", "date": "2023-11-10", "by": "CRESS"}],
    )

    result = compute(data, date(2023, 12, 1))

    assert result["effective_end"] == "2024-02-09"
    assert "Préavis" in next(e["label"] for e in result["timeline"] if e["kind"] == "notice_given")
    assert "CRESS" in next(e["label"] for e in result["timeline"] if e["kind"] == "notice_given")


def test_it_ends_on_the_fixed_date():
    data = convention(
        termination_effect="fixed_date",
        termination_date="2022-08-31",
        events=[{"kind": "notice_given", "date": "2022-02-01"}],
    )

    assert compute(data, date(2022, 3, 1))["effective_end"] == "2022-08-31"


def test_it_assumes_end_of_notice_when_the_effect_is_not_stated():
    data = convention(notice_months=2, events=[{"kind": "notice_given", "date": "2021-10-15"}])

    result = compute(data, date(2021, 11, 1))

    assert result["effective_end"] == "2021-12-14"
    assert any("Effet de la résiliation non précisé" in sentence for sentence in result["assumptions"])


def test_it_ends_the_day_before_a_terminated_event():
    result = compute(convention(events=[{"kind": "terminated", "date": "2022-01-15"}]), date(2022, 1, 15))

    assert result["status"] == "terminated"
    assert result["effective_end"] == "2022-01-14"


def test_it_keeps_the_earliest_end_among_notice_and_termination():
    data = convention(
        duration_months=60,
        notice_months=3,
        termination_effect="end_of_notice",
        events=[{"kind": "notice_given", "date": "2022-01-10"}, {"kind": "terminated", "date": "2022-02-01"}],
    )

    assert compute(data, date(2022, 3, 1))["effective_end"] == "2022-01-31"


def test_it_lets_the_natural_expiry_win_over_a_late_notice():
    data = convention(
        notice_months=3,
        termination_effect="end_of_notice",
        events=[{"kind": "notice_given", "date": "2023-02-01"}],
    )

    assert compute(data, date(2023, 3, 1))["effective_end"] == "2023-03-17"
    assert compute(data, date(2023, 3, 18))["status"] == "expired"


def test_it_ignores_a_notice_received_after_the_end():
    data = convention(events=[{"kind": "notice_given", "date": "2024-01-01"}])

    result = compute(data, date(2024, 2, 1))

    assert result["status"] == "expired"
    assert result["effective_end"] is None
    assert any("sans effet" in entry["label"] for entry in result["timeline"] if entry["kind"] == "notice_given")


# Rule 9: provisional continuation -------------------------------------------------------


def test_it_needs_the_renegotiation_opened_before_the_end():
    data = convention(provisional_extension_months=6, events=[{"kind": "renegotiation_opened", "date": "2023-03-18"}])

    assert compute(data, date(2023, 4, 1))["status"] == "expired"


def test_it_has_no_provisional_continuation_the_text_does_not_provide():
    data = convention(events=[{"kind": "renegotiation_opened", "date": "2023-01-05"}])

    result = compute(data, date(2023, 4, 1))

    assert result["status"] == "expired"
    assert any("ne prévoit pas de maintien provisoire" in sentence for sentence in result["assumptions"])


def test_it_stops_the_provisional_continuation_at_a_termination():
    data = convention(
        provisional_extension_months=6,
        events=[{"kind": "renegotiation_opened", "date": "2023-01-05"}, {"kind": "terminated", "date": "2023-05-01"}],
    )

    during = compute(data, date(2023, 4, 1))
    assert during["status"] == "provisional_continuation"
    assert during["provisional_until"] == "2023-04-30"
    assert compute(data, date(2023, 5, 1))["status"] == "terminated"


# Rule 10: renewal window ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "inside"),
    [(date(2022, 9, 17), False), (date(2022, 9, 18), True), (date(2022, 12, 17), True), (date(2022, 12, 18), False)],
)
def test_it_opens_the_renewal_window_three_months_before_the_notice_deadline(on, inside):
    data = convention(tacit_renewal=True, notice_months=3, termination_effect="end_of_period")

    assert compute(data, on)["in_renewal_window"] is inside


@pytest.mark.parametrize(
    ("on", "inside"), [(date(2022, 12, 17), False), (date(2022, 12, 18), True), (date(2023, 3, 17), True)]
)
def test_it_opens_the_renewal_window_three_months_before_a_plain_expiry(on, inside):
    assert compute(convention(notice_months=3), on)["in_renewal_window"] is inside


def test_it_closes_the_renewal_window_once_notice_is_given():
    data = convention(events=[{"kind": "notice_given", "date": "2023-01-02"}], notice_months=1)

    assert compute(data, date(2023, 1, 10))["in_renewal_window"] is False


# Rule 11: school year start and zones ---------------------------------------------------


def rentree_end(**extra) -> str:
    data = {
        "signature_date": "2021-03-18",
        "terms": {"duration_months": 120, "termination_effect": "next_school_year_start"},
        "events": [{"kind": "notice_given", "date": "2024-11-10"}],
        **extra,
    }
    return compute(data, date(2025, 1, 1))["effective_end"]


def test_it_prefers_the_zone_to_the_academie_and_the_academie_to_the_parties():
    reunion_party = [{"name": "Académie de La Réunion", "kind": "education"}]

    assert rentree_end(zone="C", academie="La Réunion", parties=reunion_party) == "2025-08-31"
    assert (
        rentree_end(academie="académie de la réunion", parties=[{"name": "Académie de Paris", "kind": "education"}])
        == "2025-08-18"
    )
    assert rentree_end(parties=reunion_party) == "2025-08-18"  # sourced: Tuesday 19 August 2025


@pytest.mark.parametrize(
    "name", ["Aix-Marseille", "AIX MARSEILLE", "Académie d'Aix-Marseille", "academie d'aix-marseille"]
)
def test_it_recognises_an_academie_however_it_is_written(name):
    data = {"signature_date": "2021-03-18", "terms": {"duration_months": 24}, "academie": name}
    data["terms"]["termination_effect"] = "next_school_year_start"
    data["events"] = [{"kind": "notice_given", "date": "2022-01-10"}]

    result = compute(data, date(2022, 2, 1))

    assert result["effective_end"] == "2022-08-31"
    assert not any("Zone" in sentence or "zone" in sentence for sentence in result["assumptions"])


def test_it_only_looks_at_parties_of_kind_education():
    parties = [{"name": "CPME Paris", "kind": "employer_org"}]

    assert rentree_end(parties=parties) == "2025-08-31"
    result = compute(
        {
            "signature_date": "2021-03-18",
            "terms": {"duration_months": 120, "termination_effect": "next_school_year_start"},
            "events": [{"kind": "notice_given", "date": "2024-11-10"}],
            "parties": parties,
        },
        date(2025, 1, 1),
    )
    assert any("Zone de vacances inconnue" in sentence for sentence in result["assumptions"])


def test_it_falls_back_to_the_first_of_september_for_a_year_it_cannot_source():
    data = {
        "signature_date": "2021-03-18",
        "terms": {"duration_months": 120, "termination_effect": "next_school_year_start"},
        "events": [{"kind": "notice_given", "date": "2023-11-10"}],
        "zone": "corse",
    }

    result = compute(data, date(2024, 1, 1))

    assert result["effective_end"] == "2024-08-31"
    assert any("Corse (2024)" in sentence and "1er septembre" in sentence for sentence in result["assumptions"])


def test_it_falls_back_to_the_first_of_september_beyond_the_official_data():
    data = {
        "signature_date": "2021-03-18",
        "terms": {"duration_months": 240, "termination_effect": "next_school_year_start"},
        "events": [{"kind": "notice_given", "date": "2030-01-10"}],
        "zone": "B",
    }

    result = compute(data, date(2030, 2, 1))

    assert result["effective_end"] == "2030-08-31"
    assert any("zone B (2030)" in sentence for sentence in result["assumptions"])


# Rule 12: timeline ----------------------------------------------------------------------


def test_it_sorts_the_timeline_and_stops_five_years_after_on():
    data = convention("2001-01-01", tacit_renewal=True, duration_months=12, notice_months=1)

    timeline = compute(data, date(2010, 6, 1))["timeline"]

    dates = [entry["date"] for entry in timeline]
    assert dates == sorted(dates)
    assert dates[0] == "2001-01-01"
    assert max(dates) <= "2015-06-01"
    assert {entry["kind"] for entry in timeline} <= set(TIMELINE_KINDS)


def test_it_lists_named_events_and_a_committee_month_and_can_drop_the_committee():
    data = convention("2021-03-18", duration_months=24)
    data["named_events"] = [{"name": "Mois de l'ESS", "month": 11}, {"name": "Métierama", "month": 1, "day": 31}]
    data["obligations"] = {"steering_committee_month": 6}

    result = compute(data, date(2022, 1, 1))

    assert [e["date"] for e in result["timeline"] if e["label"] == "Mois de l'ESS"] == ["2021-11-01", "2022-11-01"]
    assert [e["date"] for e in result["timeline"] if e["label"] == "Métierama"] == ["2022-01-31", "2023-01-31"]
    assert kinds(result, "steering_committee") == ["2021-06-01", "2022-06-01"]

    data["obligations"] = {"steering_committee": False}
    assert kinds(compute(data, date(2022, 1, 1)), "steering_committee") == []


def test_it_lists_school_year_starts_only_when_they_end_the_convention():
    plain = compute(convention(), date(2022, 1, 1))
    at_rentree = compute(convention(termination_effect="next_school_year_start"), date(2022, 1, 1))

    assert kinds(plain, "school_year_start") == []
    assert kinds(at_rentree, "school_year_start") == ["2021-09-01", "2022-09-01"]


# Input errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ([], "objet JSON"),
        ({}, "terms"),
        ({"terms": "24 mois"}, "terms"),
        ({"terms": {"duration_months": -3}}, "négative"),
        ({"terms": {"duration_months": "24"}}, "terms.duration_months"),
        ({"terms": {"duration_months": True}}, "terms.duration_months"),
        ({"terms": {}, "signature_date": "2021-02-30"}, "signature_date"),
        ({"terms": {"tacit_renewal": "oui"}}, "terms.tacit_renewal"),
        ({"terms": {"termination_effect": "demain"}}, "terms.termination_effect"),
        ({"terms": {"termination_effect": "fixed_date"}}, "terms.termination_date"),
        ({"terms": {}, "zone": "D"}, "zone"),
        ({"terms": {}, "events": [{"kind": "signed", "date": "2021-01-01"}]}, "events.0.kind"),
        ({"terms": {}, "events": [{"kind": "terminated"}]}, "events.0.date"),
        ({"terms": {}, "events": [{"kind": "amended", "date": "2021-01-01"}]}, "events.0.terms"),
        ({"terms": {}, "signatures": [{"date": "2021-02-29"}]}, "signatures.0.date"),
        ({"terms": {}, "named_events": [{"name": "Métierama"}]}, "named_events.0.month"),
    ],
)
def test_it_refuses_malformed_input_in_french(data, where):
    with pytest.raises(TermsInputError, match=where):
        compute(data, date(2025, 1, 1))


def test_it_ignores_keys_outside_the_contract():
    data = convention()
    data.update({"text": "…", "evidence": {"terms.duration_months": {"confidence": 0.9}}, "title": "Convention"})

    assert compute(data, date(2022, 1, 1))["status"] == "active"
