"""The minutes (compte rendu) of a meeting, as plain JSON data drawn by the PDF and the DOCX.

``minutes_content(meeting, public=...)`` returns (JSON-serialisable, plain text, French displays):

    {
      "schema": 1,
      "variant": "full" | "public",
      "convention": {"title", "reference"},
      "meeting": {"kind_label", "status_label", "held": bool, "year_label", "date_display",
                  "time_display", "place", "host", "due_on_display"},
                                                     # held: False marks the document « Projet »
      "attendance": [{"name", "organisation", "role", "status_label", "represented_by"}],
      "agenda": [{"title", "detail"}],
      "inventory": str,                              # état des lieux (first meeting), may be ""
      "minutes": str,
      "decisions": [{"number", "text"}],
      "corrective_actions": [{"title", "owner", "due_on_display", "status_label", "detail"}],
      "reviewed_actions": [{"title", "owner", "due_on_display", "status_label", "review_note",
                            "decided_display"}],     # earlier actions reviewed at this meeting
      "review": None | {"year_label", "status_label"},
    }

The public version names no person (attendees as their organisation and role), leaves out
confidential decisions and corrective actions, and scrubs from every free text (place, agenda,
inventory, minutes, decisions, corrective actions and their notes) the e-mail addresses,
telephone numbers and the names the platform knows (``names.known_names``: committee members,
representatives, signatories, the meeting's guests and stand-ins), as the review does.
"""

from django.db.models import F
from django.utils import timezone

from partenariats.steering.meetings import time_text
from partenariats.steering.models import (
    Attendance,
    CorrectiveAction,
    Meeting,
    MeetingStatus,
    Review,
)
from partenariats.steering.names import known_names
from partenariats.steering.privacy import scrub
from partenariats.terms.dates import french

SCHEMA = 1
GUEST_ROLE = "Invité·e"


def _date(day) -> str:
    return french(day) if day else ""


def _time(meeting: Meeting) -> str:
    if not meeting.starts_at:
        return ""
    text = time_text(meeting.starts_at)
    if meeting.ends_at:
        text += " – " + time_text(meeting.ends_at)
    return text


def _attendance(row: Attendance, public: bool) -> dict:
    member = row.member
    if member is not None:
        role = member.get_role_display() + (f", {member.title}" if member.title else "")
        organisation = str(member.party.organisation) if member.party else ""
        name = member.person.full_name
    else:
        role, organisation, name = GUEST_ROLE, row.organisation_name, row.name
    return {
        "name": "" if public else name,
        "organisation": organisation,
        "role": role,
        "status_label": row.get_status_display(),
        "represented_by": "" if public else row.represented_by,
    }


def owner_text(action, public: bool) -> str:
    """Who answers for a corrective action or a plan's action (both have ``owner_party`` and
    ``owner_name``): its party, and (not in public) the person or service."""
    party = str(action.owner_party.organisation) if action.owner_party else ""
    if public:
        return party
    return " – ".join(part for part in (party, action.owner_name) if part)


def public_scrubber(convention, meeting: Meeting | None = None):
    """A function giving the public form of a free text of ``convention`` (and of ``meeting``):
    without e-mail addresses, telephone numbers or the names the platform knows."""
    names = known_names(convention, meeting)
    return lambda value: scrub(value, names)


def minutes_content(meeting: Meeting, *, public: bool) -> dict:
    """The minutes of ``meeting`` as plain data (see the module's docstring); ``public`` leaves out
    names, confidential items and contact details."""
    convention = meeting.convention
    names = known_names(convention, meeting) if public else ()

    def text(value: str) -> str:
        return scrub(value, names) if public else value or ""

    attendances = Attendance.objects.filter(meeting=meeting).select_related(
        "member__person", "member__party__organisation"
    )
    decisions = meeting.decisions.all()
    by_due_date = (F("due_on").asc(nulls_last=True), "pk")
    decided = (
        CorrectiveAction.objects.filter(meeting=meeting)
        .select_related("owner_party__organisation")
        .order_by(*by_due_date)
    )
    reviewed = (
        CorrectiveAction.objects.filter(reviewed_at=meeting)
        .exclude(meeting=meeting)
        .select_related("owner_party__organisation", "meeting")
        .order_by(*by_due_date)
    )
    if public:
        decisions = decisions.filter(confidential=False)
        decided = decided.filter(confidential=False)
        reviewed = reviewed.filter(confidential=False)
    review = Review.objects.filter(convention=convention, school_year=meeting.school_year).first()
    return {
        "schema": SCHEMA,
        "variant": "public" if public else "full",
        "convention": {"title": convention.title, "reference": convention.reference},
        "meeting": {
            "kind_label": meeting.get_kind_display(),
            "status_label": meeting.get_status_display(),
            "held": meeting.status == MeetingStatus.HELD,
            "year_label": meeting.year.label,
            "date_display": _date(timezone.localtime(meeting.starts_at).date()) if meeting.starts_at else "",
            "time_display": _time(meeting),
            "place": text(meeting.place),
            "host": str(meeting.host) if meeting.host_id else "",
            "due_on_display": _date(meeting.due_on),
        },
        "attendance": [_attendance(row, public) for row in attendances],
        "agenda": [
            {"title": text(item.get("title", "")), "detail": text(item.get("detail", ""))}
            for item in meeting.agenda or []
        ],
        "inventory": text(meeting.inventory),
        "minutes": text(meeting.minutes),
        "decisions": [{"number": d.number, "text": text(d.text)} for d in decisions],
        "corrective_actions": [
            {
                "title": text(a.title),
                "owner": owner_text(a, public),
                "due_on_display": _date(a.due_on),
                "status_label": a.get_status_display(),
                "detail": text(a.detail),
            }
            for a in decided
        ],
        "reviewed_actions": [
            {
                "title": text(a.title),
                "owner": owner_text(a, public),
                "due_on_display": _date(a.due_on),
                "status_label": a.get_status_display(),
                "review_note": text(a.review_note),
                "decided_display": _decided(a.meeting),
            }
            for a in reviewed
        ],
        "review": {"year_label": review.year.label, "status_label": review.get_status_display()} if review else None,
    }


def _decided(meeting: Meeting) -> str:
    if meeting.starts_at:
        return f"Décidée au comité du {french(timezone.localtime(meeting.starts_at).date())}"
    return f"Décidée au {meeting.get_kind_display().lower()} ({meeting.year.label})"
