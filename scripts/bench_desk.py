"""Desk benchmark: what one operator action costs as the shift's event log grows.

Every action checks the operator's state, which the desk derives from the event log. With 100,
10,000 and 100,000 events of this operator already in the shift (searches, the bulk of a busy
shift's events), one contact is worked through again and again (take, hold, resume, end, wrap
up) and each action is timed. The cost should stay flat as the log grows (target: p50 within 2x
from 100 to 100,000 events, p50 <= 2 ms).

Prints one JSON object. Run: .venv/bin/python scripts/bench_desk.py [--contacts N]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_console.clock import FixedClock, to_text  # noqa: E402
from agent_console.desk import Desk  # noqa: E402
from agent_console.domain import EventType, Operator  # noqa: E402
from agent_console.domain.wrapup_rules import WrapUpEntry  # noqa: E402
from agent_console.store import Store  # noqa: E402

SIZES = (100, 10_000, 100_000)
ACTIONS = ("accept", "hold", "resume", "end", "save_wrapup")


def fill_shift(store: Store, operator: str, session_id: str, events: int) -> None:
    """`events` earlier events of this operator in this shift, all in the last hours."""
    start = store.clock.now() - timedelta(hours=6)
    step = timedelta(hours=6) / max(events, 1)
    rows = [
        (
            session_id,
            None,
            operator,
            to_text(start + step * n),
            EventType.SEARCH_MADE.value,
            json.dumps({"query": f"question {n}", "results": []}),
        )
        for n in range(events)
    ]
    store.events.append_many(rows)


def run(folder: Path, size: int, contacts: int) -> dict:
    clock = FixedClock(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    with Store(folder / f"desk{size}.db", clock=clock) as store:
        store.people.upsert_operators([Operator("op", "Operator")])
        session_id = store.events.start_session("op")
        fill_shift(store, "op", session_id, size)
        with store.transaction():
            for _ in range(contacts):
                store.queue.add(channel="phone", customer_contract=None, topic="no_internet")
        desk = Desk(store, "op", session_id)
        desk.log_in()
        timings: dict[str, list[float]] = {action: [] for action in ACTIONS}
        steps = {
            "accept": desk.accept_next,
            "hold": desk.hold,
            "resume": desk.resume,
            "end": desk.end,
            "save_wrapup": lambda: desk.save_wrapup(
                WrapUpEntry(outcome="resolved", topic="no_internet")
            ),
        }
        for _ in range(contacts):
            for action in ACTIONS:
                clock.advance(5)
                started = time.perf_counter()
                steps[action]()
                timings[action].append((time.perf_counter() - started) * 1000)
    every = sorted(t for times in timings.values() for t in times)
    return {
        "events_in_shift": size,
        "action_ms_p50": round(statistics.median(every), 2),
        "action_ms_p99": round(every[int(len(every) * 0.99) - 1], 2),
        **{f"{action}_ms_p50": round(statistics.median(timings[action]), 2) for action in ACTIONS},
    }


def main() -> None:
    contacts = int(sys.argv[sys.argv.index("--contacts") + 1]) if "--contacts" in sys.argv else 40
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(Path(tmp), size, contacts) for size in SIZES]
    first, last = results[0]["action_ms_p50"], results[-1]["action_ms_p50"]
    print(
        json.dumps(
            {
                "contacts_per_size": contacts,
                "by_events_in_shift": results,
                "p50_growth_100_to_100000": round(last / first, 2) if first else None,
            }
        )
    )


if __name__ == "__main__":
    main()
