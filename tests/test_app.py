from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, OptionList

from agent_console.domain import Customer
from agent_console.screens.help import HelpScreen
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.notice_bar import NoticeBar
from agent_console.widgets.queue_table import QueueTable
from agent_console.widgets.script_list import ScriptList
from agent_console.widgets.status_bar import OperatorStatus
from tests.helpers import SIZE, make_app, settle, tick


async def test_the_first_screen_shows_the_demo_shift(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        queue = screen.query_one(QueueTable)
        assert queue.row_count == 30
        assert screen.query_one("#queue").border_title == "Queue"
        assert screen.query_one("#scripts").border_title == "Scripts"
        assert screen.query_one("#knowledge").border_title == "Knowledge"
        assert screen.query_one(OperatorStatus).state == "ready"
        scripts = screen.query_one(ScriptList).scripts
        assert len(scripts) >= 50 and all(s.language == "en" for s in scripts)
        assert all(s.status == "approved" for s in scripts)
        notices = screen.query_one(NoticeBar).notices
        assert [n.region for n in notices] == ["Novosibirsk"]


async def test_the_queue_is_sorted_by_priority_then_wait(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = app.screen.query_one(QueueTable).contacts
        keys = [(c.priority, c.created) for c in shown]
        assert keys == sorted(keys)


async def test_the_russian_content_language_shows_russian_scripts(demo_store):
    app = make_app(demo_store, language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        scripts = app.screen.query_one(ScriptList).scripts
        assert scripts and all(s.language == "ru" for s in scripts)


async def test_slash_searches_and_enter_opens_the_article(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"router")
        await settle(pilot)
        pane = app.screen.query_one(KnowledgePane)
        assert pane.result is not None and pane.result.query == "router"
        assert pane.result.hits
        results = app.screen.query_one("#knowledge-results", OptionList)
        results.focus()  # Enter in the box opens the highlighted result: see test_knowledge_pane
        first_article = next(h for h in pane.result.hits if h.kind == "article")
        results.highlighted = pane.result.hits.index(first_article)
        await pilot.press("enter")
        await settle(pilot)
        assert pane.article is not None and pane.article.id == first_article.id
        await pilot.press("escape")
        assert pane.article is None
        assert pane.result.query == "router"


async def test_a_query_full_of_operators_is_answered_without_error(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*'"router" AND (wifi* -:')
        await settle(pilot)
        assert app.screen.query_one(KnowledgePane).result is not None


async def test_f1_shows_help_with_the_bindings_and_closes(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_ctrl_q_quits(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_quitting_ends_the_session_so_it_has_an_end_time(demo_store, clock):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session_id = app.screen.desk.session_id
        clock.advance(600)
        await pilot.press("ctrl+q")
        await pilot.pause()
    session = demo_store.sessions.get(session_id)
    assert session.is_live and session.ended == clock.now()


async def test_customer_markup_and_escapes_are_shown_literally(demo_store):
    demo_store.people.upsert_customers(
        [Customer("99-000001", "[bold red]Eve[/] \x1b[31mHacker", "Omsk")]
    )
    contact_id = demo_store.queue.add(
        channel="chat",
        customer_contract="99-000001",
        topic="billing",
        subject="[link=http://x]click[/link]",
    )
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        contact = next(c for c in table.contacts if c.id == contact_id)
        cells = table.cells(contact)
        assert cells["customer"].text == "[bold red]Eve[/] ␛[31mHacker"
        assert cells["subject"].text == "[link=http://x]click[/link]"
        row = table.contacts.index(contact)
        table.cursor_row = row
        await pilot.pause()
        shown = "".join(s.text for s in table.render_line(row - int(table.scroll_offset.y) + 1))
        assert "[bold red]Eve[/] ␛[…" in shown and "[link=http://x" in shown


@pytest.mark.both_engines
async def test_a_contact_written_by_another_process_appears_by_itself(demo_store, clock):
    from agent_console.store import Store

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with Store(demo_store.address, clock) as feeder:
            feeder.queue.add(
                channel="social",
                customer_contract=None,
                topic="wish",
                customer_name="New Customer",
                subject="hi",
            )
        # On a server the console hears of it by LISTEN/NOTIFY, a moment after the commit.
        for _ in range(100):
            await tick(pilot)
            if app.screen.query_one(QueueTable).row_count == 31:
                break
            await asyncio.sleep(0.05)
        assert app.screen.query_one(QueueTable).row_count == 31


@pytest.mark.parametrize("key", ["f2", "f3"])
async def test_function_keys_move_between_panes(demo_store, key):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(key)
        assert not isinstance(app.focused, Input)


async def test_enter_on_a_script_result_moves_to_that_script(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"greeting evening")
        await settle(pilot)
        pane = app.screen.query_one(KnowledgePane)
        script_hit = next(h for h in pane.result.hits if h.kind == "script")
        results = app.screen.query_one("#knowledge-results", OptionList)
        results.focus()
        results.highlighted = pane.result.hits.index(script_hit)
        await pilot.press("enter")
        await pilot.pause()
        options = app.screen.query_one("#script-options", OptionList)
        assert app.focused is options
        assert options.highlighted_option.id == script_hit.id
