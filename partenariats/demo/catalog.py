"""The raw material of the demo data: territories, name parts, activities. No Django import.

Territories and towns are real (the demo must look like the région académique); every
organisation and person built from them is fictitious and says so: "(démo)" in names,
``example.invalid`` e-mails, ``04 00 00 …`` phone numbers.
"""

from dataclasses import dataclass

REGION_NAME = "Provence-Alpes-Côte d'Azur"
AIX = "Aix-Marseille"
NICE = "Nice"


@dataclass(frozen=True)
class BasinSpec:
    academy: str
    name: str
    code: str
    department: str  # INSEE code, two characters ("13"); UAIs use it on three digits ("013")
    towns: tuple[tuple[str, str], ...]  # (commune, code postal)


BASINS: tuple[BasinSpec, ...] = (
    BasinSpec(
        AIX,
        "Marseille-Centre",
        "AM-MC",
        "13",
        (("Marseille", "13001"), ("Marseille", "13005"), ("Marseille", "13006"), ("Marseille", "13008")),
    ),
    BasinSpec(
        AIX,
        "Marseille-Nord",
        "AM-MN",
        "13",
        (("Marseille", "13013"), ("Marseille", "13015"), ("Allauch", "13190"), ("Septèmes-les-Vallons", "13240")),
    ),
    BasinSpec(
        AIX,
        "Aix-en-Provence",
        "AM-AX",
        "13",
        (("Aix-en-Provence", "13090"), ("Aix-en-Provence", "13100"), ("Gardanne", "13120"), ("Vitrolles", "13127")),
    ),
    BasinSpec(
        AIX,
        "Avignon",
        "AM-AV",
        "84",
        (("Avignon", "84000"), ("Carpentras", "84200"), ("Cavaillon", "84300"), ("Orange", "84100")),
    ),
    BasinSpec(
        AIX,
        "Gap",
        "AM-GA",
        "05",
        (("Gap", "05000"), ("Briançon", "05100"), ("Embrun", "05200"), ("Laragne-Montéglin", "05300")),
    ),
    BasinSpec(
        AIX,
        "Digne-les-Bains",
        "AM-DI",
        "04",
        (("Digne-les-Bains", "04000"), ("Manosque", "04100"), ("Sisteron", "04200"), ("Forcalquier", "04300")),
    ),
    BasinSpec(
        NICE,
        "Nice-Ouest",
        "NI-NO",
        "06",
        (("Nice", "06200"), ("Saint-Laurent-du-Var", "06700"), ("Cagnes-sur-Mer", "06800"), ("Vence", "06140")),
    ),
    BasinSpec(
        NICE,
        "Cannes-Grasse",
        "NI-CG",
        "06",
        (("Cannes", "06400"), ("Grasse", "06130"), ("Antibes", "06600"), ("Mougins", "06250")),
    ),
    BasinSpec(
        NICE,
        "Toulon",
        "NI-TO",
        "83",
        (("Toulon", "83000"), ("La Seyne-sur-Mer", "83500"), ("Hyères", "83400"), ("La Garde", "83130")),
    ),
    BasinSpec(
        NICE,
        "Draguignan",
        "NI-DR",
        "83",
        (("Draguignan", "83300"), ("Fréjus", "83600"), ("Saint-Raphaël", "83700"), ("Brignoles", "83170")),
    ),
)

STREETS = (
    "rue de l’Exemple",
    "avenue des Essais",
    "boulevard de la Démonstration",
    "chemin du Modèle",
    "place Fictive",
    "allée des Maquettes",
    "impasse du Prototype",
    "traverse de l’Échantillon",
)

# "Collège des Oliviers (démo)": the motif follows the type of school.
SCHOOL_MOTIFS = (
    "des Oliviers",
    "des Lavandes",
    "des Cigales",
    "des Calanques",
    "des Pins",
    "des Amandiers",
    "des Figuiers",
    "des Mimosas",
    "de la Garrigue",
    "des Cyprès",
    "des Platanes",
    "des Genêts",
    "des Romarins",
    "du Thym",
    "des Micocouliers",
    "des Tamaris",
    "des Lauriers-Roses",
    "des Restanques",
    "des Santons",
    "du Mistral",
    "de la Bastide",
    "des Salins",
    "des Vignes",
    "des Cerisiers",
    "du Grand-Exemple",
    "du Bois-Fictif",
    "de l’Étoile-Démo",
    "des Quatre-Vents",
)
PRIVATE_SCHOOL_MOTIFS = (
    "Saint-Exemple",
    "Sainte-Démo",
    "Notre-Dame-des-Exemples",
    "Saint-Fictif",
    "Sainte-Maquette",
)

# Share of each type of school, and its pupil count range.
SCHOOL_TYPES: tuple[tuple[str, str, float, tuple[int, int]], ...] = (
    # (SchoolType value, label in the name, weight, pupils)
    ("college", "Collège", 0.55, (280, 900)),
    ("lycee", "Lycée", 0.15, (700, 1800)),
    ("lycee_pro", "Lycée professionnel", 0.13, (250, 700)),
    ("lycee_poly", "Lycée polyvalent", 0.10, (800, 2000)),
    ("cfa", "CFA", 0.04, (200, 1200)),
    ("erea", "EREA", 0.03, (80, 200)),
)


@dataclass(frozen=True)
class Activity:
    label: str
    naf: str
    group: str  # used to pick federation members: "btp", "industrie", "commerce", "services", "ess"…


ACTIVITIES: tuple[Activity, ...] = (
    Activity("Boulangerie", "10.71C", "artisanat"),
    Activity("Boucherie", "47.22Z", "artisanat"),
    Activity("Salon de coiffure", "96.02A", "artisanat"),
    Activity("Fleuriste", "47.76Z", "commerce"),
    Activity("Librairie", "47.61Z", "commerce"),
    Activity("Supermarché", "47.11D", "commerce"),
    Activity("Pharmacie", "47.73Z", "commerce"),
    Activity("Garage", "45.20A", "services"),
    Activity("Plomberie", "43.22A", "btp"),
    Activity("Électricité générale", "43.21A", "btp"),
    Activity("Menuiserie", "43.32A", "btp"),
    Activity("Maçonnerie", "43.99C", "btp"),
    Activity("Travaux publics", "42.11Z", "btp"),
    Activity("Restaurant", "56.10A", "hotellerie"),
    Activity("Hôtel", "55.10Z", "hotellerie"),
    Activity("Imprimerie", "18.12Z", "industrie"),
    Activity("Chantier naval", "30.11Z", "industrie"),
    Activity("Ateliers aéronautiques", "30.30Z", "industrie"),
    Activity("Laboratoire d’analyses", "71.20B", "industrie"),
    Activity("Conserverie", "10.39A", "industrie"),
    Activity("Conseil informatique", "62.02A", "numerique"),
    Activity("Agence web", "62.01Z", "numerique"),
    Activity("Cabinet d’architecture", "71.11Z", "services"),
    Activity("Cabinet comptable", "69.20Z", "services"),
    Activity("Agence immobilière", "68.31Z", "services"),
    Activity("Paysagiste", "81.30Z", "services"),
    Activity("Transports routiers", "49.41A", "transport"),
    Activity("Entrepôt logistique", "52.10B", "transport"),
    Activity("Clinique", "86.10Z", "sante"),
    Activity("Coopérative agricole", "46.21Z", "ess"),
    Activity("Entreprise d’insertion", "88.99B", "ess"),
    Activity("Mutuelle", "65.12Z", "ess"),
)

COMPANY_QUALIFIERS = (
    "Exemple & Fils",
    "Exemple et Associés",
    "du Vieux-Port Exemple",
    "des Calanques Exemple",
    "Provence Exemple",
    "Azur Exemple",
    "Méditerranée Exemple",
    "des Alpes Exemple",
    "Soleil Exemple",
    "Fictive",
    "Modèle",
    "Démo Services",
)

# Weights of CompanySize values.
COMPANY_SIZES: tuple[tuple[str, float], ...] = (("micro", 0.55), ("sme", 0.33), ("mid", 0.08), ("large", 0.04))

FEMALE_FIRST_NAMES = (
    "Camille",
    "Claire",
    "Sophie",
    "Nadia",
    "Isabelle",
    "Julie",
    "Fatima",
    "Céline",
    "Hélène",
    "Léa",
    "Inès",
    "Mireille",
    "Aurélie",
    "Sandrine",
    "Chloé",
)
MALE_FIRST_NAMES = (
    "Dominique",
    "Karim",
    "Julien",
    "Thomas",
    "Marc",
    "Nicolas",
    "Olivier",
    "Mathieu",
    "Yann",
    "Sébastien",
    "Antoine",
    "Mehdi",
    "Laurent",
    "Hugo",
    "Pierre",
)
# Placeholder surnames: plainly invented or the stock names of French forms.
LAST_NAMES = (
    "Exemple",
    "Démo",
    "Fictif",
    "Essai",
    "Modèle",
    "Dupont",
    "Durand",
    "Martin",
    "Bernard",
    "Petit",
    "Lambert",
    "Moreau",
    "Garnier",
    "Faure",
    "Roux",
    "Blanc",
    "Fournier",
    "Girard",
    "Mercier",
    "Chevalier",
)

NOTE_TEXTS_ACADEMY = (
    "Entreprise volontaire pour accueillir des élèves de 3e en stage d’observation : deux places par période.",
    "Rencontre avec la direction prévue au printemps pour préparer une convention de partenariat.",
    "Relancer pour le bilan annuel : pas de retour depuis la dernière réunion du CLEE.",
    "Établissement demandeur d’interventions de professionnels sur les métiers du numérique.",
    "Le tuteur habituel part à la retraite : demander le nom de son successeur.",
    "Accueil possible d’enseignants en immersion pendant les vacances d’automne.",
    "Coordonnées du standard à vérifier : deux courriers sont revenus.",
    "Partenaire historique pour les périodes de formation en milieu professionnel.",
)
NOTE_TEXTS_FEDERATION = (
    "Adhérent actif : participe chaque année au forum des métiers du bassin.",
    "Souhaite être associé à la semaine de l’industrie.",
    "Peut proposer des visites d’atelier pour des groupes de quinze élèves au plus.",
)
