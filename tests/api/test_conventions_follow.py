"""POST and DELETE /api/conventions/{id}/follow: anyone who reads a convention may follow it."""

import pytest

from partenariats.conventions.models import ConventionKind
from tests.factories import ConventionFactory, PartyFactory

pytestmark = pytest.mark.django_db


def test_it_follows_then_unfollows_a_convention(client, bearer, academy_staff):
    convention = ConventionFactory()
    headers = bearer(academy_staff)
    path = f"/api/conventions/{convention.pk}/follow"
    response = client.post(path, headers=headers)
    assert response.status_code == 200
    assert response.json() == {"following": True}
    assert list(convention.followers.all()) == [academy_staff]
    # Following twice changes nothing.
    assert client.post(path, headers=headers).status_code == 200
    assert convention.followers.count() == 1
    response = client.delete(path, headers=headers)
    assert response.json() == {"following": False}
    assert not convention.followers.exists()
    assert client.delete(path, headers=headers).status_code == 200


def test_it_lets_readers_who_cannot_edit_follow(client, bearer, observer, partner_contact, company, nice):
    national = ConventionFactory(kind=ConventionKind.NATIONAL, academy=nice)
    assert client.post(f"/api/conventions/{national.pk}/follow", headers=bearer(observer)).status_code == 200
    of_company = ConventionFactory()
    PartyFactory(convention=of_company, organisation=company)
    assert client.post(f"/api/conventions/{of_company.pk}/follow", headers=bearer(partner_contact)).status_code == 200
    assert list(national.followers.all()) == [observer]
    assert list(of_company.followers.all()) == [partner_contact]


def test_it_does_not_change_the_version(client, bearer, academy_staff):
    convention = ConventionFactory()
    client.post(f"/api/conventions/{convention.pk}/follow", headers=bearer(academy_staff))
    convention.refresh_from_db()
    assert convention.version == 1


def test_it_answers_404_out_of_scope(client, bearer, colleague_elsewhere, outsider):
    convention = ConventionFactory()
    for user in (colleague_elsewhere, outsider):
        assert client.post(f"/api/conventions/{convention.pk}/follow", headers=bearer(user)).status_code == 404
        assert client.delete(f"/api/conventions/{convention.pk}/follow", headers=bearer(user)).status_code == 404
    assert not convention.followers.exists()


def test_it_refuses_a_call_without_token(client):
    convention = ConventionFactory()
    assert client.post(f"/api/conventions/{convention.pk}/follow").status_code == 401
    assert not convention.followers.exists()
