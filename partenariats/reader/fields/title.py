"""The title as printed at the top: "CONVENTION DE PARTENARIAT", possibly "… entre X et Y" over several lines."""

from __future__ import annotations

import re
from collections import Counter

from partenariats.reader.model import Document, Findings
from partenariats.reader.structure import join_split_words, sentence_case

# A title starts with the kind of document; cover lines ("RÉPUBLIQUE FRANÇAISE", "Ministère…") do not.
_TITLE_START = re.compile(
    r"^(?:convention|accord|protocole|charte|contrat|avenant|partenariat)\b(?!.*\b(?:signée?|fait\s+à)\b)",
    re.IGNORECASE,
)
# Where the parties start: "Entre les soussignés", "Entre :", "ENTRE".
_PARTIES_START = re.compile(r"^\W*entre\s*(?:les\s+soussign|:|$)|^\W*(?:il\s+a\s+été|d['’]une\s+part)", re.IGNORECASE)
# A line that carries the title on: "entre", "et", "pour la promotion…", "relative à…".
_CONTINUES = re.compile(
    r"^(?:entre|et|avec|pour|relative?|portant|en\s+faveur|concernant|dans\s+le\s+cadre|visant|sur|de|des|du|d['’])\b",
    re.IGNORECASE,
)
_PARTY_DETAIL = re.compile(r"représenté|sis\b|siège|adresse|\d{5}|ci-après|d['’](?:une|autre)\s+part", re.IGNORECASE)
_MARKUP = re.compile(r"^\s*#{1,6}\s*|\*+|(?<!\w)__|__(?!\w)")
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_MAX_LINES = 8
# A title line this long may have been wrapped by a PDF's page width; a remnant this short ends it.
_WRAP_WIDTH = 45
_WRAP_REMNANT = 60
_MAX_CHARS = 320


_INVISIBLE = re.compile("[\u00ad\ufffe\u200b\u2060]")  # soft hyphens and marks a PDF layer leaves in words


def _unmark(line: str) -> str:
    return " ".join(_MARKUP.sub("", _INVISIBLE.sub("", line)).split()).strip()


def _casing(words: set[str], text: str) -> dict[str, str]:
    """How the document writes each of ``words`` inside sentences (not in capitals lines, not a sentence's start)."""
    if not words:
        return {}
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words))) + r")\b", re.IGNORECASE)
    forms: dict[str, Counter] = {}
    for match in pattern.finditer(text):
        word = match.group(0)
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start : match.start()].rstrip()
        if not before or before.endswith((".", ":", "!", "?", "«", "*", "#")):
            continue  # a sentence's first word is capitalised whatever it is
        line_end = text.find("\n", match.end())
        letters = [char for char in text[line_start : line_end if line_end >= 0 else len(text)] if char.isalpha()]
        if sum(char.isupper() for char in letters) > 0.6 * len(letters):
            continue  # a line in capitals says nothing of a word's case
        forms.setdefault(word.lower(), Counter())[word] += 1
    return {lower: counter.most_common(1)[0][0] for lower, counter in forms.items()}


def _proper_nouns(title: str, text: str, *, first: bool = True) -> str:
    """Give back their capitals to the names the document writes with capitals ("Région académique Occitanie")."""
    casing = _casing({word for word in _TOKEN.findall(title) if word.islower() and len(word) >= 3}, text)

    def fix(match: re.Match) -> str:
        word = match.group(0)
        if (first and match.start() == 0) or not word.islower():
            return word
        form = casing.get(word)
        return form if form and form[0].isupper() and form.lower() == word else word

    return _TOKEN.sub(fix, title)


def capitals_to_case(fragment: str, text: str) -> str:
    """A fragment printed in capitals ("LE RECTEUR DE L'ACADÉMIE") in sentence case, with the capitals the
    document gives the names elsewhere; a fragment in mixed case is kept as printed."""
    cased = sentence_case(fragment)
    return _proper_nouns(cased, text) if cased != fragment else fragment


def _starts_parties(lines: list[tuple[int, int, str]], index: int) -> bool:
    """Whether the line at ``index`` opens the parties: "Entre les soussignés", or "ENTRE" before party details."""
    line = _unmark(lines[index][2]).lower().strip(" :*")
    if line != "entre":
        return True
    following = [_unmark(raw) for _, _, raw in lines[index + 1 : index + 12] if raw.strip()][:4]
    return any(_PARTY_DETAIL.search(text) for text in following)


def _wrapped(previous: str, line: str, distance: int) -> bool:
    """Whether ``line`` is the end of ``previous`` wrapped by the page width ("… de la Fondation d'entreprise" /
    "Azurelle"): right below it, the previous line long and unfinished, this one short."""
    return (
        distance == 1
        and len(previous) >= _WRAP_WIDTH
        and not previous.endswith((".", ":", ";", "!", "?", "»"))
        and len(line) <= _WRAP_REMNANT
        and not _TITLE_START.match(line)
    )


def _title_lines(text: str, limit: int) -> tuple[list[tuple[int, int, str]], int] | None:
    lines = []
    offset = 0
    for raw in text[:limit].split("\n"):
        lines.append((offset, offset + len(raw), raw))
        offset += len(raw) + 1
    start_index = None
    for index, (_, _, raw) in enumerate(lines):
        line = _unmark(raw)
        if start_index is not None and _PARTIES_START.match(line) and _starts_parties(lines, index):
            break
        if _TITLE_START.match(line) and len(line) <= 250 and line[0].isupper():
            start_index = index  # the last title line before the parties: a cover page may repeat it above
    if start_index is None:
        return None
    taken = [lines[start_index]]
    previous = _unmark(lines[start_index][2])
    previous_index = start_index
    for index in range(start_index + 1, len(lines)):
        item = lines[index]
        line = _unmark(item[2])
        if not line:
            continue
        if (_PARTIES_START.match(line) and _starts_parties(lines, index)) or _PARTY_DETAIL.search(line):
            break
        joined = previous.lower().split()[-1:] in (["entre"], ["et"], ["avec"]) or previous.endswith(",")
        if (
            not (_CONTINUES.match(line) or joined or _wrapped(previous, line, index - previous_index))
            or len(taken) >= _MAX_LINES
        ):
            break
        taken.append(item)
        previous, previous_index = line, index
    # A title never ends on "entre" or "et": drop a dangling connector.
    while len(taken) > 1 and _unmark(taken[-1][2]).lower().strip(" :,") in ("entre", "et", "avec"):
        taken.pop()
    return taken, start_index


def read(document: Document, found: Findings) -> None:
    """``title``: the last title-like line before the parties, with the lines that carry it on, in sentence case."""
    text = document.text.text
    top = document.structure.top
    limit = top[0].start if top else min(len(text), 6000)
    result = _title_lines(text, limit)
    if result is None:
        found.set("title", None)
        return
    taken, _ = result
    # Each line in sentence case when printed in capitals, then the names the document capitalises.
    parts = []
    for position, (_, _, raw) in enumerate(taken):
        line = join_split_words(_unmark(raw).replace("’", "'"))
        cased = sentence_case(line, capitalise=position == 0)
        parts.append(_proper_nouns(cased, text, first=position == 0) if cased != line else cased)
    title = re.sub(r"\s+([,.])", r"\1", " ".join(parts)).strip(" .:;-–")
    if len(title) > _MAX_CHARS:
        title = title[:_MAX_CHARS].rsplit(" ", 1)[0]
    cased = title[:1].upper() + title[1:]
    start = taken[0][0] + len(taken[0][2]) - len(taken[0][2].lstrip())
    found.set("title", cased, start=start, end=taken[-1][1], confidence=0.85)
