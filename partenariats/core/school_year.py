"""The school year (1 September – 31 August), the unit of planning and counting.

Plain Python, no Django: the pure engines may use it. A school year is named by the calendar
year it starts in (``2025`` is 2025–2026).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from partenariats.core.text import FRENCH_MONTHS, fold

FIRST_MONTH = 9
# Years a wording may name: beyond, it is a typing error, not a plan.
MIN_YEAR, MAX_YEAR = 1901, 2199


@dataclass(frozen=True, order=True)
class SchoolYear:
    start_year: int

    @classmethod
    def of(cls, day: date) -> "SchoolYear":
        """The school year a day belongs to."""
        return cls(day.year if day.month >= FIRST_MONTH else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> "SchoolYear | None":
        """« 2025-2026 », « 2025–2026 », « 2025/26 » or « 2025 » (the starting year); None otherwise."""
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–/]\s*(\d{2}|\d{4}))?\s*", text or "")
        if not match:
            return None
        start = int(match.group(1))
        if match.group(2):
            end = int(match.group(2))
            if end < 100:
                # « 2099/00 »: the century turns with the year.
                end += (start + 1) // 100 * 100
            if end != start + 1:
                return None
        return cls(start) if MIN_YEAR <= start <= MAX_YEAR else None

    @property
    def start(self) -> date:
        return date(self.start_year, FIRST_MONTH, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, FIRST_MONTH - 1, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}–{self.start_year + 1}"

    @property
    def slug(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    def next(self) -> "SchoolYear":
        return SchoolYear(self.start_year + 1)

    def previous(self) -> "SchoolYear":
        return SchoolYear(self.start_year - 1)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


# The terms of a French school year, as plans word them (1er trimestre: September–December…).
TERMS = {1: ((9, 1), (12, 31)), 2: ((1, 1), (3, 31)), 3: ((4, 1), (8, 31))}
# Folded like the text they are looked up in: « fevrier » → 2.
MONTHS = {fold(name): number for number, name in enumerate(FRENCH_MONTHS, start=1)}
ORDINALS = {
    "1": 1,
    "1er": 1,
    "1re": 1,
    "1e": 1,
    "1ere": 1,
    "premier": 1,
    "2": 2,
    "2e": 2,
    "2eme": 2,
    "2nd": 2,
    "2nde": 2,
    "deuxieme": 2,
    "second": 2,
    "3": 3,
    "3e": 3,
    "3eme": 3,
    "troisieme": 3,
    "4": 4,
    "4e": 4,
    "4eme": 4,
    "quatrieme": 4,
}

# A calendar year, not the first half of a school year's name (« 2025 » of « 2025–2026 »).
_YEAR = r"(\d{4})\b(?!\s*[-–/]\s*\d)"
# « 2025–2026 », « 2025/26 », not an ISO date (« 2026-03-12 »).
_SCHOOL_YEAR = re.compile(r"\b\d{4}\s*[-–/]\s*\d{2,4}\b(?![-/]\d)")
_WHOLE_YEAR = re.compile(r"\btoute l.?annee\b|\bannee scolaire\b|\btout au long\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_NAMES = "|".join(MONTHS)
_DAY_MONTH = re.compile(r"\b(\d{1,2}|1er)(?:\s+au\s+(\d{1,2}))?\s+(" + _MONTH_NAMES + r")\b(?:\s+" + _YEAR + ")?")
_TERM = re.compile(r"\b(" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")\s+trimestre\b(?:\s+" + _YEAR + ")?")
_MONTH = re.compile(r"\b(" + _MONTH_NAMES + r")\b(?:\s+" + _YEAR + ")?")


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def _in_year(year: SchoolYear, month: int) -> int:
    """The calendar year of a month of this school year."""
    return year.start_year if month >= FIRST_MONTH else year.start_year + 1


def _valid_year(value: str | None) -> bool:
    return value is None or MIN_YEAR <= int(value) <= MAX_YEAR


def _span(days: list[date]) -> tuple[date, date] | None:
    """From the first date named to the last; None when they run backwards."""
    return (days[0], days[-1]) if days == sorted(days) else None


def parse_period(text: str, year: SchoolYear) -> tuple[date, date] | None:
    """The date range a plan's wording of a start or a period means, in the plan's school year.

    « Rentrée scolaire 2025–2026 » (September), « 1er trimestre 2026 » (a calendar quarter),
    « 2e trimestre » (a term of the school year), « novembre 2025 », « mai » (in the plan's
    year), « de janvier à mars 2026 », « 14 novembre 2025 », « 12/03/2026 », « toute l’année »…
    A school year named in the text (« 1er trimestre 2025–2026 ») replaces the plan's.
    None when the wording is not understood: the original text is kept anyway.
    """
    folded = fold(text or "")
    if not folded:
        return None
    named = _named_year(folded)
    context = named or year
    rest = _SCHOOL_YEAR.sub(" ", folded)
    if _WHOLE_YEAR.search(folded):
        return context.start, context.end
    if "rentree" in folded:
        match = re.search(r"\brentree\b\D*?" + _YEAR, rest)
        if match and not named:
            if not _valid_year(match.group(1)):
                return None
            context = SchoolYear(int(match.group(1)))
        return context.start, date(context.start_year, FIRST_MONTH, 30)
    for finder in (_numeric_dates, _days_of_months, _term, _months):
        found = finder(rest, context)
        if found is not False:
            return found
    return None


def _numeric_dates(text: str, year: SchoolYear) -> tuple[date, date] | bool | None:
    """« 12/03/2026 », « 2026-03-12 », or two of them for a range."""
    days = []
    for match in _NUMERIC_DATE.finditer(text):
        if match.group(1):
            day, month, calendar_year = (int(g) for g in match.group(1, 2, 3))
        else:
            calendar_year, month, day = (int(g) for g in match.group(4, 5, 6))
        if not MIN_YEAR <= calendar_year <= MAX_YEAR:
            return None
        try:
            days.append(date(calendar_year, month, day))
        except ValueError:
            return None
    return _span(days) if days else False


def _resolve_years(matches: list[tuple[int, str | None]], year: SchoolYear) -> list[int] | None:
    """The calendar year of each (month, year or None): a month without a year takes the next
    named year (« de janvier à mars 2026 »), else its place in the school year."""
    if not all(_valid_year(y) for _, y in matches):
        return None
    years: list[int] = []
    following: tuple[int, int] | None = None
    for month, named in reversed(matches):
        if named:
            calendar_year = int(named)
        elif following:
            later_month, later_year = following
            calendar_year = later_year if month <= later_month else later_year - 1
        else:
            calendar_year = _in_year(year, month)
        years.append(calendar_year)
        following = (month, calendar_year)
    return years[::-1]


def _days_of_months(text: str, year: SchoolYear) -> tuple[date, date] | bool | None:
    """« 14 novembre 2025 », « du 3 au 7 novembre », « du 1er décembre au 15 janvier »."""
    matches = list(_DAY_MONTH.finditer(text))
    if not matches:
        return False
    months = [(MONTHS[m.group(3)], m.group(4)) for m in matches]
    years = _resolve_years(months, year)
    if years is None:
        return None
    days = []
    for match, (month, _), calendar_year in zip(matches, months, years, strict=True):
        for day in match.group(1, 2):
            if day is None:
                continue
            try:
                days.append(date(calendar_year, month, 1 if day == "1er" else int(day)))
            except ValueError:
                return None
    return _span(days)


def _term(text: str, year: SchoolYear) -> tuple[date, date] | bool | None:
    match = _TERM.search(text)
    if not match:
        return False
    term = ORDINALS[match.group(1)]
    if match.group(2):
        # « 1er trimestre 2026 »: a calendar quarter (January–March 2026).
        if not _valid_year(match.group(2)):
            return None
        calendar_year = int(match.group(2))
        first_month = 3 * term - 2
        return date(calendar_year, first_month, 1), _month_end(calendar_year, first_month + 2)
    if term not in TERMS:
        return None
    # « 1er trimestre » alone: a term of the school year (September–December).
    (first_month, first_day), (last_month, last_day) = TERMS[term]
    return (
        date(_in_year(year, first_month), first_month, first_day),
        date(_in_year(year, last_month), last_month, last_day),
    )


def _months(text: str, year: SchoolYear) -> tuple[date, date] | bool | None:
    """« novembre 2025 », « mai », « de janvier à mars 2026 » (from the first month to the last)."""
    matches = [(MONTHS[m.group(1)], m.group(2)) for m in _MONTH.finditer(text)]
    if not matches:
        return False
    years = _resolve_years(matches, year)
    if years is None:
        return None
    (first, _), (last, _) = matches[0], matches[-1]
    start, end = date(years[0], first, 1), _month_end(years[-1], last)
    return (start, end) if start <= end else None


def _named_year(folded: str) -> SchoolYear | None:
    match = _SCHOOL_YEAR.search(folded)
    return SchoolYear.parse(match.group(0)) if match else None
