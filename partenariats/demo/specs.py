"""Who and what the demo data contains: académie services, federations, their people."""

from dataclasses import dataclass

from partenariats.demo import catalog
from partenariats.directory.models import OrganisationKind, PersonRole, ServiceType


@dataclass(frozen=True)
class FederationSpec:
    key: str
    name: str
    acronym: str
    kind: str
    academy: str
    city: str
    postal_code: str
    member_range: tuple[int, int]
    groups: frozenset[str] = frozenset()  # activity groups of its members; empty: any
    member_academy: str = ""  # members only from this académie; empty: both
    head_titles: tuple[str, str] = ("Président", "Présidente")


FEDERATIONS: tuple[FederationSpec, ...] = (
    FederationSpec(
        "medef",
        "MEDEF Exemple Provence (démo)",
        "MEDEF-EX",
        OrganisationKind.EMPLOYER_ORG,
        catalog.AIX,
        "Marseille",
        "13008",
        (40, 60),
        head_titles=("Président du MEDEF Exemple Provence", "Présidente du MEDEF Exemple Provence"),
    ),
    FederationSpec(
        "cpme",
        "CPME Exemple Var (démo)",
        "CPME-EX",
        OrganisationKind.EMPLOYER_ORG,
        catalog.NICE,
        "Toulon",
        "83000",
        (30, 50),
        member_academy=catalog.NICE,
        head_titles=("Président de la CPME Exemple Var", "Présidente de la CPME Exemple Var"),
    ),
    FederationSpec(
        "cress",
        "CRESS Exemple Provence-Alpes-Côte d’Azur (démo)",
        "CRESS-EX",
        OrganisationKind.ASSOCIATION,
        catalog.AIX,
        "Marseille",
        "13001",
        (10, 25),
        groups=frozenset({"ess", "artisanat"}),
        head_titles=("Président de la CRESS Exemple", "Présidente de la CRESS Exemple"),
    ),
    FederationSpec(
        "cci",
        "CCI Exemple Marseille-Provence (démo)",
        "CCI-EX",
        OrganisationKind.CHAMBER,
        catalog.AIX,
        "Marseille",
        "13001",
        (40, 60),
        groups=frozenset({"commerce", "services", "industrie", "hotellerie", "transport", "numerique"}),
        member_academy=catalog.AIX,
        head_titles=("Président de la CCI Exemple", "Présidente de la CCI Exemple"),
    ),
    FederationSpec(
        "cite",
        "Cité des métiers Exemple (démo)",
        "",
        OrganisationKind.ASSOCIATION,
        catalog.AIX,
        "Marseille",
        "13013",
        (10, 20),
        head_titles=("Directeur de la Cité des métiers Exemple", "Directrice de la Cité des métiers Exemple"),
    ),
    FederationSpec(
        "btp",
        "Fédération Exemple du BTP Provence-Alpes-Côte d’Azur (démo)",
        "FBTP-EX",
        OrganisationKind.EMPLOYER_ORG,
        catalog.AIX,
        "Marseille",
        "13005",
        (10, 40),
        groups=frozenset({"btp"}),
        head_titles=("Président de la Fédération Exemple du BTP", "Présidente de la Fédération Exemple du BTP"),
    ),
)

# (key, name, acronym, service type, académie, commune, code postal)
SERVICES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "rectorat_aix",
        "Rectorat d’Aix-Marseille (démo)",
        "",
        ServiceType.RECTORAT,
        catalog.AIX,
        "Aix-en-Provence",
        "13100",
    ),
    ("rectorat_nice", "Rectorat de Nice (démo)", "", ServiceType.RECTORAT, catalog.NICE, "Nice", "06000"),
    (
        "dafpic_aix",
        "DAFPIC d’Aix-Marseille (démo)",
        "DAFPIC",
        ServiceType.DAFPIC,
        catalog.AIX,
        "Aix-en-Provence",
        "13100",
    ),
    ("daet_aix", "DAET d’Aix-Marseille (démo)", "DAET", ServiceType.DAET, catalog.AIX, "Aix-en-Provence", "13100"),
    ("dafpic_nice", "DAFPIC de Nice (démo)", "DAFPIC", ServiceType.DAFPIC, catalog.NICE, "Nice", "06000"),
    ("casnav_aix", "CASNAV d’Aix-Marseille (démo)", "CASNAV", ServiceType.CASNAV, catalog.AIX, "Marseille", "13006"),
)

# The académie's own people: (service key, role, masculine title, feminine title).
SERVICE_PEOPLE: tuple[tuple[str, str, str, str], ...] = (
    (
        "rectorat_aix",
        PersonRole.SIGNATORY,
        "Recteur de la région académique Provence-Alpes-Côte d’Azur, recteur de l’académie d’Aix-Marseille, "
        "chancelier des universités",
        "Rectrice de la région académique Provence-Alpes-Côte d’Azur, rectrice de l’académie d’Aix-Marseille, "
        "chancelière des universités",
    ),
    (
        "rectorat_nice",
        PersonRole.SIGNATORY,
        "Recteur de l’académie de Nice, chancelier des universités",
        "Rectrice de l’académie de Nice, chancelière des universités",
    ),
    (
        "dafpic_aix",
        PersonRole.SIGNATORY,
        "Délégué académique à la formation professionnelle initiale et continue",
        "Déléguée académique à la formation professionnelle initiale et continue",
    ),
    *[
        (
            "dafpic_aix",
            PersonRole.CHARGE_DE_MISSION,
            "Chargé de mission école–entreprise",
            "Chargée de mission école–entreprise",
        )
    ]
    * 3,
    (
        "daet_aix",
        PersonRole.SIGNATORY,
        "Délégué académique aux enseignements techniques",
        "Déléguée académique aux enseignements techniques",
    ),
    ("daet_aix", PersonRole.CHARGE_DE_MISSION, "Chargé de mission DAET", "Chargée de mission DAET"),
    (
        "dafpic_nice",
        PersonRole.SIGNATORY,
        "Délégué académique à la formation professionnelle initiale et continue",
        "Déléguée académique à la formation professionnelle initiale et continue",
    ),
    *[
        (
            "dafpic_nice",
            PersonRole.CHARGE_DE_MISSION,
            "Chargé de mission école–entreprise",
            "Chargée de mission école–entreprise",
        )
    ]
    * 2,
    ("casnav_aix", PersonRole.CHARGE_DE_MISSION, "Coordonnateur du CASNAV", "Coordonnatrice du CASNAV"),
)

ACTIVITY_GROUPS = {activity.naf: activity.group for activity in catalog.ACTIVITIES}

# The rest of the people, in this repeating order (heads, référents, tutors…).
PEOPLE_PATTERN = (
    "head",
    "referent",
    "tutor",
    "head",
    "referent",
    "company_head",
    "tutor",
    "head",
    "volunteer",
    "referent",
)
