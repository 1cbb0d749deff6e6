"""A session's contacts read back from its snapshots: what a replay shows on the customer card.

A replay runs in a database that may never have seen the session's contacts or customers, so it
draws them from the `contact` and `customer` snapshots an export puts on each contact's first
event (the package docstring), as the same `Contact` and `Customer` records the live card uses;
and a practice from the `notices` in force then, not today's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agent_console.clock import from_text, to_text
from agent_console.domain import SLA_SECONDS, Contact, Customer, Event, Notice, StreetScope


@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    contact: Contact
    customer: Customer | None
    # The notices in force when the contact was taken; None when the file recorded none (it was
    # written before sessions recorded notices).
    notices: tuple[Notice, ...] | None = None


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
            contact_from(event.contact_id, event, snapshot, customer),
            customer,
            notices_from(event.payload),
        )
    return found


def contact_from(
    contact_id: int, event: Event, snapshot: dict[str, Any], customer: Customer | None
) -> Contact:
    channel = snapshot.get("channel") or "phone"
    created = from_text(snapshot["created"]) if snapshot.get("created") else event.at
    return Contact(
        id=contact_id,
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


def notice_snapshot(notice: Notice) -> dict[str, Any]:
    """A notice as a session file records it (the package docstring)."""
    return {
        "city": notice.city,
        "districts": list(notice.districts),
        "streets": [{"street": s.street, "houses": list(s.houses)} for s in notice.streets],
        "text": notice.text,
        "text_ru": notice.text_ru,
        "starts": to_text(notice.starts),
        "ends": to_text(notice.ends) if notice.ends else None,
    }


def notices_from(payload: dict[str, Any]) -> tuple[Notice, ...] | None:
    """The notices a contact's first event recorded; None when it recorded none. A file's
    notices are checked on import (importer.py): one that is not a notice here is left out."""
    recorded = payload.get("notices")
    if not isinstance(recorded, list):
        return None
    notices = []
    for data in recorded:
        try:
            notices.append(notice_from(data))
        except ValueError:
            continue
    return tuple(notices)


def notice_from(data: Any) -> Notice:
    """One recorded notice; ValueError saying what is wrong when it is not one."""
    if not isinstance(data, dict):
        raise ValueError("must be a JSON object")
    for name in ("city", "text"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise ValueError(f"{name} must be a non-empty string")
    text_ru = data.get("text_ru")
    if text_ru is not None and not isinstance(text_ru, str):
        raise ValueError("text_ru must be a string or null")
    districts = data.get("districts") or []
    if not isinstance(districts, list) or not all(isinstance(d, str) for d in districts):
        raise ValueError("districts must be a list of strings")
    return Notice(
        id=0,
        city=data["city"],
        text=data["text"],
        starts=_time(data.get("starts"), "starts"),
        ends=_time(data["ends"], "ends") if data.get("ends") is not None else None,
        districts=tuple(districts),
        streets=tuple(_street(s) for s in data.get("streets") or []),
        text_ru=text_ru,
    )


def _time(value: Any, name: str) -> datetime:
    try:
        parsed = from_text(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"{name} must be an ISO-8601 time with a zone")
    return parsed


def _street(value: Any) -> StreetScope:
    if isinstance(value, dict) and isinstance(value.get("street"), str):
        houses = value.get("houses") or []
        if isinstance(houses, list) and all(isinstance(h, str) for h in houses):
            return StreetScope(value["street"], tuple(houses))
    raise ValueError('streets must be a list of {"street": str, "houses": [str]}')
