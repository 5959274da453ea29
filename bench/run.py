"""Load test at national scale: gunicorn on PostgreSQL, locust users of every role, ratios to the floor.

    .venv/bin/python bench/run.py [--users 30] [--run-time 10m] [--workers 5] [--threads 1]
                                  [--database partenariats_national] [--regenerate] [--generate-only]

The database is kept between runs, the data generated only when missing (its record, with the
time it took, stored as the database's comment). See bench/README.md. Exits 1 when a request
failed, 2 when the set-up did; targets missed are reported, not failed.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from pages import FLOOR, PAGES

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
# Collected static files are kept between runs: whitenoise compresses every file each time,
# which takes minutes on a small machine.
STATIC_CACHE = PROJECT_DIR / "var" / "bench-static"
BIN_DIR = Path(sys.executable).parent
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
NATIONAL_DB = "partenariats_national"
NATIONAL_ACTIVITIES = 2_000_000
RECORD_KIND = "partenariats-bench-data"
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect 15 main start"


class SetupError(Exception):
    """The benchmark could not start: a message for the person who ran it."""


TARGET_P95_MS = 150
TARGET_FLOOR_RATIO = 2.0


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    median: float
    p95: float
    p99: float
    samples: list[tuple[float, bool]] = field(default_factory=list, repr=False)


def parse_duration(value: str) -> int:
    """Seconds in "90", "20s", "5m", "1h30m"."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", value.strip())
    if not value.strip() or not match:
        raise argparse.ArgumentTypeError(f"not a duration: {value!r} (examples: 20s, 5m, 1h30m)")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=30, help="simulated users, spread over the roles (default 30)")
    parser.add_argument("--spawn-rate", type=float, help="users started per second (default: 2)")
    parser.add_argument(
        "--run-time",
        default="10m",
        type=parse_duration,
        help="measured window after the logins: 20s, 5m… (default 10m)",
    )
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes (default 5: 2 × CPUs + 1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
    parser.add_argument("--scale", type=float, default=1.0, help="demo data size factor (load_demo --scale)")
    parser.add_argument(
        "--database",
        default=NATIONAL_DB,
        help=f"PostgreSQL database kept between runs (default {NATIONAL_DB}); ignored when DATABASE_URL is set",
    )
    parser.add_argument(
        "--activities",
        type=int,
        default=NATIONAL_ACTIVITIES,
        help=f"activities of the national data set (default {NATIONAL_ACTIVITIES}: the national scale, "
        "with 200 000 companies, 11 400 schools, 40 000 people, 2 500 conventions over 5 school years)",
    )
    parser.add_argument("--seed", type=int, default=1, help="the national generator's seed (default 1)")
    parser.add_argument(
        "--regenerate", action="store_true", help="drop the kept database and generate everything again"
    )
    parser.add_argument("--generate-only", action="store_true", help="make the database ready, measure nothing")
    parser.add_argument("--drop-db", action="store_true", help="drop the database at the end (default: kept)")
    parser.add_argument("--fresh-static", action="store_true", help=f"collect static files again into {STATIC_CACHE}")
    return parser.parse_args(argv)


# The database ---------------------------------------------------------------------------------


def admin_connection():
    import psycopg

    return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)


def ensure_postgres_running() -> None:
    """Connect to the local PostgreSQL, starting the cluster once if it does not answer."""
    import psycopg

    try:
        admin_connection().close()
        return
    except psycopg.OperationalError:
        pass
    print(f"PostgreSQL does not answer on 127.0.0.1:5432; trying: {START_POSTGRES}")
    subprocess.run(START_POSTGRES.split(), check=False)
    for _ in range(20):
        try:
            admin_connection().close()
            return
        except psycopg.OperationalError:
            time.sleep(0.5)
    raise SetupError(
        "PostgreSQL is not running on 127.0.0.1:5432 (user postgres, trust authentication).\n"
        f"Start it with:  {START_POSTGRES}\n"
        "or point DATABASE_URL at another server."
    )


def quoted(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SetupError(f"database name {name!r}: use lower-case letters, digits and _ only")
    return f'"{name}"'


def prepare_database(name: str, regenerate: bool) -> str:
    """The kept database's URL, created if missing (dropped first with ``regenerate``)."""
    ensure_postgres_running()
    with admin_connection() as connection:
        if regenerate:
            connection.execute(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)")
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f"CREATE DATABASE {quoted(name)}")
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    with admin_connection() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)")


def read_record(database_url: str) -> dict | None:
    """What the generation stored on the database (its comment): sizes, seed, date, times."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=3) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    with suppress(TypeError, ValueError):
        record = json.loads(row[0])
        if isinstance(record, dict) and record.get("kind") == RECORD_KIND:
            return record
    return None


def write_record(database_url: str, record: dict) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url, autocommit=True, connect_timeout=3) as connection:
        name = connection.execute("SELECT current_database()").fetchone()[0]
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(json.dumps(record)))
        )


def server_version(database_url: str) -> str:
    import psycopg

    try:
        with psycopg.connect(database_url, connect_timeout=3) as connection:
            return "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0].split()[0]
    except psycopg.Error:
        return database_url.split(":", 1)[0]


# Processes ------------------------------------------------------------------------------------


def executable(name: str) -> str:
    candidate = BIN_DIR / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        raise SetupError(f"{name} is not installed: run `make install`.")
    return found


def manage(env: dict[str, str], *args: str, echo: bool = False) -> str:
    """Run a management command; its output (printed as it comes with ``echo``)."""
    process = subprocess.Popen(
        [sys.executable, "-u", str(PROJECT_DIR / "manage.py"), *args],
        env=env,
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if echo:
            print(f"  {line}", end="", flush=True)
    error = process.stderr.read()
    if process.wait() != 0:
        raise SetupError(f"manage.py {' '.join(args)} failed:\n{''.join(lines)}\n{error}")
    return "".join(lines)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen | None, name: str) -> None:
    """Stop a process started in its own session, and every child it forked."""
    if process is None or process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop within 15 s: killing it.")
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SetupError(f"gunicorn exited (code {process.returncode}):\n{tail(log)}")
        # The URL is ours: http://127.0.0.1:<port>/healthz.
        with (
            suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            urllib.request.urlopen(url, timeout=2) as response,  # noqa: S310
        ):
            if response.status == 200:
                return
        time.sleep(0.3)
    raise SetupError(f"gunicorn did not answer {url} within {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into an exception, so that the clean-up below runs as for Ctrl-C."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# Static files -----------------------------------------------------------------------------------

FINGERPRINT_SCRIPT = """
import hashlib, os
import django
django.setup()
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
entries = [repr(settings.STORAGES["staticfiles"])]
for finder in get_finders():
    for path, storage in finder.list(["CVS", ".*", "*~"]):
        stat = os.stat(storage.path(path))
        entries.append(f"{path}|{stat.st_size}|{stat.st_mtime_ns}")
print(hashlib.sha256("\\n".join(sorted(entries)).encode()).hexdigest())
"""


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """This Python on ``args`` with the production settings, its output captured."""
    return subprocess.run(
        [sys.executable, *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "partenariats.settings"},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def collect_static(env: dict[str, str], fresh: bool) -> str:
    """Collect static files into the cache unless the sources are unchanged since the last run."""
    result = run_python(["-c", FINGERPRINT_SCRIPT], env)
    if result.returncode != 0:
        raise SetupError(f"could not list the static files:\n{result.stderr}")
    fingerprint = result.stdout.strip()
    stamp = STATIC_CACHE / ".bench-fingerprint"
    if not fresh and stamp.exists() and stamp.read_text() == fingerprint:
        return "unchanged, reused"
    shutil.rmtree(STATIC_CACHE, ignore_errors=True)
    manage(env, "collectstatic", "--no-input", "-v0")
    stamp.write_text(fingerprint)
    return "collected"


# Results --------------------------------------------------------------------------------------


def percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values (0 when there are none)."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def row_of(name: str, samples: list[tuple[float, bool]]) -> Row:
    times = sorted(ms for ms, _ in samples)
    return Row(
        name=name,
        requests=len(samples),
        failures=sum(1 for _, ok in samples if not ok),
        median=statistics.median(times) if times else 0.0,
        p95=percentile(times, 0.95),
        p99=percentile(times, 0.99),
        samples=samples,
    )


def read_samples(path: Path) -> dict[str, dict[str, list[tuple[float, bool]]]]:
    """The locustfile's requests, by phase ("login", "warm-up", "measured") then page name."""
    phases: dict[str, dict[str, list[tuple[float, bool]]]] = {}
    with path.open() as handle:
        for line in handle:
            phase, name, ms, ok = json.loads(line)
            phases.setdefault(phase, {}).setdefault(name, []).append((ms, ok))
    return phases


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}" if floor else "—"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def results_table(rows: dict[str, Row], seconds: int, paths: dict[str, str]) -> list[str]:
    """One line per page (the floor first, then by name), each with its ratio to the floor and
    whether it meets the targets (median ≤ 2 × floor, p95 < 150 ms, no failure)."""
    floor = rows.get(FLOOR.name)
    header = [
        "page",
        "path",
        "requests",
        "req/s",
        "median ms",
        "p95 ms",
        "p99 ms",
        "failures",
        "median/floor",
        "targets",
    ]
    table = [header]
    names = [FLOOR.name, *sorted(name for name in rows if name != FLOOR.name)]
    for name in names:
        row = rows.get(name)
        if row is None:
            table.append([name, paths.get(name, ""), "0", "—", "—", "—", "—", "—", "—", "—"])
            continue
        meets = (
            row.failures == 0
            and row.p95 < TARGET_P95_MS
            and (floor is None or row.median <= TARGET_FLOOR_RATIO * floor.median)
        )
        table.append(
            [
                name,
                paths.get(name, ""),
                str(row.requests),
                f"{row.requests / seconds:.2f}" if seconds else "—",
                f"{row.median:.0f}",
                f"{row.p95:.0f}",
                f"{row.p99:.0f}",
                str(row.failures),
                ratio(row.median, floor.median if floor else 0),
                verdict(meets),
            ]
        )
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    lines = []
    for number, line in enumerate(table):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


def summary_lines(rows: dict[str, Row], seconds: int) -> tuple[list[str], int]:
    """The totals and the three targets; the number of failed requests."""
    every = [sample for row in rows.values() for sample in row.samples]
    total = row_of("total", every)
    floor = rows.get(FLOOR.name)
    slow = [
        f"{row.name} ({row.median / floor.median:.1f}×)"
        for row in rows.values()
        if floor and row.name != FLOOR.name and row.median > TARGET_FLOOR_RATIO * floor.median
    ]
    lines = [
        f"Total: {total.requests} requests in {seconds} s = {total.requests / max(seconds, 1):.1f} req/s; "
        f"median {total.median:.0f} ms, p95 {total.p95:.0f} ms, p99 {total.p99:.0f} ms; "
        f"errors {total.failures} ({100 * total.failures / max(total.requests, 1):.2f} %)",
        f"  {verdict(total.p95 < TARGET_P95_MS)}  p95 of all requests < {TARGET_P95_MS} ms: {total.p95:.0f} ms",
        f"  {verdict(not slow)}  every page's median ≤ {TARGET_FLOOR_RATIO:g} × the floor's ({floor.median:.0f} ms)"
        if floor
        else "  MISS  the floor was not measured",
        f"  {verdict(total.failures == 0)}  no error: {total.failures}",
    ]
    if slow:
        lines.append("  over 2 × the floor: " + ", ".join(slow))
    return lines, total.failures


def cpu_model() -> str:
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def memory() -> str:
    with suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    return "RAM unknown"


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


# The run --------------------------------------------------------------------------------------


@contextmanager
def step(title: str) -> Iterator[None]:
    print(f"{title}…", end=" ", flush=True)
    began = time.monotonic()
    yield
    print(f"{time.monotonic() - began:.0f} s")


def server_env(database_url: str, static_root: Path) -> dict[str, str]:
    """Production settings, minus TLS: what gunicorn and the management commands run with."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(static_root),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def start_gunicorn(args: argparse.Namespace, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [executable("gunicorn"), "partenariats.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(args.workers), "--threads", str(args.threads)]
    # A worker that does not answer its heartbeat in 30 s (the default) is killed: on a busy
    # machine, importing Django takes longer. 120 s also lets a slow page answer (and count).
    command += ["--timeout", "120"]
    command += ["--log-level", "warning", "--error-logfile", "-"]
    # Its error log and whatever the workers print (warnings, tracebacks) go to one file.
    with log.open("ab") as output:
        return subprocess.Popen(
            command, env=env, cwd=PROJECT_DIR, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def ensure_data(args: argparse.Namespace, env: dict[str, str], database_url: str) -> tuple[dict, bool]:
    """The data's record: read back when this database already holds what is asked, else made
    now (migrate, demo, national generator, each timed) and stored; and whether it was made now."""
    wanted = {"activities": args.activities, "seed": args.seed, "demo_scale": args.scale}
    record = read_record(database_url)
    if record is not None:
        if record["wanted"] != wanted:
            raise SetupError(
                f"the database holds other data ({record['wanted']}, asked {wanted}): "
                "add --regenerate, or name another one with --database"
            )
        return record, False
    seconds: dict[str, float] = {}
    with step("Migrating"):
        began = time.monotonic()
        manage(env, "migrate", "--no-input", "-v0")
        seconds["migrate"] = time.monotonic() - began
    with step("Loading the demo data"):
        began = time.monotonic()
        demo = manage(env, "load_demo", "--scale", f"{args.scale:g}").splitlines()[0]
        seconds["load_demo"] = time.monotonic() - began
    print(f"  {demo}")
    command = ["generate_national", "--national", "--activities", str(args.activities), "--seed", str(args.seed)]
    print(f"Generating the national data set: manage.py {' '.join(command)} (one line per step)")
    began = time.monotonic()
    lines = manage(env, *command, echo=True).splitlines()
    seconds["generate_national"] = time.monotonic() - began
    match = re.search(r"partner_pk=(\d+) year=(\d+)", "\n".join(lines))
    if not match:
        raise SetupError("generate_national named no partner:\n" + "\n".join(lines))
    record = {
        "kind": RECORD_KIND,
        "wanted": wanted,
        "generated_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "seconds": {name: round(value, 1) for name, value in seconds.items()},
        "demo": demo,
        "generator": lines,
        "machine": f"{os.cpu_count()} CPUs ({cpu_model()}), load average {os.getloadavg()[0]:.1f} at the end",
    }
    write_record(database_url, record)
    return record, True


def describe_data(record: dict, made_now: bool) -> list[str]:
    seconds = record["seconds"]
    when = "in this run" if made_now else f"on {record['generated_at']} (reused: not generated in this run)"
    lines = [
        f"  data      generated {when}: generate_national {seconds['generate_national']:.0f} s "
        f"({seconds['generate_national'] / 60:.1f} min), demo {seconds['load_demo']:.0f} s, "
        f"migrations {seconds['migrate']:.0f} s; {record['machine']} then",
        f"            {record['demo']}",
    ]
    lines += [f"            {line}" for line in record["generator"] if not line.startswith("  …")]
    return lines


def pick_personas(env: dict[str, str], path: Path, users: int) -> dict:
    """Each persona's objects and API token, picked in the database by bench/personas.py."""
    result = run_python([str(BENCH_DIR / "personas.py"), str(path), str(users)], env)
    if result.returncode != 0:
        raise SetupError(f"bench/personas.py failed:\n{result.stdout}\n{result.stderr}")
    for line in result.stdout.splitlines():
        print(f"  {line}")
    return json.loads(path.read_text())


def start_locust(
    args: argparse.Namespace, env: dict[str, str], host: str, workdir: Path, log, plan: Path, samples: Path
) -> subprocess.Popen:
    # The locustfile ends the run once the measured window is over; --run-time is only a
    # safety net in case the logins never finish.
    spawn_rate = args.spawn_rate or 2
    safety_net = args.run_time + 300 + int(args.users / spawn_rate) + 5 * args.users
    command = [executable("locust"), "-f", str(BENCH_DIR / "locustfile.py"), "--headless"]
    command += ["-u", str(args.users), "-r", f"{spawn_rate:g}", "--run-time", f"{safety_net}s"]
    command += ["--host", host, "--csv", str(workdir / "locust"), "--only-summary", "--loglevel", "WARNING"]
    command += ["--stop-timeout", "5"]
    locust_env = {
        **env,
        "BENCH_PLAN": str(plan),
        "BENCH_SAMPLES": str(samples),
        "BENCH_MEASURE_SECONDS": str(args.run_time),
    }
    return subprocess.Popen(
        command, env=locust_env, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def run(args: argparse.Namespace) -> int:
    started = datetime.datetime.now()
    stamp = started.strftime("%Y%m%d-%H%M%S")
    RESULTS_DIR.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="partenariats-bench-"))
    gunicorn = locust = None
    named = "DATABASE_URL" not in os.environ
    try:
        database_url = prepare_database(args.database, args.regenerate) if named else os.environ["DATABASE_URL"]
        env = server_env(database_url, STATIC_CACHE)
        record, made_now = ensure_data(args, env, database_url)
        if not made_now:
            with step("Migrating (new migrations since the data was generated)"):
                manage(env, "migrate", "--no-input", "-v0")
        data_lines = describe_data(record, made_now)
        print("\n".join(data_lines))
        if args.generate_only:
            return 0
        with step(f"Static files in {STATIC_CACHE.relative_to(PROJECT_DIR)}"):
            print(collect_static(env, args.fresh_static), end=", ")
        with step("Picking each persona's objects and API token (each URL tried once)"):
            print()
            plan = pick_personas(env, workdir / "plan.json", args.users)

        port = args.port or free_port()
        host = f"http://127.0.0.1:{port}"
        gunicorn_log = workdir / "gunicorn.log"
        with step(f"Starting gunicorn on {host} ({args.workers} workers × {args.threads} thread(s))"):
            gunicorn = start_gunicorn(args, env, port, gunicorn_log)
            wait_until_up(f"{host}/healthz", gunicorn, gunicorn_log)

        load_before = os.getloadavg()[0]
        if load_before > 0.5 * (os.cpu_count() or 1):
            print(f"Warning: the machine is busy (load average {load_before:.1f}): the figures will be noisy.")
        samples_file = workdir / "samples.jsonl"
        locust_log = workdir / "locust.log"
        with (
            step(f"Running locust: {args.users} users log in, then {args.run_time} s measured"),
            locust_log.open("w") as log,
        ):
            locust = start_locust(args, env, host, workdir, log, workdir / "plan.json", samples_file)
            locust.wait()
        load_after = os.getloadavg()[0]
        if not samples_file.exists():
            raise SetupError(f"locust recorded no request (exit code {locust.returncode}):\n{tail(locust_log)}")
        phases = read_samples(samples_file)
        rows = {name: row_of(name, samples) for name, samples in phases.get("measured", {}).items()}
        logins = [sample for samples in phases.get("login", {}).values() for sample in samples]
        warm_up = sum(len(samples) for samples in phases.get("warm-up", {}).values())
        paths = {FLOOR.name: FLOOR.path, **{name: page.path for name, page in PAGES.items()}}
        totals, failures = summary_lines(rows, args.run_time)
        users = ", ".join(f"{persona['label']} ×{persona['users']}" for persona in plan["personas"].values())
        report = [
            f"Benchmark {started:%Y-%m-%d %H:%M} — commit {git_commit()}",
            f"  load      {args.users} users ({users}), think time 1–3 s, measured {args.run_time} s once "
            f"all had logged in; locust on the same machine",
            f"  server    gunicorn, {args.workers} workers × {args.threads} thread(s), timeout 120 s, DEBUG off, "
            "whitenoise",
            f"  database  {server_version(database_url)}, "
            + (f"database {args.database} (kept)" if named else "DATABASE_URL"),
            *data_lines,
            f"  machine   {os.cpu_count()} CPUs ({cpu_model()}), {memory()}, load average {load_before:.1f} "
            f"before the run and {load_after:.1f} after, Python {platform.python_version()}",
            "",
            *results_table(rows, args.run_time, paths),
            "",
            *totals,
        ]
        if logins:
            login = row_of("connexion", logins)
            report.append(
                f"Logins: {login.requests}, median {login.median:.0f} ms, p95 {login.p95:.0f} ms, "
                f"{login.failures} failed; {warm_up} requests before every user was in (not in the table)."
            )
        failures += sum(1 for _, ok in logins if not ok)
        text = "\n".join(report) + "\n"
        print()
        print(text)
        (RESULTS_DIR / f"{stamp}.txt").write_text(text)
        for name in ("locust_stats.csv", "locust_failures.csv", "samples.jsonl", "plan.json"):
            with suppress(OSError):
                shutil.copy(workdir / name, RESULTS_DIR / f"{stamp}-{name}")
        print(f"Saved to {RESULTS_DIR / f'{stamp}.txt'} (locust's CSV files and the raw samples beside it).")
        if failures:
            print(f"FAILED: {failures} request(s) failed — see {RESULTS_DIR / f'{stamp}-locust_failures.csv'}")
            print(f"gunicorn's log:\n{tail(gunicorn_log)}")
            return 1
        if FLOOR.name not in rows:
            print("No request reached the floor in the measured window: lengthen --run-time.")
            return 1
        return 0
    except SetupError as error:
        print(f"\nBenchmark set-up failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted: cleaning up.", file=sys.stderr)
        return 130
    finally:
        stop(locust, "locust")
        stop(gunicorn, "gunicorn")
        if named and args.drop_db:
            with suppress(Exception):
                drop_database(args.database)
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with terminate_cleanly():
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
