"""POST /api/conventions/{id}/events: record a life event with the version read, editors only."""

import datetime

import pytest
from django.utils import timezone

from partenariats.conventions.models import (
    Convention,
    ConventionEvent,
    ConventionKind,
    EventKind,
    TerminationEffect,
)
from partenariats.conventions.services import record_event, timeline
from partenariats.terms.dates import add_months
from tests.factories import ConventionFactory, PartyFactory

pytestmark = pytest.mark.django_db


def post_event(client, headers, convention, **body):
    return client.post(
        f"/api/conventions/{convention.pk}/events", body, content_type="application/json", headers=headers
    )


@pytest.fixture
def convention():
    """Signed on 18 March 2021, two years renewed tacitly, three months' notice, ends with its period."""
    return ConventionFactory(signed=True)


def test_it_records_a_notice_and_returns_the_new_status(client, bearer, academy_staff):
    convention = ConventionFactory(signed=True, termination_effect=TerminationEffect.END_OF_NOTICE)
    today = timezone.localdate()
    # Three months' notice, counted from its receipt.
    effective_end = add_months(today, 3) - datetime.timedelta(days=1)
    federation = convention.parties.get(side="partner")
    response = post_event(
        client,
        bearer(academy_staff),
        convention,
        version=1,
        kind="notice_given",
        date=today.isoformat(),
        by_party=federation.pk,
        form="registered_letter",
        note="Reçue au secrétariat",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["event"]["kind"] == "notice_given"
    assert body["event"]["by_party_id"] == federation.pk
    assert body["event"]["form_label"] == "Lettre recommandée avec accusé de réception"
    assert body["event"]["recorded_by"] == academy_staff.get_full_name()
    assert body["convention"]["version"] == 2
    assert body["convention"]["status"] == "under_notice"
    assert body["convention"]["status_label"] == "En préavis"
    assert body["convention"]["effective_end"] == effective_end.isoformat()

    convention.refresh_from_db()
    assert (convention.status, convention.effective_end, convention.version) == ("under_notice", effective_end, 2)
    assert convention.status == timeline(convention, today)["status"]


def test_it_records_who_recorded_it_in_the_event_and_its_history(client, bearer, academy_staff, convention):
    post_event(client, bearer(academy_staff), convention, version=1, kind="renegotiation_opened", date="2026-01-05")
    event = ConventionEvent.objects.get(convention=convention)
    assert event.recorded_by == academy_staff
    (created,) = event.history.all()
    assert created.history_type == "+"
    assert created.history_user == academy_staff


def test_it_refuses_a_stale_version_and_saves_nothing(client, bearer, academy_staff, convention):
    record_event(convention, kind=EventKind.RENEGOTIATION_OPENED, on=timezone.localdate(), by_user=academy_staff)
    response = post_event(client, bearer(academy_staff), convention, version=1, kind="notice_given", date="2026-01-05")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "La convention a été modifiée entre-temps (version 2, vous avez envoyé la version 1) : "
        "relisez-la, puis renvoyez votre action avec la version actuelle.",
        "version": 2,
    }
    assert list(convention.events.values_list("kind", flat=True)) == ["renegotiation_opened"]
    assert Convention.objects.get(pk=convention.pk).version == 2


def test_it_requires_the_version(client, bearer, academy_staff, convention):
    response = post_event(client, bearer(academy_staff), convention, kind="terminated", date="2026-01-05")
    assert response.status_code == 422
    assert not convention.events.exists()


def test_it_refuses_an_observer_with_403(client, bearer, observer, convention):
    response = post_event(client, bearer(observer), convention, version=1, kind="terminated", date="2026-01-05")
    assert response.status_code == 403
    assert response.json() == {"detail": "Vous pouvez lire cette convention, mais pas y enregistrer d’événement."}
    assert not convention.events.exists()


def test_it_refuses_staff_reading_a_national_convention_of_another_academy(client, bearer, academy_staff, nice):
    national = ConventionFactory(signed=True, kind=ConventionKind.NATIONAL, academy=nice)
    response = post_event(client, bearer(academy_staff), national, version=1, kind="terminated", date="2026-01-05")
    assert response.status_code == 403
    assert not national.events.exists()


def test_it_refuses_a_partys_own_staff(client, bearer, partner_contact, company, convention):
    PartyFactory(convention=convention, organisation=company, position=2)
    response = post_event(client, bearer(partner_contact), convention, version=1, kind="terminated", date="2026-01-05")
    assert response.status_code == 403
    assert not convention.events.exists()


def test_it_answers_404_out_of_scope(client, bearer, colleague_elsewhere, convention):
    response = post_event(
        client, bearer(colleague_elsewhere), convention, version=1, kind="terminated", date="2026-01-05"
    )
    assert response.status_code == 404
    assert not convention.events.exists()


def test_it_refuses_a_notice_on_a_terminated_convention_in_french(client, bearer, academy_staff, convention):
    record_event(convention, kind=EventKind.TERMINATED, on=timezone.localdate(), by_user=academy_staff)
    response = post_event(client, bearer(academy_staff), convention, version=2, kind="notice_given", date="2026-01-05")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Impossible d’enregistrer une dénonciation")
    assert convention.events.count() == 1
    assert Convention.objects.get(pk=convention.pk).version == 2


def test_it_refuses_a_party_of_another_convention(client, bearer, academy_staff, convention):
    foreign = PartyFactory(convention=ConventionFactory())
    response = post_event(
        client,
        bearer(academy_staff),
        convention,
        version=1,
        kind="notice_given",
        date="2026-01-05",
        by_party=foreign.pk,
    )
    assert response.status_code == 422
    assert "n’est pas une partie de cette convention" in response.json()["detail"]
    assert not convention.events.exists()


def test_it_refuses_a_duration_on_anything_but_a_renewal(client, bearer, academy_staff, convention):
    response = post_event(
        client, bearer(academy_staff), convention, version=1, kind="notice_given", date="2026-01-05", months=12
    )
    assert response.status_code == 422
    assert not convention.events.exists()


def test_it_refuses_an_unknown_kind(client, bearer, academy_staff, convention):
    response = post_event(client, bearer(academy_staff), convention, version=1, kind="expired", date="2026-01-05")
    assert response.status_code == 422
    assert not convention.events.exists()


def test_it_refuses_a_call_without_token(client, convention):
    response = client.post(
        f"/api/conventions/{convention.pk}/events",
        {"version": 1, "kind": "terminated", "date": "2026-01-05"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not convention.events.exists()
