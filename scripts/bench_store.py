"""Store benchmark: creating and loading the demo database, and claiming contacts.

Prints one JSON object. Run: .venv/bin/python scripts/bench_store.py
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_console.demo import load_demo  # noqa: E402
from agent_console.domain import Operator  # noqa: E402
from agent_console.store import Store  # noqa: E402

CLAIMS_ONE_CONNECTION = 5000
PROCESSES = 20
CONTACTS_FOR_PROCESSES = 20000


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


def fill_queue(path: Path, count: int, operators: int) -> None:
    with Store(path) as store:
        store.people.upsert_operators(Operator(f"op{n}", f"Operator {n}") for n in range(operators))
        with store.transaction():
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


def _claimer(path: str, operator: str, start, results) -> None:
    with Store(path) as store:
        _ = store.db  # open the connection before the start signal
        start.wait()
        claimed, errors = [], 0
        while True:
            try:
                contact = store.queue.claim_next(operator)
            except Exception:  # noqa: BLE001 - counted and reported, the benchmark goes on
                errors += 1
                continue
            if contact is None:
                break
            claimed.append(contact.id)
        results.put((claimed, errors))


def bench_processes(folder: Path) -> dict:
    path = folder / "claims20.db"
    fill_queue(path, CONTACTS_FOR_PROCESSES, PROCESSES)
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=_claimer, args=(str(path), f"op{n}", start, results))
        for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    time.sleep(2.0)  # let every process import and connect
    started = time.perf_counter()
    start.set()
    outcomes = [results.get(timeout=300) for _ in workers]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    claimed = [cid for ids, _ in outcomes for cid in ids]
    return {
        "processes": PROCESSES,
        "claims_across_processes": len(claimed),
        "claims_per_s_across_processes": round(len(claimed) / elapsed),
        "double_claims": len(claimed) - len(set(claimed)),
        "lock_errors": sum(errors for _, errors in outcomes),
    }


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
