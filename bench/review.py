"""The yearly review's benchmark: its content, PDF and DOCX on a convention with many activities.

    .venv/bin/python bench/review.py [--activities 10000] [--repeat 3] [--keep-db]

See docs/steering-documents.md ("Performances"). In a throwaway SQLite database (migrated at
start, deleted at the end), a convention with a plan of 6 actions and N activities (bulk_create)
counted toward them; then, warm (one run of each first, not counted), the median of ``--repeat``
runs of:
- the baseline: ``indicators.reports.convention_report`` on the same data (the indicator page);
- ``build_content`` of the review, the parties' version and the public one;
- ``review_pdf`` and ``review_docx`` of the parties' version (the content computed once).
Each figure is printed with its ratio to the baseline measured in the same run.
Exit 0 (2 when the set-up failed).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_DIR))  # the test factories build the convention


def timed(function, repeat: int) -> float:
    """The median wall time of ``repeat`` runs, in milliseconds, after one warm-up run."""
    function()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def build_world(activity_count: int):
    """A convention of Aix-Marseille, its 2025-2026 plan and ``activity_count`` activities counted toward it."""
    from partenariats.accounts.models import Role
    from partenariats.activities.models import (
        Activity,
        ActivityGroup,
        ActivityKind,
        Contribution,
        Level,
        Metric,
        PlanStatus,
    )
    from partenariats.directory.models import PriorityEducation
    from partenariats.steering.models import Review
    from tests.factories import (
        ActionFactory,
        ActionTargetFactory,
        AssignmentFactory,
        ConventionFactory,
        OrganisationFactory,
        PlanFactory,
        UserFactory,
        academy,
    )

    aix = academy("Aix-Marseille")
    convention = ConventionFactory(signed=True, academy=aix, title="Convention de banc d’essai")
    plan = PlanFactory(
        convention=convention, school_year=2025, status=PlanStatus.ADOPTED, adopted_on=datetime.date(2025, 7, 1)
    )
    actions = []
    for number in range(1, 7):
        action = ActionFactory(plan=plan, number=number, title=f"Action de banc d’essai {number}")
        ActionTargetFactory(action=action, metric=Metric.EVENTS, value=activity_count // 6)
        ActionTargetFactory(action=action, metric=Metric.PUPILS, value=activity_count * 4)
        actions.append(action)
    schools = [
        OrganisationFactory(
            school=True,
            academy=aix,
            priority_education=PriorityEducation.REP if n % 3 == 0 else PriorityEducation.NONE,
        )
        for n in range(40)
    ]
    first_day = datetime.date(2025, 9, 8)
    activities = Activity.objects.bulk_create(
        Activity(
            title=f"Visite {n + 1}",
            kind=ActivityKind.COMPANY_VISIT,
            starts_on=first_day + datetime.timedelta(days=n % 280),
            school_year=2025,
            academy=aix,
            pupil_participations=25,
        )
        for n in range(activity_count)
    )
    ActivityGroup.objects.bulk_create(
        ActivityGroup(activity=activity, school=schools[n % len(schools)], level=Level.TROISIEME, pupils=25)
        for n, activity in enumerate(activities)
    )
    Contribution.objects.bulk_create(
        Contribution(activity=activity, convention=convention, action=actions[n % len(actions)], confirmed=True)
        for n, activity in enumerate(activities)
    )
    review = Review.objects.create(convention=convention, school_year=2025)
    staff = UserFactory()
    AssignmentFactory(user=staff, role=Role.ACADEMY_STAFF, academy=aix)
    return convention, review, staff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of the yearly review (content, PDF, DOCX).")
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep-db", action="store_true", help="keep the SQLite file (its path is printed)")
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="bench-review-")
    database = Path(folder) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partenariats.test_settings")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from django.core.management import call_command

    from partenariats.core.school_year import SchoolYear
    from partenariats.indicators.reports import convention_report
    from partenariats.steering.content import build_content
    from partenariats.steering.documents.docx import review_docx
    from partenariats.steering.documents.pdf import review_pdf

    try:
        start = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        convention, review, staff = build_world(args.activities)
        setup = time.perf_counter() - start
    except Exception as error:  # the set-up, not the measure
        print(f"bench/review.py: set-up failed: {error!r}", file=sys.stderr)
        return 2

    content = build_content(review, public=False)
    figures = {
        "convention_report (baseline)": timed(
            lambda: convention_report(convention, staff, SchoolYear(2025)), args.repeat
        ),
        "build_content, parties' version": timed(lambda: build_content(review, public=False), args.repeat),
        "build_content, public version": timed(lambda: build_content(review, public=True), args.repeat),
        "review_pdf": timed(lambda: review_pdf(content), args.repeat),
        "review_docx": timed(lambda: review_docx(content), args.repeat),
    }
    pdf_size, docx_size = len(review_pdf(content)), len(review_docx(content))
    baseline = figures["convention_report (baseline)"]
    activities = next(f["display"] for f in content["key_figures"] if f["label"] == "Activités réalisées")
    lines = [
        f"Review benchmark — {args.activities} activities ({activities} counted), median of {args.repeat} warm runs",
        f"set-up (migrate + data): {setup:.1f} s; database: SQLite; CPUs: {os.cpu_count()}",
        "",
        f"{'step':<34}{'median (ms)':>12}{'× baseline':>12}",
    ]
    for name, value in figures.items():
        lines.append(f"{name:<34}{value:>12.0f}{value / baseline:>12.2f}")
    lines += ["", f"PDF: {pdf_size / 1024:.0f} KiB; DOCX: {docx_size / 1024:.0f} KiB"]
    print("\n".join(lines))
    if args.keep_db:
        print(f"Database kept: {database}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
