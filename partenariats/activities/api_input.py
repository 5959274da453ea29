"""Checking an activity sent to the API with the recording form's rules, in French, before
``save_activity``: every problem of the payload at once, each prefixed with its field."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from partenariats.activities import recording
from partenariats.activities.forms_activities import EARLIEST, MAX_GROUPS, MAX_PUPILS, Rights
from partenariats.activities.models import Activity, ActivityKind, Level
from partenariats.activities.schemas import ActivityIn
from partenariats.activities.services import ActivityInput, GroupInput, contribution_options
from partenariats.conventions.models import Programme
from partenariats.directory.models import Organisation, OrganisationKind
from partenariats.territories.models import Academy, Basin

MAX_HOURS = 9999
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Refused(Exception):
    """The recorder may not record this activity (403); the message says why, in French."""


@dataclass
class Draft:
    """A checked payload: the activity to save and what goes with it, or the errors."""

    activity: Activity | None = None
    data: ActivityInput | None = None
    errors: list[str] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where} : {message}")


def check(payload: ActivityIn, user, rights: Rights) -> Draft:
    """The activity ``payload`` describes, with the form's limits and ``rights`` applied.
    Raises :class:`Refused` when it falls outside what the user records."""
    draft = Draft()
    starts_on, ends_on = _dates(payload, draft)
    _check_fields(payload, draft)
    schools = _check_groups(payload, user, draft)
    partners = _organisations(payload.organisations, user, draft)
    academy, basin, programme = _references(payload, draft)
    if draft.errors:
        return draft
    placement = recording.place(rights, list(schools.values()), partners, academy=academy, basin=basin)
    if placement.refusal:
        raise Refused(placement.refusal[0].upper() + placement.refusal[1:] + ".")
    groups = [
        GroupInput(pupils=g.pupils, school=schools.get(g.school), level=g.level, class_name=g.class_name.strip())
        for g in payload.groups
    ]
    contributions = _contributions(payload, user, placement, programme, starts_on, draft)
    if draft.errors:
        return draft
    draft.activity = Activity(
        kind=payload.kind,
        title=payload.title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        place=payload.place.strip(),
        academy=placement.academy,
        basin=placement.basin,
        programme=programme,
        class_count=payload.class_count,
        teacher_count=payload.teacher_count,
        professional_count=payload.professional_count,
        hours=payload.hours,
        prepared_with_pupils=payload.prepared_with_pupils,
        exploited_afterwards=payload.exploited_afterwards,
        evaluation=payload.evaluation.strip(),
        confidential=payload.confidential,
    )
    draft.data = ActivityInput(groups=groups, organisations=placement.partners, contributions=contributions)
    return draft


def _check_fields(payload: ActivityIn, draft: Draft) -> None:
    if payload.kind not in ActivityKind.values:
        draft.error("kind", f"type d’activité inconnu « {payload.kind} » (codes : {', '.join(ActivityKind.values)})")
    if not payload.title.strip():
        draft.error("title", "donnez un intitulé à l’activité")
    elif len(payload.title.strip()) > 300:
        draft.error("title", "300 caractères au plus")
    if len(payload.place.strip()) > 255:
        draft.error("place", "255 caractères au plus")
    for name in ("class_count", "teacher_count", "professional_count"):
        value = getattr(payload, name)
        if not 0 <= value <= MAX_PUPILS:
            draft.error(name, f"un nombre entier de 0 à {MAX_PUPILS} est attendu, pas {value}")
    hours = payload.hours
    if not hours.is_finite() or not 0 <= hours <= MAX_HOURS or hours != hours.quantize(Decimal("0.1")):
        draft.error("hours", f"une durée de 0 à {MAX_HOURS} heures avec une décimale au plus est attendue")


def _dates(payload: ActivityIn, draft: Draft) -> tuple[date | None, date | None]:
    starts_on, ends_on = _day("starts_on", payload.starts_on, draft), _day("ends_on", payload.ends_on, draft)
    if starts_on and ends_on and ends_on < starts_on:
        draft.error("ends_on", "la date de fin ne peut pas précéder la date de début")
    return starts_on, ends_on


def _day(name: str, text: str | None, draft: Draft) -> date | None:
    """A day from 01/01/2000 to a year from today, as the form accepts."""
    if text is None:
        return None
    if not ISO_DAY.fullmatch(text):
        draft.error(name, f"date mal écrite « {text} » : attendu AAAA-MM-JJ, par exemple 2025-11-14")
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        draft.error(name, f"la date « {text} » n’existe pas")
        return None
    if not EARLIEST <= day <= timezone.localdate() + timedelta(days=365):
        draft.error(name, "date impossible : une activité se date du 01/01/2000 à un an après aujourd’hui")
        return None
    return day


def _check_groups(payload: ActivityIn, user, draft: Draft) -> dict[int, Organisation]:
    """The groups' schools by id (active schools the user sees); each group's problems."""
    if len(payload.groups) > MAX_GROUPS:
        draft.error("groups", f"{MAX_GROUPS} groupes au plus")
    wanted = {g.school for g in payload.groups if g.school is not None}
    found = Organisation.objects.for_user(user).filter(pk__in=wanted, kind=OrganisationKind.SCHOOL, is_active=True)
    schools = {school.pk: school for school in found.select_related("academy", "basin")}
    for index, group in enumerate(payload.groups):
        where = f"groups[{index}]"
        if group.school is None:
            draft.error(f"{where}.school", "choisissez l’établissement de ce groupe")
        elif group.school not in schools:
            draft.error(f"{where}.school", f"aucun établissement actif n’a l’identifiant {group.school}")
        if not 1 <= group.pupils <= MAX_PUPILS:
            draft.error(f"{where}.pupils", f"un groupe compte de 1 à {MAX_PUPILS} élèves, pas {group.pupils}")
        if group.level not in Level.values:
            draft.error(f"{where}.level", f"niveau inconnu « {group.level} » (codes : {', '.join(Level.values)})")
        if len(group.class_name.strip()) > 100:
            draft.error(f"{where}.class_name", "100 caractères au plus")
    return schools


def _organisations(ids: list[int], user, draft: Draft) -> list[Organisation]:
    visible = Organisation.objects.for_user(user).exclude(kind=OrganisationKind.SCHOOL).filter(is_active=True)
    found = {o.pk: o for o in visible.filter(pk__in=ids).select_related("academy", "basin")}
    for index, pk in enumerate(ids):
        if pk not in found:
            reason = (
                "un établissement se déclare dans les groupes d’élèves"
                if Organisation.objects.filter(pk=pk, kind=OrganisationKind.SCHOOL).exists()
                else f"aucune organisation partenaire active n’a l’identifiant {pk}"
            )
            draft.error(f"organisations[{index}]", reason)
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found]


def _references(payload: ActivityIn, draft: Draft) -> tuple[Academy | None, Basin | None, Programme | None]:
    academy = basin = programme = None
    if payload.academy is not None and (academy := Academy.objects.filter(code=payload.academy).first()) is None:
        draft.error("academy", f"aucune académie n’a le code « {payload.academy} »")
    if payload.basin is not None:
        basin = Basin.objects.select_related("academy").filter(pk=payload.basin).first()
        if basin is None:
            draft.error("basin", f"aucun bassin n’a l’identifiant {payload.basin}")
        elif academy is not None and basin.academy_id != academy.pk:
            draft.error("basin", "ce bassin n’est pas dans l’académie choisie")
    if payload.programme and (programme := Programme.objects.filter(code=payload.programme).first()) is None:
        draft.error("programme", f"aucun dispositif n’a le code « {payload.programme} »")
    return academy, basin, programme


def _contributions(payload: ActivityIn, user, placement, programme, on: date, draft: Draft) -> list:
    """What the activity counts toward, among what the form would offer for it."""
    if not payload.contributions:
        return []
    options = {
        option.key: option
        for option in contribution_options(
            user=user,
            on=on,
            organisations=placement.partners,
            schools=placement.schools,
            programme=programme,
            kind=payload.kind,
        )
    }
    chosen = []
    for index, c in enumerate(payload.contributions):
        key = f"{c.convention}-{c.action or 0}-{c.commitment or 0}"
        option = options.get(key)
        if option is None:
            offered = ", ".join(_describe(o) for o in options.values()) or "aucun"
            draft.error(
                f"contributions[{index}]",
                "ce rattachement n’est pas proposé pour cette activité (conventions dont une de ses organisations "
                f"ou un de ses établissements est partie, et leurs actions de l’année) ; proposés : {offered}",
            )
        else:
            chosen.append(option.as_input())
    return chosen


def _describe(option) -> str:
    parts = [f"convention {option.convention.pk}"]
    if option.action is not None:
        parts.append(f"action {option.action.pk} (n° {option.action.number})")
    if option.commitment is not None:
        parts.append(f"engagement {option.commitment.pk}")
    return " ".join(parts)
