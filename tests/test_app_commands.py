"""The palette's product commands, Ctrl+Q in the middle of a contact, and screenshots."""

from __future__ import annotations

import stat

from textual.command import CommandPalette
from textual.widgets import Input

from agent_console.screens.dialogs import BreakDialog, ConfirmDialog
from agent_console.screens.work import WorkScreen
from agent_console.widgets.status_bar import OperatorStatus
from tests.helpers import SIZE, SUPERVISOR, TRAINER, make_app, settle, take_contact


async def ask_palette(app, pilot, query: str) -> CommandPalette:
    """Open the palette and put `query` in it (one search, not one per letter), waiting until
    the palette has gathered the commands that match it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(Input).value = query
    await pilot.pause()
    gathering = CommandPalette._GATHER_COMMANDS_GROUP
    listed = palette.query_one("CommandList")
    seen = False
    for tries in range(300):
        running = any(w.group == gathering and not w.is_finished for w in app.workers)
        seen = seen or running
        # Done once the search was seen running and has finished; a search too quick to be
        # seen is done once its commands are listed.
        if (seen and not running) or (not seen and tries >= 20 and listed.option_count):
            break
        await pilot.pause(0.01)
    await pilot.pause()
    return palette


async def palette_names(app, pilot, query: str) -> list[str]:
    """The command names the palette lists for `query`."""
    palette = await ask_palette(app, pilot, query)
    options = palette.query_one("CommandList")
    names = [str(option.prompt).split("\n")[0] for option in options.options]
    await pilot.press("escape")
    await pilot.pause()
    return names


async def run_command(app, pilot, query: str) -> None:
    await ask_palette(app, pilot, query)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_palette_offers_product_commands_not_number_keys_or_scrolling(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = await palette_names(app, pilot, "break")
        assert "Break: Training" in names and "Break: Technical problem" in names
        await take_contact(pilot)
        assert "Hold" in await palette_names(app, pilot, "hold")
        names = await palette_names(app, pilot, "use")
        assert not [n for n in names if n.startswith("Use script")], names
        await pilot.press("f2")  # the queue in focus: its scrolling keys are no commands
        assert not [n for n in await palette_names(app, pilot, "scroll") if "Scroll" in n]
        assert "Replay a session" in await palette_names(app, pilot, "replay")
        assert "Practise a session" in await palette_names(app, pilot, "practise")
        assert "Content language: Русский" in await palette_names(app, pilot, "language")


async def test_a_break_with_its_reason_from_the_palette(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(app, pilot, "Break: Training")
        assert not isinstance(app.screen, BreakDialog)
        state = app.screen.query_one(OperatorStatus).operator_state
        assert (state.state, state.break_reason) == ("break", "training")


async def test_replay_and_back_from_the_palette(demo_store):
    app = make_app(demo_store, TRAINER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(app, pilot, "Replay a session")
        assert app.current_mode == "replay"
        await run_command(app, pilot, "Work screen")
        assert app.current_mode == "work" and isinstance(app.screen, WorkScreen)


async def test_an_operator_is_told_replay_and_practice_need_a_trainer(demo_store):
    app = make_app(demo_store)  # anna.smirnova is an operator
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for command in ("Replay a session", "Practise a session"):
            await run_command(app, pilot, command)
            assert app.current_mode == "work" and isinstance(app.screen, WorkScreen)
            notice = list(app._notifications)[-1]
            assert "is for trainers and supervisors" in notice.message
            assert "signed in as an operator" in notice.message
            assert "operators role LOGIN trainer" in notice.message
            app.clear_notifications()


async def test_a_supervisor_may_replay(demo_store):
    app = make_app(demo_store, SUPERVISOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(app, pilot, "Replay a session")
        assert app.current_mode == "replay"


async def test_the_content_language_changes_without_a_restart_mid_contact(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        contact = app.screen.operator_state.contact_id
        await run_command(app, pilot, "Content language")
        screen = app.screen
        assert isinstance(screen, WorkScreen) and screen.context.language == "ru"
        assert screen.operator_state.contact_id == contact  # still in hand
        assert "content: ru" in app.sub_title
        scripts = screen.query_one("ScriptList").scripts
        assert scripts and all(script.language == "ru" for script in scripts)


async def test_ctrl_q_in_a_contact_asks_first(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "contact" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WorkScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_ctrl_q_when_ready_quits_at_once(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_a_screenshot_is_saved_without_downloads_and_says_where(
    demo_store, monkeypatch, tmp_path
):
    home = tmp_path / "home-without-downloads"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        saved = app.deliver_screenshot()
        await pilot.pause()
        assert saved is not None
        assert saved.startswith(str(demo_store.path.parent / "screenshots"))
        assert stat.S_IMODE((tmp_path / saved).stat().st_mode) == 0o600
        messages = [n.message for n in app._notifications]
        assert any(saved in message for message in messages)
