"""The backup drill: ``make backup`` then ``make restore`` into an empty database and documents
folder, and the restored copy works — login, dashboard, a convention, its document (the same
bytes), the indicators.

It runs on databases of its own on the PostgreSQL server (``BACKUP_DRILL_SERVER``, by default
the local one CI starts), whichever database the rest of the suite uses: hence ``slow``, run once.
"""

import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BACKUP_DRILL_SERVER", "postgresql://postgres@127.0.0.1:5432")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed"),
]

# Run in the source environment: a signed copy of a convention the demo académie user sees,
# stored through the application's own service (file in MEDIA_ROOT, record in the database).
ADD_DOCUMENT = """
import json, sys, django
django.setup()
from partenariats.accounts.models import User
from partenariats.conventions.documents import add_document
from partenariats.conventions.models import Convention, DocumentKind
from partenariats.demo import constants
user = User.objects.get(email=constants.ACADEMY_STAFF_EMAIL)
convention = Convention.objects.for_user(user).order_by("pk").first()
content = sys.stdin.buffer.read()
upload = add_document(convention, content=content, original_name="exemplaire-signe.pdf",
    title="Exemplaire signé (exercice de sauvegarde)", kind=DocumentKind.SIGNED, confidential=False, by=user)
print(json.dumps({"convention": convention.pk, "document": upload.document.pk}))
"""

# Run in the restored environment: the smoke journey of the demo académie user, through the
# real login form (throttling included), with Django's test client against the restored database.
JOURNEY = """
import hashlib, json, sys, django
django.setup()
from django.test import Client
from django.urls import reverse
from partenariats.demo import constants
ids = json.loads(sys.argv[1])
client = Client(raise_request_exception=False)
statuses = {}
login = client.post(reverse("accounts:login"),
    {"username": constants.ACADEMY_STAFF_EMAIL, "password": constants.DEMO_PASSWORD})
statuses["login"] = login.status_code
statuses["dashboard"] = client.get(reverse("dashboard:home")).status_code
statuses["convention"] = client.get(reverse("conventions:convention_detail", args=[ids["convention"]])).status_code
download = client.get(reverse("conventions:document_download", args=[ids["convention"], ids["document"]]))
statuses["document"] = download.status_code
body = b"".join(download.streaming_content) if download.status_code == 200 else b""
statuses["indicators"] = client.get(reverse("indicators:convention", args=[ids["convention"]])).status_code
print(json.dumps({"statuses": statuses, "document_sha256": hashlib.sha256(body).hexdigest()}))
"""


def _psql_admin(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["psql", f"{SERVER}/postgres", "-XAtq", "-v", "ON_ERROR_STOP=1", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def databases():
    """Two database names of our own on the server (created empty), dropped afterwards."""
    if _psql_admin("-c", "SELECT 1").returncode != 0:
        pytest.skip(f"no PostgreSQL server at {SERVER}")
    suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
    names = [f"backup_drill_source_{suffix}", f"backup_drill_restored_{suffix}"]
    for name in names:
        created = _psql_admin("-c", f'CREATE DATABASE "{name}"')
        assert created.returncode == 0, created.stderr
    yield {name.split("_")[2]: f"{SERVER}/{name}" for name in names}
    for name in names:
        _psql_admin("-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], env: dict[str, str], *, stdin: bytes | None = None, timeout=600):
    result = subprocess.run(args, cwd=PROJECT_DIR, env=env, input=stdin, capture_output=True, timeout=timeout)
    return result


def checked(args: list[str], env: dict[str, str], **kwargs) -> str:
    result = run(args, env, **kwargs)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout.decode()}\n{result.stderr.decode()}"
    return result.stdout.decode()


def environment(database_url: str, media: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(PROJECT_DIR)),
        "DJANGO_SETTINGS_MODULE": "partenariats.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def test_a_backup_restored_into_an_empty_database_serves_the_smoke_journey(databases, tmp_path):
    source = environment(databases["source"], tmp_path / "media-source", BACKUP_ROOT=str(tmp_path / "backups"))
    checked([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], source)
    checked([sys.executable, "manage.py", "load_demo"], source)
    pdf = b"%PDF-1.4\n% exemplaire de l'exercice de sauvegarde " + secrets.token_hex(16).encode() + b"\n%%EOF\n"
    ids = json.loads(checked([sys.executable, "-c", ADD_DOCUMENT], source, stdin=pdf).strip().splitlines()[-1])

    checked(["make", "--no-print-directory", "backup"], source)
    [backup] = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {"db.dump", "media.tar.gz"}
    for name, described in manifest["files"].items():
        content = (backup / name).read_bytes()
        assert described == {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    assert manifest["application"]["version"]

    restored = environment(databases["restored"], tmp_path / "media-restored")
    checked(["make", "--no-print-directory", "restore", f"BACKUP={backup}"], restored)

    journey = json.loads(checked([sys.executable, "-c", JOURNEY, json.dumps(ids)], restored).strip().splitlines()[-1])
    assert journey["statuses"] == {
        "login": 302,
        "dashboard": 200,
        "convention": 200,
        "document": 200,
        "indicators": 200,
    }
    assert journey["document_sha256"] == hashlib.sha256(pdf).hexdigest()

    # Restoring again over the now-used database is refused, and says how to force it.
    again = run(["make", "--no-print-directory", "restore", f"BACKUP={backup}"], restored)
    assert again.returncode != 0
    assert "not empty" in again.stderr.decode()
    assert "FORCE=1" in again.stderr.decode()

    # A damaged copy is refused before anything is touched.
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    dump = bytearray((damaged / "db.dump").read_bytes())
    dump[100] ^= 0xFF
    (damaged / "db.dump").write_bytes(bytes(dump))
    refused = run(
        ["make", "--no-print-directory", "restore", f"BACKUP={damaged}", "FORCE=1"],
        environment(databases["restored"], tmp_path / "media-elsewhere"),
    )
    assert refused.returncode != 0
    assert "SHA-256" in refused.stderr.decode()
    assert not (tmp_path / "media-elsewhere").exists()


def test_it_refuses_to_back_up_a_database_that_is_not_postgresql(tmp_path):
    env = environment(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "media", BACKUP_ROOT=str(tmp_path / "b"))
    result = run(["scripts/backup.sh"], env, timeout=30)
    assert result.returncode == 1
    assert "only PostgreSQL" in result.stderr.decode()
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
