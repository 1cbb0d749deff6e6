"""Asking a reviewer for a line of text: why a version goes back, what an operator's flag says."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from agent_console.i18n import N_, _
from agent_console.screens.translated import TranslatedBindings


class CommentDialog(TranslatedBindings, ModalScreen[str | None]):
    """One line of text; Enter gives it (not empty), Escape gives None."""

    DEFAULT_CSS = """
    CommentDialog { align: center middle; }
    CommentDialog > Vertical {
        width: 80; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    CommentDialog Label { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="comment.cancel", tooltip=N_("Say nothing")),
    ]

    def __init__(self, question: str, placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield Input(placeholder=self.placeholder, id="comment-text")

    @on(Input.Submitted, "#comment-text")
    def _given(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.notify(_("Write a few words first."), severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
