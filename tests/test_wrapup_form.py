"""The wrap-up form through Pilot: transfer, errors at the field, the draft across a restart,
card numbers masked."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from agent_console.config import Wrapup
from agent_console.screens.wrapup import WrapUpScreen
from tests.helpers import (
    SIZE,
    end_contact,
    make_app,
    settle,
    state_of,
    take_contact,
    tick,
)


async def test_a_transfer_needs_a_reason_then_lands_in_the_target_queue(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        contact_id = form.contact_id
        await pilot.press("3", "tab", *"router config beyond first line")
        form.query_one("#wrapup-transfer-target", Select).value = "tech_support"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert str(form.query_one("#wrapup-transfer_reason-error").content) == (
            "Give the reason for the transfer"
        )
        assert form.query_one("#wrapup-notes", Input).value == "router config beyond first line"
        form.query_one("#wrapup-transfer-reason", Input).focus()
        await pilot.press(*"needs a site visit")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert state_of(app) == "ready"
        moved = demo_store.queue.waiting(queue="tech_support")
        assert [c.subject for c in moved] == ["Transferred from front line: needs a site visit"]
        original = demo_store.queue.get(contact_id)
        assert original.status == "closed"
        history = demo_store.people.history(original.customer_contract)
        assert history[0].transfer == "tech_support"


async def test_the_draft_survives_a_restart(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        await pilot.press("2", "tab", *"explained the new fee")
        await pilot.pause(0.8)  # the draft is written half a second after the last key
        await app.workers.wait_for_complete()
    clock.advance(40)
    again = make_app(demo_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        form = again.screen
        assert isinstance(form, WrapUpScreen)
        assert form.query_one("#wrapup-notes", Input).value == "explained the new fee"
        assert form.outcome == "info_given"
        assert form.state.in_state_s(clock.now()) >= 40  # after-call work kept counting


async def test_card_numbers_in_notes_are_masked_and_the_operator_told(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await end_contact(pilot)
        await pilot.press("1", "tab", *"paid with 4111 1111 1111 1111 today", "ctrl+s")
        await settle(pilot)
        notes = demo_store.conn.execute(
            "SELECT notes FROM wrapups ORDER BY saved_at DESC LIMIT 1"
        ).fetchone()[0]
        assert "4111 1111 1111 1111" not in notes and "4111 11** **** 1111" in notes
        assert any("masked" in str(n.message) for n in app._notifications)


async def test_a_callback_in_the_past_is_refused_at_the_field(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        await pilot.press("4")
        form.query_one("#wrapup-callback", Input).focus()
        await pilot.press(*"2020-01-01 10:00", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert str(form.query_one("#wrapup-callback_at-error").content) == (
            "The callback time is in the past"
        )


def last_wrapup(store):
    return store.conn.execute(
        "SELECT outcome, notes, acw_s FROM wrapups ORDER BY saved_at DESC LIMIT 1"
    ).fetchone()


async def test_a_timeboxed_wrapup_closes_itself_keeping_what_was_typed(demo_store, clock):
    app = make_app(demo_store, wrapup=Wrapup(mode="timeboxed", limit_s=60))
    async with app.run_test(size=SIZE) as pilot:
        await end_contact(pilot)
        await pilot.press("1", "tab", *"half-written note")
        clock.advance(61)
        await tick(pilot)
        assert not isinstance(app.screen, WrapUpScreen)
        assert state_of(app) == "ready"
        assert last_wrapup(demo_store) == ("timed_out", "half-written note", 61)


async def test_escape_skips_only_when_after_call_work_is_optional(demo_store):
    strict = make_app(demo_store)
    async with strict.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert strict.screen is form
    optional = make_app(demo_store, wrapup=Wrapup(mode="optional"))
    async with optional.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(optional.screen, WrapUpScreen)  # the same contact, still in wrap-up
        await pilot.press("escape")
        await settle(pilot)
        assert state_of(optional) == "ready"
        assert last_wrapup(demo_store)[0] == "skipped"


async def test_100kb_of_pasted_notes_is_refused_at_the_field_and_kept(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        await pilot.press("1")
        form.query_one("#wrapup-notes", Input).value = "x" * 100_000
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "Notes are too long" in str(form.query_one("#wrapup-notes-error").content)
        assert len(form.query_one("#wrapup-notes", Input).value) == 100_000


def test_the_wrapup_mode_comes_from_the_config_file(tmp_path):
    import pytest

    from agent_console.config import ConfigError, load_config

    path = tmp_path / "config.toml"
    path.write_text('[wrapup]\nmode = "timeboxed"\nlimit_s = 90\n')
    config = load_config(path, environ={})
    assert config.wrapup == Wrapup(mode="timeboxed", limit_s=90)
    path.write_text('[wrapup]\nmode = "whenever"\n')
    with pytest.raises(ConfigError, match="mode must be one of mandatory, optional, timeboxed"):
        load_config(path, environ={})


async def test_a_talk_time_correction_needs_a_reason_and_keeps_the_logged_time(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        clock.advance(20)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        await pilot.press("1")
        form.query_one("#wrapup-talk", Input).focus()
        await pilot.press(*"6:40", "ctrl+s")
        await pilot.pause()
        assert str(form.query_one("#wrapup-talk-error").content) == (
            "Say why the talk time is corrected"
        )
        form.query_one("#wrapup-talk-reason", Input).focus()
        await pilot.press(*"taken on the desk phone", "ctrl+s")
        await settle(pilot)
        row = demo_store.conn.execute(
            "SELECT talk_s, talk_s_logged FROM wrapups ORDER BY saved_at DESC LIMIT 1"
        ).fetchone()
        assert row == (400, 20)


@pytest.mark.parametrize(
    ("keys", "warning", "fill", "expected"),
    [
        ("1", None, {}, "resolved"),
        ("2", None, {}, "info_given"),
        ("3", None, {"#wrapup-transfer-reason": "wants to cancel"}, "transferred"),
        ("4", None, {"#wrapup-callback": "2026-11-24 10:00"}, "callback"),
        ("5", "p", {}, "ended_profanity"),
        ("6", "r", {}, "ended_repeated"),
        ("7", None, {}, "dropped"),
    ],
)
async def test_each_outcome_is_recorded(demo_store, keys, warning, fill, expected):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        if warning:
            await pilot.press(warning)
            await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        await pilot.press(keys)
        if expected == "transferred":
            form.query_one("#wrapup-transfer-target", Select).value = "retention"
        for selector, text in fill.items():
            form.query_one(selector, Input).value = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert state_of(app) == "ready", str(form.query("Static.error").first().content)
        assert last_wrapup(demo_store)[0] == expected


async def test_the_config_can_keep_the_operator_in_wrapup_until_ready(demo_store):
    app = make_app(demo_store, wrapup=Wrapup(after="wrapup"))
    async with app.run_test(size=SIZE) as pilot:
        await end_contact(pilot)
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, WrapUpScreen)
        assert state_of(app) == "wrapup"
        await pilot.press("a")  # not ready yet: no new contact
        await settle(pilot)
        assert state_of(app) == "wrapup"
        await pilot.press("f9")
        await settle(pilot)
        assert state_of(app) == "ready"


async def test_the_receiving_line_sees_the_transfer_reason_and_notes(demo_store, clock):
    from agent_console.desk import Desk
    from agent_console.domain.wrapup_rules import WrapUpEntry
    from agent_console.widgets.customer_card import CustomerCard, card_text

    sender = Desk(demo_store, "dmitry.kozlov")
    sender.log_in()
    sender.accept_next()
    sender.end()
    sender.save_wrapup(
        WrapUpEntry(
            outcome="transferred",
            transfer_target="tech_support",
            transfer_reason="line test needed",
            notes="ONT light red since 18:40",
        )
    )
    moved = demo_store.queue.waiting(queue="tech_support")[0]
    assert moved.parent_id is not None
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.act(lambda: app.screen.desk.accept(moved.id))
        await settle(pilot)
        card = app.screen.query_one(CustomerCard).data
        shown = card_text(card, "en").plain
        assert "Transferred from the front line by dmitry.kozlov: line test needed" in shown
        assert "ONT light red since 18:40" in shown
