"""The national-scale data set: deterministic from a seed, parameterised by size, written in bulk.

``generate_national(sizes=..., seed=...)`` fills a database (SQLite or PostgreSQL) with every
académie's bassins, schools, companies, partners, people, conventions, plans for each school
year and as many activities as asked, spread over the partners on a long tail: a flagship
national federation (15 % of the activities by default), four other federations, the chambers,
then local conventions ever smaller. At :data:`ISSUE_7` sizes it is the national scale
(2 000 000 activities over five school years), for load tests (``make bench``).

The big tables are streamed as rows (``writer``: PostgreSQL ``COPY``, ``executemany`` on
SQLite), the sequences reset afterwards; no history record is written (``simple_history``
tables stay empty for generated rows): it is a load-test set, not a story. Three accounts
(:data:`PERSONA_EMAILS`: the flagship's staff, the busiest school's, an académie's) share the
demo password, hashed once.

- ``reference``: sizes, shares, marks of generated records, each académie's department;
- ``writer``: rows into tables;
- ``directory``, ``conventions``, ``activities``: the steps, in that order.

It runs once per database: a second run with the same seed and sizes finds everything there and
creates nothing; with other ones, it refuses (:class:`AlreadyGenerated`). All or nothing: one
transaction.
"""

import datetime
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from partenariats.accounts.models import Assignment, Role, User
from partenariats.activities.models import Activity, ActivityGroup, Contribution, Plan
from partenariats.conventions.models import Convention
from partenariats.demo.constants import DEMO_PASSWORD
from partenariats.demo.national.activities import ActivityGenerator
from partenariats.demo.national.conventions import ConventionGenerator
from partenariats.demo.national.directory import DirectoryGenerator
from partenariats.demo.national.reference import (
    DEFAULT_BATCH_SIZE,
    EMAIL_DOMAIN,
    ISSUE_7,
    PARTNER_NAME,
    PERSONA_EMAILS,
    REFERENCE_PREFIX,
    NationalSizes,
)
from partenariats.demo.national.writer import Loader
from partenariats.directory.models import Membership, Organisation, OrganisationKind, Person

# The big tables: their secondary indexes and constraints are built once, after the load.
BULK_MODELS = (
    Organisation,
    Organisation.members.through,
    Person,
    Membership,
    Activity,
    ActivityGroup,
    Activity.organisations.through,
    Activity.volunteers.through,
    Contribution,
)

__all__ = ["ISSUE_7", "AlreadyGenerated", "NationalReport", "NationalSizes", "generate_national"]


class AlreadyGenerated(Exception):
    """Generated data of another seed or other sizes is in the database: nothing was written."""


@dataclass
class NationalReport:
    created: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)
    partner: Organisation | None = None
    partner_activities: int = 0
    biggest: Organisation | None = None  # the organisation taking part in the most activities
    biggest_activities: int = 0
    latest_year: int | None = None  # the school year with the latest activities (the current one, once begun)
    already_there: bool = False


def generated_counts() -> dict[str, int]:
    """What generated data the database holds, counted as the sizes count it."""
    mine = Organisation.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    return {
        "schools": mine.filter(kind=OrganisationKind.SCHOOL).count(),
        "companies": mine.filter(kind=OrganisationKind.COMPANY).count(),
        "conventions": Convention.objects.filter(reference__startswith=REFERENCE_PREFIX).count(),
        "people": Person.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count(),
        "activities": Contribution.objects.filter(convention__reference__startswith=REFERENCE_PREFIX)
        .values("activity")
        .distinct()
        .count(),
    }


def partner_activity_count(partner: Organisation) -> int:
    return partner.activities.count()


def biggest_partner() -> tuple[Organisation | None, int]:
    """The generated organisation taking part in the most activities, and how many."""
    through = Activity.organisations.through
    row = (
        through.objects.filter(organisation__email__endswith=f"@{EMAIL_DOMAIN}")
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation")
        .first()
    )
    if row is None:
        return None, 0
    return Organisation.objects.get(pk=row["organisation"]), row["n"]


def create_personas(partner: Organisation, school: Organisation | None) -> int:
    """The load test's accounts in the national data: the flagship partner's staff, the busiest
    school's, and the staff of that school's académie. One password hash for all (Argon2 is slow
    on purpose: never one per row)."""
    password = make_password(DEMO_PASSWORD)
    scopes = {"partner": {"role": Role.PARTNER_STAFF, "organisation": partner}}
    if school is not None:
        scopes["school"] = {"role": Role.SCHOOL_STAFF, "organisation": school}
        scopes["academy"] = {"role": Role.ACADEMY_STAFF, "academy_id": school.academy_id}
    for key, scope in scopes.items():
        user = User.objects.create(email=PERSONA_EMAILS[key], password=password, last_name=f"Persona {key}")
        Assignment.objects.create(user=user, **scope)
    return len(scopes)


def check_not_generated(sizes: NationalSizes, seed: int) -> Organisation | None:
    """The flagship partner when the same generation is already there; None when nothing is.

    Raises :class:`AlreadyGenerated` when another one is."""
    reference = (
        Convention.objects.filter(reference__startswith=REFERENCE_PREFIX)
        .order_by("reference")
        .values_list("reference", flat=True)
        .first()
    )
    if reference is None:
        return None
    found_seed = reference.removeprefix(REFERENCE_PREFIX).partition("-")[0]
    counts = generated_counts()
    if found_seed != str(seed) or counts != {name: getattr(sizes, name) for name in counts}:
        found = ", ".join(f"{name} {count}" for name, count in counts.items())
        raise AlreadyGenerated(
            f"Des données générées sont déjà dans la base (graine {found_seed} : {found}). Le générateur ne "
            "s’exécute qu’une fois par base : utilisez une base vide ou les mêmes graine et tailles."
        )
    return Organisation.objects.filter(name=PARTNER_NAME).first()


def refresh_statistics() -> int:
    """ANALYZE after the bulk load: without it PostgreSQL plans the indicator queries for the
    empty tables it last measured (nested loops over 100 000 rows: minutes instead of a second)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return 1


def generate_national(
    *,
    sizes: NationalSizes | None = None,
    seed: int = 1,
    today: datetime.date | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    log: Callable[[str], None] = lambda line: None,
) -> NationalReport:
    """Generate the national data set (or find it already there); ``log`` receives a line per step,
    ``workers`` processes draw the activities (the same data whatever their number)."""
    sizes = sizes or NationalSizes()
    today = today or timezone.localdate()
    report = NationalReport()
    partner = check_not_generated(sizes, seed)
    if partner is not None:
        report.partner, report.already_there = partner, True
        report.partner_activities = partner_activity_count(partner)
        report.biggest, report.biggest_activities = biggest_partner()
        report.latest_year = Plan.objects.filter(convention__parties__organisation=partner).aggregate(
            year=Max("school_year")
        )["year"]
        return report

    def step(label: str, run: Callable[[], int]) -> None:
        began = time.monotonic()
        count = run()
        report.seconds[label] = time.monotonic() - began
        report.created[label] += count
        log(f"{label} : {count} en {report.seconds[label]:.1f} s")

    loader = Loader()
    with transaction.atomic():
        dropped = loader.drop_indexes(BULK_MODELS)
        directory = DirectoryGenerator(sizes, seed, batch_size, loader)
        step("bassins", directory.territories)
        step("services et partenaires", directory.services_and_partners)
        step("établissements", directory.schools)
        step("entreprises", directory.companies)
        step("adhésions", directory.members)
        step("personnes", directory.people)
        conventions = ConventionGenerator(directory.world, sizes, seed, today, batch_size, loader)
        step("conventions", conventions.conventions_step)
        step("statuts des conventions", conventions.refresh_step)
        activities = ActivityGenerator(directory.world, conventions, sizes, seed, batch_size, loader)
        step("plans", lambda: conventions.plans_step(activities.budget()))
        step("activités", lambda: activities.run(log, workers))
        step("index et contraintes reconstruits", lambda: loader.restore_indexes(dropped))
        busiest = activities.per_school.most_common(1)
        school = Organisation.objects.get(pk=busiest[0][0]) if busiest else None
        step("comptes des personas", lambda: create_personas(directory.world.partner, school))
        step("séquences", lambda: loader.reset_sequences() or len(loader.touched))
    step("statistiques du planificateur", refresh_statistics)
    report.partner = directory.world.partner
    report.partner_activities = activities.per_organisation[report.partner.pk]
    if activities.per_organisation:
        biggest_pk, report.biggest_activities = activities.per_organisation.most_common(1)[0]
        report.biggest = Organisation.objects.get(pk=biggest_pk)
    report.latest_year = conventions.years[-1].start_year
    return report
