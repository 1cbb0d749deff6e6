"""The articles' sentence vectors, kept current in the background for as long as the console
runs (with the semantic extra; without it nothing starts)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from agent_console.store import Store

# How long closing waits for a batch in progress (a fraction of a second; its vectors are lost
# if it is not done by then, nothing else).
STOP_WAIT_S = 2.0


class VectorsKeeper:
    """Makes the articles' missing and stale vectors (new, or edited since their vector was
    made) a small batch at a time with pauses, at the lowest priority. Each batch is committed:
    a console closed (or killed) mid-way loses one batch at most, and the next start goes on
    with the rest.

    A thread of its own rather than a worker: it lives as long as the console, and it lowers
    its own priority (a pool's thread would keep that for other work). Its failures go to
    `failed` (the console's one way for workers: a notice, never an exit)."""

    def __init__(self, store: Store, failed: Callable[[Exception], object]) -> None:
        self._store = store
        self._failed = failed
        self._stop = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> threading.Thread:
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="vectors", daemon=True)
            self.thread.start()
        return self.thread

    def stop(self, wait_s: float = STOP_WAIT_S) -> None:
        self._stop.set()
        if self.thread is not None:
            self.thread.join(timeout=wait_s)

    def _run(self) -> None:
        from agent_console.search import semantic  # numpy and the model: only for this thread

        stop = self._stop
        try:
            if not semantic.available():
                return
            with semantic.lower_priority():
                embedder = semantic.load()
                if embedder is not None:
                    semantic.keep_current(
                        self._store, embedder, stopped=stop.is_set, sleep=stop.wait
                    )
        except Exception as error:
            if not stop.is_set():  # closing: the store may be gone under it, and that is fine
                self._failed(error)
