"""The review's content: the indicator page's figures, French sentences, and a public version
without confidential items or personal data."""

import json

import pytest

from partenariats.accounts.models import Role
from partenariats.charts import Chart
from partenariats.core.school_year import SchoolYear
from partenariats.indicators.reports import convention_report
from partenariats.steering.content import build_content
from partenariats.steering.models import ReviewSection
from tests.factories import AssignmentFactory
from tests.steering.conftest import SECRET_EMAIL, SECRET_PHONE, SECRET_TEXT
from tests.steering.factories import CorrectiveActionFactory, DecisionFactory, MeetingFactory, ReviewFactory

NNBSP = "\u202f"


def _flat(text: str) -> str:
    return text.replace(NNBSP, " ")


def _action(content: dict, number: int) -> dict:
    return next(action for axis in content["axes"] for action in axis["actions"] if action["number"] == number)


def _figure(content: dict, label: str):
    return next(figure for figure in content["key_figures"] if figure["label"] == label)


@pytest.fixture
def review(cycle):
    review = ReviewFactory(convention=cycle.convention, school_year=2025)
    ReviewSection.objects.create(review=review, key="introduction", title="Introduction", text="Une année riche.")
    ReviewSection.objects.create(
        review=review, key="difficultes", title="Difficultés", text="Réservé aux parties.", public=False
    )
    return review


@pytest.fixture
def full(review):
    return build_content(review, public=False)


@pytest.fixture
def public(review):
    return build_content(review, public=True)


def test_it_gives_the_indicator_pages_figures(cycle, academy_staff, full):
    report = convention_report(cycle.convention, academy_staff, SchoolYear(2025))
    assert _figure(full, "Activités réalisées")["value"] == report.summary.activities == 14
    assert _figure(full, "Participations d’élèves")["value"] == report.summary.pupils == 312
    assert _figure(full, "Établissements touchés")["value"] == report.summary.schools
    assert _figure(full, "Enseignants impliqués")["value"] == report.summary.teachers
    table_rows = {(row[0], row[2]): (row[3], row[4]) for row in report.table("actions").rows}
    content_rows = {
        (action["number"], row["metric_label"]): (row["target"], row["realised"])
        for axis in full["axes"]
        for action in axis["actions"]
        for row in action["rows"]
    }
    assert content_rows == table_rows
    assert content_rows[(1, "Actions réalisées")] == (10, 12)
    assert content_rows[(1, "Participations d’élèves")] == (300, 300)


def test_it_writes_a_french_sentence_per_action(full):
    sentence = _flat(_action(full, 1)["sentence"])
    assert sentence.startswith("12 visites d’entreprise réalisées pour 10 prévues")
    assert "300 participations d’élèves pour 300 prévues" in sentence
    # 100 of 300 participations from the REP school: 33,3 % rounded half up to a whole number.
    assert "dont 33 % en éducation prioritaire" in sentence
    assert _flat(_action(full, 2)["sentence"]) == "Aucune activité réalisée pour 5 prévues"
    assert _figure(full, "Part des participations en éducation prioritaire (REP, REP+)")["value"] == 32


def test_it_groups_the_actions_by_axis_in_article_order(full):
    assert [axis["title"] for axis in full["axes"]] == [
        "Article 2 – Découverte des métiers",
        "Article 3 – Interventions en classe",
        "Article 4 – Formation",
    ]


def test_it_lists_the_actions_not_carried_out(full):
    assert [(item["number"], item["axis"]) for item in full["not_carried_out"]] == [
        (2, "Article 3 – Interventions en classe")
    ]
    assert _action(full, 1)["carried_out"]
    assert not _action(full, 2)["carried_out"]


def test_it_keeps_the_evaluations_immersions_first(full):
    evaluations = full["evaluations"]
    assert evaluations[0]["title"] == "Immersion de professeurs principaux"
    assert "logistique" in evaluations[0]["text"]
    assert evaluations[0]["date_display"] == "10 février 2026"


def test_it_marks_idle_commitments_and_writes_their_sentence(full, cycle):
    by_text = {commitment["text"]: commitment for commitment in full["commitments"]}
    assert by_text[SECRET_TEXT]["idle"]
    education = by_text["Mobiliser les professeurs principaux"]
    assert not education["idle"]
    assert _flat(education["sentence"]) == "1 journée d’immersion d’enseignants réalisée pour 4 prévues"


def test_it_gives_next_years_plan(full):
    plan = full["next_plan"]
    assert plan["year_label"] == "2026–2027"
    assert plan["adopted_on_display"] == "2 juillet 2026"
    assert [action["title"] for action in plan["actions"]] == ["Forum des métiers de l’industrie"]


def test_its_charts_come_back_as_charts(full):
    charts = [Chart.from_dict(data) for data in full["charts"]]
    assert charts[0].title == "Cibles et réalisé par action"
    assert "<svg" in charts[0].svg()


def test_it_is_plain_json(full, public):
    assert json.loads(json.dumps(full)) == full
    assert json.loads(json.dumps(public)) == public


def test_the_public_version_leaves_out_confidential_items_and_personal_data(cycle, review):
    meeting = MeetingFactory(convention=cycle.convention, school_year=2025)
    DecisionFactory(meeting=meeting, text="Décision publique : écrire à mathilde@example.invalid")
    DecisionFactory(meeting=meeting, text="Décision réservée", confidential=True)
    CorrectiveActionFactory(meeting=meeting, title="Action corrective réservée", confidential=True)
    CorrectiveActionFactory(meeting=meeting, title="Relancer les collèges", owner_name="Mathilde Exemple")
    section = review.sections.get(key="introduction")
    section.text = f"Merci à Bruno Exemple ({SECRET_PHONE}) et à Paul  Expert."
    section.save()

    public = build_content(review, public=True)
    text = json.dumps(public, ensure_ascii=False)
    for secret in (SECRET_TEXT, SECRET_EMAIL, SECRET_PHONE, "Claire", "mathilde@example.invalid"):
        assert secret not in text
    for person in cycle.people:
        assert person.last_name not in text.replace("Fédération Exemple", "").replace("Adhérent Exemple", "")
    assert "Action confidentielle" not in text
    assert "Décision réservée" not in text
    assert "Action corrective réservée" not in text
    assert "Réservé aux parties" not in text
    assert "Relancer les collèges" in text
    assert _figure(public, "Activités réalisées")["value"] == 13
    assert public["variant"] == "public"

    full = json.dumps(build_content(review, public=False), ensure_ascii=False)
    for secret in (SECRET_TEXT, SECRET_EMAIL, "Action confidentielle", "Décision réservée", "Réservé aux parties"):
        assert secret in full


def test_the_public_version_matches_what_a_non_party_sees_on_the_indicator_page(cycle, partner_contact, public):
    # The staff of a member company of the federation are not the parties’ staff.
    AssignmentFactory(
        user=partner_contact, role=Role.PARTNER_STAFF, academy=None, organisation=cycle.federation_members[0]
    )
    report = convention_report(cycle.convention, partner_contact, SchoolYear(2025))
    assert not cycle.convention.is_party_staff(partner_contact)
    assert _figure(public, "Activités réalisées")["value"] == report.summary.activities
    assert {(row[0], row[2]) for row in report.table("actions").rows} == {
        (action["number"], row["metric_label"])
        for axis in public["axes"]
        for action in axis["actions"]
        for row in action["rows"]
    }


def test_a_commitment_served_by_an_action_has_the_actions_targets(full):
    commitment = next(c for c in full["commitments"] if c["text"] == "Ouvrir les entreprises adhérentes aux classes")
    assert [(row["metric"], row["target"], row["realised"]) for row in commitment["rows"]] == [
        ("events", 10, 12),
        ("pupils", 300, 300),
    ]
    assert _flat(commitment["sentence"]).startswith("12 visites d’entreprise réalisées pour 10 prévues, 300 partic")


def test_a_year_without_plan_or_activity_still_makes_a_review(cycle):
    content = build_content(ReviewFactory(convention=cycle.convention, school_year=2023), public=False)
    assert content["axes"] == []
    assert content["not_carried_out"] == []
    assert content["overview"] == "Aucune activité n’a été enregistrée au titre de la convention en 2023–2024."
    assert _figure(content, "Part des participations en éducation prioritaire (REP, REP+)")["display"] == "—"
    assert content["next_plan"] is None
