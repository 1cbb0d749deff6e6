"""The wrap-up form that opens when a contact ends.

Everything is keyboard: digits pick the outcome, Tab moves through the fields, Ctrl+S saves.
What is typed is saved as a draft half a second after the last keystroke, so a console killed
mid-wrap-up reopens this form with the same content (the after-call-work timer, derived from the
event log, keeps counting). A field that is wrong is named next to it and the form stays open.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, Static

from agent_console.context import ConsoleContext
from agent_console.domain import TOPICS
from agent_console.domain.codes import outcome_label
from agent_console.domain.lifecycle import WARNING_OUTCOMES, OperatorState
from agent_console.domain.wrapup_rules import WrapUpEntry, validate
from agent_console.i18n import N_, _
from agent_console.screens.server_link import ServerLinkScreen
from agent_console.screens.translated import TranslatedBindings
from agent_console.screens.wrapup_fields import FORM_OUTCOMES, WrapUpFields
from agent_console.timefmt import duration
from agent_console.widgets.server_banner import ServerBanner
from agent_console.workers import io_work

DRAFT_DELAY_S = 0.5


@dataclass(frozen=True, slots=True)
class WrapUpSubmission:
    """What the form hands back: the entry, and a corrected talk time when one was typed."""

    entry: WrapUpEntry
    talk_s: int | None = None
    correction_reason: str = ""


def parse_duration_text(text: str) -> int | None:
    """'4:05' or '245' as seconds; None for an empty field. Raises ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    minutes, _, seconds = text.rpartition(":")
    total = int(minutes or 0) * 60 + int(seconds)
    if total < 0 or (minutes and not 0 <= int(seconds) < 60):
        raise ValueError(text)
    return total


class WrapUpScreen(TranslatedBindings, ServerLinkScreen, ModalScreen[WrapUpSubmission]):
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            N_("Save"),
            id="wrapup.save",
            tooltip=N_("Save the wrap-up"),
            priority=True,
        ),
        Binding(
            "escape",
            "skip",
            N_("Skip"),
            id="wrapup.skip",
            tooltip=N_("Skip the wrap-up (after-call work is optional here)"),
        ),
        *[
            Binding(str(n), f"outcome({n})", show=False, id=f"wrapup.outcome{n}")
            for n in range(1, len(FORM_OUTCOMES) + 1)
        ],
    ]
    DEFAULT_CSS = """
    WrapUpScreen { align: center middle; }
    WrapUpScreen > ServerBanner { width: 100; }
    WrapUpScreen > VerticalScroll {
        width: 100; height: auto; max-height: 95%; border: thick $accent; background: $surface;
        padding: 0 1;
    }
    WrapUpScreen OptionList { height: auto; border: none; }
    WrapUpScreen Horizontal { height: auto; }
    WrapUpScreen Horizontal > * { width: 1fr; }
    WrapUpScreen .error { color: $error; height: auto; display: none; }
    WrapUpScreen Label { margin-top: 1; text-style: bold; }
    """
    HELP = N_("""\
## Wrap-up

Pick the outcome with a digit (or ↑/↓ and Enter), Tab to the notes and the other fields, and
save with **Ctrl+S**. A transfer needs a target and a reason; a callback needs a time, typed in
your own time zone (the field names it).
Talk and hold times come from the log; after-call work counts while this form is open. What you
type is kept as a draft: if the console stops, the form comes back as you left it.
""")

    now: reactive[datetime | None] = reactive(None)
    """The clock's time, for the after-call-work timer."""
    outcome: reactive[str | None] = reactive(None)
    """The outcome chosen (a digit, or Enter on the list); the cursor alone chooses nothing."""

    def __init__(
        self,
        context: ConsoleContext,
        contact_id: int,
        state: OperatorState,
        topic: str | None = None,
        *,
        unsaved: WrapUpEntry | None = None,
    ) -> None:
        """`unsaved`: what the operator submitted and the store did not take (the form opens
        with it instead of the last draft)."""
        super().__init__()
        self.context = context
        self.contact_id = contact_id
        self.state = state
        self.mode = context.config.wrapup.mode
        self.limit_s = context.config.wrapup.limit_s
        self.unsaved = unsaved
        self.default_topic = topic
        self.warned_outcomes = {
            WARNING_OUTCOMES[w] for w in state.warnings if w in WARNING_OUTCOMES
        }
        self._draft_timer: Timer | None = None
        self._restoring = True

    def compose(self) -> ComposeResult:
        yield ServerBanner().data_bind(link=WrapUpScreen.server_link)
        yield WrapUpFields(warned_outcomes=self.warned_outcomes, timezone=self.context.timezone)

    def on_mount(self) -> None:
        self.query_one(WrapUpFields).border_title = _("Wrap-up — contact #{number}").format(
            number=self.contact_id
        )
        if self.default_topic in TOPICS:
            self.query_one("#wrapup-topic", Select).value = self.default_topic
        if self.state.promotion is not None:  # recorded during the contact with `o`
            self.query_one("#wrapup-promotion", Select).value = self.state.promotion
        if self.state.end_outcome in FORM_OUTCOMES:
            self.outcome = self.state.end_outcome
            self.query_one("#wrapup-outcome", OptionList).highlighted = FORM_OUTCOMES.index(
                self.state.end_outcome
            )
        self.query_one("#wrapup-outcome", OptionList).focus()
        self.tick()
        self.set_interval(1.0, self.tick)
        self.load_draft()

    def tick(self) -> None:
        """Show the talk, hold and after-call-work times as the clock has them now."""
        self.now = self.context.clock.now()

    # --- the draft ---------------------------------------------------------------------------

    @io_work(exclusive=True, group="wrapup-draft-load", background=True)
    def load_draft(self) -> None:
        if self.unsaved is not None:
            draft: dict[str, Any] | None = asdict(self.unsaved)
        else:
            draft = self.context.store.wrapups.draft(self.contact_id)
        self.post_message(self.DraftLoaded(draft))

    @dataclass
    class DraftLoaded(Message):
        """What was typed into this form before (None: nothing): the store's draft, or the
        submission whose save failed."""

        draft: dict[str, Any] | None

    @on(DraftLoaded)
    def _draft_loaded(self, message: DraftLoaded) -> None:
        draft = message.draft
        if draft:
            entry = WrapUpEntry(**draft)
            if entry.outcome in FORM_OUTCOMES:
                self.outcome = entry.outcome
            self.query_one(WrapUpFields).fill(entry)
        self.call_after_refresh(self._restored)

    def _restored(self) -> None:
        self._restoring = False

    @on(Input.Changed)
    @on(Select.Changed)
    def _field_changed(self) -> None:
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        if self._restoring:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY_S, self._save_draft)

    def _save_draft(self) -> None:
        self.save_draft(self.entry())

    @io_work(exclusive=True, group="wrapup-draft", background=True)
    def save_draft(self, entry: WrapUpEntry) -> None:
        # Should this fail (a locked or full disk, a lost server), the form keeps its text and
        # the next keystroke, Ctrl+S, or the server coming back (`server_back`) tries again.
        fields = asdict(entry)
        self.context.store.wrapups.save_draft(self.contact_id, self.context.operator.login, fields)

    def server_back(self) -> None:
        """The server answers again: what is in the form now is its draft (a draft written
        while the server was away did not reach it). A form whose draft could not be read
        reads it now, unless something was typed meanwhile (that is kept instead)."""
        super().server_back()
        entry = self.entry()
        if self._restoring and not any(asdict(entry).values()):
            self.load_draft()
            return
        self._restoring = False
        self.save_draft(entry)

    # --- the form ------------------------------------------------------------------------------

    def entry(self) -> WrapUpEntry:
        return self.query_one(WrapUpFields).entry(self.outcome)

    def watch_now(self, now: datetime | None) -> None:
        if now is None:
            return
        acw = self.state.in_state_s(now)
        times = Text()
        for label, seconds in (
            (_("Talk "), self.state.talk_s(now)),
            (_("   Hold "), self.state.hold_s(now)),
            (_("   After-call work "), acw),
        ):
            times.append(label, style="bold")
            times.append(duration(seconds))
        if self.mode == "timeboxed":
            left = self.limit_s - acw
            times.append(
                _("   closes in {time}").format(time=duration(max(0, left))),
                style="bold red" if left < 15 else "dim",
            )
            if left <= 0:
                self._close_with("timed_out")
        self.query_one("#wrapup-times", Static).update(times)

    def _close_with(self, outcome: str) -> None:
        """End the wrap-up on the mode's terms, keeping everything typed."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.dismiss(WrapUpSubmission(replace(self.entry(), outcome=outcome)))

    def action_skip(self) -> None:
        self._close_with("skipped")

    def watch_outcome(self, outcome: str | None) -> None:
        self.query_one(WrapUpFields).mark_outcome(outcome)
        if outcome is not None:
            self._show_errors({})
            self._schedule_draft()

    def action_outcome(self, number: int) -> None:
        options = self.query_one("#wrapup-outcome", OptionList)
        option = options.get_option_at_index(number - 1)
        code = FORM_OUTCOMES[number - 1]  # the option's id
        if option.disabled:
            self._show_errors(
                {
                    "outcome": _("“{outcome}” needs the warning to have been given first.").format(
                        outcome=outcome_label(code)
                    )
                }
            )
            return
        options.highlighted = number - 1
        self.outcome = code

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "outcome" and isinstance(self.focused, Input):
            return False  # digits belong to the text while typing
        if action == "skip":
            return self.mode == "optional"
        return True

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.query_one(WrapUpFields).show_errors(errors)

    def action_save(self) -> None:
        entry = self.entry()
        errors = validate(entry, self.context.clock.now())
        talk_text, reason = self.query_one(WrapUpFields).talk_correction()
        talk_s = None
        try:
            talk_s = parse_duration_text(talk_text)
        except ValueError:
            errors["talk"] = _("Give the talk time as m:ss, e.g. 4:05")
        else:
            if talk_s is not None and not reason.strip():
                errors["talk"] = _("Say why the talk time is corrected")
        if errors:
            self._show_errors(errors)
            if "outcome" in errors:
                self.query_one("#wrapup-outcome", OptionList).focus()
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.dismiss(WrapUpSubmission(entry, talk_s, reason))

    @on(OptionList.OptionSelected, "#wrapup-outcome")
    def _outcome_chosen(self, event: OptionList.OptionSelected) -> None:
        self.outcome = event.option.id
        self.query_one("#wrapup-notes", Input).focus()
