"""What a demo convention is made of before it is written: the plan's records and constants."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from partenariats.conventions.models import DatePrecision, TerminationEffect, TermStart
from partenariats.demo import constants
from partenariats.directory.models import Organisation, OrganisationKind, PersonRole, ServiceType
from partenariats.terms.dates import FRENCH_MONTHS

PREFIX = "DEMO-"
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
REPRESENTATIVE_ROLES = (PersonRole.SIGNATORY, PersonRole.HEAD, PersonRole.EXECUTIVE)
EDUCATION_KINDS = (OrganisationKind.ACADEMY_SERVICE, OrganisationKind.SCHOOL)

# Organisations the conventions need beyond the regional directory:
# (key, name, acronym, kind, service type, académie name or "", commune, code postal, head titles).
EXTRA_ORGANISATIONS: tuple[tuple[str, str, str, str, str, str, str, str, tuple[str, str]], ...] = (
    (
        "ministry",
        "Ministère de l’Éducation nationale (démo)",
        "MEN",
        OrganisationKind.ACADEMY_SERVICE,
        ServiceType.OTHER,
        "",
        "Paris",
        "75007",
        ("Ministre de l’Éducation nationale", "Ministre de l’Éducation nationale"),
    ),
    (
        "region",
        "Région académique Provence-Alpes-Côte d’Azur (démo)",
        "",
        OrganisationKind.ACADEMY_SERVICE,
        ServiceType.RECTORAT,
        "Aix-Marseille",
        "Aix-en-Provence",
        "13100",
        ("", ""),  # represented by the recteur of Aix-Marseille, recteur de région académique
    ),
    (
        "rectorat_montpellier",
        "Rectorat de Montpellier (démo)",
        "",
        OrganisationKind.ACADEMY_SERVICE,
        ServiceType.RECTORAT,
        "Montpellier",
        "Montpellier",
        "34000",
        (
            "Recteur de la région académique Occitanie, recteur de l’académie de Montpellier, chancelier des "
            "universités",
            "Rectrice de la région académique Occitanie, rectrice de l’académie de Montpellier, chancelière des "
            "universités",
        ),
    ),
    (
        "medef_national",
        "MEDEF Exemple national (démo)",
        "MEDEF-NAT-EX",
        OrganisationKind.EMPLOYER_ORG,
        "",
        "",
        "Paris",
        "75007",
        ("Président du MEDEF Exemple national", "Présidente du MEDEF Exemple national"),
    ),
    (
        "cpme_national",
        "CPME Exemple nationale (démo)",
        "CPME-NAT-EX",
        OrganisationKind.EMPLOYER_ORG,
        "",
        "",
        "Puteaux",
        "92800",
        ("Président de la CPME Exemple nationale", "Présidente de la CPME Exemple nationale"),
    ),
    (
        "cci_national",
        "Réseau Exemple des CCI de France (démo)",
        "CCI-FR-EX",
        OrganisationKind.CHAMBER,
        "",
        "",
        "Paris",
        "75008",
        ("Président du Réseau Exemple des CCI", "Présidente du Réseau Exemple des CCI"),
    ),
    (
        "association",
        "Association Exemple pour l’enseignement professionnel (démo)",
        "AEEP-EX",
        OrganisationKind.ASSOCIATION,
        "",
        "",
        "Paris",
        "75009",
        ("Président de l’association", "Présidente de l’association"),
    ),
)

# How the texts name each organisation of the directory (with its article).
NOMINAL = {
    "rectorat_aix": "l’académie d’Aix-Marseille",
    "dafpic_aix": "l’académie d’Aix-Marseille",
    "daet_aix": "l’académie d’Aix-Marseille",
    "rectorat_nice": "l’académie de Nice",
    "dafpic_nice": "l’académie de Nice",
    "rectorat_montpellier": "l’académie de Montpellier",
    "region": "la région académique Provence-Alpes-Côte d’Azur",
    "ministry": "le ministère de l’Éducation nationale",
    "medef": "le MEDEF Exemple Provence",
    "cpme": "la CPME Exemple Var",
    "cress": "la CRESS Exemple Provence-Alpes-Côte d’Azur",
    "cci": "la CCI Exemple Marseille-Provence",
    "cite": "la Cité des métiers Exemple",
    "btp": "la Fédération Exemple du BTP",
    "medef_national": "le MEDEF Exemple national",
    "cpme_national": "la CPME Exemple nationale",
    "cci_national": "le Réseau Exemple des CCI de France",
    "association": "l’Association Exemple pour l’enseignement professionnel",
}
# Which commitments each organisation takes from ``convention_texts.COMMITMENTS``.
COMMITMENT_SIDES = {"cress": "social_economy", "cite": "guidance"}

AIX_OWNERS = (constants.ACADEMY_STAFF_EMAIL, constants.ACADEMY_ADMIN_EMAIL)
NICE_OWNERS = (constants.ACADEMY_STAFF_NICE_EMAIL,)
REGION_OWNERS = (constants.REGION_STAFF_EMAIL, constants.ACADEMY_STAFF_EMAIL)
AIX_FOLLOWERS = (constants.OBSERVER_EMAIL,)
LOCAL_FOLLOWERS = (constants.CLEE_MEMBER_EMAIL, constants.OBSERVER_EMAIL)
REGION_FOLLOWERS = (constants.ACADEMY_STAFF_NICE_EMAIL, constants.OBSERVER_EMAIL)


@dataclass(frozen=True)
class Sign:
    """One signature: by a party (its index) or by a co-signer who is no party (its organisation)."""

    party: int | None
    on: date | None
    precision: str = DatePrecision.DAY
    raw: str = ""
    organisation: Organisation | None = None


@dataclass(frozen=True)
class LifeEvent:
    kind: str
    on: date
    by: int | None = None  # index of the party
    months: int | None = None
    form: str = ""
    note: str = ""


@dataclass(frozen=True)
class AmendmentSpec:
    kind: str
    title: str
    summary: str
    signed_on: date
    terms_changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Spec:
    number: int
    kind: str
    title: str
    parties: list[Organisation]
    signatures: list[Sign]
    outline: str
    terms: dict[str, Any]
    owners: Sequence[str]
    followers: Sequence[str] = ()
    theme: str = ""
    parent: int | None = None
    parent_description: str = ""
    place: str = ""
    confidential: bool = False
    events: list[LifeEvent] = field(default_factory=list)
    amendments: list[AmendmentSpec] = field(default_factory=list)
    commitments: tuple[int, int] = (8, 12)
    year: int | None = None  # the reference's year when no signature is dated

    @property
    def reference(self) -> str:
        dated = [sign.on for sign in self.signatures if sign.on]
        year = max(dated).year if dated else self.year
        return f"{PREFIX}{year}-{self.number:03d}"


def terms(
    months: int | None,
    *,
    tacit: bool | None = None,
    renewal: int | None = None,
    notice: int | None = 3,
    letter: bool | None = None,
    effect: str = TerminationEffect.END_OF_NOTICE,
    provisional: int | None = None,
    indefinite: bool | None = None,
    start: date | None = None,
    end: date | None = None,
    committee: int | None = None,
    contacts: int | None = None,
) -> dict[str, Any]:
    """The term clauses as Convention fields (None: the text does not say)."""
    return {
        "start_mode": TermStart.FIXED_DATE if start else TermStart.SIGNATURE,
        "start_date": start,
        "duration_months": months,
        "indefinite": indefinite,
        "tacit_renewal": tacit,
        "renewal_months": renewal,
        "provisional_extension_months": provisional,
        "notice_months": notice,
        "notice_by_registered_letter": letter,
        "termination_effect": effect,
        "termination_date": end,
        "steering_committee_month": committee,
        "contact_exchange_month": contacts,
    }


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def label(organisation: Organisation) -> str:
    return organisation.name.removesuffix(" (démo)")


def school_nominal(school: Organisation) -> str:
    """« le lycée professionnel Les Oliviers », « l’EREA … »: a school's name as a sentence uses it."""
    first, _, rest = label(school).partition(" ")
    word = first if first.isupper() else first.lower()
    article = "l’" if word[:1].lower() in "aeéèiouh" else f"{'la' if word == 'école' else 'le'} "
    return f"{article}{word} {rest}".strip()


def month_only(day: date) -> str:
    return f"{FRENCH_MONTHS[day.month - 1]} {day.year}"


def roman_date(day: date) -> str:
    """The way some rectorats print a date: 18.III.2021."""
    return f"{day.day}.{ROMAN_MONTHS[day.month - 1]}.{day.year}"
