"""Reading a big import in parts, on the machine's other cores.

An import is two kinds of work: parsing, checking and turning the text into index terms (pure
Python, about half the time) and writing (SQLite, one connection, one transaction). The main
process writes; meanwhile worker processes read the next parts of a JSON Lines file, check
every field and make the index terms, so both cores are busy. A part is a run of whole lines
found by byte offset: the workers read the file themselves and only the results travel.

Small imports (and Markdown folders) are read in the main process as they always were: a
worker process costs more to start than they take.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from multiprocessing.context import BaseContext
from operator import attrgetter
from pathlib import Path
from typing import Any

from agent_console.importers.records import (
    Problem,
    article_from,
    parse_lines,
    read_jsonl,
    read_markdown,
    read_markdown_folder,
    script_from,
)
from agent_console.search.writer import RETIRED, Terms3, index_terms

# From this much JSON Lines in one import, the workers read it. Below, starting them costs
# more than they save.
PARALLEL_FROM_BYTES = 8_000_000
# The first part is small so that the writer starts soon; the next ones grow four times each
# up to parts big enough that each part's own costs (passing it between processes, looking up
# its ids) are small: 8 MB measured 15% faster than 2 MB at 100,000 articles.
FIRST_PART_BYTES = 250_000
PART_BYTES = 8_000_000
MAX_WORKERS = 3
BUILDERS = {"article": article_from, "script": script_from}


@dataclass(frozen=True)
class Part:
    """Items read from one part of the input, in file order, with their index terms (by id;
    none for retired items, which are not indexed) or the problems found in it."""

    items: list
    terms: dict[str, Terms3] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def __reduce__(self) -> tuple[Callable[..., Part], tuple[Any, ...]]:
        # Sent from a worker as plain tuples: unpickling 100,000 frozen dataclasses one
        # attribute at a time would cost the writing process a second and a half.
        kind = type(self.items[0]) if self.items else None
        rows = []
        if kind is not None:
            values = attrgetter(*(f.name for f in fields(kind)))
            rows = [values(item) for item in self.items]
        return (_part_from, (kind, rows, self.terms, self.problems))


def _part_from(
    kind: type[Any] | None,
    rows: list[tuple[Any, ...]],
    terms: dict[str, Terms3],
    problems: list[Problem],
) -> Part:
    return Part([kind(*row) for row in rows] if kind else [], terms, problems)


@dataclass(frozen=True)
class _Task:
    kind: str
    path: str
    start: int  # byte offsets of whole lines
    end: int
    first_number: int  # the line number of the first


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worth_parallel(paths: list[Path], cores: int | None = None) -> bool:
    """Whether the workers would pay for themselves: enough JSON Lines and a core to spare."""
    if (cores if cores is not None else usable_cores()) < 2:
        return False
    size = 0
    for path in paths:
        try:
            size += 0 if path.is_dir() else path.stat().st_size
        except OSError:
            continue  # reported by the reader, which names the file
    return size >= PARALLEL_FROM_BYTES


def read_parts(kind: str, paths: list[Path], workers: int | None = None) -> Iterator[Part]:
    """The parts of every file, in order. JSON Lines files are read by `workers` processes
    (by default one per spare core, at most `MAX_WORKERS`)."""
    count = workers or max(1, min(usable_cores() - 1, MAX_WORKERS))
    with ProcessPoolExecutor(
        max_workers=count, mp_context=start_method(), initializer=_worker_started
    ) as pool:
        try:
            for path in paths:
                if path.is_dir() or (kind == "article" and path.suffix.lower() == ".md"):
                    problems: list[Problem] = []
                    items = read_articles_from(path, problems)
                    yield Part(items, problems=problems) if problems else _with_terms(items)
                    continue
                tasks = _tasks(kind, path)
                if tasks is None:  # unreadable: the reader names the problem
                    problems = []
                    read_jsonl(path, BUILDERS[kind], problems)
                    yield Part([], problems=problems)
                    continue
                yield from pool.map(_prepare, tasks)
        finally:
            # A caller that stops early (too many problems) leaves nothing running behind it.
            pool.shutdown(wait=True, cancel_futures=True)


def read_articles_from(path: Path, problems: list[Problem]) -> list:
    """A folder of Markdown articles, or one Markdown file (read here: they are small)."""
    if path.is_dir():
        return read_markdown_folder(path, problems)
    article = read_markdown(path, problems)
    return [article] if article is not None else []


def start_method() -> BaseContext:
    # Forking starts a worker at once (nothing to import again), but is only safe while this
    # process has no other threads (a console's workers); elsewhere a fresh interpreter.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def exit_with_parent(check_every_s: float = 1.0) -> None:
    """In a worker process: exit as soon as the process that started it is gone (a `kill -9`
    of the import), instead of waiting for work that will never come, for ever."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(check_every_s)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_started() -> None:
    exit_with_parent()
    # A forked worker inherits the whole heap of the process that started it; the cyclic
    # garbage collector would walk it again and again (copying the pages it touches) while
    # the worker only makes short-lived data without cycles, which reference counting frees.
    gc.freeze()
    gc.disable()


def _tasks(kind: str, path: Path) -> list[_Task] | None:
    """Split a file into runs of whole lines, each with the number of its first line."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    tasks = []
    # At least a dozen parts: with fewer, the writer waits for each big one in turn.
    largest = max(FIRST_PART_BYTES, min(PART_BYTES, len(data) // 12))
    start, number, size = 0, 1, FIRST_PART_BYTES
    while start < len(data):
        end = data.find(b"\n", start + size)
        end = len(data) if end == -1 else end + 1
        tasks.append(_Task(kind, str(path), start, end, number))
        number += data.count(b"\n", start, end)
        start, size = end, min(size * 4, largest)
    return tasks


def _prepare(task: _Task) -> Part:
    """In a worker: read one part, check it, and make its items' index terms."""
    with open(task.path, "rb") as source:
        source.seek(task.start)
        raw = source.read(task.end - task.start)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return Part(
            [], problems=[Problem(task.path, None, None, f"is not UTF-8 text ({error.reason})")]
        )
    problems: list[Problem] = []
    items = parse_lines(
        text.split("\n"), task.path, task.first_number, BUILDERS[task.kind], problems
    )
    if problems:
        return Part([], problems=problems)  # nothing will be written: no terms to make
    return _with_terms(items)


def _with_terms(items: list) -> Part:
    live = [item for item in items if item.status != RETIRED]
    return Part(items, dict(zip((item.id for item in live), index_terms(live), strict=True)))
