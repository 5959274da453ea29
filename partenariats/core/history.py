"""Reading django-simple-history records as "who changed what, when", for any model."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

HISTORY_LIMIT = 50
ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}
NOT_SHOWN = ("created_at", "updated_at")


@dataclass
class HistoryEntry:
    date: datetime.datetime
    user: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]]
    subject: str = ""


def value_text(model_field, value, objects: dict) -> str:
    """A stored value as a person reads it (names for ids, labels for choices, French dates)."""
    if value is None or value == "" or value == []:
        return "—"
    if model_field.many_to_many:
        target = model_field.m2m_reverse_field_name()
        related = model_field.related_model
        return ", ".join(str(objects.get((related, row.get(target)), row.get(target))) for row in value)
    if model_field.is_relation:
        return str(objects.get((model_field.related_model, value), value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _related_ids(model_field, value) -> set:
    if value in (None, ""):
        return set()
    if model_field.many_to_many:
        target = model_field.m2m_reverse_field_name()
        return {row.get(target) for row in value} - {None}
    return {value}


def entries_from_records(
    model: type[models.Model],
    records: Sequence,
    *,
    limit: int = HISTORY_LIMIT,
    subject: Callable[[object], str] | None = None,
    hidden: Iterable[str] = (),
) -> list[HistoryEntry]:
    """``records`` (newest first, of one or several objects of ``model``) as history entries.

    Each record is compared with the previous record of the same object found in ``records``:
    fetch one more record than you show so that the oldest one shown has its changes. Fields in
    ``hidden`` (values cached from a computation, say) are left out of the changes.
    """
    excluded = [*NOT_SHOWN, *hidden]
    pk_name = model._meta.pk.attname
    deltas = []
    for index, record in enumerate(records[:limit]):
        object_id = getattr(record, pk_name)
        previous = next((r for r in records[index + 1 :] if getattr(r, pk_name) == object_id), None)
        changes = []
        if previous is not None:
            changes = record.diff_against(previous, excluded_fields=excluded).changes
        deltas.append((record, changes))

    # Foreign keys are stored as ids: name them with one query per related model.
    wanted: dict[type, set] = {}
    for _, changes in deltas:
        for change in changes:
            model_field = model._meta.get_field(change.field)
            if model_field.is_relation:
                ids = _related_ids(model_field, change.old) | _related_ids(model_field, change.new)
                wanted.setdefault(model_field.related_model, set()).update(ids)
    objects = {
        (related, pk): obj
        for related, pks in wanted.items()
        for pk, obj in related._base_manager.in_bulk(list(pks)).items()
    }

    entries = []
    for record, changes in deltas:
        rows = []
        for change in changes:
            model_field = model._meta.get_field(change.field)
            rows.append(
                (
                    str(model_field.verbose_name),
                    value_text(model_field, change.old, objects),
                    value_text(model_field, change.new, objects),
                )
            )
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=str(record.history_user) if record.history_user else "Système",
                action=ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=rows,
                subject=subject(record) if subject else "",
            )
        )
    return entries


def history_entries(instance: models.Model, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes of ``instance``: when, by whom, and each field's old and new value."""
    records = list(instance.history.select_related("history_user")[: limit + 1])
    return entries_from_records(type(instance), records, limit=limit)
