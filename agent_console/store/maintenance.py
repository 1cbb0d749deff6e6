"""Looking after the database file: is it intact, and a copy of it while consoles run.

Both work on the file itself, not through a `Store`: a damaged file may not open as one (its
migrations read the schema), and that is exactly when a check is wanted.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from agent_console.i18n import _
from agent_console.store.connection import make_private

# How many of the integrity check's findings are worth showing (a badly damaged file has
# thousands, all saying the same: restore it).
PROBLEMS_SHOWN = 20


class DatabaseDamaged(sqlite3.DatabaseError):
    """The file is not a sound SQLite database: restore it from a backup."""


def is_damage(error: BaseException) -> bool:
    """Whether SQLite's error says the file itself is damaged (not locked, not read-only)."""
    text = str(error).lower()
    return isinstance(error, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    )


# Less free space than this beside the database: an I/O error there is the disk being full.
NEARLY_FULL_BYTES = 4 * 2**20


def failure_kind(error: BaseException, db: Path | str | None = None) -> str:
    """What kind of database failure the error is: "damaged", "locked", "full", "read-only",
    "folder read-only", "unreachable" (a PostgreSQL server), or "other". SQLite reports a full
    disk as a plain "disk I/O error" when the write-ahead log cannot grow: with the database's
    path, the free space tells the two apart."""
    from agent_console.store.postgres import ServerUnreachable

    if isinstance(error, ServerUnreachable):
        return "unreachable"
    text = str(error).lower()
    if "i/o error" in text and db is not None and _nearly_full(Path(db)):
        return "full"
    if is_damage(error):
        return "damaged"
    if "locked" in text or "busy" in text:
        return "locked"
    if "full" in text:
        return "full"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        # The write-ahead log and its index live beside the file: a folder nobody may write
        # to makes a writable file read-only.
        if db is not None and not os.access(Path(db).parent, os.W_OK):
            return "folder read-only"
        return "read-only"
    return "other"


def _nearly_full(db: Path) -> bool:
    try:
        return shutil.disk_usage(db.parent).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def damage_message(path: Path | str) -> str:
    return _("the database {db} is damaged; restore it from a backup").format(db=path)


def check_file(path: Path | str) -> list[str]:
    """SQLite's integrity check of the file: what it found wrong (empty: intact)."""
    if not Path(path).is_file():
        raise FileNotFoundError(_("there is no database file {db}").format(db=path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(f"PRAGMA integrity_check({PROBLEMS_SHOWN})").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    finally:
        conn.close()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


def backup_file(path: Path | str, target: Path | str) -> int:
    """Copy the database to `target` with SQLite's online backup (consistent while consoles
    write to it); the copy holds personal data, so it is made readable by its owner and group
    only. Returns the copy's size in bytes."""
    source_path, target_path = Path(path), Path(target)
    if not source_path.is_file():
        raise FileNotFoundError(f"there is no database file {source_path}")
    if target_path.exists():
        raise FileExistsError(f"{target_path} exists already; name a new file")
    if not target_path.parent.is_dir():
        raise FileNotFoundError(f"the folder {target_path.parent} does not exist")
    make_private(target_path)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    copy = sqlite3.connect(target_path)
    try:
        source.backup(copy)
    except sqlite3.DatabaseError:
        copy.close()
        target_path.unlink(missing_ok=True)
        raise
    finally:
        source.close()
        copy.close()
    return target_path.stat().st_size
