"""The Textual application: wires the store, the clock and the config into the screens."""

from __future__ import annotations

from textual import events, work
from textual.app import App
from textual.binding import Binding

from agent_console.clock import Clock
from agent_console.commands import ScreenBindingCommands
from agent_console.config import Config
from agent_console.domain import Operator
from agent_console.screens.work import WorkScreen
from agent_console.store import Store

COMPANY_NAME = {"en": "Volna Telecom", "ru": "Волна Телеком"}
PROMOTION_NAME = {"en": "Digital TV 2.0", "ru": "Цифровое ТВ 2.0"}


def _session_picker():
    from agent_console.screens.replay import SessionPicker  # loaded only for a replay

    return SessionPicker()


class AgentConsoleApp(App):
    TITLE = "agent-console"
    CSS_PATH = "app.tcss"
    MODES = {"work": WorkScreen, "replay": _session_picker}
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
        self.store = store
        self.config = config
        self.clock: Clock = clock or store.clock
        self.operator: Operator = store.people.operator(config.operator) or Operator(
            config.operator, config.operator
        )
        self._search_index = None
        self.sub_title = f"{self.operator.name} · content: {config.language}"

    @property
    def search_index(self):
        """The search index, opened on first use (importing the search costs start-up time)."""
        if self._search_index is None:
            from agent_console.search import SearchIndex

            self._search_index = SearchIndex(self.store)
        return self._search_index

    def on_mount(self) -> None:
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if isinstance(self.replay, str):
            from agent_console.screens.replay import ReplayScreen

            self.push_screen(ReplayScreen(self.replay))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A steady cursor is a setting (some operators find blinking tiring over a shift);
        # it also keeps screenshots of a focused input the same from run to run.
        if not self.config.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def practise(self, data) -> None:
        """Start a practice run on a session (a `SessionData` from the replay)."""
        self.prepare_practice(data)

    @work(thread=True, exclusive=True, group="practice")
    def prepare_practice(self, data) -> None:
        from agent_console.sessions.practice import prepare_practice

        try:
            run = prepare_practice(self.store, data.events, data.contacts, self.operator.login)
        except ValueError as error:
            self.call_from_thread(self.notify, str(error), severity="warning", markup=False)
            return
        self.call_from_thread(self._start_practice, run, data.session.title or data.session.id)

    def _start_practice(self, run, title: str) -> None:
        from agent_console.screens.practice import PracticeScreen

        self.push_screen(PracticeScreen(run, title))

    def placeholder_values(self) -> dict[str, str | None]:
        """Values for script placeholders that do not depend on a contact."""
        language = self.config.language
        return {
            "operator.name": self.operator.name,
            "operator.first_name": self.operator.first_name,
            "company.name": COMPANY_NAME.get(language, COMPANY_NAME["en"]),
            "promo.name": PROMOTION_NAME.get(language, PROMOTION_NAME["en"]),
        }

    def action_help(self) -> None:
        from agent_console.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))
