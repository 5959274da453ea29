"""The access matrix's world: two académies, two partners, two schools, and one user per role.

Académie A (Aix-Marseille) holds convention CA between its rectorat, company X and school S1
(company X is a member of federation F); académie B (Nice) holds convention CB with company Z.
Company Y and school S2 are in A but party to nothing. Every record carries a marker text
(``Marqueur-…``) that a page or a JSON answer shows exactly when the record is disclosed;
confidential items carry ``Secret-…`` markers.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from partenariats.accounts.models import Role, User
from partenariats.activities.models import ActivityGroup, Level
from partenariats.conventions.models import Article, Commitment
from partenariats.conventions.services import refresh_terms
from partenariats.directory.models import Organisation, ServiceType
from partenariats.intake.models import ImportStatus
from partenariats.steering.models import DocumentKind as SteeringDocument
from partenariats.steering.models import FileFormat, MeetingStatus, Rendering, RenderStatus, Variant
from partenariats.steering.reviews import create_review
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    AssignmentFactory,
    AttachmentFactory,
    BasinFactory,
    ContributionFactory,
    ConventionFactory,
    DocumentFactory,
    ImportJobFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    PersonFactory,
    PlanFactory,
    SignatoryFactory,
    UserFactory,
    academy,
)
from tests.steering.factories import DecisionFactory, MeetingFactory

# The roles of the matrix, each a user of the World (anonymous: no user).
ROLES = (
    "academy_staff",  # académie staff of A
    "academy_admin",  # académie staff of A who manages its accounts
    "clee_member",  # CLEE member of a bassin of A (the bassin of S1)
    "school_head",  # staff of school S1 (party to CA)
    "other_school_head",  # staff of school S2 (party to nothing)
    "partner_contact",  # staff of company X (party to CA)
    "other_partner_contact",  # staff of company Y (party to nothing)
    "federation_staff",  # staff of federation F, whose member X is party to CA (a reader, not a party)
    "observer",  # read-only observer of A
    "colleague_elsewhere",  # académie staff of B
    "anonymous",
    "platform_admin",
)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    records: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.records[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _user(role: str, **scope) -> User:
    user = UserFactory()
    AssignmentFactory(user=user, role=role, **scope)
    return user


def _convention(home, partner: Organisation, title: str, *, school: Organisation | None = None):
    convention = ConventionFactory(academy=home, title=title)
    rectorat = OrganisationFactory(service=True, service_type=ServiceType.RECTORAT, academy=home)
    education = PartyFactory(convention=convention, organisation=rectorat, side="education")
    other = PartyFactory(convention=convention, organisation=partner, side="partner", position=1)
    SignatoryFactory(convention=convention, party=education, name="Recteur Exemple")
    SignatoryFactory(convention=convention, party=other, name="Présidente Exemple", position=1)
    if school is not None:
        PartyFactory(convention=convention, organisation=school, side="education", position=2)
    refresh_terms(convention)
    return convention, other


def _yearly_loop(world: World, key: str, convention, party, home, *, basin, school, partner) -> None:
    """A plan with a public and a confidential action, counted activities, a meeting."""
    article = Article.objects.create(convention=convention, number="1", heading="Objet")
    public = Commitment.objects.create(
        convention=convention, party=party, article=article, text=f"Marqueur-engagement-{key}"
    )
    secret = Commitment.objects.create(
        convention=convention, party=party, article=article, text=f"Secret-engagement-{key}", confidential=True
    )
    plan = PlanFactory(convention=convention, school_year=2025)
    action = ActionFactory(plan=plan, title=f"Marqueur-action-{key}", commitments=[public])
    secret_action = ActionFactory(plan=plan, title=f"Secret-action-{key}", commitments=[secret], confidential=True)
    activity = ActivityFactory(academy=home, basin=basin, title=f"Marqueur-activite-{key}", organisations=[partner])
    ActivityGroup.objects.create(activity=activity, school=school, level=Level.TROISIEME, pupils=24)
    ContributionFactory(activity=activity, convention=convention, action=action)
    secret_activity = ActivityFactory(
        academy=home, basin=basin, title=f"Secret-activite-{key}", organisations=[partner], confidential=True
    )
    ActivityGroup.objects.create(activity=secret_activity, school=school, level=Level.TROISIEME, pupils=12)
    ContributionFactory(activity=secret_activity, convention=convention, action=secret_action)
    attachment = AttachmentFactory(activity=activity, title=f"Marqueur-piece-{key}")
    held = timezone.now() - timedelta(days=30)
    meeting = MeetingFactory(
        convention=convention,
        status=MeetingStatus.HELD,
        starts_at=held,
        ends_at=held + timedelta(hours=2),
        place=f"Marqueur-reunion-{key}",
    )
    DecisionFactory(meeting=meeting, number=1, text=f"Marqueur-decision-{key}")
    DecisionFactory(meeting=meeting, number=2, text=f"Secret-decision-{key}", confidential=True)
    world.records |= {
        f"convention_{key}": convention,
        f"document_{key}": DocumentFactory(convention=convention, title=f"Marqueur-document-{key}"),
        f"secret_document_{key}": DocumentFactory(
            convention=convention, title=f"Secret-document-{key}", confidential=True
        ),
        f"plan_{key}": plan,
        f"activity_{key}": activity,
        f"secret_activity_{key}": secret_activity,
        f"attachment_{key}": attachment,
        f"meeting_{key}": meeting,
    }


def build_world() -> World:
    world = World()
    aix, nice = academy("Aix-Marseille"), academy("Nice")
    basin_a = BasinFactory(academy=aix, name="Bassin Marqueur-A")
    school_1 = OrganisationFactory(school=True, academy=aix, basin=basin_a, name="Lycée Marqueur-S1")
    school_2 = OrganisationFactory(school=True, academy=aix, basin=basin_a, name="Collège Marqueur-S2")
    company_x = OrganisationFactory(company=True, academy=aix, name="Société Marqueur-X")
    company_y = OrganisationFactory(company=True, academy=aix, name="Société Marqueur-Y")
    company_z = OrganisationFactory(company=True, academy=nice, name="Société Marqueur-Z")
    federation = OrganisationFactory(federation=True, academy=aix, name="Fédération Marqueur-F")
    federation.members.add(company_x)
    basin_b = BasinFactory(academy=nice, name="Bassin Marqueur-B")

    convention_a, party_x = _convention(aix, company_x, "Convention Marqueur-CA", school=school_1)
    convention_b, party_z = _convention(nice, company_z, "Convention Marqueur-CB")
    _yearly_loop(world, "A", convention_a, party_x, aix, basin=basin_a, school=school_1, partner=company_x)
    _yearly_loop(world, "B", convention_b, party_z, nice, basin=basin_b, school=None, partner=company_z)

    person_a = PersonFactory(academy=aix, last_name="Marqueur-PA")
    MembershipFactory(person=person_a, organisation=company_x)
    person_b = PersonFactory(academy=nice, last_name="Marqueur-PB")
    MembershipFactory(person=person_b, organisation=company_z)

    world.users = {
        "academy_staff": _user(Role.ACADEMY_STAFF, academy=aix),
        "academy_admin": _user(Role.ACADEMY_STAFF, academy=aix, manages_accounts=True),
        "clee_member": _user(Role.CLEE_MEMBER, academy=None, basin=basin_a),
        "school_head": _user(Role.SCHOOL_STAFF, academy=None, organisation=school_1),
        "other_school_head": _user(Role.SCHOOL_STAFF, academy=None, organisation=school_2),
        "partner_contact": _user(Role.PARTNER_STAFF, academy=None, organisation=company_x),
        "other_partner_contact": _user(Role.PARTNER_STAFF, academy=None, organisation=company_y),
        "federation_staff": _user(Role.PARTNER_STAFF, academy=None, organisation=federation),
        "observer": _user(Role.OBSERVER, academy=aix),
        "colleague_elsewhere": _user(Role.ACADEMY_STAFF, academy=nice),
        "platform_admin": _user(Role.PLATFORM_ADMIN, academy=None),
    }
    world.users["platform_admin"].is_staff = world.users["platform_admin"].is_superuser = True
    world.users["platform_admin"].save(update_fields=["is_staff", "is_superuser"])
    job_a = ImportJobFactory(
        academy=aix,
        created_by=world.users["academy_staff"],
        status=ImportStatus.READY,
        original_name="Marqueur-import-A.txt",
        result={"text": "Convention"},
    )
    job_b = ImportJobFactory(
        academy=nice,
        created_by=world.users["colleague_elsewhere"],
        status=ImportStatus.READY,
        original_name="Marqueur-import-B.txt",
        result={"text": "Convention"},
    )
    review = create_review(convention_a, 2025, world.users["academy_staff"])
    rendering = Rendering.objects.create(
        convention=convention_a,
        document=SteeringDocument.REVIEW,
        review=review,
        variant=Variant.FULL,
        file_format=FileFormat.PDF,
        status=RenderStatus.DONE,
        file=ContentFile(b"%PDF-1.4\n%% Marqueur-bilan-A\n%%EOF\n", name="bilan.pdf"),
        size=32,
    )
    world.records |= {
        "rendering_A": rendering,
        "academy_A": aix,
        "academy_B": nice,
        "school_1": school_1,
        "school_2": school_2,
        "company_x": company_x,
        "company_y": company_y,
        "company_z": company_z,
        "federation": federation,
        "person_A": person_a,
        "person_B": person_b,
        "job_A": job_a,
        "job_B": job_b,
    }
    return world
