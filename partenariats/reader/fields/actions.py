"""The action plan annex: its numbered actions with objective, each party's part and start.

An action is an "Action N" (or "Fiche action n° N") of a "Plan d'action(s)" section; its
fields are the labelled cells that follow ("Objectif", "Modalités", "Démarrage"…), read as
printed; a field the plan does not give stays None.
"""

from __future__ import annotations

import re

from partenariats.reader.fields.clauses import fold, plain, structure_of
from partenariats.reader.fields.commitments import PartyMatcher
from partenariats.reader.fields.programmes import audiences_in
from partenariats.reader.model import Document, Findings

_PLAN_LABEL = re.compile(r"\bplans?\s+d'actions?\b|\bfiches?\s+actions?\b|\bprogramme\s+d'actions?\b")
_PLAN_LINE = re.compile(
    r"(?im)^[ \t#*_]*(?:annexe\s+[\dIVX]+\s*[–—:.\-]?\s*)?(?:plan|programme)s?\s+d['’]actions?\b[^\n]{0,80}$"
)
_ANNEX_LINE = re.compile(r"(?im)^[ \t#*_]*annexe\s+[\dIVX]+\b")
_ACTION = re.compile(
    r"(?im)^[ \t#*_]*(?:<p>)?\s*(?:fiche[ \t]+)?action[ \t]*(?:n[°o]\.?|num[ée]ro)?[ \t]*(?P<number>\d{1,2})\b"
    r"[ \t]*(?:[:.–—\-][ \t]*|\t)?(?P<title>[^\n]*)$"
)
_NUMBERED = re.compile(r"(?m)^[ \t#*_]*(?P<number>\d{1,2})[.)][ \t]+(?P<title>\S[^\n]*)$")
_FIELD_WORDS = {
    "objective": r"objectifs?(?:\s+(?:vis[ée]s?|poursuivis|op[ée]rationnels?))?",
    "modalities": r"modalit[ée]s(?:\s+de\s+mise\s+en\s+(?:œuvre|oeuvre))?|moyens(?:\s+mobilis[ée]s)?"
    r"|mise\s+en\s+(?:œuvre|oeuvre)|actions?\s+(?:à\s+mener|pr[ée]vues)|contenu|descriptif|description",
    "start": r"d[ée]marrage|calendrier|[ée]ch[ée]ance|[ée]ch[ée]ancier|p[ée]riode|date\s+de\s+d[ée]but|d[ée]but"
    r"|dates?|d[ée]lais?",
    "audiences": r"publics?(?:\s+(?:vis[ée]s?|cibl[ée]s?|concern[ée]s?))?|b[ée]n[ée]ficiaires|cibles?",
    "pilot": r"pilotes?|responsables?|porteurs?",
    "indicators": r"indicateurs?(?:\s+de\s+suivi)?|[ée]valuation|r[ée]sultats\s+attendus",
    "partners": r"partenaires(?:\s+associ[ée]s)?|acteurs",
}
_FIELD = re.compile(
    r"(?im)(?:^|\t|<p>|\|)[ \t*_]*(?P<label>"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _FIELD_WORDS.items())
    + r")[ \t*_]*(?::|\t|\||$|\s(?=[A-ZÀ-Ý<]))"
)
_AXIS = re.compile(r"(?im)^[ \t#*_]*axes?\s+(?:n°\s*\d+\s*[–:\-]?\s*|\d+\s*[–:\-]\s*)?(?P<axis>[^\n\t]{3,120})$")
_FOR_PARTY = re.compile(
    r"(?i)(?:^|<p>|\n|\t|\s)\s*(?:pour|de\s+la\s+part\s+de|c[ôo]t[ée])\s+(?:la\s+|le\s+|l['’]\s*|les\s+)?"
)


def _regions(document: Document) -> list[tuple[int, int]]:
    """Where action plans are: a section whose heading names one, or a line that does."""
    text = document.text.text
    regions = []
    for heading in structure_of(document).walk():
        if heading.label and _PLAN_LABEL.search(fold(heading.label)):
            regions.append((heading.end, heading.body_end))
    if not regions:
        for match in _PLAN_LINE.finditer(text):
            nxt = _ANNEX_LINE.search(text, match.end())
            regions.append((match.end(), nxt.start() if nxt else len(text)))
    return regions


def _starts(text: str, a: int, b: int) -> list[re.Match]:
    actions = list(_ACTION.finditer(text, a, b))
    if actions:
        return actions
    # "1. Title" followed by labelled fields: only lines whose block holds a field label
    found = []
    for match in _NUMBERED.finditer(text, a, b):
        following = text[match.end() : match.end() + 200]
        if _FIELD.search(following.split("\n\n", 1)[0]) and not _FIELD.match(match.group("title")):
            found.append(match)
    numbers = [int(m.group("number")) for m in found]
    return found if numbers and numbers == list(range(numbers[0], numbers[0] + len(numbers))) else []


def _modalities(value: str, matcher: PartyMatcher, parties: list[dict]) -> list[dict]:
    """Split a "Modalités" cell by "Pour X" markers: each party's part, the common part first."""
    result: list[dict] = []
    folded = fold(value)
    cuts: list[tuple[int, int, int | None, str]] = []  # marker start, text start, party, name
    for match in _FOR_PARTY.finditer(value):
        mentions = [m for m in matcher.mentions(folded, match.end(), min(len(value), match.end() + 120))]
        mentions = [m for m in mentions if m.start == match.end()]
        if mentions:
            longest = max(mentions, key=lambda m: m.end)
            party = next(iter(longest.parties)) if len(longest.parties) == 1 else None
            cuts.append((match.start(), longest.end, party, plain(value[match.end() : longest.end])))
        else:
            # "Pour le X" on a line of its own: the name is the rest of the line
            line = re.match(r"([^\n<\t]{2,80}?)\s*(?:</p>|\n|\t|$)", value[match.end() :])
            if line and not re.search(r"\d|[.;,]", line.group(1)) and len(line.group(1).split()) <= 8:
                cuts.append((match.start(), match.end() + line.end(), None, plain(line.group(1))))
    common = plain(value[: cuts[0][0]]) if cuts else plain(value)
    if common:
        result.append({"party": None, "party_name": None, "text": common})
    for index, (_, text_start, party, name) in enumerate(cuts):
        end = cuts[index + 1][0] if index + 1 < len(cuts) else len(value)
        body = plain(value[text_start:end]).strip(" :–-")
        if body:
            if party is None and name:
                party = _single(matcher, name)
            result.append({"party": party, "party_name": name or None, "text": body})
    return result


def _single(matcher: PartyMatcher, words: str) -> int | None:
    folded = fold(words)
    found = {i for m in matcher.mentions(folded, 0, len(folded)) for i in m.parties}
    return next(iter(found)) if len(found) == 1 else None


def _action(text: str, match: re.Match, end: int, axis: str | None, matcher: PartyMatcher, parties: list[dict]) -> dict:
    fields = list(_FIELD.finditer(text, match.end(), end))
    title = plain(match.group("title"))
    if not title and fields:
        title = plain(text[match.end() : fields[0].start()])
    values: dict[str, list[str]] = {}
    raw: dict[str, list[str]] = {}
    for index, field in enumerate(fields):
        key = next(k for k in _FIELD_WORDS if field.group(k))
        value_end = fields[index + 1].start() if index + 1 < len(fields) else end
        chunk = text[field.end() : value_end]
        raw.setdefault(key, []).append(chunk)
        values.setdefault(key, []).append(plain(chunk))
    objective = " ".join(v for v in values.get("objective", []) if v) or None
    modalities: list[dict] = []
    for chunk in raw.get("modalities", []):
        modalities += _modalities(chunk, matcher, parties)
    start = " ".join(v for v in values.get("start", []) if v) or None
    audiences = audiences_in(text, match.start(), end)
    return {
        "number": int(match.group("number")),
        "title": title or None,
        "objective": objective,
        "modalities": modalities,
        "start": start,
        "audiences": audiences,
        "axis": axis,
        "pilot": " ".join(values.get("pilot", [])) or None,
        "indicators": " ".join(values.get("indicators", [])) or None,
    }


def read(document: Document, found: Findings) -> None:
    """Record the action plan's actions (an empty list when the convention has none)."""
    text = document.text.text
    parties = [p for p in found.get("parties") or [] if isinstance(p, dict)]
    matcher = PartyMatcher.from_parties(parties)
    results: list[tuple[dict, int, int]] = []
    for a, b in _regions(document):
        starts = _starts(text, a, b)
        axes = [(m.start(), plain(m.group("axis"))) for m in _AXIS.finditer(text, a, b)]
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else b
            # an "Axe …" line between two actions closes the first and opens the next ones
            following_axes = [position for position, _ in axes if match.end() < position < end]
            if following_axes:
                end = following_axes[0]
            axis = next((name for position, name in reversed(axes) if position < match.start()), None)
            results.append((_action(text, match, end, axis, matcher, parties), match.start(), end))
    found.set("actions", [action for action, _, _ in results])
    for index, (action, start, end) in enumerate(results):
        found.set(f"actions.{index}.title", action["title"], start=start, end=end, confidence=0.75)
