"""Knowledge-pane benchmark: from a key press in the search box to the results on screen.

The database holds 10,000 articles made by varying the demo knowledge base: each one keeps a
demo article's Markdown (summary, steps, tables) with sections borrowed from other articles of
its language shuffled in, a share of its words swapped for words drawn with Zipf's law from the
vocabulary `bench_search.py` builds, and a varied title. The demo's approved scripts are there
too, as on a real console.

The real `AgentConsoleApp` runs headless at 160x48 under `app.run_test()`. For each of the
typed queries (`bench_search.prefix_queries`, the last word unfinished), the box holds all but
the last character, then the last key is pressed through Pilot. Measured: from just before the
press to the first frame painted after the pane's OptionList holds the answer to that exact
text. The frame is seen by wrapping `App._display` (the one place Textual hands a rendered
update to the terminal driver; there is no public "painted" event). Also reported per press:
the search (in its worker thread) and the pane's own work (filtering the hits and building the
options), to show where the time goes.

With `--background-vectors` (the semantic extra installed) the console's background pass makes
the articles' sentence vectors meanwhile, with the real model, as it does after an import: the
keystrokes then share the CPU with it. Without it the pass does not start.

Run: .venv/bin/python scripts/bench_lookup.py [--articles 10000] [--queries 40]
    [--background-vectors]
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The console first, as `agent-console` imports it: it sets Textual's frame rate, which
# Textual reads once, on its own first import (see agent_console/__init__.py).
from agent_console.app import AgentConsoleApp  # noqa: E402, I001
from agent_console import app as app_module  # noqa: E402
from agent_console.search.semantic import MODEL  # noqa: E402
from textual._compositor import CompositorUpdate  # noqa: E402
from agent_console.config import Config, Display  # noqa: E402
from agent_console.importers import import_articles, import_scripts  # noqa: E402
from agent_console.store import Store  # noqa: E402
from agent_console.widgets.knowledge import KnowledgePane  # noqa: E402
from agent_console.search.stopwords import QUERY_STOP  # noqa: E402
from scripts.bench_search import DEMO, SEED, vocabularies  # noqa: E402

SIZE = (160, 48)
WORD = re.compile(r"[^\W\d_]{3,}")
SWAP_SHARE = 0.08  # of the words of an article replaced by words drawn from the vocabulary
TARGET_MS = 50.0


def demo_articles() -> dict[str, list[dict]]:
    by_language: dict[str, list[dict]] = {}
    for path in sorted(DEMO.glob("articles_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            by_language.setdefault(article["lang"], []).append(article)
    return by_language


def sections(body: str) -> list[str]:
    """The summary, then each `##` section (headings keep their lists and tables)."""
    parts = re.split(r"\n(?=## )", body)
    return [part.strip() for part in parts if part.strip()]


def varied_articles(size: int, vocab, rng: random.Random):
    demo = demo_articles()
    languages = sorted(demo)
    for n in range(size):
        language = languages[n % len(languages)]
        pool = demo[language]
        base = pool[(n // len(languages)) % len(pool)]
        words, weights = vocab[language]

        def swap(match: re.Match, words=words, weights=weights) -> str:
            if rng.random() >= SWAP_SHARE:
                return match.group()
            word = rng.choices(words, cum_weights=weights)[0]
            return word.capitalize() if match.group()[0].isupper() else word

        own = sections(base["body"])
        borrowed = [
            rng.choice(sections(rng.choice(pool)["body"])) for _ in range(rng.randint(0, 2))
        ]
        rest = own[1:] + [part for part in borrowed if part.startswith("## ")]
        rng.shuffle(rest)
        body = "\n\n".join(own[:1] + rest)
        extra = " ".join(rng.choices(words[:2000], cum_weights=weights[:2000], k=rng.randint(1, 3)))
        yield {
            "id": f"{base['id'].rsplit('.', 1)[0]}-v{n}.{language}",
            "title": f"{base['title']}: {extra}",
            "body": WORD.sub(swap, body),
            "tags": [*base.get("tags", []), rng.choices(words[:500], cum_weights=weights[:500])[0]],
            "lang": language,
            "topic": base.get("topic"),
        }


def typed_queries(count: int, rng: random.Random) -> list[str]:
    """What an operator types: one or two words of the demo articles' titles, the last one
    unfinished (at least three letters of it), alternating English and Russian."""
    demo = demo_articles()
    words = {
        language: sorted(
            {
                w.lower()
                for a in articles
                for w in WORD.findall(a["title"])
                if len(w) > 3 and w.lower() not in QUERY_STOP
            }
        )
        for language, articles in demo.items()
    }
    languages = sorted(words)
    queries = []
    for n in range(count):
        chosen = rng.sample(words[languages[n % len(languages)]], rng.randint(1, 2))
        last = chosen[-1]
        chosen[-1] = last[: rng.randint(3, len(last))]
        queries.append(" ".join(chosen))
    return queries


def build_database(folder: Path, size: int, vocab, rng: random.Random) -> tuple[Path, int, int]:
    source = folder / "articles.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for article in varied_articles(size, vocab, rng):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    db = folder / "lookup.db"
    with Store(db) as store:
        articles = import_articles(store, [source])
        scripts = import_scripts(store, [DEMO / "scripts.jsonl"])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db, articles, scripts


def summary(times: list[float]) -> dict:
    times = sorted(times)

    def at(share: float) -> float:
        return round(times[min(len(times) - 1, int(len(times) * share))], 1)

    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(times[-1], 1),
    }


async def measure(db: Path, queries: list[str]) -> dict:
    with Store(db) as store:
        config = Config(
            db=db, operator="anna.smirnova", language="en", display=Display(cursor_blink=False)
        )
        app = AgentConsoleApp(store=store, config=config)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            pane = screen.query_one(KnowledgePane)
            box = screen.query_one("#knowledge-query")

            marks: dict[str, float] = {}
            searches: list[float] = []
            shows: list[float] = []
            painted = asyncio.Event()

            index = app.context.search_index
            real_search, real_show, real_display = index.search, pane._show_results, app._display

            def timed_search(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return real_search(*args, **kwargs)
                finally:
                    searches.append((time.perf_counter() - started) * 1000)

            def timed_show():
                started = time.perf_counter()
                real_show()
                shows.append((time.perf_counter() - started) * 1000)
                if pane.result is not None and pane.result.query == marks.get("want"):
                    marks["landed"] = time.perf_counter()

            def display(screen, update):
                real_display(screen, update)
                # Headless, Textual skips turning the frame into terminal output: do it here,
                # so that the cost a real terminal pays is counted.
                if isinstance(update, CompositorUpdate):
                    update.render_segments(app.console)
                if "landed" in marks and "painted" not in marks:
                    marks["painted"] = time.perf_counter()
                    painted.set()

            index.search, pane._show_results, app._display = timed_search, timed_show, display
            vectors_before = store.vectors.count(MODEL)

            await pilot.press("slash")
            await index_warm(pilot, box, queries[:5])
            totals, landed, search_ms, show_ms, shown = [], [], [], [], []
            for query in queries:
                box.value = query[:-1]
                box.cursor_position = len(box.value)
                # The operator stops typing for a moment: the pane finishes that answer's labels.
                await pilot.pause(0.4)
                await app.workers.wait_for_complete()
                await pilot.pause()
                marks.clear()
                painted.clear()
                searches.clear()
                shows.clear()
                marks["want"] = query
                key = "space" if query[-1] == " " else query[-1]
                started = time.perf_counter()
                await pilot.press(key)
                await asyncio.wait_for(painted.wait(), timeout=10)
                totals.append((marks["painted"] - started) * 1000)
                landed.append((marks["landed"] - started) * 1000)
                search_ms.append(searches[-1])
                show_ms.append(shows[-1])
                shown.append(screen.query_one("#knowledge-results").option_count)
            return {
                "vectors_made_meanwhile": store.vectors.count(MODEL) - vectors_before,
                "key_to_painted": summary(totals),
                "key_to_list_updated": summary(landed),
                "search_in_worker": summary(search_ms),
                "pane_build_options": summary(show_ms),
                "options_shown_avg": round(statistics.mean(shown), 1),
                "options_shown_max": max(shown),
            }


async def index_warm(pilot, box, queries: list[str]) -> None:
    """A console in use has its pages cached: a few searches first, not measured."""
    for query in queries:
        box.value = query
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument(
        "--background-vectors",
        action="store_true",
        help="let the console make sentence vectors in the background meanwhile",
    )
    options = parser.parse_args()
    app_module.BACKGROUND_VECTORS_AFTER_S = 0.1 if options.background_vectors else None
    rng = random.Random(SEED)
    vocab = vocabularies(rng)
    queries = typed_queries(options.queries, rng)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        db, articles, scripts = build_database(Path(folder), options.articles, vocab, rng)
        built_s = time.perf_counter() - started
        result = asyncio.run(measure(db, queries))
    report = {
        "articles": articles,
        "scripts": scripts,
        "typed_queries": len(queries),
        "terminal": f"{SIZE[0]}x{SIZE[1]}",
        "database_built_s": round(built_s, 1),
        "background_vectors": options.background_vectors,
        **result,
        "target_ms": TARGET_MS,
        "target_met_p95": result["key_to_painted"]["p95_ms"] <= TARGET_MS,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
