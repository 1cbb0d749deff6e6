"""New contacts into the queue: one from a channel (logged as it comes), and contacts handled
before this database was made (the demo's past shifts, generated logs)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from agent_console.clock import to_text
from agent_console.domain import SLA_SECONDS, EventType
from agent_console.store.connection import inserted_id

if TYPE_CHECKING:
    from agent_console.store.store import Store


class QueueIntake:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self,
        *,
        channel: str,
        customer_contract: str | None,
        topic: str | None,
        subject: str = "",
        priority: int = 3,
        created: datetime | None = None,
        customer_name: str = "",
        queue: str = "front",
        parent_id: int | None = None,
        operator: str | None = None,
        from_address: str = "",
    ) -> int:
        """Put a new contact in a queue and log it; returns its id.

        A contact with a `from_address` and no contract is the customer's whom that address
        belongs to (PeopleRepository.recognise) when it is exactly one customer's; with none or
        several it stays without a contract, and the console recognises the caller again when
        the contact is taken (and offers the several to choose from)."""
        created = created or self._store.clock.now()
        sla_due = created + timedelta(seconds=SLA_SECONDS[channel])
        if customer_contract is None and from_address:
            matches = self._store.people.recognised_contracts(channel, from_address)
            if len(matches) == 1:
                customer_contract = matches[0]
        with self._store.transaction() as conn:
            contact_id = inserted_id(
                conn.execute(
                    "INSERT INTO contacts (queue, channel, customer_contract, customer_name, topic,"
                    " subject, priority, created, sla_due, status, parent_id, from_address)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)",
                    (
                        queue,
                        channel,
                        customer_contract,
                        customer_name,
                        topic,
                        subject,
                        priority,
                        to_text(created),
                        to_text(sla_due),
                        parent_id,
                        from_address,
                    ),
                )
            )
            self._store.events.append(
                EventType.CONTACT_CREATED,
                contact_id=contact_id,
                operator=operator,
                payload={"queue": queue, "channel": channel, "topic": topic},
                at=created,
            )
        return contact_id

    def add_handled(
        self,
        *,
        channel: str,
        customer_contract: str | None,
        topic: str | None,
        created: datetime,
        operator: str,
        claimed_at: datetime,
        ended_at: datetime,
    ) -> int:
        """A contact handled before this database was made (the demo's past shifts), written
        closed; returns its id. The caller logs the events that made it. Its SLA due time is
        never shown for a closed contact: the time it came in stands for it."""
        with self._store.transaction() as conn:
            return inserted_id(
                conn.execute(
                    "INSERT INTO contacts (channel, customer_contract, topic, priority, created,"
                    " sla_due, status, claimed_by, claimed_at, ended_at)"
                    " VALUES (?, ?, ?, 3, ?, ?, 'closed', ?, ?, ?)",
                    (
                        channel,
                        customer_contract,
                        topic,
                        to_text(created),
                        to_text(created),
                        operator,
                        to_text(claimed_at),
                        to_text(ended_at),
                    ),
                )
            )

    def add_handled_many(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Many contacts handled already, one transaction: rows of (id, channel, created,
        claimed_by, claimed_at, ended_at, status) as the table holds them (times the store's
        text). For generated logs (benchmarks); the caller writes their events."""
        with self._store.transaction() as conn:
            return conn.executemany(
                "INSERT INTO contacts (id, channel, priority, created, sla_due, status,"
                " claimed_by, claimed_at, ended_at) VALUES (?1, ?2, 3, ?3, ?3, ?7, ?4, ?5, ?6)",
                rows,
            ).rowcount
