"""The reminder of a convened meeting, a week before it: one e-mail per current member with an
address, with the date, place, agenda, the meeting's link and the calendar invitation (ICS).

``send_meeting_reminders`` (the daily command) calls ``send_due_reminders``. Each meeting is
claimed with a conditional UPDATE of ``reminder_sent_at`` (only where it is still empty), so two
runs at once remind it once; the mails leave after the commit, and if none could be sent (the
mail server down) the claim is released so that the next run tries again. A meeting moved to
another date gets a new reminder (``meetings.schedule_meeting`` empties ``reminder_sent_at``).
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from partenariats.steering import invitations
from partenariats.steering.models import CommitteeMember, Meeting, MeetingStatus

logger = logging.getLogger(__name__)

AHEAD = timedelta(days=7)


def _due(now: datetime) -> Q:
    """A convened meeting, still to come, within the week, not reminded yet."""
    return Q(
        status=MeetingStatus.SCHEDULED,
        invitations_sent_at__isnull=False,
        starts_at__gt=now,
        starts_at__lte=now + AHEAD,
        reminder_sent_at__isnull=True,
    )


def reminder_recipients(meeting: Meeting) -> list[CommitteeMember]:
    """The current members with an e-mail address."""
    return list(
        CommitteeMember.objects.filter(convention_id=meeting.convention_id, ended_on__isnull=True)
        .exclude(person__email="")
        .select_related("person", "party__organisation")
        .order_by("position", "pk")
    )


def reminder_message(meeting: Meeting, member: CommitteeMember) -> EmailMessage:
    """The reminder of one member; its calendar invitation names that member alone."""
    context = invitations.mail_context(meeting, member, invitations.REQUEST)
    subject = " ".join(render_to_string("steering/emails/reminder_subject.txt", context).split())
    message = EmailMessage(
        subject=subject,
        body=render_to_string("steering/emails/reminder_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.person.email],
    )
    ics = invitations.build_ics(meeting, [member], method=invitations.REQUEST)
    message.attach("invitation.ics", ics, f"text/calendar; method={invitations.REQUEST}")
    return message


def send_reminder_mails(meeting_pk: int, claimed_at: datetime) -> int:
    """Send the reminder of one claimed meeting; release the claim if no mail could leave."""
    meeting = Meeting.objects.select_related("convention", "host").get(pk=meeting_pk)
    members = reminder_recipients(meeting)
    sent = 0
    for member in members:
        try:
            reminder_message(meeting, member).send()
        except Exception:
            logger.exception("Reminder of meeting %s to member %s not sent", meeting.pk, member.pk)
            continue
        sent += 1
    if members and not sent:
        Meeting.objects.filter(pk=meeting_pk, reminder_sent_at=claimed_at).update(reminder_sent_at=None)
    return sent


def send_due_reminders(now: datetime | None = None) -> list[int]:
    """Claim every meeting due for its reminder and send it after the commit. Returns their ids."""
    now = now or timezone.now()
    claimed = []
    for pk in Meeting.objects.filter(_due(now)).order_by("starts_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            if not Meeting.objects.filter(_due(now), pk=pk).update(reminder_sent_at=now):
                continue  # reminded by another run meanwhile, or changed
            claimed.append(pk)
            transaction.on_commit(partial(send_reminder_mails, pk, now))
    return claimed
