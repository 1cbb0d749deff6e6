"""One snapshot per screen at 160x48 with the clock fixed. Review every SVG you accept."""

from __future__ import annotations

from tests.helpers import SIZE, make_app, replay_app, settle, tick


def test_work_screen_idle(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=settle)


def test_help_screen(snap_compare, demo_store):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=open_help)


def test_knowledge_results(snap_compare, demo_store):
    async def search(pilot):
        await settle(pilot)
        await pilot.press("slash", *"router")
        await settle(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=search)


def test_work_screen_in_a_contact(snap_compare, demo_store, clock):
    async def take_one(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        clock.advance(95)
        await tick(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=take_one)


def test_work_screen_on_hold_after_a_warning(snap_compare, demo_store, clock):
    async def hold(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        clock.advance(130)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        clock.advance(42)
        await tick(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=hold)


def test_work_screen_on_a_break_that_ran_over(snap_compare, demo_store, clock):
    async def take_break(pilot):
        await settle(pilot)
        await pilot.press("b", "enter")
        await settle(pilot)
        clock.advance(12 * 60 + 5)
        await tick(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=take_break)


def test_wrapup_after_a_profanity_warning(snap_compare, demo_store, clock):
    async def wrap_up(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        clock.advance(200)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        clock.advance(15)
        await tick(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=wrap_up)


def test_wrapup_with_errors_at_the_fields(snap_compare, demo_store):
    async def wrong(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("3", "tab", *"[bold]customer text[/bold] stays literal", "ctrl+s")
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=wrong)


def test_wrapup_empty(snap_compare, demo_store, clock):
    async def empty(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        clock.advance(75)
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=empty)


def test_wrapup_filled(snap_compare, demo_store, clock):
    async def filled(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        clock.advance(240)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("4", "tab", *"Router restarted; customer will call back if it drops.")
        form = pilot.app.screen
        form.query_one("#wrapup-promotion").value = "declined"
        form.query_one("#wrapup-callback").value = "2026-11-24 10:00"
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=filled)


def test_script_panel_mid_call_with_a_reply_stacked(snap_compare, demo_store, clock):
    async def mid_call(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        clock.advance(40)
        await pilot.press("1")  # the greeting, said
        await settle(pilot)
        await pilot.press("f3", "down", "plus", "down", "plus")
        await tick(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=mid_call)


def test_replay_mid_session(snap_compare, demo_store):
    app = make_app(demo_store, replay="sample-router-restart")

    async def to_the_article(pilot):
        await settle(pilot)
        await pilot.press(*["right"] * 19)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=to_the_article)


def test_replay_an_open_article(snap_compare, demo_store):
    app = make_app(demo_store, replay="sample-router-restart")

    async def to_the_article(pilot):
        await settle(pilot)
        await pilot.press(*["right"] * 16)  # "Opened article: Router lights ..."
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=to_the_article)


def test_replay_card_in_the_affected_area_of_a_recorded_notice(snap_compare, demo_store):
    app = make_app(demo_store, replay="sample-city-outage")

    async def to_the_greeting(pilot):
        await settle(pilot)
        await pilot.press("right", "right", "right", "right")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=to_the_greeting)


def test_practice_score_card(snap_compare, demo_store, clock):
    app = replay_app(demo_store, "sample-router-restart")

    async def practise(pilot):
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        for script_id in ("greeting-evening.en", "ident-ask-contract.en", "router-reboot.en"):
            pilot.app.screen.query_one("#scripts").show_script(script_id)
            await pilot.press("s")
            await settle(pilot)
            clock.advance(40)
        await pilot.press("o", "d")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=practise)


def test_shift_view_with_an_operator_in_a_long_call(snap_compare, demo_store, clock):
    from agent_console.desk import Desk
    from tests.helpers import SUPERVISOR

    for login in ("anna.smirnova", "olga.volkova"):
        desk = Desk(demo_store, login, demo_store.events.start_session(login))
        desk.log_in()
    desk.accept_next()  # olga, 16 minutes into a call: past the threshold
    clock.advance(16 * 60)
    app = make_app(demo_store, SUPERVISOR, mode="shift")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_shift_view_by_half_hour(snap_compare, demo_store):
    from tests.helpers import SUPERVISOR

    async def by_half_hour(pilot):
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    app = make_app(demo_store, SUPERVISOR, mode="shift")
    assert snap_compare(app, terminal_size=SIZE, run_before=by_half_hour)
