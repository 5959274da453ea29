import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_it_logs_in_with_email_and_password(client, academy_staff):
    response = login(client, academy_staff.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_it_accepts_the_email_address_in_any_case(client, academy_staff):
    response = login(client, f"  {academy_staff.email.upper()} ")
    assert response.status_code == 302


def test_it_says_in_french_that_the_credentials_are_wrong(client, academy_staff):
    response = login(client, academy_staff.email, "mauvais-mot-de-passe")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()
    assert academy_staff.email in response.content.decode()  # what was typed is kept


def test_it_refuses_a_deactivated_user(client, academy_staff, academy_admin):
    academy_staff.deactivate(by=academy_admin)
    response = login(client, academy_staff.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_logs_out_a_deactivated_user_on_their_next_request(client, academy_staff, academy_admin):
    client.force_login(academy_staff)
    academy_staff.deactivate(by=academy_admin)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_it_redirects_to_a_safe_next_page(client, academy_staff):
    response = client.post(
        LOGIN, {"username": academy_staff.email, "password": PASSWORD, "next": reverse("accounts:profile")}
    )
    assert response["Location"] == reverse("accounts:profile")


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/"])
def test_it_ignores_an_unsafe_next_page(client, academy_staff, unsafe):
    response = client.post(LOGIN, {"username": academy_staff.email, "password": PASSWORD, "next": unsafe})
    assert response["Location"] == reverse("dashboard:home")


def test_it_keeps_next_in_the_login_form(client):
    response = client.get(LOGIN, {"next": "/compte/"})
    assert 'name="next" value="/compte/"' in response.content.decode()


def test_it_locks_the_sixth_attempt_even_with_the_right_password(client, academy_staff):
    for _ in range(5):
        login(client, academy_staff.email, "mauvais-mot-de-passe")
    response = login(client, academy_staff.email)
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_does_not_lock_before_five_failures(client, academy_staff):
    for _ in range(4):
        login(client, academy_staff.email, "mauvais-mot-de-passe")
    assert login(client, academy_staff.email).status_code == 302


def test_it_does_not_lock_the_same_username_from_another_address(client, academy_staff):
    for _ in range(5):
        login(client, academy_staff.email, "mauvais-mot-de-passe")
    response = login(client, academy_staff.email, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_it_does_not_lock_another_username_from_the_same_address(client, academy_staff, observer):
    for _ in range(5):
        login(client, academy_staff.email, "mauvais-mot-de-passe")
    assert login(client, observer.email).status_code == 302


def test_it_counts_failures_whatever_the_case_of_the_address(client, academy_staff):
    variants = [
        academy_staff.email.upper(),
        academy_staff.email.title(),
        academy_staff.email,
        " " + academy_staff.email,
    ]
    for email in [*variants, academy_staff.email.swapcase()]:
        login(client, email, "mauvais-mot-de-passe")
    assert login(client, academy_staff.email).status_code == 429
