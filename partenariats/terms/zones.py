"""Which school-holiday zone an académie belongs to (static data, no Django).

Zones are ``A``, ``B``, ``C`` (metropolitan France, national calendar) and one zone per
académie with its own calendar: ``corse``, ``guadeloupe``, ``guyane``, ``martinique``,
``mayotte``, ``reunion`` — the same codes as ``territories/data/academies.json`` (a test keeps
the two tables in step). The map is the current one (since the 2016 zones and the 2020
Normandie merger); it only decides the *rentrée* date, which is national in metropolitan France
in every year of the official data, so older zone maps would give the same dates.
"""

import re

from partenariats.core.text import fold

ZONES = ("A", "B", "C", "corse", "guadeloupe", "guyane", "martinique", "mayotte", "reunion")

ACADEMY_ZONES: dict[str, str] = {
    "Aix-Marseille": "B",
    "Amiens": "B",
    "Besançon": "A",
    "Bordeaux": "A",
    "Clermont-Ferrand": "A",
    "Corse": "corse",
    "Créteil": "C",
    "Dijon": "A",
    "Grenoble": "A",
    "Guadeloupe": "guadeloupe",
    "Guyane": "guyane",
    "La Réunion": "reunion",
    "Lille": "B",
    "Limoges": "A",
    "Lyon": "A",
    "Martinique": "martinique",
    "Mayotte": "mayotte",
    "Montpellier": "C",
    "Nancy-Metz": "B",
    "Nantes": "B",
    "Nice": "B",
    "Normandie": "B",
    "Orléans-Tours": "B",
    "Paris": "C",
    "Poitiers": "A",
    "Reims": "B",
    "Rennes": "B",
    "Strasbourg": "B",
    "Toulouse": "C",
    "Versailles": "C",
}

# Every région académique has all its académies in one zone, so its name gives the zone too
# ("Région académique Occitanie" in seed 004 names no académie).
REGION_ZONES: dict[str, str] = {
    "Auvergne-Rhône-Alpes": "A",
    "Bourgogne-Franche-Comté": "A",
    "Bretagne": "B",
    "Centre-Val de Loire": "B",
    "Grand Est": "B",
    "Hauts-de-France": "B",
    "Île-de-France": "C",
    "Nouvelle-Aquitaine": "A",
    "Occitanie": "C",
    "Pays de la Loire": "B",
    "Provence-Alpes-Côte d'Azur": "B",
    "PACA": "B",
}

_ZONE_ALIASES = {"la reunion": "reunion", "corsica": "corse"}
_ACADEMY_PREFIX = re.compile(r"^(l )?academie (de la |de l |des |du |de |d )?")


def _key(text: str) -> str:
    """Folded text with punctuation as spaces: ``Académie d'Aix-Marseille`` → ``academie d aix marseille``."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


_ACADEMY_KEYS = {_key(name): zone for name, zone in ACADEMY_ZONES.items()}
_ACADEMY_KEYS["reunion"] = "reunion"
_REGION_KEYS = {_key(name): zone for name, zone in REGION_ZONES.items()}


def normalise_zone(value: str) -> str | None:
    """The zone code for ``"b"``, ``"Zone B"``, ``"Réunion"``…, or None when it is no zone."""
    key = _key(value)
    key = key.removeprefix("zone ").strip()
    key = _ZONE_ALIASES.get(key, key)
    for zone in ZONES:
        if key == zone.lower():
            return zone
    return None


def academy_zone(name: str) -> str | None:
    """The zone of an académie named with or without "académie de", any case or accents."""
    key = _ACADEMY_PREFIX.sub("", _key(name))
    return _ACADEMY_KEYS.get(key)


def _names_in(text: str, table: dict[str, str]) -> list[tuple[int, str]]:
    """(position, zone) of each name of ``table`` found as whole words in ``text``."""
    padded = f" {_key(text)} "
    found = []
    for key, zone in table.items():
        position = padded.find(f" {key} ")
        if position >= 0:
            found.append((position, zone))
    return sorted(found)


def zone_in_text(text: str) -> str | None:
    """The zone of the first académie (or else région académique) named in ``text``."""
    found = _names_in(text, _ACADEMY_KEYS) or _names_in(text, _REGION_KEYS)
    return found[0][1] if found else None
