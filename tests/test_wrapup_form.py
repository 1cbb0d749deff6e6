"""The wrap-up form through Pilot: transfer, errors at the field, the draft across a restart,
card numbers masked."""

from __future__ import annotations

from textual.widgets import Input, Select

from agent_console.screens.wrapup import WrapUpScreen
from tests.test_app import SIZE, make_app, settle
from tests.test_work_flow import state_of


async def end_contact(app, pilot):
    await settle(app, pilot)
    await pilot.press("a")
    await settle(app, pilot)
    await pilot.press("e")
    await settle(app, pilot)
    assert isinstance(app.screen, WrapUpScreen)
    return app.screen


async def test_a_transfer_needs_a_reason_then_lands_in_the_target_queue(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(app, pilot)
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
        await settle(app, pilot)
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
        form = await end_contact(app, pilot)
        await pilot.press("2", "tab", *"explained the new fee")
        await pilot.pause(0.8)  # the draft is written half a second after the last key
        await app.workers.wait_for_complete()
    clock.advance(40)
    again = make_app(demo_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        await settle(again, pilot)
        form = again.screen
        assert isinstance(form, WrapUpScreen)
        assert form.query_one("#wrapup-notes", Input).value == "explained the new fee"
        assert form.outcome == "info_given"
        assert form.state.in_state_s(clock.now()) >= 40  # after-call work kept counting


async def test_card_numbers_in_notes_are_masked_and_the_operator_told(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await end_contact(app, pilot)
        await pilot.press("1", "tab", *"paid with 4111 1111 1111 1111 today", "ctrl+s")
        await settle(app, pilot)
        notes = demo_store.conn.execute(
            "SELECT notes FROM wrapups ORDER BY saved_at DESC LIMIT 1"
        ).fetchone()[0]
        assert "4111 1111 1111 1111" not in notes and "4111 11** **** 1111" in notes
        assert any("masked" in str(n.message) for n in app._notifications)


async def test_a_callback_in_the_past_is_refused_at_the_field(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(app, pilot)
        await pilot.press("4")
        form.query_one("#wrapup-callback", Input).focus()
        await pilot.press(*"2020-01-01 10:00", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert str(form.query_one("#wrapup-callback_at-error").content) == (
            "The callback time is in the past"
        )
