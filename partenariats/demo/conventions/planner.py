"""The planner of the demo conventions: the organisations they involve and the choices they share."""

import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from partenariats.demo.conventions.specs import (
    COMMITMENT_SIDES,
    EXTRA_ORGANISATIONS,
    NOMINAL,
    Sign,
    label,
    school_nominal,
)
from partenariats.directory.models import CompanySize, Organisation, OrganisationKind
from partenariats.terms.dates import add_months
from partenariats.territories.models import Academy

if TYPE_CHECKING:
    from partenariats.demo.builder import DemoBuilder


class ConventionPlanner:
    """Plans the demo conventions of one load day (``today``), from the demo directory."""

    def __init__(self, builder: "DemoBuilder", today: date):
        self.builder = builder
        self.today = today
        self.orgs: dict[str, Organisation] = {}
        self.keys: dict[int, str] = {}
        self.head_titles: dict[str, tuple[str, str]] = {}
        self.used_schools: set[int] = set()
        self.used_companies: set[int] = set()

    def rng(self, stream: str) -> random.Random:
        return self.builder.rng(f"conventions:{stream}")

    def load_organisations(self) -> None:
        """The directory's services and federations, plus the few organisations only conventions need
        (the ministry, the région académique, another académie, national partners), created if missing."""
        builder = self.builder
        academies = {academy.name: academy for academy in Academy.objects.all()}
        rng = self.rng("organisations")
        planned = []
        for key, name, acronym, kind, service_type, academy, city, postal_code, titles in EXTRA_ORGANISATIONS:
            self.head_titles[key] = titles
            planned.append(
                Organisation(
                    kind=kind,
                    name=name,
                    acronym=acronym,
                    service_type=service_type,
                    academy=academies.get(academy),
                    city=city,
                    postal_code=postal_code,
                    department_code=postal_code[:2],
                    address=f"{rng.randint(1, 120)} rue de l’Exemple",
                    phone=f"01 00 00 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}",
                    email=f"{key.replace('_', '.')}@example.invalid",
                )
            )
        by_name = builder.save_organisations(planned, "name")
        extra = {spec[0]: by_name[spec[1]] for spec in EXTRA_ORGANISATIONS}
        self.orgs = {**builder.services, **builder.federations, **extra}
        self.keys = {organisation.pk: key for key, organisation in self.orgs.items()}
        self.aix = builder.academies["Aix-Marseille"]
        self.nice = builder.academies["Nice"]

    def nominal(self, organisation: Organisation) -> str:
        key = self.keys.get(organisation.pk)
        if key in NOMINAL:
            return NOMINAL[key]
        if organisation.kind == OrganisationKind.SCHOOL:
            return school_nominal(organisation)
        if organisation.kind == OrganisationKind.COMPANY:
            return f"l’entreprise {label(organisation)}"
        return label(organisation)

    def commitment_pool(self, organisation: Organisation) -> str:
        """Which list of ``commitments.COMMITMENTS`` the organisation's commitments come from."""
        if organisation.kind == OrganisationKind.SCHOOL:
            return "school"
        if organisation.kind == OrganisationKind.COMPANY:
            return "company"
        if organisation.kind == OrganisationKind.ACADEMY_SERVICE:
            return "education"
        return COMMITMENT_SIDES.get(self.keys.get(organisation.pk, ""), "employers")

    def pick(self, rng: random.Random, candidates: Sequence[Organisation], used: set[int]) -> Organisation | None:
        """One of ``candidates``, preferring those not picked yet."""
        if not candidates:
            return None
        fresh = [c for c in candidates if c.pk not in used] or list(candidates)
        chosen = rng.choice(fresh)
        used.add(chosen.pk)
        return chosen

    def school(self, rng: random.Random, academy: Academy, types: Iterable[str]) -> Organisation | None:
        schools = self.builder.schools
        in_academy = [s for s in schools if s.academy_id == academy.pk]
        candidates = [s for s in in_academy if s.school_type in set(types)] or in_academy or schools
        return self.pick(rng, candidates, self.used_schools)

    def member(self, rng: random.Random, federation: str, academy: Academy) -> Organisation | None:
        members = list(self.orgs[federation].members.order_by("siret"))
        candidates = [c for c in members if c.academy_id == academy.pk] or members
        if not candidates:
            candidates = [c for c in self.builder.companies if c.academy_id == academy.pk] or self.builder.companies
        return self.pick(rng, candidates, self.used_companies)

    def large_company(self, rng: random.Random, academy: Academy) -> Organisation | None:
        companies = [c for c in self.builder.companies if c.academy_id == academy.pk]
        large = [c for c in companies if c.size in (CompanySize.LARGE, CompanySize.MID)]
        large = large or companies or self.builder.companies
        return self.pick(rng, large, self.used_companies)

    # The plan ----------------------------------------------------------------------------------

    def months_ago(self, months: int, day: int | None = None) -> date:
        moved = add_months(self.today, -months)
        return moved if day is None else moved.replace(day=min(day, 28))

    def signed(self, parties: Sequence[Organisation], latest: date | None, rng: random.Random) -> list[Sign]:
        """The first party signs last, on ``latest``; the others a few days before."""
        if latest is None:
            return [Sign(index, None) for index in range(len(parties))]
        signs = [Sign(0, latest)]
        signs += [Sign(index, latest - timedelta(days=rng.randint(1, 24))) for index in range(1, len(parties))]
        return signs

    def school_year(self) -> tuple[date, str]:
        """1 September of the school year ``today`` belongs to, and its label (« 2026-2027 »)."""
        year = self.today.year if self.today.month >= 9 else self.today.year - 1
        return date(year, 9, 1), f"{year}-{year + 1}"
