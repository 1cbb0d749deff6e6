from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import timedelta

import pytest

from agent_console.domain import Customer, EventType, Operator
from agent_console.store import SCHEMA_VERSION, SchemaTooNewError, Store, schema_version
from agent_console.store.store import TABLES
from tests.helpers import SHIFT_NOW, eventually

pytestmark = pytest.mark.both_engines


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


@pytest.mark.sqlite_only
def test_a_new_file_gets_the_current_schema_in_wal_mode(store):
    assert schema_version(store.conn) == SCHEMA_VERSION
    assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert {
        "operators",
        "customers",
        "contacts",
        "events",
        "articles",
        "scripts",
        "wrapups",
        "notices",
        "sessions",
    } <= set(store.db.table_names())


def test_reopening_keeps_data_and_does_not_migrate_again(db_path, clock):
    with Store(db_path, clock) as first:
        seed(first)
    with Store(db_path, clock) as again:
        assert schema_version(again.conn) == SCHEMA_VERSION
        assert again.queue.count_waiting() == 3


@pytest.mark.sqlite_only
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
        EventType.SEARCH_MADE,
        operator="anna",
        session_id=session_id,
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
    store.notices.add(
        "Novosibirsk", "Fibre cut", SHIFT_NOW - timedelta(hours=1), SHIFT_NOW + timedelta(hours=2)
    )
    store.notices.add("Kazan", "Planned works", SHIFT_NOW + timedelta(hours=5), None)
    assert [n.region for n in store.notices.active()] == ["Novosibirsk"]
    assert store.notices.active("Kazan") == []
    clock.advance(6 * 3600)
    assert [n.region for n in store.notices.active()] == ["Kazan"]


@pytest.mark.sqlite_only
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


@pytest.mark.sqlite_only
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


# --- notices with a scope (migration 4) -----------------------------------------------------------


def test_a_notice_keeps_its_scope(store):
    from agent_console.domain import StreetScope

    store.notices.add(
        city="Novosibirsk",
        text="Fibre cut",
        text_ru="Обрыв",
        districts=["Leninsky", " "],
        streets=["ul. Titova 7, 9", StreetScope("Krasny pr.")],
        starts=SHIFT_NOW - timedelta(hours=1),
        ends=SHIFT_NOW + timedelta(hours=2),
    )
    [notice] = store.notices.active()
    assert (notice.city, notice.text, notice.text_ru) == ("Novosibirsk", "Fibre cut", "Обрыв")
    assert notice.districts == ("Leninsky",)
    assert notice.streets == (StreetScope("ul. Titova", ("7", "9")), StreetScope("Krasny pr."))
    assert (notice.starts, notice.ends) == (
        SHIFT_NOW - timedelta(hours=1),
        SHIFT_NOW + timedelta(hours=2),
    )


def test_a_notice_starts_now_by_default_and_refuses_to_say_nothing(store):
    store.notices.add(city="Kazan", text="Planned works")
    [notice] = store.notices.active()
    assert (notice.starts, notice.ends, notice.whole_city) == (SHIFT_NOW, None, True)
    with pytest.raises(ValueError, match="city"):
        store.notices.add(city=" ", text="Works")
    with pytest.raises(ValueError, match="text"):
        store.notices.add(city="Kazan", text="")
    with pytest.raises(ValueError, match="end after"):
        store.notices.add(city="Kazan", text="Works", ends=SHIFT_NOW - timedelta(hours=1))
    with pytest.raises(ValueError, match="house number"):
        store.notices.add(city="Kazan", text="Works", streets=["Pobedy 8, the yard"])
    assert len(store.notices.active()) == 1


def test_notices_of_a_city_however_its_name_is_written(store):
    store.notices.add("Saint Petersburg", "Works")
    store.notices.add("Новосибирск", "Авария")
    assert [n.text for n in store.notices.active("St. Petersburg")] == ["Works"]
    assert [n.text for n in store.notices.active("г. Новосибирск")] == ["Авария"]
    assert store.notices.active("Kazan") == []


def test_notices_in_force_at_a_past_moment(store):
    store.notices.add(
        "Novosibirsk", "Earlier", SHIFT_NOW - timedelta(hours=5), SHIFT_NOW - timedelta(hours=3)
    )
    store.notices.add("Novosibirsk", "Now", SHIFT_NOW - timedelta(hours=1))
    assert [n.text for n in store.notices.in_force_at(SHIFT_NOW - timedelta(hours=4))] == [
        "Earlier"
    ]
    assert [n.text for n in store.notices.active()] == ["Now"]


def test_replace_all_leaves_only_the_given_notices(store):
    store.notices.add("Novosibirsk", "Today's outage", districts=["Leninsky"])
    recorded = store.notices.active()[0]
    store.notices.add("Kazan", "Today's works")
    store.notices.replace_all([recorded])
    [kept] = store.notices.active()
    assert (kept.city, kept.text, kept.districts) == (
        "Novosibirsk",
        "Today's outage",
        ("Leninsky",),
    )


def test_a_customer_keeps_a_district(store):
    store.people.upsert_customers(
        [Customer("54-1", "Gennady Tarasov", "Novosibirsk", "ul. Titova 7", district="Leninsky")]
    )
    assert store.people.customer("54-1").district == "Leninsky"


@pytest.mark.sqlite_only
def test_a_version_3_file_keeps_its_notices_for_their_whole_city(db_path, clock):
    import sqlite3 as sqlite

    from agent_console.domain.notices import AFFECTED, match
    from agent_console.store.migrations import MIGRATIONS

    conn = sqlite.connect(db_path, isolation_level=None)
    for migration in MIGRATIONS[:3]:
        migration(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO notices (region, text, starts) VALUES ('Novosibirsk', 'Fibre cut',"
        " '2026-11-23T18:00:00.000Z')"
    )
    conn.execute(
        "INSERT INTO customers (contract, name, city, address) VALUES"
        " ('54-1', 'Gennady Tarasov', 'Novosibirsk', 'ul. Titova 7')"
    )
    conn.close()
    with Store(db_path, clock) as store:
        assert schema_version(store.conn) == SCHEMA_VERSION
        [notice] = store.notices.active("Novosibirsk")
        assert (notice.city, notice.districts, notice.streets, notice.text_ru) == (
            "Novosibirsk",
            (),
            (),
            None,
        )
        customer = store.people.customer("54-1")
        assert customer.district == ""
        assert match(notice, customer) == AFFECTED


def test_clear_all_empties_every_table_of_the_schema(demo_store):
    schema = {
        name
        for name in demo_store.table_names()
        if not name.startswith(("search", "sqlite")) and name != "schema_version"
    }
    assert set(TABLES) == schema  # a table added by a migration must be cleared too
    demo_store.clear_all()
    for table in TABLES:
        assert demo_store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


@pytest.mark.postgresql_only
def test_a_server_database_from_a_newer_version_is_refused_clearly(db_path, clock):
    with Store(db_path, clock) as store:
        store.conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 5,))
    with pytest.raises(SchemaTooNewError, match="newer than this agent-console"):
        Store(db_path, clock)


@pytest.mark.postgresql_only
def test_a_console_hears_of_commits_on_the_server_without_asking_it(db_path, clock):
    """LISTEN/NOTIFY: the change arrives on the listener's connection; `has_changed` reads a
    counter and sends nothing to the server."""
    with Store(db_path, clock) as ui, Store(db_path, clock) as feeder:
        seed(feeder, 0)
        ui.has_changed()
        assert ui.has_changed() is False
        feeder.queue.add(channel="email", customer_contract=None, topic=None)
        assert eventually(ui.has_changed)
        assert ui.has_changed() is False
        feeder.notices.add("Kazan", "Planned works", SHIFT_NOW, None)
        assert eventually(ui.has_changed)


@pytest.mark.postgresql_only
def test_the_server_schema_has_the_columns_of_the_file_schema(db_path, tmp_path, clock):
    """postgres_schema.py says the SQLite schema again in PostgreSQL's words: the same tables,
    the same columns in the same order."""
    with Store(tmp_path / "file.db", clock) as file, Store(db_path, clock) as server:
        for table in [*TABLES, "search_learned", "search_vectors"]:
            assert file.column_names(table) == server.column_names(table), table


@pytest.mark.postgresql_only
def test_a_listener_cut_off_comes_back_and_says_something_may_have_changed(db_path, clock):
    """The server drops the console's listening connection (restart, network): whatever was
    committed meanwhile was not heard of, so once it listens again it counts a change, and
    the console reads the log from its last event id."""
    with Store(db_path, clock) as ui, Store(db_path, clock) as feeder:
        seed(feeder, 0)
        ui.has_changed()
        last = ui.events.last_id()
        listening = ui._listener()
        assert listening.connected.is_set()
        feeder.conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE query LIKE 'LISTEN%' AND datname = current_database()"
        )
        contact = feeder.queue.add(channel="chat", customer_contract=None, topic=None)
        assert eventually(ui.has_changed)
        assert contact in [event.contact_id for event in ui.events.after(last)]


def test_every_migration_has_its_postgresql_form():
    """A migration added to migrations.py adds its PostgreSQL form to postgres_schema.py: the
    two engines are at the same schema version."""
    from agent_console.store import postgres_schema

    assert postgres_schema.SCHEMA_VERSION == SCHEMA_VERSION
