"""Customers benchmark: a billing export of a million customers imported, then callers recognised.

- import: `customers import` of a generated CSV file (or JSON Lines with --format jsonl), streamed
  in one transaction, read by a worker process on a spare core: rows, seconds, rows_per_s, the
  writing process's CPU time, and the peak RSS (MiB) of the writer and of the reader, which
  stay flat however many rows;
- recognise: a caller's phone (in another writing than the export's), e-mail, and an unknown
  number, looked up among them (ms per lookup, median and p99);
- find: `customers find` by a surname (a scan of the folded names: ms).

Prints one JSON object. Run: .venv/bin/python scripts/bench_customers.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent_console.clock import FixedClock, SystemClock  # noqa: E402
from agent_console.importers.people import import_customers  # noqa: E402
from agent_console.store import Store  # noqa: E402

FIRST = ["Ivan", "Olga", "Sergey", "Anna", "Дмитрий", "Елена", "Pavel", "Мария", "Oleg", "Ирина"]
LAST = ["Petrov", "Smirnova", "Kozlov", "Морозова", "Volkov", "Соколова", "Lebedev", "Ёлкин"]
CITIES = ["Novosibirsk", "Kazan", "Moscow", "Omsk", "Tomsk", "Барнаул"]
STREETS = ["ul. Titova", "ul. Lenina", "pr. Mira", "ул. Гоголя", "Krasny pr."]
TARIFFS = ["Internet Home 100", "Internet Home 300", "Gigabit", "Digital TV Basic"]
LOOKUPS = 2000


def phone(n: int) -> str:
    return f"+7 9{n % 100:02d} {n // 100 % 1000:03d}-{n // 100000 % 100:02d}-{n % 97:02d}"


def customer(n: int, rng: random.Random) -> dict:
    number = 10_000_000 + n
    phones = [phone(number)] + ([phone(number * 7 + 3)] if n % 3 == 0 else [])
    return {
        "contract": f"54{number:08d}",
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "phones": ";".join(phones),
        "email": f"user{n}@mail.ru" if n % 2 else "",
        "city": rng.choice(CITIES),
        "district": "Leninsky" if n % 5 == 0 else "",
        "address": f"{rng.choice(STREETS)} {n % 200 + 1}, apt {n % 120 + 1}",
        "services": ";".join(TARIFFS[: 1 + n % 3]),
        "tariff": TARIFFS[n % len(TARIFFS)],
        "since": f"20{10 + n % 15}-0{1 + n % 9}-1{n % 9}",
        "language": "ru" if n % 4 else "en",
        "balance": f"{(n % 5000) / 10 - 100:.2f}",
        "status": "blocked_nonpayment" if n % 50 == 0 else "active",
    }


def write_export(path: Path, rows: int, file_format: str) -> None:
    rng = random.Random(12)
    with path.open("w", encoding="utf-8", newline="") as out:
        if file_format == "csv":
            writer = csv.DictWriter(out, fieldnames=list(customer(0, rng)))
            writer.writeheader()
            for n in range(rows):
                writer.writerow(customer(n, rng))
        else:
            for n in range(rows):
                row = customer(n, rng)
                row["phones"] = row["phones"].split(";")
                row["services"] = row["services"].split(";")
                row["balance"] = float(row["balance"])
                out.write(json.dumps({k: v for k, v in row.items() if v != ""}) + "\n")


def timed_ms(lookup, queries) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        lookup(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(name: str, times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        f"{name}_ms_median": round(statistics.median(ordered), 3),
        f"{name}_ms_p99": round(ordered[int(0.99 * (len(ordered) - 1))], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = folder / f"customers.{args.format}"
        write_export(export, args.rows, args.format)
        with Store(folder / "customers.db", FixedClock(SystemClock().now())) as store:
            started, cpu = time.perf_counter(), time.process_time()
            count = import_customers(store, [export])
            seconds = time.perf_counter() - started
            writer_cpu_s = time.process_time() - cpu
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            # The worker process that reads the file (importers/people.py), when it ran.
            reader_peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            rng = random.Random(3)
            picks = [rng.randrange(args.rows) for _ in range(LOOKUPS)]
            # The export wrote "+7 9xx xxx-xx-xx"; the telephony bridge sends 8 9xxxxxxxxx.
            calls = [
                "8" + phone(10_000_000 + n).replace(" ", "").replace("-", "")[2:] for n in picks
            ]
            mails = [f"User{n | 1}@Mail.RU" for n in picks]
            strangers = [f"+7 800 {n:07d}" for n in picks]
            by_phone = timed_ms(lambda q: store.people.recognise("phone", q), calls)
            by_mail = timed_ms(lambda q: store.people.recognise("email", q), mails)
            unknown = timed_ms(lambda q: store.people.recognise("phone", q), strangers)
            found = [len(store.people.recognise("phone", q)) for q in calls[:100]]
            by_name = timed_ms(lambda q: store.people.find_customers(q), ["морозова", "Ёлкин олег"])
            report = {
                "rows": count,
                "format": args.format,
                "seconds": round(seconds, 2),
                "rows_per_s": round(count / seconds),
                "peak_rss_mib": round(peak_mib, 1),
                "reader_peak_rss_mib": round(reader_peak_mib, 1),
                "writer_cpu_s": round(writer_cpu_s, 1),
                "db_mib": round((folder / "customers.db").stat().st_size / 2**20, 1),
                "recognised_of_100": sum(1 for n in found if n >= 1),
                **summary("recognise_phone", by_phone),
                **summary("recognise_email", by_mail),
                **summary("recognise_unknown", unknown),
                "find_by_name_ms_max": round(max(by_name), 1),
            }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
