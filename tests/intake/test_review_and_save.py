"""The review page shows each value beside its source passage; saving creates the convention and
everything the reading holds, all or nothing."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from partenariats.activities.models import Action, Plan
from partenariats.conventions.models import (
    Article,
    Audience,
    Commitment,
    Convention,
    DatePrecision,
    Document,
    Party,
    Signatory,
)
from partenariats.directory.models import LegalBasis, Membership, Organisation, OrganisationKind, Person
from partenariats.intake import services
from partenariats.intake.models import ImportStatus
from partenariats.intake.review import forms_for
from partenariats.intake.views import _home_academy, _writable_academies
from tests.factories import OrganisationFactory
from tests.intake.conftest import SAMPLE_TEXT, form_data

pytestmark = pytest.mark.django_db


def review_url(job):
    return reverse("intake:job_review", args=[job.pk])


def initial_post(job, user) -> dict:
    """The review as shown, with the académie the person ticks (the sample names none of theirs)."""
    data = form_data(forms_for(job, user, _writable_academies(user), _home_academy(user)))
    if not data.get("academies"):
        data["academies"] = [str(_home_academy(user).pk)]
    return data


def test_the_review_marks_each_source_passage_and_escapes_the_text(client, academy_staff, ready_job):
    client.force_login(academy_staff)
    response = client.get(review_url(ready_job))
    assert response.status_code == 200
    page = response.content.decode()
    # The hostile passage of the text is shown as text, never run.
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # The representative's passage is marked where the reader found it, and the form links to it.
    assert (
        '<mark class="intake-mark" id="src-parties-1-representative" '
        'data-source="src-parties-1-representative">M. Paul DURAND</mark>' in page
    )
    assert 'href="#src-parties-1-representative"' in page
    assert 'id="src-section-0"' in page
    # Flags, candidates and empty fields come first.
    assert "À vérifier en priorité" in page
    assert "date commune à tous les signataires" in page
    assert "préavis non précisé" in page
    assert "Texte de démonstration" in page


def test_saving_creates_every_object_with_the_read_values(client, academy_staff, ready_job, aix):
    Audience.objects.create(code="troisieme", label="Élèves de 3e")
    existing = OrganisationFactory(
        kind=OrganisationKind.ACADEMY_SERVICE, name="Académie de Nice", academy=None, siret=""
    )
    client.force_login(academy_staff)
    data = initial_post(ready_job, academy_staff)
    # The académie party matches the existing organisation by its name; the federation is created.
    assert data["parties-0-organisation"] == str(existing.pk)
    assert data["parties-1-organisation"] == "new"
    assert data["academies"] == [str(aix.pk)]
    response = client.post(review_url(ready_job), data)
    convention = Convention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == convention.get_absolute_url()

    assert convention.title == "Convention de coopération"
    assert convention.signature_place == "Toulon"
    assert convention.originals == 2
    assert convention.duration_months == 24
    assert convention.tacit_renewal is False
    # Two years from the signature of 12 October 2022, no renewal: the term engine's end.
    assert convention.ends_on == datetime.date(2024, 10, 11)
    assert list(convention.academies.all()) == [aix]
    assert list(convention.owners.all()) == [academy_staff]

    parties = list(Party.objects.filter(convention=convention).order_by("position"))
    assert parties[0].organisation == existing
    federation = parties[1].organisation
    assert (federation.name, federation.kind, federation.acronym) == (
        "Fédération des Métiers du Bois du Var",
        OrganisationKind.EMPLOYER_ORG,
        "FMBV",
    )
    assert (federation.address, federation.postal_code, federation.city) == ("10 avenue des Pins", "83000", "Toulon")
    assert parties[1].representative_name == "Paul DURAND"

    signatories = list(Signatory.objects.filter(convention=convention).order_by("position"))
    assert [(s.name, s.signed_on, s.date_precision, s.party) for s in signatories] == [
        ("Hélène MARTIN", datetime.date(2022, 10, 12), DatePrecision.DAY, parties[0]),
        ("Paul DURAND", datetime.date(2022, 10, 12), DatePrecision.DAY, parties[1]),
    ]

    articles = {a.number: a for a in Article.objects.filter(convention=convention)}
    assert set(articles) == {"1", "2", "2.1", "2.2", "3", "Annexe 1"}
    assert articles["2.1"].parent == articles["2"]
    assert articles["1"].text.startswith("La présente convention organise")
    assert articles["2"].text == ""  # its text is in its sub-articles

    commitments = list(Commitment.objects.filter(convention=convention).order_by("position"))
    # The joint commitment is one commitment per party.
    assert [(c.party, c.article.number) for c in commitments] == [
        (parties[1], "2.1"),
        (parties[0], "2.2"),
        (parties[1], "2.2"),
    ]
    assert [a.label for a in commitments[0].audiences.all()] == ["Élèves de 3e"]

    person = Person.objects.get(email="claire.bernard@example.invalid")
    assert (person.first_name, person.last_name) == ("Claire", "BERNARD")
    assert person.legal_basis == LegalBasis.CONTRACT
    assert person.data_source == "Convention importée"
    assert person.academy == aix
    assert Membership.objects.get(person=person).organisation == existing

    plan = Plan.objects.get(convention=convention)
    assert plan.school_year == 2022
    action = Action.objects.get(plan=plan)
    assert (action.title, action.objective, action.start_wording) == (
        "Stages d'observation",
        "Accueillir vingt élèves",
        "Rentrée scolaire 2022 – 2023",
    )
    assert [(m.party, m.text) for m in action.modalities.all()] == [(parties[1], "Publie les offres de stage.")]

    document = Document.objects.get(convention=convention)
    assert document.kind == "signed"
    assert default_storage.exists(document.file.name)
    ready_job.refresh_from_db()
    assert ready_job.status == ImportStatus.SAVED
    assert ready_job.convention == convention
    # The saved page is the convention's now.
    assert client.get(review_url(ready_job))["Location"] == convention.get_absolute_url()


def test_unticked_rows_are_left_out(client, academy_staff, ready_job):
    client.force_login(academy_staff)
    data = initial_post(ready_job, academy_staff)
    for key in ("commitments-0-keep", "commitments-1-keep", "contacts-0-keep", "actions-0-keep", "articles-1-keep"):
        data.pop(key)
    data["parties-0-kind"] = OrganisationKind.ACADEMY_SERVICE
    assert client.post(review_url(ready_job), data).status_code == 302
    convention = Convention.objects.get()
    assert not Commitment.objects.filter(convention=convention).exists()
    assert not Person.objects.exists()
    assert not Plan.objects.filter(convention=convention).exists()
    articles = {a.number: a for a in Article.objects.filter(convention=convention)}
    # Article 2 is left out: its sub-articles move up.
    assert "2" not in articles
    assert articles["2.1"].parent is None


def test_a_duplicated_party_saves_nothing_and_keeps_the_input(client, academy_staff, ready_job):
    # One organisation that both read parties match: by its name and by its acronym.
    existing = OrganisationFactory(kind=OrganisationKind.EMPLOYER_ORG, name="Académie de Nice", acronym="FMBV")
    client.force_login(academy_staff)
    data = initial_post(ready_job, academy_staff)
    data["parties-0-organisation"] = str(existing.pk)
    data["parties-1-organisation"] = str(existing.pk)
    data["title"] = "Titre corrigé par la personne"
    organisations = Organisation.objects.count()
    response = client.post(review_url(ready_job), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "La même organisation figure deux fois parmi les parties." in page
    assert "Titre corrigé par la personne" in page
    assert not Convention.objects.exists()
    assert Organisation.objects.count() == organisations
    ready_job.refresh_from_db()
    assert ready_job.status == ImportStatus.READY


def test_an_error_mid_save_leaves_nothing_behind(client, academy_staff, ready_job, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("panne")

    stored_before = set(_stored_documents())
    monkeypatch.setattr(services, "_save_actions", broken)
    client.force_login(academy_staff)
    data = initial_post(ready_job, academy_staff)
    data["parties-0-kind"] = OrganisationKind.ACADEMY_SERVICE
    data["title"] = "Titre saisi avant la panne"
    response = client.post(review_url(ready_job), data)
    # The person sees the form again, their input kept, and a French message; the error is logged.
    assert response.status_code == 200
    page = response.content.decode()
    assert "L’enregistrement a échoué : rien n’a été enregistré. Réessayez ou contactez l’assistance." in page
    assert "Titre saisi avant la panne" in page
    assert "panne" in caplog.text
    ready_job.refresh_from_db()
    assert ready_job.status == ImportStatus.READY
    assert not Convention.objects.exists()
    assert not Organisation.objects.filter(name="Fédération des Métiers du Bois du Var").exists()
    assert not Document.objects.exists()
    assert not Person.objects.exists()
    assert set(_stored_documents()) == stored_before


def test_an_error_after_the_document_is_stored_removes_its_file(academy_staff, ready_job, monkeypatch):
    from partenariats.intake.forms import review_data

    forms = forms_for(ready_job, academy_staff, _writable_academies(academy_staff), _home_academy(academy_staff))
    posted = form_data(forms)
    posted["academies"] = [str(_home_academy(academy_staff).pk)]
    bound = forms_for(
        ready_job, academy_staff, _writable_academies(academy_staff), _home_academy(academy_staff), posted
    )
    bound["parties"].forms[0].data = bound["parties"].forms[0].data.copy()
    assert all(form.is_valid() for form in bound.values()), {k: f.errors for k, f in bound.items()}
    data = review_data(bound, ready_job.result)
    stored_before = set(_stored_documents())

    def broken(convention, today=None):
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "refresh_terms", broken)
    with pytest.raises(RuntimeError):
        services.save_reviewed(ready_job, data, academy_staff)
    assert set(_stored_documents()) == stored_before
    assert not Convention.objects.exists()


def _stored_documents() -> list[str]:
    folder = "conventions"
    if not default_storage.exists(folder):
        return []
    names = []
    directories, _ = default_storage.listdir(folder)
    for directory in directories:
        names += [f"{folder}/{directory}/{name}" for name in default_storage.listdir(f"{folder}/{directory}")[1]]
    return names


def test_the_sample_text_is_the_reading_text(ready_job):
    assert ready_job.result["text"] == SAMPLE_TEXT
