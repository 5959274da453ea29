"""Meetings of the steering committee: due dates, scheduling, invitations, attendance, minutes,
decisions and corrective actions.

Every change goes through a function here, in one transaction; the e-mails (invitations,
cancellations) leave after the commit. A meeting carries a ``version`` (optimistic locking) and
the calendar invitation's ``uid`` and ``sequence``: a change of date or place of a meeting already
announced raises the sequence, so that the next invitation replaces the event in the agendas.
"""

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from partenariats.activities import services as activities
from partenariats.activities.models import Action, Plan, PlanStatus
from partenariats.conventions.deadlines import STEERING_COMMITTEE, Deadline, deadlines_of
from partenariats.conventions.models import Convention, Party
from partenariats.core.school_year import SchoolYear
from partenariats.directory.models import Organisation, Person
from partenariats.steering import invitations
from partenariats.steering.models import (
    OPEN_CORRECTIVE,
    Attendance,
    AttendanceStatus,
    CommitteeMember,
    CorrectiveAction,
    CorrectiveStatus,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
)
from partenariats.terms.dates import french

# The meetings that answer the yearly deadline (an extraordinary one does not).
CYCLE_KINDS = (MeetingKind.FIRST, MeetingKind.YEARLY)
CLOSED_CORRECTIVE = (CorrectiveStatus.DONE, CorrectiveStatus.DROPPED)
# A committee meeting in June, July or August reviews the school year that is ending.
ENDING_MONTHS = (6, 7, 8)
# How long after its date a yearly deadline not yet answered is still offered (a late committee).
OVERDUE_SHOWN = timedelta(days=92)
AHEAD_SHOWN = timedelta(days=2 * 366)
MAX_AGENDA_ITEMS = 30
MAX_AGENDA_TITLE = 300
MAX_AGENDA_DETAIL = 1000
# Convocations sent again this soon, for a meeting unchanged since, are a double click: refused.
RESEND_GUARD = timedelta(minutes=10)
VIDEO_LINK_MAX = Meeting._meta.get_field("video_link").max_length


class MeetingError(Exception):
    """The change makes no sense now; the message (French) says why."""


class StaleVersion(Exception):
    """The meeting changed since the form was opened: the change is refused, not merged."""


STALE = (
    "La réunion a été modifiée entre-temps par quelqu’un d’autre : rien n’a été enregistré. Vérifiez puis recommencez."
)


# --- Dates ----------------------------------------------------------------------------------


def school_year_reviewed(due_on: date) -> SchoolYear:
    """The school year a committee due on ``due_on`` reviews: the one ending then (June to
    August), else the last one that ended before."""
    year = SchoolYear.of(due_on)
    return year if due_on.month in ENDING_MONTHS else year.previous()


def time_text(moment: datetime) -> str:
    """« 14 h 30 », « 9 h » in Paris time."""
    local = timezone.localtime(moment)
    return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"


def meeting_day(meeting: Meeting) -> date | None:
    return timezone.localtime(meeting.starts_at).date() if meeting.starts_at else None


def convened_label(meeting_start: datetime, place: str) -> str:
    day = timezone.localtime(meeting_start).date()
    label = f"Comité de pilotage convoqué le {french(day)} à {time_text(meeting_start)}"
    return f"{label} ({place})" if place else label


def settle_committee_deadlines(deadlines: list[Deadline]) -> list[Deadline]:
    """The yearly committee deadlines, once the meetings are known: one already held is dropped,
    one scheduled is announced at its date and place. One query for all of them."""
    if not deadlines:
        return deadlines
    # The same single query whether or not a committee is among the deadlines: the pages that
    # settle them keep a number of queries that does not depend on the data.
    rows = Meeting.objects.filter(
        convention_id__in={d.convention.pk for d in deadlines},
        due_on__range=(min(d.due_on for d in deadlines), max(d.due_on for d in deadlines)),
        kind__in=CYCLE_KINDS,
        status__in=(MeetingStatus.HELD, MeetingStatus.SCHEDULED),
    ).values_list("convention_id", "due_on", "status", "starts_at", "place")
    meetings: dict[tuple[int, date], tuple[str, datetime | None, str]] = {}
    for convention_id, due_on, status, starts_at, place in rows:
        known = meetings.get((convention_id, due_on))
        # A held meeting settles the deadline, whatever else was planned for it.
        if known is None or status == MeetingStatus.HELD:
            meetings[(convention_id, due_on)] = (status, starts_at, place)
    settled = []
    for deadline in deadlines:
        found = meetings.get((deadline.convention.pk, deadline.due_on)) if deadline.kind == STEERING_COMMITTEE else None
        if found is None:
            settled.append(deadline)
            continue
        status, starts_at, place = found
        if status == MeetingStatus.HELD:
            continue
        if starts_at is None:
            settled.append(deadline)
            continue
        settled.append(
            dataclasses.replace(
                deadline, due_on=timezone.localtime(starts_at).date(), label=convened_label(starts_at, place)
            )
        )
    return settled


def open_due_dates(convention: Convention, today: date, meetings: list[Meeting]) -> list[date]:
    """The yearly committee dates from a year ago to two years ahead not yet answered by a meeting
    (one cancelled does not count), the soonest first."""
    taken = {m.due_on for m in meetings if m.kind in CYCLE_KINDS and m.status != MeetingStatus.CANCELLED}
    found = deadlines_of(
        convention, today, start=today - OVERDUE_SHOWN, end=today + AHEAD_SHOWN, kinds=[STEERING_COMMITTEE]
    )
    return [d.due_on for d in found if d.due_on not in taken]


# --- The agenda -----------------------------------------------------------------------------


def agenda_item(title: str, detail: str = "") -> dict:
    return {"title": title, "detail": detail}


AXIS_DETAIL = "Axe du plan"


def _axis_title(article) -> str:
    """An article as an agenda title that survives the textarea (« titre : précision »): one line,
    no « : » (which would split it), within the title's length."""
    title = " ".join(str(article).split()).replace(":", " –")
    title = " ".join(title.split()).lstrip("-•* ")
    if len(title) > MAX_AGENDA_TITLE:
        title = title[: MAX_AGENDA_TITLE - 1].rstrip() + "…"
    return title or "Axe du plan"


def agenda_template(
    convention: Convention, kind: str, year: SchoolYear, *, open_actions: bool, plan: Plan | None
) -> list[dict]:
    """The agenda a new meeting starts from: welcome, (état des lieux), the year's review, one item
    per axis of the year's plan, corrective actions, decisions, next year's plan, other business."""
    items = [agenda_item("Accueil et adoption de l’ordre du jour")]
    if kind == MeetingKind.FIRST:
        items.append(agenda_item("État des lieux des actions déjà menées ensemble"))
    items.append(agenda_item(f"Bilan de l’année scolaire {year.label}"))
    if plan is not None:
        seen = set()
        actions = Action.objects.filter(plan=plan).select_related("article").order_by("article__position", "number")
        for action in actions:
            if action.article_id and action.article_id not in seen:
                seen.add(action.article_id)
                items.append(agenda_item(_axis_title(action.article), AXIS_DETAIL))
    if open_actions:
        items.append(agenda_item("Suivi des actions correctives"))
    items.append(agenda_item("Décisions"))
    items.append(agenda_item(f"Plan de partenariat {year.next().label}"))
    items.append(agenda_item("Questions diverses"))
    return items


AGENDA_SEPARATOR = re.compile(r"\s+:\s+|:\s+")


def agenda_to_text(items: list[dict]) -> str:
    """One item per line, « titre : précision »: ``parse_agenda`` reads it back as ``items`` (for
    one-line titles without « : »)."""
    return "\n".join(f"{i['title']} : {i['detail']}" if i.get("detail") else i["title"] for i in items)


def parse_agenda(text: str) -> list[dict]:
    """The agenda typed in a textarea, one item per line, « titre : précision » (plain text)."""
    items = []
    for raw in (text or "").splitlines():
        line = " ".join(raw.split()).lstrip("-•* ").strip()
        if not line:
            continue
        parts = AGENDA_SEPARATOR.split(line, maxsplit=1)
        title, detail = (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else (line, "")
        if not title:
            title, detail = detail, ""
        if len(title) > MAX_AGENDA_TITLE or len(detail) > MAX_AGENDA_DETAIL:
            raise MeetingError(
                f"Un point de l’ordre du jour est trop long ({MAX_AGENDA_TITLE} caractères pour le titre, "
                f"{MAX_AGENDA_DETAIL} pour la précision)."
            )
        items.append(agenda_item(title, detail))
    if len(items) > MAX_AGENDA_ITEMS:
        raise MeetingError(f"L’ordre du jour compte plus de {MAX_AGENDA_ITEMS} points : regroupez-les.")
    return items


# --- The committee ---------------------------------------------------------------------------


@transaction.atomic
def save_member(
    convention: Convention,
    member: CommitteeMember | None,
    *,
    person: Person,
    party: Party | None,
    role: str,
    title: str,
    today: date,
) -> CommitteeMember:
    """Add a member (a former member in the same role sits again) or change one."""
    if party is not None and party.convention_id != convention.pk:
        raise MeetingError("Cette partie n’est pas partie à la convention.")
    clash = CommitteeMember.objects.filter(convention=convention, person=person, role=role)
    if member is not None:
        clash = clash.exclude(pk=member.pk)
    former = clash.first()
    if former is not None and (member is not None or former.is_current):
        raise MeetingError(f"{person} siège déjà au comité dans ce rôle.")
    if member is None and former is not None:
        member, former.ended_on, former.started_on = former, None, today
    if member is None:
        position = (convention.committee_members.aggregate(n=Max("position"))["n"] or 0) + 1
        member = CommitteeMember(convention=convention, started_on=today, position=position)
    member.person, member.party, member.role, member.title = person, party, role, title.strip()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a double submit that slipped past the check above
        raise MeetingError(f"{person} siège déjà au comité dans ce rôle.") from exc
    return member


@transaction.atomic
def end_member(member: CommitteeMember, *, today: date) -> CommitteeMember:
    """The member no longer sits (kept, with the date, for the past meetings' attendance)."""
    if member.ended_on is not None:
        raise MeetingError(f"{member.person} ne siège plus depuis le {french(member.ended_on)}.")
    member.ended_on = today
    member.save(update_fields=["ended_on", "updated_at"])
    return member


def current_members(convention: Convention):
    return (
        CommitteeMember.objects.filter(convention=convention, ended_on__isnull=True)
        .select_related("person", "party__organisation")
        .order_by("position", "pk")
    )


def has_coordinator(members) -> bool:
    return any(m.role == MemberRole.COORDINATOR and m.is_current for m in members)


# --- Creating and scheduling a meeting -------------------------------------------------------


@transaction.atomic
def create_meeting(convention: Convention, *, due_on: date, extraordinary: bool = False) -> Meeting:
    """The meeting of the yearly cycle due on ``due_on`` (the first one is the installation
    committee, with the état des lieux), or an extraordinary meeting to hold by that date."""
    Convention.objects.select_for_update().filter(pk=convention.pk).first()  # one creation at a time
    existing = Meeting.objects.filter(convention=convention)
    if extraordinary:
        kind = MeetingKind.EXTRAORDINARY
    else:
        if existing.filter(kind__in=CYCLE_KINDS, due_on=due_on).exclude(status=MeetingStatus.CANCELLED).exists():
            raise MeetingError(f"Le comité à tenir avant le {french(due_on)} est déjà créé.")
        kind = MeetingKind.YEARLY if existing.exclude(status=MeetingStatus.CANCELLED).exists() else MeetingKind.FIRST
    year = school_year_reviewed(due_on)
    plan = Plan.objects.filter(convention=convention, school_year=year.start_year).first()
    open_actions = CorrectiveAction.objects.filter(convention=convention, status__in=OPEN_CORRECTIVE).exists()
    return Meeting.objects.create(
        convention=convention,
        kind=kind,
        school_year=year.start_year,
        due_on=due_on,
        agenda=agenda_template(convention, kind, year, open_actions=open_actions, plan=plan),
    )


@dataclass
class Schedule:
    """What ``meeting_update`` sets."""

    starts_at: datetime
    ends_at: datetime
    place: str = ""
    host: Organisation | None = None
    video_link: str = ""
    agenda: list[dict] = dataclasses.field(default_factory=list)


def _locked(meeting: Meeting, expected_version: int | None) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related("convention").get(pk=meeting.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(STALE)
    return locked


@transaction.atomic
def schedule_meeting(
    meeting: Meeting, schedule: Schedule, *, expected_version: int | None, now: datetime
) -> tuple[Meeting, bool]:
    """Set the date, place and agenda; the meeting is then scheduled. Returns the meeting and
    whether invitations already sent are now out of date (their sequence was raised)."""
    locked = _locked(meeting, expected_version)
    if locked.status == MeetingStatus.CANCELLED:
        raise MeetingError("Cette réunion est annulée : elle ne se modifie plus.")
    if schedule.ends_at <= schedule.starts_at:
        raise MeetingError("La fin de la réunion doit être après son début.")
    if len(schedule.video_link) > VIDEO_LINK_MAX:
        raise MeetingError(f"Le lien de visioconférence compte plus de {VIDEO_LINK_MAX} caractères.")
    if locked.status != MeetingStatus.HELD and schedule.starts_at < now and schedule.starts_at != locked.starts_at:
        raise MeetingError("Une réunion à venir ne peut pas être fixée à une date passée.")
    moved = (
        schedule.starts_at != locked.starts_at
        or schedule.ends_at != locked.ends_at
        or schedule.place != locked.place
        or (schedule.host.pk if schedule.host else None) != locked.host_id
        or schedule.video_link != locked.video_link
    )
    outdated = bool(moved and locked.invitations_sent_at)
    if schedule.starts_at != locked.starts_at:
        locked.reminder_sent_at = None  # moved: the new date gets its own reminder (``reminders``)
    locked.starts_at, locked.ends_at = schedule.starts_at, schedule.ends_at
    locked.place, locked.host, locked.video_link = schedule.place.strip(), schedule.host, schedule.video_link
    locked.agenda = schedule.agenda
    if locked.status == MeetingStatus.TO_SCHEDULE:
        locked.status = MeetingStatus.SCHEDULED
    if outdated:
        locked.sequence += 1
    locked.version += 1
    locked.save()
    return locked, outdated


def invited_members(meeting: Meeting):
    return (
        CommitteeMember.objects.filter(convention_id=meeting.convention_id, ended_on__isnull=True)
        .exclude(person__email="")
        .select_related("person", "party__organisation")
        .order_by("position", "pk")
    )


def _sequence_when_invited(meeting: Meeting) -> int | None:
    """The calendar sequence the last convocations were sent with (from the meeting's history)."""
    return (
        meeting.history.filter(invitations_sent_at=meeting.invitations_sent_at)
        .order_by("history_date", "history_id")
        .values_list("sequence", flat=True)
        .first()
    )


@transaction.atomic
def send_invitations(meeting: Meeting, *, now: datetime) -> int:
    """E-mail every current member with an address a convocation with its calendar invitation
    (after the commit); each is recorded as invited. Returns how many were sent."""
    locked = _locked(meeting, None)
    if locked.status != MeetingStatus.SCHEDULED or locked.starts_at is None:
        raise MeetingError("Fixez d’abord la date et l’heure de la réunion.")
    if locked.starts_at < now:
        raise MeetingError("La réunion est passée : les convocations ne s’envoient plus.")
    if (
        locked.invitations_sent_at is not None
        and now - locked.invitations_sent_at < RESEND_GUARD
        and _sequence_when_invited(locked) == locked.sequence
    ):
        raise MeetingError(
            f"Les convocations viennent d’être envoyées (à {time_text(locked.invitations_sent_at)}) et la réunion "
            "n’a pas changé depuis : elles ne sont pas renvoyées une seconde fois."
        )
    members = list(invited_members(locked))
    if not members:
        raise MeetingError("Aucun membre du comité n’a d’adresse électronique : ajoutez-en avant de convoquer.")
    already = set(Attendance.objects.filter(meeting=locked, member__in=members).values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=locked, member=member, status=AttendanceStatus.INVITED)
        for member in members
        if member.pk not in already
    )
    locked.invitations_sent_at = now
    locked.version += 1
    locked.save(update_fields=["invitations_sent_at", "version", "updated_at"])
    transaction.on_commit(
        partial(invitations.send_meeting_mails, locked.pk, [m.pk for m in members], invitations.REQUEST)
    )
    return len(members)


@transaction.atomic
def cancel_meeting(meeting: Meeting) -> Meeting:
    """Cancel a meeting not yet held; those invited receive the calendar cancellation."""
    locked = _locked(meeting, None)
    if locked.status == MeetingStatus.HELD:
        raise MeetingError("Cette réunion s’est tenue : elle ne peut plus être annulée.")
    if locked.status == MeetingStatus.CANCELLED:
        raise MeetingError("Cette réunion est déjà annulée.")
    locked.status = MeetingStatus.CANCELLED
    locked.version += 1
    if locked.invitations_sent_at:
        locked.sequence += 1
        invited = list(
            Attendance.objects.filter(meeting=locked, member__isnull=False)
            .exclude(member__person__email="")
            .values_list("member_id", flat=True)
        )
        if invited:
            transaction.on_commit(partial(invitations.send_meeting_mails, locked.pk, invited, invitations.CANCEL))
    locked.save()
    return locked


# --- Attendance and minutes ------------------------------------------------------------------


@dataclass
class AttendanceRow:
    """One line of the sheet: an attendance already recorded, a current member not yet on it, or a new guest."""

    status: str
    attendance: Attendance | None = None
    member: CommitteeMember | None = None
    represented_by: str = ""
    name: str = ""
    organisation_name: str = ""


@transaction.atomic
def save_attendance(meeting: Meeting, rows: list[AttendanceRow]) -> None:
    """Record who came: the members' presence and the guests named on the sheet."""
    locked = _locked(meeting, None)
    if locked.status == MeetingStatus.CANCELLED:
        raise MeetingError("Cette réunion est annulée.")
    for row in rows:
        represented_by = row.represented_by.strip() if row.status == AttendanceStatus.REPRESENTED else ""
        if row.status == AttendanceStatus.REPRESENTED and not represented_by:
            raise MeetingError("Indiquez par qui chaque membre représenté l’était.")
        attendance = row.attendance
        if attendance is None and row.member is not None:
            if row.member.convention_id != locked.convention_id:
                raise MeetingError("Cette personne ne siège pas au comité de cette convention.")
            attendance, _ = Attendance.objects.get_or_create(meeting=locked, member=row.member)
        elif attendance is None:
            if not row.name.strip():
                continue  # an empty guest line
            attendance = Attendance(meeting=locked)
        elif attendance.meeting_id != locked.pk:
            raise MeetingError("Cette ligne de présence n’est pas celle de la réunion.")
        if attendance.member_id is None:
            attendance.name = row.name.strip() or attendance.name
            attendance.organisation_name = row.organisation_name.strip() or attendance.organisation_name
            if not attendance.name:
                raise MeetingError("Indiquez le nom de chaque invité·e.")
        attendance.status, attendance.represented_by = row.status, represented_by
        attendance.save()


@transaction.atomic
def save_minutes(
    meeting: Meeting, *, minutes: str, inventory: str, mark_held: bool, expected_version: int | None, today: date
) -> Meeting:
    """Write the minutes (and the état des lieux); « tenu » only once the meeting's day has come."""
    locked = _locked(meeting, expected_version)
    if locked.status == MeetingStatus.CANCELLED:
        raise MeetingError("Cette réunion est annulée.")
    if mark_held and locked.status != MeetingStatus.HELD:
        day = meeting_day(locked)
        if day is None:
            raise MeetingError("Fixez d’abord la date de la réunion.")
        if day > today:
            raise MeetingError(f"La réunion est fixée au {french(day)} : elle ne peut pas encore être marquée tenue.")
        locked.status = MeetingStatus.HELD
    locked.minutes, locked.inventory = minutes.strip(), inventory.strip()
    locked.version += 1
    locked.save()
    return locked


# --- Decisions and corrective actions ----------------------------------------------------------


@transaction.atomic
def add_decision(
    meeting: Meeting, *, text: str, adopted_plan: Plan | None, confidential: bool, today: date
) -> Decision:
    """A new decision, numbered after the meeting's last; adopting a draft plan records its
    adoption on the meeting's date."""
    locked = _locked(meeting, None)
    if locked.status == MeetingStatus.CANCELLED:
        raise MeetingError("Cette réunion est annulée : elle ne prend pas de décision.")
    if not text.strip():
        raise MeetingError("Écrivez la décision.")
    if adopted_plan is not None:
        if adopted_plan.convention_id != locked.convention_id:
            raise MeetingError("Ce plan n’est pas un plan de la convention.")
        if adopted_plan.status != PlanStatus.ADOPTED:
            try:
                activities.adopt_plan(
                    adopted_plan, on=meeting_day(locked) or today, expected_version=adopted_plan.version
                )
            except (activities.StaleVersion, activities.ChangeRefused) as exc:
                raise MeetingError(str(exc) or "Le plan a changé entre-temps : recommencez.") from exc
    number = (locked.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    return Decision.objects.create(
        meeting=locked, number=number, text=text.strip(), adopted_plan=adopted_plan, confidential=confidential
    )


def decision_revision(decision: Decision) -> int:
    """The decision's last recorded change (its history), for optimistic locking: the form carries it."""
    return decision.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


DECISION_STALE = (
    "Cette décision a été corrigée entre-temps par quelqu’un d’autre : rechargez la page pour voir "
    "le texte à jour, puis recommencez."
)


@transaction.atomic
def correct_decision(decision: Decision, *, text: str, confidential: bool, expected_revision: int | None) -> Decision:
    """Correct a decision's text or confidentiality (a decision is corrected, never removed; its
    history keeps each earlier text). Its number and the plan it adopted stay."""
    locked = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if expected_revision is not None and decision_revision(locked) != expected_revision:
        raise StaleVersion(DECISION_STALE)
    if locked.meeting.status == MeetingStatus.CANCELLED:
        raise MeetingError("Cette réunion est annulée : ses décisions ne se modifient plus.")
    text = text.strip()
    if not text:
        raise MeetingError("Écrivez la décision.")
    if text == locked.text and confidential == locked.confidential:
        return locked
    locked.text, locked.confidential = text, confidential
    locked.save()
    return locked


@dataclass
class CorrectiveInput:
    title: str
    detail: str = ""
    owner_party: Party | None = None
    owner_name: str = ""
    due_on: date | None = None
    status: str = CorrectiveStatus.OPEN
    confidential: bool = False
    decision: Decision | None = None


def _closed_on(status: str, current: date | None, today: date) -> date | None:
    if status in CLOSED_CORRECTIVE:
        return current or today
    return None


@transaction.atomic
def add_corrective(meeting: Meeting, data: CorrectiveInput, *, today: date) -> CorrectiveAction:
    """A corrective action decided at ``meeting``."""
    locked = _locked(meeting, None)
    if locked.status == MeetingStatus.CANCELLED:
        raise MeetingError("Cette réunion est annulée : elle ne décide aucune action.")
    if data.owner_party is not None and data.owner_party.convention_id != locked.convention_id:
        raise MeetingError("Cette partie n’est pas partie à la convention.")
    if data.decision is not None and data.decision.meeting_id != locked.pk:
        raise MeetingError("Cette décision n’a pas été prise à cette réunion.")
    return CorrectiveAction.objects.create(
        convention_id=locked.convention_id,
        meeting=locked,
        decision=data.decision,
        title=data.title.strip(),
        detail=data.detail.strip(),
        owner_party=data.owner_party,
        owner_name=data.owner_name.strip(),
        due_on=data.due_on,
        status=data.status,
        closed_on=_closed_on(data.status, None, today),
        confidential=data.confidential,
    )


@transaction.atomic
def review_corrective(
    action: CorrectiveAction, *, status: str, review_note: str, at_meeting: Meeting | None, today: date
) -> CorrectiveAction:
    """Record where a corrective action stands; reviewed at a later meeting, that meeting is kept."""
    locked = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if at_meeting is not None:
        if at_meeting.convention_id != locked.convention_id:
            raise MeetingError("Cette réunion n’est pas une réunion de la convention.")
        if at_meeting.status == MeetingStatus.CANCELLED:
            raise MeetingError("Cette réunion est annulée.")
        locked.reviewed_at = at_meeting
    locked.status = status
    locked.review_note = review_note.strip()
    locked.closed_on = _closed_on(status, locked.closed_on, today)
    locked.save()
    return locked


def earlier_open_actions(meeting: Meeting):
    """The corrective actions of earlier meetings to review at this one: still open, or reviewed here."""
    earlier = Q(meeting__starts_at__lt=meeting.starts_at) if meeting.starts_at else Q(meeting__pk__lt=meeting.pk)
    return (
        CorrectiveAction.objects.filter(convention_id=meeting.convention_id)
        .exclude(meeting=meeting)
        .filter(earlier | Q(meeting__starts_at__isnull=True, meeting__pk__lt=meeting.pk))
        .filter(Q(status__in=OPEN_CORRECTIVE) | Q(reviewed_at=meeting))
        .select_related("meeting", "owner_party__organisation")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
