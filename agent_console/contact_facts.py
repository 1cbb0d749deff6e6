"""What the shift's figures need of a contact, written into its `wrapup_saved` event when the
desk saves the wrap-up, so that a report reads one event per contact (domain/figures.py)."""

from __future__ import annotations

from typing import Any

from agent_console.clock import to_text
from agent_console.domain.lifecycle import OperatorState
from agent_console.store import Store


def figure_facts(store: Store, contact_id: int, state: OperatorState) -> dict[str, Any]:
    """The contact's channel and times, its warnings, the scripts used on it and whether a
    greeting and a closing were among them, and the customer's answer to the promotion."""
    contact = store.queue.get(contact_id)
    scripts = list(state.scripts_used)
    categories = sorted(
        {c for c in (script_category(store, s) for s in scripts) if c in ("greeting", "closing")}
    )
    facts: dict[str, Any] = {
        "channel": contact.channel if contact else None,
        "created": to_text(contact.created) if contact else None,
        "accepted": to_text(state.accepted_at) if state.accepted_at else None,
        "ended": to_text(state.ended_at) if state.ended_at else None,
        "warnings": list(state.warnings),
        "scripts": scripts,
        "script_categories": categories,
    }
    if state.promotion:
        facts["promotion"] = state.promotion  # the customer's answer, as it was logged
    return facts


def script_category(store: Store, slug: str) -> str:
    """The category of the script a use event names by its slug (any language's will do)."""
    for language in ("en", "ru"):
        script = store.content.script(f"{slug}.{language}")
        if script is not None:
            return script.category
    script = store.content.script(slug)
    return script.category if script else ""
