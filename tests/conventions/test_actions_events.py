"""Recording a notice, a renewal, a renegotiation or a termination: form → consequences → confirmed."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.conventions.models import ConventionEvent, ConventionStatus, EventKind, TerminationEffect
from partenariats.conventions.services import record_event
from tests.factories import AssignmentFactory, ConventionFactory, UserFactory, academy

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 12)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def montpellier():
    return academy("Montpellier")


@pytest.fixture
def montpellier_staff(montpellier):
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.ACADEMY_STAFF, academy=montpellier)
    return user


@pytest.fixture
def seed_004(montpellier):
    """Signed 18 March 2021 for two years, renewed tacitly; notice by registered letter, effect at the
    next school year start; a zone C académie."""
    return ConventionFactory(
        signed=True,
        academy=montpellier,
        notice_months=None,
        termination_effect=TerminationEffect.NEXT_SCHOOL_YEAR_START,
        refresh__today=TODAY,
    )


def event_url(convention, kind: str) -> str:
    return f"{reverse('conventions:event_create', args=[convention.pk])}?kind={kind}"


def notice(convention, **overrides) -> dict:
    return {
        "date": "2025-11-10",
        "by_party": str(convention.parties.all()[1].pk),
        "form": "registered_letter",
        "expected_version": str(convention.version),
        **overrides,
    }


def test_it_shows_when_the_convention_will_end_before_recording_a_notice(client, montpellier_staff, seed_004):
    client.force_login(montpellier_staff)

    response = client.post(event_url(seed_004, "notice_given"), notice(seed_004))

    page = response.content.decode()
    assert response.status_code == 200
    assert "La convention prendra fin le 31 août 2026 (veille de la rentrée scolaire)." in page
    assert "« En vigueur » devient « En préavis »" in page
    assert not ConventionEvent.objects.exists()


def test_confirming_records_the_notice_with_its_author_and_updates_the_dates(client, montpellier_staff, seed_004):
    client.force_login(montpellier_staff)

    response = client.post(event_url(seed_004, "notice_given"), notice(seed_004, confirm="1"))

    assert response.status_code == 302
    assert response["Location"] == seed_004.get_absolute_url()
    event = ConventionEvent.objects.get()
    assert (event.kind, event.date, event.form) == (
        EventKind.NOTICE_GIVEN,
        datetime.date(2025, 11, 10),
        "registered_letter",
    )
    assert event.by_party == seed_004.parties.all()[1]
    assert event.recorded_by == montpellier_staff
    assert event.history.get().history_user == montpellier_staff
    seed_004.refresh_from_db()
    assert seed_004.effective_end == datetime.date(2026, 8, 31)
    assert seed_004.status == ConventionStatus.UNDER_NOTICE
    assert seed_004.version == 2
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["La dénonciation a été enregistrée."]


def test_it_warns_when_a_registered_letter_was_required(client, montpellier_staff, seed_004):
    client.force_login(montpellier_staff)

    response = client.post(event_url(seed_004, "notice_given"), notice(seed_004, form="email"))

    assert "La convention exige une lettre recommandée avec accusé de réception" in response.content.decode()


def test_it_explains_a_notice_received_after_the_deadline(client, academy_staff):
    # Periods of two years from 10 January 2020, three months' notice: the deadline of the period
    # ending on 9 January 2026 was 9 October 2025.
    convention = ConventionFactory(signed=True, signed_on=datetime.date(2020, 1, 10), refresh__today=TODAY)
    client.force_login(academy_staff)

    response = client.post(event_url(convention, "notice_given"), notice(convention, date="2025-11-03"))

    page = response.content.decode()
    assert "Le préavis est reçu après la date limite de dénonciation (9 octobre 2025)" in page
    assert "la convention prendra fin le 9 janvier 2028." in page


def test_a_notice_needs_its_party_its_form_and_a_past_date(client, montpellier_staff, seed_004):
    client.force_login(montpellier_staff)

    response = client.post(
        event_url(seed_004, "notice_given"), notice(seed_004, by_party="", form="", date="2025-12-01")
    )

    page = response.content.decode()
    assert "Indiquez la partie qui dénonce la convention." in page
    assert "Indiquez la forme du préavis." in page
    assert "Cette date ne peut pas être dans le futur" in page


def test_it_refuses_a_notice_on_a_terminated_convention(client, montpellier_staff, seed_004):
    record_event(seed_004, kind=EventKind.TERMINATED, on=datetime.date(2025, 10, 1), by_user=montpellier_staff)
    client.force_login(montpellier_staff)

    for response in (
        client.get(event_url(seed_004, "notice_given")),
        client.post(event_url(seed_004, "notice_given"), notice(seed_004, confirm="1")),
    ):
        assert response.status_code == 403
        assert "Impossible d’enregistrer une dénonciation : son statut est « Résiliée »." in response.content.decode()
    assert seed_004.events.count() == 1


def test_it_refuses_to_renew_an_expired_convention(client, academy_staff):
    convention = ConventionFactory(signed=True, tacit_renewal=False, renewal_months=None, refresh__today=TODAY)
    client.force_login(academy_staff)

    response = client.get(event_url(convention, "renewed"))

    assert response.status_code == 403
    assert "Elle est expirée : pour poursuivre le partenariat, enregistrez une nouvelle convention." in (
        response.content.decode()
    )


@pytest.fixture
def fixed_term(academy_staff):
    """Two years from 1 September 2024, no tacit renewal, six months of provisional continuation."""
    return ConventionFactory(
        signed=True,
        signed_on=datetime.date(2024, 9, 1),
        tacit_renewal=False,
        renewal_months=None,
        provisional_extension_months=6,
        refresh__today=TODAY,
    )


def test_it_renews_a_convention_for_the_months_given(client, academy_staff, fixed_term):
    client.force_login(academy_staff)
    data = {"date": "2025-11-12", "months": "36", "expected_version": "1"}

    preview = client.post(event_url(fixed_term, "renewed"), data)
    response = client.post(event_url(fixed_term, "renewed"), data | {"confirm": "1"})

    assert "du 1er septembre 2026 au 31 août 2029" in preview.content.decode()
    assert response.status_code == 302
    event = fixed_term.events.get()
    assert (event.kind, event.months, event.recorded_by) == (EventKind.RENEWED, 36, academy_staff)


def test_it_opens_a_renegotiation_and_shows_the_provisional_continuation(client, academy_staff, fixed_term):
    client.force_login(academy_staff)
    data = {"date": "2025-11-12", "expected_version": "1"}

    preview = client.post(event_url(fixed_term, "renegotiation_opened"), data)

    assert "Maintien provisoire pendant la renégociation jusqu’au 28 février 2027." in preview.content.decode()
    client.post(event_url(fixed_term, "renegotiation_opened"), data | {"confirm": "1"})
    fixed_term.refresh_from_db()
    assert fixed_term.provisional_until == datetime.date(2027, 2, 28)


def test_a_termination_ends_the_convention_the_day_before(client, academy_staff, fixed_term):
    client.force_login(academy_staff)
    data = {"date": "2026-01-01", "note": "D’un commun accord.", "expected_version": "1"}

    preview = client.post(event_url(fixed_term, "terminated"), data)
    response = client.post(event_url(fixed_term, "terminated"), data | {"confirm": "1"})

    assert "La convention prendra fin le 31 décembre 2025 (veille de la date de résiliation)." in (
        preview.content.decode()
    )
    assert response.status_code == 302
    fixed_term.refresh_from_db()
    assert fixed_term.effective_end == datetime.date(2025, 12, 31)
    assert fixed_term.events.get().note == "D’un commun accord."


def test_the_edit_button_brings_back_the_form_with_what_was_typed(client, academy_staff, fixed_term):
    client.force_login(academy_staff)

    response = client.post(event_url(fixed_term, "terminated"), {"date": "2026-01-01", "note": "À revoir", "edit": "1"})

    page = response.content.decode()
    assert "Voir les conséquences" in page
    assert "À revoir" in page
    assert not fixed_term.events.exists()


def test_it_lists_the_events_that_make_sense_now(client, academy_staff, fixed_term):
    client.force_login(academy_staff)

    response = client.get(reverse("conventions:event_create", args=[fixed_term.pk]))

    page = response.content.decode()
    assert f"{event_url(fixed_term, 'renewed')}" in page
    assert f"{event_url(fixed_term, 'terminated')}" in page


def test_an_unknown_event_is_not_found(client, academy_staff, fixed_term):
    client.force_login(academy_staff)

    assert client.get(event_url(fixed_term, "exploded")).status_code == 404


def test_only_the_academys_staff_record_events(client, observer, colleague_elsewhere, fixed_term):
    client.force_login(observer)
    assert client.get(event_url(fixed_term, "terminated")).status_code == 403
    client.force_login(colleague_elsewhere)
    assert client.get(event_url(fixed_term, "terminated")).status_code == 404
