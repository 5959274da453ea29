"""The demo conventions: about forty partnership conventions of every kind, dated from the load day.

Dates are counted back from ``today`` so that, whenever the demo is loaded, the dashboard shows
the same mix: conventions in force, ending within a few months, renewed (tacitly or by a
recorded renewal), under notice, in provisional continuation while renegotiated, expired,
terminated, a draft, one awaiting signatures, one not started yet and one whose signature date
was left blank. Five are shaped like the seed conventions (terms, parties, outline), in their
own words. Same seed and same ``today`` → same data.

A convention's natural key is the number at the end of its reference (``DEMO-2021-004``): the
year is the signature year, which moves with the load day; the number does not. A convention
already there is left as it is, only its terms are recomputed for ``today``: a second run
creates nothing.

- ``specs``: the plan's records (``Spec``, ``Sign``…) and constants;
- ``planner``: the organisations involved and the shared choices; ``plan``: the conventions;
- ``articles``, ``commitments``: the wording; ``write``: the batched creation with history.
"""

from datetime import date
from typing import TYPE_CHECKING

from partenariats.conventions.services import refresh_terms
from partenariats.demo.conventions.plan import plan
from partenariats.demo.conventions.planner import ConventionPlanner
from partenariats.demo.conventions.write import ConventionWriter, existing_conventions

if TYPE_CHECKING:
    from partenariats.demo.builder import DemoBuilder


def build_conventions(builder: "DemoBuilder", today: date) -> None:
    """Create the demo conventions missing from the database, then compute every one's terms on ``today``."""
    planner = ConventionPlanner(builder, today)
    planner.load_organisations()
    by_number = existing_conventions()
    missing = [spec for spec in plan(planner) if spec.number not in by_number]
    ConventionWriter(planner).write(missing, by_number)
    builder.report.created["conventions"] += len(missing)
    for convention in by_number.values():
        refresh_terms(convention, today)
