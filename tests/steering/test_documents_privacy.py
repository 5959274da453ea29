"""The public version of a review leaks nothing: every string of its content (titles, texts,
table cells, chart labels), its PDF and its DOCX are free of e-mail addresses, telephone numbers
and the names of the people the convention knows."""

import json

import pytest

from partenariats.steering import reviews
from partenariats.steering.documents.docx import review_docx
from partenariats.steering.documents.pdf import review_pdf
from partenariats.steering.models import Highlight, MeetingStatus, ReviewSection
from tests.factories import ActivityFactory, ContributionFactory, MembershipFactory, PersonFactory
from tests.steering.factories import CorrectiveActionFactory, MeetingFactory
from tests.steering.test_documents import docx_document, docx_text, pdf_text

EMAIL = "lea.contact@example.invalid"
PHONES = ("04 91 12 34 56", "06 11 22 33 44")
VOLUNTEER = "Hugo Bénévole"
CONTACT = "Léa Contact"
OWNER = "Zoé Pilote"
SURNAME = "Durandeau"
LEAKS = (EMAIL, *PHONES, VOLUNTEER, "Bénévole Hugo", CONTACT, OWNER, SURNAME)


@pytest.fixture
def leaky(cycle, academy_staff):
    """Personal data typed everywhere a public review draws text from."""
    volunteer = PersonFactory(first_name="Hugo", last_name="Bénévole")
    MembershipFactory(
        person=PersonFactory(first_name="Léa", last_name="Contact"), organisation=cycle.federation.organisation
    )
    cycle.public_commitment.text = f"Ouvrir les entreprises ; écrire à {EMAIL} ou au {PHONES[0]}"
    cycle.public_commitment.save()
    cycle.visits.title = f"Visites d’entreprise avec {VOLUNTEER}"
    cycle.visits.save()
    activity = ActivityFactory(
        title=f"Visite guidée par {CONTACT}",
        place=f"Atelier de {VOLUNTEER}",
        pupils=20,
        evaluation=f"Merci à Mme {SURNAME} et à {VOLUNTEER} ({PHONES[1]}).",
    )
    activity.volunteers.add(volunteer)
    ContributionFactory(activity=activity, convention=cycle.convention, action=cycle.visits)
    meeting = MeetingFactory(convention=cycle.convention, school_year=2025, status=MeetingStatus.HELD)
    CorrectiveActionFactory(
        meeting=meeting, convention=cycle.convention, title=f"Relancer {OWNER}", owner_name=OWNER, review_note=EMAIL
    )
    review = reviews.create_review(cycle.convention, 2025, academy_staff)
    Highlight.objects.create(review=review, activity=activity, comment=f"Bravo à {VOLUNTEER}", position=0)
    ReviewSection.objects.filter(review=review, key="introduction").update(
        text=f"Reçus par M. {SURNAME}, {CONTACT} et {VOLUNTEER.upper()}.", public=True
    )
    reviews.refresh(review, academy_staff)
    return review


def _assert_clean(text: str) -> None:
    for leak in LEAKS:
        assert leak.casefold() not in text.casefold(), leak


def test_no_personal_data_survives_anywhere_in_the_public_content(leaky):
    public = reviews.review_content(leaky, public=True)
    _assert_clean(json.dumps(public, ensure_ascii=False))
    assert "Visites d’entreprise avec" in json.dumps(public, ensure_ascii=False)
    # The parties' version keeps what people wrote.
    full = json.dumps(reviews.review_content(leaky, public=False), ensure_ascii=False)
    assert VOLUNTEER in full
    assert EMAIL in full


def test_no_personal_data_survives_in_the_public_pdf_and_docx(leaky):
    public = reviews.review_content(leaky, public=True)
    _assert_clean(pdf_text(review_pdf(public)).replace("\n", " "))
    _assert_clean(docx_text(docx_document(review_docx(public))))
