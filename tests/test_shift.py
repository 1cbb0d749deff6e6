"""The Shift mode: the floor live from the event log, the queues, today's figures; roles."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from click.testing import CliRunner
from textual.widgets import DataTable

from agent_console.cli import main
from agent_console.desk import Desk
from agent_console.domain.live_floor import LiveFloor
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.screens.shift import ShiftScreen
from tests.helpers import SHIFT_NOW, SIZE, SUPERVISOR, TRAINER, ev, make_app, settle, tick


def cells(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


def by(operator: str, event):
    return replace(event, operator=operator)


def test_the_floor_is_folded_from_the_log_with_what_needs_attention():
    floor = LiveFloor(SHIFT_NOW.replace(hour=0, minute=0))
    for event in [
        ev("state_changed", 0, state="ready", reason="login"),
        ev("contact_accepted", 10, contact_id=7),
        by("olga", ev("state_changed", 20, state="ready", reason="login")),
        by("olga", ev("state_changed", 30, state="break", reason="break")),
        by("ivan", ev("state_changed", 40, state="ready", reason="login")),
        by("ivan", ev("state_changed", 50, state="logged_out")),
    ]:
        floor.add(event)
    rows = {row.login: row for row in floor.rows(SHIFT_NOW + timedelta(minutes=20))}
    assert set(rows) == {"anna", "olga"}  # ivan logged out
    anna = rows["anna"]
    assert (anna.state, anna.contact_id, anna.attention) == ("In contact", 7, True)  # 20 min
    assert rows["olga"].state == "Break" and rows["olga"].attention  # past its 10 minutes


async def test_a_supervisor_watches_the_floor_follow_a_console(demo_store, clock):
    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    app = make_app(demo_store, SUPERVISOR, mode="shift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
        floor = app.screen.query_one("#shift-floor", DataTable)
        assert ["anna.smirnova", "Ready"] == cells(floor)[0][:2]
        handled = int(cells(floor)[0][4])  # the demo's contacts of earlier today
        contact = desk.accept_next()  # on another console
        clock.advance(65)
        await tick(pilot)
        await settle(pilot)
        assert cells(floor)[0][:4] == ["anna.smirnova", "In contact", "1:05", str(contact.id)]
        desk.end()
        desk.save_wrapup(WrapUpEntry(outcome="resolved"))
        await tick(pilot)
        await settle(pilot)
        assert cells(floor)[0][1] == "Ready" and cells(floor)[0][4] == str(handled + 1)
        figures = cells(app.screen.query_one("#shift-figures", DataTable))
        anna = next(row for row in figures if row[0] == "anna.smirnova")
        assert anna[1] == str(handled + 1)  # the figures and the floor agree
        assert figures[-1][0] == "Total"
        queues = cells(app.screen.query_one("#shift-queues", DataTable))
        assert [row[0] for row in queues] == ["Phone", "Chat", "Email", "Social"]
        assert sum(int(row[1]) for row in queues) == demo_store.queue.count_waiting()


async def test_a_trainer_may_watch_and_an_operator_is_told_whom_to_ask(demo_store):
    app = make_app(demo_store, TRAINER, mode="shift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
    refused = CliRunner().invoke(main, ["--db", str(demo_store.path), "shift"])
    assert refused.exit_code == 1
    assert "The shift view is for trainers and supervisors" in refused.output
