"""What the load test's users do: the framework floor, the pages and API calls, each role's mix.

Imported by ``run.py``, ``locustfile.py`` (no Django there) and ``personas.py`` (which fills the
placeholders with objects each persona may see). Add a page to :data:`PAGES`, then name it in the
``pages`` of the personas who use it, with a weight (how often, relative to the persona's other
pages).

A path's placeholders are filled per persona, each request drawing one of the values picked at
set-up: ``{convention}`` a convention it reads, ``{plan}`` "<convention>/plans/<year>" of one of
those, ``{activity}`` an activity it reads, ``{organisation}`` an organisation's record,
``{partner}`` the partner whose indicators it reads (its own for partner staff, the biggest
partner of the national data for the académie's), ``{school}`` a school (its own for school
staff), ``{academy}``, ``{basin}`` its académie or bassin, ``{year}`` the current school year. A
page whose placeholder has no value for a persona is left out of its mix (and said so).
"""

import string
from typing import NamedTuple


class Page(NamedTuple):
    name: str  # how locust and the results table name it
    path: str  # may hold placeholders
    api: bool = False  # called with the persona's API token instead of its session


class Persona(NamedTuple):
    key: str
    label: str  # the role, in the results
    email: str
    weight: int  # how many of the simulated users are this persona, relative to the others
    pages: dict[str, int]  # page name → weight


# A minimal view rendering the DSFR base template behind the same middleware: what any
# page costs before it does anything. Every persona fetches it (weight FLOOR_WEIGHT).
FLOOR = Page("plancher", "/plancher/")
FLOOR_WEIGHT = 3

PAGES: dict[str, Page] = {
    page.name: page
    for page in (
        Page("tableau de bord", "/"),
        Page("conventions", "/conventions/"),
        Page("conventions filtrées", "/conventions/?status=active&kind=framework"),
        Page("conventions recherche", "/conventions/?q=entreprises"),
        Page("convention", "/conventions/{convention}/"),
        Page("plan", "/conventions/{plan}/"),
        Page("activités", "/activites/"),
        Page("activités filtrées", "/activites/?year={year}&kind=company_visit"),
        Page("activité", "/activites/{activity}/"),
        Page("saisie rapide", "/activites/saisie-rapide/"),
        Page("indicateurs académie", "/indicateurs/academies/{academy}/?year={year}"),
        Page("indicateurs bassin", "/indicateurs/bassins/{basin}/?year={year}"),
        Page("indicateurs partenaire", "/indicateurs/organisations/{partner}/?year={year}"),
        Page("indicateurs établissement", "/indicateurs/organisations/{school}/?year={year}"),
        Page("indicateurs convention", "/indicateurs/conventions/{convention}/?year={year}"),
        Page("organisations", "/annuaire/organisations/"),
        Page("organisations recherche", "/annuaire/organisations/?q=lycee"),
        Page("organisation", "/annuaire/organisations/{organisation}/"),
        Page("personnes", "/annuaire/personnes/"),
        Page("agenda", "/conventions/agenda/"),
        Page("API conventions", "/api/conventions?limit=20", api=True),
        Page("API convention", "/api/conventions/{convention}", api=True),
        Page("API plans", "/api/plans?limit=20", api=True),
        Page("API activités", "/api/activities?limit=20", api=True),
        Page("API activité", "/api/activities/{activity}", api=True),
        Page("API organisations", "/api/organisations?limit=20", api=True),
        Page("API indicateurs partenaire", "/api/indicators/organisations/{partner}?year={year}", api=True),
        Page("API indicateurs établissement", "/api/indicators/organisations/{school}?year={year}", api=True),
        Page("API indicateurs académie", "/api/indicators/academies/{academy}?year={year}", api=True),
    )
}

DEMO = "demo.example.invalid"
GENERATED = "generated.example.invalid"
# Each role's users and what they use: the académie's staff do everything, the others their part.
PERSONAS: tuple[Persona, ...] = (
    Persona(
        "academie",
        "personnel académique (démo, Aix-Marseille)",
        f"academie-aix@{DEMO}",
        4,
        {
            "tableau de bord": 3,
            "conventions": 2,
            "conventions filtrées": 1,
            "conventions recherche": 1,
            "convention": 3,
            "plan": 2,
            "activités": 2,
            "activités filtrées": 1,
            "activité": 2,
            "indicateurs académie": 1,
            "indicateurs partenaire": 1,
            "indicateurs établissement": 1,
            "indicateurs convention": 1,
            "organisations": 1,
            "organisations recherche": 1,
            "organisation": 2,
            "personnes": 1,
            "agenda": 1,
            "API conventions": 1,
            "API activités": 1,
            "API indicateurs académie": 1,
        },
    ),
    Persona(
        "academie-nationale",
        "personnel académique (données nationales)",
        f"academie@{GENERATED}",
        1,
        {
            "tableau de bord": 2,
            "conventions": 2,
            "convention": 2,
            "plan": 1,
            "activités": 2,
            "activité": 1,
            "indicateurs académie": 1,
            "indicateurs établissement": 1,
            "organisations": 1,
        },
    ),
    Persona(
        "region",
        "personnel de région académique (démo)",
        f"region@{DEMO}",
        1,
        {
            "tableau de bord": 2,
            "conventions": 2,
            "convention": 2,
            "indicateurs académie": 1,
            "API conventions": 1,
            "API indicateurs académie": 1,
        },
    ),
    Persona(
        "clee",
        "membre de CLEE (démo)",
        f"clee@{DEMO}",
        1,
        {
            "tableau de bord": 2,
            "conventions": 1,
            "activités": 2,
            "activité": 1,
            "indicateurs bassin": 1,
            "organisations recherche": 1,
            "organisation": 1,
        },
    ),
    Persona(
        "etablissement",
        "personnel d’établissement (démo)",
        f"etablissement@{DEMO}",
        1,
        {
            "tableau de bord": 2,
            "activités": 2,
            "activité": 2,
            "saisie rapide": 1,
            "indicateurs établissement": 1,
            "conventions": 1,
            "convention": 1,
            "API activités": 1,
        },
    ),
    Persona(
        "etablissement-national",
        "personnel de l’établissement le plus actif (données nationales)",
        f"etablissement@{GENERATED}",
        1,
        {
            "tableau de bord": 2,
            "activités": 2,
            "activité": 2,
            "saisie rapide": 1,
            "indicateurs établissement": 1,
            "API indicateurs établissement": 1,
        },
    ),
    Persona(
        "partenaire-national",
        "personnel du plus grand partenaire (fédération nationale, données nationales)",
        f"partenaire@{GENERATED}",
        2,
        {
            "tableau de bord": 2,
            "conventions": 2,
            "convention": 2,
            "plan": 1,
            "activités": 2,
            "activité": 1,
            "indicateurs partenaire": 2,
            "indicateurs convention": 1,
            "API activités": 1,
            "API indicateurs partenaire": 1,
            "API plans": 1,
        },
    ),
    Persona(
        "federation",
        "personnel d’une fédération (démo)",
        f"federation@{DEMO}",
        1,
        {
            "tableau de bord": 2,
            "conventions": 1,
            "convention": 2,
            "activités": 1,
            "indicateurs partenaire": 1,
            "API convention": 1,
            "API organisations": 1,
        },
    ),
    Persona(
        "entreprise",
        "personnel d’une entreprise (démo)",
        f"entreprise@{DEMO}",
        1,
        {"tableau de bord": 2, "activités": 2, "activité": 1, "saisie rapide": 1, "API activité": 1},
    ),
    Persona(
        "observateur",
        "observateur (démo)",
        f"observateur@{DEMO}",
        1,
        {"tableau de bord": 1, "conventions": 2, "convention": 2, "indicateurs académie": 1, "activités": 1},
    ),
)

# Requests made before every user has logged in are named "<page> (warm-up)" and kept apart.
WARM_UP_SUFFIX = " (warm-up)"


def placeholders(path: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(path) if field}
