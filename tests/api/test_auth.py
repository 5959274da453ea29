import datetime

import pytest
from django.utils import timezone

from partenariats.accounts.models import ApiToken
from tests.factories import token_for

pytestmark = pytest.mark.django_db

UNAUTHENTICATED = "Authentification requise : fournissez un jeton d’API valide (en-tête Authorization: Bearer …)."


def assert_refused(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": UNAUTHENTICATED}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ["/api/organisations", "/api/people", "/api/territories/regions"])
def test_it_refuses_a_call_without_token_in_json(client, path):
    assert_refused(client.get(path))


def test_it_refuses_an_unknown_token(client, academy_staff):
    token_for(academy_staff)
    assert_refused(client.get("/api/organisations", headers={"Authorization": "Bearer not-a-real-token"}))


def test_it_refuses_another_scheme(client, academy_staff):
    key = token_for(academy_staff)
    assert_refused(client.get("/api/organisations", headers={"Authorization": f"Token {key}"}))


def test_it_refuses_a_revoked_token(client, academy_staff):
    key = token_for(academy_staff)
    ApiToken.objects.get(user=academy_staff).revoke()
    assert_refused(client.get("/api/organisations", headers={"Authorization": f"Bearer {key}"}))


def test_it_refuses_the_token_of_a_deactivated_user(client, academy_staff, academy_admin):
    key = token_for(academy_staff)
    academy_staff.deactivate(by=academy_admin)
    assert_refused(client.get("/api/organisations", headers={"Authorization": f"Bearer {key}"}))


def test_it_refuses_an_unrevoked_token_of_an_inactive_user(client, academy_staff):
    key = token_for(academy_staff)
    type(academy_staff).objects.filter(pk=academy_staff.pk).update(is_active=False)
    assert_refused(client.get("/api/organisations", headers={"Authorization": f"Bearer {key}"}))


def test_it_does_not_accept_a_browser_session_instead_of_a_token(client, academy_staff):
    client.force_login(academy_staff)
    assert_refused(client.get("/api/organisations"))


def test_it_accepts_a_valid_token_and_records_its_use(client, academy_staff):
    key = token_for(academy_staff)
    before = timezone.now()
    response = client.get("/api/organisations", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=academy_staff).last_used_at >= before


def test_it_records_a_token_s_use_once_a_minute(client, academy_staff):
    key = token_for(academy_staff)
    headers = {"Authorization": f"Bearer {key}"}
    client.get("/api/organisations", headers=headers)
    first = ApiToken.objects.get(user=academy_staff).last_used_at
    client.get("/api/organisations", headers=headers)
    assert ApiToken.objects.get(user=academy_staff).last_used_at == first  # not written at every call
    ApiToken.objects.filter(user=academy_staff).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/organisations", headers=headers)
    assert ApiToken.objects.get(user=academy_staff).last_used_at > first  # a minute later, it is
