"""From text to index terms: lowercase, fold, split into words, stem.

The same function turns an article into the terms stored in the index and a query into the
terms looked up in it, so the two always agree. Terms are Snowball stems (Russian for Cyrillic
words, English for Latin ones) with `ё` and `й` folded to `е` and `и`: customers type `e` and
`и` for them all the time, and FTS5's `remove_diacritics` folds neither.
"""

from __future__ import annotations

import re
import unicodedata

import Stemmer

# A word: letters and digits. Hyphenated words ("wi-fi") are also matched whole, to index their
# joined form beside the parts.
WORD = re.compile(r"\w+")
COMPOUND = re.compile(r"\w+(?:[-'’]\w+)+")
APOSTROPHES = re.compile(r"['’]")
CYRILLIC = re.compile(r"[а-яё]")
LATIN = re.compile(r"[a-z]")

_POST_FOLD = str.maketrans({"й": "и"})
_STEMMERS = {"ru": Stemmer.Stemmer("russian"), "en": Stemmer.Stemmer("english")}
_CACHE_LIMIT = 400_000


def script_of(word: str) -> str | None:
    """'ru' for a word with Cyrillic letters, 'en' for one with Latin letters, else None."""
    if CYRILLIC.search(word):
        return "ru"
    if LATIN.search(word):
        return "en"
    return None


def _stem(word: str) -> str:
    language = script_of(word)
    term = _STEMMERS[language].stemWord(word) if language else word
    # й is folded only after stemming: the stemmer needs it to see adjective endings (-ый, -ий).
    return term.translate(_POST_FOLD) if "й" in term else term


class _Terms(dict[str, str]):
    """word -> term, computed once per word; words that are not indexed map to ""."""

    def __init__(self, skip: frozenset[str]) -> None:
        super().__init__()
        self.skip = skip

    def __missing__(self, word: str) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        skipped = len(word) < 2 or word in self.skip or (word.isdigit() and len(word) > 12)
        term = "" if skipped else _stem(word)
        self[word] = term
        return term


_ALL_TERMS = _Terms(frozenset())


def stem_many(words: list[str]) -> list[str]:
    """Terms of many words at once, bypassing the cache (for one-off strings: typo candidates)."""
    if not words:
        return []
    language = script_of(words[0]) or "en"
    return [t.translate(_POST_FOLD) for t in _STEMMERS[language].stemWords(words)]


def stem(word: str) -> str:
    """The index term of one lowercase word (already split; no hyphens)."""
    return _ALL_TERMS[word] or _stem(word)


def normalise_form(text: str) -> str:
    """Composed characters (NFC): a decomposed "й" would split a word in two."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lowercase, ё as е, and underscores as spaces (FTS5 splits words there, `\\w` does not).
    Keeps the length of the text for all but a few rare letters."""
    return text.lower().replace("ё", "е").replace("_", " ")


def normalise(text: str) -> str:
    """The form words are compared in before stemming."""
    return fold(normalise_form(text))


def term_of(word: str) -> str:
    """The term of a folded word, "" for a word too short to be indexed (cached)."""
    return _ALL_TERMS[word]


def words(text: str) -> list[str]:
    """The words of a text, lowercased and folded."""
    return WORD.findall(normalise(text))


def joined(word: str) -> str:
    """A compound as one word: "wi-fi" -> "wifi", "don't" -> "dont"."""
    return APOSTROPHES.sub("", word).replace("-", "")


class _Pieces(dict[str, str]):
    """piece of text -> its terms, space-separated ("" when none), computed once per piece."""

    def __init__(self, terms: _Terms) -> None:
        super().__init__()
        self.terms = terms

    def __missing__(self, piece: str) -> str:
        terms = self.terms
        if piece.isalnum():  # most pieces are one word
            found = terms[piece]
        else:
            words = WORD.findall(piece) + [joined(c) for c in COMPOUND.findall(piece)]
            found = " ".join(filter(None, map(terms.__getitem__, words)))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[piece] = found
        return found


class Terms:
    """Turns text into index terms, leaving out the `skip` words (and 1-letter ones).

    Built for bulk imports: the text is split on whitespace and each piece ("router,",
    "(wi-fi)", "роутера.") is looked up in a cache of pieces -> terms, so a known piece costs
    one dictionary look-up in C and a whole text one pass of C loops (split, look up, join).
    Only a piece never seen before goes through the word pattern and the stemmer (learning
    the new pieces one by one costs less than collecting them to stem in a batch and doing
    their texts again).
    """

    def __init__(self, skip: frozenset[str]) -> None:
        self._pieces = _Pieces(_Terms(skip))

    def of(self, text: str) -> list[str]:
        """The terms of a text, in order; a compound ("wi-fi") gives its parts and its joined
        form, so that "wi-fi" meets "wifi". An item of the list may hold several terms
        separated by spaces (all those of one piece of text): join the list to store it."""
        return list(filter(None, map(self._pieces.__getitem__, normalise(text).split())))

    def text(self, text: str) -> str:
        """The terms of a text, space-separated: what the index stores."""
        return " ".join(filter(None, map(self._pieces.__getitem__, normalise(text).split())))

    def of_many(self, texts: list[str]) -> list[list[str]]:
        """`of` for many texts."""
        return [self.of(text) for text in texts]

    def stored(self, texts: list[str]) -> list[str]:
        """`text` for many texts."""
        get = self._pieces.__getitem__
        return [" ".join(filter(None, map(get, normalise(text).split()))) for text in texts]
