"""The demo data: ``manage.py load_demo`` and its builder."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from partenariats.accounts.models import Role, User
from partenariats.demo.builder import DemoSizes, demo_siret, load_demo
from partenariats.demo.constants import DEMO_PASSWORD, SCHOOL_STAFF_EMAIL
from partenariats.demo.specs import FEDERATIONS
from partenariats.directory.identifiers import LA_POSTE_SIREN, is_valid_siret, is_valid_uai
from partenariats.directory.models import (
    Membership,
    Note,
    Organisation,
    OrganisationKind,
    Person,
    PriorityEducation,
    SchoolType,
)
from partenariats.territories.models import Basin, Clee

pytestmark = pytest.mark.django_db

SMALL = DemoSizes(schools=30, companies=40, people=40)
FEDERATION_KINDS = [OrganisationKind.EMPLOYER_ORG, OrganisationKind.CHAMBER, OrganisationKind.ASSOCIATION]


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "basins": Basin.objects.count(),
        "clees": Clee.objects.count(),
        "organisations": Organisation.objects.count(),
        "members": Organisation.members.through.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "notes": Note.objects.count(),
        "users": User.objects.count(),
        "organisation history": Organisation.history.count(),
        "person history": Person.history.count(),
        "membership history": Membership.history.count(),
        "note history": Note.history.count(),
    }


def test_it_creates_a_region_of_the_expected_size():
    run_command()

    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
    companies = Organisation.objects.filter(kind=OrganisationKind.COMPANY)
    assert 250 <= schools.count() <= 350
    assert 350 <= companies.count() <= 450
    assert 140 <= Person.objects.count() <= 200
    assert 8 <= Basin.objects.filter(academy__name__in=["Aix-Marseille", "Nice"]).count() <= 10
    assert Clee.objects.count() == Basin.objects.count()
    assert set(schools.values_list("academy__name", flat=True)) == {"Aix-Marseille", "Nice"}
    assert set(companies.values_list("academy__name", flat=True)) == {"Aix-Marseille", "Nice"}
    services = set(
        Organisation.objects.filter(kind=OrganisationKind.ACADEMY_SERVICE).values_list("service_type", "academy__name")
    )
    assert {
        ("dafpic", "Aix-Marseille"),
        ("daet", "Aix-Marseille"),
        ("dafpic", "Nice"),
        ("casnav", "Aix-Marseille"),
    } <= services
    assert Note.objects.filter(owner_academy__isnull=False).exists()
    assert Note.objects.filter(owner_organisation__isnull=False).exists()


def test_it_gives_each_federation_ten_to_sixty_member_companies():
    load_demo()

    # The regional federations (the conventions add national partners, without members).
    federations = Organisation.objects.filter(kind__in=FEDERATION_KINDS, name__in=[f.name for f in FEDERATIONS])
    assert federations.count() == 6
    for federation in federations:
        members = federation.members.all()
        assert 10 <= members.count() <= 60, federation.name
        assert {m.kind for m in members} == {OrganisationKind.COMPANY}


def test_it_gives_every_school_a_valid_uai_and_every_company_a_valid_siret():
    load_demo(sizes=SMALL)

    uais = Organisation.objects.filter(kind=OrganisationKind.SCHOOL).values_list("uai", flat=True)
    sirets = Organisation.objects.filter(kind=OrganisationKind.COMPANY).values_list("siret", flat=True)
    assert len(uais) == SMALL.schools
    assert all(is_valid_uai(uai) for uai in uais), [u for u in uais if not is_valid_uai(u)]
    assert all(uai[:3] in {"004", "005", "006", "013", "083", "084"} for uai in uais)
    assert all(is_valid_siret(siret) for siret in sirets), [s for s in sirets if not is_valid_siret(s)]
    la_poste = [siret for siret in sirets if siret.startswith(LA_POSTE_SIREN)]
    assert len(la_poste) == 1
    assert sum(int(d) for d in la_poste[0]) % 5 == 0


def test_it_creates_nothing_the_second_time():
    load_demo(sizes=SMALL)
    before = counts()

    output = run_command("--schools", "30", "--companies", "40", "--people", "40")

    assert counts() == before
    assert "rien à créer" in output


def test_it_adds_only_the_missing_records_when_asked_for_more():
    load_demo(sizes=SMALL)
    first_schools = set(Organisation.objects.filter(kind=OrganisationKind.SCHOOL).values_list("pk", "uai"))

    load_demo(sizes=DemoSizes(schools=50, companies=40, people=40))

    schools = set(Organisation.objects.filter(kind=OrganisationKind.SCHOOL).values_list("pk", "uai"))
    assert first_schools < schools
    assert len(schools) == 50


def test_it_gives_every_role_a_working_demo_login(client):
    output = run_command("--scale", "0.2")

    demo_users = User.objects.filter(email__endswith="@demo.example.invalid")
    roles = set(demo_users.values_list("assignments__role", flat=True))
    assert roles == set(Role.values)
    for user in demo_users:
        assert user.email in output
        assert user.person is not None
        # Through the login form, as a person would (django-axes refuses a login without a request).
        response = client.post(reverse("accounts:login"), {"username": user.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.email
        assert int(client.session["_auth_user_id"]) == user.pk
        client.logout()
    assert output.count(DEMO_PASSWORD) == 1


def test_it_gives_the_school_account_a_rep_plus_college():
    load_demo(sizes=SMALL)

    user = User.objects.get(email=SCHOOL_STAFF_EMAIL)
    (school_id,) = user.scope.organisation_ids
    school = Organisation.objects.get(pk=school_id)
    assert school.school_type == SchoolType.COLLEGE
    assert school.priority_education == PriorityEducation.REP_PLUS


def test_it_includes_rep_and_rep_plus_schools_and_rep_plus_only_for_colleges():
    load_demo()

    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
    priority = schools.exclude(priority_education=PriorityEducation.NONE)
    assert schools.filter(priority_education=PriorityEducation.REP).exists()
    assert 0.1 <= priority.count() / schools.count() <= 0.3
    rep_plus_types = set(
        schools.filter(priority_education=PriorityEducation.REP_PLUS).values_list("school_type", flat=True)
    )
    assert rep_plus_types == {SchoolType.COLLEGE}


def test_it_records_a_creation_history_for_every_demo_record():
    load_demo(sizes=SMALL)

    for model in (Organisation, Person, Membership, Note):
        created = set(model.history.filter(history_type="+").values_list("id", flat=True))
        assert created == set(model.objects.values_list("pk", flat=True)), model.__name__


def test_it_makes_every_organisation_findable_by_its_search_text():
    load_demo(sizes=SMALL)

    assert not Organisation.objects.filter(search_text="").exists()
    assert Organisation.objects.search("oliviers demo").exists()
    assert not Person.objects.filter(search_text="").exists()


def test_it_keeps_every_contact_with_a_legal_basis_and_an_owning_academy():
    load_demo(sizes=SMALL)

    assert not Person.objects.filter(academy__isnull=True).exists()
    assert not Person.objects.filter(legal_basis="").exists()
    assert all(p.email.endswith(".invalid") for p in Person.objects.all())


@given(st.integers(min_value=1, max_value=9_999_999))
def test_it_numbers_any_demo_company_with_a_valid_siret(index):
    assert is_valid_siret(demo_siret(index))
    assert demo_siret(index) != demo_siret(index + 1)
