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


class _Terms(dict):
    """word -> term, computed once per word; words that are not indexed map to ""."""

    def __init__(self, skip: frozenset[str]) -> None:
        super().__init__()
        self.skip = skip

    def learn(self, words: set[str]) -> None:
        """Stem many new words at once (the stemmer loops in C)."""
        if len(self) + len(words) >= _CACHE_LIMIT:
            self.clear()
        by_script: dict[str | None, list[str]] = {}
        for word in words:
            skipped = len(word) < 2 or word in self.skip or (word.isdigit() and len(word) > 12)
            if skipped:
                self[word] = ""
            else:
                by_script.setdefault(script_of(word), []).append(word)
        for language, group in by_script.items():
            stems = _STEMMERS[language].stemWords(group) if language else group
            for word, term in zip(group, stems):
                self[word] = term.translate(_POST_FOLD) if "й" in term else term

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


class Terms:
    """Turns text into index terms, leaving out the `skip` words (and 1-letter ones).

    Built for bulk imports: the text is split on whitespace and each piece ("router,",
    "(wi-fi)", "роутера.") is looked up in a cache of pieces -> terms, so a known piece costs
    one dictionary look-up in C. Only pieces never seen before go through the word pattern and
    the stemmer.
    """

    def __init__(self, skip: frozenset[str]) -> None:
        self._terms = _Terms(skip)
        self._pieces: dict[str, str] = {}

    def of(self, text: str) -> list[str]:
        """The terms of a text, in order; a compound ("wi-fi") gives its parts and its joined
        form, so that "wi-fi" meets "wifi". An item of the list may hold several terms
        separated by spaces (all those of one piece of text): join the list to store it."""
        pieces = normalise(text).split()
        terms = list(map(self._pieces.get, pieces))
        if None in terms:
            self._learn({p for p, t in zip(pieces, terms) if t is None})
            terms = [self._pieces.get(p) for p in pieces]
            if None in terms:  # the cache was full and emptied (by this or another thread)
                terms = [self._piece(p) for p in pieces]
        return list(filter(None, terms))

    def _piece(self, piece: str) -> str:
        if piece not in self._pieces:
            self._learn({piece})
        return self._pieces.get(piece, "")

    def text(self, text: str) -> str:
        """The terms of a text, space-separated."""
        return " ".join(self.of(text))

    def of_many(self, texts: list[str]) -> list[list[str]]:
        """`of` for many texts: the pieces never seen before are learnt in one go."""
        split = [normalise(text).split() for text in texts]
        get = self._pieces.get
        looked = [list(map(get, pieces)) for pieces in split]
        incomplete = [n for n, terms in enumerate(looked) if None in terms]
        if incomplete:
            self._learn(set().union(*(split[n] for n in incomplete)).difference(self._pieces))
            pieces = self._pieces
            for n in incomplete:
                try:
                    looked[n] = list(map(pieces.__getitem__, split[n]))
                except KeyError:  # the cache was full and emptied while learning
                    looked[n] = [self._piece(p) for p in split[n]]
        return [list(filter(None, terms)) for terms in looked]

    def _learn(self, pieces: set[str]) -> None:
        if len(self._pieces) + len(pieces) >= _CACHE_LIMIT:
            self._pieces.clear()
        terms = self._terms
        plain = [piece for piece in pieces if piece.isalnum()]  # most pieces are one word
        found = {piece: WORD.findall(piece) for piece in pieces if not piece.isalnum()}
        compounds = {piece: [joined(c) for c in COMPOUND.findall(piece)] for piece in found}
        new = set(plain).union(*found.values(), *compounds.values())
        terms.learn({word for word in new if word not in terms})
        for piece in plain:
            self._pieces[piece] = terms[piece]
        for piece, words in found.items():
            parts = [terms[w] for w in (*words, *compounds[piece])]
            self._pieces[piece] = " ".join(filter(None, parts))
