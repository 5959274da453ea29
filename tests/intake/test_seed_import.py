"""A real convention (a seed, read at run time) goes from upload to saved convention through the
real reader, the review's prefilled values accepted as they are."""

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partenariats.conventions.models import Convention
from partenariats.intake.models import ImportJob, ImportStatus
from partenariats.intake.review import forms_for
from partenariats.intake.views import _home_academy, _writable_academies
from tests.intake.conftest import form_data
from tests.reader.render import images_to_pdf, pdf_to_images, scan_noise, text_to_pdf

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def _accept_the_review(client, user, job: ImportJob) -> Convention:
    """Post the review with the values as read, deciding only what the review leaves open."""
    review = reverse("intake:job_review", args=[job.pk])
    assert client.get(review).status_code == 200
    forms = forms_for(job, user, _writable_academies(user), _home_academy(user))
    data = form_data(forms)
    # What the reviewer must decide: the kind of an organisation the reader could not tell.
    for index in range(int(data["parties-TOTAL_FORMS"])):
        data[f"parties-{index}-kind"] = data[f"parties-{index}-kind"] or "association"
    # What the text may leave open and the review no longer guesses: the académie, the start of the
    # term, a commitment's party, an action's title.
    data["academies"] = data["academies"] or [str(_home_academy(user).pk)]
    data["start_mode"] = data["start_mode"] or "signature"
    for index in range(int(data["commitments-TOTAL_FORMS"])):
        if not data[f"commitments-{index}-party"]:
            data.pop(f"commitments-{index}-keep", None)
    for index in range(int(data["actions-TOTAL_FORMS"])):
        data[f"actions-{index}-title"] = data[f"actions-{index}-title"] or f"Action {index + 1}"
    for index in range(int(data["modalities-TOTAL_FORMS"])):
        if not data[f"modalities-{index}-party"]:
            data.pop(f"modalities-{index}-keep", None)
    response = client.post(review, data)
    if response.status_code != 302:
        errors = {key: form.errors for key, form in response.context["forms"].items() if form.errors}
        pytest.fail(f"{response.context['error_message']} {errors}")
    return Convention.objects.get()


@pytest.mark.parametrize("name", sorted(path.name for path in SEEDS.glob("*.txt")) if SEEDS.exists() else [])
def test_a_seed_is_imported_with_the_values_as_read(client, academy_staff, name):
    client.force_login(academy_staff)
    client.post(reverse("intake:upload"), {"file": SimpleUploadedFile(name, (SEEDS / name).read_bytes())})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY, job.error
    read = job.result

    convention = _accept_the_review(client, academy_staff, job)

    assert convention.title == read["title"]
    assert convention.parties.count() == len(read["parties"])


@pytest.mark.slow
def test_a_scanned_seed_becomes_a_convention_with_the_right_timeline(client, academy_staff):
    """Seed 004 printed, scanned (noise, a slight tilt) and dropped as an image-only PDF."""
    seed = SEEDS / "004_c4445d50fca04f14.txt"
    if not seed.exists():
        pytest.skip(f"{seed} is missing")
    pages = pdf_to_images(text_to_pdf(seed.read_text(encoding="utf-8"), compact=True))
    scan = images_to_pdf([scan_noise(page, seed=number) for number, page in enumerate(pages)])
    client.force_login(academy_staff)
    client.post(reverse("intake:upload"), {"file": SimpleUploadedFile("scan.pdf", scan)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY, job.error
    assert job.result["source"]["ocr_pages"] == len(pages)

    convention = _accept_the_review(client, academy_staff, job)

    # Signed on 18 March 2021 for two years, renewed tacitly: in force in its third period today.
    assert convention.signatories.filter(signed_on=date(2021, 3, 18)).count() == 3
    assert (convention.duration_months, convention.tacit_renewal) == (24, True)
    assert convention.period_start == date(2025, 3, 18)
    assert convention.period_end == date(2027, 3, 17)
