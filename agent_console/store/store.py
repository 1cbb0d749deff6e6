"""The store: one SQLite file or one PostgreSQL database, one `Store` object, a repository per
concern.

A connection belongs to the thread that opened it, and the UI queries from worker threads, so
each thread gets its own connection to the same database (SQLite's WAL lets them read while one
writes). Migrations run once, when the store is opened. The repositories speak to a connection
with sqlite3's interface; on PostgreSQL that is `postgres.PgConnection`, and the few things the
engines do differently are asked of the store (`skip_locked`, `has_changed`, `copy_to`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

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
from agent_console.store.postgres import PgConnection, is_url, redacted_url
from agent_console.store.queue import QueueRepository

if TYPE_CHECKING:
    import sqlite_utils

    from agent_console.store.content import ContentRepository
    from agent_console.store.content_notes import ContentNotesRepository
    from agent_console.store.learned import LearnedRepository
    from agent_console.store.listener import ChangeListener
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
        """`path`: the SQLite file, or a `postgresql://` URL of the database on a server."""
        self.url = str(path) if is_url(path) else None
        # The file; None on a server (no stand-in path that a caller could create a file at).
        self.path: Path | None = None if self.url else Path(path)
        self.clock: Clock = clock or SystemClock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._changes: ChangeListener | None = None
        # Taking the head of the queue: on PostgreSQL the row is locked, and a row another
        # console has locked is passed over (SQLite's one writer at a time needs neither).
        self.skip_locked = " FOR UPDATE SKIP LOCKED" if self.url else ""
        if self.path is not None:
            if not self.path.parent.is_dir():
                # SQLite would create the file in any folder given; a folder that is not there
                # is a mistyped path far more often than a wish for a new, empty database.
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

    @cached_property
    def search_file(self) -> Store:
        """Where the search index is kept: in the database itself on SQLite; on PostgreSQL in
        a SQLite file of this user's own (search/index.py says why), one per server database."""
        if self.url is None:
            return self
        import hashlib

        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir("agent-console", appauthor=False)) / "search"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = hashlib.sha256(self.url.encode()).hexdigest()[:20]
        return Store(folder / f"{name}.db", self.clock)

    def content_changes(self) -> int:
        """Changes whenever the server notified a change of the content in force (articles,
        scripts, what the search learned); always 0 on SQLite, which needs no notice."""
        return self._listener().heard_content if self.url else 0

    def content_stamp(self) -> str:
        """What the content in force and the search's learning are, in a line: equal stamps,
        the same content (a new version, an edit, a retirement or a learned question each
        change it)."""
        parts = [
            self.conn.execute(
                f"SELECT count(*), max(updated), sum(version),"
                f" sum(CASE WHEN status = 'retired' THEN 1 ELSE 0 END) FROM {table}"
            ).fetchone()
            for table in ("articles", "scripts")
        ]
        parts.append(self.conn.execute("SELECT count(*), max(id) FROM search_learned").fetchone())
        return "|".join(":".join(str(value) for value in part) for part in parts)

    @property
    def address(self) -> Path | str:
        """The database as `--db` names it: the file's path, or the server's URL."""
        return self.url or self._file

    @property
    def location(self) -> str:
        """Where the data is, as a person reads it: the file's path, or the server's URL
        without its password."""
        return redacted_url(self.url) if self.url else str(self.path)

    @property
    def _file(self) -> Path:
        assert self.path is not None, "a server database has no file"
        return self.path

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection to the database; a connection the server dropped is
        replaced by a new one (outside a transaction: inside one, the failure undoes it all)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(conn, "broken", False):
            with self._lock:
                if conn in self._connections:
                    self._connections.remove(conn)
            conn.close()
            conn = None
        if conn is None:
            # PgConnection has the part of sqlite3.Connection's interface the repositories use.
            conn = (
                cast("sqlite3.Connection", PgConnection(self.url))
                if self.url
                else connect(self._file)
            )
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def ping(self) -> None:
        """Ask the database whether it answers: returns if it does, raises (ServerUnreachable
        for a server that cannot be reached) if not. A connection the server dropped is found
        out by its first statement: that one is tried again once, on a new connection."""
        for last_try in (False, True):
            conn = self.conn
            try:
                conn.execute("SELECT 1").fetchone()
                return
            except sqlite3.OperationalError:
                if last_try or not getattr(conn, "broken", False):
                    raise

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
        """Changes whenever another connection commits to the file: a cheap 'anything new?'.
        On PostgreSQL: the count of the server's notifications (LISTEN), read without asking
        the server anything."""
        if self.url:
            return self._listener().heard
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _listener(self) -> ChangeListener:
        from agent_console.store.listener import ChangeListener

        with self._lock:
            if self._changes is None:
                assert self.url is not None
                self._changes = ChangeListener(self.url)
            return self._changes

    def write_mark(self) -> tuple[int, int, int]:
        """Changes whenever anything is committed to the file, from this connection or another
        (SQLite's data_version counts the others' commits, total_changes this one's rows).
        Comparable only with marks from the same thread: each has its own connection."""
        conn = self.conn
        version = self.data_version()
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

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Reads that all see the database as it was at their start, whatever is committed
        meanwhile (a copy of the whole of it)."""
        conn = self.conn
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if self.url else "BEGIN")
        try:
            yield conn
        finally:
            conn.execute("ROLLBACK")

    def count_rows(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def table_names(self) -> list[str]:
        """The tables of the database, by name."""
        if self.url:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        return sorted(row[0] for row in self.conn.execute(sql))

    def column_names(self, table: str) -> list[str]:
        """A table's columns, in their order."""
        return [
            column[0] for column in self.conn.execute(f"SELECT * FROM {table} LIMIT 0").description
        ]

    def is_empty(self) -> bool:
        return int(self.conn.execute("SELECT count(*) FROM operators").fetchone()[0]) == 0

    def copy_to(self, path: Path | str) -> Store:
        """A consistent copy of the whole database in a new file (SQLite's online backup; from
        PostgreSQL, every table's rows read in one snapshot), opened on the same clock."""
        if self.url:
            from agent_console.store.copying import copy_database

            copy = Store(path, self.clock)
            try:
                copy_database(self, copy)
            except BaseException:
                copy.close()
                raise
            return copy
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
            if self._changes is not None:
                self._changes.stop()
                self._changes = None
        search_file = self.__dict__.pop("search_file", self)  # made only if it was used
        if search_file is not self:
            search_file.close()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
