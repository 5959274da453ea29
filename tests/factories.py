"""factory_boy factories: obviously fake names, example.invalid e-mails."""

import datetime

import factory
from factory import Trait

from partenariats.accounts.models import ApiToken, Assignment, Role, User
from partenariats.directory.identifiers import uai_check_letter
from partenariats.directory.models import (
    LegalBasis,
    Membership,
    Note,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
    SchoolType,
    Sector,
)
from partenariats.territories.models import Academy, Basin


def academy(name: str) -> Academy:
    """One of the reference académies loaded by the migrations."""
    return Academy.objects.get(name=name)


def valid_uai(n: int) -> str:
    digits = f"{13:03d}{n % 10000:04d}"
    return digits + uai_check_letter(digits)


def valid_siret(n: int) -> str:
    """A 14-digit SIRET passing Luhn, built by choosing the last digit."""
    base = f"{40000000 + n:08d}00001"[:13]
    for last in "0123456789":
        candidate = base + last
        total = 0
        for position, char in enumerate(reversed(candidate)):
            digit = int(char) * (2 if position % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


class BasinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Basin

    academy = factory.LazyFunction(lambda: academy("Aix-Marseille"))
    name = factory.Sequence(lambda n: f"Bassin d’essai {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.COMPANY
    name = factory.Sequence(lambda n: f"Entreprise Exemple {n}")
    academy = factory.LazyFunction(lambda: academy("Aix-Marseille"))
    city = "Marseille"
    postal_code = "13001"

    class Params:
        school = Trait(
            kind=OrganisationKind.SCHOOL,
            name=factory.Sequence(lambda n: f"Collège Exemple {n}"),
            uai=factory.Sequence(valid_uai),
            school_type=SchoolType.COLLEGE,
            sector=Sector.PUBLIC,
        )
        company = Trait(kind=OrganisationKind.COMPANY, siret=factory.Sequence(valid_siret))
        federation = Trait(
            kind=OrganisationKind.EMPLOYER_ORG, name=factory.Sequence(lambda n: f"Fédération Exemple {n}")
        )
        service = Trait(kind=OrganisationKind.ACADEMY_SERVICE, name=factory.Sequence(lambda n: f"DAFPIC {n}"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Camille{n}")
    last_name = factory.Sequence(lambda n: f"Exemple{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.invalid")
    academy = factory.LazyFunction(lambda: academy("Aix-Marseille"))
    legal_basis = LegalBasis.PUBLIC_TASK
    data_collected_on = datetime.date(2026, 9, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PersonRole.CORRESPONDENT


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    organisation = factory.SubFactory(OrganisationFactory)
    text = "Note d’essai"
    owner_academy = factory.LazyFunction(lambda: academy("Aix-Marseille"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.invalid")
    first_name = "Dominique"
    last_name = factory.Sequence(lambda n: f"Essai{n}")
    password = factory.PostGenerationMethodCall("set_password", "Mot-de-passe-1234!")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    user = factory.SubFactory(UserFactory)
    role = Role.ACADEMY_STAFF
    academy = factory.LazyFunction(lambda: academy("Aix-Marseille"))


def token_for(user: User) -> str:
    return ApiToken.issue(user, "test")[1]
