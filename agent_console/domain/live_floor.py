"""The floor as a supervisor watches it: every operator's state, folded from the one event log.

Pure and incremental like the figures (domain/figures.py): `add` each new event in log order,
then `rows(now)` says who is logged in, in what state and for how long, with the contact in
hand and the contacts handled. Thresholds mark what needs attention (a long call, hold or
wrap-up, a break past its length).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from agent_console.domain.codes import EventType
from agent_console.domain.lifecycle import (
    BREAK,
    IN_CONTACT,
    LOGGED_OUT,
    ON_HOLD,
    WRAPUP,
    OperatorState,
    apply,
)
from agent_console.domain.models import Event

# How long a state may last before the row asks for attention (seconds); a break by its own
# length (lifecycle.BREAK_REASONS).
ATTENTION_AFTER_S: Final = {IN_CONTACT: 15 * 60, ON_HOLD: 3 * 60, WRAPUP: 2 * 60}

STATE_NAMES: Final = {
    "ready": "Ready",
    IN_CONTACT: "In contact",
    ON_HOLD: "On hold",
    WRAPUP: "Wrap-up",
    BREAK: "Break",
}


@dataclass(slots=True)
class _Operator:
    state: OperatorState = field(default_factory=OperatorState)
    present: bool = False
    handled: int = 0


@dataclass(frozen=True, slots=True)
class FloorRow:
    login: str
    state: str  # as STATE_NAMES says it
    in_state_s: float
    contact_id: int | None
    handled: int
    attention: bool  # past its threshold, or a break past its length


class LiveFloor:
    def __init__(self, since: datetime) -> None:
        """`since`: the start of the shift's day; contacts wrapped up before it are not counted
        as handled (earlier events still build up who is logged in and in what state)."""
        self.since = since
        self.last_event_id = 0
        self._operators: dict[str, _Operator] = {}

    def add(self, event: Event) -> None:
        """Fold one event in (log order)."""
        self.last_event_id = max(self.last_event_id, event.id)
        if event.operator is None:
            return
        operator = self._operators.setdefault(event.operator, _Operator())
        if event.type == EventType.STATE_CHANGED:
            operator.present = event.payload.get("state") != LOGGED_OUT
            if not operator.present:
                operator.state = OperatorState()
                return
        elif event.type == EventType.CONTACT_ACCEPTED:
            operator.present = True
        elif event.type == EventType.WRAPUP_SAVED and event.at >= self.since:
            operator.handled += 1
        operator.state = apply(operator.state, event)

    def rows(self, now: datetime) -> list[FloorRow]:
        """The operators logged in, by login."""
        rows = []
        for login, operator in sorted(self._operators.items()):
            if not operator.present:
                continue
            state = operator.state
            in_state = state.in_state_s(now) if state.since is not None else 0.0
            limit = ATTENTION_AFTER_S.get(state.state)
            attention = (
                state.break_overrun(now)
                if state.state == BREAK
                else limit is not None and in_state > limit
            )
            rows.append(
                FloorRow(
                    login=login,
                    state=STATE_NAMES.get(state.state, str(state.state)),
                    in_state_s=in_state,
                    contact_id=state.contact_id,
                    handled=operator.handled,
                    attention=attention,
                )
            )
        return rows
