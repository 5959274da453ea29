"""The pages the benchmark measures, beside the framework floor. Add a page here, nothing else.

Each page is fetched by every simulated user as often as the floor (equal task weights), so
the ratios compare like with like. Paths are fetched as a logged-in académie staff member
(académie d'Aix-Marseille) on the demo data; a page answering anything but 200 counts as
a failure.
"""

from typing import NamedTuple


class Page(NamedTuple):
    name: str  # how locust and the results table name it
    path: str


# A minimal view rendering the DSFR base template behind the same middleware: what any
# page costs before it does anything.
FLOOR = Page("plancher", "/plancher/")

PAGES: tuple[Page, ...] = (Page("organisations", "/annuaire/organisations/"),)

# Requests made before every user has logged in are named "<page> (warm-up)" and kept apart.
WARM_UP_SUFFIX = " (warm-up)"
