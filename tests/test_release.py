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
