import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def federation(aix):
    return OrganisationFactory(federation=True, academy=aix, name="Fédération Régionale du BTP")


def test_it_finds_and_adds_a_member(client, academy_staff, federation, company):
    client.force_login(academy_staff)
    page = client.get(reverse("directory:organisation_members", args=[federation.pk]), {"q": company.name})
    assert company in page.context["candidates"]

    response = client.post(reverse("directory:organisation_member_add", args=[federation.pk]), {"member": company.pk})

    assert response.status_code == 302
    assert list(federation.members.all()) == [company]
    assert list(company.federations.all()) == [federation]


def test_it_removes_a_member(client, academy_staff, federation, company):
    federation.members.add(company)
    client.force_login(academy_staff)

    client.post(reverse("directory:organisation_member_remove", args=[federation.pk]), {"member": company.pk})

    assert not federation.members.exists()


def test_it_offers_only_active_organisations(client, academy_staff, federation):
    closed = OrganisationFactory(is_active=False, name="Entreprise fermée")
    client.force_login(academy_staff)

    page = client.get(reverse("directory:organisation_members", args=[federation.pk]), {"q": "fermee"})
    assert list(page.context["candidates"]) == []
    response = client.post(reverse("directory:organisation_member_add", args=[federation.pk]), {"member": closed.pk})
    assert response.status_code == 404


def test_it_has_no_members_page_for_a_company(client, academy_staff, company):
    client.force_login(academy_staff)

    assert client.get(reverse("directory:organisation_members", args=[company.pk])).status_code == 404


def test_it_refuses_member_changes_to_an_observer(client, observer, federation, company):
    client.force_login(observer)

    response = client.post(reverse("directory:organisation_member_add", args=[federation.pk]), {"member": company.pk})

    assert response.status_code == 403
    assert not federation.members.exists()


def test_its_page_lists_the_first_members_and_counts_them_all(client, academy_staff, federation, aix):
    members = OrganisationFactory.create_batch(51, company=True, academy=aix, city="Gap")
    federation.members.set(members)
    client.force_login(academy_staff)
    page = client.get(reverse("directory:organisation_detail", args=[federation.pk])).content.decode()
    assert "51 adhérents" in page
    assert "(les 50 premiers sont listés)" in page
    listed = [member for member in members if member.get_absolute_url() in page]
    assert len(listed) == 50
    assert page.count("— Gap") == 50
