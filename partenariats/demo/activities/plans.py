"""Planning the demo's yearly plans and activities, convention by convention, in memory.

Each convention in force gets a plan for each of the last three school years it ran (the current
one included, partly done on ``today``); drafts and conventions not started yet get a draft plan
for the current year. A plan's actions come from the convention's commitments (one action per
template their programmes or wording call for, numbered the same every year). The activities of
an action are drawn for the whole year, its targets set from what they realise (some actions
below target, some above), then those after ``today`` are dropped: a current year half done.

Deliberate gaps, so that indicators and « nothing done » lists mean something: a few actions
with nothing done in a past year, the actions whose period has not come yet this year, and one
convention (:data:`NOTHING_THIS_YEAR`) with nothing done at all this year.
"""

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from partenariats.activities.models import Action, ActionModality, Contribution, Plan, PlanStatus
from partenariats.conventions.models import Commitment, Convention, ConventionStatus, PartySide
from partenariats.core.school_year import SchoolYear, parse_period
from partenariats.demo.activities.catalog import BY_PROGRAMME, BY_WORDS, PLAN_NOTES, TEMPLATES
from partenariats.demo.activities.make import (
    PlannedActivity,
    Pools,
    make_activity,
    pick_day,
    realised,
    school_days,
    target_for,
)
from partenariats.directory.models import OrganisationKind

# The convention whose current year shows no activity at all (an adopted plan, nothing done).
NOTHING_THIS_YEAR = 12
NOT_STARTED = (ConventionStatus.DRAFT, ConventionStatus.AWAITING_SIGNATURES, ConventionStatus.SIGNED_NOT_STARTED)
ENDED = (ConventionStatus.EXPIRED, ConventionStatus.TERMINATED)
KIND_WEIGHTS = {"national": 2.5, "regional": 3.0, "framework": 2.0, "application": 1.2, "local": 0.6}
MAX_ACTIONS = {"local": 4}
MIN_SCHOOL_DAYS = 60  # a year in which a convention ran less than this gets no plan


@dataclass
class ConventionInfo:
    """A demo convention as the planner sees it: its number, actions to be, years and people."""

    convention: Convention
    number: int
    keys: list[tuple[str, list[Commitment]]]  # template key → commitments it serves, in action order
    years: list[SchoolYear]
    draft_only: bool
    window: tuple[date, date | None]
    pools: Pools
    partner_ids: set[int]

    def number_of(self, key: str) -> int:
        return next(index for index, (k, _) in enumerate(self.keys, start=1) if k == key)


@dataclass
class PlannedAction:
    key: str
    action: Action
    commitments: list[Commitment]
    modalities: list[ActionModality]
    targets: dict[str, int]
    activities: list[PlannedActivity] = field(default_factory=list)
    how: list[str] = field(default_factory=list)  # per activity: "action", "commitment" or "suggested"


@dataclass
class PlannedPlan:
    info: ConventionInfo
    year: SchoolYear
    plan: Plan
    actions: list[PlannedAction]


def template_keys(commitment: Commitment) -> list[str]:
    return keys_for(commitment.text, [p.code for p in commitment.programmes.all()])


def keys_for(text: str, programme_codes: Sequence[str]) -> list[str]:
    """The templates a commitment calls for: by its wording first, else by its programmes."""
    folded = text.lower()
    for words, key in BY_WORDS:
        if words in folded:
            return [key]
    return list(dict.fromkeys(BY_PROGRAMME[code] for code in programme_codes if code in BY_PROGRAMME))[:2]


def action_keys(convention: Convention, pools: Pools) -> list[tuple[str, list[Commitment]]]:
    """The actions a convention's plans have: one per template its commitments call for, when its
    schools can take part (no PFMP for a collège)."""
    served: dict[str, list[Commitment]] = {}
    types = {school.school_type for school in pools.schools}
    for commitment in sorted(convention.commitments.all(), key=lambda c: (c.position, c.pk)):
        for key in template_keys(commitment):
            template = TEMPLATES[key]
            if not template.school_types or types & set(template.school_types):
                served.setdefault(key, []).append(commitment)
    return list(served.items())[: MAX_ACTIONS.get(convention.kind, 6)]


def window(convention: Convention) -> tuple[date, date | None]:
    """When the convention ran: from its first signature (or fixed start) to its end, if it ended."""
    signed = [s.signed_on for s in convention.signatories.all() if s.signed_on]
    start = convention.start_date or (min(signed) if signed else None)
    if start is None:
        start = date(int(convention.reference[5:9]), 1, 1)
    end = convention.effective_end
    if convention.status in ENDED:
        end = end or convention.ends_on
    return start, end


def running_years(convention: Convention, years: Sequence[SchoolYear]) -> list[SchoolYear]:
    start, end = window(convention)
    running = []
    for year in years:
        lo, hi = max(start, year.start), min(end or year.end, date(year.start_year + 1, 6, 30))
        if (hi - lo).days >= MIN_SCHOOL_DAYS:
            running.append(year)
    return running


class PlanPlanner:
    """Plans the demo plans of ``conventions`` for ``years`` (the last one current on ``today``)."""

    def __init__(self, seed: int, today: date, years: Sequence[SchoolYear], total_activities: int):
        self.seed = seed
        self.today = today
        self.years = list(years)
        self.current = self.years[-1]
        self.total = total_activities

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, "activities", *parts)))

    def info(self, convention: Convention, number: int, pools: Pools) -> ConventionInfo:
        draft_only = convention.status in NOT_STARTED
        years = [self.current] if draft_only else running_years(convention, self.years)
        partners = {
            p.organisation_id
            for p in convention.parties.all()
            if p.side == PartySide.PARTNER and p.organisation.kind != OrganisationKind.SCHOOL
        }
        return ConventionInfo(
            convention, number, action_keys(convention, pools), years, draft_only, window(convention), pools, partners
        )

    def budgets(self, infos: Sequence[ConventionInfo]) -> dict[tuple[int, int, str], int]:
        """How many activities each action of each year gets (for a whole year), from the total asked."""
        weights = {}
        for info in infos:
            for year in info.years:
                for key, _ in info.keys:
                    base = KIND_WEIGHTS.get(info.convention.kind, 1.0) / max(len(info.keys), 1)
                    weights[(info.number, year.start_year, key)] = base * TEMPLATES[key].weight
        total_weight = sum(weights.values()) or 1.0
        return {k: max(1, round(self.total * w / total_weight)) if self.total else 0 for k, w in weights.items()}

    def plan(self, info: ConventionInfo, year: SchoolYear, budget: dict) -> PlannedPlan:
        rng = self.rng(info.number, year.start_year)
        current = year == self.current
        adopted = not info.draft_only and (not current or self.today >= date(year.start_year, 10, 25))
        if current and adopted and info.convention.kind == "local" and rng.random() < 0.3:
            adopted = False  # some local plans are still being prepared
        plan = Plan(
            convention=info.convention,
            school_year=year.start_year,
            status=PlanStatus.ADOPTED if adopted else PlanStatus.DRAFT,
            adopted_on=date(year.start_year, 10, rng.randint(5, 24)) if adopted else None,
            notes=rng.choice(PLAN_NOTES) if adopted else "Projet en cours de discussion avec le partenaire.",
        )
        keys = info.keys
        if year != info.years[-1] and year == info.years[0] and len(keys) > 2:
            keys = keys[:-1]  # the plan grew over the years
        actions = [self.action(rng, info, plan, year, key, commitments, budget) for key, commitments in keys]
        self.gaps(rng, info, year, actions)
        return PlannedPlan(info, year, plan, actions)

    def action(self, rng, info: ConventionInfo, plan: Plan, year: SchoolYear, key, commitments, budget):
        template = TEMPLATES[key]
        wording = template.wording.format(start=year.start_year, end=year.start_year + 1, label=year.label)
        period = parse_period(wording, year)
        parties = list(info.convention.parties.all())
        owner_side = PartySide.EDUCATION if template.owner == "education" else PartySide.PARTNER
        owner = next((p for p in parties if p.side == owner_side), parties[0] if parties else None)
        number = info.number_of(key)
        action = Action(
            plan=plan,
            number=number,
            title=template.title,
            article_id=commitments[0].article_id,
            objective=template.objective,
            start_wording=wording,
            starts_on=period[0] if period else None,
            ends_on=period[1] if period else None,
            owner_party=owner,
            owner_name=(
                "Chargé·e de mission école–entreprise"
                if owner_side == PartySide.EDUCATION
                else "Correspondant·e école–entreprise du partenaire"
            ),
            confidential=all(c.confidential for c in commitments),
            position=number,
        )
        modalities = [
            ActionModality(
                action=action,
                party=party,
                text=template.education if party.side == PartySide.EDUCATION else template.partner,
            )
            for party in parties
        ]
        planned = PlannedAction(key, action, commitments, modalities, {})
        lo, hi = school_days(year, period)
        start, end = info.window
        lo, hi = max(lo, start), min(hi, end or hi)
        if lo > hi:
            lo, hi = school_days(year, None)
        for _ in range(budget.get((info.number, year.start_year, key), 0)):
            kind = rng.choice(template.kinds)
            day = pick_day(rng, lo, hi, monday=kind in ("observation", "placement"))
            planned.activities.append(make_activity(rng, template, kind, max(day, lo), info.pools))
            draw = rng.random()
            planned.how.append("commitment" if draw < 0.08 else "suggested" if draw < 0.11 else "action")
        counted = [a for a, how in zip(planned.activities, planned.how, strict=True) if how == "action"]
        draw = rng.random()
        achievement = (
            rng.uniform(0.35, 0.75) if draw < 0.25 else rng.uniform(0.8, 1.0) if draw < 0.7 else rng.uniform(1.0, 1.35)
        )
        planned.targets = {metric: target_for(realised(counted, metric), achievement) for metric in template.metrics}
        return planned

    def gaps(self, rng, info: ConventionInfo, year: SchoolYear, actions: list[PlannedAction]) -> None:
        """Drop what has not happened: after ``today``, this year for one convention, one action in a
        past year now and then, everything for a convention not started."""
        nothing = info.draft_only or (year == self.current and info.number == NOTHING_THIS_YEAR)
        skipped = None
        if year != self.current and len(actions) >= 3 and rng.random() < 0.35:
            skipped = rng.randrange(1, len(actions))
        for index, planned in enumerate(actions):
            keep = [
                not nothing and index != skipped and activity.activity.starts_on <= self.today
                for activity in planned.activities
            ]
            planned.activities = [a for a, k in zip(planned.activities, keep, strict=True) if k]
            planned.how = [h for h, k in zip(planned.how, keep, strict=True) if k]


def contributions_of(
    planned: PlannedAction,
    info: ConventionInfo,
    index: int,
    rng: random.Random,
    elsewhere: Sequence[tuple[str, Action]],
) -> list[Contribution]:
    """What one activity counts toward: its action (or directly a commitment), confirmed, or only
    suggested; now and then also the same kind of action of another convention with the same
    partner (``elsewhere``: that year's actions of those conventions, with their template key)."""
    activity = planned.activities[index].activity
    how = planned.how[index]
    if how == "commitment":
        visible = [c for c in planned.commitments if not c.confidential] or planned.commitments
        row = Contribution(activity=activity, convention=info.convention, commitment=rng.choice(visible))
    else:
        row = Contribution(activity=activity, convention=info.convention, action=planned.action)
    row.confirmed = how != "suggested"
    rows = [row]
    others = [action for key, action in elsewhere if key == planned.key]
    draw = rng.random()
    if others and draw < 0.17:
        other = rng.choice(others)
        rows.append(
            Contribution(activity=activity, convention_id=other.plan.convention_id, action=other, confirmed=draw < 0.12)
        )
    return rows


def sharing_partners(infos: Sequence[ConventionInfo]) -> dict[int, list[int]]:
    """For each convention number, the numbers of the other conventions with a partner in common."""
    by_partner = defaultdict(set)
    for info in infos:
        for pk in info.partner_ids:
            by_partner[pk].add(info.number)
    return {
        info.number: sorted({n for pk in info.partner_ids for n in by_partner[pk]} - {info.number}) for info in infos
    }
