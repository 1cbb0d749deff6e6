"""Articles and approved scripts: the rows. Their search index lives in `agent_console.search`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from agent_console.clock import to_text
from agent_console.domain import Article, Script
from agent_console.domain.codes import SCRIPT_CATEGORY_ORDER

if TYPE_CHECKING:
    import sqlite3

    from agent_console.store.store import Store

ARTICLE_COLUMNS = "id, title, body, tags, language, status, version, topic"
SCRIPT_COLUMNS = "id, title, body, category, language, status, version, topic, stage"


def _upsert(table: str, columns: str) -> str:
    """One row inserted, or updated by id: run by executemany for a whole import, it costs
    about two thirds of sqlite-utils' upsert_all (which converts every value in Python)."""
    names = [c.strip() for c in columns.split(",")]
    updates = ", ".join(f"{name} = excluded.{name}" for name in names if name != "id")
    marks = ", ".join("?" * len(names))
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {updates}"
    )


# An article imported again unchanged keeps its `updated`: its sentence vector (made for that
# `updated`, see store/vectors.py) stays current instead of being made again.
UPSERT_ARTICLE = _upsert("articles", ARTICLE_COLUMNS + ", updated").replace(
    "updated = excluded.updated",
    "updated = CASE WHEN (articles.title, articles.body, articles.tags, articles.language,"
    " articles.status, articles.version, articles.topic)"
    " IS (excluded.title, excluded.body, excluded.tags, excluded.language, excluded.status,"
    " excluded.version, excluded.topic) THEN articles.updated ELSE excluded.updated END",
)
# One encoder for every row: `json.dumps` with an option builds a new one per call, which
# costs more than the encoding of a few tags.
_TAGS_JSON = json.JSONEncoder(ensure_ascii=False).encode
UPSERT_SCRIPT = _upsert("scripts", SCRIPT_COLUMNS + ", updated")


def article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        tags=tuple(json.loads(row["tags"] or "[]")),
        language=row["language"],
        status=row["status"],
        version=row["version"],
        topic=row["topic"],
    )


def _category_rank(category: str) -> int:
    try:
        return SCRIPT_CATEGORY_ORDER.index(category)
    except ValueError:
        return len(SCRIPT_CATEGORY_ORDER)


def script_from_row(row: sqlite3.Row) -> Script:
    return Script(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        category=row["category"],
        language=row["language"],
        status=row["status"],
        version=row["version"],
        topic=row["topic"],
        stage=row["stage"],
    )


class ContentRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def upsert_articles(
        self,
        articles: Iterable[Article],
        author: str = "import",
        same_import: set[str] | None = None,
    ) -> list[Article]:
        """Articles imported: each a new version when it says something new (see
        `VersionRepository.save_imported`); returns those whose operators' row changed, for
        the search index."""
        return self._store.versions.save_imported("article", articles, author, same_import)  # type: ignore[return-value]

    def upsert_scripts(
        self,
        scripts: Iterable[Script],
        author: str = "import",
        same_import: set[str] | None = None,
    ) -> list[Script]:
        """Scripts imported, as `upsert_articles`."""
        return self._store.versions.save_imported("script", scripts, author, same_import)  # type: ignore[return-value]

    def write_live_articles(self, articles: Iterable[Article]) -> None:
        """Write what operators see of these articles, by id (the same id twice: the last one
        wins). Only the versions repository calls this: what is written is in force."""
        now = to_text(self._store.clock.now())
        rows = [
            (
                a.id,
                a.title,
                a.body,
                _TAGS_JSON(list(a.tags)),
                a.language,
                a.status,
                a.version,
                a.topic,
                now,
            )
            for a in articles
        ]
        with self._store.transaction() as conn:
            conn.executemany(UPSERT_ARTICLE, rows)

    def write_live_scripts(self, scripts: Iterable[Script]) -> None:
        """Write what operators see of these scripts, as `write_live_articles`."""
        now = to_text(self._store.clock.now())
        rows = [
            (
                s.id,
                s.title,
                s.body,
                s.category,
                s.language,
                s.status,
                s.version,
                s.topic,
                s.stage,
                now,
            )
            for s in scripts
        ]
        with self._store.transaction() as conn:
            conn.executemany(UPSERT_SCRIPT, rows)

    def article(self, article_id: str) -> Article | None:
        row = self._store.query(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return article_from_row(row) if row else None

    def articles(self, ids: Iterable[str]) -> dict[str, Article]:
        wanted = list(ids)
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._store.query(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", wanted
        )
        return {row["id"]: article_from_row(row) for row in rows}

    def articles_all(self) -> list[Article]:
        rows = self._store.query(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY id")
        return [article_from_row(r) for r in rows]

    def script(self, script_id: str) -> Script | None:
        row = self._store.query(
            f"SELECT {SCRIPT_COLUMNS} FROM scripts WHERE id = ?", (script_id,)
        ).fetchone()
        return script_from_row(row) if row else None

    def scripts(self, language: str | None = None, status: str | None = "approved") -> list[Script]:
        """Scripts in category order, as the script panel groups them."""
        clauses, params = [], []
        if language:
            clauses.append("language = ?")
            params.append(language)
        if status:
            clauses.append("status = ?")
            params.append(status)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._store.query(
            f"SELECT {SCRIPT_COLUMNS} FROM scripts{where} ORDER BY category, title", params
        )
        return sorted((script_from_row(r) for r in rows), key=lambda s: _category_rank(s.category))

    def marks(self) -> dict[tuple[str, str], str]:
        """Every article's and script's version, last update and status, by (kind, id): what a
        search index kept elsewhere compares to find what changed (search/index.py)."""
        rows = self._store.conn.execute(
            "SELECT 'article', id, version, updated, status FROM articles"
            " UNION ALL SELECT 'script', id, version, updated, status FROM scripts"
        )
        return {
            (kind, item): f"{version}|{updated}|{status}"
            for kind, item, version, updated, status in rows
        }

    def article_statuses(self) -> dict[str, int]:
        """How many articles have each status."""
        rows = self._store.conn.execute("SELECT status, count(*) FROM articles GROUP BY status")
        return dict(rows.fetchall())
