"""One policy for failed workers: a locked or failing database is a notice, never an exit,
and nothing the operator typed is lost."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest
from textual.widgets import Input

from agent_console.domain.lifecycle import IN_CONTACT, ON_HOLD
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.store import connection
from agent_console.workers import failure_notice
from tests.helpers import SIZE, make_app, settle, take_contact


@pytest.fixture(autouse=True)
def short_busy_timeout(monkeypatch):
    """Wait a tenth of a second for a lock instead of five: the lock below outlasts either."""
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(connection, "LOCK_WAIT_S", 0.5)


@contextmanager
def locked_by_another_program(path):
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_locked_database_is_a_notice_and_the_key_works_once_it_is_free(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        assert app.screen.operator_state.state == IN_CONTACT
        with locked_by_another_program(demo_store.path):
            await pilot.press("h")
            await settle(pilot, failures_expected=True)
            assert app.is_running
            assert any("locked by another program" in n for n in notices(app)), notices(app)
            assert app.screen.operator_state.state == IN_CONTACT  # nothing changed
        await pilot.press("h")  # the same key again, the lock gone
        await settle(pilot)
        assert app.screen.operator_state.state == ON_HOLD


async def test_a_wrap_up_the_database_did_not_take_comes_back_with_what_was_typed(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("1", "tab", *"restarted the router")
        with locked_by_another_program(demo_store.path):
            await pilot.press("ctrl+s")
            await settle(pilot, failures_expected=True)
            await settle(pilot, failures_expected=True)
            assert app.is_running
            assert any("locked by another program" in n for n in notices(app)), notices(app)
        form = app.screen
        assert isinstance(form, WrapUpScreen)  # open again, as it was left
        assert form.query_one("#wrapup-notes", Input).value == "restarted the router"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, WrapUpScreen)
    saved = demo_store.conn.execute("SELECT notes FROM wrapups WHERE state = 'saved'").fetchall()
    assert ("restarted the router",) in saved


async def test_a_full_disk_keeps_the_form_open_with_its_text_and_says_so(demo_store, monkeypatch):
    from agent_console.store.wrapups import WrapUpRepository

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("e")
        await settle(pilot)
        with monkeypatch.context() as disk:
            disk.setattr(WrapUpRepository, "save_draft", full)
            disk.setattr(WrapUpRepository, "save", full)
            await pilot.press("1", "tab", *"customer will call back")
            await pilot.pause(0.8)  # the draft is written half a second after the last key
            await settle(pilot, failures_expected=True)
            await pilot.press("ctrl+s")
            await settle(pilot, failures_expected=True)
            await settle(pilot, failures_expected=True)
            assert app.is_running
            assert any("The disk is full" in n for n in notices(app)), notices(app)
            form = app.screen
            assert isinstance(form, WrapUpScreen)
            assert form.query_one("#wrapup-notes", Input).value == "customer will call back"
        await pilot.press("ctrl+s")  # space again: the same form saves
        await settle(pilot)
        assert not isinstance(app.screen, WrapUpScreen)
    saved = demo_store.conn.execute("SELECT notes FROM wrapups WHERE state = 'saved'").fetchall()
    assert ("customer will call back",) in saved


def test_a_bug_in_a_worker_is_named_and_the_refusal_is_a_warning():
    from agent_console.desk import DeskError

    assert failure_notice(DeskError("There is no contact in hand.")).severity == "warning"
    bug = failure_notice(KeyError("topic"))
    assert bug.severity == "error" and "KeyError" in bug.message
    disk = failure_notice(OSError(28, "No space left on device", "/data/console.db"))
    assert "/data/console.db" in disk.message and "No space left" in disk.message


async def test_an_action_waiting_for_the_database_says_so_until_it_answers(demo_store, monkeypatch):
    from agent_console.widgets.status_bar import OperatorStatus

    monkeypatch.setattr(connection, "LOCK_WAIT_S", 2.5)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        status = app.screen.query_one(OperatorStatus)
        with locked_by_another_program(demo_store.path):
            await pilot.press("h")
            await pilot.pause(1.5)
            assert "waiting for the database" in str(status.render())
            await settle(pilot, failures_expected=True)
        assert "waiting for the database" not in str(status.render())
        assert any("locked by another program" in n for n in notices(app)), notices(app)
