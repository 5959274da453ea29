"""Deleting a convention: a draft is archived (with its history); a signed one is refused."""

import pytest
from django.urls import reverse

from partenariats.conventions.models import Convention
from tests.factories import ConventionFactory, PartyFactory, SignatoryFactory

pytestmark = pytest.mark.django_db


def url(convention) -> str:
    return reverse("conventions:convention_archive", args=[convention.pk])


@pytest.fixture
def draft(company):
    convention = ConventionFactory(title="Projet de convention avec une entreprise")
    party = PartyFactory(convention=convention, organisation=company)
    SignatoryFactory(convention=convention, party=party, signed_on=None)
    return convention


def test_it_archives_a_draft(client, academy_staff, draft):
    client.force_login(academy_staff)

    assert "Supprimer le projet" in client.get(url(draft)).content.decode()
    response = client.post(url(draft))

    assert response.status_code == 302
    assert response["Location"] == reverse("conventions:convention_list")
    draft.refresh_from_db()
    assert draft.archived_at is not None
    assert not Convention.objects.for_user(academy_staff).filter(pk=draft.pk).exists()
    latest = draft.history.first()
    assert (latest.archived_at, latest.history_user) == (draft.archived_at, academy_staff)


def test_it_refuses_to_delete_a_signed_convention_and_points_to_termination(client, academy_staff):
    signed = ConventionFactory(signed=True)
    client.force_login(academy_staff)

    page = client.get(url(signed)).content.decode()
    response = client.post(url(signed))

    assert "Une convention signée ne se supprime pas" in page
    assert f"{reverse('conventions:event_create', args=[signed.pk])}?kind=terminated" in page
    assert response.status_code == 403
    assert "Une convention signée ne peut pas être supprimée : enregistrez plutôt sa résiliation" in (
        response.content.decode()
    )
    signed.refresh_from_db()
    assert signed.archived_at is None


def test_only_the_academys_staff_archive(client, observer, colleague_elsewhere, draft):
    client.force_login(observer)
    assert client.post(url(draft)).status_code == 403
    client.force_login(colleague_elsewhere)
    assert client.post(url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.archived_at is None
