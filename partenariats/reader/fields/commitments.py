"""What each party commits to: the sentences (or list items) of the articles with a commitment verb.

A commitment is a sentence of the operative articles whose subject is a party (or "les
parties", all of them) and whose verb binds it ("s'engage à", "favorisera", "met à
disposition"…); a list item under "X s'engage à :" is one commitment each. The preamble's
wishes, the term, termination, dispute and confidentiality clauses and the annexes are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from partenariats.reader.fields.clauses import (
    Unit,
    body_region,
    fold,
    heading_path,
    heading_spans,
    lower,
    section_number,
    structure_of,
    units,
)
from partenariats.reader.fields.programmes import audiences_in, programmes_in
from partenariats.reader.model import Document, Findings

# ---------------------------------------------------------------------------------------------
# Parties named in a passage.

_EDUCATION_NAME = re.compile(r"academi|rectorat|education nationale|ministere|^(?:l')?etat\b")
_GENERIC_SINGULAR = ("academie", "rectorat", "region academique", "education nationale", "recteur", "rectrice")
_GENERIC_PLURAL = ("academies", "rectorats", "recteurs", "rectrices", "services academiques", "autorites academiques")
_FIRST_WORD_GENERIC = {
    "entreprise",
    "entreprises",
    "association",
    "societe",
    "groupe",
    "ministere",
    "monde",
    "centre",
    "union",
    "reseau",
    "region",
    "academie",
    "federation",
    "syndicat",
    "chambre",
}
_STOP_TAIL = {"de", "des", "du", "d", "l", "la", "le", "les", "et", "en", "pour", "a", "au", "aux"}
_LEAD_ARTICLE = re.compile(r"^(?:l'|la |le |les )")
_PRECEDING_PREPOSITION = re.compile(
    r"(?:^|\W)(?P<word>\w+)?\s*\b(?:de|du|des|d'|par|a|au|aux|aupres\s+de|avec|sur|pour|entre|vers|chez|que|qu'|sans)"
    r"\s*(?:l'|la\s+|le\s+|les\s+|ses\s+|son\s+|sa\s+|leur\s+|leurs\s+)?$"
)
_TITLE_WORDS = {
    "president",
    "presidente",
    "recteur",
    "rectrice",
    "directeur",
    "directrice",
    "representant",
    "representants",
    "delegue",
    "deleguee",
    "services",
}
_COLLECTIVE = re.compile(
    r"\b(?:les|des)\s+(?:(?:deux|trois|quatre|cinq|six)\s+)?(?:parties|signataires|cosignataires|co-signataires|partenaires)\b"
    r"|\bchacune?\s+des\s+parties\b|\bchaque\s+partie\b|\bles\s+(?:parties|partenaires)\s+(?:signataires|contractantes)\b"
)
_COORDINATED = re.compile(r"\s*(?:et|ou|ainsi\s+que)\s*(?:l'|la\s+|le\s+|les\s+)?")
_PRONOUN = re.compile(r"(?:^|[\s,])(elles?|ils?)\s*(?:ne\s+|n')?(?:\w+\s+){0,2}$")


@dataclass
class Mention:
    start: int
    end: int
    parties: frozenset[int]
    specific: bool  # a party's own name (not "l'académie" said of several)


@dataclass
class PartyMatcher:
    """Finds the parties named in a passage by their names, acronyms and usual short forms."""

    count: int
    rules: list[tuple[re.Pattern, frozenset[int], bool]] = field(default_factory=list)

    @classmethod
    def from_parties(cls, parties: list[dict] | None) -> PartyMatcher:
        parties = [p for p in (parties or []) if isinstance(p, dict)]
        matcher = cls(count=len(parties))
        education = [i for i, p in enumerate(parties) if _is_education(p)]
        first_words: dict[str, list[int]] = {}
        aliases: list[set[str]] = []
        for index, party in enumerate(parties):
            names = _aliases(party)
            aliases.append(names)
            words = re.findall(r"\w+", _LEAD_ARTICLE.sub("", fold(str(party.get("name") or ""))))
            if words:
                first_words.setdefault(words[0], []).append(index)
        for index, names in enumerate(aliases):
            for first, owners in first_words.items():
                if owners == [index] and len(first) >= 4 and first not in _FIRST_WORD_GENERIC and first != "etat":
                    names.add(first)  # "la Cité" for "Cité des métiers de …", when no other party starts so
            for name in names:
                matcher.rules.append((_alias_rule(name), frozenset({index}), True))
        if education:
            group = frozenset(education)
            for name in _GENERIC_PLURAL:
                matcher.rules.append((_alias_rule(name), group, False))
            if len(education) == 1:
                for name in _GENERIC_SINGULAR:
                    matcher.rules.append((_alias_rule(name), group, False))
        return matcher

    def mentions(self, folded: str, start: int, end: int) -> list[Mention]:
        """The parties named in ``folded[start:end]`` (a party's own name wins over a generic word)."""
        found: list[Mention] = []
        for rule, parties, specific in self.rules:
            for match in rule.finditer(folded, start, end):
                if match.start() and folded[match.start() - 1].isalnum():
                    continue
                found.append(Mention(match.start(), match.end(), parties, specific))
        kept = [m for m in found if m.specific]
        for mention in found:
            if not mention.specific and not any(k.start < mention.end and mention.start < k.end for k in kept):
                kept.append(mention)
        kept.sort(key=lambda m: (m.start, -m.end))
        return kept

    def subject(self, folded: str, start: int, end: int) -> tuple[frozenset[int], bool]:
        """The parties a clause's subject (``folded[start:end]``) names, and whether it says all of them."""
        collective = any(not _governed(folded, m.start(), start) for m in _COLLECTIVE.finditer(folded, start, end))
        parties: set[int] = set()
        previous: tuple[int, bool] | None = None  # end and governed state of the mention before
        for mention in self.mentions(folded, start, end):
            if previous and mention.start < previous[0]:
                governed = previous[1]  # a shorter name inside the one just read
            elif previous and _COORDINATED.fullmatch(folded, previous[0], mention.start):
                governed = previous[1]  # "entre A et B": B is as governed as A
            else:
                governed = _governed(folded, mention.start, start)
            if not previous or mention.start >= previous[0]:
                previous = (mention.end, governed)
            if not governed:
                parties |= mention.parties
        if collective:
            return frozenset(range(self.count)), True
        return frozenset(parties), False


def _is_education(party: dict) -> bool:
    if party.get("kind"):
        return party.get("kind") == "education"
    return bool(_EDUCATION_NAME.search(fold(str(party.get("name") or ""))))


def _aliases(party: dict) -> set[str]:
    """The ways the text may name a party: its name, acronyms, the name's first words."""
    name = fold(str(party.get("name") or ""))
    names: set[str] = set()
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    bare = _LEAD_ARTICLE.sub("", bare)
    if bare:
        names.add(bare)
    for acronym in [party.get("acronym"), *re.findall(r"\(([^)]{2,30})\)", str(party.get("name") or ""))]:
        if acronym and re.search(r"[A-Z]{2}", str(acronym)):
            folded = fold(str(acronym)).strip()
            names.add(folded)
            head = folded.split()[0]
            if len(folded.split()) > 1 and len(head) >= 3:
                names.add(head)  # "CGPME" for "CGPME PACA"
    words = re.findall(r"[\w']+", bare)
    head = words[:3]
    while head and head[-1].strip("'") in _STOP_TAIL:
        head.pop()
    if len(head) >= 2:
        names.add(" ".join(head))
    return {n for n in names if len(n) >= 3}


def _alias_rule(alias: str) -> re.Pattern:
    words = re.findall(r"\w+", alias)
    # no look-behind at the start: a literal start lets the engine scan fast (the caller checks the boundary)
    return re.compile(r"\W{0,3}".join(map(re.escape, words)) + r"(?!\w)")


def _governed(folded: str, position: int, floor: int) -> bool:
    """True when the words before ``position`` make it a complement ("… de l'académie")."""
    before = folded[max(floor, position - 40) : position]
    match = _PRECEDING_PREPOSITION.search(before)
    if not match:
        return False
    return (match.group("word") or "") not in _TITLE_WORDS


# ---------------------------------------------------------------------------------------------
# Commitment verbs (on the lower-cased text, accents kept: "publié" is not "publie").

_INFINITIVES = (
    "intervenir|proposer|désigner|designer|accueillir|participer|organiser|œuvrer|oeuvrer|contribuer|mobiliser"
    "|diffuser|relayer|apporter|faciliter|favoriser|mettre|publier|informer|accompagner|soutenir|promouvoir"
)
VERBS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern), lemma)
    for pattern, lemma in (
        (r"\bs'\s?engag(?:e|ent|era|eront)\b", "s'engager"),
        (r"\bs'\s?oblig(?:e|ent|era|eront)\b", "s'obliger"),
        (r"\b(?:met|mettent|mettra|mettront)\s+(?:\w+\s+){0,2}?à\s+(?:la\s+)?disposition\b", "mettre à disposition"),
        (r"\b(?:met|mettent|mettra|mettront)\s+en\s+(?:place|œuvre|oeuvre)\b", "mettre en œuvre"),
        (r"\bapport(?:e|ent|era|eront)\s+(?:\w+\s+)?(?:son|leur|leurs|ses)\s+concours\b", "apporter son concours"),
        (r"\bcontribu(?:e|ent|era|eront)\b", "contribuer"),
        (r"\bfavoris(?:e|ent|era|eront)\b", "favoriser"),
        (r"\bmobilis(?:e|ent|era|eront)\b", "mobiliser"),
        (r"\bfacilit(?:e|ent|era|eront)\b", "faciliter"),
        (r"\b(?:relai(?:e|ent|era|eront)|relay(?:e|ent|era|eront)|fer(?:a|ont)\s+le\s+relais)\b", "relayer"),
        (r"\bpubli(?:e|ent|era|eront)\b", "publier"),
        (r"\bpropos(?:e|ent|era|eront)\b", "proposer"),
        (r"\binform(?:e|ent|era|eront)\b", "informer"),
        (r"\baccueill(?:e|ent|era|eront)\b", "accueillir"),
        (r"\bdésign(?:e|ent|era|eront)\b", "désigner"),
        (r"\bincit(?:e|ent|era|eront)\b", "inciter"),
        (r"\bsensibilis(?:e|ent|era|eront)\b", "sensibiliser"),
        (r"\bdiffus(?:e|ent|era|eront)\b", "diffuser"),
        (r"\bcollabor(?:e|ent|era|eront)\b", "collaborer"),
        (r"\borganis(?:e|ent|era|eront)\b", "organiser"),
        (r"\bencourag(?:e|ent|era|eront)\b", "encourager"),
        (r"\bsoutien(?:t|nent|dra|dront)\b", "soutenir"),
        (r"\bveill(?:e|ent|era|eront)\b", "veiller"),
        (r"\bconjugu(?:e|ent|era|eront)\b", "conjuguer"),
        (r"\bdévelopp(?:e|ent|era|eront)\b", "développer"),
        (r"\banalys(?:e|ent|era|eront)\b", "analyser"),
        (r"\bpromeu(?:t|vent)\b|\bpromouvr(?:a|ont)\b", "promouvoir"),
        (r"\baccompagn(?:e|ent|era|eront)\b", "accompagner"),
        (r"\bconvien(?:t|nent|dra|dront)\s+d(?:e\b|')", "convenir"),
        (r"\bs'\s?inform(?:ent|eront)\b", "s'informer"),
        (r"\bse\s+concert(?:e|ent|era|eront)\b", "se concerter"),
        (r"\bproc[èé]d(?:e|ent|era|eront)\b", "procéder"),
        (r"\bintervien(?:t|nent|dra|dront)\b", "intervenir"),
        (r"\b(?:tiendra|tiendront|tient|tiennent)\s+à\s+jour\b", "tenir à jour"),
        (rf"\b(?:peu(?:t|vent)|pourr(?:a|ont))\s+(?:[^.;:\n]{{0,100}}?\s)?(?P<infinitive>{_INFINITIVES})\b", "pouvoir"),
    )
)
_SKIP_SECTION = re.compile(
    r"dur[ée]e|r[ée]siliation|d[ée]nonciation|reconduction|litige|diff[ée]rend|confidentialit|entr[ée]e en vigueur"
    r"|dispositions financi|modification|avenant|statut du personnel|signature|donn[ée]es personnelles|rgpd"
)
_SKIP_SENTENCE = re.compile(r"pr[ée]avis|r[ée]sili|reconduction|tacite|\blitiges?\b|diff[ée]rends?")


_VERB_STEM = re.compile(
    r"s'|se\s|met|apport|contribu|favoris|mobilis|facilit|relai|relay|fer|publi|propos|inform|accueill|désign|incit"
    r"|sensibilis|diffus|collabor|organis|encourag|soutien|veill|conjugu|développ|analys|promeu|promouvr|accompagn"
    r"|convien|proc|intervien|tien|peu|pourr"
)
_ANY_VERB = re.compile("|".join(f"(?P<v{index}>{rule.pattern})" for index, (rule, _) in enumerate(VERBS)))


def _verb(lowered: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The first commitment verb in ``lowered[start:end]``: (lemma, start, end)."""
    # a plain literal scan first (fast), the full rules only where a verb's stem begins
    for stem in _VERB_STEM.finditer(lowered, start, end):
        position = stem.start()
        if position and lowered[position - 1].isalnum():
            continue
        match = _ANY_VERB.match(lowered, position, end)
        if match:
            break
    else:
        return None
    lemma = VERBS[int(match.lastgroup[1:])][1] if match.lastgroup else ""
    if lemma == "pouvoir":
        infinitive = match.group("infinitive")
        lemma = {"designer": "désigner", "oeuvrer": "œuvrer"}.get(infinitive, infinitive)
    return lemma, match.start(), match.end()


# ---------------------------------------------------------------------------------------------


@dataclass
class _Subject:
    parties: frozenset[int]
    joint: bool
    section: int  # start of the section it was read in


def read(document: Document, found: Findings) -> None:
    """Record each party's commitments in the operative articles, with their section and publics."""
    text = document.text.text
    folded = fold(text)
    lowered = lower(text)
    structure = structure_of(document)
    matcher = PartyMatcher.from_parties(found.get("parties"))
    start, end = body_region(document)
    results: list[tuple[dict, int, int]] = []
    intro: tuple[Unit, tuple[str, int, int] | None, _Subject | None] | None = None
    last: _Subject | None = None

    for unit in units(text, start, end, heading_spans(structure)):
        path = heading_path(structure, unit.start)
        if any(h.kind == "annex" or (h.label and _SKIP_SECTION.search(lower(h.label))) for h in path):
            intro = None
            continue
        section = path[-1].start if path else -1
        if _SKIP_SENTENCE.search(lowered, unit.start, unit.end):
            continue
        if unit.item and intro is not None:
            head, head_verb, head_subject = intro
            verb = head_verb or _verb(lowered, unit.start, unit.end)
            if head_subject and verb:
                commitment = _commitment(document, found, head_subject, verb[0], (head, unit))
                results.append((commitment, head.start, unit.end))
            continue
        intro = None
        verb = _verb(lowered, unit.start, unit.end)
        ends_with_colon = text[unit.start : unit.end].rstrip(" *_").endswith(":")
        subject_end = verb[1] if verb else unit.end
        subject = _subject(matcher, folded, unit.start, subject_end, last, section)
        if ends_with_colon and (verb or subject):
            # "X s'engage à :" or "X et Y :" — the items that follow are the commitments
            intro = (unit, verb, subject)
            continue
        if verb and subject:
            commitment = _commitment(document, found, subject, verb[0], (unit,))
            results.append((commitment, unit.start, unit.end))
            last = subject

    items = [c for c, _, _ in results]
    found.set("commitments", items)
    for index, (commitment, s, e) in enumerate(results):
        found.set(f"commitments.{index}.text", commitment["text"], start=s, end=e, confidence=0.7)


def _subject(
    matcher: PartyMatcher, folded: str, start: int, end: int, last: _Subject | None, section: int
) -> _Subject | None:
    """Who the clause ``folded[start:end]`` (the words before the verb) makes commit, if a party."""
    parties, joint = matcher.subject(folded, start, end)
    if parties:
        return _Subject(parties, joint or len(parties) > 1, section)
    if matcher.count == 0 and re.search(r"\b(?:les|des)\s+(?:parties|signataires|partenaires)\b", folded[start:end]):
        return _Subject(frozenset(), True, section)
    if last is not None and last.section == section and _PRONOUN.search(folded[max(start, end - 40) : end]):
        return last  # "Elles apportent…": the subject of the sentence before, in the same section
    return None


def _commitment(document: Document, found: Findings, subject: _Subject, verb: str, parts: tuple[Unit, ...]) -> dict:
    """The commitment of ``parts`` (a sentence, or an introducing sentence and one of its items)."""
    text = document.text.text
    parties = sorted(subject.parties)
    audiences: list[str] = []
    programmes: list[str] = []
    for part in parts:
        audiences += [a for a in audiences_in(text, part.start, part.end) if a not in audiences]
        programmes += [p for p in programmes_in(document, found, part.start, part.end) if p not in programmes]
    return {
        "party": parties[0] if len(parties) == 1 else None,
        "parties": parties,  # every party the subject names ("X et Y s'engagent")
        "joint": subject.joint,
        "all": subject.joint and (not parties or len(parties) == found_count(found)),
        "article": section_number(structure_of(document), parts[-1].start),
        "text": " ".join(part.text(text) for part in parts),
        "verb": verb,
        "audiences": audiences,
        "programmes": programmes,
    }


def found_count(found: Findings) -> int:
    return len([p for p in found.get("parties") or [] if isinstance(p, dict)])
