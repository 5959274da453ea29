"""Making one realistic activity, and the realised value of a metric over planned activities.

Shared by the demo (``demo.activities``) and the national-scale generator (``demo.national``):
both describe where an activity's people come from (:class:`Pools`) and ask for one activity
of a template, of a kind, on a day. Nothing is saved here.
"""

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from partenariats.activities.models import Activity, ActivityGroup, Level, Metric
from partenariats.activities.models import ActivityKind as K
from partenariats.conventions.models import Programme
from partenariats.core.school_year import SchoolYear
from partenariats.demo.activities import catalog
from partenariats.demo.activities.catalog import ActionTemplate
from partenariats.demo.specs import ACTIVITY_GROUPS
from partenariats.directory.models import Organisation, OrganisationKind, Person

# Kinds whose participants are adults only: no group of pupils.
ADULT_KINDS = frozenset({K.TEACHER_IMMERSION, K.EXAM_JURY, K.ROOM_LOAN, K.STAFF_TRAINING, K.OTHER})
# Duration in hours (range, in half hours).
HOURS = {
    K.COMPANY_VISIT: (2, 4),
    K.TALK_IN_SCHOOL: (1, 2),
    K.FORUM_STAND: (3, 7),
    K.OBSERVATION: (30, 30),
    K.PLACEMENT: (140, 140),
    K.TEACHER_IMMERSION: (6, 7),
    K.EXAM_JURY: (3, 8),
    K.ROOM_LOAN: (2, 4),
    K.GUIDANCE_EVENT: (2, 3),
    K.COMPETITION: (3, 5),
    K.MENTORING: (10, 30),
    K.STAFF_TRAINING: (3, 6),
    K.PUPIL_VIDEO: (6, 12),
    K.CV_CIRCULATION: (0, 0),
    K.OTHER: (1, 3),
}
# Professionals taking part (range).
PROFESSIONALS = {
    K.COMPANY_VISIT: (1, 3),
    K.TALK_IN_SCHOOL: (1, 2),
    K.FORUM_STAND: (2, 6),
    K.OBSERVATION: (1, 1),
    K.PLACEMENT: (1, 2),
    K.TEACHER_IMMERSION: (1, 3),
    K.EXAM_JURY: (1, 4),
    K.ROOM_LOAN: (0, 0),
    K.GUIDANCE_EVENT: (2, 8),
    K.COMPETITION: (2, 5),
    K.MENTORING: (1, 1),
    K.STAFF_TRAINING: (1, 3),
    K.PUPIL_VIDEO: (1, 2),
    K.CV_CIRCULATION: (0, 0),
    K.OTHER: (1, 1),
}
# (groups, pupils per group, with a class name) for the kinds with pupils.
GROUPS = {
    K.COMPANY_VISIT: ((1, 2), (14, 30), True),
    K.TALK_IN_SCHOOL: ((1, 3), (18, 30), True),
    K.FORUM_STAND: ((2, 4), (30, 160), False),
    K.OBSERVATION: ((1, 1), (1, 4), True),
    K.PLACEMENT: ((1, 1), (1, 3), True),
    K.GUIDANCE_EVENT: ((1, 1), (25, 90), False),
    K.COMPETITION: ((1, 3), (6, 15), True),
    K.MENTORING: ((1, 1), (8, 20), True),
    K.PUPIL_VIDEO: ((1, 1), (12, 28), True),
    K.CV_CIRCULATION: ((1, 1), (2, 8), False),
}


@dataclass
class Pools:
    """Where an activity's schools, companies and volunteers come from."""

    schools: Sequence[Organisation]
    companies: Sequence[Organisation]
    partners: Sequence[Organisation] = ()  # the convention's partners (federation, chamber…)
    volunteers: Mapping[int, Sequence[Person]] = field(default_factory=dict)  # company pk → people
    programmes: Mapping[str, Programme] = field(default_factory=dict)  # code → programme
    _fitting: dict = field(default_factory=dict, repr=False)

    def fitting(self, template: ActionTemplate) -> tuple[ActionTemplate, list[Organisation]]:
        """The schools whose pupils a template's activities take (computed once per template)."""
        if template.key not in self._fitting:
            schools = self.schools
            fitting = [s for s in schools if s.school_type in template.school_types and levels_of(s, template)]
            fitting = fitting or [s for s in schools if levels_of(s, template)]
            if not fitting:
                # No school of the kind the template wants: the schools there are, at their own levels.
                template, fitting = replace(template, levels=()), list(schools)
            self._fitting[template.key] = (template, fitting)
        return self._fitting[template.key]


class GroupDraft(NamedTuple):
    """A group of pupils of an activity, before any model instance."""

    school: Organisation | None
    level: str
    class_name: str
    pupils: int


@dataclass
class ActivityDraft:
    """One activity as plain values (``Activity`` field names → value) and the people taking part.

    The national generator writes drafts as rows straight away: building model instances would
    cost more than the rows they save; the demo turns them into instances (:func:`make_activity`)."""

    values: dict[str, Any]
    groups: list[GroupDraft]
    organisations: list[Organisation]
    volunteers: list[Person]


@dataclass
class PlannedActivity:
    activity: Activity
    groups: list[ActivityGroup]
    organisations: list[Organisation]
    volunteers: list[Person]


def school_days(year: SchoolYear, period: tuple[date, date] | None) -> tuple[date, date]:
    """The days of ``period`` when classes run (from the first week of September to the end of June)."""
    first, last = year.start + timedelta(days=3), date(year.start_year + 1, 6, 30)
    if period is None:
        return first, last
    lo, hi = max(period[0], first), min(period[1], last)
    return (lo, hi) if lo <= hi else (first, last)


def pick_day(rng: random.Random, lo: date, hi: date, *, monday: bool = False) -> date:
    """A weekday between ``lo`` and ``hi`` (a Monday when asked)."""
    day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
    if monday:
        return day - timedelta(days=day.weekday())
    return day - timedelta(days=max(day.weekday() - 4, 0))


def levels_of(school: Organisation, template: ActionTemplate) -> tuple[str, ...]:
    own = catalog.LEVELS_BY_TYPE.get(school.school_type, (Level.OTHER,))
    return tuple(level for level in own if level in template.levels) if template.levels else own


def class_name(rng: random.Random, school: Organisation, level: str) -> str:
    """« 4e B », « 1re MELEC », « 2nde pro GATL », « BTS MCO 1 »… as the school names its classes."""
    pro = school.school_type in ("lycee_pro", "erea", "cfa")
    if level in (Level.SIXIEME, Level.CINQUIEME, Level.QUATRIEME, Level.TROISIEME):
        return f"{level} {rng.choice('ABCDEF')}"
    if level == Level.SECONDE_GT:
        return f"2nde {rng.randint(1, 9)}"
    if level == Level.SECONDE_PRO:
        return f"2nde pro {rng.choice(catalog.PRO_FAMILIES)}"
    if level in (Level.PREMIERE, Level.TERMINALE):
        short = "1re" if level == Level.PREMIERE else "Tle"
        if pro or (school.school_type == "lycee_poly" and rng.random() < 0.4):
            return f"{short} pro {rng.choice(catalog.PRO_SPECIALITIES)}"
        return f"{short} {rng.choice(catalog.GT_SERIES)} {rng.randint(1, 6)}"
    if level == Level.CAP:
        return f"CAP {rng.randint(1, 2)} {rng.choice(catalog.CAP_SPECIALITIES)}"
    if level == Level.POST_BAC:
        return f"BTS {rng.choice(catalog.BTS)} {rng.randint(1, 2)}"
    if level == Level.APPRENTICES:
        return f"CAP {rng.randint(1, 2)} {rng.choice(catalog.CAP_SPECIALITIES)} (apprentis)"
    if level == Level.PRIMARY:
        return "CM2"
    return ""


def short_name(organisation: Organisation | None) -> str:
    return organisation.name.removesuffix(" (démo)").removesuffix(" (généré)") if organisation else ""


def make_groups(rng: random.Random, template: ActionTemplate, kind: str, pools: Pools) -> list[GroupDraft]:
    """The groups of pupils of one activity: schools of the template's types, levels of the school."""
    if kind in ADULT_KINDS or kind not in GROUPS:
        return []
    count, pupils, named = GROUPS[kind]
    if not template.school_types:
        # Young people out of school (décrocheurs): no school, no class.
        return [GroupDraft(None, Level.OTHER, "", rng.randint(1, 6))]
    template, fitting = pools.fitting(template)
    if not fitting:
        return []
    several_schools = kind in (K.FORUM_STAND, K.COMPETITION)
    school = rng.choice(fitting)
    groups = []
    for _ in range(rng.randint(*count)):
        if several_schools:
            school = rng.choice(fitting)
        level = rng.choice(levels_of(school, template) or (Level.OTHER,))
        name = class_name(rng, school, level) if named else ""
        groups.append(GroupDraft(school, level, name, rng.randint(*pupils)))
    return groups


def evaluation(rng: random.Random, kind: str, with_pupils: bool) -> str:
    draw = rng.random()
    if draw < 0.15:
        return ""
    if with_pupils:
        sentences = [rng.choice(catalog.EVALUATIONS_GOOD if draw < 0.8 else catalog.EVALUATIONS_MIXED)]
    else:
        sentences = [rng.choice(catalog.EVALUATIONS_ADULTS)]
    if kind in catalog.EVALUATIONS_BY_KIND and rng.random() < 0.6:
        sentences.insert(0, catalog.EVALUATIONS_BY_KIND[kind])
    return " ".join(sentences)


def make_activity(rng: random.Random, template: ActionTemplate, kind: str, day: date, pools: Pools) -> PlannedActivity:
    """One activity of ``template``, of ``kind``, starting on ``day``, with people from ``pools``: unsaved instances."""
    draft = draft_activity(rng, template, kind, day, pools)
    groups = [ActivityGroup(**group._asdict()) for group in draft.groups]
    return PlannedActivity(Activity(**draft.values), groups, draft.organisations, draft.volunteers)


def draft_activity(rng: random.Random, template: ActionTemplate, kind: str, day: date, pools: Pools) -> ActivityDraft:
    """One activity of ``template``, of ``kind``, starting on ``day``, with people from ``pools``, as values."""
    company = rng.choice(pools.companies) if pools.companies else None
    partner = rng.choice(pools.partners) if pools.partners else None
    groups = make_groups(rng, template, kind, pools)
    school = next((g.school for g in groups if g.school), None)
    organisations = [company] if company else []
    if partner and (kind in (K.FORUM_STAND, K.ROOM_LOAN, K.STAFF_TRAINING, K.CV_CIRCULATION) or rng.random() < 0.2):
        organisations.insert(0, partner)
    if kind == K.FORUM_STAND and len(pools.companies) > 2:
        organisations += [c for c in rng.sample(list(pools.companies), 2) if c not in organisations]
    if not organisations and partner:
        organisations = [partner]
    organisations = list(dict.fromkeys(organisations))
    first_class = next((g.class_name for g in groups if g.class_name), "")
    context = {
        "company": short_name(company or partner),
        "partner": short_name(partner or company),
        "school": short_name(school) or "collège",
        "klass": first_class or "la classe",
        "sector": catalog.SECTORS.get(ACTIVITY_GROUPS.get(company.naf_code, "") if company else "", "de l’entreprise"),
        "city": rng.choice(catalog.FORUM_CITIES),
        "exam": rng.choice(catalog.EXAMS),
        "meeting": rng.choice(catalog.MEETINGS),
    }
    title = rng.choice(catalog.TITLES[kind]).format(**context)
    ends_on = None
    if kind == K.OBSERVATION:
        ends_on = day + timedelta(days=4)
    elif kind == K.PLACEMENT:
        ends_on = day + timedelta(days=7 * rng.choice((3, 4, 6)) - 3)
    hours_lo, hours_hi = HOURS[kind]
    pupils = sum(g.pupils for g in groups)
    classes = sum(1 for g in groups if g.class_name)
    teachers = {K.TEACHER_IMMERSION: (4, 15), K.STAFF_TRAINING: (8, 30), K.ROOM_LOAN: (10, 40)}.get(kind)
    if kind == K.EXAM_JURY:
        teachers = (1, 3)
    teacher_count = rng.randint(*teachers) if teachers else sum(rng.randint(1, 2) for g in groups if g.school)
    place = {
        K.TALK_IN_SCHOOL: short_name(school),
        K.GUIDANCE_EVENT: short_name(school),
        K.EXAM_JURY: short_name(school),
        K.FORUM_STAND: context["city"],
        K.ROOM_LOAN: short_name(partner or company),
    }.get(kind, company.city if company else "")
    with_pupils = pupils > 0 and kind != K.CV_CIRCULATION
    located = ([school] if school else []) + organisations
    # Where it took place: the académie and bassin of one organisation, never a bassin of another académie.
    home = next((o for o in located if o.academy_id), None)
    programme = pools.programmes.get(template.programmes[0]) if template.programmes else None
    values = dict(
        kind=kind,
        title=title[:300],
        starts_on=day,
        ends_on=ends_on,
        school_year=SchoolYear.of(day).start_year,
        place=place or "",
        academy_id=home.academy_id if home else None,
        basin_id=home.basin_id if home else None,
        programme_id=programme.pk if programme else None,
        pupil_participations=pupils,
        class_count=classes,
        teacher_count=teacher_count,
        professional_count=rng.randint(*PROFESSIONALS[kind]) * (max(pupils, 1) if kind == K.PLACEMENT else 1),
        hours=Decimal(rng.randint(hours_lo * 2, hours_hi * 2)) / 2,
        prepared_with_pupils=with_pupils and rng.random() < 0.88,
        exploited_afterwards=with_pupils and rng.random() < 0.78,
        evaluation=evaluation(rng, kind, with_pupils),
        confidential=rng.random() < 0.03,
    )
    people = list(pools.volunteers.get(company.pk, ())) if company else []
    volunteers = rng.sample(people, min(len(people), rng.randint(0, 2))) if people else []
    return ActivityDraft(values, groups, organisations, volunteers)


def realised(planned: Sequence[PlannedActivity], metric: str) -> float:
    """What ``planned`` realise of ``metric``, counted as the indicators count it."""
    activities = [p.activity for p in planned]
    if metric == Metric.PUPILS:
        return sum(a.pupil_participations for a in activities)
    if metric == Metric.CLASSES:
        return sum(a.class_count for a in activities)
    if metric == Metric.SCHOOLS:
        return len({g.school.pk for p in planned for g in p.groups if g.school})
    if metric == Metric.COMPANIES:
        return len({o.pk for p in planned for o in p.organisations if o.kind == OrganisationKind.COMPANY})
    if metric == Metric.PROFESSIONALS:
        return sum(a.professional_count for a in activities)
    if metric == Metric.TEACHERS:
        return sum(a.teacher_count for a in activities)
    if metric == Metric.HOURS:
        return float(sum(a.hours for a in activities))
    return len(activities)


def target_for(value: float, achievement: float) -> int:
    """A round target that ``value`` realises at about ``achievement`` (0.6: 60 % of the target)."""
    wanted = value / max(achievement, 0.05)
    step = 50 if wanted >= 500 else 10 if wanted >= 100 else 5 if wanted >= 20 else 1
    return max(step, math.ceil(wanted / step) * step)
