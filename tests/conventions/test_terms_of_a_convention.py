"""A convention's recorded terms give the terms engine's answer (seed 004's shape, our own text)."""

import datetime

import pytest

from partenariats.conventions.models import (
    Commitment,
    Convention,
    ConventionStatus,
    EventKind,
    Party,
    PartySide,
    Programme,
    Signatory,
    TerminationEffect,
)
from partenariats.conventions.services import StaleVersion, record_event, refresh_terms, save_convention, timeline
from tests.factories import OrganisationFactory, academy

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_year_tacit_convention(academy_staff):
    """Signed 18 March 2021 for two years, renewed tacitly, termination at the next rentrée."""
    montpellier = academy("Montpellier")
    convention = Convention.objects.create(
        title="Convention de coopération entre une région académique et un MEDEF territorial (exemple)",
        duration_months=24,
        tacit_renewal=True,
        renewal_months=24,
        notice_by_registered_letter=True,
        termination_effect=TerminationEffect.NEXT_SCHOOL_YEAR_START,
    )
    convention.academies.add(montpellier)
    rectorat = OrganisationFactory(service=True, academy=montpellier, name="Rectorat de région exemple")
    medef = OrganisationFactory(federation=True, academy=montpellier)
    education = Party.objects.create(convention=convention, organisation=rectorat, side=PartySide.EDUCATION)
    Party.objects.create(convention=convention, organisation=medef, side=PartySide.PARTNER, position=1)
    for name in ("Recteur Exemple", "Présidente Exemple"):
        Signatory.objects.create(
            convention=convention, party=education, name=name, signed_on=datetime.date(2021, 3, 18)
        )
    return convention


def test_it_is_in_its_third_period_four_years_later(two_year_tacit_convention):
    result = refresh_terms(two_year_tacit_convention, datetime.date(2025, 6, 1))
    assert result["status"] == "active"
    assert (result["period_start"], result["period_end"]) == ("2025-03-18", "2027-03-17")
    two_year_tacit_convention.refresh_from_db()
    assert two_year_tacit_convention.status == ConventionStatus.ACTIVE
    assert two_year_tacit_convention.period_end == datetime.date(2027, 3, 17)


def test_notice_takes_effect_the_day_before_the_next_school_year_start(two_year_tacit_convention, academy_staff):
    record_event(
        two_year_tacit_convention,
        kind=EventKind.NOTICE_GIVEN,
        on=datetime.date(2025, 11, 10),
        by_user=academy_staff,
    )
    two_year_tacit_convention.refresh_from_db()
    # Zone C (Montpellier): pupils returned on 1 September 2026.
    assert two_year_tacit_convention.effective_end == datetime.date(2026, 8, 31)
    assert two_year_tacit_convention.history.count() >= 1
    assert two_year_tacit_convention.events.get().recorded_by == academy_staff


def test_a_form_opened_before_another_save_is_refused(two_year_tacit_convention):
    first = Convention.objects.get(pk=two_year_tacit_convention.pk)
    second = Convention.objects.get(pk=two_year_tacit_convention.pk)
    first.title = "Titre modifié par la première personne"
    save_convention(first, expected_version=1)
    second.title = "Titre modifié par la seconde personne"
    with pytest.raises(StaleVersion) as refused:
        save_convention(second, expected_version=1)
    assert refused.value.current.title == "Titre modifié par la première personne"
    assert Convention.objects.get(pk=first.pk).title == "Titre modifié par la première personne"


def test_a_confidential_commitment_does_not_put_its_yearly_event_in_the_timeline(two_year_tacit_convention):
    party = two_year_tacit_convention.parties.first()
    ess = Programme.objects.get(code="mois-ess")
    secret = Commitment.objects.create(
        convention=two_year_tacit_convention, party=party, text="Engagement confidentiel", confidential=True
    )
    secret.programmes.add(ess)
    labels = [entry["label"] for entry in timeline(two_year_tacit_convention, datetime.date(2025, 6, 1))["timeline"]]
    assert not any("économie sociale" in label for label in labels)

    public = Commitment.objects.create(convention=two_year_tacit_convention, party=party, text="Engagement public")
    public.programmes.add(ess)
    labels = [entry["label"] for entry in timeline(two_year_tacit_convention, datetime.date(2025, 6, 1))["timeline"]]
    assert any("économie sociale" in label for label in labels)


def test_a_convention_whose_signatories_have_not_all_signed_awaits_signatures(two_year_tacit_convention):
    party = two_year_tacit_convention.parties.last()
    Signatory.objects.create(convention=two_year_tacit_convention, party=party, name="Signataire en attente")
    on = datetime.date(2025, 6, 1)
    assert timeline(two_year_tacit_convention, on)["status"] == "awaiting_signatures"
    assert refresh_terms(two_year_tacit_convention, on)["status"] == "awaiting_signatures"
    two_year_tacit_convention.signatories.update(signed_on=None)
    assert timeline(two_year_tacit_convention, on)["status"] == "draft"
