"""Outage and planned-works notices."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from agent_console.clock import from_text, to_text
from agent_console.domain import Notice

if TYPE_CHECKING:
    from agent_console.store.store import Store


class NoticeRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, region: str, text: str, starts: datetime, ends: datetime | None) -> int:
        with self._store.transaction() as conn:
            return conn.execute(
                "INSERT INTO notices (region, text, starts, ends) VALUES (?, ?, ?, ?)",
                (region, text, to_text(starts), to_text(ends) if ends else None),
            ).lastrowid

    def active(self, region: str | None = None) -> list[Notice]:
        """Notices in force now, optionally only those for one region (a city)."""
        now = to_text(self._store.clock.now())
        sql = (
            "SELECT id, region, text, starts, ends FROM notices"
            " WHERE starts <= ? AND (ends IS NULL OR ends > ?)"
        )
        params: tuple = (now, now)
        if region is not None:
            sql += " AND region = ?"
            params += (region,)
        rows = self._store.conn.execute(sql + " ORDER BY starts DESC", params)
        return [
            Notice(
                id=r[0],
                city=r[1],
                text=r[2],
                starts=from_text(r[3]),
                ends=from_text(r[4]) if r[4] else None,
            )
            for r in rows
        ]
