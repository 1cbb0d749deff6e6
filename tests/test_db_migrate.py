"""`agent-console db migrate --to postgresql://...`: a center's SQLite file, its whole history,
copied into an empty database on a server, all or nothing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from agent_console.cli import main
from agent_console.store import Store
from agent_console.store.store import TABLES

pytestmark = pytest.mark.postgresql_only


def migrate(source, target):
    return CliRunner().invoke(main, ["--db", str(source), "db", "migrate", "--to", target])


@pytest.fixture
def demo_file(demo_template, tmp_path):
    path = tmp_path / "center.db"
    path.write_bytes(demo_template.read_bytes())
    return path


def contents(store: Store) -> dict[str, list[tuple]]:
    return {
        table: sorted(
            (tuple(row) for row in store.conn.execute(f"SELECT * FROM {table}")), key=repr
        )
        for table in [*TABLES, "search_learned"]
    }


def test_the_whole_history_moves_to_the_server(demo_file, db_path, clock):
    result = migrate(demo_file, db_path)
    assert result.exit_code == 0, result.output
    assert "Copied" in result.output and "contacts" in result.output
    with Store(demo_file, clock) as file, Store(db_path, clock) as server:
        assert contents(server) == contents(file)
        # New rows continue after the copied ids: nothing copied is overwritten.
        highest = file.conn.execute("SELECT max(id) FROM contacts").fetchone()[0]
        added = server.queue.add(channel="chat", customer_contract=None, topic=None)
        assert added > highest
        assert server.queue.count_waiting() == file.queue.count_waiting() + 1


def test_a_database_with_data_is_refused_and_left_as_it_was(demo_file, db_path, clock):
    assert migrate(demo_file, db_path).exit_code == 0
    with Store(db_path, clock) as server:
        before = contents(server)
    again = migrate(demo_file, db_path)
    assert again.exit_code == 1
    assert "is not empty; nothing was copied" in again.output
    with Store(db_path, clock) as server:
        assert contents(server) == before


def test_a_failure_half_way_copies_nothing(demo_file, db_path, clock, monkeypatch):
    from agent_console.store import copying

    real = copying.COPIED
    # The last table cannot be read: everything written before it is undone.
    monkeypatch.setattr(copying, "COPIED", (*real, "no_such_table"))
    monkeypatch.setattr(Store, "column_names", _columns_or_fail(Store.column_names))
    result = migrate(demo_file, db_path)
    assert result.exit_code == 1
    assert "nothing was copied" in result.output
    with Store(db_path, clock) as server:
        assert all(server.count_rows(table) == 0 for table in TABLES)


def _columns_or_fail(column_names):
    import sqlite3

    def columns(store, table):
        if table == "no_such_table":
            raise sqlite3.OperationalError("no such table: no_such_table")
        return column_names(store, table)

    return columns


def test_the_target_must_be_a_server_and_the_source_a_file(demo_file, tmp_path, db_path):
    to_file = migrate(demo_file, str(tmp_path / "other.db"))
    assert to_file.exit_code == 2 and "postgresql://" in to_file.output
    from_server = migrate(db_path, db_path)
    assert from_server.exit_code == 2 and "SQLite file" in from_server.output


def test_a_server_database_is_backed_up_into_a_file_and_checked(demo_file, db_path, tmp_path):
    assert migrate(demo_file, db_path).exit_code == 0
    runner = CliRunner()
    copy = tmp_path / "copy.db"
    backed = runner.invoke(main, ["--db", db_path, "db", "backup", str(copy)])
    assert backed.exit_code == 0, backed.output
    assert copy.stat().st_mode & 0o007 == 0  # personal data: not for others
    checked = runner.invoke(main, ["--db", str(copy), "db", "check"])
    assert checked.exit_code == 0 and "intact" in checked.output
    again = runner.invoke(main, ["--db", db_path, "db", "backup", str(copy)])
    assert again.exit_code == 1 and "exists already" in again.output
    answers = runner.invoke(main, ["--db", db_path, "db", "check"])
    assert answers.exit_code == 0 and "answers" in answers.output
