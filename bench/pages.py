"""The pages the benchmark measures, beside the framework floor. Add a page here, nothing else.

Each page is fetched by every simulated user as often as the floor (equal task weights), so
the ratios compare like with like. Paths are fetched as a logged-in académie staff member
(académie d'Aix-Marseille) on the demo data; a page answering anything but 200 counts as
a failure.

A path may name what the benchmark creates with a placeholder: ``{partner}`` is the flagship
partner of the national data set (``generate_national``: a federation with 100 000 activities
by default, all in one school year, ``{year}``); ``run.py`` passes them to locust as
``BENCH_PARTNER`` and ``BENCH_YEAR``. A page whose placeholder has no value
(``--national-activities 0``) is not measured.
"""

import os
import string
from collections.abc import Mapping
from typing import NamedTuple


class Page(NamedTuple):
    name: str  # how locust and the results table name it
    path: str


# A minimal view rendering the DSFR base template behind the same middleware: what any
# page costs before it does anything.
FLOOR = Page("plancher", "/plancher/")

PAGES: tuple[Page, ...] = (
    Page("organisations", "/annuaire/organisations/"),
    Page("indicateurs partenaire", "/indicateurs/organisations/{partner}/?year={year}"),
)

# Placeholder → the environment variable that holds its value.
PLACEHOLDERS = {"partner": "BENCH_PARTNER", "year": "BENCH_YEAR"}

# Requests made before every user has logged in are named "<page> (warm-up)" and kept apart.
WARM_UP_SUFFIX = " (warm-up)"


def measured_pages(environ: Mapping[str, str] = os.environ) -> tuple[Page, ...]:
    """``PAGES`` with their placeholders filled from ``environ``; those missing a value left out."""
    values = {name: environ.get(variable, "") for name, variable in PLACEHOLDERS.items()}
    pages = []
    for page in PAGES:
        needed = {field for _, field, _, _ in string.Formatter().parse(page.path) if field}
        if all(values.get(field) for field in needed):
            pages.append(page._replace(path=page.path.format(**values)))
    return tuple(pages)
