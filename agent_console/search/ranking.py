"""The final order: BM25F over the candidates, with a weight per query term.

`candidates` finds at most a few hundred rows; this scores them in Python, which FTS5's bm25
could not do anyway: it cannot weigh one query term against another, and here a typo
correction, a synonym or a completion counts less than the word the customer actually typed,
and one query word counts once however many of its alternatives an article contains. The
ranking also rewards articles that cover more of the question and prefers the language the
customer wrote in. Scores are BM25 per field (saturated per field, so a word in the title is
worth more than the same word all over the body), summed with the field weights.
"""

from __future__ import annotations

import math
from agent_console.search.query import QueryPlan

# Field weights and length normalisation (title, tags, body).
FIELD_WEIGHTS = (2.0, 1.5, 1.0)
LENGTH_B = (0.5, 0.5, 0.75)
K1 = 1.2
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
        keys = ("len_title", "len_tags", "len_body")
        return cls(docs, tuple(max(raw[key] / docs, 1.0) for key in keys))


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
        self.avg_lengths = stats.avg_lengths
        # term -> [(word number, weight)]: a term may stand for several words of the query.
        self.uses: dict[str, list[tuple[int, float]]] = {}
        for number, word in enumerate(plan.words):
            for term, weight in word.terms.items():
                self.uses.setdefault(term, []).append((number, weight))
        self.terms = frozenset(self.uses)
        self.typed = [not word.hint for word in plan.words]
        self.typed_count = max(1, sum(self.typed))

    def score(self, fields: tuple[str, str, str], language: str) -> float:
        """The score of one candidate from its stored stems (title, tags, body); 0 if none of
        the query's words is in it."""
        values: dict[str, float] = {}
        for text, field_weight, b, avg in zip(fields, FIELD_WEIGHTS, LENGTH_B, self.avg_lengths):
            tokens = text.split()
            present = self.terms.intersection(tokens)  # in C; usually a handful
            if not present:
                continue
            saturation = K1 * (1.0 - b + b * len(tokens) / avg)
            for term in present:
                tf = tokens.count(term)
                values[term] = values.get(term, 0.0) + field_weight * tf * (K1 + 1) / (
                    tf + saturation
                )
        if not values:
            return 0.0
        best: dict[int, float] = {}
        for term, value in values.items():
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
