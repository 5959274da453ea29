"""Load test: gunicorn on PostgreSQL with the demo data, locust users, ratios to the framework floor.

    .venv/bin/python bench/run.py [--users 20] [--run-time 60s] [--workers 2] [--threads 1]

See bench/README.md. Exits 1 when a request failed, 2 when the set-up did.
"""

import argparse
import csv
import datetime
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from pages import FLOOR, PLACEHOLDERS, WARM_UP_SUFFIX, measured_pages

from partenariats.demo.constants import ACADEMY_STAFF_EMAIL, DEMO_PASSWORD

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
# Collected static files are kept between runs: whitenoise compresses every file each time,
# which takes minutes on a small machine.
STATIC_CACHE = PROJECT_DIR / "var" / "bench-static"
BIN_DIR = Path(sys.executable).parent
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "partenariats_bench"
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect 15 main start"


class SetupError(Exception):
    """The benchmark could not start: a message for the person who ran it."""


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    median: float
    p95: float
    p99: float


def parse_duration(value: str) -> int:
    """Seconds in "90", "20s", "5m", "1h30m"."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", value.strip())
    if not value.strip() or not match:
        raise argparse.ArgumentTypeError(f"not a duration: {value!r} (examples: 20s, 5m, 1h30m)")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--spawn-rate", type=float, help="users started per second (default: all at once)")
    parser.add_argument(
        "--run-time",
        default="60s",
        type=parse_duration,
        help="measured window after the logins: 20s, 5m… (default 60s)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
    parser.add_argument("--scale", type=float, default=1.0, help="demo data size factor (load_demo --scale)")
    parser.add_argument(
        "--national-activities",
        type=int,
        default=100_000,
        help="activities of the national data set's partner, whose indicator page is measured "
        "(generate_national; default 100000, 0: not generated, page not measured)",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the throwaway database afterwards")
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


def create_bench_database() -> str:
    ensure_postgres_running()
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return f"postgresql://postgres@127.0.0.1:5432/{BENCH_DB}"


def drop_bench_database() -> None:
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


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


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "manage.py"), *args],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SetupError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


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


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
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


def collect_static(env: dict[str, str], fresh: bool) -> str:
    """Collect static files into the cache unless the sources are unchanged since the last run."""
    result = subprocess.run(
        [sys.executable, "-c", FINGERPRINT_SCRIPT],
        env={**env, "DJANGO_SETTINGS_MODULE": "partenariats.settings"},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
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


def read_stats(path: Path) -> dict[str, Row]:
    rows = {}
    with path.open(newline="") as handle:
        for record in csv.DictReader(handle):
            if record["Name"] == "Aggregated":
                continue
            rows[record["Name"]] = Row(
                name=record["Name"],
                requests=int(record["Request Count"]),
                failures=int(record["Failure Count"]),
                median=float(record["50%"] or 0),
                p95=float(record["95%"] or 0),
                p99=float(record["99%"] or 0),
            )
    return rows


def ratio(value: float, floor: float) -> str:
    return f"{value / floor:.2f}" if floor else "—"


def results_table(rows: dict[str, Row], seconds: int, pages=()) -> list[str]:
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
        "p95/floor",
    ]
    table = [header]
    for page in (FLOOR, *pages):
        row = rows.get(page.name)
        if row is None:
            table.append([page.name, page.path, "0", "—", "—", "—", "—", "—", "—", "—"])
            continue
        table.append(
            [
                page.name,
                page.path,
                str(row.requests),
                f"{row.requests / seconds:.1f}" if seconds else "—",
                f"{row.median:.0f}",
                f"{row.p95:.0f}",
                f"{row.p99:.0f}",
                str(row.failures),
                ratio(row.median, floor.median if floor else 0),
                ratio(row.p95, floor.p95 if floor else 0),
            ]
        )
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    lines = []
    for number, line in enumerate(table):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


def cpu_model() -> str:
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


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
    command += ["--log-level", "warning", "--error-logfile", "-"]
    # Its error log and whatever the workers print (warnings, tracebacks) go to one file.
    with log.open("ab") as output:
        return subprocess.Popen(
            command, env=env, cwd=PROJECT_DIR, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def generate_national(env: dict[str, str], activities: int) -> tuple[dict[str, str], list[str]]:
    """Run the national generator, every activity in one school year (the one the page shows);
    the flagship partner's id and that year, and the generator's lines (one per step)."""
    output = manage(env, "generate_national", "--activities", str(activities), "--years", "1", "--seed", "1")
    match = re.search(r"partner_pk=(\d+) year=(\d+)", output)
    if not match:
        raise SetupError(f"generate_national named no partner:\n{output}")
    return {"partner": match.group(1), "year": match.group(2)}, output.splitlines()


def start_locust(
    args: argparse.Namespace, env: dict[str, str], host: str, prefix: Path, log, placeholders: dict[str, str]
) -> subprocess.Popen:
    # The locustfile ends the run once the measured window is over; --run-time is only a
    # safety net in case the logins never finish.
    safety_net = args.run_time + 120 + 2 * args.users
    command = [executable("locust"), "-f", str(BENCH_DIR / "locustfile.py"), "--headless"]
    command += ["-u", str(args.users), "-r", f"{args.spawn_rate or args.users:g}", "--run-time", f"{safety_net}s"]
    command += ["--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"]
    locust_env = {
        **env,
        "BENCH_EMAIL": ACADEMY_STAFF_EMAIL,
        "BENCH_PASSWORD": DEMO_PASSWORD,
        "BENCH_MEASURE_SECONDS": str(args.run_time),
        **{PLACEHOLDERS[name]: value for name, value in placeholders.items()},
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
    throwaway = "DATABASE_URL" not in os.environ
    database_created = False
    try:
        if throwaway:
            with step(f"Creating the throwaway database {BENCH_DB}"):
                database_url = create_bench_database()
                database_created = True
        else:
            database_url = os.environ["DATABASE_URL"]
        env = server_env(database_url, STATIC_CACHE)
        with step("Migrating"):
            manage(env, "migrate", "--no-input", "-v0")
        with step("Loading the demo data"):
            demo_summary = manage(env, "load_demo", "--scale", f"{args.scale:g}").splitlines()[0]
        print(f"  {demo_summary}")
        placeholders, national = {}, "not generated"
        if args.national_activities:
            began = time.monotonic()
            with step(f"Generating the national data set ({args.national_activities} activities of one partner)"):
                placeholders, lines = generate_national(env, args.national_activities)
            national = (
                f"{args.national_activities} activities of one partner (organisation {placeholders['partner']}) in "
                f"{placeholders['year']}–{int(placeholders['year']) + 1}, generated in {time.monotonic() - began:.0f} s"
            )
            for line in lines:
                print(f"  {line}")
        pages = measured_pages({PLACEHOLDERS[name]: value for name, value in placeholders.items()})
        with step(f"Static files in {STATIC_CACHE.relative_to(PROJECT_DIR)}"):
            print(collect_static(env, args.fresh_static), end=", ")

        port = args.port or free_port()
        host = f"http://127.0.0.1:{port}"
        gunicorn_log = workdir / "gunicorn.log"
        with step(f"Starting gunicorn on {host} ({args.workers} workers × {args.threads} thread(s))"):
            gunicorn = start_gunicorn(args, env, port, gunicorn_log)
            wait_until_up(f"{host}/healthz", gunicorn, gunicorn_log)

        load_before = os.getloadavg()[0]
        if load_before > 0.5 * (os.cpu_count() or 1):
            print(f"Warning: the machine is busy (load average {load_before:.1f}): the figures will be noisy.")
        prefix = RESULTS_DIR / f"{stamp}-locust"
        locust_log = workdir / "locust.log"
        with (
            step(f"Running locust: {args.users} users log in, then {args.run_time} s measured"),
            locust_log.open("w") as log,
        ):
            began = time.monotonic()
            locust = start_locust(args, env, host, prefix, log, placeholders)
            locust.wait()
            locust_seconds = time.monotonic() - began
        stats_file = Path(f"{prefix}_stats.csv")
        if not stats_file.exists():
            raise SetupError(f"locust wrote no statistics (exit code {locust.returncode}):\n{tail(locust_log)}")
        rows = read_stats(stats_file)

        warm_up = [row for name, row in rows.items() if name.endswith(WARM_UP_SUFFIX)]
        login = rows.get("connexion")
        report = [
            f"Benchmark {started:%Y-%m-%d %H:%M} — commit {git_commit()}",
            f"  load      {args.users} users (spawn {args.spawn_rate or args.users:g}/s), think time 1–3 s, "
            f"measured {args.run_time} s once all had logged in (as {ACADEMY_STAFF_EMAIL})",
            f"  server    gunicorn, {args.workers} workers × {args.threads} thread(s), DEBUG off, whitenoise; "
            "locust on the same machine",
            f"  database  {server_version(database_url)}"
            + (f" (throwaway {BENCH_DB})" if throwaway else " (DATABASE_URL)")
            + f", demo data at scale {args.scale:g}",
            f"  national  {national}",
            f"  machine   {os.cpu_count()} CPUs ({cpu_model()}), load average {load_before:.1f} before the run, "
            f"Python {platform.python_version()}",
            "",
            *results_table(rows, args.run_time, pages),
            "",
        ]
        if login:
            report.append(
                f"Logins: {login.requests}, median {login.median:.0f} ms, p95 {login.p95:.0f} ms, "
                f"{login.failures} failed; warm-up until all were in: ~{max(locust_seconds - args.run_time, 0):.0f} s, "
                f"{sum(r.requests for r in warm_up)} page requests (not in the table)."
            )
        failures = sum(row.failures for row in rows.values())
        if failures:
            report.append(f"FAILED: {failures} request(s) failed — see {prefix}_failures.csv")
        text = "\n".join(report) + "\n"
        print()
        print(text)
        (RESULTS_DIR / f"{stamp}.txt").write_text(text)
        print(f"Saved to {RESULTS_DIR / f'{stamp}.txt'} (locust CSVs beside it).")
        if failures:
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
        if database_created and not args.keep_db:
            with suppress(Exception):
                drop_bench_database()
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with terminate_cleanly():
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
