"""Background work of the steering committee, run by the task worker (``manage.py db_worker``)."""

from django_tasks import task

from partenariats.steering import renderings


@task()
def render_document(rendering_id: int) -> None:
    """Make one queued document (PDF or DOCX); first fail those whose worker died."""
    try:
        renderings.recover_stalled_renderings()
    except Exception:
        # The recovery must never stop this document.
        renderings.logger.exception("The recovery of stalled renderings failed.")
    renderings.run_rendering(rendering_id)
