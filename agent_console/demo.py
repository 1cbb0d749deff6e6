"""The demo shift: a realistic ISP call center's data, loaded into a new database.

The data files in `demo_data/` give times relative to "now" (days ago, seconds waiting), so the
demo is always a shift in progress whatever the clock says.
"""

from __future__ import annotations

import json
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from agent_console.clock import to_text
from agent_console.domain import Customer, EventType, Operator, WrapUp
from agent_console.importers import read_articles, read_scripts
from agent_console.search import SearchIndex
from agent_console.sessions import read_sessions
from agent_console.store import Store
from agent_console.text import counted

DEMO_DIR = Path(str(files("agent_console") / "demo_data"))
# Sessions for trainers to replay, written from the seeds' stories (agent_console/sessions/).
SAMPLE_SESSIONS = DEMO_DIR / "sessions.jsonl"


def _json(name: str) -> Any:
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def _jsonl(name: str) -> list[dict[str, Any]]:
    lines = (DEMO_DIR / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_demo(store: Store, *, reset: bool = False) -> dict[str, int]:
    """Load the demo shift (after clearing everything when `reset`); one transaction."""
    articles = read_articles(sorted(DEMO_DIR.glob("articles_*.jsonl")))
    scripts = read_scripts(sorted(DEMO_DIR.glob("scripts*.jsonl")))
    samples = read_sessions([SAMPLE_SESSIONS])
    index = SearchIndex(store)
    index.ensure()
    with store.transaction():
        if reset:
            store.clear_all()
            index.clear()
        store.people.upsert_operators(Operator(**row) for row in _json("staff.json"))
        customers = [_customer(row) for row in _json("customers.json")]
        store.people.upsert_customers(customers)
        index.index("article", store.content.upsert_articles(articles))
        index.index("script", store.content.upsert_scripts(scripts))
        history = _load_history(store)
        waiting = _load_queue(store)
        notices = _load_notices(store)
        for session in samples:
            store.sessions.replace(session.info("sample"), session.events)
    return {
        "operators": len(_json("staff.json")),
        "customers": len(customers),
        "articles": len(articles),
        "scripts": len(scripts),
        "history": history,
        "waiting": waiting,
        "notices": notices,
        "sample sessions": len(samples),
    }


def not_from_demo(store: Store) -> list[str]:
    """What the database holds that the demo did not put there: what a reset would delete
    (live work, imports, people and contacts from outside). Empty: only the demo's."""
    found = []
    sessions = [s for s in store.sessions.newest_first() if s.source != "sample"]
    if sessions:
        found.append(f"{counted(len(sessions), 'sessions')} recorded or imported")
    staff = {row["login"] for row in _json("staff.json")}
    operators = [o.login for o in store.people.operators() if o.login not in staff]
    if operators:
        found.append(f"{counted(len(operators), 'operators')} not from the demo")
    contracts = [row["contract"] for row in _json("customers.json")]
    demo_customers = sum(1 for c in contracts if store.people.customer(c) is not None)
    customers = store.people.count_customers() - demo_customers
    if customers:
        found.append(f"{counted(customers, 'customers')} not from the demo")
    # The demo's contacts are its history and its queue, loaded into an empty database.
    contacts = store.queue.count_all() - len(_jsonl("history.jsonl")) - len(_jsonl("queue.jsonl"))
    if contacts > 0:
        found.append(f"{counted(contacts, 'contacts')} added since the demo was loaded")
    return found


def _customer(row: dict[str, Any]) -> Customer:
    return Customer(
        contract=row["contract"],
        name=row["name"],
        city=row.get("city", ""),
        address=row.get("address", ""),
        phone=row.get("phone", ""),
        email=row.get("email"),
        services=tuple(row.get("services", ())),
        tariff=row.get("tariff"),
        since=row.get("since"),
        language=row.get("language", "ru"),
        district=row.get("district", ""),
        phones=tuple(row.get("phones", ())),
        handles=tuple(row.get("handles", ())),
        balance=row.get("balance"),
        status=row.get("status", "active"),
    )


def _load_history(store: Store) -> int:
    """Past contacts: closed contacts with a saved wrap-up and the events that made them."""
    now = store.clock.now()
    rows = _jsonl("history.jsonl")
    for row in rows:
        created = now - timedelta(days=row["days_ago"])
        accepted = created + timedelta(seconds=20)
        ended = accepted + timedelta(seconds=row.get("talk_s", 0) + row.get("hold_s", 0))
        saved = ended + timedelta(seconds=row.get("acw_s", 0))
        contact_id = store.queue.add_handled(
            channel=row["channel"],
            customer_contract=row["contract"],
            topic=row["topic"],
            created=created,
            operator=row["operator"],
            claimed_at=accepted,
            ended_at=ended,
        )
        wrapup = WrapUp(
            contact_id=contact_id,
            operator=row["operator"],
            outcome=row["outcome"],
            topic=row["topic"],
            transfer_target=row.get("transfer"),
            promotion=row.get("promo"),
            notes=row.get("notes", ""),
            talk_s=row.get("talk_s", 0),
            hold_s=row.get("hold_s", 0),
            acw_s=row.get("acw_s", 0),
        )
        store.wrapups.add_saved(wrapup, saved)
        events = [
            (EventType.CONTACT_CREATED, created, {"channel": row["channel"]}),
            (EventType.CONTACT_ACCEPTED, accepted, {}),
            (EventType.CONTACT_ENDED, ended, {"outcome": row["outcome"]}),
            # As the desk writes it: what the shift's figures read of the contact.
            (
                EventType.WRAPUP_SAVED,
                saved,
                {
                    "outcome": row["outcome"],
                    "talk_s": wrapup.talk_s,
                    "hold_s": wrapup.hold_s,
                    "acw_s": wrapup.acw_s,
                    "transfer_target": wrapup.transfer_target,
                    "promotion": wrapup.promotion,
                    "channel": row["channel"],
                    "created": to_text(created),
                    "accepted": to_text(accepted),
                    "ended": to_text(ended),
                },
            ),
        ]
        for type_, at, payload in events:
            store.events.append(
                type_, contact_id=contact_id, operator=row["operator"], payload=payload, at=at
            )
    return len(rows)


def _load_queue(store: Store) -> int:
    """The waiting contacts, as a telephony bridge or a mail gateway sends them: each says only
    who it came from (the customer's phone, or e-mail address for an e-mail), and the caller is
    recognised by it, as `contacts add --from` does."""
    now = store.clock.now()
    rows = _jsonl("queue.jsonl")
    for row in rows:
        customer = store.people.customer(row["contract"]) if row.get("contract") else None
        sender = ""
        if customer is not None:
            sender = (customer.email if row["channel"] == "email" else None) or customer.phone
        store.queue.add(
            channel=row["channel"],
            customer_contract=None if sender else row.get("contract"),
            from_address=sender,
            topic=row["topic"],
            subject=row.get("subject", ""),
            priority=row.get("priority", 3),
            created=now - timedelta(seconds=row["waiting_s"]),
        )
    return len(rows)


def _load_notices(store: Store) -> int:
    now = store.clock.now()
    rows = _json("notices.json")
    for row in rows:
        store.notices.add(
            row["city"],
            row["text"],
            now - timedelta(hours=row["starts_hours_ago"]),
            now + timedelta(hours=row["ends_hours_ahead"]),
            districts=row.get("districts", ()),
            streets=row.get("streets", ()),
            text_ru=row.get("text_ru"),
        )
    return len(rows)


def ensure_demo(store: Store) -> bool:
    """Load the demo into an empty database; True if it did."""
    if not store.is_empty():
        return False
    load_demo(store)
    return True
