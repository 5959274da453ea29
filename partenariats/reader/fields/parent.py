"""The convention this one descends from: "s'inscrit dans le cadre de la convention nationale de …"."""

from __future__ import annotations

import re

from partenariats.reader.model import Document, Findings

_KIND = r"(?:convention|accord|protocole|charte)(?:[-\s]cadre)?"
# "s'inscrit dans le cadre de / vient en déclinaison de / en application de la convention …"
_DESCENDS = re.compile(
    r"\b(?:en\s+déclinaison|dans\s+le\s+cadre|en\s+application|en\s+complément|en\s+référence\s+à|en\s+continuité)\s+"
    rf"(?:de\s+la|de\s+l['’]|d['’]une?|du|des)\s*(?P<np>{_KIND}\b[^.;]*)",
    re.IGNORECASE,
)
# "X et Y ont signé une convention nationale … qui servira de cadre": found from "ont signé", X read backwards.
_SIGNED = re.compile(
    rf"\bont\s+signé\s+(?:une|la|un|le)\s+(?P<np>{_KIND}\b[^.;]*?)"
    r"\s*(?:\((?P<note>[^)]{1,30})\))?\s*(?:qui|,|\.|;)",
    re.IGNORECASE,
)
# "Vu la convention cadre … signée le … entre … ;": a visa citing a framework or national convention.
_VISA = re.compile(rf"^[ \t]*V[uU]\s+(?:la|le|l['’])\s*(?P<np>{_KIND}\b[^;]*)", re.MULTILINE)
_FRAMEWORK = re.compile(r"\bcadre\b|nationale?\b", re.IGNORECASE)
_SERVES = re.compile(r"\b(?:qui\s+servira|servant|sert)\s+de\s+cadre", re.IGNORECASE)
_KIND_WORD = re.compile(rf"\b{_KIND}\b", re.IGNORECASE)
_SENTENCE_START = re.compile(r"[.;:\n]")
# The reference must name another convention: national, dated, signed between others — not "la présente convention".
_OTHER = re.compile(
    r"nationale|signée?|conclue?|en\s+date|\b(?:du|le)\s+\d{1,2}|\d{4}|\bentre\b|ministère|régionale|interministériel",
    re.IGNORECASE,
)
_SELF = re.compile(r"^\W*(?:convention|accord)s?\W*$|présente|cette|ladite|locales?|d['’]application|avenant", re.I)
_CUT = re.compile(
    r"\s+(?:qui|dont|afin|pour|et\s+qui)\s|\s*[.;:]\s|\s+[-–]\s+(?=[A-Z])|,\s*(?:et\s+)?(?:notamment|en\s+particulier)\b"
)


def _trim(phrase: str) -> str:
    phrase = " ".join(phrase.split())
    cut = _CUT.search(phrase)
    if cut:
        phrase = phrase[: cut.start()]
    phrase = phrase.strip(" ,;:.")
    if len(phrase) > 240:
        phrase = phrase[:240].rsplit(" ", 1)[0]
    return phrase[:1].upper() + phrase[1:]


def _who(text: str, end: int) -> str | None:
    """The signatories named before "ont signé", back to the start of the sentence."""
    window = text[max(0, end - 120) : end]
    starts = [match.end() for match in _SENTENCE_START.finditer(window)]
    who = " ".join(window[starts[-1] if starts else 0 :].split())
    if not who or not who[0].isupper():
        return None
    return who[:1].lower() + who[1:] if who.split()[0] in ("Le", "La", "Les") or who[:2] in ("L'", "L’") else who


def read(document: Document, found: Findings) -> None:
    """``parent``: the noun phrase naming the convention this one descends from, or None."""
    text = document.text.text
    for match in _SIGNED.finditer(text):
        serves = _SERVES.search(text, match.start(), match.end() + 120)
        if not serves and "cadre" not in match.group("np").lower():
            continue
        who = _who(text, match.start())
        if who is None:
            continue
        np = _trim(match.group("np"))
        phrase = f"{np} entre {who}" if " entre " not in np else np
        if match.group("note"):
            phrase += f" ({match.group('note').strip()})"
        found.set("parent", phrase, start=match.start() - len(who), end=match.end("np"), confidence=0.8)
        return
    readings = [(match.start("np"), match.group("np")) for match in _DESCENDS.finditer(text)]
    # A visa names the parent only when it cites a framework or national convention (not any agreement).
    readings += [
        (match.start("np"), match.group("np"))
        for match in _VISA.finditer(text)
        if _FRAMEWORK.search(match.group("np")[:60])
    ]
    for match in _SERVES.finditer(text):
        window_start = max(0, match.start() - 220)
        sentence = text.rfind(".", window_start, match.start())
        kinds = list(_KIND_WORD.finditer(text, max(window_start, sentence + 1), match.start()))
        if kinds:
            readings.append((kinds[0].start(), text[kinds[0].start() : match.start()]))
    for start, np in sorted(readings):
        if _SELF.search(np[:40]) or not _OTHER.search(np):
            continue
        phrase = _trim(np)
        if len(phrase.split()) < 2:
            continue
        found.set("parent", phrase, start=start, end=start + len(np.rstrip()), confidence=0.8)
        return
    found.set("parent", None)
