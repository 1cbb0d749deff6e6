"""The search index: FTS5 over the articles and scripts tables.

The index is derived data: it is (re)built from the content tables whenever its layout version
differs from the one recorded in the file, so changing the layout never needs a data migration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agent_console.domain import Article, Script

if TYPE_CHECKING:
    from agent_console.store import Store

INDEX_VERSION = 1
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # "article" | "script"
    id: str
    title: str
    score: float
    language: str
    snippet: str = ""
    # (start, end) character spans of `snippet` that matched the query, for highlighting.
    highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    # What was searched for when the query was corrected (wrong layout, typo); None otherwise.
    searched_for: str | None = None


class SearchIndex:
    def __init__(self, store: Store) -> None:
        self._store = store

    def ensure(self) -> None:
        """Create or rebuild the index if it is missing or of another layout version."""
        conn = self._store.conn
        conn.execute("CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)")
        row = conn.execute("SELECT value FROM search_meta WHERE key = 'version'").fetchone()
        if row is not None and int(row[0]) == INDEX_VERSION:
            return
        with self._store.transaction() as conn:
            conn.execute("DROP TABLE IF EXISTS search_fts")
            conn.execute(
                "CREATE VIRTUAL TABLE search_fts USING fts5("
                "kind UNINDEXED, doc_id UNINDEXED, language UNINDEXED, status UNINDEXED,"
                " title, tags, body, tokenize = 'unicode61 remove_diacritics 2')"
            )
            conn.execute(
                "INSERT OR REPLACE INTO search_meta (key, value) VALUES ('version', ?)",
                (str(INDEX_VERSION),),
            )
            self._reindex_all()

    def _reindex_all(self) -> None:
        content = self._store.content
        self.index("article", content.articles_all())
        self.index("script", content.scripts(status=None))

    def index(self, kind: str, items: Iterable[Article | Script]) -> None:
        """Add or replace items in the index (joins the caller's transaction)."""
        with self._store.transaction() as conn:
            for item in items:
                conn.execute(
                    "DELETE FROM search_fts WHERE kind = ? AND doc_id = ?", (kind, item.id)
                )
                tags = " ".join(getattr(item, "tags", ())) or getattr(item, "category", "")
                conn.execute(
                    "INSERT INTO search_fts (kind, doc_id, language, status, title, tags, body)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (kind, item.id, item.language, item.status, item.title, tags, item.body),
                )

    def search(
        self,
        query: str,
        *,
        kinds: tuple[str, ...] = ("article", "script"),
        language: str | None = None,
        limit: int = 10,
    ) -> SearchResult:
        words = [w.lower() for w in WORD.findall(query)]
        if not words:
            return SearchResult(query=query)
        # Every word is quoted, so nothing the user typed reaches FTS5 syntax.
        terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
        match = " OR ".join(terms)
        marks = ",".join("?" * len(kinds))
        sql = (
            "SELECT kind, doc_id, title, language, bm25(search_fts, 0, 0, 0, 0, 10.0, 5.0, 1.0)"
            " AS score, snippet(search_fts, 6, char(2), char(3), '…', 16)"
            f" FROM search_fts WHERE search_fts MATCH ? AND status != 'retired' AND kind IN ({marks})"
        )
        params: list = [match, *kinds]
        if language:
            sql += " AND language = ?"
            params.append(language)
        sql += " ORDER BY score LIMIT ?"
        params.append(limit)
        hits = [
            _hit(kind, doc_id, title, lang, score, snippet)
            for kind, doc_id, title, lang, score, snippet in self._store.conn.execute(sql, params)
        ]
        return SearchResult(query=query, hits=hits)


def _hit(kind, doc_id, title, language, score, raw_snippet) -> Hit:
    text, spans, position, start = [], [], 0, None
    for char in raw_snippet or "":
        if char == "\x02":
            start = position
        elif char == "\x03" and start is not None:
            spans.append((start, position))
            start = None
        else:
            text.append(char)
            position += 1
    return Hit(
        kind=kind,
        id=doc_id,
        title=title,
        score=round(-score, 4),
        language=language,
        snippet="".join(text),
        highlights=tuple(spans),
    )
