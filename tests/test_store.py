from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import timedelta

import pytest

from agent_console.domain import Customer, EventType, Operator
from agent_console.store import SCHEMA_VERSION, SchemaTooNewError, Store, schema_version
from tests.conftest import SHIFT_NOW


def seed(store: Store, waiting: int = 3) -> list[int]:
    store.people.upsert_operators(
        [Operator("anna", "Anna Smirnova"), Operator("dima", "Dmitry Kozlov")]
    )
    store.people.upsert_customers([Customer("54-000001", "Svetlana Morozova", "Novosibirsk")])
    return [
        store.queue.add(
            channel="phone",
            customer_contract="54-000001",
            topic="no_internet",
            created=SHIFT_NOW - timedelta(minutes=10 - n),
        )
        for n in range(waiting)
    ]


def test_a_new_file_gets_the_current_schema_in_wal_mode(store):
    assert schema_version(store.conn) == SCHEMA_VERSION
    assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert {"operators", "customers", "contacts", "events", "articles", "scripts", "wrapups",
            "notices", "sessions"} <= set(store.db.table_names())


def test_reopening_keeps_data_and_does_not_migrate_again(db_path, clock):
    with Store(db_path, clock) as first:
        seed(first)
    with Store(db_path, clock) as again:
        assert schema_version(again.conn) == SCHEMA_VERSION
        assert again.queue.count_waiting() == 3


def test_a_file_from_a_newer_version_is_refused_clearly(db_path, clock):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer than this agent-console"):
        Store(db_path, clock)


def test_a_file_in_a_missing_folder_is_refused_and_no_folder_made(tmp_path, clock):
    with pytest.raises(FileNotFoundError, match=f"the folder {tmp_path / 'nope'} does not"):
        Store(tmp_path / "nope" / "console.db", clock)
    assert not (tmp_path / "nope").exists()


def test_claim_next_takes_the_most_urgent_then_the_longest_waiting(store):
    oldest, middle, newest = seed(store)
    urgent = store.queue.add(channel="chat", customer_contract=None, topic="billing", priority=1)
    assert store.queue.claim_next("anna").id == urgent
    assert store.queue.claim_next("anna").id == oldest
    assert store.queue.claim_next("dima").id == middle


def test_claim_writes_the_accepted_event(store):
    contact_id = seed(store, 1)[0]
    store.queue.claim(contact_id, "anna", session_id=None)
    types = [e.type for e in store.events.for_contact(contact_id)]
    assert types == [EventType.CONTACT_CREATED, EventType.CONTACT_ACCEPTED]


def test_two_connections_never_claim_the_same_contact(db_path, clock):
    with Store(db_path, clock) as first, Store(db_path, clock) as second:
        contact_id = seed(first, 1)[0]
        won = first.queue.claim(contact_id, "anna")
        lost = second.queue.claim(contact_id, "dima")
        assert won is not None and won.claimed_by == "anna"
        assert lost is None
        assert second.queue.get(contact_id).claimed_by == "anna"
        assert second.queue.claim_next("dima") is None


def _claim_all(path: str, operator: str, results) -> None:
    with Store(path) as store:
        claimed = []
        while (contact := store.queue.claim_next(operator)) is not None:
            claimed.append(contact.id)
        results.put(claimed)


def test_processes_racing_for_the_queue_never_double_claim(db_path, clock):
    with Store(db_path, clock) as store:
        store.people.upsert_operators([Operator(f"op{n}", f"Operator {n}") for n in range(4)])
        for _ in range(200):
            store.queue.add(channel="phone", customer_contract=None, topic=None)
    results = multiprocessing.get_context("spawn").Queue()
    workers = [
        multiprocessing.get_context("spawn").Process(
            target=_claim_all, args=(str(db_path), f"op{n}", results)
        )
        for n in range(4)
    ]
    for worker in workers:
        worker.start()
    claimed = [cid for _ in workers for cid in results.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=60)
    assert len(claimed) == 200
    assert len(set(claimed)) == 200


def test_events_round_trip_with_payload(store):
    seed(store, 0)
    session_id = store.events.start_session("anna")
    event_id = store.events.append(
        EventType.SEARCH_MADE, operator="anna", session_id=session_id,
        payload={"query": 'роутер "AND" [bold]'},
    )
    events = store.events.for_session(session_id)
    assert [e.id for e in events] == [event_id]
    assert events[0].payload == {"query": 'роутер "AND" [bold]'}
    assert events[0].at == SHIFT_NOW


def test_a_failed_transaction_leaves_nothing(store):
    seed(store, 0)
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.queue.add(channel="phone", customer_contract=None, topic=None)
            raise RuntimeError("interrupted")
    assert store.queue.count_waiting() == 0
    assert store.db.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_history_lists_closed_contacts_newest_first(store):
    ids = seed(store, 3)
    for contact_id in ids[:2]:
        store.queue.claim(contact_id, "anna")
        store.queue.set_status(contact_id, "closed")
    history = store.people.history("54-000001")
    assert [h.contact_id for h in history] == [ids[1], ids[0]]


def test_active_notices_follow_the_clock(store, clock):
    store.notices.add("Novosibirsk", "Fibre cut", SHIFT_NOW - timedelta(hours=1),
                      SHIFT_NOW + timedelta(hours=2))
    store.notices.add("Kazan", "Planned works", SHIFT_NOW + timedelta(hours=5), None)
    assert [n.region for n in store.notices.active()] == ["Novosibirsk"]
    assert store.notices.active("Kazan") == []
    clock.advance(6 * 3600)
    assert [n.region for n in store.notices.active()] == ["Kazan"]


def test_data_version_notices_commits_from_another_connection(db_path, clock):
    with Store(db_path, clock) as ui, Store(db_path, clock) as feeder:
        seed(feeder, 0)
        ui.has_changed()
        assert ui.has_changed() is False
        feeder.queue.add(channel="email", customer_contract=None, topic=None)
        assert ui.has_changed() is True
        assert ui.has_changed() is False


def test_a_nested_failure_undoes_only_the_inner_part(store):
    seed(store, 0)
    with store.transaction():
        store.queue.add(channel="phone", customer_contract=None, topic=None)
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.queue.add(channel="chat", customer_contract=None, topic=None)
                raise RuntimeError("inner")
    assert [c.channel for c in store.queue.waiting()] == ["phone"]


def test_the_queue_can_be_followed_through_the_event_log(store):
    first, second, third = seed(store, 3)
    start = store.queue.changes_since(None)
    assert [c.id for c in start.full] == [first, second, third]
    assert store.queue.changes_since(start.watermark) == type(start)(start.watermark)
    store.queue.claim(first, "anna")
    fourth = store.queue.add(channel="chat", customer_contract=None, topic=None)
    fifth = store.queue.add(channel="chat", customer_contract=None, topic=None)
    store.queue.claim(fifth, "dima")  # came and went between two looks
    delta = store.queue.changes_since(start.watermark)
    assert delta.full is None
    assert [c.id for c in delta.added] == [fourth]
    assert delta.removed == {first, fifth}


def test_a_log_reset_below_the_watermark_gives_the_whole_queue(store):
    seed(store, 2)
    seen = store.queue.changes_since(None).watermark
    delta = store.queue.changes_since(seen + 1000)
    assert delta.full is not None and len(delta.full) == 2


def test_a_version_1_file_is_migrated_forward_keeping_its_rows(db_path, clock):
    import sqlite3 as sqlite

    from agent_console.store.migrations import MIGRATION_1, _run_script

    conn = sqlite.connect(db_path, isolation_level=None)
    _run_script(conn, MIGRATION_1)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO operators (login, name) VALUES ('anna', 'Anna')")
    conn.close()
    with Store(db_path, clock) as store:
        assert schema_version(store.conn) == SCHEMA_VERSION
        columns = {row[1] for row in store.conn.execute("PRAGMA table_info(wrapups)")}
        assert {"talk_s_logged", "talk_correction_reason"} <= columns
        assert store.people.operator("anna").name == "Anna"
