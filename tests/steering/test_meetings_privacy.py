"""What the committee and meeting pages show a reader who is not a party's staff (the public
view), and the fixes of the meeting pages: long video links, French times, captions."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions.models import ConventionKind
from partenariats.steering import meetings
from partenariats.steering.meetings import CorrectiveInput, Schedule
from partenariats.steering.models import Meeting, MeetingStatus
from tests.steering.factories import DecisionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
OWNER = "Mme Léa Responsable"
E_MAIL = "lea.responsable@example.org"
PHONE = "06 11 22 33 44"


def at(day, hour, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def national(cycle):
    """The cycle's convention made national: every académie's staff reads it, only Aix-Marseille's
    (a party) are its staff."""
    cycle.convention.kind = ConventionKind.NATIONAL
    cycle.convention.save()
    return cycle


@pytest.fixture
def held(national):
    """A held meeting whose texts name members, with addresses, a confidential decision and a
    corrective action whose owner is a person; an earlier one still open."""
    convention = national.convention
    earlier = meetings.create_meeting(convention, due_on=datetime.date(2025, 3, 18))
    Meeting.objects.filter(pk=earlier.pk).update(starts_at=at(datetime.date(2025, 3, 10), 14))
    meetings.add_corrective(
        earlier,
        CorrectiveInput(
            title="Relancer Bruno Exemple",
            detail=f"Écrire à {E_MAIL}",
            owner_party=national.federation,
            owner_name=OWNER,
        ),
        today=datetime.date(2025, 3, 10),
    )
    meeting = meetings.create_meeting(convention, due_on=datetime.date(2026, 3, 18))
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=at(datetime.date(2026, 3, 10), 9),
        ends_at=at(datetime.date(2026, 3, 10), 11, 30),
        status=MeetingStatus.HELD,
        place=f"Bureau de Mathilde Exemple ({PHONE})",
        minutes=f"Mathilde Exemple présente le bilan ; contact {E_MAIL}, {PHONE}.",
        inventory="Bruno Exemple accueillait déjà des stagiaires.",
        agenda=[{"title": "Mot de Nadia Coordination", "detail": ""}],
    )
    meeting.refresh_from_db()
    DecisionFactory(meeting=meeting, number=1, text="Mathilde Exemple pilotera le forum.")
    DecisionFactory(meeting=meeting, number=2, text="Décision réservée aux parties", confidential=True)
    meetings.add_corrective(
        meeting,
        CorrectiveInput(
            title="Organiser le forum",
            detail=f"Contact : {OWNER}, {PHONE}",
            owner_party=national.federation,
            owner_name=OWNER,
        ),
        today=datetime.date(2026, 3, 10),
    )
    return meeting


def page(client, user, path) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_reader_of_a_national_convention_sees_the_public_meeting_page(client, held, colleague_elsewhere):
    text = page(client, colleague_elsewhere, held.get_absolute_url())

    for secret in ("Mathilde Exemple", "Bruno Exemple", "Nadia Coordination", E_MAIL, PHONE, OWNER):
        assert secret not in text
    assert "Décision réservée aux parties" not in text
    assert "[nom retiré] présente le bilan" in text
    assert "[nom retiré] pilotera le forum." in text
    assert "[nom retiré] accueillait déjà des stagiaires." in text
    assert "Organiser le forum" in text
    assert "Relancer [nom retiré]" in text
    assert str(held.convention.parties.get(side="partner").organisation) in text


def test_the_parties_staff_see_the_meeting_as_written(client, held, academy_staff):
    text = page(client, academy_staff, held.get_absolute_url())

    for written in ("Mathilde Exemple présente le bilan", E_MAIL, OWNER, "Décision réservée aux parties"):
        assert written in text
    assert "Relancer Bruno Exemple" in text


def test_a_reader_of_a_national_convention_sees_the_public_committee_page(
    client, held, national, colleague_elsewhere, academy_staff
):
    path = reverse("steering:committee", args=[national.convention.pk])
    text = page(client, colleague_elsewhere, path)

    for secret in (OWNER, E_MAIL, PHONE, "Bruno Exemple"):
        assert secret not in text
    assert "Organiser le forum" in text
    assert "Contact : [nom retiré], [coordonnées retirées]" in text

    staff_text = page(client, academy_staff, path)
    assert OWNER in staff_text
    assert E_MAIL in staff_text


# --- Long video links ---------------------------------------------------------------------------


def test_a_video_link_longer_than_the_field_is_a_french_error_not_a_crash(client, cycle, academy_staff):
    meeting = meetings.create_meeting(cycle.convention, due_on=datetime.date(2027, 3, 18))
    day = timezone.localdate() + datetime.timedelta(days=40)
    data = {
        "day": day.isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "video_link": "https://teams.microsoft.com/l/meetup-join/" + "a" * 250,
        "version": meeting.version,
    }
    client.force_login(academy_staff)

    response = client.post(reverse("steering:meeting_update", args=[cycle.convention.pk, meeting.pk]), data)

    assert response.status_code == 422
    assert "plus de 200 caractères" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.video_link == ""
    with pytest.raises(meetings.MeetingError, match="200 caractères"):
        meetings.schedule_meeting(
            meeting,
            Schedule(starts_at=at(day, 9), ends_at=at(day, 11), video_link=data["video_link"]),
            expected_version=None,
            now=timezone.now(),
        )


# --- French and captions ------------------------------------------------------------------------------


def test_times_are_written_the_french_way_on_the_pages(client, held, academy_staff):
    text = page(client, academy_staff, held.get_absolute_url())
    assert "de 9 h à 11 h 30" in text

    committee = page(client, academy_staff, reverse("steering:committee", args=[held.convention_id]))
    assert "10/03/2026 à 9 h" in committee
    assert "09:00" not in committee


def test_the_invitation_message_counts_members_in_french(
    client, cycle, academy_staff, django_capture_on_commit_callbacks
):
    meeting = meetings.create_meeting(cycle.convention, due_on=datetime.date(2027, 3, 18))
    day = timezone.localdate() + datetime.timedelta(days=40)
    meetings.schedule_meeting(
        meeting, Schedule(starts_at=at(day, 14), ends_at=at(day, 16)), expected_version=None, now=timezone.now()
    )
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("steering:meeting_invite", args=[cycle.convention.pk, meeting.pk]), follow=True)
    text = response.content.decode()
    assert "Convocation envoyée à 3 membres du comité" in text
    assert "membre(s)" not in text

    # A second click, right away: nothing sent twice, and the page says why.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("steering:meeting_invite", args=[cycle.convention.pk, meeting.pk]), follow=True)
    assert "viennent d’être envoyées" in again.content.decode()


def test_the_committee_page_says_what_comes_next(client, cycle, academy_staff):
    path = reverse("steering:committee", args=[cycle.convention.pk])
    first = page(client, academy_staff, path)
    assert "Prochain comité annuel à tenir avant le" in first

    due = meetings.open_due_dates(cycle.convention, timezone.localdate(), [])
    for due_on in due:
        meetings.create_meeting(cycle.convention, due_on=due_on)
    planned = page(client, academy_staff, path)
    assert "le prochain comité est déjà prévu" in planned

    Meeting.objects.filter(convention=cycle.convention).update(status=MeetingStatus.HELD)
    nothing = page(client, academy_staff, path)
    assert "déjà prévu" not in nothing
    assert "Aucune échéance annuelle de comité de pilotage ne découle" in nothing


def test_each_party_table_has_its_own_caption(client, cycle, academy_staff):
    text = page(client, academy_staff, reverse("steering:committee", args=[cycle.convention.pk]))

    assert f"<caption>Membres – {cycle.education.organisation}</caption>" in text
    assert f"<caption>Membres – {cycle.federation.organisation}</caption>" in text
    assert "<caption>Membres – experts et invités</caption>" in text
    assert "<caption>Membres</caption>" not in text
