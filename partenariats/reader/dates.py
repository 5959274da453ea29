"""French dates as conventions print them: "17 mai 2010", "1er septembre 2022", "18.III.2021",
"18/03/2021", "2021-03-18", "mars 2021", blanks ("le ………") and OCR garble ("22 Marvier 2018").

A date is read only when the text gives it: a month-only date stays a month ("2021-03",
precision "month"), a garbled month leaves the value empty with the close months as candidates.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

YEAR_MIN, YEAR_MAX = 1950, 2100

BLANK = "date non renseignée"
UNREADABLE = "date illisible"
BAD_MONTH = "mois illisible"
IMPOSSIBLE = "date impossible"


@dataclass(frozen=True)
class DateReading:
    """One date as read: ``value`` ("YYYY-MM-DD", "YYYY-MM" or None), how precise, and why not read."""

    value: str | None
    precision: str | None  # "day" | "month" | None
    raw: str  # the text as written
    reason: str | None = None  # French, when ``value`` is None
    candidates: tuple[str, ...] = ()  # possible values when the text is close to a date
    start: int = 0  # offsets of ``raw`` in the text that was searched
    end: int = 0

    @property
    def legible(self) -> bool:
        return self.value is not None


# Folding keeps one character per character so that offsets in the folded text are the original's.
_FOLD_TABLE = {}
for _code in range(0x00C0, 0x0250):
    _char = chr(_code)
    _base = unicodedata.normalize("NFD", _char)[0].lower()
    if len(_base) == 1 and _base != _char:
        _FOLD_TABLE[_code] = _base
_FOLD_TABLE.update({ord("’"): "'", ord("ʼ"): "'", ord("‘"): "'", ord("`"): "'"})


_FOLD_CHARS = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD_TABLE)) + "]")


@lru_cache(maxsize=16)
def _fold_long(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if lowered.isascii():
        return lowered
    return _FOLD_CHARS.sub(lambda match: _FOLD_TABLE[ord(match.group())], lowered)


def fold(text: str) -> str:
    """Lower case without accents, same length as ``text`` (offsets carry over)."""
    # the whole document is folded by several readers: remember the last few long texts
    return _fold_long(text) if len(text) > 2000 else _fold(text)


# Month words (folded). English names appear in OCR'd or bilingual conventions.
_MONTH_WORDS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("janvier", "janv", "january", "jan"),
        ("fevrier", "fevr", "fev", "february", "feb"),
        ("mars", "march"),
        ("avril", "avr", "april", "apr"),
        ("mai", "may"),
        ("juin", "june"),
        ("juillet", "juil", "july"),
        ("aout", "august", "aug"),
        ("septembre", "sept", "sep", "september"),
        ("octobre", "oct", "october"),
        ("novembre", "nov", "november"),
        ("decembre", "dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTH_WORDS[_name] = _number
# Full names only: the garble check compares a damaged word with these.
_FULL_MONTHS = {name: number for name, number in _MONTH_WORDS.items() if len(name) >= 4 or name == "mai"}

_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}

_MONTH_RE = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_NUMBER_WORD = (
    r"(?:(?:vingt|trente)(?:[- ]et[- ]un|-(?:deux|trois|quatre|cinq|six|sept|huit|neuf))?"
    r"|dix(?:-sept|-huit|-neuf)?|onze|douze|treize|quatorze|quinze|seize"
    r"|deux|trois|quatre|cinq|six|sept|huit|neuf|un)"
)
_DAY = rf"(?P<day>(?<![\d.,/])\d{{1,2}}|1\s?er|premier|{_NUMBER_WORD})"
_YEAR = r"(?P<year>(?<!\d)\d{4}(?!\d)|deux[- ]mille(?:[- ](?:et[- ])?[a-z]+){0,3})"

# All patterns run on the folded text.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"(?<![\d/.])(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")),
    (
        "numeric",
        re.compile(
            r"(?<![\d/.-])(?P<day>\d{1,2})\s?(?P<sep>[./-])\s?(?P<month>\d{1,2})\s?(?P=sep)\s?"
            r"(?P<year>\d{4}|\d{2})(?![\d/])"
        ),
    ),
    (
        "roman",
        re.compile(
            r"(?<![\d.])(?P<day>\d{1,2})\s?[./ -]\s?(?P<month>xii|xi|x|ix|viii|vii|vi|v|iv|iii|ii|i)\s?[./ -]\s?"
            r"(?P<year>\d{4})(?!\d)"
        ),
    ),
    # a Roman month damaged by OCR, "I" read as "1", "l" or "|": "18.II1.2021"
    (
        "roman_ocr",
        re.compile(
            r"(?<![\d.])(?P<day>\d{1,2})\s?[./ -]\s?(?P<month>(?=[ivx1l|]*[ivx])(?=[ivx1l|]*[1l|])[ivx1l|]{2,4})"
            r"\s?[./ -]\s?(?P<year>\d{4})(?!\d)"
        ),
    ),
    ("dmy", re.compile(rf"\b{_DAY}\s*(?P<month>{_MONTH_RE})\b\.?,?\s*{_YEAR}")),
    ("my", re.compile(rf"\b(?P<month>{_MONTH_RE})\b\.?,?\s*{_YEAR}")),
    # a day, a word that should be the month, a year: the month is damaged
    (
        "garbled",
        re.compile(r"(?<![\d.,/])(?P<day>\d{1,2}|1\s?er)\s+(?P<word>[a-z]{3,12})\.?\s+(?P<year>(?:19|20)\d\d)(?!\d)"),
    ),
    ("garbled_my", re.compile(r"\b(?P<word>[a-z]{4,12})\.?\s+(?P<year>(?:19|20)\d\d)(?!\d)")),
)
_PRIORITY = {name: rank for rank, (name, _) in enumerate(_PATTERNS)}
# What a blank date looks like once the words around it are gone: dots, dashes, underscores.
_BLANK_RE = re.compile(r"^[\s.…_\-–—/:*]*$")
_FILLER_RE = re.compile(r"\b(?:le|date|du|en|signe|signee|a)\b|[,;:]")


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short words: the month check)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return current[-1] if a else len(b)


def close_months(word: str) -> list[int]:
    """The months a damaged month word may be: those within two edits (one for words under 7 letters)."""
    word = fold(word)
    limit = 2 if len(word) >= 7 else 1
    scored: dict[int, int] = {}
    for name, number in _FULL_MONTHS.items():
        distance = _edit_distance(word, name)
        if distance <= limit and distance < len(name) // 2 + 1:
            scored[number] = min(scored.get(number, 99), distance)
    best = min(scored.values(), default=None)
    return sorted(number for number, distance in scored.items() if distance == best)


def _day_value(token: str) -> int | None:
    token = token.replace(" ", "")
    if token.isdigit():
        return int(token)
    if token in ("1er", "premier"):
        return 1
    try:
        return int(text2num(token.replace(" ", "-"), "fr"))
    except ValueError:
        try:
            return int(text2num(token, "fr"))
        except ValueError:
            return None


def _year_value(token: str) -> int | None:
    if token.isdigit():
        year = int(token)
        if len(token) == 2:  # "18/03/21": the century is the nearest to today's conventions
            year += 2000 if year <= 50 else 1900
        return year
    words = token.split()
    # "deux mille dix-huit le": drop trailing words until the number reads
    for size in range(len(words), 1, -1):
        try:
            return int(text2num(" ".join(words[:size]), "fr"))
        except ValueError:
            continue
    return None


def _valid(year: int, month: int, day: int | None) -> str | None:
    """The ISO value, or None when no calendar has that day."""
    if not (YEAR_MIN <= year <= YEAR_MAX) or not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _roman_ocr(token: str, day: int | None, year: int, raw: str, span: dict) -> DateReading:
    """A Roman month with OCR slips ("ii1"): read when one reading only is a month, Roman ("iii" → 3) or
    in figures ("1l" → 11); else left empty with both as candidates."""
    roman = _ROMAN.get(re.sub(r"[1l|]", "i", token))
    figures = re.sub(r"[il|]", "1", token)
    digit = int(figures) if figures.isdigit() and 1 <= int(figures) <= 12 else None
    months = sorted({month for month in (roman, digit) if month is not None})
    values = [value for month in months if (value := _valid(year, month, day))]
    if len(values) == 1:
        return DateReading(values[0], "day" if day is not None else "month", raw, None, (), **span)
    return DateReading(None, None, raw, UNREADABLE, tuple(values), **span)


def _reading(kind: str, match: re.Match[str], original: str, offset: int) -> DateReading | None:
    """What one pattern's match says; None when the match is not a date after all."""
    start, end = match.start(), match.end()
    raw = original[start:end].strip()
    groups = match.groupdict()
    year = _year_value(groups["year"])
    if year is None:
        return None
    span = {"start": offset + start, "end": offset + end}
    if kind in ("garbled", "garbled_my"):
        word = groups["word"]
        if word in _MONTH_WORDS:
            return None
        months = close_months(word)
        if kind == "garbled_my" and not months:
            return None  # "Paris 2018" is no date
        day = _day_value(groups["day"]) if kind == "garbled" else None
        candidates = tuple(value for month in months if (value := _valid(year, month, day)))
        return DateReading(None, None, raw, BAD_MONTH, candidates, **span)
    if kind == "roman_ocr":
        return _roman_ocr(groups["month"], _day_value(groups["day"]), year, raw, span)
    if kind == "iso" or kind == "numeric":
        month, day = int(groups["month"]), int(groups["day"])
    elif kind == "roman":
        month, day = _ROMAN[groups["month"]], int(groups["day"])
    elif kind == "dmy":
        month, day = _MONTH_WORDS[groups["month"]], _day_value(groups["day"])
        if day is None:
            return None
    else:  # "my": the month only, never a made-up day
        month, day = _MONTH_WORDS[groups["month"]], None
    value = _valid(year, month, day)
    if value is None:
        return DateReading(None, None, raw, IMPOSSIBLE, (), **span)
    return DateReading(value, "day" if day is not None else "month", raw, None, (), **span)


def find_dates(text: str, offset: int = 0) -> list[DateReading]:
    """Every date written in ``text``, in order, not overlapping; offsets shifted by ``offset``."""
    folded = fold(text)
    hits: list[tuple[int, int, int, str, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            hits.append((match.start(), -(match.end() - match.start()), _PRIORITY[kind], kind, match))
    hits.sort(key=lambda hit: hit[:3])
    readings: list[DateReading] = []
    taken_until = -1
    for start, _length, _rank, kind, match in hits:
        if start < taken_until:
            continue
        reading = _reading(kind, match, text, offset)
        if reading is not None:
            readings.append(reading)
            taken_until = match.end()
    return readings


def is_blank(text: str) -> bool:
    """True when ``text`` holds no date at all, only the dots or underscores left to fill one in."""
    return bool(_BLANK_RE.match(_FILLER_RE.sub(" ", fold(text))))


def parse_date(text: str) -> DateReading:
    """The first date written in ``text``; a blank or unreadable one gives ``value`` None and a reason."""
    raw = text.strip()
    found = find_dates(text)
    if found:
        return found[0]
    if is_blank(text):
        return DateReading(None, None, raw, BLANK)
    return DateReading(None, None, raw, UNREADABLE)


def latest(readings: list[DateReading]) -> DateReading | None:
    """The latest legible date; a month-only date beats full dates of its month or earlier ones."""
    best: DateReading | None = None
    for reading in readings:
        if reading.value is None:
            continue
        if best is None or _later(reading.value, best.value or ""):
            best = reading
    return best


def _later(a: str, b: str) -> bool:
    """Whether ``a`` is later than ``b``; a month-only value counts as the end of its month."""
    key_a = a if len(a) == 10 else a + "-99"
    key_b = b if len(b) == 10 else b + "-99"
    return key_a > key_b
