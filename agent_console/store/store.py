"""The store: one SQLite file, one `Store` object, a repository per concern.

A sqlite3 connection belongs to the thread that opened it, and the UI queries from worker
threads, so each thread gets its own connection to the same file (WAL lets them read while one
writes). Migrations run once, when the store is opened.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from agent_console.clock import Clock, SystemClock
from agent_console.store.connection import connect, transaction
from agent_console.store.content import ContentRepository
from agent_console.store.events import EventLog
from agent_console.store.migrations import migrate
from agent_console.store.notices import NoticeRepository
from agent_console.store.people import PeopleRepository
from agent_console.store.queue import QueueRepository


class Store:
    def __init__(self, path: Path | str, clock: Clock | None = None) -> None:
        self.path = Path(path)
        self.clock: Clock = clock or SystemClock()
        self._local = threading.local()
        self._connections: list[sqlite_utils.Database] = []
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        migrate(self.db)
        self.events = EventLog(self)
        self.queue = QueueRepository(self)
        self.people = PeopleRepository(self)
        self.content = ContentRepository(self)
        self.notices = NoticeRepository(self)

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection to the file."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path)
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        with transaction(self.db) as db:
            yield db

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file: a cheap 'anything new?'."""
        return self.db.conn.execute("PRAGMA data_version").fetchone()[0]

    def has_changed(self) -> bool:
        """True when anyone committed to the file since this thread last asked (or never asked)."""
        version = self.data_version()
        changed = getattr(self._local, "seen_version", None) != version
        self._local.seen_version = version
        return changed

    def is_empty(self) -> bool:
        return self.db.conn.execute("SELECT count(*) FROM operators").fetchone()[0] == 0

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
