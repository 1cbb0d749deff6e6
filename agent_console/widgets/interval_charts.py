"""The shift by half-hour: small charts of arrivals, handled contacts, service level and AHT, and
the intervals' table below them.

The rows are the figures' own (`ShiftFigures.intervals()`, what `agent-console report shift --by
interval` prints), set from above through `intervals`; the charts start at the day's first
half-hour with any contact and end at the one the clock is in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Sparkline, Static

from agent_console.i18n import N_, _
from agent_console.timefmt import duration
from agent_console.widgets.tables import refill

Format = Callable[[Any], str]


def _count(value: Any) -> str:
    return str(value)


def _share(value: Any) -> str:
    return "—" if value is None else f"{value:.0%}"


def _seconds(value: Any) -> str:
    return duration(value) if value else "—"


CHART_SPAN = 16  # half-hours: eight hours

# (key of an interval row, title, how a value reads)
CHARTS: tuple[tuple[str, str, Format], ...] = (
    ("arrivals", N_("Arrivals"), _count),
    ("handled", N_("Handled"), _count),
    ("service_level", N_("Service level"), _share),
    ("handle_s_avg", N_("AHT"), _seconds),
)
TABLE = (
    ("start", N_("Half-hour")),
    ("arrivals", N_("Arrivals")),
    ("handled", N_("Handled")),
    ("abandoned", N_("Abandoned")),
    ("service_level", N_("Service level")),
    ("handle_s_avg", N_("AHT")),
)
FORMATS: dict[str, Format] = {key: shown for key, _title, shown in CHARTS} | {"abandoned": _count}


def shown_intervals(intervals: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """From the first half-hour with a contact (arrived, handled or abandoned) to the one `now`
    is in."""
    begun = [i for i in intervals if datetime.fromisoformat(i["start"]) <= now]
    busy = [n for n, i in enumerate(begun) if i["arrivals"] or i["handled"] or i["abandoned"]]
    return begun[busy[0] :] if busy else begun[-1:]


class IntervalCharts(Vertical):
    DEFAULT_CSS = """
    IntervalCharts {
        border: round $primary;
        border-title-style: bold;
        &:focus-within { border: round $accent; }
    }
    IntervalCharts #interval-charts { height: 5; }
    IntervalCharts .chart { width: 1fr; padding: 0 1; }
    IntervalCharts .chart Static { height: 1; }
    IntervalCharts .chart Sparkline { height: 3; }
    IntervalCharts #interval-table { height: 1fr; border: none; }
    """

    intervals: reactive[tuple[dict[str, Any], ...]] = reactive(tuple, always_update=True)
    """The half-hours to show, oldest first (`shown_intervals`)."""

    def __init__(self, zone: tzinfo, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Horizontal(id="interval-charts"):
            for key, _title, _shown in CHARTS:
                with Vertical(classes="chart"):
                    yield Static(id=f"chart-{key}-title")
                    yield Sparkline([], id=f"chart-{key}")
        yield DataTable(id="interval-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.border_title = _("Today by half-hour")
        table = self.query_one(DataTable)
        table.add_columns(*(_(title) for _key, title in TABLE))

    def watch_intervals(self, intervals: tuple[dict[str, Any], ...]) -> None:
        for key, title, shown in CHARTS:
            values = [row[key] for row in intervals[-CHART_SPAN:]]
            self.query_one(f"#chart-{key}", Sparkline).data = [float(v or 0) for v in values]
            line = Text(_(title) + " ", style="bold")
            line.append((shown(values[-1]) if values else "—") + " ")
            line.append(_("this half-hour"), style="dim")
            self.query_one(f"#chart-{key}-title", Static).update(line)
        rows = []
        for interval in reversed(intervals):
            start = datetime.fromisoformat(interval["start"]).astimezone(self.zone)
            cells = [start.strftime("%H:%M")]
            cells += [FORMATS[key](interval[key]) for key, _title in TABLE[1:]]
            rows.append((cells, interval["start"]))
        refill(self.query_one(DataTable), rows)
