"""Fixed facts of the national data set: sizes, and each académie's main department and city."""

from dataclasses import dataclass, replace

# Generated records are recognised by these marks (never those of the demo: "(démo)", "DEMO-").
SUFFIX = " (généré)"
EMAIL_DOMAIN = "generated.example.invalid"
REFERENCE_PREFIX = "GEN-"
PARTNER_NAME = "Fédération nationale Exemple des entreprises (généré)"
MINISTRY_NAME = "Ministère de l’Éducation nationale (généré)"
# Fictitious SIRENs start here (the demo's start at 90 000 000); UAI serials stay below the demo's 8000.
FIRST_SIREN = 70_000_000
MAX_UAI_SERIAL = 7999
DEFAULT_BATCH_SIZE = 5000
# The other national federations, each with a national convention with the ministry: with the
# flagship, "a few big national federations" (their activities follow a 1/rank law, see below).
OTHER_FEDERATIONS = (
    ("Union nationale Exemple des métiers (généré)", "UNEM-G"),
    ("Confédération Exemple de l’artisanat (généré)", "CEA-G"),
    ("Fédération Exemple du bâtiment (généré)", "FEB-G"),
    ("Groupement Exemple de l’industrie (généré)", "GEI-G"),
)
# How the activities beyond the flagship's are shared: the other federations, the chambers'
# framework conventions, the local conventions (a school and a company). Within a group,
# convention n gets a share proportional to 1 / n ** exponent: a long tail.
SHARES = {"federation": (0.30, 1.0), "chamber": (0.25, 0.5), "local": (0.45, 0.5)}
# The accounts of the load test's personas in the national data (one shared password hash).
PERSONA_EMAILS = {
    "partner": "partenaire@generated.example.invalid",
    "school": "etablissement@generated.example.invalid",
    "academy": "academie@generated.example.invalid",
}


@dataclass(frozen=True)
class NationalSizes:
    """How much to generate. The defaults are small; :data:`ISSUE_7` is the national scale."""

    schools: int = 600
    companies: int = 2000
    conventions: int = 40
    people: int = 800
    activities: int = 5000
    years: int = 3
    partner_activities: int | None = None  # the flagship partner's; default: 15 % of the activities

    @property
    def flagship_activities(self) -> int:
        wanted = self.activities * 15 // 100 if self.partner_activities is None else self.partner_activities
        return min(wanted, self.activities)

    def with_changes(self, **changes) -> "NationalSizes":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# 18 régions académiques, 30 académies (reference data), and what a national load looks like.
ISSUE_7 = NationalSizes(
    schools=11_400, companies=200_000, conventions=2_500, people=40_000, activities=2_000_000, years=5
)

# Académie code → (UAI prefix, department code, main city, postal code).
ACADEMY_PLACES: dict[str, tuple[str, str, str, str]] = {
    "01": ("075", "75", "Paris", "75005"),
    "02": ("013", "13", "Marseille", "13001"),
    "03": ("025", "25", "Besançon", "25000"),
    "04": ("033", "33", "Bordeaux", "33000"),
    "06": ("063", "63", "Clermont-Ferrand", "63000"),
    "07": ("021", "21", "Dijon", "21000"),
    "08": ("038", "38", "Grenoble", "38000"),
    "09": ("059", "59", "Lille", "59000"),
    "10": ("069", "69", "Lyon", "69001"),
    "11": ("034", "34", "Montpellier", "34000"),
    "12": ("054", "54", "Nancy", "54000"),
    "13": ("086", "86", "Poitiers", "86000"),
    "14": ("035", "35", "Rennes", "35000"),
    "15": ("067", "67", "Strasbourg", "67000"),
    "16": ("031", "31", "Toulouse", "31000"),
    "17": ("044", "44", "Nantes", "44000"),
    "18": ("045", "45", "Orléans", "45000"),
    "19": ("051", "51", "Reims", "51100"),
    "20": ("080", "80", "Amiens", "80000"),
    "22": ("087", "87", "Limoges", "87000"),
    "23": ("006", "06", "Nice", "06000"),
    "24": ("094", "94", "Créteil", "94000"),
    "25": ("078", "78", "Versailles", "78000"),
    "27": ("620", "2A", "Ajaccio", "20000"),
    "28": ("974", "974", "Saint-Denis", "97400"),
    "31": ("972", "972", "Fort-de-France", "97200"),
    "32": ("971", "971", "Pointe-à-Pitre", "97110"),
    "33": ("973", "973", "Cayenne", "97300"),
    "43": ("976", "976", "Mamoudzou", "97600"),
    "70": ("076", "76", "Rouen", "76000"),
}
