"""Faults from outside: another program holding the database, a write-ahead log that grew."""

from __future__ import annotations

import sqlite3
import time

import pytest
from click.testing import CliRunner

from agent_console.cli import main
from agent_console.store import Store, connection
from agent_console.store.connection import DatabaseLocked


@pytest.fixture
def short_waits(monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(connection, "LOCK_WAIT_S", 0.4)


@pytest.fixture
def locked(db_path):
    """Another program holding the whole file (an exclusive transaction it does not end)."""
    Store(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield
    other.execute("ROLLBACK")
    other.close()


def test_a_write_gives_up_after_a_bounded_wait_and_says_why(db_path, short_waits, locked):
    store = Store(db_path)
    started = time.monotonic()
    with pytest.raises(DatabaseLocked, match="locked by another program"):
        store.people.set_active("anna", False)
    assert time.monotonic() - started < 3  # 20 x 5 s retries made it 101 s
    store.close()


def test_the_command_line_names_the_lock_and_exits_non_zero(db_path, short_waits, locked):
    result = CliRunner().invoke(
        main, ["--db", str(db_path), "operators", "add", "ivan", "--name", "Ivan"]
    )
    assert result.exit_code == 1
    assert "is locked by another program; nothing was changed" in result.output
    assert "Traceback" not in result.output


def test_a_write_ahead_log_grown_in_a_burst_is_cut_back(db_path, monkeypatch):
    monkeypatch.setattr(connection, "JOURNAL_SIZE_LIMIT", 2**20)
    wal = db_path.with_name(db_path.name + "-wal")
    with Store(db_path) as store:
        with store.transaction() as conn:  # a burst: an import of ~8 MB
            conn.execute("CREATE TABLE burst (x BLOB)")
            conn.executemany("INSERT INTO burst VALUES (?)", [(b"x" * 4096,)] * 2000)
        assert wal.stat().st_size > 4 * 2**20
        store.checkpoint()
        assert wal.stat().st_size == 0
        with store.transaction() as conn:
            conn.executemany("INSERT INTO burst VALUES (?)", [(b"y" * 4096,)] * 2000)
        conn.execute("PRAGMA wal_checkpoint")  # SQLite's own, as it runs every 1,000 pages
        with store.transaction() as conn:  # the next write starts the log again: cut back
            conn.execute("INSERT INTO burst VALUES (x'00')")
        assert wal.stat().st_size <= 2**20


async def test_an_unexpected_error_exits_1_with_the_details_in_a_private_log(
    demo_store, tmp_path, monkeypatch
):
    import stat

    from agent_console.screens.work import WorkScreen
    from tests.helpers import SIZE, make_app, settle

    def broken(self) -> None:
        raise KeyError("Valentina Grigorieva")  # what a traceback's locals would show

    monkeypatch.setattr(WorkScreen, "action_accept_next", broken)
    log = tmp_path / "errors.log"
    app = make_app(demo_store)
    app.crash_log = log
    with pytest.raises(KeyError):  # a test's pilot hears of it; a terminal run does not
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("a")
    assert app.return_code == 1
    assert not app._exit_renderables  # no traceback (with its locals) printed at exit
    assert isinstance(app.crashed, KeyError)
    details = log.read_text()
    assert (
        "Traceback" in details
        and "KeyError" in details
        and "def broken" not in details
        and "broken" in details
    )
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("error", "said"),
    [
        ("database or disk is full", "the disk holding the database"),
        ("attempt to write a readonly database", "is read-only (see the permissions"),
        ("disk I/O error", "did not take it (disk I/O error)"),
    ],
)
def test_a_failing_write_is_named_and_changes_nothing(db_path, monkeypatch, error, said):
    from agent_console.store.people import PeopleRepository

    def failing(self, operator):
        raise sqlite3.OperationalError(error)

    Store(db_path).close()
    monkeypatch.setattr(PeopleRepository, "add_operator", failing)
    result = CliRunner().invoke(
        main, ["--db", str(db_path), "operators", "add", "ivan", "--name", "Ivan"]
    )
    assert result.exit_code == 1
    assert said in result.output and "nothing was changed" in result.output
    assert "Traceback" not in result.output


async def test_a_read_only_database_at_start_is_a_notice_not_a_crash(demo_store, monkeypatch):
    from agent_console.store.events import EventLog
    from tests.helpers import SIZE, make_app, settle

    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(EventLog, "start_session", read_only)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, failures_expected=True)
        assert app.is_running
        notices = [str(n.message) for n in app._notifications]
        assert any("read-only" in n for n in notices), notices
        assert app.screen.query_one("#queue").border_subtitle == "30 waiting"  # still shown


def test_a_full_disk_that_sqlite_calls_an_io_error_is_named_as_full(db_path, monkeypatch):
    import shutil
    from collections import namedtuple

    from agent_console.cli import database_failure
    from agent_console.workers import failure_notice

    Usage = namedtuple("Usage", "total used free")
    error = sqlite3.OperationalError("disk I/O error")
    assert "did not take it (disk I/O error)" in database_failure(db_path, error)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10**9, 10**9 - 1024, 1024))
    assert "the disk holding the database" in database_failure(db_path, error)
    assert "The disk is full" in failure_notice(error, db_path).message


def test_a_read_only_folder_is_named_as_the_folder(db_path, monkeypatch):
    import os

    from agent_console.cli import database_failure

    error = sqlite3.OperationalError("attempt to write a readonly database")
    assert "the database" in database_failure(db_path, error)
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    said = database_failure(db_path, error)
    assert f"the folder {db_path.parent} is read-only" in said and "-wal" in said
