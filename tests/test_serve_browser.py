"""The served console in a real browser: `agent-console serve` as a subprocess, opened in headless
Chromium from the distribution's packages (`apt-get install chromium`), driven by Playwright.
The page's terminal (xterm.js) draws on a canvas, so the test reads the screen from what the
console sends it over the websocket, its escape sequences taken out."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent_console.store import Store
from tests.terminal import terminal_text

# Starts a console: not among the pure tests (`-m "not ui"`).
pytestmark = pytest.mark.ui

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as this machine can run it: no sandbox (a container), no GPU, and nothing that
# reaches the network on its own (the network is closed here).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: a condition is waited for, never a time; these only bound a failure.
START_TIMEOUT_S = 30
SCREEN_TIMEOUT_S = 30


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    reason = f"no {CHROMIUM}: `apt-get install -y chromium` for the browser test"
    if os.environ.get("AGENT_CONSOLE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (AGENT_CONSOLE_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition: Callable[[], object], what: str, timeout_s: float, pause) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout_s} s for {what}")
        pause()


@pytest.fixture
def served(demo_template, tmp_path) -> Iterator[tuple[str, Path]]:
    """`agent-console --db DEMO serve --port PORT` running; its URL and database."""
    _browser_or_skip()
    db = tmp_path / "served.db"
    db.write_bytes(demo_template.read_bytes())
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "agent_console", "--db", str(db), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its group: the consoles it starts stop with it
    )

    def listening() -> bool:
        assert server.poll() is None, (tmp_path / "serve.log").read_text()
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        _wait_for(listening, "serve to listen", START_TIMEOUT_S, lambda: time.sleep(0.05))
        yield f"http://127.0.0.1:{port}/", db
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@pytest.fixture
def browser_page(tmp_path):
    """A page in a fresh headless Chromium (its own profile)."""
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        try:
            yield context.new_page()
        finally:
            context.close()


class Screen:
    """What the console has drawn in the page since it was last (re)loaded, as text."""

    def __init__(self, page) -> None:
        self.page = page
        self.frames: list[str] = []
        page.on("websocket", self._follow)

    def _follow(self, websocket) -> None:
        self.frames.clear()  # a new websocket: a new console, drawing from the start
        websocket.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        self.frames.append(terminal_text(payload))

    def text(self) -> str:
        return "".join(self.frames)

    def wait_for(self, *texts: str) -> None:
        _wait_for(
            lambda: all(text in self.text() for text in texts),
            f"the screen to show {texts}",
            SCREEN_TIMEOUT_S,
            # Playwright delivers the page's events while it waits.
            lambda: self.page.wait_for_timeout(50),
        )


def test_the_served_console_takes_a_contact_and_a_reload_brings_it_back(served, browser_page):
    url, db = served
    with Store(db) as store:
        first = store.queue.waiting()[0]
    screen = Screen(browser_page)
    browser_page.goto(url)
    screen.wait_for("No contact in hand", "Take next")
    assert "In contact" not in screen.text()

    browser_page.focus(".xterm-helper-textarea")  # the terminal's keyboard
    browser_page.keyboard.press("a")

    def taken() -> bool:
        with Store(db) as store:
            contact = store.queue.get(first.id)
        assert contact is not None
        return contact.status == "active" and contact.claimed_by == "anna.smirnova"

    _wait_for(taken, "the contact to be taken", SCREEN_TIMEOUT_S, lambda: time.sleep(0.05))
    screen.wait_for("In contact")

    # A new console process for the same operator, which comes back to the contact in hand
    # (it may draw the empty work screen first: the screen's text is all it drew, not its last).
    browser_page.reload()
    screen.wait_for("In contact", first.customer_name)
