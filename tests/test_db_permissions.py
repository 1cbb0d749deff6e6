"""The database file holds personal data: its owner and group only may read it."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from agent_console.cli import main
from agent_console.domain import Customer
from agent_console.store import Store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o000, 0o077])
def test_a_new_database_and_its_wal_and_shm_are_the_owners_and_groups(db_path, clock, umask):
    previous = os.umask(umask)
    try:
        with Store(db_path, clock) as store:
            store.people.upsert_customers([Customer("1", "Ivan", phone="+7 900 000-00-01")])
            wal, shm = db_path.with_name("console.db-wal"), db_path.with_name("console.db-shm")
            assert wal.exists() and shm.exists()
            assert (mode(db_path), mode(wal), mode(shm)) == (0o660, 0o660, 0o660)
    finally:
        os.umask(previous)


def test_an_older_world_readable_database_is_tightened_when_its_owner_opens_it(db_path, clock):
    with Store(db_path, clock):
        pass
    db_path.chmod(0o644)
    with Store(db_path, clock) as store:
        store.people.count_customers()
    assert mode(db_path) == 0o640  # the group keeps what it had, the others lose it


def test_the_command_line_makes_a_private_database(tmp_path):
    path = tmp_path / "cli.db"
    result = CliRunner().invoke(
        main, ["--db", str(path), "operators", "add", "ivan", "--name", "Ivan"]
    )
    assert result.exit_code == 0, result.output
    assert mode(path) & 0o007 == 0


def test_a_practice_copy_is_private_too(db_path, clock, tmp_path):
    with Store(db_path, clock) as store, store.copy_to(tmp_path / "copy.db"):
        assert mode(tmp_path / "copy.db") == 0o660
