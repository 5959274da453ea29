"""The review keeps what the reader could not tell empty and asks for it, saves what the person
chose (commitments' parties, kept parties), survives files and requests it did not expect, and
forgets the job's reading once the convention holds it."""

import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from partenariats.conventions.models import Commitment, Convention, Document, Party, Signatory
from partenariats.directory.models import Organisation, OrganisationKind
from partenariats.intake import services
from partenariats.intake.forms import ALL_PARTIES
from partenariats.intake.matching import match_organisations
from partenariats.intake.models import ImportJob, ImportStatus
from partenariats.intake.review import forms_for
from partenariats.intake.views import _home_academy, _writable_academies
from tests.factories import OrganisationFactory
from tests.intake.conftest import PDF_BYTES, SAMPLE_TEXT, form_data, sample_contract

pytestmark = pytest.mark.django_db


def review_url(job):
    return reverse("intake:job_review", args=[job.pk])


def _forms(job, user, data=None):
    return forms_for(job, user, _writable_academies(user), _home_academy(user), data)


def _post(job, user) -> dict:
    """The review as shown, with what the person must decide filled in."""
    data = form_data(_forms(job, user))
    data["academies"] = data["academies"] or [str(_home_academy(user).pk)]
    data["start_mode"] = data["start_mode"] or "signature"
    for index in range(int(data["parties-TOTAL_FORMS"])):
        data[f"parties-{index}-kind"] = data[f"parties-{index}-kind"] or OrganisationKind.ASSOCIATION
    return data


def _with_result(job, change) -> ImportJob:
    result = sample_contract()
    change(result)
    job.result = result
    job.save(update_fields=["result"])
    return job


def _third_party(result: dict) -> None:
    result["parties"].append(
        {
            "name": "Chambre des Artisans du Littoral",
            "kind": "chamber",
            "representative": "Inès ROUX",
            "representative_title": "présidente",
            "address": None,
            "acronym": None,
            "siret": None,
        }
    )


def _attention_paths(response) -> set[str]:
    return {entry["item"].path for entry in response.context["attention"]}


# --- 1. Commitments -----------------------------------------------------------------------------


def test_a_commitment_of_some_parties_is_saved_once_for_each_of_them(client, academy_staff, ready_job):
    def change(result):
        _third_party(result)
        result["commitments"][1].update({"party": None, "parties": [0, 1], "all": False})

    _with_result(ready_job, change)
    forms = _forms(ready_job, academy_staff)
    row = forms["commitments"].forms[1]
    choices = [value for value, _label in row.fields["party"].choices]
    assert ALL_PARTIES not in choices  # the subject is not all the parties
    assert row["party"].value() == "0,1"
    client.force_login(academy_staff)
    assert client.post(review_url(ready_job), _post(ready_job, academy_staff)).status_code == 302
    parties = list(Party.objects.order_by("position"))
    joint = Commitment.objects.filter(article__number="2.2").order_by("position")
    assert [c.party for c in joint] == parties[:2]


def test_a_commitment_of_all_the_parties_offers_and_prefills_all(ready_job, academy_staff):
    row = _forms(ready_job, academy_staff)["commitments"].forms[1]
    assert row["party"].value() == ALL_PARTIES


def test_a_commitment_whose_party_is_unknown_is_left_empty_required_and_flagged(client, academy_staff, ready_job):
    _with_result(ready_job, lambda r: r["commitments"][1].update({"party": None, "parties": [], "all": False}))
    row = _forms(ready_job, academy_staff)["commitments"].forms[1]
    assert row["party"].value() == ""
    assert ALL_PARTIES not in [value for value, _label in row.fields["party"].choices]
    client.force_login(academy_staff)
    response = client.get(review_url(ready_job))
    assert "commitments.1.party" in _attention_paths(response)
    response = client.post(review_url(ready_job), _post(ready_job, academy_staff))
    assert response.status_code == 200
    assert "Choisissez la partie qui s’engage" in response.content.decode()
    assert not Convention.objects.exists()


# --- 2. A file the registry refuses -------------------------------------------------------------


def test_a_file_the_registry_refuses_is_left_out_and_the_convention_saved(client, academy_staff, ready_job):
    ready_job.file.save("upload", ContentFile(b"\x00junk before the header\n" + PDF_BYTES), save=True)
    client.force_login(academy_staff)
    response = client.post(review_url(ready_job), _post(ready_job, academy_staff), follow=True)
    convention = Convention.objects.get()
    assert not Document.objects.filter(convention=convention).exists()
    assert "Le fichier n’a pas pu être joint à la convention :" in response.content.decode()
    ready_job.refresh_from_db()
    assert ready_job.status == ImportStatus.SAVED


# --- 3. Keeping parties -------------------------------------------------------------------------


def test_fewer_than_two_kept_parties_saves_nothing(client, academy_staff, ready_job):
    client.force_login(academy_staff)
    data = _post(ready_job, academy_staff)
    data.pop("parties-1-keep")
    response = client.post(review_url(ready_job), data)
    assert response.status_code == 200
    assert "Une convention lie au moins deux parties" in response.content.decode()
    assert not Convention.objects.exists()
    assert not Organisation.objects.exists()


def test_an_unkept_party_is_left_out_and_its_rows_must_follow(client, academy_staff, ready_job):
    _with_result(ready_job, _third_party)
    client.force_login(academy_staff)
    data = _post(ready_job, academy_staff)
    data.pop("parties-1-keep")
    # The federation's signatory, commitment, modality still point to it: each is a French error.
    response = client.post(review_url(ready_job), data)
    assert response.status_code == 200
    assert "n’est pas (ou plus) parmi les parties gardées" in response.content.decode()
    assert not Convention.objects.exists()
    for key in ("signatures-1-keep", "commitments-0-keep", "modalities-0-keep"):
        data.pop(key)
    assert client.post(review_url(ready_job), data).status_code == 302
    convention = Convention.objects.get()
    names = [p.organisation.name for p in convention.parties.order_by("position")]
    assert names == ["Académie de Nice", "Chambre des Artisans du Littoral"]
    assert [s.name for s in Signatory.objects.filter(convention=convention)] == ["Hélène MARTIN"]
    # « Toutes les parties » means the kept ones.
    assert Commitment.objects.filter(convention=convention).count() == 2


# --- 4. No silent defaults ----------------------------------------------------------------------


def test_what_the_reader_left_empty_is_not_prefilled(client, academy_staff, ready_job):
    def change(result):
        result["terms"]["start"] = None
        result["actions"][0]["title"] = None

    _with_result(ready_job, change)
    forms = _forms(ready_job, academy_staff)
    convention = forms["convention"]
    assert convention["start_mode"].value() in (None, "")
    # No education party names one of the user's académies: none is ticked for them.
    assert convention["academies"].value() in (None, [])
    assert forms["actions"].forms[0]["title"].value() == ""
    client.force_login(academy_staff)
    paths = _attention_paths(client.get(review_url(ready_job)))
    assert {"terms.start", "academies", "kind", "actions.0.title"} <= paths
    data = form_data(forms)
    response = client.post(review_url(ready_job), data)
    assert response.status_code == 200
    assert set(response.context["forms"]["convention"].errors) >= {"start_mode", "academies"}
    assert "title" in response.context["forms"]["actions"].forms[0].errors


def test_the_academie_an_education_party_names_is_prefilled(ready_job, academy_staff, aix):
    _with_result(ready_job, lambda r: r["parties"][0].update({"name": f"Académie d’{aix.name}"}))
    assert _forms(ready_job, academy_staff)["convention"]["academies"].value() == [aix.pk]


# --- 5. Matching --------------------------------------------------------------------------------


def test_an_organisation_of_another_academie_is_offered(academy_staff, nice):
    elsewhere = OrganisationFactory(
        kind=OrganisationKind.EMPLOYER_ORG, name="Fédération des Métiers du Bois du Var", academy=nice
    )
    matches = match_organisations({"name": "Fédération des Métiers du Bois du Var"}, academy_staff)
    assert elsewhere in [match.organisation for match in matches]


# --- 6. A ValueError of the reader --------------------------------------------------------------


def test_a_value_error_of_the_reader_fails_with_the_generic_message(academy_staff, aix, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ValueError("défaut du lecteur")

    monkeypatch.setattr(services, "read_bytes", broken)
    with caplog.at_level(logging.ERROR, logger="partenariats.intake.services"):
        job = services.create_job(user=academy_staff, academy=aix, content=SAMPLE_TEXT.encode(), original_name="a.txt")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.error == services.GENERIC_FAILURE
    assert any(record.exc_info for record in caplog.records)


# --- 7. Tampered requests -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        {"parties-TOTAL_FORMS": "2", "signatures-0-party": "2"},
        {"contacts-0-party": "7"},
        {"commitments-0-party": "0,9"},
        {"modalities-0-party": "-1"},
        {"parties-TOTAL_FORMS": "2", "modalities-0-party": "2"},
    ],
)
def test_a_party_index_out_of_the_posted_parties_is_a_form_error(client, academy_staff, ready_job, tamper):
    _with_result(ready_job, _third_party)
    client.force_login(academy_staff)
    data = _post(ready_job, academy_staff)
    data.update(tamper)
    response = client.post(review_url(ready_job), data)
    assert response.status_code == 200
    assert "Certains champs sont à corriger" in response.content.decode()
    assert not Convention.objects.exists()


def test_the_service_refuses_an_index_out_of_the_parties(academy_staff, ready_job):
    from partenariats.conventions.services import ActionRefused
    from partenariats.intake.services import CommitmentReview, PartyReview, ReviewData

    data = ReviewData(
        convention={},
        academies=[],
        parties=[PartyReview(name="A"), PartyReview(name="B")],
        commitments=[CommitmentReview(text="x", parties=[5])],
    )
    with pytest.raises(ActionRefused):
        services.save_reviewed(ready_job, data, academy_staff)


# --- 8. Double submit ---------------------------------------------------------------------------


def test_a_double_submit_leads_to_the_saved_convention(client, academy_staff, ready_job, monkeypatch):
    real = services.save_reviewed

    def twice(job, data, by_user, notes=None):
        real(job, data, by_user, notes)  # the first submit, finished meanwhile
        return real(job, data, by_user, notes)

    monkeypatch.setattr(services, "save_reviewed", twice)
    client.force_login(academy_staff)
    response = client.post(review_url(ready_job), _post(ready_job, academy_staff))
    assert response.status_code == 302
    assert response["Location"] == Convention.objects.get().get_absolute_url()


# --- 9. After the save --------------------------------------------------------------------------


def test_a_saved_job_forgets_its_reading_and_file(client, academy_staff, ready_job, django_capture_on_commit_callbacks):
    stored = ready_job.file.name
    client.force_login(academy_staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(review_url(ready_job), _post(ready_job, academy_staff)).status_code == 302
    ready_job.refresh_from_db()
    convention = Convention.objects.get()
    assert ready_job.result is None
    assert not ready_job.file
    assert not default_storage.exists(stored)
    assert default_storage.exists(Document.objects.get(convention=convention).file.name)
    page = client.get(reverse("intake:job_detail", args=[ready_job.pk])).content.decode()
    assert f'href="{convention.get_absolute_url()}"' in page


# --- 10. The job list ---------------------------------------------------------------------------


def test_the_job_list_is_paginated(client, academy_staff, aix):
    ImportJob.objects.bulk_create(
        ImportJob(academy=aix, created_by=academy_staff, original_name=f"f{i}.txt", size=1, sha256=f"{i:064d}")
        for i in range(25)
    )
    client.force_login(academy_staff)
    response = client.get(reverse("intake:upload"))
    assert len(response.context["page_obj"]) == 20
    assert "Page suivante" in response.content.decode()
    assert len(client.get(reverse("intake:upload") + "?page=2").context["page_obj"]) == 5


# --- 11. The progress fragment ------------------------------------------------------------------


def test_the_swapped_fragment_holds_no_control(client, academy_staff, ready_job):
    ImportJob.objects.filter(pk=ready_job.pk).update(status=ImportStatus.RUNNING, progress=10)
    client.force_login(academy_staff)
    url = reverse("intake:job_detail", args=[ready_job.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<form" not in fragment
    assert "Rafraîchir" not in fragment
    assert fragment.count("aria-live") == 1
    assert 'id="job-status-text" aria-live="polite"' in fragment
    page = client.get(url).content.decode()
    # The controls are on the page, after the swapped block, and no live region wraps the block.
    assert page.index("Rafraîchir") > page.index('id="job-status"')
    assert page.index("Annuler l’import") > page.index('id="job-status"')
    assert '<div aria-live="polite">' not in page
