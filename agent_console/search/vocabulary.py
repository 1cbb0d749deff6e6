"""The index vocabulary (`search_terms`): which terms exist and in how many documents.

Every question the query side asks about words goes through here: one indexed look-up per
batch of terms, one range scan per completion. Nothing loads the whole vocabulary into memory,
so the first query after start costs the same as the others.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

CHUNK = 900  # well under SQLite's limit of host parameters per statement


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def frequencies(conn: sqlite3.Connection, terms: Iterable[str]) -> dict[str, int]:
    """Document frequency of each term that is in the index (absent terms are left out)."""
    wanted = list(set(terms))
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        found.update(
            conn.execute(f"SELECT term, df FROM search_terms WHERE term IN ({marks})", chunk)
        )
    return found


def completions(conn: sqlite3.Connection, prefix: str, limit: int) -> list[tuple[str, int]]:
    """The most frequent terms starting with `prefix`, most frequent first."""
    if not prefix:
        return []
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return conn.execute(
        "SELECT term, df FROM search_terms WHERE term >= ? AND term < ? ORDER BY df DESC LIMIT ?",
        (prefix, upper, limit),
    ).fetchall()


def apply(conn: sqlite3.Connection, delta: Counter[str]) -> None:
    """Add document-frequency changes (negative for removed documents) to the vocabulary."""
    rows = [(term, change) for term, change in delta.items() if change]
    if not rows:
        return
    conn.executemany(
        "INSERT INTO search_terms (term, df) VALUES (?, ?)"
        " ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
        rows,
    )
    if any(change < 0 for _, change in rows):
        conn.execute("DELETE FROM search_terms WHERE df <= 0")


def recount(conn: sqlite3.Connection, tables: list[str]) -> None:
    """Rebuild the vocabulary from the FTS5 indexes themselves (after a bulk write)."""
    selects = []
    for table in tables:
        # fts5vocab tables in the temp schema: per connection, nothing written to the file.
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_terms"
            f" USING fts5vocab(main, {table}, row)"
        )
        selects.append(f"SELECT term, doc FROM temp.{table}_terms")
    conn.execute("DELETE FROM search_terms")
    conn.execute(
        "INSERT INTO search_terms (term, df)"
        f" SELECT term, sum(doc) FROM ({' UNION ALL '.join(selects)}) GROUP BY term"
    )
