"""The French word list (pyspellchecker's dictionary), loaded once per process.

Besides ``is_word`` and ``frequency``, it answers the cleanup's accent question: which
accented word an accent-free spelling stands for (``accented``), built lazily once.
"""

import unicodedata
from collections import defaultdict
from functools import cache, lru_cache

from spellchecker import SpellChecker


@cache
def _checker() -> SpellChecker:
    return SpellChecker(language="fr", distance=1)


@cache
def _dictionary() -> dict[str, int]:
    # The raw word → frequency table: a plain dict lookup is several times faster than
    # SpellChecker.__contains__, and the cleanup asks thousands of questions per document.
    return _checker().word_frequency.dictionary


def is_word(word: str) -> bool:
    """True when ``word`` (any case) is a French word of the dictionary."""
    return word.lower() in _dictionary()


def frequency(word: str) -> int:
    """How common the word is in the dictionary's corpus (0: unknown)."""
    return _dictionary().get(word.lower(), 0)


def fold(word: str) -> str:
    """The word lower-cased and without accents ("École" → "ecole"); œ and æ are kept."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(char for char in decomposed if not unicodedata.combining(char)))


# How much commoner than every other accented form a form must be to stand for the bare spelling.
_DOMINANCE = 50


@cache
def _accent_forms() -> dict[str, tuple[str, ...]]:
    """Accent-free spelling that is not a word by itself → its accented words, commonest first."""
    words = _dictionary()
    forms: dict[str, list[str]] = defaultdict(list)
    for word in words:
        folded = fold(word)
        if folded != word and folded not in words:
            forms[folded].append(word)
    return {folded: tuple(sorted(found, key=lambda word: words[word], reverse=True)) for folded, found in forms.items()}


@lru_cache(maxsize=65536)
def accented_forms(word: str) -> tuple[str, ...]:
    """Every accented word of the dictionary that ``word`` may stand for once accents are set right.

    Empty when ``word`` is a word as written, or when its accent-free spelling is a word by
    itself ("a" for "à", "ou" for "où", "des" for "dès": those are never repaired).
    """
    lowered = word.lower()
    if lowered in _dictionary():
        return ()
    return tuple(form for form in _accent_forms().get(fold(lowered), ()) if form != lowered)


def accented(word: str) -> str | None:
    """The one accented spelling of ``word`` (lower case), or the overwhelmingly commonest; else None.

    ``word`` may carry no accent ("Ecole" → "école", "apres" → "après" rather than "âpres")
    or wrong ones ("supèrieur" → "supérieur"). None when ``word`` is a word as written, or
    when two forms are both common ("evenements": événements, évènements).
    """
    forms = accented_forms(word)
    if not forms:
        return None
    words = _dictionary()
    if len(forms) == 1 or words[forms[0]] >= _DOMINANCE * max(words[forms[1]], 1):
        return forms[0]
    return None
