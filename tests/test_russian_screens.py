"""The console in Russian: every screen an operator, a trainer or a trainee sees, rendered under
Pilot with the interface in Russian, and its visible text checked against the English catalog —
no English string of the interface may be left on a Russian screen.

The content is Russian too (`language="ru"`, the demo's Russian scripts, articles and notices),
so English on the screen can only be the interface's own; the few words of data that are Latin
(logins, contract numbers, a key's name) are allowed by name below.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest

from agent_console.app import AgentConsoleApp
from tests.helpers import SIZE, TRAINER, make_app, settle, tick

ROOT = Path(__file__).resolve().parent.parent

# Latin words a Russian screen may carry that are data, key names or proper names, never a
# string of the interface: a fragment of an English msgid made only of these is not reported.
ALLOWED = {
    "agent",
    "console",
    "SLA",
    "Esc",
    "Enter",
    "Markdown",
    "JSON",
    "UTC",
    "Ctrl",
    "Space",
    "Home",
    "End",
    "Backspace",
}


@cache
def english_fragments() -> tuple[str, ...]:
    """The pieces of the English msgids a screen could show: each msgid cut at its placeholders
    and line breaks, the pieces with a word of three letters or more."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "update_catalogs", ROOT / "scripts" / "update_catalogs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fragments = set()
    for message in module.extract():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            if not text:
                continue
            for piece in re.split(r"\{[^}]*\}|\n|[*`]", text):
                piece = piece.strip(" .,:;·()—-│|")
                words = re.findall(r"[A-Za-z]{3,}", piece)
                if words and not set(words) <= ALLOWED:
                    fragments.add(piece)
    return tuple(sorted(fragments, key=len, reverse=True))


def screen_text(app: AgentConsoleApp) -> str:
    """What the terminal shows, line by line (from the screenshot Textual would save)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(
        r'<text[^>]*x="([\d.]+)"[^>]*y="([\d.]+)"[^>]*>([^<]*)</text>', svg
    ):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _x, t in sorted(row)) for _y, row in sorted(rows.items()))


# The demo's customer data that is English whatever the interface speaks (a billing system's
# service names, a telephony menu's words in a contact's subject): left out before the check.
DATA = ("Home phone", "Cable TV")


def english_left(app: AgentConsoleApp) -> list[str]:
    text = screen_text(app)
    for data in DATA:
        text = text.replace(data, "")
    text = re.sub(r"\bsample-[a-z-]+", "", text)  # the demo sessions' ids
    return [
        fragment
        for fragment in english_fragments()
        if re.search(rf"(?<![A-Za-z]){re.escape(fragment)}(?![A-Za-z])", text)
    ]


def russian_app(store, operator: str = "anna.smirnova", **kwargs) -> AgentConsoleApp:
    return make_app(store, operator, "ru", ui_language="ru", **kwargs)


def with_russian_sessions(store, folder: Path) -> None:
    """The demo's sample sessions told in Russian (they are English): the same events with the
    Russian scripts and articles, the lines and titles said in Russian, imported over them. The
    replay and the session list then show no English but the interface's own."""
    import json

    from agent_console.sessions import import_sessions

    source = ROOT / "agent_console" / "demo_data" / "sessions.jsonl"
    lines: list[str] = []
    titles: dict[str, int] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        payload = event["payload"]
        if event["type"] == "session_started":
            number = titles.setdefault(event["session_id"], len(titles) + 1)
            payload["title"] = f"Учебная сессия №{number}"
        if event["type"] == "dialogue":
            payload["text"] = f"Реплика номер {event['id']}"
        if event["type"] == "search_made":
            payload["query"] = "нет интернета"
        lines.append(json.dumps(event, ensure_ascii=False).replace('.en"', '.ru"'))
    path = folder / "russian-sessions.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_sessions(store, [path])


async def take_contact(pilot) -> None:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)


pytestmark = pytest.mark.ui


async def test_the_work_screen_idle_is_all_russian(demo_store):
    app = russian_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Очередь" in screen_text(app)
        assert english_left(app) == []


async def test_the_work_screen_in_a_contact_is_all_russian(demo_store, clock):
    app = russian_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        clock.advance(95)
        await tick(pilot)
        text = screen_text(app)
        assert "В обращении" in text and "Абонент" in text
        assert english_left(app) == []


async def test_the_help_page_is_all_russian(demo_store):
    app = russian_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert "Справка" in screen_text(app)
        assert english_left(app) == []


async def test_the_dialogs_are_all_russian(demo_store):
    # The demo's earlier contacts have English notes (data, shown literally): Russian ones here.
    demo_store.db.conn.execute("UPDATE wrapups SET notes = 'Абонент перезвонит'")
    app = russian_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")  # the break's reasons
        await pilot.pause()
        assert "Перерыв" in screen_text(app)
        assert english_left(app) == []
        await pilot.press("escape")
        await take_contact(pilot)
        await pilot.press("o")  # the promotion's answer
        await pilot.pause()
        assert "Предложена акция" in screen_text(app)
        assert english_left(app) == []
        await pilot.press("escape")
        await pilot.press("f4", "enter")  # an earlier contact, in full
        await settle(pilot)
        assert "Обращение №" in screen_text(app)
        assert english_left(app) == []
        await pilot.press("escape")
        await pilot.press("ctrl+q")  # quit? a contact is in hand
        await pilot.pause()
        assert "Выйти?" in screen_text(app)
        assert english_left(app) == []


async def test_the_replay_is_all_russian(demo_store, tmp_path):
    with_russian_sessions(demo_store, tmp_path)
    app = russian_app(demo_store, TRAINER, replay="sample-router-restart")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*["right"] * 19)
        await settle(pilot)
        assert "Хронология" in screen_text(app)
        assert english_left(app) == []


async def test_the_session_list_is_all_russian(demo_store, tmp_path):
    with_russian_sessions(demo_store, tmp_path)
    app = russian_app(demo_store, TRAINER, replay=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Сессии" in screen_text(app)
        assert english_left(app) == []


async def test_the_interface_language_switches_from_the_palette(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        contact = app.screen.in_hand.contact.id
        await pilot.press("ctrl+p", *"Interface language")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Очередь" in text and "Queue" not in text
        assert app.screen.in_hand.contact.id == contact  # the same contact, from the event log
        assert app.context.language == "en"  # the content's stays as it was
        await pilot.press("ctrl+p", *"Язык интерфейса")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert "Queue" in screen_text(app)


async def test_the_wrapup_is_all_russian(demo_store, clock):
    app = russian_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        clock.advance(95)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("ctrl+s")  # no outcome: the error line under it
        await pilot.pause()
        text = screen_text(app)
        assert "Постобработка" in text and "Выберите результат" in text
        assert english_left(app) == []


async def test_practice_and_its_score_card_are_all_russian(demo_store, tmp_path):
    from agent_console.screens.practice import PracticeScreen, ScoreCardScreen

    with_russian_sessions(demo_store, tmp_path)
    app = russian_app(demo_store, TRAINER, replay="sample-router-restart")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        assert "Расшифровка — абонент" in screen_text(app)
        assert english_left(app) == []
        await take_contact(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("1", "ctrl+s")  # resolved
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, ScoreCardScreen)
        assert "Оценочный лист" in screen_text(app)
        assert english_left(app) == []


async def test_the_switch_waits_while_a_wrap_up_is_open(demo_store):
    """The wrap-up being typed is never thrown away: the switch says to save it first."""
    from agent_console.screens.wrapup import WrapUpScreen

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("tab", *"router restarted")
        said: list[str] = []
        app.notify = lambda message, **_kwargs: said.append(message)  # type: ignore[method-assign]
        app.switch_ui_language("ru")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpScreen)
        assert app.screen.query_one("#wrapup-notes").value == "router restarted"
        assert said == ["Save the wrap-up first, then change the language."]
        assert app.context.ui_language == "en"
