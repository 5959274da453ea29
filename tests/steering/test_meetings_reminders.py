"""The reminder a week before a convened meeting: sent once to each current member, again if the
meeting is moved, never for a meeting cancelled or held, and tried again if no mail could leave."""

import datetime
import io
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command

from partenariats.steering import meetings, reminders
from partenariats.steering.meetings import Schedule
from partenariats.steering.models import Meeting, MeetingStatus

pytestmark = pytest.mark.django_db

D = datetime.date
PARIS = ZoneInfo("Europe/Paris")
CONVENED = datetime.datetime(2027, 2, 1, 9, tzinfo=PARIS)
MEETING_DAY = D(2027, 3, 11)
WEEK_BEFORE = datetime.datetime(2027, 3, 5, 7, tzinfo=PARIS)  # six days and seven hours before


def at(day, hour):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def schedule(meeting, day, hour=14):
    return meetings.schedule_meeting(
        meeting,
        Schedule(starts_at=at(day, hour), ends_at=at(day, hour + 2), place="Rectorat, salle 2", agenda=meeting.agenda),
        expected_version=meeting.version,
        now=CONVENED,
    )[0]


@pytest.fixture
def convened(cycle, django_capture_on_commit_callbacks):
    meeting = schedule(meetings.create_meeting(cycle.convention, due_on=D(2027, 3, 18)), MEETING_DAY)
    with django_capture_on_commit_callbacks(execute=True):
        meetings.send_invitations(meeting, now=CONVENED)
    mail.outbox.clear()
    meeting.refresh_from_db()
    return meeting


def remind(capture, now=WEEK_BEFORE) -> list[int]:
    with capture(execute=True):
        return reminders.send_due_reminders(now)


def test_each_current_member_gets_one_french_reminder_with_the_invitation(
    cycle, convened, django_capture_on_commit_callbacks
):
    assert remind(django_capture_on_commit_callbacks) == [convened.pk]

    with_address = sorted(m.person.email for m in cycle.committee if m.person.email)
    assert sorted(message.to[0] for message in mail.outbox) == with_address
    message = mail.outbox[0]
    assert message.subject == ("Rappel : comité de pilotage du 11 mars 2027 — Convention Rectorat – Fédération Exemple")
    assert "Date : 11 mars 2027, de 14 h à 16 h" in message.body
    assert "Lieu : Rectorat, salle 2" in message.body
    assert "3. Bilan de l’année scolaire 2025–2026" in message.body
    assert f"/comite/reunions/{convened.pk}/" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == "invitation.ics"
    assert mimetype.startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(event["uid"]) == f"{convened.uid}@partenariats"
    assert event.decoded("dtstart") == at(MEETING_DAY, 14)
    convened.refresh_from_db()
    assert convened.reminder_sent_at == WEEK_BEFORE
    # Each reminder's invitation names its recipient alone: no member learns the others' addresses.
    for each in mail.outbox:
        [event] = icalendar.Calendar.from_ical(each.attachments[0][1]).walk("VEVENT")
        attendees = event.get("attendee")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] == [f"mailto:{each.to[0]}"]


def test_not_before_the_week_and_a_second_run_sends_nothing(convened, django_capture_on_commit_callbacks):
    assert remind(django_capture_on_commit_callbacks, at(D(2027, 3, 3), 14)) == []  # eight days before
    assert mail.outbox == []

    remind(django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    assert remind(django_capture_on_commit_callbacks) == []
    assert remind(django_capture_on_commit_callbacks, WEEK_BEFORE + datetime.timedelta(days=1)) == []

    assert sent == 3
    assert len(mail.outbox) == sent


def test_the_daily_command_reminds_once(convened, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(reminders.timezone, "now", lambda: WEEK_BEFORE)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_meeting_reminders", stdout=out)
        call_command("send_meeting_reminders", stdout=out)

    assert len(mail.outbox) == 3
    assert out.getvalue() == f"1 réunion(s) rappelée(s) : {convened.pk}.\n"


def test_a_meeting_moved_after_its_reminder_is_reminded_again(convened, django_capture_on_commit_callbacks):
    remind(django_capture_on_commit_callbacks)
    mail.outbox.clear()

    moved = schedule(Meeting.objects.get(pk=convened.pk), D(2027, 3, 9), hour=10)

    assert moved.reminder_sent_at is None
    assert moved.sequence == 1
    assert remind(django_capture_on_commit_callbacks) == [convened.pk]
    assert len(mail.outbox) == 3
    assert mail.outbox[0].subject.startswith("Rappel : comité de pilotage du 9 mars 2027")
    [event] = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")
    assert int(event["sequence"]) == 1


def test_changing_only_the_agenda_does_not_remind_again(convened, django_capture_on_commit_callbacks):
    remind(django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get(pk=convened.pk)
    meeting.agenda = [*meeting.agenda, {"title": "Point ajouté", "detail": ""}]
    schedule(meeting, MEETING_DAY)

    assert remind(django_capture_on_commit_callbacks) == []


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.HELD])
def test_a_cancelled_or_held_meeting_is_not_reminded(convened, status, django_capture_on_commit_callbacks):
    Meeting.objects.filter(pk=convened.pk).update(status=status)

    assert remind(django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_a_meeting_never_convened_is_not_reminded(cycle, django_capture_on_commit_callbacks):
    schedule(meetings.create_meeting(cycle.convention, due_on=D(2027, 3, 18)), MEETING_DAY)

    assert remind(django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_a_member_who_left_is_not_reminded(cycle, convened, django_capture_on_commit_callbacks):
    leaving = next(m for m in cycle.committee if m.person.email)
    meetings.end_member(leaving, today=D(2027, 3, 1))

    remind(django_capture_on_commit_callbacks)

    assert leaving.person.email not in {message.to[0] for message in mail.outbox}
    assert len(mail.outbox) == 2


def test_if_no_mail_leaves_the_next_run_tries_again(convened, django_capture_on_commit_callbacks, monkeypatch):
    def down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    with monkeypatch.context() as patched:
        patched.setattr(reminders.EmailMessage, "send", down)
        assert remind(django_capture_on_commit_callbacks) == [convened.pk]
    convened.refresh_from_db()
    assert convened.reminder_sent_at is None

    assert remind(django_capture_on_commit_callbacks, WEEK_BEFORE + datetime.timedelta(days=1)) == [convened.pk]
    assert len(mail.outbox) == 3
