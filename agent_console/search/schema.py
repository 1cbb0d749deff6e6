"""The tables of the search index. They are derived data: `SearchIndex.ensure()` drops and
rebuilds them from the content tables whenever `INDEX_VERSION` differs from the file's.

- one FTS5 table per kind (articles, scripts), holding the *stems* of title, tags, body and
  the questions learned as answered by the article (`learned`; empty for scripts), and the
  language, unindexed, so that searching articles never pays for scripts and the
  other way round. `detail=column` keeps which field a term is in but not its positions: the
  index is smaller and faster to build, and nothing here needs phrases. The stored stems are
  what the ranking reads; FTS5 itself ranks nothing (see `candidates`). The stored text is
  already terms, lowercase and space-separated, so the FTS5 tokenizer only has to split at
  the spaces: `ascii` does exactly that (every non-ASCII byte is part of a token) and costs
  a quarter less than `unicode61` at import, which would also fold some letters again in
  its own way (Greek final ς) where Python does not;
- `search_docs`: what a row of the FTS tables is (kind, id, language, title to show);
- `search_terms`: the vocabulary with document frequencies, kept up to date on every write
  (recounted from the FTS5 index after a bulk import). It
  answers "is this a word of the index?" for the keyboard-layout and typo decisions, completes
  the last word as it is typed, and gives the idf for ranking, without reading the FTS index;
- `search_meta`: the layout version and the collection statistics (documents, field lengths).
"""

from __future__ import annotations

INDEX_VERSION = 6
KINDS = ("article", "script")

# FTS5 flushes pending changes to a new segment every `hashsize` bytes (1 MB by default): a
# bigger buffer means fewer, larger segments and fewer merges during a bulk import.
HASH_SIZE = 32 * 1024 * 1024


def fts_table(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of searchable item: {kind!r}")
    return f"search_fts_{kind}"


DROP = [
    *(f"DROP TABLE IF EXISTS {fts_table(kind)}" for kind in KINDS),
    "DROP TABLE IF EXISTS search_docs",
    "DROP TABLE IF EXISTS search_terms",
]

CREATE = [
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE search_docs (
        rowid INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        UNIQUE (kind, doc_id)
    )""",
    "CREATE TABLE search_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID",
    *(
        f"CREATE VIRTUAL TABLE {fts_table(kind)} USING fts5("
        "title, tags, body, learned, language UNINDEXED,"
        " tokenize = 'ascii', detail = column)"
        for kind in KINDS
    ),
    *(
        f"INSERT INTO {fts_table(kind)} ({fts_table(kind)}, rank) VALUES ('hashsize', {HASH_SIZE})"
        for kind in KINDS
    ),
]

STAT_KEYS = ("docs", "len_title", "len_tags", "len_body", "len_learned")
LENGTH_KEYS = STAT_KEYS[1:]

CLEAR = [
    *(f"DELETE FROM {fts_table(kind)}" for kind in KINDS),
    "DELETE FROM search_docs",
    "DELETE FROM search_terms",
    f"DELETE FROM search_meta WHERE key IN ({', '.join(repr(k) for k in STAT_KEYS)})",
]
