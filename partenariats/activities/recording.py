"""Where an activity recorded in bulk or by machine (import, API) counts, and whether its recorder
may record it: the recording form's rules (``forms_activities.Rights``) applied without a form.

Académie staff record in the académies they write in: the activity counts in the académie of its
first school (else partner) when it is theirs, in their first one when it names neither, and is
refused when it belongs to another académie. CLEE members likewise with their bassins. School
staff name only their own schools (their school when none is named); partner staff's organisation
is always among the partners. Observers and role-less users record nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from partenariats.activities.forms_activities import Rights
from partenariats.conventions.models import Convention
from partenariats.core.access import scope_of
from partenariats.directory.models import Organisation
from partenariats.territories.models import Academy, Basin


def party_convention_ids(user) -> QuerySet:
    """The conventions whose confidential items ``user`` may see (``Convention.is_party_staff``
    for many conventions at once), as a subquery of primary keys."""
    scope = scope_of(user)
    if scope.is_platform_admin:
        return Convention.objects.values("pk")
    return Convention.objects.filter(
        Q(academies__in=scope.academy_ids) | Q(parties__organisation__in=scope.organisation_ids)
    ).values("pk")


@dataclass
class Placement:
    """What the activity names once the recorder's rules are applied, where it counts, or why it
    is refused (in French)."""

    schools: list[Organisation]
    partners: list[Organisation]
    academy: Academy | None = None
    basin: Basin | None = None
    refusal: str = ""
    notes: list[str] = field(default_factory=list)


def _first_located(organisations: Sequence[Organisation], attribute: str):
    return next((getattr(o, attribute) for o in organisations if getattr(o, f"{attribute}_id")), None)


def place(
    rights: Rights,
    schools: Sequence[Organisation],
    partners: Sequence[Organisation],
    *,
    academy: Academy | None = None,
    basin: Basin | None = None,
) -> Placement:
    """Apply ``rights`` to an activity of these schools and partners (and, from the API, the
    académie or bassin chosen, as the form lets one choose)."""
    result = Placement(list(schools), list(partners))
    located = [*schools, *partners]
    if not rights.may_record:
        result.refusal = "votre rôle ne permet pas d’enregistrer des activités"
    elif rights.places == "academy":
        _place_in_academy(result, rights, academy, located)
        result.basin = basin
    elif rights.places == "basin":
        _place_in_basin(result, rights, basin, located)
    else:
        _apply_own(result, rights)
    return result


def _place_in_academy(result: Placement, rights: Rights, chosen: Academy | None, located: list) -> None:
    if chosen is not None:
        if chosen.pk not in rights.academy_ids:
            result.refusal = f"vous n’enregistrez pas d’activités dans l’académie « {chosen.name} »"
            return
        result.academy = chosen
    elif (found := _first_located(located, "academy")) is not None:
        if found.pk not in rights.academy_ids:
            result.refusal = f"l’activité relève de l’académie « {found.name} » : hors de votre périmètre"
            return
        result.academy = found
    else:
        result.academy = rights.academies[0]


def _place_in_basin(result: Placement, rights: Rights, chosen: Basin | None, located: list) -> None:
    if chosen is not None:
        if chosen.pk not in rights.basin_ids:
            result.refusal = f"vous n’enregistrez pas d’activités dans le bassin « {chosen.name} »"
            return
        basin = chosen
    elif (found := _first_located(located, "basin")) is not None:
        if found.pk not in rights.basin_ids:
            result.refusal = "l’activité ne relève pas de votre bassin : hors de votre périmètre"
            return
        basin = found
    elif (academy := _first_located(located, "academy")) is not None:
        # Located in an académie but in no bassin: the member's bassin there, if any.
        basin = next((b for b in rights.basins if b.academy_id == academy.pk), None)
        if basin is None:
            result.refusal = f"l’activité relève de l’académie « {academy.name} » : hors de votre périmètre"
            return
    else:
        basin = rights.basins[0]
    result.basin = next(b for b in rights.basins if b.pk == basin.pk)
    result.academy = result.basin.academy


def _apply_own(result: Placement, rights: Rights) -> None:
    """School staff: their schools only; partner staff: their organisation always among the partners."""
    fixed = rights.fixed_schools
    if fixed is not None:
        own = {school.pk for school in fixed}
        foreign = [school for school in result.schools if school.pk not in own]
        if foreign:
            result.refusal = f"l’établissement « {foreign[0].name} » n’est pas le vôtre : hors de votre périmètre"
        elif not result.schools:
            result.schools = [fixed[0]]
            result.notes.append(f"établissement : « {fixed[0].name} » (le vôtre)")
    forced = rights.own_partner
    if forced is not None and forced.pk not in {p.pk for p in result.partners}:
        if result.partners:
            result.notes.append(f"« {forced.name} » (votre organisation) est comptée parmi les partenaires")
        result.partners = [forced, *result.partners]
