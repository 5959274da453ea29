"""The reader's accuracy: a reading compared with what a careful reader extracts (``seeds/truth``).

One point each for: ``title`` (at least 70 % of the expected title's words present),
``signature_place``, ``signature_date``, ``originals``, each ``terms.*`` key except
``termination_date``, each expected party found (name word overlap at least 0.5, best
one-to-one match), each expected party's ``representative`` (equal after folding), and
``articles`` as a whole (same length, each heading holding at least 60 % of the expected
heading's words). Values compare after folding case, accents, spaces and dashes. A value where
the truth is ``null`` and a party beyond the truth's list count as **invented**.

Pure Python, no Django: the tests and ``bench/reader.py`` use it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from partenariats.reader.model import TERMS_KEYS as CONTRACT_TERMS_KEYS

# The scored terms keys, in the README's order (termination_date is not scored on its own).
TERMS_KEYS = tuple(key for key in CONTRACT_TERMS_KEYS if key != "termination_date")
SCALAR_KEYS = ("signature_place", "signature_date", "originals")

TITLE_WORDS = 0.7
PARTY_OVERLAP = 0.5
HEADING_WORDS = 0.6

_WORD = re.compile(r"[a-z0-9]+")
_DASHES_AND_SPACES = re.compile(r"[\s\-‐‑‒–—―−_]+")
# Apostrophes and quotes of every shape fold to nothing, as dashes do.
_QUOTES = re.compile(r"['’‘´`\"«»]")


def fold(value: Any) -> str:
    """A value as compared: lower case, no accents, spaces, dashes or apostrophes ("Aix-en-Provence" → "aixenprovence").

    Apostrophes and quotes fold away too: OCR and typists write ' and ’ for the same one.
    """
    if value is None:
        return ""
    text = str(value).lower() if not isinstance(value, bool) else ("true" if value else "false")
    text = text.replace("œ", "oe").replace("æ", "ae")
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return _QUOTES.sub("", _DASHES_AND_SPACES.sub("", text))


def words(text: Any) -> list[str]:
    """The folded words of a text ("L'Académie de Créteil" → ["l", "academie", "de", "creteil"])."""
    if text is None:
        return []
    lowered = str(text).lower().replace("œ", "oe").replace("æ", "ae")
    plain = "".join(char for char in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(char))
    return _WORD.findall(plain)


def share_of_words(expected: Any, got: Any) -> float:
    """The share of the expected text's words (each counted once) that the text read holds."""
    wanted = set(words(expected))
    if not wanted:
        return 1.0 if not words(got) else 0.0
    return len(wanted & set(words(got))) / len(wanted)


# Words that say nothing about which organisation a name is ("Chambre des métiers du Jura" and
# "Fédération des entreprises du Jura" share "des", "du": not a match).
_NAME_FILLERS = frozenset(["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur"])


def _name_words(name: Any) -> set[str]:
    found = words(name)
    return {word for word in found if word not in _NAME_FILLERS} or set(found)


def name_overlap(expected: Any, got: Any) -> float:
    """Word overlap of two names: shared words over the longer name's words, fillers ("de", "la") left out."""
    a, b = _name_words(expected), _name_words(got)
    if not a or not b:
        return 0.0
    return len(a & b) / max(len(a), len(b))


class FieldResult(NamedTuple):
    got: Any
    expected: Any
    ok: bool


@dataclass
class Score:
    """A document's (or several documents') points, per-field results and invented values."""

    points: int = 0
    total: int = 0
    fields: dict[str, FieldResult] = field(default_factory=dict)
    invented: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.total if self.total else 100.0

    def add(self, key: str, got: Any, expected: Any, ok: bool) -> None:
        self.fields[key] = FieldResult(got, expected, ok)
        self.total += 1
        self.points += int(ok)

    def misses(self) -> list[str]:
        """One line per lost point: "terms.notice_months: got None, expected 3"."""
        return [
            f"{key}: got {result.got!r}, expected {result.expected!r}"
            for key, result in self.fields.items()
            if not result.ok
        ]

    def summary(self) -> str:
        return f"{self.points}/{self.total} ({self.percent:.1f} %), {len(self.invented)} invented"


def _scalar(score: Score, key: str, got: Any, expected: Any) -> None:
    if expected is None:
        if got is not None:
            score.invented.append(f"{key} = {got!r}")
        score.add(key, got, expected, got is None)
    else:
        score.add(key, got, expected, got is not None and fold(got) == fold(expected))


def _title(score: Score, got: Any, expected: Any) -> None:
    if expected is None:
        _scalar(score, "title", got, expected)
        return
    score.add("title", got, expected, got is not None and share_of_words(expected, got) >= TITLE_WORDS)


def _match_parties(expected: list[dict], got: list[dict]) -> dict[int, int]:
    """The best one-to-one match of expected to read parties: expected index → read index.

    Best = the most pairs at overlap ≥ 0.5, then the highest total overlap: exact (dynamic
    programming over the read parties already taken) up to 12 read parties, greedy beyond.
    """
    overlap = [[name_overlap(e.get("name"), g.get("name")) for g in got] for e in expected]
    if len(got) > 12:
        ranked = sorted(((overlap[e][g], e, g) for e in range(len(expected)) for g in range(len(got))), reverse=True)
        pairs: dict[int, int] = {}
        for value, e, g in ranked:
            if value >= PARTY_OVERLAP and e not in pairs and g not in pairs.values():
                pairs[e] = g
        return pairs

    @functools.cache
    def best(index: int, taken: int) -> tuple[int, float, tuple[tuple[int, int], ...]]:
        if index == len(expected):
            return (0, 0.0, ())
        result = best(index + 1, taken)  # this expected party left unmatched
        for g in range(len(got)):
            if not taken & (1 << g) and overlap[index][g] >= PARTY_OVERLAP:
                count, total, pairs = best(index + 1, taken | (1 << g))
                option = (count + 1, total + overlap[index][g], ((index, g), *pairs))
                if option[:2] > result[:2]:
                    result = option
        return result

    return dict(best(0, 0)[2])


def _parties(score: Score, got: list[dict], expected: list[dict]) -> None:
    got = [party for party in got if isinstance(party, dict)]
    pairs = _match_parties(expected, got)
    for index, truth in enumerate(expected):
        read = got[pairs[index]] if index in pairs else None
        score.add(f"parties.{index}", read.get("name") if read else None, truth.get("name"), read is not None)
        representative = read.get("representative") if read else None
        wanted = truth.get("representative")
        if wanted is None:
            if representative is not None:
                score.invented.append(f"parties.{index}.representative = {representative!r}")
            score.add(f"parties.{index}.representative", representative, wanted, representative is None)
        else:
            ok = representative is not None and fold(representative) == fold(wanted)
            score.add(f"parties.{index}.representative", representative, wanted, ok)
    unmatched = [index for index in range(len(got)) if index not in pairs.values()]
    beyond = max(0, len(got) - len(expected))
    for index in unmatched[len(unmatched) - beyond :] if beyond else []:
        score.invented.append(f"parties.{index} = {got[index].get('name')!r} (partie en trop)")


def _articles(score: Score, got: list[Any], expected: list[Any]) -> None:
    ok = len(got) == len(expected) and all(
        share_of_words(wanted, read) >= HEADING_WORDS for wanted, read in zip(expected, got, strict=True)
    )
    score.add("articles", got, expected, ok)


def score(output: dict, truth: dict) -> Score:
    """How well ``output`` (a reader's contract) matches ``truth`` (a ``.truth.json``)."""
    result = Score()
    _title(result, output.get("title"), truth.get("title"))
    for key in SCALAR_KEYS:
        _scalar(result, key, output.get(key), truth.get(key))
    got_terms = output.get("terms") or {}
    truth_terms = truth.get("terms") or {}
    for key in TERMS_KEYS:
        _scalar(result, f"terms.{key}", got_terms.get(key), truth_terms.get(key))
    _parties(result, list(output.get("parties") or []), list(truth.get("parties") or []))
    _articles(result, list(output.get("articles") or []), list(truth.get("articles") or []))
    return result


def family(key: str) -> str:
    """The field a per-document key belongs to, for totals over documents ("parties.2" → "parties")."""
    parts = key.split(".")
    if parts[0] == "parties":
        return "parties.representative" if parts[-1] == "representative" else "parties"
    return key


def by_field(scores: Iterable[Score]) -> dict[str, tuple[int, int]]:
    """Points and totals per field family over several documents, in first-seen order."""
    totals: dict[str, list[int]] = {}
    for one in scores:
        for key, result in one.fields.items():
            slot = totals.setdefault(family(key), [0, 0])
            slot[0] += int(result.ok)
            slot[1] += 1
    return {key: (points, total) for key, (points, total) in totals.items()}


def combine(scores: Iterable[Score]) -> Score:
    """One score for several documents (points and totals added; per-field keys not kept)."""
    combined = Score()
    for one in scores:
        combined.points += one.points
        combined.total += one.total
        combined.invented.extend(one.invented)
    return combined
