from __future__ import annotations

import json
import stat
from datetime import UTC

import pytest
from click.testing import CliRunner

from agent_console.cli import main
from tests.helpers import GOOD_ARTICLES, write_jsonl


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def kb_file(tmp_path):
    return write_jsonl(
        tmp_path / "kb.jsonl",
        [
            *GOOD_ARTICLES,
            {
                "id": "slow-wifi",
                "title": "Slow Wi-Fi at home",
                "body": "Check the 5 GHz network.",
                "tags": ["wifi"],
            },
        ],
    )


def test_kb_import_then_search_json_follows_the_product_format(runner, db_path, kb_file):
    imported = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(kb_file)])
    assert imported.exit_code == 0, imported.output
    assert "Imported 3 articles" in imported.output
    found = runner.invoke(main, ["--db", str(db_path), "kb", "search", "wifi", "--json"])
    assert found.exit_code == 0, found.output
    answer = json.loads(found.output.strip())
    assert answer["query"] == "wifi"
    assert answer["results"][0]["id"] == "slow-wifi"
    assert set(answer["results"][0]) == {"id", "title", "score", "kind"}
    assert answer["results"][0]["kind"] == "article"
    assert isinstance(answer["results"][0]["score"], float)


def test_search_without_a_query_answers_each_line_of_stdin(runner, db_path, kb_file):
    runner.invoke(main, ["--db", str(db_path), "kb", "import", str(kb_file)])
    found = runner.invoke(
        main,
        ["--db", str(db_path), "kb", "search", "--json", "--limit", "1"],
        input="router\nроутер\nnothing-like-this\n",
    )
    lines = [json.loads(line) for line in found.output.splitlines()]
    assert [line["query"] for line in lines] == ["router", "роутер", "nothing-like-this"]
    assert all(len(line["results"]) <= 1 for line in lines)
    assert lines[2]["results"] == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"router',
        "router AND",
        "AND OR NOT",
        "wi*",
        "-wifi",
        "title:wifi",
        "(router",
        "NEAR(a b)",
        "^wifi",
        "''",
        "\x1b[31m",
        "[bold]wifi[/bold]",
        "  ",
        "*",
        ":",
    ],
)
def test_operator_characters_are_plain_text(runner, db_path, kb_file, query):
    runner.invoke(main, ["--db", str(db_path), "kb", "import", str(kb_file)])
    # "--" ends the options, as for any command line, so a query may start with "-".
    found = runner.invoke(main, ["--db", str(db_path), "kb", "search", "--json", "--", query])
    assert found.exit_code == 0, found.output
    assert json.loads(found.output)["query"] == query


def test_a_failed_import_exits_nonzero_names_the_place_and_writes_nothing(
    runner, db_path, tmp_path
):
    bad = write_jsonl(tmp_path / "bad.jsonl", [GOOD_ARTICLES[0], {"id": "x", "title": ["list"]}])
    result = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}, line 2, field 'title': must be a string, not a list" in result.stderr
    assert "Nothing was imported" in result.stderr
    found = runner.invoke(main, ["--db", str(db_path), "kb", "search", "internet", "--json"])
    assert json.loads(found.output)["results"] == []


def test_an_article_without_a_body_is_refused_and_nothing_written(runner, db_path, tmp_path):
    empty = {"id": "empty", "title": "Empty", "body": " "}
    bad = write_jsonl(tmp_path / "bad.jsonl", [*GOOD_ARTICLES, empty])
    result = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}, line 3, field 'body': is empty" in result.stderr
    found = runner.invoke(main, ["--db", str(db_path), "kb", "search", "router", "--json"])
    assert json.loads(found.output)["results"] == []


def test_scripts_import_and_search(runner, db_path, tmp_path):
    path = write_jsonl(
        tmp_path / "s.jsonl",
        [
            {
                "id": "greet.en",
                "title": "Greeting — evening",
                "category": "greeting",
                "body": "Good evening, my name is {operator.first_name}, how can I help you?",
            },
        ],
    )
    assert (
        runner.invoke(main, ["--db", str(db_path), "scripts", "import", str(path)]).exit_code == 0
    )
    found = runner.invoke(main, ["--db", str(db_path), "scripts", "search", "evening", "--json"])
    assert json.loads(found.output)["results"][0]["id"] == "greet.en"


def test_the_environment_chooses_the_database(runner, db_path, kb_file, monkeypatch):
    monkeypatch.setenv("AGENT_CONSOLE_DB", str(db_path))
    assert runner.invoke(main, ["kb", "import", str(kb_file)]).exit_code == 0
    assert db_path.exists()


def test_demo_reset_loads_the_demo_shift(runner, db_path):
    result = runner.invoke(main, ["--db", str(db_path), "demo", "--reset"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["--db", str(db_path), "demo", "--reset"])
    assert again.exit_code == 0
    assert "30 waiting" in again.output
    found = runner.invoke(main, ["--db", str(db_path), "kb", "search", "router", "--json"])
    assert json.loads(found.output)["results"]


def test_a_file_that_is_not_a_database_is_a_clear_error(runner, tmp_path):
    path = tmp_path / "not.db"
    path.write_text("hello, I am a text file" * 100)
    result = runner.invoke(main, ["--db", str(path), "kb", "search", "x"])
    assert result.exit_code != 0
    assert f"the database {path} is damaged; restore it from a backup" in result.stderr


def test_a_missing_folder_is_an_error_naming_it_and_nothing_is_created(runner, tmp_path):
    folder = tmp_path / "no" / "such"
    result = runner.invoke(main, ["--db", str(folder / "x.db"), "kb", "search", "router"])
    assert result.exit_code != 0
    assert f"the folder {folder} does not exist" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "no").exists()


def test_the_default_location_is_created_on_first_use(runner, kb_file):
    from agent_console.config import default_db_path

    assert not default_db_path().parent.exists()  # conftest points it into an empty home
    assert runner.invoke(main, ["kb", "import", str(kb_file)]).exit_code == 0
    assert default_db_path().exists()
    # It holds customers' personal data: the data folder is its owner's alone, the file its
    # owner's and group's (consoles of several accounts may share it).
    assert stat.S_IMODE(default_db_path().parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(default_db_path().stat().st_mode) & stat.S_IRWXO == 0


def test_demo_reset_empties_the_old_index_before_loading(runner, db_path, kb_file):
    runner.invoke(main, ["--db", str(db_path), "kb", "import", str(kb_file)])
    assert runner.invoke(main, ["--db", str(db_path), "demo", "--reset"]).exit_code == 0
    found = runner.invoke(main, ["--db", str(db_path), "kb", "search", "5 GHz", "--json"])
    assert "slow-wifi" not in [r["id"] for r in json.loads(found.output)["results"]]


# --- sessions ---------------------------------------------------------------------------------


@pytest.fixture
def demo_db(runner, db_path):
    assert runner.invoke(main, ["--db", str(db_path), "demo", "--reset"]).exit_code == 0
    return db_path


def test_sessions_list_json_follows_the_product_format(runner, demo_db):
    result = runner.invoke(main, ["--db", str(demo_db), "sessions", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert len(listed) >= 8
    assert {"id", "operator", "started", "contacts", "title", "source"} <= set(listed[0])
    outage = next(s for s in listed if s["id"] == "sample-city-outage")
    assert (outage["operator"], outage["contacts"], outage["source"]) == (
        "dmitry.kozlov",
        1,
        "sample",
    )
    plain = runner.invoke(main, ["--db", str(demo_db), "sessions", "list"])
    assert "sample-city-outage" in plain.output and "The outage across the city" in plain.output


def test_sessions_export_then_import_into_another_database(runner, demo_db, tmp_path):
    exported = runner.invoke(
        main,
        [
            "--db",
            str(demo_db),
            "sessions",
            "export",
            "sample-fee-increase",
            "sample-wants-to-cancel",
            "--redact",
        ],
    )
    assert exported.exit_code == 0, exported.stderr
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [line["type"] for line in lines].count("session_started") == 2
    assert "Yelena" not in exported.stdout and "5400849231" not in exported.stdout
    path = tmp_path / "sessions.jsonl"
    path.write_text(exported.stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    imported = runner.invoke(main, ["--db", str(other), "sessions", "import", str(path)])
    assert imported.exit_code == 0, imported.stderr
    assert "Imported 2 sessions" in imported.output
    listed = json.loads(
        runner.invoke(main, ["--db", str(other), "sessions", "list", "--json"]).output
    )
    assert {(s["id"], s["source"]) for s in listed} == {
        ("sample-fee-increase", "imported"),
        ("sample-wants-to-cancel", "imported"),
    }


def test_sessions_export_of_an_unknown_id_is_an_error_with_nothing_on_stdout(runner, demo_db):
    result = runner.invoke(
        main, ["--db", str(demo_db), "sessions", "export", "sample-city-outage", "nope"]
    )
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "no session nope" in result.stderr


def test_a_failed_sessions_import_names_the_line_and_field(runner, db_path, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps(
            {
                "session_id": "s1",
                "at": "2026-11-16T12:00:00Z",
                "type": "dialogue",
                "payload": {"speaker": "customer", "text": "hello"},
            }
        )
        + "\n"
        + json.dumps(
            {
                "session_id": "s1",
                "at": "2026-11-16T12:00:05Z",
                "type": "dialogue",
                "payload": {"speaker": "customer"},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["--db", str(db_path), "sessions", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}, line 2, field 'payload.text': must be a string" in result.stderr
    assert "Nothing was imported" in result.stderr
    listed = runner.invoke(main, ["--db", str(db_path), "sessions", "list", "--json"])
    assert json.loads(listed.output) == []


# --- messages ---------------------------------------------------------------------------------


def test_counts_in_messages_agree_with_their_number(runner, db_path, tmp_path, kb_file):
    one = write_jsonl(tmp_path / "one.jsonl", [GOOD_ARTICLES[0]])
    imported = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(one)])
    assert f"Imported 1 article into {db_path}" in imported.output
    imported = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(kb_file)])
    assert f"Imported 3 articles into {db_path}" in imported.output
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "x", "title": 1, "body": "b"}])
    failed = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(bad)])
    assert "Nothing was imported (1 problem)." in failed.stderr
    assert runner.invoke(main, ["--db", str(db_path), "demo", "--reset"]).exit_code == 0
    listed = runner.invoke(main, ["--db", str(db_path), "sessions", "list"]).output
    assert "  1 contact " in listed and "(s)" not in listed


@pytest.mark.parametrize("command", ["kb", "scripts"])
def test_a_corrected_query_is_told_on_stderr_and_in_the_json(runner, db_path, command):
    assert runner.invoke(main, ["--db", str(db_path), "demo", "--reset"]).exit_code == 0
    plain = runner.invoke(main, ["--db", str(db_path), command, "search", "ghbdtn"])
    assert plain.exit_code == 0, plain.output
    assert "searched for: привет" in plain.stderr
    assert "searched for" not in plain.stdout and plain.stdout.strip()
    found = runner.invoke(
        main, ["--db", str(db_path), command, "search", "--json"], input="ghbdtn\nrouter\n"
    )
    corrected, plain_query = (json.loads(line) for line in found.stdout.splitlines())
    assert corrected["searched_for"] == "привет"
    assert "searched_for" not in plain_query


# --- notices ------------------------------------------------------------------------------------


def test_notices_add_stores_the_scope_and_the_times(runner, db_path):
    from datetime import datetime, timedelta

    from agent_console.clock import FixedClock, to_text
    from agent_console.domain import StreetScope
    from agent_console.store import Store

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    end = start + timedelta(hours=5)
    added = runner.invoke(
        main,
        [
            "--db",
            str(db_path),
            "notices",
            "add",
            "--city",
            "Novosibirsk",
            "--district",
            "Leninsky",
            "--street",
            "ul. Titova 7, 9",
            "--street",
            "Krasny pr.",
            "--text",
            "Fibre cut",
            "--text-ru",
            "Обрыв кабеля",
            "--from",
            to_text(start),
            "--until",
            to_text(end),
        ],
    )
    assert added.exit_code == 0, added.output
    assert added.output.startswith(
        "Added notice 1: Novosibirsk (Leninsky; ul. Titova 7, 9; Krasny pr.), from "
    )
    with Store(db_path, FixedClock(start + timedelta(minutes=1))) as store:
        [notice] = store.notices.active()
    assert (notice.city, notice.districts, notice.text, notice.text_ru) == (
        "Novosibirsk",
        ("Leninsky",),
        "Fibre cut",
        "Обрыв кабеля",
    )
    assert notice.streets == (StreetScope("ul. Titova", ("7", "9")), StreetScope("Krasny pr."))
    assert (notice.starts, notice.ends) == (start, end)


def test_notices_add_for_a_whole_city_from_now_until_further_notice(runner, db_path):
    from agent_console.store import Store

    added = runner.invoke(
        main, ["--db", str(db_path), "notices", "add", "--city", "Kazan", "--text", "Planned works"]
    )
    assert added.exit_code == 0, added.output
    assert "Kazan (the whole city)" in added.output and "until further notice" in added.output
    with Store(db_path) as store:
        [notice] = store.notices.active("Kazan")
    assert notice.whole_city and notice.ends is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "soon"], "is not a time"),
        (["--until", "25:00"], "is not a time of day"),
        (["--from", "2026-11-23T20:00Z", "--until", "2026-11-23T19:00Z"], "end after it starts"),
        (["--street", "ul. Titova 7, the yard"], "not a house number"),
        (["--text", " "], "needs a text"),
    ],
)
def test_notices_add_refuses_what_it_cannot_use_and_writes_nothing(runner, db_path, args, message):
    from agent_console.store import Store

    base = ["--db", str(db_path), "notices", "add", "--city", "Kazan", "--text", "Works"]
    refused = runner.invoke(main, base + args)
    assert refused.exit_code != 0 and message in refused.output, refused.output
    with Store(db_path) as store:
        assert store.conn.execute("SELECT count(*) FROM notices").fetchone()[0] == 0


def test_a_time_of_day_is_today_or_after_the_start():
    from datetime import datetime

    from agent_console.cli import parse_time

    now = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)  # TZ=UTC in the tests
    start = parse_time("18:40", now)
    assert start == datetime(2026, 11, 23, 18, 40, tzinfo=UTC)
    assert parse_time("02:00", now, after=start) == datetime(2026, 11, 24, 2, tzinfo=UTC)
    assert parse_time("2026-11-23T21:00+07:00", now) == datetime(2026, 11, 23, 14, tzinfo=UTC)


def test_a_markdown_file_that_is_not_utf8_is_named_with_its_line_and_nothing_imported(
    runner,
    db_path,
    tmp_path,
):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a-slow-wifi.md").write_text(
        "# Slow Wi-Fi\n\nMove closer to the router.\n", encoding="utf-8"
    )
    bad = folder / "b-cafe.md"
    bad.write_bytes(
        "# Opening hours\n\nOpen until 22:00.\nThe café wifi is free.\n".encode("cp1252")
    )
    (folder / "c-router.md").write_text("# Router lights\n\nGreen is good.\n", encoding="utf-8")
    result = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(folder)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"error: {bad}, line 4: is not UTF-8 text" in result.stderr
    assert "Nothing was imported (1 problem)." in result.stderr
    assert "Traceback" not in result.output
    for query in ("wifi", "router"):
        found = runner.invoke(main, ["--db", str(db_path), "kb", "search", query, "--json"])
        assert json.loads(found.output)["results"] == []


def test_search_output_never_sends_a_titles_control_codes_to_the_terminal(
    runner, db_path, tmp_path
):
    hostile = {
        "id": "evil",
        "title": "Router \x1b]52;c;cHduZWQ=\x07 \x1b]0;pwned\x07 \x1b[2J reset",
        "body": "How to reset the router.",
    }
    path = write_jsonl(tmp_path / "kb.jsonl", [hostile])
    assert runner.invoke(main, ["--db", str(db_path), "kb", "import", str(path)]).exit_code == 0
    found = runner.invoke(main, ["--db", str(db_path), "kb", "search", "router"])
    assert found.exit_code == 0, found.output
    assert "\x1b" not in found.output and "\x07" not in found.output
    assert "Router ␛]52;c;cHduZWQ=␇ ␛]0;pwned␇ ␛[2J reset" in found.output
    as_json = runner.invoke(main, ["--db", str(db_path), "kb", "search", "--json", "router"])
    assert json.loads(as_json.output)["results"][0]["title"] == hostile["title"]  # exact
    assert "\x1b" not in as_json.output  # JSON escapes it
