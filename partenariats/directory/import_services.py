"""Storing an uploaded import file until it is confirmed, and committing it in one transaction."""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partenariats.core.cache import records_changed

# Re-exported: the directory's import views and task keep the upload through this module.
from partenariats.core.tabular import discard_upload as discard_upload
from partenariats.core.tabular import read_upload
from partenariats.core.tabular import store_upload as store_upload
from partenariats.directory.identifiers import normalize_siret, normalize_uai
from partenariats.directory.importers import Action, ImportKind, analyse
from partenariats.directory.models import Organisation

BATCH_SIZE = 500
# bulk_update's CASE … WHEN grows with the batch squared: smaller batches are much faster.
UPDATE_BATCH_SIZE = 100


class ImportRejected(Exception):
    """The file changed or no longer passes the checks: nothing was saved (the message is for the user)."""


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    skipped: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@transaction.atomic
def commit_import(kind: str, key: str, user) -> ImportSummary:
    """Check the stored file again and save all its rows, or none of them."""
    try:
        data = read_upload(key)
    except FileNotFoundError as exc:
        raise ImportRejected("Le fichier déposé n’existe plus : déposez-le de nouveau.") from exc
    report = analyse(kind, data, user)
    if report.has_errors:
        count = len(report.error_messages)
        raise ImportRejected(
            f"Le fichier contient {count} erreur{'s' if count > 1 else ''} : corrigez-le et déposez-le de nouveau."
        )

    reason = f"Import ({ImportKind(kind).label})"
    created = [_build(Organisation(), row.values) for row in report.rows if row.action == Action.CREATE]
    updates = [row for row in report.rows if row.action == Action.UPDATE]
    existing = Organisation.objects.in_bulk([row.existing_pk for row in updates])
    now = timezone.now()
    changed_fields: set[str] = set()
    updated = []
    for row in updates:
        organisation = existing[row.existing_pk]
        changed_fields |= {name for name, value in row.values.items() if getattr(organisation, name) != value}
        _build(organisation, row.values).updated_at = now
        updated.append(organisation)

    bulk_create_with_history(
        created, Organisation, batch_size=BATCH_SIZE, default_user=user, default_change_reason=reason
    )
    if updated:
        fields = sorted(changed_fields | {"search_text", "updated_at"})
        bulk_update_with_history(
            updated, Organisation, fields, batch_size=UPDATE_BATCH_SIZE, default_user=user, default_change_reason=reason
        )
    records_changed()  # bulk writes send no signal
    return ImportSummary(
        created=len(created),
        updated=len(updated),
        unchanged=report.count(Action.UNCHANGED),
        skipped=report.count(Action.SKIP),
    )


def _build(organisation: Organisation, values: dict) -> Organisation:
    """Apply a row's values; bulk writes skip ``save()``, so what it computes is done here."""
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.uai = normalize_uai(organisation.uai)
    organisation.siret = normalize_siret(organisation.siret)
    organisation.search_text = organisation.build_search_text()
    return organisation
