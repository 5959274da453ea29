"""A background task for tests/test_parallel_commands.py, importable by a real ``db_worker``."""

import os
import time

from django_tasks import task


@task()
def record_run(number: int, journal: str) -> None:
    """Append "<number> <worker pid>" to the journal: a job taken twice shows up twice."""
    time.sleep(0.2)  # long enough for the two workers to overlap
    with open(journal, "a", encoding="utf-8") as lines:  # one short O_APPEND write: whole lines
        lines.write(f"{number} {os.getpid()}\n")
