"""The first pass: a bounded set of candidates for the ranking, found without ranking.

FTS5 ranks every row a query matches before it can return the best few, and on this
machine that costs 15–50 µs a row: a common word in a 100k-article base matches tens of
thousands of rows. Unranked matching, by contrast, walks the doclists in C and stops at the
LIMIT. So the candidates are found in two unranked steps:

1. the rows with every query word (FTS5 intersects the doclists in C); when there are more
   than the budget, those with the words in the title or tags come first;
2. the rest of the budget by a quick score: for each query word, rarest first, the rows that
   have it (and, separately, have it in the title or tags) are fetched — at most `CAP` rows
   per word and `ROWS` in all, the newest first — and each row scores the idf of the words
   it has, double in the title or tags.

A query word is the OR of its terms (its stem, relatives, synonyms, completions). On a
knowledge base of a few thousand articles step 2 sees every match; on a big one only the
newest matches of a very common word, which weighs little anyway.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from agent_console.search.query import QueryPlan

TOKEN = re.compile(r"[^\W_]+")
HEAD = "{title tags}"
CAP = 2000  # rows fetched per query word in step 2 ...
ROWS = 5000  # ... and in all
HEAD_BONUS = 1.0


def _group(terms: Iterable[str]) -> str:
    # Terms are stems of \w words, checked again here: quoted, nothing in them is FTS5 syntax.
    quoted = [f'"{term}"' for term in terms if TOKEN.fullmatch(term)]
    return "(" + " OR ".join(quoted) + ")" if quoted else ""


def groups(plan: QueryPlan, idfs: list[float]) -> list[tuple[float, str]]:
    """(idf, FTS5 expression) of each typed query word, rarest first."""
    result = []
    for word, word_idf in zip(plan.words, idfs, strict=False):
        if word.hint:
            continue
        expression = _group(word.terms)
        if expression:
            result.append((word_idf, expression))
    result.sort(key=lambda g: -g[0])
    return result


def find(
    conn: sqlite3.Connection,
    table: str,
    words: list[tuple[float, str]],
    budget: int,
    language: str | None = None,
) -> list[int]:
    """Row ids of up to `budget` candidates, best first (see the module's description).

    With a language, only the first step filters by it (the column is read row by row); the
    ranking drops the other language's rows from the second.
    """
    if not words:
        return []

    def probe(expression: str, limit: int, by_language: bool = False) -> list[int]:
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
        params: tuple[str, ...] = (expression,)
        if by_language and language:
            sql += " AND language = ?"
            params += (language,)
        sql += " ORDER BY rowid DESC LIMIT ?"
        return [rowid for (rowid,) in conn.execute(sql, (*params, limit))]

    found: dict[int, None] = {}
    every = " AND ".join(expression for _, expression in words)
    rows = probe(every, budget + 1, by_language=True)
    if len(rows) > budget:
        found.update(dict.fromkeys(probe(f"{HEAD} : ({every})", budget, by_language=True)))
    for rowid in rows:
        if len(found) >= budget:
            return list(found)
        found[rowid] = None
    if len(words) == 1:
        return list(found)  # one word: step 1 is all there is

    scores: dict[int, float] = {}
    get = scores.get
    room = ROWS  # rarest words first: a common word gets what is left, newest rows first
    for word_idf, expression in words:
        head = f"{HEAD} : {expression}"
        for where, weight in ((expression, word_idf), (head, word_idf * HEAD_BONUS)):
            if room <= 0:
                break
            rows = probe(where, min(CAP, room))
            room -= len(rows)
            for rowid in rows:
                scores[rowid] = get(rowid, 0.0) + weight
    for rowid in sorted(scores, key=lambda r: (-scores[r], -r)):
        if len(found) >= budget:
            break
        found[rowid] = None
    return list(found)
