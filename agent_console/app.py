"""The Textual application: wires the store, the clock and the config into the screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from agent_console.clock import Clock
from agent_console.commands import ScreenBindingCommands
from agent_console.config import Config
from agent_console.context import ConsoleContext
from agent_console.screens.work import WorkScreen
from agent_console.store import Store
from agent_console.workers import WorkFailed, failure_notice, io_work

if TYPE_CHECKING:
    from agent_console.screens.replay import PractiseRequested, SessionData


class AgentConsoleApp(App):
    TITLE = "agent-console"
    CSS_PATH = "app.tcss"
    DEFAULT_MODE = "work"
    COMMANDS = App.COMMANDS | {ScreenBindingCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help", tooltip="Keys and help for this screen"),
    ]

    def __init__(self, store: Store, config: Config, clock: Clock | None = None, *,
                 replay: str | bool = False) -> None:
        """`replay`: open the sessions for replay instead of the work screen (a session id
        opens that session straight away)."""
        if replay:
            self.DEFAULT_MODE = "replay"  # read by App.__init__: the work screen is never made
        super().__init__()
        self.replay = replay
        self.context = ConsoleContext.live(store, config, clock)
        self.add_mode("work", lambda: WorkScreen(self.context))
        self.add_mode("replay", self._session_picker)
        self.sub_title = f"{self.context.operator.name} · content: {config.language}"

    def _session_picker(self) -> Screen:
        from agent_console.screens.replay import SessionPicker  # loaded only for a replay

        return SessionPicker(self.context)

    def on_mount(self) -> None:
        if self.context.config.keymap:
            self.set_keymap(self.context.config.keymap)
        if isinstance(self.replay, str):
            from agent_console.screens.replay import ReplayScreen

            self.push_screen(ReplayScreen(self.context, self.replay))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A steady cursor is a setting (some operators find blinking tiring over a shift);
        # it also keeps screenshots of a focused input the same from run to run.
        if not self.context.config.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    @on(WorkFailed)
    def _work_failed(self, message: WorkFailed) -> None:
        """The one policy for failed workers (see `agent_console.workers`): a notice, and the
        console goes on."""
        notice = failure_notice(message.error)
        self.notify(notice.message, title=notice.title, severity=notice.severity,  # type: ignore[arg-type]
                    markup=False)

    # --- practice ---------------------------------------------------------------------------

    def on_practise_requested(self, message: PractiseRequested) -> None:
        """A trainer asked to practise a session (in the replay or the session list)."""
        self.prepare_practice(message.data)

    @io_work(exclusive=True, group="practice")
    def prepare_practice(self, data: SessionData) -> None:
        from agent_console.sessions.practice import prepare_practice

        run = prepare_practice(self.context.store, data.events, data.contacts,
                               self.context.operator)
        self.call_from_thread(self._start_practice, run, data.session.title or data.session.id)

    def _start_practice(self, run, title: str) -> None:
        from agent_console.screens.practice import PracticeScreen

        practice = self.context.for_practice(run.store, run.trainee)
        self.push_screen(PracticeScreen(practice, run, title,
                                        score_cards=self.context.config.db.parent / "practice"))

    def action_help(self) -> None:
        from agent_console.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))
