"""Search benchmark: import speed and query latency on 1k, 10k and 100k-article knowledge bases.

The corpora are synthetic but shaped like the real one: the vocabulary is the demo knowledge
base's own words (Russian and English, in their real order of frequency) followed by a long
tail of made-up words, drawn with Zipf's law, so common domain words ("роутер", "internet")
are as common as they are in a real base and a query for them matches tens of thousands of
articles at 100k. Half the articles are Russian, half English.

Measured per size: import through the real importer (validation, upsert, index) in articles/s;
in-process latency p50/p99 of typed 1–3 word queries (the last word unfinished) and of the
evaluation's customer questions (sentences, typos, wrong layout); a `kb search --json` stdin
batch of those questions (per question, process start included); the first query of a new
process; peak RSS.

With the semantic extra installed, also: the model's embedding throughput (articles/s, on a
sample of real-sized synthetic articles) and query embedding time, once; then per size every
article is given a vector (the sample's real ones, the rest random unit vectors: the fusion's
cost does not depend on what they hold, and embedding 100k articles takes hours), and the
sentence questions are timed again fused (in process, and as a `kb search` stdin batch, which
then loads the model and reads every vector once).

Run: .venv/bin/python scripts/bench_search.py [--sizes 1000,10000,100000]
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent_console.importers import import_articles  # noqa: E402
from agent_console.search import SearchIndex  # noqa: E402
from agent_console.search.layout import to_latin  # noqa: E402
from agent_console.search.stopwords import QUERY_STOP  # noqa: E402
from agent_console.store import Store  # noqa: E402

DEMO = ROOT / "agent_console" / "demo_data"
QUESTIONS = ROOT / "tests" / "search_eval" / "questions.jsonl"
LETTERS = {"ru": "аеиоуыяпрстнклмвдгбзжшчхцф", "en": "aeiouprstnklmvdgbzhcfwy"}
TAIL_WORDS = 30_000  # made-up words per language after the real ones
WORD = re.compile(r"[^\W\d_]+")
PREFIX_QUERIES = 300
SEED = 20261123


def vocabularies(rng: random.Random) -> dict[str, tuple[list[str], list[float]]]:
    """Per language: words in order of frequency, and the cumulative Zipf weights."""
    counts: dict[str, dict[str, int]] = {"ru": {}, "en": {}}
    for path in sorted(DEMO.glob("articles_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            for word in WORD.findall(f"{article['title']} {article['body']}".lower()):
                language = "ru" if re.search("[а-я]", word) else "en"
                counts[language][word] = counts[language].get(word, 0) + 1
    result = {}
    for language, found in counts.items():
        words = sorted(found, key=lambda w: (-found[w], w))
        tail: set[str] = set(words)
        letters = LETTERS[language]
        while len(tail) < len(words) + TAIL_WORDS:
            tail.add("".join(rng.choice(letters) for _ in range(rng.randint(4, 11))))
        words += sorted(tail - set(words))
        weights = itertools.accumulate(1.0 / (rank + 2.7) for rank in range(len(words)))
        result[language] = (words, list(weights))
    return result


def corpus(size: int, vocab, rng: random.Random):
    for n in range(size):
        language = "ru" if n % 2 else "en"
        words, weights = vocab[language]

        def pick(k: int, words=words, weights=weights) -> list[str]:
            return rng.choices(words, cum_weights=weights, k=k)

        body = pick(rng.randint(80, 250))
        sentences, start = [], 0
        while start < len(body):
            end = start + rng.randint(6, 16)
            sentences.append(" ".join(body[start:end]).capitalize() + ".")
            start = end
        yield {
            "id": f"synthetic-{n}.{language}",
            "title": " ".join(pick(rng.randint(4, 9))).capitalize(),
            "body": " ".join(sentences),
            "tags": [" ".join(pick(rng.randint(1, 2))) for _ in range(rng.randint(3, 6))],
            "lang": language,
        }


def prefix_queries(vocab, rng: random.Random) -> list[str]:
    """What an operator types: 1–3 content words, the last one unfinished."""
    queries = []
    for n in range(PREFIX_QUERIES):
        words, weights = vocab["ru" if n % 2 else "en"]
        chosen = [
            w
            for w in rng.choices(words[:3000], cum_weights=weights[:3000], k=12)
            if w not in QUERY_STOP and len(w) > 2
        ][: rng.randint(1, 3)] or ["router"]
        last = chosen[-1]
        chosen[-1] = last[: rng.randint(2, len(last))]
        queries.append(" ".join(chosen))
    return queries


def sentence_queries() -> list[str]:
    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    sentences = [q["q"] for q in questions]
    return sentences + [to_latin(q["q"]) for q in questions if q["lang"] == "ru"]


def latencies_ms(index: SearchIndex, queries: list[str]) -> dict:
    times = []
    for query in queries:
        started = time.perf_counter()
        index.search(query, kinds=("article",), limit=10)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "max_ms": round(times[-1], 2),
    }


# Run before CLI_WITH_RSS: the semantic extra as if not installed.
NO_SEMANTIC = """
import agent_console.search.semantic as semantic
semantic.available = lambda: False
"""

# `agent-console` with the same arguments, reporting its own peak RSS on standard error at exit.
CLI_WITH_RSS = """
import atexit, sys
atexit.register(lambda: sys.stderr.write(open("/proc/self/status").read()))
sys.argv = ["agent-console", *sys.argv[1:]]
from agent_console.cli import main
main()
"""


def cli_batch(db: Path, queries: list[str], semantic: bool = True) -> dict:
    """`semantic=False`: as without the extra (the vectors stored are then not used)."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CLI_WITH_RSS if semantic else NO_SEMANTIC + CLI_WITH_RSS,
            "--db",
            str(db),
            "kb",
            "search",
            "--json",
            "--limit",
            "5",
        ],
        input="".join(q + "\n" for q in queries),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    assert len(done.stdout.splitlines()) == len(queries)
    rss = int(re.search(r"VmHWM:\s+(\d+)", done.stderr).group(1))
    return {
        "questions": len(queries),
        "ms_per_question": round(elapsed * 1000 / len(queries), 2),
        "rss_mb": round(rss / 1024, 1),
    }


FIRST_QUERY = """
import json, re, sys, time
started = time.perf_counter()
from agent_console.store import Store
from agent_console.search import SearchIndex
imported = time.perf_counter()
store = Store(sys.argv[1])
index = SearchIndex(store)
opened = time.perf_counter()
index.ensure()
index.search(sys.argv[2], kinds=("article",), limit=5)
answered = time.perf_counter()
print(json.dumps({
    "first_query_ms": round((answered - opened) * 1000, 2),
    "imports_ms": round((imported - started) * 1000, 2),
    "start_to_first_answer_ms": round((answered - started) * 1000, 2),
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent.
    "rss_mb": round(int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())
                        .group(1)) / 1024, 1),
}))
"""


def first_query(db: Path, query: str) -> dict:
    """A new process: its first search (index opened, nothing cached), and the whole way from
    its first import to that answer (interpreter start excluded)."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_QUERY, str(db), query],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


EMBED_SAMPLE = 48  # articles embedded for real, for the throughput
QUERY_SAMPLE = 40  # questions embedded, for the query time


def model_figures(store: Store, embedder, questions: list[str]) -> dict:
    """The model's throughput on this base's first articles (stored: they are real vectors)
    and its time per question."""
    from agent_console.search import semantic

    rows = store.vectors.missing(embedder.name, EMBED_SAMPLE)
    texts = [semantic.passage_text(title, tags, body) for _, title, tags, body, _ in rows]
    embedder.passages(texts[:2])  # the first call sets the model's threads up
    started = time.perf_counter()
    vectors = embedder.passages(texts)
    embed_s = time.perf_counter() - started
    store.vectors.put(
        embedder.name,
        [
            (r[0], r[4], vectors.shape[1], vectors[n].astype("<f4").tobytes())
            for n, r in enumerate(rows)
        ],
    )
    times = []
    for question in questions[:QUERY_SAMPLE]:
        started = time.perf_counter()
        embedder.query(question)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "model": embedder.name,
        "articles_embedded": len(rows),
        "embed_articles_per_s": round(len(rows) / embed_s, 2),
        "query_embed_p50_ms": round(statistics.median(times), 2),
        "query_embed_max_ms": round(max(times), 2),
    }


def fill_random_vectors(store: Store, model: str, dim: int, rng: random.Random) -> int:
    """Every article without a vector gets a random unit vector (see the module's note)."""
    import numpy as np

    generator = np.random.default_rng(rng.randrange(2**32))
    made = 0
    while rows := store.vectors.missing(model, 5000):
        matrix = generator.standard_normal((len(rows), dim)).astype("<f4")
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        store.vectors.put(
            model, [(r[0], r[4], dim, matrix[n].tobytes()) for n, r in enumerate(rows)]
        )
        made += len(rows)
    return made


def fused_latencies_ms(index: SearchIndex, queries: list[str]) -> dict:
    index.search(queries[0], kinds=("article",), limit=10, dense=True)  # the vectors read once
    times = []
    for query in queries:
        started = time.perf_counter()
        index.search(query, kinds=("article",), limit=10, dense=True)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "max_ms": round(times[-1], 2),
    }


def bench_size(size: int, vocab, folder: Path, embedder=None, model: dict | None = None) -> dict:
    rng = random.Random(SEED + size)
    source = folder / f"kb{size}.jsonl"
    started = time.perf_counter()
    body_words = 0
    with source.open("w", encoding="utf-8") as out:
        for article in corpus(size, vocab, rng):
            body_words += article["body"].count(" ") + 1
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
        # On disk before the import is timed: the kernel writing the new file back meanwhile
        # would compete with the import's own writes.
        out.flush()
        os.fsync(out.fileno())
    generated = time.perf_counter() - started
    db = folder / f"kb{size}.db"
    with Store(db) as store:
        started = time.perf_counter()
        imported = import_articles(store, [source])
        import_s = time.perf_counter() - started
        index = SearchIndex(store)
        prefixes = prefix_queries(vocab, rng)
        sentences = sentence_queries()
        latencies_ms(index, prefixes[:20])  # warm the page cache as a console in use would be
        prefix = latencies_ms(index, prefixes)
        sentence = latencies_ms(index, sentences)
        semantic_part: dict = {}
        if embedder is not None:
            from agent_console.search import semantic

            if model is not None and not model:
                model.update(model_figures(store, embedder, sentences))
            random_made = fill_random_vectors(store, embedder.name, embedder.dim, rng)
            fused_index = SearchIndex(store, vectors=semantic.Vectors(store, embedder))
            semantic_part = {
                "vectors": store.vectors.count(embedder.name),
                "random_vectors": random_made,
                "sentences_fused": fused_latencies_ms(fused_index, sentences),
            }
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    result = {
        "articles": imported,
        "avg_body_words": round(body_words / size),
        "generate_s": round(generated, 2),
        "import_s": round(import_s, 2),
        "import_articles_per_s": round(imported / import_s),
        "prefix_1_3_words": prefix,
        "sentences": sentence,
        # Without vectors: the batch before any were stored is not repeated; the lexical path
        # of a base with vectors is the same, so the batch is run with them kept out.
        "kb_search_stdin_batch": cli_batch(db, sentences, semantic=False),
        "new_process": first_query(db, "роутер не работает"),
        "db_mb": round(db.stat().st_size / 1e6, 1),
        **(
            {
                **semantic_part,
                "kb_search_stdin_batch_with_vectors": cli_batch(db, sentences, semantic=True),
            }
            if semantic_part
            else {}
        ),
        "bench_process_rss_mb_peak": rss_mb(),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    options = parser.parse_args()
    rng = random.Random(SEED)
    vocab = vocabularies(rng)
    report: dict = {"sizes": {}}
    from agent_console.search import semantic

    embedder = semantic.load() if semantic.available() else None
    model: dict = {}
    if embedder is not None:
        report["semantic_model"] = model
    else:
        report["semantic_model"] = "the semantic extra is not installed"
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in options.sizes.split(",")):
            report["sizes"][str(size)] = bench_size(size, vocab, Path(folder), embedder, model)
            print(f"{size}: done", file=sys.stderr, flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
