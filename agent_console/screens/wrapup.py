"""The wrap-up form that opens when a contact ends.

This first version records the outcome and notes with the talk, hold and after-call-work times
derived from the event log; transfers, promotion and the draft saved as it is typed come with
the wrap-up issue.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.domain import OUTCOMES, TRANSFER_TARGETS
from agent_console.domain.lifecycle import WARNING_OUTCOMES, OperatorState
from agent_console.timefmt import duration

# Outcomes this form can record; transfers need a target and a reason (the wrap-up issue).
FORM_OUTCOMES = [code for code in OUTCOMES if code not in ("transferred",)]
EARLY_END_OUTCOMES = set(WARNING_OUTCOMES.values())


@dataclass(frozen=True, slots=True)
class WrapUpEntry:
    outcome: str
    notes: str


class WrapUpScreen(ModalScreen[WrapUpEntry]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="wrapup.save", tooltip="Save the wrap-up", priority=True),
        *[
            Binding(str(n), f"outcome({n})", show=False, id=f"wrapup.outcome{n}")
            for n in range(1, len(FORM_OUTCOMES) + 1)
        ],
    ]
    DEFAULT_CSS = """
    WrapUpScreen { align: center middle; }
    WrapUpScreen > Vertical {
        width: 90; height: auto; border: thick $accent; background: $surface; padding: 0 1;
    }
    WrapUpScreen OptionList { height: auto; border: none; }
    WrapUpScreen .error { color: $error; }
    """
    HELP = """\
## Wrap-up

Pick the outcome (digits 1–6 or ↑/↓ and Enter), type notes, and save with **Ctrl+S**.
Talk and hold times come from the log; after-call work counts while this form is open.
"""

    now: reactive = reactive(None)
    """The clock's time, for the after-call-work timer."""
    outcome: reactive[str | None] = reactive(None)
    """The outcome chosen (a digit, or Enter on the list); the cursor alone chooses nothing."""

    def __init__(self, contact_id: int, state: OperatorState, warned: tuple[str, ...]) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.state = state
        self.warned_outcomes = {WARNING_OUTCOMES[w] for w in warned if w in WARNING_OUTCOMES}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="wrapup-times")
            yield Label("Outcome")
            yield OptionList(
                *(
                    Option(self._outcome_label(n, code, chosen=False), id=code,
                           disabled=code in EARLY_END_OUTCOMES and code not in self.warned_outcomes)
                    for n, code in enumerate(FORM_OUTCOMES, start=1)
                ),
                id="wrapup-outcome",
            )
            yield Static(id="wrapup-outcome-error", classes="error")
            yield Label("Notes")
            yield Input(placeholder="What was done, what was promised", id="wrapup-notes")
            yield Static(
                Text("Ctrl+S saves · transfers to " + " / ".join(TRANSFER_TARGETS.values())
                     + " come with the full wrap-up form", style="dim")
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = f"Wrap-up — contact #{self.contact_id}"
        options = self.query_one("#wrapup-outcome", OptionList)
        if self.state.end_outcome in FORM_OUTCOMES:
            self.outcome = self.state.end_outcome
            options.highlighted = FORM_OUTCOMES.index(self.state.end_outcome)
        options.focus()
        self.now = self.app.clock.now()
        self.set_interval(1.0, lambda: setattr(self, "now", self.app.clock.now()))

    def watch_now(self, now) -> None:
        if now is None:
            return
        times = Text()
        times.append("Talk ", style="bold")
        times.append(duration(self.state.talk_s(now)))
        times.append("   Hold ", style="bold")
        times.append(duration(self.state.hold_s(now)))
        times.append("   After-call work ", style="bold")
        times.append(duration(self.state.in_state_s(now)))
        self.query_one("#wrapup-times", Static).update(times)

    @staticmethod
    def _outcome_label(number: int, code: str, *, chosen: bool) -> Text:
        label = Text(f"{'●' if chosen else ' '} {number}  ", style="bold" if chosen else "")
        label.append(OUTCOMES[code], style="bold" if chosen else "")
        return label

    def watch_outcome(self, outcome: str | None) -> None:
        options = self.query_one("#wrapup-outcome", OptionList)
        for number, code in enumerate(FORM_OUTCOMES, start=1):
            options.replace_option_prompt(
                code, self._outcome_label(number, code, chosen=code == outcome)
            )
        if outcome is not None:
            self.query_one("#wrapup-outcome-error", Static).update("")

    def action_outcome(self, number: int) -> None:
        options = self.query_one("#wrapup-outcome", OptionList)
        option = options.get_option_at_index(number - 1)
        if option.disabled:
            self.query_one("#wrapup-outcome-error", Static).update(
                f"“{OUTCOMES[option.id]}” needs the warning to have been given first."
            )
            return
        options.highlighted = number - 1
        self.outcome = option.id

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "outcome" and isinstance(self.focused, Input):
            return False  # digits belong to the notes while typing
        return True

    def action_save(self) -> None:
        if self.outcome is None:
            self.query_one("#wrapup-outcome-error", Static).update(
                "Choose an outcome: a digit, or Enter on the list."
            )
            self.query_one("#wrapup-outcome", OptionList).focus()
            return
        self.dismiss(WrapUpEntry(self.outcome, self.query_one("#wrapup-notes", Input).value))

    @on(OptionList.OptionSelected, "#wrapup-outcome")
    def _outcome_chosen(self, event: OptionList.OptionSelected) -> None:
        self.outcome = event.option.id
        self.query_one("#wrapup-notes", Input).focus()
