"""The operator's state and a contact's timers, derived from the event log alone.

Nothing here reads a clock or a database: `replay(events)` folds an operator's events into an
`OperatorState`, and the timers are computed against the `now` the caller passes. Because the
state is derived, a console restarted mid-contact shows the same state and the same talk time.

    ready --accept--> in_contact --hold--> on_hold --resume--> in_contact --end--> wrapup
    wrapup --wrap-up saved--> ready;  ready --break--> break --back--> ready
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from agent_console.domain.codes import EventType
from agent_console.domain.models import Event
from agent_console.i18n import N_


class State(StrEnum):
    """The operator's state (the diagram above). The values are what `state_changed` events
    and exported sessions hold, and they compare equal to those strings."""

    READY = "ready"
    IN_CONTACT = "in_contact"
    ON_HOLD = "on_hold"
    WRAPUP = "wrapup"
    BREAK = "break"


# Short names, as the desk, the screens and the tests use them.
READY, IN_CONTACT, ON_HOLD, WRAPUP, BREAK = (
    State.READY,
    State.IN_CONTACT,
    State.ON_HOLD,
    State.WRAPUP,
    State.BREAK,
)

# The `state` of the state_changed event the desk writes at log-out (the floor and the figures
# see who is logged in by it; the operator's own state never takes it).
LOGGED_OUT = "logged_out"

# Break reasons and how long each may last (DOMAIN.md: two 10-minute breaks per 6-hour shift).
BREAK_REASONS: dict[str, tuple[str, int | None]] = {
    "break": (N_("10-minute break"), 10 * 60),
    "training": (N_("Training"), None),
    "technical": (N_("Technical problem"), None),
}

# An early end is allowed only after its warning (DOMAIN.md, "Ending a call early").
WARNING_OUTCOMES = {"profanity": "ended_profanity", "repeated": "ended_repeated"}


@dataclass(frozen=True, slots=True)
class OperatorState:
    state: State = READY
    since: datetime | None = None
    contact_id: int | None = None
    accepted_at: datetime | None = None
    ended_at: datetime | None = None
    hold_started: datetime | None = None
    held_s: float = 0.0
    holds: int = 0
    warnings: tuple[str, ...] = ()
    end_outcome: str | None = None
    break_reason: str | None = None
    # What the operator used on this contact: approved phrasings (every copy or say, by slug,
    # the language suffix dropped, less the ones taken back), articles opened, and the
    # customer's answer to the promotion.
    script_uses: tuple[str, ...] = ()
    articles_opened: tuple[str, ...] = ()
    promotion: str | None = None

    @property
    def scripts_used(self) -> tuple[str, ...]:
        """The phrasings used on this contact, each once, in the order first used."""
        return tuple(dict.fromkeys(self.script_uses))

    @property
    def last_script_used(self) -> str | None:
        """The slug of the last use that can still be taken back."""
        return self.script_uses[-1] if self.script_uses else None

    def used(self, script_id: str) -> bool:
        return script_slug(script_id) in self.script_uses

    # --- timers ----------------------------------------------------------------------------

    def in_state_s(self, now: datetime) -> float:
        return (now - self.since).total_seconds() if self.since else 0.0

    def hold_s(self, now: datetime) -> float:
        """Hold time of the current contact, the hold in progress included."""
        running = (now - self.hold_started).total_seconds() if self.hold_started else 0.0
        return self.held_s + running

    def contact_s(self, now: datetime) -> float:
        """Time since the contact was taken, holds included, up to its end."""
        if self.accepted_at is None:
            return 0.0
        return ((self.ended_at or now) - self.accepted_at).total_seconds()

    def talk_s(self, now: datetime) -> float:
        """Time with the customer, holds excluded, up to the end of the contact."""
        if self.accepted_at is None:
            return 0.0
        until = self.ended_at or now
        return max(0.0, (until - self.accepted_at).total_seconds() - self.hold_s(until))

    def break_limit_s(self) -> int | None:
        if self.state != BREAK or self.break_reason is None:
            return None
        return BREAK_REASONS.get(self.break_reason, ("", None))[1]

    def break_overrun(self, now: datetime) -> bool:
        limit = self.break_limit_s()
        return limit is not None and self.in_state_s(now) > limit

    # --- what may happen next ----------------------------------------------------------------

    @property
    def can_accept(self) -> bool:
        return self.state == READY

    @property
    def can_hold(self) -> bool:
        return self.state == IN_CONTACT

    @property
    def can_resume(self) -> bool:
        return self.state == ON_HOLD

    @property
    def can_warn(self) -> bool:
        return self.state == IN_CONTACT

    @property
    def can_end(self) -> bool:
        return self.state in (IN_CONTACT, ON_HOLD)

    @property
    def early_end_outcome(self) -> str | None:
        """The outcome an early end would record: that of the latest warning, if any."""
        if not self.can_end or not self.warnings:
            return None
        return WARNING_OUTCOMES[self.warnings[-1]]

    @property
    def can_say_ready(self) -> bool:
        """In wrap-up after the wrap-up was saved: waiting for the operator to be ready."""
        return self.state == WRAPUP and self.contact_id is None

    @property
    def can_take_break(self) -> bool:
        return self.state == READY

    @property
    def can_return(self) -> bool:
        return self.state == BREAK


def script_slug(script_id: str) -> str:
    """`greeting-evening.en` → `greeting-evening`: the same phrasing in either language."""
    slug, dot, language = script_id.rpartition(".")
    return slug if dot and len(language) == 2 else script_id


USE_EVENTS = (EventType.SCRIPT_COPIED, EventType.SCRIPT_SAID)


def apply(current: OperatorState, event: Event) -> OperatorState:
    """The state after one event; events that do not change the state leave it as it is."""
    kind, at, payload = event.type, event.at, event.payload
    if kind == EventType.CONTACT_ACCEPTED:
        return OperatorState(
            state=IN_CONTACT, since=at, contact_id=event.contact_id, accepted_at=at
        )
    if event.contact_id is not None and event.contact_id != current.contact_id:
        return current
    if kind == EventType.CONTACT_RELEASED and current.state in (IN_CONTACT, ON_HOLD):
        return OperatorState(state=READY, since=at)
    if kind == EventType.CONTACT_HELD and current.state == IN_CONTACT:
        return replace(current, state=ON_HOLD, since=at, hold_started=at, holds=current.holds + 1)
    if kind == EventType.CONTACT_RESUMED and current.state == ON_HOLD:
        held_since = current.hold_started or at  # on hold always has its start
        held = current.held_s + (at - held_since).total_seconds()
        return replace(current, state=IN_CONTACT, since=at, hold_started=None, held_s=held)
    in_contact = current.state in (IN_CONTACT, ON_HOLD) and event.contact_id is not None
    if kind in USE_EVENTS and in_contact:
        slug = script_slug(payload.get("script_id", ""))
        return replace(current, script_uses=(*current.script_uses, slug))
    if kind == EventType.SCRIPT_USE_UNDONE and in_contact:
        slug = script_slug(payload.get("script_id", ""))
        if slug not in current.script_uses:
            return current
        last = len(current.script_uses) - 1 - current.script_uses[::-1].index(slug)
        uses = current.script_uses[:last] + current.script_uses[last + 1 :]
        return replace(current, script_uses=uses)
    if kind == EventType.ARTICLE_OPENED and in_contact:
        opened = (*current.articles_opened, payload.get("article_id", ""))
        return replace(current, articles_opened=opened)
    if kind == EventType.PROMOTION_OFFERED and in_contact:
        return replace(current, promotion=payload.get("answer"))
    if kind == EventType.WARNING_GIVEN and current.state in (IN_CONTACT, ON_HOLD):
        return replace(current, warnings=(*current.warnings, payload.get("kind", "")))
    if kind == EventType.CONTACT_ENDED and current.state in (IN_CONTACT, ON_HOLD):
        held = current.hold_s(at)
        return replace(
            current,
            state=WRAPUP,
            since=at,
            ended_at=at,
            hold_started=None,
            held_s=held,
            end_outcome=payload.get("outcome"),
        )
    if kind == EventType.WRAPUP_SAVED:
        return OperatorState(state=READY, since=at)
    if kind == EventType.STATE_CHANGED:
        wanted = payload.get("state")
        if wanted == BREAK and current.state == READY:
            return OperatorState(state=BREAK, since=at, break_reason=payload.get("reason"))
        if wanted == READY and (
            current.state in (READY, BREAK)
            or (current.state == WRAPUP and current.contact_id is None)
        ):
            return OperatorState(state=READY, since=at)
        if wanted == WRAPUP and current.state == READY:
            # Saved, but staying in wrap-up until the operator says ready (a config choice).
            return OperatorState(state=WRAPUP, since=at)
    return current


def replay(events: Iterable[Event]) -> OperatorState:
    state = OperatorState()
    for event in events:
        state = apply(state, event)
    return state
