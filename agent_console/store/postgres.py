"""PostgreSQL behind the interface of a sqlite3 connection, so that the repositories run on
either engine unchanged (nothing above the store knows which one is in use).

The repositories write SQLite's SQL: `?` and `:name` parameters, `INSERT OR IGNORE`,
`json_extract`, `instr`, a cursor's `lastrowid`. `translate` turns each statement into
PostgreSQL's once (cached by its text); the few that cannot be said the same way on both ask
the store's `Dialect` instead (store/dialect.py). psycopg's errors come out as the sqlite3
errors the rest of the console already handles (`_sqlite_error`), and a lost server as
`ServerUnreachable`, which the console says and retries.

psycopg 3 (with its binary build of libpq) is imported only when a `postgresql://` database is
opened: an operator on the embedded SQLite file never pays for it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import psycopg

# Tables whose `id` PostgreSQL makes (an identity column): an INSERT into one of these returns
# the id it gave, which is what sqlite3's `cursor.lastrowid` is read for.
ID_TABLES = frozenset(
    {
        "contacts",
        "events",
        "session_events",
        "notices",
        "search_learned",
        "content_reviews",
        "content_flags",
    }
)

# The primary keys `INSERT OR REPLACE` replaces on (its conflict target in PostgreSQL).
REPLACE_KEYS = {
    "wrapups": ("contact_id",),
    "search_vectors": ("article_id", "model"),
}


# The server's reasons for refusing a connection that waiting would not change.
REFUSALS = (
    "does not exist",
    "authentication failed",
    "permission denied",
    "no pg_hba.conf entry",
    "is not permitted to log in",
)


class ServerUnreachable(sqlite3.OperationalError):
    """The database server cannot be reached (down, restarting, the network lost): nothing of
    the statement was applied; the console says so and tries again."""


class Statement(NamedTuple):
    sql: str
    returns_id: bool  # an INSERT into an ID_TABLES table: RETURNING id was added
    writes: bool = False  # an INSERT, UPDATE or DELETE: its rows count in total_changes


# A string literal, a quoted name, a `?`, a `:name` parameter, a `%` (psycopg's own escape).
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|(?<!:):([A-Za-z_]\w*)|%")
_INSERT_INTO = re.compile(r"^\s*INSERT\s+(OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)", re.IGNORECASE)
_JSON_EXTRACT = re.compile(r"json_extract\((\w+), '\$\.(\w+)'\)")
_COLUMNS = re.compile(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+\w+\s*\(([^)]*)\)", re.IGNORECASE)


@lru_cache(maxsize=1024)
def translate(sql: str) -> Statement:
    """SQLite's statement as PostgreSQL's (see the module's docstring)."""

    def parameter(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        # A literal or a quoted name, as it is: but psycopg reads % in them too.
        return token.replace("%", "%%")

    text = _TOKENS.sub(parameter, sql)
    text = _JSON_EXTRACT.sub(r"(\1::jsonb ->> '\2')", text)
    text = re.sub(r"\binstr\(", "strpos(", text)
    # SQLite's IS and IS NOT compare NULLs as values; PostgreSQL's IS takes only NULL itself.
    text = re.sub(r"\bIS NOT %s", "IS DISTINCT FROM %s", text)
    text = re.sub(r"\bIS %s", "IS NOT DISTINCT FROM %s", text)
    text = text.replace(") IS (", ") IS NOT DISTINCT FROM (")
    # `+column`: SQLite's way of keeping an index out of a query's plan; nothing to PostgreSQL.
    text = re.sub(r"(?<=[\s(])\+(?=[A-Za-z_])", "", text)
    if re.match(r"^\s*BEGIN IMMEDIATE", text):
        return Statement("BEGIN", False)
    if re.match(r"^\s*PRAGMA", text, re.IGNORECASE):
        # A PRAGMA tunes SQLite's file (its page cache, its log): PostgreSQL has nothing of
        # the kind to tune from a connection, so it reads as 0 and does nothing.
        return Statement("SELECT 0", False)
    writes = re.match(r"^\s*(INSERT|UPDATE|DELETE)\b", text, re.IGNORECASE) is not None
    insert = _INSERT_INTO.match(text)
    returns_id = False
    if insert:
        table = insert.group(3)
        conflict = ""
        if insert.group(2):
            text = text[: insert.start(1)] + text[insert.end(1) :]
            if insert.group(2).upper() == "IGNORE":
                conflict = " ON CONFLICT DO NOTHING"
            else:
                conflict = _replace_clause(sql, table)
        has_returning = re.search(r"\bRETURNING\b", text, re.IGNORECASE) is not None
        if conflict:
            if has_returning:
                head, _sep, tail = text.rpartition(" RETURNING ")
                text = f"{head}{conflict} RETURNING {tail}"
            else:
                text += conflict
        if table in ID_TABLES and not has_returning and "SELECT" not in text.upper():
            text += " RETURNING id"
            returns_id = True
    return Statement(text, returns_id, writes)


def _replace_clause(sql: str, table: str) -> str:
    keys = REPLACE_KEYS.get(table)
    columns = _COLUMNS.match(sql)
    if keys is None or columns is None:
        raise sqlite3.ProgrammingError(f"INSERT OR REPLACE INTO {table}: no key to replace on")
    names = [name.strip() for name in columns.group(1).split(",")]
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in names if name not in keys)
    return f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"


class PgRow(tuple[Any, ...]):
    """A row read by position or by column name, like `sqlite3.Row`."""

    _names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_maker(cursor: Any) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    names = {column.name: index for index, column in enumerate(description)}

    def make(values: Sequence[Any]) -> PgRow:
        row = PgRow(values)
        row._names = names
        return row

    return make


def _plain(params: Any) -> Any:
    """SQLite stores a bool as 0 or 1; PostgreSQL's INTEGER columns take no bool."""
    if isinstance(params, Mapping):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    return [int(v) if isinstance(v, bool) else v for v in params]


def _sqlite_error(error: Exception) -> sqlite3.Error:
    """psycopg's error as the sqlite3 error of the same meaning."""
    import psycopg
    from psycopg import errors

    from agent_console.store.connection import DatabaseLocked

    text = str(error).strip()
    if isinstance(error, errors.IntegrityError):
        return sqlite3.IntegrityError(text)
    if isinstance(error, (errors.LockNotAvailable, errors.DeadlockDetected)):
        return DatabaseLocked(f"the database is locked by another program ({text})")
    if "FATAL:" in text and any(reason in text for reason in REFUSALS):
        # The server answered and refused: no such database, a wrong password, no right to
        # connect. Trying again would not help; the server's words say what to change.
        return sqlite3.OperationalError(text.split("FATAL:", 1)[1].strip())
    if isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)) and not isinstance(
        error, errors.QueryCanceled
    ):
        return ServerUnreachable(f"the database server cannot be reached ({text})")
    if isinstance(error, errors.ReadOnlySqlTransaction | errors.InsufficientPrivilege):
        return sqlite3.OperationalError(f"read-only: {text}")
    if isinstance(error, psycopg.ProgrammingError):
        return sqlite3.OperationalError(text)
    return sqlite3.DatabaseError(text)


class PgCursor:
    """The part of `sqlite3.Cursor` the repositories use."""

    def __init__(self, connection: PgConnection) -> None:
        self._connection = connection
        self._cursor = connection.raw.cursor(row_factory=_row_maker)
        self.lastrowid: int | None = None
        self.row_factory: Any = None  # rows are always readable by name (PgRow)

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        statement = translate(sql)
        try:
            self._cursor.execute(statement.sql, _plain(params))
            if statement.returns_id:
                row = self._cursor.fetchone()
                self.lastrowid = row[0] if row else None
        except Exception as error:
            raise self._connection.failed(error) from error
        self._count_changes(statement)
        return self

    def executemany(self, sql: str, seq: Iterable[Any]) -> PgCursor:
        statement = translate(sql)
        text = (
            statement.sql.removesuffix(" RETURNING id") if statement.returns_id else statement.sql
        )
        try:
            self._cursor.executemany(text, [_plain(p) for p in seq])
        except Exception as error:
            raise self._connection.failed(error) from error
        self._count_changes(statement)
        return self

    def _count_changes(self, statement: Statement) -> None:
        """sqlite3's total_changes counts the rows written, not those read (Store.write_mark
        tells from it whether anything was written since)."""
        if statement.writes:
            self._connection.total_changes += max(self._cursor.rowcount, 0)

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchmany(self, size: int = 1) -> list[Any]:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())

    def close(self) -> None:
        self._cursor.close()


class PgConnection:
    """The part of `sqlite3.Connection` the repositories use, over one psycopg connection in
    autocommit mode: as on SQLite, the only transactions are those `transaction()` opens."""

    def __init__(self, url: str) -> None:
        import psycopg

        try:
            self.raw: psycopg.Connection[Any] = psycopg.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
            )
        except psycopg.Error as error:
            raise _sqlite_error(error) from error
        _numbers_as_python(self.raw)
        self.total_changes = 0
        self.broken = False

    def failed(self, error: Exception) -> sqlite3.Error:
        """The sqlite3 error for psycopg's; a connection the server dropped is marked broken, so
        the store opens a new one for the next statement."""
        mapped = _sqlite_error(error)
        if isinstance(mapped, ServerUnreachable) or self.raw.closed:
            self.broken = True
        return mapped

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        if self.raw.closed:
            return False
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        return PgCursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Any]) -> PgCursor:
        return PgCursor(self).executemany(sql, seq)

    def close(self) -> None:
        self.raw.close()


# How long opening a connection waits for the server before the console says it cannot reach it.
CONNECT_TIMEOUT_S = 5


def _numbers_as_python(conn: psycopg.Connection[Any]) -> None:
    """sum() and avg() give NUMERIC in PostgreSQL: read them as float (an int when whole), the
    numbers SQLite gives, not Decimal."""
    from psycopg.adapt import Loader

    class NumericLoader(Loader):
        def load(self, data: Any) -> float | int:
            number = float(bytes(data))
            return int(number) if number.is_integer() else number

    conn.adapters.register_loader("numeric", NumericLoader)


def is_url(db: object) -> bool:
    """Whether a database setting names a PostgreSQL server rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def redacted_url(url: str) -> str:
    """The URL as it may be shown or logged: its password, if it has one, left out."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
