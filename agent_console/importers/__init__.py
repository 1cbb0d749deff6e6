"""Importing articles and scripts from files: all or nothing, in one transaction.

A malformed line, a missing or empty `id`, `title` or `body`, a field of the wrong type anywhere
in any of the files means nothing is written, and every problem found is reported with its file,
line and field (`records`). A big import is read in parts by worker processes while the main
process writes the parts before (`parts`); a small one is read whole first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from agent_console.collector import collector_paused
from agent_console.domain import Article, Script
from agent_console.importers.parts import read_parts, worth_parallel
from agent_console.importers.records import (
    MAX_PROBLEMS,
    ImportFailed,
    Problem,
    Record,
    read_articles,
    read_jsonl,
    read_scripts,
)
from agent_console.search import SearchIndex
from agent_console.store import Store

__all__ = [
    "MAX_PROBLEMS",
    "ImportFailed",
    "Problem",
    "Record",
    "import_articles",
    "import_scripts",
    "read_articles",
    "read_jsonl",
    "read_scripts",
]


def import_articles(store: Store, paths: Iterable[Path], *, workers: int | None = None) -> int:
    """Write all articles of these files (JSON Lines or Markdown folders) and their index.

    `workers`: processes reading a big import (by default one per spare core; 0 reads in
    this process). Returns how many articles were stored: an id given twice is one article
    (the later one wins).
    """
    return _import(
        store, "article", list(paths), read_articles, store.content.upsert_articles, workers
    )


def import_scripts(store: Store, paths: Iterable[Path], *, workers: int | None = None) -> int:
    return _import(
        store, "script", list(paths), read_scripts, store.content.upsert_scripts, workers
    )


Item = TypeVar("Item", Article, Script)


def _import(
    store: Store,
    kind: str,
    paths: list[Path],
    read_all: Callable[[list[Path]], list[Item]],
    upsert: Callable[..., list[Item]],
    workers: int | None,
) -> int:
    index = SearchIndex(store)
    index.ensure()
    if workers == 0 or not (workers or worth_parallel(paths)):
        items = read_all(paths)  # raises ImportFailed before anything is written
        with store.transaction():
            # Drafts and versions approved for later leave what operators see as it is.
            index.index(kind, upsert(items))
        return len({item.id for item in items})
    problems: list[Problem] = []
    stored: set[str] = set()
    with collector_paused(), store.one_transaction():
        for part in read_parts(kind, paths, workers):
            problems += [p for p in part.problems if p not in problems]
            if len(problems) >= MAX_PROBLEMS:
                break
            if problems:
                continue  # read on to report every problem; nothing more is written
            live = upsert(part.items, same_import=stored)
            index.index(kind, live, terms=part.terms, in_parts=True)
        if problems:
            raise ImportFailed(problems[:MAX_PROBLEMS])  # the transaction is rolled back
        index.finish_parts()
    return len(stored)
