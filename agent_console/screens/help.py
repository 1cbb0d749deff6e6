"""F1: the screen's own help text and every key binding it offers."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from agent_console.i18n import N_, _
from agent_console.screens.translated import TranslatedBindings


def bindings_table(screen: Screen) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", expand=True)
    table.add_column(_("Key"), style="bold cyan", no_wrap=True)
    table.add_column(_("Action"))
    table.add_column(_("What it does"), style="dim")
    seen = set()
    # The screen's own keys (they carry a tooltip) first, then the focused widget's basics.
    ordered = sorted(screen.active_bindings.values(), key=lambda a: not a.binding.tooltip)
    for active in ordered:
        binding = active.binding
        if not binding.description or (binding.action, binding.description) in seen:
            continue
        seen.add((binding.action, binding.description))
        table.add_row(screen.app.get_key_display(binding), binding.description, binding.tooltip)
    return table


def help_markdown(screen: Screen) -> str:
    """The screen's help page in the interface's language: its `HELP_PARTS` (a screen that adds
    its own page to the one it builds on, each translated whole), else its `HELP`."""
    parts = getattr(screen, "HELP_PARTS", None) or (getattr(screen, "HELP", ""),)
    return "\n".join(_(part) for part in parts if part)


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    """The help of the screen underneath, and its bindings."""

    BINDINGS = [
        Binding(
            "escape,f1,q", "dismiss", N_("Close help"), id="help.close", tooltip=N_("Back to work")
        ),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; height: 80%; border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, of_screen: Screen) -> None:
        super().__init__()
        self.of_screen = of_screen

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(help_markdown(self.of_screen))
            yield Static(bindings_table(self.of_screen))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).border_title = _("Help")
