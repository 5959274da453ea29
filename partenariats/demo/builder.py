"""The demonstration data of one région académique: deterministic, idempotent and fast.

:class:`DemoBuilder` plans every record from a fixed seed, then creates only those whose
natural key (UAI, SIRET, name, e-mail) is not in the database yet, so a second run creates
nothing. Organisations, people, memberships and notes are bulk-created with their creation
history; then about forty conventions (``demo.conventions``), dated from ``today``. A bigger
data set (national scale) is a subclass with other territories and sizes.
"""

import datetime
import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from partenariats.accounts.models import Assignment, Role, User
from partenariats.core.text import fold
from partenariats.demo import catalog, constants
from partenariats.demo.activities import build_activities
from partenariats.demo.catalog import BasinSpec
from partenariats.demo.conventions import build_conventions
from partenariats.demo.specs import ACTIVITY_GROUPS, FEDERATIONS, PEOPLE_PATTERN, SERVICE_PEOPLE, SERVICES
from partenariats.demo.steering import build_steering
from partenariats.directory.identifiers import LA_POSTE_SIREN, uai_check_letter
from partenariats.directory.models import (
    CompanySize,
    LegalBasis,
    Membership,
    Note,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
    PriorityEducation,
    SchoolType,
    Sector,
)
from partenariats.territories.models import AcademicRegion, Academy, Basin, Clee

DEFAULT_SEED = 2026
CHANGE_REASON = constants.CHANGE_REASON
BATCH_SIZE = 500
# Fictitious UAIs are numbered from here in each department, away from most real ones.
FIRST_UAI_SERIAL = 8000
# SIRENs of the fictitious companies: this number plus the company's index, then a Luhn key.
FIRST_SIREN_BASE = 90_000_000
LA_POSTE_SIRET = f"{LA_POSTE_SIREN}00010"  # digit sum 15: valid under La Poste's rule
# Activities drawn over three whole school years; those after the load day are not created.
ACTIVITIES_PER_SCHOOL = 14


@dataclass(frozen=True)
class DemoSizes:
    schools: int = 300
    companies: int = 400
    people: int = 150
    activities: int | None = None  # None: ACTIVITIES_PER_SCHOOL per school

    def scaled(self, factor: float) -> "DemoSizes":
        return DemoSizes(
            schools=round(self.schools * factor),
            companies=round(self.companies * factor),
            people=round(self.people * factor),
            activities=None if self.activities is None else round(self.activities * factor),
        )

    @property
    def activity_count(self) -> int:
        return self.activities if self.activities is not None else ACTIVITIES_PER_SCHOOL * self.schools


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    scope: str


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)
    accounts: list[DemoAccount] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # time taken by each step


@dataclass
class PlannedPerson:
    person: Person
    memberships: list[tuple[Organisation, str, str]]  # (organisation, role, title)


def weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def with_luhn_key(partial: str) -> str:
    """``partial`` followed by the digit that makes the whole pass Luhn (computed, not searched:
    the national generator calls it 400 000 times)."""
    total = 0
    for position, char in enumerate(reversed(partial), start=1):  # the key will be position 0
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return partial + str(-total % 10)


def demo_siret(index: int) -> str:
    siren = with_luhn_key(f"{FIRST_SIREN_BASE + index:08d}")
    return with_luhn_key(f"{siren}0001")


def demo_phone(rng: random.Random) -> str:
    return f"04 00 00 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def gendered(civility: str, masculine: str, feminine: str) -> str:
    return feminine if civility == "mme" else masculine


def chunks(values: Sequence, size: int = BATCH_SIZE) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def existing_by(queryset: models.QuerySet, field_name: str, keys: Iterable[str]) -> dict[str, Any]:
    """The rows of ``queryset`` whose ``field_name`` is one of ``keys``, by that key (in chunks for SQLite)."""
    found: dict[str, Any] = {}
    for chunk in chunks(list(keys)):
        for obj in queryset.filter(**{f"{field_name}__in": chunk}):
            found[getattr(obj, field_name)] = obj
    return found


class DemoBuilder:
    """Plans and creates the demo data of one région académique."""

    region_name = catalog.REGION_NAME
    basin_specs: Sequence[BasinSpec] = catalog.BASINS

    def __init__(self, *, seed: int = DEFAULT_SEED, sizes: DemoSizes | None = None, today: datetime.date | None = None):
        self.seed = seed
        self.sizes = sizes or DemoSizes()
        # The conventions' dates and statuses are computed from this day.
        self.today = today or timezone.localdate()
        self.report = DemoReport()
        self.academies: dict[str, Academy] = {}
        self.basins: dict[str, Basin] = {}
        self.services: dict[str, Organisation] = {}
        self.schools: list[Organisation] = []
        self.companies: list[Organisation] = []
        self.federations: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}

    def rng(self, stream: str) -> random.Random:
        """One random generator per kind of record, so that each kind's plan depends only on the seed."""
        return random.Random(f"{self.seed}:{stream}")

    @transaction.atomic
    def build(self) -> DemoReport:
        started = time.monotonic()
        self.build_territories()
        by_name = self.save_organisations(self.plan_services(), "name")
        self.services = {key: by_name[name] for key, name, *_ in SERVICES}
        self.schools = list(self.save_organisations(self.plan_schools(), "uai").values())
        self.companies = list(self.save_organisations(self.plan_companies(), "siret").values())
        self.build_federations()
        self.save_people(self.plan_people())
        self.build_accounts()
        self.build_notes()
        build_conventions(self, self.today)
        self.report.seconds["annuaire et conventions"] = time.monotonic() - started
        started = time.monotonic()
        build_activities(self, self.today)
        self.report.seconds["plans et activités"] = time.monotonic() - started
        started = time.monotonic()
        build_steering(self.today)
        self.report.seconds["comités de pilotage et bilans"] = time.monotonic() - started
        return self.report

    # Territories ---------------------------------------------------------------------------

    def build_territories(self) -> None:
        region = AcademicRegion.objects.get(name=self.region_name)
        self.academies = {academy.name: academy for academy in Academy.objects.filter(region=region)}
        for spec in self.basin_specs:
            basin, created = Basin.objects.get_or_create(
                academy=self.academies[spec.academy], name=spec.name, defaults={"code": spec.code}
            )
            self.report.created["bassins"] += created
            _, created = Clee.objects.get_or_create(basin=basin, defaults={"name": f"CLEE du bassin {spec.name}"})
            self.report.created["CLEE"] += created
            self.basins[spec.name] = basin

    # Organisations -------------------------------------------------------------------------

    def save_organisations(self, planned: list[Organisation], key: str) -> dict[str, Organisation]:
        """Create the planned organisations missing from the database; every one of them, by ``key``."""
        queryset = Organisation.objects.all()
        if key == "name":
            queryset = queryset.filter(kind__in={o.kind for o in planned})
        existing = existing_by(queryset, key, [getattr(o, key) for o in planned])
        missing = [o for o in planned if getattr(o, key) not in existing]
        for organisation in missing:
            organisation.search_text = organisation.build_search_text()
        created = bulk_create_with_history(
            missing, Organisation, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
        )
        self.report.created["organisations"] += len(created)
        existing.update({getattr(o, key): o for o in created})
        return {getattr(o, key): existing[getattr(o, key)] for o in planned}

    def _address(self, rng: random.Random, spec: BasinSpec) -> dict[str, Any]:
        city, postal_code = rng.choice(spec.towns)
        return {
            "address": f"{rng.randint(1, 120)} {rng.choice(catalog.STREETS)}",
            "city": city,
            "postal_code": postal_code,
            "department_code": spec.department,
            "phone": demo_phone(rng),
            "basin": self.basins[spec.name],
            "academy": self.academies[spec.academy],
        }

    def plan_services(self) -> list[Organisation]:
        rng = self.rng("services")
        return [
            Organisation(
                kind=OrganisationKind.ACADEMY_SERVICE,
                name=name,
                acronym=acronym,
                service_type=service_type,
                academy=self.academies[academy],
                city=city,
                postal_code=postal_code,
                department_code=postal_code[:2],
                address=f"{rng.randint(1, 120)} {rng.choice(catalog.STREETS)}",
                phone=demo_phone(rng),
                email=f"{key.replace('_', '.')}@example.invalid",
            )
            for key, name, acronym, service_type, academy, city, postal_code in SERVICES
        ]

    def plan_schools(self) -> list[Organisation]:
        rng = self.rng("schools")
        serials: Counter = Counter()
        schools = []
        for index in range(self.sizes.schools):
            spec = rng.choice(self.basin_specs)
            school_type, label, _, pupils = weighted(rng, [(t, t[2]) for t in catalog.SCHOOL_TYPES])
            sector = Sector.PRIVATE if school_type != SchoolType.EREA and rng.random() < 0.2 else Sector.PUBLIC
            draw = rng.random()
            motif = rng.choice(catalog.PRIVATE_SCHOOL_MOTIFS if sector == Sector.PRIVATE else catalog.SCHOOL_MOTIFS)
            pupil_count = rng.randint(*pupils)
            address = self._address(rng, spec)
            if index < 2:
                # Anchors the demo accounts need, whatever the sizes: a REP+ collège and a lycée
                # professionnel in Marseille-Nord.
                spec = self.basin_specs[1]
                school_type, label = ("college", "Collège") if index == 0 else ("lycee_pro", "Lycée professionnel")
                sector, draw = Sector.PUBLIC, 0.0 if index == 0 else 0.99
                motif = catalog.SCHOOL_MOTIFS[index]
                address = self._address(rng, spec)
            priority = PriorityEducation.NONE
            if sector == Sector.PUBLIC:
                if school_type == SchoolType.COLLEGE:
                    priority = (
                        PriorityEducation.REP_PLUS
                        if draw < 0.15
                        else PriorityEducation.REP
                        if draw < 0.40
                        else PriorityEducation.NONE
                    )
                elif draw < (0.15 if school_type == SchoolType.LYCEE_PRO else 0.05):
                    priority = PriorityEducation.REP
            department = f"{int(spec.department):03d}"
            serials[department] += 1
            serial = FIRST_UAI_SERIAL + serials[department] - 1
            if serial > 9999:
                raise ValueError(f"Too many demo schools in department {department}: add departments.")
            digits = f"{department}{serial:04d}"
            uai = digits + uai_check_letter(digits)
            private = " privé" if sector == Sector.PRIVATE else ""
            schools.append(
                Organisation(
                    kind=OrganisationKind.SCHOOL,
                    name=f"{label}{private} {motif} (démo)",
                    uai=uai,
                    school_type=school_type,
                    sector=sector,
                    priority_education=priority,
                    pupil_count=pupil_count,
                    email=f"ce.{uai.lower()}@example.invalid",
                    **address,
                )
            )
        return schools

    def plan_companies(self) -> list[Organisation]:
        rng = self.rng("companies")
        companies = []
        for index in range(self.sizes.companies):
            spec = rng.choice(self.basin_specs)
            activity = rng.choice(catalog.ACTIVITIES)
            qualifier = rng.choice(catalog.COMPANY_QUALIFIERS)
            size = weighted(rng, catalog.COMPANY_SIZES)
            address = self._address(rng, spec)
            name = f"{activity.label} {qualifier} — {address['city']} (démo)"
            siret, naf = demo_siret(index), activity.naf
            if index == 0:
                # One La Poste establishment: its SIRET follows the digit-sum rule, not Luhn.
                spec = self.basin_specs[0]
                address = self._address(rng, spec)
                name, siret, naf, size = (
                    "Bureau de poste Exemple du Vieux-Port (démo)",
                    LA_POSTE_SIRET,
                    "53.10Z",
                    "large",
                )
            companies.append(
                Organisation(
                    kind=OrganisationKind.COMPANY,
                    name=name,
                    siret=siret,
                    naf_code=naf,
                    size=size,
                    email=f"contact.{siret}@example.invalid",
                    **address,
                )
            )
        return companies

    @staticmethod
    def company_group(company: Organisation) -> str:
        return ACTIVITY_GROUPS.get(company.naf_code, "")

    def build_federations(self) -> None:
        rng = self.rng("federations")
        planned = [
            Organisation(
                kind=spec.kind,
                name=spec.name,
                acronym=spec.acronym,
                academy=self.academies[spec.academy],
                city=spec.city,
                postal_code=spec.postal_code,
                department_code=spec.postal_code[:2],
                address=f"{rng.randint(1, 120)} {rng.choice(catalog.STREETS)}",
                phone=demo_phone(rng),
                email=f"{spec.key}@example.invalid",
            )
            for spec in FEDERATIONS
        ]
        by_name = self.save_organisations(planned, "name")
        self.federations = {spec.key: by_name[spec.name] for spec in FEDERATIONS}

        through = Organisation.members.through
        wanted = set()
        scale = max(self.sizes.companies / DemoSizes().companies, 0.01)
        for spec in FEDERATIONS:
            candidates = [
                company
                for company in self.companies
                if (not spec.groups or self.company_group(company) in spec.groups)
                and (not spec.member_academy or company.academy_id == self.academies[spec.member_academy].pk)
            ]
            target = max(round(rng.randint(*spec.member_range) * scale), 3)
            federation = self.federations[spec.key]
            wanted |= {(federation.pk, c.pk) for c in rng.sample(candidates, min(target, len(candidates)))}
        existing = set(
            through.objects.filter(from_organisation__in=[f.pk for f in self.federations.values()]).values_list(
                "from_organisation_id", "to_organisation_id"
            )
        )
        missing = sorted(wanted - existing)
        through.objects.bulk_create(
            [through(from_organisation_id=a, to_organisation_id=b) for a, b in missing], batch_size=BATCH_SIZE
        )
        self.report.created["adhésions"] += len(missing)

    # People --------------------------------------------------------------------------------

    def new_person(
        self, rng: random.Random, index: int, organisation: Organisation, legal_basis: str, **fields: Any
    ) -> Person:
        civility = fields.pop("civility", None) or rng.choice(["mme", "m"])
        first_name = rng.choice(catalog.FEMALE_FIRST_NAMES if civility == "mme" else catalog.MALE_FIRST_NAMES)
        last_name = rng.choice(catalog.LAST_NAMES)
        slug = fold(f"{first_name}.{last_name}").replace(" ", "-").replace("'", "")
        values = {
            "civility": civility,
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{slug}.{index:04d}@example.invalid",
            "phone": demo_phone(rng),
            "academy": organisation.academy,
            "legal_basis": legal_basis,
            "data_collected_on": datetime.date(2025, 9, 1) + datetime.timedelta(days=rng.randint(0, 240)),
            "data_source": CHANGE_REASON,
        }
        values.update(fields)
        return Person(**values)

    def plan_people(self) -> list[PlannedPerson]:
        rng = self.rng("people")
        planned: list[PlannedPerson] = []

        def add(organisation: Organisation, role: str, titles: tuple[str, str], legal_basis: str) -> None:
            person = self.new_person(rng, len(planned), organisation, legal_basis)
            planned.append(PlannedPerson(person, [(organisation, role, gendered(person.civility, *titles))]))

        for key, role, masculine, feminine in SERVICE_PEOPLE:
            add(self.services[key], role, (masculine, feminine), LegalBasis.PUBLIC_TASK)
        for spec in FEDERATIONS:
            federation = self.federations[spec.key]
            add(federation, PersonRole.SIGNATORY, spec.head_titles, LegalBasis.CONTRACT)
            titles = ("Chargé des relations école–entreprise", "Chargée des relations école–entreprise")
            add(federation, PersonRole.CORRESPONDENT, titles, LegalBasis.CONTRACT)

        schools_to_head = list(self.schools)
        rng.shuffle(schools_to_head)
        for position in range(max(self.sizes.people - len(planned), 0)):
            kind = PEOPLE_PATTERN[position % len(PEOPLE_PATTERN)]
            if kind == "head" and schools_to_head:
                school = schools_to_head.pop()
                add(school, PersonRole.HEAD, self.head_titles(school), LegalBasis.PUBLIC_TASK)
            elif kind in ("head", "referent") and self.schools:
                titles = ("Professeur référent école–entreprise", "Professeure référente école–entreprise")
                add(rng.choice(self.schools), PersonRole.REFERENT_TEACHER, titles, LegalBasis.PUBLIC_TASK)
            elif kind == "tutor" and self.companies:
                titles = ("Tuteur de stage", "Tutrice de stage")
                add(rng.choice(self.companies), PersonRole.TUTOR, titles, LegalBasis.LEGITIMATE_INTEREST)
            elif kind == "company_head" and self.companies:
                company = rng.choice(self.companies)
                titles = (
                    ("Gérant", "Gérante")
                    if company.size == CompanySize.MICRO
                    else ("Directeur général", "Directrice générale")
                )
                add(company, PersonRole.SIGNATORY, titles, LegalBasis.CONTRACT)
            elif self.companies:
                titles = (
                    "Professionnel bénévole, intervenant en classe",
                    "Professionnelle bénévole, intervenante en classe",
                )
                add(rng.choice(self.companies), PersonRole.VOLUNTEER, titles, LegalBasis.CONSENT)
        return planned

    @staticmethod
    def head_titles(school: Organisation) -> tuple[str, str]:
        if school.school_type == SchoolType.COLLEGE:
            return ("Principal", "Principale")
        if school.school_type == SchoolType.CFA:
            return ("Directeur du CFA", "Directrice du CFA")
        if school.school_type == SchoolType.EREA:
            return ("Directeur de l’EREA", "Directrice de l’EREA")
        return ("Proviseur", "Proviseure")

    def save_people(self, planned: list[PlannedPerson]) -> dict[str, Person]:
        """Create the planned people missing from the database, with their memberships.

        A person already there (same e-mail) is left as it is, memberships included.
        """
        existing = existing_by(Person.objects.all(), "email", [p.person.email for p in planned])
        missing = [p for p in planned if p.person.email not in existing]
        for item in missing:
            # What Person.save() would compute; bulk_create skips save().
            item.person.search_text = fold(f"{item.person.first_name} {item.person.last_name} {item.person.email}")
        people = bulk_create_with_history(
            [p.person for p in missing], Person, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON
        )
        memberships = [
            Membership(person=person, organisation=organisation, role=role, title=title)
            for person, item in zip(people, missing, strict=True)
            for organisation, role, title in item.memberships
        ]
        bulk_create_with_history(memberships, Membership, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON)
        self.report.created["personnes"] += len(people)
        self.report.created["rattachements"] += len(memberships)
        existing.update({person.email: person for person in people})
        return existing

    def save_contacts(self, contacts: Sequence[tuple[Person, Organisation, str, str]]) -> dict[str, Person]:
        """Save people planned elsewhere (the conventions' signatories): (person, organisation, role, title)."""
        return self.save_people([PlannedPerson(person, [(o, role, title)]) for person, o, role, title in contacts])

    # Accounts ------------------------------------------------------------------------------

    def account_specs(self) -> list[dict[str, Any]]:
        """One demo account per role; each with its contact record and its membership."""
        aix, nice = self.academies[catalog.AIX], self.academies[catalog.NICE]
        region = aix.region
        clee_basin = self.basins[self.basin_specs[1].name]
        school = self.schools[0] if self.schools else None
        company = self.companies[1] if len(self.companies) > 1 else None
        dafpic_aix, dafpic_nice = self.services["dafpic_aix"], self.services["dafpic_nice"]
        rectorat_aix = self.services["rectorat_aix"]
        lycee = self.schools[1] if len(self.schools) > 1 else school
        specs = [
            {
                "label": "Administrateur·rice de la plateforme",
                "email": constants.PLATFORM_ADMIN_EMAIL,
                "names": ("mme", "Alix", "Plateforme-Démo"),
                "assignment": {"role": Role.PLATFORM_ADMIN},
                "staff": True,
                "membership": (rectorat_aix, PersonRole.OTHER, "Administratrice de la plateforme Partenariats"),
            },
            {
                "label": "Administrateur·rice d’académie (gestion des comptes)",
                "email": constants.ACADEMY_ADMIN_EMAIL,
                "names": ("mme", "Claire", "Gestion-Démo"),
                "assignment": {"role": Role.ACADEMY_STAFF, "academy": aix, "manages_accounts": True},
                "membership": (dafpic_aix, PersonRole.CHARGE_DE_MISSION, "Cheffe de projet école–entreprise"),
            },
            {
                "label": "Personnel académique",
                "email": constants.ACADEMY_STAFF_EMAIL,
                "names": ("mme", "Camille", "Aix-Démo"),
                "assignment": {"role": Role.ACADEMY_STAFF, "academy": aix},
                "membership": (dafpic_aix, PersonRole.CHARGE_DE_MISSION, "Chargée de mission école–entreprise"),
            },
            {
                "label": "Personnel académique",
                "email": constants.ACADEMY_STAFF_NICE_EMAIL,
                "names": ("m", "Karim", "Nice-Démo"),
                "assignment": {"role": Role.ACADEMY_STAFF, "academy": nice},
                "membership": (dafpic_nice, PersonRole.CHARGE_DE_MISSION, "Chargé de mission école–entreprise"),
            },
            {
                "label": "Personnel de la région académique",
                "email": constants.REGION_STAFF_EMAIL,
                "names": ("mme", "Sophie", "Région-Démo"),
                "assignment": {"role": Role.ACADEMY_STAFF, "region": region},
                "membership": (rectorat_aix, PersonRole.CHARGE_DE_MISSION, "Chargée de mission régionale"),
            },
            {
                "label": "Membre de CLEE",
                "email": constants.CLEE_MEMBER_EMAIL,
                "names": ("m", "Marc", "Clee-Démo"),
                "assignment": {"role": Role.CLEE_MEMBER, "basin": clee_basin},
                "membership": lycee and (lycee, PersonRole.TEACHER, f"Animateur du CLEE du bassin {clee_basin.name}"),
            },
            {
                "label": "Personnel d’établissement",
                "email": constants.SCHOOL_STAFF_EMAIL,
                "names": ("mme", "Nadia", "Collège-Démo"),
                "assignment": {"role": Role.SCHOOL_STAFF, "organisation": school},
                "membership": school and (school, PersonRole.HEAD, "Principale"),
            },
            {
                "label": "Personnel d’un partenaire (fédération)",
                "email": constants.FEDERATION_STAFF_EMAIL,
                "names": ("m", "Julien", "Fédération-Démo"),
                "assignment": {"role": Role.PARTNER_STAFF, "organisation": self.federations["medef"]},
                "membership": (
                    self.federations["medef"],
                    PersonRole.CORRESPONDENT,
                    "Chargé des relations école–entreprise",
                ),
            },
            {
                "label": "Personnel d’un partenaire (entreprise)",
                "email": constants.COMPANY_STAFF_EMAIL,
                "names": ("mme", "Hélène", "Entreprise-Démo"),
                "assignment": {"role": Role.PARTNER_STAFF, "organisation": company},
                "membership": company and (company, PersonRole.EXECUTIVE, "Gérante"),
            },
            {
                "label": "Observateur·rice (lecture seule)",
                "email": constants.OBSERVER_EMAIL,
                "names": ("m", "Olivier", "Observateur-Démo"),
                "assignment": {"role": Role.OBSERVER, "academy": aix},
                "membership": (rectorat_aix, PersonRole.OTHER, "Auditeur interne"),
            },
        ]
        # Without schools or companies (tiny sizes), their accounts cannot exist.
        return [spec for spec in specs if spec["membership"]]

    def demo_login_time(self, index: int) -> datetime.datetime:
        """A last login in the days before ``today``, the same for the same account and day."""
        day = self.today - datetime.timedelta(days=1 + index % 5)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + index % 9, 15)))

    def build_accounts(self) -> None:
        rng = self.rng("accounts")
        specs = self.account_specs()
        planned = []
        for index, spec in enumerate(specs):
            civility, first_name, last_name = spec["names"]
            organisation = spec["membership"][0]
            person = self.new_person(
                rng,
                index,
                organisation,
                LegalBasis.PUBLIC_TASK if organisation.academy_id else LegalBasis.CONTRACT,
                civility=civility,
                first_name=first_name,
                last_name=last_name,
                email=spec["email"],
            )
            planned.append(PlannedPerson(person, [spec["membership"]]))
        people = self.save_people(planned)

        for index, spec in enumerate(specs):
            user = User.objects.filter(email=spec["email"]).first()
            if user is None:
                civility, first_name, last_name = spec["names"]
                user = User.objects.create_user(
                    spec["email"],
                    constants.DEMO_PASSWORD,
                    first_name=first_name,
                    last_name=last_name,
                    person=people[spec["email"]],
                    is_staff=spec.get("staff", False),
                    is_superuser=spec.get("staff", False),
                    # A demo account is in use, not an invitation waiting for its first login.
                    last_login=self.demo_login_time(index),
                )
                self.report.created["comptes"] += 1
            elif not user.check_password(constants.DEMO_PASSWORD):
                # The password printed below must work: restore it if someone changed it.
                user.set_password(constants.DEMO_PASSWORD)
                user.save(update_fields=["password"])
                self.report.created["mots de passe rétablis"] += 1
            scope = {"region": None, "academy": None, "basin": None, "organisation": None}
            assignment_fields = dict(spec["assignment"])
            manages_accounts = assignment_fields.pop("manages_accounts", False)
            scope.update(assignment_fields)
            assignment, created = Assignment.objects.get_or_create(
                user=user, **scope, defaults={"manages_accounts": manages_accounts}
            )
            self.report.created["rôles attribués"] += created
            self.users[spec["email"]] = user
            self.report.accounts.append(DemoAccount(spec["label"], user.email, assignment.scope_label))

    # Notes ---------------------------------------------------------------------------------

    def build_notes(self) -> None:
        rng = self.rng("notes")
        organisations = self.schools + self.companies
        if not organisations:
            return
        planned = []
        for academy_name, email, count in (
            (catalog.AIX, constants.ACADEMY_STAFF_EMAIL, 5),
            (catalog.NICE, constants.ACADEMY_STAFF_NICE_EMAIL, 3),
        ):
            academy = self.academies[academy_name]
            candidates = [o for o in organisations if o.academy_id == academy.pk] or organisations
            for _ in range(count):
                planned.append(
                    Note(
                        organisation=rng.choice(candidates),
                        text=rng.choice(catalog.NOTE_TEXTS_ACADEMY),
                        author=self.users.get(email),
                        owner_academy=academy,
                    )
                )
        federation = self.federations["medef"]
        members = list(federation.members.order_by("pk")) or organisations
        for text in catalog.NOTE_TEXTS_FEDERATION:
            planned.append(
                Note(
                    organisation=rng.choice(members),
                    text=text,
                    author=self.users.get(constants.FEDERATION_STAFF_EMAIL),
                    owner_organisation=federation,
                )
            )
        existing = set(
            Note.objects.filter(organisation__in=[n.organisation for n in planned]).values_list(
                "organisation_id", "owner_academy_id", "owner_organisation_id", "text"
            )
        )
        missing, seen = [], set(existing)
        for note in planned:
            key = (note.organisation.pk, note.owner_academy_id, note.owner_organisation_id, note.text)
            if key not in seen:
                seen.add(key)
                missing.append(note)
        bulk_create_with_history(missing, Note, batch_size=BATCH_SIZE, default_change_reason=CHANGE_REASON)
        self.report.created["notes"] += len(missing)


def load_demo(
    *, seed: int = DEFAULT_SEED, sizes: DemoSizes | None = None, today: datetime.date | None = None
) -> DemoReport:
    """Create whatever part of the demo data is missing; what it created, and the demo accounts.

    ``today`` (default: the current date) is the day the conventions' dates and statuses are computed from.
    """
    return DemoBuilder(seed=seed, sizes=sizes, today=today).build()
