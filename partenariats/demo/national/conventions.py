"""The national conventions and their yearly plans.

Convention 1 is national (the ministry and the flagship partner); then one framework convention
of the flagship partner with each académie, one with each académie's chamber, a national one
with each other federation, and local conventions (a school and a company) for the rest. Each
has three articles, commitments of both sides (the demo's wording), signatures old enough to
cover every planned year, one time in three an amendment or two (articles, financial terms:
none changes the convention's term), and a plan for each year whose actions come from its
commitments, as in the demo.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from partenariats.activities.models import Action, ActionModality, ActionTarget, Metric, Plan, PlanStatus
from partenariats.conventions.models import (
    Amendment,
    AmendmentKind,
    Article,
    Audience,
    Commitment,
    Convention,
    ConventionKind,
    Party,
    PartySide,
    Programme,
    Signatory,
)
from partenariats.conventions.services import CACHED_DATES, timeline
from partenariats.core.school_year import SchoolYear, parse_period
from partenariats.core.text import fold
from partenariats.demo import catalog
from partenariats.demo.activities.catalog import TEMPLATES
from partenariats.demo.activities.make import school_days
from partenariats.demo.activities.plans import keys_for
from partenariats.demo.conventions.commitments import COMMITMENTS, CommitmentText
from partenariats.demo.national.directory import World
from partenariats.demo.national.reference import REFERENCE_PREFIX, SUFFIX, NationalSizes
from partenariats.demo.national.writer import Loader, Table
from partenariats.directory.models import Organisation

ARTICLES = (
    (
        "1",
        "Objet",
        "La présente convention organise la coopération des parties en faveur de la relation école–entreprise.",
    ),
    ("2", "Engagements des parties", ""),
    ("3", "Durée", "La convention est conclue pour six ans et se renouvelle tacitement par périodes de deux ans."),
)
# What one activity realises of each metric, on average: the plans' targets are set from it.
PER_ACTIVITY = {
    Metric.PUPILS: 25,
    Metric.CLASSES: 1,
    Metric.SCHOOLS: 0.6,
    Metric.COMPANIES: 0.7,
    Metric.PROFESSIONALS: 1.5,
    Metric.TEACHERS: 2,
    Metric.EVENTS: 1,
    Metric.HOURS: 3,
}
MAX_ACTIONS = 4
TEMPLATES_BY_TITLE = {template.title: template for template in TEMPLATES.values()}


@dataclass
class GeneratedConvention:
    convention: Convention
    kind: str  # "national", "flagship", "chamber", "federation" or "local"
    parties: list[Party]
    academy_id: int | None
    commitments: list[tuple[Commitment, CommitmentText]] = field(default_factory=list)
    keys: list[tuple[str, list[Commitment]]] = field(default_factory=list)
    actions: dict[tuple[int, str], Action] = field(default_factory=dict)  # (year, key) → action
    signed_on: datetime.date | None = None


class ConventionGenerator:
    def __init__(
        self,
        world: World,
        sizes: NationalSizes,
        seed: int,
        today: datetime.date,
        batch_size: int,
        loader: Loader | None = None,
    ):
        self.world, self.sizes, self.seed, self.today, self.batch_size = world, sizes, seed, today, batch_size
        self.loader = loader or Loader()
        self.moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
        self.periods: dict[tuple[str, int], tuple[str, tuple | None]] = {}
        self.conventions: list[GeneratedConvention] = []
        current = SchoolYear.of(today)
        if today < school_days(current, None)[0]:
            current = current.previous()  # no school day yet this year: the last one is the latest
        self.years = [SchoolYear(current.start_year - back) for back in reversed(range(sizes.years))]

    def rng(self, step: str) -> random.Random:
        return random.Random(f"{self.seed}:national:{step}")

    def specs(self) -> list[tuple[str, list[Organisation], int | None]]:
        """(kind, parties, académie) of each convention, in number order."""
        world, academies = self.world, self.world.academies
        specs = [("national", [world.ministry, world.partner], None)]
        specs += [("flagship", [world.rectorats[a.pk], world.partner], a.pk) for a in academies]
        specs += [("chamber", [world.rectorats[a.pk], world.chambers[a.pk]], a.pk) for a in academies]
        specs += [("federation", [world.ministry, federation], None) for federation in world.federations]
        rng, index = self.rng("local conventions"), 0
        while len(specs) < self.sizes.conventions:
            academy = academies[index % len(academies)]
            schools, companies = world.schools.get(academy.pk), world.companies.get(academy.pk)
            index += 1
            if schools and companies:
                specs.append(("local", [rng.choice(schools), rng.choice(companies)], academy.pk))
            elif index > 10 * len(academies):
                break
        return specs[: self.sizes.conventions]

    def conventions_step(self) -> int:
        rng = self.rng("conventions")
        earliest = self.years[0].start
        for number, (kind, organisations, academy_id) in enumerate(self.specs(), start=1):
            academy = next((a for a in self.world.academies if a.pk == academy_id), None)
            title = {
                "national": "Convention nationale de coopération entre le ministère et la Fédération nationale Exemple",
                "flagship": f"Convention de partenariat entre l’académie de {academy and academy.name} et la "
                "Fédération nationale Exemple",
                "chamber": f"Convention cadre entre l’académie de {academy and academy.name} et sa CCI",
                "federation": "Convention nationale de coopération entre le ministère et "
                f"{organisations[-1].name.removesuffix(SUFFIX)}",
                "local": f"Convention locale {organisations[0].name.removesuffix(SUFFIX)} – "
                f"{organisations[1].name.removesuffix(SUFFIX)}",
            }[kind]
            signed = earliest - datetime.timedelta(days=rng.randint(60, 500))
            convention = Convention(
                title=title[:500],
                reference=f"{REFERENCE_PREFIX}{self.seed}-{number:05d}",
                kind={
                    "national": ConventionKind.NATIONAL,
                    "federation": ConventionKind.NATIONAL,
                    "local": ConventionKind.LOCAL,
                }.get(kind, ConventionKind.FRAMEWORK),
                signature_place=organisations[0].city,
                duration_months=72,
                tacit_renewal=True,
                renewal_months=24,
                notice_months=3,
            )
            parties = [
                Party(
                    convention=convention,
                    organisation=organisation,
                    side=PartySide.EDUCATION if position == 0 else PartySide.PARTNER,
                    position=position,
                )
                for position, organisation in enumerate(organisations)
            ]
            self.conventions.append(GeneratedConvention(convention, kind, parties, academy_id, signed_on=signed))
        Convention.objects.bulk_create([c.convention for c in self.conventions], batch_size=self.batch_size)
        through = Convention.academies.through
        through.objects.bulk_create(
            [through(convention=c.convention, academy_id=c.academy_id) for c in self.conventions if c.academy_id],
            batch_size=self.batch_size,
        )
        Party.objects.bulk_create([p for c in self.conventions for p in c.parties], batch_size=self.batch_size)
        self.signatories(rng)
        self.amendments(rng)
        self.articles_and_commitments(rng)
        return len(self.conventions)

    def amendments(self, rng: random.Random) -> None:
        """One convention in three amended once or twice since its signature, never its term."""
        kinds = (
            (AmendmentKind.ARTICLES, "Mise à jour des modalités de l’article 2"),
            (AmendmentKind.FINANCIAL, "Dispositions financières des actions"),
            (AmendmentKind.OTHER, "Changement de correspondants"),
        )
        rows = []
        for item in self.conventions:
            if rng.random() >= 1 / 3:
                continue
            for number in range(1, rng.randint(1, 2) + 1):
                kind, title = rng.choice(kinds)
                signed = min(item.signed_on + datetime.timedelta(days=rng.randint(90, 900)), self.today)
                rows.append(
                    Amendment(
                        convention=item.convention,
                        number=number,
                        kind=kind,
                        title=title,
                        summary=f"Avenant n° {number} : {title.lower()}.",
                        signed_on=signed,
                        effective_on=signed,
                    )
                )
        Amendment.objects.bulk_create(rows, batch_size=self.batch_size)

    def signatories(self, rng: random.Random) -> None:
        rows = []
        for item in self.conventions:
            for position, party in enumerate(item.parties):
                civility = rng.choice(["mme", "m"])
                first = rng.choice(catalog.FEMALE_FIRST_NAMES if civility == "mme" else catalog.MALE_FIRST_NAMES)
                rows.append(
                    Signatory(
                        convention=item.convention,
                        party=party,
                        name=f"{first} {rng.choice(catalog.LAST_NAMES)}",
                        title="Recteur d’académie" if position == 0 else "Président",
                        signed_on=item.signed_on - datetime.timedelta(days=position * rng.randint(0, 20)),
                        place=item.convention.signature_place,
                        position=position,
                    )
                )
        Signatory.objects.bulk_create(rows, batch_size=self.batch_size)

    def articles_and_commitments(self, rng: random.Random) -> None:
        articles = {}
        for item in self.conventions:
            for position, (number, heading, text) in enumerate(ARTICLES):
                articles[(item.convention.pk, number)] = Article(
                    convention=item.convention, number=number, heading=heading, text=text, position=position
                )
        Article.objects.bulk_create(list(articles.values()), batch_size=self.batch_size)
        pools = {kind: ("education", "employers") for kind in ("national", "flagship", "federation")}
        pools |= {"chamber": ("education", "employers"), "local": ("school", "company")}
        for item in self.conventions:
            position = 0
            for party, pool in zip(item.parties, pools[item.kind], strict=True):
                texts = COMMITMENTS[pool]
                national = item.kind in ("national", "flagship", "federation")
                chosen = texts[:6] if national else rng.sample(texts, min(4, len(texts)))
                for text in chosen:
                    commitment = Commitment(
                        convention=item.convention,
                        party=party,
                        article=articles[(item.convention.pk, "2")],
                        text=text.text,
                        confidential=text.confidential,
                        position=position,
                    )
                    item.commitments.append((commitment, text))
                    position += 1
        Commitment.objects.bulk_create([c for i in self.conventions for c, _ in i.commitments], self.batch_size)
        self.commitment_links()

    def commitment_links(self) -> None:
        programmes = {p.code: p for p in Programme.objects.all()}
        audiences = {a.code: a for a in Audience.objects.all()}
        for field_name, known, attribute in (
            ("programmes", programmes, "programmes"),
            ("audiences", audiences, "audiences"),
        ):
            through = getattr(Commitment, field_name).through
            target = Commitment._meta.get_field(field_name).m2m_reverse_field_name()
            rows = [
                through(commitment=commitment, **{target: known[code]})
                for item in self.conventions
                for commitment, text in item.commitments
                for code in getattr(text, attribute)
                if code in known
            ]
            through.objects.bulk_create(rows, batch_size=self.batch_size)

    def refresh_step(self) -> int:
        """The terms engine's status and dates of every convention on ``today``, written in one
        ``UPDATE`` per chunk.

        Not cached per distinct engine input: every generated convention's input differs (its
        title, parties and signature dates are in it). What cost was around the engine: the search
        text re-read from the database and one ``UPDATE`` per convention; both go here."""
        items = {item.convention.pk: item for item in self.conventions}
        pks = list(items)
        fields = ["status", "status_computed_on", "ends_on", "search_text", *CACHED_DATES]
        for start in range(0, len(pks), 500):
            chunk = list(
                Convention.objects.filter(pk__in=pks[start : start + 500]).prefetch_related(*Convention.TERMS_PREFETCH)
            )
            for convention in chunk:
                apply_terms(convention, timeline(convention, self.today), self.today)
                convention.search_text = search_text(items[convention.pk])
            Convention.objects.bulk_update(chunk, fields)
        return len(pks)

    def plans_step(self, budget: dict[int, int]) -> int:
        """A plan per convention and year, its actions from the commitments; ``budget``: activities
        expected per convention pk (over all years), from which targets are set.

        Rows go through :mod:`.writer` (``COPY`` on PostgreSQL): ``bulk_create`` of 300 000 instances
        cost six minutes at national scale. Plans and actions stay instances (the activities need
        their ids and dates); modalities, targets and links are plain rows."""
        rng = self.rng("plans")
        tables = self.plan_tables()
        programmes = {p.code: p.pk for p in Programme.objects.all()}
        for item in self.conventions:
            served: dict[str, list[Commitment]] = {}
            for commitment, text in item.commitments:
                for key in keys_for(text.text, text.programmes):
                    served.setdefault(key, []).append(commitment)
            item.keys = list(served.items())[:MAX_ACTIONS]
            expected = budget.get(item.convention.pk, 0) / max(len(self.years) * len(item.keys), 1)
            previous_id = None
            for year in self.years:
                plan = Plan(
                    convention=item.convention,
                    school_year=year.start_year,
                    status=PlanStatus.ADOPTED,
                    adopted_on=date_in(year, 10, rng),
                    carried_from_id=previous_id,
                    created_at=self.moment,
                    updated_at=self.moment,
                )
                previous_id = tables["plans"].add_instance(plan)
                for number, (key, commitments) in enumerate(item.keys, start=1):
                    action = self.action(plan, year, number, key, item.parties)
                    item.actions[(year.start_year, key)] = action
                    self.queue_action(tables, action, key, commitments, item.parties, programmes)
                    for metric in TEMPLATES[key].metrics:
                        value = max(1, round(expected * PER_ACTIVITY[metric] * rng.uniform(0.8, 1.3)))
                        tables["targets"].add(action_id=action.pk, metric=metric, value=value)
        self.loader.flush(*tables.values())
        return tables["plans"].written

    @staticmethod
    def plan_tables() -> dict[str, Table]:
        """The plans' tables, in the order their rows are written (parents first)."""
        return {
            "plans": Table(Plan),
            "actions": Table(Action),
            "modalities": Table(ActionModality),
            "targets": Table(ActionTarget),
            "commitments": Table(Action.commitments.through),
            "programmes": Table(Action.programmes.through),
        }

    @staticmethod
    def queue_action(tables, action, key, commitments, parties, programmes) -> None:
        """One action's rows: itself, each party's modality, the commitments and programme it serves."""
        template = TEMPLATES[key]
        tables["actions"].add_instance(action)
        for party in parties:
            text = template.education if party.side == PartySide.EDUCATION else template.partner
            tables["modalities"].add(action_id=action.pk, party_id=party.pk, text=text)
        for commitment in commitments:
            tables["commitments"].add(action_id=action.pk, commitment_id=commitment.pk)
        for code in TEMPLATES_BY_TITLE[action.title].programmes[:1]:
            if code in programmes:
                tables["programmes"].add(action_id=action.pk, programme_id=programmes[code])

    def action(self, plan: Plan, year: SchoolYear, number: int, key: str, parties: Sequence[Party]) -> Action:
        template = TEMPLATES[key]
        wording, period = self.period(key, year)
        return Action(
            plan_id=plan.pk,
            number=number,
            title=template.title,
            objective=template.objective,
            start_wording=wording,
            starts_on=period[0] if period else None,
            ends_on=period[1] if period else None,
            owner_party_id=(parties[0] if template.owner == "education" else parties[-1]).pk,
            position=number,
        )

    def period(self, key: str, year: SchoolYear) -> tuple[str, tuple | None]:
        """A template's period as worded for a year, and its dates (parsed once per template and year)."""
        if (key, year.start_year) not in self.periods:
            template = TEMPLATES[key]
            wording = template.wording.format(start=year.start_year, end=year.start_year + 1, label=year.label)
            self.periods[(key, year.start_year)] = (wording, parse_period(wording, year))
        return self.periods[(key, year.start_year)]


def apply_terms(convention: Convention, result: dict, today: datetime.date) -> None:
    """The engine's answer cached on the convention, as :func:`refresh_terms` caches it."""
    convention.status = result["status"]
    convention.status_computed_on = today
    for key in CACHED_DATES:
        setattr(convention, key, datetime.date.fromisoformat(result[key]) if result[key] else None)
    convention.ends_on = (
        convention.effective_end
        or convention.provisional_until
        or (convention.period_end if not convention.tacit_renewal else None)
    )


def search_text(item: GeneratedConvention) -> str:
    """What :meth:`Convention.build_search_text` reads from the database, from what was generated."""
    convention = item.convention
    parts = [convention.title, convention.reference]
    parts += [str(party.organisation) for party in sorted(item.parties, key=lambda p: p.position)]
    parts += [f"{heading} {text}" for _, heading, text in ARTICLES]
    return fold(" ".join(parts))


def date_in(year: SchoolYear, month: int, rng: random.Random) -> datetime.date:
    return datetime.date(year.start_year if month >= 9 else year.start_year + 1, month, rng.randint(1, 28))
