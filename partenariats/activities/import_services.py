"""Committing a previewed activity import: every row through ``save_activity``, all or none."""

from django.core.exceptions import ValidationError
from django.db import transaction

from partenariats.activities.importers import ActivityRow, analyse
from partenariats.activities.models import Action, Activity
from partenariats.activities.services import ActivityInput, ContributionInput, GroupInput, save_activity
from partenariats.conventions.models import Convention
from partenariats.core.tabular import read_upload

CHANGE_REASON = "Import d’activités"


class ImportRejected(Exception):
    """The file changed or no longer passes the checks: nothing was saved (the message is for the user)."""


@transaction.atomic
def commit_import(key: str, user) -> int:
    """Check the stored file again, as ``user`` now may, and record all its activities or none;
    returns how many were recorded."""
    try:
        data = read_upload(key)
    except FileNotFoundError as exc:
        raise ImportRejected("Le fichier déposé n’existe plus : déposez-le de nouveau.") from exc
    report = analyse(data, user)
    if report.has_errors:
        count = report.error_count
        raise ImportRejected(
            f"Le fichier contient {count} ligne{'s' if count > 1 else ''} en erreur : "
            "corrigez-le et déposez-le de nouveau."
        )
    conventions = Convention.objects.in_bulk({row.convention_id for row in report.rows} - {None})
    actions = Action.objects.in_bulk({row.action_id for row in report.rows} - {None})
    for row in report.rows:
        activity = Activity(**row.fields, academy=row.academy, basin=row.basin)
        activity._change_reason = CHANGE_REASON
        try:
            save_activity(activity, _input(row, conventions, actions), by_user=user)
        except ValidationError as exc:
            # Checked by the preview; a rule it does not know refuses the whole file.
            raise ImportRejected(f"Ligne {row.line} : {' '.join(exc.messages)}") from exc
    return len(report.rows)


def _input(row: ActivityRow, conventions: dict, actions: dict) -> ActivityInput:
    groups = []
    if row.has_group:
        groups.append(GroupInput(pupils=row.pupils, school=row.school, level=row.level, class_name=row.class_name))
    contributions = []
    if row.convention_id:
        contributions.append(ContributionInput(conventions[row.convention_id], actions.get(row.action_id)))
    return ActivityInput(
        groups=groups,
        organisations=row.partners,
        contributions=contributions,
    )
