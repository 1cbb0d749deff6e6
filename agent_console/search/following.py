"""A console's own search index of a server's content, following it item by item.

On PostgreSQL each console keeps the search index in a SQLite file of its own (the ranking is
built on SQLite's FTS5; see search/index.py). When the server notifies that the content in
force changed, the index takes in just what changed: it remembers every item's version, last
update and status as it indexed them (`search_followed`), compares them with the server's, and
indexes again the items that differ, and the articles that learned a question since, and takes
out the items the server no longer has. A whole rebuild is left for the first time, and for a
learned question taken away (rare: `kb learn --from-log` starting over).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from agent_console.search import writer

if TYPE_CHECKING:
    from agent_console.domain import Article, Script
    from agent_console.store import Store

_FOLLOWED = (
    "CREATE TABLE IF NOT EXISTS search_followed"
    " (kind TEXT NOT NULL, item_id TEXT NOT NULL, mark TEXT NOT NULL,"
    " PRIMARY KEY (kind, item_id))"
)
_REMEMBER = "INSERT OR REPLACE INTO search_followed (kind, item_id, mark) VALUES (?, ?, ?)"


def follow(conn: sqlite3.Connection, store: Store) -> bool:
    """Bring the index up to the server's content by the items that changed (the caller holds
    the index's write transaction); False when only a whole rebuild will do."""
    conn.execute(_FOLLOWED)
    followed = {
        (kind, item): mark
        for kind, item, mark in conn.execute("SELECT kind, item_id, mark FROM search_followed")
    }
    row = conn.execute("SELECT value FROM search_meta WHERE key = 'learned'").fetchone()
    if not followed or row is None:
        return False
    pairs, newest = (int(part) for part in row[0].split(":"))
    added, learning = store.learned.since(newest)
    if store.learned.mark()[0] != pairs + added:
        return False  # a learned question was taken away: which article lost it is not known
    marks = store.content.marks()
    changed = {key for key, mark in marks.items() if followed.get(key) != mark}
    changed |= {("article", item) for item in learning if ("article", item) in marks}
    for kind in ("article", "script"):
        ids = sorted(item for k, item in changed if k == kind)
        if ids:
            writer.write(conn, kind, _items(store, kind, ids), learned=_learned(store, kind, ids))
        gone = sorted(item for k, item in followed if k == kind and (k, item) not in marks)
        if gone:
            writer.remove(conn, kind, gone)
            conn.executemany(
                "DELETE FROM search_followed WHERE kind = ? AND item_id = ?",
                [(kind, item) for item in gone],
            )
    conn.executemany(_REMEMBER, [(kind, item, marks[kind, item]) for kind, item in changed])
    _remember_learned(conn, store)
    return True


def remember(conn: sqlite3.Connection, store: Store) -> None:
    """After a whole rebuild: what the index now holds, to follow the server from."""
    conn.execute(_FOLLOWED)
    conn.execute("DELETE FROM search_followed")
    conn.executemany(
        _REMEMBER, [(kind, item, mark) for (kind, item), mark in store.content.marks().items()]
    )
    _remember_learned(conn, store)


def _remember_learned(conn: sqlite3.Connection, store: Store) -> None:
    pairs, newest = store.learned.mark()
    conn.execute(
        "INSERT OR REPLACE INTO search_meta (key, value) VALUES ('learned', ?)",
        (f"{pairs}:{newest}",),
    )


def _items(store: Store, kind: str, ids: list[str]) -> list[Article] | list[Script]:
    if kind == "article":
        return list(store.content.articles(ids).values())
    return [script for item in ids if (script := store.content.script(item)) is not None]


def _learned(store: Store, kind: str, ids: list[str]) -> dict[str, list[str]] | None:
    return store.learned.queries(ids) if kind == "article" else None
