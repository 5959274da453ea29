"""The review (bilan) of a school year: created with its narrative sections, figures recomputed
from the data while it is a draft, frozen at approval.

Every change is atomic and refused once the review is approved (its figures, sections and
highlights are then what the committee adopted); section edits use optimistic locking on
``Review.version``.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from partenariats.activities.models import Activity
from partenariats.conventions.models import Convention
from partenariats.core.school_year import SchoolYear
from partenariats.indicators import queries
from partenariats.steering.content import build_content
from partenariats.steering.models import (
    Highlight,
    Meeting,
    MeetingStatus,
    Review,
    ReviewSection,
    ReviewStatus,
)

# The narrative a review starts with: (key, title), empty texts.
DEFAULT_SECTIONS = (
    ("introduction", "Introduction"),
    ("faits-marquants", "Faits marquants de l’année"),
    ("difficultes", "Difficultés rencontrées"),
    ("perspectives", "Perspectives"),
)
APPROVED = "Ce bilan est approuvé : ses chiffres, ses textes et ses faits marquants ne peuvent plus changer."
STALE = (
    "Ce bilan a été modifié entre-temps par quelqu’un d’autre : rien n’a été enregistré. "
    "Vérifiez le texte actuel puis recommencez."
)


class ReviewRefused(Exception):
    """The change is not possible (an approved review, one that exists already…); the message says why."""


class StaleReview(Exception):
    """The review changed since the form was opened: the change is refused, not merged."""

    def __init__(self, current: Review):
        super().__init__(STALE)
        self.current = current


def _locked(review: Review, expected_version: int | None = None) -> Review:
    """The review as stored, locked for the transaction; refused when approved or changed since read."""
    current = Review.objects.select_for_update().get(pk=review.pk)
    if current.is_approved:
        raise ReviewRefused(APPROVED)
    if expected_version is not None and current.version != expected_version:
        raise StaleReview(current)
    return current


def _bump(review: Review, current: Review) -> None:
    review.version = current.version + 1
    Review.objects.filter(pk=review.pk).update(version=review.version, updated_at=timezone.now())


def meeting_of(convention: Convention, school_year: int) -> Meeting | None:
    """The meeting that reviews that school year, if one is planned or held."""
    return (
        Meeting.objects.filter(convention=convention, school_year=school_year)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at", "pk")
        .first()
    )


@transaction.atomic
def create_review(convention: Convention, school_year: int | SchoolYear, user) -> Review:
    """A draft review of the year, with the default narrative sections and the year's meeting."""
    year = school_year.start_year if isinstance(school_year, SchoolYear) else int(school_year)
    if Review.objects.filter(convention=convention, school_year=year).exists():
        raise ReviewRefused(f"Le bilan {SchoolYear(year).label} existe déjà pour cette convention.")
    review = Review(convention=convention, school_year=year, meeting=meeting_of(convention, year))
    review._history_user = user
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ReviewRefused(f"Le bilan {SchoolYear(year).label} existe déjà pour cette convention.") from None
    ReviewSection.objects.bulk_create(
        ReviewSection(review=review, key=key, title=title, position=position)
        for position, (key, title) in enumerate(DEFAULT_SECTIONS)
    )
    return review


def _link_meeting(review: Review) -> None:
    """A review created before its meeting was planned: linked to it now."""
    if review.meeting_id is None:
        review.meeting = meeting_of(review.convention, review.school_year)


def _snapshot(review: Review, taken_at) -> dict:
    return {
        "full": build_content(review, public=False, taken_at=taken_at),
        "public": build_content(review, public=True, taken_at=taken_at),
    }


@transaction.atomic
def refresh(review: Review, user=None) -> Review:
    """Recompute a draft's figures now and keep them in ``snapshot`` (refused once approved)."""
    _locked(review)
    now = timezone.now()
    _link_meeting(review)
    review.snapshot = _snapshot(review, now)
    review.snapshot_at = now
    Review.objects.filter(pk=review.pk).update(
        snapshot=review.snapshot, snapshot_at=now, meeting=review.meeting, updated_at=now
    )
    return review


def review_content(review: Review, *, public: bool) -> dict:
    """What the review says: an approved review's frozen figures; a draft's, computed now from the data."""
    if review.is_approved and review.snapshot:
        return review.snapshot["public" if public else "full"]
    return build_content(review, public=public)


@transaction.atomic
def update_section(
    review: Review, section: ReviewSection, *, text: str, public: bool, expected_version: int | None, user
) -> ReviewSection:
    """Change a narrative section's text and whether it goes in the public version."""
    current = _locked(review, expected_version)
    if section.review_id != review.pk:
        raise ReviewRefused("Cette section n’appartient pas à ce bilan.")
    section.text = text.strip()
    section.public = public
    section._history_user = user
    section.save(update_fields=["text", "public"])
    _bump(review, current)
    return section


@dataclass(frozen=True)
class HighlightInput:
    activity: Activity
    comment: str = ""


def counted_activities(review: Review):
    """The activities of the year that count toward the convention (the parties' view): those a
    highlight may put forward."""
    return queries.convention_activities(review.convention, review.school_year, party_staff=True)


@transaction.atomic
def set_highlights(
    review: Review, highlights: Iterable[HighlightInput], *, expected_version: int | None, user
) -> list[Highlight]:
    """Replace the review's highlights by ``highlights`` (in that order): activities counted this year."""
    current = _locked(review, expected_version)
    highlights = list(highlights)
    counted = set(
        counted_activities(review).filter(pk__in=[item.activity.pk for item in highlights]).values_list("pk", flat=True)
    )
    strangers = [item.activity.title for item in highlights if item.activity.pk not in counted]
    if strangers:
        raise ReviewRefused(
            "Ces activités ne comptent pas pour la convention cette année : " + ", ".join(f"« {t} »" for t in strangers)
        )
    if len({item.activity.pk for item in highlights}) != len(highlights):
        raise ReviewRefused("Une même activité est choisie deux fois.")
    review.highlights.all().delete()
    created = Highlight.objects.bulk_create(
        Highlight(review=review, activity=item.activity, comment=item.comment.strip(), position=position)
        for position, item in enumerate(highlights)
    )
    _bump(review, current)
    return created


@transaction.atomic
def approve(review: Review, user, *, expected_version: int | None = None) -> Review:
    """Freeze the review as the committee adopted it: the figures computed one last time, now."""
    current = _locked(review, expected_version)
    now = timezone.now()
    _link_meeting(review)
    review.status = ReviewStatus.APPROVED
    review.approved_at = now
    review.approved_by = user
    review.snapshot = _snapshot(review, now)
    review.snapshot_at = now
    review.version = current.version + 1
    review._history_user = user
    review.save(
        update_fields=[
            "status",
            "approved_at",
            "approved_by",
            "snapshot",
            "snapshot_at",
            "meeting",
            "version",
            "updated_at",
        ]
    )
    return review
