"""`agent-console operators ...` and who may open the console."""

from __future__ import annotations

import json
import shlex

import pytest
from click.testing import CliRunner

from agent_console.store import Store
from tests.helpers import write_jsonl


@pytest.fixture
def runner():
    return CliRunner()


def logins(db_path) -> list[tuple]:
    with Store(db_path) as store:
        return [
            (o.login, o.name, o.role, o.language, o.name_ru, o.active)
            for o in store.people.operators()
        ]


def test_add_then_list_as_json(cli, db_path):
    added = cli("operators", "add", "ivan.p", "--name", "Ivan Petrov", "--name-ru", "Иван Петров")
    assert added.exit_code == 0, added.output
    assert "Added operator ivan.p (Ivan Petrov)" in added.output
    cli("operators", "add", "kate", "--name", "Kate", "--role", "supervisor", "--language", "ru")
    listed = cli("operators", "list", "--json")
    assert json.loads(listed.output) == [
        {"login": "ivan.p", "name": "Ivan Petrov", "role": "operator", "language": "en",
         "active": True},
        {"login": "kate", "name": "Kate", "role": "supervisor", "language": "ru", "active": True},
    ]  # fmt: skip
    table = cli("operators", "list")
    assert table.output.splitlines()[1].split() == ["kate", "supervisor", "ru", "active", "Kate"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad login", "--name", "X"], "LOGIN must be one word"),
        (["ivan", "--name", "  "], "--name is empty"),
        (["ivan", "--name", "X", "--role", "boss"], "Invalid value for '--role'"),
        (["ivan", "--name", "X", "--language", "de"], "Invalid value for '--language'"),
        (["ivan"], "Missing option '--name'"),
    ],
)
def test_add_refuses_what_it_cannot_use_and_writes_nothing(cli, db_path, args, message):
    refused = cli("operators", "add", *args)
    assert refused.exit_code != 0
    assert message in refused.output, refused.output
    assert logins(db_path) == []


def test_add_refuses_a_login_that_is_taken_and_changes_nothing(cli, db_path):
    cli("operators", "add", "ivan", "--name", "Ivan")
    again = cli("operators", "add", "ivan", "--name", "Someone Else", "--role", "supervisor")
    assert again.exit_code == 1
    assert "operator 'ivan' is already in" in again.output
    assert logins(db_path) == [("ivan", "Ivan", "operator", "en", None, True)]


def test_disable_and_enable(cli, db_path):
    cli("operators", "add", "ivan", "--name", "Ivan")
    disabled = cli("operators", "disable", "ivan")
    assert disabled.exit_code == 0 and "Disabled operator ivan" in disabled.output
    assert logins(db_path)[0][-1] is False
    assert json.loads(cli("operators", "list", "--json").output)[0]["active"] is False
    assert cli("operators", "enable", "ivan").exit_code == 0
    assert logins(db_path)[0][-1] is True


def test_disabling_an_unknown_login_is_an_error(cli, db_path):
    cli("operators", "add", "ivan", "--name", "Ivan")
    refused = cli("operators", "disable", "ivna")
    assert refused.exit_code == 1
    assert "no operator 'ivna'" in refused.output
    assert logins(db_path)[0][-1] is True


def test_an_unknown_login_cannot_open_the_console_and_is_told_how_to_be_added(cli, db_path):
    cli("operators", "add", "ivan", "--name", "Ivan")
    refused = cli("--operator", "nobody")
    assert refused.exit_code == 1
    assert "no operator 'nobody'" in refused.output
    assert (
        f'agent-console --db {shlex.quote(str(db_path))} operators add nobody --name "Full Name"'
        in (refused.output)
    )


def test_a_disabled_login_cannot_open_the_console(cli, db_path):
    cli("operators", "add", "ivan", "--name", "Ivan")
    cli("operators", "add", "kate", "--name", "Kate")
    cli("operators", "disable", "ivan")
    refused = cli("--operator", "ivan")
    assert refused.exit_code == 1
    assert "operator 'ivan' is disabled" in refused.output
    assert "operators enable ivan" in refused.output and "(active: kate)" in refused.output


def test_import_csv_adds_and_updates(cli, db_path, tmp_path):
    cli("operators", "add", "ivan", "--name", "Ivan")
    path = tmp_path / "staff.csv"
    path.write_text(
        "login,name,name_ru,role,language,active\n"
        "ivan,Ivan Petrov,Иван Петров,trainer,ru,yes\n"
        "olga,Olga,,supervisor,,false\n",
        encoding="utf-8",
    )
    imported = cli("operators", "import", str(path))
    assert imported.exit_code == 0, imported.output
    assert "Imported 2 operators" in imported.output
    assert logins(db_path) == [
        ("ivan", "Ivan Petrov", "trainer", "ru", "Иван Петров", True),
        ("olga", "Olga", "supervisor", "en", None, False),
    ]


def test_import_json_lines(cli, db_path, tmp_path):
    path = write_jsonl(
        tmp_path / "staff.jsonl",
        [{"login": "ivan", "name": "Ivan", "role": "trainer"}, {"login": "olga", "name": "Olga"}],
    )
    assert cli("operators", "import", str(path)).exit_code == 0
    assert [row[:3] for row in logins(db_path)] == [
        ("ivan", "Ivan", "trainer"),
        ("olga", "Olga", "operator"),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "login,name,role\nivan,Ivan,operator\nolga,Olga,boss\n",
            "line 3, field 'role': must be one of operator, trainer, supervisor, not 'boss'",
        ),
        ("login,name\nivan,Ivan\nolga,\n", "line 3, field 'name': is missing"),
        ("login,name,active\nivan,Ivan,maybe\n", "line 2, field 'active': must be true or false"),
        ("login,name,rank\nivan,Ivan,1\n", "line 2, field 'rank': is not a field the console"),
        ("login,name\nivan,Ivan,extra\n", "line 2: has 3 cells, the header names 2"),
        ('{"login": "ivan", "name": "Ivan"}\n{"login": "olga"\n', "line 2: not valid JSON"),
        ('{"login": "ivan", "name": " "}\n', "line 1, field 'name': is empty"),
        ('{"login": "a b", "name": "A"}\n', "line 1, field 'login': must be one word"),
    ],
)
def test_a_bad_import_names_file_line_and_field_and_writes_nothing(
    cli, db_path, tmp_path, content, problem
):
    cli("operators", "add", "ivan", "--name", "Ivan")
    path = tmp_path / "staff.txt"
    path.write_text(content, encoding="utf-8")
    refused = cli("operators", "import", str(path))
    assert refused.exit_code == 1
    assert f"error: {path}, {problem}" in refused.stderr, refused.stderr
    assert "Nothing was imported" in refused.stderr
    assert logins(db_path) == [("ivan", "Ivan", "operator", "en", None, True)]


def test_an_operator_file_that_is_not_utf8_is_refused(cli, db_path, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes("login,name\nivan,Иван\n".encode("cp1251"))
    refused = cli("operators", "import", str(path))
    assert refused.exit_code == 1 and "is not UTF-8 text" in refused.stderr
    assert logins(db_path) == []


def test_a_role_is_given_in_the_database_and_an_unknown_login_is_an_error(cli, db_path):
    cli("operators", "add", "ivan", "--name", "Ivan")
    given = cli("operators", "role", "ivan", "trainer")
    assert given.exit_code == 0, given.output
    assert "ivan is now a trainer" in given.output
    assert logins(db_path)[0][2] == "trainer"
    unknown = cli("operators", "role", "nobody", "trainer")
    assert unknown.exit_code != 0 and "no operator 'nobody'" in unknown.output
    bad = cli("operators", "role", "ivan", "boss")
    assert bad.exit_code != 0 and "'boss' is not one of" in bad.output
    assert logins(db_path)[0][2] == "trainer"


def test_replay_is_refused_to_an_operator_naming_the_role_it_needs(cli, db_path):
    cli("operators", "add", "ivan", "--name", "Ivan")
    refused = cli("--operator", "ivan", "replay")
    assert refused.exit_code != 0
    assert "Replaying sessions is for trainers and supervisors" in refused.output
    assert "you are signed in as an operator" in refused.output
    assert "operators role LOGIN trainer" in refused.output
