import pytest

pytestmark = pytest.mark.django_db

ADMIN = "/django-admin/"


def test_it_opens_the_django_admin_to_the_platform_admin(client, platform_admin):
    client.force_login(platform_admin)
    for path in (ADMIN, f"{ADMIN}accounts/user/", f"{ADMIN}accounts/user/{platform_admin.pk}/change/"):
        assert client.get(path).status_code == 200
    assert client.get(f"{ADMIN}accounts/assignment/").status_code == 200
    assert client.get(f"{ADMIN}accounts/apitoken/").status_code == 200


def test_it_refuses_academy_staff_even_with_is_staff(client, academy_admin):
    academy_admin.is_staff = True
    academy_admin.is_superuser = True
    academy_admin.save()
    client.force_login(academy_admin)
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403
    assert client.get(f"{ADMIN}accounts/user/").status_code == 302


def test_it_refuses_a_platform_admin_without_is_staff(client, platform_admin):
    platform_admin.is_staff = False
    platform_admin.save()
    client.force_login(platform_admin)
    assert client.get(ADMIN, follow=True).status_code == 403


def test_it_sends_anonymous_visitors_to_the_site_login(client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith("/compte/connexion/?next=/django-admin/")
    assert response.status_code == 200


def test_it_sends_a_logged_in_platform_admin_from_the_admin_login_to_the_index(client, platform_admin):
    client.force_login(platform_admin)
    response = client.get(f"{ADMIN}login/")
    assert response["Location"] == ADMIN
