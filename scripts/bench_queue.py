"""Queue benchmark: a queue of 10,000 waiting contacts in a headless console.

- tick: one second of the clock — the waiting and SLA columns follow it: the CPU time of the
  whole process per tick (the screen's repaint included; the wall time would mostly be the
  event loop waiting for Textual's next repaint), and the queue's own rendering of its visible
  rows (median/p99, ms);
- reload: the queue read again after another process added contacts (ms);
- accept: from the key `a` to the customer card on screen (ms);
- claims per second with 20 processes on one database file, and double claims (zero).

Prints one JSON object. Run: .venv/bin/python scripts/bench_queue.py
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_console.app import AgentConsoleApp  # noqa: E402
from agent_console.clock import FixedClock, SystemClock  # noqa: E402
from agent_console.config import Config  # noqa: E402
from agent_console.demo import load_demo  # noqa: E402
from agent_console.domain.wrapup_rules import WrapUpEntry  # noqa: E402
from agent_console.store import Store  # noqa: E402
from agent_console.widgets.customer_card import CustomerCard  # noqa: E402
from agent_console.widgets.queue_table import QueueTable  # noqa: E402
from scripts.bench_store import bench_processes  # noqa: E402

WAITING = 10_000
TICKS = 60


def fill(path: Path, clock: FixedClock) -> None:
    with Store(path, clock) as store:
        load_demo(store)
        contracts = store.people.customer_contracts()
        channels = ("phone", "chat", "email", "social")
        with store.transaction():
            for n in range(WAITING):
                store.queue.add(
                    channel=channels[n % 4],
                    customer_contract=contracts[n % len(contracts)],
                    topic="no_internet",
                    subject=f"IVR: Internet > No connection #{n}",
                    priority=1 + n % 4,
                    created=clock.now() - timedelta(seconds=n % 5000),
                )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(path: Path, clock: FixedClock) -> dict:
    store = Store(path, clock)
    app = AgentConsoleApp(store=store, config=Config(db=path))
    report: dict = {}
    async with app.run_test(size=(160, 48)) as pilot:
        started = time.perf_counter()
        queue = app.screen.query_one(QueueTable)
        while queue.row_count < WAITING:
            await pilot.pause(0.01)
        report["first_load_ms"] = round((time.perf_counter() - started) * 1000, 1)
        await app.workers.wait_for_complete()
        ticks, renders = [], []
        for _ in range(TICKS):
            clock.advance(1)
            started = time.process_time()
            app.screen.tick()
            await pilot.pause()
            ticks.append((time.process_time() - started) * 1000)
            started = time.perf_counter()
            for y in range(queue.size.height):
                queue.render_line(y)
            renders.append((time.perf_counter() - started) * 1000)
        report["tick_cpu_ms_median"] = round(statistics.median(ticks), 2)
        report["tick_cpu_ms_p99"] = round(percentile(ticks, 0.99), 2)
        report["queue_render_ms_median"] = round(statistics.median(renders), 2)
        report["queue_render_ms_p99"] = round(percentile(renders, 0.99), 2)

        before = queue.row_count
        with Store(path, clock) as feeder:
            feeder.queue.add(channel="chat", customer_contract=None, topic="billing", priority=1)
        started = time.perf_counter()
        while queue.row_count != before + 1:
            app.screen.tick()
            await pilot.pause(0.005)
        report["reload_after_new_contact_ms"] = round((time.perf_counter() - started) * 1000, 1)

        accepts = []
        for _ in range(5):
            started = time.perf_counter()
            await pilot.press("a")
            card = app.screen.query_one(CustomerCard)
            while card.data is None:
                await pilot.pause(0.002)
            accepts.append((time.perf_counter() - started) * 1000)
            await app.workers.wait_for_complete()
            app.screen.desk.end()
            app.screen.desk.save_wrapup(WrapUpEntry(outcome="resolved"))
            app.screen._post_state()
            while card.data is not None:
                await pilot.pause(0.002)
            await pilot.pause()
        report["accept_ms_median"] = round(statistics.median(accepts), 1)
        report["accept_ms_max"] = round(max(accepts), 1)
    store.close()
    return report


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clock = FixedClock(SystemClock().now())
        path = folder / "queue.db"
        fill(path, clock)
        report = {"waiting": WAITING + 30}  # and the demo's own 30
        report.update(asyncio.run(measure(path, clock)))
        report.update(bench_processes(folder))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
