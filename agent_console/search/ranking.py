"""The final order: BM25 over the candidates, with a weight per query term.

`candidates` finds at most a few hundred rows; this scores them in Python, which FTS5's bm25
could not do anyway: it cannot weigh one query term against another, and here a typo
correction, a synonym or a completion counts less than the word the customer actually typed,
and one query word counts once however many of its alternatives an article contains. The
ranking also rewards articles that cover more of the question and prefers the language the
customer wrote in. Scores are BM25 over one field, the article's title, tags and body together,
a term of the title or tags counting a few times over (see `FIELD_WEIGHTS`).
"""

from __future__ import annotations

import math

from agent_console.search.query import QueryPlan

# A term of the questions learned as answered by the article (operators' searches that found
# it, on contacts that ended resolved) counts this many times.
LEARNED_WEIGHT = 1.0
# BM25 over one field made of all of an article's fields, with a light boost for a term in
# the title or tags (counted as this many occurrences). Scoring each field apart with a heavy
# title weight, as before, lost about 5 points of English top-1 on an independent evaluation:
# a title word outweighed a question's several words in the body.
FIELD_WEIGHTS = (3.0, 3.0, 1.0, LEARNED_WEIGHT)
# K1 is high because the field is long (a few hundred terms) and a question's words are many:
# a word the article repeats should keep counting. Tuned on the tuning half of
# tests/search_eval (K1 1.2 to 12, title weight 1 to 5), judged on the held-out half.
LENGTH_B = 0.75
K1 = 5.0
# Each query word found adds this share of the score: covering the question matters.
COVERAGE = 0.5
# An article in the other language than the question's is still shown, lower down.
OTHER_LANGUAGE = 0.6


class Stats:
    """Documents in the index and the average length of each field, in terms."""

    __slots__ = ("docs", "avg_lengths")

    def __init__(self, docs: int, avg_lengths: tuple[float, ...]) -> None:
        self.docs = docs
        self.avg_lengths = avg_lengths

    @classmethod
    def of(cls, raw: dict[str, int]) -> Stats:
        docs = max(raw["docs"], 1)
        keys = ("len_title", "len_tags", "len_body", "len_learned")
        return cls(docs, tuple(raw[key] / docs for key in keys))


def idf(docs: int, df: int) -> float:
    return math.log(1.0 + (docs - df + 0.5) / (df + 0.5))


def word_idfs(plan: QueryPlan, stats: Stats, frequencies: dict[str, int]) -> list[float]:
    """One idf per query word: that of its main term (the heaviest, then the most frequent).

    Alternatives share it, so that a rare synonym or completion never counts for more than the
    word the customer typed.
    """
    result = []
    for word in plan.words:
        main = max(word.terms, key=lambda t: (word.terms[t], frequencies.get(t, 0), t))
        result.append(idf(stats.docs, frequencies.get(main, 0)))
    return result


class Scorer:
    """Scores candidates for one query plan (built once per query, used for every candidate)."""

    def __init__(self, plan: QueryPlan, stats: Stats, frequencies: dict[str, int]) -> None:
        self.language = plan.language
        self.idfs = word_idfs(plan, stats, frequencies)
        self.avg_length = max(sum(stats.avg_lengths), 1.0)
        # term -> [(word number, weight)]: a term may stand for several words of the query.
        self.uses: dict[str, list[tuple[int, float]]] = {}
        for number, word in enumerate(plan.words):
            for term, weight in word.terms.items():
                self.uses.setdefault(term, []).append((number, weight))
        self.terms = frozenset(self.uses)
        self.typed = [not word.hint for word in plan.words]
        self.typed_count = max(1, sum(self.typed))

    def score(self, fields: tuple[str, ...], language: str) -> float:
        """The score of one candidate from its stored stems (title, tags, body, learned); 0 if
        none of the query's words is in it."""
        found: dict[str, float] = {}
        length = 0.0
        for text, field_weight in zip(fields, FIELD_WEIGHTS, strict=False):
            tokens = text.split()
            length += len(tokens)
            present = self.terms.intersection(tokens)  # in C; usually a handful
            for term in present:
                found[term] = found.get(term, 0.0) + field_weight * tokens.count(term)
        if not found:
            return 0.0
        saturation = K1 * (1.0 - LENGTH_B + LENGTH_B * length / self.avg_length)
        best: dict[int, float] = {}
        for term, tf in found.items():
            value = tf * (K1 + 1) / (tf + saturation)
            for number, weight in self.uses[term]:
                if weight * value > best.get(number, 0.0):
                    best[number] = weight * value
        total = sum(value * self.idfs[number] for number, value in best.items())
        covered = sum(self.typed[number] for number in best)
        if not covered:
            return 0.0
        total *= 1.0 + COVERAGE * covered / self.typed_count
        if self.language and language != self.language:
            total *= OTHER_LANGUAGE
        return total
