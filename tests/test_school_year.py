"""The school year and the plans' wordings of a period (pure code: examples and hypothesis)."""

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from partenariats.core.school_year import MAX_YEAR, MIN_YEAR, SchoolYear, parse_period
from partenariats.core.text import FRENCH_MONTHS

days = st.dates(min_value=date(MIN_YEAR, 9, 1), max_value=date(MAX_YEAR, 8, 31))
years = st.integers(MIN_YEAR, MAX_YEAR - 1).map(SchoolYear)
months = st.sampled_from(FRENCH_MONTHS)
# Words plans are written with, and some they should not be: any mix must be understood or refused, never crash.
pieces = st.one_of(
    months,
    st.sampled_from(["1er", "2e", "3e", "4e", "premier", "trimestre", "rentrée", "scolaire", "toute l’année"]),
    st.sampled_from(["du", "au", "de", "à", "/", "-", "–", "en", "(", ")", "le", "31", "29", "0", "00"]),
    st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    st.integers(0, 40).map(str),
    st.builds(lambda d, m, y: f"{d}/{m}/{y:04d}", st.integers(0, 40), st.integers(0, 14), st.integers(0, 9999)),
    st.builds(lambda y, e: f"{y:04d}-{e:02d}", st.integers(0, 9999), st.integers(0, 99)),
)
wordings = st.lists(pieces, max_size=8).map(" ".join)


# --- SchoolYear ------------------------------------------------------------------------------


@given(days)
def test_it_puts_every_day_in_the_school_year_that_contains_it(day):
    year = SchoolYear.of(day)
    assert day in year
    assert year.start <= day <= year.end
    assert day not in year.next()
    assert day not in year.previous()


@given(years)
def test_it_chains_school_years_without_gap_or_overlap(year):
    assert year.next().start == year.end + timedelta(days=1)
    assert year.next().previous() == year
    assert (year.end - year.start).days + 1 in (365, 366)
    assert year.start.month == 9
    assert year.start.day == 1
    assert SchoolYear.of(year.start) == SchoolYear.of(year.end) == year


@given(years)
def test_it_reads_back_its_own_names(year):
    short = f"{year.start_year}/{(year.start_year + 1) % 100:02d}"
    assert SchoolYear.parse(year.label) == year
    assert SchoolYear.parse(year.slug) == year
    assert SchoolYear.parse(short) == year
    assert SchoolYear.parse(str(year.start_year)) == year
    assert str(year) == year.label == f"{year.start_year}–{year.start_year + 1}"


@given(st.text(max_size=20))
@example("2025-2027")
@example("0000-0001")
def test_it_parses_any_text_to_a_plausible_year_or_none(text):
    year = SchoolYear.parse(text)
    assert year is None or MIN_YEAR <= year.start_year <= MAX_YEAR


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025–2026", 2025), (" 2025 - 2026 ", 2025), ("2025/26", 2025), ("2099/00", 2099), ("2025-2027", None)],
)
def test_it_parses_the_usual_spellings(text, expected):
    assert SchoolYear.parse(text) == (SchoolYear(expected) if expected else None)


# --- parse_period: examples ------------------------------------------------------------------

YEAR = SchoolYear(2025)


@pytest.mark.parametrize(
    ("wording", "start", "end"),
    [
        ("Rentrée scolaire 2025–2026", date(2025, 9, 1), date(2025, 9, 30)),
        ("Rentrée 2026", date(2026, 9, 1), date(2026, 9, 30)),
        ("1er trimestre 2026", date(2026, 1, 1), date(2026, 3, 31)),
        ("2e trimestre", date(2026, 1, 1), date(2026, 3, 31)),
        ("premier trimestre", date(2025, 9, 1), date(2025, 12, 31)),
        ("1er trimestre 2026–2027", date(2026, 9, 1), date(2026, 12, 31)),
        ("novembre 2025", date(2025, 11, 1), date(2025, 11, 30)),
        ("En mai", date(2026, 5, 1), date(2026, 5, 31)),
        ("De novembre à mars", date(2025, 11, 1), date(2026, 3, 31)),
        ("de janvier à mars 2027", date(2027, 1, 1), date(2027, 3, 31)),
        ("Le 14 novembre 2025", date(2025, 11, 14), date(2025, 11, 14)),
        ("du 1er décembre au 15 janvier", date(2025, 12, 1), date(2026, 1, 15)),
        ("Semaine du 3 au 7 novembre", date(2025, 11, 3), date(2025, 11, 7)),
        ("12/03/2026", date(2026, 3, 12), date(2026, 3, 12)),
        ("2026-03-12", date(2026, 3, 12), date(2026, 3, 12)),
        ("du 12/03/2026 au 15/03/2026", date(2026, 3, 12), date(2026, 3, 15)),
        ("Toute l’année", date(2025, 9, 1), date(2026, 8, 31)),
        ("Tout au long de l’année scolaire 2026-2027", date(2026, 9, 1), date(2027, 8, 31)),
    ],
)
def test_it_reads_a_plans_wording_as_dates(wording, start, end):
    assert parse_period(wording, YEAR) == (start, end)


@pytest.mark.parametrize(
    "wording",
    [
        "",
        "À définir",
        "31/02/2026",
        "novembre 0000",
        "1er trimestre 9999",
        "du 15/03/2026 au 12/03/2026",
        "4e trimestre",
    ],
)
def test_it_leaves_a_wording_it_does_not_understand_without_dates(wording):
    assert parse_period(wording, YEAR) is None


# --- parse_period: properties ----------------------------------------------------------------


@given(wordings, years)
@example("novembre 9999", SchoolYear(2025))
@example("1er trimestre 0000", SchoolYear(2025))
@example("2026-03-12 2025-2026", SchoolYear(2025))
def test_it_never_fails_on_a_wording_and_never_runs_backwards(wording, year):
    period = parse_period(wording, year)
    if period is not None:
        start, end = period
        assert start <= end


@given(months, years)
def test_it_places_a_month_without_year_in_the_plans_school_year(month, year):
    start, end = parse_period(month, year)
    assert start in year
    assert end in year
    assert start.day == 1
    assert (end + timedelta(days=1)).day == 1


@given(st.sampled_from(["1er", "2e", "3e"]), years)
def test_it_places_a_term_without_year_in_the_plans_school_year(ordinal, year):
    start, end = parse_period(f"{ordinal} trimestre", year)
    assert start in year
    assert end in year


@given(st.integers(1, 4), st.integers(MIN_YEAR, MAX_YEAR), years)
def test_it_reads_a_term_with_a_calendar_year_as_that_quarter(term, calendar_year, year):
    start, end = parse_period(f"{term}e trimestre {calendar_year}", year)
    assert start == date(calendar_year, 3 * term - 2, 1)
    assert end.year == calendar_year
    assert end.month == 3 * term
    assert (end + timedelta(days=1)).day == 1


@given(days, years)
def test_it_reads_any_written_date_back(day, year):
    assert parse_period(day.strftime("%d/%m/%Y"), year) == (day, day)
    assert parse_period(f"le {day.isoformat()}", year) == (day, day)


@given(years, years)
def test_it_reads_the_rentree_of_the_school_year_named(named, year):
    assert parse_period(f"Rentrée scolaire {named.label}", year) == (named.start, date(named.start_year, 9, 30))
