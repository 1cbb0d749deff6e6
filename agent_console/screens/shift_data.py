"""What the Shift mode shows, read from the store and folded from the log (no Textual here).

`ShiftWatch` keeps the folds a view needs between ticks: the floor (domain/live_floor.py), the
day's figures (domain/figures.py, the report's own fold) and the alerts raised so far
(domain/alerts.py). Its first `read` takes the day's log; every later one only the events
written since, so a tick costs what happened in the last second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from agent_console.domain import Notice
from agent_console.domain.alerts import Alert, AlertThresholds, AlertWatch, WaitingContact
from agent_console.domain.codes import CHANNELS
from agent_console.domain.figures import ContactFigures, ShiftFigures
from agent_console.domain.live_floor import FloorRow, LiveFloor
from agent_console.store import Store

# The floor's first read goes back this far: an operator who logged in before midnight is
# still on the floor (a shift lasts 4-6 hours).
FLOOR_LOOKBACK = timedelta(hours=16)
QUEUES = ("front", "tech_support", "retention")


@dataclass(frozen=True)
class QueueRow:
    channel: str
    waiting: int
    longest_wait_s: float
    past_sla: int


def queue_rows(
    contacts: list[WaitingContact], now: datetime, targets: Mapping[str, int]
) -> list[QueueRow]:
    """Waiting contacts by channel: how many, the longest wait, how many past their target
    (the service level's, as the SLA alerts count them)."""
    rows = []
    for channel in CHANNELS:
        waits = [(now - c.created).total_seconds() for c in contacts if c.channel == channel]
        target = targets.get(channel)
        rows.append(
            QueueRow(
                channel=channel,
                waiting=len(waits),
                longest_wait_s=max(waits, default=0),
                past_sla=sum(1 for w in waits if target is not None and w > target),
            )
        )
    return rows


@dataclass(frozen=True)
class ShiftRead:
    """One tick's picture of the shift."""

    now: datetime
    floor: list[FloorRow]
    queues: list[QueueRow]
    figures: list[dict[str, Any]]  # per operator, as the report's rows
    total: dict[str, Any]
    intervals: list[dict[str, Any]]  # per 30 minutes of the day, as `report --by interval`
    alerts: list[Alert]  # what holds now, the longest-standing first
    raised: list[Alert]  # what began to hold since the last read: to notify once
    contacts: list[ContactFigures]  # the day's contacts behind the figures (drill-down)
    notices: list[Notice]  # the outage notices in force


class ShiftWatch:
    def __init__(
        self,
        store: Store,
        zone: tzinfo,
        targets: dict[str, int],
        thresholds: AlertThresholds,
    ) -> None:
        self.store = store
        self.zone = zone
        self.targets = targets
        self.thresholds = thresholds
        self._floor: LiveFloor | None = None
        self._figures: ShiftFigures | None = None
        self._alerts = AlertWatch()

    def read(self, now: datetime) -> ShiftRead:
        """The shift at `now`: the log folded on from the last read (one read at a time)."""
        if self._floor is None or self._figures is None:
            day = now.astimezone(self.zone).replace(hour=0, minute=0, second=0, microsecond=0)
            self._floor = LiveFloor(day, self.thresholds)
            self._figures = ShiftFigures(
                day, day + timedelta(days=1), targets=self.targets, keep_contacts=True
            )
            events = self.store.events.between(day - FLOOR_LOOKBACK, now + timedelta(seconds=1))
        else:
            events = iter(self.store.events.after(self._floor.last_event_id))
        for event in events:
            self._floor.add(event)
            self._figures.add(event)
        waiting = [
            WaitingContact(c.id, c.channel, c.created)
            for queue in QUEUES
            for c in self.store.queue.waiting(queue)
        ]
        alerts = self._floor.alerts(now, waiting, self.targets)
        return ShiftRead(
            now=now,
            floor=self._floor.rows(now),
            queues=queue_rows(waiting, now, self.targets),
            figures=self._figures.rows(now),
            total=self._figures.total(now),
            intervals=self._figures.intervals(),
            alerts=alerts,
            raised=self._alerts.update(alerts),
            contacts=list(self._figures.contacts),
            notices=self.store.notices.active(),
        )
