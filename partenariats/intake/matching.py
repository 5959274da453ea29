"""Which existing organisations a party read in a convention may be: SIRET first, then acronym,
then the name's words (accent- and case-insensitive), among those of the user's académies and
the national ones (without académie)."""

import re
from dataclasses import dataclass

from django.db.models import Q

from partenariats.core.text import fold
from partenariats.directory.identifiers import normalize_siret
from partenariats.directory.models import Organisation, OrganisationKind
from partenariats.territories.models import Academy

# Words that say nothing about which organisation it is.
STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "pour",
        "sur",
        "par",
        "etat",
        "republique",
        "francaise",
        "academie",
    ]
)
WORD = re.compile(r"[a-z0-9]+")
# Score of each kind of match; a strong match is preselected in the review.
SIRET_SCORE, ACRONYM_SCORE, SAME_NAME_SCORE, NAME_SCORE = 100, 80, 70, 50
STRONG = SAME_NAME_SCORE
MIN_OVERLAP = 0.5
MAX_CANDIDATES = 200

# The reader's party kinds → the directory's (``other`` has no counterpart: the reviewer chooses).
KINDS = {
    "employer_org": OrganisationKind.EMPLOYER_ORG,
    "chamber": OrganisationKind.CHAMBER,
    "company": OrganisationKind.COMPANY,
    "association": OrganisationKind.ASSOCIATION,
    "public_body": OrganisationKind.PUBLIC_BODY,
}
SCHOOL_WORDS = ("college", "lycee", "ecole", "cfa", "erea")


def words(text: str) -> set[str]:
    return {word for word in WORD.findall(fold(text)) if word not in STOPWORDS}


def directory_kind(party: dict) -> str:
    """The directory kind of a read party; "" when the reader's kind has no counterpart."""
    kind = party.get("kind") or ""
    if kind == "education":
        name = fold(party.get("name") or "")
        return OrganisationKind.SCHOOL if name.startswith(SCHOOL_WORDS) else OrganisationKind.ACADEMY_SERVICE
    return KINDS.get(kind, "")


@dataclass(frozen=True)
class Match:
    organisation: Organisation
    score: int

    @property
    def strong(self) -> bool:
        return self.score >= STRONG


def _score(organisation: Organisation, siret: str, acronym: str, name_words: set[str], folded_name: str) -> int:
    if siret and organisation.siret == siret:
        return SIRET_SCORE
    if acronym and fold(organisation.acronym) == acronym:
        return ACRONYM_SCORE
    if folded_name and fold(organisation.name) == folded_name:
        return SAME_NAME_SCORE
    theirs = words(organisation.name) | ({fold(organisation.acronym)} if organisation.acronym else set())
    if not name_words or not theirs:
        return 0
    overlap = len(name_words & theirs) / len(name_words | theirs)
    return int(NAME_SCORE * overlap) if overlap >= MIN_OVERLAP else 0


def match_organisations(party: dict, user, limit: int = 5) -> list[Match]:
    """The best existing organisations for a read party, best first."""
    siret = normalize_siret(party.get("siret") or "")
    acronym = fold(party.get("acronym") or "")
    name = party.get("name") or ""
    name_words = words(name) | ({acronym} if acronym else set())
    wanted = Q(pk__in=[])
    if siret:
        wanted |= Q(siret=siret)
    if acronym:
        wanted |= Q(acronym__iexact=party.get("acronym"))
    # The longest words are the most telling: any of them narrows the search enough.
    for word in sorted((w for w in name_words if len(w) >= 3), key=len, reverse=True)[:3]:
        wanted |= Q(search_text__contains=word)
    # Every organisation the user may read: a partner of another académie is still the same partner.
    queryset = Organisation.objects.for_user(user).active().filter(wanted)
    folded_name = fold(name)
    matches = [
        Match(organisation, score)
        for organisation in queryset[:MAX_CANDIDATES]
        if (score := _score(organisation, siret, acronym, name_words, folded_name))
    ]
    matches.sort(key=lambda match: (-match.score, match.organisation.name, match.organisation.pk))
    return matches[:limit]


def academy_of(parties: list[dict], academies: list[Academy]) -> Academy | None:
    """The académie among ``academies`` that an education party names (« Académie de Nice »)."""
    for party in parties:
        if party.get("kind") != "education":
            continue
        name = f" {' '.join(WORD.findall(fold(party.get('name') or '')))} "
        for academy in academies:
            if f" {' '.join(WORD.findall(fold(academy.name)))} " in name:
                return academy
    return None
