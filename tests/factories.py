"""factory_boy factories: obviously fake names, example.invalid e-mails."""

import datetime

import factory
from django.core.files.base import ContentFile
from factory import Trait

from partenariats.accounts.models import ApiToken, Assignment, Role, User
from partenariats.activities.models import (
    Action,
    ActionTarget,
    Activity,
    ActivityGroup,
    ActivityKind,
    Attachment,
    AttachmentKind,
    Contribution,
    Level,
    Metric,
    Plan,
)
from partenariats.conventions.models import (
    Commitment,
    Convention,
    ConventionKind,
    Document,
    DocumentKind,
    Party,
    PartySide,
    Signatory,
    TerminationEffect,
)
from partenariats.conventions.services import refresh_terms
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
    ServiceType,
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


# --- Conventions -------------------------------------------------------------------------


class ConventionFactory(factory.django.DjangoModelFactory):
    """Two years from the last signature, renewed tacitly, three months' notice by registered letter.

    ``ConventionFactory(signed=True)`` adds a Rectorat party of the convention's académie, a partner
    party and signatories dated 18 March 2021 (``signed_on=`` another date). ``academy=`` (default
    Aix-Marseille) is added to ``academies``; the terms are refreshed last (``refresh__today=``).
    """

    class Meta:
        model = Convention
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Convention d’essai {n}")
    kind = ConventionKind.FRAMEWORK
    duration_months = 24
    tacit_renewal = True
    renewal_months = 24
    notice_months = 3
    notice_by_registered_letter = True
    termination_effect = TerminationEffect.END_OF_PERIOD

    class Params:
        signed = Trait(signed_on__default=datetime.date(2021, 3, 18))

    @factory.post_generation
    def academy(obj, create, extracted, **kwargs):
        if create:
            obj.academies.add(extracted or academy("Aix-Marseille"))

    @factory.post_generation
    def signed_on(obj, create, extracted, **kwargs):
        extracted = extracted or kwargs.get("default")
        if not (create and extracted):
            return
        home = obj.academies.first()
        rectorat = OrganisationFactory(
            service=True, service_type=ServiceType.RECTORAT, academy=home, name=f"Rectorat d’essai {obj.pk}"
        )
        partner = OrganisationFactory(federation=True, academy=home)
        education = PartyFactory(convention=obj, organisation=rectorat, side=PartySide.EDUCATION)
        other = PartyFactory(convention=obj, organisation=partner, side=PartySide.PARTNER, position=1)
        SignatoryFactory(convention=obj, party=education, name="Recteur Exemple", signed_on=extracted)
        SignatoryFactory(convention=obj, party=other, name="Présidente Exemple", signed_on=extracted, position=1)

    @factory.post_generation
    def refresh(obj, create, extracted, **kwargs):
        if create:
            refresh_terms(obj, kwargs.get("today"))


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    convention = factory.SubFactory(ConventionFactory)
    organisation = factory.SubFactory(OrganisationFactory, company=True)
    side = PartySide.PARTNER


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    convention = factory.SubFactory(ConventionFactory)
    name = factory.Sequence(lambda n: f"Signataire Exemple {n}")
    signed_on = datetime.date(2021, 3, 18)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    convention = factory.SubFactory(ConventionFactory)
    party = factory.SubFactory(PartyFactory, convention=factory.SelfAttribute("..convention"))
    text = factory.Sequence(lambda n: f"Accueillir des élèves en stage d’observation (engagement {n})")


class DocumentFactory(factory.django.DjangoModelFactory):
    """A small PDF-looking file; pass ``content=b"..."`` for other bytes."""

    class Meta:
        model = Document
        exclude = ["content"]

    convention = factory.SubFactory(ConventionFactory)
    kind = DocumentKind.SIGNED
    title = factory.Sequence(lambda n: f"Exemplaire signé {n}")
    original_name = "convention.pdf"
    content = factory.Sequence(lambda n: b"%PDF-1.4\n%% document d'essai " + str(n).encode() + b"\n%%EOF\n")
    sha256 = factory.LazyAttribute(lambda o: Document.digest(o.content))
    size = factory.LazyAttribute(lambda o: len(o.content))
    content_type = "application/pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="x.pdf"))


# --- Plans and activities -------------------------------------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan for 2025–2026 (``school_year=`` another starting year)."""

    class Meta:
        model = Plan

    convention = factory.SubFactory(ConventionFactory, signed=True)
    school_year = 2025


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Visites d’entreprise pour les classes de 3e (action {n})")

    @factory.post_generation
    def commitments(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.commitments.set(extracted)


class ActionTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionTarget

    action = factory.SubFactory(ActionFactory)
    metric = Metric.EVENTS
    value = 10


class ActivityFactory(factory.django.DjangoModelFactory):
    """A company visit on 14 November 2025 in Aix-Marseille; ``pupils=N`` adds one group of N
    pupils of 3e (in the school ``groups__school=``) and sets the participations."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True
        exclude = ["pupils"]

    kind = ActivityKind.COMPANY_VISIT
    title = factory.Sequence(lambda n: f"Visite d’entreprise d’essai {n}")
    starts_on = datetime.date(2025, 11, 14)
    academy = factory.LazyFunction(lambda: academy("Aix-Marseille"))
    pupils = 0
    pupil_participations = factory.SelfAttribute("pupils")

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and obj.pupil_participations:
            ActivityGroup.objects.create(
                activity=obj, school=kwargs.get("school"), level=Level.TROISIEME, pupils=obj.pupil_participations
            )

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisations.set(extracted)


class ContributionFactory(factory.django.DjangoModelFactory):
    """A confirmed contribution of an activity to a convention (``action=`` / ``commitment=``)."""

    class Meta:
        model = Contribution

    activity = factory.SubFactory(ActivityFactory)
    convention = factory.SubFactory(ConventionFactory, signed=True)
    confirmed = True


class AttachmentFactory(factory.django.DjangoModelFactory):
    """An attendance sheet about minors, with consent, kept until 31 August 2026."""

    class Meta:
        model = Attachment
        exclude = ["content"]

    activity = factory.SubFactory(ActivityFactory)
    kind = AttachmentKind.ATTENDANCE
    title = factory.Sequence(lambda n: f"Feuille d’émargement {n}")
    original_name = "emargement.pdf"
    content = factory.Sequence(lambda n: b"%PDF-1.4\n%% emargement " + str(n).encode() + b"\n%%EOF\n")
    sha256 = factory.LazyAttribute(lambda o: Attachment.digest(o.content))
    size = factory.LazyAttribute(lambda o: len(o.content))
    content_type = "application/pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="x.pdf"))
    concerns_minors = True
    consent_obtained = True
    retain_until = datetime.date(2026, 8, 31)


# --- Convention imports ---------------------------------------------------------------------


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A convention import waiting in the queue, its file a small text (``status=``, ``result=``…)."""

    class Meta:
        model = "intake.ImportJob"
        exclude = ["content"]

    academy = factory.LazyFunction(lambda: academy("Aix-Marseille"))
    created_by = factory.SubFactory(UserFactory)
    original_name = "convention.txt"
    content = factory.Sequence(lambda n: f"Convention d’essai {n}\nArticle 1 – Objet\n".encode())
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: Document.digest(o.content))
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="upload"))
