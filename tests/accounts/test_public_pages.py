import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db


def link_kwargs(user):
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


@pytest.mark.parametrize(
    "name",
    ["accounts:login", "accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_complete"],
)
def test_it_shows_the_login_and_reset_pages_to_anonymous_visitors(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["accounts:password_reset_confirm", "accounts:invitation_accept"])
def test_it_opens_the_emailed_links_to_anonymous_visitors(client, academy_staff, name):
    response = client.get(reverse(name, kwargs=link_kwargs(academy_staff)), follow=True)
    assert response.status_code == 200
    assert 'name="new_password1"' in response.content.decode()


@pytest.mark.parametrize("name", ["accounts:password_reset_confirm", "accounts:invitation_accept"])
def test_it_answers_a_bad_link_with_a_french_message(client, academy_staff, name):
    response = client.get(reverse(name, kwargs={"uidb64": "MTIzNDU", "token": "abc-123"}))
    assert response.status_code == 200
    assert "Ce lien n’est plus valable" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["accounts:profile", "accounts:user_list", "accounts:user_invite", "accounts:password_change"]
)
def test_it_keeps_the_other_account_pages_private(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
