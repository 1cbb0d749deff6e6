"""The operator's desk: every action an operator takes, checked against the state the event log
gives, and written as events. No UI: the work screen calls this from its workers, and tests and
the command line can call it directly.
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from agent_console.contact_facts import figure_facts
from agent_console.domain import Contact, EventType, Refusal, WrapUp
from agent_console.domain.codes import IDENTIFIED_HOW, VOICE_CHANNELS
from agent_console.domain.lifecycle import (
    BREAK,
    BREAK_REASONS,
    IN_CONTACT,
    LOGGED_OUT,
    ON_HOLD,
    READY,
    USE_EVENTS,
    WRAPUP,
    OperatorState,
    apply,
    replay,
    script_slug,
)
from agent_console.domain.wrapup_rules import WrapUpEntry, validate
from agent_console.i18n import N_, _
from agent_console.store import Store

MODE_OUTCOMES = ("timed_out", "skipped")
PROMOTION_OFFER_ANSWERS = ("accepted", "declined")

# How far back the operator's events are read to rebuild the state: longer than any shift.
STATE_LOOKBACK = timedelta(hours=16)


class DeskError(Refusal):
    """An action that the operator's state does not allow now; the message says why."""


class ContactTaken(DeskError):
    """Another operator claimed the contact a moment earlier."""


class Desk:
    def __init__(self, store: Store, operator: str, session_id: str | None = None) -> None:
        self.store = store
        self.operator = operator
        self.session_id = session_id
        # Actions arrive from several worker threads; one at a time keeps the log in key order.
        self._lock = threading.Lock()
        # The state folded from the log up to event `_folded_to` (see `state`); its own lock,
        # as the actions read the state while holding theirs.
        self._fold_lock = threading.Lock()
        self._folded: OperatorState | None = None
        self._folded_to = 0

    def state(self) -> OperatorState:
        """The operator's state as the log gives it. The log is folded once; afterwards only
        the events written since are applied to that fold, so an action costs the same at the
        end of a long shift as at its start. A log that went back (a demo reload) is folded
        again from the start."""
        with self._fold_lock:
            # Read before the events: whatever commits meanwhile has a higher id and is
            # applied now or at the next look, never twice.
            latest = self.store.events.last_id()
            if self._folded is None or latest < self._folded_to:
                since = self.store.clock.now() - STATE_LOOKBACK
                events = self.store.events.for_operator_since(self.operator, since)
                state = replay(events)
            else:
                events = self.store.events.for_operator_after(self.operator, self._folded_to)
                state = self._folded
                for event in events:
                    state = apply(state, event)
            self._folded = state
            self._folded_to = max(latest, events[-1].id if events else 0)
            return state

    def log_in(self) -> OperatorState:
        """Start of a console session: a fresh 'ready' unless the operator is mid-contact."""
        with self._lock:
            state = self.state()
            if state.state == READY:
                self._event(EventType.STATE_CHANGED, payload={"state": READY, "reason": "login"})
                state = self.state()
            return state

    def log_out(self) -> None:
        """End of the console session: it gets its end time, so the time logged in can be
        counted. Once: afterwards there is no session to end."""
        with self._lock:
            if self.session_id is not None:
                # The shift's figures count the time logged in up to this event.
                self._event(EventType.STATE_CHANGED, payload={"state": LOGGED_OUT})
                self.store.events.end_session(self.session_id)
                self.session_id = None

    def accept_next(self) -> Contact | None:
        with self._lock:
            self._require(self.state().can_accept, N_("Finish the current contact first."))
            return self.store.queue.claim_next(self.operator, session_id=self.session_id)

    def accept(self, contact_id: int) -> Contact:
        with self._lock:
            self._require(self.state().can_accept, N_("Finish the current contact first."))
            contact = self.store.queue.claim(contact_id, self.operator, session_id=self.session_id)
            if contact is None:
                raise ContactTaken(_("Another operator took that contact a moment ago."))
            return contact

    def hold(self) -> None:
        with self._lock:
            state = self.state()
            contact_id = self._in_hand(state, state.can_hold, N_("Nothing to put on hold."))
            contact = self.store.queue.get(contact_id)
            # A chat or an e-mail waits for the next reply anyway: there is no line to hold.
            self._require(
                contact is None or contact.channel in VOICE_CHANNELS,
                N_("Only a call can be put on hold."),
            )
            self._event(EventType.CONTACT_HELD, contact_id=contact_id)

    def resume(self) -> None:
        self._contact_event(
            EventType.CONTACT_RESUMED, "can_resume", N_("The contact is not on hold.")
        )

    def warn(self, kind: str) -> None:
        self._contact_event(
            EventType.WARNING_GIVEN,
            "can_warn",
            N_("Warnings are given during a contact."),
            {"kind": kind},
        )

    def end(self, *, early: bool = False) -> OperatorState:
        """End the conversation; `early` ends it with the outcome of the warning given before."""
        with self._lock:
            state = self.state()
            contact_id = self._in_hand(state, state.can_end, N_("There is no contact to end."))
            outcome = None
            if early:
                outcome = state.early_end_outcome
                self._require(outcome is not None, N_("An early end needs a warning first."))
            self.store.queue.end(
                contact_id, self.operator, session_id=self.session_id, outcome=outcome
            )
            return self.state()

    def take_break(self, reason: str) -> None:
        with self._lock:
            self._require(reason in BREAK_REASONS, f"Unknown break reason {reason!r}.")
            self._require(self.state().can_take_break, N_("Breaks start from the ready state."))
            self._event(EventType.STATE_CHANGED, payload={"state": BREAK, "reason": reason})

    def back_from_break(self) -> None:
        with self._lock:
            self._require(self.state().can_return, N_("You are not on a break."))
            self._event(EventType.STATE_CHANGED, payload={"state": READY})

    def save_wrapup(
        self,
        entry: WrapUpEntry,
        *,
        talk_s: int | None = None,
        correction_reason: str = "",
        stay_in_wrapup: bool = False,
    ) -> int:
        """Save the wrap-up with the times the log gives; returns how many card numbers were
        masked in what was typed. `talk_s` corrects the talk time (a call taken on another
        phone, say): it needs a reason, and the time the log gave is kept beside it."""
        with self._lock:
            state = self.state()
            contact_id = self._in_hand(
                state, state.state == WRAPUP, N_("There is no contact in wrap-up.")
            )
            now = self.store.clock.now()
            # A wrap-up the after-call-work mode closed keeps what was typed, complete or not.
            if entry.outcome not in MODE_OUTCOMES:
                errors = validate(entry, now)
                self._require(not errors, "; ".join(errors.values()))
            fields = asdict(entry)
            logged = round(state.talk_s(now))
            talk_s_logged: int | None = None  # set when corrected, with the reason
            talk_correction_reason: str | None = None
            if talk_s is not None and talk_s != logged:
                self._require(talk_s >= 0, N_("A talk time cannot be negative."))
                self._require(
                    bool(correction_reason.strip()), N_("Say why the talk time is corrected.")
                )
                talk_s_logged, talk_correction_reason = logged, correction_reason.strip()
            masked = self.store.wrapups.save(
                WrapUp(
                    contact_id=contact_id,
                    operator=self.operator,
                    talk_s=talk_s if talk_s_logged is not None else logged,
                    hold_s=round(state.hold_s(now)),
                    acw_s=round(state.in_state_s(now)),
                    talk_s_logged=talk_s_logged,
                    talk_correction_reason=talk_correction_reason,
                    **fields,
                ),
                session_id=self.session_id,
                facts=figure_facts(self.store, contact_id, state),
            )
            if stay_in_wrapup:
                self._event(EventType.STATE_CHANGED, payload={"state": WRAPUP})
            return masked

    def ready(self) -> None:
        """Out of the wrap-up state after the wrap-up was saved (when the config keeps it)."""
        with self._lock:
            self._require(self.state().can_say_ready, N_("There is nothing to finish first."))
            self._event(EventType.STATE_CHANGED, payload={"state": READY})

    def identify_customer(self, contract: str, how: str) -> Contact:
        """The contact in hand, which came without a contract, is this customer's: `how` says
        whether the caller was recognised, picked among several, or found by a search."""
        with self._lock:
            self._require(how in IDENTIFIED_HOW, f"Unknown way of identifying {how!r}.")
            state = self.state()
            contact_id = self._in_hand(
                state,
                state.state in (IN_CONTACT, ON_HOLD, WRAPUP),
                N_("There is no contact in hand."),
            )
            try:
                return self.store.queue.set_customer(
                    contact_id,
                    contract,
                    how=how,
                    operator=self.operator,
                    session_id=self.session_id,
                )
            except LookupError as error:
                raise DeskError(
                    _("No customer has the contract {contract}.").format(contract=contract)
                ) from error

    # --- what the operator looked up -------------------------------------------------------------

    def log_search(self, query: str, searched_for: str | None, top_ids: list[str]) -> None:
        """A search the operator settled on (typing paused): what was asked and what came back."""
        with self._lock:
            self._event(
                EventType.SEARCH_MADE,
                contact_id=self.state().contact_id,
                payload={"query": query, "searched_for": searched_for, "results": top_ids},
            )

    def log_script(self, type_: str, script_id: str, version: int | None = None) -> None:
        """A script shown, copied or said: which approved phrasing, in which version (the one
        in force, when not given), was used on which contact."""
        with self._lock:
            payload: dict[str, Any] = {"script_id": script_id}
            if version is None:
                script = self.store.content.script(script_id)
                version = script.version if script else None
            if version is not None:
                payload["version"] = version
            self._event(type_, contact_id=self.state().contact_id, payload=payload)

    def undo_last_use(self) -> str:
        """Take back the last use of a script on this contact (a wrong key); returns the script
        id. Logged as an event, so the wording figures count only what was really used."""
        with self._lock:
            state = self.state()
            contact_id = self._in_hand(
                state, state.state in (IN_CONTACT, ON_HOLD), N_("There is no contact in hand.")
            )
            slug = state.last_script_used
            self._require(slug is not None, N_("No script has been used on this contact yet."))
            last = next(
                e
                for e in reversed(self.store.events.for_contact(contact_id))
                if e.type in USE_EVENTS and script_slug(e.payload.get("script_id", "")) == slug
            )
            script_id: str = last.payload["script_id"]
            self._event(
                EventType.SCRIPT_USE_UNDONE, contact_id=contact_id, payload={"script_id": script_id}
            )
            return script_id

    def offer_promotion(self, answer: str) -> None:
        """The current promotion was offered on this contact; the customer accepted or declined."""
        with self._lock:
            state = self.state()
            self._require(state.state in (IN_CONTACT, ON_HOLD), N_("There is no contact in hand."))
            self._require(
                answer in PROMOTION_OFFER_ANSWERS, N_("The answer is accepted or declined.")
            )
            self._event(
                EventType.PROMOTION_OFFERED, contact_id=state.contact_id, payload={"answer": answer}
            )

    def log_article_opened(self, article_id: str, query: str) -> None:
        """An article opened, in the version in force (replay shows which one it was)."""
        with self._lock:
            payload: dict[str, Any] = {"article_id": article_id, "query": query}
            article = self.store.content.article(article_id)
            if article is not None:
                payload["version"] = article.version
            self._event(
                EventType.ARTICLE_OPENED, contact_id=self.state().contact_id, payload=payload
            )

    # --- helpers ---------------------------------------------------------------------------------

    def _contact_event(
        self, type_: str, allowed: str, refusal: str, payload: dict[str, Any] | None = None
    ) -> None:
        with self._lock:
            state = self.state()
            self._require(getattr(state, allowed), refusal)
            self._event(type_, contact_id=state.contact_id, payload=payload)

    def _event(
        self, type_: str, *, contact_id: int | None = None, payload: dict[str, Any] | None = None
    ) -> None:
        self.store.events.append(
            type_,
            contact_id=contact_id,
            operator=self.operator,
            session_id=self.session_id,
            payload=payload,
        )

    @staticmethod
    def _require(condition: bool, message: str) -> None:
        if not condition:
            raise DeskError(_(message))

    @staticmethod
    def _in_hand(state: OperatorState, allowed: bool, message: str) -> int:
        """The contact `state` has in hand, for an action `allowed` only with one."""
        if not allowed or state.contact_id is None:
            raise DeskError(_(message))
        return state.contact_id
