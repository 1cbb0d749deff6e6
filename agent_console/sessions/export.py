"""Sessions out of the store, as the self-contained lines the package docstring describes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from agent_console.clock import to_text
from agent_console.domain import Event, EventType
from agent_console.sessions.redact import Redactor
from agent_console.sessions.snapshots import notice_snapshot
from agent_console.store import Store
from agent_console.store.sessions import SessionInfo


class UnknownSession(LookupError):
    """Asked to export sessions the database does not hold."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        super().__init__(f"no session {', '.join(ids)}")


def export_lines(
    store: Store, session_ids: Iterable[str], *, redact: bool = False
) -> list[dict[str, Any]]:
    """Every event of the sessions, as lines to write one per line; all sessions or none."""
    wanted = list(dict.fromkeys(session_ids))
    sessions = [store.sessions.get(session_id) for session_id in wanted]
    missing = [i for i, found in zip(wanted, sessions, strict=True) if found is None]
    if missing:
        raise UnknownSession(missing)
    lines = [
        line
        for session in sessions
        if session is not None  # all are, by now
        for line in session_lines(store, session)
    ]
    if redact:
        redactor = Redactor(store.sessions.customers(), present=customers_in(lines))
        lines = [redactor.line(line) for line in lines]
    return lines


def session_events(store: Store, session: SessionInfo) -> list[Event]:
    """The session's events, self-contained: what a replay plays and an export writes."""
    events = store.sessions.events(session)
    if session.is_live:
        # An imported session carries its snapshots already; its contact ids mean nothing here.
        events = with_snapshots(store, events)
    return events


def session_lines(store: Store, session: SessionInfo) -> list[dict[str, Any]]:
    return [header_line(session), *(event_line(event) for event in session_events(store, session))]


def header_line(session: SessionInfo) -> dict[str, Any]:
    started = to_text(session.started)
    return {
        "id": None,
        "session_id": session.id,
        "contact_id": None,
        "operator": session.operator,
        "at": started,
        "type": str(EventType.SESSION_STARTED),
        "payload": {
            "title": session.title,
            "source": session.source,
            "operator": session.operator,
            "started": started,
            "ended": to_text(session.ended) if session.ended else None,
        },
    }


def event_line(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "session_id": event.session_id,
        "contact_id": event.contact_id,
        "operator": event.operator,
        "at": to_text(event.at),
        "type": str(event.type),
        "payload": event.payload,
    }


def with_snapshots(store: Store, events: list[Event]) -> list[Event]:
    """A live session's events with the contact and customer snapshots and the notices then in
    force on each contact's first event, and the saved form on each wrap-up: what the live log
    leaves in other tables."""
    seen: set[int] = set()
    out = []
    for event in events:
        payload = event.payload
        if event.contact_id is not None and event.contact_id not in seen:
            seen.add(event.contact_id)
            contact = store.sessions.contact_snapshot(event.contact_id)
            if contact is not None and "contact" not in payload:
                customer = store.sessions.customer_snapshot(contact["customer_contract"])
                notices = [notice_snapshot(n) for n in store.notices.in_force_at(event.at)]
                payload = {**payload, "contact": contact, "customer": customer, "notices": notices}
        if event.type == EventType.WRAPUP_SAVED and event.contact_id is not None:
            payload = {**store.sessions.wrapup_fields(event.contact_id), **payload}
        out.append(replace(event, payload=payload) if payload is not event.payload else event)
    return out


def customers_in(lines: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The customers the lines name in their snapshots: the cards and the contacts' names."""
    found = []
    for line in lines:
        payload = line["payload"]
        if isinstance(payload.get("customer"), dict):
            found.append(payload["customer"])
        contact = payload.get("contact")
        if isinstance(contact, dict) and contact.get("customer_name"):
            found.append(
                {"name": contact["customer_name"], "contract": contact.get("customer_contract")}
            )
    return found
