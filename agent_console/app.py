"""The Textual application: wires the store, the clock and the config into the screens."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from agent_console.app_language import LanguageSwitching
from agent_console.app_server_link import ServerLinkKeeping
from agent_console.clock import Clock
from agent_console.commands import ScreenBindingCommands
from agent_console.config import Config
from agent_console.context import ConsoleContext
from agent_console.domain.roles import can, refusal, who_may
from agent_console.i18n import N_, _, set_ui_language
from agent_console.screens.work import WorkScreen
from agent_console.store import Store
from agent_console.store.postgres import ServerUnreachable
from agent_console.vectors_keeper import VectorsKeeper
from agent_console.workers import WorkFailed, failure_notice, io_work

if TYPE_CHECKING:
    from agent_console.screens.replay import PractiseRequested, SessionData
    from agent_console.sessions.practice import PracticeRun


# Textual's own palette commands and key, for the catalogs (`get_system_commands` and
# `TranslatedBindings` say them).
TEXTUAL_STRINGS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    # The palette's own key, in the footer.
    N_("palette"),
    N_("Open the command palette"),
)


def screenshot_folders(data_folder: Path) -> list[Path]:
    """Where screenshots go, best first: Downloads when the user has one, else a folder beside
    the database (Config.data_folder), else the current folder."""
    downloads = Path.home() / "Downloads"
    folders = [downloads] if downloads.is_dir() else []
    return [*folders, data_folder / "screenshots", Path.cwd()]


def write_crash_log(path: Path, error: BaseException) -> None:
    """Append the error with its traceback to the crash log, a file only its owner may read."""
    import traceback

    descriptor = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as log_file:
        log_file.write(f"--- {datetime.now(UTC).isoformat()} ---\n")
        log_file.write("".join(traceback.format_exception(error)))


# How often the console folds the write-ahead log back into the database file.
CHECKPOINT_EVERY_S = 300.0

# How long a thread may hold the interpreter while another waits for it (see `on_load`).
WORKER_SWITCH_INTERVAL_S = 0.0005
# The threads the store's reads and writes run on (each with its own connection): a search, the
# queue's poll, a draft, the heartbeat and an action at once, with one to spare.
IO_THREADS = 6

# With the semantic extra, the articles' missing vectors are made in the background from this
# long after the start (the first screen, the queue and the scripts come first); None: never
# (the tests' default: see tests/conftest.py).
BACKGROUND_VECTORS_AFTER_S: float | None = 5.0


class AgentConsoleApp(LanguageSwitching, ServerLinkKeeping):
    TITLE = "agent-console"
    DEFAULT_MODE = "work"
    # The console's modes, each by the method that makes its first screen.
    SCREEN_MODES: ClassVar[dict[str, str]] = {
        "work": "_work_screen",
        "replay": "_session_picker",
        "shift": "_shift_screen",
        "content": "_content_screen",
    }
    COMMANDS = App.COMMANDS | {ScreenBindingCommands}
    BINDINGS = [
        Binding(
            "f1", "help", N_("Help"), id="app.help", tooltip=N_("Keys and help for this screen")
        ),
    ]

    def __init__(
        self,
        store: Store,
        config: Config,
        clock: Clock | None = None,
        *,
        replay: str | bool = False,
        crash_log: Path | None = None,
        mode: str = "work",
    ) -> None:
        """`replay`: open the sessions for replay instead of the work screen (a session id
        opens that session straight away); `mode`: the mode to start in ("shift").
        `crash_log`: where an unexpected error's details go (the console then exits with
        status 1 and a line saying where; see `_handle_exception`); None: Textual's own
        handling, a traceback on the screen."""
        if replay or mode != "work":
            # Read by App.__init__ through the instance, so the work screen is never made.
            # Textual declares it a ClassVar; the mode is this instance's choice, not the class's.
            self.DEFAULT_MODE = "replay" if replay else mode  # type: ignore[misc]
        super().__init__()
        self.replay = replay
        self.crash_log = crash_log
        self.crashed: BaseException | None = None
        self.context = ConsoleContext.live(store, config, clock)
        set_ui_language(self.context.ui_language)
        self.keep_server_link()
        self.vectors = VectorsKeeper(self.context.store, lambda e: self.post_message(WorkFailed(e)))
        for mode, make in self.SCREEN_MODES.items():
            self.add_mode(mode, getattr(self, make))
        self._show_sub_title()

    def _work_screen(self) -> Screen:
        return WorkScreen(self.context)

    def _shift_screen(self) -> Screen:
        from agent_console.screens.shift import ShiftScreen  # loaded only when opened

        return ShiftScreen(self.context)

    def _content_screen(self) -> Screen:
        from agent_console.screens.content import ContentScreen  # loaded only when opened

        return ContentScreen(self.context)

    def _session_picker(self) -> Screen:
        from agent_console.screens.replay import SessionPicker  # loaded only for a replay

        return SessionPicker(self.context)

    def on_load(self) -> None:
        # The store's reads run in thread workers, and sqlite3 lets go of the interpreter for
        # every row it steps to. At Python's 5 ms switch interval each row then waits for the
        # UI thread's next turn: a 30-row queue read took 200 ms while the first screen was
        # laid out (10-20 ms at 0.5 ms). A shorter turn costs the UI thread little.
        sys.setswitchinterval(WORKER_SWITCH_INTERVAL_S)
        # Python's cyclic collector made two full collections while the first screen was being
        # built, each walking every object the imports had made (Textual, its styles, our
        # modules): 40-60 ms of a 470 ms start (scripts/bench_startup.py), where a bare Textual
        # app makes none. It rests until the first frame is painted (see `_resume_collector`).
        gc.disable()
        # Thread workers run on the event loop's default executor, and each thread keeps its
        # own connection to the database: bounded here, so that a console on a many-core host
        # holds a few connections to a shared PostgreSQL server, not min(32, cores + 4).
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=IO_THREADS, thread_name_prefix="agent-console-io")
        )

    def on_mount(self) -> None:
        self.follow_screens_for_link()
        self.call_after_refresh(self._resume_collector)
        # The write-ahead log is cut back while the console idles along (it grows in bursts:
        # an import, a busy hour), instead of staying at its largest all shift.
        self.set_interval(CHECKPOINT_EVERY_S, self.checkpoint)
        if self.context.config.keymap:
            self.set_keymap(self.context.config.keymap)
        if BACKGROUND_VECTORS_AFTER_S is not None:
            self.set_timer(BACKGROUND_VECTORS_AFTER_S, self.keep_vectors_current)
        if isinstance(self.replay, str):
            from agent_console.screens.replay import ReplayScreen

            self.push_screen(ReplayScreen(self.context, self.replay))

    def _handle_exception(self, error: Exception) -> None:
        # Textual prints a traceback with its local variables: article text, and possibly a
        # customer's details, on the operator's screen. With a crash log the details go there
        # (readable by the owner alone) and the console exits 1; the command line says where.
        if self.crash_log is None:
            super()._handle_exception(error)
            return
        self.crashed = error
        write_crash_log(self.crash_log, error)
        super()._handle_exception(error)  # exits with status 1 ...
        self._exit_renderables.clear()  # ... and prints nothing of it

    @io_work(exclusive=True, group="checkpoint", background=True)
    def checkpoint(self) -> None:
        self.context.store.checkpoint()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A steady cursor is a setting (some operators find blinking tiring over a shift);
        # it also keeps screenshots of a focused input the same from run to run.
        if not self.context.config.display.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    @on(WorkFailed)
    def _work_failed(self, message: WorkFailed) -> None:
        """The one policy for failed workers (see `agent_console.workers`): a notice, and the
        console goes on. A lost server is said by the banner, which stays until it is back:
        the console's own work failing meanwhile (a poll, the heartbeat) adds no notice; an
        action the operator asked for still gets one, as it may not have been done."""
        if isinstance(message.error, ServerUnreachable):
            news = self.server_unreachable()
            # A screen without the banner hears of the loss once, as a notice.
            if message.background and (self.link_shown or not news):
                return
        notice = failure_notice(message.error, self.context.config.db)
        self.notify(notice.message, title=notice.title, severity=notice.severity, markup=False)

    # --- the semantic layer's vectors ----------------------------------------------------------

    def keep_vectors_current(self) -> threading.Thread:
        """Start keeping the articles' vectors current in the background (see `VectorsKeeper`)."""
        return self.vectors.start()

    def _resume_collector(self) -> None:
        # What is alive now (modules, classes, styles, the screen) lives as long as the console:
        # frozen out of the collector's walks, a full collection later in the shift walks only
        # what the shift made, instead of stalling a keystroke for the same tens of milliseconds.
        gc.freeze()
        gc.enable()

    def on_unmount(self) -> None:
        # As it was before the console started (the tests run many consoles in one process).
        gc.unfreeze()
        gc.enable()
        self.vectors.stop()

    # --- practice ---------------------------------------------------------------------------

    def on_practise_requested(self, message: PractiseRequested) -> None:
        """A trainer asked to practise a session (in the replay or the session list)."""
        if self.allowed("practice"):
            self.prepare_practice(message.data)

    @io_work(exclusive=True, group="practice")
    def prepare_practice(self, data: SessionData) -> None:
        from agent_console.sessions.practice import prepare_practice

        run = prepare_practice(
            self.context.store, data.events, data.contacts, self.context.operator
        )
        self.post_message(self.PracticeReady(run, data.session.title or data.session.id))

    @dataclass
    class PracticeReady(Message):
        """The practice copy of the database is made; `title`: the session's."""

        run: PracticeRun
        title: str

    @on(PracticeReady)
    def _start_practice(self, message: PracticeReady) -> None:
        from agent_console.screens.practice import PracticeScreen

        run, title = message.run, message.title
        practice = self.context.for_practice(run.store, run.trainee)
        self.push_screen(
            PracticeScreen(
                practice, run, title, score_cards=self.context.config.data_folder / "practice"
            )
        )

    # --- the palette's product commands, quitting, screenshots -------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            yield command._replace(title=_(command.title), help=_(command.help))
        if self.current_mode != "work":
            yield SystemCommand(
                _("Work screen"),
                _("The queue, the customer, scripts and articles"),
                lambda: self.switch_mode("work"),
            )
        if self.current_mode != "replay":
            # Listed for everyone, so an operator learns they exist and whom to ask.
            yield SystemCommand(
                _("Replay a session"),
                _("Watch a recorded session, step by step") + self._who_may("replay"),
                lambda: self.open_mode("replay", "replay"),
            )
            yield SystemCommand(
                _("Practise a session"),
                _("Pick a recorded session and take its customer as a trainee")
                + self._who_may("practice"),
                lambda: self.open_mode("replay", "practice"),
            )
        if self.current_mode != "shift":
            yield SystemCommand(
                _("Shift view"),
                _("The floor live, the queues and today's figures") + self._who_may("floor"),
                lambda: self.open_mode("shift", "floor"),
            )
        if self.current_mode != "content":
            yield SystemCommand(
                _("Content"),
                _("Scripts and articles: versions, approval, usage, gaps")
                + self._who_may("content"),
                lambda: self.open_mode("content", "content"),
            )
        yield from self.language_commands()

    def _who_may(self, capability: str) -> str:
        role = self.context.operator.role
        return "" if can(role, capability) else _(" (for {who})").format(who=who_may(capability))

    def allowed(self, capability: str) -> bool:
        """Whether this operator's role allows `capability`; when it does not, the operator is
        told which role it needs."""
        role = self.context.operator.role
        if can(role, capability):
            return True
        self.notify(refusal(role, capability), title=_("Not for your role"), severity="warning")
        return False

    def open_mode(self, mode: str, capability: str) -> None:
        if self.allowed(capability):
            self.switch_mode(mode)

    async def action_quit(self) -> None:
        """Ctrl+Q: ask first when a contact or its wrap-up is in hand."""
        from agent_console.screens.dialogs import ConfirmDialog

        warning = next(
            (
                w
                for screen in reversed(self.screen_stack)
                if (w := getattr(screen, "quit_warning", None))
            ),
            None,
        )
        if warning is None or isinstance(self.screen, ConfirmDialog):
            self.exit()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        self.push_screen(ConfirmDialog(_("Quit?"), warning, yes=_("Quit"), no=_("Stay")), answered)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Save the screen as SVG where it can be saved, and say where (Textual's default,
        ~/Downloads, is missing on many servers). The file may show customer data: it is
        readable by its owner only."""
        if self.is_web:
            return super().deliver_screenshot(filename, path, time_format)
        for folder in [Path(path)] if path else screenshot_folders(self.context.config.data_folder):
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                saved = self.save_screenshot(filename, str(folder), time_format)
                os.chmod(saved, 0o600)
            except OSError:
                continue
            self.notify(
                _("Saved to {path}").format(path=saved), title=_("Screenshot"), markup=False
            )
            return saved
        self.notify(
            _(
                "Could not save the screenshot: no writable folder (tried Downloads, the "
                "data folder and the current folder)."
            ),
            title=_("Screenshot"),
            severity="error",
            markup=False,
        )
        return None

    def action_help(self) -> None:
        from agent_console.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))
