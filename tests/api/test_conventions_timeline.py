"""GET /api/conventions/{id}/timeline?on=: exactly the terms engine's answer, as the CLI prints it."""

import datetime
import json

import pytest
from django.utils import timezone

from partenariats import terms
from partenariats.conventions.models import (
    Convention,
    ConventionKind,
    EventKind,
    Party,
    PartySide,
    Signatory,
    TerminationEffect,
)
from partenariats.conventions.schemas import TimelineOut
from partenariats.conventions.services import record_event
from partenariats.terms import cli
from tests.factories import ConventionFactory, OrganisationFactory, academy

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_004_like(aix):
    """Signed 18 March 2021 for two years, renewed tacitly, termination at the next rentrée; Aix is a party too."""
    montpellier = academy("Montpellier")
    convention = Convention.objects.create(
        title="Convention de coopération entre une région académique et une fédération (exemple)",
        kind=ConventionKind.REGIONAL,
        duration_months=24,
        tacit_renewal=True,
        renewal_months=24,
        notice_by_registered_letter=True,
        termination_effect=TerminationEffect.NEXT_SCHOOL_YEAR_START,
        contact_exchange_month=9,
    )
    convention.academies.add(montpellier, aix)
    rectorat = OrganisationFactory(service=True, academy=montpellier, name="Rectorat de région exemple")
    federation = OrganisationFactory(federation=True, academy=montpellier)
    education = Party.objects.create(convention=convention, organisation=rectorat, side=PartySide.EDUCATION)
    partner = Party.objects.create(convention=convention, organisation=federation, side=PartySide.PARTNER, position=1)
    Signatory.objects.create(
        convention=convention, party=education, name="Recteur Exemple", signed_on=datetime.date(2021, 3, 18)
    )
    Signatory.objects.create(
        convention=convention, party=partner, name="Présidente Exemple", signed_on=datetime.date(2021, 3, 10)
    )
    return convention


def api_timeline(client, headers, convention, on: str | None = None) -> dict:
    params = {"on": on} if on is not None else {}
    response = client.get(f"/api/conventions/{convention.pk}/timeline", params, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def cli_timeline(convention, on: str, tmp_path, capsys) -> dict:
    """What ``partenariats timeline FILE --on DATE`` prints for the convention's engine input."""
    path = tmp_path / "convention.json"
    path.write_text(json.dumps(convention.terms_input(), ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert cli.main([str(path), "--on", on]) == 0
    return json.loads(capsys.readouterr().out)


def test_it_is_in_the_third_period_on_1_june_2025(client, bearer, academy_staff, seed_004_like, tmp_path, capsys):
    body = api_timeline(client, bearer(academy_staff), seed_004_like, "2025-06-01")
    assert body["status"] == "active"
    assert (body["period_start"], body["period_end"]) == ("2025-03-18", "2027-03-17")
    assert body == terms.compute(seed_004_like.terms_input(), datetime.date(2025, 6, 1))
    assert body == cli_timeline(seed_004_like, "2025-06-01", tmp_path, capsys)


def test_it_gives_the_engines_answer_after_notice_at_the_next_school_year_start(
    client, bearer, academy_staff, seed_004_like, tmp_path, capsys
):
    record_event(seed_004_like, kind=EventKind.NOTICE_GIVEN, on=datetime.date(2025, 11, 10), by_user=academy_staff)
    body = api_timeline(client, bearer(academy_staff), seed_004_like, "2025-12-01")
    assert body["status"] == "under_notice"
    # Pupils return on 1 September 2026: the day before, not three months after the notice.
    assert body["effective_end"] == "2026-08-31"
    assert body == cli_timeline(seed_004_like, "2025-12-01", tmp_path, capsys)
    assert [entry["kind"] for entry in body["timeline"]].count("notice_given") == 1


@pytest.mark.parametrize("on", ["2019-01-01", "2021-03-15", "2023-03-17", "2023-03-18", "2031-02-28"])
def test_it_equals_the_engine_and_the_cli_on_any_date(
    client, bearer, academy_staff, seed_004_like, on, tmp_path, capsys
):
    body = api_timeline(client, bearer(academy_staff), seed_004_like, on)
    assert body == terms.compute(seed_004_like.terms_input(), datetime.date.fromisoformat(on))
    assert body == cli_timeline(seed_004_like, on, tmp_path, capsys)


def test_it_keeps_the_engines_keys_in_order(client, bearer, academy_staff, seed_004_like):
    body = api_timeline(client, bearer(academy_staff), seed_004_like, "2025-06-01")
    assert tuple(body) == terms.OUTPUT_KEYS
    assert tuple(TimelineOut.model_fields) == terms.OUTPUT_KEYS


def test_it_evaluates_today_by_default(client, bearer, academy_staff, seed_004_like):
    body = api_timeline(client, bearer(academy_staff), seed_004_like)
    assert body == terms.compute(seed_004_like.terms_input(), timezone.localdate())


def test_it_says_unknown_for_an_unsigned_convention(client, bearer, academy_staff, tmp_path, capsys):
    convention = ConventionFactory()
    body = api_timeline(client, bearer(academy_staff), convention, "2025-06-01")
    assert body["status"] == "unknown"
    assert body["period_start"] is None
    assert body["assumptions"]
    assert body == cli_timeline(convention, "2025-06-01", tmp_path, capsys)


@pytest.mark.parametrize("on", ["2025-02-30", "01/06/2025", "2025-06", "demain", ""])
def test_it_refuses_a_malformed_date_in_french(client, bearer, academy_staff, seed_004_like, on):
    response = client.get(f"/api/conventions/{seed_004_like.pk}/timeline", {"on": on}, headers=bearer(academy_staff))
    assert response.status_code == 422
    assert response.json() == {
        "detail": f"Date impossible ou mal écrite « {on} » : attendu AAAA-MM-JJ, par exemple 2025-06-01."
    }


def test_it_answers_404_out_of_scope(client, bearer, colleague_elsewhere, partner_contact, seed_004_like):
    # Montpellier and Aix are parties; Nice is not, nor is the partner's company.
    for user in (colleague_elsewhere, partner_contact):
        response = client.get(f"/api/conventions/{seed_004_like.pk}/timeline", headers=bearer(user))
        assert response.status_code == 404
        assert response.json()["detail"].startswith("Introuvable")


def test_it_refuses_a_call_without_token(client, seed_004_like):
    response = client.get(f"/api/conventions/{seed_004_like.pk}/timeline")
    assert response.status_code == 401
