"""The review (bilan) of a school year: created with its narrative sections and a snapshot of its
figures, which « Actualiser les chiffres » (``refresh``) renews; approval freezes the snapshot that
was shown (and the narrative as it stands), never figures computed behind the committee's back.

A draft reads as its stored figures plus its narrative (sections, highlights) as it stands now;
an approved review as its frozen snapshot alone. Every change is atomic and refused once the review
is approved; section edits and approval use optimistic locking on ``Review.version``, approval
also on ``Review.snapshot_at`` (the figures refreshed meanwhile by someone else are refused).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from partenariats.activities.models import Activity
from partenariats.conventions.models import Convention
from partenariats.core.school_year import SchoolYear
from partenariats.indicators import queries
from partenariats.steering.content import build_content, narrative
from partenariats.steering.models import (
    Highlight,
    Meeting,
    MeetingStatus,
    Review,
    ReviewSection,
    ReviewStatus,
)
from partenariats.steering.sentences import french_date

logger = logging.getLogger(__name__)

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


REFRESHED = (
    "Les chiffres de ce bilan ont été actualisés entre-temps (le {when}) : rien n’a été approuvé. "
    "Vérifiez les chiffres affichés puis approuvez de nouveau."
)
SNAPSHOT_UNAVAILABLE = (
    "Les chiffres arrêtés de ce bilan sont introuvables ou incomplets : il ne peut pas être affiché ni "
    "produit en document. L’équipe technique en a été avertie ; aucun chiffre recalculé n’est montré à la place."
)
# What a stored version of the content must hold to be shown (see ``steering.content``).
CONTENT_KEYS = frozenset(
    {
        "schema",
        "variant",
        "taken_at",
        "taken_at_display",
        "approved",
        "approved_at_display",
        "convention",
        "year",
        "overview",
        "key_figures",
        "axes",
        "commitments",
        "not_carried_out",
        "evaluations",
        "highlights",
        "charts",
        "tables",
        "next_plan",
        "decisions",
        "corrective_actions",
        "sections",
    }
)
VARIANTS = {"full": False, "public": True}


class SnapshotUnavailable(Exception):
    """An approved review whose frozen figures are missing or incomplete: nothing is shown in their place."""

    def __init__(self, review: Review):
        super().__init__(SNAPSHOT_UNAVAILABLE)
        self.review = review


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
    _store_snapshot(review, timezone.now())
    return review


def _link_meeting(review: Review) -> None:
    """A review created before its meeting was planned: linked to it now."""
    if review.meeting_id is None:
        review.meeting = meeting_of(review.convention, review.school_year)


def _snapshot(review: Review, taken_at) -> dict:
    return {key: build_content(review, public=public, taken_at=taken_at) for key, public in VARIANTS.items()}


def _store_snapshot(review: Review, now) -> None:
    review.snapshot = _snapshot(review, now)
    review.snapshot_at = now
    Review.objects.filter(pk=review.pk).update(
        snapshot=review.snapshot, snapshot_at=now, meeting=review.meeting, updated_at=now
    )


def _stored(review: Review, key: str) -> dict | None:
    """The stored version ``key`` of the content, if it is whole."""
    content = (review.snapshot or {}).get(key) if isinstance(review.snapshot, dict) else None
    if isinstance(content, dict) and content.keys() >= CONTENT_KEYS:
        return content
    return None


@transaction.atomic
def refresh(review: Review, user=None) -> Review:
    """Recompute a draft's figures now and keep them in ``snapshot`` (refused once approved)."""
    _locked(review)
    _link_meeting(review)
    _store_snapshot(review, timezone.now())
    return review


def review_content(review: Review, *, public: bool) -> dict:
    """What the review says: an approved review's frozen snapshot (``SnapshotUnavailable`` if it is
    missing or incomplete, never figures computed now); a draft's stored figures with its narrative
    as it stands (computed now only for a draft stored without figures)."""
    key = "public" if public else "full"
    content = _stored(review, key)
    if review.is_approved:
        if content is None:
            logger.error(
                "Approved review %s (convention %s) has no whole %s snapshot.", review.pk, review.convention_id, key
            )
            raise SnapshotUnavailable(review)
        return content
    if content is None:
        return build_content(review, public=public)
    return {**content, **narrative(review, public=public)}


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


def _same_moment(seen: datetime | str | None, stored: datetime | None) -> bool:
    if isinstance(seen, str):
        try:
            seen = datetime.fromisoformat(seen) if seen else None
        except ValueError:
            return False
    return seen == stored


_UNCHECKED = object()


@transaction.atomic
def approve(review: Review, user, *, expected_version: int | None = None, snapshot_at=_UNCHECKED) -> Review:
    """Freeze the review as the committee adopted it: the stored figures that were shown
    (``snapshot_at``: when they were taken, as the form showed it; refused if they were refreshed
    since) with the narrative as it stands. A draft stored without figures has them computed now."""
    current = _locked(review, expected_version)
    if snapshot_at is not _UNCHECKED and not _same_moment(snapshot_at, current.snapshot_at):
        when = timezone.localtime(current.snapshot_at) if current.snapshot_at else None
        raise ReviewRefused(REFRESHED.format(when=f"{french_date(when.date())} à {when:%H:%M}" if when else "?"))
    now = timezone.now()
    _link_meeting(review)
    review.snapshot, review.snapshot_at = current.snapshot, current.snapshot_at
    if any(_stored(review, key) is None for key in VARIANTS):
        review.snapshot, review.snapshot_at = _snapshot(review, now), now
    approved_display = french_date(timezone.localtime(now).date())
    review.snapshot = {
        key: {
            **review.snapshot[key],
            **narrative(review, public=public),
            "approved": True,
            "approved_at_display": approved_display,
        }
        for key, public in VARIANTS.items()
    }
    review.status = ReviewStatus.APPROVED
    review.approved_at = now
    review.approved_by = user
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
