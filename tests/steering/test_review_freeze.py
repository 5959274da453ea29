"""A draft shows its stored figures (taken at creation, renewed by « Actualiser les chiffres »);
approval freezes the figures that were shown; an approved review no longer changes."""

import datetime

import pytest

from partenariats.steering import reviews
from partenariats.steering.models import MeetingStatus, Review, ReviewStatus
from partenariats.steering.reviews import HighlightInput, ReviewRefused, SnapshotUnavailable, StaleReview
from tests.factories import ActivityFactory, ContributionFactory
from tests.steering.factories import MeetingFactory


def _figure(content: dict, label: str):
    return next(figure["value"] for figure in content["key_figures"] if figure["label"] == label)


def _visits(content: dict):
    action = content["axes"][0]["actions"][0]
    return {row["metric"]: row["realised"] for row in action["rows"]}


def _add_visit(cycle, n=1):
    for _ in range(n):
        activity = ActivityFactory(starts_on=datetime.date(2026, 5, 4), pupils=30)
        ContributionFactory(activity=activity, convention=cycle.convention, action=cycle.visits)


@pytest.fixture
def review(cycle, academy_staff):
    return reviews.create_review(cycle.convention, 2025, academy_staff)


def test_it_creates_the_default_sections(review):
    assert [s.title for s in review.sections.all()] == [
        "Introduction",
        "Faits marquants de l’année",
        "Difficultés rencontrées",
        "Perspectives",
    ]
    assert all(s.text == "" for s in review.sections.all())
    assert review.status == ReviewStatus.DRAFT


def test_it_refuses_a_second_review_of_the_same_year(review, cycle, academy_staff):
    with pytest.raises(ReviewRefused, match="existe déjà"):
        reviews.create_review(cycle.convention, 2025, academy_staff)


def test_a_drafts_figures_follow_the_data_after_refresh(review, cycle, academy_staff):
    reviews.refresh(review, academy_staff)
    assert _visits(review.snapshot["full"])["events"] == 12
    _add_visit(cycle)
    reviews.refresh(review, academy_staff)
    review.refresh_from_db()
    assert _visits(review.snapshot["full"]) == {"events": 13, "pupils": 330}
    assert _visits(reviews.review_content(review, public=True)) == {"events": 13, "pupils": 330}


def test_a_draft_shows_its_stored_figures_until_refreshed(review, cycle, academy_staff):
    assert review.snapshot_at is not None  # taken at creation
    _add_visit(cycle)
    review.refresh_from_db()
    assert _visits(reviews.review_content(review, public=False))["events"] == 12
    assert _visits(reviews.review_content(review, public=True))["events"] == 12
    reviews.refresh(review, academy_staff)
    review.refresh_from_db()
    assert _visits(reviews.review_content(review, public=False))["events"] == 13


def test_a_drafts_texts_are_shown_as_written_without_a_refresh(review, academy_staff):
    section = review.sections.get(key="introduction")
    reviews.update_section(review, section, text="Écrit après.", public=True, expected_version=None, user=academy_staff)
    review.refresh_from_db()
    texts = {s["key"]: s["text"] for s in reviews.review_content(review, public=True)["sections"]}
    assert texts["introduction"] == "Écrit après."


def test_an_approved_reviews_figures_are_those_shown_and_do_not_change(review, cycle, academy_staff):
    shown_at = review.snapshot_at
    _add_visit(cycle)  # recorded after the figures were taken, not refreshed: not approved
    reviews.approve(review, academy_staff, snapshot_at=shown_at.isoformat())
    review.refresh_from_db()
    assert review.is_approved
    assert review.approved_by == academy_staff
    assert review.snapshot_at == shown_at
    frozen_full = reviews.review_content(review, public=False)
    frozen_public = reviews.review_content(review, public=True)
    assert frozen_full["approved"]
    assert frozen_full["approved_at_display"]
    assert _figure(frozen_full, "Activités réalisées") == 14
    assert _visits(frozen_full)["events"] == 12

    _add_visit(cycle, 3)
    review.refresh_from_db()
    assert reviews.review_content(review, public=False) == frozen_full
    assert reviews.review_content(review, public=True) == frozen_public
    with pytest.raises(ReviewRefused, match="approuvé"):
        reviews.refresh(review, academy_staff)


def test_approval_is_refused_when_the_figures_were_refreshed_since_they_were_shown(review, cycle, academy_staff):
    shown_at = review.snapshot_at.isoformat()
    _add_visit(cycle)
    reviews.refresh(review, academy_staff)  # by someone else, meanwhile
    with pytest.raises(ReviewRefused, match="actualisés entre-temps"):
        reviews.approve(review, academy_staff, snapshot_at=shown_at)
    review.refresh_from_db()
    assert not review.is_approved
    reviews.approve(review, academy_staff, snapshot_at=review.snapshot_at.isoformat())
    review.refresh_from_db()
    assert _visits(reviews.review_content(review, public=False))["events"] == 13


@pytest.mark.parametrize("broken", [None, {}, {"full": {"schema": 1}, "public": {"schema": 1}}])
def test_an_approved_review_without_whole_figures_is_an_error_never_live_figures(review, academy_staff, broken, caplog):
    reviews.approve(review, academy_staff)
    Review.objects.filter(pk=review.pk).update(snapshot=broken)
    review.refresh_from_db()
    with pytest.raises(SnapshotUnavailable, match="introuvables ou incomplets"):
        reviews.review_content(review, public=True)
    assert "has no whole public snapshot" in caplog.text


def test_sections_and_highlights_cannot_change_after_approval(review, cycle, academy_staff):
    section = review.sections.get(key="introduction")
    reviews.update_section(
        review, section, text="Avant.", public=True, expected_version=review.version, user=academy_staff
    )
    reviews.approve(review, academy_staff)
    with pytest.raises(ReviewRefused, match="approuvé"):
        reviews.update_section(review, section, text="Après.", public=True, expected_version=None, user=academy_staff)
    with pytest.raises(ReviewRefused, match="approuvé"):
        reviews.set_highlights(review, [HighlightInput(cycle.immersion)], expected_version=None, user=academy_staff)
    with pytest.raises(ReviewRefused, match="approuvé"):
        reviews.approve(review, academy_staff)
    section.refresh_from_db()
    assert section.text == "Avant."
    assert next(s["text"] for s in reviews.review_content(review, public=False)["sections"]) == "Avant."


def test_a_second_editor_is_told_the_review_changed(review, academy_staff):
    section = review.sections.get(key="introduction")
    opened = review.version
    reviews.update_section(review, section, text="Premier.", public=True, expected_version=opened, user=academy_staff)
    with pytest.raises(StaleReview, match="modifié entre-temps"):
        reviews.update_section(
            review, section, text="Second.", public=False, expected_version=opened, user=academy_staff
        )
    section.refresh_from_db()
    assert (section.text, section.public) == ("Premier.", True)


def test_highlights_are_counted_activities_only(review, cycle, academy_staff):
    stranger = ActivityFactory(title="Activité d’une autre convention")
    with pytest.raises(ReviewRefused, match="ne comptent pas"):
        reviews.set_highlights(review, [HighlightInput(stranger)], expected_version=None, user=academy_staff)
    assert not review.highlights.exists()
    reviews.set_highlights(
        review,
        [HighlightInput(cycle.immersion, "Une première"), HighlightInput(cycle.secret_visit, "Réservé")],
        expected_version=None,
        user=academy_staff,
    )
    full = reviews.review_content(review, public=False)["highlights"]
    public = reviews.review_content(review, public=True)["highlights"]
    assert [h["title"] for h in full] == ["Immersion de professeurs principaux", "Visite réservée"]
    assert [h["title"] for h in public] == ["Immersion de professeurs principaux"]


def test_it_links_the_meeting_of_the_year_not_a_cancelled_one(cycle, academy_staff):
    MeetingFactory(convention=cycle.convention, school_year=2025, status=MeetingStatus.CANCELLED)
    held = MeetingFactory(convention=cycle.convention, school_year=2025, status=MeetingStatus.HELD)
    MeetingFactory(convention=cycle.convention, school_year=2024)
    review = reviews.create_review(cycle.convention, 2025, academy_staff)
    assert review.meeting == held


def test_a_meeting_planned_after_the_review_is_linked_at_refresh(review, cycle, academy_staff):
    assert review.meeting is None
    meeting = MeetingFactory(convention=cycle.convention, school_year=2025, status=MeetingStatus.SCHEDULED)
    reviews.refresh(review, academy_staff)
    review.refresh_from_db()
    assert review.meeting == meeting
