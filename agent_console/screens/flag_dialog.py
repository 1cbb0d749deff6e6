"""An operator flags an article or a script: wrong or outdated, and a comment saying what."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from agent_console.i18n import N_, _
from agent_console.screens.translated import TranslatedBindings

# (reason, comment) when given.
FlagAnswer = tuple[str, str]


class FlagDialog(TranslatedBindings, ModalScreen[FlagAnswer | None]):
    DEFAULT_CSS = """
    FlagDialog { align: center middle; }
    FlagDialog > Vertical {
        width: 80; height: auto; padding: 1 2;
        border: round $warning; background: $surface;
    }
    FlagDialog Label { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="flag.cancel", tooltip=N_("Flag nothing")),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.item_title = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Flag for the trainers: {title}").format(title=self.item_title),
                        markup=False)  # fmt: skip
            yield Select(
                [(_("Wrong"), "wrong"), (_("Outdated"), "outdated")],
                value="outdated",
                allow_blank=False,
                id="flag-reason",
            )
            yield Input(placeholder=_("What is wrong? (Enter sends)"), id="flag-comment")

    def on_mount(self) -> None:
        self.query_one("#flag-comment").focus()

    @on(Input.Submitted, "#flag-comment")
    def _send(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.notify(_("Say in a few words what is wrong."), severity="warning")
            return
        reason = str(self.query_one("#flag-reason", Select).value)
        self.dismiss((reason, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
