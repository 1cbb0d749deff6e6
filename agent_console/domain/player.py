"""Playing a session back: a position in its events, moved by steps, jumps or a virtual clock.

Pure: the replay screen drives a `Player` with the real seconds that passed and shows what
`Position` says the operator saw at that moment — the same fold of the same events as live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agent_console.domain.codes import EventType, outcome_label, topic_label, transfer_label
from agent_console.domain.lifecycle import OperatorState, replay
from agent_console.domain.models import Event
from agent_console.i18n import N_, _

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


# The slugs an event carries (a channel, a warning, an answer, a state, a break's reason), as
# the timeline says them; English keeps the slug's own word.
EVENT_WORDS: dict[str, str] = {
    "phone": N_("phone"),
    "chat": N_("chat"),
    "email": N_("email"),
    "social": N_("social"),
    "profanity": N_("profanity"),
    "repeated": N_("repeated"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "ready": N_("ready"),
    "in_contact": N_("in_contact"),
    "on_hold": N_("on_hold"),
    "wrapup": N_("wrapup"),
    "break": N_("break"),
    "training": N_("training"),
    "technical": N_("technical"),
    "login": N_("login"),
}


def _word(slug: object) -> str:
    word = EVENT_WORDS.get(str(slug))
    return _(word) if word else str(slug)


def _version(payload: dict[str, Any]) -> str:
    """The version of a script or an article that was in force when it was used (the event
    carries it since content has versions; older events do not)."""
    version = payload.get("version")
    return _(" (version {version})").format(version=version) if version is not None else ""


def describe(event: Event, language: str = "en", titles: dict[str, str] | None = None) -> str:
    """One line of the timeline: what happened, in the operator's words (the interface's
    language; `language` is the content's, kept for the callers' scripts and titles)."""
    titles = titles or {}
    p, kind = event.payload, event.type
    if kind == EventType.DIALOGUE:
        speaker = _("Customer") if p.get("speaker") == "customer" else _("Operator")
        return f"{speaker}: {p.get('text', '')}"
    if kind == EventType.CONTACT_ACCEPTED:
        contact = p.get("contact") or {}
        channel = contact.get("channel", "")
        return (
            _("Took a {channel} contact: {topic}")
            .format(
                channel=_word(channel) if channel else "",
                topic=topic_label(contact.get("topic")) or _("no topic"),
            )
            .replace("  ", " ")
        )
    if kind in (EventType.SCRIPT_SHOWN, EventType.SCRIPT_COPIED, EventType.SCRIPT_SAID):
        said = {
            "script_shown": N_("Looked at script: {script}"),
            "script_copied": N_("Copied script: {script}"),
            "script_said": N_("Said script: {script}"),
        }[str(kind)]
        script_id = p.get("script_id", "")
        return _(said).format(script=titles.get(script_id, script_id)) + _version(p)
    if kind == EventType.SCRIPT_USE_UNDONE:
        script_id = p.get("script_id", "")
        return _("Took back script: {script}").format(script=titles.get(script_id, script_id))
    if kind == EventType.SEARCH_MADE:
        return _("Searched: “{query}”").format(query=p.get("query", ""))
    if kind == EventType.ARTICLE_OPENED:
        article_id = p.get("article_id", "")
        article = titles.get(article_id, article_id)
        return _("Opened article: {article}").format(article=article) + _version(p)
    if kind == EventType.WARNING_GIVEN:
        return _("Warning given: {warning}").format(warning=_word(p.get("kind", "")))
    if kind == EventType.PROMOTION_OFFERED:
        return _("Promotion offered: {answer}").format(answer=_word(p.get("answer", "")))
    if kind == EventType.TRANSFERRED:
        return _("Transferred to {target}").format(target=transfer_label(p.get("target", "")))
    if kind == EventType.CONTACT_ENDED:
        outcome = p.get("outcome")
        if not outcome:
            return _("Ended the contact")
        return _("Ended the contact ({outcome})").format(outcome=outcome_label(outcome))
    if kind == EventType.WRAPUP_SAVED:
        return _("Wrap-up saved: {outcome}").format(outcome=outcome_label(p.get("outcome", "")))
    if kind == EventType.STATE_CHANGED:
        state = _("State: {state}").format(state=_word(p.get("state", "")))
        return state + (f" ({_word(p['reason'])})" if p.get("reason") else "")
    if kind == EventType.CONTACT_HELD:
        return _("Put the customer on hold")
    if kind == EventType.CONTACT_RESUMED:
        return _("Back from hold")
    if kind == EventType.SESSION_STARTED:
        return _("Session started: {title}").format(title=p.get("title", ""))
    return str(kind).replace("_", " ").capitalize()
