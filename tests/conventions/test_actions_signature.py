"""Recording a signature: a signatory's date and place, or a signatory who was not on the page yet."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions.models import ConventionStatus, Signatory
from tests.factories import ConventionFactory, PartyFactory, SignatoryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 12)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def draft(company):
    """Two parties whose representatives have not signed yet."""
    convention = ConventionFactory(title="Convention locale avec une entreprise", refresh__today=TODAY)
    education = PartyFactory(convention=convention, organisation__service=True, side="education")
    partner = PartyFactory(convention=convention, organisation=company, position=1)
    SignatoryFactory(convention=convention, party=education, name="Principale Exemple", signed_on=None)
    SignatoryFactory(convention=convention, party=partner, name="Gérant Exemple", signed_on=None, position=1)
    return convention


def url(convention) -> str:
    return reverse("conventions:signature_create", args=[convention.pk])


def signature(convention, name: str, **overrides) -> dict:
    return {
        "signatory": str(convention.signatories.get(name=name).pk),
        "signed_on": "2025-10-06",
        "date_precision": "day",
        "place": "Marseille",
        "expected_version": str(convention.version),
        **overrides,
    }


def test_it_shows_what_a_first_signature_changes(client, academy_staff, draft):
    client.force_login(academy_staff)

    response = client.post(url(draft), signature(draft, "Principale Exemple"))

    assert response.status_code == 200
    assert "« Projet (non signée) » devient « En attente de signatures »" in response.content.decode()
    assert draft.signatories.get(name="Principale Exemple").signed_on is None


def test_the_last_signature_puts_the_convention_in_force(client, academy_staff, draft):
    client.force_login(academy_staff)
    client.post(url(draft), signature(draft, "Principale Exemple", confirm="1"))
    draft.refresh_from_db()

    preview = client.post(url(draft), signature(draft, "Gérant Exemple", signed_on="2025-10-20"))
    response = client.post(url(draft), signature(draft, "Gérant Exemple", signed_on="2025-10-20", confirm="1"))

    assert "« En attente de signatures » devient « En vigueur »" in preview.content.decode()
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ConventionStatus.ACTIVE
    assert draft.period_start == datetime.date(2025, 10, 20)
    signatory = draft.signatories.get(name="Gérant Exemple")
    assert (signatory.signed_on, signatory.place) == (datetime.date(2025, 10, 20), "Marseille")
    assert signatory.history.first().history_user == academy_staff


def test_it_adds_a_signatory_who_was_not_listed(client, academy_staff, draft):
    client.force_login(academy_staff)
    partner = draft.parties.all()[1]
    data = {
        "signatory": "new",
        "party": str(partner.pk),
        "name": "Directrice Exemple",
        "title": "Directrice des ressources humaines",
        "signed_on": "2025-10-17",
        "date_precision": "month",
        "expected_version": "1",
        "confirm": "1",
    }

    response = client.post(url(draft), data)

    assert response.status_code == 302
    signatory = Signatory.objects.get(name="Directrice Exemple")
    assert (signatory.party, signatory.signed_on, signatory.date_precision) == (
        partner,
        datetime.date(2025, 10, 1),
        "month",
    )


def test_it_refuses_a_future_date_and_a_nameless_signatory_in_french(client, academy_staff, draft):
    client.force_login(academy_staff)

    future = client.post(url(draft), signature(draft, "Gérant Exemple", signed_on="2026-01-05"))
    nameless = client.post(url(draft), {"signatory": "new", "signed_on": "2025-10-06", "date_precision": "day"})
    impossible = client.post(url(draft), signature(draft, "Gérant Exemple", signed_on="2025-02-30"))

    assert "Une signature ne peut pas être datée dans le futur." in future.content.decode()
    assert "Indiquez le nom du nouveau signataire tel qu’imprimé." in nameless.content.decode()
    assert "Cette date n’existe pas ou est mal écrite" in impossible.content.decode()
    assert not draft.signatories.exclude(signed_on=None).exists()


def test_only_the_academys_staff_record_signatures(client, observer, colleague_elsewhere, draft):
    client.force_login(observer)
    assert client.get(url(draft)).status_code == 403
    client.force_login(colleague_elsewhere)
    assert client.get(url(draft)).status_code == 404
