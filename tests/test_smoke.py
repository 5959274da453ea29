import pytest

pytestmark = pytest.mark.django_db


def test_it_loads_every_academic_region_and_academy():
    from partenariats.territories.models import AcademicRegion, Academy

    assert AcademicRegion.objects.count() == 18
    assert Academy.objects.count() == 30


def test_it_shows_the_dashboard_to_academy_staff(client, academy_staff):
    client.force_login(academy_staff)
    response = client.get("/")
    assert response.status_code == 200
    assert "Aix-Marseille" in response.content.decode()


def test_it_redirects_anonymous_visitors_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
