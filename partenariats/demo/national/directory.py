"""The national directory: bassins, académie services, schools, companies, partners and people.

Organisations are spread evenly over the 30 académies. Schools, companies, people and
memberships are streamed in batches of rows (:mod:`.writer`: ``COPY`` on PostgreSQL) and only a
sample of each académie's companies (:data:`POOL_PER_ACADEMY`) is kept in memory: the partners'
members and the companies activities draw from; the others only fill the directory.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from partenariats.core.text import fold
from partenariats.demo import catalog
from partenariats.demo.builder import weighted, with_luhn_key
from partenariats.demo.national.reference import (
    ACADEMY_PLACES,
    EMAIL_DOMAIN,
    FIRST_SIREN,
    MAX_UAI_SERIAL,
    MINISTRY_NAME,
    OTHER_FEDERATIONS,
    PARTNER_NAME,
    SUFFIX,
    NationalSizes,
)
from partenariats.demo.national.writer import Loader, Table
from partenariats.directory.identifiers import uai_check_letter
from partenariats.directory.models import (
    LegalBasis,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
    PriorityEducation,
    SchoolType,
    Sector,
    ServiceType,
)
from partenariats.territories.models import Academy, Basin, Clee

POOL_PER_ACADEMY = 1000
REGISTRAR_ACADEMY = "02"  # Aix-Marseille
SCHOOLS_PER_BASIN = 40
MAX_BASINS = 15


@dataclass
class World:
    """What the later steps need of the directory (the rest stays in the database only)."""

    academies: list[Academy]
    basins: dict[int, list[Basin]] = field(default_factory=dict)
    rectorats: dict[int, Organisation] = field(default_factory=dict)
    chambers: dict[int, Organisation] = field(default_factory=dict)
    schools: dict[int, list[Organisation]] = field(default_factory=lambda: defaultdict(list))
    companies: dict[int, list[Organisation]] = field(default_factory=lambda: defaultdict(list))
    volunteers: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    ministry: Organisation | None = None
    partner: Organisation | None = None
    federations: list[Organisation] = field(default_factory=list)  # the other national federations


def batched(make: Callable[[int], object], count: int, size: int) -> Iterator[list]:
    """``make(0)``… ``make(count - 1)`` in lists of ``size``."""
    for start in range(0, count, size):
        yield [make(index) for index in range(start, min(start + size, count))]


def email(local: str) -> str:
    return f"{local}@{EMAIL_DOMAIN}"


class DirectoryGenerator:
    def __init__(self, sizes: NationalSizes, seed: int, batch_size: int, loader: Loader):
        self.sizes, self.seed, self.batch_size, self.loader = sizes, seed, batch_size, loader
        self.world = World(academies=list(Academy.objects.order_by("code")))
        self.moment = timezone.now()

    def rng(self, step: str) -> random.Random:
        return random.Random(f"{self.seed}:national:{step}")

    @staticmethod
    def city(academy: Academy) -> str:
        return ACADEMY_PLACES.get(academy.code, ("", "", academy.name, ""))[2]

    def place(self, academy: Academy, rng: random.Random) -> dict:
        _, department, city, postal_code = ACADEMY_PLACES.get(academy.code, ("000", "", academy.name, ""))
        basins = self.world.basins[academy.pk]
        return {
            "academy": academy,
            "basin": rng.choice(basins),
            "city": city,
            "postal_code": postal_code,
            "department_code": department,
            "address": f"{rng.randint(1, 200)} {rng.choice(catalog.STREETS)}",
        }

    def territories(self) -> int:
        per_academy = self.sizes.schools / max(len(self.world.academies), 1)
        count = max(1, min(MAX_BASINS, round(per_academy / SCHOOLS_PER_BASIN)))
        basins = [
            Basin(
                academy=academy, name=f"{self.city(academy)} {number:02d}{SUFFIX}", code=f"G{academy.code}{number:02d}"
            )
            for academy in self.world.academies
            for number in range(1, count + 1)
        ]
        Basin.objects.bulk_create(basins, batch_size=self.batch_size)
        Clee.objects.bulk_create([Clee(basin=b, name=f"CLEE du {b.name}") for b in basins], batch_size=self.batch_size)
        for basin in basins:
            self.world.basins.setdefault(basin.academy_id, []).append(basin)
        return len(basins)

    def services_and_partners(self) -> int:
        rng = self.rng("services")
        created = []
        for academy in self.world.academies:
            rectorat = Organisation(
                kind=OrganisationKind.ACADEMY_SERVICE,
                service_type=ServiceType.RECTORAT,
                name=f"Rectorat de l’académie de {academy.name}{SUFFIX}",
                email=email(f"rectorat.{academy.code}"),
                **self.place(academy, rng),
            )
            chamber = Organisation(
                kind=OrganisationKind.CHAMBER,
                name=f"CCI Exemple {academy.name}{SUFFIX}",
                acronym=f"CCI-G{academy.code}",
                email=email(f"cci.{academy.code}"),
                **self.place(academy, rng),
            )
            self.world.rectorats[academy.pk], self.world.chambers[academy.pk] = rectorat, chamber
            created += [rectorat, chamber]
        paris = next((a for a in self.world.academies if a.code == "01"), self.world.academies[0])
        self.world.ministry = Organisation(
            kind=OrganisationKind.ACADEMY_SERVICE,
            service_type=ServiceType.OTHER,
            name=MINISTRY_NAME,
            acronym="MEN-G",
            email=email("ministere"),
            **{**self.place(paris, rng), "academy": None, "basin": None},
        )
        # Registered by the académie d'Aix-Marseille: its staff (the benchmark's user, the demo's
        # accounts) read the partner's indicator page.
        registrar = next((a for a in self.world.academies if a.code == REGISTRAR_ACADEMY), None)
        self.world.partner = Organisation(
            kind=OrganisationKind.EMPLOYER_ORG,
            name=PARTNER_NAME,
            acronym="FNEE-G",
            email=email("federation"),
            **{**self.place(paris, rng), "academy": registrar, "basin": None},
        )
        self.world.federations = [
            Organisation(
                kind=OrganisationKind.EMPLOYER_ORG,
                name=name,
                acronym=acronym,
                email=email(f"federation.{number}"),
                **{**self.place(paris, rng), "academy": None, "basin": None},
            )
            for number, (name, acronym) in enumerate(OTHER_FEDERATIONS, start=2)
        ]
        created += [self.world.ministry, self.world.partner, *self.world.federations]
        for organisation in created:
            organisation.search_text = organisation.build_search_text()
        Organisation.objects.bulk_create(created, batch_size=self.batch_size)
        return len(created)

    def schools(self) -> int:
        rng = self.rng("schools")
        academies = self.world.academies
        serials: dict[str, int] = defaultdict(int)

        def make(index: int) -> Organisation:
            academy = academies[index % len(academies)]
            prefix = ACADEMY_PLACES.get(academy.code, ("999",))[0]
            serials[prefix] += 1
            if serials[prefix] > MAX_UAI_SERIAL:
                raise ValueError(f"Plus de {MAX_UAI_SERIAL} établissements générés dans l’académie {academy.name}.")
            digits = f"{prefix}{serials[prefix]:04d}"
            school_type, label, _, pupils = weighted(rng, [(t, t[2]) for t in catalog.SCHOOL_TYPES])
            sector = Sector.PRIVATE if rng.random() < 0.2 else Sector.PUBLIC
            priority = PriorityEducation.NONE
            if sector == Sector.PUBLIC and school_type == SchoolType.COLLEGE:
                # 22.5 % of the public collèges: about 10 % of all the schools are REP or REP+.
                draw = rng.random()
                priority = PriorityEducation.REP_PLUS if draw < 0.075 else PriorityEducation.REP if draw < 0.225 else ""
            school = Organisation(
                kind=OrganisationKind.SCHOOL,
                name=f"{label} {rng.choice(catalog.SCHOOL_MOTIFS)} {serials[prefix]}{SUFFIX}",
                uai=digits + uai_check_letter(digits),
                school_type=school_type,
                sector=sector,
                priority_education=priority or PriorityEducation.NONE,
                pupil_count=rng.randint(*pupils),
                email=email(f"ce.{digits}"),
                **self.place(academy, rng),
            )
            school.search_text = school.build_search_text()
            return school

        table = Table(Organisation)
        for batch in batched(make, self.sizes.schools, self.batch_size):
            for school in batch:
                school.created_at = school.updated_at = self.moment
                table.add_instance(school)
                self.world.schools[school.academy_id].append(school)
            self.loader.flush(table)
        return self.sizes.schools

    def companies(self) -> int:
        """Every company in the directory, as rows; a sample of each académie's kept as its pool."""
        rng = self.rng("companies")
        academies = self.world.academies
        keep = min(1.0, POOL_PER_ACADEMY * len(academies) / max(self.sizes.companies, 1))
        table = Table(Organisation)

        def make(index: int) -> None:
            academy = academies[index % len(academies)]
            activity = rng.choice(catalog.ACTIVITIES)
            place = self.place(academy, rng)
            siret = with_luhn_key(with_luhn_key(f"{FIRST_SIREN + index:08d}") + "0001")
            name = f"{activity.label} {rng.choice(catalog.COMPANY_QUALIFIERS)} {index:06d} — {place['city']}{SUFFIX}"
            values = {
                "kind": OrganisationKind.COMPANY,
                "name": name,
                "siret": siret,
                "naf_code": activity.naf,
                "size": weighted(rng, catalog.COMPANY_SIZES),
                "email": email(f"contact.{siret}"),
                "academy_id": academy.pk,
                "basin_id": place["basin"].pk,
                **{k: v for k, v in place.items() if k not in ("academy", "basin")},
                # As Organisation.build_search_text() folds it, without building the instance.
                "search_text": fold(" ".join([name, "", place["city"], place["postal_code"], "", siret])),
                "created_at": self.moment,
                "updated_at": self.moment,
            }
            values["id"] = table.add(**values)
            if rng.random() < keep:
                pooled = Organisation(**values)
                pooled.academy, pooled.basin = academy, place["basin"]
                self.world.companies[academy.pk].append(pooled)

        for _ in batched(make, self.sizes.companies, self.batch_size):
            self.loader.flush(table)
        return self.sizes.companies

    def members(self) -> int:
        """The flagship partner's members: every pooled company; each chamber's: its académie's;
        each other federation's: one pooled company in five."""
        table = Table(Organisation.members.through)
        for academy_id, companies in self.world.companies.items():
            chamber = self.world.chambers[academy_id]
            for number, company in enumerate(companies):
                table.add(from_organisation_id=self.world.partner.pk, to_organisation_id=company.pk)
                table.add(from_organisation_id=chamber.pk, to_organisation_id=company.pk)
                if self.world.federations and number % 5 == 0:
                    federation = self.world.federations[company.pk % len(self.world.federations)]
                    table.add(from_organisation_id=federation.pk, to_organisation_id=company.pk)
            self.loader.flush(table)
        return table.written

    def people(self) -> int:
        """Volunteers and tutors of pooled companies, referent teachers of schools."""
        rng = self.rng("people")
        companies = [c for academy in self.world.academies for c in self.world.companies.get(academy.pk, [])]
        schools = [s for academy in self.world.academies for s in self.world.schools.get(academy.pk, [])]
        collected = datetime.date(2024, 9, 1)

        def make(index: int) -> tuple[Person, Organisation, str]:
            civility = rng.choice(["mme", "m"])
            in_school = bool(schools) and (not companies or index % 5 == 4)
            organisation = rng.choice(schools) if in_school else rng.choice(companies)
            role = PersonRole.REFERENT_TEACHER if in_school else rng.choice((PersonRole.VOLUNTEER, PersonRole.TUTOR))
            person = Person(
                civility=civility,
                first_name=rng.choice(catalog.FEMALE_FIRST_NAMES if civility == "mme" else catalog.MALE_FIRST_NAMES),
                last_name=rng.choice(catalog.LAST_NAMES),
                email=email(f"personne.{index:06d}"),
                academy=organisation.academy,
                legal_basis=LegalBasis.PUBLIC_TASK if in_school else LegalBasis.CONSENT,
                data_collected_on=collected + datetime.timedelta(days=index % 300),
                data_source="Données générées",
            )
            person.search_text = fold(f"{person.first_name} {person.last_name} {person.email}")
            return person, organisation, role

        if not companies and not schools:
            return 0
        people, memberships = Table(Person), Table(Membership)
        for batch in batched(make, self.sizes.people, self.batch_size):
            for person, organisation, role in batch:
                person.created_at = person.updated_at = self.moment
                memberships.add(person_id=people.add_instance(person), organisation_id=organisation.pk, role=role)
                if role != PersonRole.REFERENT_TEACHER:
                    self.world.volunteers[organisation.pk].append(person)
            self.loader.flush(people, memberships)
        return self.sizes.people
