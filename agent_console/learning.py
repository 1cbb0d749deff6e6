"""Learning from operators: which articles answered which questions.

A pair is a customer's question and the article that answered it. `learn_file` takes pairs
from elsewhere (JSON Lines `{"query": str, "article_id": str}`, all or nothing); `learn_from_log`
rebuilds them from the event log (the query an article was opened from, on a contact whose
wrap-up says resolved). Either way the articles concerned are indexed again with their learned
questions as a field of their own, in the same transaction: later questions in the customers'
words find them. A retired article is not in the index, so nothing learned brings it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent_console.importers.records import MAX_PROBLEMS, Problem, Record, read_jsonl

if TYPE_CHECKING:
    from agent_console.store import Store

MAX_QUERY_CHARS = 1000  # the search reads no further into a query


class LearnFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class Learned:
    pairs: int  # pairs read (or rebuilt)
    new: int  # of which the store did not have already
    articles: int  # articles they are for


def read_pairs(path: Path, problems: list[Problem]) -> list[tuple[str, str, int]]:
    """(query, article id, line number) of each good line; a bad line is added to `problems`
    (read as every JSON Lines import is: `importers.records.read_jsonl`)."""
    pairs = [pair for pair in read_jsonl(path, _pair, problems) if pair is not None]
    if not pairs and not problems:
        problems.append(Problem(str(path), None, None, "holds no pairs"))
    return pairs


def _pair(record: Record) -> tuple[str, str, int] | None:
    before = len(record.problems)
    query = record.text("query", required=True)
    article_id = record.text("article_id", required=True)
    if len(record.problems) > before:
        return None
    return " ".join(query.split())[:MAX_QUERY_CHARS], article_id.strip(), record.line or 0


def _articles(store: Store, ids: set[str]) -> dict:
    """The articles of these ids that exist (any status), asked for in chunks."""
    wanted = sorted(ids)
    found: dict = {}
    for start in range(0, len(wanted), 500):
        found.update(store.content.articles(wanted[start : start + 500]))
    return found


def learn_file(store: Store, path: Path) -> Learned:
    """Learn the pairs of a JSON Lines file: all of them, or none when any line is wrong
    (an article id the database does not have is wrong)."""
    problems: list[Problem] = []
    pairs = read_pairs(path, problems)
    known = _articles(store, {article_id for _, article_id, _ in pairs})
    problems += [
        Problem(str(path), number, "article_id", f"no article {article_id!r}")
        for _, article_id, number in pairs
        if article_id not in known
    ]
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise LearnFailed(problems[:MAX_PROBLEMS])
    from agent_console.search import SearchIndex

    index = SearchIndex(store)
    index.ensure()
    with store.transaction():
        new = store.learned.add(((q, a) for q, a, _ in pairs), source="file")
        index.relearn(known)
    return Learned(pairs=len(pairs), new=new, articles=len(known))


def learn_from_log(store: Store) -> Learned:
    """Forget what was learned from the event log and learn it again from the events."""
    from agent_console.search import SearchIndex

    index = SearchIndex(store)
    index.ensure()
    with store.transaction():
        pairs = store.learned.resolved_openings()
        known = _articles(store, {article_id for _, article_id in pairs})
        pairs = [(q, a) for q, a in pairs if a in known]
        before = store.learned.clear("log")
        new = store.learned.add(pairs, source="log")
        index.relearn(before | set(known))
    return Learned(pairs=len(pairs), new=new, articles=len({a for _, a in pairs}))
