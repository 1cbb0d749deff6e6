"""The migrations of issue 12: operators' active flag, customers' addresses, contacts rebuilt."""

from __future__ import annotations

import sqlite3

from agent_console.store import SCHEMA_VERSION, Store, schema_version
from agent_console.store.migrations import MIGRATIONS, _migration_contacts_from


def test_a_file_before_issue_12_keeps_its_rows_indexes_and_foreign_keys(db_path, clock):
    before = MIGRATIONS.index(_migration_contacts_from) - 2  # before the operators' flag
    conn = sqlite3.connect(db_path, isolation_level=None)
    for migration in MIGRATIONS[:before]:
        migration(conn)
    conn.execute(f"PRAGMA user_version = {before}")
    conn.execute("INSERT INTO operators (login, name) VALUES ('anna', 'Anna')")
    conn.execute(
        "INSERT INTO customers (contract, name, phone, email) VALUES"
        " ('54-1', 'Oleg Ёлкин', '+7 952 915-41-90', 'Oleg@Mail.ru')"
    )
    conn.execute(
        "INSERT INTO contacts (id, channel, customer_contract, created, sla_due, status,"
        " claimed_by) VALUES (7, 'phone', '54-1', '2026-11-23T19:00:00.000Z',"
        " '2026-11-23T19:03:00.000Z', 'closed', 'anna')"
    )
    conn.execute(
        "INSERT INTO contacts (id, channel, created, sla_due, parent_id) VALUES"
        " (8, 'chat', '2026-11-23T19:10:00.000Z', '2026-11-23T19:15:00.000Z', 7)"
    )
    conn.execute("INSERT INTO events (contact_id, at, type) VALUES (7, 'x', 'contact_created')")
    conn.execute("INSERT INTO wrapups (contact_id, state) VALUES (7, 'saved')")
    conn.close()

    with Store(db_path, clock) as store:
        assert schema_version(store.conn) == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.people.operator("anna").active is True
        closed, waiting = store.queue.get(7), store.queue.get(8)
        assert (closed.status, closed.customer_name, closed.from_address) == (
            "closed",
            "Oleg Ёлкин",
            "",
        )
        assert (waiting.status, waiting.parent_id, waiting.queue) == ("waiting", 7, "front")
        indexes = {
            name
            for (name,) in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'"
            )
        }
        assert {"contacts_waiting", "contacts_customer", "contacts_claimed_by"} <= indexes
        # The customers already there are recognised and found.
        [oleg] = store.people.recognise("phone", "89529154190")
        assert oleg.phones == ("+7 952 915-41-90",) and oleg.status == "active"
        assert store.people.recognise("email", "oleg@mail.RU") == [oleg]
        assert store.people.find_customers("ёлкин") == [oleg]
        # The rebuilt table still refuses what it refused, and takes `abandoned`.
        store.queue.abandon(8)
        assert store.queue.get(8).status == "abandoned"
        events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        assert events == 2 and store.wrapups is not None


def test_the_demo_queue_comes_in_through_recognition(demo_store):
    """The demo's waiting contacts say only who they came from; each is recognised as the
    customer the demo data names (so the recognition runs on every first start)."""
    import json

    from agent_console.demo import DEMO_DIR

    rows = [json.loads(line) for line in (DEMO_DIR / "queue.jsonl").read_text().splitlines()]
    waiting = sorted(demo_store.queue.waiting(), key=lambda c: c.id)
    assert [c.customer_contract for c in waiting] == [r["contract"] for r in rows]
    assert all(c.from_address for c in waiting)
    email = next(c for c in waiting if c.channel == "email")
    assert "@" in email.from_address
