"""Month arithmetic and date reading: a period ends on start + N months (clamped) − 1 day."""

from datetime import date

import pytest

from partenariats.terms.dates import add_months, french, parse_date, period_last_day


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        (date(2021, 3, 18), 24, date(2023, 3, 17)),
        (date(2020, 2, 29), 12, date(2021, 2, 27)),  # 2021-02-28 (clamped) − 1 day
        (date(2021, 1, 31), 1, date(2021, 2, 27)),  # 2021-02-28 (clamped) − 1 day
        (date(2024, 1, 31), 1, date(2024, 2, 28)),  # leap year: 2024-02-29 − 1 day
        (date(2021, 2, 28), 1, date(2021, 3, 27)),
        (date(2020, 12, 1), 1, date(2020, 12, 31)),
        (date(2010, 5, 17), 36, date(2013, 5, 16)),
    ],
)
def test_it_ends_a_period_the_day_before_the_same_day_n_months_later(start, months, last_day):
    assert period_last_day(start, months) == last_day


def test_it_clamps_the_day_when_adding_or_removing_months():
    assert add_months(date(2021, 8, 31), 1) == date(2021, 9, 30)
    assert add_months(date(2027, 5, 31), -3) == date(2027, 2, 28)
    assert add_months(date(2028, 5, 31), -3) == date(2028, 2, 29)
    assert add_months(date(2021, 1, 15), -13) == date(2019, 12, 15)


def test_it_reads_full_and_month_precision_dates():
    assert parse_date("2021-03-18") == (date(2021, 3, 18), False)
    assert parse_date("2018-05") == (date(2018, 5, 1), True)
    assert parse_date("2018-05", allow_month=False) is None


@pytest.mark.parametrize(
    "value", ["2021-02-30", "2021-13-01", "18/03/2021", "2021-3-18", "1850-01-01", "", None, 20210318]
)
def test_it_refuses_impossible_or_foreign_dates(value):
    assert parse_date(value) is None


def test_it_writes_dates_the_french_way():
    assert french(date(2026, 9, 1)) == "1er septembre 2026"
    assert french(date(2021, 3, 18)) == "18 mars 2021"
