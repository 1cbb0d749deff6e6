"""What the search learned: customers' questions and the articles that answered them.

Pairs come from a file (`kb learn FILE`) or from the event log (`kb learn --from-log`): the
query an article was opened from, on a contact whose wrap-up was saved as resolved. The search
index reads them per article (`queries`) into a field of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from agent_console.clock import to_text
from agent_console.domain.codes import EventType

if TYPE_CHECKING:
    from agent_console.store.store import Store

SOURCES = ("file", "log")
# The most recent questions of an article that the index reads: enough to learn its customers'
# words, few enough that a popular article's field does not grow without end.
PER_ARTICLE = 200
CHUNK = 900
RESOLVED = "resolved"


class LearnedRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, pairs: Iterable[tuple[str, str]], source: str = "file") -> int:
        """Add (query, article id) pairs; returns how many were new (joins the caller's
        transaction)."""
        if source not in SOURCES:
            raise ValueError(f"unknown source of learned pairs: {source!r}")
        now = to_text(self._store.clock.now())
        rows = [(query, article_id, source, now) for query, article_id in pairs]
        with self._store.transaction() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO search_learned (query, article_id, source, added)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )
            return conn.total_changes - before

    def clear(self, source: str) -> set[str]:
        """Forget the pairs of one source; returns the articles they were for."""
        with self._store.transaction() as conn:
            ids = {
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT article_id FROM search_learned WHERE source = ?", (source,)
                )
            }
            conn.execute("DELETE FROM search_learned WHERE source = ?", (source,))
        return ids

    def count(self) -> int:
        return int(self._store.conn.execute("SELECT count(*) FROM search_learned").fetchone()[0])

    def mark(self) -> tuple[int, int]:
        """(pairs, the newest pair's id): a pair added changes the second, one taken away the
        first."""
        row = self._store.conn.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM search_learned"
        ).fetchone()
        return int(row[0]), int(row[1])

    def since(self, pair_id: int) -> tuple[int, set[str]]:
        """(pairs added after the pair `pair_id`, the articles that learned them)."""
        rows = self._store.conn.execute(
            "SELECT article_id FROM search_learned WHERE id > ?", (pair_id,)
        ).fetchall()
        return len(rows), {row[0] for row in rows}

    def queries(self, article_ids: Iterable[str]) -> dict[str, list[str]]:
        """The learned questions of these articles (the most recent `PER_ARTICLE` of each,
        each question once whatever its sources), for those that have any."""
        wanted = list(dict.fromkeys(article_ids))
        found: dict[str, list[str]] = {}
        conn = self._store.conn
        if not wanted or conn.execute("SELECT 1 FROM search_learned LIMIT 1").fetchone() is None:
            return found
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                "SELECT article_id, query FROM search_learned"
                f" WHERE article_id IN ({marks})"
                " GROUP BY article_id, query ORDER BY article_id, max(id) DESC",
                chunk,
            )
            for article_id, query in rows:
                questions = found.setdefault(article_id, [])
                if len(questions) < PER_ARTICLE:
                    questions.append(query)
        return found

    def resolved_openings(self) -> list[tuple[str, str]]:
        """(query, article id) of every article opened on a live contact whose saved wrap-up
        says resolved. The query is the one the article was opened from, else the last search
        made on that contact before it was opened; an opening with neither is left out."""
        conn = self._store.conn
        rows = conn.execute(
            "SELECT e.id, e.contact_id, e.type, e.payload FROM events e"
            " JOIN wrapups w ON w.contact_id = e.contact_id"
            " WHERE w.state = 'saved' AND w.outcome = ? AND e.type IN (?, ?)"
            " ORDER BY e.contact_id, e.id",
            (RESOLVED, EventType.SEARCH_MADE.value, EventType.ARTICLE_OPENED.value),
        )
        pairs: list[tuple[str, str]] = []
        last_search: dict[int, str] = {}
        for _, contact_id, type_, payload in rows:
            try:
                data = json.loads(payload)
            except ValueError:
                continue
            if not isinstance(data, dict):
                continue
            query = data.get("query")
            query = query.strip() if isinstance(query, str) else ""
            if type_ == EventType.SEARCH_MADE:
                if query:
                    last_search[contact_id] = query
                continue
            article_id = data.get("article_id")
            query = query or last_search.get(contact_id, "")
            if isinstance(article_id, str) and article_id and query:
                pairs.append((query, article_id))
        return pairs
