"""Word repairs: words split by OCR, words cut at a line end, accents lost by OCR.

Every decision asks the French dictionary (``lexicon``) and the document's own vocabulary
(the words it uses elsewhere, counted once over the whole text): no list of expected words.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from partenariats.reader import lexicon

# A word token: letters only (figures, e-mails and URLs are never part of one).
WORD = re.compile(r"[^\W\d_]+")
# Spans never touched: e-mail addresses, URLs and bare domain names.
# (Each pattern starts only where a run of its characters starts, so that it scans the
# text once instead of retrying from every letter: the cleanup has a time budget.)
_PROTECTED = re.compile(
    r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+"
    r"|(?<![\w.-])[\w-]++(?:\.[\w-]+)*\.(?:fr|com|org|net|eu|gouv|info|edu)\b",
    re.IGNORECASE,
)
_LINE_CUT = re.compile(r"(?<![^\W\d_])[^\W\d_]++-[ \t]*\n[ \t]*[^\W\d_]+")
_COMPOUND = re.compile(r"(?<![^\W\d_])[^\W\d_]++(?:-[^\W\d_]+)+")

# Below this corpus frequency a short dictionary word is too rare to be trusted as a word
# standing on its own next to another fragment ("immers ion": "ion" is a word, but a rare
# one). Only short pieces: the corpus is conversational, so long formal words ("mobilisation")
# are rare in it and yet real ("de mobilisation" must not become "démobilisation").
RARE = 1000
RARE_LENGTH = 3
# A two-letter word used at most this often in a document may be a fragment ("es", "nt").
TINY_USES = 3
# Single letters that are French words by themselves.
_LETTER_WORDS = frozenset("aày")


class Vocabulary:
    """The document's own words, counted once over the whole text (lower case)."""

    def __init__(self, text: str):
        # An address's or a URL's letters are no words of the text, nor are the two ends of a
        # word cut at a line end (counted once joined, they would make "savoir-" + "être" one word).
        lowered = _LINE_CUT.sub(" ", _PROTECTED.sub(" ", text)).lower()
        self.words: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, ...]] = Counter()
        # Words printed next to a stray letter ("Marseill e"): such an occurrence may be a split's piece,
        # so it does not show that the document uses the word on its own.
        self.beside_letter: Counter[str] = Counter()
        for line in lowered.split("\n"):
            tokens = WORD.findall(line)
            self.words.update(tokens)
            self.pairs.update(itertools.pairwise(tokens))
            for left, right in itertools.pairwise(tokens):
                if len(right) == 1 and right not in _LETTER_WORDS and len(left) > 1:
                    self.beside_letter[left] += 1
                elif len(left) == 1 and left not in _LETTER_WORDS and len(right) > 1:
                    self.beside_letter[right] += 1
        self.compounds: Counter[str] = Counter()
        for compound in _COMPOUND.findall(lowered):
            parts = compound.split("-")
            self.compounds.update(f"{left}-{right}" for left, right in itertools.pairwise(parts))
        # Per-document memo of dictionary answers (the same words come back hundreds of times).
        self._frequencies: dict[str, int] = {}
        self._known: dict[str, bool] = {}
        self._may_be_weak: dict[str, bool] = {}
        self.accents: dict[str, str | None] = {}  # token → its repaired spelling (restore_accents)

    def count(self, word: str) -> int:
        return self.words[word.lower()]

    def frequency(self, lowered: str) -> int:
        """The dictionary frequency of a lower-case word, or of its accented form when it lost its accents."""
        found = self._frequencies.get(lowered)
        if found is None:
            found = lexicon.frequency(lowered)
            if not found:
                forms = lexicon.accented_forms(lowered)
                found = lexicon.frequency(forms[0]) if forms else 0
            self._frequencies[lowered] = found
        return found

    def known(self, word: str) -> bool:
        """A word of the dictionary (accents aside) or one the document uses on its own."""
        lowered = word.lower()
        found = self._known.get(lowered)
        if found is None:
            found = self.frequency(lowered) > 0 or bool(lexicon.accented_forms(lowered)) or self.words[lowered] > 0
            self._known[lowered] = found
        return found

    def may_be_weak(self, piece: str) -> bool:
        """A cheap first look: could this piece fail to stand alone (see ``_weak``)?"""
        found = self._may_be_weak.get(piece)
        if found is None:
            found = self._may_be_weak[piece] = self._look_weak(piece.lower())
        return found

    def _look_weak(self, lowered: str) -> bool:
        if len(lowered) == 1:
            return lowered not in _LETTER_WORDS
        if len(lowered) == 2 and self.words[lowered] <= TINY_USES:
            return True  # a tiny word the document hardly uses ("entrepris es")
        frequency = self.frequency(lowered)
        return frequency == 0 or (frequency < RARE and len(lowered) <= RARE_LENGTH)


def protected_spans(line: str) -> list[tuple[int, int]]:
    """Where the line holds an e-mail address or a URL (left exactly as printed)."""
    return [match.span() for match in _PROTECTED.finditer(line)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(low < end and start < high for low, high in spans)


def _case_shape_ok(word: str) -> bool:
    """A plausible word's case: all lower, all upper, or capitalised ("Formation", not "FoRMATION")."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _known(word: str, vocabulary: Vocabulary) -> bool:
    """A word of the dictionary (accents aside) or one the document uses on its own."""
    return vocabulary.known(word)


def _weak(piece: str, vocabulary: Vocabulary, together: int) -> bool:
    """True when ``piece`` cannot stand as a word of its own here.

    A stray letter, a fragment that is no word (and that the document does not use
    elsewhere), or a very rare short word ("ion") is weak; "de", "la", "pour" are not.
    ``together`` is how often the piece appears inside the split being judged.
    """
    lowered = piece.lower()
    if len(lowered) == 1:
        return lowered not in _LETTER_WORDS
    frequency = vocabulary.frequency(lowered)
    if frequency == 0:
        # The document's own word (a name, an acronym) is one when it appears outside this split too.
        return vocabulary.count(lowered) <= together
    return frequency < RARE and len(lowered) <= RARE_LENGTH


def _fragment(lowered: str, vocabulary: Vocabulary, together: int) -> bool:
    """True for a stray letter, or a piece that is no word even with its accents set right."""
    if len(lowered) == 1:
        return lowered not in _LETTER_WORDS
    if lexicon.frequency(lowered) or lexicon.accented_forms(lowered):
        return False
    # a name the document also prints on its own is no fragment; its occurrences beside a stray letter do not
    # count (counted, they would make the answer depend on splits elsewhere, and cleaning twice differ)
    return vocabulary.count(lowered) <= max(together, vocabulary.beside_letter[lowered])


def _should_join(pieces: list[str], vocabulary: Vocabulary) -> int:
    """How many of ``pieces`` are weak when they are one word that OCR split, else 0 (``rejoin_splits``)."""
    lowered = [piece.lower() for piece in pieces]
    joined = "".join(pieces)
    if not _case_shape_ok(joined):
        return 0
    together = vocabulary.pairs[tuple(lowered[:2])]
    if not _known(joined, vocabulary):
        # A word missing from the dictionary (a name, a rare word) with a stray letter cut off
        # ("C hancelière", "Marseill e"): the other piece must be no word at all. Two longer
        # non-words side by side may be a foreign phrase ("in situ") and stay apart.
        fragments = len(pieces) == 2 and pieces[1][0].islower() == pieces[0][-1].islower()
        fragments = fragments and min(len(piece) for piece in pieces) == 1 and len(joined) >= 5
        return int(fragments and all(_fragment(piece, vocabulary, together) for piece in lowered))
    weak = sum(_weak(piece, vocabulary, together) for piece in pieces)
    if weak >= len(pieces) - 1:
        return weak
    # Two words, one of them tiny and hardly used in the document, that make a word the
    # document uses unsplit elsewhere ("entrepris es" where "entreprises" appears; "tu es"
    # is not how a convention speaks, whereas "de", "la", "en" are used all along).
    if (
        len(pieces) == 2
        and vocabulary.count(joined) > 0
        and any(len(piece) == 2 and vocabulary.count(piece) <= TINY_USES for piece in pieces)
    ):
        return 1
    return 0


def rejoin_splits(line: str, vocabulary: Vocabulary) -> str:
    """The line with words split by OCR put back together ("e ntreprises" → "entreprises").

    Rule: two (or three) neighbouring fragments separated by spaces are joined when the
    joined form is a word (dictionary, accents aside, or the document's own vocabulary)
    and the fragments cannot all stand alone: at least one of two (two of three) is a
    stray letter, no word, or a very rare short word. "de la", "pour suivre" stay apart.
    When a fragment could join either neighbour ("Les e ntreprises"), it joins the one that
    is weaker on its own ("ntreprises", no word, rather than "Les").
    """
    tokens = list(WORD.finditer(line))
    if len(tokens) < 2:
        return line
    flags = [vocabulary.may_be_weak(match.group()) for match in tokens]
    if not any(flags):
        return line  # only common words: the usual line, decided at once
    spans = protected_spans(line) if ("@" in line or "." in line) else []
    memo: dict[int, tuple[int, tuple[int, int]]] = {}

    def best(start: int) -> tuple[int, tuple[int, int]]:
        if not any(flags[start : start + 2]):
            return (0, (0, 0))  # a join needs a weak piece among its first two
        if start not in memo:
            memo[start] = _best_join(line, tokens, flags, start, spans, vocabulary)
        return memo[start]

    parts: list[str] = []
    position = 0
    index = 0
    while index < len(tokens):
        size, strength = best(index)
        if size:
            following, better = best(index + 1)
            if following and better > strength:
                size = 0  # the next fragment has a better partner: leave this one alone
        if size:
            group = tokens[index : index + size]
            parts.append(line[position : group[0].start()])
            parts.append("".join(match.group() for match in group))
            position = group[-1].end()
            index += size
        else:
            index += 1
    parts.append(line[position:])
    return "".join(parts)


def _best_join(
    line: str,
    tokens: list[re.Match[str]],
    flags: list[bool],
    index: int,
    spans: list[tuple[int, int]],
    vocabulary: Vocabulary,
) -> tuple[int, tuple[int, int]]:
    """The best join of fragments from ``index``: (how many fragments, 0 for none; its strength).

    Strength ranks a join whose result is a word as written above one that needs its
    accents repaired ("de form ation": "formation" beats "déformation"), then by the
    number of weak fragments it absorbs; a tie goes to the longer join.
    """
    best: tuple[int, tuple[int, int]] = (0, (0, 0))
    for size in (3, 2):
        if index + size > len(tokens) or sum(flags[index : index + size]) < size - 1:
            continue
        group = tokens[index : index + size]
        if not _joinable(line, group, spans):
            continue
        pieces = [match.group() for match in group]
        weak = _should_join(pieces, vocabulary)
        if (
            weak
            and _another_stray_letter(line, tokens, index + size, spans)
            and not _known("".join(pieces), vocabulary)
        ):
            weak = 0  # "ntreprises e e": which letter is the word's end is not known; joining one would make
            # the next cleaning join the other (cleaning twice must change nothing)
        if weak:
            joined = "".join(pieces)
            exact = lexicon.is_word(joined) or vocabulary.count(joined) > 0
            strength = (int(exact), weak)
            if strength > best[1]:
                best = (size, strength)
    return best


def _another_stray_letter(line: str, tokens: list[re.Match[str]], index: int, spans: list[tuple[int, int]]) -> bool:
    """True when the token at ``index`` is a stray letter right after the previous one (spaces apart)."""
    if index >= len(tokens) or len(tokens[index].group()) != 1:
        return False
    return tokens[index].group().lower() not in _LETTER_WORDS and _joinable(line, tokens[index - 1 : index + 1], spans)


def _joinable(line: str, group: list[re.Match[str]], spans: list[tuple[int, int]]) -> bool:
    """Fragments only spaces apart, not glued to a figure, and outside e-mails and URLs."""
    for left, right in itertools.pairwise(group):
        gap = line[left.end() : right.start()]
        if not gap or gap.strip(" ") or len(gap) > 2:
            return False
        if line.startswith("'", right.end()):
            return False  # an elided word ("il s'agit", "que l'offre") is complete as it is
    start, end = group[0].start(), group[-1].end()
    before = line[start - 1] if start else " "
    after = line[end] if end < len(line) else " "
    if before.isdigit() or after.isdigit() or before in "@/_." or after in "@_":
        return False
    return not _inside(spans, start, end)


def keep_hyphen(left: str, right: str, vocabulary: Vocabulary, *, chained: bool) -> bool:
    """Whether "left-" at a line end and "right" on the next line form a compound (keep the hyphen).

    Rule: a known compound ("porte-parole", or one the document writes elsewhere) keeps
    its hyphen; a known word once joined ("forma-" + "tion") loses it; otherwise a
    capitalised second part ("Aix-en-" + "Provence"), a link in a chain of hyphens, or two
    common words ("vingt-" + "cinq") keep it, and a cut unknown word ("Del-" + "breil") loses it.
    """
    compound = f"{left}-{right}".lower()
    if lexicon.is_word(compound) or vocabulary.compounds[compound] > 0:
        return True
    joined = left + right
    if _case_shape_ok(joined) and _known(joined, vocabulary):
        return False
    if chained or right[:1].isupper():
        return True
    # Two common words ("vingt-" + "cinq", "savoir-" + "être") make a compound; fragments do not.
    return min(vocabulary.frequency(left.lower()), vocabulary.frequency(right.lower())) >= RARE


def _with_case(model: str, word: str) -> str | None:
    """``word`` written in ``model``'s case (upper, capitalised or lower), or None for mixed case."""
    if model.isupper():
        return word.upper()
    if model.islower():
        return word
    if model[0].isupper() and model[1:].islower():
        return word[:1].upper() + word[1:]
    return None


def restore_accents(line: str, vocabulary: Vocabulary) -> str:
    """The line with accents lost or garbled by OCR put back ("Ecole" → "École", "sür" → "sûr").

    Rule: a token that is no word as written becomes the accented dictionary word it
    spells once accents are set aside, when there is one such word (or one far commoner
    than the others, or only one that the document itself uses); a spelling that is a
    word by itself ("a", "ou", "des") is never touched, and neither are e-mails or URLs.
    A word already accented in small letters is changed only to a form the document uses.
    """
    tokens = list(WORD.finditer(line))
    if not tokens:
        return line
    spans: list[tuple[int, int]] | None = None
    parts: list[str] = []
    position = 0
    for match in tokens:
        token = match.group()
        if token in vocabulary.accents:
            repaired = vocabulary.accents[token]
        else:
            skip = len(token) < 2 or (token.isupper() and len(token) <= 3) or lexicon.is_word(token)
            repaired = vocabulary.accents[token] = None if skip else _accented(token, vocabulary)
        if repaired is None:
            continue
        if spans is None:
            spans = protected_spans(line)
        start, end = match.span()
        before = line[start - 1] if start else " "
        after = line[end] if end < len(line) else " "
        if before.isdigit() or after.isdigit() or _inside(spans, start, end):
            continue
        parts.append(line[position:start])
        parts.append(repaired)
        position = end
    if not parts:
        return line
    parts.append(line[position:])
    return "".join(parts)


def _accented(token: str, vocabulary: Vocabulary) -> str | None:
    lowered = token.lower()
    if "ü" in lowered:  # OCR reads the circumflex of û as a diaeresis
        candidate = lowered.replace("ü", "û")
        if lexicon.is_word(candidate):
            return _with_case(token, candidate)
    word = lexicon.accented(lowered)
    if word is None:
        forms = lexicon.accented_forms(lowered)
        # The document's own spelling decides; else the accents the small letters already
        # carry ("Elèves" is "élèves", not "élevés").
        used = [form for form in forms if vocabulary.count(form) > 0]
        if len(used) != 1 and not token.isupper():
            used = [form for form in forms if _capitals_differ(token, form)]
        word = used[0] if len(used) == 1 else None
    if word and lowered != lexicon.fold(lowered) and not vocabulary.count(word) and not _capitals_differ(token, word):
        # Accents already printed on a small letter are rarely OCR's: the word may just be
        # missing from the dictionary ("référent"). Capitals are where OCR loses or mixes
        # accents ("Egalité", "SUPÈRIEUR").
        return None
    return _with_case(token, word) if word else None


def _capitals_differ(token: str, word: str) -> bool:
    """True when ``token`` differs from ``word`` only on its capital letters."""
    return len(token) == len(word) and all(
        char.lower() == other or char.isupper() for char, other in zip(token, word, strict=True)
    )
