"""Practice mode end to end: a trainee takes a sample session's customer and is scored."""

from __future__ import annotations

import json
import stat

import pytest

from agent_console.screens.practice import PracticeScreen, ScoreCardScreen
from agent_console.screens.replay import ReplayScreen
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.sessions.practice import TRAINEE_PREFIX
from agent_console.widgets.script_list import ScriptList
from tests.helpers import SAMPLE, SIZE, replay_app, settle


def transcript(app) -> str:
    return str(app.screen.query_one("#practice-transcript-text").render())


async def start_practice(app, pilot):
    await settle(pilot)
    assert isinstance(app.screen, ReplayScreen)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(app.screen, PracticeScreen)


async def test_a_practice_run_is_scored_against_the_recorded_session(demo_store, tmp_path, clock):
    waiting_before = demo_store.queue.count_waiting()
    app = replay_app(demo_store, SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await start_practice(app, pilot)
        practice = app.screen
        # The practice copy's queue holds the session's contact alone.
        assert practice.query_one("#queue").border_subtitle == "1 waiting"
        # A one-contact queue keeps its five lines: the transcript has the room under it.
        assert practice.query_one("#queue").outer_size.height == 5
        assert practice.query_one("#practice-transcript").outer_size.height > 15
        assert "Take the contact with a" in transcript(app)
        await pilot.press("a")
        await settle(pilot)
        assert transcript(app).startswith("Customer: Hello, my internet has stopped working.")
        # A phrasing used: the customer's next line arrives.
        practice.query_one(ScriptList).show_script("greeting-evening.en")
        await pilot.press("s")
        await settle(pilot)
        assert "You used: Greeting — evening" in transcript(app)
        assert "Customer: 5400632364" in transcript(app)
        await pilot.press("n")  # the next line without a script
        assert transcript(app).count("Customer:") == 3
        practice.query_one(ScriptList).show_script("router-reboot.en")
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("o", "d")  # the promotion: declined
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("1", "ctrl+s")  # resolved
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ScoreCardScreen)
        card = app.screen.card
        results = {line.label: line.passed for line in card.lines}
        passed = {label for label, ok in results.items() if ok}
        # Scripts and articles by their titles in the content language, never by their ids.
        assert "Phrasing: Greeting — evening" in passed, results
        assert "Phrasing: Router — restart" in passed, results
        assert "Article: No internet: first diagnostics" in results, results
        assert not any(
            "greeting-evening" in label or "no-internet-basic" in label for label in results
        ), results
        assert not all(results.values())  # identification, the articles were skipped
        assert 0 < card.score < 100
        summary = str(app.screen.query_one("#score-summary").render())
        assert f"{card.score}/100" in summary
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = list((demo_store.path.parent / "practice").glob("practice-*.json"))
        assert len(saved) == 1
        data = json.loads(saved[0].read_text())
        assert data["score"] == card.score
        # The JSON keeps each script's and article's id beside its title, for machines.
        greeting = next(line for line in data["lines"] if line["item"] == "greeting-evening")
        assert greeting["label"] == "Phrasing: Greeting — evening"
        markdown = saved[0].with_suffix(".md").read_text()
        assert markdown.startswith("# No internet")
        assert "| Phrasing: Greeting — evening | used | used | pass |" in markdown
        assert "greeting-evening" not in markdown and "no-internet-basic" not in markdown
        # Who practised and when, for the trainer collecting the cards; readable by the owner.
        assert (data["trainee"], data["trainee_name"]) == ("irina.sokolova", "Irina Sokolova")
        assert data["practised_at"] == clock.now().isoformat(timespec="seconds")
        assert "Trainee: Irina Sokolova (irina.sokolova) · 2026-11-23 19:30 UTC" in markdown
        assert {
            stat.S_IMODE(path.stat().st_mode) for path in (saved[0], saved[0].with_suffix(".md"))
        } == {0o600}
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)  # back where the practice started
    # Nothing the trainee did reached the live database.
    assert demo_store.queue.count_waiting() == waiting_before
    trainee_rows = demo_store.conn.execute(
        "SELECT count(*) FROM events WHERE operator LIKE ?", (TRAINEE_PREFIX + "%",)
    ).fetchone()[0]
    assert trainee_rows == 0


async def test_leaving_a_practice_removes_its_copy(demo_store):
    app = replay_app(demo_store, SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await start_practice(app, pilot)
        folder = app.screen.run.folder
        assert (folder / "practice.db").exists()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        assert not folder.exists()


def database_contents(address) -> dict[str, list[str]]:
    """Every row of every table of the database (a file, or a server's), read on a connection
    of its own."""
    from agent_console.store import Store

    with Store(address) as store:
        return {
            table: sorted(map(repr, store.conn.execute(f'SELECT * FROM "{table}"')))
            for table in store.table_names()
            if not table.startswith("sqlite_")
        }


@pytest.mark.both_engines
async def test_a_practice_wrap_up_typed_in_full_reaches_the_score_card_and_not_the_live_record(
    demo_store,
):
    # A live contact under the same id as the practice one: the trainee's draft must not land
    # on it (the wrap-up used to write to the app's store under the live operator's login).
    for _ in range(3):
        demo_store.queue.add(
            channel="phone",
            customer_contract=None,
            topic="internet_down",
            subject="",
            priority=3,
            customer_name="Live caller",
        )
    before = database_contents(demo_store.address)
    app = replay_app(demo_store, SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await start_practice(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("3")  # transferred
        await pilot.press("tab", *"router reset did not help")
        await pilot.pause(0.7)  # past the draft delay: the draft is written
        await app.workers.wait_for_complete()
        form = app.screen
        target = form.query_one("#wrapup-transfer-target")
        target.focus()
        await pilot.press("enter", "down", "enter")  # the first target: technical support
        await pilot.press("tab", *"line fault")
        await pilot.pause(0.7)
        await app.workers.wait_for_complete()
        assert form.entry().transfer_target == "tech_support"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ScoreCardScreen), app.screen
        transfer = next(line for line in app.screen.card.lines if "ransfer" in line.label)
        assert "Technical support" in transfer.actual or "tech_support" in transfer.actual
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
    assert database_contents(demo_store.address) == before
