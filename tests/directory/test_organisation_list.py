import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partenariats.directory.models import OrganisationKind, PriorityEducation, Sector
from tests.factories import BasinFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("directory:organisation_list")


def names(response) -> list[str]:
    return [o.name for o in response.context["page_obj"]]


def test_it_finds_organisations_whatever_the_accents_and_case(client, academy_staff):
    OrganisationFactory(school=True, name="Lycée Émile Zola")
    OrganisationFactory(school=True, name="Collège Mistral")
    client.force_login(academy_staff)

    assert names(client.get(URL, {"q": "lycee"})) == ["Lycée Émile Zola"]
    assert names(client.get(URL, {"q": "EMILE zola"})) == ["Lycée Émile Zola"]
    assert names(client.get(URL, {"q": "LYCÉE"})) == ["Lycée Émile Zola"]


def test_it_finds_an_organisation_by_its_uai_or_siret(client, academy_staff, school, company):
    client.force_login(academy_staff)

    assert names(client.get(URL, {"q": school.uai.lower()})) == [school.name]
    assert names(client.get(URL, {"q": company.siret})) == [company.name]


def test_it_filters_by_kind_academy_basin_and_school_features(client, academy_staff, nice):
    basin = BasinFactory()
    rep = OrganisationFactory(school=True, name="Collège REP", priority_education=PriorityEducation.REP, basin=basin)
    OrganisationFactory(school=True, name="Collège REP+", priority_education=PriorityEducation.REP_PLUS)
    private = OrganisationFactory(school=True, name="Collège privé", sector=Sector.PRIVATE)
    OrganisationFactory(company=True, name="Entreprise de Nice", academy=nice)
    client.force_login(academy_staff)

    assert names(client.get(URL, {"priority_education": "rep"})) == ["Collège REP"]
    assert names(client.get(URL, {"priority_education": "rep_plus"})) == ["Collège REP+"]
    assert names(client.get(URL, {"priority_education": "hors"})) == ["Collège privé"]
    assert names(client.get(URL, {"sector": "private"})) == [private.name]
    assert names(client.get(URL, {"basin": basin.pk})) == [rep.name]
    assert names(client.get(URL, {"academy": nice.pk})) == ["Entreprise de Nice"]
    assert names(client.get(URL, {"kind": OrganisationKind.COMPANY})) == ["Entreprise de Nice"]


def test_it_lists_active_organisations_unless_asked_otherwise(client, academy_staff):
    OrganisationFactory(name="Active")
    OrganisationFactory(name="Fermée", is_active=False)
    client.force_login(academy_staff)

    assert names(client.get(URL)) == ["Active"]
    assert names(client.get(URL, {"status": "inactive"})) == ["Fermée"]
    assert names(client.get(URL, {"status": "all"})) == ["Active", "Fermée"]


def test_it_paginates_fifty_a_page(client, academy_staff):
    OrganisationFactory.create_batch(51)
    client.force_login(academy_staff)

    assert len(client.get(URL).context["page_obj"]) == 50
    assert len(client.get(URL, {"page": 2}).context["page_obj"]) == 1


def test_a_long_list_says_there_are_more_than_it_counts(client, academy_staff, monkeypatch):
    """200,000 organisations at national scale: the list counts up to a cap, the export has all."""
    monkeypatch.setattr("partenariats.directory.views.COUNT_CAP", 2)
    OrganisationFactory.create_batch(3)
    client.force_login(academy_staff)

    response = client.get(URL)

    assert len(names(response)) == 3
    assert "Plus de 2 organisations : affinez les filtres" in response.content.decode()
    assert "page 1 sur au moins 1<" in response.content.decode()  # its pages are not all counted
    monkeypatch.setattr("partenariats.directory.views.COUNT_CAP", 3)
    assert "3 organisations" in client.get(URL).content.decode()


def test_it_exports_every_filtered_row_as_csv(client, academy_staff):
    OrganisationFactory.create_batch(55, name="Lycée Exporté")
    OrganisationFactory(name="Autre chose")
    client.force_login(academy_staff)

    response = client.get(URL, {"q": "lycee exporte", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["N°", "Nom", "Sigle"]
    assert len(rows) == 1 + 55
    assert {row[1] for row in rows[1:]} == {"Lycée Exporté"}


def test_it_exports_the_filtered_rows_as_xlsx(client, academy_staff, school, company):
    client.force_login(academy_staff)

    response = client.get(URL, {"kind": OrganisationKind.SCHOOL, "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == [school.name]


def test_its_query_count_does_not_grow_with_the_rows(client, academy_staff, django_assert_num_queries):
    client.force_login(academy_staff)
    OrganisationFactory.create_batch(5, basin=BasinFactory())
    client.get(URL)  # warm the session and the DSFR configuration
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    OrganisationFactory.create_batch(25, school=True)
    with django_assert_num_queries(len(few)):
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 30


def test_it_offers_to_create_only_to_who_may(
    client, academy_staff, clee_member, observer, school_head, partner_contact
):
    for user, may in [
        (academy_staff, True),
        (clee_member, True),
        (observer, False),
        (school_head, False),
        (partner_contact, False),
    ]:
        client.force_login(user)
        assert ("Créer une organisation" in client.get(URL).content.decode()) is may


def test_it_shows_nothing_to_a_user_without_a_role(client, outsider, school):
    client.force_login(outsider)

    assert names(client.get(URL)) == []
