"""Editing a convention: the same page, filled with its parties and signatories."""

import datetime

import pytest
from django.urls import reverse

from partenariats.conventions.models import Convention, ConventionStatus, Party, Signatory
from tests.conventions.test_edit_form import page_data
from tests.factories import CommitmentFactory, ConventionFactory, OrganisationFactory, PartyFactory

pytestmark = pytest.mark.django_db


def update_url(convention) -> str:
    return reverse("conventions:convention_update", args=[convention.pk])


@pytest.fixture
def convention():
    """Signed on 18 March 2021 by a Rectorat of Aix-Marseille and a federation."""
    return ConventionFactory(signed=True, title="Convention cadre avec la Fédération Exemple")


def test_it_shows_the_parties_and_signatories(client, academy_staff, convention):
    client.force_login(academy_staff)

    response = client.get(update_url(convention))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Convention cadre avec la Fédération Exemple"' in page
    assert 'value="Recteur Exemple"' in page
    assert 'value="Présidente Exemple"' in page
    assert 'name="expected_version" value="1"' in page
    assert len(response.context["formset"].forms) == 3  # two parties and an empty row


def test_it_saves_the_page_as_it_came(client, academy_staff, convention):
    client.force_login(academy_staff)
    data = page_data(client.get(update_url(convention)))

    response = client.post(update_url(convention), data)

    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.version == 2
    assert convention.parties.count() == 2
    assert convention.signatories.count() == 2


def test_it_redates_a_signatory_and_adds_a_party_with_a_signatory(client, academy_staff, convention, company):
    client.force_login(academy_staff)
    data = page_data(client.get(update_url(convention)))
    data["parties-1-sig-0-signed_on"] = "2021-04-02"
    data["parties-2-organisation"] = str(company.pk)
    data["parties-2-sig-0-name"] = "Gérante Exemple"
    data["parties-2-sig-0-signed_on"] = "2021-03-30"
    data["parties-2-sig-0-date_precision"] = "day"

    response = client.post(update_url(convention), data)

    assert response.status_code == 302
    convention.refresh_from_db()
    assert [party.organisation for party in convention.parties.all()][2] == company
    assert Signatory.objects.get(name="Présidente Exemple").signed_on == datetime.date(2021, 4, 2)
    assert Signatory.objects.get(name="Gérante Exemple").party.organisation == company
    # The term now runs from the last signature, 2 April 2021.
    assert convention.period_start == datetime.date(2025, 4, 2)
    assert convention.status == ConventionStatus.ACTIVE


def test_it_removes_a_party_with_its_signatories(client, academy_staff, convention, company):
    client.force_login(academy_staff)
    data = page_data(client.get(update_url(convention)))
    data["parties-1-DELETE"] = "on"
    data["parties-2-organisation"] = str(company.pk)

    response = client.post(update_url(convention), data)

    assert response.status_code == 302
    assert [party.organisation for party in convention.parties.all()][1] == company
    assert not Signatory.objects.filter(name="Présidente Exemple").exists()
    assert Party.history.filter(history_type="-", history_user=academy_staff).exists()


def test_it_refuses_to_remove_a_party_that_has_commitments(client, academy_staff, convention, company):
    client.force_login(academy_staff)
    partner = convention.parties.all()[1]
    CommitmentFactory(convention=convention, party=partner)
    data = page_data(client.get(update_url(convention)))
    data["parties-1-DELETE"] = "on"
    data["parties-2-organisation"] = str(company.pk)

    response = client.post(update_url(convention), data)

    assert response.status_code == 200
    assert f"La partie « {partner} » a des engagements" in response.content.decode()
    assert convention.parties.count() == 2


def test_it_refuses_to_leave_a_single_party(client, academy_staff, convention):
    client.force_login(academy_staff)
    data = page_data(client.get(update_url(convention)))
    data["parties-1-DELETE"] = "on"

    response = client.post(update_url(convention), data)

    assert "Une convention réunit au moins deux parties" in response.content.decode()
    assert convention.parties.count() == 2
    assert Convention.objects.get().version == 1


def test_it_does_not_offer_the_convention_or_its_children_as_parent(client, academy_staff, convention):
    child = ConventionFactory(parent=convention, title="Convention locale d’application")
    other = ConventionFactory(title="Convention nationale exemple")
    client.force_login(academy_staff)

    response = client.get(update_url(convention))

    parents = list(response.context["form"].fields["parent"].queryset)
    assert other in parents
    assert convention not in parents
    assert child not in parents


def test_it_ignores_a_party_id_of_another_convention(client, academy_staff, convention, company):
    elsewhere = PartyFactory(organisation=company)
    client.force_login(academy_staff)
    data = page_data(client.get(update_url(convention)))
    data["parties-2-id"] = str(elsewhere.pk)
    data["parties-2-organisation"] = str(company.pk)

    client.post(update_url(convention), data)

    elsewhere.refresh_from_db()
    assert elsewhere.convention != convention
    assert convention.parties.filter(organisation=company).exists()


# Who may edit


def test_a_partys_staff_and_the_observer_may_read_but_not_edit(client, observer, partner_contact, company, convention):
    PartyFactory(convention=convention, organisation=company, position=2)
    for persona in (observer, partner_contact):
        client.force_login(persona)
        assert client.get(update_url(convention)).status_code == 403
        assert client.post(update_url(convention), {}).status_code == 403


@pytest.mark.parametrize("persona", ["colleague_elsewhere", "outsider", "school_head"])
def test_a_convention_out_of_sight_is_not_found(client, request, persona, convention):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(update_url(convention)).status_code == 404


def test_the_staff_of_another_academy_party_edit_it(client, colleague_elsewhere, nice, convention):
    convention.academies.add(nice)
    OrganisationFactory(service=True, academy=nice)
    client.force_login(colleague_elsewhere)

    assert client.get(update_url(convention)).status_code == 200


def test_an_archived_convention_is_not_found(client, academy_staff, convention):
    Convention.objects.filter(pk=convention.pk).update(archived_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    client.force_login(academy_staff)

    assert client.get(update_url(convention)).status_code == 404
