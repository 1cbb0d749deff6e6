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

    def get(self, notice_id: int) -> Notice | None:
        row = self._store.query(
            f"SELECT {_COLUMNS} FROM notices WHERE id = ?", (notice_id,)
        ).fetchone()
        return notice_from_row(row) if row else None

    def listed(self, *, ended: bool = False) -> list[Notice]:
        """Notices in force now and those still to come, the earliest start first; with
        `ended`, those that ended too."""
        now = to_text(self._store.clock.now())
        where = "" if ended else "WHERE ends IS NULL OR ends > ?"
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM notices {where} ORDER BY starts, id",
            () if ended else (now,),
        )
        return [notice_from_row(row) for row in rows]

    def end(self, notice_id: int) -> Notice:
        """End a notice now (a notice still to come is ended before it starts: it never shows).
        ValueError when there is no such notice or it has ended already."""
        now = self._store.clock.now()
        with self._store.transaction() as conn:
            notice = self.get(notice_id)
            if notice is None:
                raise ValueError(f"there is no notice {notice_id}")
            if notice.ends is not None and notice.ends <= now:
                raise ValueError(f"notice {notice_id} ended already, at {notice.ends.isoformat()}")
            # A notice ends after it starts (add() checks it); one that has not started ends
            # where it would have started, so it is in force at no moment.
            ends = max(now, notice.starts)
            conn.execute("UPDATE notices SET ends = ? WHERE id = ?", (to_text(ends), notice_id))
        ended = self.get(notice_id)
        assert ended is not None  # updated just now
        return ended

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
