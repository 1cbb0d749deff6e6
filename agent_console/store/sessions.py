"""Sessions: the stretches of work a trainer replays, recorded here or imported.

A live session's events are rows of the event log (`events`), written as the operator works.
An imported or sample session's events live in `session_events` (migration 3), so that nothing
derived from the live log (the operator's state, the shift's figures, the queue) ever counts
them. Both read back as the same `Event` records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_console.clock import from_text, to_text
from agent_console.domain import Event
from agent_console.store.events import EVENT_COLUMNS, event_from_row

if TYPE_CHECKING:
    import sqlite3

    from agent_console.store.store import Store

LIVE = "live"
# What a contact snapshot holds: the queue row as the operator saw it when taking the contact.
CONTACT_FIELDS = (
    "channel",
    "topic",
    "subject",
    "priority",
    "created",
    "customer_contract",
    "customer_name",
)
CUSTOMER_FIELDS = (
    "contract",
    "name",
    "city",
    "address",
    "phone",
    "email",
    "services",
    "tariff",
    "since",
    "language",
    "district",
)
WRAPUP_FIELDS = (
    "topic",
    "transfer_target",
    "transfer_reason",
    "promotion",
    "promotion_reason",
    "notes",
    "callback_at",
)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: str
    operator: str | None
    started: datetime
    ended: datetime | None
    source: str
    title: str
    contacts: int = 0

    @property
    def is_live(self) -> bool:
        return self.source == LIVE

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operator": self.operator,
            "started": to_text(self.started),
            "ended": to_text(self.ended) if self.ended else None,
            "source": self.source,
            "title": self.title,
            "contacts": self.contacts,
        }


# A session's contacts are those its events name, whichever table holds them.
_SELECT_SESSIONS = """
SELECT s.id, s.operator, s.started, s.ended, s.source, s.title,
    CASE WHEN s.source = 'live'
        THEN (SELECT count(DISTINCT e.contact_id) FROM events e WHERE e.session_id = s.id)
        ELSE (SELECT count(DISTINCT e.contact_id) FROM session_events e WHERE e.session_id = s.id)
    END AS contacts
FROM sessions s
"""


class SessionRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def newest_first(self) -> list[SessionInfo]:
        """Every session, the newest first."""
        rows = self._store.query(_SELECT_SESSIONS + " ORDER BY s.started DESC, s.id")
        return [session_from_row(row) for row in rows]

    def get(self, session_id: str) -> SessionInfo | None:
        found = self._store.query(_SELECT_SESSIONS + " WHERE s.id = ?", (session_id,)).fetchone()
        return session_from_row(found) if found else None

    def events(self, session: SessionInfo) -> list[Event]:
        """The session's events in the order they happened."""
        if session.is_live:
            return self._store.events.for_session(session.id)
        rows = self._store.query(
            f"SELECT {EVENT_COLUMNS} FROM session_events WHERE session_id = ? ORDER BY id",
            (session.id,),
        )
        return [event_from_row(row) for row in rows]

    def replace(self, session: SessionInfo, events: Iterable[Event]) -> None:
        """Write a session that was not recorded here, replacing an earlier import of its id.

        Refuses (ValueError) to replace a live session: those are the operators' own record.
        """
        with self._store.transaction() as conn:
            existing = self.get(session.id)
            if existing is not None and existing.is_live:
                raise ValueError(f"session {session.id} was recorded live in this database")
            conn.execute("DELETE FROM session_events WHERE session_id = ?", (session.id,))
            conn.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
            conn.execute(
                "INSERT INTO sessions (id, operator, started, ended, source, title)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    session.id,
                    session.operator,
                    to_text(session.started),
                    to_text(session.ended) if session.ended else None,
                    session.source,
                    session.title,
                ),
            )
            conn.executemany(
                "INSERT INTO session_events (session_id, contact_id, operator, at, type, payload)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        session.id,
                        e.contact_id,
                        e.operator,
                        to_text(e.at),
                        str(e.type),
                        json.dumps(e.payload, ensure_ascii=False),
                    )
                    for e in events
                ],
            )

    # --- what an export adds to a live session's events, to replay it elsewhere ---------------

    def contact_snapshot(self, contact_id: int) -> dict[str, Any] | None:
        """The contact as its row stands (CONTACT_FIELDS), the name from the customer card."""
        row = self._store.query(
            "SELECT c.channel, c.topic, c.subject, c.priority, c.created, c.customer_contract,"
            " coalesce(cu.name, c.customer_name) AS customer_name"
            " FROM contacts c LEFT JOIN customers cu ON cu.contract = c.customer_contract"
            " WHERE c.id = ?",
            (contact_id,),
        ).fetchone()
        return {name: row[name] for name in CONTACT_FIELDS} if row else None

    def customer_snapshot(self, contract: str | None) -> dict[str, Any] | None:
        """The customer card (CUSTOMER_FIELDS), services as a list."""
        if contract is None:
            return None
        found = self._cards("WHERE contract = ?", (contract,))
        return found[0] if found else None

    def wrapup_fields(self, contact_id: int) -> dict[str, Any]:
        """What the saved wrap-up form held (WRAPUP_FIELDS); empty when none was saved."""
        row = self._store.query(
            f"SELECT {', '.join(WRAPUP_FIELDS)} FROM wrapups"
            " WHERE contact_id = ? AND state = 'saved'",
            (contact_id,),
        ).fetchone()
        return dict(row) if row else {}

    def customers(self) -> list[dict[str, Any]]:
        """Every customer card: what a redacted export must not let through."""
        return self._cards("ORDER BY contract", ())

    def _cards(self, where: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        rows = self._store.query(
            f"SELECT {', '.join(CUSTOMER_FIELDS)} FROM customers {where}", params
        )
        cards = [dict(row) for row in rows]
        for card in cards:
            card["services"] = json.loads(card["services"] or "[]")
        return cards


def session_from_row(row: sqlite3.Row) -> SessionInfo:
    return SessionInfo(
        id=row["id"],
        operator=row["operator"],
        started=from_text(row["started"]),
        ended=from_text(row["ended"]) if row["ended"] else None,
        source=row["source"],
        title=row["title"],
        contacts=row["contacts"],
    )
