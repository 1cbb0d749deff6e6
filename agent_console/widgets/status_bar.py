"""The operator's state and the shift at a glance, on one line at the bottom."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from agent_console.domain import OperatorFigures
from agent_console.domain.lifecycle import BREAK_REASONS, IN_CONTACT, OperatorState, State
from agent_console.i18n import N_, _, ngettext, pgettext
from agent_console.text import counted
from agent_console.timefmt import duration

# The warnings an operator may give (DOMAIN.md), as the status line names them.
# In a context of their own: the status line has little room, the timeline more.
WARNING_NAMES = {
    "profanity": lambda: pgettext("status line", "profanity"),
    "repeated": lambda: pgettext("status line", "repeated question"),
}

STATE_LABELS = {
    State.READY: (N_("Ready"), "bold green"),
    State.IN_CONTACT: (N_("In contact"), "bold cyan"),
    State.ON_HOLD: (N_("On hold"), "bold yellow"),
    State.WRAPUP: (N_("Wrap-up"), "bold magenta"),
    State.BREAK: (N_("Break"), "bold blue"),
}


class OperatorStatus(Static):
    """State and time in state (red once a break runs over), talk and hold timers, the queue."""

    operator_state: reactive[OperatorState] = reactive(OperatorState)
    """The operator's state, derived from the event log."""
    now: reactive[datetime | None] = reactive(None)
    """The clock's current time."""
    waiting: reactive[int | None] = reactive(0)
    """How many contacts wait in the queue (None: no queue to show, as in a replay)."""
    longest_wait_s: reactive[float] = reactive(0.0)
    """The longest wait in the queue, in seconds."""
    figures: reactive[OperatorFigures] = reactive(OperatorFigures)
    """The operator's wrap-ups this shift: count and average talk and handle times."""
    database_busy: reactive[bool] = reactive(False)
    """An action has waited over a second for the database (another program holds it)."""
    written: reactive[bool] = reactive(False)
    """The contact in hand is a chat, an e-mail or a social message: it is handled, not talked
    (and never held)."""

    def __init__(self, operator_name: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operator_name = operator_name

    @property
    def state(self) -> str:
        return self.operator_state.state

    def render(self) -> Text:
        current, now = self.operator_state, self.now
        label, style = STATE_LABELS.get(current.state, (current.state, "bold"))
        label = "● " + _(label)
        if current.break_reason:
            reason = BREAK_REASONS.get(current.break_reason, (current.break_reason,))[0]
            label += f" ({_(reason)})"
        text = Text()
        if self.database_busy:
            text.append(_(" ⧗ waiting for the database… "), style="bold black on yellow")
        text.append(f" {label}", style=style)
        if now is not None and current.since is not None:
            overrun = current.break_overrun(now)
            # In a contact, the contact's own time: the state's would start again after a hold.
            shown_s = (
                current.contact_s(now) if current.state == IN_CONTACT else current.in_state_s(now)
            )
            text.append(f" {duration(shown_s)} ", style="bold white on red" if overrun else style)
            if current.accepted_at is not None:
                text.append(_("│ handle ") if self.written else _("│ talk "))
                text.append(duration(current.talk_s(now)), style="bold")
                if current.holds:
                    text.append(_(" · hold "))
                    text.append(duration(current.hold_s(now)), style="bold yellow")
                text.append(" ")
            if current.warnings:
                warned = ", ".join(
                    WARNING_NAMES[w]() if w in WARNING_NAMES else w for w in current.warnings
                )
                text.append(
                    _("│ warned: {warnings} ").format(warnings=warned), style="bold dark_orange"
                )
        text.append("│ ")
        text.append(self.operator_name, style="bold")
        figures = self.figures
        if figures.contacts:
            text.append(
                _(" │ shift: {contacts}, avg talk {talk}, avg handle {handle}").format(
                    contacts=counted(figures.contacts, "contacts"),
                    talk=duration(figures.talk_s_avg),
                    handle=duration(figures.handle_s_avg),
                )
            )
        if self.waiting is None:  # a replay: there is no queue
            return text
        text.append(
            ngettext(" │ {count} waiting", " │ {count} waiting", self.waiting).format(
                count=self.waiting
            )
        )
        if self.waiting:
            text.append(_(", longest {wait}").format(wait=duration(self.longest_wait_s)))
        return text
