"""The heading tree of a cleaned text: preamble, titles, articles, numbered sections, annexes.

A heading is a line of its own that starts with a heading word and a number ("Article 2 –",
"TITRE II", "ANNEXE 1"), a dotted number ("1.3.2"), the word "Préambule", or, in a document
without "Article" words, a plain number ("1. Objet"). Markdown ("###") and bold markup around
a line are stripped first; a marked line with no number is an ``other`` heading nested under
the current section. Lines of a table of contents, list items, references inside sentences
and the opening (title, parties) are not headings.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from partenariats.reader.model import Heading, Structure, Text
from partenariats.reader.numbers import heading_number, roman_to_int

# ---------------------------------------------------------------- line patterns

_MARKDOWN = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS = re.compile(r"\*+|(?<!\w)__|__(?!\w)")
_BULLET = re.compile(r"^[•·\-–—√✓✔►▪■◦●○➢>]+\s*")
# Separator between a heading's number and its label: dashes, colon, dot (any mix, OCR doubles them).
# "Article 1er. – Objet": a full stop then a dash, spaces between.
_SEPARATOR = re.compile(r"^\s*(?:[:.\-–−—‐‑]\s*)+")
_NUMBER_WORD = r"\d{1,3}\s?(?:er|ER|ère)?|[IVXLC]{1,7}|premier|PREMIER|Premier|unique|UNIQUE"
_ARTICLE = re.compile(
    rf"^(?:ARTICLE|Article|Art\.)\s*(?P<num>(?:\d{{1,3}}(?:\s?\.\s?\d{{1,2}}){{1,3}})|{_NUMBER_WORD})(?P<rest>.*)$"
)
_TITLE = re.compile(rf"^(?:TITRE|Titre)\s+(?P<num>{_NUMBER_WORD})(?P<rest>.*)$")
_ANNEX = re.compile(rf"^(?:ANNEXES?|Annexes?)(?:\s+(?P<num>{_NUMBER_WORD}|[A-H](?![\w'’])))?(?P<rest>.*)$")
_PREAMBLE = re.compile(r"^(?:PR[ÉE]AMBULE|Pr[ée]ambule|EXPOS[ÉE] DES MOTIFS|Expos[ée] des motifs)\s*[:.]?$")
# "1.3", "1.3.2", "2. 9" (OCR spaces), with an optional final dot.
_SECTION = re.compile(r"^(?P<num>\d{1,2}(?:\s?\.\s?\d{1,2}){1,3})\.?(?P<rest>(?:\s|[:\-–−—]).*)$")
# "1-1 Contexte", "2-3 – Engagements": sub-articles numbered with a hyphen (label in capitals: "10-12 ans" is not one).
_HYPHEN_SECTION = re.compile(r"^(?P<num>\d{1,2}(?:-\d{1,2}){1,2})(?P<rest>\s+(?:[:\-–−—]\s*)?[A-ZÀ-ÖØ-Þ].*)$")
# "1. Objet", "II – Engagements": top-level only in documents without "Article" words.
_PLAIN = re.compile(r"^(?P<num>\d{1,2}|[IVXL]{1,5})\s*(?P<sep>[.)\-–−—:])\s*(?P<rest>\S.*)$")
# A table-of-contents line ends with a page number after a tab, spaces or leader dots.
_TOC_LINE = re.compile(r"(?:\t|\s{3,}|\.{3,}|…+|_{3,})\s*(?:p\.?|page)?\s*\d{1,3}\s*$", re.IGNORECASE)
# The signature block: "Fait à …", "Fait en deux exemplaires", "Convention établie et signée en…".
_SIGNATURE = re.compile(
    r"^[\s*_]*(?:Fait|FAIT|Effectu[ée]e?s?|[ÉE]tabli(?:e|s|es)?|Sign[ée]e?s?|"
    r"Convention\s+(?:[ée]tablie|sign[ée]e|faite))\b(?:\s+et\s+sign[ée]e?s?)?\s*(?:[àa]\b|au\b|le\b|en\b|,|\.{2,}|…)"
)
# The end of the opening: "il a été convenu ce qui suit", "d'autre part".
_OPENING_END = re.compile(r"ce qui suit|d['’]autre part|il (?:a été|est) (?:expressément )?convenu", re.IGNORECASE)
_LETTER_START = re.compile(r"^[«\"“'(]?\s*[^\W\d_]")
_UPPER_START = re.compile(r"^[«\"“'(]?\s*[A-ZÀ-ÖØ-Þ]")
# A line ending mid-sentence: the next line continues it.
_MID_SENTENCE = re.compile(r"[a-zà-öø-ÿ,'’\-]\s*$")
_FUNCTION_WORD_END = re.compile(r"(?:\b(?:de|des|du|d['’]|la|le|les|l['’]|et|ou|à|au|aux|en|pour|par|sur|avec)|,)\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

# Rank: a smaller rank contains the larger ones. Preamble and annexes are top-level.
_RANK = {"preamble": 0, "annex": 0, "title": 1, "article": 2}
_MAX_LABEL = 320


@dataclass
class _Candidate:
    kind: str
    number: str
    label: str
    start: int
    end: int
    line: int
    marked: bool
    rank: float = 0.0
    children: list[_Candidate] = field(default_factory=list)


@dataclass
class _Line:
    start: int
    end: int
    raw: str


def _lines(text: str) -> list[_Line]:
    lines = []
    offset = 0
    for raw in text.split("\n"):
        lines.append(_Line(offset, offset + len(raw), raw))
        offset += len(raw) + 1
    return lines


def _unmark(raw: str) -> tuple[str, bool, bool]:
    """The line without Markdown/bold markup and bullets; whether it was marked; whether it had a bullet."""
    line = raw.strip()
    marked = False
    if _MARKDOWN.match(line):
        line = _MARKDOWN.sub("", line)
        marked = True
    if line.startswith(("**", "__")) and line.rstrip(" :").endswith(("**", "__")):
        marked = True
    line = _EMPHASIS.sub("", line).strip()
    bullet = False
    stripped = _BULLET.sub("", line)
    if stripped != line:
        bullet = True
        line = stripped.strip()
    return " ".join(line.split()), marked, bullet


# ---------------------------------------------------------------- labels


def _label_from_rest(rest: str, *, need_separator_or_upper: bool) -> str | None:
    """The label after a heading's number, or None when ``rest`` does not read as a heading's tail."""
    if not rest.strip():
        return ""
    separated = _SEPARATOR.match(rest)
    if separated:
        label = rest[separated.end() :]
    elif rest[:1].isspace():
        label = rest.strip()
        if need_separator_or_upper and not _UPPER_START.match(label):
            return None  # "Article 3 du code…": a reference, not a heading
    else:
        return None  # "Article 12bis", "Article R.6III": not our numbering
    label = label.strip()
    if label and not _LETTER_START.match(label):
        return None
    return label


_ACCENTS = {"e": "éèê", "c": "ç", "a": "àâ", "i": "îï", "o": "ô", "u": "ùû"}


def _accent_variants(word: str, most: int = 3):
    """Spellings of an unaccented word with accents put back, fewest changes first (at most ``most``)."""
    slots = [index for index, char in enumerate(word) if char in _ACCENTS]
    for count in range(1, min(most, len(slots)) + 1):
        for chosen in itertools.combinations(slots, count):
            for accents in itertools.product(*(_ACCENTS[word[index]] for index in chosen)):
                chars = list(word)
                for index, accent in zip(chosen, accents, strict=True):
                    chars[index] = accent
                yield "".join(chars)


def _lexicon():
    # Imported late: the word list loads once, on the first heading that needs it.
    from partenariats.reader import lexicon

    return lexicon


def join_split_words(label: str) -> str:
    """Join OCR-split words ("parte nariat" → "partenariat") when only the joined form is a word."""
    lexicon = _lexicon()
    tokens = label.split(" ")
    out: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if index + 1 < len(tokens):
            following = tokens[index + 1]
            head = re.sub(r"^.*['’]", "", token)
            tail = re.match(r"^[^\W\d_]+", following)
            if head.isalpha() and tail and head and tail.group(0) == following.rstrip(",.;:»)"):
                joined = head + tail.group(0)
                if (not lexicon.is_word(head) or not lexicon.is_word(tail.group(0))) and lexicon.is_word(joined):
                    out.append(token + following)
                    index += 2
                    continue
        out.append(token)
        index += 1
    return " ".join(out)


def _restore_word(word: str) -> str:
    """A word printed in capitals, in lower case with its accents put back when the dictionary knows it."""
    lexicon = _lexicon()
    lower = word.lower()
    if lexicon.is_word(lower) or not lower.isascii():
        return lower
    for variant in _accent_variants(lower):
        if lexicon.is_word(variant):
            return variant
    if len(word) == 1:
        return lower  # an elided article: "D'ACTION"
    if len(word) <= 5:
        return word  # an acronym: "MEDEF", "CPME", "GRETA"
    return lower.capitalize()  # a proper noun: "OCCITANIE" → "Occitanie"


def sentence_case(label: str, *, capitalise: bool = True) -> str:
    """An all-capitals label in sentence case, accents restored: "OBJET DE LA CONVENTION" → "Objet de la convention"."""
    letters = [char for char in label if char.isalpha()]
    if not letters or sum(char.isupper() for char in letters) < 0.8 * len(letters):
        return label

    def fix(match: re.Match) -> str:
        parts = re.split(r"(['’-])", match.group(0))
        return "".join(part if part in "'’-" else _restore_word(part) for part in parts)

    lowered = _WORD.sub(fix, label)
    if not capitalise:
        return lowered
    index = next((i for i, char in enumerate(lowered) if char.isalpha()), None)
    if index is None:
        return lowered
    return lowered[:index] + lowered[index].upper() + lowered[index + 1 :]


def clean_label(label: str) -> str:
    """A heading's label as displayed: markup gone, split words joined, capitals to sentence case, no trailing dots."""
    label = _EMPHASIS.sub("", label).replace("’", "'")
    label = re.sub("[\u00ad\ufffe\u200b\u2060]", "", label)  # soft hyphens a PDF layer leaves inside words
    label = " ".join(label.split())
    label = label.strip(" .:;,-–—")
    if not label:
        return ""
    label = join_split_words(label)
    return sentence_case(label)


# ---------------------------------------------------------------- candidates


def _number(token: str) -> str | None:
    """A heading number in Arabic figures: "II" → "2", "1er" → "1", "2. 9" → "2.9"."""
    token = re.sub(r"\s+", "", token)
    if "." in token.strip("."):
        return token.strip(".")
    if re.fullmatch(r"[A-H]", token):
        return token
    value = heading_number(token)
    if value is None:
        value = heading_number(re.sub(r"(?i)(er|ère)$", "", token) or token)
    return None if value is None else str(value)


def _classify(line: str, bullet: bool) -> tuple[str, str, str] | None:
    """(kind, number, raw label) when ``line`` reads as a heading of a known kind, else None."""
    if _PREAMBLE.match(line):
        return None if bullet else ("preamble", "", "")
    for kind, pattern in (("article", _ARTICLE), ("title", _TITLE), ("annex", _ANNEX)):
        match = pattern.match(line)
        if not match:
            continue
        if bullet:
            return None
        number = _number(match.group("num")) if match.group("num") else ""
        if number is None:
            return None
        label = _label_from_rest(match.group("rest"), need_separator_or_upper=True)
        if label is None:
            return None
        if kind == "article" and "." in number:
            return ("section", number, label)
        return (kind, number, label)
    match = _SECTION.match(line)
    if match:
        label = _label_from_rest(match.group("rest"), need_separator_or_upper=False)
        if label:
            return ("section", re.sub(r"\s+", "", match.group("num")), label)
        return None
    match = _HYPHEN_SECTION.match(line)
    if match and not bullet:
        label = _label_from_rest(match.group("rest"), need_separator_or_upper=True)
        if label:
            return ("section", match.group("num").replace("-", "."), label)
    match = _PLAIN.match(line)
    if match and not bullet:
        number = match.group("num")
        value = int(number) if number.isdigit() else roman_to_int(number)
        label = match.group("rest").strip()
        if value and _UPPER_START.match(label) and not label.rstrip().endswith((";", ",")):
            return ("plain", str(value), label)
    return None


def _candidates(lines: list[_Line]) -> tuple[list[_Candidate], list[int]]:
    """Every line that reads as a heading, and the offsets where a signature block starts."""
    found: list[_Candidate] = []
    signatures: list[int] = []
    previous = ""  # the previous non-blank line, unmarked
    previous_heading = False
    blank_before = True
    index = 0
    while index < len(lines):
        item = lines[index]
        raw = item.raw
        if not raw.strip():
            blank_before = True
            index += 1
            continue
        text, marked, bullet = _unmark(raw)
        if _SIGNATURE.match(raw.strip()):
            signatures.append(item.start + len(raw) - len(raw.lstrip()))
        classified = None if _TOC_LINE.search(raw) or len(text) > _MAX_LABEL + 20 else _classify(text, bullet)
        if classified is None and marked and not bullet and _other_heading_text(text):
            classified = ("other", "", text)
        # A line that continues the previous one's sentence is not a heading ("… prévu à\nArticle 3 du code").
        mid_sentence = not marked and not blank_before and not previous_heading and _MID_SENTENCE.search(previous)
        if classified and mid_sentence and (classified[0] in ("plain", "section") or not _has_separator(text)):
            classified = None
        if classified is None:
            previous, previous_heading, blank_before = text, False, False
            index += 1
            continue
        kind, number, label = classified
        start = item.start + len(raw) - len(raw.lstrip())
        end = item.start + len(raw.rstrip())
        # A label running over a second line: "Article 2 – Renforcer la qualité de\nl'insertion professionnelle".
        if label and kind != "other" and index + 1 < len(lines):
            following = lines[index + 1]
            following_text, following_marked, following_bullet = _unmark(following.raw)
            after_blank = index + 2 >= len(lines) or not lines[index + 2].raw.strip()
            # In a text printed in capitals, the rest of the label is in capitals too: then only a label
            # ending on "ET", "DES", "LES"… surely runs on (the body's first line also starts with a capital).
            in_capitals = _all_capitals(label) and _all_capitals(following_text)
            if (
                following_text
                and not following_bullet
                and not following_marked
                and len(following_text) <= 120
                and (following_text[0].islower() or in_capitals)
                and not label.rstrip().endswith((".", ":", ";", "!", "?"))
                and _classify(following_text, False) is None
                and (
                    _FUNCTION_WORD_END.search(label.lower() if in_capitals else label)
                    or (after_blank and len(raw.strip()) >= 60 and not in_capitals)
                )
            ):
                label = f"{label} {following_text}"
                end = following.start + len(following.raw.rstrip())
                index += 1
            else:
                # A long label wrapped over several lines by a PDF's page width (large heading type):
                # lower-case lines right under the heading, then a blank line.
                run = _wrapped_label_lines(lines, index, raw)
                if run:
                    label = " ".join([label, *(_unmark(lines[position].raw)[0] for position in run)])
                    end = lines[run[-1]].start + len(lines[run[-1]].raw.rstrip())
                    index = run[-1]
        # "Article 1" alone, its label on the next line ("Objet"), then a blank line or the body.
        if not label and kind in ("article", "title", "annex") and index + 1 < len(lines):
            following_label = _label_below(lines, index)
            if following_label is not None:
                label = following_label
                end = lines[index + 1].start + len(lines[index + 1].raw.rstrip())
                index += 1
        found.append(_Candidate(kind, number, label, start, end, index, marked))
        previous, previous_heading, blank_before = text, True, False
        index += 1
    return found, signatures


def _wrapped_label_lines(lines: list[_Line], index: int, raw: str) -> list[int]:
    """The lines (at most three) that carry on a heading's label wrapped by the page width, or [].

    Each starts in lower case, is at most 80 characters and no heading; the last is followed by a
    blank line and ends without a full stop; the heading's own line is long enough to have wrapped.
    """
    if len(raw.strip()) < 40:
        return []
    run: list[int] = []
    position = index + 1
    while position < len(lines) and len(run) < 3:
        text, marked, bullet = _unmark(lines[position].raw)
        if not text:
            break
        if marked or bullet or len(text) > 80 or not text[0].islower() or _classify(text, False) is not None:
            return []
        run.append(position)
        position += 1
    if not run or (position < len(lines) and lines[position].raw.strip()):
        return []
    last = _unmark(lines[run[-1]].raw)[0]
    if last.rstrip().endswith((".", ";", ":", "!", "?", ",")):
        return []
    return run


def _all_capitals(text: str) -> bool:
    """Whether ``text`` is printed in capitals (at least two letters, none lower-case)."""
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and not any(char.islower() for char in letters)


def _label_below(lines: list[_Line], index: int) -> str | None:
    """The label of a bare heading ("Article 1") printed on the next line, or None when that line is body text.

    The label line is short, starts with a capital, ends without punctuation, is no heading itself, and is
    followed by a blank line, or is at most eight words followed by a line starting with a capital.
    """
    text, _marked, bullet = _unmark(lines[index + 1].raw)
    if not text or bullet or len(text) > 120 or not _UPPER_START.match(text):
        return None
    if text.rstrip().endswith((".", ",", ";", ":", "!", "?")) or _FUNCTION_WORD_END.search(text):
        return None
    if _classify(text, False) is not None or _SIGNATURE.match(text):
        return None
    after = lines[index + 2].raw.strip() if index + 2 < len(lines) else ""
    if not after:
        return text
    after_text, _marked, _bullet = _unmark(after)
    if len(text.split()) <= 8 and _UPPER_START.match(after_text):
        return text
    return None


def _has_separator(line: str) -> bool:
    """Whether a heading word and its number are followed by a separator ("Article 3 – …", "TITRE II :")."""
    return bool(re.match(rf"^\S+\s*(?:{_NUMBER_WORD})?\s*[:.\-–−—]", line))


def _other_heading_text(text: str) -> bool:
    """A marked line with no number reads as a heading: short, capitalised, not a sentence's start."""
    if not 3 <= len(text) <= 150 or not _UPPER_START.match(text):
        return False
    if text.rstrip().endswith((":", ";", ",")):
        return False
    return len(text.split()) <= 16


# ---------------------------------------------------------------- selection and tree


def _drop_table_of_contents(found: list[_Candidate], text: str) -> list[_Candidate]:
    """Drop the first of two identical numbered headings when nothing but headings follows it (a table of contents)."""
    keys: dict[tuple[str, str], int] = {}
    for candidate in found:
        if candidate.kind not in ("other", "plain"):
            key = (candidate.kind, candidate.number)
            keys[key] = keys.get(key, 0) + 1
    kept = []
    for position, candidate in enumerate(found):
        key = (candidate.kind, candidate.number)
        if candidate.kind not in ("other", "plain") and keys.get(key, 0) > 1:
            following = found[position + 1].start if position + 1 < len(found) else len(text)
            if not text[candidate.end : following].strip():
                keys[key] -= 1
                continue
        kept.append(candidate)
    return kept


def _select(found: list[_Candidate], text: str, signatures: list[int]) -> list[_Candidate]:
    """The candidates that are headings of this document, with their ranks, in order."""
    has_article = any(candidate.kind == "article" for candidate in found)
    strong = [c for c in found if c.kind in ("preamble", "article", "title", "annex")]
    first_strong = strong[0].start if strong else len(text)
    opening = _OPENING_END.search(text, 0, min(first_strong, len(text)))
    opening_end = opening.end() if opening else 0

    selected: list[_Candidate] = []
    context: dict[str, _Candidate] = {}  # the current "title", "article" (also a plain article)
    last_plain = 0
    in_signature = False
    sig_index = 0
    for candidate in found:
        while sig_index < len(signatures) and signatures[sig_index] <= candidate.start:
            in_signature = True
            sig_index += 1
        kind = candidate.kind
        if kind in ("preamble", "title", "annex", "article"):
            in_signature = False
            if kind == "title":
                context = {"title": candidate}
                last_plain = 0
            elif kind == "annex":
                context = {}
                last_plain = 0
            elif kind == "article":
                context["article"] = candidate
            elif kind == "preamble":
                context = {}
            candidate.rank = _RANK[kind]
            selected.append(candidate)
            continue
        if kind == "plain":
            value = int(candidate.number)
            if has_article or candidate.start < opening_end or in_signature:
                continue
            if value != last_plain + 1 and not (last_plain == 0 and value <= 2):
                continue
            if len(candidate.label.split()) > 16 or candidate.label.rstrip().endswith("."):
                continue
            last_plain = value
            candidate.kind = "article"
            candidate.rank = _RANK["article"]
            context["article"] = candidate
            selected.append(candidate)
            continue
        if kind == "section":
            parts = candidate.number.split(".")
            parent = context.get("article") or context.get("title")
            if parent is not None and parent.number != parts[0]:
                continue  # "3.1" inside Article 2: a list item, an amount or an OCR slip
            if in_signature or (parent is None and candidate.start < opening_end):
                continue  # a numbered line of the signature block or of the opening
            if not candidate.label or not (_UPPER_START.match(candidate.label) or parent is not None):
                continue
            candidate.rank = _RANK["article"] + len(parts) - 1
            selected.append(candidate)
            continue
        # "other": a marked line, only inside the body and never after the signature block.
        if candidate.start < max(first_strong, opening_end) or in_signature:
            continue
        candidate.rank = 99
        selected.append(candidate)
    return selected


def _tree(selected: list[_Candidate], has_strong: bool) -> list[_Candidate]:
    top: list[_Candidate] = []
    stack: list[_Candidate] = []
    for candidate in selected:
        while stack and (
            stack[-1].rank >= candidate.rank
            or stack[-1].kind == "other"
            or (stack[-1].kind == "preamble" and candidate.kind != "other")
        ):
            stack.pop()
        if candidate.kind == "other" and not stack and has_strong:
            continue  # a bold line between two articles: not a section of its own
        (stack[-1].children if stack else top).append(candidate)
        stack.append(candidate)
    return top


def _build(candidates: list[_Candidate], level: int, limit: int, signatures: list[int]) -> list[Heading]:
    headings = []
    for position, candidate in enumerate(candidates):
        body_end = candidates[position + 1].start if position + 1 < len(candidates) else limit
        # The signature block ends the last section before it ("Fait à …, le …").
        # Not before a child, though: a section cannot end before its own sub-sections.
        cut = bisect.bisect_left(signatures, candidate.children[-1].start if candidate.children else candidate.end)
        if cut < len(signatures) and signatures[cut] < body_end:
            body_end = signatures[cut]
        heading = Heading(
            kind=candidate.kind,
            number=candidate.number,
            label=clean_label(candidate.label),
            level=level,
            start=candidate.start,
            end=candidate.end,
            body_end=max(body_end, candidate.end),
        )
        heading.children = _build(candidate.children, level + 1, heading.body_end, signatures)
        headings.append(heading)
    return headings


def parse(text: Text) -> Structure:
    """The heading tree of ``text``: top-level headings (preamble, titles, articles, annexes) and their sections."""
    content = text.text
    found, signatures = _candidates(_lines(content))
    found = _drop_table_of_contents(found, content)
    selected = _select(found, content, signatures)
    has_strong = any(candidate.kind != "other" for candidate in selected)
    top = _tree(selected, has_strong)
    return Structure(top=_build(top, 1, len(content), signatures))
