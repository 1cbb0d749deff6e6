"""Report benchmark: a month of a 70-seat center, then `report shift` for a day and for the month,
and the live view's incremental tick with 100 operators logged in.

Prints one JSON object. Run: .venv/bin/python scripts/bench_report.py [--days 30] [--db PATH]
The month is generated straight into the tables (executemany through the store's bulk helpers),
not through the desk, so that it takes seconds, not hours. Targets (issue 13): a day ≤ 300 ms,
the month ≤ 3 s, a tick ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from click.testing import CliRunner  # noqa: E402

from agent_console.cli import main  # noqa: E402
from agent_console.clock import FixedClock, to_text  # noqa: E402
from agent_console.domain import Operator  # noqa: E402
from agent_console.domain.figures import FIGURE_EVENT_TYPES, ShiftFigures  # noqa: E402
from agent_console.store import Store  # noqa: E402

SEATS = 70
LIVE_OPERATORS = 100
FIRST_DAY = datetime(2026, 10, 1, tzinfo=UTC)
# Three overlapping 6-hour shifts a day, each seat on one of them.
SHIFT_STARTS_H = (8, 12, 16)
SHIFT_S = 6 * 3600
CHANNELS = {"phone": 55, "chat": 25, "email": 12, "social": 8}
GREETINGS = ("greeting-evening", "greeting-chat", "greeting-after-queue")
MIDDLE = ("ident-ask-contract", "fee-increase-explain", "promo-offer", "router-restart")
CLOSINGS = ("closing-anything-else", "closing-thanks")


class Day:
    """One day's rows for the two tables, as the desk and the queue would have written them."""

    def __init__(self) -> None:
        self.contacts: list[tuple] = []
        self.events: list[tuple] = []

    def event(self, cid, operator, at, kind, payload) -> None:
        self.events.append((None, cid, operator, to_text(at), kind, json.dumps(payload)))


def one_contact(day: Day, rng: random.Random, cid: int, login: str, now: datetime) -> datetime:
    """A contact taken at `now`, ~15 events; returns when the operator is ready again."""
    channel = rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
    created = now - timedelta(seconds=rng.expovariate(1 / 60))
    day.event(cid, None, created, "contact_created", {"queue": "front", "channel": channel})
    accepted = now
    day.event(
        cid, login, now, "contact_accepted",
        {"channel": channel, "queue": "front", "created": to_text(created)},
    )  # fmt: skip
    t = accepted
    scripts = [rng.choice(GREETINGS), rng.choice(MIDDLE), rng.choice(CLOSINGS)]
    for n, script in enumerate(scripts):
        t += timedelta(seconds=rng.randint(5, 60))
        day.event(cid, login, t, "script_said", {"script_id": f"{script}.en"})
        if n == 0:
            for turn in range(4):
                t += timedelta(seconds=rng.randint(5, 20))
                speaker = "customer" if turn % 2 else "operator"
                day.event(cid, login, t, "dialogue", {"speaker": speaker, "text": "…"})
            for query in ("router", "router red light"):
                t += timedelta(seconds=4)
                day.event(cid, login, t, "search_made", {"query": query, "results": ["a"]})
            t += timedelta(seconds=5)
            day.event(cid, login, t, "article_opened", {"article_id": "router", "query": "router"})
    hold = 0
    if channel == "phone" and rng.random() < 0.2:
        day.event(cid, login, t, "contact_held", {})
        hold = rng.randint(15, 90)
        t += timedelta(seconds=hold)
        day.event(cid, login, t, "contact_resumed", {})
    promotion = None
    if rng.random() < 0.6:
        promotion = "accepted" if rng.random() < 0.15 else "declined"
        day.event(cid, login, t, "promotion_offered", {"answer": promotion})
    ended = t + timedelta(seconds=rng.randint(10, 100))
    day.event(cid, login, ended, "contact_ended", {})
    acw = rng.randint(10, 60)
    saved = ended + timedelta(seconds=acw)
    transfer = rng.choices([None, "tech_support", "retention"], [90, 8, 2])[0]
    day.event(cid, login, saved, "wrapup_saved", {
        "outcome": "transferred" if transfer else "resolved",
        "talk_s": round((ended - accepted).total_seconds()) - hold, "hold_s": hold,
        "acw_s": acw, "transfer_target": transfer, "promotion": promotion, "channel": channel,
        "created": to_text(created), "accepted": to_text(accepted), "ended": to_text(ended),
        "warnings": [], "scripts": scripts, "script_categories": ["closing", "greeting"],
    })  # fmt: skip
    day.contacts.append(
        (cid, channel, to_text(created), login, to_text(accepted), to_text(ended), "closed")
    )
    return saved + timedelta(seconds=rng.randint(2, 30))


def abandoned_contact(day: Day, rng: random.Random, cid: int, now: datetime) -> None:
    channel = rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
    waited = rng.randint(20, 200)
    created, left = now - timedelta(seconds=waited), now
    day.event(cid, None, created, "contact_created", {"queue": "front", "channel": channel})
    day.event(
        cid, None, left, "contact_abandoned",
        {"queue": "front", "channel": channel, "waited_s": waited},
    )  # fmt: skip
    day.contacts.append((cid, channel, to_text(created), None, None, to_text(left), "abandoned"))


def generate(store: Store, days: int, rng: random.Random) -> dict:
    """`days` of the floor: each seat works a 6-hour shift with two 10-minute breaks (some run
    over), taking contacts back to back; one caller in twenty hangs up in the queue."""
    store.people.upsert_operators(Operator(f"op{n:02d}", f"Operator {n}") for n in range(SEATS))
    contact_id = contacts_total = events_total = abandoned = 0
    for number in range(days):
        midnight = FIRST_DAY + timedelta(days=number)
        day = Day()
        for seat in range(SEATS):
            login = f"op{seat:02d}"
            start = midnight + timedelta(
                hours=SHIFT_STARTS_H[seat % 3], seconds=rng.randint(0, 600)
            )
            end = start + timedelta(seconds=SHIFT_S)
            day.event(None, login, start, "state_changed", {"state": "ready", "reason": "login"})
            now = start + timedelta(seconds=rng.randint(5, 30))
            breaks = [start + timedelta(hours=2), start + timedelta(hours=4)]
            while now < end:
                if breaks and now >= breaks[0]:
                    breaks.pop(0)
                    day.event(
                        None, login, now, "state_changed", {"state": "break", "reason": "break"}
                    )
                    now += timedelta(seconds=rng.randint(480, 760))
                    day.event(None, login, now, "state_changed", {"state": "ready"})
                if rng.random() < 0.05:
                    contact_id += 1
                    abandoned += 1
                    abandoned_contact(day, rng, contact_id, now)
                contact_id += 1
                now = one_contact(day, rng, contact_id, login, now)
            day.event(None, login, now, "state_changed", {"state": "logged_out"})
        store.queue.add_handled_many(day.contacts)
        store.events.append_many(day.events)
        contacts_total += len(day.contacts)
        events_total += len(day.events)
    return {"contacts": contacts_total, "events": events_total, "abandoned": abandoned}


def timed_report(db: Path, *args: str, runs: int = 3) -> tuple[float, dict]:
    runner = CliRunner()
    times, output = [], {}
    for _ in range(runs):
        started = time.perf_counter()
        result = runner.invoke(
            main, ["--db", str(db), "report", "shift", "--format", "json", *args]
        )
        times.append(time.perf_counter() - started)
        assert result.exit_code == 0, result.output
        output = json.loads(result.output)
    return statistics.median(times), output


def bench_ticks(db: Path, day: datetime, rng: random.Random, ticks: int = 200) -> dict:
    """The live view: a day's figures folded once, then each tick reads only the events after
    the last one seen (one for each of 100 operators: a busy second), folds them in and makes
    every operator's row and the total."""
    clock = FixedClock(day + timedelta(hours=20))
    with Store(db, clock) as store:
        store.people.upsert_operators(
            Operator(f"live{n:02d}", f"Live {n}") for n in range(LIVE_OPERATORS)
        )
        live = ShiftFigures(day, day + timedelta(days=1))
        started = time.perf_counter()
        live.add_all(
            store.events.between(day - timedelta(hours=16), clock.now(), FIGURE_EVENT_TYPES)
        )
        live.last_event_id = store.events.last_id()
        first_fold = time.perf_counter() - started
        kinds = ["state_changed"]
        times = []
        for tick in range(ticks):
            clock.advance(1)
            at = to_text(clock.now())
            rows = []
            for n in range(LIVE_OPERATORS):
                state = "break" if (tick + n) % 2 == 0 else "ready"
                payload = (
                    {"state": state, "reason": "break"} if state == "break" else {"state": state}
                )
                rows.append(
                    (None, None, f"live{n:02d}", at, rng.choice(kinds), json.dumps(payload))
                )
            store.events.append_many(rows)
            started = time.perf_counter()
            new = store.events.after(live.last_event_id, FIGURE_EVENT_TYPES)
            live.add_all(new)
            operator_rows = live.rows(clock.now())
            live.total(clock.now())
            times.append(time.perf_counter() - started)
        assert len(operator_rows) >= LIVE_OPERATORS
    return {
        "tick_operators": len(operator_rows),
        "tick_events_per_tick": LIVE_OPERATORS,
        "tick_ms_median": round(statistics.median(times) * 1000, 2),
        "tick_ms_max": round(max(times) * 1000, 2),
        "tick_first_fold_of_the_day_s": round(first_fold, 3),
    }


def run(days: int, db: Path | None) -> dict:
    rng = random.Random(13)
    folder = Path(tempfile.mkdtemp(prefix="bench_report_"))
    path = db or folder / "month.db"
    started = time.perf_counter()
    with Store(path, FixedClock(FIRST_DAY)) as store:
        generated = generate(store, days, rng)
    generate_s = time.perf_counter() - started
    day = FIRST_DAY + timedelta(days=days // 2)
    day_s, day_report = timed_report(
        path, "--from", day.date().isoformat(), "--to", day.date().isoformat()
    )
    last = FIRST_DAY + timedelta(days=days - 1)
    month_s, month_report = timed_report(
        path, "--from", FIRST_DAY.date().isoformat(), "--to", last.date().isoformat(), runs=2
    )
    result = {
        "seats": SEATS,
        "days": days,
        **generated,
        "db_mb": round(path.stat().st_size / 1e6, 1),
        "generate_s": round(generate_s, 1),
        "report_day_s": round(day_s, 3),
        "report_day_contacts": day_report["total"]["contacts"],
        "report_day_target_s": 0.3,
        "report_month_s": round(month_s, 3),
        "report_month_contacts": month_report["total"]["contacts"],
        "report_month_target_s": 3.0,
    }
    result |= bench_ticks(path, day, rng)
    result["tick_target_ms"] = 20
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--db", type=Path)
    options = parser.parse_args()
    print(json.dumps(run(options.days, options.db), indent=2))
