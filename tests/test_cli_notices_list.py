"""`agent-console notices add --json`, `notices list`, `notices end`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from agent_console.cli import main
from agent_console.clock import FixedClock
from agent_console.store import Store
from tests.helpers import SHIFT_NOW


@pytest.fixture
def now(monkeypatch):
    from agent_console.store import store as store_module

    clock = FixedClock(SHIFT_NOW)
    monkeypatch.setattr(store_module, "SystemClock", lambda: clock)
    return clock


@pytest.fixture
def cli(db_path, now):
    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(main, ["--db", str(db_path), *args], **kwargs)

    return invoke


def test_add_json_then_list_then_end(cli, now):
    added = cli(
        "notices", "add", "--city", "Novosibirsk", "--district", "Leninsky",
        "--street", "ul. Titova 7, 9", "--text", "Fibre cut", "--text-ru", "Обрыв",
        "--until", "2026-11-23T23:30Z", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    notice = {
        "id": 1,
        "city": "Novosibirsk",
        "districts": ["Leninsky"],
        "streets": ["ul. Titova 7, 9"],
        "text": "Fibre cut",
        "text_ru": "Обрыв",
        "starts": "2026-11-23T19:30:00+00:00",
        "ends": "2026-11-23T23:30:00+00:00",
    }
    assert json.loads(added.output) == notice
    cli("notices", "add", "--city", "Kazan", "--text", "Works", "--from", "2026-11-24T02:00Z")
    listed = json.loads(cli("notices", "list", "--json").output)
    assert [n["id"] for n in listed] == [1, 2] and listed[0] == notice
    assert listed[1]["ends"] is None and listed[1]["streets"] == []
    table = cli("notices", "list").output.splitlines()
    assert "in force" in table[0] and "Novosibirsk (Leninsky; ul. Titova 7, 9)" in table[0]
    assert "to come" in table[1] and "Kazan (the whole city)" in table[1]

    now.advance(600)
    ended = cli("notices", "end", "1")
    assert ended.exit_code == 0 and "Ended notice 1 (Novosibirsk)" in ended.output
    now.advance(1)
    assert [n["id"] for n in json.loads(cli("notices", "list", "--json").output)] == [2]
    everything = json.loads(cli("notices", "list", "--all", "--json").output)
    assert everything[0]["ends"] == (SHIFT_NOW + timedelta(seconds=600)).isoformat()
    assert "ended" in cli("notices", "list", "--all").output.splitlines()[0]


def test_ending_a_notice_still_to_come_keeps_it_from_ever_showing(cli, db_path, now):
    cli("notices", "add", "--city", "Kazan", "--text", "Works", "--from", "2026-11-24T02:00Z")
    assert cli("notices", "end", "1").exit_code == 0
    now.advance(24 * 3600)
    with Store(db_path, now) as store:
        assert store.notices.active() == []
    assert cli("notices", "list", "--json").output.strip() == "[]"


def test_end_refuses_an_unknown_or_ended_notice(cli, db_path, now):
    unknown = cli("notices", "end", "5")
    assert unknown.exit_code == 1 and "there is no notice 5" in unknown.output
    cli("notices", "add", "--city", "Kazan", "--text", "Works")
    cli("notices", "end", "1")
    now.advance(60)
    again = cli("notices", "end", "1")
    assert again.exit_code == 1 and "notice 1 ended already" in again.output
    with Store(db_path, now) as store:
        assert store.notices.get(1).ends == SHIFT_NOW


def test_list_says_when_there_is_nothing(cli):
    assert cli("notices", "list").output == "no notices in force\n"
    assert cli("notices", "list", "--all").output == "no notices\n"
