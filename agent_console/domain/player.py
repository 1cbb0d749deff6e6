"""Playing a session back: a position in its events, moved by steps, jumps or a virtual clock.

Pure: the replay screen drives a `Player` with the real seconds that passed and shows what
`Position` says the operator saw at that moment — the same fold of the same events as live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agent_console.domain.codes import OUTCOMES, TRANSFER_TARGETS, EventType, topic_label
from agent_console.domain.lifecycle import OperatorState, replay
from agent_console.domain.models import Event

SPEEDS = (1, 2, 4, 8)

# The events that say what was on the operator's screen at the time.
SCREEN_EVENTS = (
    EventType.SCRIPT_SHOWN,
    EventType.SCRIPT_COPIED,
    EventType.SCRIPT_SAID,
    EventType.SEARCH_MADE,
    EventType.ARTICLE_OPENED,
    EventType.WRAPUP_SAVED,
    EventType.WARNING_GIVEN,
    EventType.PROMOTION_OFFERED,
    EventType.TRANSFERRED,
)


@dataclass(frozen=True, slots=True)
class Position:
    """Everything shown at one point of a session."""

    index: int  # of the last event that has happened; -1 before the first
    now: datetime
    state: OperatorState
    contact_id: int | None  # the contact on screen (in hand, or in wrap-up)
    transcript: tuple[Event, ...]  # dialogue turns of that contact so far
    on_screen: Event | None  # the latest script, search, article or wrap-up event


def position_at(events: Sequence[Event], index: int, now: datetime) -> Position:
    happened = events[: index + 1]
    state = replay(happened)
    contact_id = state.contact_id
    if contact_id is None:  # after the wrap-up: keep showing the contact just finished
        contact_id = next((e.contact_id for e in reversed(happened) if e.contact_id), None)
    transcript = tuple(
        e for e in happened if e.type == EventType.DIALOGUE and e.contact_id == contact_id
    )
    on_screen = next(
        (e for e in reversed(happened) if e.type in SCREEN_EVENTS and e.contact_id == contact_id),
        None,
    )
    return Position(index, now, state, contact_id, transcript, on_screen)


class Player:
    """Play, pause, step and jump through a session's events at 1×, 2×, 4× or 8×."""

    def __init__(self, events: Sequence[Event]) -> None:
        if not events:
            raise ValueError("a session without events cannot be played")
        self.events = list(events)
        self.index = -1
        self.now = self.events[0].at
        self.speed = 1
        self.playing = False

    @property
    def start(self) -> datetime:
        return self.events[0].at

    @property
    def end(self) -> datetime:
        return self.events[-1].at

    @property
    def at_end(self) -> bool:
        return self.index == len(self.events) - 1

    def position(self) -> Position:
        return position_at(self.events, self.index, self.now)

    def jump(self, index: int) -> None:
        """To just after event `index` (-1: before the first)."""
        self.index = max(-1, min(index, len(self.events) - 1))
        self.now = self.events[self.index].at if self.index >= 0 else self.start

    def step(self, delta: int = 1) -> None:
        self.jump(self.index + delta)

    def set_speed(self, speed: int) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed is one of {SPEEDS}")
        self.speed = speed

    def faster(self) -> None:
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]

    def toggle(self) -> None:
        if self.at_end:
            self.jump(-1)  # play again from the start
        self.playing = not self.playing

    def advance(self, real_seconds: float) -> bool:
        """Move the virtual clock on; True when an event was passed (the screen must change)."""
        if not self.playing:
            return False
        self.now = min(self.end, self.now + timedelta(seconds=real_seconds * self.speed))
        before = self.index
        while self.index + 1 < len(self.events) and self.events[self.index + 1].at <= self.now:
            self.index += 1
        if self.at_end:
            self.playing = False
        return self.index != before


def _version(payload: dict[str, Any]) -> str:
    """The version of a script or an article that was in force when it was used (the event
    carries it since content has versions; older events do not)."""
    version = payload.get("version")
    return f" (version {version})" if version is not None else ""


def describe(event: Event, language: str = "en", titles: dict[str, str] | None = None) -> str:
    """One line of the timeline: what happened, in the operator's words."""
    titles = titles or {}
    p, kind = event.payload, event.type
    if kind == EventType.DIALOGUE:
        speaker = "Customer" if p.get("speaker") == "customer" else "Operator"
        return f"{speaker}: {p.get('text', '')}"
    if kind == EventType.CONTACT_ACCEPTED:
        contact = p.get("contact") or {}
        return (
            f"Took a {contact.get('channel', '')} contact: "
            f"{topic_label(contact.get('topic'), language) or 'no topic'}"
        ).replace("  ", " ")
    if kind in (EventType.SCRIPT_SHOWN, EventType.SCRIPT_COPIED, EventType.SCRIPT_SAID):
        verb = {"script_shown": "Looked at", "script_copied": "Copied", "script_said": "Said"}[
            str(kind)
        ]
        script_id = p.get("script_id", "")
        return f"{verb} script: {titles.get(script_id, script_id)}{_version(p)}"
    if kind == EventType.SCRIPT_USE_UNDONE:
        script_id = p.get("script_id", "")
        return f"Took back script: {titles.get(script_id, script_id)}"
    if kind == EventType.SEARCH_MADE:
        return f"Searched: “{p.get('query', '')}”"
    if kind == EventType.ARTICLE_OPENED:
        article_id = p.get("article_id", "")
        return f"Opened article: {titles.get(article_id, article_id)}{_version(p)}"
    if kind == EventType.WARNING_GIVEN:
        return f"Warning given: {p.get('kind', '')}"
    if kind == EventType.PROMOTION_OFFERED:
        return f"Promotion offered: {p.get('answer', '')}"
    if kind == EventType.TRANSFERRED:
        return f"Transferred to {TRANSFER_TARGETS.get(p.get('target', ''), p.get('target', ''))}"
    if kind == EventType.CONTACT_ENDED:
        outcome = p.get("outcome")
        return "Ended the contact" + (f" ({OUTCOMES.get(outcome, outcome)})" if outcome else "")
    if kind == EventType.WRAPUP_SAVED:
        return f"Wrap-up saved: {OUTCOMES.get(p.get('outcome', ''), p.get('outcome', ''))}"
    if kind == EventType.STATE_CHANGED:
        return f"State: {p.get('state', '')}" + (f" ({p['reason']})" if p.get("reason") else "")
    simple: dict[str, str] = {
        EventType.CONTACT_HELD: "Put the customer on hold",
        EventType.CONTACT_RESUMED: "Back from hold",
        EventType.SESSION_STARTED: f"Session started: {p.get('title', '')}",
    }
    return simple.get(kind, str(kind).replace("_", " ").capitalize())
