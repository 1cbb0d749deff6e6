"""The event log: the spine every timer, figure and replay is derived from."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from json import loads
from typing import TYPE_CHECKING, Any

from agent_console.clock import from_text, to_text
from agent_console.domain import Event
from agent_console.store.connection import inserted_id
from agent_console.store.migrations import FIGURE_TYPES_SQL

FIGURE_TYPES = frozenset(FIGURE_TYPES_SQL.strip("()").replace("'", "").split(", "))

if TYPE_CHECKING:
    import sqlite3

    from agent_console.store.store import Store


_APPEND = (
    "INSERT INTO events (session_id, contact_id, operator, at, type, payload)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


class EventLog:
    def __init__(self, store: Store) -> None:
        self._store = store

    def append(
        self,
        type: str,
        *,
        contact_id: int | None = None,
        operator: str | None = None,
        session_id: str | None = None,
        payload: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> int:
        """Write one event (joining the caller's transaction if one is open)."""
        when = at or self._store.clock.now()
        row = (
            session_id,
            contact_id,
            operator,
            to_text(when),
            str(type),
            json.dumps(payload or {}, ensure_ascii=False),
        )
        conn = self._store.conn
        if conn.in_transaction:
            # One statement is all or nothing by itself: no savepoint around it (two more
            # statements for every contact a bridge streams in).
            return inserted_id(conn.execute(_APPEND, row))
        with self._store.transaction() as conn:
            return inserted_id(conn.execute(_APPEND, row))

    def append_many(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Write many events at once, one transaction: rows of (session_id, contact_id,
        operator, at, type, payload) as the table holds them (`at` the store's text, payload
        JSON text). For generated logs (benchmarks); returns how many were written."""
        with self._store.transaction() as conn:
            return conn.executemany(_APPEND, rows).rowcount

    def for_contact(self, contact_id: int) -> list[Event]:
        return self._select("WHERE contact_id = ? ORDER BY id", (contact_id,))

    def session_of(self, contact_id: int) -> str | None:
        """The session that took the contact (its first event with a session): its replay."""
        row = self._store.query(
            "SELECT session_id FROM events WHERE contact_id = ? AND session_id IS NOT NULL"
            " ORDER BY id LIMIT 1",
            (contact_id,),
        ).fetchone()
        return str(row[0]) if row else None

    def for_session(self, session_id: str) -> list[Event]:
        return self._select("WHERE session_id = ? ORDER BY id", (session_id,))

    def for_operator_since(self, operator: str, since: datetime) -> list[Event]:
        return self._select(
            "WHERE operator = ? AND at >= ? ORDER BY id", (operator, to_text(since))
        )

    def for_operator_after(self, operator: str, after_id: int) -> list[Event]:
        """The operator's events written after event `after_id`, oldest first."""
        # `+operator`: walk the log from `after_id` on (the events since the last look, a
        # handful), not the operator's index (all of their shift's events, to filter by id).
        return self._select("WHERE id > ? AND +operator = ? ORDER BY id", (after_id, operator))

    def between(
        self, start: datetime, end: datetime, types: tuple[str, ...] | None = None
    ) -> Iterator[Event]:
        """The events of [start, end), of `types` if given, in time order, read as they are
        used: a month of the log (millions of events) is never held in memory at once."""
        sql = f"SELECT {EVENT_COLUMNS} FROM events WHERE at >= ? AND at < ?"
        params: tuple[Any, ...] = (to_text(start), to_text(end))
        if types is not None and types and set(types) <= FIGURE_TYPES:
            # The figures' own events, or some of them: from their covering index alone.
            sql = (
                f"SELECT {EVENT_COLUMNS} FROM events WHERE type IN {FIGURE_TYPES_SQL}"
                " AND at >= ? AND at < ?"
            )
        if types and set(types) != FIGURE_TYPES:
            sql += f" AND type IN ({','.join('?' * len(types))})"
            params += tuple(str(t) for t in types)
        cursor = self._store.conn.execute(sql + " ORDER BY at, id", params)
        parse_time = datetime.fromisoformat  # the store's "…Z" text, as from_text reads it
        while rows := cursor.fetchmany(5000):
            # One JSON document for the batch's payloads: a tenth of the cost of one each.
            payloads = loads("[" + ",".join([row[6] for row in rows]) + "]")
            for row, payload in zip(rows, payloads, strict=True):
                yield Event(row[0], row[1], row[2], row[3], parse_time(row[4]), row[5], payload)

    def closings_carry_facts(self, start: datetime, end: datetime) -> bool:
        """Whether every wrap-up and abandonment of [start, end) carries its contact's channel
        (and a wrap-up its arrival), as the desk and the queue write them: then the contacts'
        `contact_created` events add nothing to the operators' figures (domain/figures.py)."""
        found = self._store.query(
            f"SELECT 1 FROM events WHERE type IN {FIGURE_TYPES_SQL} AND at >= ? AND at < ?"
            " AND ((type = 'wrapup_saved' AND (json_extract(payload, '$.channel') IS NULL"
            " OR json_extract(payload, '$.created') IS NULL))"
            " OR (type = 'contact_abandoned' AND json_extract(payload, '$.channel') IS NULL))"
            " LIMIT 1",
            (to_text(start), to_text(end)),
        ).fetchone()
        return found is None

    def last_id(self) -> int:
        """The id of the newest event (0 for an empty log): where a live view reads on from."""
        return int(
            self._store.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
        )

    def after(self, event_id: int, types: tuple[str, ...] | None = None) -> list[Event]:
        """The events after `event_id`, in log order (a live view's tick)."""
        sql = "WHERE id > ?"
        params: tuple[Any, ...] = (event_id,)
        if types:
            sql += f" AND type IN ({','.join('?' * len(types))})"
            params += tuple(str(t) for t in types)
        return self._select(sql + " ORDER BY id", params)

    def last_of_type(self, operator: str, types: tuple[str, ...]) -> Event | None:
        marks = ",".join("?" * len(types))
        found = self._select(
            f"WHERE operator = ? AND type IN ({marks}) ORDER BY id DESC LIMIT 1", (operator, *types)
        )
        return found[0] if found else None

    def start_session(self, operator: str | None, *, source: str = "live", title: str = "") -> str:
        now = self._store.clock.now()
        session_id = f"{now.strftime('%Y%m%d-%H%M%S')}-{operator or 'anon'}-{os.urandom(3).hex()}"
        with self._store.transaction() as conn:
            conn.execute(
                "INSERT INTO sessions (id, operator, started, source, title)"
                " VALUES (?, ?, ?, ?, ?)",
                (session_id, operator, to_text(now), source, title),
            )
        return session_id

    def heartbeat(self, session_id: str) -> None:
        """The console of this session is alive (see QueueRepository.release_stale)."""
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE sessions SET seen = ? WHERE id = ?",
                (to_text(self._store.clock.now()), session_id),
            )

    def end_session(self, session_id: str) -> None:
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE sessions SET ended = ? WHERE id = ?",
                (to_text(self._store.clock.now()), session_id),
            )

    def _select(self, where: str, params: tuple[Any, ...]) -> list[Event]:
        rows = self._store.query(f"SELECT {EVENT_COLUMNS} FROM events " + where, params)
        return [event_from_row(row) for row in rows]


# The columns of `events` and of `session_events` (imported and sample sessions, sessions.py).
EVENT_COLUMNS = "id, session_id, contact_id, operator, at, type, payload"


def event_from_row(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"],
        session_id=row["session_id"],
        contact_id=row["contact_id"],
        operator=row["operator"],
        at=from_text(row["at"]),
        type=row["type"],
        payload=json.loads(row["payload"]),
    )
