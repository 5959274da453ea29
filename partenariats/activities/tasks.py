"""Background work of the activities, run by the task worker (``manage.py db_worker``)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from partenariats.activities import import_services
from partenariats.core.tabular import ImportFileError, discard_upload


@task()
def import_activities_file(*, key: str, user_id: int) -> dict:
    """Commit a previewed activity import; the stored file is removed whatever happens.

    A refusal the user can act on is returned as ``{"ok": False, "reason": …}``; anything
    else fails the task. Either way the transaction saved nothing.
    """
    user = get_user_model().objects.get(pk=user_id)
    try:
        created = import_services.commit_import(key, user)
    except (ImportFileError, import_services.ImportRejected) as exc:
        return {"ok": False, "reason": str(exc)}
    finally:
        discard_upload(key)
    return {"ok": True, "created": created}
