"""What the UI tests share: the console made over a test database, and ways to wait for it.

Every helper takes the Pilot (its app is `pilot.app`), so a test body and a snapshot's
`run_before` use the same calls.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from textual.worker import WorkerFailed

from agent_console.app import AgentConsoleApp
from agent_console.config import Config, Display
from agent_console.domain import Event
from agent_console.widgets.knowledge import KnowledgePane

# A Monday evening shift: every test sees the same "now" (the `clock` fixture).
SHIFT_NOW = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)

# Every UI test and snapshot runs at the size an operator's full-screen terminal has.
SIZE = (160, 48)

# The demo's trainer (replay and practice are theirs) and supervisor (everything).
TRAINER = "irina.sokolova"
SUPERVISOR = "sergey.lebedev"

# Worker -> message -> worker chains longer than this are a loop, not a start-up.
MAX_HOPS = 10


def make_app(
    store,
    operator: str = "anna.smirnova",
    language: str = "en",
    *,
    ui_language: str | None = "en",
    replay: str | bool = False,
    mode: str = "work",
    cursor_blink: bool = False,
    **settings,
) -> AgentConsoleApp:
    """The console over `store` as `operator`, with any other config `settings`; a steady
    cursor keeps screenshots the same. The interface speaks English unless a test asks
    (`ui_language="ru"`, or None: the operator's own language)."""
    config = Config(
        db=store.address,
        operator=operator,
        language=language,
        ui_language=ui_language,
        display=Display(cursor_blink=cursor_blink),
        **settings,
    )
    return AgentConsoleApp(store=store, config=config, replay=replay, mode=mode)


async def settle(pilot, *, failures_expected: bool = False) -> None:
    """Until the console has nothing more to do: workers done, and the knowledge pane's
    answer listed whole (the rest of it comes once typing pauses). A failed worker fails the
    test (the console would only show a notice) unless the test expects failures."""
    app = pilot.app
    # A worker's result is a message whose handler may start the next worker (the queue shown
    # starts the session, whose state opens the wrap-up, which loads its draft): until none is
    # left running after the messages are handled.
    for _hop in range(MAX_HOPS):
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            break
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            if not failures_expected:
                raise
    panes = app.screen.query(KnowledgePane)
    if not all(pane.listed_whole for pane in panes):
        await wait_until(
            pilot, lambda: all(pane.listed_whole for pane in panes), "the whole answer listed"
        )
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot, condition, what: str, timeout_s: float = 20.0) -> None:
    """Wait for something a wall-clock timer does (a debounce), however slow the machine."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        await pilot.pause(0.05)


async def tick(pilot) -> None:
    """Do what the screens' one-second timers do, now rather than some time in the next second."""
    for screen in pilot.app.screen_stack:
        if hasattr(screen, "tick"):
            screen.tick()
    await settle(pilot)


async def take_contact(pilot) -> None:
    """Let the screen load, take the next contact with `a`, and let that land."""
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)


async def end_contact(pilot):
    """Take the next contact and end it at once: the wrap-up form, in front."""
    from agent_console.screens.wrapup import WrapUpScreen

    await take_contact(pilot)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WrapUpScreen)
    return pilot.app.screen


async def take(pilot, contact_id: int) -> None:
    """Take one particular contact, as Enter on its queue row does."""
    await settle(pilot)
    screen = pilot.app.screen
    screen.act(lambda: screen.desk.accept(contact_id))
    await settle(pilot)


def state_of(app) -> str:
    """The operator's state as the status line shows it."""
    from agent_console.widgets.status_bar import OperatorStatus

    return app.screen.query_one(OperatorStatus).operator_state.state


def suggested(app) -> list[str]:
    """The slugs of the scripts under *Suggested now*."""
    from agent_console.domain.lifecycle import script_slug
    from agent_console.widgets.script_list import ScriptList

    return [script_slug(s.id) for s in app.screen.query_one(ScriptList).suggested]


# --- replay ----------------------------------------------------------------------------------

# The sample session most replay and practice tests use: one phone contact, a router restart.
SAMPLE = "sample-router-restart"


def replay_app(store, session_id: str | bool = True) -> AgentConsoleApp:
    """The console in replay mode (the session list, True, or one session) for the demo's
    trainer: replay and practice are for trainers and supervisors."""
    return make_app(store, TRAINER, replay=session_id)


# --- the event log and import files -----------------------------------------------------------


def ev(type_, seconds, contact_id=None, **payload) -> Event:
    """An event `seconds` into the shift, by operator "anna"."""
    return Event(
        0, None, contact_id, "anna", SHIFT_NOW + timedelta(seconds=seconds), type_, payload
    )


def write_jsonl(path, rows):
    """A JSON Lines file of `rows` (a str row is written as it is: a broken line)."""
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows),
        encoding="utf-8",
    )
    return path


# Two good articles, one per language, for import tests.
GOOD_ARTICLES = [
    {
        "id": "no-internet",
        "title": "No internet: first checks",
        "body": "Restart the **router**.",
        "tags": ["internet", "router"],
    },
    {
        "id": "роутер",
        "title": "Роутер не раздаёт вай-фай",
        "body": "Перезагрузите роутер.",
        "tags": ["роутер"],
    },
]


# Three small articles on unrelated topics, for the search's learning and semantic tests.
THREE_ARTICLES = [
    {
        "id": "tv-signal",
        "title": "No TV signal",
        "body": "Check the cable and the input source.",
        "tags": ["tv"],
    },
    {
        "id": "router-lights",
        "title": "Router lights",
        "body": "What each light of the router means.",
        "tags": ["router"],
    },
    {
        "id": "payment",
        "title": "Payment methods",
        "body": "Pay by card or at a terminal.",
        "tags": ["payment"],
    },
]


def eventually(condition, within_s: float = 10.0) -> bool:
    """Whether `condition()` comes true within `within_s`, asked every hundredth of a second:
    for what arrives from another connection a moment later (a PostgreSQL notification)."""
    import time

    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False
