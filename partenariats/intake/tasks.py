"""Background work of the import, run by the task worker (``manage.py db_worker``)."""

from django_tasks import task

from partenariats.intake import services


@task()
def read_convention(job_id: int) -> None:
    """Read one queued job's file; first hand back to the queue the jobs whose worker died."""
    try:
        services.recover_stalled_jobs()
    except Exception:
        # The recovery must never stop this job's reading (the cron command retries it every minute).
        services.logger.exception("The recovery of stalled import jobs failed.")
    services.run_job(job_id)
