"""Convocations: one French e-mail per member with an address, each with a calendar invitation that
agendas can read, update and cancel."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail

from partenariats.steering import meetings
from partenariats.steering.meetings import MeetingError, Schedule
from partenariats.steering.models import Attendance, AttendanceStatus

D = datetime.date
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 11, 22, 9, tzinfo=PARIS)


def at(day, hour):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


@pytest.fixture
def meeting(cycle):
    meeting = meetings.create_meeting(cycle.convention, due_on=D(2027, 3, 18))
    return meetings.schedule_meeting(
        meeting,
        Schedule(
            starts_at=at(D(2027, 3, 11), 14),
            ends_at=at(D(2027, 3, 11), 16),
            place="Rectorat, salle 2",
            agenda=meeting.agenda,
        ),
        expected_version=meeting.version,
        now=NOW,
    )[0]


def invite(meeting, capture):
    with capture(execute=True):
        return meetings.send_invitations(meeting, now=NOW)


def calendar_of(message) -> icalendar.Calendar:
    [(name, content, mimetype)] = message.attachments
    assert name == "invitation.ics"
    assert mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def event_of(calendar):
    [event] = calendar.walk("VEVENT")
    return event


def test_each_member_with_an_address_receives_a_french_convocation(cycle, meeting, django_capture_on_commit_callbacks):
    count = invite(meeting, django_capture_on_commit_callbacks)

    with_address = [m.person.email for m in cycle.committee if m.person.email]
    assert count == 3
    assert len(with_address) == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(with_address)
    message = mail.outbox[0]
    assert message.subject == (
        "Convocation : comité de pilotage du 11 mars 2027 — Convention Rectorat – Fédération Exemple"
    )
    assert "Date : 11 mars 2027, de 14 h à 16 h" in message.body
    assert "Lieu : Rectorat, salle 2" in message.body
    assert "3. Bilan de l’année scolaire 2025–2026" in message.body
    assert f"/comite/reunions/{meeting.pk}/" in message.body
    assert "&" not in message.body.replace("&amp;", "")  # plain text, not HTML-escaped
    invited = Attendance.objects.filter(meeting=meeting)
    assert sorted(a.member.person.email for a in invited) == sorted(with_address)
    assert {a.status for a in invited} == {AttendanceStatus.INVITED}
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at == NOW


def test_the_attachment_is_a_calendar_request_in_paris_time(cycle, meeting, django_capture_on_commit_callbacks):
    invite(meeting, django_capture_on_commit_callbacks)

    calendar = calendar_of(mail.outbox[0])
    assert str(calendar["method"]) == "REQUEST"
    event = event_of(calendar)
    assert str(event["uid"]) == f"{meeting.uid}@partenariats"
    assert int(event["sequence"]) == 0
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.decoded("dtstart") == at(D(2027, 3, 11), 14)
    assert event.decoded("dtstart").utcoffset() == datetime.timedelta(hours=1)
    assert event.decoded("dtend") == at(D(2027, 3, 11), 16)
    assert str(event["location"]) == "Rectorat, salle 2"
    assert str(event["organizer"]) == "mailto:ne-pas-repondre@example.invalid"
    assert calendar.walk("VTIMEZONE")


def test_each_personal_invitation_names_its_recipient_alone(cycle, meeting, django_capture_on_commit_callbacks):
    """A member's invitation does not hand them the other members' addresses."""
    invite(meeting, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 3
    for message in mail.outbox:
        attendees = event_of(calendar_of(message)).get("attendee")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] == [f"mailto:{message.to[0]}"]


def test_a_change_of_date_raises_the_sequence_and_reinviting_sends_the_update(
    meeting, django_capture_on_commit_callbacks
):
    invite(meeting, django_capture_on_commit_callbacks)
    meeting.refresh_from_db()
    moved, outdated = meetings.schedule_meeting(
        meeting,
        Schedule(
            starts_at=at(D(2027, 3, 12), 10),
            ends_at=at(D(2027, 3, 12), 12),
            place="Rectorat, salle 2",
            agenda=meeting.agenda,
        ),
        expected_version=meeting.version,
        now=NOW,
    )
    assert outdated
    assert moved.sequence == 1
    mail.outbox.clear()

    invite(moved, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 3
    assert mail.outbox[0].subject.startswith("Modification : comité de pilotage du 12 mars 2027")
    event = event_of(calendar_of(mail.outbox[0]))
    assert int(event["sequence"]) == 1
    assert str(event["uid"]) == f"{meeting.uid}@partenariats"
    assert event.decoded("dtstart") == at(D(2027, 3, 12), 10)
    assert Attendance.objects.filter(meeting=meeting).count() == 3


def test_changing_only_the_agenda_keeps_the_invitation(meeting, django_capture_on_commit_callbacks):
    invite(meeting, django_capture_on_commit_callbacks)
    meeting.refresh_from_db()
    same, outdated = meetings.schedule_meeting(
        meeting,
        Schedule(
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place=meeting.place,
            agenda=[{"title": "Accueil", "detail": ""}],
        ),
        expected_version=meeting.version,
        now=NOW,
    )
    assert not outdated
    assert same.sequence == 0


def test_cancelling_sends_the_calendar_cancellation_to_those_invited(
    cycle, meeting, django_capture_on_commit_callbacks
):
    invite(meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    meeting.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        meetings.cancel_meeting(meeting)

    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject.startswith("Annulation : comité de pilotage du 11 mars 2027")
    assert "est annulée" in message.body
    calendar = calendar_of(message)
    assert str(calendar["method"]) == "CANCEL"
    event = event_of(calendar)
    assert int(event["sequence"]) == 1
    assert str(event["status"]) == "CANCELLED"


def test_cancelling_a_meeting_never_convened_sends_nothing(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meetings.cancel_meeting(meeting)
    assert mail.outbox == []


def test_a_member_who_left_is_not_convened(cycle, meeting, django_capture_on_commit_callbacks):
    meetings.end_member(cycle.committee[2], today=D(2026, 11, 1))
    assert invite(meeting, django_capture_on_commit_callbacks) == 2
    assert cycle.committee[2].person.email not in [m.to[0] for m in mail.outbox]


def test_no_convocation_before_a_date_nor_after_the_meeting(cycle, django_capture_on_commit_callbacks):
    unscheduled = meetings.create_meeting(cycle.convention, due_on=D(2027, 3, 18))
    with pytest.raises(MeetingError, match="Fixez d’abord la date"):
        meetings.send_invitations(unscheduled, now=NOW)
    scheduled = meetings.schedule_meeting(
        unscheduled,
        Schedule(starts_at=at(D(2026, 12, 1), 14), ends_at=at(D(2026, 12, 1), 16)),
        expected_version=unscheduled.version,
        now=NOW,
    )[0]
    with pytest.raises(MeetingError, match="La réunion est passée"):
        meetings.send_invitations(scheduled, now=at(D(2026, 12, 2), 9))
    assert mail.outbox == []
    assert not Attendance.objects.filter(meeting=scheduled).exists()


def test_a_second_click_on_convene_sends_nothing_more(meeting, django_capture_on_commit_callbacks):
    invite(meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with (
        pytest.raises(MeetingError, match="viennent d’être envoyées"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        meetings.send_invitations(meeting, now=NOW + datetime.timedelta(minutes=2))

    assert mail.outbox == []


def test_convocations_go_again_once_the_guard_has_passed(meeting, django_capture_on_commit_callbacks):
    invite(meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        meetings.send_invitations(meeting, now=NOW + datetime.timedelta(minutes=11))

    assert len(mail.outbox) == 3
