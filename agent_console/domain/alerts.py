"""What needs a supervisor's attention on the floor, detected from the event log's fold at a moment.

Pure: no clock, no UI. `detect` looks at the operators on the floor (domain/live_floor.py folds
their states from the log) and the contacts waiting in the queues at `now`, and says which
alerts hold:

- `sla_breached`: a contact has waited past its channel's service-level target (the targets of
  `[service_level]`, the ones the figures' service level uses);
- `long_call`: a contact in hand (holds included) longer than `long_call_s`;
- `long_hold`: one hold longer than `long_hold_s`;
- `long_wrapup`: after-call work longer than `long_wrapup_s`;
- `break_overrun`: a break past its length (lifecycle.BREAK_REASONS) by more than
  `break_grace_s`.

An alert is one occurrence: its `key` names what it is about and when that began (the call
taken, the hold begun), so `AlertWatch` raises it once however many ticks it lasts, and a new
hold of the same call is a new alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from agent_console.domain.lifecycle import (
    BREAK,
    BREAK_REASONS,
    IN_CONTACT,
    ON_HOLD,
    WRAPUP,
    OperatorState,
)
from agent_console.i18n import N_

SLA_BREACHED, LONG_CALL, LONG_HOLD, LONG_WRAPUP, BREAK_OVERRUN = (
    "sla_breached",
    "long_call",
    "long_hold",
    "long_wrapup",
    "break_overrun",
)
# What each kind is called on the screen (translated where it is shown).
ALERT_NAMES: Final = {
    SLA_BREACHED: N_("SLA breached"),
    LONG_CALL: N_("Long contact"),
    LONG_HOLD: N_("Long hold"),
    LONG_WRAPUP: N_("Long wrap-up"),
    BREAK_OVERRUN: N_("Break overrun"),
}


@dataclass(frozen=True, slots=True)
class AlertThresholds:
    """[alerts]: how long a contact, a hold or a wrap-up may last before it is an alert, and
    how far a break may run past its length (seconds)."""

    long_call_s: int = 15 * 60
    long_hold_s: int = 3 * 60
    long_wrapup_s: int = 2 * 60
    break_grace_s: int = 0


@dataclass(frozen=True, slots=True)
class WaitingContact:
    """A contact in a queue that nobody has taken yet, as the log says."""

    id: int
    channel: str
    created: datetime


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # one of ALERT_NAMES
    since: datetime  # when what it is about began: the call taken, the hold begun, …
    due: datetime  # when it became an alert: `since` plus the threshold
    operator: str | None  # None for a waiting contact
    contact_id: int | None

    @property
    def key(self) -> tuple[str, str | None, int | None, datetime]:
        """The occurrence: the same key on every tick it lasts."""
        return (self.kind, self.operator, self.contact_id, self.since)

    def lasted_s(self, now: datetime) -> float:
        return (now - self.since).total_seconds()


def operator_alerts(
    login: str, state: OperatorState, now: datetime, thresholds: AlertThresholds
) -> list[Alert]:
    """The alerts one operator in `state` raises at `now`."""
    found = []

    def check(kind: str, since: datetime | None, limit_s: float | None) -> None:
        if since is None or limit_s is None:
            return
        due = since + timedelta(seconds=limit_s)
        if now > due:
            found.append(Alert(kind, since, due, login, state.contact_id))

    if state.state in (IN_CONTACT, ON_HOLD):
        check(LONG_CALL, state.accepted_at, thresholds.long_call_s)
    if state.state == ON_HOLD:
        check(LONG_HOLD, state.hold_started, thresholds.long_hold_s)
    elif state.state == WRAPUP:
        check(LONG_WRAPUP, state.since, thresholds.long_wrapup_s)
    elif state.state == BREAK:
        length = BREAK_REASONS.get(state.break_reason or "", ("", None))[1]
        grace = thresholds.break_grace_s
        check(BREAK_OVERRUN, state.since, None if length is None else length + grace)
    return found


def detect(
    operators: Iterable[tuple[str, OperatorState]],
    waiting: Iterable[WaitingContact],
    now: datetime,
    thresholds: AlertThresholds,
    targets: Mapping[str, int],
) -> list[Alert]:
    """Every alert that holds at `now`, the newest first."""
    found = [
        alert
        for login, state in operators
        for alert in operator_alerts(login, state, now, thresholds)
    ]
    for contact in waiting:
        target = targets.get(contact.channel)
        if target is None:
            continue
        due = contact.created + timedelta(seconds=target)
        if now > due:
            found.append(Alert(SLA_BREACHED, contact.created, due, None, contact.id))
    found.sort(key=lambda alert: (alert.due, alert.kind, alert.operator or ""), reverse=True)
    return found


class AlertWatch:
    """Raises each occurrence once: `update` takes what holds now and returns what is new."""

    def __init__(self) -> None:
        self._raised: set[tuple[str, str | None, int | None, datetime]] = set()

    def update(self, holding: Iterable[Alert]) -> list[Alert]:
        holding = list(holding)
        new = [alert for alert in holding if alert.key not in self._raised]
        # Only what still holds is remembered: an occurrence that ended cannot come back (its
        # key has its start in it), so the set stays as small as the floor.
        self._raised = {alert.key for alert in holding}
        return new
