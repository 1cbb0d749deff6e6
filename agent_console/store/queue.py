"""The queue of contacts, and claiming them.

A claim is one `UPDATE ... RETURNING` whose WHERE re-checks `status = 'waiting'`, run inside
`BEGIN IMMEDIATE`: two consoles racing for the same contact serialise on the write lock and the
second one's UPDATE matches no row. A SELECT-then-UPDATE would hand the contact to both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from agent_console.clock import from_text, to_text
from agent_console.domain import Contact, EventType
from agent_console.domain.codes import CHANNELS, VOICE_CHANNELS
from agent_console.store.queue_intake import QueueIntake

if TYPE_CHECKING:
    import sqlite3


CONTACT_COLUMNS = (
    "c.id, c.channel, c.customer_contract, coalesce(cu.name, c.customer_name) AS customer_name,"
    " c.topic, c.subject, c.priority, c.created, c.sla_due, c.status, c.claimed_by, c.claimed_at,"
    " coalesce(cu.city, '') AS city, c.parent_id, c.from_address, c.queue"
)
CONTACT_FROM = "contacts c LEFT JOIN customers cu ON cu.contract = c.customer_contract"


def contact_from_row(row: sqlite3.Row) -> Contact:
    claimed_at = row["claimed_at"]
    return Contact(
        id=row["id"],
        channel=row["channel"],
        customer_contract=row["customer_contract"],
        customer_name=row["customer_name"] or "",
        topic=row["topic"],
        subject=row["subject"] or "",
        priority=row["priority"],
        created=from_text(row["created"]),
        sla_due=from_text(row["sla_due"]),
        status=row["status"],
        claimed_by=row["claimed_by"],
        claimed_at=from_text(claimed_at) if claimed_at else None,
        city=row["city"] or "",
        parent_id=row["parent_id"],
        from_address=row["from_address"],
        queue=row["queue"],
    )


# Events that move a contact into or out of the waiting queue. Every change to the queue goes
# through one of them, which is what lets a console follow the queue by reading only the log.
QUEUE_EVENTS = (
    EventType.CONTACT_CREATED,
    EventType.CONTACT_ACCEPTED,
    EventType.CONTACT_ABANDONED,
    EventType.CONTACT_RELEASED,
)


class NotWaiting(Exception):
    """The contact cannot leave the queue: there is no such contact, or it is not waiting."""


@dataclass(frozen=True, slots=True)
class QueueDelta:
    """What changed in a queue since an event id: or the whole queue, when `full` is set."""

    watermark: int
    added: list[Contact] = field(default_factory=list)
    removed: set[int] = field(default_factory=set)
    full: list[Contact] | None = None


class QueueRepository(QueueIntake):
    """The queue as the consoles see it (what waits, what changed) and a contact's way through
    it: claimed, ended, released, abandoned. New contacts come in through `QueueIntake`."""

    def waiting(self, queue: str = "front", limit: int | None = None) -> list[Contact]:
        """Waiting contacts, most urgent first, then longest waiting."""
        sql = (
            f"SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM}"
            " WHERE c.status = 'waiting' AND c.queue = ? ORDER BY c.priority, c.created, c.id"
        )
        params: tuple[Any, ...] = (queue,)
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        return [contact_from_row(r) for r in self._store.query(sql, params)]

    def changes_since(self, watermark: int | None, queue: str = "front") -> QueueDelta:
        """The queue's changes after event `watermark`; the whole queue when there is none yet
        or the log was reset below it (a demo reload)."""
        conn = self._store.conn
        # One read transaction, so the events and the contacts are seen at the same moment.
        conn.execute("BEGIN")
        try:
            latest = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
            if watermark is None or watermark > latest:
                return QueueDelta(latest, full=self.waiting(queue))
            marks = ",".join("?" * len(QUEUE_EVENTS))
            changed = conn.execute(
                f"SELECT DISTINCT contact_id FROM events WHERE id > ? AND id <= ?"
                f" AND type IN ({marks}) AND contact_id IS NOT NULL",
                (watermark, latest, *QUEUE_EVENTS),
            ).fetchall()
            ids = [row[0] for row in changed]
            still_waiting = self._waiting_among(ids, queue)
            waiting_ids = {c.id for c in still_waiting}
            return QueueDelta(
                latest, added=still_waiting, removed={i for i in ids if i not in waiting_ids}
            )
        finally:
            conn.execute("COMMIT")

    def _waiting_among(self, ids: list[int], queue: str) -> list[Contact]:
        found: list[Contact] = []
        for start in range(0, len(ids), 500):  # keep under SQLite's variable limit
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._store.query(
                f"SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM}"
                f" WHERE c.id IN ({marks}) AND c.status = 'waiting' AND c.queue = ?",
                (*chunk, queue),
            )
            found += [contact_from_row(r) for r in rows]
        return found

    def count_all(self) -> int:
        """Every contact, in any queue and state."""
        return int(self._store.query("SELECT count(*) FROM contacts").fetchone()[0])

    def count_waiting(self, queue: str = "front") -> int:
        return int(
            self._store.conn.execute(
                "SELECT count(*) FROM contacts WHERE status = 'waiting' AND queue = ?", (queue,)
            ).fetchone()[0]
        )

    def get(self, contact_id: int) -> Contact | None:
        row = self._store.query(
            f"SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM} WHERE c.id = ?", (contact_id,)
        ).fetchone()
        return contact_from_row(row) if row else None

    def claim_next(
        self, operator: str, *, queue: str = "front", session_id: str | None = None
    ) -> Contact | None:
        """Take the most urgent, longest-waiting contact; None when the queue is empty."""
        return self._claim(
            "id = (SELECT id FROM contacts WHERE status = 'waiting' AND queue = ?"
            f" ORDER BY priority, created, id LIMIT 1{self._store.skip_locked})",
            (queue,),
            operator,
            session_id,
        )

    def claim(
        self, contact_id: int, operator: str, *, session_id: str | None = None
    ) -> Contact | None:
        """Take this contact; None if someone else took it first."""
        return self._claim("id = ?", (contact_id,), operator, session_id)

    def _claim(
        self, where: str, params: tuple[Any, ...], operator: str, session_id: str | None
    ) -> Contact | None:
        now = self._store.clock.now()
        with self._store.transaction() as conn:
            row = conn.execute(
                "UPDATE contacts SET status = 'active', claimed_by = ?, claimed_at = ?"
                f" WHERE {where} AND status = 'waiting' RETURNING id, channel, queue, created",
                (operator, to_text(now), *params),
            ).fetchone()
            if row is None:
                return None
            # What the figures need of the contact (its service level), on the event itself.
            self._store.events.append(
                EventType.CONTACT_ACCEPTED,
                contact_id=row[0],
                operator=operator,
                session_id=session_id,
                payload={"channel": row[1], "queue": row[2], "created": row[3]},
                at=now,
            )
        return self.get(row[0])

    def end(
        self,
        contact_id: int,
        operator: str,
        *,
        session_id: str | None = None,
        outcome: str | None = None,
    ) -> None:
        """The conversation is over: the contact goes to wrap-up (and the event says how)."""
        now = self._store.clock.now()
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE contacts SET status = 'wrapup', ended_at = ?"
                " WHERE id = ? AND status = 'active'",
                (to_text(now), contact_id),
            )
            self._store.events.append(
                EventType.CONTACT_ENDED,
                contact_id=contact_id,
                operator=operator,
                session_id=session_id,
                payload={"outcome": outcome} if outcome else {},
                at=now,
            )

    def release(self, contact_id: int, *, by: str = "") -> Contact:
        """Put a contact held by a console that died back at the head of its queue: waiting
        again, the most urgent priority, nobody's. The event is the holder's, so their state
        leaves the contact too. NotWaiting's sibling: ValueError when it is not in someone's
        hands (a contact in wrap-up is done with the customer and is not released)."""
        now = self._store.clock.now()
        with self._store.transaction() as conn:
            row = conn.execute(
                "SELECT claimed_by, queue, channel, status FROM contacts WHERE id = ?",
                (contact_id,),
            ).fetchone()
            if row is None:
                raise ValueError(f"there is no contact {contact_id}")
            if row[3] != "active":
                raise ValueError(f"contact {contact_id} is not in anyone's hands: it is {row[3]}")
            conn.execute(
                "UPDATE contacts SET status = 'waiting', claimed_by = NULL, claimed_at = NULL,"
                " priority = 1 WHERE id = ?",
                (contact_id,),
            )
            self._store.events.append(
                EventType.CONTACT_RELEASED,
                contact_id=contact_id,
                operator=row[0],
                payload={"queue": row[1], "channel": row[2], "by": by},
                at=now,
            )
        contact = self.get(contact_id)
        assert contact is not None  # just updated, in this transaction
        return contact

    def release_stale(self, silent_for: timedelta) -> list[Contact]:
        """Chats, e-mails and social messages in the hands of an operator none of whose consoles
        has beaten for `silent_for` (it died, or was quit mid-contact) go back to the head of
        their queue: the customer is not left waiting until that operator's next shift. A call
        is left alone (the line went with the console). Returns those released."""
        cutoff = to_text(self._store.clock.now() - silent_for)
        written = tuple(c for c in CHANNELS if c not in VOICE_CHANNELS)
        marks = ",".join("?" * len(written))
        rows = self._store.query(
            f"SELECT c.id FROM contacts c WHERE c.status = 'active' AND c.channel IN ({marks})"
            " AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.operator = c.claimed_by"
            " AND s.source = 'live' AND s.ended IS NULL AND coalesce(s.seen, s.started) >= ?)",
            (*written, cutoff),
        ).fetchall()
        released = []
        for row in rows:
            try:
                released.append(self.release(row[0], by="no heartbeat"))
            except ValueError:
                continue  # taken care of meanwhile (wrapped up, or released by another console)
        return released

    def abandon(self, contact_id: int) -> Contact:
        """The customer left the queue before anyone took the contact (hung up, closed the
        chat): it is `abandoned`, out of every console's queue at once (the event moves it),
        and counted by the shift's figures (the event, with how long they waited). NotWaiting
        when there is no such contact or someone has it already."""
        now = self._store.clock.now()
        with self._store.transaction() as conn:
            row = conn.execute(
                "UPDATE contacts SET status = 'abandoned', ended_at = ?"
                " WHERE id = ? AND status = 'waiting' RETURNING created, queue, channel",
                (to_text(now), contact_id),
            ).fetchone()
            if row is None:
                found = self.get(contact_id)
                if found is None:
                    raise NotWaiting(f"there is no contact {contact_id}")
                taken = f" by {found.claimed_by}" if found.claimed_by else ""
                raise NotWaiting(
                    f"contact {contact_id} is not waiting: it is {found.status}{taken}"
                )
            waited = (now - from_text(row[0])).total_seconds()
            self._store.events.append(
                EventType.CONTACT_ABANDONED,
                contact_id=contact_id,
                payload={"queue": row[1], "channel": row[2], "waited_s": round(waited, 3)},
                at=now,
            )
        contact = self.get(contact_id)
        assert contact is not None  # just updated, in this transaction
        return contact

    def set_customer(
        self,
        contact_id: int,
        contract: str,
        *,
        how: str,
        operator: str | None = None,
        session_id: str | None = None,
    ) -> Contact:
        """Give a contact that came without a contract its customer (the caller recognised when
        taken, picked among several, or found by a search), and log how; one transaction.
        LookupError when there is no such contact or customer."""
        with self._store.transaction() as conn:
            row = conn.execute(
                "UPDATE contacts SET customer_contract = cu.contract, customer_name = cu.name"
                " FROM (SELECT contract, name FROM customers WHERE contract = ?) AS cu"
                " WHERE contacts.id = ? RETURNING contacts.id",
                (contract, contact_id),
            ).fetchone()
            if row is None:
                if self.get(contact_id) is None:
                    raise LookupError(f"there is no contact {contact_id}")
                raise LookupError(f"there is no customer with contract {contract}")
            self._store.events.append(
                EventType.CUSTOMER_IDENTIFIED,
                contact_id=contact_id,
                operator=operator,
                session_id=session_id,
                payload={"contract": contract, "how": how},
            )
        contact = self.get(contact_id)
        assert contact is not None  # just updated, in this transaction
        return contact

    def set_status(self, contact_id: int, status: str) -> None:
        ended = to_text(self._store.clock.now()) if status in ("wrapup", "closed") else None
        with self._store.transaction() as conn:
            conn.execute(
                "UPDATE contacts SET status = ?, ended_at = coalesce(ended_at, ?) WHERE id = ?",
                (status, ended, contact_id),
            )

    def close_waiting(self) -> int:
        """Close every waiting contact; returns how many. A practice copy of the database starts
        with only the trainee's contact in its queue."""
        with self._store.transaction() as conn:
            return conn.execute(
                "UPDATE contacts SET status = 'closed', ended_at = ? WHERE status = 'waiting'",
                (to_text(self._store.clock.now()),),
            ).rowcount
