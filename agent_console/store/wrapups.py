"""Wrap-ups: what the operator records after a contact, and closing the contact with it.

A wrap-up row lives in two states. While the form is open it is a 'draft', rewritten as the
operator types, so a crash or a kill -9 loses nothing; ctrl+s turns it into 'saved' in the same
transaction that closes the contact and logs it. A saved row is final: drafts never overwrite it
and it is not saved twice (a second save would hand the customer to another line twice).

Card numbers are masked in every free-text field before any of it reaches the file, drafts
included: the database, its exports and replays never hold a full card number.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agent_console.clock import to_text
from agent_console.domain import TRANSFER_TARGETS, EventType
from agent_console.domain.models import OperatorFigures, WrapUp
from agent_console.domain.personal_data import mask_card_numbers
from agent_console.domain.wrapup_rules import parse_callback_at
from agent_console.store.connection import named_rows

if TYPE_CHECKING:
    import sqlite3

    from agent_console.store.store import Store

# The fields of the form that a draft keeps (WrapUpEntry in domain/wrapup_rules.py).
DRAFT_FIELDS = (
    "outcome",
    "topic",
    "transfer_target",
    "transfer_reason",
    "promotion",
    "promotion_reason",
    "notes",
    "callback_at",
)
# Where an operator may paste what a customer read out.
FREE_TEXT_FIELDS = ("notes", "transfer_reason", "promotion_reason")
TRANSFER_OUTCOME = "transferred"
TRANSFER_SUBJECT = "Transferred from front line"


# One saved wrap-up row, from the fields of a WrapUp (after `prepare_fields`) and saved_at.
SAVE_WRAPUP = (
    "INSERT OR REPLACE INTO wrapups (contact_id, operator, state, outcome, topic,"
    " transfer_target, transfer_reason, promotion, promotion_reason, notes,"
    " callback_at, talk_s, hold_s, acw_s, talk_s_logged, talk_correction_reason,"
    " saved_at)"
    " VALUES (:contact_id, :operator, 'saved', :outcome, :topic, :transfer_target,"
    " :transfer_reason, :promotion, :promotion_reason, :notes, :callback_at,"
    " :talk_s, :hold_s, :acw_s, :talk_s_logged, :talk_correction_reason, :saved_at)"
)


class WrapUpAlreadySaved(ValueError):
    """The contact's wrap-up was saved before; a saved wrap-up is final."""


def prepare_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The fields as the store writes them: card numbers masked in the free-text ones (with how
    many were masked) and a callback time, datetime or ISO text, turned into the store's text."""
    masked = dict(fields)
    total = 0
    for name in FREE_TEXT_FIELDS:
        if isinstance(masked.get(name), str):
            masked[name], count = mask_card_numbers(masked[name])
            total += count
    when = _time_or_none(masked.get("callback_at"))
    if when is not None:
        masked["callback_at"] = to_text(when)
    return masked, total


def _time_or_none(value: Any) -> datetime | None:
    """A callback time to keep as the store's sortable UTC text; None for text that is not a
    time yet (a draft half typed), which is kept as it was typed."""
    try:
        return parse_callback_at(value)
    except ValueError:
        return None


def figures_from_row(row: sqlite3.Row) -> OperatorFigures:
    return OperatorFigures(
        contacts=row["contacts"],
        talk_s_avg=row["talk_s_avg"] or 0.0,
        handle_s_avg=row["handle_s_avg"] or 0.0,
    )


class WrapUpRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def saved(self, contact_id: int) -> dict[str, Any] | None:
        """The saved wrap-up of a contact (who, outcome, transfer, notes), or None."""
        row = self._store.query(
            "SELECT operator, outcome, transfer_target, transfer_reason, notes FROM wrapups"
            " WHERE contact_id = ? AND state = 'saved'",
            (contact_id,),
        ).fetchone()
        return dict(row) if row else None

    def operator_figures(self, operator: str, since: datetime) -> OperatorFigures:
        row = self._store.query(
            "SELECT count(*) AS contacts, avg(talk_s) AS talk_s_avg,"
            " avg(coalesce(talk_s, 0) + coalesce(hold_s, 0) + coalesce(acw_s, 0)) AS handle_s_avg"
            " FROM wrapups WHERE operator = ? AND state = 'saved' AND saved_at >= ?",
            (operator, to_text(since)),
        ).fetchone()
        return figures_from_row(row)

    # --- drafts ---------------------------------------------------------------------------------

    def save_draft(self, contact_id: int, operator: str, fields: dict[str, Any]) -> int:
        """Keep what the form holds now; returns how many card numbers were masked.

        Only the fields given are written, so a form may send just what changed; None clears a
        field. A contact whose wrap-up is already saved is left untouched.
        """
        unknown = set(fields) - set(DRAFT_FIELDS)
        if unknown:
            raise ValueError(f"not wrap-up draft fields: {', '.join(sorted(unknown))}")
        values, masked = prepare_fields(fields)
        if "notes" in values and values["notes"] is None:
            values["notes"] = ""  # the column is NOT NULL; an empty form has empty notes
        columns = list(values)
        # The names are from DRAFT_FIELDS, checked above: never the caller's text.
        insert = ", ".join(["contact_id", "operator", "state", *columns])
        marks = ", ".join(["?", "?", "'draft'", *("?" * len(columns))])
        updates = ", ".join(f"{c} = excluded.{c}" for c in ["operator", *columns])
        with self._store.transaction() as conn:
            conn.execute(
                f"INSERT INTO wrapups ({insert}) VALUES ({marks})"
                f" ON CONFLICT (contact_id) DO UPDATE SET {updates} WHERE wrapups.state = 'draft'",
                (contact_id, operator, *values.values()),
            )
        return masked

    def draft(self, contact_id: int) -> dict[str, Any] | None:
        """The unsaved draft of a contact's wrap-up (keys: DRAFT_FIELDS); None if there is none
        or the wrap-up is already saved."""
        row = self._store.query(
            f"SELECT {', '.join(DRAFT_FIELDS)} FROM wrapups"
            " WHERE contact_id = ? AND state = 'draft'",
            (contact_id,),
        ).fetchone()
        return dict(row) if row else None

    # --- saving ---------------------------------------------------------------------------------

    def save(
        self,
        wrapup: WrapUp,
        *,
        session_id: str | None = None,
        facts: dict[str, Any] | None = None,
    ) -> int:
        """Record the wrap-up, close the contact, hand it on if transferred, and log it: one
        transaction. Returns how many card numbers were masked, for the operator to be told.

        The `wrapup_saved` event carries what the shift's figures need of the contact
        (domain/figures.py): the form's transfer and promotion, and the caller's `facts` (the
        desk's: channel, times, warnings, scripts used).

        Raises WrapUpAlreadySaved for a second save, and ValueError for a transfer to anything
        but technical support or retention (the form's validation says so first).
        """
        if wrapup.outcome == TRANSFER_OUTCOME:
            if wrapup.transfer_target not in TRANSFER_TARGETS:
                raise ValueError(f"cannot transfer to {wrapup.transfer_target!r}")
        else:
            # The customer's history shows a transfer wherever a target is set: only a
            # transferred contact keeps one, whatever the form held before the outcome changed.
            wrapup = replace(wrapup, transfer_target=None, transfer_reason=None)
        row, masked = prepare_fields(asdict(wrapup))
        now = self._store.clock.now()
        with self._store.transaction() as conn:
            if self._is_saved(conn, wrapup.contact_id):
                raise WrapUpAlreadySaved(f"contact {wrapup.contact_id} is already wrapped up")
            conn.execute(SAVE_WRAPUP, {**row, "saved_at": to_text(now)})
            conn.execute(
                "UPDATE contacts SET status = 'closed', ended_at = coalesce(ended_at, ?)"
                " WHERE id = ?",
                (to_text(now), wrapup.contact_id),
            )
            if wrapup.outcome == TRANSFER_OUTCOME:
                self._transfer(conn, row, session_id)
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
                    "transfer_target": wrapup.transfer_target,
                    "promotion": wrapup.promotion,
                    **(facts or {}),
                    **(
                        {
                            "talk_s_logged": wrapup.talk_s_logged,
                            "talk_correction_reason": wrapup.talk_correction_reason,
                        }
                        if wrapup.talk_s_logged is not None
                        else {}
                    ),
                },
                at=now,
            )
        return masked

    def add_saved(self, wrapup: WrapUp, saved_at: datetime) -> None:
        """A wrap-up saved before this database was made (the demo's past shifts), written as
        saved at `saved_at`, card numbers masked as in `save`. Nothing else happens: the contact,
        the events and any transfer are the caller's."""
        row, _ = prepare_fields(asdict(wrapup))
        with self._store.transaction() as conn:
            conn.execute(SAVE_WRAPUP, {**row, "saved_at": to_text(saved_at)})

    def _transfer(
        self, conn: sqlite3.Connection, row: dict[str, Any], session_id: str | None
    ) -> int:
        """A new waiting contact in the target line's queue, linked to the original by parent_id
        (the notes stay on the original's wrap-up, the history on the customer)."""
        original = named_rows(
            conn,
            "SELECT channel, customer_contract, customer_name, topic, priority FROM contacts"
            " WHERE id = ?",
            (row["contact_id"],),
        ).fetchone()
        if original is None:
            raise ValueError(f"no contact {row['contact_id']} to transfer")
        reason = (row["transfer_reason"] or "").strip()
        new_id = self._store.queue.add(
            channel=original["channel"],
            customer_contract=original["customer_contract"],
            customer_name=original["customer_name"],
            topic=row["topic"] or original["topic"],
            subject=f"{TRANSFER_SUBJECT}: {reason}" if reason else TRANSFER_SUBJECT,
            priority=original["priority"],
            queue=row["transfer_target"],
            parent_id=row["contact_id"],
            operator=row["operator"],
        )
        self._store.events.append(
            EventType.TRANSFERRED,
            contact_id=row["contact_id"],
            operator=row["operator"],
            session_id=session_id,
            payload={"target": row["transfer_target"], "reason": reason, "new_contact_id": new_id},
        )
        return new_id

    @staticmethod
    def _is_saved(conn: sqlite3.Connection, contact_id: int) -> bool:
        return (
            conn.execute(
                "SELECT 1 FROM wrapups WHERE contact_id = ? AND state = 'saved'", (contact_id,)
            ).fetchone()
            is not None
        )
