"""Writing the planned demo conventions: a few bulk inserts, each with its creation history.

Records are created in batches (all the parties of all the conventions at once, the articles
level by level…) and their history is written in the same batches, many-to-many values
included, so that each record's first history entry shows it as it was created.
"""

import random
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import ManyToManyField, Model

from partenariats.conventions.models import (
    Amendment,
    Article,
    Audience,
    Commitment,
    Convention,
    ConventionEvent,
    DatePrecision,
    Party,
    PartySide,
    Programme,
    Signatory,
)
from partenariats.demo import constants
from partenariats.demo.conventions.articles import (
    CONFIDENTIALITY_CLAUSE,
    DISPUTE_CLAUSE,
    OUTLINES,
    ArticleText,
    duration_clause,
    termination_clause,
)
from partenariats.demo.conventions.commitments import COMMITMENTS, CommitmentText
from partenariats.demo.conventions.planner import ConventionPlanner
from partenariats.demo.conventions.specs import (
    EDUCATION_KINDS,
    PREFIX,
    REPRESENTATIVE_ROLES,
    Spec,
    capitalised,
)
from partenariats.directory.models import (
    CompanySize,
    LegalBasis,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    PersonRole,
)
from partenariats.territories.models import Academy


def create_with_history(model: type[Model], objs: Sequence[Model], m2m: Sequence[dict[str, Iterable]] = ()) -> None:
    """Bulk-create ``objs`` with their creation history; ``m2m`` gives each object's many-to-many
    values (``{"audiences": [...]}``), saved, and recorded in that history when the model tracks them."""
    if not objs:
        return
    model._default_manager.bulk_create(objs)
    records = model.history.bulk_history_create(objs, default_change_reason=constants.CHANGE_REASON)
    history_model = model.history.model
    names = {name for values in m2m for name in values}
    for name in sorted(names):
        field: ManyToManyField = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        pairs = [
            (record, through(**{source: obj, target: value}))
            for obj, record, values in zip(objs, records, m2m, strict=True)
            for value in values.get(name, ())
        ]
        through.objects.bulk_create([row for _, row in pairs])
        if field in history_model._history_m2m_fields:
            # What simple_history writes when a tracked many-to-many changes: the rows as they are.
            m2m_history = getattr(history_model, name).model
            columns = [f.name for f in through._meta.fields]
            m2m_history.objects.bulk_create(
                [m2m_history(history=record, **{c: getattr(row, c) for c in columns}) for record, row in pairs]
            )


def existing_conventions() -> dict[int, Convention]:
    """The demo conventions already in the database, by their number (the end of their reference)."""
    found = {}
    for convention in Convention.objects.filter(reference__startswith=PREFIX):
        number = convention.reference.rpartition("-")[2]
        if number.isdigit():
            found[int(number)] = convention
    return found


class ConventionWriter:
    """Creates planned conventions, their parties, signatories, articles, commitments, amendments and events."""

    def __init__(self, planner: ConventionPlanner):
        self.planner = planner

    def write(self, specs: Sequence[Spec], by_number: dict[int, Convention]) -> None:
        """Create ``specs`` (parents first); ``by_number`` gains the new conventions."""
        if not specs:
            return
        representatives = self.representatives(specs)
        conventions = self.write_conventions(specs, by_number)
        parties = self.write_parties(specs, conventions, representatives)
        self.write_signatories(specs, conventions, parties, representatives)
        slots = self.write_articles(specs, conventions, by_number)
        self.write_commitments(specs, conventions, parties, slots)
        self.write_amendments_and_events(specs, conventions, parties)

    # People ------------------------------------------------------------------------------------

    def representatives(self, specs: Iterable[Spec]) -> dict[int, tuple[Person, str]]:
        """Who signs for each organisation (person and title as printed): the directory's signatory,
        head or executive when there is one, else a new contact of that organisation. The région
        académique is represented by its recteur, the recteur of Aix-Marseille."""
        planner = self.planner
        organisations: dict[int, Organisation] = {}
        for spec in specs:
            for organisation in spec.parties:
                organisations[organisation.pk] = organisation
            for sign in spec.signatures:
                if sign.organisation is not None:
                    organisations[sign.organisation.pk] = sign.organisation
        region, rectorat_aix = planner.orgs["region"], planner.orgs["rectorat_aix"]
        if region.pk in organisations:
            organisations[rectorat_aix.pk] = rectorat_aix
        found: dict[int, tuple[Person, str]] = {}
        memberships = Membership.objects.filter(
            organisation__in=list(organisations), role__in=REPRESENTATIVE_ROLES
        ).select_related("person")
        for membership in sorted(memberships, key=lambda m: (REPRESENTATIVE_ROLES.index(m.role), m.pk)):
            found.setdefault(membership.organisation_id, (membership.person, membership.title))

        contacts = []
        for organisation in organisations.values():
            if organisation.pk in found or organisation.pk == region.pk:
                continue
            natural_key = organisation.uai or organisation.siret or planner.keys.get(organisation.pk, "")
            natural_key = natural_key.lower().replace("_", "-") or str(organisation.pk)
            person = planner.builder.new_person(
                random.Random(f"{planner.builder.seed}:representative:{natural_key}"),
                0,
                organisation,
                LegalBasis.PUBLIC_TASK if organisation.kind in EDUCATION_KINDS else LegalBasis.CONTRACT,
                email=f"direction.{natural_key}@example.invalid",
                academy=organisation.academy or planner.aix,
            )
            role, (masculine, feminine) = self.head_role(organisation)
            title = feminine if person.civility == "mme" else masculine
            contacts.append((person, organisation, role, title))
        if contacts:
            saved = planner.builder.save_contacts(contacts)
            for person, organisation, _, title in contacts:
                found[organisation.pk] = (saved[person.email], title)
        if region.pk in organisations:
            found[region.pk] = found[rectorat_aix.pk]
        return found

    def head_role(self, organisation: Organisation) -> tuple[str, tuple[str, str]]:
        key = self.planner.keys.get(organisation.pk, "")
        if key in self.planner.head_titles:
            return PersonRole.SIGNATORY, self.planner.head_titles[key]
        if organisation.kind == OrganisationKind.SCHOOL:
            return PersonRole.HEAD, self.planner.builder.head_titles(organisation)
        if organisation.kind == OrganisationKind.COMPANY:
            if organisation.size == CompanySize.MICRO:
                return PersonRole.EXECUTIVE, ("Gérant", "Gérante")
            return PersonRole.EXECUTIVE, ("Directeur général", "Directrice générale")
        return PersonRole.SIGNATORY, ("Président", "Présidente")

    # Conventions -------------------------------------------------------------------------------

    def context(self, spec: Spec, parent: Convention | None) -> dict[str, str]:
        """The values of the placeholders of the articles' texts."""
        nominal, parties = self.planner.nominal, spec.parties
        education = next((p for p in parties if p.kind in EDUCATION_KINDS), parties[0])
        partner = next((p for p in parties if p.kind not in EDUCATION_KINDS), parties[-1])
        school = next((p for p in parties if p.kind == OrganisationKind.SCHOOL), education)
        company = next((p for p in parties if p.kind == OrganisationKind.COMPANY), partner)
        return {
            "edu": nominal(education),
            "Edu": capitalised(nominal(education)),
            "partner": nominal(partner),
            "Partner": capitalised(nominal(partner)),
            "school": nominal(school),
            "company": nominal(company),
            "theme": spec.theme or "le rapprochement de l’École et de l’entreprise",
            "school_year": self.planner.school_year()[1],
            "parent": parent.title if parent else spec.parent_description,
            "duration": duration_clause(spec.terms),
            "termination": termination_clause(spec.terms),
        }

    def academies_of(self, parties: Iterable[Organisation]) -> set[Academy]:
        """The académies among the parties: a rectorat's or a school's, both for the région académique."""
        planner, academies = self.planner, set()
        for organisation in parties:
            if organisation.pk == planner.orgs["region"].pk:
                academies |= {planner.aix, planner.nice}
            elif organisation.kind in EDUCATION_KINDS and organisation.academy_id:
                academies.add(organisation.academy)
        return academies

    def write_conventions(self, specs: Sequence[Spec], by_number: dict[int, Convention]) -> dict[int, Convention]:
        """The conventions, one generation at a time (a parent must exist before its children)."""
        users = self.planner.builder.users
        created: dict[int, Convention] = {}
        remaining = list(specs)
        while remaining:
            waiting = {s.number for s in remaining}
            ready = [s for s in remaining if s.parent not in waiting]
            objs, m2m = [], []
            for spec in ready:
                parent = by_number.get(spec.parent) if spec.parent else None
                outline = OUTLINES[spec.outline]
                preamble = next((a.text for a in outline if a.heading == "Préambule"), "")
                objs.append(
                    Convention(
                        title=spec.title,
                        reference=spec.reference,
                        kind=spec.kind,
                        parent=parent,
                        parent_description="" if parent else spec.parent_description,
                        preamble=preamble.format(**self.context(spec, parent)),
                        confidentiality_clause=CONFIDENTIALITY_CLAUSE if spec.confidential else "",
                        dispute_clause=DISPUTE_CLAUSE,
                        signature_place=spec.place,
                        originals=len(spec.parties),
                        **spec.terms,
                    )
                )
                m2m.append(
                    {
                        "academies": self.academies_of(spec.parties),
                        "owners": [users[email] for email in spec.owners if email in users],
                        "followers": [users[email] for email in spec.followers if email in users],
                    }
                )
            create_with_history(Convention, objs, m2m)
            for spec, convention in zip(ready, objs, strict=True):
                created[spec.number] = by_number[spec.number] = convention
            remaining = [s for s in remaining if s.number not in created]
        return created

    def write_parties(
        self,
        specs: Sequence[Spec],
        conventions: dict[int, Convention],
        representatives: dict[int, tuple[Person, str]],
    ) -> dict[int, list[Party]]:
        parties: dict[int, list[Party]] = {}
        for spec in specs:
            parties[spec.number] = []
            for position, organisation in enumerate(spec.parties):
                person, title = representatives[organisation.pk]
                parties[spec.number].append(
                    Party(
                        convention=conventions[spec.number],
                        organisation=organisation,
                        side=PartySide.EDUCATION if organisation.kind in EDUCATION_KINDS else PartySide.PARTNER,
                        representative=person,
                        representative_name=person.full_name,
                        representative_title=title,
                        position=position,
                    )
                )
        create_with_history(Party, [party for group in parties.values() for party in group])
        return parties

    def write_signatories(
        self,
        specs: Sequence[Spec],
        conventions: dict[int, Convention],
        parties: dict[int, list[Party]],
        representatives: dict[int, tuple[Person, str]],
    ) -> None:
        signatories = []
        for spec in specs:
            for position, sign in enumerate(spec.signatures):
                organisation = sign.organisation or spec.parties[sign.party or 0]
                person, title = representatives[organisation.pk]
                signed = sign.on is not None or sign.precision == DatePrecision.UNKNOWN
                signatories.append(
                    Signatory(
                        convention=conventions[spec.number],
                        party=parties[spec.number][sign.party] if sign.party is not None else None,
                        person=person,
                        name=person.full_name,
                        title=title,
                        signed_on=sign.on,
                        date_precision=sign.precision,
                        raw_date=sign.raw,
                        place=spec.place if signed else "",
                        position=position,
                    )
                )
        create_with_history(Signatory, signatories)

    def write_articles(
        self, specs: Sequence[Spec], conventions: dict[int, Convention], by_number: dict[int, Convention]
    ) -> dict[int, dict[str, Article]]:
        """All the articles, level by level; per convention, the first article of each slot."""
        levels: list[list[Article]] = []
        slots: dict[int, dict[str, Article]] = {}

        def plan_articles(
            convention: Convention,
            texts: Sequence[ArticleText],
            parent: Article | None,
            depth: int,
            context: dict[str, str],
            found: dict[str, Article],
            positions: list[int],
        ) -> None:
            for text in texts:
                article = Article(
                    convention=convention,
                    parent=parent,
                    number=text.number,
                    heading=text.heading,
                    text=text.text.format(**context),
                    position=len(positions),
                )
                positions.append(article.position)
                if len(levels) <= depth:
                    levels.append([])
                levels[depth].append(article)
                if text.slot:
                    found.setdefault(text.slot, article)
                plan_articles(convention, text.children, article, depth + 1, context, found, positions)

        for spec in specs:
            convention = conventions[spec.number]
            parent = by_number.get(spec.parent) if spec.parent else None
            slots[spec.number] = {}
            plan_articles(
                convention, OUTLINES[spec.outline], None, 0, self.context(spec, parent), slots[spec.number], []
            )
        for level in levels:
            create_with_history(Article, level)
        return slots

    def write_commitments(
        self,
        specs: Sequence[Spec],
        conventions: dict[int, Convention],
        parties: dict[int, list[Party]],
        slots: dict[int, dict[str, Article]],
    ) -> None:
        """Between the spec's bounds, spread over the parties in turn; a convention with a
        confidentiality clause gets at least one confidential commitment."""
        audiences = {a.code: a for a in Audience.objects.all()}
        programmes = {p.code: p for p in Programme.objects.all()}
        commitments, m2m = [], []
        for spec in specs:
            for position, (party, text) in enumerate(self.choose_commitments(spec, parties[spec.number])):
                fallback = next(iter(slots[spec.number].values()), None)
                commitments.append(
                    Commitment(
                        convention=conventions[spec.number],
                        party=party,
                        article=slots[spec.number].get(text.slot, fallback),
                        text=text.text,
                        confidential=text.confidential,
                        position=position,
                    )
                )
                m2m.append(
                    {
                        "audiences": [audiences[code] for code in text.audiences if code in audiences],
                        "programmes": [programmes[code] for code in text.programmes if code in programmes],
                    }
                )
        create_with_history(Commitment, commitments, m2m)

    def choose_commitments(self, spec: Spec, parties: list[Party]) -> list[tuple[Party, CommitmentText]]:
        rng = self.planner.rng(f"commitments:{spec.number}")
        pools: list[list[CommitmentText]] = []
        for party in parties:
            pool = list(COMMITMENTS[self.planner.commitment_pool(party.organisation)])
            rng.shuffle(pool)
            pools.append(pool)
        if spec.confidential:
            secret = next((c for c in pools[-1] if c.confidential), None)
            if secret is not None:
                pools[-1].remove(secret)
                pools[-1].insert(0, secret)
        wanted = rng.randint(*spec.commitments)
        chosen: list[tuple[Party, CommitmentText]] = []
        taken: set[str] = set()  # two parties drawing from the same pool never undertake the same thing
        turn = len(parties) - 1  # the last partner first: its confidential commitment, if any
        while len(chosen) < wanted and any(pools):
            while pools[turn] and pools[turn][0].text in taken:
                pools[turn].pop(0)
            if pools[turn]:
                text = pools[turn].pop(0)
                taken.add(text.text)
                chosen.append((parties[turn], text))
            turn = (turn + 1) % len(parties)
        return chosen

    def write_amendments_and_events(
        self, specs: Sequence[Spec], conventions: dict[int, Convention], parties: dict[int, list[Party]]
    ) -> None:
        users = self.planner.builder.users
        amendments: list[Amendment] = []
        events: list[ConventionEvent] = []
        for spec in specs:
            convention = conventions[spec.number]
            for number, amendment in enumerate(spec.amendments, start=1):
                amendments.append(
                    Amendment(
                        convention=convention,
                        number=number,
                        kind=amendment.kind,
                        title=amendment.title,
                        summary=amendment.summary,
                        signed_on=amendment.signed_on,
                        effective_on=amendment.signed_on,
                        terms_changes=amendment.terms_changes,
                    )
                )
            recorder = users.get(spec.owners[0]) if spec.owners else None
            for event in spec.events:
                record: Any = ConventionEvent(
                    convention=convention,
                    kind=event.kind,
                    date=event.on,
                    by_party=parties[spec.number][event.by] if event.by is not None else None,
                    form=event.form,
                    months=event.months,
                    note=event.note,
                    recorded_by=recorder,
                )
                record._history_user = recorder
                events.append(record)
        create_with_history(Amendment, amendments)
        create_with_history(ConventionEvent, events)
