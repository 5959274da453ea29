"""Two people editing the same thing: the second is told, and nothing of the first is lost.

The convention, its plan, an activity and a committee meeting have their own two-editor tests
(tests/conventions/test_concurrency.py, tests/test_plans.py, tests/test_activity_forms.py,
tests/steering/test_meetings_views.py). The yearly review's sections are edited on the page by
several coordinators: here, through the pages, with two browsers' sessions.
"""

import pytest
from django.test import Client
from django.urls import reverse

from partenariats.steering.models import Review, ReviewSection
from tests.factories import ConventionFactory
from tests.steering.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(academy_staff):
    convention = ConventionFactory(signed=True)
    review = ReviewFactory(convention=convention, school_year=2025)
    return ReviewSection.objects.create(review=review, key="introduction", title="Introduction", text="Texte initial.")


@pytest.fixture
def two_editors(academy_staff, academy_admin) -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(academy_staff)
    second.force_login(academy_admin)
    return first, second


def section_url(section: ReviewSection) -> str:
    review = section.review
    return reverse("steering:section_update", args=[review.convention_id, review.school_year, section.key])


def test_the_second_editor_of_a_review_section_is_told_and_shown_the_first_ones_text(section, two_editors):
    first, second = two_editors
    url = section_url(section)
    # Both open the form on the same version.
    assert first.get(url).status_code == 200
    assert second.get(url).status_code == 200
    seen = section.review.version

    saved = first.post(url, {"text": "Le texte de la première personne.", "public": "on", "version": seen})
    assert saved.status_code == 302

    refused = second.post(url, {"text": "Le texte de la seconde personne.", "public": "on", "version": seen})
    page = refused.content.decode()
    assert refused.status_code in (200, 409, 422)
    assert "modifié entre-temps" in page  # told, in French
    assert "Le texte de la première personne." in page  # and shown what the first one wrote
    assert "Le texte de la seconde personne." in page  # their own text is kept in the form
    section.refresh_from_db()
    assert section.text == "Le texte de la première personne."

    # Sending it again, now knowingly, is accepted.
    current = Review.objects.get(pk=section.review_id).version
    resent = second.post(url, {"text": "Le texte de la seconde personne.", "public": "on", "version": current})
    assert resent.status_code == 302
    section.refresh_from_db()
    assert section.text == "Le texte de la seconde personne."
