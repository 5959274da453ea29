"""Saving a convention's parties: rows are matched to parties without tripping the uniqueness rule."""

import pytest

from partenariats.conventions.models import Commitment
from partenariats.conventions.services import PartyInput, save_convention_with_parties
from tests.factories import ConventionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _rows(convention, organisations):
    parties = list(convention.parties.order_by("position"))
    return [
        PartyInput(pk=party.pk, organisation=organisation, side=party.side)
        for party, organisation in zip(parties, organisations, strict=True)
    ]


def test_two_parties_can_swap_organisations(academy_staff, aix):
    convention = ConventionFactory(signed=True, academy=aix)
    first, second = convention.parties.order_by("position")
    commitment = Commitment.objects.create(convention=convention, party=second, text="Accueillir des stagiaires")
    swapped = _rows(convention, [second.organisation, first.organisation])

    save_convention_with_parties(
        convention,
        academies=[aix],
        owners=[academy_staff],
        parties=swapped,
        expected_version=convention.version,
        changed_by=academy_staff,
    )

    ordered = list(convention.parties.order_by("position").values_list("organisation", flat=True))
    assert ordered == [second.organisation_id, first.organisation_id]
    # The commitment stays with the organisation that made it.
    commitment.refresh_from_db()
    assert commitment.party.organisation == second.organisation


def test_a_party_can_take_a_new_organisation(academy_staff, aix):
    convention = ConventionFactory(signed=True, academy=aix)
    first, _ = convention.parties.order_by("position")
    newcomer = OrganisationFactory(company=True, academy=aix)
    rows = _rows(convention, [first.organisation, newcomer])

    save_convention_with_parties(
        convention,
        academies=[aix],
        owners=[academy_staff],
        parties=rows,
        expected_version=convention.version,
        changed_by=academy_staff,
    )

    assert set(convention.parties.values_list("organisation", flat=True)) == {first.organisation_id, newcomer.pk}
