"""The test cluster, and a database of its own for each test that runs on PostgreSQL.

A test's database is made from a template (`CREATE DATABASE ... TEMPLATE`, a file copy on the
server): "schema", migrated and empty, or "demo", the demo shift loaded once. A "schema"
database is emptied after its test (its connections ended, every table truncated, the ids
started again) and given to the next one: making a database costs 0.3 s, emptying one a tenth
of that. Without PostgreSQL installed these tests are skipped, unless
AGENT_CONSOLE_REQUIRE_POSTGRES=1 (CI) makes that a failure.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import pg_cluster

_NAMES = itertools.count(1)


def _admin(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


@dataclass
class TestServer:
    folder: Path
    url: str
    templates: set[str] = field(default_factory=set)
    emptied: list[str] = field(default_factory=list)  # "schema" databases ready for reuse

    @classmethod
    def start(cls) -> TestServer:
        if pg_cluster.binaries() is None:
            reason = "PostgreSQL is not installed (apt-get install -y postgresql)"
            if os.environ.get("AGENT_CONSOLE_REQUIRE_POSTGRES") == "1":
                pytest.fail(reason)
            pytest.skip(reason)
        # Not under pytest's own temporary folder: as root, the server runs as `postgres`,
        # who may not enter root's private folders.
        folder = Path(tempfile.mkdtemp(prefix="agent-console-pg-"))
        return cls(folder, pg_cluster.start(folder))

    def stop(self) -> None:
        pg_cluster.stop(self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _template(self, kind: str) -> str:
        name = f"template_{kind}"
        if kind in self.templates:
            return name
        with _admin(self.url) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        from agent_console.clock import FixedClock
        from agent_console.store import Store
        from tests.helpers import SHIFT_NOW

        with Store(pg_cluster.url(self.folder, name), FixedClock(SHIFT_NOW)) as store:
            if kind == "demo":
                from agent_console.demo import load_demo

                load_demo(store)
        self.templates.add(kind)
        return name

    @contextmanager
    def database(self, template: str = "schema") -> Iterator[str]:
        """A new database made from the template; its URL. Dropped afterwards, whoever is
        still connected to it."""
        reusable = template == "schema"
        if reusable and self.emptied:
            name = self.emptied.pop()
        else:
            source = self._template(template)
            name = f"test_{os.getpid()}_{next(_NAMES)}"
            with _admin(self.url) as admin:
                admin.execute(f"CREATE DATABASE {name} TEMPLATE {source}")
        try:
            yield pg_cluster.url(self.folder, name)
        finally:
            if not (reusable and self._emptied(name)):
                with _admin(self.url) as admin:
                    admin.execute(f"DROP DATABASE {name} WITH (FORCE)")

    def _emptied(self, name: str) -> bool:
        """Empty the database for the next test; False when it cannot be (then it is dropped)."""
        from agent_console.store.migrations import SCHEMA_VERSION

        try:
            with _admin(self.url) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
            with _admin(pg_cluster.url(self.folder, name)) as conn:
                tables = [
                    row[0]
                    for row in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                        " AND tablename <> 'schema_version'"
                    )
                ]
                conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
                version = conn.execute("SELECT version FROM schema_version").fetchone()
                if version is None or version[0] != SCHEMA_VERSION:
                    return False
        except Exception:
            return False
        self.emptied.append(name)
        return True
