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
import math
import multiprocessing
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from partenariats.activities.models import Activity, ActivityGroup, Contribution
from partenariats.conventions.models import Programme
from partenariats.core.school_year import SchoolYear
from partenariats.demo.activities.catalog import TEMPLATES
from partenariats.demo.activities.make import ActivityDraft, Pools, draft_activity, pick_day, school_days
from partenariats.demo.national.conventions import ConventionGenerator, GeneratedConvention
from partenariats.demo.national.directory import World
from partenariats.demo.national.reference import SHARES, NationalSizes
from partenariats.demo.national.writer import Loader, Table

PROGRESS_EVERY = 40  # batches between two progress lines
# Kinds whose partner is in every one of its activities (the others: as draft_activity decides).
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

    def run(self, log: Callable[[str], None] = lambda line: None, workers: int = 1) -> int:
        """Generate and write every activity; ``workers`` processes draw the batches (PostgreSQL:
        while this one streams the batches they drew, in order, into ``COPY``)."""
        total = self.sizes.activities
        if not self.windows or (not self.flagship and not self.others):
            return 0
        self.flagship_academies = sorted(
            pk for pk, item in self.flagship.items() if self.pools[item.convention.pk].schools
        )
        self.tables = self.make_tables()
        self.first_id = self.tables["activities"].last_id
        numbers = range(math.ceil(total / self.batch_size))
        if workers > 1 and len(numbers) > 1:
            # fork: the workers inherit this generator (the directory and the conventions drawn so
            # far) without a copy, and never touch the database (the connection stays this process's).
            with multiprocessing.get_context("fork").Pool(workers, initializer=adopt, initargs=(self,)) as pool:
                self.write_all(pool.imap(draw_batch, numbers), log)
        else:
            self.write_all(map(self.batch, numbers), log)
        self.tables["activities"].last_id = self.first_id + total
        return total

    def write_all(self, batches: Iterable["Batch"], log: Callable[[str], None]) -> None:
        done = 0
        for number, batch in enumerate(batches, start=1):
            for name, rows in batch.rows.items():
                self.tables[name].rows = rows
            self.loader.flush(*self.tables.values())
            self.per_organisation.update(batch.per_organisation)
            self.per_school.update(batch.per_school)
            done += len(batch.rows["activities"])
            if number % PROGRESS_EVERY == 0:
                log(f"  … {done} activités")

    def batch(self, number: int) -> "Batch":
        """Batch ``number``'s rows, drawn from its own random generator (the same whichever
        process draws it): activities' ids follow their rank, the other rows' the database's."""
        rng = random.Random(f"{self.seed}:national:activities:{number}")
        total, flagship = self.sizes.activities, self.sizes.flagship_activities
        academies = self.flagship_academies
        batch = Batch({name: [] for name in self.tables})
        first = number * self.batch_size
        for index in range(first, min(first + self.batch_size, total)):
            if index < flagship and academies:
                item = self.flagship[rng.choice(academies)]
            elif self.others:
                item = rng.choices(self.others, cum_weights=self.cumulated)[0]
            else:
                item = self.flagship[rng.choice(academies or sorted(self.flagship))]
            self.add_rows(batch, self.first_id + index + 1, *self.one(rng, item))
        return batch

    @staticmethod
    def make_tables() -> dict[str, Table]:
        # Only activities are named by other rows: the others' ids are the database's.
        return {
            "activities": Table(Activity),
            "groups": Table(ActivityGroup, exclude=("id",)),
            "organisations": Table(Activity.organisations.through, exclude=("id",)),
            "volunteers": Table(Activity.volunteers.through, exclude=("id",)),
            "contributions": Table(Contribution, exclude=("id",)),
        }

    def one(self, rng: random.Random, item: GeneratedConvention) -> tuple[ActivityDraft, list[tuple[int, int]]]:
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
        planned = draft_activity(rng, template, kind, day, self.pools[item.convention.pk])
        planned.values["confidential"] = False  # a load test: every activity visible to the measured user
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

    def add_rows(
        self, batch: "Batch", activity_id: int, draft: ActivityDraft, contributions: list[tuple[int, int]]
    ) -> None:
        """One activity's rows, each table's in column order."""
        tables, rows, moment = self.tables, batch.rows, self.moment
        draft.values.update(id=activity_id, created_at=moment, updated_at=moment)
        rows["activities"].append(tables["activities"].row(draft.values))
        for group in draft.groups:
            values = group._asdict()
            values.update(activity_id=activity_id, school_id=group.school.pk if group.school else None)
            rows["groups"].append(tables["groups"].row(values))
        for organisation in draft.organisations:
            rows["organisations"].append(
                tables["organisations"].row({"activity_id": activity_id, "organisation_id": organisation.pk})
            )
        for person in draft.volunteers:
            rows["volunteers"].append(tables["volunteers"].row({"activity_id": activity_id, "person_id": person.pk}))
        for convention_id, action_id in contributions:
            values = {
                "activity_id": activity_id,
                "convention_id": convention_id,
                "action_id": action_id,
                "confirmed": True,
                "confirmed_at": moment,
            }
            rows["contributions"].append(tables["contributions"].row(values))
        batch.per_organisation.update(organisation.pk for organisation in draft.organisations)
        batch.per_school.update({group.school.pk for group in draft.groups if group.school})


@dataclass
class Batch:
    """One batch's rows by table, and who took part in how many of its activities."""

    rows: dict[str, list[tuple]]
    per_organisation: Counter = field(default_factory=Counter)
    per_school: Counter = field(default_factory=Counter)


# In a worker process: the generator whose batches it draws.
_GENERATOR: ActivityGenerator | None = None


def adopt(generator: ActivityGenerator) -> None:
    global _GENERATOR
    _GENERATOR = generator


def draw_batch(number: int) -> Batch:
    return _GENERATOR.batch(number)
