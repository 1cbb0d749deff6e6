"""Curating content: what a trainer or a supervisor does to scripts and articles (save a draft,
send it for review, approve it from a time, send it back, retire, restore), with the search
index kept to what operators see, and the usage and gaps read from the event log. The command
line and the Content mode both go through here; every change is one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from agent_console.domain.content_use import (
    GAP_EVENT_TYPES,
    USE_EVENT_TYPES,
    Gap,
    Usage,
    gaps,
    usage,
)
from agent_console.domain.content_versions import (
    KINDS,
    ContentError,
    ContentVersion,
    in_force,
    shown_status,
)
from agent_console.domain.placeholders import LABELS, PLACEHOLDER
from agent_console.domain.word_diff import Piece, word_diff
from agent_console.search import SearchIndex
from agent_console.store import Store

__all__ = ["ContentError", "Curation", "HistoryLine", "ItemRow", "unknown_placeholders"]

# The list's filters by state: a version's states, and two lists of their own.
STATE_FILTERS = ("all", "draft", "review", "approved", "retired", "due", "flagged")


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One script or article as the Content mode lists it: its newest version, the version
    operators see, its open flags and its review-by date."""

    newest: ContentVersion
    in_force: int | None  # the version operators see; None: none
    flags: int
    review_by: date | None
    due: bool

    @property
    def state(self) -> str:
        """The newest version's state; an item whose only approved version is retired."""
        return self.newest.status

    def matches(self, state: str, kind: str, language: str, text: str) -> bool:
        """Kept by the list's filters ("all" or "" lets everything through)."""
        if state == "due" and not self.due:
            return False
        if state == "flagged" and not self.flags:
            return False
        if state not in ("all", "due", "flagged") and self.state != state:
            return False
        if kind not in ("all", self.newest.kind) or language not in ("all", self.newest.language):
            return False
        wanted = text.casefold().strip()
        return not wanted or wanted in f"{self.newest.item_id} {self.newest.title}".casefold()


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One version as `kb history` lists it."""

    version: ContentVersion
    status: str  # as a reviewer reads it (a superseded approval: retired)
    in_force: bool


def _through(now: datetime) -> datetime:
    """The end of a range that takes in what happened at `now` (`between` leaves its end out;
    the store keeps milliseconds)."""
    return now + timedelta(milliseconds=1)


def unknown_placeholders(body: str) -> list[str]:
    """Placeholders the console cannot fill (`{customer.shoe_size}`), each once, in order."""
    names = (m.group(1) for m in PLACEHOLDER.finditer(body))
    return list(dict.fromkeys(n for n in names if n not in LABELS))


class Curation:
    def __init__(self, store: Store, index: SearchIndex | None = None) -> None:
        self.store = store
        self._index = index or SearchIndex(store)

    def _check_kind(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown content kind {kind!r}")

    def _reindexed(self, kind: str, change: Callable[[], list]) -> None:
        """Run a change and index what it changed for operators, in one transaction."""
        with self.store.transaction():
            changed = change()
            if changed:
                self._index.index(kind, changed)

    def bring_in_force(self) -> int:
        """Approvals whose time has come made what operators see; returns how many."""
        self._index.ensure()
        due = self.store.versions.bring_in_force()
        if due:
            with self.store.transaction():
                for kind, items in due.items():
                    self._index.index(kind, items)
        return sum(len(items) for items in due.values())

    # --- reading ------------------------------------------------------------------------------

    def history(self, kind: str, item_id: str) -> list[HistoryLine]:
        self._check_kind(kind)
        versions = self.store.versions.history(kind, item_id)
        if not versions:
            raise ContentError(f"there is no {kind} {item_id!r}")
        current = in_force(versions, self.store.clock.now())
        return [
            HistoryLine(v, shown_status(v, current), current is not None and v is current)
            for v in versions
        ]

    def diff(self, kind: str, item_id: str, first: int, second: int) -> dict[str, list[Piece]]:
        """The word-level differences from version `first` to `second`, title and body."""
        self._check_kind(kind)
        old = self.store.versions.get(kind, item_id, first)
        new = self.store.versions.get(kind, item_id, second)
        return {"title": word_diff(old.title, new.title), "body": word_diff(old.body, new.body)}

    def usage(self, kind: str, days: int = 30) -> tuple[list[Usage], list[ContentVersion]]:
        """Each used item's uses in the last 7 and 30 days, most used first; and the items in
        force that were never used in that time."""
        now = self.store.clock.now()
        events = self.store.events.between(
            now - timedelta(days=days), _through(now), USE_EVENT_TYPES
        )
        found = [u for (k, _), u in usage(events, now).items() if k == kind and u.total > 0]
        found.sort(key=lambda u: (-u.total, u.item_id))
        used = {u.item_id for u in found}
        unused = [
            v
            for v in self.store.versions.latest(kind)
            if v.item_id not in used and self._live_version(kind, v.item_id) is not None
        ]
        return found, unused

    def gaps(self, days: int = 30) -> list[Gap]:
        now = self.store.clock.now()
        start = now - timedelta(days=days)
        return gaps(self.store.events.between(start, _through(now), GAP_EVENT_TYPES))

    def items(self) -> list[ItemRow]:
        """Every script and article, by kind and id, for the Content mode's list."""
        today = self.store.clock.now().date()
        dates = self.store.content_notes.review_dates()
        flags: dict[tuple[str, str], int] = {}
        for flag in self.store.content_notes.open_flags():
            flags[(flag.kind, flag.item_id)] = flags.get((flag.kind, flag.item_id), 0) + 1
        rows = []
        for kind in KINDS:
            live = self._live_versions(kind)
            for newest in self.store.versions.latest(kind):
                key = (kind, newest.item_id)
                review_by = dates.get(key)
                rows.append(
                    ItemRow(
                        newest,
                        live.get(newest.item_id),
                        flags.get(key, 0),
                        review_by,
                        review_by is not None and review_by <= today,
                    )
                )
        return rows

    def _live_versions(self, kind: str) -> dict[str, int]:
        table = "articles" if kind == "article" else "scripts"
        rows = self.store.conn.execute(f"SELECT id, version FROM {table} WHERE status = 'approved'")
        return dict(rows.fetchall())

    def _live_version(self, kind: str, item_id: str) -> int | None:
        table = "articles" if kind == "article" else "scripts"
        row = self.store.conn.execute(
            f"SELECT version FROM {table} WHERE id = ? AND status = 'approved'", (item_id,)
        ).fetchone()
        return int(row[0]) if row else None

    # --- changing -----------------------------------------------------------------------------

    def save_draft(
        self, kind: str, fields: ContentVersion, author: str, comment: str = ""
    ) -> ContentVersion:
        self._check_kind(kind)
        return self.store.versions.save_draft(kind, fields, author, comment)

    def submit(self, kind: str, item_id: str, version: int | None, by: str) -> ContentVersion:
        self._check_kind(kind)
        return self.store.versions.submit(kind, item_id, version, by)

    def send_back(
        self, kind: str, item_id: str, version: int | None, by: str, comment: str
    ) -> ContentVersion:
        self._check_kind(kind)
        return self.store.versions.send_back(kind, item_id, version, by, comment)

    def approve(
        self,
        kind: str,
        item_id: str,
        version: int | None,
        by: str,
        *,
        from_time: datetime | None = None,
        comment: str = "",
    ) -> ContentVersion:
        """Approve a version (the newest by default); returns it as approved."""
        self._check_kind(kind)
        self._index.ensure()
        with self.store.transaction():
            self._reindexed(
                kind,
                lambda: self.store.versions.approve(
                    kind, item_id, version, by, from_time=from_time, comment=comment
                ),
            )
            # Operators' flags were on the text this approval replaces: dealt with.
            self.store.content_notes.resolve_flags(kind, item_id)
        return self.store.versions.get(kind, item_id, version)

    def retire(self, kind: str, item_id: str, by: str, comment: str = "") -> None:
        self._check_kind(kind)
        self._index.ensure()
        self._reindexed(kind, lambda: self.store.versions.retire(kind, item_id, by, comment))

    def restore(self, kind: str, item_id: str, version: int, by: str) -> ContentVersion:
        self._check_kind(kind)
        return self.store.versions.restore(kind, item_id, version, by)
