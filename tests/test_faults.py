"""Faults with real processes on a throwaway PostgreSQL cluster: a worker killed in the middle of
an import, and the web process across a PostgreSQL restart.

The cluster is started for this module on its own port with its sockets in a temporary folder
(as the ``postgres`` OS user when the tests run as root: ``initdb`` refuses root), one database
is migrated there once, and the cluster is stopped and deleted at the end. The shared server is
never touched. ``slow``: these tests make their own database, whichever one the suite uses.
"""

import http.client
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row

from tests.intake.conftest import SAMPLE_TEXT

PROJECT_DIR = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE = "faults"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("throwaway_cluster"),
    pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason=f"no PostgreSQL binaries in {PG_BIN}"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.2):
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


@dataclass
class Cluster:
    """A PostgreSQL cluster of our own: its folder, port and the OS user that runs it."""

    root: Path
    port: int
    as_postgres: bool

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def pg(self, tool: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def ctl(self, action: str, *extra: str) -> None:
        """``pg_ctl start|restart|stop``, waiting for it; the server's options on every start."""
        options = []
        if action in ("start", "restart"):
            server = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
            options = ["-l", str(self.root / "server.log"), "-o", server]
        result = self.pg("pg_ctl", "-D", str(self.data), "-w", "-t", "60", *options, *extra, action)
        assert result.returncode == 0, f"pg_ctl {action}: {result.stdout}{result.stderr}{self.log()}"

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    as_postgres = os.geteuid() == 0
    if as_postgres:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a postgres OS user to run initdb")
    root = Path(tempfile.mkdtemp(prefix="faults-pg-"))
    if as_postgres:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(root=root, port=free_port(), as_postgres=as_postgres)
    try:
        made = cluster.pg("initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                          "--no-sync", "--no-instructions")  # fmt: skip
        assert made.returncode == 0, made.stderr
        cluster.ctl("start")
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        migrated = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=PROJECT_DIR,
            env=app_environment(cluster, root / "media"),
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert migrated.returncode == 0, migrated.stderr
        yield cluster
    finally:
        cluster.pg("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def app_environment(cluster: Cluster, media: Path, **extra: str) -> dict[str, str]:
    """The application's real settings (database tasks, not the test suite's inline ones)."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(PROJECT_DIR)),
        "DJANGO_SETTINGS_MODULE": "partenariats.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": cluster.url(),
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
        "LOG_JSON": "0",
        **extra,
    }


def manage(env: dict[str, str], *args: str, stdin: str | None = None, timeout: float = 180) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=PROJECT_DIR, env=env, input=stdin, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


# --- A worker killed in the middle of an import -------------------------------------------------

# An uploader with a role, and one queued import of the invented convention (through the service,
# so the file is stored and the reading enqueued in the database queue).
QUEUE_IMPORT = """
import sys, django
django.setup()
from partenariats.accounts.models import Assignment, Role, User
from partenariats.intake.services import create_job
from partenariats.territories.models import Academy
academy = Academy.objects.order_by("pk").first()
user, created = User.objects.get_or_create(email="import.faults@example.invalid")
if created:
    Assignment.objects.create(user=user, role=Role.ACADEMY_STAFF, academy=academy)
job = create_job(user=user, academy=academy, content=sys.stdin.read().encode(), original_name="convention.txt")
print(job.pk)
"""

# A real ``db_worker`` whose reading, once started, reports its first progress then hangs: the
# test kills it there. Only this test's process is patched; the application has no test hook.
HANGING_WORKER = """
import sys, time, django
django.setup()
from django.core.management import call_command
from partenariats.intake import services

def hanging_read(data, name, *, limits, progress):
    progress(0.1, "Lecture de la page 1")
    time.sleep(600)
    raise AssertionError("the test kills this worker before")

services.read_bytes = hanging_read
call_command("db_worker", "--queue-name", "*", "--no-startup-delay", "--no-reload", "--interval", "0.2")
"""


def job_row(cluster: Cluster, job_id: int) -> dict:
    with cluster.connect() as connection, connection.cursor(row_factory=dict_row) as cursor:
        cursor.execute(
            "SELECT status, attempts, progress, error, file, result IS NOT NULL AS has_result "
            "FROM intake_importjob WHERE id = %s",
            [job_id],
        )
        return cursor.fetchone()


def created_records(cluster: Cluster) -> dict[str, int]:
    """What a saved import creates: none of it may exist before the person saves the review."""
    tables = ["conventions_convention", "conventions_party", "conventions_signatory", "conventions_document"]
    with cluster.connect() as connection:
        return {
            table: connection.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            for table in tables
        }


def test_an_import_whose_worker_is_killed_is_read_again_and_creates_nothing_half_way(cluster, tmp_path):
    env = app_environment(cluster, tmp_path / "media")
    before = created_records(cluster)
    job_id = int(manage(env, "-c", QUEUE_IMPORT, stdin=SAMPLE_TEXT).strip())

    worker = subprocess.Popen(
        [sys.executable, "-c", HANGING_WORKER], cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(lambda: job_row(cluster, job_id)["progress"] == 10, timeout=120, what="the worker to start reading")
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    # Killed mid-reading: the job is left running, its file kept, nothing of a convention exists.
    row = job_row(cluster, job_id)
    assert (row["status"], row["attempts"], row["has_result"]) == ("running", 1, False)
    assert (tmp_path / "media" / row["file"]).exists()
    assert created_records(cluster) == before

    # A live worker beats every few seconds: the cron recovery leaves a fresh heartbeat alone…
    assert "relancé" not in manage(env, "manage.py", "recover_imports")
    assert job_row(cluster, job_id)["status"] == "running"
    # …and takes the job back once it has been silent for longer than a reading can be.
    with cluster.connect() as connection:
        connection.execute(
            "UPDATE intake_importjob SET heartbeat_at = heartbeat_at - interval '7 minutes' WHERE id = %s", [job_id]
        )
    assert f"1 import(s) relancé(s) : {job_id}." in manage(env, "manage.py", "recover_imports")
    assert job_row(cluster, job_id)["status"] == "queued"

    # A healthy worker reads it to the end: ready for review, on its second attempt.
    manage(env, "manage.py", "db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", "--no-reload")
    row = job_row(cluster, job_id)
    assert (row["status"], row["attempts"], row["progress"], row["has_result"]) == ("ready", 2, 100, True), row
    assert created_records(cluster) == before


def test_an_import_killed_on_its_last_attempt_fails_with_a_french_message(cluster, tmp_path):
    env = app_environment(cluster, tmp_path / "media")
    before = created_records(cluster)
    job_id = int(manage(env, "-c", QUEUE_IMPORT, stdin=SAMPLE_TEXT).strip())
    with cluster.connect() as connection:
        # Two readings already died; this one is the last allowed.
        connection.execute("UPDATE intake_importjob SET attempts = max_attempts - 1 WHERE id = %s", [job_id])
    worker = subprocess.Popen(
        [sys.executable, "-c", HANGING_WORKER], cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(lambda: job_row(cluster, job_id)["progress"] == 10, timeout=120, what="the worker to start reading")
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    stored = tmp_path / "media" / job_row(cluster, job_id)["file"]
    assert stored.exists()
    with cluster.connect() as connection:
        connection.execute(
            "UPDATE intake_importjob SET heartbeat_at = heartbeat_at - interval '7 minutes' WHERE id = %s", [job_id]
        )
    manage(env, "manage.py", "recover_imports")

    row = job_row(cluster, job_id)
    assert row["status"] == "failed"
    assert row["error"].startswith("Le traitement a été interrompu à plusieurs reprises")
    assert "Déposez de nouveau le fichier" in row["error"]
    assert row["file"] == ""  # the uploaded convention is not kept
    assert not stored.exists()
    assert created_records(cluster) == before


# --- The web process across a PostgreSQL restart -------------------------------------------------

# A user with a role and a session, as ``Client.force_login`` makes one: the page is then opened
# by a plain HTTP client with that cookie.
SESSION = """
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from partenariats.accounts.models import Assignment, Role, User
from partenariats.territories.models import Academy
user, created = User.objects.get_or_create(email="web.faults@example.invalid", defaults={"first_name": "Camille"})
if created:
    Assignment.objects.create(user=user, role=Role.ACADEMY_STAFF, academy=Academy.objects.order_by("pk").first())
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def get(port: int, path: str, session_key: str | None = None) -> int:
    """The status of one GET, redirects not followed (a lost session would show as a 302); 0 when
    nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": f"sessionid={session_key}"} if session_key else {})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def test_the_web_process_survives_a_postgresql_restart(cluster, tmp_path):
    env = app_environment(cluster, tmp_path / "media", DATABASE_CONN_MAX_AGE="600")
    session_key = manage(env, "-c", SESSION).strip()
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "partenariats.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(lambda: get(port, "/healthz") == 200, timeout=120, what="gunicorn to answer")
        # A persistent connection is opened and kept by the one worker.
        assert get(port, "/", session_key) == 200
        assert get(port, "/conventions/", session_key) == 200

        cluster.ctl("restart", "-m", "fast")

        # Every request after the restart succeeds: the kept connection, now dead, is checked
        # and replaced before use (CONN_HEALTH_CHECKS), never handed to the view.
        statuses = [get(port, "/healthz"), get(port, "/", session_key), get(port, "/conventions/", session_key)]
        assert statuses == [200, 200, 200]
        assert server.poll() is None, "gunicorn exited"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    errors = server.stderr.read().decode(errors="replace")
    assert "Traceback" not in errors, errors[-3000:]


def test_a_database_down_is_reported_by_the_health_check_then_recovered(cluster, tmp_path):
    env = app_environment(cluster, tmp_path / "media", DATABASE_CONN_MAX_AGE="600")
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "partenariats.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(lambda: get(port, "/healthz") == 200, timeout=120, what="gunicorn to answer")
        cluster.ctl("stop", "-m", "fast")
        try:
            # The load balancer is told (503), the process stays up.
            assert get(port, "/healthz") == 503
            assert server.poll() is None
        finally:
            cluster.ctl("start")
        assert get(port, "/healthz") == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
