"""The final order: BM25F over the candidates, with a weight per query term.

FTS5's bm25 finds the candidates; this pass re-scores them in Python, because FTS5 cannot weigh
one query term against another: a typo correction, a synonym or a completion should count less
than the word the customer actually typed, and one query word should count once however many
of its alternatives an article contains. It also rewards articles that cover more of the
question and prefers the language the customer wrote in.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from agent_console.search.query import QueryPlan

# Field weights and length normalisation (title, tags, body).
FIELD_WEIGHTS = (3.0, 2.0, 1.0)
LENGTH_B = (0.5, 0.5, 0.75)
K1 = 1.2
# Each query word found adds this share of the score: covering the question matters.
COVERAGE = 0.5
# An article in the other language than the question's is still shown, lower down.
OTHER_LANGUAGE = 0.6


@dataclass(frozen=True, slots=True)
class Stats:
    docs: int
    avg_lengths: tuple[float, float, float]

    @classmethod
    def of(cls, raw: dict[str, int]) -> Stats:
        docs = max(raw["docs"], 1)
        return cls(
            docs=docs,
            avg_lengths=tuple(
                max(raw[key] / docs, 1.0) for key in ("len_title", "len_tags", "len_body")
            ),
        )


def idf(docs: int, df: int) -> float:
    return math.log(1.0 + (docs - df + 0.5) / (df + 0.5))


def score(
    plan: QueryPlan,
    fields: tuple[str, str, str],
    language: str,
    stats: Stats,
    idfs: dict[str, float],
) -> float:
    counts = [Counter(text.split()) for text in fields]
    norms = [
        weight / (1.0 - b + b * sum(c.values()) / avg)
        for weight, b, c, avg in zip(FIELD_WEIGHTS, LENGTH_B, counts, stats.avg_lengths)
    ]
    total, covered = 0.0, 0
    for word in plan.words:
        best = 0.0
        for term, weight in word.terms.items():
            tf = sum(c[term] * n for c, n in zip(counts, norms) if term in c)
            if tf:
                best = max(best, weight * idfs.get(term, 0.0) * tf * (K1 + 1) / (tf + K1))
        if best:
            total += best
            covered += 1
    if not covered:
        return 0.0
    total *= 1.0 + COVERAGE * covered / len(plan.words)
    if plan.language and language != plan.language:
        total *= OTHER_LANGUAGE
    return total
