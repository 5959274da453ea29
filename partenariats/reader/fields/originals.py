"""The number of original copies: "Fait … en deux exemplaires originaux" → 2."""

from __future__ import annotations

import re

from partenariats.reader.model import Candidate, Document, Findings
from partenariats.reader.numbers import word_to_int

_COUNT = r"(?P<count>\d{1,2}|[a-zéèêû]+(?:[-\s][a-zéèêû]+)?)"
_COPIES = re.compile(rf"\ben\s+{_COUNT}\s+exemplaires?(?P<original>\s+originaux|\s+originales?|\s+originals?)?\b", re.I)
_MULTIPLE = re.compile(r"\ben\s+(?P<count>double|triple|quadruple|quintuple)\s+exemplaires?\b", re.I)
_SINGLE = re.compile(
    r"\ben\s+(?:un\s+)?(?:seul|unique)\s+exemplaire(?:\s+original)?\b|\ben\s+exemplaire\s+unique\b", re.I
)
_MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}
# Where the copies of the convention itself are counted: the signature line.
_SIGNING = re.compile(r"\b(?:fait|faite|établie?|etablie?|effectuée?|signée?s?|rédigée?)\b", re.I)


def read(document: Document, found: Findings) -> None:
    """``originals``: the number of original copies stated where the convention is signed, or None."""
    text = document.text.text
    readings: list[tuple[int, int, int, bool]] = []  # value, start, end, sure
    for match in _COPIES.finditer(text):
        value = word_to_int(match.group("count"))
        if value is None:
            # "en deux exemplaires" matched; "en cinq mille exemplaires" too — anything else is not a count.
            continue
        readings.append((value, match.start(), match.end(), bool(match.group("original"))))
    for match in _MULTIPLE.finditer(text):
        readings.append((_MULTIPLES[match.group("count").lower()], match.start(), match.end(), False))
    for match in _SINGLE.finditer(text):
        readings.append((1, match.start(), match.end(), False))

    kept = []
    for value, start, end, original in readings:
        line_start = text.rfind("\n", 0, start) + 1
        signing = bool(_SIGNING.search(text, max(line_start, start - 160), start))
        # A leaflet printed "en 500 exemplaires" is not the convention: only the signature line counts.
        if 1 <= value <= 20 and (original or signing):
            kept.append((value, start, end))
    values = {value for value, _, _ in kept}
    if not kept:
        found.set("originals", None)
        return
    if len(values) > 1:
        found.set("originals", None)
        found.doubt(
            "originals",
            "nombres d'exemplaires contradictoires",
            [Candidate(value, "nombre d'exemplaires indiqué", start, end) for value, start, end in kept],
        )
        return
    value, start, end = kept[-1]
    found.set("originals", value, start=start, end=end, confidence=0.95)
