"""Small modal dialogs of the work screen."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.domain import (
    CHANNELS,
    OUTCOMES,
    TRANSFER_TARGETS,
    Customer,
    HistoryEntry,
    topic_label,
)
from agent_console.domain.lifecycle import BREAK_REASONS
from agent_console.domain.placeholders import label as placeholder_label
from agent_console.text import printable
from agent_console.timefmt import duration
from agent_console.widgets.customer_card import customer_option

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 80; height: auto; max-height: 80%; border: thick $accent; background: $surface;
    padding: 0 1;
}}
{name} OptionList {{ height: auto; max-height: 12; border: none; }}
"""


class BreakDialog(ModalScreen[str | None]):
    """Pick why the operator steps away; returns the reason code or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="break.cancel", tooltip="Stay ready")
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="BreakDialog")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Take a break — why?", style="bold"))
            yield OptionList(
                *(
                    Option(f"{label}" + (f"  (up to {duration(limit)})" if limit else ""), id=code)
                    for code, (label, limit) in BREAK_REASONS.items()
                )
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Break"
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class HistoryDialog(ModalScreen[None]):
    """One earlier contact of the customer, in full."""

    BINDINGS = [
        Binding(
            "escape,enter",
            "dismiss(None)",
            "Close",
            id="history.close",
            tooltip="Back to the customer card",
        )
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="HistoryDialog")

    def __init__(self, entry: HistoryEntry, language: str = "en") -> None:
        super().__init__()
        self.entry = entry
        self.language = language

    def compose(self) -> ComposeResult:
        entry = self.entry
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        rows = [
            ("When", entry.at.strftime("%Y-%m-%d %H:%M")),
            ("Channel", CHANNELS.get(entry.channel, entry.channel)),
            ("Topic", topic_label(entry.topic, self.language)),
            ("Outcome", OUTCOMES.get(entry.outcome or "", entry.outcome or "—")),
            ("Transfer", TRANSFER_TARGETS.get(entry.transfer or "", "—")),
            ("Operator", entry.operator or "—"),
        ]
        for label, value in rows:
            table.add_row(label, Text(printable(value)))
        with Vertical():
            yield Static(table)
            yield Static(Text(printable(entry.notes) or "(no notes)"), id="history-notes")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = f"Contact #{self.entry.contact_id}"


class PromotionDialog(ModalScreen[str | None]):
    """The promotion was offered: did the customer accept or decline? Returns the answer."""

    BINDINGS = [
        Binding(
            "a",
            "dismiss('accepted')",
            "Accepted",
            id="promotion.accepted",
            tooltip="The customer accepted the offer",
        ),
        Binding(
            "d",
            "dismiss('declined')",
            "Declined",
            id="promotion.declined",
            tooltip="The customer declined the offer",
        ),
        Binding(
            "escape",
            "dismiss(None)",
            "Not yet",
            id="promotion.cancel",
            tooltip="Not offered yet: the reminder stays",
        ),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="PromotionDialog")

    def __init__(self, promotion: str) -> None:
        super().__init__()
        self.promotion = promotion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(f"“{printable(self.promotion)}” was offered. The customer…", style="bold")
            )
            yield OptionList(
                Option("accepted  (a)", id="accepted"), Option("declined  (d)", id="declined")
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Promotion"
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class FillInDialog(ModalScreen[dict[str, str] | None]):
    """Ask for the values a script needs and the console does not have (e.g. the name of a
    caller without a contract). Returns them by placeholder name, or None when cancelled."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            id="fill_in.cancel",
            tooltip="Back without using the script",
        ),
        Binding("ctrl+s", "submit", "Use", id="fill_in.submit", tooltip="Fill in and use it"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="FillInDialog")
        + """
    FillInDialog .error { color: $error; height: auto; }
    """
    )

    def __init__(self, title: str, missing: tuple[str, ...]) -> None:
        super().__init__()
        self.script_title = title
        self.missing = missing

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(f"“{printable(self.script_title, single_line=True)}” needs:", style="bold")
            )
            for number, name in enumerate(self.missing):
                yield Label(placeholder_label(name))
                yield Input(id=f"fill-{number}")
            yield Static(id="fill-error", classes="error")
            yield Static(
                Text("Enter moves on and uses it at the last field · Esc cancels", style="dim")
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Fill in"

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        values = {
            name: self.query_one(f"#fill-{number}", Input).value.strip()
            for number, name in enumerate(self.missing)
        }
        empty = [name for name, value in values.items() if not value]
        if empty:
            self.query_one("#fill-error", Static).update(
                f"Fill in: {', '.join(placeholder_label(name) for name in empty)}"
            )
            self.query_one(f"#fill-{self.missing.index(empty[0])}", Input).focus()
            return
        self.dismiss(values)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; Enter or `y` says yes, Escape or `n` says no."""

    BINDINGS = [
        Binding("y,enter", "dismiss(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("n,escape", "dismiss(False)", "No", id="confirm.no", tooltip="Stay where you are"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")

    def __init__(self, title: str, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            yield Static(
                Text.assemble(("y", "bold"), f"  {self.yes}    ", ("n", "bold"), f"  {self.no}"),
                classes="choices",
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = self.title_text


class CustomerPickDialog(ModalScreen[str | None]):
    """Several customers have the caller's address: the operator picks the one on the line.
    Returns the contract, or None (Esc) to leave the caller unknown."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Not now",
            id="customer_pick.cancel",
            tooltip="Leave the caller unknown (the card offers a search)",
        )
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="CustomerPickDialog") + (
        "CustomerPickDialog > Vertical { width: 110; }"
    )

    def __init__(self, address: str, candidates: Sequence[Customer]) -> None:
        super().__init__()
        self.address = address
        self.candidates = tuple(candidates)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text.assemble(
                    (f"{len(self.candidates)} customers have ", "bold"),
                    (printable(self.address, single_line=True), "bold"),
                    (". Who is it? ", "bold"),
                    ("↑/↓ and Enter; Esc leaves the caller unknown.", "dim"),
                )
            )
            yield OptionList(
                *(Option(customer_option(c), id=c.contract) for c in self.candidates),
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Who is calling?"
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
