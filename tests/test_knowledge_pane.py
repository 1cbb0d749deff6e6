"""The knowledge pane from the keyboard: tabs, ↑/↓ and Enter from the box, Esc, bad input."""

from __future__ import annotations

import io
import json
import threading

from rich.console import Console
from textual.widgets import Input, OptionList
from textual.widgets._footer import FooterKey

from agent_console.importers import import_articles
from agent_console.screens.help import HelpScreen, bindings_table
from agent_console.screens.work import SEARCH_LIMIT
from agent_console.search import SearchResult
from agent_console.widgets import knowledge_search
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.queue_table import QueueTable
from agent_console.widgets.script_list import ScriptList
from agent_console.widgets.search_results import FIRST_SCREEN
from tests.helpers import SIZE, make_app, settle, wait_until


def parts(app):
    screen = app.screen
    return (
        screen.query_one(KnowledgePane),
        screen.query_one("#knowledge-query", Input),
        screen.query_one("#knowledge-results", OptionList),
    )


def shown_ids(results: OptionList) -> list[str]:
    return [results.get_option_at_index(i).id for i in range(results.option_count)]


def line(app, selector: str) -> str:
    widget = app.screen.query_one(selector)
    return str(widget.render()) if widget.display else ""


async def search(app, pilot, text: str, *, pause: bool = True) -> None:
    """Type a query; with `pause`, stop typing until the whole answer is listed (the first
    screen comes at once, the rest once typing pauses)."""
    await settle(pilot)
    await pilot.press("slash", *text)
    if pause:
        await settle(pilot)
    else:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()


def count_searches(app) -> list[str]:
    """Record every query the search index answers from now on."""
    asked: list[str] = []
    index = app.context.search_index
    real = index.search

    def counted(query, **kwargs):
        asked.append(query)
        return real(query, **kwargs)

    index.search = counted
    return asked


# --- Tab: all, articles, scripts -----------------------------------------------------------


async def test_tab_cycles_all_articles_scripts_on_the_same_answer(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, box, results = parts(app)
        hits = pane.result.hits
        articles = [f"article:{h.id}" for h in hits if h.kind == "article"]
        scripts = [f"script:{h.id}" for h in hits if h.kind == "script"]
        assert articles and scripts
        assert line(app, "#knowledge-tabs") == (
            f" All {len(hits)} · Articles {len(articles)} · Scripts {len(scripts)} "
        )
        asked = count_searches(app)
        answer = pane.result

        await pilot.press("tab")
        await pilot.pause()
        assert pane.kind == "article"
        assert shown_ids(results) == articles  # best first, as the search ranked them
        assert results.highlighted == 0
        assert f" Articles {len(articles)} " in line(app, "#knowledge-tabs")
        assert app.focused is box and box.value == "router"

        await pilot.press("tab")
        await pilot.pause()
        assert pane.kind == "script" and shown_ids(results) == scripts

        await pilot.press("tab")
        await pilot.pause()
        assert pane.kind == "all" and len(shown_ids(results)) == len(hits)

        await pilot.press("shift+tab")
        await pilot.pause()
        assert pane.kind == "script"
        await settle(pilot)
        assert asked == [] and pane.result is answer  # no new search


async def test_tab_also_switches_from_the_results_list(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, _, results = parts(app)
        results.focus()
        await pilot.press("tab")
        await pilot.pause()
        assert pane.kind == "article" and app.focused is results


async def test_the_tab_key_is_in_the_footer_and_in_f1_help(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        footer = {(k.key, k.description) for k in app.screen.query(FooterKey)}
        assert ("tab", "All/Articles/Scripts") in footer
        active = app.screen.active_bindings
        assert active["tab"].binding.id == "knowledge.next_kind"
        assert active["shift+tab"].binding.id == "knowledge.previous_kind"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(bindings_table(app.screen.of_screen))
        help_text = console.export_text()
        assert "All/Articles/Scripts" in help_text and "Previous results tab" in help_text
        assert "Back to the queue" in help_text


async def test_the_tab_keys_can_be_rebound(demo_store):
    from agent_console.app import AgentConsoleApp
    from agent_console.config import Config

    config = Config(
        db=demo_store.path, operator="anna.smirnova", keymap={"knowledge.next_kind": "f7"}
    )
    app = AgentConsoleApp(store=demo_store, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.query_one(KnowledgePane).kind == "article"


# --- ↑/↓ and Enter from the box ---------------------------------------------------------------


async def test_arrows_move_the_highlight_without_leaving_the_box(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, box, results = parts(app)
        assert results.highlighted == 0
        await pilot.press("down", "down", "down", "up")
        assert results.highlighted == 2
        assert app.focused is box
        await pilot.press("b")  # and typing goes on where it was
        assert box.value == "routerb"


async def test_enter_in_the_box_opens_the_highlighted_article(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, box, results = parts(app)
        await pilot.press("tab")  # articles only
        await pilot.pause()
        await pilot.press("down", "enter")
        await settle(pilot)
        second = [h for h in pane.result.hits if h.kind == "article"][1]
        assert pane.article is not None and pane.article.id == second.id
        assert results.display is False
        viewer = app.screen.query_one("#knowledge-article")
        assert viewer.display and app.focused is viewer


async def test_enter_on_a_script_result_shows_it_in_the_scripts(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, box, _ = parts(app)
        await pilot.press("tab", "tab")  # scripts only
        await pilot.pause()
        first = next(h for h in pane.result.hits if h.kind == "script")
        await pilot.press("enter")
        await settle(pilot)
        assert pane.article is None
        assert app.screen.query_one(ScriptList).highlighted_script.id == first.id


async def test_enter_with_nothing_found_does_nothing(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "zzqxwv")
        pane, box, results = parts(app)
        assert results.option_count == 0
        await pilot.press("down", "enter")
        await settle(pilot)
        assert pane.article is None and app.focused is box


# --- Esc ------------------------------------------------------------------------------------


async def test_esc_in_an_article_goes_back_to_the_results_and_the_box(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, box, results = parts(app)
        answer = pane.result
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert pane.article is not None
        await pilot.press("escape")
        await pilot.pause()
        assert pane.article is None
        assert results.display and not app.screen.query_one("#knowledge-article").display
        assert box.value == "router" and pane.result is answer and pane.kind == "article"
        assert app.focused is box  # opened from the box: back to the box


async def test_esc_in_an_article_opened_from_the_list_goes_back_to_the_list(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, _, results = parts(app)
        await pilot.press("tab")
        results.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert pane.article is not None
        await pilot.press("escape")
        await pilot.pause()
        assert pane.article is None and app.focused is results and results.highlighted == 1


async def test_esc_with_no_article_open_goes_back_to_the_queue(demo_store):
    """The operator is done looking: Esc returns to the queue. The query and the results stay,
    so `/` comes back to them (and typing replaces the query)."""
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, box, results = parts(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, QueueTable)
        assert box.value == "router" and results.option_count == len(pane.result.hits)
        await pilot.press("slash")
        assert app.focused is box
        results.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, QueueTable)


# --- speed: no waiting, stale answers dropped, a capped list ----------------------------------


async def test_typing_fast_shows_only_the_answer_to_what_is_in_the_box(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"no internet")
        await settle(pilot)
        pane, box, _ = parts(app)
        assert pane.result.query == box.value == "no internet"
        # An answer that arrives after a newer keystroke is not shown.
        pane.post_message(KnowledgePane.Answered(SearchResult("no inter")))
        await settle(pilot)
        assert pane.result.query == "no internet" and pane.result.hits


async def test_typing_never_waits_for_a_search(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        index = app.context.search_index
        real, release = index.search, threading.Event()

        def slow(query, **kwargs):
            release.wait(5)
            return real(query, **kwargs)

        index.search = slow
        await pilot.press("slash", *"rou")
        pane, box, _ = parts(app)
        assert box.value == "rou" and pane.result is None  # typed while searches hang
        release.set()
        await settle(pilot)
        assert pane.result.query == "rou" and pane.result.hits


async def test_the_first_screen_comes_at_once_and_the_rest_once_typing_pauses(
    demo_store, monkeypatch
):
    # A pause long enough that no busy machine takes it between two steps of the test.
    monkeypatch.setattr(knowledge_search, "REST_AFTER_S", 2.0)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "internet", pause=False)
        pane, _, results = parts(app)
        assert len(pane.result.hits) > FIRST_SCREEN
        assert results.option_count == FIRST_SCREEN  # what fills the list, with snippets
        await pilot.press("e")  # typing on: the rest of the old answer never comes
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pane.result.query == "internete"
        assert results.option_count == min(FIRST_SCREEN, len(pane.result.hits))
        await pilot.press("backspace")
        await wait_until(
            pilot, lambda: results.option_count > FIRST_SCREEN, "the rest of the results"
        )
        assert results.option_count <= SEARCH_LIMIT
        await settle(pilot)
        prompts = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert all("\n" in prompt for prompt in prompts)  # title, then the snippet
        assert [results.get_option_at_index(i).id for i in range(results.option_count)] == [
            f"{h.kind}:{h.id}" for h in pane.result.hits
        ]


async def test_the_same_answer_does_not_rebuild_the_list(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        _, _, results = parts(app)
        await pilot.press("down", "down")
        options = list(results.options)
        await pilot.press("space")  # "router ": the same hits
        await settle(pilot)
        assert list(results.options) == options and results.highlighted == 2


# --- bad input ----------------------------------------------------------------------------


async def test_a_query_with_markup_is_shown_literally(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "[bold]zzqx[/]")
        pane, box, _ = parts(app)
        assert pane.result.query == box.value == "[bold]zzqx[/]"
        assert line(app, "#knowledge-status") == "Nothing found for “[bold]zzqx[/]”"
        assert line(app, "#knowledge-tabs") == " All 0 · Articles 0 · Scripts 0 "


async def test_quotes_and_stars_are_plain_text(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, '"router*')
        pane, _, results = parts(app)
        assert pane.result.query == '"router*'
        assert results.option_count == len(pane.result.hits) > 0
        await pilot.press(*["backspace"] * len('"router*'), *'"""')
        await settle(pilot)
        assert pane.result.query == '"""' and not pane.result.hits
        assert line(app, "#knowledge-status") == 'Nothing found for “"""”'


async def test_escape_sequences_in_a_query_are_shown_as_symbols(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        pane, box, _ = parts(app)
        box.insert_text_at_cursor("\x1b[31mzzqx\x1b[0m")
        await settle(pilot)
        assert pane.result.query == "\x1b[31mzzqx\x1b[0m"
        status = line(app, "#knowledge-status")
        assert "\x1b" not in status and "␛[31mzzqx␛[0m" in status


async def test_an_empty_database_answers_nothing_found(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "router")
        pane, box, results = parts(app)
        assert pane.result.query == "router" and pane.result.hits == []
        assert results.option_count == 0
        assert line(app, "#knowledge-status") == "Nothing found for “router”"
        await pilot.press("tab", "down", "enter")
        await settle(pilot)
        assert pane.kind == "article" and pane.article is None
        assert line(app, "#knowledge-tabs") == " All 0 · Articles 0 · Scripts 0 "


BROKEN = (
    "Intro with <b>raw html</b> and <script>alert(1)</script> and [bold]markup[/bold].\n\n"
    "| broken | table\n|---|\n| one | two | three |\n\n"
    "```python\nprint('unclosed fence')\n\n## Not a heading inside the fence\n"
)


async def test_an_article_with_malformed_markdown_opens(store, tmp_path):
    source = tmp_path / "broken.jsonl"
    source.write_text(
        json.dumps(
            {
                "id": "broken-md.en",
                "title": "Broken [i]modem[/i] guide",
                "body": BROKEN,
                "tags": ["modem"],
                "lang": "en",
            }
        )
        + "\n"
    )
    import_articles(store, [source])
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await search(app, pilot, "modem")
        pane, _, results = parts(app)
        assert shown_ids(results) == ["article:broken-md.en"]
        assert str(results.get_option_at_index(0).prompt).startswith("Broken [i]modem[/i] guide")
        await pilot.press("enter")
        await settle(pilot)
        assert pane.article is not None and pane.article.id == "broken-md.en"
        from textual.widgets import Markdown

        markdown = app.screen.query_one("#knowledge-article").query_one(Markdown)
        assert markdown.source.startswith("# Broken [i]modem[/i] guide")
        shown = " ".join(
            str(block.render()) for block in markdown.query("*") if hasattr(block, "render")
        )
        assert "unclosed fence" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert pane.article is None and results.option_count == 1


async def test_a_query_longer_than_the_box_keeps_its_end_in_view(demo_store):
    """The box repaints itself alone on a keystroke (no layout of the screen): its text still
    scrolls so that the cursor stays in the box."""
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        _, box, _ = parts(app)
        box.value = "the router does not work after the storm and the lights blink red and"
        box.cursor_position = len(box.value)
        await pilot.press(*" nothing")
        await settle(pilot)
        assert box.value.endswith("red and nothing")
        assert box.scroll_x > 0
        region = box.content_region
        # At the end of the text the cursor sits on the cell after it, as in any Input.
        assert region.x <= box.cursor_screen_offset.x <= region.right


async def test_every_new_contact_opens_the_pane_on_its_own_topic(demo_store):
    from agent_console.domain import topic_label
    from agent_console.widgets.customer_card import CustomerCard
    from tests.helpers import make_app, take_contact

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.screen.query_one(KnowledgePane)
        topics = []
        for _ in range(3):
            await take_contact(pilot)
            topic = app.screen.query_one(CustomerCard).data.contact.topic
            topics.append(topic)
            assert pane.query_text == topic_label(topic, "en")
            await pilot.press("e")
            await settle(pilot)
            await pilot.press("1", "ctrl+s")
            await settle(pilot)
        assert len(set(topics)) > 1, topics  # the test saw the topic change


async def test_a_new_contact_leaves_a_question_being_typed_alone(demo_store):
    from tests.helpers import make_app

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"tariff")
        screen = app.screen
        screen.act(screen.desk.accept_next)  # a contact arrives while the operator types
        await settle(pilot)
        assert app.screen.query_one(KnowledgePane).query_text == "tariff"
