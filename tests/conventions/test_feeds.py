"""The personal ICS feed: a secret URL, shown once, revocable, listing the deadlines one follows."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions.feeds import issue_feed
from partenariats.conventions.models import CalendarFeed
from tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed(academy_staff):
    """Signed 18 March 2021 for two years, renewed tacitly: notice due by 17 December 2026."""
    convention = ConventionFactory(signed=True, title="Convention suivie d’essai", contact_exchange_month=9)
    convention.followers.add(academy_staff)
    return convention


def feed_path(key: str) -> str:
    return reverse("conventions:feed", kwargs={"key": key})


def events_of(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_it_serves_the_deadlines_of_followed_conventions_as_a_valid_calendar(followed, academy_staff, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 22))
    other = ConventionFactory(signed=True, title="Convention d’une autre personne")
    _, key = issue_feed(academy_staff)

    response = Client().get(feed_path(key))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = events_of(response)
    notice = events[f"{followed.pk}-notice_deadline-2026-12-17@partenariats"]
    assert notice["SUMMARY"] == "Date limite de préavis — Convention suivie d’essai"
    assert notice.decoded("DTSTART") == datetime.date(2026, 12, 17)
    assert notice.decoded("DTEND") == datetime.date(2026, 12, 18)
    assert "reconduction du 18 mars 2027" in notice["DESCRIPTION"]
    assert notice["URL"] == f"http://127.0.0.1:8000/conventions/{followed.pk}/"
    assert f"{followed.pk}-steering_committee-2027-03-18@partenariats" in events
    assert f"{followed.pk}-contact_exchange-2027-09-01@partenariats" in events
    # From 30 days ago to two years ahead, and only the conventions the user follows.
    days = [event.decoded("DTSTART") for event in events.values()]
    assert min(days) >= datetime.date(2026, 10, 23)
    assert max(days) <= datetime.date(2028, 11, 21)
    assert not any(uid.startswith(f"{other.pk}-") for uid in events)


def test_its_event_ids_stay_the_same_from_one_poll_to_the_next(followed, academy_staff):
    _, key = issue_feed(academy_staff)
    assert set(events_of(Client().get(feed_path(key)))) == set(events_of(Client().get(feed_path(key))))


def test_it_records_when_the_feed_was_last_read(followed, academy_staff):
    feed, key = issue_feed(academy_staff)
    assert feed.last_used_at is None
    Client().get(feed_path(key))
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_it_stores_only_the_hash_of_the_key(academy_staff):
    feed, key = issue_feed(academy_staff)
    assert key not in feed.key_hash
    assert feed.key_hash == CalendarFeed.hash_key(key)


def test_a_forged_or_revoked_key_is_a_404(followed, academy_staff):
    feed, key = issue_feed(academy_staff)
    assert Client().get(feed_path("cle-inventee")).status_code == 404
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    assert Client().get(feed_path(key)).status_code == 404


def test_a_deactivated_users_feed_is_a_404(followed, academy_staff, academy_admin):
    _, key = issue_feed(academy_staff)
    academy_staff.deactivate(by=academy_admin)
    assert Client().get(feed_path(key)).status_code == 404


def test_a_convention_out_of_scope_leaves_the_feed(colleague_elsewhere):
    convention = ConventionFactory(signed=True)  # of Aix-Marseille
    convention.owners.add(colleague_elsewhere)  # a colleague of Nice, who cannot see it
    _, key = issue_feed(colleague_elsewhere)
    response = Client().get(feed_path(key))
    assert response.status_code == 200
    assert events_of(response) == {}


def test_the_page_shows_the_new_url_once(client, academy_staff, followed):
    client.force_login(academy_staff)
    response = client.post(reverse("conventions:feed_create"))
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(user=academy_staff)
    new_url = response.context["new_url"]
    assert new_url.startswith("http://127.0.0.1:8000/conventions/agenda/")
    assert new_url.endswith(".ics")
    assert new_url in response.content.decode()
    assert feed.key_hash == CalendarFeed.hash_key(new_url.rsplit("/", 1)[1].removesuffix(".ics"))
    page = client.get(reverse("conventions:feed_manage")).content.decode()
    assert new_url not in page
    assert "Régénérer le lien" in page
    assert "Vous suivez actuellement 1 convention." in page


def test_regenerating_kills_the_previous_url(client, academy_staff):
    _, old_key = issue_feed(academy_staff)
    client.force_login(academy_staff)
    client.post(reverse("conventions:feed_create"))
    assert Client().get(feed_path(old_key)).status_code == 404
    assert CalendarFeed.objects.usable().filter(user=academy_staff).count() == 1


def test_revoking_kills_the_url(client, academy_staff):
    _, key = issue_feed(academy_staff)
    client.force_login(academy_staff)
    response = client.post(reverse("conventions:feed_revoke"), follow=True)
    assert "Votre lien d’agenda est révoqué" in response.content.decode()
    assert "Créer mon lien d’agenda" in response.content.decode()
    assert Client().get(feed_path(key)).status_code == 404


def test_one_cannot_revoke_someone_elses_feed(client, academy_staff, academy_admin):
    _, key = issue_feed(academy_staff)
    client.force_login(academy_admin)
    client.post(reverse("conventions:feed_revoke"))
    assert Client().get(feed_path(key)).status_code == 200
