"""Security headers on every HTML page, the production settings, the health check, the session cookie."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.test_url_walk import PAGE_URLS, build_world, url_path

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
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'CSRF_COOKIE_SAMESITE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD')}))"
    )
    result = run_production("-c", script)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_it_sends_hsts_with_subdomains_and_preload_over_https(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    # Never over plain HTTP (a browser would ignore it, and it would mislead).
    assert "Strict-Transport-Security" not in client.get(reverse("accounts:login"))


def test_the_production_settings_redirect_http_to_https_but_not_the_health_check():
    script = (
        "import django; django.setup(); from django.test import Client; "
        "c = Client(HTTP_HOST='partenariats.example.invalid'); "
        "r = c.get('/compte/connexion/'); print(r.status_code, r.get('Location')); "
        "r = c.get('/healthz'); print(r.status_code)"
    )
    result = run_production("-c", script)
    assert result.returncode == 0, result.stderr
    login, health = result.stdout.strip().splitlines()[-2:]
    assert login == "301 https://partenariats.example.invalid/compte/connexion/"
    assert health in {"200", "503"}  # answered over HTTP for the load balancer, database or not


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


def test_it_keeps_the_csrf_cookie_away_from_scripts():
    response = Client().get(reverse("accounts:login"))
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # The form carries its own token: no script needs the cookie.
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def _assert_enforced_csp(label: str, response) -> None:
    assert "Content-Security-Policy-Report-Only" not in response, f"{label}: the CSP is only reported"
    header = response.get("Content-Security-Policy")
    assert header, f"{label}: no Content-Security-Policy header"
    directives = _csp(response)
    assert directives.get("default-src") == ["'self'"], f"{label}: {header}"
    assert directives.get("object-src") == ["'none'"], f"{label}: {header}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{label}: {header}"
    assert "'unsafe-inline'" not in header, f"{label}: {header}"
    assert "'unsafe-eval'" not in header, f"{label}: {header}"
    if not response["Content-Type"].startswith("text/html") or response.streaming:
        return
    nonce = next((v for v in directives.get("script-src", []) if v.startswith("'nonce-")), "")
    nonce = nonce.removeprefix("'nonce-").removesuffix("'")
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode(errors="replace")):
        if nonce and f'nonce="{nonce}"' in tag:
            continue  # allowed by the request's nonce
        if re.search(r'\stype="application/(?:ld\+)?json"', tag):
            continue  # a data block: never executed
        src = re.search(r'\ssrc="([^"]*)"', tag)
        # Otherwise the browser runs it only from the site itself ('self'): an inline script or
        # one from elsewhere would be blocked, i.e. a broken page.
        assert src, f"{label}: an inline script without the request's nonce: {tag}"
        assert re.match(r"/(?!/)", src[1]), f"{label}: a script from elsewhere: {tag}"


def test_it_enforces_the_csp_on_every_page_of_the_url_table(platform_admin, academy_staff):
    """Each page of tests/test_url_walk.py's table, opened by the platform admin (who reaches the
    admin too) and by a chargée de mission (who meets the 403s and 404s): whatever the answer."""
    world = build_world()
    clients = {"platform_admin": Client(), "academy_staff": Client()}
    clients["platform_admin"].force_login(platform_admin)
    clients["academy_staff"].force_login(academy_staff)
    html_pages = 0
    statuses = set()
    for url in PAGE_URLS:
        page = url_path(url, world)
        for persona, client in clients.items():
            response = client.get(page)
            statuses.add(response.status_code)
            _assert_enforced_csp(f"{persona} GET {page} ({url.key}, {response.status_code})", response)
            html_pages += response["Content-Type"].startswith("text/html") and response.status_code != 302
    # The walk met real pages and error pages, not only redirects.
    assert html_pages > 100
    assert {200, 403, 404} <= statuses


def _failing_view(request):
    raise RuntimeError("an unexpected error, for the error page")


# This module's URLs, for the 500 page only: the project's, plus a view that fails.
urlpatterns = [path("erreur-essai/", _failing_view), path("", include("partenariats.urls"))]
handler403 = "partenariats.core.views.permission_denied"
handler404 = "partenariats.core.views.page_not_found"
handler500 = "partenariats.core.views.server_error"


@pytest.mark.urls(__name__)
def test_the_error_page_carries_the_enforced_csp_too(academy_staff):
    client = Client(raise_request_exception=False)
    client.force_login(academy_staff)
    response = client.get("/erreur-essai/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    _assert_enforced_csp("500 page", response)
    assert "RuntimeError" not in response.content.decode()


def test_the_lockout_page_says_the_cool_off_the_platform_is_set_to(client, academy_staff, settings):
    settings.AXES_COOLOFF_TIME = 1  # hours: AXES_COOLOFF_MINUTES=60
    for _ in range(5):
        _login(client, academy_staff.email, "mauvais-mot-de-passe")
    page = " ".join(_login(client, academy_staff.email, PASSWORD).content.decode().split())
    assert "Réessayez dans 60 minutes" in page


def test_no_stylesheet_carries_an_integrity_hash_the_production_storage_breaks(client, academy_staff):
    """In production the static storage rewrites each ``url()`` of a stylesheet to the hashed name
    of its target: a stylesheet that has some, linked with the integrity hash of its file as
    shipped, is refused by the browser. DSFR's was, and every page was unstyled."""
    client.force_login(academy_staff)
    page = client.get(reverse("dashboard:home")).content.decode()
    stylesheets = re.findall(r"<link[^>]*rel=\"stylesheet\"[^>]*>", page, flags=re.S)
    assert len(stylesheets) >= 3
    for tag in stylesheets:
        name = re.search(r'href="/static/([^"]+)"', tag).group(1)
        rewritten = "url(" in Path(finders.find(name)).read_text(encoding="utf-8")
        assert not (rewritten and "integrity=" in tag), f"{name}: its integrity hash will not match once collected"


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_a_locked_login_tells_what_to_do_and_opens_again_after_the_cool_off(client, academy_staff):
    for _ in range(5):
        _login(client, academy_staff.email, "mauvais-mot-de-passe")
    locked = _login(client, academy_staff.email, PASSWORD)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in page  # the way out, as a link
    assert locked.get("Content-Security-Policy")
    assert "Réessayez dans 15 minutes" in " ".join(page.split())

    # Sixteen minutes later (the failures recorded that long ago), the right password works again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, academy_staff.email, PASSWORD).status_code == 302
