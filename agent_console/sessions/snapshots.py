"""A session's contacts read back from its snapshots: what a replay shows on the customer card.

A replay runs in a database that may never have seen the session's contacts or customers, so it
draws them from the `contact` and `customer` snapshots an export puts on each contact's first
event (the package docstring), as the same `Contact` and `Customer` records the live card uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from agent_console.clock import from_text
from agent_console.domain import SLA_SECONDS, Contact, Customer, Event


@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    contact: Contact
    customer: Customer | None


def contacts_in(events: Iterable[Event]) -> dict[int, ContactSnapshot]:
    """Each contact of the session by its id in the session, from the first event carrying its
    snapshot; a contact without one (a hand-written file) is left out."""
    found: dict[int, ContactSnapshot] = {}
    for event in events:
        snapshot = event.payload.get("contact")
        if event.contact_id is None or event.contact_id in found or not isinstance(snapshot, dict):
            continue
        card = event.payload.get("customer")
        customer = customer_from(card) if isinstance(card, dict) else None
        found[event.contact_id] = ContactSnapshot(
            contact_from(event, snapshot, customer), customer
        )
    return found


def contact_from(event: Event, snapshot: dict[str, Any], customer: Customer | None) -> Contact:
    channel = snapshot.get("channel") or "phone"
    created = from_text(snapshot["created"]) if snapshot.get("created") else event.at
    return Contact(
        id=event.contact_id,
        channel=channel,
        customer_contract=snapshot.get("customer_contract"),
        customer_name=snapshot.get("customer_name") or "",
        topic=snapshot.get("topic"),
        subject=snapshot.get("subject") or "",
        priority=snapshot.get("priority") or 3,
        created=created,
        sla_due=created + timedelta(seconds=SLA_SECONDS.get(channel, 0)),
        status="active",
        claimed_by=event.operator,
        claimed_at=event.at,
        city=customer.city if customer else "",
    )


def customer_from(card: dict[str, Any]) -> Customer:
    return Customer(
        contract=card.get("contract") or "",
        name=card.get("name") or "",
        city=card.get("city") or "",
        address=card.get("address") or "",
        phone=card.get("phone") or "",
        email=card.get("email"),
        services=tuple(card.get("services") or ()),
        tariff=card.get("tariff"),
        since=card.get("since"),
        language=card.get("language") or "ru",
        district=card.get("district") or "",
    )
