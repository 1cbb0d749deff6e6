"""The knowledge pane at 160x48 with the clock fixed: results, the Articles tab, an article.

Review every SVG you accept (rsvg-convert it to a PNG and look at it).
"""

from __future__ import annotations

from tests.helpers import SIZE, make_app, settle


async def typed_router(pilot):
    await settle(pilot)
    await pilot.press("slash", *"router")
    await settle(pilot)  # typing paused: the whole answer is listed


def test_results_with_the_matched_words_highlighted(snap_compare, demo_store):
    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=typed_router)


def test_the_articles_tab(snap_compare, demo_store):
    async def articles(pilot):
        await typed_router(pilot)
        await pilot.press("tab", "down")
        await settle(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=articles)


def test_an_open_article(snap_compare, demo_store):
    async def open_one(pilot):
        await typed_router(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=open_one)
