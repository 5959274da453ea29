"""Workflows on plans and activities: every change goes through here, in one transaction."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone

from partenariats.activities.models import (
    Action,
    ActionModality,
    ActionTarget,
    Activity,
    ActivityGroup,
    CommitmentTarget,
    Contribution,
    Plan,
    PlanStatus,
)
from partenariats.conventions.models import Audience, Commitment, Convention, Party, Programme
from partenariats.core.access import scope_of
from partenariats.core.school_year import SchoolYear, parse_period
from partenariats.directory.models import Organisation, OrganisationKind, Person


class StaleVersion(Exception):
    """The record changed since the form was opened: the change is refused, not merged."""


class PlanExists(Exception):
    """The convention already has a plan for that school year."""


class ChangeRefused(Exception):
    """The change makes no sense now (an adopted plan, activities counted…); the message (French) says why."""


# Plans -------------------------------------------------------------------------------------


def set_action_period(action: Action, year: SchoolYear) -> None:
    """Dates from the wording when the dates are not given (« 1er trimestre 2026 » → Jan–Mar 2026)."""
    if action.start_wording and not action.starts_on:
        period = parse_period(action.start_wording, year)
        if period:
            action.starts_on, action.ends_on = period


@transaction.atomic
def create_plan(convention: Convention, year: SchoolYear, *, carry_from: Plan | None = None) -> Plan:
    """A new plan for ``year``; from ``carry_from`` its actions (axis, commitments, modalities,
    publics, programmes, owner) are carried over, not its targets nor its dates."""
    if Plan.objects.filter(convention=convention, school_year=year.start_year).exists():
        raise PlanExists(f"Cette convention a déjà un plan pour l’année {year.label}.")
    try:
        # A savepoint: a double submit that slipped past the check above fails alone, cleanly.
        with transaction.atomic():
            plan = Plan.objects.create(convention=convention, school_year=year.start_year, carried_from=carry_from)
    except IntegrityError as exc:
        raise PlanExists(f"Cette convention a déjà un plan pour l’année {year.label}.") from exc
    if carry_from is None:
        return plan
    for old in carry_from.actions.prefetch_related("commitments", "audiences", "programmes", "modalities"):
        new = Action.objects.create(
            plan=plan,
            number=old.number,
            title=old.title,
            article_id=old.article_id,
            objective=old.objective,
            start_wording=_shift_wording(old.start_wording, carry_from.year, year),
            owner_party_id=old.owner_party_id,
            owner_name=old.owner_name,
            confidential=old.confidential,
            position=old.position,
        )
        set_action_period(new, year)
        if new.starts_on:
            new.save(update_fields=["starts_on", "ends_on"])
        new.commitments.set(old.commitments.all())
        new.audiences.set(old.audiences.all())
        new.programmes.set(old.programmes.all())
        ActionModality.objects.bulk_create(
            ActionModality(action=new, party_id=m.party_id, text=m.text) for m in old.modalities.all()
        )
    return plan


def _shift_wording(wording: str, old: SchoolYear, new: SchoolYear) -> str:
    """« Rentrée scolaire 2024–2025 » carried into 2025–2026 becomes « Rentrée scolaire 2025–2026 »."""
    shift = new.start_year - old.start_year
    if not wording or not shift:
        return wording
    for year in (old.start_year + 1, old.start_year):  # the later year first: 2024–2025 → 2025–2026
        wording = wording.replace(str(year), f"\0{year + shift}")
    return wording.replace("\0", "")


@transaction.atomic
def adopt_plan(plan: Plan, *, on: date, expected_version: int) -> Plan:
    """Record the steering committee's adoption of the plan as the user last saw it."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.version != expected_version:
        raise StaleVersion
    if locked.status == PlanStatus.ADOPTED:
        raise ChangeRefused(f"Ce plan a déjà été adopté le {locked.adopted_on:%d/%m/%Y}.")
    locked.status, locked.adopted_on = PlanStatus.ADOPTED, on
    locked.version += 1
    locked.save(update_fields=["status", "adopted_on", "version", "updated_at"])
    return locked


def next_action_number(plan: Plan) -> int:
    return (plan.actions.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def save_targets(action: Action, targets: dict[str, int | None]) -> None:
    """Set the action's targets: a metric with ``None`` or 0 has no target."""
    for metric, value in targets.items():
        if value:
            ActionTarget.objects.update_or_create(action=action, metric=metric, defaults={"value": value})
        else:
            ActionTarget.objects.filter(action=action, metric=metric).delete()


def action_deletion_refusal(action: Action) -> str | None:
    if action.contributions.exists():
        return "Des activités sont rattachées à cette action : elle ne peut pas être supprimée."
    if action.plan.status == PlanStatus.ADOPTED:
        return "Le plan est adopté : ses actions ne se suppriment plus."
    return None


def _touch_plan(plan: Plan, expected_version: int | None) -> Plan:
    """Lock the plan, refuse a form opened before another change of it, and bump its version.

    The bump writes no history record of the plan: the change is recorded on its action or target.
    """
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=timezone.now())
    locked.version += 1
    return locked


@dataclass
class ActionInput:
    """What an action carries besides its own fields."""

    commitments: Iterable[Commitment] = ()
    audiences: Iterable[Audience] = ()
    programmes: Iterable[Programme] = ()
    modalities: dict[int, str] = field(default_factory=dict)  # party id → what that party does
    targets: dict[str, int | None] = field(default_factory=dict)  # metric → target (None: none)


@transaction.atomic
def save_action(action: Action, data: ActionInput, *, expected_version: int | None = None, by_user=None) -> Action:
    """Create (numbered after the plan's last action) or update an action with its commitments,
    publics, programmes, modalities per party and targets, all or nothing; dates left blank
    are read from the wording."""
    plan = _touch_plan(action.plan, expected_version)
    if action.pk is None:
        action.number = next_action_number(plan)
        action.position = action.number
    set_action_period(action, plan.year)
    if by_user is not None:
        action._history_user = by_user
    action.save()
    action.commitments.set(list(data.commitments))
    action.audiences.set(list(data.audiences))
    action.programmes.set(list(data.programmes))
    for party_id, text in data.modalities.items():
        if text.strip():
            ActionModality.objects.update_or_create(action=action, party_id=party_id, defaults={"text": text.strip()})
        else:
            ActionModality.objects.filter(action=action, party_id=party_id).delete()
    save_targets(action, data.targets)
    return action


@transaction.atomic
def delete_action(action: Action, *, expected_version: int | None = None, by_user=None) -> None:
    """Delete an action with its modalities and targets (all kept in the history), unless refused."""
    _touch_plan(action.plan, expected_version)
    if refusal := action_deletion_refusal(action):
        raise ChangeRefused(refusal)
    if by_user is not None:
        action._history_user = by_user
    action.delete()


@transaction.atomic
def save_commitment_targets(
    plan: Plan, values: dict[tuple[int, str], int | None], *, expected_version: int | None = None
) -> None:
    """Set the year's explicit targets of the convention's commitments: ``None`` removes one, and
    the commitment's target is again the sum of its actions' targets."""
    _touch_plan(plan, expected_version)
    own = set(plan.convention.commitments.values_list("pk", flat=True))
    if not {commitment_id for commitment_id, _ in values} <= own:
        raise ChangeRefused("Un des engagements n’appartient pas à cette convention.")
    for (commitment_id, metric), value in values.items():
        if value is None:
            CommitmentTarget.objects.filter(
                commitment_id=commitment_id, school_year=plan.school_year, metric=metric
            ).delete()
        else:
            CommitmentTarget.objects.update_or_create(
                commitment_id=commitment_id, school_year=plan.school_year, metric=metric, defaults={"value": value}
            )


# Activities --------------------------------------------------------------------------------


@dataclass
class GroupInput:
    pupils: int
    school: Organisation | None = None
    level: str = "other"
    class_name: str = ""


@dataclass
class ContributionInput:
    convention: Convention
    action: Action | None = None
    commitment: Commitment | None = None


@dataclass
class ActivityInput:
    """Everything one recording of an activity carries, whatever the way in (form, quick form,
    magic link, import, API)."""

    groups: Sequence[GroupInput] = ()
    organisations: Iterable[Organisation] = ()
    volunteers: Iterable[Person] = ()
    contributions: Sequence[ContributionInput] = ()
    extra: dict = field(default_factory=dict)
    # Contributions left exactly as they are (those the person recording could not see).
    keep_contributions: Sequence[int] = ()


def _person(user):
    """``user`` when it is a logged-in account, else None (a magic link's save has no person)."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _place(activity: Activity, groups: Sequence[GroupInput], organisations: Sequence[Organisation]) -> None:
    """The académie and bassin an activity counts in: its first school's, else its first partner's.
    A bassin is taken only from an organisation of the activity's académie."""
    located = [g.school for g in groups if g.school] + list(organisations)
    for organisation in located:
        if activity.academy_id is None and organisation.academy_id:
            activity.academy_id = organisation.academy_id
        if (
            activity.basin_id is None
            and organisation.basin_id
            and organisation.academy_id in (None, activity.academy_id)
        ):
            activity.basin_id = organisation.basin_id


@transaction.atomic
def save_activity(
    activity: Activity,
    data: ActivityInput,
    *,
    by_user=None,
    expected_version: int | None = None,
    confirm: bool = True,
) -> Activity:
    """Create or update an activity with its groups, organisations, volunteers and what it
    counts toward, all or nothing. Contributions listed are confirmed by ``by_user`` when
    ``confirm`` (a person chose them); the others of the activity are removed, except those in
    ``data.keep_contributions``. A new activity is recorded by ``by_user`` for their organisation."""
    person = _person(by_user)
    if activity.pk:
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion
        activity.version = locked.version + 1
    groups = list(data.groups)
    organisations = list(data.organisations)
    activity.pupil_participations = sum(g.pupils for g in groups)
    if not activity.academy_id or not activity.basin_id:
        _place(activity, groups, organisations)
    if activity.hours is None:
        activity.hours = Decimal(0)
    if not activity.pk and person is not None:
        activity.recorded_by = person
        if activity.recorded_for_id is None:
            activity.recorded_for = recorder_organisation(person)
    if person is not None:
        activity._history_user = person
    activity.full_clean(exclude=["school_year", "recorded_by", "recorded_via", "recorded_for"])
    activity.save()
    activity.groups.all().delete()
    ActivityGroup.objects.bulk_create(
        ActivityGroup(activity=activity, school=g.school, level=g.level, class_name=g.class_name, pupils=g.pupils)
        for g in groups
    )
    activity.organisations.set(organisations)
    activity.volunteers.set(list(data.volunteers))
    set_contributions(activity, data.contributions, by_user=by_user, confirm=confirm, leave=data.keep_contributions)
    return activity


def _check_contribution(c: ContributionInput) -> None:
    if c.action is not None and c.action.plan.convention_id != c.convention.pk:
        raise ValidationError(f"L’action « {c.action} » n’est pas une action de la convention « {c.convention} ».")
    if c.commitment is not None and c.commitment.convention_id != c.convention.pk:
        raise ValidationError(f"Cet engagement n’est pas un engagement de la convention « {c.convention} ».")


def set_contributions(
    activity: Activity,
    contributions: Sequence[ContributionInput],
    *,
    by_user=None,
    confirm: bool = True,
    leave: Iterable[int] = (),
) -> None:
    """Replace what the activity counts toward. A row already confirmed keeps who confirmed it
    and when; rows whose pk is in ``leave`` stay as they are; the other rows not listed go."""
    person = _person(by_user)
    now = timezone.now()
    existing = {(c.convention_id, c.action_id, c.commitment_id): c for c in activity.contributions.all()}
    keep = set(leave)
    for c in contributions:
        _check_contribution(c)
        key = (c.convention.pk, c.action.pk if c.action else None, c.commitment.pk if c.commitment else None)
        row = existing.get(key)
        if row is None:
            row = Contribution.objects.create(
                activity=activity,
                convention=c.convention,
                action=c.action,
                commitment=c.commitment,
                confirmed=confirm,
                confirmed_by=person if confirm else None,
                confirmed_at=now if confirm else None,
            )
        elif confirm and not row.confirmed:
            _confirm(row, person, now)
        keep.add(row.pk)
    activity.contributions.exclude(pk__in=keep).delete()


def _confirm(row: Contribution, person, now) -> None:
    row.confirmed, row.confirmed_by, row.confirmed_at = True, person, now
    if person is not None:
        row._history_user = person
    row.save(update_fields=["confirmed", "confirmed_by", "confirmed_at"])


@transaction.atomic
def confirm_contribution(contribution: Contribution, *, by_user) -> Contribution:
    """A person confirms a suggested contribution: from now on it counts. The activity's version
    moves on, so that a form opened before cannot drop the confirmed row by saving."""
    row = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if not row.confirmed:
        _confirm(row, _person(by_user), timezone.now())
        Activity.objects.filter(pk=row.activity_id).update(version=F("version") + 1, updated_at=timezone.now())
    return row


WITHDRAW_REASON_MAX = 100  # django-simple-history's history_change_reason length


@transaction.atomic
def withdraw_activity(activity: Activity, *, reason: str = "", by_user=None) -> Activity:
    """Take an activity out of every list and count; it stays, with its history, and can be
    restored. The reason goes into the history."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.withdrawn_at is None:
        locked.withdrawn_at = timezone.now()
        locked.version += 1
        locked._change_reason = (reason.strip() or "Retirée")[:WITHDRAW_REASON_MAX]
        if _person(by_user) is not None:
            locked._history_user = by_user
        locked.save(update_fields=["withdrawn_at", "version", "updated_at"])
    return locked


@transaction.atomic
def restore_activity(activity_id: int, *, by_user=None) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity_id)
    if activity.withdrawn_at is not None:
        activity.withdrawn_at = None
        activity.version += 1
        activity._change_reason = "Rétablie"
        if _person(by_user) is not None:
            activity._history_user = by_user
        activity.save(update_fields=["withdrawn_at", "version", "updated_at"])
    return activity


# Suggestions -------------------------------------------------------------------------------

MAX_SUGGESTED_CONVENTIONS = 10
OPTIONS_PER_CONVENTION = 30


@dataclass(frozen=True)
class Suggestion:
    convention: Convention
    action: Action | None
    commitment: Commitment | None
    reason: str


def _visible_actions(user, convention: Convention, year: int, party_staff: bool | None = None):
    actions = Action.objects.filter(plan__convention=convention, plan__school_year=year)
    if party_staff is None:
        party_staff = convention.is_party_staff(user)
    return actions if party_staff else actions.filter(confidential=False)


def suggest_contributions(
    *,
    user,
    on: date,
    organisations: Iterable[Organisation] = (),
    schools: Iterable[Organisation] = (),
    programme: Programme | None = None,
    kind: str = "",
) -> list[Suggestion]:
    """What an activity probably counts toward: the conventions the user sees whose parties
    include one of its organisations or schools, then in each the plan's actions of that year
    sharing its programme, else the commitments sharing it (confidential ones only for the
    parties' staff). Nothing is counted until a person confirms."""
    party_ids = {o.pk for o in organisations} | {s.pk for s in schools}
    if not party_ids:
        return []
    year = SchoolYear.of(on).start_year
    # A party itself, or a member of a federation or chamber that is a party.
    conventions = (
        Convention.objects.for_user(user)
        .filter(Q(parties__organisation__in=party_ids) | Q(parties__organisation__members__in=party_ids))
        .annotate(direct=Exists(Party.objects.filter(convention=OuterRef("pk"), organisation__in=party_ids)))
        .distinct()
        .order_by("title", "pk")[:MAX_SUGGESTED_CONVENTIONS]
    )
    suggestions: list[Suggestion] = []
    for convention in conventions:
        actions = _visible_actions(user, convention, year)
        commitments = Commitment.objects.visible_to(user, convention)
        if programme is not None:
            actions = actions.filter(programmes=programme)
            commitments = commitments.filter(programmes=programme)
        action = actions.order_by("number").first()
        if action is not None:
            suggestions.append(
                Suggestion(convention, action, None, f"Action {action.number} du plan {SchoolYear(year).label}")
            )
            continue
        commitment = commitments.order_by("position", "pk").first() if programme else None
        partner = "Partenaire de la convention" if convention.direct else "Adhérent d’une organisation partie"
        reason = f"Engagement au titre de « {programme} »" if programme and commitment else partner
        suggestions.append(Suggestion(convention, None, commitment, reason))
    return suggestions


@dataclass(frozen=True)
class ContributionOption:
    """One thing a person may tick under « Compte pour »."""

    convention: Convention
    action: Action | None = None
    commitment: Commitment | None = None
    suggested: bool = False

    @property
    def key(self) -> str:
        return option_key(self.convention.pk, self.action, self.commitment)

    @property
    def label(self) -> str:
        if self.action is not None:
            target = f"action {self.action.number} : {self.action.title}"
        elif self.commitment is not None:
            text = self.commitment.text
            target = f"engagement : {text[:120]}…" if len(text) > 120 else f"engagement : {text}"
        else:
            target = "la convention, sans action précise"
        return f"{self.convention.title} — {target}" + (" (suggéré)" if self.suggested else "")

    def as_input(self) -> ContributionInput:
        return ContributionInput(self.convention, self.action, self.commitment)


def option_key(convention_id: int, action: Action | None, commitment: Commitment | None) -> str:
    return f"{convention_id}-{action.pk if action else 0}-{commitment.pk if commitment else 0}"


def visible_contributions(user, contributions: Iterable[Contribution]) -> tuple[list[Contribution], list[int]]:
    """The contributions ``user`` may see (convention in sight; confidential action or commitment
    only for the parties' staff), and the pks of the others."""
    rows = list(contributions)
    seen = set(
        Convention.objects.for_user(user).filter(pk__in={c.convention_id for c in rows}).values_list("pk", flat=True)
    )
    party_staff: dict[int, bool] = {}
    shown, hidden = [], []
    for c in rows:
        visible = c.convention_id in seen
        confidential = (c.action is not None and c.action.confidential) or (
            c.commitment is not None and c.commitment.confidential
        )
        if visible and confidential:
            if c.convention_id not in party_staff:
                party_staff[c.convention_id] = c.convention.is_party_staff(user)
            visible = party_staff[c.convention_id]
        (shown if visible else hidden).append(c if visible else c.pk)
    return shown, hidden


def contribution_options(
    *,
    user,
    on: date,
    organisations: Iterable[Organisation] = (),
    schools: Iterable[Organisation] = (),
    programme: Programme | None = None,
    kind: str = "",
    current: Iterable[Contribution] = (),
) -> list[ContributionOption]:
    """What a person may tick under « Compte pour »: for each suggested convention, the visible
    actions of that year's plan (else its visible commitments) and the convention alone, the
    suggested one first; then what the activity already counts toward (``current``, visible only)."""
    suggestions = suggest_contributions(
        user=user, on=on, organisations=organisations, schools=schools, programme=programme, kind=kind
    )
    suggested = {option_key(s.convention.pk, s.action, s.commitment) for s in suggestions}
    year = SchoolYear.of(on).start_year
    options: dict[str, ContributionOption] = {}

    def add(convention, action=None, commitment=None):
        key = option_key(convention.pk, action, commitment)
        options.setdefault(key, ContributionOption(convention, action, commitment, key in suggested))

    for s in suggestions:
        add(s.convention, s.action, s.commitment)
        party_staff = s.convention.is_party_staff(user)
        actions = list(
            _visible_actions(user, s.convention, year, party_staff).order_by("number")[:OPTIONS_PER_CONVENTION]
        )
        for action in actions:
            add(s.convention, action)
        if not actions:
            commitments = Commitment.objects.filter(convention=s.convention).order_by("position", "pk")
            if not party_staff:
                commitments = commitments.filter(confidential=False)
            for commitment in commitments[:OPTIONS_PER_CONVENTION]:
                add(s.convention, None, commitment)
        add(s.convention)
    for c in current:
        add(c.convention, c.action, c.commitment)
    return list(options.values())


def recorder_organisation(user) -> Organisation | None:
    """The organisation a school or partner staff records for (their first one)."""
    scope = scope_of(user)
    if scope.is_academy_side or not scope.organisation_ids:
        return None
    return Organisation.objects.filter(pk__in=scope.organisation_ids).order_by("pk").first()


def is_company(organisation: Organisation) -> bool:
    return organisation.kind == OrganisationKind.COMPANY
