"""French dates as conventions print them: read when written, None with a reason otherwise."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partenariats.reader.dates import BAD_MONTH, BLANK, IMPOSSIBLE, find_dates, latest, parse_date

FRENCH_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("le 9 juin 2015", "2015-06-09", "day"),
        ("1er octobre 2023", "2023-10-01", "day"),
        ("le premier octobre 2023", "2023-10-01", "day"),
        ("le vingt-trois avril deux mille dix-neuf", "2019-04-23", "day"),
        ("07.XI.2019", "2019-11-07", "day"),
        ("07/11/2019", "2019-11-07", "day"),  # French order: day first
        ("07.11.2019", "2019-11-07", "day"),
        ("2019-11-07", "2019-11-07", "day"),
        ("12 déc. 2016", "2016-12-12", "day"),
        ("5 AOUT 2020", "2020-08-05", "day"),
        ("novembre 2016", "2016-11", "month"),
        ("June 2020", "2020-06", "month"),
        ("Signé à Lille le 3 février 2012, en deux exemplaires", "2012-02-03", "day"),
    ],
)
def test_dates_written_are_read(text, value, precision):
    reading = parse_date(text)
    assert (reading.value, reading.precision) == (value, precision)
    assert reading.reason is None


def test_month_only_never_gets_a_day():
    reading = parse_date("signée en octobre 2017")
    assert reading.value == "2017-10"
    assert reading.precision == "month"


@pytest.mark.parametrize("text", ["le …………", "le ___", "le ........", "Date :", "", "  le  ____ "])
def test_blank_dates_are_none(text):
    reading = parse_date(text)
    assert reading.value is None
    assert reading.reason == BLANK


def test_garbled_month_stays_none_with_close_candidate():
    reading = parse_date("14 Févrer 2019")
    assert reading.value is None
    assert reading.reason == BAD_MONTH
    assert reading.candidates == ("2019-02-14",)
    assert reading.raw == "14 Févrer 2019"


def test_garbled_month_far_from_any_month_has_no_candidate():
    reading = parse_date("14 plouxte 2019")
    assert (reading.value, reading.reason, reading.candidates) == (None, BAD_MONTH, ())


def test_a_town_and_a_year_is_no_date():
    assert parse_date("Lyon 2019").value is None
    assert find_dates("Lyon 2019") == []


@pytest.mark.parametrize("text", ["30 février 2020", "2021-13-01", "31/04/2020", "12 mai 1890"])
def test_impossible_dates(text):
    reading = parse_date(text)
    assert reading.value is None
    assert reading.reason == IMPOSSIBLE


def test_find_dates_gives_offsets_in_the_text():
    text = "Fait à Brest, le 2 mars 2020 et signé le 04/05/2020."
    found = find_dates(text, offset=100)
    assert [reading.value for reading in found] == ["2020-03-02", "2020-05-04"]
    assert text[found[1].start - 100 : found[1].end - 100] == "04/05/2020"


def test_latest_prefers_a_later_month_over_an_earlier_day():
    readings = [parse_date("28 avril 2019"), parse_date("mai 2019"), parse_date("3 Mavril 2019")]
    assert latest(readings).value == "2019-05"
    assert latest([parse_date("2 mai 2019"), parse_date("avril 2019")]).value == "2019-05-02"
    assert latest([parse_date("le ……")]) is None


dates_strategy = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2100, 12, 31))


def _formats(day: datetime.date) -> list[str]:
    first = "1er" if day.day == 1 else str(day.day)
    return [
        f"{first} {FRENCH_MONTHS[day.month - 1]} {day.year}",
        f"le {day.day} {FRENCH_MONTHS[day.month - 1].upper()} {day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day}.{ROMAN[day.month - 1]}.{day.year}",
        day.isoformat(),
    ]


@settings(max_examples=150, deadline=None)
@given(dates_strategy)
def test_every_format_reads_back(day):
    for text in _formats(day):
        assert parse_date(text).value == day.isoformat(), text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_random_text_never_raises(text):
    reading = parse_date(text)
    assert reading.value is None or len(reading.value) in (7, 10)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("18.II1.2021", "2021-03-18"),  # OCR: the last I read as 1
        ("2.lV.2020", "2020-04-02"),
        ("3.XI1.2019", "2019-12-03"),
        ("5.V1.2022", "2022-06-05"),
    ],
)
def test_a_roman_month_damaged_by_ocr_is_read_when_only_one_month_fits(text, value):
    assert parse_date(text).value == value


def test_a_roman_month_damaged_by_ocr_that_could_be_figures_stays_empty():
    reading = parse_date("18.1I.2021")  # "II" (February) or "11" (November)
    assert reading.value is None
    assert set(reading.candidates) == {"2021-02-18", "2021-11-18"}
