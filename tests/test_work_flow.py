"""The operator's flow on the work screen, driven by keys through Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from agent_console.app import AgentConsoleApp
from agent_console.config import Config, ConfigError, Display, load_config
from agent_console.domain import EventType
from agent_console.screens.dialogs import BreakDialog, HistoryDialog
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.store import Store
from agent_console.widgets.customer_card import CustomerCard
from agent_console.widgets.knowledge_search import QUESTION_SETTLED_S
from agent_console.widgets.queue_table import QueueTable
from agent_console.widgets.script_list import ScriptList
from agent_console.widgets.status_bar import OperatorStatus
from tests.helpers import (
    SIZE,
    make_app,
    settle,
    state_of,
    take_contact,
    tick,
    wait_until,
)


@pytest.mark.both_engines
async def test_a_takes_the_next_contact_and_shows_its_customer(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = demo_store.queue.waiting()[0]
        await pilot.press("a")
        await settle(pilot)
        assert state_of(app) == "in_contact"
        card = app.screen.query_one(CustomerCard).data
        assert card.contact.id == first.id
        assert card.customer.contract == first.customer_contract
        assert [h.at for h in card.history] == sorted((h.at for h in card.history), reverse=True)
        assert app.screen.query_one(QueueTable).row_count == 29
        # Scripts are filled in with the customer now.
        assert app.screen.query_one(ScriptList).values["customer.name"] == card.customer.name


async def test_enter_on_a_row_takes_that_contact(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        third = demo_store.queue.get(app.screen.query_one(CustomerCard).data.contact.id)
        assert third.claimed_by == "anna.smirnova"
        assert third.id != demo_store.queue.waiting()[0].id


async def test_hold_and_resume_count_hold_apart_from_talk(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        clock.advance(60)
        await pilot.press("h")
        await settle(pilot)
        assert state_of(app) == "on_hold"
        clock.advance(25)
        await pilot.press("h")
        await settle(pilot)
        status = app.screen.query_one(OperatorStatus)
        assert status.state == "in_contact"
        assert status.operator_state.talk_s(clock.now()) == 60
        assert status.operator_state.hold_s(clock.now()) == 25


@pytest.mark.both_engines
async def test_warning_then_early_end_then_wrapup(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("x")  # no warning yet: the key does nothing
        await settle(pilot)
        assert state_of(app) == "in_contact"
        await pilot.press("p")
        await settle(pilot)
        shown = app.screen.query_one("#script-options").highlighted_option
        assert shown.id == "warning-profanity-first.en"
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpScreen)
        assert app.screen.query_one("#wrapup-outcome").highlighted_option.id == "ended_profanity"
        clock.advance(30)
        await pilot.press("tab", *"swore again", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, WrapUpScreen)
        assert state_of(app) == "ready"
        row = demo_store.conn.execute(
            "SELECT outcome, notes, acw_s FROM wrapups ORDER BY saved_at DESC LIMIT 1"
        ).fetchone()
        assert row == ("ended_profanity", "swore again", 30)


async def test_the_wrapup_will_not_close_without_an_outcome_it_allows(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("e")
        await settle(pilot)
        wrapup = app.screen
        assert isinstance(wrapup, WrapUpScreen)
        # Without a warning, the early-end outcomes cannot be chosen.
        options = wrapup.query_one("#wrapup-outcome")
        disabled = {o.id for o in options.options if o.disabled}
        assert disabled == {"ended_profanity", "ended_repeated"}
        await pilot.press("5")  # "ended after a profanity warning": not allowed
        assert "needs the warning" in str(wrapup.query_one("#wrapup-outcome-error").content)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is wrapup
        error = str(wrapup.query_one("#wrapup-outcome-error").content)
        assert error == "Choose an outcome"
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        assert app.screen is not wrapup
        assert state_of(app) == "ready"


async def test_break_turns_red_when_it_runs_over_and_b_comes_back(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BreakDialog)
        await pilot.press("enter")
        await settle(pilot)
        status = app.screen.query_one(OperatorStatus)
        assert status.state == "break"
        clock.advance(11 * 60)
        await tick(pilot)
        assert "on red" in str(status.render().spans)
        await pilot.press("a")  # no taking contacts on a break
        await settle(pilot)
        assert status.state == "break"
        await pilot.press("b")
        await settle(pilot)
        assert status.state == "ready"


async def test_two_consoles_racing_never_hold_the_same_contact(demo_store, clock):
    with Store(demo_store.address, clock) as other_store:
        first = make_app(demo_store)
        second = make_app(other_store, operator="dmitry.kozlov")
        async with first.run_test(size=SIZE) as one, second.run_test(size=SIZE) as two:
            await settle(one)
            await settle(two)
            await one.press("enter")  # both on the top row
            await two.press("enter")
            await settle(one)
            await settle(two)
            cards = [app.screen.query_one(CustomerCard).data for app in (first, second)]
            held = [card.contact.id for card in cards if card is not None]
            assert len(held) == len(set(held)) >= 1
            for app, card in zip((first, second), cards, strict=True):
                if card is None:  # the loser is told, not shown an error
                    assert any("took that contact" in str(n.message) for n in app._notifications)


async def test_a_contact_taken_a_moment_earlier_gives_a_notice(demo_store, clock, monkeypatch):
    from agent_console.desk import Desk

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Keep this console's queue as it was, so the row under the cursor is already taken.
        monkeypatch.setattr(app.context.store, "has_changed", lambda: False)
        top = app.screen.query_one(QueueTable).selected_contact_id
        rival = Desk(Store(demo_store.address, clock), "dmitry.kozlov")
        rival.log_in()
        rival.accept(top)
        await pilot.press("enter")
        await settle(pilot)
        assert state_of(app) == "ready"
        assert [str(n.message) for n in app._notifications] == [
            "Another operator took that contact a moment ago."
        ]
        # The queue was read again: the taken contact is gone, the cursor offers the next one.
        assert app.screen.query_one(QueueTable).selected_contact_id != top


async def test_a_restart_mid_contact_comes_back_to_the_same_contact(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        contact_id = app.screen.query_one(CustomerCard).data.contact.id
        clock.advance(90)
    again = make_app(demo_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = again.screen.query_one(OperatorStatus)
        assert status.state == "in_contact"
        assert status.operator_state.talk_s(clock.now()) == 90
        assert again.screen.query_one(CustomerCard).data.contact.id == contact_id


async def test_enter_on_a_history_row_opens_it(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("f4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryDialog)


async def test_typing_in_the_search_box_during_a_contact_types_letters_not_actions(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("slash", *"prepaid hex abe")
        await settle(pilot)
        assert app.screen.query_one("#knowledge-query").value == "prepaid hex abe"
        status = app.screen.query_one(OperatorStatus).operator_state
        assert (status.state, status.warnings, status.holds) == ("in_contact", (), 0)


async def test_digits_typed_in_the_wrapup_notes_stay_in_the_notes(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("2", "tab", *"call back at 19 30", "ctrl+s")
        await settle(pilot)
        row = demo_store.conn.execute(
            "SELECT outcome, notes FROM wrapups ORDER BY saved_at DESC LIMIT 1"
        ).fetchone()
        assert row == ("info_given", "call back at 19 30")


async def test_keys_can_be_rebound_in_the_config(demo_store):
    config = Config(db=demo_store.path, operator="anna.smirnova", keymap={"work.accept_next": "f5"})
    app = AgentConsoleApp(store=demo_store, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        assert state_of(app) == "ready"
        await pilot.press("f5")
        await settle(pilot)
        assert state_of(app) == "in_contact"


def test_the_config_file_and_environment_are_layered(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('operator = "olga.volkova"\nlanguage = "ru"\n[keymap]\n"work.hold" = "f6"\n')
    config = load_config(path, environ={"AGENT_CONSOLE_LANGUAGE": "en"})
    assert (config.operator, config.language, config.keymap) == (
        "olga.volkova",
        "en",
        {"work.hold": "f6"},
    )
    path.write_text('language = "de"\n')
    with pytest.raises(ConfigError, match="language must be 'en' or 'ru'"):
        load_config(path, environ={})


async def test_a_steady_cursor_can_be_chosen_in_the_config(demo_store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[display]\ncursor_blink = false\n")
    assert load_config(path, environ={}).display.cursor_blink is False
    path.write_text('[display]\ncursor_blink = "no"\n')
    with pytest.raises(ConfigError, match=r"\[display\] cursor_blink must be true or false"):
        load_config(path, environ={})

    for blink in (True, False):
        config = Config(
            db=demo_store.path, operator="anna.smirnova", display=Display(cursor_blink=blink)
        )
        app = AgentConsoleApp(store=demo_store, config=config)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await pilot.pause()
            assert app.screen.query_one("#knowledge-query", Input).cursor_blink is blink


async def test_the_shift_figures_update_after_a_wrapup(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen.query_one(OperatorStatus).figures.contacts
        await pilot.press("a")
        await settle(pilot)
        clock.advance(100)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        figures = app.screen.query_one(OperatorStatus).figures
        assert figures.contacts == before + 1
        assert "shift: " in app.screen.query_one(OperatorStatus).render().plain


async def test_searches_and_opened_articles_are_events_of_the_contact(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        contact_id = app.screen.query_one(CustomerCard).data.contact.id
        await pilot.press("slash", *"rou", *"ter")
        await settle(pilot)
        # Typing paused: the search is logged once, a second later.
        await wait_until(
            pilot,
            lambda: (
                demo_store.events.last_of_type("anna.smirnova", (EventType.SEARCH_MADE,))
                is not None
            ),
            "the search to be logged",
        )
        await pilot.pause(
            QUESTION_SETTLED_S
        )  # had the topic's search been logged, it would be by now
        await settle(pilot)
        pane = app.screen.query_one("#knowledge")
        article = next(h for h in pane.result.hits if h.kind == "article")
        results = app.screen.query_one("#knowledge-results")
        results.focus()
        results.highlighted = pane.result.hits.index(article)
        await pilot.press("enter")
        await settle(pilot)
        events = [
            e
            for e in demo_store.events.for_contact(contact_id)
            if e.type in ("search_made", "article_opened")
        ]
        # One search per pause in typing: on a loaded machine the pause after "rou" may pass the
        # delay too, and that search is logged as well (as it would be for an operator). The
        # contact's topic, searched by the console itself, is never logged.
        searches = [e.payload["query"] for e in events if e.type == "search_made"]
        assert searches[-1] == "router" and set(searches) <= {"rou", "router"}
        assert [e.type for e in events][-2:] == ["search_made", "article_opened"]
        assert events[-2].payload["results"][0].count(":") == 1
        assert events[-1].payload == {
            "article_id": article.id,
            "query": "router",
            "version": demo_store.content.article(article.id).version,
        }


async def test_a_new_contact_shows_articles_for_its_topic(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        topic = demo_store.queue.waiting()[0].topic
        await pilot.press("a")
        await settle(pilot)
        await settle(pilot)
        from agent_console.domain import topic_label

        assert app.screen.query_one("#knowledge-query").value == topic_label(topic)
        assert app.screen.query_one("#knowledge").result.hits


async def test_c_copies_the_filled_script_and_logs_it(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        card = app.screen.query_one(CustomerCard).data
        scripts = app.screen.query_one(ScriptList)
        scripts.show_script("ident-confirmed.en")
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard
        assert "{" not in app.clipboard
        copied = [
            e for e in demo_store.events.for_contact(card.contact.id) if e.type == "script_copied"
        ]
        assert [e.payload for e in copied] == [{"script_id": "ident-confirmed.en", "version": 1}]


async def test_a_database_error_is_shown_and_the_console_stays_up(demo_store):
    import sqlite3

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def broken():
            raise sqlite3.OperationalError("database is locked")

        app.screen.act(broken)
        await settle(pilot)
        assert [n.title for n in app._notifications] == ["Database"]
        assert "database is locked" in str(list(app._notifications)[0].message)
        await pilot.press("a")  # still working
        await settle(pilot)
        assert state_of(app) == "in_contact"


async def test_the_state_timer_shows_the_contacts_time_after_a_hold(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        clock.advance(200)
        await pilot.press("h")
        await settle(pilot)
        clock.advance(5)
        await pilot.press("h")
        await settle(pilot)
        clock.advance(3)
        await tick(pilot)
        line = str(app.screen.query_one(OperatorStatus).render())
        assert "In contact 3:28" in line, line  # not 0:03, the time since the hold ended
        assert "talk 3:23" in line and "hold 0:05" in line


async def test_a_chat_has_handle_time_and_no_hold(demo_store, clock):
    chat = next(c for c in demo_store.queue.waiting() if c.channel == "chat")
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.act(lambda: screen.desk.accept(chat.id))
        await settle(pilot)
        clock.advance(40)
        await pilot.press("h")
        await tick(pilot)
        assert state_of(app) == "in_contact"  # h does nothing in a chat
        assert "work.hold" not in {
            b.id for _, b, enabled, _ in app.screen.active_bindings.values() if enabled
        }
        line = str(app.screen.query_one(OperatorStatus).render())
        assert "│ handle 0:40" in line and "│ talk" not in line, line
