"""The national activities, generated and streamed batch by batch (memory stays flat at any size).

The first :attr:`NationalSizes.flagship_activities` are the flagship partner's: each takes place in
one académie with the partner and one of its member companies, and counts (confirmed) toward the
national convention's action and, one time in two, toward the académie's framework convention.
The others go to the other federations' national conventions, the chambers' and the local ones,
each group its share of :data:`SHARES` and, within a group, convention n in proportion to
1 / n ** exponent: a few big partners, a long tail of small ones. Batch ``n`` draws from its own
random generator, so the data depend only on the seed, the sizes, the batch size and ``today``.
Rows are written through :mod:`.writer` (``COPY`` on PostgreSQL).
"""

import datetime
import itertools
import random
from collections import Counter
from collections.abc import Callable, Sequence

from django.utils import timezone

from partenariats.activities.models import Activity, ActivityGroup, Contribution
from partenariats.conventions.models import Programme
from partenariats.core.school_year import SchoolYear
from partenariats.demo.activities.catalog import TEMPLATES
from partenariats.demo.activities.make import PlannedActivity, Pools, make_activity, pick_day, school_days
from partenariats.demo.national.conventions import ConventionGenerator, GeneratedConvention
from partenariats.demo.national.directory import World
from partenariats.demo.national.reference import SHARES, NationalSizes
from partenariats.demo.national.writer import Loader, Table

PROGRESS_EVERY = 40  # batches between two progress lines
# Kinds whose partner is in every one of its activities (the others: as make_activity decides).
NAMED_PARTNER_KINDS = ("flagship", "federation")


class ActivityGenerator:
    def __init__(
        self,
        world: World,
        conventions: ConventionGenerator,
        sizes: NationalSizes,
        seed: int,
        batch_size: int,
        loader: Loader,
    ):
        self.world, self.sizes, self.seed, self.batch_size, self.loader = world, sizes, seed, batch_size, loader
        self.today = conventions.today
        generated = conventions.conventions
        self.national = next((c for c in generated if c.kind == "national"), None)
        self.flagship = {c.academy_id: c for c in generated if c.kind == "flagship"}
        self.others, self.weights = self.long_tail(generated)
        self.cumulated = list(itertools.accumulate(self.weights))
        self.windows = self.year_windows(conventions.years)
        self.window_weights = list(itertools.accumulate((w[2] - w[1]).days + 1 for w in self.windows))
        programmes = {p.code: p for p in Programme.objects.all()}
        self.pools = {c.convention.pk: self.pools_of(c, programmes) for c in generated}
        self.moment = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(12)))
        # Activities per organisation taking part, per school (its groups): the biggest are reported.
        self.per_organisation: Counter = Counter()
        self.per_school: Counter = Counter()

    @staticmethod
    def long_tail(generated: Sequence[GeneratedConvention]) -> tuple[list[GeneratedConvention], list[float]]:
        """The conventions sharing the activities beyond the flagship's, and each one's share (sum 1)."""
        groups = {kind: [c for c in generated if c.kind == kind] for kind in SHARES}
        present = {kind: items for kind, items in groups.items() if items}
        total = sum(SHARES[kind][0] for kind in present) or 1
        others, weights = [], []
        for kind, items in present.items():
            share, exponent = SHARES[kind]
            rank_weights = [1 / rank**exponent for rank in range(1, len(items) + 1)]
            scale = share / total / sum(rank_weights)
            others += items
            weights += [weight * scale for weight in rank_weights]
        return others, weights

    def year_windows(self, years: Sequence[SchoolYear]) -> list[tuple[SchoolYear, datetime.date, datetime.date]]:
        """The school days of each year, up to ``today``."""
        windows = []
        for year in years:
            lo, hi = school_days(year, None)
            hi = min(hi, self.today)
            if lo <= hi:
                windows.append((year, lo, hi))
        return windows

    def pools_of(self, item: GeneratedConvention, programmes) -> Pools:
        world = self.world
        if item.kind == "local":
            schools, companies, partners = [item.parties[0].organisation], [item.parties[1].organisation], []
        elif item.academy_id is None:
            schools = [s for a in world.academies for s in world.schools.get(a.pk, [])]
            companies = [c for a in world.academies for c in world.companies.get(a.pk, [])]
            partners = [item.parties[-1].organisation]
        else:
            schools, companies = world.schools.get(item.academy_id, []), world.companies.get(item.academy_id, [])
            partners = [item.parties[-1].organisation]
        return Pools(schools, companies, partners, world.volunteers, programmes)

    def budget(self) -> dict[int, int]:
        """Activities expected per convention pk over all years (the plans' targets follow it)."""
        flagship, total = self.sizes.flagship_activities, self.sizes.activities
        budget = {}
        if self.national is not None:
            budget[self.national.convention.pk] = flagship
        for item in self.flagship.values():
            budget[item.convention.pk] = flagship // max(len(self.flagship), 1)
        for item, weight in zip(self.others, self.weights, strict=True):
            budget[item.convention.pk] = round((total - flagship) * weight)
        return budget

    def run(self, log: Callable[[str], None] = lambda line: None) -> int:
        total, flagship = self.sizes.activities, self.sizes.flagship_activities
        if not self.windows or (not self.flagship and not self.others):
            return 0
        flagship_academies = sorted(pk for pk, item in self.flagship.items() if self.pools[item.convention.pk].schools)
        tables = self.tables()
        done, batch_number = 0, 0
        while done < total:
            rng = random.Random(f"{self.seed}:national:activities:{batch_number}")
            count = min(self.batch_size, total - done)
            for index in range(done, done + count):
                if index < flagship and flagship_academies:
                    item = self.flagship[rng.choice(flagship_academies)]
                elif self.others:
                    item = rng.choices(self.others, cum_weights=self.cumulated)[0]
                else:
                    item = self.flagship[rng.choice(flagship_academies or sorted(self.flagship))]
                self.queue(tables, *self.one(rng, item))
            self.loader.flush(*tables.values())
            done += count
            batch_number += 1
            if batch_number % PROGRESS_EVERY == 0:
                log(f"  … {done} activités")
        return done

    @staticmethod
    def tables() -> dict[str, Table]:
        return {
            "activities": Table(Activity),
            "groups": Table(ActivityGroup),
            "organisations": Table(Activity.organisations.through),
            "volunteers": Table(Activity.volunteers.through),
            "contributions": Table(Contribution),
        }

    def one(self, rng: random.Random, item: GeneratedConvention) -> tuple[PlannedActivity, list[tuple[int, int]]]:
        """One activity of ``item`` and what it counts toward: (convention id, action id) pairs,
        plain ids rather than ``Contribution`` instances (built for nothing but their row)."""
        year, lo, hi = rng.choices(self.windows, cum_weights=self.window_weights)[0]
        key, _ = rng.choice(item.keys)
        action = item.actions[(year.start_year, key)]
        if action.starts_on and action.ends_on:
            lo, hi = max(lo, action.starts_on), min(hi, action.ends_on)
            if lo > hi:
                _, lo, hi = next(w for w in self.windows if w[0] == year)
        template = TEMPLATES[key]
        kind = rng.choice(template.kinds)
        day = max(lo, pick_day(rng, lo, hi, monday=kind in ("observation", "placement")))
        planned = make_activity(rng, template, kind, day, self.pools[item.convention.pk])
        planned.activity.confidential = False  # a load test: every activity visible to the measured user
        contributions = [(item.convention.pk, action.pk)]
        if item.kind in NAMED_PARTNER_KINDS:
            partner = item.parties[-1].organisation
            if partner not in planned.organisations:
                planned.organisations.insert(0, partner)
        if item.kind == "flagship":
            national = self.national.actions.get((year.start_year, key)) if self.national else None
            if national is not None:
                contributions.append((self.national.convention.pk, national.pk))
                if rng.random() < 0.5:
                    contributions.pop(0)  # counted toward the national convention only
        return planned, contributions

    def queue(self, tables: dict[str, Table], planned: PlannedActivity, contributions: list[tuple[int, int]]) -> None:
        """One activity's rows, each table's in column order; ids given here link them."""
        activity = planned.activity
        activity.created_at = activity.updated_at = self.moment
        activity_id = tables["activities"].add_instance(activity)
        for group in planned.groups:
            group.activity_id = activity_id
            tables["groups"].add_instance(group)
        for organisation in planned.organisations:
            tables["organisations"].add(activity_id=activity_id, organisation_id=organisation.pk)
        for person in planned.volunteers:
            tables["volunteers"].add(activity_id=activity_id, person_id=person.pk)
        for convention_id, action_id in contributions:
            tables["contributions"].add(
                activity_id=activity_id,
                convention_id=convention_id,
                action_id=action_id,
                confirmed=True,
                confirmed_at=self.moment,
            )
        self.per_organisation.update(organisation.pk for organisation in planned.organisations)
        self.per_school.update({group.school_id for group in planned.groups if group.school_id})
