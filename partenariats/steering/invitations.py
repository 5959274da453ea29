"""The convocation of a meeting: a plain-text French e-mail with its calendar invitation (ICS).

The calendar event keeps the meeting's ``uid``; its ``sequence`` grows with each change of date
or place, so that an agenda replaces the event it already holds (METHOD:REQUEST), or removes it
(METHOD:CANCEL).
"""

import logging
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from partenariats.steering.models import CommitteeMember, Meeting
from partenariats.terms.dates import french

logger = logging.getLogger(__name__)

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PARIS = ZoneInfo("Europe/Paris")


def organizer_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + meeting.get_absolute_url()


def meeting_summary(meeting: Meeting) -> str:
    return f"Comité de pilotage — {meeting.convention.title}"


def location_text(meeting: Meeting) -> str:
    parts = [meeting.place]
    if meeting.host_id and str(meeting.host) not in meeting.place:
        parts.append(str(meeting.host))
    return ", ".join(part for part in parts if part)


def build_ics(meeting: Meeting, members: list[CommitteeMember], *, method: str = REQUEST, stamp=None) -> bytes:
    """The meeting as an RFC 5546 calendar message (one event, Paris time, an attendee per member
    given: a personal invitation gives its recipient alone)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Partenariats école–entreprise//Comités de pilotage//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", f"{meeting.uid}@partenariats")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(PARIS))
    if meeting.ends_at:
        event.add("dtend", meeting.ends_at.astimezone(PARIS))
    event.add("summary", meeting_summary(meeting))
    if location := location_text(meeting):
        event.add("location", location)
    description = [f"{meeting.get_kind_display()} — bilan de l’année scolaire {meeting.year.label}"]
    if meeting.video_link:
        description.append(f"Visioconférence : {meeting.video_link}")
    description += ["", "Ordre du jour :", *agenda_lines(meeting), "", meeting_url(meeting)]
    event.add("description", "\n".join(description))
    event.add("url", meeting_url(meeting))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{organizer_address()}")
    organizer.params["cn"] = icalendar.vText(settings.SITE_TITLE)
    event.add("organizer", organizer)
    for member in members:
        attendee = icalendar.vCalAddress(f"mailto:{member.person.email}")
        attendee.params["cn"] = icalendar.vText(member.person.full_name)
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        attendee.params["rsvp"] = icalendar.vText("TRUE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def agenda_lines(meeting: Meeting) -> list[str]:
    return [
        f"{n}. {item['title']}" + (f" : {item['detail']}" if item.get("detail") else "")
        for n, item in enumerate(meeting.agenda or [], start=1)
    ]


def mail_context(meeting: Meeting, member: CommitteeMember, method: str) -> dict:
    from partenariats.steering.meetings import time_text  # meetings imports this module

    start = timezone.localtime(meeting.starts_at)
    return {
        "meeting": meeting,
        "convention": meeting.convention,
        "member": member,
        "cancelled": method == CANCEL,
        "update": meeting.sequence > 0,
        "day": french(start.date()),
        "start": time_text(meeting.starts_at),
        "end": time_text(meeting.ends_at) if meeting.ends_at else "",
        "place": location_text(meeting),
        "agenda": agenda_lines(meeting),
        "url": meeting_url(meeting),
        "site_title": settings.SITE_TITLE,
    }


def invitation_message(meeting: Meeting, member: CommitteeMember, method: str):
    """The convocation of one member; its calendar invitation names that member alone (with the
    organizer): no member learns the others' addresses."""
    context = mail_context(meeting, member, method)
    subject = " ".join(render_to_string("steering/emails/invitation_subject.txt", context).split())
    template = "steering/emails/invitation_cancel.txt" if method == CANCEL else "steering/emails/invitation_body.txt"
    message = EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.person.email],
    )
    message.attach("invitation.ics", build_ics(meeting, [member], method=method), f"text/calendar; method={method}")
    return message


def send_meeting_mails(meeting_pk: int, member_pks: list[int], method: str) -> int:
    """Send the convocation (or its cancellation) to each member; one failure does not stop the others."""
    meeting = Meeting.objects.select_related("convention", "host").get(pk=meeting_pk)
    members = list(CommitteeMember.objects.filter(pk__in=member_pks).exclude(person__email="").select_related("person"))
    sent = 0
    for member in members:
        try:
            invitation_message(meeting, member, method).send()
        except Exception:
            logger.exception("Convocation of member %s to meeting %s not sent", member.pk, meeting.pk)
            continue
        sent += 1
    return sent


def ics_filename(meeting: Meeting) -> str:
    day = timezone.localtime(meeting.starts_at).date().isoformat() if meeting.starts_at else "a-planifier"
    return f"comite-de-pilotage-{meeting.convention_id}-{day}.ics"
