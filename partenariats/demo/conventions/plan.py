"""The demo conventions, kind by kind, with dates counted back from the load day.

Each is shaped so that its situation holds whatever the load day: a period that ends two months
from now, a renegotiation opened before a period that ended three weeks ago, a notice received
after the last school year start… Numbers are stable: they are the natural key.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from partenariats.conventions.models import (
    AmendmentKind,
    ConventionKind,
    DatePrecision,
    EventKind,
    NoticeForm,
    TerminationEffect,
)
from partenariats.demo import constants
from partenariats.demo.conventions.articles import NOTICE_NOTES
from partenariats.demo.conventions.planner import ConventionPlanner
from partenariats.demo.conventions.specs import (
    AIX_FOLLOWERS,
    AIX_OWNERS,
    LOCAL_FOLLOWERS,
    NICE_OWNERS,
    REGION_FOLLOWERS,
    REGION_OWNERS,
    AmendmentSpec,
    LifeEvent,
    Sign,
    Spec,
    month_only,
    roman_date,
    terms,
)
from partenariats.directory.models import Organisation, SchoolType
from partenariats.terms.dates import add_months, period_last_day
from partenariats.terms.school_calendar import school_year_start


def plan(planner: ConventionPlanner) -> list[Spec]:
    """Every demo convention, by number (a parent before its children)."""
    kinds = (national, regional, frameworks, applications, local_conventions)
    specs = [spec for kind in kinds for spec in kind(planner)]
    return sorted((spec for spec in specs if spec is not None), key=lambda spec: spec.number)


def national(planner: ConventionPlanner) -> list[Spec]:
    """Ministry + a national partner (read by every académie's staff): in force, renewed tacitly, expired."""
    o, rng = planner.orgs, planner.rng("national")
    national_owners = (constants.REGION_STAFF_EMAIL,)
    specs = []
    for number, partner, months_ago, clauses, theme in (
        (
            1,
            "medef_national",
            50,
            terms(60, tacit=False, notice=6),
            "la découverte de l’entreprise par les élèves et l’accueil des jeunes en formation",
        ),
        (
            2,
            "cpme_national",
            110,
            terms(36, tacit=True, renewal=36, notice=6, effect=TerminationEffect.END_OF_PERIOD),
            "la place des petites et moyennes entreprises dans l’orientation et l’apprentissage",
        ),
        (
            3,
            "cci_national",
            75,
            terms(60, notice=6),
            "les pôles de stages et l’information des familles sur l’apprentissage",
        ),
    ):
        parties = [o["ministry"], o[partner]]
        specs.append(
            Spec(
                number,
                ConventionKind.NATIONAL,
                f"Convention nationale de coopération entre le ministère de l’Éducation nationale et "
                f"{planner.nominal(o[partner])}",
                parties,
                planner.signed(parties, planner.months_ago(months_ago), rng),
                "national",
                clauses,
                national_owners,
                theme=theme,
                place="Paris",
                commitments=(6, 10),
            )
        )
    return specs


def regional(planner: ConventionPlanner) -> list[Spec]:
    """The région académique's: shaped like seed 004 (two years, tacit renewal, notice effective at the next
    rentrée), ending within three months, renewed yearly (its notice amended), indefinite, and one that expired
    after its provisional continuation."""
    o, rng = planner.orgs, planner.rng("regional")
    region = o["region"]
    signed_on = planner.months_ago(68, day=18)
    seed_like = Spec(
        4,
        ConventionKind.REGIONAL,
        "Convention de coopération entre la région académique Provence-Alpes-Côte d’Azur et le MEDEF Exemple Provence",
        [region, o["medef"]],
        [
            Sign(None, signed_on, raw=roman_date(signed_on), organisation=o["rectorat_nice"]),
            Sign(0, signed_on, raw=roman_date(signed_on)),
            Sign(1, signed_on, raw=roman_date(signed_on)),
        ],
        "region_employers",
        terms(
            24,
            tacit=True,
            renewal=24,
            notice=None,
            letter=True,
            effect=TerminationEffect.NEXT_SCHOOL_YEAR_START,
            contacts=9,
        ),
        REGION_OWNERS,
        REGION_FOLLOWERS,
        parent=1,
        place="Marseille",
        commitments=(10, 16),
        amendments=[
            AmendmentSpec(
                AmendmentKind.OTHER,
                "Mise à jour de la liste des correspondants",
                "Les correspondants des deux parties sont remplacés ; l’annexe des contacts est mise à jour.",
                add_months(signed_on, 26),
            )
        ],
    )
    specs = [seed_like]
    for number, partners, months_ago, clauses, theme in (
        (
            5,
            ["cci"],
            34,
            terms(36, tacit=False, notice=3),
            "l’apprentissage et les pôles de stages dans les deux académies",
        ),
        (
            6,
            ["btp"],
            51,
            terms(12, tacit=True, renewal=12, notice=2, effect=TerminationEffect.END_OF_PERIOD, committee=6),
            "la découverte des métiers du bâtiment et l’accueil des élèves sur les chantiers",
        ),
        (
            7,
            ["cite", "cress"],
            27,
            terms(None, indefinite=True, notice=3, letter=True),
            "l’information des familles sur les métiers et l’économie sociale et solidaire",
        ),
    ):
        parties = [region] + [o[key] for key in partners]
        latest = planner.months_ago(months_ago) - timedelta(days=10 if number == 6 else 0)
        partner_names = " et ".join(planner.nominal(party) for party in parties[1:])
        specs.append(
            Spec(
                number,
                ConventionKind.REGIONAL,
                f"Convention de région académique entre la région académique Provence-Alpes-Côte d’Azur et "
                f"{partner_names}",
                parties,
                planner.signed(parties, latest, rng),
                "regional",
                clauses,
                REGION_OWNERS,
                REGION_FOLLOWERS,
                theme=theme,
                place="Marseille",
                commitments=(8, 14),
            )
        )
    six = specs[2]
    six.amendments.append(
        AmendmentSpec(
            AmendmentKind.TERMS,
            "Préavis porté à trois mois",
            "Le préavis de non-reconduction passe de deux à trois mois.",
            add_months(six.signatures[0].on, 20),
            {"notice_months": 3},
        )
    )
    # Renegotiated in time, never concluded: the provisional continuation ran out long ago.
    latest = planner.months_ago(170)
    end = period_last_day(latest, 36)
    parties = [region, o["medef"]]
    specs.append(
        Spec(
            37,
            ConventionKind.REGIONAL,
            "Convention régionale école–entreprise entre la région académique Provence-Alpes-Côte d’Azur et le "
            "MEDEF Exemple Provence",
            parties,
            planner.signed(parties, latest, rng),
            "regional",
            terms(36, notice=3, provisional=6),
            REGION_OWNERS,
            theme="la découverte des entreprises et la formation des enseignants",
            place="Marseille",
            events=[LifeEvent(EventKind.RENEGOTIATION_OPENED, end - timedelta(days=40), by=0)],
        )
    )
    return specs


def frameworks(planner: ConventionPlanner) -> list[Spec | None]:
    """The académies' own: shaped like seeds 000–003, then ending soon, renewed by a recorded renewal, in
    provisional continuation, expired, indefinite, under notice (end of notice, next rentrée), terminated,
    draft, awaiting signatures, signed but not started."""
    o, rng, today = planner.orgs, planner.rng("frameworks"), planner.today
    specs: list[Spec] = []

    # Shaped like a guidance centre lending rooms: five years, signature date left blank.
    parties = [o["rectorat_aix"], o["cite"]]
    specs.append(
        Spec(
            8,
            ConventionKind.FRAMEWORK,
            "Convention de partenariat entre l’académie d’Aix-Marseille et la Cité des métiers Exemple",
            parties,
            [Sign(i, None, DatePrecision.UNKNOWN, "le …………………") for i in range(2)],
            "guidance_centre",
            terms(60, notice=3, letter=True),
            AIX_OWNERS,
            AIX_FOLLOWERS,
            place="Marseille",
            commitments=(8, 12),
            year=today.year - 3,
        )
    )

    # Shaped like an académie + employer organisation + association, under a national agreement.
    parties = [o["rectorat_nice"], o["cpme"], o["association"]]
    latest = planner.months_ago(26)
    specs.append(
        Spec(
            9,
            ConventionKind.FRAMEWORK,
            "Convention de partenariat entre l’académie de Nice, la CPME Exemple Var et l’Association Exemple "
            "pour l’enseignement professionnel",
            parties,
            planner.signed(parties, latest, rng),
            "academy_employer_association",
            terms(60, notice=3),
            NICE_OWNERS,
            parent_description=(
                "Accord national de coopération du 14 décembre 2010 entre l’Association Exemple pour "
                "l’enseignement professionnel, mandatée par la confédération des PME, et le ministère chargé "
                "de l’Éducation nationale"
            ),
            place="Nice",
            confidential=True,
            commitments=(12, 18),
        )
    )

    # Shaped like a social-economy chamber's: three years, six months of provisional continuation.
    end = add_months(today, -2)
    start = add_months(end + timedelta(days=1), -36)
    parties = [o["rectorat_aix"], o["cress"]]
    specs.append(
        Spec(
            10,
            ConventionKind.FRAMEWORK,
            "Convention cadre de partenariat entre l’académie d’Aix-Marseille et la CRESS Exemple "
            "Provence-Alpes-Côte d’Azur",
            parties,
            [Sign(0, start), Sign(1, start)],
            "social_economy_chamber",
            terms(36, notice=3, provisional=6),
            AIX_OWNERS,
            AIX_FOLLOWERS,
            place="Aix-en-Provence",
            commitments=(10, 15),
            events=[
                LifeEvent(
                    EventKind.RENEGOTIATION_OPENED,
                    end - timedelta(days=50),
                    by=0,
                    note="Premier comité de renégociation : le plan d’action est à réécrire.",
                )
            ],
            amendments=[
                AmendmentSpec(
                    AmendmentKind.FINANCIAL,
                    "Dispositions financières du plan d’action",
                    "La chambre prend en charge le stand commun au salon Métierama ; l’académie, le transport "
                    "des élèves pour les visites du Mois de l’ESS, dans la limite de 3 000 euros par an.",
                    add_months(start, 8),
                )
            ],
        )
    )

    # Shaped like three académies + one employer organisation, signed on different dates.
    month = add_months(date(today.year, today.month, 1), -17)
    first = add_months(month, -3).replace(day=22)
    parties = [o["rectorat_aix"], o["rectorat_nice"], o["rectorat_montpellier"], o["btp"]]
    specs.append(
        Spec(
            11,
            ConventionKind.FRAMEWORK,
            "Convention de partenariat entre les académies d’Aix-Marseille, de Nice et de Montpellier et la "
            "Fédération Exemple du BTP",
            parties,
            [
                Sign(0, first),
                Sign(2, add_months(month, -2).replace(day=9)),
                Sign(1, add_months(month, -1).replace(day=14)),
                Sign(3, month, DatePrecision.MONTH, month_only(month)),
            ],
            "three_academies",
            terms(36, notice=3),
            AIX_OWNERS + NICE_OWNERS,
            commitments=(10, 14),
        )
    )

    def framework(
        number: int,
        education: str,
        partner: Organisation | None,
        latest: date | None,
        clauses: dict[str, Any],
        theme: str,
        **extra: Any,
    ) -> Spec | None:
        if partner is None:
            return None
        parties = [o[education], partner]
        nice = education in ("rectorat_nice", "dafpic_nice")
        academy_name = "l’académie de Nice" if nice else "l’académie d’Aix-Marseille"
        extra.setdefault("signatures", planner.signed(parties, latest, rng))
        return Spec(
            number,
            ConventionKind.FRAMEWORK,
            f"Convention cadre de partenariat entre {academy_name} et {planner.nominal(partner)}",
            parties,
            outline="framework",
            terms=clauses,
            owners=NICE_OWNERS if nice else AIX_OWNERS,
            followers=() if nice else AIX_FOLLOWERS,
            theme=theme,
            place="Nice" if nice else "Aix-en-Provence",
            **extra,
        )

    latest_cci = planner.months_ago(56)
    specs.append(
        framework(
            12,
            "rectorat_aix",
            o["cci"],
            latest_cci,
            terms(60, tacit=False, notice=3),
            "les pôles de stages, l’apprentissage et la découverte des métiers du commerce",
            amendments=[
                AmendmentSpec(
                    AmendmentKind.FINANCIAL,
                    "Participation aux frais de transport",
                    "La chambre rembourse les cars des visites d’entreprises des collèges de l’éducation prioritaire.",
                    add_months(latest_cci, 14),
                )
            ],
        )
    )
    start = planner.months_ago(50)
    initial_end = period_last_day(start, 36)
    specs.append(
        framework(
            13,
            "rectorat_aix",
            o["medef"],
            start,
            terms(36, tacit=False, notice=3),
            "l’orientation des élèves, les stages et la formation des enseignants",
            parent=1,
            confidential=True,
            events=[
                LifeEvent(
                    EventKind.RENEWED,
                    initial_end - timedelta(days=30),
                    by=0,
                    months=36,
                    note="Renouvellement signé pour trois ans après le bilan du comité de pilotage.",
                )
            ],
            amendments=[
                AmendmentSpec(
                    AmendmentKind.ARTICLES,
                    "Article sur les campus des métiers et des qualifications",
                    "Un article 2.4 associe les campus des métiers et des qualifications aux actions.",
                    add_months(start, 20),
                )
            ],
            commitments=(10, 16),
        )
    )
    end = today - timedelta(days=20)
    start = add_months(end + timedelta(days=1), -24)
    specs.append(
        framework(
            14,
            "rectorat_nice",
            o["btp"],
            start,
            terms(24, notice=3, provisional=6),
            "l’apprentissage dans les métiers du bâtiment et les jurys d’examen",
            events=[LifeEvent(EventKind.RENEGOTIATION_OPENED, end - timedelta(days=45), by=1)],
        )
    )
    specs.append(
        framework(
            15,
            "rectorat_aix",
            o["btp"],
            planner.months_ago(100),
            terms(60, notice=3),
            "la découverte des métiers du bâtiment",
        )
    )
    specs.append(
        framework(
            16,
            "rectorat_aix",
            o["cress"],
            planner.months_ago(198),
            terms(36, notice=3, provisional=6),
            "la connaissance de l’économie sociale et solidaire par les élèves",
        )
    )
    large = planner.large_company(rng, planner.nice)
    specs.append(
        framework(
            17,
            "rectorat_nice",
            large,
            planner.months_ago(40),
            terms(None, indefinite=True, notice=2),
            "l’accueil de lycéens professionnels et d’enseignants dans l’entreprise",
        )
    )
    if specs[-1] is not None:
        pilot = planner.school(rng, planner.nice, [SchoolType.LYCEE_PRO, SchoolType.LYCEE_POLY])
        if pilot is not None:
            # Joined by an amendment: its signatures are the amendment's, the term is unchanged.
            specs[-1].parties.append(pilot)
            specs[-1].amendments.append(
                AmendmentSpec(
                    AmendmentKind.PARTIES,
                    f"Entrée de {planner.nominal(pilot)} comme établissement pilote",
                    "L’établissement devient partie à la convention et en suit les actions.",
                    planner.months_ago(22),
                )
            )
    specs.append(
        framework(
            18,
            "dafpic_aix",
            o["association"],
            planner.months_ago(30),
            terms(36, tacit=True, renewal=36, notice=3, letter=True),
            "la promotion de l’enseignement professionnel auprès des familles",
            events=[
                LifeEvent(
                    EventKind.NOTICE_GIVEN,
                    today - timedelta(days=31),
                    by=1,
                    form=NoticeForm.REGISTERED_LETTER,
                    note=NOTICE_NOTES["partner"],
                )
            ],
        )
    )
    rentree, _ = school_year_start(today.year, planner.nice.holiday_zone)
    notice_on = today - timedelta(days=30)
    if notice_on < rentree <= today:
        notice_on = rentree
    specs.append(
        framework(
            19,
            "rectorat_nice",
            o["cpme"],
            planner.months_ago(44),
            terms(
                24,
                tacit=True,
                renewal=24,
                notice=None,
                letter=True,
                effect=TerminationEffect.NEXT_SCHOOL_YEAR_START,
            ),
            "l’apprentissage dans les petites entreprises du Var et des Alpes-Maritimes",
            events=[
                LifeEvent(
                    EventKind.NOTICE_GIVEN,
                    notice_on,
                    by=0,
                    form=NoticeForm.REGISTERED_LETTER,
                    note=NOTICE_NOTES["academy"],
                )
            ],
        )
    )
    specs.append(
        framework(
            20,
            "rectorat_aix",
            planner.large_company(rng, planner.aix),
            planner.months_ago(26),
            terms(36, notice=3),
            "l’accueil d’élèves en PFMP et la découverte des métiers de l’industrie",
            events=[
                LifeEvent(
                    EventKind.TERMINATED,
                    add_months(today, -7),
                    by=1,
                    form=NoticeForm.REGISTERED_LETTER,
                    note=NOTICE_NOTES["company"],
                )
            ],
        )
    )
    specs.append(
        framework(
            21,
            "rectorat_aix",
            o["cci"],
            None,
            terms(60, tacit=False, notice=3),
            "les pôles de stages et l’apprentissage, pour succéder à la convention en cours",
            year=today.year,
        )
    )
    pending = [Sign(0, today - timedelta(days=18)), Sign(1, None)]
    specs.append(
        framework(
            22,
            "rectorat_nice",
            o["medef"],
            None,
            terms(36, notice=3),
            "la découverte des entreprises par les collégiens des Alpes-Maritimes",
            signatures=pending,
        )
    )
    starts_on = add_months(date(today.year, today.month, 1), 2)
    specs.append(
        framework(
            23,
            "dafpic_aix",
            o["cite"],
            today - timedelta(days=12),
            terms(12, tacit=True, renewal=12, notice=2, effect=TerminationEffect.END_OF_PERIOD, start=starts_on),
            "le prêt de salles pour les jurys et les réunions des réseaux de formation",
        )
    )
    specs.append(
        framework(
            38,
            "daet_aix",
            planner.builder.companies[0] if planner.builder.companies else None,
            planner.months_ago(37),
            terms(36, tacit=True, renewal=36, notice=3, effect=TerminationEffect.END_OF_PERIOD),
            "les PFMP et les jurys des formations du transport et de la logistique",
        )
    )
    specs.append(
        framework(
            39,
            "dafpic_nice",
            o["medef"],
            planner.months_ago(146),
            terms(60, notice=3),
            "la découverte des entreprises dans le cadre du parcours Avenir",
        )
    )
    return specs


def applications(planner: ConventionPlanner) -> list[Spec]:
    """One school year's (or one event's) application of a framework: a start before the signature, yearly
    tacit renewal, expired ones."""
    o, rng, today = planner.orgs, planner.rng("applications"), planner.today
    rentree, school_year = planner.school_year()

    def application(
        number: int,
        parent: int,
        parties: list[Organisation],
        latest: date,
        clauses: dict[str, Any],
        title: str,
        owners: Sequence[str],
        **extra: Any,
    ) -> Spec:
        return Spec(
            number,
            ConventionKind.APPLICATION,
            title,
            parties,
            planner.signed(parties, latest, rng),
            "application",
            clauses,
            owners,
            parent=parent,
            commitments=(5, 7),
            **extra,
        )

    # Starts on 1 September, signed some weeks later (a start before the signature).
    start = rentree if (today - rentree).days > 45 else add_months(rentree, -12)
    return [
        application(
            24,
            9,
            [o["rectorat_nice"], o["cpme"]],
            start + timedelta(days=40),
            terms(12, tacit=True, renewal=12, notice=2, effect=TerminationEffect.END_OF_PERIOD, start=start),
            "Convention d’application pour les stages de seconde entre l’académie de Nice et la CPME Exemple Var",
            NICE_OWNERS,
            place="Nice",
        ),
        application(
            25,
            12,
            [o["dafpic_aix"], o["cci"]],
            rentree - timedelta(days=14),
            terms(12, tacit=False, notice=1, start=rentree),
            f"Convention d’application {school_year} : Semaine École–Entreprise et pôles de stages avec la CCI "
            "Exemple Marseille-Provence",
            AIX_OWNERS,
            place="Marseille",
        ),
        application(
            34,
            4,
            [o["region"], o["medef"]],
            planner.months_ago(22),
            terms(12, tacit=True, renewal=12, notice=1, effect=TerminationEffect.END_OF_PERIOD),
            "Convention d’application pour l’immersion d’enseignants dans les entreprises du MEDEF Exemple Provence",
            REGION_OWNERS,
            place="Marseille",
        ),
        application(
            35,
            8,
            [o["dafpic_aix"], o["cite"]],
            planner.months_ago(14),
            terms(6, notice=1),
            "Convention d’application pour le forum des métiers à la Cité des métiers Exemple",
            AIX_OWNERS,
            place="Marseille",
        ),
        application(
            36,
            10,
            [o["dafpic_aix"], o["cress"]],
            planner.months_ago(26),
            terms(4, notice=1),
            "Convention d’application pour le Mois de l’économie sociale et solidaire avec la CRESS Exemple",
            AIX_OWNERS,
            place="Marseille",
        ),
    ]


def local_conventions(planner: ConventionPlanner) -> list[Spec | None]:
    """Conventions between one member company and one school, under a framework."""
    if not planner.builder.schools or not planner.builder.companies:
        return []
    rng, today = planner.rng("locals"), planner.today
    vocational = [SchoolType.LYCEE_PRO, SchoolType.LYCEE_POLY]

    def local(
        number: int,
        parent: int,
        school: Organisation | None,
        company: Organisation | None,
        latest: date,
        clauses: dict[str, Any],
        **extra: Any,
    ) -> Spec | None:
        if school is None or company is None:
            return None
        nice = school.academy_id == planner.nice.pk
        parties = [school, company]
        return Spec(
            number,
            ConventionKind.LOCAL,
            f"Convention locale entre {planner.nominal(school)} et {planner.nominal(company)}",
            parties,
            planner.signed(parties, latest, rng),
            "local",
            clauses,
            NICE_OWNERS if nice else AIX_OWNERS,
            () if nice else LOCAL_FOLLOWERS,
            parent=parent,
            place=school.city,
            commitments=(5, 8),
            **extra,
        )

    yearly = terms(12, tacit=True, renewal=12, notice=1, effect=TerminationEffect.END_OF_PERIOD)
    aix, nice = planner.aix, planner.nice
    school_year_end = date(today.year, 7, 4)
    if school_year_end <= today + timedelta(days=30):
        school_year_end = date(today.year + 1, 7, 4)
    specs = [
        local(
            26,
            13,
            planner.school(rng, aix, vocational),
            planner.member(rng, "medef", aix),
            planner.months_ago(27),
            yearly,
        ),
        local(
            27,
            13,
            planner.school(rng, aix, [SchoolType.COLLEGE]),
            planner.member(rng, "medef", aix),
            planner.months_ago(19),
            terms(24, tacit=False, notice=1),
        ),
        local(
            28,
            13,
            planner.school(rng, aix, vocational),
            planner.member(rng, "medef", aix),
            planner.months_ago(40),
            terms(24, notice=1),
        ),
    ]
    # The demo accounts' collège and company, so that their pages show a convention.
    persona_school = planner.builder.schools[0]
    persona_company = (
        planner.builder.companies[1] if len(planner.builder.companies) > 1 else planner.builder.companies[0]
    )
    planner.used_schools.add(persona_school.pk)
    planner.used_companies.add(persona_company.pk)
    parent = 13
    for key, number in (("cci", 12), ("cpme", 9), ("cress", 10)):
        if planner.orgs[key].members.filter(pk=persona_company.pk).exists():
            parent = number
            break
    specs.append(
        local(
            29,
            parent,
            persona_school,
            persona_company,
            planner.months_ago(8),
            terms(24, tacit=True, renewal=24, notice=2, effect=TerminationEffect.END_OF_PERIOD),
            confidential=True,
        )
    )
    specs += [
        local(
            30,
            12,
            planner.school(rng, aix, vocational),
            planner.member(rng, "cci", aix),
            planner.months_ago(20) - timedelta(days=15),
            terms(24, notice=1),
        ),
        local(
            31,
            9,
            planner.school(rng, nice, vocational),
            planner.member(rng, "cpme", nice),
            planner.months_ago(10),
            terms(36, notice=2),
            confidential=True,
        ),
        local(
            32,
            9,
            planner.school(rng, nice, [SchoolType.COLLEGE]),
            planner.member(rng, "cpme", nice),
            planner.months_ago(14),
            terms(36, notice=2, effect=TerminationEffect.FIXED_DATE, end=school_year_end),
            events=[
                LifeEvent(
                    EventKind.NOTICE_GIVEN,
                    today - timedelta(days=20),
                    by=1,
                    form=NoticeForm.LETTER,
                    note="L’entreprise ne peut plus accueillir d’élèves après la fin de l’année scolaire.",
                )
            ],
        ),
        local(
            33,
            10,
            planner.school(rng, aix, vocational),
            planner.member(rng, "cress", aix),
            planner.months_ago(15),
            yearly,
        ),
        local(
            40,
            13,
            planner.school(rng, aix, [SchoolType.LYCEE, SchoolType.LYCEE_POLY]),
            planner.member(rng, "medef", aix),
            planner.months_ago(3),
            terms(12, tacit=True, renewal=12, notice=1, effect=TerminationEffect.END_OF_PERIOD),
        ),
    ]
    return specs
