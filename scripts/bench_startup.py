"""Startup benchmark: from process start to the first screen ready (queue rows on screen),
and the peak RSS of that process. The console runs headless through App.run with an auto
pilot, the same code path as a terminal run.

Prints one JSON object. Run: .venv/bin/python scripts/bench_startup.py [--runs N]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(db: str) -> None:
    started = float(os.environ["BENCH_SPAWNED_AT"])
    import resource

    from agent_console.app import AgentConsoleApp
    from agent_console.config import Config
    from agent_console.store import Store
    from agent_console.widgets.queue_table import QueueTable

    store = Store(db)
    app = AgentConsoleApp(store=store, config=Config(db=Path(db)))
    report = {}

    async def until_ready(pilot) -> None:
        while not app.screen.query(QueueTable) or app.screen.query_one(QueueTable).row_count == 0:
            await pilot.pause(0.005)
        report["ready_s"] = time.time() - started
        app.exit()

    app.run(headless=True, size=(160, 48), auto_pilot=until_ready)
    report["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(report))


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        subprocess.run(
            [sys.executable, "-m", "agent_console", "--db", db, "demo", "--reset"],
            check=True, capture_output=True, cwd=ROOT,
        )
        ready, rss = [], []
        for _ in range(runs):
            env = dict(os.environ, BENCH_SPAWNED_AT=repr(time.time()))
            out = subprocess.run(
                [sys.executable, __file__, "--child", db],
                check=True, capture_output=True, text=True, env=env, cwd=ROOT,
            ).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            ready.append(figures["ready_s"])
            rss.append(figures["peak_rss_mib"])
    print(json.dumps({
        "runs": runs,
        "first_screen_ready_s_median": round(statistics.median(ready), 3),
        "first_screen_ready_s_max": round(max(ready), 3),
        "peak_rss_mib_median": round(statistics.median(rss), 1),
        "peak_rss_mib_max": round(max(rss), 1),
    }))


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[sys.argv.index("--child") + 1])
    else:
        main()
