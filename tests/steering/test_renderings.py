"""Generated documents made by the worker: queued, made with progress, reused, failed cleanly."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from partenariats.steering import renderings
from partenariats.steering.models import Rendering, RenderStatus, ReviewStatus
from tests.steering.factories import MeetingFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(cycle):
    return ReviewFactory(convention=cycle.convention, school_year=2025)


def _request(user, review, *, variant="public", file_format="pdf"):
    return renderings.request_rendering(user, review=review, variant=variant, file_format=file_format)


def test_it_queues_then_the_worker_makes_the_file(review, academy_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rendering = _request(academy_staff, review)
    rendering.refresh_from_db()
    assert rendering.status == RenderStatus.QUEUED
    assert rendering.requested_by == academy_staff
    assert not rendering.file
    # The task is enqueued once the transaction commits, and runs (immediate backend in tests).
    for callback in callbacks:
        callback()
    rendering.refresh_from_db()
    assert rendering.status == RenderStatus.DONE
    assert rendering.progress == 100
    assert rendering.finished_at is not None
    data = rendering.file.read()
    assert data.startswith(b"%PDF")
    assert rendering.size == len(data)
    assert rendering.file.name.startswith(f"steering/{review.convention_id}/")


def test_a_docx_is_a_word_file(review, academy_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rendering = _request(academy_staff, review, file_format="docx", variant="full")
    rendering.refresh_from_db()
    assert rendering.status == RenderStatus.DONE
    assert rendering.file.read()[:2] == b"PK"
    assert renderings.content_type(rendering).endswith("wordprocessingml.document")


def test_the_same_content_is_not_rendered_twice(review, academy_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(academy_staff, review)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = _request(academy_staff, review)
    assert again.pk == first.pk
    assert callbacks == []  # no new work
    assert Rendering.objects.count() == 1
    # Another format, another version: other documents.
    with django_capture_on_commit_callbacks(execute=True):
        docx = _request(academy_staff, review, file_format="docx")
        full = _request(academy_staff, review, variant="full")
    assert len({first.pk, docx.pk, full.pk}) == 3


def test_a_change_in_the_content_makes_a_new_document(review, academy_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(academy_staff, review)
    review.sections.create(key="mot", title="Le mot du recteur", text="Une belle année.")
    with django_capture_on_commit_callbacks(execute=True):
        second = _request(academy_staff, review)
    assert second.pk != first.pk
    assert second.content_digest != first.content_digest


def test_the_digest_ignores_the_time_of_the_computation_not_the_figures():
    content = {"taken_at": "2026-06-30T10:00:00+02:00", "taken_at_display": "30 juin 2026", "value": 1}
    later = {**content, "taken_at": "2026-06-30T10:05:00+02:00"}
    digest = renderings.content_digest(content, variant="full", file_format="pdf")
    assert renderings.content_digest(later, variant="full", file_format="pdf") == digest
    assert renderings.content_digest({**content, "value": 2}, variant="full", file_format="pdf") != digest
    assert renderings.content_digest(content, variant="public", file_format="pdf") != digest
    assert renderings.content_digest(content, variant="full", file_format="docx") != digest


def test_the_worker_reports_each_stage(review, academy_staff, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    original = renderings._stage

    def spy(rendering_id, label):
        original(rendering_id, label)
        row = Rendering.objects.get(pk=rendering_id)
        seen.append((row.status, row.progress_label, row.progress))

    monkeypatch.setattr(renderings, "_stage", spy)
    with django_capture_on_commit_callbacks(execute=True):
        _request(academy_staff, review)
    labels = [label for _status, label, _progress in seen]
    assert labels == ["Calcul des chiffres", "Dessin des graphiques", "Mise en page", "Enregistrement"]
    assert all(status == RenderStatus.RUNNING for status, _label, _progress in seen)
    progresses = [progress for _status, _label, progress in seen]
    assert progresses == sorted(progresses)
    assert progresses[-1] < 100


def test_a_failing_renderer_leaves_a_french_error_and_no_file(
    review, academy_staff, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(content, progress):
        raise RuntimeError("boom")

    monkeypatch.setitem(renderings.RENDERERS, ("review", "pdf"), broken)
    before = set(_stored(review))
    with django_capture_on_commit_callbacks(execute=True):
        rendering = _request(academy_staff, review)
    rendering.refresh_from_db()
    assert rendering.status == RenderStatus.FAILED
    assert rendering.error == renderings.GENERIC_FAILURE
    assert "boom" not in rendering.error
    assert not rendering.file
    assert rendering.size == 0
    assert set(_stored(review)) == before
    # Asking again makes a new attempt, not the failed one.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = _request(academy_staff, review)
    assert again.pk != rendering.pk
    again.refresh_from_db()
    assert again.status == RenderStatus.DONE


def _stored(review) -> list[str]:
    folder = f"steering/{review.convention_id}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_minutes_are_rendered_too(cycle, academy_staff, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(convention=cycle.convention, minutes="Le comité s’est réuni.")
    with django_capture_on_commit_callbacks(execute=True):
        rendering = renderings.request_rendering(academy_staff, meeting=meeting, variant="full", file_format="pdf")
    rendering.refresh_from_db()
    assert rendering.status == RenderStatus.DONE
    assert rendering.document == "minutes"
    assert renderings.download_name(rendering).startswith("compte-rendu-2025-2026-")


def test_bad_input_is_refused_in_french(review, academy_staff):
    with pytest.raises(renderings.RenderingRefused, match="format"):
        _request(academy_staff, review, file_format="odt")
    with pytest.raises(renderings.RenderingRefused, match="version"):
        _request(academy_staff, review, variant="secret")
    assert not Rendering.objects.exists()


def test_the_download_name_is_french_and_tells_the_version(review, academy_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rendering = _request(academy_staff, review)
    assert renderings.download_name(rendering) == ("bilan-2025-2026-convention-rectorat-federation-exemple-public.pdf")


def _rendering(review, *, status=RenderStatus.QUEUED, file_format="pdf", variant="full", **times):
    rendering = Rendering.objects.create(
        convention=review.convention,
        document="review",
        review=review,
        variant=variant,
        file_format=file_format,
        status=status,
    )
    Rendering.objects.filter(pk=rendering.pk).update(**times)
    return rendering


def test_the_worker_signs_its_start_and_each_stage(review, academy_staff, django_capture_on_commit_callbacks):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        rendering = _request(academy_staff, review)
    rendering.refresh_from_db()
    assert rendering.status == RenderStatus.DONE
    assert before <= rendering.started_at <= rendering.heartbeat_at <= rendering.finished_at


def test_a_running_document_silent_for_ten_minutes_is_failed_a_living_one_is_not(review):
    now = timezone.now()
    minutes = datetime.timedelta(minutes=1)
    silent = _rendering(
        review, status=RenderStatus.RUNNING, started_at=now - 40 * minutes, heartbeat_at=now - 11 * minutes
    )
    never_signed = _rendering(review, status=RenderStatus.RUNNING, variant="public", started_at=now - 11 * minutes)
    # A long document whose worker still signs its stages keeps running.
    alive = _rendering(
        review, status=RenderStatus.RUNNING, file_format="docx", started_at=now - 40 * minutes, heartbeat_at=now
    )
    young = _rendering(
        review, status=RenderStatus.RUNNING, file_format="docx", variant="public", started_at=now - 9 * minutes
    )

    assert sorted(renderings.recover_stalled_renderings(now)) == sorted([silent.pk, never_signed.pk])

    for rendering in (silent, never_signed, alive, young):
        rendering.refresh_from_db()
    assert silent.status == never_signed.status == RenderStatus.FAILED
    assert silent.error == renderings.INTERRUPTED
    assert alive.status == young.status == RenderStatus.RUNNING
    assert renderings.recover_stalled_renderings(now) == []


def test_a_document_lost_on_its_way_to_the_queue_is_enqueued_again_once(
    review, monkeypatch, django_capture_on_commit_callbacks
):
    now = timezone.now()
    sent = []
    monkeypatch.setattr(renderings, "enqueue", sent.append)
    lost = _rendering(review, requested_at=now - datetime.timedelta(minutes=11))
    waiting = _rendering(review, variant="public", requested_at=now - datetime.timedelta(minutes=5))

    with django_capture_on_commit_callbacks(execute=True):
        assert renderings.recover_stalled_renderings(now) == [lost.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert renderings.recover_stalled_renderings(now + datetime.timedelta(minutes=1)) == []
    assert sent == [lost.pk]
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == waiting.status == RenderStatus.QUEUED
    # Ten minutes later, still lost: sent once more (and the other one, queued for 16 minutes now).
    with django_capture_on_commit_callbacks(execute=True):
        again = renderings.recover_stalled_renderings(now + datetime.timedelta(minutes=11))
    assert sorted(again) == sorted([lost.pk, waiting.pk])
    assert sorted(sent) == sorted([lost.pk, lost.pk, waiting.pk])


def test_a_document_enqueued_again_is_made(review, academy_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        rendering = _request(academy_staff, review)  # the task is never handed to the queue
    later = timezone.now() + datetime.timedelta(minutes=11)

    call_command("recover_renderings", stdout=io.StringIO())  # too early: nothing to do
    with django_capture_on_commit_callbacks(execute=True):
        renderings.recover_stalled_renderings(later)

    rendering.refresh_from_db()
    assert rendering.status == RenderStatus.DONE
    assert rendering.file


def test_a_document_queued_for_a_day_is_failed(review):
    stuck = _rendering(review, requested_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    out = io.StringIO()

    call_command("recover_renderings", stdout=out)

    stuck.refresh_from_db()
    assert stuck.status == RenderStatus.FAILED
    assert stuck.error == renderings.INTERRUPTED
    assert "1 document(s) repris" in out.getvalue()


def test_an_approved_review_renders_its_frozen_figures(review, academy_staff, django_capture_on_commit_callbacks):
    from partenariats.steering.reviews import approve

    approve(review, academy_staff)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        rendering = _request(academy_staff, review)
    rendering.refresh_from_db()
    import pdfplumber

    with pdfplumber.open(io.BytesIO(rendering.file.read())) as pdf:
        cover = pdf.pages[0].extract_text()
    assert "Bilan approuvé le" in cover
    assert "PROJET" not in cover


def test_a_request_takes_the_stored_figures_and_computes_nothing(cycle, academy_staff, monkeypatch):
    from partenariats.steering import content, reviews

    review = reviews.create_review(cycle.convention, 2025, academy_staff)

    def computed(*args, **kwargs):
        raise AssertionError("the figures were computed again")

    monkeypatch.setattr(content, "build_content", computed)
    monkeypatch.setattr(reviews, "build_content", computed)
    draft = _request(academy_staff, review)
    assert draft.content_digest
    reviews.approve(review, academy_staff)
    review.refresh_from_db()
    approved = _request(academy_staff, review)
    assert approved.pk != draft.pk


def test_an_approved_review_without_its_figures_is_refused_in_french(cycle, academy_staff):
    from partenariats.steering import reviews
    from partenariats.steering.models import Review

    review = reviews.create_review(cycle.convention, 2025, academy_staff)
    reviews.approve(review, academy_staff)
    Review.objects.filter(pk=review.pk).update(snapshot=None)
    review.refresh_from_db()
    with pytest.raises(renderings.RenderingRefused, match="introuvables ou incomplets"):
        _request(academy_staff, review)
    assert not Rendering.objects.exists()
