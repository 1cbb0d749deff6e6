"""Fifty consoles racing for one queue on PostgreSQL: every contact is claimed once, by the
console that was told it got it, and none is left waiting.

Each console is a process of its own with its own Store (its own connection), claiming with
`claim_next` (`FOR UPDATE SKIP LOCKED`) until the queue answers None. The processes come from a
fork server that has already imported the store and psycopg: forking pytest itself would copy
its open connections and threads into every child, and spawning fifty fresh interpreters costs
seconds of imports on a two-core runner.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest

from agent_console.domain import EventType, Operator
from agent_console.store import Store

pytestmark = pytest.mark.postgresql_only

CONTACTS = 2_000
PROCESSES = 50
# Generous: a stuck child fails the test instead of hanging the suite.
WAIT_S = 60


def _claim_until_empty(url: str, operator: str, ready, results) -> None:
    """One console: claim until the queue is empty; report (operator, [(id, claimed_by)],
    the error that stopped it or None)."""
    claimed: list[tuple[int, str | None]] = []
    error = None
    try:
        with Store(url) as store:
            store.queue.count_waiting()  # connected before the race starts
            ready.wait(timeout=WAIT_S)
            while (contact := store.queue.claim_next(operator)) is not None:
                claimed.append((contact.id, contact.claimed_by))
    except Exception as failure:  # noqa: BLE001 - reported to the test, which fails on it
        error = repr(failure)
    results.put((operator, claimed, error))


def _racers():
    """The multiprocessing context the racing consoles are started from (see the docstring)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["psycopg", "agent_console.store", __name__])
    return context


def _fill_queue(store: Store) -> set[int]:
    store.people.upsert_operators(Operator(f"op{n}", f"Operator {n}") for n in range(PROCESSES))
    with store.one_transaction():
        return {
            store.queue.add(channel="chat", customer_contract=None, topic="billing")
            for _ in range(CONTACTS)
        }


def _race(url: str) -> list[tuple[str, list[tuple[int, str | None]], str | None]]:
    context = _racers()
    ready, results = context.Barrier(PROCESSES + 1), context.Queue()
    workers = [
        context.Process(target=_claim_until_empty, args=(url, f"op{n}", ready, results))
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        ready.wait(timeout=WAIT_S)  # every console connected: all start at once
        return [results.get(timeout=WAIT_S) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=WAIT_S)
            if worker.is_alive():
                worker.kill()


def test_fifty_processes_racing_for_two_thousand_contacts_claim_each_exactly_once(db_path, store):
    contacts = _fill_queue(store)
    outcomes = _race(db_path)

    assert [error for _, _, error in outcomes if error] == []
    holder: dict[int, str] = {}
    for operator, claimed, _ in outcomes:
        for contact_id, claimed_by in claimed:
            assert claimed_by == operator, contact_id  # the contact says who was told
            assert contact_id not in holder, f"{contact_id}: {holder[contact_id]}, {operator}"
            holder[contact_id] = operator
    assert set(holder) == contacts  # none lost
    assert store.queue.count_waiting() == 0

    rows = store.conn.execute("SELECT id, status, claimed_by FROM contacts").fetchall()
    assert {row[0]: (row[1], row[2]) for row in rows} == {
        contact_id: ("active", operator) for contact_id, operator in holder.items()
    }
    accepted = store.conn.execute(
        "SELECT contact_id, operator FROM events WHERE type = ?", (EventType.CONTACT_ACCEPTED,)
    ).fetchall()
    assert Counter(row[0] for row in accepted) == Counter(contacts)  # one event per contact
    assert {row[0]: row[1] for row in accepted} == holder
