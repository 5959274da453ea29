import pytest
from django.urls import reverse

from partenariats.directory.models import Organisation, OrganisationKind
from tests.factories import BasinFactory, OrganisationFactory, valid_siret, valid_uai

pytestmark = pytest.mark.django_db

CREATE = reverse("directory:organisation_create")


def update_url(organisation) -> str:
    return reverse("directory:organisation_update", args=[organisation.pk])


def school_data(aix, **overrides) -> dict:
    return {
        "kind": OrganisationKind.SCHOOL,
        "name": "Lycée Marie Curie",
        "academy": aix.pk,
        "city": "Marseille",
        "uai": valid_uai(4242),
        "school_type": "lycee",
        "sector": "public",
        "priority_education": "",
        **overrides,
    }


def test_it_creates_a_school(client, academy_staff, aix):
    client.force_login(academy_staff)

    response = client.post(CREATE, school_data(aix))

    school = Organisation.objects.get(name="Lycée Marie Curie")
    assert response.status_code == 302
    assert response["Location"] == school.get_absolute_url()
    assert (school.uai, school.academy) == (valid_uai(4242), aix)


def test_it_rejects_a_uai_with_a_wrong_check_letter_in_french(client, academy_staff, aix):
    client.force_login(academy_staff)
    good = valid_uai(4242)
    bad = good[:7] + ("A" if good[7] != "A" else "B")

    response = client.post(CREATE, school_data(aix, uai=bad))

    assert response.status_code == 200
    assert "n’est pas valide : 7 chiffres suivis de la bonne lettre de contrôle" in response.content.decode()
    assert 'value="Lycée Marie Curie"' in response.content.decode()  # what was typed is kept
    assert not Organisation.objects.exists()


def test_it_rejects_a_siret_failing_luhn_in_french(client, academy_staff, aix):
    client.force_login(academy_staff)
    good = valid_siret(7)
    bad = good[:13] + str((int(good[13]) + 1) % 10)

    response = client.post(CREATE, {"kind": "company", "name": "Société X", "academy": aix.pk, "siret": bad})

    assert "n’est pas valide : 14 chiffres dont la clé de contrôle est exacte" in response.content.decode()
    assert not Organisation.objects.exists()


def test_it_reports_a_uai_or_siret_already_taken_in_french(client, academy_staff, aix, school, company):
    client.force_login(academy_staff)

    response = client.post(CREATE, school_data(aix, uai=school.uai.lower()))
    assert f"Le code UAI {school.uai} est déjà celui de « {school} »" in response.content.decode()

    response = client.post(CREATE, {"kind": "company", "name": "Doublon", "academy": aix.pk, "siret": company.siret})
    assert f"Le SIRET {company.siret} est déjà celui de « {company} »" in response.content.decode()
    assert Organisation.objects.count() == 2


def test_it_clears_the_fields_of_other_kinds(client, academy_staff, aix):
    client.force_login(academy_staff)

    client.post(
        CREATE,
        school_data(aix, kind="company", name="Entreprise", siret=valid_siret(3), pupil_count="abc", naf_code="4120A"),
    )

    company = Organisation.objects.get(name="Entreprise")
    assert (company.uai, company.school_type, company.sector, company.pupil_count) == ("", "", "", None)
    assert (company.siret, company.naf_code) == (valid_siret(3), "4120A")


def test_it_lets_a_clee_member_create_in_their_basin_only(client, clee_member, aix):
    basin = clee_member.assignments.get().basin
    elsewhere = BasinFactory(academy=aix)
    client.force_login(clee_member)

    client.post(CREATE, {"kind": "company", "name": "Hors bassin", "basin": elsewhere.pk})
    assert not Organisation.objects.exists()

    client.post(CREATE, {"kind": "company", "name": "Dans le bassin", "basin": basin.pk})
    created = Organisation.objects.get()
    assert (created.basin, created.academy) == (basin, aix)


def test_it_refuses_creation_to_read_only_and_organisation_roles(client, observer, school_head, partner_contact, aix):
    for user in (observer, school_head, partner_contact):
        client.force_login(user)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, school_data(aix)).status_code == 403
    assert Organisation.objects.count() == 2  # the personas' own school and company


def test_it_keeps_academy_staff_inside_their_academy(client, academy_staff, nice):
    client.force_login(academy_staff)

    response = client.post(CREATE, {"kind": "company", "name": "Ailleurs", "academy": nice.pk})

    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Ailleurs").exists()


def test_it_edits_and_records_history(client, academy_staff, company):
    client.force_login(academy_staff)

    response = client.post(
        update_url(company),
        {
            "kind": "company",
            "name": "Nouveau nom",
            "academy": company.academy_id,
            "siret": company.siret,
            "size": "sme",
        },
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.size) == ("Nouveau nom", "sme")
    latest = company.history.first()
    assert latest.history_user == academy_staff
    assert {change.field for change in latest.diff_against(latest.prev_record).changes} >= {"name", "size"}


def test_it_lets_an_observer_read_but_not_edit(client, observer, company):
    client.force_login(observer)

    assert client.get(company.get_absolute_url()).status_code == 200
    assert client.get(update_url(company)).status_code == 403
    assert client.post(update_url(company), {"kind": "company", "name": "Piraté"}).status_code == 403
    company.refresh_from_db()
    assert company.name != "Piraté"


def test_it_refuses_editing_another_academys_organisation(client, colleague_elsewhere, company):
    client.force_login(colleague_elsewhere)

    assert client.get(update_url(company)).status_code == 403


def test_it_lets_a_school_head_edit_their_own_school(client, school_head, school):
    client.force_login(school_head)
    data = {
        "kind": "school",
        "name": school.name,
        "academy": school.academy_id,
        "uai": school.uai,
        "school_type": school.school_type,
        "sector": school.sector,
        "pupil_count": 480,
    }

    assert client.post(update_url(school), data).status_code == 302
    school.refresh_from_db()
    assert school.pupil_count == 480


def test_it_drops_federation_members_when_the_kind_no_longer_has_any(client, academy_staff, company):
    federation = OrganisationFactory(federation=True)
    federation.members.add(company)
    client.force_login(academy_staff)

    client.post(update_url(federation), {"kind": "company", "name": federation.name, "academy": federation.academy_id})

    assert not federation.members.exists()
