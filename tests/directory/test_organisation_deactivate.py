import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_it_asks_for_confirmation_then_deactivates(client, academy_staff, company):
    url = reverse("directory:organisation_deactivate", args=[company.pk])
    client.force_login(academy_staff)

    assert "Désactiver" in client.get(url).content.decode()
    company.refresh_from_db()
    assert company.is_active

    response = client.post(url)

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.is_active, company.deactivated_on) == (False, timezone.localdate())
    assert company.history.first().history_user == academy_staff


def test_it_reactivates(client, academy_staff):
    organisation = OrganisationFactory(is_active=False, deactivated_on=timezone.localdate())
    client.force_login(academy_staff)

    client.post(reverse("directory:organisation_reactivate", args=[organisation.pk]))

    organisation.refresh_from_db()
    assert (organisation.is_active, organisation.deactivated_on) == (True, None)


def test_it_never_reactivates_a_merged_duplicate(client, academy_staff, company):
    duplicate = OrganisationFactory(is_active=False, merged_into=company)
    client.force_login(academy_staff)

    client.post(reverse("directory:organisation_reactivate", args=[duplicate.pk]))

    duplicate.refresh_from_db()
    assert not duplicate.is_active


def test_it_refuses_to_deactivate_beyond_the_users_role(client, observer, colleague_elsewhere, company):
    url = reverse("directory:organisation_deactivate", args=[company.pk])
    for user in (observer, colleague_elsewhere):
        client.force_login(user)
        assert client.post(url).status_code == 403
    company.refresh_from_db()
    assert company.is_active


def test_it_offers_no_way_to_delete(client, platform_admin, company):
    client.force_login(platform_admin)

    html = client.get(company.get_absolute_url()).content.decode()

    assert "Supprimer" not in html
