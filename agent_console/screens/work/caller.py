"""The work screen's unknown callers: a contact that came with an address and no contract gets
its customer when taken (the one customer with that address, recognised by the footing in
`base.py`), picked among several in a dialog, or found by a search in the card."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.worker import get_current_worker

from agent_console.context import ConsoleContext
from agent_console.domain import Customer
from agent_console.domain.lifecycle import OperatorState
from agent_console.screens.work.wrapup import WrapUpPart
from agent_console.widgets.customer_card import CardData, CustomerCard
from agent_console.workers import io_work


class CallerPart(WrapUpPart):
    @dataclass
    class CustomersFound(Message):
        """What the card's customer search found for `query` (None: nothing asked)."""

        query: str
        customers: list[Customer] | None

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__(context)
        # The contact whose several candidates the operator was asked to pick among (once).
        self._asked_to_pick: int | None = None

    def state_changed(self, state: OperatorState) -> None:
        super().state_changed(state)
        card = self.in_hand
        if card is None:
            self._asked_to_pick = None
        elif card.candidates and card.customer is None and self._asked_to_pick != card.contact.id:
            self._asked_to_pick = card.contact.id
            self._ask_to_pick(card)

    def _ask_to_pick(self, card: CardData) -> None:
        from agent_console.screens.dialogs import CustomerPickDialog

        contact_id = card.contact.id

        def picked(contract: str | None) -> None:
            in_hand = self.in_hand
            if contract and in_hand is not None and in_hand.contact.id == contact_id:
                self.identify_customer(contract, "picked")

        self.app.push_screen(
            CustomerPickDialog(card.contact.from_address, card.candidates), callback=picked
        )

    def identify_customer(self, contract: str, how: str) -> None:
        self.act(lambda: self.desk.identify_customer(contract, how))

    def action_find_customer(self) -> None:
        self.query_one(CustomerCard).focus_search()

    @on(CustomerCard.CustomerSearched)
    def _customer_searched(self, message: CustomerCard.CustomerSearched) -> None:
        self.find_customers(message.query)

    @io_work(exclusive=True, group="customer-search")
    def find_customers(self, query: str) -> None:
        found = self.store.people.find_customers(query) if query.strip() else None
        if not get_current_worker().is_cancelled:
            self.post_message(self.CustomersFound(query, found))

    @on(CustomersFound)
    def _show_found(self, message: CustomersFound) -> None:
        card = self.query_one(CustomerCard)
        if card.search_query == message.query:  # not an answer to something typed before
            card.found = tuple(message.customers) if message.customers is not None else None

    @on(CustomerCard.CustomerChosen)
    def _customer_chosen(self, message: CustomerCard.CustomerChosen) -> None:
        self.identify_customer(message.contract, "searched")
