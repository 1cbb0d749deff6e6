"""Search quality on customer questions about the demo knowledge base.

Works the way the independent evaluation does: the demo articles are imported with
`agent-console --db TMP kb import ...`, then every question goes to `agent-console kb search --json
--limit 5` on standard input, and we count how often the expected article is first (top-1) and
among the five (top-5). Groups: English, Russian, the Russian questions typed in the wrong
keyboard layout, and the Russian questions with one letter dropped from their longest word.

The questions are split, once and for all, into a tuning half and a held-out half (`split`):
tune on the first, judge a change on the second. Each article's questions in each language are
dealt alternately to the two halves, so both halves ask about every article.

`--learn`: each half is asked after `kb learn` was given the other half's questions and their
articles (past questions answered by each article), the way the console learns from contacts.

Run: .venv/bin/python scripts/eval_search.py [--misses] [--in-process] [--learn] [--semantic]
     [--half NAME]
Prints one JSON object: half -> group -> figures.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent_console.search.layout import to_latin  # noqa: E402

QUESTIONS = ROOT / "tests" / "search_eval" / "questions.jsonl"
ARTICLES = sorted((ROOT / "agent_console" / "demo_data").glob("articles_*.jsonl"))
LIMIT = 5
WORD = re.compile(r"\w+")

# Runs the command line: (arguments after `agent-console`, standard input) -> standard output.
Runner = Callable[[list[str], str], str]


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


HALVES = ("tuning", "held_out")


def split(questions: list[dict]) -> dict[str, list[dict]]:
    """The tuning and held-out halves: the same every run, whatever the order of the file.

    The questions about one article in one language are ordered by a checksum of their text and
    dealt alternately, starting on a side chosen by a checksum of the article's id.
    """
    by_article: dict[tuple[str, str], list[dict]] = {}
    for question in questions:
        by_article.setdefault((question["lang"], question["article"]), []).append(question)
    halves: dict[str, list[dict]] = {name: [] for name in HALVES}
    for (lang, article), group in sorted(by_article.items()):
        group.sort(key=lambda q: (zlib.crc32(q["q"].encode()), q["q"]))
        start = zlib.crc32(f"{lang}:{article}".encode()) % 2
        for n, question in enumerate(group):
            halves[HALVES[(n + start) % 2]].append(question)
    return halves


def drop_letter(question: str) -> str:
    """The question with one letter dropped from its longest word (the same letter every run)."""
    words = list(WORD.finditer(question))
    if not words:
        return question
    longest = max(words, key=lambda m: len(m.group()))
    position = random.Random(zlib.crc32(question.encode())).randrange(len(longest.group()))
    cut = longest.start() + position
    return question[:cut] + question[cut + 1 :]


def groups(questions: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """Group name -> (question, expected article id)."""
    english = [(q["q"], f"{q['article']}.en") for q in questions if q["lang"] == "en"]
    russian = [(q["q"], f"{q['article']}.ru") for q in questions if q["lang"] == "ru"]
    return {
        "en": english,
        "ru": russian,
        "ru_wrong_layout": [(to_latin(q), expected) for q, expected in russian],
        "ru_letter_dropped": [(drop_letter(q), expected) for q, expected in russian],
    }


def subprocess_runner(args: list[str], stdin: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "agent_console", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def in_process_runner(args: list[str], stdin: str) -> str:
    from click.testing import CliRunner

    from agent_console.cli import main

    result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"agent-console {' '.join(args)} failed: {result.output}")
    return result.stdout


def learn_file(questions: list[dict], path: Path) -> Path:
    """The questions as pairs for `kb learn`: query -> the article that answered it."""
    lines = [
        json.dumps(
            {"query": q["q"], "article_id": f"{q['article']}.{q['lang']}"}, ensure_ascii=False
        )
        for q in questions
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def evaluate(
    run: Runner,
    questions: list[dict],
    db: Path,
    misses: bool = False,
    learned: list[dict] | None = None,
    template: Path | None = None,
) -> dict:
    """Figures per group for these questions, in a new database at `db` holding the demo
    articles (and, with `learned`, those questions learned as answered by their articles).
    `template`: a database holding them already (with their vectors), copied to `db`."""
    if template is not None:
        shutil.copyfile(template, db)
    else:
        run(["--db", str(db), "kb", "import", *map(str, ARTICLES)], "")
    if learned:
        pairs = learn_file(learned, db.with_suffix(".learn.jsonl"))
        run(["--db", str(db), "kb", "learn", str(pairs)], "")
    report: dict = {}
    for name, pairs in groups(questions).items():
        # One question per line: a question never holds a newline, and "\n" inside would split it.
        stdin = "".join(q.replace("\n", " ") + "\n" for q, _ in pairs)
        output = run(["--db", str(db), "kb", "search", "--json", "--limit", str(LIMIT)], stdin)
        answers = [json.loads(line) for line in output.splitlines() if line.strip()]
        assert len(answers) == len(pairs), (name, len(answers), len(pairs))
        top1 = top5 = 0
        missed = []
        for (question, expected), answer in zip(pairs, answers, strict=True):
            ids = [r["id"] for r in answer["results"]]
            top1 += bool(ids) and ids[0] == expected
            top5 += expected in ids[:LIMIT]
            if misses and (not ids or ids[0] != expected):
                missed.append({"q": question, "expected": expected, "got": ids[:3]})
        report[name] = {
            "questions": len(pairs),
            "top1": round(top1 / len(pairs), 3),
            "top5": round(top5 / len(pairs), 3),
        }
        if misses:
            report[name]["misses"] = missed
    return report


def evaluate_halves(
    run: Runner,
    questions: list[dict],
    folder: Path,
    *,
    learn: bool = False,
    misses: bool = False,
    halves: tuple[str, ...] = HALVES,
    semantic: bool = False,
) -> dict:
    """half -> group -> figures; with `learn`, each half after learning the other one; with
    `semantic`, the articles' vectors made once (`kb embed`, the extra must be installed)."""
    parts = split(questions)
    report = {}
    template = None
    if semantic:
        template = folder / "template.db"
        run(["--db", str(template), "kb", "import", *map(str, ARTICLES)], "")
        run(["--db", str(template), "kb", "embed"], "")
    for name in halves:
        other = [q for half, qs in parts.items() if half != name for q in qs]
        report[name] = evaluate(
            run,
            parts[name],
            folder / f"{name}.db",
            misses,
            learned=other if learn else None,
            template=template,
        )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--misses", action="store_true", help="List the questions not ranked first."
    )
    parser.add_argument(
        "--in-process", action="store_true", help="Call the CLI in this process (faster)."
    )
    parser.add_argument(
        "--learn", action="store_true", help="Ask each half after learning the other one."
    )
    parser.add_argument("--half", choices=HALVES, action="append", help="Only this half.")
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="Make the articles' vectors first (needs the semantic extra).",
    )
    options = parser.parse_args()
    run = in_process_runner if options.in_process else subprocess_runner
    with tempfile.TemporaryDirectory() as folder:
        report = evaluate_halves(
            run,
            load_questions(),
            Path(folder),
            learn=options.learn,
            misses=options.misses,
            halves=tuple(options.half or HALVES),
            semantic=options.semantic,
        )
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
