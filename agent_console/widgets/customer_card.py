"""The active contact's customer: who they are, what they have, and their earlier contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.domain import Contact, Customer, HistoryEntry, Notice, topic_label
from agent_console.domain.codes import account_status_label, channel_label, outcome_label
from agent_console.domain.notices import NoticeMatch, matches
from agent_console.i18n import N_, _, format_amount, format_moment, ngettext
from agent_console.text import counted, printable

IDLE_HINT = N_(
    "No contact in hand. Press  a  to take the next one, or Enter on a row of the queue."
)

# A transfer in the history's outcome column, short: "→ tech support".
TRANSFERRED_TO = {"tech_support": N_("tech support"), "retention": N_("retention")}


@dataclass(frozen=True, slots=True)
class CardData:
    """Everything the card shows, loaded in one go by the screen's worker."""

    contact: Contact
    customer: Customer | None
    history: tuple[HistoryEntry, ...]
    notices: tuple[Notice, ...]  # those in force in the customer's city
    # For a transferred contact: the sending operator's wrap-up (operator, reason, notes).
    transferred_from: dict[str, Any] | None = None
    # A caller without a customer whose address several customers have: the operator picks.
    candidates: tuple[Customer, ...] = ()

    @property
    def unknown_caller(self) -> bool:
        """No customer, and an address to say who is calling: the card offers a search."""
        return self.customer is None and bool(self.contact.from_address)

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


def _account_line(customer: Customer) -> Text | None:
    """The balance, and the account's state when it is not active; None when neither is known."""
    parts: list[tuple[str, str] | str] = []
    if customer.balance is not None:
        if customer.balance < 0:
            owes = _("owes {amount}").format(amount=format_amount(-customer.balance))
            parts += [_("Balance: "), (owes, "bold red")]
        else:
            parts += [_("Balance: "), (format_amount(customer.balance), "bold")]
    if customer.status and customer.status != "active":
        if parts:
            parts.append(" · ")
        parts.append((f" {account_status_label(customer.status)} ", "bold white on red"))
    return _line(*parts) if parts else None


def customer_option(customer: Customer) -> Text:
    """A customer as a list of them shows one (to pick among, or found by a search): name,
    contract, address and phone; the customer's text shown as it is, never read as markup."""
    place = ", ".join(p for p in (customer.city, customer.address) if p)
    text = _line(
        (customer.name, "bold"),
        " · ",
        customer.contract,
        " · ",
        (customer.phone or "—", "dim"),
        " · ",
        place or "—",
    )
    text.no_wrap, text.overflow = True, "ellipsis"
    return text


def card_text(data: CardData, language: str) -> Text:
    contact, customer = data.contact, data.customer
    lines: list[Text] = []
    if data.unknown_caller:
        several = (
            ngettext(
                "{count} customer has this address",
                "{count} customers have this address",
                len(data.candidates),
            ).format(count=len(data.candidates))
            if data.candidates
            else _("not in the customer database")
        )
        lines.append(
            _line(
                (_("Unknown caller: "), "bold"),
                (contact.from_address, "bold"),
                " · ",
                (several, "italic dim"),
                " · ",
                ("f", "bold"),
                _(" finds the customer"),
            )
        )
    elif customer is None:
        lines.append(
            _line(
                (contact.customer_name or _("Unknown customer"), "bold"),
                ("  " + _("not in the customer database"), "italic dim"),
            )
        )
    else:
        # Parts are joined with " · ", never with a run of spaces: a line too long for the
        # pane is wrapped at a separator instead of losing the spaces between label and value.
        lines.append(_line((customer.name, "bold"), _(" · contract "), (customer.contract, "bold")))
        lines.append(_line(", ".join(p for p in (customer.city, customer.address) if p)))
        phones = (customer.phone, *(p for p in customer.phones if p != customer.phone))
        contacts = " · ".join(p for p in (*phones, customer.email or "") if p)
        since = _(" · customer since {date}").format(date=customer.since) if customer.since else ""
        lines.append(_line((contacts + since, "dim")))
        account = _account_line(customer)
        if account is not None:
            lines.append(account)
        lines.append(
            _line(
                _("Services: "),
                (", ".join(customer.services) or _("none"), "cyan"),
                _(" · Tariff: "),
                (customer.tariff or "—", "cyan"),
            )
        )
    if data.transferred_from:
        sent = data.transferred_from
        lines.append(
            _line(
                (_("↪ Transferred from the front line by "), "bold magenta"),
                (sent.get("operator") or "?", "bold"),
                ": ",
                sent.get("transfer_reason") or "",
                " — ",
                (sent.get("notes") or "", "italic"),
            )
        )
    for found in data.notice_matches:
        label = (
            (_("⚠ In the affected area: "), "bold red")
            if found.affected
            else (_("⚠ May be affected (same city): "), "bold yellow")
        )
        lines.append(_line(label, found.notice.text_in(language)))
    channel = channel_label(contact.channel)
    subject = (" · ", (contact.subject, "italic")) if contact.subject else ()
    lines.append(_line((_("Now: "), "bold"), channel, " · ", topic_label(contact.topic), *subject))
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
    #card-search {
        margin: 0 1;
    }
    #card-found {
        height: 1fr;
        border: none;
        padding: 0 1;
    }
    """

    data: reactive[CardData | None] = reactive(None)
    """The active contact with its customer, history and local notices."""
    idle_hint: reactive[str] = reactive(IDLE_HINT)
    """What the card says while `data` is None (the replay says where the session is)."""
    history_shown: reactive[bool] = reactive(True)
    """Whether the customer's earlier contacts are listed (a replay carries none)."""

    found: reactive[tuple[Customer, ...] | None] = reactive(None)
    """The customers the search in the card found (None: nothing searched yet)."""

    @dataclass
    class HistoryOpened(Message):
        entry: HistoryEntry

    @dataclass
    class CustomerSearched(Message):
        """The operator typed `query` in the search for an unknown caller's customer."""

        query: str

    @dataclass
    class CustomerChosen(Message):
        """The operator chose the unknown caller's customer among those found."""

        contract: str

    def __init__(
        self,
        language: str = "en",
        *,
        idle_hint: str = IDLE_HINT,
        search: bool = False,
        zone: tzinfo | None = None,
        **kwargs: Any,
    ) -> None:
        """`search`: an unknown caller's card offers a customer search (the work screen does
        the searching: the card posts what was typed and shows `found`); `zone`: the
        operator's, the history's times are shown in it."""
        super().__init__(**kwargs)
        self.language = language
        self.zone = zone
        self.search = search
        self.set_reactive(CustomerCard.idle_hint, idle_hint)

    def compose(self) -> ComposeResult:
        yield Static(Text(_(self.idle_hint), style="dim"), id="card-details")
        search = Input(
            placeholder=_("Find the customer: name, contract, phone, e-mail or address"),
            id="card-search",
        )
        search.display = False
        yield search
        found = OptionList(id="card-found", markup=False)
        found.display = False
        yield found
        yield DataTable(id="card-history", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#card-history", DataTable)
        table.add_column(_("Date"), key="date", width=16)
        table.add_column(_("Channel"), key="channel", width=7)
        table.add_column(_("Topic"), key="topic", width=18)
        table.add_column(_("Outcome"), key="outcome", width=17)
        table.add_column(_("Operator"), key="operator", width=14)
        table.add_column(_("Notes"), key="notes", width=80)
        table.display = False

    def watch_data(self, old: CardData | None, data: CardData | None) -> None:
        details = self.query_one("#card-details", Static)
        table = self.query_one("#card-history", DataTable)
        table.clear()
        searching = self.search and data is not None and data.unknown_caller
        search = self.query_one("#card-search", Input)
        if search.has_focus and not searching:
            # The customer was found: on to their history, as F4 goes.
            self.focus_history()
        if not searching or old is None or data is None or old.contact.id != data.contact.id:
            search.value = ""
            self.found = None
        search.display = searching
        self.query_one("#card-found", OptionList).display = searching
        if data is None:
            details.update(Text(_(self.idle_hint), style="dim"))
            table.display = False
            self.border_subtitle = ""
            return
        details.update(card_text(data, self.language))
        table.display = self.history_shown and not searching
        for entry in data.history:
            outcome = outcome_label(entry.outcome)
            if entry.transfer:
                to = TRANSFERRED_TO.get(entry.transfer)
                outcome = f"→ {_(to) if to else entry.transfer.replace('_', ' ')}"
            table.add_row(
                format_moment(entry.at, self.zone),
                channel_label(entry.channel),
                Text(printable(topic_label(entry.topic), single_line=True)),
                outcome,
                entry.operator or "",
                Text(printable(entry.notes, single_line=True), no_wrap=True, overflow="ellipsis"),
                key=str(entry.contact_id),
            )
        self.border_subtitle = "" if searching else counted(len(data.history), "earlier contacts")

    def watch_idle_hint(self, hint: str) -> None:
        if self.data is None:
            self.query_one("#card-details", Static).update(Text(_(hint), style="dim"))

    def watch_history_shown(self, shown: bool) -> None:
        data = self.data
        searching = self.search and data is not None and data.unknown_caller
        self.query_one("#card-history", DataTable).display = (
            shown and data is not None and not searching
        )

    # --- an unknown caller's customer ------------------------------------------------------------

    @property
    def search_query(self) -> str:
        """What is typed in the customer search."""
        return self.query_one("#card-search", Input).value

    def focus_search(self) -> bool:
        """Move to the customer search; False when the card offers none (a known customer)."""
        search = self.query_one("#card-search", Input)
        if not search.display:
            return False
        search.focus()
        return True

    def watch_found(self, found: tuple[Customer, ...] | None) -> None:
        results = self.query_one("#card-found", OptionList)
        results.clear_options()
        if found is None:
            return
        if not found:
            results.add_option(
                Option(Text(_("No customer found."), style="dim italic"), disabled=True)
            )
            return
        results.add_options(Option(customer_option(c), id=c.contract) for c in found)
        results.highlighted = 0

    @on(Input.Changed, "#card-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.CustomerSearched(event.value))

    @on(Input.Submitted, "#card-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search takes the highlighted customer found (the first, unless the
        operator moved down the list)."""
        event.stop()
        results = self.query_one("#card-found", OptionList)
        if results.highlighted is None:
            return
        option = results.get_option_at_index(results.highlighted)
        if option.id is not None:
            self.post_message(self.CustomerChosen(option.id))

    def on_key(self, event: Any) -> None:
        """↓ and ↑ in the search move along the customers found."""
        search = self.query_one("#card-search", Input)
        if not search.has_focus or event.key not in ("down", "up"):
            return
        results = self.query_one("#card-found", OptionList)
        if results.option_count:
            event.stop()
            event.prevent_default()
            if event.key == "down":
                results.action_cursor_down()
            else:
                results.action_cursor_up()

    @on(OptionList.OptionSelected, "#card-found")
    def _found_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.CustomerChosen(event.option.id))

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
