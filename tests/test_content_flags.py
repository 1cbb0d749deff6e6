"""Operators flag content: F7 on an open article or on the highlighted script asks what is
wrong; the flag reaches the trainers' list."""

from __future__ import annotations

import pytest

from agent_console.curation import Curation
from agent_console.screens.flag_dialog import FlagDialog
from agent_console.store.content_notes import ContentError
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.script_list import ScriptList
from tests.helpers import SIZE, make_app, settle


async def flag(pilot, comment: str, reason: str | None = None) -> None:
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FlagDialog)
    if reason:
        pilot.app.screen.query_one("#flag-reason").value = reason
    await pilot.press(*comment, "enter")
    await settle(pilot)


@pytest.mark.ui
async def test_f7_on_an_open_article_flags_it(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"router")
        await settle(pilot)
        await pilot.press("tab", "enter")  # the first article
        await settle(pilot)
        article = app.screen.query_one(KnowledgePane).article
        assert article is not None
        await flag(pilot, "only Volna routers now")
        assert "Flagged for the trainers" in [n.message for n in app._notifications][-1]
    [found] = demo_store.content_notes.open_flags()
    assert (found.kind, found.item_id, found.version) == ("article", article.id, article.version)
    assert (found.reason, found.comment, found.operator) == (
        "outdated",
        "only Volna routers now",
        "anna.smirnova",
    )
    row = next(r for r in Curation(demo_store).items() if r.newest.item_id == article.id)
    assert row.flags == 1 and row.matches("flagged", "all", "all", "")


@pytest.mark.ui
async def test_f7_on_the_script_panel_flags_the_highlighted_script(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        script = app.screen.query_one(ScriptList).highlighted_script
        assert script is not None
        await flag(pilot, "wrong tariff name", reason="wrong")
    [found] = demo_store.content_notes.open_flags("script")
    assert (found.item_id, found.reason) == (script.id, "wrong")


@pytest.mark.ui
async def test_escape_flags_nothing(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3", "f7")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert demo_store.content_notes.open_flags() == []


def test_a_flag_needs_a_known_reason_and_a_comment(store):
    notes = store.content_notes
    with pytest.raises(ContentError, match="wrong or outdated"):
        notes.flag("article", "a", 1, "ugly", "x", "anna")
    with pytest.raises(ContentError, match="a comment"):
        notes.flag("article", "a", 1, "wrong", " ", "anna")
    notes.flag("article", "a", 1, "wrong", "x", "anna")
    assert notes.resolve_flags("article", "a") == 1
    assert notes.open_flags() == []
