"""A real convention (a seed, read at run time) goes from upload to saved convention through the
real reader, the review's prefilled values accepted as they are."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partenariats.conventions.models import Convention
from partenariats.intake.models import ImportJob, ImportStatus
from partenariats.intake.review import forms_for
from partenariats.intake.views import _home_academy, _writable_academies
from tests.intake.conftest import form_data

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.mark.parametrize("name", sorted(path.name for path in SEEDS.glob("*.txt")) if SEEDS.exists() else [])
def test_a_seed_is_imported_with_the_values_as_read(client, academy_staff, name):
    client.force_login(academy_staff)
    client.post(reverse("intake:upload"), {"file": SimpleUploadedFile(name, (SEEDS / name).read_bytes())})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY, job.error
    review = reverse("intake:job_review", args=[job.pk])
    assert client.get(review).status_code == 200
    forms = forms_for(job, academy_staff, _writable_academies(academy_staff), _home_academy(academy_staff))
    data = form_data(forms)
    # What the reviewer must decide: the kind of an organisation the reader could not tell.
    for index in range(int(data["parties-TOTAL_FORMS"])):
        data[f"parties-{index}-kind"] = data[f"parties-{index}-kind"] or "association"
    # What the text may leave open and the review no longer guesses: the académie, the start of the
    # term, a commitment's party, an action's title.
    data["academies"] = data["academies"] or [str(_home_academy(academy_staff).pk)]
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
    convention = Convention.objects.get()
    assert convention.title == job.result["title"]
    assert convention.parties.count() == len(job.result["parties"])
