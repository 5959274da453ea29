"""The signature block: where and when it was signed, and who signed, each with their own date.

The block starts at the last "Fait à …" / "Fait en … exemplaires" / "Convention établie et
signée …" line before the annexes (or, without one, at the run of "Pour l'académie …" lines near
the end) and ends at the first annex or the end of the text. ``signature_date`` is the latest
legible date among the signatories: the convention's term counts from the last signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from partenariats.reader import dates
from partenariats.reader.dates import DateReading, fold
from partenariats.reader.fields.parties import NOT_A_NAME, DocumentWords, opening_span, person_at
from partenariats.reader.fields.title import capitals_to_case
from partenariats.reader.model import Candidate, Document, Findings

_MARKER = re.compile(
    r"^[\W_]*(?:fait\s+(?:a|en|le|,)|fait$|etablie?s?\s+(?:a|en|le)|effectuee?s?\s+(?:a|en|le)|signee?s?\s+(?:a|en|le)"
    r"|(?:la\s+)?(?:presente\s+)?convention\s+(?:est\s+)?(?:etablie|signee|faite)\b|lu\s+et\s+approuve"
    r"|a\s+[A-Za-zÀ-ÿ][\w'\- ]{1,40},\s*le\b)",
    re.M,
)
_POUR = re.compile(r"^[\W_]*pour\s+(?:l'|la\s|le\s|les\s|monsieur|madame)", re.M)
_ANNEX = re.compile(r"^[\W_]*annexe\s*(?:n°\s*)?(?:\d+|[ivx]+\b|unique)?\s*(?:[-–—:.]|$)", re.M)
_MARKUP = re.compile(r"[*_#>|]")
_DATE_LABEL = re.compile(
    r"^\s*(?:date\s*(?:de\s+signature)?\s*:?|(?:sign[ée]e?\s+)?le(?:\s*(?=[\d.…_/]|$)|\s+(?:premier|1er)\b))", re.I
)
_PLACE = re.compile(
    r"(?:^|(?<=\s)|(?<=,))(?:à|a|À|A)\s+(?P<place>[A-ZÀ-Þ][\w'’\-]*(?:[ \-]+(?:(?:sur|sous|en|lès|les|le|la|de|du|des)"
    r"[ \-]+)?[A-ZÀ-Þ][\w'’\-]*)*)"
)
_SIGNATURE_NOTE = re.compile(r"\b(?:signature|signed|handwritten|cachet|tampon|paraphe)\b")
_ORG_LINE = re.compile(
    r"^[\W_]*(?:pour\s+|l'|la\s|le\s|les\s)|^[\W_]*(?:academie|region|chambre|cite|confederation|mouvement|federation)\b"
)


@dataclass
class _Signatory:
    name: str
    start: int
    end: int
    title_lines: list[tuple[int, str]] = field(default_factory=list)  # (blank lines before, text)
    title_span: tuple[int, int] | None = None
    org: str | None = None  # the "Pour …" line above the name
    date: DateReading | None = None
    adjacent: bool = False  # printed right after the previous name, titles further down (columns)
    titled: bool = False  # the title was printed above the name or on its line: the lines under it are not its own


def _annex_starts(document: Document, folded: str) -> list[int]:
    starts = [heading.start for heading in document.structure.walk() if heading.kind == "annex"]
    starts += [match.start() for match in _ANNEX.finditer(folded)]
    return sorted(set(starts))


def block_span(document: Document) -> tuple[int, int] | None:
    """Where the signature block is: the last "Fait à …" before the annexes, to the annexes or the end."""
    text = document.text.text
    folded = fold(_MARKUP.sub(" ", text))
    # a table of contents lists the annexes early: only those in the last two thirds count
    annexes = [start for start in _annex_starts(document, folded) if start > len(text) // 3]
    markers = [match.start() for match in _MARKER.finditer(folded) if match.start() > len(text) // 3]
    if annexes:
        before = [marker for marker in markers if marker < annexes[0]]
        markers = before or markers
    if not markers:
        pours = [match.start() for match in _POUR.finditer(folded) if match.start() > len(text) * 2 // 3]
        if not pours:
            return None
        first = pours[-1]
        for position in reversed(pours):  # walk back over the run of "Pour …" lines
            if first - position > 1500:
                break
            first = position
        markers = [first]
    start = markers[-1]
    while start < len(text) and text[start].isspace():  # the pattern's "^[\W_]*" may take blank lines
        start += 1
    end = next((annex for annex in annexes if annex > start), len(text))
    return start, end


def _cover_span(document: Document, found: Findings) -> tuple[int, int] | None:
    """A signatories' block printed on the cover, before the title: from its first "Pour …" line to the title
    (or to the parties' opening), for a "Fait à …" at the end with no one under it."""
    title = found.evidence.get("title")
    opening = opening_span(document)
    ends = [
        position
        for position in (title.start if title else None, opening[0] if opening else None)
        if position is not None
    ]
    if not ends:
        return None
    end = min(ends)
    first = _POUR.search(fold(document.text.text[:end]))
    if first is None:
        return None
    return first.start(), end


def _first_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The marker's sentence: up to a blank line, a full stop followed by a new line, or 400 characters."""
    stop = min(end, start + 400)
    blank = re.search(r"\n[ \t]*\n|\.\s*\n", text[start:stop])
    line_end = text.find("\n", start, stop)
    if (
        line_end != -1
        and _DATED_LINE.search(text[start:line_end])
        and (blank is None or start + blank.end() > line_end)
    ):
        # "Fait à Toulouse, le 18.III.2021" then the first name on the next line, with no blank line
        return start, line_end + 1
    return start, start + blank.end() if blank else stop


# A "Fait à …" line that already holds its date (or its blank): "…, le 18.III.2021", "le ……", "le 3 mai 2022".
_DATED_LINE = re.compile(r"(?i)\ble\b[\s*_]*(?:\d|[.…_]{2,}|1er\b|premier\b)[^\n]*$")


def _place(sentence: str, offset: int) -> tuple[str, int, int] | None:
    clean = _MARKUP.sub(" ", sentence)
    for match in _PLACE.finditer(clean):
        place = match.group("place").strip(" .-'’")
        if fold(place) in ("cet", "ce", "cette", "compter", "la", "le"):
            continue
        return place, offset + match.start("place"), offset + match.start("place") + len(place)
    return None


_PLACE_PARTICLES = frozenset(["sur", "sous", "en", "les", "lès", "le", "la", "de", "du", "des", "et", "aux", "au"])


def place_case(place: str) -> str:
    """A place printed in capitals as a place name is written ("CLERMONT-FERRAND" → "Clermont-Ferrand",
    "BAR-LE-DUC" → "Bar-le-Duc"); a place in mixed case is kept as printed."""
    if any(char.islower() for char in place):
        return place
    parts = re.split(r"([\s\-'’]+)", place.lower())
    out = []
    for index, part in enumerate(parts):
        if index and part in _PLACE_PARTICLES:
            out.append(part)
        else:
            out.append(part[:1].upper() + part[1:])
    return "".join(out)


def _block_date(sentence: str, offset: int) -> DateReading | None:
    """The one date of "Fait à X, le …" for every signatory; blank when "le" is followed by dots."""
    found = dates.find_dates(sentence, offset)
    if found:
        return found[0]
    blank = re.search(r"\ble\b[\s.…_*\-]*(?:,|$|\ben\b)", fold(_MARKUP.sub(" ", sentence)))
    if blank:
        return DateReading(None, None, "", dates.BLANK, (), offset + blank.start(), offset + blank.end())
    return None


def _norm(name: str) -> str:
    return " ".join(re.split(r"[\s\-]+", fold(name))).strip()


def _party_for(signatory: _Signatory, parties: list[dict], taken: set[int]) -> int | None:
    """The party this person signs for: by the representative's name, else by the "Pour …" line."""
    name = _norm(signatory.name)
    surname = name.split()[-1] if name else ""
    for index, party in enumerate(parties):
        representative = _norm(party.get("representative") or "")
        if representative and representative == name:
            return index
    for index, party in enumerate(parties):
        representative = _norm(party.get("representative") or "").split()
        if representative and representative[-1] == surname and representative[0][:1] == name[:1]:
            return index
    if signatory.org:
        org_words = _content_words(signatory.org)
        best, best_score = None, 0.0
        for index, party in enumerate(parties):
            if index in taken:
                continue
            party_words = _content_words(party.get("name") or "") | _content_words(party.get("acronym") or "")
            if not party_words or not org_words:
                continue
            score = len(org_words & party_words) / len(org_words)
            if score > best_score:
                best, best_score = index, score
        if best is not None and best_score >= 0.5:
            return best
    return None


_STOP = frozenset(["pour", "l", "la", "le", "les", "de", "du", "des", "d", "et", "en", "a", "au", "aux"])


def _content_words(text: str) -> set[str]:
    return {word for word in re.split(r"[^\w]+", fold(text).replace("'", " ")) if word and word not in _STOP}


def _known_phrases(parties: list[dict], place: str | None) -> list[str]:
    """Folded names of organisations, titles and places: a capitalised line inside one is no person."""
    phrases = []
    for party in parties:
        for key in ("name", "representative_title", "address"):
            if party.get(key):
                phrases.append(_norm(party[key]))
    if place:
        phrases.append(_norm(place))
    return phrases


def _person_line(line: str, representatives: list[str], known: list[str]) -> tuple[int, int] | None:
    """The span of the person's name opening ``line``, or None when the line is no signatory's name."""
    match = person_at(line)
    if match is None:
        # "PIERRE-YVES DELCOURT": a block in capitals; a run of capitals is a person only when it is
        # exactly a representative named in the opening (else it may be an acronym or a title).
        body = line.strip()
        name = body.rstrip(" ,;.")
        if name and _norm(name) in representatives:
            begin = len(line) - len(line.lstrip())
            return begin, begin + len(name)
        return None
    if not match.civility:
        name = _norm(match.name)
        is_representative = name in representatives
        rest = line[match.end :].strip(" ,;.")
        if not is_representative:
            if any(name in phrase for phrase in known):
                return None  # "Provence-Alpes-Côte d'Azur": part of a name or title already read
            if rest and not rest[:1].isupper():
                return None  # a capitalised phrase running into a sentence
            if any(fold(token) in NOT_A_NAME for token in re.split(r"[\s\-]+", match.name)):
                return None
    return match.start, match.end


_TITLE_WORD = re.compile(
    r"(?:recteur|rectrice|chancel|president|directeur|directrice|delegue|secretaire|maire|prefet|proviseur|principal"
    r"|inspect|gerant|administrat|vice-)"
)
_TABLE_ROW = re.compile(r"^\s*\|.*\|.*\|\s*$")
_CELL_GAP = re.compile(r"\S(?:[^\S\n]{3,}|\t+)(?=\S)")


def _cells(position: int, line: str) -> list[tuple[int, str]]:
    """A line cut where wide gaps separate side-by-side columns."""
    cells = []
    begin = len(line) - len(line.lstrip())
    if _TABLE_ROW.match(line):
        # a Markdown table row "| Pour l'académie | Pour la société |": the bars are the columns' edges
        for cell in re.finditer(r"[^|]+", line[begin:]):
            text = cell.group()
            if text.strip():
                cells.append((position + begin + cell.start() + len(text) - len(text.lstrip()), text.strip()))
        return cells
    for gap in _CELL_GAP.finditer(line):
        cells.append((position + begin, line[begin : gap.start() + 1]))
        begin = gap.end()
    cells.append((position + begin, line[begin:].rstrip()))
    return [cell for cell in cells if cell[1].strip()]


def _split_row(position: int, line: str, names: list[str]) -> list[tuple[int, str]]:
    """A row of side-by-side columns whose gaps were lost (PDF text): cut before a second "Pour …",
    a second known name or a second date."""
    cells = _cells(position, line)
    if len(cells) >= 2:
        return cells
    folded = fold(line)
    for cuts in (
        [match.start() for match in re.finditer(r"(?<=[,;\s])pour\s", folded)],
        # "LE RECTEUR, LA PRÉSIDENTE,": a second title with its article after a comma
        [match.start() for match in re.finditer(r"(?<=,\s)(?:le\s|la\s|l')\s*" + _TITLE_WORD.pattern, folded)]
        + [
            # "Le recteur La présidente": a capitalised article inside a line in mixed case opens a title
            match.start()
            for match in re.finditer(r"(?<=[^\W\d]\s)(?:Le\s|La\s|L')\s*(?=[^\W\d])", line)
            if any(char.islower() for char in line) and _TITLE_WORD.match(fold(line[match.end() :]))
        ],
        [match.start() for name in names for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", folded)],
        [
            label.start() if (label := re.search(r"\ble\s+$", folded[: reading.start])) else reading.start
            for reading in dates.find_dates(folded)
        ]
        # "Le ____/____/____": a date left blank is a cell of its own
        + [match.start() for match in re.finditer(r"(?<=\s)(?:le|date\s*:)\s*[_.…]{3,}", folded)],
    ):
        cuts = sorted(cut for cut in set(cuts) if folded[:cut].strip())  # a cut at the line's start cuts nothing
        bounds = [0, *cuts, len(line)]
        pieces = []
        for begin, stop in pairwise(bounds):
            piece = line[begin:stop]
            if piece.strip(" ,"):
                lead = len(piece) - len(piece.lstrip())
                pieces.append((position + begin + lead, piece.strip().rstrip(",")))
        if len(pieces) >= 2:
            return pieces
    return cells


def _lines(text: str, start: int, end: int, names: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """The block's lines in reading order: side-by-side columns are read one column after the other."""
    rows: list[tuple[int, str]] = []
    position = start
    for line in text[start:end].split("\n"):
        rows.append((position, line))
        position += len(line) + 1
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(rows):
        cells = _split_row(*rows[index], list(names))
        if len(cells) < 2:
            out.append(rows[index])
            index += 1
            continue
        # a run of rows in columns (blank rows inside): read column by column
        run: list[list[tuple[int, str]]] = []
        while index < len(rows):
            cells = _split_row(*rows[index], list(names))
            if len(cells) >= 2:
                run.append(cells)
            elif rows[index][1].strip():
                following = next((row for row in rows[index + 1 :] if row[1].strip()), None)
                if following is None or len(_split_row(*following, list(names))) < 2:
                    break
                # one line between rows in columns ("rectrice … président"): it cannot be shared out, left aside
            index += 1
        for column in range(max(len(cells) for cells in run)):
            for cells in run:
                if column < len(cells):
                    out.append(cells[column])
            out.extend([(cells[-1][0], ""), (cells[-1][0], "")])
    return out


def _signatories(
    text: str, start: int, end: int, parties: list[dict], known: list[str]
) -> tuple[list[_Signatory], list[DateReading]]:
    """Each name in the block with the title lines under it, its "Pour …" line and its "Date :"."""
    representatives = [_norm(party.get("representative") or "") for party in parties if party.get("representative")]
    signatories: list[_Signatory] = []
    own_dates: list[DateReading] = []
    current: _Signatory | None = None
    org: str | None = None
    org_open = False
    org_span = (start, start)  # where the "Pour …" / "La rectrice" line above the name is
    blanks = 0
    waiting_date = False  # "Date :" alone on its line: the date is on the next one
    lines_since_name = 0
    names = tuple(
        dict.fromkeys(
            " ".join(fold(party["representative"]).split()) for party in parties if party.get("representative")
        )
    )
    for position, raw in _lines(text, start, end, names):
        line = _MARKUP.sub(" ", raw)
        stripped = line.strip()
        if not stripped or re.fullmatch(r"[\W_]+", stripped):
            blanks += 1
            continue
        folded = fold(stripped)
        offset = position + (len(line) - len(line.lstrip()))
        if _SIGNATURE_NOTE.search(folded) and not re.match(r"date|pour", folded):
            blanks = 0
            continue
        label = _DATE_LABEL.match(stripped)
        found = dates.find_dates(line, position)
        if waiting_date or label or (found and lines_since_name >= 0 and current and not person_at(line)):
            date = found[0] if found else None
            if date is None and label and re.fullmatch(r"[\s:]*", stripped[label.end() :]):
                waiting_date = True  # the date is printed on the next line
                blanks = 0
                continue
            if date is None:
                date = dates.parse_date(stripped[label.end() :] if label else stripped)
                date = DateReading(
                    date.value, date.precision, date.raw, date.reason, date.candidates, offset, position + len(line)
                )
                if not date.raw.strip(" .…_:-/"):  # "Le ____/____/____": a date left blank
                    date = DateReading(None, None, "", dates.BLANK, (), offset, position + len(line))
            waiting_date = False
            target = next((signatory for signatory in signatories if signatory.date is None), None)
            if target is not None and signatories and signatories[-1].date is None:
                target = signatories[-1]
            if target is not None:
                target.date = date
                own_dates.append(date)
            blanks = 0
            continue
        person = _person_line(line, representatives, known) if not _POUR.match(fold(line)) else None
        if person is not None:
            current = _Signatory(
                name=line[person[0] : person[1]], start=position + person[0], end=position + person[1], org=org
            )
            current.adjacent = bool(signatories) and lines_since_name == 0 and not signatories[-1].title_lines
            rest = line[person[1] :].strip(" ,;.")
            if not rest and org and re.match(r"(?:le|la|l')\s*" + _TITLE_WORD.pattern, fold(org)):
                rest = re.sub(r"^(?:le|la|l['’])\s*", "", org, flags=re.I)  # "Le recteur de …" above the name
                current.org = None
                current.title_lines.append((0, rest))
                current.title_span = org_span
            elif rest and _TITLE_WORD.match(fold(rest)):
                # "Monsieur Jean DUPONT, Recteur de …": the title printed after the name, same line
                current.title_lines.append((0, rest))
                current.title_span = (
                    position + len(line) - len(line[person[1] :].lstrip(" ,;.")),
                    position + len(line),
                )
            current.titled = bool(current.title_lines)
            signatories.append(current)
            org, org_open = None, False
            blanks = 0
            lines_since_name = 0
            continue
        if current is not None and current.titled and blanks >= 1:
            current = None  # "Vu et pris connaissance, / le directeur …" after a blank: the next signatory's lines
        if folded.startswith("pour ") or (_ORG_LINE.match(folded) and (current is None or blanks >= 1)):
            org, org_open = stripped, True
            org_span = (offset, offset + len(stripped))
            current = None
            blanks = 0
            continue
        if org_open and blanks == 0 and stripped[:1].islower():
            org = f"{org} {stripped}"  # "Pour la Cité des Métiers de Marseille / et de Provence…"
            org_span = (org_span[0], offset + len(stripped))
            continue
        if current is not None and _ONLY_CIVILITY.fullmatch(stripped):
            continue  # a civility alone on its line ("Madame"): it opens the next name, it is no title
        if current is not None:
            current.title_lines.append((blanks, stripped))
            span_start = current.title_span[0] if current.title_span else offset
            current.title_span = (span_start, position + len(line))
            lines_since_name += 1
        blanks = 0
        org_open = False
    return signatories, own_dates


def _titles(signatories: list[_Signatory]) -> list[str | None]:
    """Each signatory's title; names printed side by side share out the title groups under the last one."""
    titles: list[str | None] = [None] * len(signatories)
    index = 0
    while index < len(signatories):
        run_end = index
        while run_end + 1 < len(signatories) and signatories[run_end + 1].adjacent:
            run_end += 1
        last = signatories[run_end]
        lines = last.title_lines
        if run_end > index and lines:
            gap = max((blanks for blanks, _ in lines[1:]), default=0)
            groups: list[list[str]] = []
            for blanks, line in lines:
                if not groups or (gap > 0 and blanks >= gap):
                    groups.append([])
                groups[-1].append(line)
            if len(groups) == run_end - index + 1:
                for offset, group in enumerate(groups):
                    titles[index + offset] = _join(group)
                index = run_end + 1
                continue
        for position in range(index, run_end + 1):
            titles[position] = _join([line for _, line in signatories[position].title_lines]) or None
        index = run_end + 1
    return titles


def _join(lines: list[str]) -> str | None:
    """Title lines joined; a line that opens with a new title ("Recteur …") follows a comma."""
    parts: list[str] = []
    for line in lines:
        line = " ".join(line.split())
        if parts and _TITLE_WORD.match(fold(line)) and not parts[-1].endswith((",", " et", " de", " du")):
            parts[-1] += ","
        parts.append(line)
    title = " ".join(parts).strip(" ,;.")
    title = re.sub(r"\s+,", ",", title)
    return title[:1].upper() + title[1:] if title else None


def read(document: Document, found: Findings) -> None:
    """Record ``signature_place``, ``signature_date`` and ``signatures``."""
    found.set("signatures", [])
    span = block_span(document)
    if span is None:
        return
    text = document.text.text
    start, end = span
    sentence_start, sentence_end = _first_sentence(text, start, end)
    sentence = text[sentence_start:sentence_end]
    place = _place(sentence, sentence_start)
    if place:
        place = (place_case(place[0]), place[1], place[2])
        found.set("signature_place", place[0], start=place[1], end=place[2])
    block_date = _block_date(sentence, sentence_start)

    parties = found.get("parties") or []
    known = _known_phrases(parties, place[0] if place else None)
    signatories, own_dates = _signatories(text, sentence_end, end, parties, known)
    if not signatories:
        cover = _cover_span(document, found)
        if cover is not None:
            signatories, own_dates = _signatories(text, *cover, parties, known)
    words = DocumentWords(text)
    titles = [capitals_to_case(title, text) if title else title for title in _titles(signatories)]
    taken: set[int] = set()
    readings: list[DateReading] = []
    for index, signatory in enumerate(signatories):
        date = signatory.date if own_dates else block_date
        party = _party_for(signatory, parties, taken)
        if party is not None:
            taken.add(party)
        path = f"signatures.{index}"
        name = words.spelling_of_person(
            re.sub(r"^\S+\s+", "", signatory.name) if _civility(signatory.name) else signatory.name
        )
        found.set(f"{path}.name", name, start=signatory.start, end=signatory.end)
        if titles[index] and signatory.title_span:
            found.set(f"{path}.title", titles[index], start=signatory.title_span[0], end=signatory.title_span[1])
        else:
            found.set(f"{path}.title", titles[index])
        _set_date(found, path, date)
        found.set(f"{path}.place", place[0] if place else None)
        found.set(f"{path}.party", party)
        if date is not None:
            readings.append(date)
    if not signatories and block_date is not None:
        readings.append(block_date)
    _set_signature_date(found, readings)


_ONLY_CIVILITY = re.compile(r"(?i)(?:monsieur|madame|mademoiselle|m\.|mme\.?|mlle\.?|mr\.?)")


def _civility(name: str) -> bool:
    return bool(re.match(r"(?i)(?:monsieur|madame|mademoiselle|m\.|mme\.?|mlle\.?|mr\.?)\s", name))


def _set_date(found: Findings, path: str, date: DateReading | None) -> None:
    if date is None or date.value is None:
        found.set(f"{path}.date", None)
        found.set(f"{path}.precision", None)
        raw = date.raw if date is not None and date.reason != dates.BLANK and date.raw else None
        found.set(f"{path}.raw", raw)
        if date is not None and date.reason != dates.BLANK:
            candidates = [
                Candidate(value, date.reason or dates.UNREADABLE, date.start, date.end) for value in date.candidates
            ]
            found.doubt(
                f"{path}.date",
                date.reason or dates.UNREADABLE,
                candidates or [Candidate(None, f"{date.reason} : « {date.raw} »", date.start, date.end)],
            )
        return
    flag = "date partielle (mois seulement)" if date.precision == "month" else None
    found.set(f"{path}.date", date.value, start=date.start, end=date.end, flag=flag)
    found.set(f"{path}.precision", date.precision)
    found.set(f"{path}.raw", date.raw if date.precision != "day" else None)


def _set_signature_date(found: Findings, readings: list[DateReading]) -> None:
    """The latest legible date; flagged when other dates could not be read."""
    best = dates.latest(readings)
    unreadable = [reading for reading in readings if reading.value is None and reading.reason != dates.BLANK]
    blank = [reading for reading in readings if reading.value is None and reading.reason == dates.BLANK]
    if best is None:
        found.set("signature_date", None)
        if unreadable:
            found.doubt(
                "signature_date",
                dates.UNREADABLE,
                [
                    Candidate(value or reading.raw, f"{reading.reason} : « {reading.raw} »", reading.start, reading.end)
                    for reading in unreadable
                    for value in (reading.candidates or (None,))
                ],
            )
        elif blank:
            found.doubt("signature_date", dates.BLANK)
        return
    flags = []
    if best.precision == "month":
        flags.append("date partielle (mois seulement)")
    if unreadable:
        flags.append("certaines dates illisibles")
    if blank:
        flags.append("certaines dates non renseignées")
    found.set(
        "signature_date",
        best.value,
        start=best.start,
        end=best.end,
        confidence=0.7 if flags else 0.9,
        flag=", ".join(flags) or None,
    )
