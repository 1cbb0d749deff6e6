"""The card of an unknown caller (no customer has their number), with a customer search's
results in it. Review every SVG you accept."""

from __future__ import annotations

from datetime import timedelta

from tests.helpers import SHIFT_NOW, SIZE, make_app, settle, take


def test_unknown_caller_with_customers_found(snap_compare, demo_store):
    contact_id = demo_store.queue.add(
        channel="phone",
        customer_contract=None,
        topic="no_internet",
        priority=1,
        created=SHIFT_NOW - timedelta(minutes=2),
        from_address="+7 999 111-22-33",
    )

    async def search(pilot):
        await take(pilot, contact_id)
        await pilot.press("f", *"svetlana")
        await settle(pilot)

    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=search)
