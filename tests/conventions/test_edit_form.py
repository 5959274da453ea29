"""Creating a convention on one page: its terms, parties and signatories, all saved or nothing."""

import datetime
import re

import pytest
from django.urls import reverse

from partenariats.conventions.models import Convention, ConventionStatus, DatePrecision, PartySide, Signatory
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("conventions:convention_create")


def page_data(response) -> dict:
    """What the browser would post back from the edit page as it was rendered."""
    data: dict = {}

    def add(form):
        for field in form:
            value = field.value()
            if field.name == "DELETE":
                if value:
                    data[field.html_name] = "on"
                continue
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, list | tuple):
                value = [str(getattr(item, "pk", item)) for item in value]
            else:
                value = str(getattr(value, "pk", value))
            data[field.html_name] = value

    add(response.context["form"])
    formset = response.context["formset"]
    add(formset.management_form)
    for party in formset:
        add(party)
        add(party.signatories.management_form)
        for signatory in party.signatories:
            add(signatory)
    return data


def convention_data(academy, owner, parties, **overrides) -> dict:
    """A creation POST: ``parties`` is a list of (organisation, [signatory fields…])."""
    data = {
        "title": "Convention de partenariat avec la Fédération Exemple du Bâtiment",
        "reference": "DAFPIC-2025-07",
        "kind": "framework",
        "academies": [str(academy.pk)],
        "owners": [str(owner.pk)],
        "start_mode": "signature",
        "duration_months": "24",
        "tacit_renewal": "true",
        "renewal_months": "24",
        "notice_months": "3",
        "notice_by_registered_letter": "true",
        "termination_effect": "next_school_year_start",
        "alert_days": ["30", "90"],
        "expected_version": "1",
        "parties-TOTAL_FORMS": str(len(parties)),
        "parties-INITIAL_FORMS": "0",
    }
    for i, (organisation, signatories) in enumerate(parties):
        data[f"parties-{i}-organisation"] = str(organisation.pk)
        data[f"parties-{i}-sig-TOTAL_FORMS"] = str(len(signatories))
        data[f"parties-{i}-sig-INITIAL_FORMS"] = "0"
        for j, signatory in enumerate(signatories):
            data[f"parties-{i}-sig-{j}-date_precision"] = DatePrecision.DAY
            for key, value in signatory.items():
                data[f"parties-{i}-sig-{j}-{key}"] = value
    data.update(overrides)
    return data


@pytest.fixture
def rectorat(aix):
    return OrganisationFactory(service=True, academy=aix, name="Rectorat de l’académie d’Aix-Marseille")


@pytest.fixture
def federation(aix):
    return OrganisationFactory(federation=True, academy=aix, name="Fédération Exemple du Bâtiment")


def three_signatories(rectorat, federation):
    return [
        (
            rectorat,
            [
                {"name": "Recteur Exemple", "title": "Recteur de la région académique", "signed_on": "2025-03-18"},
                {"name": "Directrice Exemple", "title": "DAFPIC", "signed_on": "2025-03-20", "place": "Aix"},
            ],
        ),
        (federation, [{"name": "Président Exemple", "title": "Président", "signed_on": "2025-03-19"}]),
    ]


def test_it_creates_a_convention_with_its_parties_and_signatories_in_one_post(
    client, academy_staff, aix, rectorat, federation
):
    client.force_login(academy_staff)

    response = client.post(CREATE, convention_data(aix, academy_staff, three_signatories(rectorat, federation)))

    convention = Convention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == convention.get_absolute_url()
    assert [(p.organisation, p.side) for p in convention.parties.all()] == [
        (rectorat, PartySide.EDUCATION),
        (federation, PartySide.PARTNER),
    ]
    signatories = {s.name: s for s in convention.signatories.all()}
    assert set(signatories) == {"Recteur Exemple", "Directrice Exemple", "Président Exemple"}
    assert signatories["Directrice Exemple"].party.organisation == rectorat
    assert signatories["Directrice Exemple"].place == "Aix"
    # The term runs from the last signature, 20 March 2025, for two years.
    assert convention.status == ConventionStatus.ACTIVE
    assert (convention.period_start, convention.period_end) == (datetime.date(2025, 3, 20), datetime.date(2027, 3, 19))
    assert list(convention.academies.all()) == [aix]
    assert list(convention.owners.all()) == [academy_staff]
    assert convention.history.first().history_user == academy_staff
    assert Signatory.history.filter(history_user=academy_staff).count() == 3


def test_it_offers_the_users_academy_and_the_user_as_owner_by_default(client, academy_staff, aix):
    client.force_login(academy_staff)

    response = client.get(CREATE)

    form = response.context["form"]
    assert form["academies"].value() == [aix.pk]
    assert form["owners"].value() == [academy_staff.pk]
    assert len(response.context["formset"].forms) == 2


def test_it_saves_nothing_when_one_row_is_invalid_and_keeps_what_was_typed(
    client, academy_staff, aix, rectorat, federation
):
    client.force_login(academy_staff)
    parties = three_signatories(rectorat, federation)
    parties[1][1][0]["signed_on"] = "2025-02-31"

    response = client.post(CREATE, convention_data(aix, academy_staff, parties))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Cette date n’existe pas ou est mal écrite" in page
    assert "Rien n’a été enregistré" in page
    assert 'value="Président Exemple"' in page
    assert 'value="Convention de partenariat avec la Fédération Exemple du Bâtiment"' in page
    assert not Convention.objects.exists()
    assert not Signatory.objects.exists()


def test_it_requires_two_parties(client, academy_staff, aix, rectorat):
    client.force_login(academy_staff)

    response = client.post(CREATE, convention_data(aix, academy_staff, [(rectorat, [])]))

    assert "Une convention réunit au moins deux parties" in response.content.decode()
    assert not Convention.objects.exists()


def test_it_refuses_the_same_organisation_twice(client, academy_staff, aix, rectorat):
    client.force_login(academy_staff)

    response = client.post(CREATE, convention_data(aix, academy_staff, [(rectorat, []), (rectorat, [])]))

    assert f"« {rectorat} » figure deux fois parmi les parties" in response.content.decode()
    assert not Convention.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_mode": "fixed_date"}, "Indiquez la date de début"),
        ({"start_mode": "fixed_date", "start_date": "2025-02-31"}, "Cette date n’existe pas"),
        ({"indefinite": "true", "duration_months": ""}, "Une reconduction tacite suppose une durée déterminée"),
        ({"termination_effect": "fixed_date"}, "Indiquez la date de fin fixée"),
        ({"notice_months": "-3"}, "Un nombre de mois ne peut pas être négatif."),
        ({"duration_months": "-24"}, "Indiquez un nombre de mois supérieur ou égal à 1."),
        (
            {
                "start_mode": "fixed_date",
                "start_date": "2025-09-01",
                "termination_effect": "fixed_date",
                "termination_date": "2025-06-30",
            },
            "La date de fin fixée doit être postérieure à la date de début.",
        ),
        ({"academies": []}, "Cochez au moins une académie partie."),
    ],
)
def test_it_refuses_impossible_terms_in_french(client, academy_staff, aix, rectorat, federation, overrides, message):
    client.force_login(academy_staff)

    response = client.post(
        CREATE, convention_data(aix, academy_staff, three_signatories(rectorat, federation), **overrides)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Convention.objects.exists()


def test_it_requires_one_of_the_users_academies(client, academy_staff, nice, rectorat, federation):
    client.force_login(academy_staff)

    response = client.post(CREATE, convention_data(nice, academy_staff, three_signatories(rectorat, federation)))

    assert "Cochez au moins une académie où vous pouvez écrire" in response.content.decode()
    assert not Convention.objects.exists()


def test_it_refuses_an_owner_from_another_academy(
    client, academy_staff, colleague_elsewhere, aix, rectorat, federation
):
    client.force_login(academy_staff)
    data = convention_data(aix, academy_staff, three_signatories(rectorat, federation))
    data["owners"] = [str(academy_staff.pk), str(colleague_elsewhere.pk)]

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert not Convention.objects.exists()


def test_it_takes_the_name_of_a_signatory_from_the_directory(client, academy_staff, aix, rectorat, federation):
    client.force_login(academy_staff)
    president = PersonFactory(first_name="Claude", last_name="Exemplaire", academy=aix)
    MembershipFactory(person=president, organisation=federation)
    parties = [(rectorat, []), (federation, [{"person": str(president.pk), "signed_on": "2025-03-19"}])]

    client.post(CREATE, convention_data(aix, academy_staff, parties))

    signatory = Signatory.objects.get()
    assert (signatory.person, signatory.name) == (president, "Claude Exemplaire")


def test_it_keeps_a_date_known_to_the_month_only(client, academy_staff, aix, rectorat, federation):
    client.force_login(academy_staff)
    parties = [
        (
            rectorat,
            [{"name": "Recteur Exemple", "signed_on": "2018-05-17", "date_precision": "month", "raw_date": "mai 2018"}],
        ),
        (federation, []),
    ]

    client.post(CREATE, convention_data(aix, academy_staff, parties))

    signatory = Signatory.objects.get()
    assert (signatory.signed_on, signatory.date_precision) == (datetime.date(2018, 5, 1), "month")
    assert signatory.raw_date == "mai 2018"


# Rows added without JavaScript, and by htmx


def test_it_adds_a_party_row_without_javascript_and_saves_nothing(client, academy_staff, aix, rectorat, federation):
    client.force_login(academy_staff)
    data = convention_data(aix, academy_staff, three_signatories(rectorat, federation), add_party="1")

    response = client.post(CREATE, data)

    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 3
    assert "Rien n’a été enregistré" not in response.content.decode()
    assert 'value="Président Exemple"' in response.content.decode()
    assert not Convention.objects.exists()


def test_it_adds_a_signatory_row_without_javascript(client, academy_staff, aix, rectorat, federation):
    client.force_login(academy_staff)
    data = convention_data(aix, academy_staff, three_signatories(rectorat, federation), add_signatory="parties-1")

    response = client.post(CREATE, data)

    party = response.context["formset"].forms[1]
    assert len(party.signatories.forms) == 2
    assert not Convention.objects.exists()


def test_the_rows_added_without_javascript_can_then_be_saved(client, academy_staff, aix, rectorat, federation, company):
    client.force_login(academy_staff)
    data = convention_data(aix, academy_staff, three_signatories(rectorat, federation), add_party="1")
    data = page_data(client.post(CREATE, data))
    data["parties-2-organisation"] = str(company.pk)

    response = client.post(CREATE, data)

    assert response.status_code == 302
    assert Convention.objects.get().parties.count() == 3


def test_it_filters_the_organisations_of_a_party_without_javascript(client, academy_staff, aix, rectorat, federation):
    client.force_login(academy_staff)
    OrganisationFactory(company=True, academy=aix, name="Chaudronnerie Témoin")
    data = convention_data(aix, academy_staff, three_signatories(rectorat, federation), refresh="1")
    data["parties-1-organisation_search"] = "chaudronnerie temoin"

    response = client.post(CREATE, data)

    choices = dict(response.context["formset"].forms[1].fields["organisation"].widget.choices)
    assert "Chaudronnerie Témoin — Entreprise, Marseille" in choices.values()
    assert str(federation) in " ".join(choices.values())  # the current choice stays offered


def test_it_serves_an_empty_party_row_to_htmx(client, academy_staff):
    client.force_login(academy_staff)

    response = client.get(
        reverse("conventions:party_row"), {"parties-TOTAL_FORMS": "2"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="parties-2-organisation"' in page
    assert 'name="parties-2-sig-TOTAL_FORMS" value="1"' in page
    # The row count goes up out of band, so that the next row and the final POST agree with the page.
    assert re.search(
        r'name="parties-TOTAL_FORMS"\s+id="id_parties-TOTAL_FORMS"\s+value="3"\s+hx-swap-oob="true">',
        page,
    )
    assert "<html" not in page


def test_it_serves_an_empty_signatory_row_with_the_partys_contacts(client, academy_staff, aix, federation):
    client.force_login(academy_staff)
    president = PersonFactory(first_name="Claude", last_name="Exemplaire", academy=aix)
    MembershipFactory(person=president, organisation=federation)

    response = client.get(
        reverse("conventions:signatory_row"),
        {"prefix": "parties-1", "parties-1-sig-TOTAL_FORMS": "1", "parties-1-organisation": str(federation.pk)},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert 'name="parties-1-sig-1-name"' in page
    assert "Claude Exemplaire" in page
    assert re.search(
        r'name="parties-1-sig-TOTAL_FORMS"\s+id="id_parties-1-sig-TOTAL_FORMS"\s+value="2"\s+hx-swap-oob', page
    )


def test_it_completes_an_organisation_search_for_htmx(client, academy_staff, aix):
    client.force_login(academy_staff)
    OrganisationFactory(company=True, academy=aix, name="Chaudronnerie Témoin")
    OrganisationFactory(company=True, academy=aix, name="Chaudronnerie Fermée", is_active=False)

    response = client.get(
        reverse("conventions:organisation_options"),
        {"prefix": "parties-0", "parties-0-organisation_search": "chaudronnerie"},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert "<option" in page
    assert "Chaudronnerie Témoin" in page
    assert "Chaudronnerie Fermée" not in page


@pytest.mark.parametrize("name", ["party_row", "signatory_row", "organisation_options"])
def test_it_serves_fragments_to_htmx_only(client, academy_staff, name):
    client.force_login(academy_staff)

    assert client.get(reverse(f"conventions:{name}"), {"prefix": "parties-0"}).status_code == 400


# Who may create


@pytest.mark.parametrize("persona", ["observer", "partner_contact", "school_head", "clee_member", "outsider"])
def test_only_academy_staff_create_conventions(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {}).status_code == 403
    assert client.get(reverse("conventions:party_row"), headers={"HX-Request": "true"}).status_code == 403


def test_a_platform_admin_creates_a_convention(client, platform_admin, aix, rectorat, federation):
    client.force_login(platform_admin)

    response = client.post(CREATE, convention_data(aix, platform_admin, three_signatories(rectorat, federation)))

    assert response.status_code == 302
    assert Convention.objects.get().history.first().history_user == platform_admin
