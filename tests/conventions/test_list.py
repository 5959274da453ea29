"""The convention list: search, filters, constant query count, export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partenariats.accounts.models import Role
from partenariats.conventions.models import Article, ConventionKind, ConventionStatus, Programme
from partenariats.conventions.services import refresh_terms
from partenariats.terms.dates import add_months
from tests.factories import (
    AssignmentFactory,
    CommitmentFactory,
    ConventionFactory,
    OrganisationFactory,
    PartyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("conventions:convention_list")


def titles(response) -> set[str]:
    return {convention.title for convention in response.context["page_obj"]}


@pytest.fixture
def staff_client(client, academy_staff):
    client.force_login(academy_staff)
    return client


def test_it_lists_the_conventions_of_the_user_s_academie_only(staff_client, nice):
    ConventionFactory(title="Convention d’Aix")
    ConventionFactory(title="Convention de Nice", academy=nice)
    assert titles(staff_client.get(URL)) == {"Convention d’Aix"}


def test_it_searches_titles_without_accents(staff_client):
    ConventionFactory(title="Partenariat École–Entreprise des Bouches-du-Rhône")
    ConventionFactory(title="Convention sur les stages")
    assert titles(staff_client.get(URL, {"q": "ecole entreprise"})) == {
        "Partenariat École–Entreprise des Bouches-du-Rhône"
    }
    assert titles(staff_client.get(URL, {"q": "ÉCOLE"})) == {"Partenariat École–Entreprise des Bouches-du-Rhône"}


def test_it_searches_party_names_and_article_text(staff_client, aix):
    with_party = ConventionFactory(title="Première convention")
    PartyFactory(convention=with_party, organisation=OrganisationFactory(company=True, name="Société Générale Élec"))
    refresh_terms(with_party)
    with_article = ConventionFactory(title="Seconde convention")
    Article.objects.create(convention=with_article, number="3", heading="Engagements", text="Stages d’été à Gémenos")
    refresh_terms(with_article)
    assert titles(staff_client.get(URL, {"q": "generale elec"})) == {"Première convention"}
    assert titles(staff_client.get(URL, {"q": "gemenos"})) == {"Seconde convention"}


def test_it_filters_on_today_s_status(staff_client):
    ConventionFactory(title="En vigueur", signed=True)
    ConventionFactory(title="Expirée", signed=True, tacit_renewal=False)
    ConventionFactory(title="Sans signature datée")
    assert titles(staff_client.get(URL, {"status": ConventionStatus.ACTIVE})) == {"En vigueur"}
    assert titles(staff_client.get(URL, {"status": ConventionStatus.EXPIRED})) == {"Expirée"}
    assert titles(staff_client.get(URL, {"status": ConventionStatus.UNKNOWN})) == {"Sans signature datée"}


def test_it_filters_the_conventions_ending_within_n_months(staff_client):
    today = timezone.localdate()
    # Two years, no renewal: they end 2 and 10 months from now.
    ConventionFactory(title="Finit bientôt", tacit_renewal=False, signed_on=add_months(today, -22))
    ConventionFactory(title="Finit dans l’année", tacit_renewal=False, signed_on=add_months(today, -14))
    # Renewed tacitly in 4 months: the notice deadline (3 months before) is next month.
    ConventionFactory(title="Dénonciation bientôt", tacit_renewal=True, signed_on=add_months(today, -20))
    ConventionFactory(title="Loin", tacit_renewal=False, signed_on=add_months(today, -1))
    assert titles(staff_client.get(URL, {"ending": "3"})) == {"Finit bientôt", "Dénonciation bientôt"}
    assert titles(staff_client.get(URL, {"ending": "12"})) == {
        "Finit bientôt",
        "Finit dans l’année",
        "Dénonciation bientôt",
    }


def test_it_filters_on_academie_partner_kind_and_programme(client, platform_admin, nice):
    client.force_login(platform_admin)
    in_nice = ConventionFactory(title="Nice", academy=nice, kind=ConventionKind.LOCAL)
    in_aix = ConventionFactory(title="Aix", signed=True)
    medef = OrganisationFactory(federation=True, name="MEDEF Côte d’Azur")
    PartyFactory(convention=in_nice, organisation=medef)
    stage = Programme.objects.first()
    CommitmentFactory(convention=in_aix, party=in_aix.parties.first()).programmes.add(stage)
    assert titles(client.get(URL, {"academy": nice.pk})) == {"Nice"}
    assert titles(client.get(URL, {"partner": "medef cote"})) == {"Nice"}
    assert titles(client.get(URL, {"kind": ConventionKind.LOCAL})) == {"Nice"}
    assert titles(client.get(URL, {"programme": stage.pk})) == {"Aix"}


def test_it_does_not_reveal_a_programme_through_a_confidential_commitment(client, nice, company):
    """Nice's staff read a national convention of Aix, but not its confidential commitments."""
    reader = UserFactory()
    AssignmentFactory(user=reader, role=Role.ACADEMY_STAFF, academy=nice)
    national = ConventionFactory(title="Nationale", kind=ConventionKind.NATIONAL, signed=True)
    programme = Programme.objects.first()
    CommitmentFactory(convention=national, party=national.parties.first(), confidential=True).programmes.add(programme)
    client.force_login(reader)
    assert titles(client.get(URL)) == {"Nationale"}
    assert titles(client.get(URL, {"programme": programme.pk})) == set()


def test_it_shows_status_badge_parties_and_dates(staff_client):
    ConventionFactory(title="Convention affichée", signed=True, refresh__today=datetime.date(2025, 6, 1))
    page = staff_client.get(URL).content.decode()
    assert "fr-badge--success" in page
    assert "Rectorat d’essai" in page
    assert "17/03/2027" in page  # end of the current period
    assert "17/12/2026" in page  # notice deadline


def test_it_keeps_the_same_number_of_queries_whatever_the_number_of_conventions(staff_client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(URL).status_code == 200
        return len(queries)

    for _ in range(3):
        ConventionFactory(signed=True)
    with_three = count_queries()
    for _ in range(12):
        ConventionFactory(signed=True)
    assert count_queries() == with_three


def test_it_exports_the_filtered_list(staff_client):
    ConventionFactory(title="Locale exportée", kind=ConventionKind.LOCAL, signed=True)
    ConventionFactory(title="Cadre non exportée")
    response = staff_client.get(URL, {"kind": ConventionKind.LOCAL, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="conventions.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["Locale exportée"]
    assert "Rectorat d’essai" in rows[1][6]
    xlsx = staff_client.get(URL, {"kind": ConventionKind.LOCAL, "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_offers_to_create_a_convention_to_academie_staff_only(client, academy_staff, observer, partner_contact):
    for user, may in ((academy_staff, True), (observer, False), (partner_contact, False)):
        client.force_login(user)
        assert client.get(URL).context["may_create"] is may


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text ranking is PostgreSQL only")
def test_it_ranks_the_best_matches_first_on_postgresql(staff_client):
    ConventionFactory(title="Convention stage alternance")
    ConventionFactory(title="Stage stage stage : convention des stages en entreprise stage")
    found = [c.title for c in staff_client.get(URL, {"q": "stage"}).context["page_obj"]]
    assert found[0].startswith("Stage stage stage")
