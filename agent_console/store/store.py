"""The store: one SQLite file, one `Store` object, a repository per concern.

A sqlite3 connection belongs to the thread that opened it, and the UI queries from worker
threads, so each thread gets its own connection to the same file (WAL lets them read while one
writes). Migrations run once, when the store is opened.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from agent_console.clock import Clock, SystemClock
from agent_console.store.connection import (
    Params,
    connect,
    make_private,
    named_rows,
    transaction,
)
from agent_console.store.events import EventLog
from agent_console.store.migrations import migrate
from agent_console.store.notices import NoticeRepository
from agent_console.store.people import PeopleRepository
from agent_console.store.queue import QueueRepository

if TYPE_CHECKING:
    import sqlite_utils

    from agent_console.store.content import ContentRepository
    from agent_console.store.content_notes import ContentNotesRepository
    from agent_console.store.learned import LearnedRepository
    from agent_console.store.sessions import SessionRepository
    from agent_console.store.vectors import VectorRepository
    from agent_console.store.versions import VersionRepository
    from agent_console.store.wrapups import WrapUpRepository

# Every table of the schema, in an order that deleting them one after the other respects the
# foreign keys (migrations.py).
TABLES = (
    "events",
    "session_events",
    "wrapups",
    "sessions",
    "contacts",
    "notices",
    "customer_addresses",
    "customers",
    "operators",
    "articles",
    "scripts",
    "content_versions",
    "content_reviews",
    "content_review_by",
    "content_flags",
)


# The write-ahead log's length, in pages, at which a connection that `write_often`s copies it
# into the database file (SQLite's default: 1000, 4 MB).
WRITE_OFTEN_CHECKPOINT_PAGES = 10_000


class Store:
    def __init__(self, path: Path | str, clock: Clock | None = None) -> None:
        self.path = Path(path)
        self.clock: Clock = clock or SystemClock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        if not self.path.parent.is_dir():
            # SQLite would create the file in any folder given; a folder that is not there is
            # a mistyped path far more often than a wish for a new, empty database.
            raise FileNotFoundError(f"the folder {self.path.parent} does not exist")
        make_private(self.path)
        migrate(self.conn)
        self.events = EventLog(self)
        self.queue = QueueRepository(self)
        self.people = PeopleRepository(self)
        self.notices = NoticeRepository(self)

    # The console's first screen needs the queue, the people and the notices; the other
    # repositories (and what they import: the wrap-up rules, personal-data masking, session
    # import and export) are made when first used, after that screen is up.

    @cached_property
    def content(self) -> ContentRepository:
        from agent_console.store.content import ContentRepository

        return ContentRepository(self)

    @cached_property
    def content_notes(self) -> ContentNotesRepository:
        from agent_console.store.content_notes import ContentNotesRepository

        return ContentNotesRepository(self)

    @cached_property
    def versions(self) -> VersionRepository:
        from agent_console.store.versions import VersionRepository

        return VersionRepository(self)

    @cached_property
    def wrapups(self) -> WrapUpRepository:
        from agent_console.store.wrapups import WrapUpRepository

        return WrapUpRepository(self)

    @cached_property
    def sessions(self) -> SessionRepository:
        from agent_console.store.sessions import SessionRepository

        return SessionRepository(self)

    @cached_property
    def learned(self) -> LearnedRepository:
        from agent_console.store.learned import LearnedRepository

        return LearnedRepository(self)

    @cached_property
    def vectors(self) -> VectorRepository:
        from agent_console.store.vectors import VectorRepository

        return VectorRepository(self)

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection to the file."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def query(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """A query on this thread's connection, its rows read by column name (`sqlite3.Row`):
        each record type has one `..._from_row` beside the table it is read from."""
        return named_rows(self.conn, sql, params)

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection as a sqlite-utils Database, for bulk upserts.

        Built on first use: importing sqlite-utils costs a tenth of a second that the console's
        start does not need to pay.
        """
        db = getattr(self._local, "db", None)
        if db is None:
            import sqlite_utils

            db = sqlite_utils.Database(self.conn, execute_plugins=False)
            self._local.db = db
        return db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested, a savepoint in the outer one (see `transaction`),
        except inside `one_transaction()`."""
        if getattr(self._local, "one_piece", False):
            yield self.conn
            return
        with transaction(self.conn) as conn:
            yield conn

    @contextmanager
    def one_transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction for a big write made of many steps, which join it without
        savepoints: any failure undoes the whole of it.

        Why not savepoints: an FTS5 table writes its pending rows out as a new segment at
        every savepoint, so a bulk import written in parts would build its index from
        hundreds of small segments, merging them as it goes (measured: three times slower).
        """
        with self.transaction() as conn:
            self._local.one_piece = True
            try:
                yield conn
            finally:
                self._local.one_piece = False

    def write_often(self) -> None:
        """This thread's connection commits many small transactions back to back (a bridge's
        stream of contacts): let the write-ahead log grow ten times as long before this
        connection copies it into the file. Each copy writes every page changed since the
        last one, and the same few pages (the newest contacts, events and their indexes)
        change at every commit: measured, a third less time per contact."""
        self.conn.execute(f"PRAGMA wal_autocheckpoint = {WRITE_OFTEN_CHECKPOINT_PAGES}")

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the file and cut the log to nothing (when no reader
        still needs it; otherwise as much as can be, and the log is cut the next time)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file: a cheap 'anything new?'."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def write_mark(self) -> tuple[int, int, int]:
        """Changes whenever anything is committed to the file, from this connection or another
        (SQLite's data_version counts the others' commits, total_changes this one's rows).
        Comparable only with marks from the same thread: each has its own connection."""
        conn = self.conn
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        return id(conn), version, conn.total_changes

    def has_changed(self) -> bool:
        """True when anyone committed to the file since this thread last asked (or never asked)."""
        version = self.data_version()
        changed = getattr(self._local, "seen_version", None) != version
        self._local.seen_version = version
        return changed

    def clear_all(self) -> None:
        """Delete every row of every table, the schema kept (a demo reload); joins the caller's
        transaction when one is open. The search index has tables of its own: `SearchIndex`."""
        with self.transaction() as conn:
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")

    def is_empty(self) -> bool:
        return int(self.conn.execute("SELECT count(*) FROM operators").fetchone()[0]) == 0

    def copy_to(self, path: Path | str) -> Store:
        """A consistent copy of the whole database in a new file (SQLite's online backup),
        opened on the same clock."""
        make_private(Path(path))
        target = sqlite3.connect(path)
        try:
            self.conn.backup(target)
        finally:
            target.close()
        return Store(path, self.clock)

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
