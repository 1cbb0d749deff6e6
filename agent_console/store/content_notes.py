"""What is said about content beside its versions: an item's review-by date (past it, the item
is due for review) and operators' flags (wrong or outdated, with a comment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from agent_console.clock import from_text, to_text
from agent_console.domain.content_versions import KINDS, ContentError

if TYPE_CHECKING:
    import sqlite3

    from agent_console.store.store import Store

FLAG_REASONS = ("wrong", "outdated")


@dataclass(frozen=True, slots=True)
class Flag:
    id: int
    kind: str
    item_id: str
    version: int | None
    reason: str
    comment: str
    operator: str
    at: datetime


def flag_from_row(row: sqlite3.Row) -> Flag:
    return Flag(
        row["id"],
        row["kind"],
        row["item_id"],
        row["version"],
        row["reason"],
        row["comment"],
        row["operator"],
        from_text(row["at"]),
    )


class ContentNotesRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def set_review_by(self, kind: str, item_id: str, when: date | None) -> None:
        """The date by which the item is to be reviewed again (None: no date)."""
        with self._store.transaction() as conn:
            if when is None:
                conn.execute(
                    "DELETE FROM content_review_by WHERE kind = ? AND item_id = ?", (kind, item_id)
                )
                return
            conn.execute(
                "INSERT INTO content_review_by (kind, item_id, review_by) VALUES (?, ?, ?)"
                " ON CONFLICT (kind, item_id) DO UPDATE SET review_by = excluded.review_by",
                (kind, item_id, when.isoformat()),
            )

    def review_dates(self) -> dict[tuple[str, str], date]:
        rows = self._store.query("SELECT kind, item_id, review_by FROM content_review_by")
        return {(r["kind"], r["item_id"]): date.fromisoformat(r["review_by"]) for r in rows}

    def flag(
        self, kind: str, item_id: str, version: int | None, reason: str, comment: str, operator: str
    ) -> int:
        """An operator's flag on an item they were shown; returns its id."""
        if kind not in KINDS:
            raise ContentError(f"unknown content kind {kind!r}")
        if reason not in FLAG_REASONS:
            raise ContentError(f"a flag says {' or '.join(FLAG_REASONS)}, not {reason!r}")
        if not comment.strip():
            raise ContentError("say what is wrong or outdated (a comment)")
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO content_flags (kind, item_id, version, reason, comment, operator, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    item_id,
                    version,
                    reason,
                    comment.strip(),
                    operator,
                    to_text(self._store.clock.now()),
                ),
            )
            return int(cursor.lastrowid or 0)

    def open_flags(self, kind: str | None = None, item_id: str | None = None) -> list[Flag]:
        """Flags not yet resolved, newest first."""
        sql = "SELECT * FROM content_flags WHERE resolved_at IS NULL"
        params: list[str] = []
        if kind is not None:
            sql += " AND kind = ?"
            params.append(kind)
        if item_id is not None:
            sql += " AND item_id = ?"
            params.append(item_id)
        return [flag_from_row(r) for r in self._store.query(sql + " ORDER BY id DESC", params)]

    def resolve_flags(self, kind: str, item_id: str) -> int:
        """The item's open flags dealt with (a new version approved, or judged fine)."""
        with self._store.transaction() as conn:
            return conn.execute(
                "UPDATE content_flags SET resolved_at = ? WHERE kind = ? AND item_id = ?"
                " AND resolved_at IS NULL",
                (to_text(self._store.clock.now()), kind, item_id),
            ).rowcount
