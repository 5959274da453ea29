"""The convention page: terms on any date, parties, timeline, articles, commitments, amendments,
documents, history, confidentiality and following."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.conventions.models import (
    Amendment,
    AmendmentKind,
    Article,
    ConventionKind,
    DatePrecision,
    EventKind,
    TerminationEffect,
)
from partenariats.conventions.services import record_event, save_convention
from tests.core.test_cached_pages import without_tokens
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


@pytest.fixture(autouse=True)
def memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def detail(convention, **query) -> str:
    url = reverse("conventions:convention_detail", args=[convention.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page(client, user, convention, **query) -> str:
    client.force_login(user)
    response = client.get(detail(convention, **query))
    assert response.status_code == 200
    return response.content.decode()


def federation_staff_of(member):
    """Staff of an employer federation that has ``member`` among its members."""
    federation = OrganisationFactory(federation=True)
    federation.members.add(member)
    user = UserFactory()
    AssignmentFactory(user=user, role=Role.PARTNER_STAFF, academy=None, organisation=federation)
    return user


@pytest.fixture
def seed_004_like():
    """Signed 18 March 2021 for two years, renewed tacitly, termination at the next rentrée."""
    return ConventionFactory(
        signed=True,
        title="Convention de coopération (exemple)",
        notice_months=None,
        termination_effect=TerminationEffect.NEXT_SCHOOL_YEAR_START,
    )


def test_it_shows_the_terms_as_one_sentence(client, academy_staff, seed_004_like):
    assert (
        "Conclue pour 2 ans à compter du 18 mars 2021, reconduite tacitement ; résiliable par lettre "
        "recommandée avec effet à la rentrée scolaire suivante."
    ) in page(client, academy_staff, seed_004_like)


def test_it_gives_the_state_on_the_date_asked(client, academy_staff, seed_004_like):
    html = page(client, academy_staff, seed_004_like, on="2025-06-01")
    assert "Au 01/06/2025 : <strong>En vigueur</strong>" in html
    assert "du 18/03/2025" in html
    assert "au 17/03/2027" in html


def test_it_refuses_a_bad_date_in_french_and_uses_today(client, academy_staff, seed_004_like):
    client.force_login(academy_staff)
    response = client.get(detail(seed_004_like, on="2025-13-45"))
    assert "n’est pas une date valide" in response.content.decode()
    assert response.context["on"] == timezone.localdate()


def test_it_shows_the_effective_end_once_notice_is_given(client, academy_staff, seed_004_like):
    record_event(seed_004_like, kind=EventKind.NOTICE_GIVEN, on=datetime.date(2025, 11, 10), by_user=academy_staff)
    client.force_login(academy_staff)
    response = client.get(detail(seed_004_like, on="2025-12-01"))
    # The day before the 2026 rentrée in zone B (Aix-Marseille), not three months after the notice.
    assert response.context["dates"]["effective_end"] == datetime.date(2026, 8, 31)
    assert "En préavis" in response.content.decode()
    assert "31/08/2026" in response.content.decode()


def test_it_states_the_engine_s_assumptions(client, academy_staff):
    convention = ConventionFactory(signed=True, tacit_renewal=None)
    html = page(client, academy_staff, convention)
    assert "Hypothèses" in html
    assert "reconduction non précisée" in html


def test_it_lists_the_timeline_by_year_in_french_and_marks_the_date(client, academy_staff, seed_004_like):
    html = page(client, academy_staff, seed_004_like, on="2025-06-01")
    assert "Reconduction tacite : période 3" in html
    assert "Date limite de dénonciation" in html
    assert "01/06/2025 — date consultée" in html
    assert '<h3 class="fr-h6 fr-mb-1w">2030</h3>' in html  # five years ahead


def test_it_shows_parties_signatories_and_their_dates_with_precision(client, academy_staff):
    convention = ConventionFactory(signed=True)
    partner = convention.parties.get(side="partner")
    partner.representative_name = "Mme Présidente Exemple"
    partner.representative_title = "présidente de la fédération"
    partner.save()
    SignatoryFactory(
        convention=convention,
        party=partner,
        name="Trésorier Exemple",
        signed_on=datetime.date(2018, 5, 1),
        date_precision=DatePrecision.MONTH,
    )
    SignatoryFactory(
        convention=convention,
        party=partner,
        name="Secrétaire Exemple",
        signed_on=None,
        date_precision=DatePrecision.UNKNOWN,
        raw_date="22 Marvier 2018",
    )
    html = page(client, academy_staff, convention)
    assert partner.organisation.get_absolute_url() in html
    assert "Mme Présidente Exemple" in html
    assert "présidente de la fédération" in html
    assert "signé le 18 mars 2021" in html
    assert "signé en mai 2018" in html
    assert "date illisible : « 22 Marvier 2018 »" in html


def test_it_links_the_parent_and_lists_the_children(client, academy_staff):
    framework = ConventionFactory(title="Convention cadre régionale")
    local = ConventionFactory(title="Convention locale du collège", parent=framework, kind=ConventionKind.LOCAL)
    orphan = ConventionFactory(parent_description="Convention MEDEF – ministère du 12 mars 2010")
    assert framework.get_absolute_url() in page(client, academy_staff, local)
    assert local.get_absolute_url() in page(client, academy_staff, framework)
    assert "Convention MEDEF – ministère du 12 mars 2010" in page(client, academy_staff, orphan)


def test_it_shows_articles_as_a_tree(client, academy_staff):
    convention = ConventionFactory()
    title = Article.objects.create(convention=convention, number="2", heading="Engagements des parties")
    Article.objects.create(convention=convention, parent=title, number="2.1", text="Accueillir des stagiaires.")
    html = page(client, academy_staff, convention)
    assert html.index("Engagements des parties") < html.index("Accueillir des stagiaires.")
    assert "Article 2.1" in html


def test_it_lists_amendments_with_their_dates(client, academy_staff):
    convention = ConventionFactory(signed=True)
    Amendment.objects.create(
        convention=convention,
        number=1,
        kind=AmendmentKind.TERMS,
        title="Prolongation d’un an",
        signed_on=datetime.date(2022, 1, 10),
        effective_on=datetime.date(2022, 2, 1),
    )
    html = page(client, academy_staff, convention)
    assert "Prolongation d’un an" in html
    assert "10/01/2022" in html
    assert "01/02/2022" in html


def test_it_records_who_changed_what_in_the_history(client, academy_staff, seed_004_like):
    record_event(seed_004_like, kind=EventKind.NOTICE_GIVEN, on=datetime.date(2025, 11, 10), by_user=academy_staff)
    client.force_login(academy_staff)
    history = client.get(detail(seed_004_like)).context["history"]
    event = next(entry for entry in history if "Dénonciation" in entry.subject)
    assert event.user == str(academy_staff)
    assert event.action == "Création"
    assert any(entry.subject == "Convention" for entry in history)


def test_it_shows_each_changed_field_with_its_old_and_new_value(client, academy_staff, seed_004_like):
    seed_004_like.title = "Convention de coopération renommée"
    save_convention(seed_004_like, expected_version=seed_004_like.version, changed_by=academy_staff)
    client.force_login(academy_staff)
    latest = client.get(detail(seed_004_like)).context["history"][0]
    assert (latest.user, latest.subject) == (str(academy_staff), "Convention")
    # The cached status and dates that every save refreshes are not shown as changes.
    assert latest.changes == [("intitulé", "Convention de coopération (exemple)", "Convention de coopération renommée")]


def test_its_page_is_kept_until_the_next_change(client, committed, academy_staff):
    convention = committed(lambda: ConventionFactory(title="Convention de coopération"))
    client.force_login(academy_staff)
    with CaptureQueriesContext(connection) as drawn:
        first = client.get(detail(convention))
    with CaptureQueriesContext(connection) as served:
        again = client.get(detail(convention))
    # Served again: the convention's records are not read a second time, the page is the same
    # (but for the reader's own token in its forms).
    assert len(served) < len(drawn) / 2
    assert without_tokens(again.content.decode()) == without_tokens(first.content.decode())

    def rename():
        convention.title = "Convention de coopération renommée"
        save_convention(convention, expected_version=convention.version, changed_by=academy_staff)

    committed(rename)
    latest = client.get(detail(convention)).content.decode()
    assert "<h1>Convention de coopération renommée</h1>" in latest
    assert "Intitulé : Convention de coopération → Convention de coopération renommée" in latest  # its history


class TestWhoSeesIt:
    def test_it_is_a_404_for_a_colleague_of_another_academie(self, client, colleague_elsewhere):
        client.force_login(colleague_elsewhere)
        assert client.get(detail(ConventionFactory())).status_code == 404

    def test_it_shows_a_national_convention_to_every_academie(self, client, colleague_elsewhere):
        national = ConventionFactory(kind=ConventionKind.NATIONAL, title="Convention nationale d’exemple")
        assert "Convention nationale d’exemple" in page(client, colleague_elsewhere, national)

    def test_it_is_a_404_for_a_user_without_role(self, client, outsider):
        client.force_login(outsider)
        assert client.get(detail(ConventionFactory())).status_code == 404


class TestConfidentiality:
    @pytest.fixture
    def convention(self, company):
        convention = ConventionFactory(signed=True, kind=ConventionKind.NATIONAL)
        member_party = PartyFactory(convention=convention, organisation=company, position=2)
        CommitmentFactory(convention=convention, party=member_party, text="Engagement public de l’entreprise")
        CommitmentFactory(
            convention=convention, party=member_party, text="Engagement secret de l’entreprise", confidential=True
        )
        DocumentFactory(convention=convention, title="Annexe publique")
        DocumentFactory(convention=convention, title="Annexe secrète", confidential=True)
        return convention

    def test_it_hides_confidential_items_from_a_federation_s_staff(self, client, convention, company):
        html = page(client, federation_staff_of(company), convention)
        assert "Engagement public de l’entreprise" in html
        assert "Annexe publique" in html
        assert "Engagement secret" not in html
        assert "Annexe secrète" not in html

    def test_it_hides_confidential_items_from_a_national_reader(self, client, convention, colleague_elsewhere):
        html = page(client, colleague_elsewhere, convention)
        assert "Engagement public de l’entreprise" in html
        assert "Engagement secret" not in html
        assert "Annexe secrète" not in html

    @pytest.mark.parametrize("persona", ["academy_staff", "partner_contact"])
    def test_it_shows_them_badged_to_the_parties_staff(self, client, convention, persona, request):
        html = page(client, request.getfixturevalue(persona), convention)
        assert "Engagement secret de l’entreprise" in html
        assert "Annexe secrète" in html
        assert "Confidentiel" in html


class TestActions:
    def test_it_offers_editing_to_the_academie_staff_only(
        self, client, academy_staff, observer, partner_contact, company
    ):
        convention = ConventionFactory(signed=True)
        PartyFactory(convention=convention, organisation=company, position=2)
        upload = reverse("conventions:document_upload", args=[convention.pk])
        assert upload in page(client, academy_staff, convention)
        assert upload not in page(client, observer, convention)
        assert upload not in page(client, partner_contact, convention)

    def test_it_follows_and_unfollows(self, client, observer):
        convention = ConventionFactory()
        url = reverse("conventions:convention_follow", args=[convention.pk])
        client.force_login(observer)
        assert client.post(url, {"action": "follow"}).status_code == 302
        assert list(convention.followers.all()) == [observer]
        assert "Ne plus suivre" in client.get(detail(convention)).content.decode()
        client.post(url, {"action": "unfollow"})
        assert not convention.followers.exists()

    def test_it_answers_htmx_with_the_button_only(self, client, observer):
        convention = ConventionFactory()
        client.force_login(observer)
        response = client.post(
            reverse("conventions:convention_follow", args=[convention.pk]), {"action": "follow"}, HTTP_HX_REQUEST="true"
        )
        assert response.templates[0].name == "conventions/_follow.html"
        assert "Ne plus suivre" in response.content.decode()

    def test_it_does_not_let_follow_what_one_cannot_see(self, client, colleague_elsewhere):
        convention = ConventionFactory()
        client.force_login(colleague_elsewhere)
        url = reverse("conventions:convention_follow", args=[convention.pk])
        assert client.post(url, {"action": "follow"}).status_code == 404
        assert not convention.followers.exists()


def test_the_preamble_is_shown_once_when_an_article_holds_it(client, academy_staff):
    convention = ConventionFactory(signed=True, preamble="Considérant l’intérêt partagé des parties.")
    client.force_login(academy_staff)
    assert client.get(convention.get_absolute_url()).content.decode().count("<summary>Préambule</summary>") == 1
    Article.objects.create(convention=convention, heading="Préambule", text="Considérant l’intérêt partagé.")
    page = client.get(convention.get_absolute_url()).content.decode()
    assert len(re.findall(r"<summary>\s*Préambule\s*</summary>", page)) == 1


def test_a_signatory_who_has_not_signed_yet_is_shown_as_such(client, academy_staff):
    convention = ConventionFactory(signed=True)
    convention.signatories.update(signed_on=None)
    client.force_login(academy_staff)
    page = client.get(convention.get_absolute_url()).content.decode()
    assert "pas encore signé" in page
    convention.signatories.update(date_precision="unknown")
    page = client.get(convention.get_absolute_url()).content.decode()
    assert "date de signature inconnue" in page
    assert "pas encore signé" not in page
