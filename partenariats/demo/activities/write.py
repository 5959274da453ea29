"""Writing the planned demo plans and activities: a few bulk inserts, each with its creation history."""

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from partenariats.accounts.models import User
from partenariats.activities.models import (
    Action,
    ActionModality,
    ActionTarget,
    Activity,
    ActivityGroup,
    CommitmentTarget,
    Contribution,
    Metric,
    Plan,
)
from partenariats.conventions.models import Audience, Programme
from partenariats.demo import constants
from partenariats.demo.activities.catalog import TEMPLATES
from partenariats.demo.activities.make import PlannedActivity
from partenariats.demo.activities.plans import ConventionInfo, PlannedPlan, contributions_of, sharing_partners
from partenariats.demo.conventions.write import create_with_history
from partenariats.directory.models import Organisation

# A commitment that states its own yearly figure gets it as an explicit target.
EXPLICIT_TARGETS = (("quinze enseignants", Metric.TEACHERS, 15),)
WITHDRAWN = 2  # activities withdrawn (kept in the history, out of every count)


def confirmed_at(day: datetime.date, now: datetime.datetime) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=2), datetime.time(18)))
    return min(moment, now)


class ActivityWriter:
    """Creates planned plans (year after year, each carried from the previous one) and their activities."""

    def __init__(self, builder, infos: Sequence[ConventionInfo], seed: int):
        self.builder = builder
        self.infos = {info.number: info for info in infos}
        self.rng = random.Random(f"{seed}:activities:write")
        self.now = timezone.now()
        self.audiences = {a.code: a for a in Audience.objects.all()}
        self.programmes = {p.code: p for p in Programme.objects.all()}
        self.users: dict[str, User] = builder.users

    def write(self, planned: Sequence[PlannedPlan]) -> dict[str, int]:
        if not planned:
            return {}
        self.write_plans(planned)
        actions = [a for p in planned for a in p.actions]
        self.write_actions(actions)
        activities = self.write_activities(planned)
        return {"plans": len(planned), "actions": len(actions), "activités": activities}

    def write_plans(self, planned: Sequence[PlannedPlan]) -> None:
        previous: dict[tuple[int, int], Plan] = {}
        for year in sorted({p.year.start_year for p in planned}):
            batch = [p for p in planned if p.year.start_year == year]
            for item in batch:
                item.plan.carried_from = previous.get((item.info.convention.pk, year - 1))
            create_with_history(Plan, [p.plan for p in batch])
            previous.update({(p.info.convention.pk, year): p.plan for p in batch})
        targets = []
        for item in planned:
            for commitment in {c for a in item.actions for c in a.commitments}:
                for words, metric, value in EXPLICIT_TARGETS:
                    if words in commitment.text:
                        targets.append(
                            CommitmentTarget(
                                commitment=commitment, school_year=item.year.start_year, metric=metric, value=value
                            )
                        )
        create_with_history(CommitmentTarget, targets)

    def write_actions(self, actions) -> None:
        m2m = []
        for planned in actions:
            template = TEMPLATES[planned.key]
            audience_codes = {a.code for c in planned.commitments for a in c.audiences.all()}
            programme_codes = {p.code for c in planned.commitments for p in c.programmes.all()}
            audiences = [code for code in template.audiences if code in audience_codes] or template.audiences
            programmes = [code for code in template.programmes if code in programme_codes] or template.programmes[:1]
            m2m.append(
                {
                    "commitments": planned.commitments,
                    "audiences": [self.audiences[code] for code in audiences if code in self.audiences],
                    "programmes": [self.programmes[code] for code in programmes if code in self.programmes],
                }
            )
        create_with_history(Action, [a.action for a in actions], m2m)
        create_with_history(ActionModality, [m for a in actions for m in a.modalities])
        create_with_history(
            ActionTarget,
            [
                ActionTarget(action=a.action, metric=metric, value=value)
                for a in actions
                for metric, value in a.targets.items()
            ],
        )

    def elsewhere(self, planned: Sequence[PlannedPlan]) -> dict[tuple[int, int], list[tuple[str, Action]]]:
        """For each (convention number, year): that year's actions of the conventions sharing a partner."""
        numbers = {info.convention.pk: number for number, info in self.infos.items()}
        by_convention_year: dict[tuple[int, int], list[tuple[str, Action]]] = {}
        years = {p.year.start_year for p in planned}
        actions = Action.objects.filter(plan__convention__in=numbers, plan__school_year__in=years).select_related(
            "plan"
        )
        for action in actions:
            info = self.infos[numbers[action.plan.convention_id]]
            if 0 < action.number <= len(info.keys):
                key = info.keys[action.number - 1][0]
                by_convention_year.setdefault((info.number, action.plan.school_year), []).append((key, action))
        shared = sharing_partners(list(self.infos.values()))
        return {
            (number, year): [pair for other in shared[number] for pair in by_convention_year.get((other, year), [])]
            for number in self.infos
            for year in years
        }

    def recorder(self, info: ConventionInfo, planned: PlannedActivity) -> tuple[User | None, Organisation | None]:
        """Who recorded the activity: the school's or the company's demo account when it took part,
        the federation's now and then, else the convention's first owner."""
        builder, users, draw = self.builder, self.users, self.rng.random()
        schools = {g.school.pk for g in planned.groups if g.school}
        organisations = {o.pk for o in planned.organisations}
        school = builder.schools[0] if builder.schools else None
        company = builder.companies[1] if len(builder.companies) > 1 else None
        federation = builder.federations.get("medef")
        if school and school.pk in schools and draw < 0.6:
            return users.get(constants.SCHOOL_STAFF_EMAIL), school
        if company and company.pk in organisations:
            return users.get(constants.COMPANY_STAFF_EMAIL), company
        if federation and federation.pk in organisations and draw < 0.5:
            return users.get(constants.FEDERATION_STAFF_EMAIL), federation
        owners = sorted(info.convention.owners.all(), key=lambda user: user.email)
        return (owners[0] if owners else users.get(constants.ACADEMY_STAFF_EMAIL)), None

    def write_activities(self, planned: Sequence[PlannedPlan]) -> int:
        elsewhere = self.elsewhere(planned)
        activities, m2m, groups, contributions = [], [], [], []
        for item in planned:
            rng = random.Random(f"{self.builder.seed}:activities:{item.info.number}:{item.year.start_year}:links")
            for action in item.actions:
                for index, planned_activity in enumerate(action.activities):
                    activity = planned_activity.activity
                    user, organisation = self.recorder(item.info, planned_activity)
                    activity.recorded_by, activity.recorded_for = user, organisation
                    activities.append(activity)
                    m2m.append(
                        {"organisations": planned_activity.organisations, "volunteers": planned_activity.volunteers}
                    )
                    for group in planned_activity.groups:
                        group.activity = activity
                        groups.append(group)
                    pairs = elsewhere.get((item.info.number, item.year.start_year), [])
                    for row in contributions_of(action, item.info, index, rng, pairs):
                        if row.confirmed:
                            row.confirmed_by, row.confirmed_at = user, confirmed_at(activity.starts_on, self.now)
                        contributions.append(row)
        self.withdraw_some(activities)
        create_with_history(Activity, activities, m2m)
        create_with_history(ActivityGroup, groups)
        create_with_history(Contribution, contributions)
        return len(activities)

    def withdraw_some(self, activities: list[Activity]) -> None:
        """A couple of activities recorded by mistake and withdrawn a few weeks later."""
        candidates = [a for a in activities if a.starts_on < self.now.date() - datetime.timedelta(days=60)]
        for activity in self.rng.sample(candidates, min(WITHDRAWN, len(candidates))):
            activity.withdrawn_at = confirmed_at(activity.starts_on + datetime.timedelta(days=20), self.now)
            activity.version = 2
