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


def _migration_operators_active(conn: sqlite3.Connection) -> None:
    """An operator can be disabled (left, on leave): their history stays, the console is shut
    to them (`agent-console operators disable`)."""
    conn.execute(
        "ALTER TABLE operators ADD COLUMN active INTEGER NOT NULL DEFAULT 1"
        " CHECK (active IN (0, 1))"
    )


MIGRATION_CUSTOMER_ADDRESSES = """
-- A customer's every phone and social handle (JSON lists; `phone` stays the first phone), the
-- account's balance and billing status, and `folded`: the name, address, city, district and
-- e-mail in one case-folded text, for a search that ignores case in Cyrillic too (SQLite's
-- lower() knows only ASCII).
ALTER TABLE customers ADD COLUMN phones TEXT NOT NULL DEFAULT '[]';
ALTER TABLE customers ADD COLUMN handles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE customers ADD COLUMN balance REAL;
ALTER TABLE customers ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE customers ADD COLUMN folded TEXT NOT NULL DEFAULT '';
-- Every address a customer may contact us from, in its one writing (domain/addresses.py): the
-- caller is recognised by one index lookup on (kind, value). Rewritten with its customer.
CREATE TABLE customer_addresses (
    kind TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'handle')),
    value TEXT NOT NULL,
    contract TEXT NOT NULL REFERENCES customers(contract) ON DELETE CASCADE,
    PRIMARY KEY (kind, value, contract)
) WITHOUT ROWID;
CREATE INDEX customer_addresses_contract ON customer_addresses(contract);
"""


def _migration_customer_addresses(conn: sqlite3.Connection) -> None:
    """Customers get several phones, handles, a balance and a status, and their addresses a
    table for recognising callers (see MIGRATION_CUSTOMER_ADDRESSES); the customers already
    there get theirs."""
    from agent_console.store.people import refresh_customer_addresses

    _run_script(conn, MIGRATION_CUSTOMER_ADDRESSES)
    conn.execute("UPDATE customers SET phones = json_array(phone) WHERE phone != ''")
    refresh_customer_addresses(conn)


MIGRATION_CONTACTS_FROM = """
-- Contacts get who they came from (`from_address`, as the channel gave it) and a status for the
-- customer who left the queue before anyone took the contact (`abandoned`: hung up, closed the
-- chat). SQLite cannot change a CHECK constraint, so the table is made again and its rows copied
-- (https://sqlite.org/lang_altertable.html#otheralter); the foreign keys are off meanwhile.
CREATE TABLE contacts_new (
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
        CHECK (status IN ('waiting', 'active', 'wrapup', 'closed', 'abandoned')),
    claimed_by TEXT REFERENCES operators(login),
    claimed_at TEXT,
    ended_at TEXT,
    parent_id INTEGER REFERENCES contacts(id),
    from_address TEXT NOT NULL DEFAULT ''
);
INSERT INTO contacts_new (id, queue, channel, customer_contract, customer_name, topic, subject,
    priority, created, sla_due, status, claimed_by, claimed_at, ended_at, parent_id)
SELECT id, queue, channel, customer_contract, customer_name, topic, subject,
    priority, created, sla_due, status, claimed_by, claimed_at, ended_at, parent_id
FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
CREATE INDEX contacts_waiting ON contacts(queue, priority, created, id) WHERE status = 'waiting';
CREATE INDEX contacts_customer ON contacts(customer_contract, created);
CREATE INDEX contacts_claimed_by ON contacts(claimed_by, status);
"""


def _migration_contacts_from(conn: sqlite3.Connection) -> None:
    """Contacts get a `from_address` and the `abandoned` status (see MIGRATION_CONTACTS_FROM)."""
    _run_script(conn, MIGRATION_CONTACTS_FROM)
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise sqlite3.IntegrityError(f"rebuilding contacts broke foreign keys: {broken[:5]}")


# The events the shift's figures read (domain/figures.py FIGURE_EVENT_TYPES; a test keeps the
# two the same), written out: SQLite uses a partial index only for a query that repeats its WHERE.
FIGURE_TYPES_SQL = (
    "('contact_created', 'contact_abandoned', 'transferred', 'wrapup_saved', 'state_changed')"
)


def _migration_events_at(conn: sqlite3.Connection) -> None:
    """A range of the log by time (EventLog.between): `events_at`, the type in it so that the
    rows of other types are skipped unread. And the figures' events, whole, in time order
    (`events_figures`): a month's report (millions of events, one in seven of them its own)
    reads them in one sweep of this index instead of a page of the table for each."""
    conn.execute("CREATE INDEX events_at ON events(at, type)")
    conn.execute(
        "CREATE INDEX events_figures ON events(at, id, type, contact_id, operator, session_id,"
        f" payload) WHERE type IN {FIGURE_TYPES_SQL}"
    )


def _migration_sessions_seen(conn: sqlite3.Connection) -> None:
    """A console's heartbeat: when its session was last seen alive (a contact held by a console
    that stopped beating goes back to the queue, QueueRepository.release_stale)."""
    conn.execute("ALTER TABLE sessions ADD COLUMN seen TEXT")


MIGRATION_CONTENT_VERSIONS = """
-- Scripts and articles as versions (issue 14). Every save is a row here; `articles` and
-- `scripts` stay what operators see: the approved version in force, written there when it comes
-- in force (store/versions.py), so the search index and the script panel read only that.
-- status: draft -> review -> approved -> retired. An approved version is in force from
-- `in_force_from`; `pending` = 1 while that time is still ahead (found by one index lookup).
CREATE TABLE content_versions (
    kind TEXT NOT NULL CHECK (kind IN ('article', 'script')),
    item_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'review', 'approved', 'retired')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    category TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    topic TEXT,
    stage TEXT,
    author TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    in_force_from TEXT,
    approved_by TEXT,
    pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1)),
    PRIMARY KEY (kind, item_id, version)
);
CREATE INDEX content_versions_pending ON content_versions(in_force_from) WHERE pending = 1;
-- What reviewers said: a version sent back, approved, retired, restored; with the comment.
CREATE TABLE content_reviews (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    by TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX content_reviews_item ON content_reviews(kind, item_id, id);
-- An item's review-by date: past it, the item is on the "due for review" list.
CREATE TABLE content_review_by (
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    review_by TEXT NOT NULL,
    PRIMARY KEY (kind, item_id)
);
-- An operator's flag on what they were shown: wrong or outdated, with a comment.
CREATE TABLE content_flags (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('article', 'script')),
    item_id TEXT NOT NULL,
    version INTEGER,
    reason TEXT NOT NULL CHECK (reason IN ('wrong', 'outdated')),
    comment TEXT NOT NULL DEFAULT '',
    operator TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX content_flags_open ON content_flags(kind, item_id) WHERE resolved_at IS NULL;
"""


def _migration_content_versions(conn: sqlite3.Connection) -> None:
    """Content gets versions (see MIGRATION_CONTENT_VERSIONS). What is there becomes its
    version as it stands (version 1 for anything imported before), approved in force since its
    last update; a draft, never approved, leaves the operators' tables (and the search index,
    rebuilt at its next use)."""
    _run_script(conn, MIGRATION_CONTENT_VERSIONS)
    conn.execute(
        "INSERT INTO content_versions (kind, item_id, version, status, title, body, tags,"
        " language, topic, at, in_force_from)"
        " SELECT 'article', id, version, status, title, body, tags, language, topic, updated,"
        " CASE WHEN status = 'approved' THEN updated END FROM articles"
    )
    conn.execute(
        "INSERT INTO content_versions (kind, item_id, version, status, title, body, category,"
        " language, topic, stage, at, in_force_from)"
        " SELECT 'script', id, version, status, title, body, category, language, topic, stage,"
        " updated, CASE WHEN status = 'approved' THEN updated END FROM scripts"
    )
    drafts = conn.execute("DELETE FROM articles WHERE status = 'draft'").rowcount
    drafts += conn.execute("DELETE FROM scripts WHERE status = 'draft'").rowcount
    has_index = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_meta'").fetchone()
    if drafts and has_index:
        conn.execute("DELETE FROM search_meta WHERE key = 'version'")


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
    _migration_operators_active,
    _migration_customer_addresses,
    _migration_contacts_from,
    _migration_events_at,
    _migration_sessions_seen,
    _migration_content_versions,
]
# Migrations that rebuild a table others refer to: they run with the foreign keys off (which
# SQLite allows only outside a transaction) and check them before they commit.
REBUILDS: frozenset[Callable[[sqlite3.Connection], None]] = frozenset({_migration_contacts_from})
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    pass


def refuse_newer(version: int, understood: int) -> None:
    """SchemaTooNewError when the database was migrated by a newer agent-console."""
    if version > understood:
        raise SchemaTooNewError(
            f"the database has schema version {version}, newer than this agent-console "
            f"understands ({understood}); upgrade agent-console"
        )


def schema_version(conn: sqlite3.Connection) -> int:
    if not isinstance(conn, sqlite3.Connection):
        from agent_console.store import postgres_schema

        return postgres_schema.schema_version(conn)
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file up to SCHEMA_VERSION; returns the version it had before. A PostgreSQL
    database has migrations of its own (postgres_schema.py), by the same numbers."""
    if not isinstance(conn, sqlite3.Connection):
        from agent_console.store import postgres_schema

        return postgres_schema.migrate(conn)
    before = schema_version(conn)
    refuse_newer(before, SCHEMA_VERSION)
    if before == SCHEMA_VERSION:
        return before
    rebuilds = any(m in REBUILDS for m in MIGRATIONS[before:])
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    if rebuilds:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with transaction(conn):
            # Read again under the write lock: another console may have migrated meanwhile.
            current = schema_version(conn)
            for number in range(current, SCHEMA_VERSION):
                MIGRATIONS[number](conn)
                conn.execute(f"PRAGMA user_version = {number + 1}")
    finally:
        if rebuilds:
            conn.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
    return before
