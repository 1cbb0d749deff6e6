"""Caller recognition in the console (issue 12): a contact that came with an address and no
contract gets its customer when taken (one match), picked among several, or found by a search
in the card (none); and the card's notices follow the notices in force while a contact is in
hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_console.desk import Desk, DeskError
from agent_console.domain import Customer, EventType
from tests.helpers import SHIFT_NOW

PHONE = "+7 900 555-01-02"
MARKUP_NAME = "Ivan [bold red]Petrov[/] [link=x]"


def customer(contract: str, name: str, phones=(PHONE,), **fields) -> Customer:
    return Customer(
        contract,
        name,
        "Novosibirsk",
        f"ul. Titova {contract[-1]}, apt 1",
        phones=tuple(phones),
        district="Leninsky",
        **fields,
    )


def unknown_contact(store, address: str = "89005550102") -> int:
    """A call from `address`, put in the queue before its customer is known (most urgent)."""
    return store.queue.add(
        channel="phone",
        customer_contract=None,
        topic="no_internet",
        priority=1,
        created=SHIFT_NOW - timedelta(minutes=5),
        from_address=address,
    )


def identified(store, contact_id: int) -> list[dict]:
    return [
        e.payload
        for e in store.events.for_contact(contact_id)
        if e.type == EventType.CUSTOMER_IDENTIFIED
    ]


# --- the store and the desk ------------------------------------------------------------------


def test_set_customer_attaches_the_customer_and_logs_how(demo_store):
    contact_id = unknown_contact(demo_store)
    demo_store.people.upsert_customers([customer("9900000001", "Inna Zorina")])
    contact = demo_store.queue.set_customer(contact_id, "9900000001", how="searched", operator="x")
    assert (contact.customer_contract, contact.customer_name) == ("9900000001", "Inna Zorina")
    assert identified(demo_store, contact_id) == [{"contract": "9900000001", "how": "searched"}]
    with pytest.raises(LookupError):
        demo_store.queue.set_customer(contact_id, "no-such-contract", how="searched")
    assert len(identified(demo_store, contact_id)) == 1


def test_the_desk_identifies_only_a_contact_in_hand(demo_store):
    demo_store.people.upsert_customers([customer("9900000001", "Inna Zorina")])
    desk = Desk(demo_store, "anna.smirnova")
    with pytest.raises(DeskError):
        desk.identify_customer("9900000001", "searched")
    contact_id = unknown_contact(demo_store)
    desk.accept(contact_id)
    with pytest.raises(DeskError):
        desk.identify_customer("9900000001", "guessed")
    assert desk.identify_customer("9900000001", "picked").customer_contract == "9900000001"
