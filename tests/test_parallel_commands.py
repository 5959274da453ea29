"""Commands and workers run at the same time on PostgreSQL: two deadline runs as two real
processes mail each alert once, two meeting-reminder runs remind a meeting once, two
``db_worker`` processes never take the same job.

PostgreSQL only: SQLite serialises writers on the whole file, so there is no race to prove there
(the claims are also tested one run after the other in each app's tests). CI's PostgreSQL pass
runs these; the processes work on the test database, hence ``transaction=True``.
"""

import datetime
import os
import re
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from partenariats.conventions.models import AlertDelivery
from partenariats.steering import meetings, reminders
from partenariats.steering.meetings import Schedule
from partenariats.steering.models import Meeting
from tests.factories import ConventionFactory, PersonFactory
from tests.steering.factories import CommitteeMemberFactory

PROJECT_DIR = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer: the race exists on PostgreSQL only (CI's second pass).",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url() -> str:
    """The test database, for processes of their own."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def environment(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(PROJECT_DIR)),
        "DJANGO_SETTINGS_MODULE": "partenariats.settings",
        "DJANGO_DEBUG": "1",  # mails go to the console backend, i.e. to the process's output
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
        "LOG_JSON": "0",
    }


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args], cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen, timeout: float = 180) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"{process.args}:\n{out}\n{err}"
    return out


def test_two_deadline_runs_as_two_processes_mail_each_alert_once(academy_staff, academy_admin, tmp_path):
    for number in range(4):
        convention = ConventionFactory(signed=True, title=f"Convention en parallèle {number}")
        convention.owners.add(academy_staff, academy_admin)
    env = environment(tmp_path)
    # The factory's conventions must receive notice by 17 December 2026: 90 days before.
    command = ["manage.py", "send_deadline_alerts", "--date", "2026-09-18"]
    outputs = [finish(process) for process in [start(command, env), start(command, env)]]

    sent = Counter(re.findall(r"^To: (\S+)$", "\n".join(outputs), flags=re.MULTILINE))
    assert sent == {academy_staff.email: 1, academy_admin.email: 1}
    # Eight alerts in all (four conventions, two owners), each claimed by one run only.
    announced = [int(re.search(r"(\d+) échéance\(s\) annoncée\(s\)", out)[1]) for out in outputs]
    assert sum(announced) == 8
    assert AlertDelivery.objects.count() == 8


def convened_meeting(now: datetime.datetime) -> Meeting:
    """A meeting convened (invitations sent) for six days after ``now``, with three members."""
    convention = ConventionFactory(signed=True)
    for number in range(3):
        CommitteeMemberFactory(convention=convention, person=PersonFactory(email=f"membre{number}@example.invalid"))
    meeting = meetings.create_meeting(convention, due_on=(now + datetime.timedelta(days=10)).date())
    starts = now + datetime.timedelta(days=6)
    meeting, _ = meetings.schedule_meeting(
        meeting,
        Schedule(
            starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place="Rectorat", agenda=meeting.agenda
        ),
        expected_version=meeting.version,
        now=now - datetime.timedelta(days=30),
    )
    Meeting.objects.filter(pk=meeting.pk).update(invitations_sent_at=now - datetime.timedelta(days=30))
    return meeting


def test_two_reminder_runs_at_once_remind_each_meeting_once():
    now = datetime.datetime(2027, 3, 5, 7, tzinfo=ZoneInfo("Europe/Paris"))
    first, second = convened_meeting(now), convened_meeting(now)
    gate = threading.Barrier(2)
    claimed: list[list[int]] = []
    failures: list[str] = []

    def daily_run():
        try:
            gate.wait(timeout=10)
            claimed.append(reminders.send_due_reminders(now))
        except Exception as error:  # the thread's traceback is lost; its message is kept
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=daily_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(pk for run in claimed for pk in run) == sorted([first.pk, second.pk])
    recipients = Counter(message.to[0] for message in mail.outbox)
    assert recipients == {f"membre{number}@example.invalid": 2 for number in range(3)}  # one per meeting


ENQUEUE = """
import sys, django
django.setup()
from tests.parallel_tasks import record_run
for number in range(int(sys.argv[1])):
    record_run.enqueue(number, sys.argv[2])
"""


def test_two_workers_never_take_the_same_job(tmp_path):
    jobs = 24
    journal = tmp_path / "journal.txt"
    env = environment(tmp_path)
    finish(start(["-c", ENQUEUE, str(jobs), str(journal)], env))

    worker = ["manage.py", "db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", "--no-reload"]
    for process in [start(worker, env), start(worker, env)]:
        finish(process)

    runs = [line.split() for line in journal.read_text().splitlines()]
    assert sorted(int(number) for number, _ in runs) == list(range(jobs))  # each job ran exactly once
    # Both workers took jobs: the test did exercise two workers at once.
    assert len({pid for _, pid in runs}) == 2
