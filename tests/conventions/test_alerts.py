"""The daily digest of deadlines: one e-mail per recipient, each alert once, even when runs overlap."""

import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from partenariats.conventions import alerts
from partenariats.conventions.alerts import send_deadline_alerts
from partenariats.conventions.models import AlertDelivery, ConventionStatus
from tests.factories import ConventionFactory

D = datetime.date
# The factory's convention (signed 18 March 2021, two years, tacit) must receive notice by 17 December 2026.
NOTICE_DEADLINE = D(2026, 12, 17)
NINETY_DAYS_BEFORE = D(2026, 9, 18)
THIRTY_DAYS_BEFORE = D(2026, 11, 17)


@pytest.fixture
def convention(academy_staff):
    convention = ConventionFactory(signed=True, title="Convention cadre avec la fédération d’essai")
    convention.owners.add(academy_staff)
    return convention


def run(today, capture) -> alerts.RunReport:
    with capture(execute=True):
        return send_deadline_alerts(today)


def bodies_to(user) -> list[str]:
    return [message.body for message in mail.outbox if message.to == [user.email]]


@pytest.mark.django_db
def test_it_sends_each_owner_one_french_digest(
    convention, academy_staff, academy_admin, django_capture_on_commit_callbacks
):
    other = ConventionFactory(signed=True, title="Convention locale d’essai", contact_exchange_month=12)
    other.owners.add(academy_staff, academy_admin)
    report = run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    assert report.digests == 2
    [staff_mail] = [message for message in mail.outbox if message.to == [academy_staff.email]]
    assert staff_mail.subject == "3 échéances à venir sur vos conventions — Partenariats école–entreprise"
    body = staff_mail.body
    assert body.startswith(f"Bonjour {academy_staff.first_name},")
    assert "Convention cadre avec la fédération d’essai" in body
    assert (
        "jeudi 17 décembre 2026 (dans 90 jours) — Date limite de préavis : "
        "Date limite de réception du préavis pour empêcher la reconduction du 18 mars 2027"
    ) in body
    assert "Convention locale d’essai" in body
    assert "mardi 1er décembre 2026 (dans 74 jours) — Échange des listes de contacts" in body
    assert f"http://127.0.0.1:8000/conventions/{convention.pk}/" in body
    # The co-owner hears only of the convention they own.
    [admin_body] = bodies_to(academy_admin)
    assert "Convention locale d’essai" in admin_body
    assert "Convention cadre avec la fédération d’essai" not in admin_body


@pytest.mark.django_db
def test_a_second_run_sends_nothing(convention, django_capture_on_commit_callbacks):
    run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    report = run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert (report.digests, report.alerts) == (0, 0)
    # Nor the days after, while the deadline stays in the 90-day window only.
    run(NINETY_DAYS_BEFORE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_announces_the_deadline_again_when_it_enters_the_thirty_day_window(
    convention, academy_staff, django_capture_on_commit_callbacks
):
    run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    run(THIRTY_DAYS_BEFORE - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    run(THIRTY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert "jeudi 17 décembre 2026 (dans 30 jours) — Date limite de préavis" in mail.outbox[1].body
    assert set(AlertDelivery.objects.values_list("kind", "due_on", "window_days")) == {
        ("notice_deadline", NOTICE_DEADLINE, 90),
        ("notice_deadline", NOTICE_DEADLINE, 30),
    }


@pytest.mark.django_db
def test_a_deadline_first_seen_inside_both_windows_is_announced_once(convention, django_capture_on_commit_callbacks):
    run(THIRTY_DAYS_BEFORE + datetime.timedelta(days=10), django_capture_on_commit_callbacks)
    run(THIRTY_DAYS_BEFORE + datetime.timedelta(days=11), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert "(dans 20 jours)" in mail.outbox[0].body
    assert AlertDelivery.objects.get().window_days == 30


@pytest.mark.django_db
def test_it_follows_the_alert_windows_of_the_convention(convention, django_capture_on_commit_callbacks):
    convention.alert_days = [15]
    convention.save(update_fields=["alert_days"])
    run(THIRTY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run(NOTICE_DEADLINE - datetime.timedelta(days=15), django_capture_on_commit_callbacks)
    assert "(dans 15 jours)" in mail.outbox[0].body


@pytest.mark.django_db
def test_followers_hear_of_it_too_and_an_owner_who_follows_once(
    convention, academy_staff, observer, django_capture_on_commit_callbacks
):
    convention.followers.add(observer, academy_staff)
    run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([academy_staff.email, observer.email])
    assert bodies_to(academy_staff)[0].count("Date limite de préavis") == 1


@pytest.mark.django_db
def test_archived_conventions_are_ignored(convention, django_capture_on_commit_callbacks):
    convention.archived_at = timezone.now()
    convention.save(update_fields=["archived_at"])
    report = run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert report.refreshed == 0


@pytest.mark.django_db
def test_deactivated_owners_and_owners_without_scope_hear_nothing(
    convention, academy_staff, colleague_elsewhere, academy_admin, django_capture_on_commit_callbacks
):
    convention.owners.add(colleague_elsewhere)  # Nice: the convention is out of their scope
    academy_staff.deactivate(by=academy_admin)
    run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_alert_claimed_by_another_run_is_not_sent_again(
    convention, academy_staff, academy_admin, django_capture_on_commit_callbacks
):
    convention.owners.add(academy_admin)
    # Another run got there first for academy_staff (its row is in, its e-mail on its way).
    AlertDelivery.objects.create(
        user=academy_staff, convention=convention, kind="notice_deadline", due_on=NOTICE_DEADLINE, window_days=90
    )
    assert list(alerts.due_alerts(NINETY_DAYS_BEFORE)) == [academy_admin]
    run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[academy_admin.email]]


@pytest.mark.django_db
def test_the_claim_skips_a_row_inserted_after_the_alerts_were_read(
    convention, academy_staff, django_capture_on_commit_callbacks
):
    [pending] = alerts.due_alerts(NINETY_DAYS_BEFORE).values()
    # The race: between reading and claiming, a parallel run inserts the same delivery.
    AlertDelivery.objects.create(
        user=academy_staff, convention=convention, kind="notice_deadline", due_on=NOTICE_DEADLINE, window_days=90
    )
    with django_capture_on_commit_callbacks(execute=True):
        claimed = alerts.claim(pending, NINETY_DAYS_BEFORE)
    assert claimed == []
    assert mail.outbox == []
    assert AlertDelivery.objects.count() == 1


@pytest.mark.django_db
def test_a_digest_that_cannot_be_sent_is_tried_again_next_run(
    convention, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("serveur de courriel injoignable")

    monkeypatch.setattr(alerts, "send_mail", broken)
    run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert AlertDelivery.objects.count() == 0
    monkeypatch.undo()
    run(NINETY_DAYS_BEFORE, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_run_first_refreshes_the_cached_status(convention, django_capture_on_commit_callbacks):
    type(convention).objects.filter(pk=convention.pk).update(status=ConventionStatus.DRAFT, status_computed_on=None)
    run(D(2027, 4, 1), django_capture_on_commit_callbacks)
    convention.refresh_from_db()
    assert (convention.status, convention.status_computed_on) == (ConventionStatus.ACTIVE, D(2027, 4, 1))
    assert convention.period_start == D(2027, 3, 18)


@pytest.mark.django_db
def test_the_command_reports_in_french_and_its_dry_run_sends_nothing(convention, django_capture_on_commit_callbacks):
    out = StringIO()
    call_command("send_deadline_alerts", "--date", "2026-09-18", "--dry-run", stdout=out)
    assert "1 échéance(s) à annoncer dans 1 courriel(s) ; rien n’a été envoyé" in out.getvalue()
    assert "2026-12-17 (90 j) Date limite de préavis" in out.getvalue()
    assert (mail.outbox, AlertDelivery.objects.count()) == ([], 0)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_deadline_alerts", "--date", "2026-09-18", stdout=out)
    assert "1 échéance(s) annoncée(s) dans 1 courriel(s)" in out.getvalue()
    assert len(mail.outbox) == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database locks whole tables under real threads; "
    "the race is exercised on PostgreSQL (CI's second pass) and simulated above on SQLite.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_in_parallel_send_each_alert_once(academy_staff, academy_admin):
    for number in range(3):
        convention = ConventionFactory(signed=True, title=f"Convention parallèle {number}")
        convention.owners.add(academy_staff, academy_admin)
    start = threading.Barrier(2)
    failures = []

    def daily_run():
        try:
            start.wait(timeout=10)
            send_deadline_alerts(NINETY_DAYS_BEFORE)
        except Exception as error:  # reported below, with the thread's own traceback lost but its message kept
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=daily_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted([academy_staff.email, academy_admin.email])
    for message in mail.outbox:
        assert message.body.count("Date limite de préavis") == 3
    assert AlertDelivery.objects.count() == 6
