"""Startup benchmark: from process start to the first screen ready, and the peak RSS of that
process, beside a bare Textual app with the same widget kinds (Header, Footer, DataTable with
30 rows, Input, Markdown). The two run alternately in one run, so a busy machine slows both
alike; the ratio is the figure to watch (target ≤ 1.2). Both run headless through App.run, the
same code path as a terminal run.

"Ready" is the first frame painted with the queue's rows in it (Textual's post_display_hook,
called after every frame): what the operator sees. (Until 2026-12-06 it was the moment the
rows were in the table, polled by an auto pilot: the bare app has them before Textual paints
anything, while the console's screen is a mode, painted once before the pilot starts; that
compared a paint against no paint.)

Both start from compiled bytecode: pip compiles Textual when it installs it, and this script
compiles agent_console first (an editable install compiles on first import, unless
PYTHONDONTWRITEBYTECODE is set, as on some CI machines: then every start would compile our
modules from source and the comparison would be unfair to one side).

Prints one JSON object. Run: .venv/bin/python scripts/bench_startup.py [--runs N]
"""

from __future__ import annotations

import compileall
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

    def painted() -> None:
        tables = app.screen.query(QueueTable)
        if "ready_s" not in report and tables and tables.first().row_count:
            report["ready_s"] = time.time() - started
            app.exit()

    app.post_display_hook = painted  # type: ignore[method-assign]
    app.run(headless=True, size=(160, 48))
    report["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(report))


def bare_child() -> None:
    """The baseline: what any Textual app with these widgets pays before its first screen."""
    started = float(os.environ["BENCH_SPAWNED_AT"])
    import resource

    from textual.app import App
    from textual.widgets import DataTable, Footer, Header, Input, Markdown

    class Bare(App):
        def compose(self):
            yield Header()
            yield DataTable()
            yield Input(placeholder="Search")
            yield Markdown("# Article\n\nSome *text*.")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Channel", "Customer", "Topic", "Waiting", "Priority", "SLA")
            for n in range(30):
                table.add_row("Phone", f"Customer {n}", "No internet", "1:00", "High", "2:00")

    app = Bare()
    report = {}

    def painted() -> None:
        tables = app.screen.query(DataTable)
        if "ready_s" not in report and tables and tables.first().row_count:
            report["ready_s"] = time.time() - started
            app.exit()

    app.post_display_hook = painted  # type: ignore[method-assign]
    app.run(headless=True, size=(160, 48))
    report["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(report))


def measure(args: list[str]) -> dict:
    env = dict(os.environ, BENCH_SPAWNED_AT=repr(time.time()))
    out = subprocess.run(
        [sys.executable, __file__, *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    compileall.compile_dir(ROOT / "agent_console", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        subprocess.run(
            [sys.executable, "-m", "agent_console", "--db", db, "demo", "--reset"],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        ready, rss, bare_ready, bare_rss = [], [], [], []
        for _ in range(runs):  # alternately, so load on the machine falls on both alike
            figures = measure(["--child", db])
            ready.append(figures["ready_s"])
            rss.append(figures["peak_rss_mib"])
            bare = measure(["--bare"])
            bare_ready.append(bare["ready_s"])
            bare_rss.append(bare["peak_rss_mib"])
    console_s, bare_s = statistics.median(ready), statistics.median(bare_ready)
    print(
        json.dumps(
            {
                "runs": runs,
                "first_screen_ready_s_median": round(console_s, 3),
                "first_screen_ready_s_max": round(max(ready), 3),
                "bare_textual_ready_s_median": round(bare_s, 3),
                "ratio_to_bare_textual": round(console_s / bare_s, 2),
                "peak_rss_mib_median": round(statistics.median(rss), 1),
                "peak_rss_mib_max": round(max(rss), 1),
                "bare_textual_peak_rss_mib_median": round(statistics.median(bare_rss), 1),
            }
        )
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[sys.argv.index("--child") + 1])
    elif "--bare" in sys.argv:
        bare_child()
    else:
        main()
