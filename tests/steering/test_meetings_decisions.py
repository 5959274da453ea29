"""A decision may be corrected, not removed: its text and confidentiality change, its history keeps
the earlier text, and only the académie's editors may correct it."""

import datetime

import pytest
from django.urls import reverse

from partenariats.accounts.models import Role
from partenariats.steering import meetings
from partenariats.steering.meetings import MeetingError, StaleVersion
from partenariats.steering.models import Decision, MeetingStatus
from tests.factories import AssignmentFactory, UserFactory
from tests.steering.factories import DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(cycle):
    meeting = MeetingFactory(
        convention=cycle.convention,
        status=MeetingStatus.HELD,
        starts_at=datetime.datetime(2026, 7, 2, 14, tzinfo=datetime.UTC),
    )
    return DecisionFactory(meeting=meeting, number=2, text="Le comité adopte le bilan 2024–2025.")


def update_url(decision):
    return reverse("steering:decision_update", args=[decision.meeting.convention_id, decision.meeting_id, decision.pk])


def detail_url(decision):
    return reverse("steering:meeting_detail", args=[decision.meeting.convention_id, decision.meeting_id])


def correct(client, decision, **data):
    form = client.get(update_url(decision))
    revision = form.context["form"]["revision"].value()
    return client.post(update_url(decision), {"revision": revision, **data})


def test_an_editor_corrects_a_decision_and_its_history_keeps_the_earlier_text(client, academy_staff, decision):
    client.force_login(academy_staff)
    page = client.get(detail_url(decision)).content.decode()
    assert update_url(decision) in page
    assert "Corriger la décision n° 2" in page

    response = correct(client, decision, text="Le comité adopte le bilan 2025–2026.", confidential="on")

    assert response.status_code == 302
    assert response["Location"].endswith("#decisions")
    decision.refresh_from_db()
    assert decision.text == "Le comité adopte le bilan 2025–2026."
    assert decision.confidential
    assert decision.number == 2
    assert Decision.objects.count() == 1
    texts = list(decision.history.order_by("history_id").values_list("text", flat=True))
    assert texts[-2:] == ["Le comité adopte le bilan 2024–2025.", "Le comité adopte le bilan 2025–2026."]
    assert decision.history.latest().history_user == academy_staff
    follow = client.get(response["Location"]).content.decode()
    assert "Décision n° 2 corrigée." in follow


def test_an_empty_text_is_refused_and_nothing_changes(client, academy_staff, decision):
    client.force_login(academy_staff)

    response = correct(client, decision, text="   ")

    assert response.status_code == 422
    assert "Écrivez la décision." in response.content.decode()
    decision.refresh_from_db()
    assert decision.text == "Le comité adopte le bilan 2024–2025."


def test_a_correction_made_meanwhile_is_not_overwritten(client, academy_staff, decision):
    client.force_login(academy_staff)
    revision = client.get(update_url(decision)).context["form"]["revision"].value()
    meetings.correct_decision(decision, text="Correction d’un collègue.", confidential=False, expected_revision=None)

    response = client.post(update_url(decision), {"revision": revision, "text": "Ma correction."})

    assert response.status_code == 422
    assert "corrigée entre-temps" in response.content.decode()
    decision.refresh_from_db()
    assert decision.text == "Correction d’un collègue."


def test_readers_may_not_correct_and_others_do_not_see_it(client, decision, observer, colleague_elsewhere, cycle):
    federation_staff = UserFactory()
    AssignmentFactory(
        user=federation_staff, role=Role.PARTNER_STAFF, academy=None, organisation=cycle.federation.organisation
    )
    for user, status in ((observer, 403), (federation_staff, 403), (colleague_elsewhere, 404)):
        client.force_login(user)
        assert client.get(update_url(decision)).status_code == status
        assert client.post(update_url(decision), {"text": "Piraté", "revision": 0}).status_code == status
        if status == 403:
            assert update_url(decision) not in client.get(detail_url(decision)).content.decode()
    decision.refresh_from_db()
    assert decision.text == "Le comité adopte le bilan 2024–2025."


def test_a_decision_of_another_meeting_is_a_404(client, academy_staff, cycle, decision):
    other = MeetingFactory(convention=cycle.convention)
    client.force_login(academy_staff)
    url = reverse("steering:decision_update", args=[cycle.convention.pk, other.pk, decision.pk])
    assert client.get(url).status_code == 404


def test_a_cancelled_meetings_decision_is_not_corrected(decision):
    decision.meeting.status = MeetingStatus.CANCELLED
    decision.meeting.save()
    with pytest.raises(MeetingError, match="annulée"):
        meetings.correct_decision(decision, text="Autre", confidential=False, expected_revision=None)


def test_the_service_refuses_a_stale_revision(decision):
    revision = meetings.decision_revision(decision)
    meetings.correct_decision(decision, text="Première correction", confidential=False, expected_revision=revision)
    with pytest.raises(StaleVersion):
        meetings.correct_decision(decision, text="Seconde", confidential=False, expected_revision=revision)
