import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "Un-Nouveau-Secret-42"


def emailed_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def without_nonces(html: str) -> str:
    return re.sub(r'[Nn]once(=|": )"[^"]*"', "", html)


def test_it_emails_a_french_reset_link_to_a_known_address(client, academy_staff):
    response = client.post(RESET, {"email": academy_staff.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [academy_staff.email]
    assert "Réinitialisation de votre mot de passe" in mail.outbox[0].subject
    assert "valable 3 jours" in mail.outbox[0].body


def test_it_says_the_same_thing_whether_the_address_exists_or_not(client, academy_staff):
    known = client.post(RESET, {"email": academy_staff.email}, follow=True)
    unknown = client.post(RESET, {"email": "personne@example.invalid"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert without_nonces(known.content.decode()) == without_nonces(unknown.content.decode())
    assert "Si un compte correspond à l’adresse indiquée" in unknown.content.decode()
    assert len(mail.outbox) == 1


def test_it_sends_nothing_to_a_deactivated_account(client, academy_staff, academy_admin):
    academy_staff.deactivate(by=academy_admin)
    client.post(RESET, {"email": academy_staff.email})
    assert mail.outbox == []


def test_it_lets_an_invited_person_who_lost_the_invitation_choose_a_password(client):
    invited = UserFactory(password=None)
    invited.set_unusable_password()
    invited.save()
    client.post(RESET, {"email": invited.email})
    assert len(mail.outbox) == 1


def test_it_sets_the_new_password_through_the_link(client, academy_staff):
    client.post(RESET, {"email": academy_staff.email})
    form_page = client.get(emailed_path(mail.outbox[0]), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    academy_staff.refresh_from_db()
    assert academy_staff.check_password(NEW_PASSWORD)
    assert not academy_staff.check_password(PASSWORD)


def test_it_refuses_the_link_once_used(client, academy_staff):
    client.post(RESET, {"email": academy_staff.email})
    path = emailed_path(mail.outbox[0])
    form_url = client.get(path)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.get(path)
    assert response.status_code == 200
    assert "Ce lien n’est plus valable" in response.content.decode()


def test_it_refuses_a_weak_password_with_the_cnil_message(client, academy_staff):
    client.post(RESET, {"email": academy_staff.email})
    form_url = client.get(emailed_path(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "Abcdef12!x", "new_password2": "Abcdef12!x"})
    assert response.status_code == 200
    assert "au moins 12 caractères" in response.content.decode()
    academy_staff.refresh_from_db()
    assert academy_staff.check_password(PASSWORD)
