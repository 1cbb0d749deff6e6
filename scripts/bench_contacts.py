"""Contacts benchmark: `contacts import -` streaming contacts in while two consoles take them.

A telephony bridge pipes one contact a line into `agent-console contacts import -` (each line its
own transaction, the caller recognised among the customers by the `from` phone or e-mail) while
two console processes claim contacts from the same file as fast as they can. Prints contacts/s
of the stream (the command's whole run, its start included), the claims made, and the contacts
claimed twice or lost (both zero).

Prints one JSON object. Run: .venv/bin/python scripts/bench_contacts.py [--contacts N]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_console.domain import Customer, Operator  # noqa: E402
from agent_console.store import Store  # noqa: E402


def fill(path: Path, customers: int, consoles: int) -> None:
    with Store(path) as store:
        store.people.upsert_operators(Operator(f"op{n}", f"Operator {n}") for n in range(consoles))
        store.people.upsert_customers(
            Customer(
                f"54{n:08d}",
                f"Customer {n}",
                phone=f"+7 9{n % 100:02d} {n // 100:07d}",
                email=f"user{n}@mail.ru",
            )
            for n in range(customers)
        )


def write_feed(path: Path, contacts: int, customers: int) -> None:
    channels = ("phone", "chat", "email", "social")
    with path.open("w", encoding="utf-8") as out:
        for n in range(contacts):
            known = (n * 7919) % customers
            channel = channels[n % 4]
            sender = (
                f"user{known}@mail.ru"
                if channel == "email"
                else f"8 9{known % 100:02d} {known // 100:07d}"
                if n % 10
                else f"+7 800 {n:07d}"  # an unknown caller now and then
            )
            row = {
                "channel": channel,
                "from": sender,
                "topic": "no_internet",
                "priority": 1 + n % 4,
            }
            out.write(json.dumps(row) + "\n")


def _console(path: str, operator: str, start, stop, results) -> None:
    with Store(path) as store:
        _ = store.conn
        start.wait()
        claimed: list[int] = []
        while True:
            # As a console does: it reads the queue (no lock: WAL readers never wait), and
            # takes the next contact when there is one, as fast as it can.
            if store.queue.count_waiting():
                contact = store.queue.claim_next(operator)
                if contact is not None:
                    claimed.append(contact.id)
            elif stop.is_set():
                break
            else:
                time.sleep(0.001)
        results.put(claimed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--consoles", type=int, default=2, help="processes claiming contacts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, feed = folder / "contacts.db", folder / "feed.jsonl"
        fill(path, args.customers, args.consoles)
        write_feed(feed, args.contacts, args.customers)
        context = multiprocessing.get_context("spawn")
        start, stop, results = context.Event(), context.Event(), context.Queue()
        consoles = [
            context.Process(target=_console, args=(str(path), f"op{n}", start, stop, results))
            for n in range(args.consoles)
        ]
        for console in consoles:
            console.start()
        time.sleep(1.5)  # let them import and connect
        start.set()
        command = [sys.executable, "-c", "from agent_console.cli import main; main()"]
        command += ["--db", str(path)]
        started = time.perf_counter()
        with feed.open("rb") as stdin, tempfile.TemporaryFile() as out:
            importer = subprocess.Popen(
                [*command, "contacts", "import", "-"],
                stdin=stdin,
                stdout=out,
                stderr=subprocess.DEVNULL,
            )
            _, status, usage = os.wait4(importer.pid, 0)
            seconds = time.perf_counter() - started
            out.seek(0)
            added = [int(line) for line in out.read().split()]
        stop.set()
        claimed = [cid for _ in consoles for cid in results.get(timeout=120)]
        for console in consoles:
            console.join()
        with Store(path) as store:
            recognised = store.conn.execute(
                "SELECT count(*) FROM contacts WHERE customer_contract IS NOT NULL"
            ).fetchone()[0]
            waiting = store.queue.count_waiting()
    report = {
        "contacts": len(added),
        "exit_status": os.waitstatus_to_exitcode(status),
        "seconds": round(seconds, 2),
        "contacts_per_s": round(len(added) / seconds),
        # The stream's own CPU time: what is left of `seconds` went waiting for the write lock
        # (or for a core, on a busy machine).
        "importer_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "consoles": args.consoles,
        "claimed": len(claimed),
        "claimed_twice": len(claimed) - len(set(claimed)),
        "lost": len(set(added) - set(claimed)) - waiting,
        "recognised": recognised,
        "customers": args.customers,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
