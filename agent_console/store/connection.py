"""Opening the SQLite file and running transactions on it.

Every connection runs in autocommit mode (`isolation_level=None`) so that the only transactions
are the ones we open: `BEGIN IMMEDIATE` takes the write lock up front, which is what makes a
claim of the next contact atomic across processes (a plain BEGIN that reads and then writes
fails under load with SQLITE_BUSY, because the read lock cannot be upgraded).
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

# How long one statement waits for another program's lock (SQLite's busy handler), and how long
# a write waits in all before it gives up and says the database is locked: a program holding
# the file for longer is not a moment's contention (20 retries of 5 s made that 101 s).
BUSY_TIMEOUT_MS = 2000
LOCK_WAIT_S = 10.0

# Each console checkpoints its write-ahead log when the log passes ~4 MiB (SQLite's default);
# a log that grew in a burst is cut back to this size at the next checkpoint, not kept at its
# largest while any console is open.
JOURNAL_SIZE_LIMIT = 32 * 2**20


T = TypeVar("T")
# The parameters of a statement: positional (?) or named (:name).
Params = Sequence[Any] | Mapping[str, Any]


# The database holds customers' personal data: readable and writable by its owner and group
# only (the group: consoles of several people sharing one file on one host). SQLite gives the
# -wal and -shm files the mode of the database file itself.
FILE_MODE = 0o660


def make_private(path: Path) -> None:
    """Create the database file with FILE_MODE before SQLite writes anything to it; tighten a
    file made before (0644) when it is ours: nobody outside its group may read it."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            _tighten(name)
        return
    try:
        os.fchmod(descriptor, FILE_MODE)  # whatever the umask left of it
    finally:
        os.close(descriptor)


def _tighten(path: Path) -> None:
    try:
        status = path.stat()
        if status.st_uid == os.getuid() and status.st_mode & stat.S_IRWXO:
            path.chmod(stat.S_IMODE(status.st_mode) & ~stat.S_IRWXO)
    except (FileNotFoundError, PermissionError):
        pass  # not there, or not ours to change: SQLite says what it can and cannot open


def connect(path: Path | str) -> sqlite3.Connection:
    # check_same_thread=False only so that Store.close() may close every thread's connection;
    # each connection is still used by the one thread that opened it.
    conn = sqlite3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # journal_mode needs a moment of exclusive access when it changes; another console may hold
    # the file, so retry briefly instead of failing the start.
    _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL"))
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def named_rows(conn: sqlite3.Connection, sql: str, params: Params = ()) -> sqlite3.Cursor:
    """Run a query whose rows are read by column name (`sqlite3.Row`).

    Set on the cursor, not on the connection: the search index shares this thread's connection
    and reads its own tables as plain tuples on the keystroke path, where a Row costs more.
    """
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params)


# Savepoint names: unique within the process, so nested ones on a connection never collide.
_SAVEPOINTS = itertools.count(1)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it lands or none of it does.

    Nested use joins the outer transaction through a savepoint, so an inner failure that the
    caller catches undoes only the inner part.
    """
    if conn.in_transaction:
        savepoint = f"sp_{next(_SAVEPOINTS)}"
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        return
    _retry_locked(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


class DatabaseLocked(sqlite3.OperationalError):
    """Another program held the database for longer than a write waits (LOCK_WAIT_S)."""


def _retry_locked(statement: Callable[[], T], pause_s: float = 0.05) -> T:
    """Run a statement, retrying while the database is locked beyond busy_timeout, for at most
    LOCK_WAIT_S in all; then DatabaseLocked, which says so."""
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            return statement()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            if time.monotonic() + pause_s >= deadline:
                raise DatabaseLocked(
                    f"the database is locked by another program (waited {LOCK_WAIT_S:g} s)"
                ) from error
            time.sleep(pause_s)


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just gave (sqlite3 types it Optional: None only before any insert)."""
    rowid = cursor.lastrowid
    if rowid is None:
        raise sqlite3.InterfaceError("the statement inserted no row")
    return rowid
