"""Background work of the directory, run by the task worker (``manage.py db_worker``)."""

import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django_tasks import task

from partenariats.directory import import_services
from partenariats.directory.importers import ImportFileError

logger = logging.getLogger(__name__)


@task()
def import_directory_file(*, kind: str, key: str, user_id: int) -> dict:
    """Commit a previewed import file; the stored file is removed whatever happens.

    A refusal the user can act on is returned as ``{"ok": False, "reason": …}``; anything
    else fails the task. Either way the transaction saved nothing.
    """
    user = get_user_model().objects.get(pk=user_id)
    try:
        summary = import_services.commit_import(kind, key, user)
    except (ImportFileError, import_services.ImportRejected) as exc:
        return {"ok": False, "reason": str(exc)}
    except IntegrityError:
        logger.warning("Import %s refused by a database constraint", key, exc_info=True)
        return {
            "ok": False,
            "reason": "Une fiche portant le même UAI ou SIRET a été enregistrée entre-temps : "
            "déposez le fichier de nouveau pour revoir l’aperçu.",
        }
    finally:
        import_services.discard_upload(key)
    return {"ok": True, **summary.as_dict()}
