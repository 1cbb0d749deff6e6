"""The wrap-up form's fields: what they are, what they hold (`entry`), filling them from a draft,
and the error line under each. The screen around them (screens/wrapup.py) owns the outcome, the
times, the draft's saving and the keys."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from agent_console.domain import TOPICS, TRANSFER_TARGETS, topic_label
from agent_console.domain.codes import CHOSEN_OUTCOMES, transfer_label
from agent_console.domain.codes import outcome_label as outcome_name
from agent_console.domain.lifecycle import WARNING_OUTCOMES
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.i18n import N_, _
from agent_console.timezones import local_text, typed_local, zone_label

FORM_OUTCOMES = list(CHOSEN_OUTCOMES)
EARLY_END_OUTCOMES = set(WARNING_OUTCOMES.values())
PROMOTION_CHOICES = [
    (N_("Accepted"), "accepted"),
    (N_("Declined"), "declined"),
    (N_("Not offered"), "not_offered"),
]
# Fields with an error line under them, in the order they appear.
FIELDS = (
    "outcome",
    "notes",
    "topic",
    "transfer_target",
    "transfer_reason",
    "promotion",
    "promotion_reason",
    "callback_at",
    "talk",
)


def outcome_label(number: int, code: str, *, chosen: bool) -> Text:
    label = Text(f"{'●' if chosen else ' '} {number}  ", style="bold" if chosen else "")
    label.append(outcome_name(code), style="bold" if chosen else "")
    return label


def _select_value(select: Select[str]) -> str | None:
    return select.selection


class WrapUpFields(VerticalScroll):
    """The fields, top to bottom; the early-end outcomes are offered only after their warning."""

    def __init__(self, *, warned_outcomes: set[str], timezone: tzinfo) -> None:
        """`timezone`: the operator's, in which the callback time is typed and shown."""
        super().__init__()
        self.warned_outcomes = warned_outcomes
        self.timezone = timezone

    def compose(self) -> ComposeResult:
        yield Static(id="wrapup-times")
        yield Label(_("Outcome"))
        yield OptionList(
            *(
                Option(
                    outcome_label(n, code, chosen=False),
                    id=code,
                    disabled=code in EARLY_END_OUTCOMES and code not in self.warned_outcomes,
                )
                for n, code in enumerate(FORM_OUTCOMES, start=1)
            ),
            id="wrapup-outcome",
        )
        yield Static(id="wrapup-outcome-error", classes="error")
        yield Label(_("Notes"))
        yield Input(placeholder=_("What was done, what was promised"), id="wrapup-notes")
        yield Static(id="wrapup-notes-error", classes="error")
        yield Label(_("Topic"))
        yield Select(
            [(topic_label(code), code) for code in TOPICS],
            prompt=_("Topic"),
            id="wrapup-topic",
            type_to_search=True,
        )
        yield Static(id="wrapup-topic-error", classes="error")
        yield Label(_("Transfer (only to these two lines)"))
        with Horizontal():
            yield Select(
                [(transfer_label(code), code) for code in TRANSFER_TARGETS],
                prompt=_("No transfer"),
                id="wrapup-transfer-target",
            )
            yield Input(placeholder=_("Reason for the transfer"), id="wrapup-transfer-reason")
        yield Static(id="wrapup-transfer_target-error", classes="error")
        yield Static(id="wrapup-transfer_reason-error", classes="error")
        yield Label(_("Promotion “Digital TV 2.0”"))
        with Horizontal():
            yield Select(
                [(_(label), code) for label, code in PROMOTION_CHOICES],
                prompt=_("Promotion"),
                id="wrapup-promotion",
            )
            yield Input(placeholder=_("Why not offered"), id="wrapup-promotion-reason")
        yield Static(id="wrapup-promotion-error", classes="error")
        yield Static(id="wrapup-promotion_reason-error", classes="error")
        yield Label(_("Callback time (for a callback), your local time"))
        yield Input(
            placeholder=_("YYYY-MM-DD HH:MM ({zone})").format(zone=zone_label(self.timezone)),
            id="wrapup-callback",
        )
        yield Static(id="wrapup-callback_at-error", classes="error")
        yield Label(_("Talk time correction (only if the log is wrong)"))
        with Horizontal():
            yield Input(placeholder=_("m:ss"), id="wrapup-talk")
            yield Input(placeholder=_("Why (e.g. taken on another phone)"), id="wrapup-talk-reason")
        yield Static(id="wrapup-talk-error", classes="error")
        yield Static(Text(_("Ctrl+S saves · Tab moves between fields"), style="dim"))

    def entry(self, outcome: str | None) -> WrapUpEntry:
        """What the fields hold, with `outcome` (chosen on the screen)."""

        def text(selector: str) -> str:
            return self.query_one(selector, Input).value

        return WrapUpEntry(
            outcome=outcome,
            topic=_select_value(self.query_one("#wrapup-topic", Select)),
            transfer_target=_select_value(self.query_one("#wrapup-transfer-target", Select)),
            transfer_reason=text("#wrapup-transfer-reason") or None,
            promotion=_select_value(self.query_one("#wrapup-promotion", Select)),
            promotion_reason=text("#wrapup-promotion-reason") or None,
            notes=text("#wrapup-notes"),
            # Typed in the operator's zone; the entry holds it in UTC, as the store keeps it.
            callback_at=typed_local(text("#wrapup-callback"), self.timezone),
        )

    def fill(self, entry: WrapUpEntry) -> None:
        """Put a draft back in the fields (the outcome is the screen's)."""
        self.query_one("#wrapup-notes", Input).value = entry.notes or ""
        for selector, value in (
            ("#wrapup-topic", entry.topic),
            ("#wrapup-transfer-target", entry.transfer_target),
            ("#wrapup-promotion", entry.promotion),
        ):
            if value:
                self.query_one(selector, Select).value = value
        self.query_one("#wrapup-transfer-reason", Input).value = entry.transfer_reason or ""
        self.query_one("#wrapup-promotion-reason", Input).value = entry.promotion_reason or ""
        if entry.callback_at:
            # Kept in UTC (or as typed, when it was not a time yet): shown in local time.
            shown = local_text(entry.callback_at, self.timezone)
            self.query_one("#wrapup-callback", Input).value = shown

    def mark_outcome(self, outcome: str | None) -> None:
        """The dot beside the chosen outcome (the highlight alone chooses nothing)."""
        options = self.query_one("#wrapup-outcome", OptionList)
        for number, code in enumerate(FORM_OUTCOMES, start=1):
            options.replace_option_prompt(code, outcome_label(number, code, chosen=code == outcome))

    def talk_correction(self) -> tuple[str, str]:
        """The corrected talk time as typed, and why."""
        return (
            self.query_one("#wrapup-talk", Input).value,
            self.query_one("#wrapup-talk-reason", Input).value,
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for field in FIELDS:
            line = self.query_one(f"#wrapup-{field}-error", Static)
            line.update(errors.get(field, ""))
            line.display = field in errors
