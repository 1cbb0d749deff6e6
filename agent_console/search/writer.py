"""Writing articles and scripts into the index, keeping the vocabulary and statistics exact.

A re-imported id replaces its row; a retired item is taken out of the index altogether, so no
query can ever return it, whatever was learned for it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Protocol

from agent_console.search import vocabulary
from agent_console.search.schema import KINDS, LENGTH_KEYS, STAT_KEYS, fts_table
from agent_console.search.stopwords import INDEX_STOP, QUERY_STOP
from agent_console.search.text import Terms

INDEX_TERMS = Terms(INDEX_STOP)
# Learned questions are searched as queries are: their greetings and politeness count for nothing.
LEARNED_TERMS = Terms(QUERY_STOP)
# The stored terms of one item: title, tags, body.
Terms3 = tuple[str, str, str]
# The rows one item is written as: (rowid, kind, id, language, title) into search_docs, and
# (rowid, title, tags, body, learned, language) into its kind's FTS5 table.
DocRow = tuple[int, str, str, str, str]
FtsRow = tuple[int, str, str, str, str, str]

RETIRED = "retired"
BATCH = 500
# From this many items a write is a bulk write: the vocabulary is recounted from the index
# afterwards (one pass over it) instead of document by document.
BULK_FROM = 2000


class Searchable(Protocol):
    """An article or a script as the index reads it (read-only: both are frozen)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def status(self) -> str: ...


def _tag_text(item: Searchable) -> str:
    tags = getattr(item, "tags", None)
    return " ".join(tags) if tags else getattr(item, "category", "") or ""


def _length(stored: str) -> int:
    # Counted on the stored text: a piece of text may hold several terms ("wi-fi").
    return stored.count(" ") + 1 if stored else 0


def _lengths(stored: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(map(_length, stored))


def learned_terms(questions: list[str]) -> str:
    """What the index stores of an article's learned questions."""
    return " ".join(LEARNED_TERMS.stored(questions)).strip() if questions else ""


def read_stats(conn: sqlite3.Connection) -> dict[str, int]:
    marks = ",".join("?" * len(STAT_KEYS))
    rows = dict(
        conn.execute(f"SELECT key, value FROM search_meta WHERE key IN ({marks})", STAT_KEYS)
    )
    return {key: int(rows.get(key) or 0) for key in STAT_KEYS}


def _take_away(stats: Counter[str], df: Counter[str], row: tuple[str, ...]) -> None:
    """Remove one indexed document's share of the statistics and the vocabulary."""
    stats["docs"] -= 1
    for key, length in zip(LENGTH_KEYS, _lengths(row), strict=False):
        stats[key] -= length
    df.subtract(set(" ".join(row).split()))


def index_terms(items: Iterable[Searchable]) -> list[Terms3]:
    """What the index stores for each item: the terms of its title, tags and body.

    `write` makes them itself unless it is given them: a big import makes them ahead, in
    worker processes, while the main process writes the parts before.
    """
    items = list(items)
    texts = [text for item in items for text in (item.title, _tag_text(item), item.body)]
    stored = INDEX_TERMS.stored(texts)
    return list(zip(stored[0::3], stored[1::3], stored[2::3], strict=False))


def write(
    conn: sqlite3.Connection,
    kind: str,
    items: Iterable[Searchable],
    *,
    terms: Mapping[str, Terms3] | None = None,
    in_parts: bool = False,
    learned: Mapping[str, list[str]] | None = None,
) -> int:
    """Add or replace items (the caller holds the write transaction); returns rows written.

    `terms`: the items' index terms by id, made ahead (see `index_terms`). A bulk write
    recounts the vocabulary from the index afterwards instead of updating it item by item;
    `in_parts`: one part of a big write, whose vocabulary the caller recounts once at the end
    (`recount_vocabulary`). `learned`: the learned questions of the items that have any, by id.
    """
    table = fts_table(kind)
    latest = {item.id: item for item in items}  # the same id twice: the last one wins
    if not latest:
        return 0
    df: Counter[str] = Counter()
    stats: Counter[str] = Counter()
    _remove(conn, kind, table, list(latest), df, stats)
    start = conn.execute("SELECT coalesce(max(rowid), 0) FROM search_docs").fetchone()[0] + 1
    live = [item for item in latest.values() if item.status != RETIRED]
    bulk = in_parts or len(live) >= BULK_FROM
    batches = (
        _batch(
            kind, live[n : n + BATCH], start + n, None if bulk else df, stats, terms, learned or {}
        )
        for n in range(0, len(live), BATCH)
    )
    sql = (
        "INSERT INTO search_docs (rowid, kind, doc_id, language, title) VALUES (?, ?, ?, ?, ?)",
        f"INSERT INTO {table} (rowid, title, tags, body, learned, language)"
        " VALUES (?, ?, ?, ?, ?, ?)",
    )
    for docs, rows in batches:
        conn.executemany(sql[0], docs)
        conn.executemany(sql[1], rows)
    if not bulk:
        vocabulary.apply(conn, df)
    elif not in_parts:
        recount_vocabulary(conn)
    _save_stats(conn, stats)
    return len(live)


def recount_vocabulary(conn: sqlite3.Connection) -> None:
    """The vocabulary counted again from every kind's index (after a bulk write)."""
    vocabulary.recount(conn, [fts_table(kind) for kind in KINDS])


def _batch(
    kind: str,
    items: list[Searchable],
    start: int,
    df: Counter[str] | None,
    stats: Counter[str],
    terms: Mapping[str, Terms3] | None,
    learned: Mapping[str, list[str]],
) -> tuple[list[DocRow], list[FtsRow]]:
    three_each = index_terms(items) if terms is None else [terms[item.id] for item in items]
    made = [
        (*three, learned_terms(learned.get(item.id, [])))
        for item, three in zip(items, three_each, strict=False)
    ]
    docs: list[DocRow] = []
    rows: list[FtsRow] = []
    for rowid, item, stored in zip(range(start, start + len(items)), items, made, strict=False):
        if df is not None:
            df.update(set(" ".join(stored).split()))  # counted in C
        docs.append((rowid, kind, item.id, item.language, item.title))
        rows.append((rowid, *stored, item.language))
    for column, key in enumerate(LENGTH_KEYS):
        stats[key] += sum(_length(stored[column]) for stored in made)
    stats["docs"] += len(items)
    return docs, rows


def remove(conn: sqlite3.Connection, kind: str, ids: list[str]) -> None:
    """Take these items out of the index, the vocabulary and the statistics kept exact (the
    caller holds the write transaction)."""
    df: Counter[str] = Counter()
    stats: Counter[str] = Counter()
    _remove(conn, kind, fts_table(kind), ids, df, stats)
    vocabulary.apply(conn, df)
    _save_stats(conn, stats)


def _remove(
    conn: sqlite3.Connection,
    kind: str,
    table: str,
    ids: list[str],
    df: Counter[str],
    stats: Counter[str],
) -> None:
    """Take the current rows of these ids out, counting what leaves the vocabulary."""
    rowids: list[int] = []
    for start in range(0, len(ids), vocabulary.CHUNK):
        chunk = ids[start : start + vocabulary.CHUNK]
        marks = ",".join("?" * len(chunk))
        rowids += [
            r[0]
            for r in conn.execute(
                f"SELECT rowid FROM search_docs WHERE kind = ? AND doc_id IN ({marks})",
                [kind, *chunk],
            )
        ]
    for start in range(0, len(rowids), vocabulary.CHUNK):
        rowid_chunk = rowids[start : start + vocabulary.CHUNK]
        marks = ",".join("?" * len(rowid_chunk))
        for row in conn.execute(
            f"SELECT title, tags, body, learned FROM {table} WHERE rowid IN ({marks})", rowid_chunk
        ):
            _take_away(stats, df, row)
        conn.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", rowid_chunk)
        conn.execute(f"DELETE FROM search_docs WHERE rowid IN ({marks})", rowid_chunk)


def _save_stats(conn: sqlite3.Connection, delta: Counter[str]) -> None:
    current = read_stats(conn)
    conn.executemany(
        "INSERT OR REPLACE INTO search_meta (key, value) VALUES (?, ?)",
        [(key, str(current[key] + delta[key])) for key in STAT_KEYS],
    )
