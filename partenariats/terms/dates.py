"""Calendar arithmetic and date parsing for the terms engine (no dependency).

A period's last day is ``start + N months − 1 day``, the month addition clamping the day to
the last day of the target month (31 January + 1 month = 28 February).
"""

import calendar
import re
from datetime import date, timedelta

from partenariats.core.text import FRENCH_MONTHS

ONE_DAY = timedelta(days=1)

# Dates outside these years are refused as input: no partnership convention predates 1900, and
# the cap keeps every derived date (horizons, 100-year terms) far from ``date.max``.
MIN_YEAR = 1900
MAX_YEAR = 2199

_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH_DATE = re.compile(r"^(\d{4})-(\d{2})$")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier when negative), clamped to the month's last day."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def period_last_day(start: date, months: int) -> date:
    """The last day in force of a period of ``months`` months starting on ``start``."""
    return add_months(start, months) - ONE_DAY


def parse_date(value: str, *, allow_month: bool = True) -> tuple[date, bool] | None:
    """``(date, month_only)`` for ``YYYY-MM-DD`` (or ``YYYY-MM``: the 1st of the month), else None.

    None also for impossible dates (2021-02-30) and years outside MIN_YEAR..MAX_YEAR.
    """
    if not isinstance(value, str):
        return None
    match = _FULL_DATE.match(value)
    month_only = False
    if match:
        year, month, day = (int(group) for group in match.groups())
    else:
        match = _MONTH_DATE.match(value) if allow_month else None
        if not match:
            return None
        year, month = (int(group) for group in match.groups())
        day, month_only = 1, True
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day), month_only
    except ValueError:
        return None


def french(day: date) -> str:
    """``18 mars 2021``, ``1er septembre 2026``: dates as a French reader writes them."""
    day_text = "1er" if day.day == 1 else str(day.day)
    return f"{day_text} {FRENCH_MONTHS[day.month - 1]} {day.year}"
