"""The national activities, generated and written batch by batch (memory stays flat at any size).

The first :attr:`NationalSizes.flagship_activities` are the flagship partner's: each takes place in
one académie with the partner and one of its member companies, and counts (confirmed) toward the
national convention's action and, one time in two, toward the académie's framework convention.
The others are spread over the chamber and local conventions. Batch ``n`` draws from its own
random generator, so the data depend only on the seed, the sizes and ``today``.
"""

import datetime
import random
from collections.abc import Callable, Sequence

from django.utils import timezone

from partenariats.activities.models import Activity, ActivityGroup, Contribution
from partenariats.conventions.models import Programme
from partenariats.core.school_year import SchoolYear
from partenariats.demo.activities.catalog import TEMPLATES
from partenariats.demo.activities.make import PlannedActivity, Pools, make_activity, pick_day, school_days
from partenariats.demo.national.conventions import ConventionGenerator, GeneratedConvention
from partenariats.demo.national.directory import World
from partenariats.demo.national.reference import NationalSizes

PROGRESS_EVERY = 25  # batches between two progress lines


class ActivityGenerator:
    def __init__(
        self, world: World, conventions: ConventionGenerator, sizes: NationalSizes, seed: int, batch_size: int
    ):
        self.world, self.sizes, self.seed, self.batch_size = world, sizes, seed, batch_size
        self.today = conventions.today
        generated = conventions.conventions
        self.national = next((c for c in generated if c.kind == "national"), None)
        self.flagship = {c.academy_id: c for c in generated if c.kind == "flagship"}
        self.others = [c for c in generated if c.kind in ("chamber", "local")]
        self.windows = self.year_windows(conventions.years)
        programmes = {p.code: p for p in Programme.objects.all()}
        self.pools = {c.convention.pk: self.pools_of(c, programmes) for c in generated}
        self.moment = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(12)))

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
        for item in self.others:
            budget[item.convention.pk] = (total - flagship) // max(len(self.others), 1)
        return budget

    def run(self, log: Callable[[str], None] = lambda line: None) -> int:
        total, flagship = self.sizes.activities, self.sizes.flagship_activities
        if not self.windows or (not self.flagship and not self.others):
            return 0
        flagship_academies = sorted(pk for pk, item in self.flagship.items() if self.pools[item.convention.pk].schools)
        done, batch_number = 0, 0
        while done < total:
            rng = random.Random(f"{self.seed}:national:activities:{batch_number}")
            count = min(self.batch_size, total - done)
            rows = []
            for index in range(done, done + count):
                if index < flagship and flagship_academies:
                    item = self.flagship[rng.choice(flagship_academies)]
                elif self.others:
                    item = rng.choice(self.others)
                else:
                    item = self.flagship[rng.choice(flagship_academies or sorted(self.flagship))]
                rows.append(self.one(rng, item))
            self.save(rows)
            done += count
            batch_number += 1
            if batch_number % PROGRESS_EVERY == 0:
                log(f"  … {done} activités")
        return done

    def one(self, rng: random.Random, item: GeneratedConvention) -> tuple[PlannedActivity, list[Contribution]]:
        year, lo, hi = rng.choices(self.windows, weights=[(w[2] - w[1]).days + 1 for w in self.windows])[0]
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
        contributions = [Contribution(activity=planned.activity, convention=item.convention, action=action)]
        if item.kind == "flagship":
            partner = self.world.partner
            if partner not in planned.organisations:
                planned.organisations.insert(0, partner)
            national = self.national.actions.get((year.start_year, key)) if self.national else None
            if national is not None:
                contributions.append(
                    Contribution(activity=planned.activity, convention=self.national.convention, action=national)
                )
                if rng.random() < 0.5:
                    contributions.pop(0)  # counted toward the national convention only
        for contribution in contributions:
            contribution.confirmed, contribution.confirmed_at = True, self.moment
        return planned, contributions

    def save(self, rows: Sequence[tuple[PlannedActivity, list[Contribution]]]) -> None:
        Activity.objects.bulk_create([planned.activity for planned, _ in rows], batch_size=self.batch_size)
        groups, organisations, volunteers = [], [], []
        organisation_link, volunteer_link = Activity.organisations.through, Activity.volunteers.through
        for planned, _ in rows:
            for group in planned.groups:
                group.activity = planned.activity
                groups.append(group)
            activity_id = planned.activity.pk
            organisations += [
                organisation_link(activity_id=activity_id, organisation_id=o.pk) for o in planned.organisations
            ]
            volunteers += [volunteer_link(activity_id=activity_id, person_id=p.pk) for p in planned.volunteers]
        ActivityGroup.objects.bulk_create(groups, batch_size=self.batch_size)
        organisation_link.objects.bulk_create(organisations, batch_size=self.batch_size)
        volunteer_link.objects.bulk_create(volunteers, batch_size=self.batch_size)
        Contribution.objects.bulk_create([c for _, row in rows for c in row], batch_size=self.batch_size)
