"""`agent-console contacts release ID`: a contact held by a console that died goes back."""

from __future__ import annotations

from click.testing import CliRunner

from agent_console.cli import main
from agent_console.desk import Desk
from agent_console.domain.lifecycle import READY


def test_a_contact_held_by_a_dead_console_goes_back_first_in_its_queue(demo_store, db_path):
    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    taken = desk.accept_next()
    demo_store.close()  # the console died with the contact in hand
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(db_path), "contacts", "release", str(taken.id)])
    assert result.exit_code == 0, result.output
    assert f"Contact {taken.id} released from anna.smirnova: first in the front queue" in (
        result.output
    )
    from agent_console.store import Store

    with Store(db_path, clock=demo_store.clock) as store:
        assert store.queue.waiting()[0].id == taken.id  # at the head of the queue
        back = Desk(store, "anna.smirnova")
        assert back.log_in().state == READY  # the operator is not stuck with it
        types = [e.type for e in store.events.for_contact(taken.id)]
        assert types[-1] == "contact_released"
        again = runner.invoke(main, ["--db", str(db_path), "contacts", "release", str(taken.id)])
        assert again.exit_code == 1 and "not in anyone's hands: it is waiting" in again.output
        unknown = runner.invoke(main, ["--db", str(db_path), "contacts", "release", "999999"])
        assert unknown.exit_code == 1 and "there is no contact 999999" in unknown.output


def test_a_chat_whose_operators_consoles_went_quiet_goes_back_by_itself(demo_store, clock):
    from datetime import timedelta

    from agent_console.domain.lifecycle import IN_CONTACT

    chat = next(c for c in demo_store.queue.waiting() if c.channel == "chat")
    call = next(c for c in demo_store.queue.waiting() if c.channel == "phone")
    quiet = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    quiet.log_in()
    quiet.accept(chat.id)
    alive = Desk(demo_store, "olga.volkova", demo_store.events.start_session("olga.volkova"))
    alive.log_in()
    alive.accept(call.id)
    clock.advance(5 * 60)
    demo_store.events.heartbeat(alive.session_id)
    assert demo_store.queue.release_stale(timedelta(minutes=10)) == []  # not yet
    clock.advance(6 * 60)  # anna's console: silent for 11 minutes
    released = demo_store.queue.release_stale(timedelta(minutes=10))
    assert [c.id for c in released] == [chat.id]  # a call is never released this way
    assert demo_store.queue.waiting()[0].id == chat.id
    assert demo_store.events.for_contact(chat.id)[-1].payload["by"] == "no heartbeat"
    assert quiet.state().state == READY
    assert alive.state().state == IN_CONTACT


async def test_a_console_beats_and_releases_from_its_work_screen(demo_store, monkeypatch):
    """The work screen's heartbeat writes its session's sign of life and releases stale chats
    ([contacts] release_written_after_min: 10 by default, 0 turns it off)."""
    from tests.helpers import SIZE, make_app, settle

    released = []
    monkeypatch.setattr(
        type(demo_store.queue), "release_stale", lambda self, after: released.append(after) or []
    )
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.heartbeat()
        await settle(pilot)
        row = demo_store.conn.execute(
            "SELECT seen FROM sessions WHERE id = ?", (screen.desk.session_id,)
        ).fetchone()
        assert row[0] is not None
    assert [after.total_seconds() for after in released] == [600]
