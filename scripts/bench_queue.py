"""Queue benchmark: a queue of 10,000 waiting contacts in a headless console.

- tick: one second of the clock — the waiting and SLA columns follow it: the CPU time of the
  whole process per tick (the screen's repaint included; the wall time would mostly be the
  event loop waiting for Textual's next repaint), and the queue's own rendering of its visible
  rows (median/p99, ms);
- reload: the queue read again after another process added contacts (ms);
- accept: from the key `a` to the customer card on screen (ms);
- claims per second with 20 processes on one database file, and double claims (zero).

With `--db postgresql://USER@HOST/DB` it also compares the engines, each measured in this run
(SQLite on a file in a temporary folder, PostgreSQL on that server), under "engines":
- claims_20, claims_100: 20 and 100 consoles (processes, a connection each) claiming from one
  queue of CLAIMS_CONTACTS until it is empty: claims per second across them, each claim's
  latency (p50/p99, ms), double claims, contacts left waiting, errors by kind;
- arrival_read: a contact added and committed by another connection, to a listening console
  knowing it (`has_changed()`, ms: LISTEN/NOTIFY on PostgreSQL, `PRAGMA data_version` on
  SQLite) and to the queue read back showing it (median/p95 over READ_ARRIVALS arrivals);
- arrival_screen: a contact added by another connection, to its row in a headless console's
  queue table (the console's own timers, nothing ticked by hand; median/p95/max over
  SCREEN_ARRIVALS arrivals, each at a random moment of the console's one-second tick);
- arrival_screen_look_100ms: the same with the console also ticking every 0.1 s: what the
  figure would be if the console looked for changes that often (`has_changed()` reads a
  counter on PostgreSQL and `PRAGMA data_version` on SQLite: cheap either way).

The URL's database is used only to connect: each measurement makes a scratch database of its
own on that server (`CREATE DATABASE bench_<what>_<pid>`: the user needs CREATEDB) and drops it
afterwards. 100 consoles need max_connections of at least 110 (the consoles, the console
under test's few connections and its listener, the benchmark's own). A throwaway cluster for
it (max_connections=300), on loopback TCP:
    python -m tests.pg_cluster start /tmp/FOLDER --port 55432
    .venv/bin/python scripts/bench_queue.py --db postgresql://agent@127.0.0.1:55432/postgres
    python -m tests.pg_cluster stop /tmp/FOLDER

"host": the machine's CPUs and its load average before and after the run (other programs
compete with the racing consoles and the server for the same cores).

Prints one JSON object. Run: .venv/bin/python scripts/bench_queue.py [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
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
from agent_console.store.postgres import redacted_url  # noqa: E402
from agent_console.widgets.customer_card import CustomerCard  # noqa: E402
from agent_console.widgets.queue_table import QueueTable  # noqa: E402
from scripts.bench_store import (  # noqa: E402
    bench_claims,
    bench_processes,
    percentile,
    scratch_database,
)

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


# --- the engines side by side (--db) ----------------------------------------------------------

CLAIMS_CONTACTS = 10_000
CONSOLES = (20, 100)
READ_ARRIVALS = 100
SCREEN_ARRIVALS = 25
# How often the listening console asks `has_changed()` while it waits for an arrival: the
# figure is the delivery's, not this loop's (a console asks at its tick).
LOOK_EVERY_S = 0.0005
# Beyond this an arrival is lost, not late.
ARRIVAL_TIMEOUT_S = 10.0


def compare_engines(folder: Path, server: str) -> dict:
    """Each figure on a SQLite file in `folder` and on a scratch database of `server`."""
    # The console keeps its search index in the user's cache on PostgreSQL: in the temporary
    # folder here, not in the cache of whoever runs the benchmark.
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    engines: dict = {"sqlite": {}, "postgresql": {}}
    for consoles in CONSOLES:
        key = f"claims_{consoles}"
        engines["sqlite"][key] = bench_claims(folder / f"{key}.db", consoles, CLAIMS_CONTACTS)
        with scratch_database(server, key) as url:
            engines["postgresql"][key] = bench_claims(url, consoles, CLAIMS_CONTACTS)
    engines["sqlite"]["arrival_read"] = arrival_read(folder / "arrival_read.db")
    with scratch_database(server, "arrival_read") as url:
        engines["postgresql"]["arrival_read"] = arrival_read(url)
    for key, look_every_s in (("arrival_screen", None), ("arrival_screen_look_100ms", 0.1)):
        sqlite_file = folder / f"{key}.db"
        engines["sqlite"][key] = arrival_screen(sqlite_file, look_every_s)
        with scratch_database(server, key) as url:
            engines["postgresql"][key] = arrival_screen(url, look_every_s)
    return engines


def add_arrival(feeder: Store) -> int:
    """A new chat, committed by the feeder's connection: its id."""
    return feeder.queue.add(channel="chat", customer_contract=None, topic="billing")


def summary(times_ms: list[float], lost: int) -> dict:
    return {
        "arrivals": len(times_ms) + lost,
        "ms_median": round(statistics.median(times_ms), 2) if times_ms else None,
        "ms_p95": round(percentile(times_ms, 0.95), 2) if times_ms else None,
        "ms_max": round(max(times_ms), 2) if times_ms else None,
        "lost": lost,
    }


def arrival_read(db: Path | str) -> dict:
    """From a contact's commit on one connection to another console knowing of it: its
    `has_changed()` turning True ("heard"), then its read of the queue's changes holding the
    contact ("read")."""
    heard: list[float] = []
    read: list[float] = []
    lost = 0
    with Store(db) as feeder, Store(db) as console:
        console.has_changed()  # starts listening (PostgreSQL); the first answer is always True
        watermark = console.queue.changes_since(None).watermark
        for _ in range(READ_ARRIVALS):
            time.sleep(random.uniform(0.005, 0.02))
            contact_id = add_arrival(feeder)
            outcome = _known(console, contact_id, watermark, time.perf_counter())
            if outcome is None:
                lost += 1
                continue
            heard_ms, read_ms, watermark = outcome
            heard.append(heard_ms)
            read.append(read_ms)
    return {"heard": summary(heard, lost), "read": summary(read, lost)}


def _known(
    console: Store, contact_id: int, watermark: int, arrived: float
) -> tuple[float, float, int] | None:
    """Wait, as a console would, for the contact: (ms to the first `has_changed()`, ms to the
    read holding it, the new watermark); None if it does not come."""
    heard_ms = None
    while time.perf_counter() - arrived < ARRIVAL_TIMEOUT_S:
        if not console.has_changed():
            time.sleep(LOOK_EVERY_S)
            continue
        if heard_ms is None:
            heard_ms = (time.perf_counter() - arrived) * 1000
        delta = console.queue.changes_since(watermark)
        watermark = delta.watermark
        if any(contact.id == contact_id for contact in delta.added):
            return heard_ms, (time.perf_counter() - arrived) * 1000, watermark
    return None


def arrival_screen(db: Path | str, look_every_s: float | None = None) -> dict:
    """From a contact's commit on another connection to its row in a headless console's queue
    table, the console running on its own timers (its tick looks for changes once a second);
    `look_every_s`: the console also ticks that often (what a shorter look would give)."""
    with Store(db) as demo:
        load_demo(demo)
    return asyncio.run(_arrivals_on_screen(db, look_every_s))


async def _arrivals_on_screen(db: Path | str, look_every_s: float | None) -> dict:
    store = Store(db)
    app = AgentConsoleApp(store=store, config=Config(db=db))
    times: list[float] = []
    lost = 0
    async with app.run_test(size=(160, 48)) as pilot:
        queue = app.screen.query_one(QueueTable)
        while queue.row_count == 0:
            await pilot.pause(0.01)
        if look_every_s is not None:
            app.screen.set_interval(look_every_s, app.screen.tick)
        with Store(db) as feeder:
            for _ in range(SCREEN_ARRIVALS):
                await pilot.pause(random.uniform(0.0, 1.0))  # anywhere in the console's tick
                contact_id = add_arrival(feeder)
                arrived = time.perf_counter()
                while not any(c.id == contact_id for c in queue.contacts):
                    if time.perf_counter() - arrived > ARRIVAL_TIMEOUT_S:
                        lost += 1
                        break
                    await pilot.pause(0.002)
                else:
                    times.append((time.perf_counter() - arrived) * 1000)
            connections = server_connections(feeder)
    store.close()
    report = summary(times, lost)
    if connections is not None:
        report["console_server_connections"] = connections - 1  # less the feeder's own
    return report


def server_connections(store: Store) -> int | None:
    """How many connections the server has open to this database (None on SQLite)."""
    if store.url is None:
        return None
    return int(
        store.conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", help="a PostgreSQL server's URL: compare the engines on it")
    server = parser.parse_args().db
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clock = FixedClock(SystemClock().now())
        path = folder / "queue.db"
        fill(path, clock)
        report: dict = {"waiting": WAITING + 30}  # and the demo's own 30
        report.update(asyncio.run(measure(path, clock)))
        report.update(bench_processes(folder))
        if server:
            report["server"] = redacted_url(server)
            report["engines"] = compare_engines(folder, server)
    # Figures of processes racing are the machine's as much as the engine's: how busy it was.
    report["host"] = {
        "cpus": os.cpu_count(),
        "load_average_1m": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
