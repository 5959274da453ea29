"""The school year start (*rentrée scolaire*): the pupils' first day of class, per zone and year.

- Zones A, B, C: the official calendar shipped by ``vacances-scolaires-france`` (the
  ministry's data set): the rentrée is the day after the last day of that year's "Vacances
  d'été". A year counts as known only when that year's "Vacances de la Toussaint" are in the
  data too (so a year whose calendar was not fully published yet falls back).
- Corse and the overseas académies set their own calendar by *arrêté rectoral* (Code de
  l'éducation, art. D521-6; the three-year arrêtés are published by each rectorat). The table
  below holds only the years whose pupils' rentrée could be sourced; each line cites where.
  A year left out is not guessed.
- Any other case: 1 September, and the caller records an assumption.
"""

from datetime import date, timedelta
from functools import cache

from vacances_scolaires_france import SchoolHolidayDates

# Pupils' first day, from the rectorat's arrêté as reported at the time by the sources cited.
LOCAL_RENTREES: dict[str, dict[int, date]] = {
    "corse": {
        # paperblog.fr, "Le calendrier scolaire 2010-2011 … en Corse" (rectorat calendar: pupils Thu 9 Sept)
        2010: date(2010, 9, 9),
        # (A caminteresse.fr article puts Corsican pupils a week after a national rentrée on
        # "mardi 4 septembre" without giving the year — 2012 or 2018? — so neither is listed.)
        # corsenetinfos.corsica, Aug 2021: "la cloche sonnera pour tous [le] 3 septembre"
        2021: date(2021, 9, 3),
        # corsenetinfos.corsica, "Voici les dates des vacances scolaires pour 2022-2023 en Corse"
        2022: date(2022, 9, 2),
        # cnews.fr, 16 Aug 2023, "Rentrée scolaire 2023": Corse on Tue 5 Sept
        2023: date(2023, 9, 5),
        # corsenetinfos.corsica, 18 Aug 2025, "Calendrier scolaire 2025-2026 … en Corse"
        2025: date(2025, 9, 2),
    },
    "reunion": {
        # ac-reunion.fr calendar 2014-2017 (as reproduced on doczz.fr "Vacances scolaires 2014-2017")
        2014: date(2014, 8, 22),
        2015: date(2015, 8, 18),
        2016: date(2016, 8, 17),
        # la1ere.francetvinfo.fr (Réunion), Aug 2019: pupils' rentrée "ce vendredi 16 août"
        2019: date(2019, 8, 16),
        # la1ere.francetvinfo.fr and tf1.fr, Aug 2022: rentrée 2022-2023 on Tue 16 Aug
        2022: date(2022, 8, 16),
        # cnews.fr, 16 Aug 2023: La Réunion on Thu 17 Aug
        2023: date(2023, 8, 17),
        # académie de La Réunion (tweet of 19 Aug 2024, quoted by la1ere.francetvinfo.fr) and imazpress.com
        2024: date(2024, 8, 19),
        # imazpress.com, week of 18-22 Aug 2025: "C'est la rentrée ce mardi 19 août 2025"
        2025: date(2025, 8, 19),
    },
    "mayotte": {
        # lejournaldemayotte.com, 23 Aug 2019: "Rentrée scolaire ce vendredi"
        2019: date(2019, 8, 23),
        # cnews.fr, 16 Aug 2023: the second overseas exception (after La Réunion) on Wed 23 Aug
        2023: date(2023, 8, 23),
        # la1ere.francetvinfo.fr, Aug 2024: "les Mahorais le 26 août prochain"
        2024: date(2024, 8, 26),
        # lejournaldemayotte.yt: "La rentrée scolaire 2025-2026 à Mayotte a débuté ce lundi 25 août"
        2025: date(2025, 8, 25),
    },
    "guadeloupe": {
        # outremers360.com, "J-2 avant la rentrée pour les écoliers antillo-guyanais" (4 Sept 2017)
        2017: date(2017, 9, 4),
        # la1ere.francetvinfo.fr (Guadeloupe), 2020: pupils "à partir de ce mardi 1er septembre"
        2020: date(2020, 9, 1),
        # rci.fm: "Ce jeudi 1er septembre 2022, les élèves … ont retrouvé les bancs de l'école"
        2022: date(2022, 9, 1),
        # cnews.fr, 16 Aug 2023: Guadeloupe, Martinique and Guyane on Mon 4 Sept
        2023: date(2023, 9, 4),
        # la1ere.francetvinfo.fr (Guadeloupe), rentrée 2024 "ce lundi 2 septembre"
        2024: date(2024, 9, 2),
    },
    "martinique": {
        # outremers360.com, "J-2 avant la rentrée pour les écoliers antillo-guyanais" (4 Sept 2017)
        2017: date(2017, 9, 4),
        # la1ere.francetvinfo.fr (Martinique), 2020: pupils "dès ce mardi 1er septembre 2020"
        2020: date(2020, 9, 1),
        # lesfetes.fr, Martinique calendar 2022-2023: pupils Thu 1 Sept 2022
        2022: date(2022, 9, 1),
        # la1ere.francetvinfo.fr (Martinique), rentrée 2023/2024 "ce lundi 4 septembre"
        2023: date(2023, 9, 4),
        # la1ere.francetvinfo.fr, Aug 2024: Antilles and Guyane "le 2 septembre prochain"
        2024: date(2024, 9, 2),
    },
    "guyane": {
        # outremers360.com, "J-2 avant la rentrée pour les écoliers antillo-guyanais" (4 Sept 2017)
        2017: date(2017, 9, 4),
        # tv5monde.com, rentrée 2018 overseas: Guyane pupils "reprennent le 3 septembre"
        2018: date(2018, 9, 3),
        # outremers360.com, Aug 2020: recteur of Guyane, pupils from 2 Sept (staggered to 4 Sept)
        2020: date(2020, 9, 2),
        # cnews.fr, 16 Aug 2023: Guadeloupe, Martinique and Guyane on Mon 4 Sept
        2023: date(2023, 9, 4),
        # la1ere.francetvinfo.fr (Guyane): "La rentrée scolaire a débuté ce 2 septembre 2024"
        2024: date(2024, 9, 2),
    },
}

FALLBACK_MONTH_DAY = (9, 1)


@cache
def _official_rentrees(zone: str) -> dict[int, date]:
    """Year → rentrée for zone A, B or C, only for the years whose Toussaint is in the data."""
    holidays = SchoolHolidayDates()
    rentrees = {}
    for year in range(holidays.min_year, holidays.max_year + 1):
        summer = holidays.holidays_for_year_zone_and_name(year, zone, "Vacances d'été")
        toussaint = holidays.holidays_for_year_zone_and_name(year, zone, "Vacances de la Toussaint")
        if summer and toussaint:
            rentrees[year] = max(summer) + timedelta(days=1)
    return rentrees


def known_rentrees(zone: str | None) -> dict[int, date]:
    """Every rentrée the calendar knows for ``zone`` (empty for an unknown zone)."""
    if zone in ("A", "B", "C"):
        return dict(_official_rentrees(zone))
    return dict(LOCAL_RENTREES.get(zone or "", {}))


def school_year_start(year: int, zone: str | None) -> tuple[date, bool]:
    """``(rentrée of year, known)``; 1 September with ``known`` False when the year is not known."""
    if zone in ("A", "B", "C"):
        known = _official_rentrees(zone).get(year)
    else:
        known = LOCAL_RENTREES.get(zone or "", {}).get(year)
    if known is not None:
        return known, True
    return date(year, *FALLBACK_MONTH_DAY), False


def first_school_year_start_after(day: date, zone: str | None) -> tuple[date, bool]:
    """The first rentrée strictly after ``day`` (and whether it is known)."""
    rentree, known = school_year_start(day.year, zone)
    if rentree > day:
        return rentree, known
    return school_year_start(day.year + 1, zone)
