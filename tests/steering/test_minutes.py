"""The minutes as data: the parties' version is complete, the public one names no one, keeps no
contact detail and no confidential item."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import pytest

from partenariats.steering.minutes import minutes_content
from partenariats.steering.models import (
    Attendance,
    AttendanceStatus,
    CorrectiveStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from tests.steering.conftest import SECRET_EMAIL, SECRET_PHONE
from tests.steering.factories import CorrectiveActionFactory, DecisionFactory, ReviewFactory

PARIS = ZoneInfo("Europe/Paris")
D = datetime.date


@pytest.fixture
def held(cycle):
    earlier = Meeting.objects.create(
        convention=cycle.convention,
        kind=MeetingKind.FIRST,
        school_year=2024,
        status=MeetingStatus.HELD,
        starts_at=datetime.datetime(2026, 3, 10, 14, tzinfo=PARIS),
    )
    meeting = Meeting.objects.create(
        convention=cycle.convention,
        kind=MeetingKind.YEARLY,
        school_year=2025,
        due_on=D(2027, 3, 18),
        status=MeetingStatus.HELD,
        starts_at=datetime.datetime(2026, 12, 1, 14, 30, tzinfo=PARIS),
        ends_at=datetime.datetime(2026, 12, 1, 16, tzinfo=PARIS),
        place="Rectorat, salle 2",
        host=cycle.federation_members[0],
        agenda=[
            {"title": "Accueil", "detail": ""},
            {"title": "Questions diverses", "detail": f"écrire à {SECRET_EMAIL}"},
        ],
        minutes=f"Mme Secrète ({SECRET_EMAIL}, {SECRET_PHONE}) présente 340 élèves en 2025-2026.",
        inventory="Deux forums communs depuis 2019.",
    )
    for member in cycle.committee:
        Attendance.objects.create(meeting=meeting, member=member, status=AttendanceStatus.PRESENT)
    Attendance.objects.filter(member=cycle.committee[2]).update(
        status=AttendanceStatus.REPRESENTED, represented_by="Gilles Adjoint"
    )
    Attendance.objects.create(meeting=meeting, name="Jeanne Invitée", organisation_name="CCI Exemple", status="present")
    DecisionFactory(meeting=meeting, number=1, text="Le comité approuve le bilan 2025–2026.")
    DecisionFactory(meeting=meeting, number=2, text="Décision réservée aux parties", confidential=True)
    CorrectiveActionFactory(
        meeting=meeting,
        title="Ouvrir deux entreprises de plus",
        owner_party=cycle.federation,
        owner_name="Bruno Exemple",
        due_on=D(2027, 6, 30),
        detail=f"Joindre le 0612345678 ou {SECRET_EMAIL}",
    )
    CorrectiveActionFactory(meeting=meeting, title="Action corrective réservée", confidential=True)
    CorrectiveActionFactory(
        meeting=earlier,
        title="Relancer les collèges",
        status=CorrectiveStatus.DONE,
        reviewed_at=meeting,
        review_note="Fait en janvier.",
        owner_party=cycle.education,
    )
    CorrectiveActionFactory(meeting=earlier, title="Suivi réservé", reviewed_at=meeting, confidential=True)
    return meeting


def test_the_parties_version_is_complete_and_in_french(cycle, held):
    content = minutes_content(held, public=False)

    assert json.loads(json.dumps(content)) == content
    assert content["variant"] == "full"
    assert content["convention"]["title"] == "Convention Rectorat – Fédération Exemple"
    assert content["meeting"] == {
        "kind_label": "Comité annuel",
        "status_label": "Tenu",
        "held": True,
        "year_label": "2025–2026",
        "date_display": "1er décembre 2026",
        "time_display": "14 h 30 – 16 h",
        "place": "Rectorat, salle 2",
        "host": str(cycle.federation_members[0]),
        "due_on_display": "18 mars 2027",
    }
    names = [row["name"] for row in content["attendance"]]
    assert names == ["Nadia Coordination", "Mathilde Exemple", "Bruno Exemple", "Paul Expert", "Jeanne Invitée"]
    assert content["attendance"][0]["role"] == "Coordination (académie), DAFPIC"
    assert content["attendance"][2]["represented_by"] == "Gilles Adjoint"
    assert content["attendance"][4]["organisation"] == "CCI Exemple"
    assert [d["number"] for d in content["decisions"]] == [1, 2]
    assert len(content["corrective_actions"]) == 2
    assert content["corrective_actions"][0]["owner"] == f"{cycle.federation.organisation} – Bruno Exemple"
    assert content["corrective_actions"][0]["due_on_display"] == "30 juin 2027"
    [reviewed, _] = content["reviewed_actions"]
    assert reviewed["status_label"] == "Réalisée"
    assert reviewed["decided_display"] == "Décidée au comité du 10 mars 2026"
    assert SECRET_EMAIL in content["minutes"]
    assert content["inventory"] == "Deux forums communs depuis 2019."
    assert content["review"] is None


def test_the_public_version_names_no_one_and_keeps_no_contact_nor_confidential_item(cycle, held):
    content = minutes_content(held, public=True)
    text = json.dumps(content, ensure_ascii=False)

    assert content["variant"] == "public"
    for person in cycle.people:
        assert person.full_name not in text
    for name in ("Jeanne Invitée", "Gilles Adjoint", "Bruno Exemple"):
        assert name not in text
    assert "@" not in text
    assert SECRET_PHONE not in text
    assert "0612345678" not in text
    assert not re.search(r"0\d([ .]?\d\d){4}", text)
    assert "réservée" not in text
    assert "réservé" not in text
    assert [d["number"] for d in content["decisions"]] == [1]
    assert [a["title"] for a in content["reviewed_actions"]] == ["Relancer les collèges"]
    # Organisations and roles stay, and so do ordinary figures.
    assert content["attendance"][1] == {
        "name": "",
        "organisation": str(cycle.education.organisation),
        "role": "Représentant·e d’une partie",
        "status_label": "Présent·e",
        "represented_by": "",
    }
    assert content["attendance"][4]["organisation"] == "CCI Exemple"
    assert content["corrective_actions"][0]["owner"] == str(cycle.federation.organisation)
    assert "340 élèves en 2025-2026" in content["minutes"]
    assert content["agenda"][1] == {"title": "Questions diverses", "detail": "écrire à [coordonnées retirées]"}


def test_the_minutes_name_the_review_of_the_year(cycle, held):
    ReviewFactory(convention=cycle.convention, school_year=2025)
    assert minutes_content(held, public=True)["review"] == {"year_label": "2025–2026", "status_label": "Projet"}


def test_the_names_typed_in_free_texts_are_not_in_the_public_minutes(cycle, held):
    held.minutes = "Mathilde Exemple a présenté le bilan ; EXEMPLE   mathilde a répondu."
    held.inventory = "Mathilde Exemple suit la convention depuis 2019."
    held.place = "Bureau de Nadia Coordination"
    held.agenda = [{"title": "Bilan par Mathilde Exemple", "detail": "avec Jeanne Invitée et Gilles Adjoint"}]
    held.save()
    held.decisions.filter(number=1).update(text="Le comité remercie Bruno Exemple.")
    held.corrective_actions.filter(confidential=False).update(detail="Nadia Coordination relancera.")
    held.reviewed_actions.filter(confidential=False).update(review_note="Fait par Bruno Exemple.")

    public = json.dumps(minutes_content(held, public=True), ensure_ascii=False)
    full = json.dumps(minutes_content(held, public=False), ensure_ascii=False)

    for name in ("Mathilde", "Nadia Coordination", "Bruno Exemple", "Jeanne Invitée", "Gilles Adjoint"):
        assert name not in public, name
        assert name in full, name
    assert "[nom retiré] a présenté le bilan ; [nom retiré] a répondu." in public
    assert "Fédération Exemple" in public  # an organisation keeps its name


def test_a_meeting_not_held_is_not_held_in_its_minutes(cycle, held):
    held.status = MeetingStatus.SCHEDULED
    held.save()
    assert minutes_content(held, public=True)["meeting"]["held"] is False
