"""The search index: what the rest of the console calls.

`ensure()` builds the index (it is derived data, rebuilt whenever its layout version changes),
`index()` adds or replaces items inside the caller's transaction, and `search()` answers a query
in three steps: `query` turns the text into weighted terms (layout, typos, stop words,
synonyms, completions), `candidates` finds at most a few hundred rows with unranked FTS5
queries, and `ranking` orders those with BM25F and a weight per query term. FTS5's own bm25 is
not used: on this machine it costs 15–50 µs for every matching row, and a common word matches
tens of thousands of rows in a big knowledge base.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from agent_console.search import candidates, following, ranking, schema, vocabulary, writer
from agent_console.search import query as query_plan
from agent_console.search.results import Hit, SearchResult
from agent_console.search.snippets import snippet

if TYPE_CHECKING:
    from agent_console.domain import Article, Script
    from agent_console.search.semantic import Vectors
    from agent_console.store import Store

# How many candidates the first pass hands to the ranking, at least and per result asked for.
MIN_CANDIDATES = 60
CANDIDATES_PER_RESULT = 3
CONTENT_TABLES = {"article": "articles", "script": "scripts"}
# On a server, how many hits' bodies are kept for their snippets before the console starts over.
BODIES_KEPT = 2000
# One ranked row: (score, kind, search row id, language).
Scored = tuple[float, str, int, str]


class SearchIndex:
    def __init__(self, store: Store, vectors: Vectors | None = None) -> None:
        """`vectors`: the semantic layer's article vectors, for `search(..., dense=True)`.

        The index's tables are in `store.search_file`: the database itself on SQLite; on
        PostgreSQL a SQLite file of this console's own (FTS5 and the ranking are SQLite's),
        brought up to the server's content item by item when the server notifies a change of
        content and `Store.content_stamp` says it changed (search/following.py).
        """
        self._store = store
        self._index = store.search_file
        self._ready = False
        self._vectors = vectors
        self._content_seen: int | None = None
        self._bodies_seen: dict[tuple[str, str], str] = {}
        # This console wrote the index itself since it last looked at the server's content
        # (an import, a learned question): the change it will hear of is its own.
        self._wrote = False

    def ensure(self) -> None:
        """Create or rebuild the index if it is missing or of another layout version, or (on
        PostgreSQL) of content no longer the server's."""
        conn = self._index.conn
        if self._index is not self._store:
            self._follow_server(conn)
        elif self._version(conn) != schema.INDEX_VERSION:
            with self._index.transaction() as conn:
                # Another console may have rebuilt it while this one waited for the lock.
                if self._version(conn) != schema.INDEX_VERSION:
                    self._rebuild(conn)
        self._ready = True

    def _follow_server(self, conn: sqlite3.Connection) -> None:
        """This console's own index of the server's content, brought up to it when the server
        notified a change (search/following.py)."""
        heard = self._store.content_changes()
        if heard == self._content_seen and self._ready:
            return
        self._content_seen = heard
        stamp = self._store.content_stamp()
        laid_out = self._version(conn) == schema.INDEX_VERSION
        row = conn.execute("SELECT value FROM search_meta WHERE key = 'content'").fetchone()
        wrote, self._wrote = self._wrote, False
        if laid_out and row is not None and row[0] == stamp:
            return
        with self._index.transaction() as conn:
            # This console's own writes are in already; another's are taken in item by item.
            if not laid_out or not (wrote or following.follow(conn, self._store)):
                self._rebuild(conn)
                following.remember(conn, self._store)
            conn.execute(
                "INSERT OR REPLACE INTO search_meta (key, value) VALUES ('content', ?)", (stamp,)
            )
        self._bodies_seen.clear()

    @staticmethod
    def _version(conn: sqlite3.Connection) -> int | None:
        conn.execute("CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)")
        row = conn.execute("SELECT value FROM search_meta WHERE key = 'version'").fetchone()
        return int(row[0]) if row else None

    def _rebuild(self, conn: sqlite3.Connection) -> None:
        # Versions 1-3 had a table (later a view) called search_fts: drop it on the way up.
        row = conn.execute("SELECT type FROM sqlite_master WHERE name = 'search_fts'").fetchone()
        if row:
            conn.execute(f"DROP {'VIEW' if row[0] == 'view' else 'TABLE'} search_fts")
        for statement in schema.DROP + schema.CREATE:
            conn.execute(statement)
        conn.execute("DELETE FROM search_meta")
        conn.execute(
            "INSERT INTO search_meta (key, value) VALUES ('version', ?)",
            (str(schema.INDEX_VERSION),),
        )
        content = self._store.content
        articles = content.articles_all()
        learned = self._store.learned.queries(a.id for a in articles)
        writer.write(conn, "article", articles, learned=learned)
        writer.write(conn, "script", content.scripts(status=None))

    def clear(self) -> None:
        """Empty the index (joins the caller's transaction)."""
        if not self._ready:
            self.ensure()
        with self._index.transaction() as conn:
            for statement in schema.CLEAR:
                conn.execute(statement)
        self._wrote = True

    def index(
        self,
        kind: str,
        items: Iterable[Article | Script],
        *,
        terms: Mapping[str, writer.Terms3] | None = None,
        in_parts: bool = False,
    ) -> None:
        """Add or replace items in the index (joins the caller's transaction).

        `terms`: the items' index terms by id, if they were made ahead (`writer.index_terms`).
        `in_parts`: one part of a big write; the vocabulary is left for `finish_parts()`.
        """
        if not self._ready:
            self.ensure()
        learned = None
        if kind == "article":
            items = list(items)
            learned = self._store.learned.queries(item.id for item in items)
        with self._index.transaction() as conn:
            writer.write(conn, kind, items, terms=terms, in_parts=in_parts, learned=learned)
        self._wrote = True

    def relearn(self, article_ids: Iterable[str]) -> int:
        """Index these articles again with what was learned for them (after `kb learn`);
        returns how many are in the index (a retired one is not). Joins the caller's
        transaction."""
        wanted = sorted(set(article_ids))
        articles: list[Article] = []
        for start in range(0, len(wanted), vocabulary.CHUNK):
            chunk = wanted[start : start + vocabulary.CHUNK]
            articles += self._store.content.articles(chunk).values()
        if not articles:
            return 0
        self.index("article", articles)
        return sum(1 for a in articles if a.status != writer.RETIRED)

    def finish_parts(self) -> None:
        """After a write in parts: count the vocabulary from the index, once."""
        with self._index.transaction() as conn:
            writer.recount_vocabulary(conn)

    def search(
        self,
        query: str,
        *,
        kinds: tuple[str, ...] = ("article", "script"),
        language: str | None = None,
        limit: int = 10,
        dense: bool = False,
    ) -> SearchResult:
        """The best `limit` items for a query as typed, best first.

        `dense`: also ask the semantic layer (when the index has vectors and articles are
        searched) and fuse its ranking with the lexical one; the lexical path alone otherwise.
        """
        if not self._ready or self._index is not self._store:
            self.ensure()
        if dense and "article" in kinds and limit > 0 and self.can_fuse():
            return self._fused(query, kinds, language, limit)
        return self._lexical(query, kinds, language, limit)

    def can_fuse(self) -> bool:
        """Whether `search(..., dense=True)` would ask the semantic layer: it is there and
        some articles have their vectors (a cheap check: the vectors are read once)."""
        return self._vectors is not None and bool(self._vectors)

    def _lexical(
        self, query: str, kinds: tuple[str, ...], language: str | None, limit: int
    ) -> SearchResult:
        lexical = self._ranked(query, kinds, language, limit)
        return SearchResult(
            query=query,
            hits=self._hits(self._index.conn, lexical.ranked, set(lexical.terms)),
            searched_for=lexical.searched_for,
        )

    def _fused(
        self, query: str, kinds: tuple[str, ...], language: str | None, limit: int
    ) -> SearchResult:
        """The lexical ranking (of every kind asked for) and the articles nearest in meaning,
        fused by reciprocal rank: scripts have no vectors and keep their lexical share."""
        from agent_console.search.semantic import DEPTH, fuse

        assert self._vectors is not None  # can_fuse() said so
        lexical = self._ranked(query, kinds, language, max(DEPTH, limit))
        wanted = language or lexical.language
        # The question as corrected (wrong keyboard layout, typos): the model cannot read
        # "ytn bynthytnf" any more than a person can.
        nearest = self._vectors.nearest(lexical.searched_for or query, DEPTH, wanted)
        lexical_keys = [(kind, rowid, lang) for _, kind, rowid, lang in lexical.ranked]
        dense_keys = [("article", rowid, lang) for rowid, lang in nearest]
        best: list[Scored] = [
            (score, kind, rowid, lang)
            for score, (kind, rowid, lang) in fuse(lexical_keys, dense_keys)[:limit]
        ]
        return SearchResult(
            query=query,
            hits=self._hits(self._index.conn, best, set(lexical.terms)),
            searched_for=lexical.searched_for,
        )

    def _ranked(
        self, query: str, kinds: tuple[str, ...], language: str | None, limit: int
    ) -> _Ranked:
        """The lexical ranking, before it becomes hits."""
        conn = self._index.conn
        plan = query_plan.plan(conn, query)
        if not plan.words or limit <= 0:
            return _Ranked([], {}, plan.searched_for, plan.language)
        terms = plan.terms
        frequencies = plan.frequencies
        missing = [term for term in terms if term not in frequencies]
        if missing:
            frequencies.update(vocabulary.frequencies(conn, missing))
        scorer = ranking.Scorer(plan, ranking.Stats.of(writer.read_stats(conn)), frequencies)
        words = candidates.groups(plan, scorer.idfs)
        if not words:
            return _Ranked([], terms, plan.searched_for, plan.language)
        budget = max(MIN_CANDIDATES, CANDIDATES_PER_RESULT * limit)
        if language:
            budget *= 2  # some candidates will be of the other language
        scored: list[Scored] = []
        for kind in kinds:
            table = schema.fts_table(kind)
            rowids = candidates.find(conn, table, words, budget, language)
            for start in range(0, len(rowids), vocabulary.CHUNK):
                chunk = rowids[start : start + vocabulary.CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT rowid, title, tags, body, learned, language FROM {table}"
                    f" WHERE rowid IN ({marks})",
                    chunk,
                )
                for rowid, title, tags, body, learned, lang in rows:
                    if language and lang != language:
                        continue
                    value = scorer.score((title, tags, body, learned), lang)
                    if value > 0:
                        scored.append((value, kind, rowid, lang))
        scored.sort(key=lambda s: (-s[0], s[2]))
        return _Ranked(scored[:limit], terms, plan.searched_for, plan.language)

    def _hits(self, conn: sqlite3.Connection, best: list[Scored], terms: set[str]) -> list[Hit]:
        if not best:
            return []
        rowids = [rowid for _, _, rowid, _ in best]
        marks = ",".join("?" * len(rowids))
        docs = {
            rowid: (doc_id, title)
            for rowid, doc_id, title in conn.execute(
                f"SELECT rowid, doc_id, title FROM search_docs WHERE rowid IN ({marks})", rowids
            )
        }
        bodies = self._bodies([(kind, docs[rowid][0]) for _, kind, rowid, _ in best])
        hits = []
        for value, kind, rowid, lang in best:
            doc_id, title = docs[rowid]
            body = bodies.get((kind, doc_id), "")
            hits.append(
                Hit(
                    kind=kind,
                    id=doc_id,
                    title=title,
                    score=round(float(value), 4),
                    language=lang,
                    make_snippet=partial(snippet, body, terms),
                )
            )
        return hits

    def _bodies(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The hits' bodies, for their snippets: read from the content; on a server, kept
        until the content changes (a keystroke does not wait for the network)."""
        kept = self._bodies_seen if self._index is not self._store else {}
        bodies = {key: kept[key] for key in keys if key in kept}
        for kind, table in CONTENT_TABLES.items():
            ids = [doc_id for k, doc_id in keys if k == kind and (k, doc_id) not in bodies]
            if ids:
                marks = ",".join("?" * len(ids))
                for doc_id, body in self._store.conn.execute(
                    f"SELECT id, body FROM {table} WHERE id IN ({marks})", ids
                ):
                    bodies[(kind, doc_id)] = body
        if self._index is not self._store:
            if len(kept) > BODIES_KEPT:
                kept.clear()  # a shift's worth of answers, not the whole knowledge base
            kept.update(bodies)
        return bodies


class _Ranked:
    """The lexical ranking before it becomes hits (for fusion)."""

    __slots__ = ("ranked", "terms", "searched_for", "language")

    def __init__(
        self,
        ranked: list[Scored],
        terms: dict[str, float],
        searched_for: str | None,
        language: str | None,
    ) -> None:
        self.ranked = ranked
        self.terms = terms
        self.searched_for = searched_for
        self.language = language
