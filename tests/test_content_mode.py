"""The Content mode: refused to operators, the list and its filters, editing with a preview,
the word diff, approving, sending back and restoring versions; a snapshot of the diff view."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import DataTable, Input, Markdown, Static, TextArea

from agent_console.curation import Curation
from agent_console.screens.content import ContentScreen
from agent_console.screens.content.comment import CommentDialog
from agent_console.screens.content.editor import EditorScreen
from agent_console.screens.content.versions import VersionsScreen
from tests.helpers import SIZE, TRAINER, make_app, settle

ARTICLE = "fee-increase-3-1.en"


def content_app(store):
    return make_app(store, operator=TRAINER, mode="content")


def rows(app) -> list[str]:
    table = app.screen.query_one("#content-list", DataTable)
    return [str(table.get_row_at(n)[1]) for n in range(table.row_count)]


async def open_versions(pilot, item_id: str = ARTICLE) -> VersionsScreen:
    await settle(pilot)
    pilot.app.push_screen(VersionsScreen(pilot.app.context, "article", item_id))
    await settle(pilot)
    assert isinstance(pilot.app.screen, VersionsScreen)
    return pilot.app.screen


def a_second_version(store) -> None:
    """Version 2 of the fee article: the new fee, in review."""
    curation = Curation(store)
    first = store.versions.get("article", ARTICLE)
    body = first.body.replace("650", "700", 1)
    draft = replace(first, title=first.title.replace("650", "700"), body=body)
    curation.save_draft("article", draft, "irina.sokolova", "the fee is 700 from January")
    curation.submit("article", ARTICLE, 2, "irina.sokolova")


@pytest.mark.ui
async def test_operators_are_refused_the_content_mode(demo_store):
    app = make_app(demo_store)  # anna.smirnova, an operator
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_mode("content", "content")
        await settle(pilot)
        assert app.current_mode == "work"
        [notice] = list(app._notifications)
        assert "Curating content is for trainers and supervisors" in notice.message


@pytest.mark.ui
async def test_a_trainer_opens_it_from_the_work_screen(demo_store):
    app = make_app(demo_store, operator=TRAINER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Content" in titles
        app.open_mode("content", "content")
        await settle(pilot)
        assert isinstance(app.screen, ContentScreen)


def test_the_command_line_refuses_operators_too(cli, demo_store):
    result = cli("--operator", "anna.smirnova", "content")
    assert result.exit_code == 1
    assert "Curating content is for trainers and supervisors" in result.output


@pytest.mark.ui
async def test_the_list_filters(demo_store):
    demo_store.content_notes.flag("article", ARTICLE, 1, "outdated", "700 now", "anna.smirnova")
    app = content_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ContentScreen)
        everything = rows(app)
        assert ARTICLE in everything and len(everything) > 200
        app.screen.query_one("#filter-text", Input).value = "fee-increase-3"
        await settle(pilot)
        assert rows(app) == ["fee-increase-3-1.en", "fee-increase-3-1.ru"]
        app.screen.query_one("#filter-language").value = "ru"
        await settle(pilot)
        assert rows(app) == ["fee-increase-3-1.ru"]
        app.screen.query_one("#filter-language").value = "all"
        app.screen.query_one("#filter-text", Input).value = ""
        app.screen.query_one("#filter-state").value = "flagged"
        await settle(pilot)
        assert rows(app) == [ARTICLE]
        app.screen.query_one("#filter-state").value = "review"
        await settle(pilot)
        assert rows(app) == []


@pytest.mark.ui
async def test_edit_with_a_preview_saves_a_draft_operators_do_not_see(demo_store):
    app = content_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#filter-text", Input).value = ARTICLE
        await settle(pilot)
        app.screen.query_one("#content-list").focus()
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        body = editor.query_one("#editor-body", TextArea)
        body.text = "Dear {customer.name}, your fee is 700. {customer.shoe_size}"
        await settle(pilot)
        preview = editor.query_one("#editor-preview", Markdown)
        assert "Dear Maria Ivanova, your fee is 700." in preview.source
        unknown = str(editor.query_one("#editor-unknown", Static).render())
        assert "Unknown placeholders: customer.shoe_size" in unknown
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor  # flagged before saving: a second Ctrl+S saves
        assert len(demo_store.versions.history("article", ARTICLE)) == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContentScreen)
    newest = demo_store.versions.get("article", ARTICLE)
    assert (newest.version, newest.status, newest.author) == (2, "draft", TRAINER)
    assert demo_store.content.article(ARTICLE).version == 1  # operators: still version 1


@pytest.mark.ui
async def test_diff_then_approve(demo_store):
    a_second_version(demo_store)
    app = content_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_versions(pilot)
        diff = screen.query_one("#versions-diff-body", Static).render()
        assert "650" in str(diff) and "700" in str(diff)
        styles = {str(diff)[s.start : s.end].strip(): str(s.style) for s in diff.spans}
        assert [k for k, v in styles.items() if "green" in v] == ["700"]  # added
        assert [k for k, v in styles.items() if "strike" in v] == ["650"]  # removed
        await pilot.press("a")
        await settle(pilot)
    assert demo_store.content.article(ARTICLE).version == 2
    assert demo_store.versions.reviews("article", ARTICLE)[0]["action"] == "approved"


@pytest.mark.ui
async def test_send_back_with_a_comment_and_restore(demo_store):
    a_second_version(demo_store)
    app = content_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await open_versions(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        await pilot.press(*"say which tariff", "enter")
        await settle(pilot)
        assert demo_store.versions.get("article", ARTICLE, 2).status == "draft"
        await pilot.press("down", "r")  # version 1, restored as a new draft
        await settle(pilot)
    restored = demo_store.versions.get("article", ARTICLE)
    assert (restored.version, restored.status) == (3, "draft")
    assert restored.body == demo_store.versions.get("article", ARTICLE, 1).body
    assert demo_store.versions.reviews("article", ARTICLE)[1]["comment"] == "say which tariff"


def test_the_diff_view(snap_compare, demo_store):
    a_second_version(demo_store)

    async def open_diff(pilot):
        await open_versions(pilot)

    assert snap_compare(content_app(demo_store), terminal_size=SIZE, run_before=open_diff)


@pytest.mark.ui
async def test_usage_and_a_new_article_from_a_gap(demo_store):
    from agent_console.domain.codes import EventType
    from agent_console.screens.content.usage import GapsScreen, UsageScreen

    contact = demo_store.queue.add(channel="chat", customer_contract=None, topic=None)
    demo_store.events.append(
        EventType.SEARCH_MADE, contact_id=contact, operator="anna.smirnova",
        payload={"query": "mesh wifi extender"},
    )  # fmt: skip
    demo_store.events.append(
        EventType.SCRIPT_SAID, contact_id=contact, operator="anna.smirnova",
        payload={"script_id": "greeting-evening.en", "version": 1},
    )  # fmt: skip
    app = content_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, UsageScreen)
        table = app.screen.query_one(DataTable)
        table_rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        [greeting] = [r for r in table_rows if r[:2] == ["script", "greeting-evening.en"]]
        week, month = map(int, greeting[3].split(" / "))  # said: today's use among them
        assert 1 <= week <= month
        await pilot.press("escape", "g")
        await settle(pilot)
        assert isinstance(app.screen, GapsScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#editor-title", Input).value == "mesh wifi extender"
        app.screen.query_one("#editor-body", TextArea).text = "Volna sells a mesh extender."
        await pilot.press("ctrl+s")
        await settle(pilot)
    draft = demo_store.versions.get("article", "mesh-wifi-extender.en")
    assert (draft.version, draft.status, draft.title) == (1, "draft", "mesh wifi extender")
    assert demo_store.content.article("mesh-wifi-extender.en") is None
