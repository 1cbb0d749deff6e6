"""Articles' sentence vectors for the semantic search (made only with the `semantic` extra).

A vector is kept per article and model, with the article's `updated` when it was made: the
articles without a vector, or with one older than their last edit, are the missing ones, so an
interrupted pass resumes where it stopped. Retired articles need none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent_console.store.store import Store

_MISSING = (
    " FROM articles a LEFT JOIN search_vectors v ON v.article_id = a.id AND v.model = ?"
    " WHERE a.status != 'retired' AND (v.updated IS NULL OR v.updated != a.updated)"
)


class VectorRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def missing(self, model: str, limit: int) -> list[tuple[str, str, str, str, str]]:
        """(id, title, tags JSON, body, updated) of up to `limit` articles needing a vector."""
        return self._store.conn.execute(
            f"SELECT a.id, a.title, a.tags, a.body, a.updated{_MISSING} ORDER BY a.id LIMIT ?",
            (model, limit),
        ).fetchall()

    def progress(self, model: str) -> tuple[int, int]:
        """(articles with a current vector, articles that need one)."""
        conn = self._store.conn
        total = conn.execute("SELECT count(*) FROM articles WHERE status != 'retired'").fetchone()[
            0
        ]
        missing = conn.execute(f"SELECT count(*){_MISSING}", (model,)).fetchone()[0]
        return total - missing, total

    def put(self, model: str, rows: list[tuple[str, str, int, bytes]]) -> None:
        """Store (article id, updated, dim, vector bytes) rows (their own transaction)."""
        with self._store.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO search_vectors (article_id, model, updated, dim, vector)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (article_id, model, updated, dim, blob)
                    for article_id, updated, dim, blob in rows
                ],
            )

    def count(self, model: str) -> int:
        """How many vectors of this model are stored (current or not)."""
        return int(
            self._store.conn.execute(
                "SELECT count(*) FROM search_vectors WHERE model = ?", (model,)
            ).fetchone()[0]
        )

    def stamp(self, model: str) -> tuple[object, ...]:
        """Changes whenever vectors of this model are added or replaced, or articles enter or
        leave the search index (an edit, a retirement): (vectors, their last rowid, indexed
        items, their last rowid). The same from every connection, unlike `data_version`.
        On PostgreSQL the index is the console's own file (Store.search_file), and a vector
        replaced is told by its article's `updated`."""
        index = self._store.search_file.conn
        docs = index.execute("SELECT count(*), coalesce(max(rowid), 0) FROM search_docs").fetchone()
        last = "coalesce(max(updated), '')" if self._store.url else "coalesce(max(rowid), 0)"
        row = self._store.conn.execute(
            f"SELECT count(*), {last} FROM search_vectors WHERE model = ?", (model,)
        ).fetchone()
        return row[0], row[1], docs[0], docs[1]

    def indexed(self, model: str) -> list[tuple[int, str, int, bytes]]:
        """(search row id, article language, dim, vector) of the articles in the search index
        (so never a retired one), current vectors only."""
        if self._store.search_file is self._store:
            return self._store.conn.execute(
                "SELECT d.rowid, d.language, v.dim, v.vector FROM search_vectors v"
                " JOIN articles a ON a.id = v.article_id AND a.updated = v.updated"
                " JOIN search_docs d ON d.kind = 'article' AND d.doc_id = v.article_id"
                " WHERE v.model = ?",
                (model,),
            ).fetchall()
        # The vectors are the server's, the index this console's: joined here.
        docs = {
            doc_id: (rowid, language)
            for rowid, doc_id, language in self._store.search_file.conn.execute(
                "SELECT rowid, doc_id, language FROM search_docs WHERE kind = 'article'"
            )
        }
        return [
            (*docs[article_id], dim, bytes(vector))
            for article_id, dim, vector in self._store.conn.execute(
                "SELECT v.article_id, v.dim, v.vector FROM search_vectors v"
                " JOIN articles a ON a.id = v.article_id AND a.updated = v.updated"
                " WHERE v.model = ?",
                (model,),
            )
            if article_id in docs
        ]
