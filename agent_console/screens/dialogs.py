"""Small modal dialogs of the work screen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.domain import Customer, HistoryEntry, topic_label
from agent_console.domain.codes import channel_label, outcome_label, transfer_label
from agent_console.domain.lifecycle import BREAK_REASONS
from agent_console.domain.placeholders import label as placeholder_label
from agent_console.i18n import N_, _, format_moment, ngettext
from agent_console.screens.translated import TranslatedBindings
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


def focus_next_input(form: Widget, current: Input) -> bool:
    """Enter in a form's field: on to the next field; False at the last one (the form is done)."""
    inputs = list(form.query(Input))
    index = inputs.index(current)
    if index + 1 < len(inputs):
        inputs[index + 1].focus()
        return True
    return False


def break_option(label: str, limit: int | None) -> str:
    """A break reason and how long it may last: "10-minute break  (up to 10:00)"."""
    if not limit:
        return _(label)
    return _("{reason}  (up to {limit})").format(reason=_(label), limit=duration(limit))


class BreakDialog(TranslatedBindings, ModalScreen[str | None]):
    """Pick why the operator steps away; returns the reason code or None."""

    BINDINGS = [
        Binding(
            "escape", "dismiss(None)", N_("Cancel"), id="break.cancel", tooltip=N_("Stay ready")
        )
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="BreakDialog")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Take a break — why?"), style="bold"))
            yield OptionList(
                *(
                    Option(break_option(label, limit), id=code)
                    for code, (label, limit) in BREAK_REASONS.items()
                )
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = _("Break")
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class HistoryDialog(TranslatedBindings, ModalScreen[None]):
    """One earlier contact of the customer, in full."""

    BINDINGS = [
        Binding(
            "escape,enter",
            "dismiss(None)",
            N_("Close"),
            id="history.close",
            tooltip=N_("Back to the customer card"),
        )
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="HistoryDialog")

    def __init__(self, entry: HistoryEntry, zone: tzinfo | None = None) -> None:
        """`zone`: the operator's, the contact's time is shown in it."""
        super().__init__()
        self.entry = entry
        self.zone = zone

    def compose(self) -> ComposeResult:
        entry = self.entry
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        rows = [
            (_("When"), format_moment(entry.at, self.zone)),
            (_("Channel"), channel_label(entry.channel)),
            (_("Topic"), topic_label(entry.topic)),
            (_("Outcome"), outcome_label(entry.outcome)),
            (_("Transfer"), transfer_label(entry.transfer)),
            (_("Operator"), entry.operator or "—"),
        ]
        for label, value in rows:
            table.add_row(label, Text(printable(value)))
        with Vertical():
            yield Static(table)
            yield Static(Text(printable(entry.notes) or _("(no notes)")), id="history-notes")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = _("Contact #{number}").format(
            number=self.entry.contact_id
        )


class PromotionDialog(TranslatedBindings, ModalScreen[str | None]):
    """The promotion was offered: did the customer accept or decline? Returns the answer."""

    BINDINGS = [
        Binding(
            "a",
            "dismiss('accepted')",
            N_("Accepted"),
            id="promotion.accepted",
            tooltip=N_("The customer accepted the offer"),
        ),
        Binding(
            "d",
            "dismiss('declined')",
            N_("Declined"),
            id="promotion.declined",
            tooltip=N_("The customer declined the offer"),
        ),
        Binding(
            "escape",
            "dismiss(None)",
            N_("Not yet"),
            id="promotion.cancel",
            tooltip=N_("Not offered yet: the reminder stays"),
        ),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="PromotionDialog")

    def __init__(self, promotion: str) -> None:
        super().__init__()
        self.promotion = promotion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(
                    _("“{promotion}” was offered. The customer…").format(
                        promotion=printable(self.promotion)
                    ),
                    style="bold",
                )
            )
            yield OptionList(
                Option(_("accepted  (a)"), id="accepted"),
                Option(_("declined  (d)"), id="declined"),
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = _("Promotion")
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class FillInDialog(TranslatedBindings, ModalScreen[dict[str, str] | None]):
    """Ask for the values a script needs and the console does not have (e.g. the name of a
    caller without a contract). Returns them by placeholder name, or None when cancelled."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            N_("Cancel"),
            id="fill_in.cancel",
            tooltip=N_("Back without using the script"),
        ),
        Binding(
            "ctrl+s", "submit", N_("Use"), id="fill_in.submit", tooltip=N_("Fill in and use it")
        ),
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
                Text(
                    _("“{script}” needs:").format(
                        script=printable(self.script_title, single_line=True)
                    ),
                    style="bold",
                )
            )
            for number, name in enumerate(self.missing):
                yield Label(placeholder_label(name))
                yield Input(id=f"fill-{number}")
            yield Static(id="fill-error", classes="error")
            yield Static(
                Text(_("Enter moves on and uses it at the last field · Esc cancels"), style="dim")
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = _("Fill in")

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if not focus_next_input(self, event.input):
            self.action_submit()

    def action_submit(self) -> None:
        values = {
            name: self.query_one(f"#fill-{number}", Input).value.strip()
            for number, name in enumerate(self.missing)
        }
        empty = [name for name, value in values.items() if not value]
        if empty:
            self.query_one("#fill-error", Static).update(
                _("Fill in: {names}").format(
                    names=", ".join(placeholder_label(name) for name in empty)
                )
            )
            self.query_one(f"#fill-{self.missing.index(empty[0])}", Input).focus()
            return
        self.dismiss(values)


class ConfirmDialog(TranslatedBindings, ModalScreen[bool]):
    """A yes/no question; Enter or `y` says yes, Escape or `n` says no."""

    BINDINGS = [
        Binding("y,enter", "dismiss(True)", N_("Yes"), id="confirm.yes", tooltip=N_("Go ahead")),
        Binding(
            "n,escape",
            "dismiss(False)",
            N_("No"),
            id="confirm.no",
            tooltip=N_("Stay where you are"),
        ),
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


class CustomerPickDialog(TranslatedBindings, ModalScreen[str | None]):
    """Several customers have the caller's address: the operator picks the one on the line.
    Returns the contract, or None (Esc) to leave the caller unknown."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            N_("Not now"),
            id="customer_pick.cancel",
            tooltip=N_("Leave the caller unknown (the card offers a search)"),
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
                    (
                        ngettext(
                            "{count} customer has {address}. Who is it? ",
                            "{count} customers have {address}. Who is it? ",
                            len(self.candidates),
                        ).format(
                            count=len(self.candidates),
                            address=printable(self.address, single_line=True),
                        ),
                        "bold",
                    ),
                    (_("↑/↓ and Enter; Esc leaves the caller unknown."), "dim"),
                )
            )
            yield OptionList(
                *(Option(customer_option(c), id=c.contract) for c in self.candidates),
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = _("Who is calling?")
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
