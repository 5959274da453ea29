"""The committee's meetings as services: due dates, agenda, members, scheduling, minutes,
decisions and corrective actions, and the yearly deadline settled by the meetings."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from partenariats.activities.models import PlanStatus
from partenariats.conventions.alerts import due_alerts
from partenariats.conventions.deadlines import STEERING_COMMITTEE, deadlines_of, upcoming
from partenariats.conventions.models import Convention
from partenariats.steering import meetings
from partenariats.steering.meetings import CorrectiveInput, MeetingError, Schedule, StaleVersion
from partenariats.steering.models import (
    CorrectiveStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
)
from tests.factories import ConventionFactory, PersonFactory, PlanFactory
from tests.steering.factories import CorrectiveActionFactory, MeetingFactory

D = datetime.date
PARIS = ZoneInfo("Europe/Paris")
# The cycle's convention was signed on 18 March 2021: its committee falls due every 18 March.
DUE = D(2027, 3, 18)
TODAY = D(2026, 11, 22)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def schedule(meeting, day=None, start=14, end=16, **kwargs):
    day = day or D(2027, 3, 11)
    data = Schedule(starts_at=at(day, start), ends_at=at(day, end), agenda=meeting.agenda, **kwargs)
    return meetings.schedule_meeting(meeting, data, expected_version=meeting.version, now=at(TODAY, 9))[0]


# --- Due dates and the agenda -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_on", "reviewed"),
    [
        (D(2027, 3, 18), 2025),
        (D(2026, 10, 1), 2025),
        (D(2026, 6, 1), 2025),
        (D(2026, 8, 31), 2025),
        (D(2027, 1, 15), 2025),
    ],
)
def test_a_committee_reviews_the_year_ending_or_the_last_one_ended(due_on, reviewed):
    assert meetings.school_year_reviewed(due_on).start_year == reviewed


def test_the_first_meeting_is_the_installation_committee_with_its_inventory(cycle):
    meeting = meetings.create_meeting(cycle.convention, due_on=DUE)

    assert meeting.kind == MeetingKind.FIRST
    assert meeting.status == MeetingStatus.TO_SCHEDULE
    assert meeting.due_on == DUE
    assert meeting.school_year == 2025
    titles = [item["title"] for item in meeting.agenda]
    assert titles == [
        "Accueil et adoption de l’ordre du jour",
        "État des lieux des actions déjà menées ensemble",
        "Bilan de l’année scolaire 2025–2026",
        "Article 2 – Découverte des métiers",
        "Article 3 – Interventions en classe",
        "Article 4 – Formation",
        "Décisions",
        "Plan de partenariat 2026–2027",
        "Questions diverses",
    ]
    assert meeting.agenda[3] == {"title": "Article 2 – Découverte des métiers", "detail": "Axe du plan"}


def test_the_template_agenda_survives_the_textarea(cycle):
    article = cycle.convention.articles.get(number="4")
    article.heading = "Formation : stages et   visites"
    article.save()

    agenda = meetings.create_meeting(cycle.convention, due_on=DUE).agenda

    assert meetings.parse_agenda(meetings.agenda_to_text(agenda)) == agenda
    assert {"title": "Article 4 – Formation – stages et visites", "detail": "Axe du plan"} in agenda


def test_the_next_meeting_is_yearly_and_follows_up_the_open_corrective_actions(cycle):
    first = meetings.create_meeting(cycle.convention, due_on=D(2026, 3, 18))
    CorrectiveActionFactory(meeting=first, title="Relancer les collèges")

    meeting = meetings.create_meeting(cycle.convention, due_on=DUE)

    assert meeting.kind == MeetingKind.YEARLY
    titles = [item["title"] for item in meeting.agenda]
    assert "État des lieux des actions déjà menées ensemble" not in titles
    assert titles.index("Suivi des actions correctives") == titles.index("Décisions") - 1


def test_a_cancelled_meeting_leaves_its_due_date_open_and_the_next_one_is_still_the_first(cycle):
    cancelled = meetings.create_meeting(cycle.convention, due_on=DUE)
    meetings.cancel_meeting(cancelled)

    again = meetings.create_meeting(cycle.convention, due_on=DUE)

    assert again.kind == MeetingKind.FIRST


def test_a_due_date_is_convened_once(cycle):
    meetings.create_meeting(cycle.convention, due_on=DUE)
    with pytest.raises(MeetingError, match="déjà créé"):
        meetings.create_meeting(cycle.convention, due_on=DUE)
    extraordinary = meetings.create_meeting(cycle.convention, due_on=D(2027, 1, 10), extraordinary=True)
    assert extraordinary.kind == MeetingKind.EXTRAORDINARY


def test_the_open_due_dates_skip_those_already_convened(cycle):
    assert meetings.open_due_dates(cycle.convention, TODAY, [])[:2] == [D(2027, 3, 18), D(2028, 3, 18)]
    meeting = meetings.create_meeting(cycle.convention, due_on=DUE)
    assert meetings.open_due_dates(cycle.convention, TODAY, [meeting])[0] == D(2028, 3, 18)


def test_the_agenda_reads_back_from_its_text():
    text = "Accueil\n\n- Bilan de l’année : chiffres et faits marquants\nQuestions diverses :   \n"
    items = meetings.parse_agenda(text)
    assert items == [
        {"title": "Accueil", "detail": ""},
        {"title": "Bilan de l’année", "detail": "chiffres et faits marquants"},
        {"title": "Questions diverses :", "detail": ""},
    ]
    assert meetings.parse_agenda(meetings.agenda_to_text(items)) == items
    with pytest.raises(MeetingError, match="plus de 30 points"):
        meetings.parse_agenda("\n".join(f"Point {n}" for n in range(31)))


# --- Members ------------------------------------------------------------------------------------


def test_a_member_is_added_changed_and_withdrawn_never_deleted(cycle):
    person = PersonFactory(first_name="Inès", last_name="Nouvelle")
    member = meetings.save_member(
        cycle.convention,
        None,
        person=person,
        party=cycle.federation,
        role=MemberRole.CORRESPONDENT,
        title="Chargée de mission",
        today=TODAY,
    )
    assert member.started_on == TODAY
    assert member.is_current

    meetings.save_member(
        cycle.convention,
        member,
        person=person,
        party=cycle.federation,
        role=MemberRole.CHAIR,
        title="Présidente",
        today=TODAY,
    )
    member.refresh_from_db()
    assert (member.role, member.title) == (MemberRole.CHAIR, "Présidente")

    meetings.end_member(member, today=D(2026, 12, 1))
    member.refresh_from_db()
    assert member.ended_on == D(2026, 12, 1)
    with pytest.raises(MeetingError, match="ne siège plus depuis le 1er décembre 2026"):
        meetings.end_member(member, today=D(2026, 12, 2))
    assert member.history.count() == 3


def test_a_person_sits_once_in_a_role_and_a_former_member_sits_again(cycle):
    coordinator = cycle.committee[0]
    with pytest.raises(MeetingError, match="siège déjà"):
        meetings.save_member(
            cycle.convention,
            None,
            person=coordinator.person,
            party=cycle.education,
            role=MemberRole.COORDINATOR,
            title="",
            today=TODAY,
        )
    meetings.end_member(coordinator, today=TODAY)
    again = meetings.save_member(
        cycle.convention,
        None,
        person=coordinator.person,
        party=cycle.education,
        role=MemberRole.COORDINATOR,
        title="DAFPIC",
        today=D(2027, 1, 5),
    )
    assert again.pk == coordinator.pk
    assert again.ended_on is None
    assert again.started_on == D(2027, 1, 5)


def test_a_member_represents_a_party_of_the_convention(cycle):
    stranger = ConventionFactory(signed=True).parties.first()
    with pytest.raises(MeetingError, match="n’est pas partie"):
        meetings.save_member(
            cycle.convention,
            None,
            person=PersonFactory(),
            party=stranger,
            role=MemberRole.REPRESENTATIVE,
            title="",
            today=TODAY,
        )


# --- Scheduling -----------------------------------------------------------------------------------


def test_scheduling_sets_the_paris_time_and_refuses_an_end_before_the_start_or_a_past_date(cycle):
    meeting = meetings.create_meeting(cycle.convention, due_on=DUE)
    scheduled = schedule(meeting, place="Rectorat, salle 2")
    assert scheduled.status == MeetingStatus.SCHEDULED
    assert timezone.localtime(scheduled.starts_at).hour == 14

    with pytest.raises(MeetingError, match="après son début"):
        meetings.schedule_meeting(
            scheduled,
            Schedule(starts_at=at(D(2027, 3, 11), 16), ends_at=at(D(2027, 3, 11), 14)),
            expected_version=scheduled.version,
            now=at(TODAY, 9),
        )
    with pytest.raises(MeetingError, match="date passée"):
        meetings.schedule_meeting(
            scheduled,
            Schedule(starts_at=at(D(2026, 11, 2), 14), ends_at=at(D(2026, 11, 2), 16)),
            expected_version=scheduled.version,
            now=at(TODAY, 9),
        )
    with pytest.raises(StaleVersion):
        meetings.schedule_meeting(
            scheduled, Schedule(starts_at=at(DUE, 10), ends_at=at(DUE, 12)), expected_version=1, now=at(TODAY, 9)
        )
    scheduled.refresh_from_db()
    assert scheduled.place == "Rectorat, salle 2"


def test_a_cancelled_meeting_no_longer_changes(cycle):
    meeting = meetings.cancel_meeting(meetings.create_meeting(cycle.convention, due_on=DUE))
    with pytest.raises(MeetingError, match="annulée"):
        schedule(meeting)
    with pytest.raises(MeetingError, match="déjà annulée"):
        meetings.cancel_meeting(meeting)


# --- Minutes, decisions, corrective actions --------------------------------------------------------


def test_a_meeting_is_marked_held_only_once_its_day_has_come(cycle):
    meeting = schedule(meetings.create_meeting(cycle.convention, due_on=DUE))
    with pytest.raises(MeetingError, match="pas encore être marquée tenue"):
        meetings.save_minutes(
            meeting, minutes="", inventory="", mark_held=True, expected_version=meeting.version, today=TODAY
        )
    held = meetings.save_minutes(
        meeting,
        minutes="Le comité a examiné le bilan.",
        inventory="Deux forums communs depuis 2019.",
        mark_held=True,
        expected_version=meeting.version,
        today=D(2027, 3, 11),
    )
    assert held.status == MeetingStatus.HELD
    assert (held.minutes, held.inventory) == ("Le comité a examiné le bilan.", "Deux forums communs depuis 2019.")


def test_decisions_are_numbered_and_one_adopts_a_draft_plan_on_the_meeting_date(cycle):
    meeting = schedule(meetings.create_meeting(cycle.convention, due_on=DUE))
    draft = PlanFactory(convention=cycle.convention, school_year=2027)

    first = meetings.add_decision(
        meeting, text="Le bilan 2025–2026 est approuvé.", adopted_plan=None, confidential=False, today=TODAY
    )
    second = meetings.add_decision(
        meeting, text="Le comité adopte le plan 2027–2028.", adopted_plan=draft, confidential=True, today=TODAY
    )

    assert (first.number, second.number) == (1, 2)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ADOPTED
    assert draft.adopted_on == D(2027, 3, 11)
    with pytest.raises(MeetingError, match="Écrivez la décision"):
        meetings.add_decision(meeting, text="  ", adopted_plan=None, confidential=False, today=TODAY)


def test_a_decision_does_not_adopt_another_conventions_plan(cycle):
    meeting = meetings.create_meeting(cycle.convention, due_on=DUE)
    other = PlanFactory(convention=ConventionFactory(signed=True), school_year=2026)
    with pytest.raises(MeetingError, match="n’est pas un plan de la convention"):
        meetings.add_decision(meeting, text="Adoption", adopted_plan=other, confidential=False, today=TODAY)
    assert not meeting.decisions.exists()
    other.refresh_from_db()
    assert other.status != PlanStatus.ADOPTED


def test_corrective_actions_are_reviewed_at_the_next_meeting_and_closed_with_a_date(cycle):
    first = meetings.create_meeting(cycle.convention, due_on=D(2026, 3, 18))
    Meeting.objects.filter(pk=first.pk).update(starts_at=at(D(2026, 3, 10), 14), status=MeetingStatus.HELD)
    first.refresh_from_db()
    action = meetings.add_corrective(
        first,
        CorrectiveInput(title="Relancer les collèges du bassin", owner_party=cycle.education, due_on=D(2026, 12, 1)),
        today=D(2026, 3, 10),
    )
    done_already = meetings.add_corrective(
        first, CorrectiveInput(title="Déjà faite", status=CorrectiveStatus.DONE), today=D(2026, 3, 10)
    )
    assert done_already.closed_on == D(2026, 3, 10)

    meeting = schedule(meetings.create_meeting(cycle.convention, due_on=DUE))
    assert list(meetings.earlier_open_actions(meeting)) == [action]

    meetings.review_corrective(
        action, status=CorrectiveStatus.DONE, review_note="Fait en janvier.", at_meeting=meeting, today=D(2027, 3, 11)
    )
    action.refresh_from_db()
    assert action.reviewed_at == meeting
    assert action.closed_on == D(2027, 3, 11)
    assert action.review_note == "Fait en janvier."
    # Still listed at the meeting that reviewed it, no longer open for the next ones.
    assert list(meetings.earlier_open_actions(meeting)) == [action]
    meetings.review_corrective(
        action, status=CorrectiveStatus.IN_PROGRESS, review_note="Rouverte.", at_meeting=None, today=TODAY
    )
    action.refresh_from_db()
    assert action.closed_on is None


# --- The yearly deadline, settled by the meetings -----------------------------------------------------


def committee_deadlines(found):
    return [d for d in found if d.kind == STEERING_COMMITTEE]


def test_a_held_meeting_settles_its_deadline_and_a_scheduled_one_is_announced_at_its_date(cycle):
    window = {"start": D(2026, 11, 1), "end": D(2028, 4, 1)}
    found = committee_deadlines(upcoming(Convention.objects.filter(pk=cycle.convention.pk), TODAY, **window))
    assert [d.due_on for d in found] == [D(2027, 3, 18), D(2028, 3, 18)]

    meeting = schedule(meetings.create_meeting(cycle.convention, due_on=DUE), place="Rectorat, salle 2")
    found = committee_deadlines(upcoming(Convention.objects.filter(pk=cycle.convention.pk), TODAY, **window))
    assert [(d.due_on, d.label) for d in found] == [
        (D(2027, 3, 11), "Comité de pilotage convoqué le 11 mars 2027 à 14 h (Rectorat, salle 2)"),
        (D(2028, 3, 18), "Réunir le comité de pilotage annuel : bilan de l’année et plan de partenariat"),
    ]

    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    found = committee_deadlines(upcoming(Convention.objects.filter(pk=cycle.convention.pk), TODAY, **window))
    assert [d.due_on for d in found] == [D(2028, 3, 18)]


def test_a_cancelled_or_unscheduled_meeting_leaves_the_deadline_as_it_is(cycle):
    window = {"start": D(2026, 11, 1), "end": D(2027, 4, 1)}
    meetings.create_meeting(cycle.convention, due_on=DUE)
    found = committee_deadlines(upcoming(Convention.objects.filter(pk=cycle.convention.pk), TODAY, **window))
    assert [d.due_on for d in found] == [DUE]
    MeetingFactory(
        convention=cycle.convention, due_on=DUE, status=MeetingStatus.CANCELLED, starts_at=at(D(2027, 2, 1), 10)
    )
    found = committee_deadlines(upcoming(Convention.objects.filter(pk=cycle.convention.pk), TODAY, **window))
    assert [d.due_on for d in found] == [DUE]


def test_the_settler_reads_every_meeting_in_one_query(db, django_assert_num_queries):
    conventions = [ConventionFactory(signed=True) for _ in range(3)]
    for convention in conventions[:2]:
        MeetingFactory(
            convention=convention, due_on=DUE, status=MeetingStatus.SCHEDULED, starts_at=at(D(2027, 3, 2), 10)
        )
    found = [
        d
        for convention in Convention.objects.filter(pk__in=[c.pk for c in conventions]).prefetch_related(
            *Convention.TERMS_PREFETCH
        )
        for d in deadlines_of(convention, TODAY, start=TODAY, end=D(2027, 4, 1), kinds=[STEERING_COMMITTEE])
    ]
    assert len(found) == 3
    with django_assert_num_queries(1):
        settled = meetings.settle_committee_deadlines(found)
    assert sorted(d.due_on for d in settled) == [D(2027, 3, 2), D(2027, 3, 2), DUE]
    with django_assert_num_queries(0):
        assert meetings.settle_committee_deadlines([]) == []


def test_the_digest_announces_the_convened_meeting_instead_of_the_yearly_deadline(cycle, academy_staff):
    cycle.convention.owners.add(academy_staff)
    schedule(meetings.create_meeting(cycle.convention, due_on=DUE), day=D(2027, 3, 4), place="Salle du conseil")

    alerts = due_alerts(D(2027, 2, 5))  # 27 days before the meeting, 41 before the yearly date

    [(_user, lines)] = alerts.items()
    committee = [a for a in lines if a.deadline.kind == STEERING_COMMITTEE]
    assert [(a.deadline.due_on, a.window_days) for a in committee] == [(D(2027, 3, 4), 30)]
    assert committee[0].deadline.label == "Comité de pilotage convoqué le 4 mars 2027 à 14 h (Salle du conseil)"


def test_the_digest_no_longer_announces_a_committee_already_held(cycle, academy_staff):
    cycle.convention.owners.add(academy_staff)
    meeting = meetings.create_meeting(cycle.convention, due_on=DUE)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD, starts_at=at(D(2027, 1, 20), 10))

    alerts = due_alerts(D(2027, 2, 5))

    lines = [a for items in alerts.values() for a in items]
    assert not [a for a in lines if a.deadline.kind == STEERING_COMMITTEE]
