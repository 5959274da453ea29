import re

import pytest
from django.urls import reverse

from partenariats.accounts.models import ApiToken
from tests.conftest import PASSWORD
from tests.factories import token_for

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
NEW_PASSWORD = "Encore-Un-Autre-Secret-9"


def test_it_shows_my_identity_and_roles(client, clee_member):
    client.force_login(clee_member)
    content = client.get(PROFILE).content.decode()
    assert clee_member.email in content
    assert "Membre de CLEE" in content
    assert str(clee_member.assignments.get().basin) in content


def test_it_changes_my_password_and_keeps_me_logged_in(client, academy_staff):
    client.force_login(academy_staff)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == PROFILE
    assert "Votre mot de passe a été modifié." in response.content.decode()
    academy_staff.refresh_from_db()
    assert academy_staff.check_password(NEW_PASSWORD)


def test_it_refuses_a_wrong_old_password_or_a_weak_new_one(client, academy_staff):
    client.force_login(academy_staff)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "faux", "new_password1": "court", "new_password2": "court"},
    )
    form = response.context["form"]
    assert form.errors["old_password"]
    academy_staff.refresh_from_db()
    assert academy_staff.check_password(PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Abcdefgh1!", "new_password2": "Abcdefgh1!"},
    )
    assert "au moins 12 caractères" in response.content.decode()


def test_it_creates_a_token_and_shows_it_once(client, academy_staff):
    client.force_login(academy_staff)
    response = client.post(reverse("accounts:token_create"), {"name": "Tableur de suivi"})
    content = response.content.decode()
    key = re.search(r"<code>([\w-]{40,})</code>", content).group(1)
    token = ApiToken.objects.usable().get(key_hash=ApiToken.hash_key(key))
    assert (token.user, token.name) == (academy_staff, "Tableur de suivi")
    assert "no-store" in response["Cache-Control"]
    later = client.get(PROFILE).content.decode()
    assert key not in later
    assert token.prefix in later


def test_it_requires_a_token_name(client, academy_staff):
    client.force_login(academy_staff)
    response = client.post(reverse("accounts:token_create"), {"name": ""})
    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_it_revokes_my_token(client, academy_staff):
    key = token_for(academy_staff)
    token = ApiToken.objects.get()
    client.force_login(academy_staff)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), follow=True)
    assert "est révoqué" in response.content.decode()
    assert not ApiToken.objects.usable().filter(key_hash=ApiToken.hash_key(key)).exists()


def test_it_does_not_let_me_revoke_someone_elses_token(client, academy_staff, observer):
    token_for(observer)
    token = ApiToken.objects.get()
    client.force_login(academy_staff)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.usable().filter(pk=token.pk).exists()


def test_it_revokes_only_on_post(client, academy_staff):
    token_for(academy_staff)
    client.force_login(academy_staff)
    assert client.get(reverse("accounts:token_revoke", args=[ApiToken.objects.get().pk])).status_code == 405
