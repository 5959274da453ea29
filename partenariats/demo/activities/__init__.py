"""The demo's yearly plans and activities: three school years for the demo conventions.

- ``catalog``: action templates, levels, classes, titles and evaluations (our own wording);
- ``make``: one activity from a template (shared with the national generator);
- ``plans``: the plans, actions, targets and activities of each convention and year, in memory;
- ``write``: their creation in a few bulk inserts, with history.

They are created once, for the three school years up to the first load day: when the demo
conventions have plans already, a later run creates none, whatever the day (like the
conventions, dated from the load day that created them). Same seed, same sizes, same ``today``
→ same data.
"""

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from partenariats.activities.models import Plan
from partenariats.conventions.models import Convention, PartySide, Programme
from partenariats.core.school_year import SchoolYear
from partenariats.demo.activities.make import Pools
from partenariats.demo.activities.plans import PlanPlanner
from partenariats.demo.activities.write import ActivityWriter
from partenariats.demo.conventions.specs import PREFIX
from partenariats.directory.models import Membership, Organisation, OrganisationKind, PersonRole

if TYPE_CHECKING:
    from partenariats.demo.builder import DemoBuilder

YEARS = 3
# The demo accounts' school and company take part more often, so that their pages show something.
ACCOUNT_WEIGHT = 4


def demo_conventions() -> dict[int, Convention]:
    conventions = Convention.objects.filter(reference__startswith=PREFIX).prefetch_related(
        "parties__organisation",
        "commitments__programmes",
        "commitments__audiences",
        "signatories",
        "academies",
        "owners",
    )
    found = {}
    for convention in conventions:
        number = convention.reference.rpartition("-")[2]
        if number.isdigit():
            found[int(number)] = convention
    return dict(sorted(found.items()))


class PoolMaker:
    """The schools, companies and volunteers each demo convention's activities draw from."""

    def __init__(self, builder: "DemoBuilder"):
        self.builder = builder
        through = Organisation.members.through
        self.members: dict[int, list[int]] = defaultdict(list)
        for federation_id, company_id in through.objects.order_by("to_organisation_id").values_list(
            "from_organisation_id", "to_organisation_id"
        ):
            self.members[federation_id].append(company_id)
        self.companies = {c.pk: c for c in builder.companies}
        volunteers = defaultdict(list)
        memberships = Membership.objects.filter(
            organisation__in=list(self.companies), role__in=(PersonRole.VOLUNTEER, PersonRole.TUTOR)
        ).select_related("person")
        for membership in memberships.order_by("person__email"):
            volunteers[membership.organisation_id].append(membership.person)
        self.volunteers = dict(volunteers)
        self.programmes = {p.code: p for p in Programme.objects.all()}

    def pools(self, convention: Convention) -> Pools:
        builder = self.builder
        parties = [p.organisation for p in convention.parties.all()]
        academy_ids = {a.pk for a in convention.academies.all()}
        in_academies = (lambda o: o.academy_id in academy_ids) if academy_ids else (lambda o: True)
        schools = [o for o in parties if o.kind == OrganisationKind.SCHOOL]
        if not schools:
            schools = [s for s in builder.schools if in_academies(s)] or list(builder.schools)
            schools += [s for s in builder.schools[:1] if in_academies(s)] * ACCOUNT_WEIGHT
        partners = [
            p.organisation
            for p in convention.parties.all()
            if p.side == PartySide.PARTNER and p.organisation.kind not in (OrganisationKind.SCHOOL,)
        ]
        companies = [o for o in partners if o.kind == OrganisationKind.COMPANY]
        if not companies:
            companies = [
                self.companies[pk] for o in partners for pk in self.members.get(o.pk, ()) if pk in self.companies
            ]
        if not companies:
            companies = [c for c in builder.companies if in_academies(c)] or list(builder.companies)
            companies += [c for c in builder.companies[1:2] if in_academies(c)] * ACCOUNT_WEIGHT
        return Pools(
            schools=schools,
            companies=companies,
            partners=[o for o in partners if o.kind != OrganisationKind.COMPANY],
            volunteers=self.volunteers,
            programmes=self.programmes,
        )


def build_activities(builder: "DemoBuilder", today: date) -> None:
    """Create the demo plans (three school years up to ``today``'s) with their activities, unless
    the demo conventions have plans already."""
    current = SchoolYear.of(today)
    years = [SchoolYear(current.start_year - back) for back in reversed(range(YEARS))]
    conventions = demo_conventions()
    if not conventions or Plan.objects.filter(convention__in=list(conventions.values())).exists():
        return
    pool_maker = PoolMaker(builder)
    planner = PlanPlanner(builder.seed, today, years, builder.sizes.activity_count)
    infos = [planner.info(c, number, pool_maker.pools(c)) for number, c in conventions.items()]
    budget = planner.budgets(infos)
    planned = [planner.plan(info, year, budget) for info in infos for year in info.years]
    created = ActivityWriter(builder, infos, builder.seed).write(planned)
    builder.report.created.update(created)
