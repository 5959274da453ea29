"""Security headers on every HTML page, the production settings, the health check, the session cookie."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(__file__).resolve().parent.parent


def production_env() -> dict[str, str]:
    """A production-like environment: only what a deployment sets, nothing from the test settings."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(PROJECT_DIR)),
        "DJANGO_SETTINGS_MODULE": "partenariats.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48)[:50],
        "DJANGO_ALLOWED_HOSTS": "partenariats.example.invalid",
    }


def run_production(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT_DIR, env=production_env(), capture_output=True, text=True, timeout=120
    )


def _html_pages(client, academy_staff, company):
    """(label, response) for a few HTML pages, anonymous and logged in."""
    yield "login (anonymous)", client.get(reverse("accounts:login"))
    yield "accessibility (anonymous)", client.get(reverse("core:accessibility"))
    client.force_login(academy_staff)
    yield "dashboard", client.get(reverse("dashboard:home"))
    yield "organisation list", client.get(reverse("directory:organisation_list"))
    yield "organisation detail", client.get(reverse("directory:organisation_detail", args=[company.pk]))
    yield "page not found", client.get("/page-inexistante/")


def _csp(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        directives[name] = values
    return directives


def test_it_sends_a_strict_content_security_policy_with_a_nonce(client, academy_staff, company):
    for label, response in _html_pages(client, academy_staff, company):
        assert response["Content-Type"].startswith("text/html"), label
        header = response.get("Content-Security-Policy")
        assert header, f"{label}: no Content-Security-Policy header"
        assert "'unsafe-inline'" not in header, f"{label}: {header}"
        assert "'unsafe-eval'" not in header, f"{label}: {header}"
        nonces = [value for value in _csp(response).get("script-src", []) if value.startswith("'nonce-")]
        assert len(nonces) == 1, f"{label}: script-src without a nonce: {header}"
        nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
        # Every script of the page carries that nonce.
        html = response.content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts, f"{label}: no script at all, the nonce check proves nothing"
        for tag in scripts:
            assert f'nonce="{nonce}"' in tag, f"{label}: a script without the request's nonce: {tag}"


def test_it_draws_a_new_nonce_for_each_response(client):
    first = _csp(client.get(reverse("accounts:login")))["script-src"]
    second = _csp(client.get(reverse("accounts:login")))["script-src"]
    assert first != second


def test_it_writes_no_inline_style_nor_event_handler(client, academy_staff, company):
    """The CSP would block them: ``style="…"`` attributes and ``onclick``-like handlers."""
    for label, response in _html_pages(client, academy_staff, company):
        html = response.content.decode()
        assert not re.search(r"<[^>]+\sstyle=", html), f"{label}: an inline style attribute"
        assert not re.search(r"<[^>]+\son[a-z]+=", html), f"{label}: an inline event handler"
        assert not re.search(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", html), f"{label}: an inline script"


def test_it_forbids_framing_sniffing_and_leaking_the_referrer(client, academy_staff, company):
    for label, response in _html_pages(client, academy_staff, company):
        assert response.get("X-Frame-Options") == "DENY", label
        assert response.get("X-Content-Type-Options") == "nosniff", label
        assert response.get("Referrer-Policy") in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}, (
            label
        )
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], label


def test_it_passes_the_deployment_checklist_in_production():
    result = run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_uses_secure_cookies_and_https_in_production():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS')}))"
    )
    result = run_production("-c", script)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
    }


def test_it_answers_the_health_check_without_login():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


def test_it_keeps_the_session_cookie_away_from_scripts(academy_staff):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": academy_staff.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
