"""`agent-console db check` and `db backup`, and a damaged database named as such."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from agent_console.demo import load_demo
from agent_console.store import Store

DAMAGED = "is damaged; restore it from a backup"


@pytest.fixture
def demo_file(db_path):
    with Store(db_path) as store:
        load_demo(store)
    return db_path


def damage(path, page: int = 6) -> None:
    """Overwrite one page in the middle of the file with junk, as a failing disk would."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    with open(path, "r+b") as file:
        file.seek(size * page)
        file.write(b"\xde\xad\xbe\xef" * (size // 4))


def test_an_intact_database_checks_out(cli, demo_file):
    result = cli("db", "check")
    assert result.exit_code == 0, result.output
    assert "is intact" in result.output


def test_a_damaged_page_fails_the_check_with_the_remedy(cli, demo_file):
    damage(demo_file)
    result = cli("db", "check")
    assert result.exit_code == 1
    assert f"the database {demo_file} {DAMAGED}" in result.output


def test_a_file_that_is_not_a_database_is_called_damaged_by_every_command(cli, db_path):
    db_path.write_bytes(b"these are not the bytes of a database" * 200)
    for args in (("db", "check"), ("kb", "search", "router"), ("operators", "list")):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert DAMAGED in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_a_command_that_reaches_a_damaged_page_says_so(cli, demo_file):
    damage(demo_file, page=3)
    result = cli("customers", "find", "Smirnova")
    if result.exit_code == 0:
        pytest.skip("the damaged page held nothing this query reads")
    assert DAMAGED in result.output
    assert "Traceback" not in result.output


def test_a_backup_is_a_sound_private_copy(cli, demo_file, tmp_path):
    target = tmp_path / "backups" / "shift.db"
    target.parent.mkdir()
    result = cli("db", "backup", str(target))
    assert result.exit_code == 0, result.output
    assert f"to {target}" in result.output
    assert stat.S_IMODE(target.stat().st_mode) & stat.S_IRWXO == 0  # not world-readable
    with Store(target) as copy, Store(demo_file) as original:
        assert copy.queue.count_waiting() == original.queue.count_waiting() > 0
    again = cli("db", "backup", str(target))
    assert again.exit_code == 1 and "exists already" in again.output


def test_a_backup_of_a_damaged_database_is_refused_and_leaves_nothing(cli, db_path, tmp_path):
    db_path.write_bytes(b"not a database" * 500)
    target = tmp_path / "copy.db"
    result = cli("db", "backup", str(target))
    assert result.exit_code == 1 and DAMAGED in result.output
    assert not target.exists()


def test_in_the_console_damage_is_a_notice_that_names_the_remedy():
    from agent_console.workers import failure_notice

    notice = failure_notice(sqlite3.DatabaseError("database disk image is malformed"))
    assert notice.severity == "error"
    assert "damaged" in notice.message and "restored from a backup" in notice.message


def test_demo_reset_refuses_to_wipe_work_that_is_not_the_demos(cli, demo_file):
    added = cli("contacts", "add", "--channel", "chat", "--from", "someone@example.com")
    assert added.exit_code == 0, added.output
    cli("operators", "add", "ivan", "--name", "Ivan Petrov")
    refused = cli("demo", "--reset")
    assert refused.exit_code == 1
    assert "1 contact added since the demo was loaded" in refused.output
    assert "1 operator not from the demo" in refused.output
    assert "Nothing was changed" in refused.output and "--force" in refused.output
    with Store(demo_file) as store:
        assert store.people.operator("ivan") is not None
        assert store.queue.count_all() == 231


def test_demo_reset_with_force_backs_up_first(cli, demo_file):
    cli("operators", "add", "ivan", "--name", "Ivan Petrov")
    forced = cli("demo", "--reset", "--force")
    assert forced.exit_code == 0, forced.output
    backups = list(demo_file.parent.glob(f"{demo_file.stem}-before-reset-*"))
    assert len(backups) == 1 and f"to {backups[0]}" in forced.output
    with Store(backups[0]) as backup, Store(demo_file) as store:
        assert backup.people.operator("ivan") is not None
        assert store.people.operator("ivan") is None


def test_demo_reset_of_the_demo_alone_needs_no_force(cli, demo_file):
    result = cli("demo", "--reset")
    assert result.exit_code == 0, result.output
    assert not list(demo_file.parent.glob("*-before-reset-*"))
