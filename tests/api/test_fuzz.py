"""The API under schemathesis: every operation of ``/api/openapi.json``, fed generated input.

Whatever a client sends (huge integers, NUL bytes, impossible dates, wrong types), the API
answers a 4xx with a French ``detail`` rather than a 5xx, and every answer matches the schema
the API publishes. Requests go in-process through the WSGI application, against the test
database (pytest-django), authenticated with the token of académie staff of Aix-Marseille who
have records in scope (the URL walk's World), so that some generated identifiers exist.
Without a token, no operation gives anything but 401.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from partenariats.api.urls import UNREADABLE_BODY, api
from partenariats.core.views import API_NOT_FOUND
from tests.factories import token_for
from tests.test_url_walk import build_world

pytestmark = pytest.mark.django_db

APP = get_wsgi_application()
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix=reverse("api:api-root").rstrip("/")))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
# Enough examples per operation to reach odd input, few enough for CI (about 30 operations).
FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_in_test_transaction():
    """Keep the test's database transaction open across WSGI requests, as Django's test client does:
    the handler's ``request_finished`` would otherwise close the connection that holds it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield APP
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def staff_headers(world, academy_staff):
    return {"Authorization": f"Bearer {token_for(academy_staff)}"}


@pytest.mark.slow
@SCHEMA.parametrize()
@FUZZ
def test_it_answers_generated_input_without_error_and_as_documented(case, staff_headers, wsgi_in_test_transaction):
    case.call_and_validate(app=wsgi_in_test_transaction, headers=staff_headers, checks=CHECKS)


@pytest.mark.slow
@SCHEMA.parametrize()
@settings(FUZZ, max_examples=3)
def test_it_gives_nothing_without_a_token(case, world, wsgi_in_test_transaction):
    case.headers = {key: value for key, value in (case.headers or {}).items() if key.lower() != "authorization"}
    response = case.call(app=wsgi_in_test_transaction)
    where = f"{case.method} {case.formatted_path}: {response.status_code}"
    if response.status_code == 405:
        # A method the path does not have (schemathesis tries them): refused before anything is read.
        assert case.method.upper() != case.operation.method.upper(), where
        assert response.content in (b"", b"Method not allowed"), where
    elif response.status_code == 404:
        # A path parameter no route matches (``/api/plans/null``): the API's JSON « not found ».
        assert response.json() == {"detail": API_NOT_FOUND}, where
    else:
        assert response.status_code == 401, where
        assert set(response.json()) == {"detail"}, where
        assert "jeton" in response.json()["detail"], where


def test_it_fuzzes_every_operation():
    """The fuzzing covers the whole API: a new endpoint is fuzzed without anyone adding it here."""
    operations = {(op.method.upper(), op.path) for op in (result.ok() for result in SCHEMA.get_all_operations())}
    paths = {path for _, path in operations}
    assert len(operations) >= 20
    assert {"/api/conventions", "/api/activities", "/api/people"} <= paths


# What the fuzzing found, kept as plain examples (they run in both database passes).


def test_it_refuses_an_offset_beyond_any_list_in_french(client, bearer, academy_staff):
    response = client.get("/api/people", {"offset": 2**70}, headers=bearer(academy_staff))
    assert response.status_code == 422
    assert response.json()["errors"] == ["paramètre › offset : valeur trop grande (au plus 1000000000)"]


def test_it_refuses_an_identifier_the_database_cannot_hold(client, bearer, academy_staff):
    payload = {"kind": "company_visit", "title": "Visite", "starts_on": "2025-11-14", "organisations": [2**70]}
    response = client.post("/api/activities", payload, content_type="application/json", headers=bearer(academy_staff))
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("corps › payload › organisations › 0 : valeur trop grande")


def test_it_says_in_french_that_a_body_is_not_json(client, bearer, academy_staff):
    response = client.post(
        "/api/activities", "pas du JSON", content_type="application/json", headers=bearer(academy_staff)
    )
    assert response.status_code == 400
    assert response.json() == {"detail": UNREADABLE_BODY}


def test_it_answers_json_for_an_address_no_route_matches(client, bearer, academy_staff):
    response = client.get("/api/organisations/abc", headers=bearer(academy_staff))
    assert response.status_code == 404
    assert response.json() == {"detail": API_NOT_FOUND}
