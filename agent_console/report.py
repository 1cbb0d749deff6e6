"""`agent-console report`: the shift's figures of a range of the log, as a table, CSV or JSON.

The figures are domain/figures.py's, folded from the events the store streams for the range
(and the WARM_UP before it, so a contact or a login begun earlier is known when it ends inside).
No customer's name or contract is in any report: a contact is its id.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import IO, Any

from agent_console.collector import collector_paused
from agent_console.domain.figures import (
    CONTACT_COLUMNS,
    FIGURE_EVENT_TYPES,
    INTERVAL_COLUMNS,
    INTERVAL_S,
    ROW_COLUMNS,
    WARM_UP,
    WITHOUT_ARRIVALS,
    ShiftFigures,
    iso_utc,
)
from agent_console.store import Store


def fold(
    store: Store,
    start: datetime,
    end: datetime,
    *,
    targets: Mapping[str, int] | None = None,
    operators: Iterable[str] | None = None,
    keep_contacts: bool = False,
    arrivals: bool = True,
) -> ShiftFigures:
    """The figures of [start, end). Without `arrivals` (the intervals' count of new contacts),
    and when every closing event of the range carries its contact's facts, the contacts'
    creation events are not read: they would change nothing, and they are nearly half of the
    log a month's report reads."""
    figures = ShiftFigures(
        start, end, targets=targets, operators=operators, keep_contacts=keep_contacts
    )
    read_from = start - WARM_UP
    types = FIGURE_EVENT_TYPES
    if not arrivals and not keep_contacts and store.events.closings_carry_facts(read_from, end):
        types = WITHOUT_ARRIVALS
    with collector_paused():
        figures.add_all(store.events.between(read_from, end, types))
    return figures


def iso(at: datetime) -> str:
    """Every time in a report: ISO 8601 in UTC, "2026-11-23T18:00:00Z"."""
    return iso_utc(at)


def shift_json(
    figures: ShiftFigures, *, by_interval: bool = False, goal: float | None = None
) -> dict[str, Any]:
    """{"from", "to", "service_level_targets_s", "service_level_goal", "operators": [ROW...],
    "total": ROW}; by interval, "interval_s" and "intervals" (one row per 30 minutes, aligned
    to the clock: INTERVAL_COLUMNS) stand where "operators" would."""
    out: dict[str, Any] = {"from": iso(figures.start), "to": iso(figures.end)}
    out["service_level_targets_s"] = dict(figures.targets)
    if goal is not None:
        out["service_level_goal"] = goal
    if by_interval:
        out["interval_s"] = INTERVAL_S
        out["intervals"] = figures.intervals()
    else:
        out["operators"] = figures.rows()
    out["total"] = figures.total()
    return out


def shift_rows(figures: ShiftFigures, *, by_interval: bool = False) -> list[dict[str, Any]]:
    """The rows of the CSV: per operator then the total (its `operator` empty), or per
    interval then the total (its `start` and `end` the range's)."""
    total = figures.total()
    if by_interval:
        whole = {
            "start": iso(figures.start),
            "end": iso(figures.end),
            "arrivals": sum(i["arrivals"] for i in figures.intervals()),
            "handled": total["contacts"],
            "abandoned": total["abandoned"],
            "service_level": total["service_level"],
            "handle_s_avg": total["handle_s_avg"],
        }
        return [*figures.intervals(), whole]
    return [*figures.rows(), {"operator": "", **total}]


def write_csv(out: IO[str], columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


def shift_csv(out: IO[str], figures: ShiftFigures, *, by_interval: bool = False) -> None:
    columns = INTERVAL_COLUMNS if by_interval else ROW_COLUMNS
    write_csv(out, columns, shift_rows(figures, by_interval=by_interval))


def contacts_csv(out: IO[str], figures: ShiftFigures) -> None:
    write_csv(out, CONTACT_COLUMNS, (c.as_row() for c in figures.contacts))


def contacts_json(figures: ShiftFigures) -> dict[str, Any]:
    return {
        "from": iso(figures.start),
        "to": iso(figures.end),
        "contacts": [c.as_row() for c in figures.contacts],
    }


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


# --- the table ---------------------------------------------------------------------------------

_TABLE = (
    ("operator", "Operator", "<"),
    ("contacts", "Contacts", ">"),
    ("talk_s_avg", "Talk", ">"),
    ("hold_s_avg", "Hold", ">"),
    ("acw_s_avg", "ACW", ">"),
    ("handle_s_avg", "AHT", ">"),
    ("transfers_tech_support", "Tech", ">"),
    ("transfers_retention", "Retent.", ">"),
    ("promotion_offered_share", "Promo", ">"),
    ("promotion_accepted", "Promo ok", ">"),
    ("ended_early", "Early", ">"),
    ("wording_share", "Wording", ">"),
    ("service_level", "SL", ">"),
    ("occupancy", "Occup.", ">"),
    ("breaks", "Breaks", ">"),
    ("break_overruns", "Overruns", ">"),
)
_INTERVAL_TABLE = (
    ("start", "Interval", "<"),
    ("arrivals", "Arrivals", ">"),
    ("handled", "Handled", ">"),
    ("abandoned", "Abandoned", ">"),
    ("service_level", "SL", ">"),
    ("handle_s_avg", "AHT", ">"),
)


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key.endswith("_s_avg"):
        seconds = int(round(value))
        return f"{seconds // 60}:{seconds % 60:02d}"
    if key.endswith("share") or key in ("service_level", "occupancy"):
        return f"{value * 100:.0f}%"
    if key == "start":
        return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")
    return str(value)


def shift_table(figures: ShiftFigures, *, by_interval: bool = False) -> str:
    spec = _INTERVAL_TABLE if by_interval else _TABLE
    rows = shift_rows(figures, by_interval=by_interval)
    if by_interval:
        rows[-1] = {**rows[-1], "start": iso(figures.start)}
    cells = [[_cell(key, row.get(key)) for key, _, _ in spec] for row in rows]
    cells[-1][0] = "Total"
    header = [title for _, title, _ in spec]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(spec))]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.ljust(w) if align == "<" else v.rjust(w)
            for v, w, (_, _, align) in zip(values, widths, spec, strict=True)
        ).rstrip()

    local = (
        f"{figures.start.astimezone():%Y-%m-%d %H:%M} – {figures.end.astimezone():%Y-%m-%d %H:%M}"
    )
    total = figures.total()
    lines = [f"Figures {local}: {total['contacts']} contacts, {total['abandoned']} abandoned", ""]
    lines += [line(header), *(line(r) for r in cells[:-1]), line(cells[-1])]
    return "\n".join(lines)
