"""Caller recognition in the console (issue 12): a contact that came with an address and no
contract gets its customer when taken (one match), picked among several, or found by a search
in the card (none); and the card's notices follow the notices in force while a contact is in
hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_console.desk import Desk, DeskError
from agent_console.domain import Customer, EventType
from agent_console.screens.dialogs import CustomerPickDialog
from agent_console.widgets.customer_card import CustomerCard, card_text
from agent_console.widgets.queue_table import QueueTable
from tests.helpers import SHIFT_NOW, SIZE, make_app, settle, take, tick

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


def card_of(app):
    return app.screen.query_one(CustomerCard).data


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


# --- one match, several, none ----------------------------------------------------------------


async def test_one_match_opens_the_card_on_the_customer(demo_store):
    contact_id = unknown_contact(demo_store)
    # The customers came after the contact: it waits without a contract.
    demo_store.people.upsert_customers(
        [
            customer(
                "9900000001",
                "Inna Zorina",
                phones=(PHONE, "+7 913 000-00-01"),
                balance=-340.5,
                status="blocked_nonpayment",
            )
        ]
    )
    assert demo_store.queue.get(contact_id).customer_contract is None
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, contact_id)
        data = card_of(app)
        assert data.contact.id == contact_id
        assert data.customer is not None and data.customer.contract == "9900000001"
        shown = card_text(data, "en").plain
        assert "Inna Zorina · contract 9900000001" in shown
        assert "+7 900 555-01-02 · +7 913 000-00-01" in shown  # the other phone too
        assert "Balance: owes 340.50" in shown
        assert "Blocked for non-payment" in shown and "blocked_nonpayment" not in shown
        assert "⚠ In the affected area" in shown or "⚠ May be affected" in shown
    assert demo_store.queue.get(contact_id).customer_contract == "9900000001"
    assert identified(demo_store, contact_id) == [{"contract": "9900000001", "how": "recognised"}]


async def test_several_matches_the_operator_picks_with_the_keys(demo_store):
    demo_store.people.upsert_customers(
        [customer("9900000001", MARKUP_NAME), customer("9900000002", "Inna Zorina")]
    )
    contact_id = unknown_contact(demo_store)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, contact_id)
        dialog = app.screen
        assert isinstance(dialog, CustomerPickDialog)
        from textual.widgets import OptionList

        options = dialog.query_one(OptionList)
        first = options.get_option_at_index(0).prompt
        # Name, contract, address and phone; the name as it is, never read as markup.
        assert first.plain == (
            f"{MARKUP_NAME} · 9900000001 · {PHONE} · Novosibirsk, ul. Titova 1, apt 1"
        )
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, CustomerPickDialog)
        assert card_of(app).customer.contract == "9900000002"
    assert identified(demo_store, contact_id) == [{"contract": "9900000002", "how": "picked"}]


async def test_escape_leaves_the_caller_unknown_and_the_name_is_shown_literally(demo_store):
    demo_store.people.upsert_customers(
        [customer("9900000001", MARKUP_NAME), customer("9900000002", "Inna Zorina")]
    )
    contact_id = unknown_contact(demo_store)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, contact_id)
        await pilot.press("escape")
        await settle(pilot)
        data = card_of(app)
        assert data.customer is None
        assert "Unknown caller: 89005550102" in card_text(data, "en").plain
        assert app.screen.query_one(CustomerCard).focus_search()
        await pilot.press(*"bold", "space", *"petrov")
        await settle(pilot)
        found = app.screen.query_one(CustomerCard).found
        assert [c.name for c in found] == [MARKUP_NAME]
        await pilot.press("enter")
        await settle(pilot)
        assert card_of(app).customer.name == MARKUP_NAME
        assert MARKUP_NAME in card_text(card_of(app), "en").plain
    assert identified(demo_store, contact_id) == [{"contract": "9900000001", "how": "searched"}]


async def test_no_match_the_card_offers_a_search_and_enter_attaches(demo_store):
    demo_store.people.upsert_customers([customer("9900000001", "Inna Zorina", phones=())])
    contact_id = unknown_contact(demo_store, "+7 999 111-22-33")
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The queue shows who the caller is as the channel gave it.
        row = next(c for c in app.screen.query_one(QueueTable).contacts if c.id == contact_id)
        assert app.screen.query_one(QueueTable).cells(row)["customer"].text == "+7 999 111-22-33"
        await take(pilot, contact_id)
        assert not isinstance(app.screen, CustomerPickDialog)
        shown = card_text(card_of(app), "en").plain
        assert shown.startswith("Unknown caller: +7 999 111-22-33")
        await pilot.press("f")
        search = app.screen.query_one("#card-search")
        assert search.has_focus
        await pilot.press(*"zorina")
        await settle(pilot)
        assert [c.contract for c in app.screen.query_one(CustomerCard).found] == ["9900000001"]
        await pilot.press("enter")
        await settle(pilot)
        data = card_of(app)
        assert data.customer.contract == "9900000001"
        assert not search.display  # the search goes with the unknown caller
        assert app.screen.check_action("find_customer", ()) is False
    assert identified(demo_store, contact_id) == [{"contract": "9900000001", "how": "searched"}]


# --- notices while a contact is in hand ------------------------------------------------------


async def test_a_notice_appears_and_ends_on_the_card_while_in_contact(demo_store, clock):
    demo_store.people.upsert_customers([customer("9900000001", "Inna Zorina")])
    contact_id = unknown_contact(demo_store)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, contact_id)
        before = card_text(card_of(app), "en").plain
        assert "Burst water main" not in before
        demo_store.notices.add(
            "Novosibirsk",
            "Burst water main on ul. Titova",
            ends=SHIFT_NOW + timedelta(minutes=10),
            districts=["Leninsky"],
        )
        await tick(pilot)
        shown = card_text(card_of(app), "en").plain
        assert "⚠ In the affected area: Burst water main on ul. Titova" in shown
        # Its end comes with no change to the database: the tick reads the notices again.
        clock.advance(11 * 60)
        await tick(pilot)
        assert "Burst water main" not in card_text(card_of(app), "en").plain
        assert card_of(app).contact.id == contact_id


async def test_a_notice_ended_from_outside_leaves_the_card(demo_store):
    demo_store.people.upsert_customers([customer("9900000001", "Inna Zorina")])
    notice_id = demo_store.notices.add(
        "Novosibirsk", "Burst water main on ul. Titova", districts=["Leninsky"]
    )
    contact_id = unknown_contact(demo_store)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, contact_id)
        assert "Burst water main" in card_text(card_of(app), "en").plain
        demo_store.notices.end(notice_id)
        await tick(pilot)
        assert "Burst water main" not in card_text(card_of(app), "en").plain
