"""The dashboard's « À traiter » panel: what falls due, what fell due, the counters, in fixed queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions.models import EventKind, Party, PartySide
from partenariats.conventions.services import record_event
from tests.factories import ConventionFactory, academy

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)
URL = reverse("dashboard:home")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def tacit(**kwargs):
    """Signed 18 March 2021 for two years, renewed tacitly: notice due by 17 December 2026."""
    return ConventionFactory(signed=True, refresh__today=TODAY, **kwargs)


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_the_deadlines_of_the_conventions_one_owns_or_follows(client, academy_staff):
    owned = tacit(title="Convention dont je suis responsable")
    owned.owners.add(academy_staff)
    followed = tacit(title="Convention que je suis", steering_committee_month=12)
    followed.followers.add(academy_staff)
    tacit(title="Convention d’un autre service")

    html = page(client, academy_staff)

    assert "Les échéances des conventions dont vous êtes responsable ou que vous suivez" in html
    assert "Convention dont je suis responsable" in html
    assert "Convention que je suis" in html
    assert "Convention d’un autre service" not in html
    assert "Date limite de préavis" in html
    assert "Dans 25 jours" in html  # 17 December
    assert "Comité de pilotage" in html  # 1 December
    assert f'href="/conventions/{owned.pk}/"' in html
    assert "Mon agenda des échéances" in html


def test_it_shows_passed_deadlines_first(client, academy_staff):
    late = tacit(title="Convention au comité passé", steering_committee_month=11)  # 1 November: 21 days ago
    late.owners.add(academy_staff)
    soon = tacit(title="Convention à dénoncer bientôt")
    soon.owners.add(academy_staff)
    client.force_login(academy_staff)
    response = client.get(URL)
    rows = response.context["overdue"] + response.context["coming"]
    assert [(row.deadline.convention.title, row.deadline.kind) for row in rows][:1] == [
        ("Convention au comité passé", "steering_committee")
    ]
    assert rows[0].badge_text == "Échéance passée"
    html = response.content.decode()
    assert html.index("Échéance passée") < html.index("Dans 25 jours")


def test_passed_deadlines_older_than_thirty_days_are_left_out(client, academy_staff):
    convention = tacit(steering_committee_month=10)  # 1 October: 52 days ago
    convention.owners.add(academy_staff)
    html = page(client, academy_staff)
    assert "Échéance passée" not in html


def test_it_falls_back_on_the_conventions_of_ones_academie(client, academy_staff):
    tacit(title="Convention de l’académie d’Aix-Marseille")
    tacit(title="Convention de l’académie de Nice", academy=academy("Nice"))
    html = page(client, academy_staff)
    assert "Vous ne suivez encore aucune convention" in html
    assert "Convention de l’académie d’Aix-Marseille" in html
    assert "Convention de l’académie de Nice" not in html


def test_partner_staff_see_their_organisations_conventions(client, partner_contact, company):
    ours = tacit(title="Convention de notre entreprise")
    Party.objects.create(convention=ours, organisation=company, side=PartySide.PARTNER, position=2)
    ended = tacit(title="Ancienne convention de notre entreprise", tacit_renewal=False, renewal_months=None)
    Party.objects.create(convention=ended, organisation=company, side=PartySide.PARTNER, position=2)
    tacit(title="Convention d’une autre entreprise")
    html = page(client, partner_contact)
    assert "Les échéances des conventions de votre organisation" in html
    assert "Date limite de préavis" in html
    assert "Conventions en cours de votre organisation" in html
    assert "Convention de notre entreprise" in html
    assert "Ancienne convention de notre entreprise" not in html
    assert "Convention d’une autre entreprise" not in html


def test_it_counts_the_conventions_by_status(client, academy_staff):
    tacit()  # in force, notice due in 25 days: also ending within six months
    tacit(duration_months=120, tacit_renewal=False, renewal_months=None)  # in force until 2031
    under_notice = tacit()
    record_event(under_notice, kind=EventKind.NOTICE_GIVEN, on=datetime.date(2026, 10, 1), by_user=academy_staff)
    tacit(title="Convention de Nice", academy=academy("Nice"))  # not in the user's scope
    client.force_login(academy_staff)
    counters = {c.label: c.count for c in client.get(URL).context["counters"]}
    assert counters == {
        "En vigueur": 2,
        "En préavis": 1,
        "Maintien provisoire": 0,
        "À échéance dans 6 mois": 2,
    }
    html = client.get(URL).content.decode()
    assert 'href="/conventions/?status=under_notice"' in html
    assert "2 conventions" in html


def test_it_keeps_the_shortcuts_below(client, academy_staff):
    html = page(client, academy_staff)
    assert html.index("À traiter") < html.index("Accès rapides")
    for shortcut in ("Organisations", "Personnes", "Mon compte"):
        assert shortcut in html[html.index("Accès rapides") :]


def test_a_user_without_a_role_gets_no_panel(client, outsider):
    html = page(client, outsider)
    assert "Aucun rôle ne vous est attribué" in html
    assert "À traiter" not in html


def test_it_makes_a_fixed_number_of_queries(client, academy_staff, django_assert_max_num_queries):
    def count() -> int:
        client.force_login(academy_staff)
        with django_assert_max_num_queries(60) as captured:
            client.get(URL)
        return len(captured)

    first = tacit(contact_exchange_month=12)
    first.owners.add(academy_staff)
    few = count()
    for _ in range(4):
        more = tacit(contact_exchange_month=12, steering_committee_month=1)
        more.followers.add(academy_staff)
    assert count() == few


def test_it_lists_the_nearest_deadlines_and_says_how_many_more_come(client, academy_staff, monkeypatch):
    monkeypatch.setattr("partenariats.dashboard.views.DEADLINES_SHOWN", 2)
    for number in range(3):
        tacit(title=f"Convention suivie {number}", steering_committee_month=11).owners.add(academy_staff)
    client.force_login(academy_staff)

    response = client.get(URL)

    shown = response.context["overdue"] + response.context["coming"]
    assert len(shown) == 2
    assert response.context["deadline_count"] > 2
    hidden = response.context["deadline_count"] - 2
    assert response.context["deadlines_hidden"] == hidden
    assert f"{hidden} autres viennent ensuite" in response.content.decode()
    assert [row.deadline.due_on for row in shown] == sorted(row.deadline.due_on for row in shown)
