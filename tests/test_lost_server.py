"""A database server lost mid-shift: the console says so on a banner (not a notice at every
tick), keeps what the operator typed, tries again with growing pauses, carries on once the
server is back, and applies no action twice.

The server is lost for real on PostgreSQL (the test's database refuses connections and its
sessions are ended); the console's side of it runs on both engines by making the store raise
`ServerUnreachable`, the error a lost server gives."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pytest
from textual.widgets import Input

from agent_console import app_server_link
from agent_console.desk import Desk
from agent_console.domain import EventType
from agent_console.domain.lifecycle import IN_CONTACT, ON_HOLD, READY, WRAPUP
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.server_link import LinkView, ServerLink
from agent_console.store import Store
from agent_console.store.backoff import Backoff
from agent_console.store.postgres import ServerUnreachable
from agent_console.store.queue import QueueRepository
from agent_console.widgets.server_banner import ServerBanner, banner_text
from tests.helpers import SIZE, end_contact, make_app, settle, take_contact, wait_until

LOST = "the database server cannot be reached (server closed the connection unexpectedly)"


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def said_unreachable(app) -> list[str]:
    return [n for n in notices(app) if "cannot be reached" in n]


def banner(app) -> ServerBanner:
    return app.screen.query_one(ServerBanner)


def count_events(store: Store, type_: str, contact_id: int | None = None) -> int:
    sql = "SELECT count(*) FROM events WHERE type = ?"
    params: tuple = (str(type_),)
    if contact_id is not None:
        sql += " AND contact_id = ?"
        params += (contact_id,)
    return int(store.conn.execute(sql, params).fetchone()[0])


@pytest.fixture(autouse=True)
def back_said_briefly(monkeypatch):
    monkeypatch.setattr(app_server_link, "BACK_SHOWN_S", 1.0)


# --- the pauses between tries, and what the banner says -------------------------------------


def test_the_pauses_double_from_half_a_second_to_fifteen_and_start_short_again():
    pauses = Backoff()
    assert [pauses.next() for _ in range(8)] == [0.5, 1, 2, 4, 8, 15, 15, 15]
    pauses.reset()
    assert pauses.next() == 0.5


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_link_tries_again_on_schedule_and_a_loss_heard_twice_changes_nothing():
    clock = FakeMonotonic()
    link = ServerLink(monotonic=clock)
    assert link.view() == LinkView()
    assert link.lost() is True
    assert link.lost() is False  # heard again from another worker: the schedule goes on
    assert link.view() == LinkView(lost=True, retry_in_s=1)  # 0.5 s, rounded up
    assert not link.due()
    clock.now += 0.5
    assert link.due()
    link.trying_now()
    assert not link.due() and link.view().retry_in_s == 0  # "trying again now"
    link.try_failed()
    assert link.view().retry_in_s == 1
    clock.now += 1
    link.trying_now()
    link.try_failed()
    assert link.view().retry_in_s == 2
    clock.now += 2
    link.trying_now()
    assert link.answered() is True
    assert link.view(back=True) == LinkView(back=True)
    assert link.answered() is False  # it was not lost
    link.lost()
    assert link.view().retry_in_s == 1  # a new loss starts short again


def test_the_banner_says_lost_with_its_countdown_then_back_then_nothing():
    assert "trying again in 4 s" in banner_text(LinkView(lost=True, retry_in_s=4))
    assert "What you typed is kept" in banner_text(LinkView(lost=True, retry_in_s=4))
    assert "trying again now" in banner_text(LinkView(lost=True))
    assert "is back" in banner_text(LinkView(back=True))
    assert banner_text(LinkView()) == ""


def test_the_banner_speaks_russian():
    from agent_console.i18n import set_ui_language

    set_ui_language("ru")
    assert "сервер" in banner_text(LinkView(lost=True, retry_in_s=4)).lower()
    assert "сервер" in banner_text(LinkView(back=True)).lower()


# --- the console's own work failing: one banner, no notices ---------------------------------


async def test_polls_failing_on_a_lost_server_show_one_banner_and_no_notices(
    demo_store, monkeypatch
):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not banner(app).display
        with monkeypatch.context() as lost:

            def unreachable(*args, **kwargs):
                raise ServerUnreachable(LOST)

            lost.setattr(QueueRepository, "changes_since", unreachable)
            lost.setattr(Store, "ping", unreachable)
            for _ in range(5):  # five ticks that heard of a change
                app.screen.poll_queue(force=True)
                await settle(pilot, failures_expected=True)
            assert app.is_running
            assert banner(app).has_class("-lost")
            assert "cannot be reached" in str(banner(app).render())
            assert said_unreachable(app) == []  # the banner says it, once
        await wait_until(pilot, lambda: banner(app).has_class("-back"), "the server back")
        assert "is back" in str(banner(app).render())
        await wait_until(pilot, lambda: not banner(app).display, "the banner gone")
        assert said_unreachable(app) == []


# --- an action whose answer was lost is not applied twice ----------------------------------


def answer_lost_once(monkeypatch, name: str) -> None:
    """The desk's action `name` reaches the store, then its answer is lost with the server
    (the COMMIT went through; the console heard only that the connection dropped)."""
    original = getattr(Desk, name)
    lost = []

    def landed_then_lost(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if not lost:
            lost.append(True)
            raise ServerUnreachable(LOST)
        return result

    monkeypatch.setattr(Desk, name, landed_then_lost)


@pytest.mark.parametrize(
    ("action", "before", "after", "event"),
    [
        ("hold", IN_CONTACT, ON_HOLD, EventType.CONTACT_HELD),
        ("end", IN_CONTACT, WRAPUP, EventType.CONTACT_ENDED),
    ],
)
async def test_an_action_whose_answer_was_lost_is_refused_the_second_time(
    demo_store, monkeypatch, action, before, after, event
):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        work = app.screen
        contact_id = work.operator_state.contact_id
        assert work.operator_state.state == before
        answer_lost_once(monkeypatch, action)
        work.act(getattr(work.desk, action))
        await settle(pilot, failures_expected=True)
        assert app.is_running
        assert any("may not have been done" in n for n in notices(app)), notices(app)
        # Pressed again (the screen may still show the state before): the desk reads the log.
        work.act(getattr(work.desk, action))
        await settle(pilot, failures_expected=True)
        assert work.operator_state.state == after
    assert count_events(demo_store, event, contact_id) == 1


async def test_a_claim_whose_answer_was_lost_takes_no_second_contact(demo_store, monkeypatch):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        answer_lost_once(monkeypatch, "accept_next")
        work = app.screen
        work.act(work.desk.accept_next)
        await settle(pilot, failures_expected=True)
        work.act(work.desk.accept_next)  # again, as if the key were pressed twice
        await settle(pilot, failures_expected=True)
        assert work.operator_state.state == IN_CONTACT
        assert any("Finish the current contact first" in n for n in notices(app)), notices(app)
    held = demo_store.conn.execute(
        "SELECT count(*) FROM contacts WHERE claimed_by = 'anna.smirnova' AND status = 'active'"
    ).fetchone()[0]
    assert held == 1


async def test_a_wrapup_saved_though_its_answer_was_lost_closes_its_form_once(
    demo_store, monkeypatch
):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        contact_id = form.contact_id
        await pilot.press("1", "tab", *"router restarted")
        answer_lost_once(monkeypatch, "save_wrapup")
        await pilot.press("ctrl+s")
        await settle(pilot, failures_expected=True)
        await settle(pilot, failures_expected=True)
        assert app.is_running
        assert not isinstance(app.screen, WrapUpScreen)  # the log has it saved
        assert app.screen.operator_state.state == READY
        assert any("it was saved" in n for n in notices(app)), notices(app)
    assert count_events(demo_store, EventType.WRAPUP_SAVED, contact_id) == 1
    assert demo_store.wrapups.saved(contact_id)["notes"] == "router restarted"


# --- the server lost for real (PostgreSQL) ----------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def cut(store: Store) -> None:
    """The server stops taking this database's connections and ends those it has (what a
    restart or a lost network looks like from the console)."""
    import psycopg

    admin_url, name = _admin_url(store.address)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )


def restore(store: Store) -> None:
    import psycopg

    admin_url, name = _admin_url(store.address)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")


def draft_notes(store: Store, contact_id: int) -> str | None:
    """The draft's notes as the server has them (None: it cannot be asked now). The test's
    own connection was ended with the others: the first statement finds it so."""
    try:
        return (store.wrapups.draft(contact_id) or {}).get("notes")
    except ServerUnreachable:
        return None


def notes(app) -> str:
    return app.screen.query_one("#wrapup-notes", Input).value


@pytest.mark.postgresql_only
async def test_a_lost_server_keeps_the_wrapup_typed_and_it_is_saved_once_back(demo_store):
    app = make_app(demo_store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            form = await end_contact(pilot)
            contact_id = form.contact_id
            await pilot.press("1", "tab", *"restarted the router")
            await wait_until(
                pilot,
                lambda: draft_notes(demo_store, contact_id) == "restarted the router",
                "the draft written",
            )
            cut(demo_store)
            await pilot.press(*" twice")  # its draft cannot be written now
            await wait_until(pilot, lambda: banner(app).has_class("-lost"), "the banner")
            assert "What you typed is kept" in str(banner(app).render())
            assert said_unreachable(app) == []  # a banner, not a notice per failure
            await pilot.press("ctrl+s")
            await settle(pilot, failures_expected=True)
            assert app.is_running
            assert isinstance(app.screen, WrapUpScreen)  # open again, with what was typed
            assert notes(app) == "restarted the router twice"
            assert len(said_unreachable(app)) == 1  # the operator's save: said once
            restore(demo_store)
            await wait_until(pilot, lambda: banner(app).has_class("-back"), "the server back")
            # The draft as it is now reached the server once it was back.
            await wait_until(
                pilot,
                lambda: draft_notes(demo_store, contact_id) == "restarted the router twice",
                "the draft written again",
            )
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, WrapUpScreen)
            await wait_until(pilot, lambda: not banner(app).display, "the banner gone")
    finally:
        restore(demo_store)
    assert demo_store.wrapups.saved(contact_id)["notes"] == "restarted the router twice"
    assert count_events(demo_store, EventType.WRAPUP_SAVED, contact_id) == 1
    assert count_events(demo_store, EventType.CONTACT_ENDED, contact_id) == 1


@pytest.mark.postgresql_only
async def test_a_save_that_landed_as_the_server_went_is_found_saved_once_it_is_back(
    demo_store, monkeypatch
):
    """The worst moment: the wrap-up's COMMIT reached the server, then the server went before
    the console heard. The form comes back with the text (nothing is known yet); once the
    server is back, the log says it was saved, and the form goes without a second save."""
    original = Desk.save_wrapup

    def saved_then_lost(self, *args, **kwargs):
        original(self, *args, **kwargs)
        cut(demo_store)
        raise ServerUnreachable(LOST)

    app = make_app(demo_store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            form = await end_contact(pilot)
            contact_id = form.contact_id
            await pilot.press("1", "tab", *"router restarted")
            monkeypatch.setattr(Desk, "save_wrapup", saved_then_lost)
            await pilot.press("ctrl+s")
            await settle(pilot, failures_expected=True)
            assert isinstance(app.screen, WrapUpScreen)
            assert notes(app) == "router restarted"
            assert banner(app).has_class("-lost")
            monkeypatch.setattr(Desk, "save_wrapup", original)
            restore(demo_store)
            await wait_until(
                pilot, lambda: not isinstance(app.screen, WrapUpScreen), "the form closed"
            )
            await settle(pilot)
            assert app.screen.operator_state.state == READY
            assert any("it was saved" in n for n in notices(app)), notices(app)
    finally:
        restore(demo_store)
    assert count_events(demo_store, EventType.WRAPUP_SAVED, contact_id) == 1


async def test_the_shift_view_reading_every_second_says_a_lost_server_once(demo_store, monkeypatch):
    from agent_console.screens.shift_data import ShiftWatch
    from tests.helpers import SUPERVISOR

    app = make_app(demo_store, SUPERVISOR, mode="shift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with monkeypatch.context() as lost:

            def unreachable(*args, **kwargs):
                raise ServerUnreachable(LOST)

            lost.setattr(ShiftWatch, "read", unreachable)
            lost.setattr(Store, "ping", unreachable)
            for _ in range(5):
                app.screen.tick()
                await settle(pilot, failures_expected=True)
            assert banner(app).has_class("-lost")
            assert said_unreachable(app) == []
        await wait_until(pilot, lambda: banner(app).has_class("-back"), "the server back")


@pytest.mark.postgresql_only
async def test_a_key_pressed_while_the_server_is_away_works_when_pressed_again_once_back(
    demo_store,
):
    app = make_app(demo_store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await take_contact(pilot)
            contact_id = app.screen.operator_state.contact_id
            cut(demo_store)
            await pilot.press("h")
            await settle(pilot, failures_expected=True)
            assert app.is_running
            assert banner(app).has_class("-lost")
            assert len(said_unreachable(app)) == 1  # the key pressed: said once
            assert app.screen.operator_state.state == IN_CONTACT  # as the log last said
            restore(demo_store)
            await wait_until(pilot, lambda: banner(app).has_class("-back"), "the server back")
            await settle(pilot)
            await pilot.press("h")
            await settle(pilot)
            assert app.screen.operator_state.state == ON_HOLD
    finally:
        restore(demo_store)
    assert count_events(demo_store, EventType.CONTACT_HELD, contact_id) == 1
