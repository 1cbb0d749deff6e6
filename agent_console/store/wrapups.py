"""Wrap-ups: what the operator records after a contact, and closing the contact with it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from agent_console.clock import to_text
from agent_console.domain import EventType

if TYPE_CHECKING:
    from agent_console.store.store import Store


@dataclass(frozen=True, slots=True)
class WrapUp:
    contact_id: int
    operator: str
    outcome: str
    topic: str | None = None
    notes: str = ""
    transfer_target: str | None = None
    transfer_reason: str | None = None
    promotion: str | None = None
    promotion_reason: str | None = None
    callback_at: str | None = None
    talk_s: int | None = None
    hold_s: int | None = None
    acw_s: int | None = None


class WrapUpRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def save(self, wrapup: WrapUp, *, session_id: str | None = None) -> None:
        """Record the wrap-up, close the contact and log it: one transaction."""
        now = self._store.clock.now()
        row = asdict(wrapup)
        with self._store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO wrapups (contact_id, operator, state, outcome, topic,"
                " transfer_target, transfer_reason, promotion, promotion_reason, notes,"
                " callback_at, talk_s, hold_s, acw_s, saved_at)"
                " VALUES (:contact_id, :operator, 'saved', :outcome, :topic, :transfer_target,"
                " :transfer_reason, :promotion, :promotion_reason, :notes, :callback_at,"
                " :talk_s, :hold_s, :acw_s, :saved_at)",
                {**row, "saved_at": to_text(now)},
            )
            conn.execute(
                "UPDATE contacts SET status = 'closed', ended_at = coalesce(ended_at, ?)"
                " WHERE id = ?",
                (to_text(now), wrapup.contact_id),
            )
            self._store.events.append(
                EventType.WRAPUP_SAVED,
                contact_id=wrapup.contact_id,
                operator=wrapup.operator,
                session_id=session_id,
                payload={
                    "outcome": wrapup.outcome,
                    "talk_s": wrapup.talk_s,
                    "hold_s": wrapup.hold_s,
                    "acw_s": wrapup.acw_s,
                },
                at=now,
            )
