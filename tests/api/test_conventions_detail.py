"""GET /api/conventions/{id}: the whole convention, scoped, confidential items for the parties' staff only."""

import datetime

import pytest
from django.urls import reverse

from partenariats.accounts.models import Role
from partenariats.conventions.models import (
    Amendment,
    AmendmentKind,
    Article,
    Audience,
    ConventionKind,
    DatePrecision,
    EventKind,
    Programme,
)
from partenariats.conventions.services import record_event
from tests.factories import (
    AssignmentFactory,
    CommitmentFactory,
    ConventionFactory,
    DocumentFactory,
    OrganisationFactory,
    PartyFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOT_FOUND = "Introuvable : cet enregistrement n’existe pas ou n’est pas dans votre périmètre."


def detail(client, headers, convention) -> dict:
    response = client.get(f"/api/conventions/{convention.pk}", headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def national_of_nice(nice):
    """A national convention of Nice: Aix's staff read it without being party staff."""
    convention = ConventionFactory(
        signed=True, title="Convention nationale", kind=ConventionKind.NATIONAL, academy=nice
    )
    CommitmentFactory(convention=convention, text="Engagement public")
    CommitmentFactory(convention=convention, text="Engagement confidentiel", confidential=True)
    DocumentFactory(convention=convention, title="Exemplaire public")
    DocumentFactory(convention=convention, title="Annexe confidentielle", confidential=True)
    return convention


def test_it_gives_the_terms_parties_and_signatories(client, bearer, academy_staff):
    convention = ConventionFactory(signed=True, preamble="Considérant l’intérêt des élèves…", originals=2)
    education = convention.parties.get(side="education")
    SignatoryFactory(
        convention=convention,
        party=education,
        name="Proviseure Exemple",
        signed_on=datetime.date(2021, 3, 1),
        date_precision=DatePrecision.MONTH,
        raw_date="mars 2021",
        position=2,
    )
    SignatoryFactory(convention=convention, party=None, name="Préfet Exemple", signed_on=None, position=3)
    body = detail(client, bearer(academy_staff), convention)
    assert body["preamble"] == "Considérant l’intérêt des élèves…"
    assert body["originals"] == 2
    assert body["terms"] == convention.terms_dict()
    assert body["terms"]["duration_months"] == 24
    parties = {party["side"]: party for party in body["parties"]}
    assert [s["name"] for s in parties["education"]["signatories"]] == ["Recteur Exemple", "Proviseure Exemple"]
    by_month = parties["education"]["signatories"][1]
    assert (by_month["date"], by_month["date_precision"], by_month["raw_date"]) == ("2021-03", "month", "mars 2021")
    assert by_month["date_precision_label"] == "Mois seulement"
    assert parties["partner"]["signatories"][0]["date"] == "2021-03-18"
    assert [s["name"] for s in body["other_signatories"]] == ["Préfet Exemple"]
    assert body["can_edit"] is True
    assert body["is_followed"] is False


def test_it_gives_articles_flat_with_their_parent(client, bearer, academy_staff):
    convention = ConventionFactory()
    title = Article.objects.create(convention=convention, number="2", heading="Engagements", position=1)
    sub = Article.objects.create(
        convention=convention, parent=title, number="2.1", heading="De l’entreprise", position=2
    )
    articles = detail(client, bearer(academy_staff), convention)["articles"]
    assert [(a["id"], a["parent_id"], a["number"]) for a in articles] == [
        (title.pk, None, "2"),
        (sub.pk, title.pk, "2.1"),
    ]


def test_it_gives_commitments_with_audiences_and_programmes(client, bearer, academy_staff):
    convention = ConventionFactory(signed=True)
    commitment = CommitmentFactory(convention=convention, text="Accueillir des stagiaires de 3e")
    commitment.audiences.add(Audience.objects.get(code="collegiens"))
    commitment.programmes.add(Programme.objects.get(code="stage-3e"))
    (given,) = detail(client, bearer(academy_staff), convention)["commitments"]
    assert given["text"] == "Accueillir des stagiaires de 3e"
    assert given["party_id"] == commitment.party_id
    assert given["audiences"] == [{"code": "collegiens", "label": "Collégiens"}]
    assert given["programmes"] == [{"code": "stage-3e", "label": "Stage d’observation de 3e"}]


def test_it_gives_amendments_and_events(client, bearer, academy_staff):
    convention = ConventionFactory(signed=True)
    Amendment.objects.create(
        convention=convention,
        number=1,
        kind=AmendmentKind.TERMS,
        title="Prolongation",
        effective_on=datetime.date(2022, 1, 1),
        terms_changes={"duration_months": 36},
    )
    record_event(
        convention,
        kind=EventKind.RENEGOTIATION_OPENED,
        on=datetime.date(2022, 6, 1),
        by_user=academy_staff,
        note="Réunion de lancement",
    )
    body = detail(client, bearer(academy_staff), convention)
    (amendment,) = body["amendments"]
    assert amendment["kind_label"] == "Modification de la durée ou des conditions de fin"
    assert amendment["terms_changes"] == {"duration_months": 36}
    (event,) = body["events"]
    assert (event["kind"], event["date"], event["note"]) == (
        "renegotiation_opened",
        "2022-06-01",
        "Réunion de lancement",
    )
    assert event["recorded_by"] == academy_staff.get_full_name()
    assert body["version"] == 2


def test_it_hides_confidential_commitments_and_documents_from_staff_not_party(
    client, bearer, academy_staff, national_of_nice
):
    body = detail(client, bearer(academy_staff), national_of_nice)
    assert [c["text"] for c in body["commitments"]] == ["Engagement public"]
    assert [d["title"] for d in body["documents"]] == ["Exemplaire public"]
    assert "confidentiel" not in str(body["commitments"]).lower()
    assert body["can_edit"] is False


def test_it_shows_confidential_items_to_the_parties_staff(client, bearer, colleague_elsewhere, national_of_nice):
    body = detail(client, bearer(colleague_elsewhere), national_of_nice)
    assert sorted(c["text"] for c in body["commitments"]) == ["Engagement confidentiel", "Engagement public"]
    assert sorted(d["title"] for d in body["documents"]) == ["Annexe confidentielle", "Exemplaire public"]


def test_it_shows_confidential_items_to_a_partys_own_staff(client, bearer, partner_contact, company):
    convention = ConventionFactory(signed=True)
    CommitmentFactory(
        convention=convention,
        party=PartyFactory(convention=convention, organisation=company, position=2),
        text="Engagement confidentiel",
        confidential=True,
    )
    body = detail(client, bearer(partner_contact), convention)
    assert [c["text"] for c in body["commitments"]] == ["Engagement confidentiel"]


def test_it_hides_confidential_items_from_a_federations_staff_reading_a_members_convention(client, bearer, company):
    federation = OrganisationFactory(federation=True)
    federation.members.add(company)
    staff = UserFactory()
    AssignmentFactory(user=staff, role=Role.PARTNER_STAFF, academy=None, organisation=federation)
    convention = ConventionFactory(signed=True)
    party = PartyFactory(convention=convention, organisation=company, position=2)
    CommitmentFactory(convention=convention, party=party, text="Engagement confidentiel", confidential=True)
    body = detail(client, bearer(staff), convention)
    assert body["commitments"] == []


def test_it_gives_document_metadata_but_never_the_stored_path(client, bearer, academy_staff):
    convention = ConventionFactory(signed=True)
    document = DocumentFactory(convention=convention, title="Exemplaire signé")
    (given,) = detail(client, bearer(academy_staff), convention)["documents"]
    assert given["sha256"] == document.sha256
    assert given["size"] == document.size
    assert given["content_type"] == "application/pdf"
    assert document.file.name not in str(given)
    # The pages' view, which checks access again.
    path = reverse("conventions:document_download", args=[convention.pk, document.pk])
    assert given["download_url"] == f"http://testserver{path}"


def test_it_names_the_parent_only_when_it_is_in_scope(client, bearer, academy_staff, nice):
    national = ConventionFactory(title="Convention nationale", kind=ConventionKind.NATIONAL, academy=nice)
    hidden = ConventionFactory(title="Convention cadre de Nice", academy=nice)
    headers = bearer(academy_staff)
    under_national = ConventionFactory(parent=national)
    under_hidden = ConventionFactory(parent=hidden)
    assert detail(client, headers, under_national)["parent"] == {"id": national.pk, "title": "Convention nationale"}
    assert detail(client, headers, under_hidden)["parent"] is None


def test_it_answers_404_in_french_out_of_scope_or_missing(client, bearer, academy_staff, nice):
    elsewhere = ConventionFactory(academy=nice)
    headers = bearer(academy_staff)
    for path in (f"/api/conventions/{elsewhere.pk}", "/api/conventions/999999"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert response.json() == {"detail": NOT_FOUND}


def test_it_shows_a_convention_to_an_observer_who_cannot_edit_it(client, bearer, observer):
    body = detail(client, bearer(observer), ConventionFactory(signed=True))
    assert body["can_edit"] is False


def test_it_says_whether_you_follow_it(client, bearer, academy_staff):
    convention = ConventionFactory()
    convention.followers.add(academy_staff)
    assert detail(client, bearer(academy_staff), convention)["is_followed"] is True
