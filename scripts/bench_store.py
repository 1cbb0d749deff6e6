"""Store benchmark: creating and loading the demo database, and claiming contacts.

`bench_claims` races N processes (consoles) for one queue on either engine: a SQLite file or a
PostgreSQL database (`scratch_database` makes one on a server for the run and drops it after;
scripts/bench_queue.py --db uses both).

Prints one JSON object. Run: .venv/bin/python scripts/bench_store.py
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_console.demo import load_demo  # noqa: E402
from agent_console.domain import Operator  # noqa: E402
from agent_console.store import Store  # noqa: E402

CLAIMS_ONE_CONNECTION = 5000
PROCESSES = 20
CONTACTS_FOR_PROCESSES = 20000
# How long the racing processes may take to start and connect before the race is called off.
START_WAIT_S = 120
# A console that fails this many claims in a row stops (the server gone, not a busy moment).
ERRORS_IN_A_ROW = 100


def bench_demo_load(folder: Path, runs: int = 5) -> dict:
    times = []
    for run in range(runs):
        path = folder / f"demo{run}.db"
        started = time.perf_counter()
        with Store(path) as store:
            load_demo(store)
        times.append(time.perf_counter() - started)
    return {
        "demo_create_and_load_s_median": round(statistics.median(times), 3),
        "demo_create_and_load_s_max": round(max(times), 3),
    }


def fill_queue(db: Path | str, count: int, operators: int) -> None:
    with Store(db) as store:
        store.people.upsert_operators(Operator(f"op{n}", f"Operator {n}") for n in range(operators))
        # One transaction without a savepoint per contact: on a server, each is a round trip.
        with store.one_transaction():
            for _ in range(count):
                store.queue.add(channel="phone", customer_contract=None, topic="no_internet")


def bench_one_connection(folder: Path) -> dict:
    path = folder / "claims1.db"
    fill_queue(path, CLAIMS_ONE_CONNECTION, 1)
    with Store(path) as store:
        started = time.perf_counter()
        claimed = 0
        while store.queue.claim_next("op0") is not None:
            claimed += 1
        elapsed = time.perf_counter() - started
    return {
        "claims_one_connection": claimed,
        "claims_per_s_one_connection": round(claimed / elapsed),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _claimer(db: str, operator: str, ready: Any, results: Any) -> None:
    """One console: claim until the queue is empty, timing each claim; reports the ids it got,
    each claim's milliseconds and its errors by kind."""
    with Store(db) as store:
        store.queue.count_waiting()  # connected before the start signal
        ready.wait(timeout=START_WAIT_S)
        claimed: list[int] = []
        latencies: list[float] = []
        errors: Counter[str] = Counter()
        in_a_row = 0
        while in_a_row < ERRORS_IN_A_ROW:
            started = time.perf_counter()
            try:
                contact = store.queue.claim_next(operator)
            except Exception as error:  # noqa: BLE001 - counted and reported, the benchmark goes on
                errors[type(error).__name__] += 1
                in_a_row += 1
                continue
            in_a_row = 0
            if contact is None:
                break
            latencies.append((time.perf_counter() - started) * 1000)
            claimed.append(contact.id)
        results.put((claimed, latencies, dict(errors)))


def _racers() -> Any:
    """Where the racing consoles come from: a fork server that has imported the store, psycopg
    and the running script once (spawning a hundred interpreters would spend a minute of a small
    machine's CPU on imports before the race; forking this process would copy its connections)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", "psycopg", "agent_console.store", __name__])
    return context


def bench_claims(db: Path | str, processes: int, contacts: int) -> dict:
    """`processes` consoles, each a process with its own connection, claiming from one queue of
    `contacts` until it is empty: claims per second across them, each claim's latency, and what
    went wrong (double claims, contacts left waiting, errors by kind)."""
    fill_queue(db, contacts, processes)
    context = _racers()
    ready, results = context.Barrier(processes + 1), context.Queue()
    workers = [
        context.Process(target=_claimer, args=(str(db), f"op{n}", ready, results))
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    ready.wait(timeout=START_WAIT_S)  # every console connected: the race starts for all at once
    started = time.perf_counter()
    outcomes = [results.get(timeout=600) for _ in workers]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    claimed = [cid for ids, _, _ in outcomes for cid in ids]
    latencies = [ms for _, times, _ in outcomes for ms in times]
    errors: Counter[str] = Counter()
    for _, _, failed in outcomes:
        errors.update(failed)
    with Store(db) as store:
        left_waiting = store.queue.count_waiting()
    return {
        "processes": processes,
        "claims": len(claimed),
        "claims_per_s": round(len(claimed) / elapsed),
        "claim_ms_p50": round(percentile(latencies, 0.50), 2) if latencies else None,
        "claim_ms_p99": round(percentile(latencies, 0.99), 2) if latencies else None,
        "double_claims": len(claimed) - len(set(claimed)),
        "left_waiting": left_waiting,
        "errors": dict(errors),
    }


def bench_processes(folder: Path) -> dict:
    """PROCESSES consoles on one SQLite file (the figures the benchmark has always printed)."""
    race = bench_claims(folder / "claims20.db", PROCESSES, CONTACTS_FOR_PROCESSES)
    return {
        "processes": PROCESSES,
        "claims_across_processes": race["claims"],
        "claims_per_s_across_processes": race["claims_per_s"],
        "double_claims": race["double_claims"],
        "lock_errors": sum(race["errors"].values()),
    }


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url` (same user, host, options)."""
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


@contextmanager
def scratch_database(server_url: str, label: str) -> Iterator[str]:
    """A new, empty database on the server for one measurement (`bench_<label>_<pid>`, made by
    the URL's user, who needs CREATEDB); its URL. Dropped afterwards, whoever is connected."""
    import psycopg

    name = f"bench_{label}_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield database_url(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = {}
        report.update(bench_demo_load(folder))
        report.update(bench_one_connection(folder))
        report.update(bench_processes(folder))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
