"""Asking for a generated document, following it, downloading it: who gets which version."""

import pytest
from django.urls import reverse

from partenariats.conventions.models import ConventionKind
from partenariats.steering import reviews
from partenariats.steering.models import MeetingStatus, Rendering, RenderStatus, ReviewStatus
from tests.steering.factories import MeetingFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(cycle):
    return ReviewFactory(convention=cycle.convention, school_year=2025)


@pytest.fixture
def approved(review, academy_staff):
    reviews.approve(review, academy_staff)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    return review


@pytest.fixture
def member_staff(cycle, colleague_elsewhere):
    """Académie staff of Nice reading a national convention: a reader, not a party's staff."""
    cycle.convention.kind = ConventionKind.NATIONAL
    cycle.convention.save()
    assert not cycle.convention.is_party_staff(colleague_elsewhere)
    return colleague_elsewhere


def _render_url(review):
    return reverse("steering:review_render", args=[review.convention_id, review.school_year])


def _ask(client, review, variant="public", file_format="pdf"):
    return client.post(_render_url(review), {"variant": variant, "file_format": file_format})


def test_it_makes_the_document_and_shows_the_download_button(
    client, academy_staff, review, django_capture_on_commit_callbacks
):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, review, variant="full")
    rendering = Rendering.objects.get()
    detail = reverse("steering:rendering_detail", args=[review.convention_id, rendering.pk])
    assert response.status_code == 302
    assert response["Location"] == detail
    page = client.get(detail)
    assert "Document prêt" in page.text
    download = reverse("steering:rendering_download", args=[review.convention_id, rendering.pk])
    assert download in page.text
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="bilan-2025-2026-convention-rectorat-federation-exemple-parties.pdf"'
        in (response["Content-Disposition"])
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_while_it_is_made_the_page_polls_and_offers_a_refresh_link(
    client, academy_staff, review, django_capture_on_commit_callbacks
):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=False):
        _ask(client, review)
    rendering = Rendering.objects.get()
    Rendering.objects.filter(pk=rendering.pk).update(
        status=RenderStatus.RUNNING, progress=60, progress_label="Mise en page"
    )
    detail = reverse("steering:rendering_detail", args=[review.convention_id, rendering.pk])
    page = client.get(detail)
    assert 'hx-trigger="every 1s"' in page.text
    assert "Rafraîchir" in page.text
    assert "Mise en page — 60 %" in page.text
    fragment = client.get(detail, headers={"HX-Request": "true"})
    assert "Mise en page — 60 %" in fragment.text
    assert "<html" not in fragment.text
    # Not made yet: nothing to download.
    download = reverse("steering:rendering_download", args=[review.convention_id, rendering.pk])
    assert client.get(download).status_code == 404


def test_a_failed_document_says_why(client, academy_staff, review):
    rendering = Rendering.objects.create(
        convention=review.convention,
        document="review",
        review=review,
        variant="public",
        file_format="pdf",
        status=RenderStatus.FAILED,
        error="Le document n’a pas pu être produit.",
    )
    client.force_login(academy_staff)
    page = client.get(reverse("steering:rendering_detail", args=[review.convention_id, rendering.pk]))
    assert "Le document n’a pas pu être produit." in page.text
    assert "every 1s" not in page.text


def test_a_reader_who_is_not_a_party_gets_the_public_version_of_an_approved_review(
    client, member_staff, approved, django_capture_on_commit_callbacks
):
    client.force_login(member_staff)
    assert _ask(client, approved, variant="full").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, approved, variant="public")
    assert response.status_code == 302
    rendering = Rendering.objects.get()
    assert rendering.variant == "public"
    download = reverse("steering:rendering_download", args=[approved.convention_id, rendering.pk])
    assert client.get(download).status_code == 200


def test_the_parties_version_is_a_404_to_a_non_party_reader(
    client, academy_staff, member_staff, approved, django_capture_on_commit_callbacks
):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, approved, variant="full")
    rendering = Rendering.objects.get()
    client.force_login(member_staff)
    for name in ("rendering_detail", "rendering_download"):
        assert client.get(reverse(f"steering:{name}", args=[approved.convention_id, rendering.pk])).status_code == 404


def test_readers_get_approved_reviews_only(
    client, member_staff, academy_staff, review, django_capture_on_commit_callbacks
):
    client.force_login(member_staff)
    assert _ask(client, review).status_code == 403
    assert not Rendering.objects.exists()
    # A draft rendered by the académie is not theirs either.
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, review)
    rendering = Rendering.objects.get()
    client.force_login(member_staff)
    download = reverse("steering:rendering_download", args=[review.convention_id, rendering.pk])
    assert client.get(download).status_code == 404


def test_out_of_scope_is_a_404(client, outsider, academy_staff, approved, django_capture_on_commit_callbacks):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, approved)
    rendering = Rendering.objects.get()
    client.force_login(outsider)
    assert _ask(client, approved).status_code == 404
    for name in ("rendering_detail", "rendering_download"):
        assert client.get(reverse(f"steering:{name}", args=[approved.convention_id, rendering.pk])).status_code == 404


def test_a_rendering_is_only_found_under_its_own_convention(client, academy_staff, approved, cycle):
    from tests.factories import ConventionFactory

    other = ConventionFactory(signed=True, academy=cycle.convention.academies.first())
    rendering = Rendering.objects.create(
        convention=approved.convention,
        document="review",
        review=approved,
        variant="public",
        file_format="pdf",
    )
    client.force_login(academy_staff)
    assert client.get(reverse("steering:rendering_detail", args=[other.pk, rendering.pk])).status_code == 404


def test_bad_input_goes_back_with_a_french_message(client, academy_staff, review):
    client.force_login(academy_staff)
    response = _ask(client, review, file_format="odt")
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    assert "PDF ou Word" in client.get(response["Location"]).text
    assert not Rendering.objects.exists()
    assert client.get(_render_url(review)).status_code == 405


def test_the_review_page_offers_the_versions_the_user_may_have(client, academy_staff, member_staff, approved):
    client.force_login(academy_staff)
    page = client.get(approved.get_absolute_url()).text
    assert page.count("Télécharger le PDF") == 2
    assert page.count("Télécharger le DOCX") == 2
    assert 'value="full"' in page
    client.force_login(member_staff)
    page = client.get(approved.get_absolute_url()).text
    assert page.count("Télécharger le PDF") == 1
    assert 'value="full"' not in page


def test_the_meeting_page_offers_the_minutes(
    client, academy_staff, member_staff, cycle, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(convention=cycle.convention, status=MeetingStatus.SCHEDULED)
    client.force_login(academy_staff)
    page = client.get(meeting.get_absolute_url()).text
    assert "Compte rendu à télécharger" in page
    assert "mention « Projet »" in page
    client.force_login(member_staff)
    url = reverse("steering:minutes_render", args=[cycle.convention.pk, meeting.pk])
    assert client.post(url, {"variant": "public", "file_format": "pdf"}).status_code == 403
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"variant": "public", "file_format": "docx"})
    assert response.status_code == 302
    rendering = Rendering.objects.get()
    download = client.get(reverse("steering:rendering_download", args=[cycle.convention.pk, rendering.pk]))
    assert download.status_code == 200
    assert "compte-rendu-2025-2026-" in download["Content-Disposition"]
    assert download["Content-Disposition"].endswith('-public.docx"')


def test_a_draft_document_is_neither_listed_nor_served_to_readers_once_approved(
    client, academy_staff, member_staff, review, django_capture_on_commit_callbacks
):
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, review)
    draft = Rendering.objects.get()
    assert draft.status == RenderStatus.DONE
    reviews.approve(review, academy_staff)
    draft_download = reverse("steering:rendering_download", args=[review.convention_id, draft.pk])
    page = reverse("steering:review_detail", args=[review.convention_id, review.school_year])
    assert draft_download in client.get(page).text  # its editors still find it

    client.force_login(member_staff)
    assert draft_download not in client.get(page).text
    assert client.get(draft_download).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, review)
    final = Rendering.objects.exclude(pk=draft.pk).get()
    final_download = reverse("steering:rendering_download", args=[review.convention_id, final.pk])
    assert final_download in client.get(page).text
    assert client.get(final_download).status_code == 200
    # Asked again, the final document is handed back, never the draft one.
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, review)
    assert response["Location"].endswith(f"/{final.pk}/")


def test_minutes_made_before_the_meeting_was_held_are_not_served_to_readers(
    client, academy_staff, member_staff, cycle, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(convention=cycle.convention, status=MeetingStatus.SCHEDULED)
    url = reverse("steering:minutes_render", args=[cycle.convention.pk, meeting.pk])
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"variant": "public", "file_format": "docx"})
    draft = Rendering.objects.get()
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    client.force_login(member_staff)
    draft_download = reverse("steering:rendering_download", args=[cycle.convention.pk, draft.pk])
    assert client.get(draft_download).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"variant": "public", "file_format": "docx"})
    final = Rendering.objects.exclude(pk=draft.pk).get()
    assert response["Location"].endswith(f"/{final.pk}/")
    assert client.get(reverse("steering:rendering_download", args=[cycle.convention.pk, final.pk])).status_code == 200
