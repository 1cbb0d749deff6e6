from __future__ import annotations

import inspect
import os
import time
from pathlib import Path

import pytest

from agent_console.clock import FixedClock
from agent_console.store import Store
from agent_console.widgets import knowledge_search
from tests.helpers import SHIFT_NOW

# The operator's wall clock (good morning / good evening) is local time: the same on every machine.
os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True)
def isolated_config(tmp_path_factory, monkeypatch):
    """Keep tests away from the user's own config file, database and environment."""
    home = tmp_path_factory.mktemp("home")
    # The default config path is under XDG_CONFIG_HOME (below), where no file is.
    for name in (
        "AGENT_CONSOLE_CONFIG",
        "AGENT_CONSOLE_DB",
        "AGENT_CONSOLE_OPERATOR",
        "AGENT_CONSOLE_LANGUAGE",
        "AGENT_CONSOLE_UI_LANGUAGE",
        "AGENT_CONSOLE_TIMEZONE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))


@pytest.fixture(autouse=True)
def english_interface():
    """Each test starts with the interface in English, and leaves it so (the interface's
    language is the process's: a test that speaks Russian must not leave the next one in it)."""
    from agent_console.i18n import set_ui_language

    set_ui_language("en")
    yield
    set_ui_language("en")


@pytest.fixture(autouse=True)
def short_typing_pause(monkeypatch):
    """The knowledge pane lists the rest of an answer once typing pauses: not for long here."""
    monkeypatch.setattr(knowledge_search, "REST_AFTER_S", 0.05)


@pytest.fixture(autouse=True)
def no_background_vectors(monkeypatch):
    """The console makes no sentence vectors in the background unless a test asks for it
    (with the semantic extra installed it would load the model in every UI test)."""
    monkeypatch.setattr("agent_console.app.BACKGROUND_VECTORS_AFTER_S", None)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(SHIFT_NOW)


# The store's own tests run on both engines: a module says so with `pytestmark =
# pytest.mark.both_engines`, and each of its tests that opens a database runs once on a SQLite
# file and once on a PostgreSQL database of its own (tests/postgres.py). A test about the file
# itself (its permissions, its bytes) is marked `sqlite_only`.
ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        metafunc.parametrize("engine", ["postgresql"], indirect=True)
        return
    if metafunc.definition.get_closest_marker("both_engines") is None:
        return
    if {"db_path", "store", "cli", "demo_store"} & set(metafunc.fixturenames):
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request) -> str:
    engine = getattr(request, "param", "sqlite")
    if engine == "postgresql" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about the SQLite file itself")
    return engine


@pytest.fixture
def db_path(tmp_path, engine, request):
    """Where the test's database is: a SQLite file (a Path), or on PostgreSQL a database of its
    own (its URL, a str)."""
    if engine == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "console.db"


@pytest.fixture
def store(db_path, clock):
    with Store(db_path, clock) as opened:
        yield opened


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster for this test process (tests/pg_cluster.py)."""
    from tests import postgres

    server = postgres.TestServer.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """A new, empty database of the schema on the test cluster; dropped after the test."""
    with pg_server.database("schema") as url:
        yield url


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database, built once per test run and copied for each test that needs it."""
    from agent_console.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path, FixedClock(SHIFT_NOW)) as template:
        load_demo(template)
        template.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def demo_store(demo_template, engine, tmp_path, clock, request):
    if engine == "postgresql":
        server = request.getfixturevalue("pg_server")
        with server.database("demo") as url, Store(url, clock) as opened:
            yield opened
        return
    db_path = request.getfixturevalue("db_path")
    db_path.write_bytes(demo_template.read_bytes())
    with Store(db_path, clock) as opened:
        yield opened


def pytest_collection_modifyitems(items):
    """Mark the UI tests (Pilot runs are coroutines; snapshots use `snap_compare`) as `ui`,
    so `pytest -m "not ui"` runs the pure tests in seconds."""
    for item in items:
        function = getattr(item, "function", None)
        if (
            function is not None and inspect.iscoroutinefunction(function)
        ) or "snap_compare" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.ui)


@pytest.fixture
def cli(db_path):
    """`agent-console --db DB_PATH ARGS...` in this process (click's runner); the Result."""
    from click.testing import CliRunner

    from agent_console.cli import main

    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(main, ["--db", str(db_path), *args], **kwargs)

    return invoke


@pytest.fixture
def commands_on_the_shift_clock(monkeypatch):
    """Every Store the commands open runs on the shift's clock (SHIFT_NOW, 19:30 UTC)."""
    from agent_console.store import store as store_module

    monkeypatch.setattr(store_module, "SystemClock", lambda: FixedClock(SHIFT_NOW))


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: three test processes per core, at most eight. A test of the console spends
    about half its time waiting on the console's timers (a typing pause, the draft's delay) and
    the test PostgreSQL on its socket, so one process per core leaves the cores idle half the
    time (measured on 2 cores: 231 s with 2 processes, 185 s with 4, 161 s with 6)."""
    return min(8, 3 * (os.cpu_count() or 1))
