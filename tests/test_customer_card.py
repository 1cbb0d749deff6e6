"""The customer card's notices: in the affected area, or only in its city; and the outage
script suggested only in the affected area."""

from __future__ import annotations

from datetime import timedelta

from agent_console.domain import Contact, Customer, Notice
from agent_console.widgets.customer_card import CardData, CustomerCard, card_text
from tests.helpers import SHIFT_NOW, SIZE, make_app, settle, suggested, take

LENINSKY = Notice(
    1,
    "Novosibirsk",
    "Fibre cut in the Leninsky district",
    SHIFT_NOW - timedelta(hours=1),
    None,
    ("Leninsky",),
    text_ru="Обрыв кабеля в Ленинском районе",
)
WHOLE_CITY = Notice(2, "Novosibirsk", "Planned works tonight", SHIFT_NOW, None)


def card(district: str, notices=(LENINSKY,)) -> CardData:
    customer = Customer(
        "5400944039", "Gennady Tarasov", "Novosibirsk", "ul. Titova 7, apt 124", district=district
    )
    contact = Contact(
        7,
        "phone",
        customer.contract,
        customer.name,
        "no_internet",
        "",
        3,
        SHIFT_NOW,
        SHIFT_NOW,
        "active",
    )
    return CardData(contact, customer, (), tuple(notices))


def test_a_customer_in_the_district_is_told_they_are_in_the_affected_area():
    data = card("Leninsky")
    shown = card_text(data, "en").plain
    assert "⚠ In the affected area: Fibre cut in the Leninsky district" in shown
    assert "May be affected" not in shown
    assert data.outage is True


def test_a_customer_elsewhere_in_the_city_only_may_be_affected():
    data = card("Tsentralny")
    shown = card_text(data, "en").plain
    assert "⚠ May be affected (same city): Fibre cut in the Leninsky district" in shown
    assert "In the affected area" not in shown
    assert data.outage is False


def test_the_affected_area_comes_first_and_the_text_follows_the_language():
    data = card("Tsentralny", notices=(LENINSKY, WHOLE_CITY))
    lines = [line for line in card_text(data, "ru").plain.splitlines() if "⚠" in line]
    assert lines == [
        "⚠ In the affected area: Planned works tonight",
        "⚠ May be affected (same city): Обрыв кабеля в Ленинском районе",
    ]
    assert data.outage is True


async def test_the_outage_script_is_suggested_in_the_affected_area_only(demo_store):
    waiting = {c.customer_contract: c for c in demo_store.queue.waiting()}
    in_district = waiting["5400632364"]  # ul. Plakhotnogo, Leninsky district
    elsewhere = waiting["5400167418"]  # ul. Ippodromskaya, Tsentralny district
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        for contact, affected in ((in_district, True), (elsewhere, False)):
            await take(pilot, contact.id)
            data = app.screen.query_one(CustomerCard).data
            assert data.contact.id == contact.id and data.outage is affected
            label = "In the affected area" if affected else "May be affected (same city)"
            assert label in card_text(data, "en").plain
            await pilot.press("1")  # the greeting said: the topic's stage
            await settle(pilot)
            assert ("outage-city" in suggested(app)) is affected
            app.screen.act(lambda: app.screen.desk.end())
            await settle(pilot)
            await pilot.press("1", "ctrl+s")  # wrap-up: resolved
            await settle(pilot)


async def test_the_history_count_agrees_with_its_number():
    from dataclasses import replace

    from textual.app import App

    from agent_console.domain import HistoryEntry

    class CardApp(App):
        def compose(self):
            yield CustomerCard(id="card")

    one = HistoryEntry(
        3, SHIFT_NOW - timedelta(days=2), "phone", "billing", "resolved", "anna.smirnova", ""
    )
    app = CardApp()
    async with app.run_test() as pilot:
        shown = app.query_one(CustomerCard)
        shown.data = replace(card("Leninsky"), history=(one,))
        await pilot.pause()
        assert shown.border_subtitle == "1 earlier contact"
        shown.data = replace(card("Leninsky"), history=(one, replace(one, contact_id=4)))
        await pilot.pause()
        assert shown.border_subtitle == "2 earlier contacts"
