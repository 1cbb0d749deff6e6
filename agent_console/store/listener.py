"""Hearing from PostgreSQL that something changed (LISTEN/NOTIFY), instead of asking.

On SQLite a console asks the file "anything new?" (`PRAGMA data_version`) at every tick: it
costs nothing. Hundreds of consoles asking a server as often would be a storm of queries; each
console instead keeps one connection LISTENing on the schema's channel, and the server's
triggers NOTIFY it when the event log, the notices or the content in force change
(postgres_schema.py). `heard` counts what was heard: the store's `has_changed()` compares it,
and the console then reads the log from its last event id, as it always does.

When the connection is lost, the listener tries again with a growing pause; once it is back,
it counts one more change, so every console re-reads from its last event id whatever it missed
meanwhile.
"""

from __future__ import annotations

import threading
from typing import Any

from agent_console.store.backoff import Backoff
from agent_console.store.postgres_schema import CHANNEL

# The tables whose change is a change of what the search index holds.
CONTENT_TABLES = frozenset({"articles", "scripts", "search_learned"})

# How long one wait for notifications lasts before the thread looks whether it should stop
# (the wait is on the socket: no query is sent to the server).
WAIT_S = 0.2


class ChangeListener:
    def __init__(self, url: str) -> None:
        self._url = url
        self.heard = 0
        self.heard_content = 0  # of those, changes of the content in force (the search follows)
        self.connected = threading.Event()
        self._tried = threading.Event()  # the first attempt to connect is over, either way
        self._stopping = threading.Event()
        self._conn: Any = None
        self._thread = threading.Thread(target=self._run, name="agent-console-listen", daemon=True)
        self._thread.start()
        # The first notification must not be missed: start counting once LISTEN is in place
        # (or the server said no: then the console learns it from its own queries).
        self._tried.wait(timeout=5.0)

    def _run(self) -> None:
        import psycopg

        pauses = Backoff()  # the pauses between attempts to reach the server again
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
                    self._conn = conn
                    conn.execute(f"LISTEN {CHANNEL}")
                    if self.connected.is_set():
                        # Back after a loss: whatever happened meanwhile.
                        self.heard += 1
                        self.heard_content += 1
                    self.connected.set()
                    self._tried.set()
                    pauses.reset()
                    while not self._stopping.is_set():
                        for notice in conn.notifies(timeout=WAIT_S, stop_after=1):
                            if notice.payload in CONTENT_TABLES:
                                self.heard_content += 1
                            self.heard += 1
            except psycopg.Error:
                self.heard += 1  # lost: the console reads again (and learns the server is gone)
            finally:
                self._conn = None
                self._tried.set()
            if self._stopping.wait(pauses.next()):
                return

    def stop(self) -> None:
        """Stop listening: the thread ends at its next look (within WAIT_S), closing its
        connection; the store closing does not wait for it."""
        self._stopping.set()
