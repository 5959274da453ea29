"""Directory workflows: merging duplicate organisations, notes, new contacts (history: ``core.history``)."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone
from simple_history.models import HistoricalChanges

from partenariats.core.access import Scope, scope_of
from partenariats.directory.models import Membership, Note, Organisation, Person

# Organisation fields a merge never copies from the duplicate: identity, state and bookkeeping.
_NOT_FILLED_BY_MERGE = frozenset(
    {"id", "kind", "name", "is_active", "deactivated_on", "merged_into", "search_text", "created_at", "updated_at"}
)


class MergeError(Exception):
    """A merge that cannot be done; the message is shown to the user as is."""


@dataclass
class MergePlan:
    """What a merge moves onto the organisation kept, and which of its empty fields it fills."""

    moves: list[tuple[str, int]] = field(default_factory=list)
    filled: list[tuple[str, str]] = field(default_factory=list)


def _relations_to(model: type[models.Model]) -> Iterator[models.ForeignKey]:
    """Every foreign key, of any app, that points at ``model``.

    Hidden relations (``related_name="+"``, such as an account's role assignment or a note's
    owner) and the rows of many-to-many tables (both sides of ``members``/``federations``)
    are foreign keys too: walking them with ``include_hidden=True`` covers them all, including
    models that later apps add. History tables are left alone: they record the past.
    """
    for relation in model._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        if issubclass(relation.related_model, HistoricalChanges):
            continue
        yield relation.field


def _relation_label(fk: models.ForeignKey) -> str:
    model = fk.model
    through_of = model._meta.auto_created
    if through_of:
        m2m = next(f for f in through_of._meta.many_to_many if f.remote_field.through is model)
        if fk.name == m2m.m2m_field_name():
            return str(m2m.verbose_name)
        return f"{through_of._meta.verbose_name_plural} dont elle fait partie ({m2m.verbose_name})"
    return f"{model._meta.verbose_name_plural} ({fk.verbose_name})"


def _unique_sets(fk: models.ForeignKey) -> list[tuple[tuple[str, ...], models.Q | None]]:
    """The unique field sets of ``fk``'s model that include ``fk``, with their conditions."""
    meta = fk.model._meta
    sets: list[tuple[tuple[str, ...], models.Q | None]] = []
    if fk.unique:
        sets.append(((fk.name,), None))
    sets += [(tuple(names), None) for names in meta.unique_together if fk.name in names]
    sets += [
        (tuple(c.fields), c.condition)
        for c in meta.constraints
        if isinstance(c, UniqueConstraint) and c.fields and fk.name in c.fields
    ]
    return sets


def _twin(fk: models.ForeignKey, row: models.Model, target: models.Model) -> models.Model | None:
    """The row that ``row`` would duplicate (breaking a unique constraint) once pointed at ``target``."""
    model = fk.model
    for names, condition in _unique_sets(fk):
        lookup = {}
        for name in names:
            attname = model._meta.get_field(name).attname
            lookup[attname] = target.pk if name == fk.name else getattr(row, attname)
        if any(value is None for value in lookup.values()):
            continue  # NULLs never collide
        candidates = model._base_manager.filter(**lookup).exclude(pk=row.pk)
        if condition is not None:
            if not model._base_manager.filter(condition, pk=row.pk).exists():
                continue
            candidates = candidates.filter(condition)
        twin = candidates.first()
        if twin is not None:
            return twin
    return None


def _loops_on_itself(fk: models.ForeignKey, row: models.Model, target: models.Model) -> bool:
    """A many-to-many row that would link ``target`` to itself (a federation member of itself)."""
    model = fk.model
    if not model._meta.auto_created:
        return False
    return any(
        other.attname != fk.attname and other.related_model is type(target) and getattr(row, other.attname) == target.pk
        for other in model._meta.concrete_fields
        if other.is_relation
    )


def _fill_blank_text(twin: models.Model, row: models.Model, by) -> None:
    """Copy onto ``twin`` the texts ``row`` has and it lacks (a title as printed, say).

    Empty dates and numbers are left alone: there an empty value often means something
    (a membership without an end is a current one).
    """
    changed = []
    for model_field in twin._meta.concrete_fields:
        if not isinstance(model_field, models.CharField | models.TextField) or not model_field.editable:
            continue
        if getattr(twin, model_field.attname) == "" and getattr(row, model_field.attname):
            setattr(twin, model_field.attname, getattr(row, model_field.attname))
            changed.append(model_field.name)
    if changed:
        twin._history_user = by
        twin.save(update_fields=changed)


def _repoint(keep: models.Model, duplicate: models.Model, by) -> list[tuple[str, int]]:
    """Point every row that references ``duplicate`` at ``keep``.

    A row that would then duplicate one of ``keep``'s (same person, same role…) is itself
    merged into that twin, recursively, and deleted: nothing that pointed at it is lost.
    """
    moves = []
    for fk in _relations_to(type(keep)):
        rows = list(fk.model._base_manager.filter(**{fk.attname: duplicate.pk}).order_by("pk"))
        for row in rows:
            twin = _twin(fk, row, keep)
            if twin is not None:
                _fill_blank_text(twin, row, by)
                _repoint(twin, row, by)
                row.delete()
            elif _loops_on_itself(fk, row, keep):
                row.delete()
            else:
                setattr(row, fk.attname, keep.pk)
                row._history_user = by
                row.save(update_fields=[fk.name])
        if rows:
            moves.append((_relation_label(fk), len(rows)))
    return moves


def _fields_to_fill(keep: Organisation, duplicate: Organisation) -> dict[str, object]:
    """The duplicate's values for the fields the kept organisation leaves empty (and that apply to its kind)."""
    values = {}
    for model_field in Organisation._meta.concrete_fields:
        if model_field.name in _NOT_FILLED_BY_MERGE or not keep.field_applies(model_field.name):
            continue
        if getattr(keep, model_field.attname) in (None, "") and getattr(duplicate, model_field.attname) not in (
            None,
            "",
        ):
            values[model_field.attname] = getattr(duplicate, model_field.attname)
    return values


def _display(instance: models.Model, attname: str, value) -> str:
    model_field = next(f for f in instance._meta.concrete_fields if f.attname == attname)
    if model_field.is_relation:
        return str(model_field.related_model._base_manager.filter(pk=value).first() or value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _field_label(attname: str) -> str:
    model_field = next(f for f in Organisation._meta.concrete_fields if f.attname == attname)
    return str(model_field.verbose_name)


def _check_mergeable(keep: Organisation, duplicate: Organisation) -> None:
    if keep.pk == duplicate.pk:
        raise MergeError("Une organisation ne peut pas être fusionnée avec elle-même.")
    if keep.merged_into_id:
        raise MergeError(f"« {keep} » a déjà été fusionnée dans une autre organisation.")
    if duplicate.merged_into_id:
        raise MergeError(f"« {duplicate} » a déjà été fusionnée dans une autre organisation.")


def merge_preview(keep: Organisation, duplicate: Organisation) -> MergePlan:
    """What :func:`merge_organisations` would move and fill, without changing anything."""
    _check_mergeable(keep, duplicate)
    plan = MergePlan()
    for fk in _relations_to(Organisation):
        count = fk.model._base_manager.filter(**{fk.attname: duplicate.pk}).count()
        if count:
            plan.moves.append((_relation_label(fk), count))
    plan.filled = [
        (_field_label(attname), _display(duplicate, attname, value))
        for attname, value in _fields_to_fill(keep, duplicate).items()
    ]
    return plan


@transaction.atomic
def merge_organisations(keep: Organisation, duplicate: Organisation, *, by) -> MergePlan:
    """Move everything that points at ``duplicate`` onto ``keep``, then retire ``duplicate``.

    Every relation of every app is re-pointed (see :func:`_relations_to`), empty fields of
    ``keep`` are filled from ``duplicate``, and ``duplicate`` stays, inactive, with
    ``merged_into=keep`` so that old links and its history still lead somewhere.
    """
    locked = {o.pk: o for o in Organisation.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])}
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    _check_mergeable(keep, duplicate)
    reason = f"Fusion de « {duplicate.name} » (n° {duplicate.pk}) dans « {keep.name} » (n° {keep.pk})"

    fills = _fields_to_fill(keep, duplicate)
    plan = MergePlan(filled=[(_field_label(a), _display(duplicate, a, v)) for a, v in fills.items()])
    # UAI and SIRET are unique: the duplicate gives its own up before the kept one takes it.
    unique_ids = [a for a in ("uai", "siret") if a in fills]
    if unique_ids:
        for attname in unique_ids:
            setattr(duplicate, attname, "")
        duplicate._history_user, duplicate._change_reason = by, reason
        duplicate.save(update_fields=unique_ids)

    plan.moves = _repoint(keep, duplicate, by)

    if fills:
        for attname, value in fills.items():
            setattr(keep, attname, value)
        keep._history_user, keep._change_reason = by, reason
        keep.save(update_fields=[*fills, "updated_at"])

    duplicate.is_active = False
    duplicate.deactivated_on = duplicate.deactivated_on or timezone.localdate()
    duplicate.merged_into = keep
    duplicate._history_user, duplicate._change_reason = by, reason
    duplicate.save(update_fields=["is_active", "deactivated_on", "merged_into", "updated_at"])
    return plan


# Notes


def note_owner(user, organisation: Organisation) -> dict[str, int] | None:
    """Who owns a note this user writes about ``organisation``: their académie, else their organisation.

    ``None`` when the user may not write notes (read-only roles, or nowhere to file it).
    """
    scope: Scope = scope_of(user)
    if scope.read_only:
        return None
    academies = scope.writable_academy_ids or scope.academy_ids
    if scope.is_platform_admin and organisation.academy_id:
        return {"owner_academy_id": organisation.academy_id}
    if academies:
        if organisation.academy_id in academies:
            return {"owner_academy_id": organisation.academy_id}
        return {"owner_academy_id": min(academies)}
    if scope.organisation_ids:
        if organisation.pk in scope.organisation_ids:
            return {"owner_organisation_id": organisation.pk}
        return {"owner_organisation_id": min(scope.organisation_ids)}
    return None


def add_note(organisation: Organisation, text: str, *, by) -> Note:
    owner = note_owner(by, organisation)
    if owner is None:
        raise PermissionError("This user may not write notes.")
    return Note.objects.create(organisation=organisation, text=text, author=by, **owner)


# People


@transaction.atomic
def create_person(
    person: Person,
    *,
    by,
    organisation: Organisation | None = None,
    role: str = "",
    title: str = "",
) -> Person:
    """Save a new contact, held by its creator's académie when they work on the académie side,
    and attach it to ``organisation`` when one is given."""
    scope = scope_of(by)
    if person.academy_id is None and len(scope.writable_academy_ids) == 1:
        (person.academy_id,) = scope.writable_academy_ids
    elif person.academy_id is None and organisation is not None and scope.is_platform_admin:
        person.academy_id = organisation.academy_id
    person._history_user = by
    person.save()
    if organisation is not None:
        Membership.objects.create(person=person, organisation=organisation, role=role, title=title)
    return person
