"""Outage and planned-works notices, each with its scope (migration 4, domain/notices.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_console.clock import from_text, to_text
from agent_console.domain import Notice, StreetScope
from agent_console.domain.notices import same_city, street_scope
from agent_console.store.connection import inserted_id

if TYPE_CHECKING:
    import sqlite3

    from agent_console.store.store import Store

_COLUMNS = "id, city, text, starts, ends, districts, streets, text_ru"


class NoticeRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self,
        city: str,
        text: str,
        starts: datetime | None = None,
        ends: datetime | None = None,
        *,
        districts: Iterable[str] = (),
        streets: Iterable[str | StreetScope] = (),
        text_ru: str | None = None,
    ) -> int:
        """A notice for the whole `city`, or only its `districts` and `streets` when any are
        given; a street is a StreetScope or written as "ul. Titova" (every house) or
        "ul. Titova 7, 9" (those houses). In force from `starts` (now when None) until `ends`
        (until further notice when None). ValueError for a notice that says nothing or ends
        before it starts, or a street that cannot be read."""
        starts = starts or self._store.clock.now()
        city, text = city.strip(), text.strip()
        if not city:
            raise ValueError("a notice needs a city")
        if not text:
            raise ValueError("a notice needs a text")
        if ends is not None and ends <= starts:
            raise ValueError("a notice must end after it starts")
        scopes = [s if isinstance(s, StreetScope) else street_scope(s) for s in streets]
        with self._store.transaction() as conn:
            return inserted_id(
                conn.execute(
                    "INSERT INTO notices (city, districts, streets, text, text_ru, starts, ends)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        city,
                        json.dumps([d.strip() for d in districts if d.strip()], ensure_ascii=False),
                        json.dumps(
                            [{"street": s.street, "houses": list(s.houses)} for s in scopes],
                            ensure_ascii=False,
                        ),
                        text,
                        (text_ru or "").strip() or None,
                        to_text(starts),
                        to_text(ends) if ends else None,
                    ),
                )
            )

    def active(self, city: str | None = None) -> list[Notice]:
        """Notices in force now, the latest first; optionally only those of one city (however
        its name is written: domain/notices.py)."""
        return self.in_force_at(self._store.clock.now(), city)

    def in_force_at(self, at: datetime, city: str | None = None) -> list[Notice]:
        """Notices in force at a moment: what an export records with a session's contacts."""
        when = to_text(at)
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM notices WHERE starts <= ? AND (ends IS NULL OR ends > ?)"
            " ORDER BY starts DESC, id DESC",
            (when, when),
        )
        notices = [notice_from_row(row) for row in rows]
        return [n for n in notices if city is None or same_city(n.city, city)]

    def replace_all(self, notices: Iterable[Notice]) -> None:
        """Only these notices, the others deleted: a practice copy holds the notices recorded
        with its session, not today's."""
        with self._store.transaction() as conn:
            conn.execute("DELETE FROM notices")
            for notice in notices:
                self.add(
                    notice.city,
                    notice.text,
                    notice.starts,
                    notice.ends,
                    districts=notice.districts,
                    streets=notice.streets,
                    text_ru=notice.text_ru,
                )


def notice_from_row(row: sqlite3.Row) -> Notice:
    return Notice(
        id=row["id"],
        city=row["city"],
        text=row["text"],
        starts=from_text(row["starts"]),
        ends=from_text(row["ends"]) if row["ends"] else None,
        districts=tuple(json.loads(row["districts"] or "[]")),
        streets=tuple(_street(s) for s in json.loads(row["streets"] or "[]")),
        text_ru=row["text_ru"],
    )


def _street(value: str | dict[str, Any]) -> StreetScope:
    if isinstance(value, str):  # written by hand into the table
        try:
            return street_scope(value)
        except ValueError:
            return StreetScope(value)
    return StreetScope(value.get("street", ""), tuple(value.get("houses") or ()))
