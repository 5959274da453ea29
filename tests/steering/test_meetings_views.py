"""The committee and meeting pages: who sees what, who may change what, and the forms' answers."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.activities.models import PlanStatus
from partenariats.steering import meetings
from partenariats.steering.meetings import Schedule
from partenariats.steering.models import (
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
from tests.factories import AssignmentFactory, OrganisationFactory, PersonFactory, PlanFactory, UserFactory
from tests.steering.factories import CommitteeMemberFactory, CorrectiveActionFactory, DecisionFactory

D = datetime.date
PARIS = ZoneInfo("Europe/Paris")
HOSTILE = "<script>alert('x')</script>"


def at(day, hour):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def future_day(days=40) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def partner_staff(cycle):
    """Staff of the federation, a party: reads everything, changes nothing."""
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.PARTNER_STAFF, academy=None, organisation=cycle.federation.organisation)
    return user


@pytest.fixture
def network_reader(cycle, aix):
    """Staff of a confederation whose member is the federation: reads the convention, is no party."""
    confederation = OrganisationFactory(federation=True, academy=aix, name="Confédération Exemple")
    confederation.members.add(cycle.federation.organisation)
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.PARTNER_STAFF, academy=None, organisation=confederation)
    return user


@pytest.fixture
def meeting(cycle):
    meeting = meetings.create_meeting(cycle.convention, due_on=D(2027, 3, 18))
    day = future_day()
    return meetings.schedule_meeting(
        meeting,
        Schedule(starts_at=at(day, 14), ends_at=at(day, 16), place="Rectorat, salle 2", agenda=meeting.agenda),
        expected_version=meeting.version,
        now=timezone.now(),
    )[0]


def committee_url(cycle):
    return reverse("steering:committee", args=[cycle.convention.pk])


def url(name, meeting, *args):
    return reverse(f"steering:{name}", args=[meeting.convention_id, meeting.pk, *args])


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# --- The committee page -----------------------------------------------------------------------------


def test_party_staff_see_the_members_with_their_contact_details(client, cycle, academy_staff):
    client.force_login(academy_staff)
    page = client.get(committee_url(cycle)).content.decode()

    assert "Mathilde Exemple" in page
    assert "04 91 00 00 01" in page
    assert cycle.people[0].email in page
    assert "Aucun coordinateur académique désigné" not in page
    assert "Planifier le comité" in page
    assert "18/03/2027" in page or "18/03/2026" in page or "18/03/" in page


def test_other_readers_see_organisations_and_roles_only(client, cycle, network_reader):
    client.force_login(network_reader)
    response = client.get(committee_url(cycle))

    assert response.status_code == 200
    page = response.content.decode()
    for person in cycle.people:
        assert person.full_name not in page
        if person.email:
            assert person.email not in page
    assert "04 91 00 00 01" not in page
    assert str(cycle.federation.organisation) in page
    assert "Représentant·e d’une partie" in page
    assert "Planifier le comité" not in page


def test_each_member_s_buttons_name_the_member_for_screen_readers(client, cycle, academy_staff):
    client.force_login(academy_staff)
    page = " ".join(client.get(committee_url(cycle)).content.decode().split())

    name = cycle.committee[0].person.full_name
    assert f'Modifier<span class="fr-sr-only"> {name} </span>' in page
    assert f'Retirer<span class="fr-sr-only"> {name} </span>' in page


def test_a_committee_without_coordinator_says_so(client, cycle, academy_staff):
    meetings.end_member(cycle.committee[0], today=timezone.localdate())
    client.force_login(academy_staff)
    page = client.get(committee_url(cycle)).content.decode()
    assert "Aucun coordinateur académique désigné" in page
    assert "Anciens membres (1)" in page


def test_another_academys_staff_gets_a_404_everywhere(client, cycle, meeting, colleague_elsewhere):
    client.force_login(colleague_elsewhere)
    assert client.get(committee_url(cycle)).status_code == 404
    assert client.get(url("meeting_detail", meeting)).status_code == 404
    assert client.get(url("meeting_ics", meeting)).status_code == 404
    assert client.post(url("meeting_invite", meeting)).status_code == 404
    assert client.post(url("meeting_cancel", meeting)).status_code == 404
    assert client.post(reverse("steering:member_create", args=[cycle.convention.pk])).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_a_partner_reads_but_may_not_change(client, cycle, meeting, partner_staff):
    client.force_login(partner_staff)
    assert client.get(committee_url(cycle)).status_code == 200
    assert client.get(url("meeting_detail", meeting)).status_code == 200
    assert client.get(url("meeting_ics", meeting)).status_code == 200
    member = cycle.committee[1]
    forbidden = [
        reverse("steering:member_create", args=[cycle.convention.pk]),
        reverse("steering:member_update", args=[cycle.convention.pk, member.pk]),
        reverse("steering:member_end", args=[cycle.convention.pk, member.pk]),
        reverse("steering:meeting_create", args=[cycle.convention.pk]),
        url("meeting_update", meeting),
        url("meeting_invite", meeting),
        url("meeting_attendance", meeting),
        url("meeting_minutes", meeting),
        url("decision_create", meeting),
        url("corrective_create", meeting),
        url("meeting_cancel", meeting),
    ]
    for path in forbidden:
        assert client.post(path, {"text": "Décision", "title": "Action"}).status_code == 403, path
    assert mail.outbox == []
    member.refresh_from_db()
    assert member.ended_on is None
    assert not Decision.objects.exists()


def test_the_calendar_file_names_the_attendees_to_the_parties_only(client, cycle, meeting, network_reader):
    client.force_login(network_reader)
    download = client.get(url("meeting_ics", meeting))
    assert download.status_code == 200
    event = icalendar.Calendar.from_ical(download.content).walk("VEVENT")[0]
    assert "attendee" not in event
    assert b"@example.invalid" not in download.content.replace(b"ne-pas-repondre@example.invalid", b"")


def test_the_committee_page_keeps_a_constant_number_of_queries(client, cycle, meeting, academy_staff):
    client.force_login(academy_staff)
    CorrectiveActionFactory(meeting=meeting, owner_party=cycle.federation)
    before = queries(client, committee_url(cycle))
    for n in range(4):
        CommitteeMemberFactory(
            convention=cycle.convention, party=cycle.federation, person=PersonFactory(), position=10 + n
        )
        other = meetings.create_meeting(cycle.convention, due_on=D(2028 + n, 3, 18))
        CorrectiveActionFactory(meeting=other, owner_party=cycle.education)
    meetings.end_member(cycle.committee[3], today=timezone.localdate())
    assert queries(client, committee_url(cycle)) == before


# --- Members -------------------------------------------------------------------------------------


def test_staff_add_change_and_withdraw_a_member(client, cycle, academy_staff):
    client.force_login(academy_staff)
    person = PersonFactory(first_name="Inès", last_name="Nouvelle")
    create = reverse("steering:member_create", args=[cycle.convention.pk])
    response = client.post(
        create,
        {"person": person.pk, "party": cycle.federation.pk, "role": MemberRole.CORRESPONDENT, "title": "Chargée"},
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get(person=person)
    assert (member.party, member.role, member.title) == (cycle.federation, MemberRole.CORRESPONDENT, "Chargée")

    response = client.post(
        create, {"person": person.pk, "party": cycle.federation.pk, "role": MemberRole.CORRESPONDENT}
    )
    assert response.status_code == 422
    assert "siège déjà au comité dans ce rôle" in response.content.decode()

    update = reverse("steering:member_update", args=[cycle.convention.pk, member.pk])
    client.post(update, {"person": person.pk, "party": "", "role": MemberRole.EXPERT, "title": HOSTILE})
    member.refresh_from_db()
    assert member.party is None
    assert member.role == MemberRole.EXPERT
    page = client.get(committee_url(cycle)).content.decode()
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page

    assert client.get(reverse("steering:member_end", args=[cycle.convention.pk, member.pk])).status_code == 405
    client.post(reverse("steering:member_end", args=[cycle.convention.pk, member.pk]))
    member.refresh_from_db()
    assert member.ended_on == timezone.localdate()


def test_a_member_is_chosen_among_the_people_the_user_may_read(client, cycle, academy_staff, nice):
    hidden = PersonFactory(academy=nice, last_name="Cachée")
    client.force_login(academy_staff)
    create = reverse("steering:member_create", args=[cycle.convention.pk])
    assert "Cachée" not in client.get(create).content.decode()
    response = client.post(create, {"person": hidden.pk, "role": MemberRole.EXPERT})
    assert response.status_code == 422
    assert not CommitteeMember.objects.filter(person=hidden).exists()


# --- Creating and scheduling --------------------------------------------------------------------------


def test_planning_creates_the_installation_committee_for_the_next_due_date(client, cycle, academy_staff):
    client.force_login(academy_staff)
    create = reverse("steering:meeting_create", args=[cycle.convention.pk])
    form = client.get(create)
    due_on = form.context["form"].initial["due_on"]
    assert (due_on.month, due_on.day) == (3, 18)
    assert "comité d’installation" in form.content.decode()

    response = client.post(create, {"due_on": due_on.isoformat()})

    meeting = Meeting.objects.get(convention=cycle.convention)
    assert response.status_code == 302
    assert response["Location"] == url("meeting_update", meeting)
    assert meeting.kind == MeetingKind.FIRST
    assert meeting.due_on == due_on
    assert meeting.school_year == meetings.school_year_reviewed(due_on).start_year

    response = client.post(create, {"due_on": due_on.isoformat()})
    assert response.status_code == 422
    assert "n’est pas une échéance annuelle" in response.content.decode()
    response = client.post(create, {"due_on": future_day(10).isoformat(), "extraordinary": "on"})
    assert response.status_code == 302
    assert Meeting.objects.filter(kind=MeetingKind.EXTRAORDINARY).count() == 1


def test_scheduling_through_the_form(client, cycle, academy_staff, meeting):
    client.force_login(academy_staff)
    day = future_day(60)
    data = {
        "day": day.isoformat(),
        "start_time": "09:30",
        "end_time": "09:00",
        "place": HOSTILE,
        "agenda": "Accueil\nBilan : les chiffres",
        "version": meeting.version,
    }
    response = client.post(url("meeting_update", meeting), data)
    assert response.status_code == 422
    assert "La fin de la réunion doit être après son début." in response.content.decode()

    response = client.post(
        url("meeting_update", meeting), {**data, "end_time": "12:00", "host": cycle.federation_members[0].pk}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at) == at(day, 9).replace(minute=30)
    assert meeting.host == cycle.federation_members[0]
    assert meeting.agenda == [{"title": "Accueil", "detail": ""}, {"title": "Bilan", "detail": "les chiffres"}]

    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page

    past = {
        **data,
        "day": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "end_time": "12:00",
        "version": meeting.version,
    }
    response = client.post(url("meeting_update", meeting), past)
    assert response.status_code == 422
    assert "date passée" in response.content.decode()

    stale = {**data, "end_time": "12:00", "version": 1}
    assert client.post(url("meeting_update", meeting), stale).status_code == 422


def test_a_host_is_found_in_the_directory(client, cycle, academy_staff, meeting, aix):
    OrganisationFactory(company=True, academy=aix, name="Logistique Exemplaire du Port")
    client.force_login(academy_staff)
    day = future_day(60)
    data = {"day": day.isoformat(), "start_time": "10:00", "end_time": "12:00", "version": meeting.version}
    response = client.post(url("meeting_update", meeting), {**data, "host_search": "Logistique Exemplaire"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.host.name == "Logistique Exemplaire du Port"
    response = client.post(
        url("meeting_update", meeting), {**data, "host_search": "zzz introuvable", "version": meeting.version}
    )
    assert "Aucune organisation de l’annuaire ne correspond." in response.content.decode()


def test_invitations_and_ics_from_the_pages(client, cycle, academy_staff, meeting, django_capture_on_commit_callbacks):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("meeting_invite", meeting))
    assert response.status_code == 302
    assert len(mail.outbox) == 3

    download = client.get(url("meeting_ics", meeting))
    assert download["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(download.content).walk("VEVENT")[0]
    assert str(event["uid"]) == f"{meeting.uid}@partenariats"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("meeting_cancel", meeting))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert len(mail.outbox) == 3


# --- The meeting page and what is recorded at the meeting -------------------------------------------------


def test_attendance_sheet_records_members_and_guests(client, cycle, academy_staff, meeting):
    client.force_login(academy_staff)
    sheet = client.get(url("meeting_attendance", meeting))
    lines = sheet.context["lines"]
    assert len(lines) == 4  # the current members, not yet invited
    data = {
        "invites-TOTAL_FORMS": 2,
        "invites-INITIAL_FORMS": 0,
        "invites-MIN_NUM_FORMS": 0,
        "invites-MAX_NUM_FORMS": 50,
    }
    for form, _, _member in lines:
        data[f"{form.prefix}-status"] = AttendanceStatus.PRESENT
    coordinator_prefix = lines[0][0].prefix
    data[f"{lines[1][0].prefix}-status"] = AttendanceStatus.REPRESENTED
    data[f"{lines[1][0].prefix}-represented_by"] = ""
    data.update(
        {
            "invites-0-name": "Jeanne Invitée",
            "invites-0-organisation_name": "CCI Exemple",
            "invites-0-status": "present",
        }
    )

    response = client.post(url("meeting_attendance", meeting), data)
    assert "Indiquez par qui chaque membre représenté l’était." in response.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()

    data[f"{lines[1][0].prefix}-represented_by"] = "Son adjoint"
    response = client.post(url("meeting_attendance", meeting), data)
    assert response.status_code == 302
    rows = Attendance.objects.filter(meeting=meeting)
    assert rows.count() == 5
    assert rows.get(member=cycle.committee[1]).represented_by == "Son adjoint"
    assert rows.get(member__isnull=True).organisation_name == "CCI Exemple"
    assert coordinator_prefix.startswith("m")


def test_minutes_are_written_and_the_meeting_marked_held_only_once_it_took_place(client, cycle, academy_staff, meeting):
    client.force_login(academy_staff)
    data = {
        "minutes": "Le comité a examiné le bilan.",
        "inventory": "Forums communs.",
        "mark_held": "on",
        "version": meeting.version,
    }
    response = client.post(url("meeting_minutes", meeting), data)
    assert response.status_code == 422
    assert "ne peut pas encore être marquée tenue" in response.content.decode()

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=3))
    meeting.refresh_from_db()
    response = client.post(url("meeting_minutes", meeting), {**data, "version": meeting.version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.inventory == "Forums communs."
    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert "État des lieux des actions déjà menées ensemble" in page
    assert "Forums communs." in page


def test_a_decision_adopts_the_next_plan(client, cycle, academy_staff, meeting):
    draft = PlanFactory(convention=cycle.convention, school_year=2027)
    client.force_login(academy_staff)
    form = client.get(url("decision_create", meeting) + f"?plan={draft.pk}")
    assert form.context["form"].initial["adopted_plan"] == draft.pk

    response = client.post(
        url("decision_create", meeting), {"text": "Le comité adopte le plan 2027–2028.", "adopted_plan": draft.pk}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ADOPTED
    assert draft.adopted_on == timezone.localtime(meeting.starts_at).date()
    assert meeting.decisions.get().number == 1


def test_confidential_items_are_shown_to_the_parties_only(client, cycle, meeting, academy_staff, network_reader):
    DecisionFactory(meeting=meeting, number=1, text="Décision publique")
    DecisionFactory(meeting=meeting, number=2, text="Décision secrète", confidential=True)
    CorrectiveActionFactory(meeting=meeting, title="Action secrète", confidential=True)
    client.force_login(network_reader)
    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert "Décision publique" in page
    assert "Décision secrète" not in page
    assert "Action secrète" not in page
    client.force_login(academy_staff)
    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert "Décision secrète" in page
    assert "Action secrète" in page


def test_earlier_corrective_actions_are_reviewed_from_the_meeting_page(client, cycle, academy_staff, meeting):
    earlier = Meeting.objects.create(
        convention=cycle.convention,
        kind=MeetingKind.FIRST,
        school_year=2024,
        due_on=D(2026, 3, 18),
        status=MeetingStatus.HELD,
        starts_at=at(D(2026, 3, 10), 14),
    )
    action = CorrectiveActionFactory(meeting=earlier, title="Relancer les collèges")
    client.force_login(academy_staff)
    page = client.get(url("meeting_detail", meeting))
    assert [a.pk for a in page.context["earlier_actions"]] == [action.pk]

    prefix = f"action-{action.pk}"
    response = client.post(
        reverse("steering:corrective_update", args=[cycle.convention.pk, action.pk]),
        {f"{prefix}-status": CorrectiveStatus.DONE, f"{prefix}-review_note": "Fait.", f"{prefix}-meeting": meeting.pk},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("meeting_detail", meeting))
    action.refresh_from_db()
    assert (action.status, action.reviewed_at, action.review_note) == (CorrectiveStatus.DONE, meeting, "Fait.")
    assert action.closed_on == timezone.localdate()


def test_corrective_actions_are_decided_at_a_meeting(client, cycle, academy_staff, meeting):
    client.force_login(academy_staff)
    response = client.post(
        url("corrective_create", meeting),
        {
            "title": "Ouvrir deux entreprises de plus",
            "owner_party": cycle.federation.pk,
            "due_on": "2027-06-30",
            "status": "open",
        },
    )
    assert response.status_code == 302
    action = CorrectiveAction.objects.get()
    assert (action.meeting, action.owner_party, action.due_on) == (meeting, cycle.federation, D(2027, 6, 30))
    response = client.post(url("corrective_create", meeting), {"title": "", "status": "open"})
    assert response.status_code == 422
    assert "Nommez l’action." in response.content.decode()


def test_the_meeting_page_keeps_a_constant_number_of_queries(client, cycle, academy_staff, meeting):
    client.force_login(academy_staff)
    earlier = Meeting.objects.create(
        convention=cycle.convention,
        kind=MeetingKind.FIRST,
        school_year=2024,
        status=MeetingStatus.HELD,
        starts_at=at(D(2026, 3, 10), 14),
    )

    def grow(n):
        for _k in range(n):
            DecisionFactory(meeting=meeting, number=100 + Decision.objects.count(), adopted_plan=cycle.next_plan)
            CorrectiveActionFactory(meeting=meeting, owner_party=cycle.federation)
            CorrectiveActionFactory(meeting=earlier, owner_party=cycle.education)
            Attendance.objects.create(meeting=meeting, name=f"Invité {Attendance.objects.count()}", status="present")

    grow(1)
    before = queries(client, url("meeting_detail", meeting))
    grow(5)
    for member in cycle.committee:
        Attendance.objects.get_or_create(meeting=meeting, member=member)
    assert queries(client, url("meeting_detail", meeting)) == before
