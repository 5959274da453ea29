"""Invariants of the terms engine over generated conventions (hypothesis)."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partenariats.terms import OUTPUT_KEYS, STATUSES, TIMELINE_KINDS, compute
from partenariats.terms.dates import add_months, period_last_day

days = st.dates(min_value=date(1995, 1, 1), max_value=date(2040, 12, 31))
effects = st.sampled_from([None, "end_of_notice", "end_of_period", "next_school_year_start", "fixed_date"])


@st.composite
def conventions(draw) -> dict:
    signed = draw(days)
    effect = draw(effects)
    terms = {
        "start": draw(st.one_of(st.just("signature"), days.map(date.isoformat))),
        "duration_months": draw(st.one_of(st.none(), st.integers(1, 72))),
        "indefinite": draw(st.sampled_from([None, True, False])),
        "tacit_renewal": draw(st.sampled_from([None, True, False])),
        "renewal_months": draw(st.one_of(st.none(), st.integers(1, 60))),
        "provisional_extension_months": draw(st.one_of(st.none(), st.integers(0, 12))),
        "notice_months": draw(st.one_of(st.none(), st.integers(0, 12))),
        "termination_effect": effect,
    }
    if effect == "fixed_date":
        terms["termination_date"] = draw(days).isoformat()
    event = st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["notice_given", "renegotiation_opened", "renewed", "terminated"]),
            "date": days.map(date.isoformat),
        }
    )
    amendment = st.fixed_dictionaries(
        {
            "kind": st.just("amended"),
            "date": days.map(date.isoformat),
            "terms": st.fixed_dictionaries(
                {},
                optional={
                    "duration_months": st.integers(1, 72),
                    "tacit_renewal": st.booleans(),
                    "notice_months": st.integers(0, 6),
                },
            ),
        }
    )
    return {
        "signature_date": draw(st.one_of(st.none(), st.just(signed.isoformat()), st.just(signed.isoformat()[:7]))),
        "terms": terms,
        "zone": draw(st.sampled_from([None, "A", "B", "C", "corse", "reunion"])),
        "events": draw(st.lists(st.one_of(event, amendment), max_size=4)),
    }


def parse(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@pytest.mark.slow  # fuzzing: run in one pass only
@settings(max_examples=200, deadline=None)
@given(conventions(), days)
def test_it_always_answers_the_contract(data, on):
    result = compute(data, on)

    assert tuple(result) == OUTPUT_KEYS
    assert result["status"] in STATUSES
    assert isinstance(result["status_label"], str)
    assert result["status_label"]
    assert isinstance(result["in_renewal_window"], bool)
    for key in ("period_start", "period_end", "notice_deadline", "effective_end", "provisional_until"):
        assert result[key] is None or parse(result[key])
    assert all(isinstance(sentence, str) and sentence for sentence in result["assumptions"])
    for entry in result["timeline"]:
        assert set(entry) == {"date", "kind", "label"}
        assert entry["kind"] in TIMELINE_KINDS
        assert parse(entry["date"]) <= add_months(on, 60)
        assert entry["label"]
    dates = [entry["date"] for entry in result["timeline"]]
    assert dates == sorted(dates)


@pytest.mark.slow  # fuzzing: run in one pass only
@settings(max_examples=150, deadline=None)
@given(conventions(), days)
def test_it_keeps_on_inside_the_current_period_while_active(data, on):
    result = compute(data, on)
    start, end = parse(result["period_start"]), parse(result["period_end"])

    if result["status"] in ("active", "under_notice"):
        assert start <= on
        assert end is None or on <= end
    if result["status"] == "provisional_continuation":
        assert end < on <= parse(result["provisional_until"])
    if result["status"] == "unknown":
        assert start is None
        assert end is None
        assert result["effective_end"] is None
    if result["notice_deadline"]:
        assert parse(result["notice_deadline"]) <= end
    if result["in_renewal_window"]:
        assert result["status"] == "active"


@pytest.mark.slow  # fuzzing: run in one pass only
@settings(max_examples=150, deadline=None)
@given(conventions(), days)
def test_it_makes_contiguous_periods_that_never_overlap(data, on):
    timeline = compute(data, on)["timeline"]

    starts = [parse(e["date"]) for e in timeline if e["kind"] == "start"]
    starts += [
        parse(e["date"])
        for e in timeline
        if e["kind"] == "renewal" and e["label"].startswith(("Reconduction tacite", "Renouvellement :"))
    ]
    ends = [parse(e["date"]) for e in timeline if e["kind"] == "period_end"]
    provisional_ends = {parse(e["date"]) for e in timeline if e["kind"] == "provisional_end"}
    starts.sort()
    assert len(set(starts)) == len(starts)
    for start, next_start in itertools.pairwise(starts):
        inside = [end for end in ends if start <= end < next_start]
        assert len(inside) == 1  # each period ends once, before the next one starts
        day_before = next_start - timedelta(days=1)
        assert inside[0] == day_before or (inside[0] < day_before and day_before in provisional_ends)


@pytest.mark.slow  # fuzzing: run in one pass only
@settings(max_examples=150, deadline=None)
@given(conventions(), days, days)
def test_it_is_never_in_force_after_a_termination(data, terminated, on):
    data["events"] = [*data["events"], {"kind": "terminated", "date": terminated.isoformat()}]

    result = compute(data, on)

    if result["effective_end"] and on > parse(result["effective_end"]):
        assert result["status"] in ("terminated", "expired")
    if on >= terminated and result["status"] != "unknown":
        assert result["status"] in ("terminated", "expired")


@settings(max_examples=200, deadline=None)
@given(days, st.integers(1, 72), days, st.sampled_from([None, "A", "B", "C", "corse", "reunion"]))
def test_it_ends_after_the_notice_at_the_next_rentree(signed, months, notice, zone):
    data = {
        "signature_date": signed.isoformat(),
        "terms": {"duration_months": months, "tacit_renewal": True, "termination_effect": "next_school_year_start"},
        "events": [{"kind": "notice_given", "date": notice.isoformat()}],
        "zone": zone,
    }

    result = compute(data, notice)

    if notice >= signed:
        effective_end = parse(result["effective_end"])
        # Within a year of the notice, give or take the few days by which the rentrée moves from
        # one year to the next (Corse: 1 September 2020, then 2 September 2021).
        assert notice <= effective_end <= notice + timedelta(days=372)
        assert result["notice_deadline"] is None


@settings(max_examples=200, deadline=None)
@given(days, st.integers(1, 120), st.integers(1, 12))
def test_it_puts_the_notice_deadline_before_the_period_end(signed, months, notice_months):
    data = {
        "signature_date": signed.isoformat(),
        "terms": {"duration_months": months, "tacit_renewal": True, "notice_months": notice_months},
    }

    result = compute(data, signed)

    assert parse(result["notice_deadline"]) < parse(result["period_end"])
    assert parse(result["period_end"]) == period_last_day(signed, months)
