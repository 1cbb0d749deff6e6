"""Copying a whole database into another: a SQLite file into PostgreSQL (`db migrate --to`),
and a server's database into a file of the trainee's own (practice, `Store.copy_to`).

All or nothing: the rows are written in one transaction of the target, read from one snapshot
of the source, table after table in an order their foreign keys accept. The ids are copied as
they are, so the event log, the wrap-ups and the sessions keep pointing at the same contacts;
PostgreSQL's id counters then start after the highest id copied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent_console.store.postgres import ID_TABLES
from agent_console.store.store import TABLES

if TYPE_CHECKING:
    from agent_console.store.store import Store

# TABLES is in the order deleting respects; inserting goes the other way. What the search
# learned and the articles' vectors come along (the search index itself is made again).
COPIED = (*reversed(TABLES), "search_learned", "search_vectors")
# Rows read and written at a time: a few MB of a big table in memory, never all of it.
BATCH = 2000


class TargetNotEmpty(ValueError):
    """The target database holds data already: a copy would mix two centers' records."""


def copy_database(source: Store, target: Store) -> dict[str, int]:
    """Copy every row of `source` into the empty `target` (both at the current schema
    version); how many rows of each table. TargetNotEmpty when the target holds any."""
    held = [table for table in COPIED if target.count_rows(table)]
    if held:
        raise TargetNotEmpty(
            f"{target.location} is not empty (it has rows in {', '.join(held)});"
            " copy into a new, empty database"
        )
    counts: dict[str, int] = {}
    with source.snapshot() as reading, target.one_transaction() as writing:
        for table in COPIED:
            columns = source.column_names(table)
            names = ", ".join(columns)
            insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
            rows = reading.execute(f"SELECT {names} FROM {table} ORDER BY 1")
            counts[table] = 0
            while batch := rows.fetchmany(BATCH):
                writing.executemany(insert, [tuple(row) for row in batch])
                counts[table] += len(batch)
        if target.url:
            for table in sorted(ID_TABLES):
                writing.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
    return counts
