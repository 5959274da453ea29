"""The committee of a convention and its meetings: members, scheduling, convocations, attendance,
minutes, decisions and corrective actions.

Whoever reads the convention reads its committee (members' contact details and confidential
items only for the parties' staff); whoever may edit the convention changes it.
"""

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from partenariats.conventions.models import Convention
from partenariats.core.templatetags.french import plural
from partenariats.steering import invitations, meetings, minutes, renderings
from partenariats.steering.access import editable_convention, may_edit, posted_version, readable_convention
from partenariats.steering.forms_meetings import (
    AttendanceForm,
    CorrectiveForm,
    CorrectiveReviewForm,
    DecisionCorrectionForm,
    DecisionForm,
    GuestFormSet,
    MeetingCreateForm,
    MeetingScheduleForm,
    MemberForm,
    MinutesForm,
)
from partenariats.steering.meetings import AttendanceRow, CorrectiveInput, MeetingError, StaleVersion
from partenariats.steering.models import (
    OPEN_CORRECTIVE,
    Attendance,
    AttendanceStatus,
    CommitteeMember,
    CorrectiveAction,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Review,
)

MEETING_BADGES = {
    MeetingStatus.TO_SCHEDULE: "fr-badge--info",
    MeetingStatus.SCHEDULED: "fr-badge--new",
    MeetingStatus.HELD: "fr-badge--success",
    MeetingStatus.CANCELLED: "fr-badge--error",
}
CORRECTIVE_BADGES = {"open": "fr-badge--warning", "in_progress": "fr-badge--info", "done": "fr-badge--success"}


# --- Helpers -----------------------------------------------------------------------------------


def _meeting(convention: Convention, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("host"), convention=convention, pk=pk)
    meeting.convention = convention
    return meeting


def _crumbs(convention: Convention, current: str, meeting: Meeting | None = None) -> dict:
    links = [
        {"url": reverse("conventions:convention_list"), "title": "Conventions"},
        {"url": convention.get_absolute_url(), "title": str(convention)},
        {"url": reverse("steering:committee", args=[convention.pk]), "title": "Comité de pilotage"},
    ]
    if meeting is not None:
        links.append({"url": meeting.get_absolute_url(), "title": meeting_title(meeting)})
    return {"links": links, "current": current}


def meeting_title(meeting: Meeting) -> str:
    if meeting.starts_at:
        return f"{meeting.get_kind_display()} du {timezone.localtime(meeting.starts_at):%d/%m/%Y}"
    return f"{meeting.get_kind_display()} {meeting.year.label}"


def _decorate(meeting: Meeting) -> Meeting:
    meeting.badge_class = MEETING_BADGES.get(meeting.status, "")
    meeting.title = meeting_title(meeting)
    return meeting


def _redirect_meeting(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(meeting.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# --- The committee page ------------------------------------------------------------------------


@require_safe
def committee(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = readable_convention(request, convention_pk)
    party_staff = convention.is_party_staff(request.user)
    today = timezone.localdate()
    parties = list(convention.parties.select_related("organisation").order_by("position", "pk"))
    members = list(
        CommitteeMember.objects.filter(convention=convention)
        .select_related("person", "party__organisation")
        .order_by("position", "pk")
    )
    current = [m for m in members if m.is_current]
    groups = [
        {
            "title": str(party.organisation),
            "caption": f"Membres – {party.organisation}",
            "members": [m for m in current if m.party_id == party.pk],
        }
        for party in parties
    ]
    groups = [g for g in groups if g["members"]]
    experts = [m for m in current if m.party_id is None]
    if experts:
        groups.append({"title": "Experts et invités", "caption": "Membres – experts et invités", "members": experts})
    meeting_list = [_decorate(m) for m in Meeting.objects.filter(convention=convention).order_by("-due_on", "-pk")]
    open_dates = meetings.open_due_dates(convention, today, meeting_list)
    actions = CorrectiveAction.objects.filter(convention=convention, status__in=OPEN_CORRECTIVE).select_related(
        "owner_party__organisation", "meeting"
    )
    if not party_staff:
        actions = actions.filter(confidential=False)
    shown_actions = [_decorate_action(a) for a in actions]
    _shown_texts(None, [], shown_actions, public=not party_staff, convention=convention)
    reviewed_years = set(Review.objects.filter(convention=convention).values_list("school_year", flat=True))
    for meeting in meeting_list:
        meeting.has_review = meeting.school_year in reviewed_years
    title = "Comité de pilotage"
    return render(
        request,
        "steering/committee.html",
        {
            "title": title,
            "convention": convention,
            "groups": groups,
            "past_members": [m for m in members if not m.is_current],
            "has_coordinator": meetings.has_coordinator(current),
            "meetings": meeting_list,
            "next_due": open_dates[0] if open_dates else None,
            "upcoming": _upcoming(meeting_list),
            "today": today,
            "actions": shown_actions,
            "can_edit": may_edit(request.user, convention),
            "party_staff": party_staff,
            "breadcrumb_data": {
                "links": _crumbs(convention, title)["links"][:2],
                "current": title,
            },
        },
    )


def _upcoming(meeting_list: list[Meeting]) -> Meeting | None:
    """The next meeting still to hold (to schedule or scheduled), if any."""
    pending = [m for m in meeting_list if m.status in (MeetingStatus.TO_SCHEDULE, MeetingStatus.SCHEDULED)]
    pending.sort(key=lambda m: (m.starts_at is None, m.starts_at or timezone.now(), m.due_on or timezone.localdate()))
    return pending[0] if pending else None


def _decorate_action(action: CorrectiveAction) -> CorrectiveAction:
    action.badge_class = CORRECTIVE_BADGES.get(action.status, "")
    return action


# --- Members ---------------------------------------------------------------------------------------


def _member_form(request: HttpRequest, convention: Convention, member: CommitteeMember | None) -> HttpResponse:
    initial = {}
    if member is not None:
        initial = {"person": member.person_id, "party": member.party_id, "role": member.role, "title": member.title}
    form = MemberForm(request.POST or None, initial=initial, convention=convention, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = meetings.save_member(
                convention,
                member,
                person=data["person"],
                party=data["party"],
                role=data["role"],
                title=data["title"],
                today=timezone.localdate(),
            )
        except MeetingError as refused:
            form.add_error(None, str(refused))
        else:
            done = "modifié" if member else "ajouté"
            messages.success(request, f"{saved.person} : membre du comité {done}.")
            return redirect("steering:committee", convention.pk)
    title = "Modifier un membre du comité" if member else "Ajouter un membre au comité"
    return render(
        request,
        "steering/member_form.html",
        {
            "title": title,
            "convention": convention,
            "form": form,
            "member": member,
            "breadcrumb_data": _crumbs(convention, title),
        },
        status=422 if request.method == "POST" else 200,
    )


def member_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    return _member_form(request, editable_convention(request, convention_pk), None)


def member_update(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    member = get_object_or_404(CommitteeMember.objects.select_related("person"), convention=convention, pk=pk)
    return _member_form(request, convention, member)


@require_POST
def member_end(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    member = get_object_or_404(CommitteeMember.objects.select_related("person"), convention=convention, pk=pk)
    try:
        meetings.end_member(member, today=timezone.localdate())
    except MeetingError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{member.person} ne siège plus au comité.")
    return redirect("steering:committee", convention.pk)


# --- Creating and scheduling meetings -------------------------------------------------------------


def meeting_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    existing = list(Meeting.objects.filter(convention=convention))
    open_dates = meetings.open_due_dates(convention, timezone.localdate(), existing)
    initial = {"due_on": open_dates[0]} if open_dates else {"extraordinary": True}
    form = MeetingCreateForm(request.POST or None, initial=initial, open_dates=open_dates)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.create_meeting(
                convention, due_on=form.cleaned_data["due_on"], extraordinary=form.cleaned_data["extraordinary"]
            )
        except MeetingError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{meeting.get_kind_display()} créé : fixez sa date et son lieu.")
            return redirect("steering:meeting_update", convention.pk, meeting.pk)
    title = "Planifier le comité de pilotage"
    return render(
        request,
        "steering/meeting_create.html",
        {
            "title": title,
            "convention": convention,
            "form": form,
            "open_dates": open_dates,
            "first": not any(m.status != MeetingStatus.CANCELLED for m in existing),
            "breadcrumb_data": _crumbs(convention, title),
        },
        status=422 if request.method == "POST" else 200,
    )


def meeting_update(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    if meeting.status == MeetingStatus.CANCELLED:
        messages.error(request, "Cette réunion est annulée : elle ne se modifie plus.")
        return _redirect_meeting(meeting)
    initial = {
        "place": meeting.place,
        "host": meeting.host_id,
        "video_link": meeting.video_link,
        "agenda": meetings.agenda_to_text(meeting.agenda or []),
        "version": meeting.version,
    }
    if meeting.starts_at:
        start = timezone.localtime(meeting.starts_at)
        initial.update(day=start.date(), start_time=start.time())
        if meeting.ends_at:
            initial["end_time"] = timezone.localtime(meeting.ends_at).time()
    form = MeetingScheduleForm(
        request.POST or None, initial=initial, convention=convention, user=request.user, meeting=meeting
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved, outdated = meetings.schedule_meeting(
                meeting, form.schedule(), expected_version=posted_version(request), now=timezone.now()
            )
        except (MeetingError, StaleVersion) as refused:
            form.add_error(None, str(refused))
        else:
            done = "La réunion est enregistrée."
            if outdated:
                done += " Les convocations déjà envoyées ne sont plus à jour : renvoyez-les."
            messages.success(request, done)
            return _redirect_meeting(saved)
    title = "Date, lieu et ordre du jour"
    return render(
        request,
        "steering/meeting_form.html",
        {
            "title": title,
            "convention": convention,
            "meeting": _decorate(meeting),
            "form": form,
            "breadcrumb_data": _crumbs(convention, title, meeting),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def meeting_invite(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    try:
        count = meetings.send_invitations(meeting, now=timezone.now())
    except MeetingError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"Convocation envoyée à {count} membre{plural(count)} du comité, avec l’invitation d’agenda."
        )
    return _redirect_meeting(meeting, "presences")


@require_POST
def meeting_cancel(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    try:
        meetings.cancel_meeting(meeting)
    except MeetingError as refused:
        messages.error(request, str(refused))
    else:
        done = "La réunion est annulée."
        if meeting.invitations_sent_at:
            done += " Les membres convoqués reçoivent l’annulation."
        messages.success(request, done)
    return _redirect_meeting(meeting)


@require_safe
def meeting_ics(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = readable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    if meeting.starts_at is None:
        raise Http404("La réunion n’a pas encore de date.")
    method = invitations.CANCEL if meeting.status == MeetingStatus.CANCELLED else invitations.REQUEST
    # The attendees' addresses are the members' contact details: the parties' staff only.
    members = list(meetings.invited_members(meeting)) if convention.is_party_staff(request.user) else []
    body = invitations.build_ics(meeting, members, method=method)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invitations.ics_filename(meeting)}"'
    return response


# --- The meeting page ----------------------------------------------------------------------------


@require_safe
def meeting_detail(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = readable_convention(request, convention_pk)
    meeting = _decorate(_meeting(convention, meeting_pk))
    party_staff = convention.is_party_staff(request.user)
    can_edit = may_edit(request.user, convention)
    attendances = list(
        Attendance.objects.filter(meeting=meeting).select_related("member__person", "member__party__organisation")
    )
    decisions = meeting.decisions.select_related("adopted_plan")
    decided = (
        CorrectiveAction.objects.filter(meeting=meeting)
        .select_related("owner_party__organisation")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    earlier = meetings.earlier_open_actions(meeting)
    if not party_staff:
        decisions = decisions.filter(confidential=False)
        decided = decided.filter(confidential=False)
        earlier = earlier.filter(confidential=False)
    earlier = [_decorate_action(a) for a in earlier]
    decisions, decided = list(decisions), [_decorate_action(a) for a in decided]
    _shown_texts(meeting, decisions, decided + earlier, public=not party_staff)
    if can_edit and meeting.status != MeetingStatus.CANCELLED:
        for action in earlier:
            action.review_form = CorrectiveReviewForm(
                initial={"status": action.status, "review_note": action.review_note, "meeting": meeting.pk},
                prefix=f"action-{action.pk}",
            )
    review = Review.objects.filter(convention=convention, school_year=meeting.school_year).first()
    return render(
        request,
        "steering/meeting_detail.html",
        {
            "title": meeting.title,
            "convention": convention,
            "meeting": meeting,
            "can_edit": can_edit,
            "party_staff": party_staff,
            "attendances": attendances,
            "decisions": decisions,
            "corrective_actions": decided,
            "earlier_actions": earlier,
            "review": review,
            "renderings": renderings.listed(
                meeting.renderings.all(), may_edit=can_edit, party_staff=party_staff, meeting=meeting
            ),
            "is_first": meeting.kind == MeetingKind.FIRST,
            "breadcrumb_data": _crumbs(convention, meeting.title),
        },
    )


def _shown_texts(meeting: Meeting | None, decisions, actions, *, public: bool, convention=None) -> None:
    """Set the texts a page shows (``shown_*``): as written for the parties' staff; for the other
    readers the public version's (no e-mail address, telephone or known name; no person answering
    for a corrective action), as in the public minutes (``minutes.minutes_content``)."""
    if public:
        text = minutes.public_scrubber(convention or meeting.convention, meeting)
    else:

        def text(value):
            return value or ""

    if meeting is not None:
        meeting.shown_minutes = text(meeting.minutes)
        meeting.shown_inventory = text(meeting.inventory)
        meeting.shown_place = text(meeting.place)
        meeting.shown_agenda = [
            {"title": text(item.get("title", "")), "detail": text(item.get("detail", ""))}
            for item in meeting.agenda or []
        ]
    for decision in decisions:
        decision.shown_text = text(decision.text)
    for action in actions:
        action.shown_title = text(action.title)
        action.shown_owner = minutes.owner_text(action, public)
        action.shown_detail = text(action.detail)
        action.shown_review_note = text(action.review_note)


# --- Attendance and minutes -----------------------------------------------------------------------


def _attendance_rows(meeting: Meeting) -> list[tuple[str, Attendance | None, CommitteeMember | None]]:
    """The sheet: every recorded line, then the current members not yet on it."""
    recorded = list(
        Attendance.objects.filter(meeting=meeting).select_related("member__person", "member__party__organisation")
    )
    on_sheet = {a.member_id for a in recorded if a.member_id}
    missing = (
        CommitteeMember.objects.filter(convention_id=meeting.convention_id, ended_on__isnull=True)
        .exclude(pk__in=on_sheet)
        .select_related("person", "party__organisation")
    )
    return [(f"a{a.pk}", a, a.member) for a in recorded] + [(f"m{m.pk}", None, m) for m in missing]


def meeting_attendance(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    if meeting.status == MeetingStatus.CANCELLED:
        messages.error(request, "Cette réunion est annulée.")
        return _redirect_meeting(meeting)
    data = request.POST if request.method == "POST" else None
    lines = []
    for prefix, attendance, member in _attendance_rows(meeting):
        initial = {
            "status": attendance.status if attendance else AttendanceStatus.INVITED,
            "represented_by": attendance.represented_by if attendance else "",
        }
        lines.append((AttendanceForm(data, initial=initial, prefix=prefix), attendance, member))
    guests = GuestFormSet(data, prefix="invites")
    if request.method == "POST" and all(form.is_valid() for form, _, _ in lines) and guests.is_valid():
        rows = [
            AttendanceRow(
                attendance=attendance,
                member=member if attendance is None else None,
                status=form.cleaned_data["status"],
                represented_by=form.cleaned_data["represented_by"],
            )
            for form, attendance, member in lines
        ]
        rows += [
            AttendanceRow(
                status=g.cleaned_data.get("status") or AttendanceStatus.PRESENT,
                name=g.cleaned_data.get("name", ""),
                organisation_name=g.cleaned_data.get("organisation_name", ""),
            )
            for g in guests
            if g.cleaned_data.get("name")
        ]
        try:
            meetings.save_attendance(meeting, rows)
        except MeetingError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Les présences sont enregistrées.")
            return _redirect_meeting(meeting, "presences")
    title = "Feuille de présence"
    return render(
        request,
        "steering/meeting_attendance.html",
        {
            "title": title,
            "convention": convention,
            "meeting": _decorate(meeting),
            "lines": lines,
            "guests": guests,
            "breadcrumb_data": _crumbs(convention, title, meeting),
        },
        status=422 if request.method == "POST" else 200,
    )


def meeting_minutes(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    form = MinutesForm(
        request.POST or None,
        initial={"minutes": meeting.minutes, "inventory": meeting.inventory, "version": meeting.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = meetings.save_minutes(
                meeting,
                minutes=data["minutes"],
                inventory=data["inventory"],
                mark_held=data["mark_held"],
                expected_version=posted_version(request),
                today=timezone.localdate(),
            )
        except (MeetingError, StaleVersion) as refused:
            form.add_error(None, str(refused))
        else:
            done = "Le compte rendu est enregistré."
            if saved.status == MeetingStatus.HELD and data["mark_held"]:
                done += " La réunion est marquée comme tenue."
            messages.success(request, done)
            return _redirect_meeting(saved, "compte-rendu")
    title = "Compte rendu"
    return render(
        request,
        "steering/meeting_minutes.html",
        {
            "title": title,
            "convention": convention,
            "meeting": _decorate(meeting),
            "form": form,
            "with_inventory": meeting.kind == MeetingKind.FIRST or bool(meeting.inventory),
            "breadcrumb_data": _crumbs(convention, title, meeting),
        },
        status=422 if request.method == "POST" else 200,
    )


# --- Decisions and corrective actions -----------------------------------------------------------------


def decision_create(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    initial = {}
    wanted = request.GET.get("plan", "")
    if wanted.isdigit() and (plan := convention.plans.filter(pk=int(wanted)).first()):
        initial = {"adopted_plan": plan.pk, "text": f"Le comité adopte le plan de partenariat {plan.year.label}."}
    form = DecisionForm(request.POST or None, initial=initial, convention=convention)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = meetings.add_decision(
                meeting,
                text=data["text"],
                adopted_plan=data["adopted_plan"],
                confidential=data["confidential"],
                today=timezone.localdate(),
            )
        except MeetingError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Décision n° {decision.number} enregistrée.")
            return _redirect_meeting(meeting, "decisions")
    title = "Enregistrer une décision"
    return render(
        request,
        "steering/meeting_decision_form.html",
        {
            "title": title,
            "convention": convention,
            "meeting": _decorate(meeting),
            "form": form,
            "breadcrumb_data": _crumbs(convention, title, meeting),
        },
        status=422 if request.method == "POST" else 200,
    )


def decision_update(request: HttpRequest, convention_pk: int, meeting_pk: int, pk: int) -> HttpResponse:
    """Correct a decision's text or confidentiality (editors only; the history keeps the earlier text)."""
    convention = editable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    decision = get_object_or_404(Decision, meeting=meeting, pk=pk)
    initial = {
        "text": decision.text,
        "confidential": decision.confidential,
        "revision": meetings.decision_revision(decision),
    }
    form = DecisionCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meetings.correct_decision(
                decision, text=data["text"], confidential=data["confidential"], expected_revision=data["revision"]
            )
        except (MeetingError, StaleVersion) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Décision n° {decision.number} corrigée.")
            return _redirect_meeting(meeting, "decisions")
    title = f"Corriger la décision n° {decision.number}"
    return render(
        request,
        "steering/meeting_decision_update.html",
        {
            "title": title,
            "convention": convention,
            "meeting": _decorate(meeting),
            "decision": decision,
            "form": form,
            "breadcrumb_data": _crumbs(convention, title, meeting),
        },
        status=422 if request.method == "POST" else 200,
    )


def corrective_create(request: HttpRequest, convention_pk: int, meeting_pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    meeting = _meeting(convention, meeting_pk)
    form = CorrectiveForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meetings.add_corrective(
                meeting,
                CorrectiveInput(
                    title=data["title"],
                    detail=data["detail"],
                    owner_party=data["owner_party"],
                    owner_name=data["owner_name"],
                    due_on=data["due_on"],
                    status=data["status"],
                    confidential=data["confidential"],
                ),
                today=timezone.localdate(),
            )
        except MeetingError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Action corrective enregistrée : elle sera examinée au prochain comité.")
            return _redirect_meeting(meeting, "actions-correctives")
    title = "Décider une action corrective"
    return render(
        request,
        "steering/corrective_form.html",
        {
            "title": title,
            "convention": convention,
            "meeting": _decorate(meeting),
            "form": form,
            "breadcrumb_data": _crumbs(convention, title, meeting),
        },
        status=422 if request.method == "POST" else 200,
    )


def corrective_update(request: HttpRequest, convention_pk: int, pk: int) -> HttpResponse:
    convention = editable_convention(request, convention_pk)
    action = get_object_or_404(
        CorrectiveAction.objects.select_related("meeting", "owner_party__organisation"), convention=convention, pk=pk
    )
    data = request.POST if request.method == "POST" else None
    prefix = f"action-{action.pk}"
    form = CorrectiveReviewForm(
        data, initial={"status": action.status, "review_note": action.review_note}, prefix=prefix
    )
    if request.method == "POST" and form.is_valid():
        at_meeting = None
        if meeting_pk := form.cleaned_data.get("meeting"):
            at_meeting = get_object_or_404(Meeting, convention=convention, pk=meeting_pk)
        try:
            saved = meetings.review_corrective(
                action,
                status=form.cleaned_data["status"],
                review_note=form.cleaned_data["review_note"],
                at_meeting=at_meeting,
                today=timezone.localdate(),
            )
        except MeetingError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"« {saved.title} » : {saved.get_status_display().lower()}.")
            target = at_meeting or action.meeting
            target.convention = convention
            return _redirect_meeting(target, "actions-correctives")
    title = "Point d’avancement d’une action corrective"
    action.meeting.convention = convention
    return render(
        request,
        "steering/corrective_update.html",
        {
            "title": title,
            "convention": convention,
            "action": action,
            "form": form,
            "meeting": _decorate(action.meeting),
            "breadcrumb_data": _crumbs(convention, title, action.meeting),
        },
        status=422 if request.method == "POST" else 200,
    )
