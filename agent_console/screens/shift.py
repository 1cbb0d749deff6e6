"""The Shift mode (supervisors; trainers may watch): the floor live, the queues by channel, and
the shift's figures per operator and in total, all from the one event log.

A worker reads the log from the last event it saw, once a second, and folds it into the floor
(domain/live_floor.py) and the figures (domain/figures.py): the same folds the report uses, so
the view and `agent-console report shift` never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header
from textual.worker import Worker

from agent_console.context import ConsoleContext
from agent_console.domain import Contact
from agent_console.domain.codes import CHANNELS
from agent_console.domain.figures import ShiftFigures
from agent_console.domain.live_floor import FloorRow, LiveFloor
from agent_console.timefmt import duration
from agent_console.workers import io_work

HELP = """\
## Shift

**The floor** (top left): every operator logged in, their state and for how long, the contact in
hand and the contacts they have wrapped up today. A row turns red when a call, a hold or a wrap-up
runs long, or a break runs past its length. **The queues** (top right): waiting contacts by
channel, the longest wait, and how many are past their answer time. **The figures** (below):
today's contacts per operator and in total, the average talk, hold, after-call and handle time,
transfers, the promotion, early endings and the service level. Everything follows the event
log: a change on any console shows here within a second. `agent-console report shift` prints
the same figures.
"""

# The floor's first read goes back this far: an operator who logged in before midnight is
# still on the floor (a shift lasts 4-6 hours).
FLOOR_LOOKBACK = timedelta(hours=16)
QUEUES = ("front", "tech_support", "retention")

FIGURE_COLUMNS = (
    ("Operator", "operator"),
    ("Contacts", "contacts"),
    ("AHT", "handle_s_avg"),
    ("Talk", "talk_s_avg"),
    ("Hold", "hold_s_avg"),
    ("ACW", "acw_s_avg"),
    ("→ Tech", "transfers_tech_support"),
    ("→ Retention", "transfers_retention"),
    ("Promo offered", "promotion_offered"),
    ("accepted", "promotion_accepted"),
    ("Early ends", "ended_early"),
    ("Wording", "wording_share"),
    ("Service level", "service_level"),
)


@dataclass(frozen=True)
class QueueRow:
    channel: str
    waiting: int
    longest_wait_s: float
    past_sla: int


def queue_rows(contacts: list[Contact], now: datetime) -> list[QueueRow]:
    """Waiting contacts by channel: how many, the longest wait, how many past their SLA."""
    rows = []
    for channel in CHANNELS:
        mine = [c for c in contacts if c.channel == channel]
        rows.append(
            QueueRow(
                channel=channel,
                waiting=len(mine),
                longest_wait_s=max(((now - c.created).total_seconds() for c in mine), default=0),
                past_sla=sum(1 for c in mine if c.sla_due < now),
            )
        )
    return rows


def figure_cell(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.endswith("_s_avg"):
        return duration(value)
    if key.endswith("share") or key == "service_level":
        return f"{value:.0%}"
    return str(value)


class ShiftScreen(Screen):
    HELP = HELP
    DEFAULT_CSS = """
    ShiftScreen #shift-top { height: 1fr; }
    ShiftScreen #shift-top DataTable { height: 100%; }
    ShiftScreen #shift-floor { width: 2fr; }
    ShiftScreen #shift-queues { width: 1fr; }
    ShiftScreen #shift-figures { height: 1fr; }
    ShiftScreen DataTable {
        border: round $primary;
        border-title-style: bold;
        &:focus { border: round $accent; }
    }
    """

    @dataclass
    class FloorRead(Message):
        now: datetime
        floor: list[FloorRow]
        queues: list[QueueRow]
        figures: list[dict[str, Any]]
        total: dict[str, Any]

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__()
        self.context = context
        self._floor: LiveFloor | None = None
        self._figures: ShiftFigures | None = None
        self._read: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        with Horizontal(id="shift-top"):
            yield DataTable(id="shift-floor", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="shift-queues", cursor_type="row")
        yield DataTable(id="shift-figures", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "shift"
        floor = self.query_one("#shift-floor", DataTable)
        floor.border_title = "Floor"
        floor.add_columns("Operator", "State", "For", "Contact", "Handled today")
        queues = self.query_one("#shift-queues", DataTable)
        queues.border_title = "Queues"
        queues.add_columns("Channel", "Waiting", "Longest", "Past SLA")
        figures = self.query_one("#shift-figures", DataTable)
        figures.border_title = "Today's figures"
        figures.add_columns(*(title for title, _key in FIGURE_COLUMNS))
        self.tick()
        self.set_interval(1.0, self.tick)
        floor.focus()

    def tick(self) -> None:
        # One read at a time: each folds on from where the last one stopped.
        if self._read is None or self._read.is_finished:
            self._read = self.read_floor()

    @io_work(group="shift")
    def read_floor(self) -> None:
        store, now = self.context.store, self.context.clock.now()
        if self._floor is None or self._figures is None:
            day = now.astimezone(self.context.timezone).replace(
                hour=0, minute=0, second=0, microsecond=0
            )
            self._floor, self._figures = (
                LiveFloor(day),
                ShiftFigures(
                    day,
                    day + timedelta(days=1),
                    targets=self.context.config.service_level.targets(),
                ),
            )
            events = store.events.between(day - FLOOR_LOOKBACK, now + timedelta(seconds=1))
        else:
            events = iter(store.events.after(self._floor.last_event_id))
        for event in events:
            self._floor.add(event)
            self._figures.add(event)
        waiting = [c for queue in QUEUES for c in store.queue.waiting(queue)]
        self.post_message(
            self.FloorRead(
                now,
                self._floor.rows(now),
                queue_rows(waiting, now),
                self._figures.rows(now),
                self._figures.total(now),
            )
        )

    @on(FloorRead)
    def _show(self, message: FloorRead) -> None:
        floor = self.query_one("#shift-floor", DataTable)
        floor.clear()
        for row in message.floor:
            style = "bold red" if row.attention else ""
            floor.add_row(
                Text(row.login),
                Text(row.state, style=style),
                Text(duration(row.in_state_s), style=style),
                str(row.contact_id) if row.contact_id is not None else "—",
                str(row.handled),
                key=row.login,
            )
        floor.border_subtitle = f"{len(message.floor)} logged in"
        queues = self.query_one("#shift-queues", DataTable)
        queues.clear()
        for queue in message.queues:
            late = Text(str(queue.past_sla), style="bold red" if queue.past_sla else "")
            queues.add_row(
                queue.channel.capitalize(),
                str(queue.waiting),
                duration(queue.longest_wait_s),
                late,
                key=queue.channel,
            )
        figures = self.query_one("#shift-figures", DataTable)
        figures.clear()
        for figure in [*message.figures, {**message.total, "operator": "Total"}]:
            figures.add_row(
                *(Text(figure_cell(key, figure.get(key))) for _t, key in FIGURE_COLUMNS)
            )
