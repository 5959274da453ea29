"""Is a text written in French? (so that the reader does not "read" an English or German file).

Rule: French function words must be frequent and more frequent than those of English,
Spanish, German and Italian, and most words must be in the French dictionary; OCR damage
(a word in ten broken) leaves the short function words and most of the dictionary words intact.
"""

from __future__ import annotations

import re

from partenariats.reader import lexicon

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
SAMPLE_WORDS = 3000  # spread over the text; enough to decide, cheap to look up
MIN_WORDS = 12  # below this, a few words cannot tell a language apart: the dictionary decides


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Function words typical of each language (those shared between them left out, e.g. "de",
# "la", "en", "a", "que", "se", "des", "die", "in", "on", "un").
STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": _words(
        "le les du et est une pour dans qui au aux sur par pas ce cette ces sont avec il elle ils elles nous "
        "vous leur leurs ou où être été mais plus aussi entre ainsi selon lors dont toute tous chaque afin "
        "sera seront ont peut doit présente présent également notamment auprès"
    ),
    "en": _words(
        "the and of to is are for with this that these those by be been will shall which from at or an as "
        "its their not have has was were between each all any such"
    ),
    "es": _words(
        "el los las y del por para con una es su sus al lo como más este esta sobre será cada todos "
        "también según durante"
    ),
    "de": _words(
        "der das und den dem ist nicht mit von zu für auf ein eine einer eines sich auch werden wird sind "
        "zwischen nach bei oder dass durch jeder alle"
    ),
    "it": _words(
        "gli e di della delle dei degli per con una è sono nel nella alla questo questa tra ogni anche "
        "sarà tutti secondo"
    ),
}
MIN_FRENCH_SHARE = 0.08  # French prose: 20–30 % of its words are among these; OCR'd French ≥ 12 %
MIN_DICTIONARY_SHARE = 0.55  # clean French ≈ 90 %, OCR-damaged French ≈ 75 %


def _sample(text: str) -> list[str]:
    """Up to ``SAMPLE_WORDS`` lower-case words taken from the beginning, middle and end."""
    words = [word.lower() for word in WORD.findall(text)]
    if len(words) <= SAMPLE_WORDS:
        return words
    third = SAMPLE_WORDS // 3
    middle = len(words) // 2
    return words[:third] + words[middle - third // 2 : middle + third - third // 2] + words[-third:]


def _split_elision(word: str) -> str:
    """``l'article`` → ``article``: the word after a French elision."""
    for quote in ("'", "’"):
        if quote in word:
            return word.split(quote, 1)[1]
    return word


def is_french(text: str) -> bool:
    """True when ``text`` is French prose (see the module's rule); OCR-damaged French passes."""
    words = _sample(text)
    if not words:
        return False
    elided = sum(1 for word in words if "'" in word or "’" in word)
    bare = [_split_elision(word) for word in words]
    long_words = [word for word in bare if len(word) >= 3]
    known = sum(1 for word in long_words if lexicon.is_word(word))
    dictionary_share = known / len(long_words) if long_words else 0.0
    if len(words) < MIN_WORDS:
        return dictionary_share >= 0.7 and _french_leads(bare, elided)
    french = sum(1 for word in bare if word in STOP_WORDS["fr"]) + elided
    if french < len(words) * MIN_FRENCH_SHARE or dictionary_share < MIN_DICTIONARY_SHARE:
        return False
    return _french_leads(bare, elided)


def _french_leads(words: list[str], elided: int) -> bool:
    """Whether French function words outnumber those of every other language."""
    counts = {language: sum(1 for word in words if word in stops) for language, stops in STOP_WORDS.items()}
    counts["fr"] += elided  # l', d', qu', n': elisions are French
    return all(counts["fr"] > count for language, count in counts.items() if language != "fr")
