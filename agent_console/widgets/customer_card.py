"""The active contact's customer: who they are, what they have, and their earlier contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from agent_console.domain import (
    CHANNELS,
    OUTCOMES,
    Contact,
    Customer,
    HistoryEntry,
    Notice,
    topic_label,
)
from agent_console.domain.notices import NoticeMatch, matches
from agent_console.text import counted, printable

IDLE_HINT = "No contact in hand. Press  a  to take the next one, or Enter on a row of the queue."


@dataclass(frozen=True, slots=True)
class CardData:
    """Everything the card shows, loaded in one go by the screen's worker."""

    contact: Contact
    customer: Customer | None
    history: tuple[HistoryEntry, ...]
    notices: tuple[Notice, ...]  # those in force in the customer's city
    # For a transferred contact: the sending operator's wrap-up (operator, reason, notes).
    transferred_from: dict[str, Any] | None = None

    @property
    def notice_matches(self) -> tuple[NoticeMatch, ...]:
        """The notices with what they mean for this customer: in the affected area, or only in
        its city (domain/notices.py); those of the affected area first."""
        return matches(self.notices, self.customer)

    @property
    def outage(self) -> bool:
        """The customer's address is in a notice's affected area: the outage script fits."""
        return any(found.affected for found in self.notice_matches)


def _line(*parts: tuple[str, str] | str) -> Text:
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(printable(part[0], single_line=True), style=part[1])
        else:
            text.append(printable(part, single_line=True))
    return text


def card_text(data: CardData, language: str) -> Text:
    contact, customer = data.contact, data.customer
    lines: list[Text] = []
    if customer is None:
        lines.append(
            _line(
                (contact.customer_name or "Unknown customer", "bold"),
                ("  not in the customer database", "italic dim"),
            )
        )
    else:
        # Parts are joined with " · ", never with a run of spaces: a line too long for the
        # pane is wrapped at a separator instead of losing the spaces between label and value.
        lines.append(_line((customer.name, "bold"), " · contract ", (customer.contract, "bold")))
        lines.append(_line(", ".join(p for p in (customer.city, customer.address) if p)))
        contacts = " · ".join(p for p in (customer.phone, customer.email or "") if p)
        since = f" · customer since {customer.since}" if customer.since else ""
        lines.append(_line((contacts + since, "dim")))
        lines.append(
            _line(
                "Services: ",
                (", ".join(customer.services) or "none", "cyan"),
                " · Tariff: ",
                (customer.tariff or "—", "cyan"),
            )
        )
    if data.transferred_from:
        sent = data.transferred_from
        lines.append(
            _line(
                ("↪ Transferred from the front line by ", "bold magenta"),
                (sent.get("operator") or "?", "bold"),
                ": ",
                sent.get("transfer_reason") or "",
                " — ",
                (sent.get("notes") or "", "italic"),
            )
        )
    for found in data.notice_matches:
        label = (
            ("⚠ In the affected area: ", "bold red")
            if found.affected
            else ("⚠ May be affected (same city): ", "bold yellow")
        )
        lines.append(_line(label, found.notice.text_in(language)))
    channel = CHANNELS.get(contact.channel, contact.channel)
    subject = (" · ", (contact.subject, "italic")) if contact.subject else ()
    lines.append(
        _line(("Now: ", "bold"), channel, " · ", topic_label(contact.topic, language), *subject)
    )
    return Text("\n").join(lines)


class CustomerCard(Vertical):
    """Shows `data` (None when no contact is in hand); Enter on a history row asks to open it."""

    DEFAULT_CSS = """
    #card-details {
        height: auto;
        padding: 0 1;
    }
    #card-history {
        height: 1fr;
        overflow-x: hidden;
    }
    """

    data: reactive[CardData | None] = reactive(None)
    """The active contact with its customer, history and local notices."""
    idle_hint: reactive[str] = reactive(IDLE_HINT)
    """What the card says while `data` is None (the replay says where the session is)."""
    history_shown: reactive[bool] = reactive(True)
    """Whether the customer's earlier contacts are listed (a replay carries none)."""

    @dataclass
    class HistoryOpened(Message):
        entry: HistoryEntry

    def __init__(self, language: str = "en", *, idle_hint: str = IDLE_HINT, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.language = language
        self.set_reactive(CustomerCard.idle_hint, idle_hint)

    def compose(self) -> ComposeResult:
        yield Static(Text(self.idle_hint, style="dim"), id="card-details")
        yield DataTable(id="card-history", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#card-history", DataTable)
        table.add_column("Date", key="date", width=16)
        table.add_column("Channel", key="channel", width=7)
        table.add_column("Topic", key="topic", width=18)
        table.add_column("Outcome", key="outcome", width=17)
        table.add_column("Operator", key="operator", width=14)
        table.add_column("Notes", key="notes", width=80)
        table.display = False

    def watch_data(self, data: CardData | None) -> None:
        details = self.query_one("#card-details", Static)
        table = self.query_one("#card-history", DataTable)
        table.clear()
        if data is None:
            details.update(Text(self.idle_hint, style="dim"))
            table.display = False
            self.border_subtitle = ""
            return
        details.update(card_text(data, self.language))
        table.display = self.history_shown
        for entry in data.history:
            outcome = OUTCOMES.get(entry.outcome or "", entry.outcome or "—")
            if entry.transfer:
                outcome = f"→ {entry.transfer.replace('_', ' ')}"
            table.add_row(
                entry.at.strftime("%Y-%m-%d %H:%M"),
                CHANNELS.get(entry.channel, entry.channel),
                Text(printable(topic_label(entry.topic, self.language), single_line=True)),
                outcome,
                entry.operator or "",
                Text(printable(entry.notes, single_line=True), no_wrap=True, overflow="ellipsis"),
                key=str(entry.contact_id),
            )
        self.border_subtitle = counted(len(data.history), "earlier contacts")

    def watch_idle_hint(self, hint: str) -> None:
        if self.data is None:
            self.query_one("#card-details", Static).update(Text(hint, style="dim"))

    def watch_history_shown(self, shown: bool) -> None:
        self.query_one("#card-history", DataTable).display = shown and self.data is not None

    def focus_history(self) -> None:
        """Move to the customer's earlier contacts (Enter opens one)."""
        self.query_one("#card-history", DataTable).focus()

    @on(DataTable.RowSelected, "#card-history")
    def _history_selected(self, event: DataTable.RowSelected) -> None:
        if self.data is None:
            return
        wanted = event.row_key.value  # the contact id, as `watch_data` keyed the row
        entry = next((h for h in self.data.history if str(h.contact_id) == wanted), None)
        if entry is not None:
            self.post_message(self.HistoryOpened(entry))
