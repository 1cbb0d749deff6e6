"""The schema, as forward migrations. The file's `PRAGMA user_version` is its schema version.

Each migration runs in the same write transaction as the version bump, so a crash half-way
leaves the previous version intact. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from agent_console.store.connection import transaction

MIGRATION_1 = """
CREATE TABLE operators (
    login TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'operator' CHECK (role IN ('operator', 'trainer', 'supervisor')),
    language TEXT NOT NULL DEFAULT 'en'
);
CREATE TABLE customers (
    contract TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    city TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT,
    services TEXT NOT NULL DEFAULT '[]',
    tariff TEXT,
    since TEXT,
    language TEXT NOT NULL DEFAULT 'ru'
);
CREATE INDEX customers_city ON customers(city);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    queue TEXT NOT NULL DEFAULT 'front' CHECK (queue IN ('front', 'tech_support', 'retention')),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'chat', 'email', 'social')),
    customer_contract TEXT REFERENCES customers(contract),
    customer_name TEXT NOT NULL DEFAULT '',
    topic TEXT,
    subject TEXT NOT NULL DEFAULT '',
    priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
    created TEXT NOT NULL,
    sla_due TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'waiting'
        CHECK (status IN ('waiting', 'active', 'wrapup', 'closed')),
    claimed_by TEXT REFERENCES operators(login),
    claimed_at TEXT,
    ended_at TEXT,
    parent_id INTEGER REFERENCES contacts(id)
);
-- The claim reads the head of this index: waiting contacts of one queue, most urgent, oldest.
CREATE INDEX contacts_waiting ON contacts(queue, priority, created, id) WHERE status = 'waiting';
CREATE INDEX contacts_customer ON contacts(customer_contract, created);
CREATE INDEX contacts_claimed_by ON contacts(claimed_by, status);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    operator TEXT,
    started TEXT NOT NULL,
    ended TEXT,
    source TEXT NOT NULL DEFAULT 'live' CHECK (source IN ('live', 'imported', 'sample')),
    title TEXT NOT NULL DEFAULT ''
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    session_id TEXT REFERENCES sessions(id),
    contact_id INTEGER REFERENCES contacts(id),
    operator TEXT,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_session ON events(session_id, id);
CREATE INDEX events_contact ON events(contact_id, id);
CREATE INDEX events_operator_at ON events(operator, at);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    language TEXT NOT NULL DEFAULT 'en',
    status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('draft', 'approved', 'retired')),
    version INTEGER NOT NULL DEFAULT 1,
    topic TEXT,
    updated TEXT NOT NULL
);
CREATE TABLE scripts (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('draft', 'approved', 'retired')),
    version INTEGER NOT NULL DEFAULT 1,
    topic TEXT,
    stage TEXT,
    updated TEXT NOT NULL
);
CREATE INDEX scripts_category ON scripts(language, status, category);
CREATE TABLE wrapups (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts(id),
    operator TEXT,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'saved')),
    outcome TEXT,
    topic TEXT,
    transfer_target TEXT CHECK (transfer_target IN ('tech_support', 'retention')),
    transfer_reason TEXT,
    promotion TEXT CHECK (promotion IN ('accepted', 'declined', 'not_offered')),
    promotion_reason TEXT,
    notes TEXT NOT NULL DEFAULT '',
    callback_at TEXT,
    talk_s INTEGER,
    hold_s INTEGER,
    acw_s INTEGER,
    saved_at TEXT
);
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    text TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT
);
"""


def _migration_1(conn: sqlite3.Connection) -> None:
    _run_script(conn, MIGRATION_1)


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT our transaction first; run statement by statement instead.
    for statement in _split_statements(script):
        conn.execute(statement)


def _split_statements(script: str) -> list[str]:
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]


def _migration_2(conn: sqlite3.Connection) -> None:
    """A corrected talk time keeps the one the event log gave, and why it was corrected."""
    conn.execute("ALTER TABLE wrapups ADD COLUMN talk_s_logged INTEGER")
    conn.execute("ALTER TABLE wrapups ADD COLUMN talk_correction_reason TEXT")


MIGRATION_3 = """
-- Events of imported and sample sessions, kept apart from the live log: the operator's state,
-- the shift's figures and the queue are derived from `events`, and must never count a session
-- that was recorded elsewhere or written for training. contact_id is the id the contact had
-- where the session was recorded: a name within the session, not a row of `contacts`.
CREATE TABLE session_events (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    contact_id INTEGER,
    operator TEXT,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX session_events_session ON session_events(session_id, id);
"""


def _migration_3(conn: sqlite3.Connection) -> None:
    """Imported and sample sessions get a table of their own (see MIGRATION_3)."""
    _run_script(conn, MIGRATION_3)


MIGRATION_4 = """
-- A notice's place was a city (`region`); now it is a scope: the city, narrowed to districts and
-- streets when any are given (JSON lists: ["Leninsky"], [{"street": "ul. Titova", "houses":
-- ["7", "9"]}], houses empty for the whole street). A notice written before keeps its meaning:
-- the whole of its city.
ALTER TABLE notices RENAME COLUMN region TO city;
ALTER TABLE notices ADD COLUMN districts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE notices ADD COLUMN streets TEXT NOT NULL DEFAULT '[]';
ALTER TABLE notices ADD COLUMN text_ru TEXT;
-- The customer's city district, when known ('' when not).
ALTER TABLE customers ADD COLUMN district TEXT NOT NULL DEFAULT '';
"""


def _migration_4(conn: sqlite3.Connection) -> None:
    """Notices get a scope; customers a district (see MIGRATION_4)."""
    _run_script(conn, MIGRATION_4)


def _migration_5(conn: sqlite3.Connection) -> None:
    """An operator's name as Russian-speaking customers hear it ("Анна Смирнова"); NULL: the
    operator has one name for every language (Operator.name_in)."""
    conn.execute("ALTER TABLE operators ADD COLUMN name_ru TEXT")


MIGRATION_LEARNED_PAIRS = """
-- What the search learned: a customer's question and the article that answered it, from a file
-- (`kb learn FILE`) or from the event log (`kb learn --from-log`: the article opened on a
-- contact that ended resolved). Not a foreign key to articles: a pair outlives its article's
-- re-import, and a retired article is out of the search index whatever was learned for it.
CREATE TABLE search_learned (
    id INTEGER PRIMARY KEY,
    query TEXT NOT NULL,
    article_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('file', 'log')),
    added TEXT NOT NULL,
    UNIQUE (article_id, query, source)
);
"""


def _migration_learned_pairs(conn: sqlite3.Connection) -> None:
    """The search learns question -> article pairs (see MIGRATION_LEARNED_PAIRS)."""
    _run_script(conn, MIGRATION_LEARNED_PAIRS)


MIGRATION_SEARCH_VECTORS = """
-- Sentence vectors of articles (the optional semantic extra), one per article and model.
-- `updated` is the article's own `updated` when its vector was made: an article edited since
-- has a stale vector, made again by the next pass. float32 little-endian, `dim` of them.
CREATE TABLE search_vectors (
    article_id TEXT NOT NULL,
    model TEXT NOT NULL,
    updated TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (article_id, model)
);
"""


def _migration_search_vectors(conn: sqlite3.Connection) -> None:
    """Articles' sentence vectors for the semantic search (see MIGRATION_SEARCH_VECTORS)."""
    _run_script(conn, MIGRATION_SEARCH_VECTORS)


# Migrations are named, not numbered, after the fourth: the number is the place in this list,
# so two branches that each add one only need their order agreed at the merge.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_learned_pairs,
    _migration_search_vectors,
]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    pass


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file up to SCHEMA_VERSION; returns the version it had before."""
    before = schema_version(conn)
    if before > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"the database has schema version {before}, newer than this agent-console "
            f"understands ({SCHEMA_VERSION}); upgrade agent-console"
        )
    if before == SCHEMA_VERSION:
        return before
    with transaction(conn):
        # Read again under the write lock: another console may have migrated meanwhile.
        current = schema_version(conn)
        for number in range(current, SCHEMA_VERSION):
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
    return before
