"""The console in Russian, at 160x48: the interface and the content both Russian. Review every SVG
you accept as PNG (rsvg-convert): Russian is a quarter longer than English, so look for labels
cut short or pushed out of their pane."""

from __future__ import annotations

from tests.helpers import SIZE, TRAINER, make_app, settle, tick
from tests.test_russian_screens import with_russian_sessions


def russian_app(store, operator: str = "anna.smirnova", **kwargs):
    return make_app(store, operator, "ru", ui_language="ru", **kwargs)


def test_work_screen_in_a_contact_in_russian(snap_compare, demo_store, clock):
    async def take_one(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        clock.advance(95)
        await tick(pilot)

    assert snap_compare(russian_app(demo_store), terminal_size=SIZE, run_before=take_one)


def test_wrapup_in_russian(snap_compare, demo_store, clock):
    async def wrap_up(pilot):
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        clock.advance(200)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        # Transferred, with a note, and saved: the target and the reason are missing, and the
        # error lines under them show (the longest Russian lines of the form).
        await pilot.press("3", "tab", *"Роутер перезагружен, не помогло", "ctrl+s")
        clock.advance(15)
        await tick(pilot)

    assert snap_compare(russian_app(demo_store), terminal_size=SIZE, run_before=wrap_up)


def test_replay_in_russian(snap_compare, demo_store, tmp_path):
    with_russian_sessions(demo_store, tmp_path)
    app = russian_app(demo_store, TRAINER, replay="sample-router-restart")

    async def to_the_article(pilot):
        await settle(pilot)
        await pilot.press(*["right"] * 16)  # an article opened
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=to_the_article)


def test_help_screen_in_russian(snap_compare, demo_store):
    async def open_help(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(russian_app(demo_store), terminal_size=SIZE, run_before=open_help)
