"""The operator's state and the shift at a glance, on one line at the bottom."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from agent_console.timefmt import duration

STATE_LABELS = {
    "ready": ("● Ready", "bold green"),
    "in_contact": ("● In contact", "bold cyan"),
    "on_hold": ("● On hold", "bold yellow"),
    "wrapup": ("● Wrap-up", "bold magenta"),
    "break": ("● Break", "bold blue"),
}


class OperatorStatus(Static):
    """State, time in state, who is logged in, and the queue's size and longest wait."""

    state: reactive[str] = reactive("ready")
    """The operator's state: ready / in_contact / on_hold / wrapup / break."""
    since: reactive[datetime | None] = reactive(None)
    """When the current state began."""
    now: reactive[datetime | None] = reactive(None)
    """The clock's current time."""
    waiting: reactive[int] = reactive(0)
    """How many contacts wait in the queue."""
    longest_wait_s: reactive[float] = reactive(0.0)
    """The longest wait in the queue, in seconds."""

    def __init__(self, operator_name: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.operator_name = operator_name

    def render(self) -> Text:
        label, style = STATE_LABELS.get(self.state, (self.state, "bold"))
        in_state = ""
        if self.since is not None and self.now is not None:
            in_state = " " + duration((self.now - self.since).total_seconds())
        text = Text.assemble(
            (f" {label}{in_state} ", style),
            "│ ",
            (self.operator_name, "bold"),
            " │ ",
            f"{self.waiting} waiting",
        )
        if self.waiting:
            text.append(f", longest {duration(self.longest_wait_s)}")
        return text
