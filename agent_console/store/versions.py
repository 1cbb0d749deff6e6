"""Content versions: every save of a script or an article is a row of `content_versions`; the
operators' tables (`articles`, `scripts`) hold the approved version in force, written there
when it comes in force (`bring_in_force`). Each method that changes what operators see returns
the items to index again, for the caller to hand to the search index in the same transaction
(the store never imports the search)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_console.clock import from_text, to_text
from agent_console.domain import Article, Script
from agent_console.domain.content_versions import (
    APPROVED,
    DRAFT,
    RETIRED,
    ContentError,
    ContentVersion,
    in_force,
    next_status,
    version_from_item,
)

if TYPE_CHECKING:
    import sqlite3

    from agent_console.store.store import Store

Item = Article | Script
VERSION_COLUMNS = (
    "kind, item_id, version, status, title, body, tags, category, language, topic, stage,"
    " author, at, comment, in_force_from"
)
_INSERT = (
    f"INSERT INTO content_versions ({VERSION_COLUMNS}, approved_by, pending)"
    f" VALUES ({', '.join('?' * 17)})"
)
# Ids per query: under SQLite's smallest limit of bound parameters.
CHUNK = 900


def version_from_row(row: sqlite3.Row) -> ContentVersion:
    return ContentVersion(
        kind=row["kind"],
        item_id=row["item_id"],
        version=row["version"],
        status=row["status"],
        title=row["title"],
        body=row["body"],
        author=row["author"],
        at=from_text(row["at"]),
        comment=row["comment"],
        tags=tuple(json.loads(row["tags"] or "[]")),
        category=row["category"],
        language=row["language"],
        topic=row["topic"],
        stage=row["stage"],
        in_force_from=from_text(row["in_force_from"]) if row["in_force_from"] else None,
    )


def _row(v: ContentVersion, approved_by: str | None, pending: bool) -> tuple[Any, ...]:
    return (
        v.kind, v.item_id, v.version, v.status, v.title, v.body,
        json.dumps(list(v.tags), ensure_ascii=False), v.category, v.language, v.topic, v.stage,
        v.author, to_text(v.at), v.comment,
        to_text(v.in_force_from) if v.in_force_from else None, approved_by, int(pending),
    )  # fmt: skip


_TAGS_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _imported_row(kind: str, item: Item, number: int, author: str, at: str) -> tuple[Any, ...]:
    """The row of an imported item as a new version (approved: in force from `at`)."""
    approved = item.status == APPROVED
    if isinstance(item, Article):
        tags, category, stage = _TAGS_JSON(list(item.tags)), "", None
    else:
        tags, category, stage = "[]", item.category, item.stage
    return (
        kind, item.id, number, item.status, item.title, item.body, tags, category,
        item.language, item.topic, stage, author, at, "imported",
        at if approved else None, author if approved else None, 0,
    )  # fmt: skip


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class VersionRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- reading ------------------------------------------------------------------------------

    def history(self, kind: str, item_id: str) -> list[ContentVersion]:
        """Every version of one item, newest first."""
        rows = self._store.query(
            f"SELECT {VERSION_COLUMNS} FROM content_versions WHERE kind = ? AND item_id = ?"
            " ORDER BY version DESC",
            (kind, item_id),
        )
        return [version_from_row(r) for r in rows]

    def get(self, kind: str, item_id: str, version: int | None = None) -> ContentVersion:
        """One version (the newest when `version` is None); ContentError names what is not
        there."""
        versions = self.history(kind, item_id)
        if not versions:
            raise ContentError(f"there is no {kind} {item_id!r}")
        if version is None:
            return versions[0]
        for found in versions:
            if found.version == version:
                return found
        known = ", ".join(str(v.version) for v in reversed(versions))
        raise ContentError(f"{kind} {item_id!r} has no version {version} (it has {known})")

    def latest(self, kind: str) -> list[ContentVersion]:
        """The newest version of every item of a kind, by id."""
        rows = self._store.query(
            f"SELECT {VERSION_COLUMNS} FROM content_versions AS v WHERE kind = ? AND version ="
            " (SELECT max(version) FROM content_versions WHERE kind = v.kind"
            " AND item_id = v.item_id) ORDER BY item_id",
            (kind,),
        )
        return [version_from_row(r) for r in rows]

    def reviews(self, kind: str, item_id: str) -> list[dict[str, Any]]:
        """What reviewers did to an item's versions, newest first."""
        rows = self._store.query(
            "SELECT version, action, by, at, comment FROM content_reviews"
            " WHERE kind = ? AND item_id = ? ORDER BY id DESC",
            (kind, item_id),
        )
        return [dict(r) for r in rows]

    # --- saving -------------------------------------------------------------------------------

    def save_imported(
        self, kind: str, items: Iterable[Item], author: str, same_import: set[str] | None = None
    ) -> list[Item]:
        """Imported items as versions: a new version when the text differs from the newest
        one (or its status does), none when it is the same again. Approved: in force now;
        retired: the item leaves what operators see; draft or review: waits for approval,
        the version in force unchanged. Returns the items whose operators' row changed.

        `same_import`: the ids an import written in parts has stored so far (updated here):
        an id met again in a later part replaces the version this import made, as the last
        of an id wins within one file read whole."""
        latest = {item.id: item for item in items}  # the same id twice: the last one wins
        now = self._store.clock.now()
        at = to_text(now)
        with self._store.transaction() as conn:
            newest = self._newest(conn, kind, list(latest))
            rows, changed = [], []
            for item in latest.values():
                before = newest.get(item.id)
                if same_import is not None and item.id in same_import and before is not None:
                    conn.execute(
                        "DELETE FROM content_versions WHERE kind = ? AND item_id = ?"
                        " AND version = ?",
                        (kind, item.id, before.version),
                    )
                    before = self._newest(conn, kind, [item.id]).get(item.id)
                number = max(before.version + 1 if before else 1, item.version)
                if before is not None and before.status == item.status:
                    if before.same_text(version_from_item(item, number, author, now)):
                        started = before.in_force_from
                        if item.status == APPROVED and started is not None and started <= now:
                            changed.append(before.as_item())
                        continue
                # Rows made straight from the items: a big import (100k articles, nearly all
                # new) pays for no version objects.
                rows.append(_imported_row(kind, item, number, author, at))
                live = item if item.version == number else replace(item, version=number)
                if item.status == APPROVED:
                    changed.append(live)
                elif item.status == RETIRED:
                    self._retire_approved(conn, kind, item.id)
                    changed.append(live)
            conn.executemany(_INSERT, rows)
            if same_import is not None:
                same_import.update(latest)
            self._write_live(kind, changed)
        return changed

    def save_draft(
        self, kind: str, fields: ContentVersion, author: str, comment: str = ""
    ) -> ContentVersion:
        """A new draft version of an item (new or not) with these fields; returns it."""
        if not fields.title.strip() or not fields.body.strip():
            raise ContentError(f"{kind} {fields.item_id!r}: the title and the body are required")
        now = self._store.clock.now()
        with self._store.transaction() as conn:
            before = self._newest(conn, kind, [fields.item_id]).get(fields.item_id)
            version = replace(
                fields,
                kind=kind,
                version=before.version + 1 if before else 1,
                status=DRAFT,
                author=author,
                at=now,
                comment=comment,
                in_force_from=None,
            )
            conn.execute(_INSERT, _row(version, None, False))
        return version

    def restore(self, kind: str, item_id: str, version: int, by: str) -> ContentVersion:
        """An old version's text as a new draft."""
        old = self.get(kind, item_id, version)
        with self._store.transaction():
            draft = self.save_draft(kind, old, by, f"restored from version {version}")
            self._review(kind, item_id, draft.version, "restored", by, f"from version {version}")
        return draft

    # --- the reviewer's actions ---------------------------------------------------------------

    def submit(self, kind: str, item_id: str, version: int | None, by: str) -> ContentVersion:
        """A draft sent for review."""
        return self._move("submit", kind, item_id, version, by, "")

    def send_back(
        self, kind: str, item_id: str, version: int | None, by: str, comment: str
    ) -> ContentVersion:
        """A version in review sent back to its author as a draft, saying why."""
        if not comment.strip():
            raise ContentError(f"{kind} {item_id!r}: say why it goes back (a comment)")
        return self._move("send_back", kind, item_id, version, by, comment)

    def _move(
        self, action: str, kind: str, item_id: str, version: int | None, by: str, comment: str
    ) -> ContentVersion:
        with self._store.transaction() as conn:
            found = self.get(kind, item_id, version)
            status = next_status(action, found)
            conn.execute(
                "UPDATE content_versions SET status = ? WHERE kind = ? AND item_id = ?"
                " AND version = ?",
                (status, kind, item_id, found.version),
            )
            self._review(kind, item_id, found.version, action, by, comment)
        return replace(found, status=status)

    def approve(
        self,
        kind: str,
        item_id: str,
        version: int | None,
        by: str,
        *,
        from_time: datetime | None = None,
        comment: str = "",
    ) -> list[Item]:
        """Approve a version (the newest by default), in force from `from_time` (now when
        None). Returns the items whose operators' row changed (none while its time is ahead)."""
        now = self._store.clock.now()
        start = from_time or now
        with self._store.transaction() as conn:
            found = self.get(kind, item_id, version)
            next_status("approve", found)
            conn.execute(
                "UPDATE content_versions SET status = 'approved', in_force_from = ?,"
                " approved_by = ?, pending = ? WHERE kind = ? AND item_id = ? AND version = ?",
                (to_text(start), by, int(start > now), kind, item_id, found.version),
            )
            self._review(kind, item_id, found.version, "approved", by, comment)
            return self._bring_item_in_force(kind, item_id, now)

    def retire(self, kind: str, item_id: str, by: str, comment: str = "") -> list[Item]:
        """The item leaves what operators see: every approved version retired (those approved
        for later too). Returns the item's retired row for the index."""
        with self._store.transaction() as conn:
            current = self.get(kind, item_id)
            retired = self._retire_approved(conn, kind, item_id)
            if not retired:
                raise ContentError(f"{kind} {item_id!r} has no approved version to retire")
            self._review(kind, item_id, current.version, "retired", by, comment)
            table = "articles" if kind == "article" else "scripts"
            conn.execute(f"UPDATE {table} SET status = 'retired' WHERE id = ?", (item_id,))
            content = self._store.content
            item: Item | None = (
                content.article(item_id) if kind == "article" else content.script(item_id)
            )
            return [item] if item else []

    # --- coming in force ----------------------------------------------------------------------

    def bring_in_force(self) -> dict[str, list[Item]]:
        """Approvals whose time has come written to the operators' tables; returns the items
        changed, by kind (nothing, in one index lookup, when none is due)."""
        now = self._store.clock.now()
        due = self._store.conn.execute(
            "SELECT DISTINCT kind, item_id FROM content_versions WHERE pending = 1"
            " AND in_force_from <= ?",
            (to_text(now),),
        ).fetchall()
        changed: dict[str, list[Item]] = {}
        if not due:
            return changed
        with self._store.transaction():
            for kind, item_id in due:
                changed.setdefault(kind, []).extend(self._bring_item_in_force(kind, item_id, now))
        return changed

    def _bring_item_in_force(self, kind: str, item_id: str, now: datetime) -> list[Item]:
        conn = self._store.conn
        conn.execute(
            "UPDATE content_versions SET pending = 0 WHERE kind = ? AND item_id = ?"
            " AND pending = 1 AND in_force_from <= ?",
            (kind, item_id, to_text(now)),
        )
        current = in_force(self.history(kind, item_id), now)
        if current is None:
            return []
        table = "articles" if kind == "article" else "scripts"
        live = conn.execute(f"SELECT version, status FROM {table} WHERE id = ?", (item_id,))
        if tuple(live.fetchone() or ()) == (current.version, APPROVED):
            return []
        item = current.as_item()
        self._write_live(kind, [item])
        return [item]

    # --- helpers ------------------------------------------------------------------------------

    def _newest(
        self, conn: sqlite3.Connection, kind: str, ids: list[str]
    ) -> dict[str, ContentVersion]:
        found: dict[str, ContentVersion] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._store.query(
                f"SELECT {VERSION_COLUMNS} FROM content_versions WHERE kind = ?"
                f" AND item_id IN ({marks}) ORDER BY version",
                (kind, *chunk),
            )
            found.update((row["item_id"], version_from_row(row)) for row in rows)
        return found

    def _retire_approved(self, conn: sqlite3.Connection, kind: str, item_id: str) -> int:
        return conn.execute(
            "UPDATE content_versions SET status = 'retired', pending = 0 WHERE kind = ?"
            " AND item_id = ? AND status = 'approved'",
            (kind, item_id),
        ).rowcount

    def _review(
        self, kind: str, item_id: str, version: int, action: str, by: str, comment: str
    ) -> None:
        self._store.conn.execute(
            "INSERT INTO content_reviews (kind, item_id, version, action, by, at, comment)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, item_id, version, action, by, to_text(self._store.clock.now()), comment),
        )

    def _write_live(self, kind: str, items: list[Item]) -> None:
        if kind == "article":
            self._store.content.write_live_articles(items)  # type: ignore[arg-type]
        else:
            self._store.content.write_live_scripts(items)  # type: ignore[arg-type]
