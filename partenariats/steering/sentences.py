"""French sentences from numbers, for the review (bilan): « 12 visites d’entreprise réalisées
pour 10 prévues, 300 participations d’élèves pour 300 prévues, dont 33 % en éducation prioritaire ».

Plain Python, no Django. Numbers are written the French way (``partenariats.charts.format_number``:
narrow no-break space between thousands, decimal comma). French puts the plural from 2 on:
« 0 heure », « 1,5 heure », « 2 heures »; zero is written « aucun » / « aucune ».
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from partenariats.charts import format_number
from partenariats.terms.dates import french

NARROW_NO_BREAK_SPACE = "\u202f"
PERCENT = NARROW_NO_BREAK_SPACE + "%"

# Words after which a noun phrase's complement starts: only the words before it agree in number
# (« visite d’entreprise » → « visites d’entreprise », « prêt de salle » → « prêts de salle »).
_COMPLEMENT_START = re.compile(r"^(?:d’|d'|de|du|des|en|sur|à|au|aux|pour|avec|par|dans|,|\()", re.IGNORECASE)
# Head nouns of the activity kinds and metrics whose gender the endings do not tell.
_FEMININE = {
    "action",
    "activité",
    "classe",
    "diffusion",
    "entreprise",
    "formation",
    "heure",
    "intervention",
    "journée",
    "participation",
    "période",
    "séquence",
    "visite",
    "vidéo",
}
_MASCULINE = {
    "concours",
    "enseignant",
    "établissement",
    "événement",
    "parrainage",
    "prêt",
    "professionnel",
    "stand",
    "tutorat",
}
_FEMININE_ENDINGS = ("tion", "sion", "ée", "ité", "ure", "ence", "ance", "ette")
# Noun phrases whose plural is not that of their head (a participle or a list at the end).
_PLURAL_OVERRIDES = {
    "période de formation en milieu professionnel (pfmp) accueillie": (
        "périodes de formation en milieu professionnel (PFMP) accueillies"
    ),
    "vidéo réalisée par des élèves": "vidéos réalisées par des élèves",
    "parrainage, tutorat": "parrainages, tutorats",
}
# Words the rules below would get wrong.
_IRREGULAR_PLURALS = {"bal": "bals", "festival": "festivals", "travail": "travaux", "œil": "yeux"}


def plural_word(word: str) -> str:
    """One French word in the plural: « visite » → « visites », « journal » → « journaux »,
    « bureau » → « bureaux »; words ending in s, x or z do not change."""
    if not word or not word[-1].isalpha():
        return word
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[lower]
    if lower.endswith(("s", "x", "z")):
        return word
    if lower.endswith("al"):
        return word[:-2] + "aux"
    if lower.endswith(("eau", "au", "eu")) and lower not in ("pneu", "bleu"):
        return word + "x"
    return word + "s"


@dataclass(frozen=True)
class Noun:
    """A noun phrase in the singular and the plural, and its gender (for « réalisée », « aucune »)."""

    singular: str
    plural: str
    feminine: bool

    def form(self, value) -> str:
        return self.plural if is_plural(value) else self.singular


def is_plural(value) -> bool:
    """French: plural from 2 on (« 1,5 heure », « 2 heures »)."""
    return abs(float(value)) >= 2


def _is_feminine(head: str) -> bool:
    head = head.lower()
    if head in _FEMININE:
        return True
    if head in _MASCULINE:
        return False
    return head.endswith(_FEMININE_ENDINGS)


def noun(label: str, *, plural: str = "", feminine: bool | None = None) -> Noun:
    """A noun phrase from its singular label (« Visite d’entreprise », an activity kind's label):
    lower-cased first letter, the words before the complement put in the plural, and the gender of
    the head noun. ``plural`` and ``feminine`` override the rules."""
    singular = " ".join(label.split())
    if singular[:1].isupper() and not singular[:2].isupper():
        singular = singular[0].lower() + singular[1:]
    words = singular.split(" ")
    if not plural:
        plural = _PLURAL_OVERRIDES.get(singular.lower(), "")
    if not plural:
        # The head: the words before the complement (« d’entreprise » starts it: glued to « d’ »).
        head_end = next(
            (index for index, word in enumerate(words) if index and _COMPLEMENT_START.match(word)), len(words)
        )
        plural = " ".join(plural_word(word) if index < head_end else word for index, word in enumerate(words))
    head = words[0].strip(",") if words else ""
    return Noun(singular, plural, _is_feminine(head) if feminine is None else feminine)


# The nouns of the figures a target may count (``activities.Metric``), written for sentences.
ACTION = noun("action")
ACTIVITY = noun("activité")
METRIC_NOUNS = {
    "pupils": Noun("participation d’élève", "participations d’élèves", True),
    "classes": noun("classe"),
    "schools": noun("établissement"),
    "companies": noun("entreprise"),
    "professionals": noun("professionnel"),
    "teachers": noun("enseignant"),
    "hours": noun("heure"),
}


def agree(word: str, target: Noun, value) -> str:
    """A past participle or adjective (« réalisé », « prévu ») agreeing with ``target`` counted ``value`` times."""
    return word + ("e" if target.feminine else "") + ("s" if is_plural(value) else "")


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def count_phrase(value, thing: Noun) -> str:
    """« 12 visites d’entreprise », « 1 visite d’entreprise », « aucune visite d’entreprise »."""
    if not value:
        return f"{'aucune' if thing.feminine else 'aucun'} {thing.singular}"
    return f"{format_number(value)} {thing.form(value)}"


def realised_sentence(
    thing: Noun | None, realised, target, *, participle: str = "réalisé", with_target: bool = True
) -> str:
    """One clause of target vs realised (lower case: it may be joined to others).

    « 12 visites d’entreprise réalisées pour 10 prévues », « 12 visites d’entreprise réalisées
    (sans cible) », « aucune activité réalisée pour 5 prévues ». ``thing`` None: the activities
    are of several kinds (« actions réalisées »), or there are none (« aucune activité »).
    ``participle`` empty: a counted figure, not something done (« 300 participations d’élèves »).
    ``with_target`` False: a figure given for information, no target expected (no « sans cible »).
    """
    if thing is None:
        thing = ACTION if realised else ACTIVITY
    text = count_phrase(realised, thing)
    # « vidéo réalisée par des élèves » already says it was done.
    if participle and participle not in thing.singular:
        text += " " + agree(participle, thing, realised)
    if target is None:
        return text + (" (sans cible)" if with_target else "")
    return text + f" pour {format_number(target)} " + agree("prévu", thing, target)


def share(part, whole) -> int | None:
    """``part`` as a whole percentage of ``whole``, rounded half up (100 of 300 → 33, 1 of 200 → 1);
    None when there is no whole."""
    if not whole:
        return None
    exact = Decimal(str(part)) * 100 / Decimal(str(whole))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(value) -> str:
    """« 33 % » (narrow no-break space before the sign)."""
    return format_number(value) + PERCENT


def priority_clause(priority_pupils, pupils) -> str:
    """« dont 33 % en éducation prioritaire »; « dont moins de 1 % … » for a share that rounds to
    nothing; empty when there are no pupils or none in éducation prioritaire (no « dont 0 % »)."""
    rate = share(priority_pupils, pupils)
    if rate is None or not priority_pupils:
        return ""
    if rate == 0:
        return f"dont moins de {percent(1)} en éducation prioritaire"
    return f"dont {percent(rate)} en éducation prioritaire"


@dataclass(frozen=True)
class Clause:
    """A row of figures: what it counts, realised, target; ``pupils`` rows take the éducation prioritaire share."""

    thing: Noun | None
    realised: int | float | Decimal
    target: int | None
    participle: str = "réalisé"
    pupils: bool = False
    with_target: bool = True


def figures_sentence(clauses: list[Clause], *, priority_pupils=0) -> str:
    """Clauses joined in one sentence, the éducation prioritaire share after the pupils' clause:
    « 12 visites d’entreprise réalisées pour 10 prévues, 300 participations d’élèves pour 300
    prévues, dont 33 % en éducation prioritaire »."""
    parts = []
    for clause in clauses:
        text = realised_sentence(
            clause.thing, clause.realised, clause.target, participle=clause.participle, with_target=clause.with_target
        )
        if clause.pupils and clause.realised:
            priority = priority_clause(priority_pupils, clause.realised)
            if priority:
                text += ", " + priority
        parts.append(text)
    return capitalise(", ".join(parts))


def french_date(day: date | None) -> str:
    """« 1er mars 2021 », « 30 juin 2026 »; empty for no date."""
    return "" if day is None else french(day)


def overview_sentence(
    year_label: str, *, activities: int, pupils: int, schools: int, actions: int, not_carried_out: int
) -> str:
    """A sentence or two on the year: what was done, and how many of the plan's actions were not carried out."""
    if not activities:
        text = f"Aucune activité n’a été enregistrée au titre de la convention en {year_label}."
    else:
        verb = "a été réalisée" if activities == 1 else "ont été réalisées"
        text = f"En {year_label}, {count_phrase(activities, ACTIVITY)} {verb} au titre de la convention"
        if pupils:
            text += f", pour {count_phrase(pupils, METRIC_NOUNS['pupils'])}"
            if schools:
                text += f" venant de {count_phrase(schools, METRIC_NOUNS['schools'])}"
        text += "."
    if actions:
        carried = actions - not_carried_out
        text += (
            f" {capitalise(count_phrase(carried, ACTION))} du plan sur {format_number(actions)} "
            f"{'a' if carried < 2 else 'ont'} donné lieu à au moins une activité."
        )
    return text
