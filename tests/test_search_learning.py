"""Learning from operators: `kb learn FILE`, `kb learn --from-log`, and what pairs do to ranking."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from agent_console.cli import main
from agent_console.domain import Customer, EventType, Operator
from agent_console.search import SearchIndex
from agent_console.store import Store
from agent_console.store.wrapups import WrapUp
from tests.helpers import THREE_ARTICLES as ARTICLES
from tests.helpers import write_jsonl

pytestmark = pytest.mark.both_engines

OPERATOR = "anna.smirnova"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def kb(runner, db_path, tmp_path):
    path = write_jsonl(tmp_path / "kb.jsonl", ARTICLES)
    done = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(path)])
    assert done.exit_code == 0, done.output
    return db_path


def cli(runner, db_path, *args, input=None):
    return runner.invoke(main, ["--db", str(db_path), *args], input=input)


def ids(runner, db_path, query):
    done = cli(runner, db_path, "kb", "search", query, "--json")
    assert done.exit_code == 0, done.output
    return [r["id"] for r in json.loads(done.stdout)["results"]]


def pairs_file(tmp_path, lines, name="pairs.jsonl"):
    path = tmp_path / name
    path.write_text(
        "".join(
            (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
            for line in lines
        ),
        encoding="utf-8",
    )
    return path


def learned_count(db_path):
    with Store(db_path) as store:
        return store.learned.count()


def test_a_learned_question_finds_its_article_by_the_customers_words(runner, kb, tmp_path):
    assert "tv-signal" not in ids(runner, kb, "the goggle is blank")
    path = pairs_file(tmp_path, [{"query": "my goggle screen is blank", "article_id": "tv-signal"}])
    done = cli(runner, kb, "kb", "learn", str(path))
    assert done.exit_code == 0, done.output
    assert "Learned 1 pair (1 new) for 1 article" in done.output
    assert ids(runner, kb, "the goggle is blank")[0] == "tv-signal"
    # Learning the same again changes nothing, and a re-import keeps what was learned.
    again = cli(runner, kb, "kb", "learn", str(path))
    assert "(0 new)" in again.output
    assert learned_count(kb) == 1
    reimport = write_jsonl(tmp_path / "again.jsonl", ARTICLES)
    assert cli(runner, kb, "kb", "import", str(reimport)).exit_code == 0
    assert ids(runner, kb, "goggle blank")[0] == "tv-signal"


def test_a_learned_question_ranks_its_article_above_one_that_matches_the_words(
    runner, kb, tmp_path
):
    assert ids(runner, kb, "router light blinking")[0] == "router-lights"
    path = pairs_file(
        tmp_path,
        [
            {"query": "router light blinking after i paid", "article_id": "payment"},
            {"query": "blinking light on the router, paid yesterday", "article_id": "payment"},
        ],
    )
    assert cli(runner, kb, "kb", "learn", str(path)).exit_code == 0
    assert "payment" in ids(runner, kb, "router light blinking")[:2]


def test_a_bad_learn_file_is_refused_whole_naming_each_bad_line(runner, kb, tmp_path):
    path = pairs_file(
        tmp_path,
        [
            {"query": "my goggle screen is blank", "article_id": "tv-signal"},
            {"query": "where is my money", "article_id": "no-such-article"},
            "{not json",
            {"query": "", "article_id": "payment"},
            {"query": "lights", "article_id": 7},
            ["a list"],
        ],
    )
    done = cli(runner, kb, "kb", "learn", str(path))
    assert done.exit_code != 0
    errors = done.stderr
    assert "line 2, field 'article_id': no article 'no-such-article'" in errors
    assert "line 3: not valid JSON" in errors
    assert "line 4, field 'query'" in errors
    assert "line 5, field 'article_id'" in errors
    assert "line 6: must be a JSON object" in errors
    assert "Nothing was learned" in errors
    assert learned_count(kb) == 0


def test_an_unknown_article_id_is_an_error_naming_its_line_and_nothing_is_learned(
    runner, kb, tmp_path
):
    path = pairs_file(
        tmp_path,
        [
            {"query": "my goggle screen is blank", "article_id": "tv-signal"},
            "",
            {"query": "where is my money", "article_id": "no-such-article"},
        ],
    )
    done = cli(runner, kb, "kb", "learn", str(path))
    assert done.exit_code == 1
    assert "line 3, field 'article_id': no article 'no-such-article'" in done.stderr
    assert learned_count(kb) == 0
    assert "tv-signal" not in ids(runner, kb, "goggle blank")


def test_learn_needs_a_file_or_from_log_but_not_both(runner, kb, tmp_path):
    assert cli(runner, kb, "kb", "learn").exit_code == 2
    path = pairs_file(tmp_path, [{"query": "q", "article_id": "payment"}])
    assert cli(runner, kb, "kb", "learn", str(path), "--from-log").exit_code == 2
    empty = pairs_file(tmp_path, [""], name="empty.jsonl")
    done = cli(runner, kb, "kb", "learn", str(empty))
    assert done.exit_code == 1 and "holds no pairs" in done.stderr


def test_learned_pairs_never_bring_back_a_retired_article(runner, kb, tmp_path):
    path = pairs_file(tmp_path, [{"query": "my goggle screen is blank", "article_id": "tv-signal"}])
    assert cli(runner, kb, "kb", "learn", str(path)).exit_code == 0
    retired = write_jsonl(tmp_path / "retired.jsonl", [{**ARTICLES[0], "status": "retired"}])
    assert cli(runner, kb, "kb", "import", str(retired)).exit_code == 0
    assert "tv-signal" not in ids(runner, kb, "goggle blank")
    assert "tv-signal" not in ids(runner, kb, "my goggle screen is blank")
    # Learning more for it, now that it is retired, is accepted (the id is known) and shows
    # nothing either.
    more = pairs_file(
        tmp_path, [{"query": "blank goggle again", "article_id": "tv-signal"}], name="more.jsonl"
    )
    assert cli(runner, kb, "kb", "learn", str(more)).exit_code == 0
    assert "tv-signal" not in ids(runner, kb, "blank goggle again")


def test_the_index_rebuilt_from_scratch_keeps_what_was_learned(runner, kb, tmp_path):
    path = pairs_file(tmp_path, [{"query": "my goggle screen is blank", "article_id": "tv-signal"}])
    assert cli(runner, kb, "kb", "learn", str(path)).exit_code == 0
    with Store(kb) as store:
        store.search_file.conn.execute("UPDATE search_meta SET value = '0' WHERE key = 'version'")
        SearchIndex(store).ensure()  # a layout change rebuilds the index from the tables
    assert ids(runner, kb, "goggle blank")[0] == "tv-signal"


def _contact_with_outcome(store, outcome, events):
    store.people.upsert_operators([Operator(OPERATOR, "Anna Smirnova")])
    store.people.upsert_customers([Customer("C-1", "Ivan Petrov", city="Kazan")])
    contact_id = store.queue.add(
        channel="phone", customer_contract="C-1", topic="tv_no_signal", subject="TV", priority=2
    )
    store.queue.claim(contact_id, OPERATOR)
    for type_, payload in events:
        store.events.append(type_, contact_id=contact_id, operator=OPERATOR, payload=payload)
    store.queue.end(contact_id, OPERATOR)
    store.wrapups.save(WrapUp(contact_id, OPERATOR, outcome))
    return contact_id


def test_from_log_learns_what_was_opened_on_resolved_contacts_only(runner, kb, clock):
    with Store(kb, clock) as store:
        _contact_with_outcome(
            store,
            "resolved",
            [
                (EventType.SEARCH_MADE, {"query": "goggle blank", "results": []}),
                (
                    EventType.ARTICLE_OPENED,
                    {"article_id": "tv-signal", "query": "goggle blank screen"},
                ),
            ],
        )
        _contact_with_outcome(
            store,
            "resolved",
            [
                # Opened without a query of its own: the last search on the contact counts.
                (EventType.SEARCH_MADE, {"query": "gizmo glows amber", "results": []}),
                (EventType.ARTICLE_OPENED, {"article_id": "router-lights", "query": ""}),
            ],
        )
        _contact_with_outcome(
            store,
            "info_given",
            [
                (
                    EventType.ARTICLE_OPENED,
                    {"article_id": "payment", "query": "goggle blank wallet"},
                ),
            ],
        )
        _contact_with_outcome(
            store,
            "resolved",
            [
                (EventType.ARTICLE_OPENED, {"article_id": "gone-article", "query": "ghost"}),
            ],
        )
    done = cli(runner, kb, "kb", "learn", "--from-log")
    assert done.exit_code == 0, done.output
    assert "Learned 2 pairs from the event log for 2 articles" in done.output
    assert ids(runner, kb, "goggle blank")[0] == "tv-signal"
    assert ids(runner, kb, "gizmo amber")[0] == "router-lights"
    assert "payment" not in ids(runner, kb, "wallet")
    # Rebuilt, not added to: running it again learns the same two pairs.
    again = cli(runner, kb, "kb", "learn", "--from-log")
    assert "Learned 2 pairs" in again.output
    assert learned_count(kb) == 2


def test_from_log_forgets_pairs_whose_contact_is_no_longer_resolved(runner, kb, clock):
    with Store(kb, clock) as store:
        contact = _contact_with_outcome(
            store,
            "resolved",
            [
                (EventType.ARTICLE_OPENED, {"article_id": "tv-signal", "query": "goggle blank"}),
            ],
        )
    assert cli(runner, kb, "kb", "learn", "--from-log").exit_code == 0
    assert ids(runner, kb, "goggle")[0] == "tv-signal"
    with Store(kb, clock) as store:
        store.conn.execute(
            "UPDATE wrapups SET outcome = 'callback' WHERE contact_id = ?", (contact,)
        )
    done = cli(runner, kb, "kb", "learn", "--from-log")
    assert "Learned 0 pairs" in done.output
    assert "tv-signal" not in ids(runner, kb, "goggle")


def test_pairs_from_a_file_survive_a_rebuild_from_the_log(runner, kb, tmp_path):
    path = pairs_file(tmp_path, [{"query": "my goggle screen is blank", "article_id": "tv-signal"}])
    assert cli(runner, kb, "kb", "learn", str(path)).exit_code == 0
    assert cli(runner, kb, "kb", "learn", "--from-log").exit_code == 0
    assert ids(runner, kb, "goggle blank")[0] == "tv-signal"


def test_json_results_say_what_kind_of_item_they_are(runner, db_path, tmp_path):
    scripts = write_jsonl(
        tmp_path / "scripts.jsonl",
        [
            {
                "id": "greet",
                "title": "Greeting",
                "body": "Good evening, Volna.",
                "category": "greeting",
            }
        ],
    )
    assert cli(runner, db_path, "scripts", "import", str(scripts)).exit_code == 0
    done = cli(runner, db_path, "scripts", "search", "evening", "--json")
    result = json.loads(done.stdout)["results"][0]
    assert result == {
        "id": "greet",
        "title": "Greeting",
        "score": result["score"],
        "kind": "script",
    }
