"""One snapshot per screen at 160x48 with the clock fixed. Review every SVG you accept."""

from __future__ import annotations

from agent_console.app import AgentConsoleApp
from agent_console.config import Config

SIZE = (160, 48)


def app_for(store, language="en") -> AgentConsoleApp:
    return AgentConsoleApp(store=store, config=Config(db=store.path, operator="anna.smirnova",
                                                      language=language))


async def settled(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_work_screen_idle(snap_compare, demo_store):
    assert snap_compare(app_for(demo_store), terminal_size=SIZE, run_before=settled)


def test_help_screen(snap_compare, demo_store):
    async def open_help(pilot):
        await settled(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app_for(demo_store), terminal_size=SIZE, run_before=open_help)


def test_knowledge_results(snap_compare, demo_store):
    async def search(pilot):
        await settled(pilot)
        await pilot.press("slash", *"router")
        await settled(pilot)

    assert snap_compare(app_for(demo_store), terminal_size=SIZE, run_before=search)
