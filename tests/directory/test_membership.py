import datetime

import pytest
from django.urls import reverse

from partenariats.directory.models import Membership, PersonRole
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def add_url(person) -> str:
    return reverse("directory:membership_create", args=[person.pk])


def test_it_finds_an_organisation_and_attaches_a_person(client, academy_staff, company):
    person = PersonFactory()
    client.force_login(academy_staff)

    page = client.get(add_url(person), {"q": company.siret})
    assert list(page.context["form"].fields["organisation"].queryset) == [company]

    response = client.post(
        add_url(person),
        {"organisation": company.pk, "role": PersonRole.TUTOR, "title": "Tuteur", "started_on": "2026-09-01"},
    )

    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.person, membership.organisation, membership.started_on) == (
        person,
        company,
        datetime.date(2026, 9, 1),
    )


def test_it_says_when_the_person_already_has_that_role_there(client, academy_staff, company):
    membership = MembershipFactory(organisation=company, role=PersonRole.TUTOR)
    client.force_login(academy_staff)

    response = client.post(add_url(membership.person), {"organisation": company.pk, "role": PersonRole.TUTOR})

    assert "Cette personne a déjà ce rôle dans cette organisation." in response.content.decode()
    assert Membership.objects.count() == 1


def test_it_offers_a_partner_only_their_own_organisation(client, partner_contact, company):
    membership = MembershipFactory(organisation=company)
    elsewhere = OrganisationFactory()
    client.force_login(partner_contact)

    page = client.get(add_url(membership.person))
    assert list(page.context["form"].fields["organisation"].queryset) == [company]
    client.post(add_url(membership.person), {"organisation": elsewhere.pk, "role": PersonRole.OTHER})
    assert not Membership.objects.filter(organisation=elsewhere).exists()


def test_it_ends_a_membership(client, academy_staff):
    membership = MembershipFactory(started_on=datetime.date(2025, 9, 1))
    client.force_login(academy_staff)
    url = reverse("directory:membership_end", args=[membership.pk])

    response = client.post(url, {"ended_on": "2025-08-01"})
    assert "La fin ne peut pas précéder le début du rattachement." in response.content.decode()

    client.post(url, {"ended_on": "2026-07-04"})
    membership.refresh_from_db()
    assert membership.ended_on == datetime.date(2026, 7, 4)


def test_it_refuses_membership_changes_beyond_the_users_role(client, observer, colleague_elsewhere, company):
    membership = MembershipFactory(organisation=company)
    end_url = reverse("directory:membership_end", args=[membership.pk])

    client.force_login(observer)
    assert client.post(end_url, {"ended_on": "2026-07-04"}).status_code == 403
    assert client.post(add_url(membership.person), {"organisation": company.pk, "role": "tutor"}).status_code == 403
    client.force_login(colleague_elsewhere)
    assert client.post(end_url, {"ended_on": "2026-07-04"}).status_code == 404

    membership.refresh_from_db()
    assert membership.ended_on is None
    assert Membership.objects.count() == 1
