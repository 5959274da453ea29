"""The French word list (pyspellchecker's dictionary), loaded once per process."""

from functools import cache

from spellchecker import SpellChecker


@cache
def _checker() -> SpellChecker:
    return SpellChecker(language="fr", distance=1)


def is_word(word: str) -> bool:
    """True when ``word`` (any case) is a French word of the dictionary."""
    return word.lower() in _checker()


def frequency(word: str) -> int:
    """How common the word is in the dictionary's corpus (0: unknown)."""
    return _checker().word_frequency[word.lower()]
