"""The Shift mode: the floor live from the event log, the queues, today's figures; roles."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from click.testing import CliRunner
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from agent_console.cli import main
from agent_console.config import ServiceLevel
from agent_console.desk import Desk
from agent_console.domain.live_floor import LiveFloor
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.screens.shift import FIGURE_COLUMNS, ShiftScreen
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
        assert [row[0] for row in queues] == ["Phone", "Chat", "E-mail", "Social"]
        assert sum(int(row[1]) for row in queues) == demo_store.queue.count_waiting()


async def test_a_trainer_may_watch_and_an_operator_is_told_whom_to_ask(demo_store):
    app = make_app(demo_store, TRAINER, mode="shift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
    refused = CliRunner().invoke(main, ["--db", str(demo_store.path), "shift"])
    assert refused.exit_code == 1
    assert "The shift view is for trainers and supervisors" in refused.output


# The demo's queue waits past its targets as the clock moves on: these tests watch one operator.
NO_SLA_ALERTS = ServiceLevel(phone=10**7, chat=10**7, email=10**7, social=10**7)


async def test_an_alert_shows_in_the_view_and_is_notified_once(demo_store, clock):
    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    app = make_app(demo_store, SUPERVISOR, mode="shift", service_level=NO_SLA_ALERTS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.clear_notifications()
        contact = desk.accept_next()  # on another console
        clock.advance(15 * 60 + 1)  # past the 15 minutes of [alerts] long_call_s
        await tick(pilot)
        notices = [str(n.message) for n in app._notifications]
        assert f"Long contact: anna.smirnova · contact {contact.id}, 15:01" in notices
        alerts = cells(app.screen.query_one("#shift-alerts", DataTable))
        assert [row[1:3] for row in alerts if row[2].startswith("anna")] == [
            ["Long contact", f"anna.smirnova · contact {contact.id}"]
        ]
        floor = cells(app.screen.query_one("#shift-floor", DataTable))
        assert floor[0][:2] == ["anna.smirnova", "In contact"]
        app.clear_notifications()
        clock.advance(1)
        await tick(pilot)  # the next tick: still there, not notified again
        assert not [n for n in app._notifications if "anna" in str(n.message)]
        assert any(
            row[2].startswith("anna")
            for row in cells(app.screen.query_one("#shift-alerts", DataTable))
        )


async def test_the_alert_thresholds_come_from_the_config(demo_store, clock):
    from agent_console.domain.alerts import AlertThresholds

    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    desk.accept_next()
    clock.advance(61)
    app = make_app(
        demo_store,
        SUPERVISOR,
        mode="shift",
        alerts=AlertThresholds(long_call_s=60),
        service_level=NO_SLA_ALERTS,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        floor = app.screen.query_one("#shift-floor", DataTable)
        assert floor.get_row_at(0)[1].style == "bold red"  # past a minute: red
        assert any("Long contact: anna.smirnova" in str(n.message) for n in app._notifications)


async def test_enter_on_a_figure_lists_its_contacts_and_enter_on_one_replays_it(demo_store, clock):
    from agent_console.screens.replay import ReplayScreen
    from agent_console.screens.shift_contacts import ShiftContactsScreen

    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    kept = desk.accept_next()
    clock.advance(90)
    desk.end()
    desk.save_wrapup(
        WrapUpEntry(
            outcome="transferred", transfer_target="retention", transfer_reason="wants to leave"
        )
    )
    app = make_app(demo_store, SUPERVISOR, mode="shift", service_level=NO_SLA_ALERTS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shift = app.screen
        figures = shift.query_one("#shift-figures", DataTable)
        figures.focus()
        row = figures.get_row_index("anna.smirnova")
        column = [key for _title, key in FIGURE_COLUMNS].index("transfers_retention")
        figures.cursor_coordinate = Coordinate(row, column)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ShiftContactsScreen)
        listed = app.screen.query_one(DataTable)
        assert str(listed.border_title) == "anna.smirnova: transfers to retention today (1)"
        assert cells(listed)[0][:3] == [str(kept.id), "Phone", "anna.smirnova"]
        assert cells(listed)[0][-2] == "Retention team"

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        replay = app.screen
        assert replay.position is not None and replay.position.contact_id == kept.id

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ShiftContactsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is shift


async def test_enter_on_an_operator_of_the_floor_lists_their_contacts_today(demo_store):
    from agent_console.screens.shift_contacts import ShiftContactsScreen

    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    app = make_app(demo_store, SUPERVISOR, mode="shift", service_level=NO_SLA_ALERTS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        handled = cells(app.screen.query_one("#shift-floor", DataTable))[0][4]
        await pilot.press("enter")  # the floor has the focus, on anna.smirnova
        await settle(pilot)
        assert isinstance(app.screen, ShiftContactsScreen)
        listed = app.screen.query_one(DataTable)
        assert str(listed.border_title) == f"anna.smirnova: contacts today ({handled})"
        assert {row[2] for row in cells(listed)} == {"anna.smirnova"}


async def test_a_supervisor_puts_up_and_ends_an_outage_notice_from_the_view(demo_store):
    from textual.widgets import Input, OptionList, Static

    from agent_console.screens.shift_notices import EndNoticeDialog, NoticeDialog
    from agent_console.widgets.notice_bar import NoticeBar

    before = {n.id for n in demo_store.notices.active()}
    app = make_app(demo_store, SUPERVISOR, mode="shift", service_level=NO_SLA_ALERTS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NoticeDialog)
        dialog.query_one("#notice-text", Input).value = "No TV [bold]in[/] the north"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # no city: said in the form, nothing written
        assert "needs a city" in str(dialog.query_one("#notice-error", Static).content)
        dialog.query_one("#notice-city", Input).value = "Novosibirsk"
        dialog.query_one("#notice-streets", Input).value = "ul. Titova 7, 9; ul. Lenina"
        dialog.query_one("#notice-until", Input).value = "25:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "not a time" in str(dialog.query_one("#notice-error", Static).content)
        assert {n.id for n in demo_store.notices.active()} == before
        dialog.query_one("#notice-until", Input).value = "23:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
        (added,) = [n for n in demo_store.notices.active() if n.id not in before]
        assert (added.city, added.text) == ("Novosibirsk", "No TV [bold]in[/] the north")
        assert [s.street for s in added.streets] == ["ul. Titova", "ul. Lenina"]
        assert added.ends is not None and added.ends.hour == 23
        bar = str(app.screen.query_one(NoticeBar).content)
        assert "No TV [bold]in[/] the north" in bar  # shown as typed, not as markup

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, EndNoticeDialog)
        options = app.screen.query_one(OptionList)
        options.highlighted = next(
            n
            for n in range(options.option_count)
            if options.get_option_at_index(n).id == str(added.id)
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
        assert added.id not in {n.id for n in demo_store.notices.active()}


async def test_a_trainer_watches_but_puts_up_no_notice(demo_store):
    app = make_app(demo_store, TRAINER, mode="shift")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
        assert not app.screen.check_action("new_notice", ())


async def test_the_half_hours_chart_the_reports_intervals(demo_store, clock):
    from textual.widgets import Sparkline

    from agent_console.report import fold
    from agent_console.widgets.interval_charts import CHART_SPAN, IntervalCharts

    app = make_app(demo_store, SUPERVISOR, mode="shift", service_level=NO_SLA_ALERTS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        charts = app.screen.query_one(IntervalCharts)
        assert charts.display and app.screen.focused is charts.query_one(DataTable)
        day = SHIFT_NOW.replace(hour=0, minute=0)
        report = fold(demo_store, day, day + timedelta(days=1))  # report shift --by interval
        begun = [i for i in report.intervals() if i["start"] <= "2026-11-23T19:30:00Z"]
        shown = list(charts.intervals)
        assert shown == begun[len(begun) - len(shown) :]
        assert shown[-1]["start"] == "2026-11-23T19:30:00Z"  # up to the half-hour we are in
        arrivals = charts.query_one("#chart-arrivals", Sparkline).data
        assert list(arrivals) == [float(i["arrivals"]) for i in shown[-CHART_SPAN:]]
        assert sum(arrivals) > 0  # the demo's evening
        table = cells(charts.query_one(DataTable))
        assert table[0][0] == "19:30" and len(table) == len(shown)  # the latest first
        await pilot.press("i")
        await settle(pilot)
        assert not charts.display
        assert app.screen.focused is app.screen.query_one("#shift-figures", DataTable)


async def test_enter_on_an_operators_alert_lists_their_contacts(demo_store, clock):
    from agent_console.screens.shift_contacts import ShiftContactsScreen

    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    app = make_app(demo_store, SUPERVISOR, mode="shift", service_level=NO_SLA_ALERTS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        desk.accept_next()  # on another console
        clock.advance(15 * 60 + 1)
        await tick(pilot)
        alerts = app.screen.query_one("#shift-alerts", DataTable)
        alerts.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ShiftContactsScreen)
        listed = app.screen.query_one(DataTable)
        assert str(listed.border_title).startswith("anna.smirnova: contacts today")
        assert {row[2] for row in cells(listed)} == {"anna.smirnova"}
