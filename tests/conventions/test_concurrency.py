"""Two people on the same convention: the second save on a stale version is refused, never silent."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from partenariats.conventions.models import Convention, EventKind
from tests.conventions.test_edit_form import page_data
from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def convention():
    return ConventionFactory(signed=True, title="Convention cadre avec la Fédération Exemple", notice_months=3)


@pytest.fixture
def two_clients(academy_staff, academy_admin):
    mine, theirs = Client(), Client()
    mine.force_login(academy_staff)
    theirs.force_login(academy_admin)
    return mine, theirs


def update_url(convention) -> str:
    return reverse("conventions:convention_update", args=[convention.pk])


def test_a_stale_edit_is_refused_and_shows_what_changed(two_clients, convention, company, nice):
    mine, theirs = two_clients
    url = update_url(convention)
    my_data, their_data = page_data(mine.get(url)), page_data(theirs.get(url))
    their_data |= {"title": "Titre choisi par la collègue", "notice_months": "6"}
    their_data |= {"parties-2-organisation": str(company.pk), "academies": [*their_data["academies"], str(nice.pk)]}
    assert theirs.post(url, their_data).status_code == 302

    my_data["title"] = "Mon titre à moi"
    response = mine.post(url, my_data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "La convention a été modifiée entre-temps" in page
    changes = {change.label: (change.old, change.new) for change in response.context["changes"]}
    assert changes["Intitulé"] == ("Convention cadre avec la Fédération Exemple", "Titre choisi par la collègue")
    assert changes["Préavis (mois)"] == ("3", "6")
    assert changes["Académies parties"] == ("Académie d'Aix-Marseille", "Académie d'Aix-Marseille, Académie de Nice")
    assert str(company) in changes["Parties"][1]
    assert str(company) not in changes["Parties"][0]
    assert "Titre choisi par la collègue" in page
    assert 'value="Mon titre à moi"' in page  # what I typed is kept…
    assert Convention.objects.get().title == "Titre choisi par la collègue"  # …and nothing was overwritten


def test_saving_again_after_seeing_the_changes_is_deliberate_and_accepted(two_clients, convention):
    mine, theirs = two_clients
    url = update_url(convention)
    my_data, their_data = page_data(mine.get(url)), page_data(theirs.get(url))
    theirs.post(url, their_data | {"title": "Titre choisi par la collègue"})
    refused = mine.post(url, my_data | {"title": "Mon titre à moi"})

    response = mine.post(url, page_data(refused))

    assert response.status_code == 302
    assert Convention.objects.get().title == "Mon titre à moi"


def test_an_event_recorded_meanwhile_makes_the_edit_stale(two_clients, convention):
    mine, theirs = two_clients
    url = update_url(convention)
    my_data = page_data(mine.get(url))
    event_url = reverse("conventions:event_create", args=[convention.pk]) + "?kind=renegotiation_opened"
    theirs.post(event_url, {"date": "2026-11-02", "expected_version": "1", "confirm": "1"})

    response = mine.post(url, my_data | {"title": "Mon titre à moi"})

    changes = {change.label: change.new for change in response.context["changes"]}
    assert "Renégociation ouverte le 02/11/2026" in changes["Événements et avenants enregistrés"]
    assert Convention.objects.get().title == "Convention cadre avec la Fédération Exemple"


def test_a_confirmation_on_a_stale_version_is_shown_again_with_the_new_consequences(two_clients, convention):
    mine, theirs = two_clients
    notice_url = reverse("conventions:event_create", args=[convention.pk]) + "?kind=notice_given"
    party = convention.parties.all()[1]
    notice = {"date": "2026-11-02", "by_party": str(party.pk), "form": "registered_letter", "expected_version": "1"}
    assert "confirmation" in mine.post(notice_url, notice).content.decode()
    amendment_url = reverse("conventions:amendment_create", args=[convention.pk])
    theirs.post(
        amendment_url,
        {
            "kind": "terms",
            "title": "Préavis porté à six mois",
            "effective_on": "2026-10-01",
            "duration_months": "24",
            "tacit_renewal": "true",
            "renewal_months": "24",
            "notice_months": "6",
            "notice_by_registered_letter": "true",
            "termination_effect": "end_of_period",
            "expected_version": "1",
            "confirm": "1",
        },
    )

    response = mine.post(notice_url, notice | {"confirm": "1"})

    assert response.status_code == 200
    assert response.context["stale"] is True
    assert response.context["version"] == Convention.objects.get().version
    assert not convention.events.filter(kind=EventKind.NOTICE_GIVEN).exists()
    response = mine.post(notice_url, notice | {"confirm": "1", "expected_version": str(response.context["version"])})
    assert response.status_code == 302
    assert convention.events.get(kind=EventKind.NOTICE_GIVEN).date == datetime.date(2026, 11, 2)
