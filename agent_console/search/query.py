"""From what the operator typed to what is looked up: the query plan.

In order: the keyboard layout of each chunk is decided from the index vocabulary; greetings and
stop words are dropped; each remaining word becomes a set of index terms with weights — its own
stem, its relatives in the vocabulary (other stems of the same root, which the Russian stemmer
often splits: "подключ" / "подключен"), its synonyms, its completions when it is the word being
typed, and a correction when it is not in the vocabulary at all but one typo away from a word
that is. Every term comes out of the stemmer, so no character of the query reaches FTS5 syntax.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from agent_console.search import vocabulary
from agent_console.search.layout import other_reading
from agent_console.search.stopwords import GREETING_PAIRS, INDEX_STOP, QUERY_STOP
from agent_console.search.synonyms import synonyms
from agent_console.search.text import joined, normalise, script_of, stem, stem_many
from agent_console.search.typos import MAX_LENGTH, MIN_LENGTH, edits1

QUERY_WORD = re.compile(r"\w+(?:[-'’]\w+)*")

# Weights of the kinds of alternative terms, relative to the word's own stem.
EXACT = 1.0
COMPLETION = 0.9
COMPLETION_OF_WORD = 0.4
RELATIVE = 0.7
CORRECTION = 0.8
SYNONYM = 0.7

NEGATION = 0.5
# "не работает интернет" is what an article calls "Нет интернета": a negation in the question
# also looks, lightly, for the article's "нет" / "no".
NEGATIONS = {
    "нет": frozenset(
        "не нет нету ни пропал пропала пропало пропали отсутствует перестал перестала перестало "
        "перестали".split()
    ),
    "no": frozenset(
        "no not isnt doesnt dont didnt cant cannot wont stopped dead down nothing lost".split()
    ),
}

MAX_WORDS = 12  # a pasted paragraph is cut here: the first words say what it is about
MAX_CHARS = 1000  # and a pasted e-mail here, before any work is done on it
COMPLETIONS = 6
RELATIVES = 4
MIN_RELATIVE = 4  # stems shorter than this have too many unrelated relatives


class QueryWord:
    """One word of the query and the index terms that stand for it."""

    __slots__ = ("word", "typed", "terms", "prefix", "corrected", "hint")

    def __init__(self, word: str, terms: dict[str, float] | None = None, *, hint: bool = False):
        self.word = word  # as it is searched for (after the layout and typo decisions)
        self.typed = word  # as it was typed (after the layout decision)
        self.terms: dict[str, float] = terms or {}  # term -> weight
        self.prefix = False  # the word being typed: its completions count
        self.corrected = False
        self.hint = hint  # added by the search, not typed: does not count towards coverage

    def add(self, term: str, weight: float) -> None:
        if term and weight > self.terms.get(term, 0.0):
            self.terms[term] = weight

    def __repr__(self) -> str:
        return f"QueryWord({self.word!r}, {self.terms!r})"


class QueryPlan:
    """What a query is searched as. (Plain classes, not dataclasses: importing the search
    package is on the console's start-up path, and each dataclass costs a millisecond.)"""

    __slots__ = ("words", "language", "searched_for", "frequencies")

    def __init__(
        self,
        words: list[QueryWord],
        language: str | None = None,
        searched_for: str | None = None,
        frequencies: dict[str, int] | None = None,
    ) -> None:
        self.words = words
        self.language = language  # the language the customer wrote in, when it is clear
        self.searched_for = searched_for  # the corrected query, when a correction was made
        self.frequencies = frequencies or {}  # document frequency of the terms looked up

    @property
    def terms(self) -> dict[str, float]:
        merged: dict[str, float] = {}
        for word in self.words:
            for term, weight in word.terms.items():
                merged[term] = max(weight, merged.get(term, 0.0))
        return merged


class _Chunk:
    __slots__ = ("text", "words", "flipped")

    def __init__(self, text: str, words: list[str], flipped: bool = False) -> None:
        self.text = text  # the chunk as it is read (possibly in the other layout)
        self.words = words
        self.flipped = flipped


def _words(text: str) -> list[str]:
    return QUERY_WORD.findall(normalise(text))


def _term(word: str) -> str:
    return stem(joined(word)) if not word.isalnum() else stem(word)


def plan(conn: sqlite3.Connection, query: str) -> QueryPlan:
    """The query plan for a query as typed."""
    typing = bool(query) and query[-1].isalnum()  # the last word may be unfinished
    if len(query) > MAX_CHARS:
        query, typing = query[:MAX_CHARS].rsplit(None, 1)[0], False
    chunks = _decide_layout(conn, query.split(), typing)
    flat = [w for chunk in chunks for w in chunk.words]
    content = _content_words(flat, typing)
    if not content:
        return QueryPlan(words=[])
    known: dict[str, int] = {}
    words = _expand(
        conn, [flat[n] for n in content], typing and content[-1] == len(flat) - 1, known
    )
    words += _negation_hints(flat, words, known)
    return QueryPlan(
        words=[w for w in words if w.terms],
        language=_language(words),
        searched_for=_searched_for(chunks, words),
        frequencies=known,
    )


def _decide_layout(conn: sqlite3.Connection, raw_chunks: list[str], typing: bool) -> list[_Chunk]:
    """Each chunk in the reading the vocabulary knows better; chunks neither reading makes
    sense of follow the rest of the query."""
    options = [(chunk, other_reading(chunk)) for chunk in raw_chunks]
    stems = {
        _term(w) for chunk, other in options for text in (chunk, other or "") for w in _words(text)
    }
    known = vocabulary.frequencies(conn, stems)

    def score(text: str, last: bool) -> int:
        words = _words(text)
        total = 0
        for n, word in enumerate(words):
            if word in QUERY_STOP or _term(word) in known:
                total += len(word)
            elif last and typing and n == len(words) - 1 and len(word) >= 2:
                if vocabulary.completions(conn, _term(word), 1):
                    total += len(word)
        return total

    chunks: list[_Chunk] = []
    undecided: list[int] = []
    flips, keeps = 0, 0
    for n, (text, other) in enumerate(options):
        chunk = _Chunk(text, _words(text))
        if other is not None:
            last = n == len(options) - 1
            mine, theirs = score(text, last), score(other, last)
            if theirs > mine:
                chunk = _Chunk(other, _words(other), flipped=True)
                flips += theirs
            elif mine > 0:
                keeps += mine
            else:
                undecided.append(len(chunks))
        chunks.append(chunk)
    if flips > keeps:
        for n in undecided:
            other = options[n][1] or chunks[n].text
            chunks[n] = _Chunk(other, _words(other), flipped=True)
    return chunks


def _content_words(flat: list[str], typing: bool) -> list[int]:
    """Positions of the words that say what the question is about."""
    greeting: set[int] = set()
    for n in range(len(flat) - 1):
        if (flat[n], flat[n + 1]) in GREETING_PAIRS:
            greeting.update((n, n + 1))
    kept = [
        n
        for n, word in enumerate(flat)
        if n not in greeting and word not in QUERY_STOP and (len(word) > 1 or word.isdigit())
    ]
    if not kept:
        # Only greetings and the like: search them (scripts are made of them), but not the
        # words the index leaves out anyway.
        kept = [n for n, w in enumerate(flat) if w not in INDEX_STOP and len(w) > 1]
        if not kept and typing and flat:
            kept = [len(flat) - 1]  # an unfinished word that may be the start of anything
    return kept[:MAX_WORDS]


def _expand(
    conn: sqlite3.Connection, content: list[str], last_is_prefix: bool, known: dict[str, int]
) -> list[QueryWord]:
    """Each content word with its terms; `known` collects the frequencies looked up."""
    words = [QueryWord(word) for word in content]
    if last_is_prefix:
        words[-1].prefix = True
    stems = [_term(w.word) for w in words]
    wanted = set(stems) | NEGATIONS.keys()
    for term in stems:
        wanted.update(synonyms(term))
        wanted.update(term[:n] for n in range(max(MIN_RELATIVE, len(term) - 2), len(term)))
    known.update(vocabulary.frequencies(conn, wanted))

    for word, term in zip(words, stems, strict=False):
        complete = term in known or any(other in known for other in synonyms(term))
        if term in known:
            word.add(term, EXACT)
        if word.prefix:
            # The unfinished word as typed ("роу" -> роутер); its stem may be shorter ("ро").
            # When it is a whole word already, its completions count for less.
            weight = COMPLETION_OF_WORD if complete else COMPLETION
            for other, df in vocabulary.completions(conn, joined(word.word), COMPLETIONS):
                word.add(other, EXACT if other == term else weight)
                known[other] = df
        if len(term) >= MIN_RELATIVE and (term in known or word.prefix):
            _add_relatives(conn, word, term, known)
        for other in synonyms(term):
            if other in known:
                word.add(other, SYNONYM)
        if not word.terms and MIN_LENGTH <= len(word.word) <= MAX_LENGTH and script_of(word.word):
            _correct(conn, word, known)

    # Synonyms of every term found, at a lower weight (only those the index has).
    others = {o for w in words for t in w.terms for o in synonyms(t)} - known.keys()
    known.update(vocabulary.frequencies(conn, others))
    for word in words:
        for term, weight in list(word.terms.items()):
            for other in synonyms(term):
                if other in known:
                    word.add(other, SYNONYM * weight)
    return words


def _negation_hints(
    typed: list[str], words: list[QueryWord], known: dict[str, int]
) -> list[QueryWord]:
    present = {t for w in words for t in w.terms}
    hints = []
    for marker, triggers in NEGATIONS.items():
        if marker in known and marker not in present and any(joined(w) in triggers for w in typed):
            hints.append(QueryWord(marker, {marker: NEGATION}, hint=True))
    return hints


def _add_relatives(
    conn: sqlite3.Connection, word: QueryWord, term: str, known: dict[str, int]
) -> None:
    """Stems of the same root: longer ones starting with this stem, shorter ones it starts with."""
    for other, df in vocabulary.completions(conn, term, RELATIVES + 1):
        if other != term and len(other) <= len(term) + 3:
            word.add(other, RELATIVE)
            known[other] = df
    for n in range(max(MIN_RELATIVE, len(term) - 2), len(term)):
        if term[:n] in known:
            word.add(term[:n], RELATIVE)


def _correct(conn: sqlite3.Connection, word: QueryWord, known: dict[str, int]) -> None:
    """Replace a word the index does not know by the most frequent one a typo away.

    Edits of the stem come first (no stemming needed: a few hundred look-ups); when none is a
    word of the index, edits of the word as typed, stemmed, catch typos in its ending.
    """
    surface = joined(word.word)
    term = stem(surface)
    # Each candidate term with the word to show for it; None: an edit of the stem.
    candidates: dict[str, str | None] = {edit: None for edit in edits1(term)}
    found = vocabulary.frequencies(conn, candidates)
    if not found:
        edits = sorted(edits1(surface))
        candidates = {}
        for edit, edited_term in zip(edits, stem_many(edits), strict=False):
            candidates.setdefault(edited_term, edit)
        found = vocabulary.frequencies(conn, candidates)
    if not found:
        return
    best = max(found, key=lambda t: (found[t], t))
    shown = candidates[best]
    if shown is None:  # an edit of the stem: put back the ending the customer typed
        shown = best + surface[len(term) :] if surface.startswith(term) else best
    if shown in QUERY_STOP or best in QUERY_STOP:
        return  # a misspelt "what's" or "здравствуйте": nothing to search for
    known[best] = found[best]
    word.add(best, CORRECTION)
    word.word = shown
    word.corrected = True


def _language(words: list[QueryWord]) -> str | None:
    counts = {"ru": 0, "en": 0}
    for word in words:
        script = script_of(word.word)
        if script and word.terms and not word.hint:
            counts[script] += 1
    if counts["ru"] == counts["en"]:
        return None
    return "ru" if counts["ru"] > counts["en"] else "en"


def _searched_for(chunks: list[_Chunk], words: list[QueryWord]) -> str | None:
    corrected = [w for w in words if w.corrected]
    if not corrected and not any(c.flipped for c in chunks):
        return None
    text = " ".join(c.text for c in chunks)
    for word in corrected:
        pattern = re.compile(rf"(?<!\w){re.escape(word.typed)}(?!\w)", re.IGNORECASE)
        text = pattern.sub(_literally(word.word), text, count=1)
    return text


def _literally(replacement: str) -> Callable[[re.Match[str]], str]:
    """A `re.sub` replacement taken as it is (a backslash in it is not an escape)."""
    return lambda _match: replacement
