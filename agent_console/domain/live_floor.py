"""The floor as a supervisor watches it: every operator's state, folded from the one event log.

Pure and incremental like the figures (domain/figures.py): `add` each new event in log order,
then `rows(now)` says who is logged in, in what state and for how long, with the contact in
hand and the contacts handled. The alerts' thresholds (domain/alerts.py) mark what needs
attention: a long call, hold or wrap-up, a break past its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from agent_console.domain.alerts import (
    Alert,
    AlertThresholds,
    WaitingContact,
    detect,
    operator_alerts,
)
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
from agent_console.i18n import N_

# What each state is called on the screen (translated where it is shown).
STATE_NAMES: Final = {
    "ready": N_("Ready"),
    IN_CONTACT: N_("In contact"),
    ON_HOLD: N_("On hold"),
    WRAPUP: N_("Wrap-up"),
    BREAK: N_("Break"),
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
    attention: bool  # an alert holds for it (domain/alerts.py)


class LiveFloor:
    def __init__(self, since: datetime, thresholds: AlertThresholds | None = None) -> None:
        """`since`: the start of the shift's day; contacts wrapped up before it are not counted
        as handled (earlier events still build up who is logged in and in what state)."""
        self.since = since
        self.thresholds = thresholds or AlertThresholds()
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

    def on_floor(self) -> Iterator[tuple[str, OperatorState]]:
        """The operators logged in and their states, by login."""
        for login, operator in sorted(self._operators.items()):
            if operator.present:
                yield login, operator.state

    def alerts(
        self, now: datetime, waiting: Iterable[WaitingContact], targets: Mapping[str, int]
    ) -> list[Alert]:
        """What needs attention at `now` on the floor and among the `waiting` contacts (the
        queue's, however long ago they came in: domain/alerts.py), the newest first."""
        return detect(self.on_floor(), waiting, now, self.thresholds, targets)

    def rows(self, now: datetime) -> list[FloorRow]:
        """The operators logged in, by login."""
        rows = []
        for login, state in self.on_floor():
            in_state = state.in_state_s(now) if state.since is not None else 0.0
            rows.append(
                FloorRow(
                    login=login,
                    state=STATE_NAMES.get(state.state, str(state.state)),
                    in_state_s=in_state,
                    contact_id=state.contact_id,
                    handled=self._operators[login].handled,
                    attention=bool(operator_alerts(login, state, now, self.thresholds)),
                )
            )
        return rows
