"""The content commands: kb|scripts history, approve (--version, --from), retire, diff; kb gaps;
scripts usage; a draft import leaves the approved text answering searches until approved."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from agent_console.clock import FixedClock
from agent_console.domain.codes import EventType
from agent_console.store import Store
from tests.helpers import SHIFT_NOW, write_jsonl

pytestmark = pytest.mark.both_engines

ANY = {
    "id": "router",
    "title": "Router setup",
    "body": "We help configure any Wi-Fi router from any shop.",
    "tags": ["wifi"],
}
OWN = {**ANY, "body": "We help configure only Volna routers.", "status": "draft"}


@pytest.fixture
def clock(monkeypatch):
    """Every command runs on one clock the test moves."""
    from agent_console.store import store as store_module

    shared = FixedClock(SHIFT_NOW)
    monkeypatch.setattr(store_module, "SystemClock", lambda: shared)
    return shared


def ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def search(cli, query):
    return [r["id"] for r in json.loads(ok(cli("kb", "search", query, "--json")))["results"]]


@pytest.fixture
def router(cli, tmp_path, clock):
    ok(cli("kb", "import", str(write_jsonl(tmp_path / "v1.jsonl", [ANY]))))
    clock.advance(3600)
    ok(cli("kb", "import", str(write_jsonl(tmp_path / "v2.jsonl", [OWN]))))
    return tmp_path


def test_a_draft_import_leaves_the_approved_text_in_force_until_approved(cli, router, clock):
    assert search(cli, "shop") == ["router"]
    assert search(cli, "Volna") == []
    history = json.loads(ok(cli("kb", "history", "router", "--json")))
    keys = ("version", "status", "author", "comment", "title")
    assert [tuple(h[k] for k in keys) for h in history] == [
        (2, "draft", "import", "imported", "Router setup"),
        (1, "approved", "import", "imported", "Router setup"),
    ]
    assert history[0]["at"] == "2026-11-23T20:30:00.000Z"
    out = ok(cli("--operator", "sergey", "kb", "approve", "router"))
    assert "version 2, in force now" in out
    assert search(cli, "Volna") == ["router"]
    assert search(cli, "shop") == []
    statuses = [h["status"] for h in json.loads(ok(cli("kb", "history", "router", "--json")))]
    assert statuses == ["approved", "retired"]


def test_an_approval_from_a_later_time(cli, router, clock):
    out = ok(cli("kb", "approve", "router", "--version", "2", "--from", "2026-12-01T00:00Z"))
    assert "in force from 2026-12-01T00:00:00.000Z" in out
    assert search(cli, "Volna") == []
    text = ok(cli("kb", "history", "router"))
    assert "in force from 2026-12-01" in text
    clock.advance(timedelta(days=8).total_seconds())
    assert search(cli, "Volna") == ["router"]


def test_diff_marks_the_words(cli, router):
    out = ok(cli("kb", "diff", "router", "1", "2"))
    assert "configure [-any Wi-Fi router from any shop.-] {+only Volna routers.+}" in out
    assert out.startswith("--- article router version 1\n+++ article router version 2\n")


def test_retire_and_errors_name_what(cli, router):
    ok(cli("kb", "retire", "router"))
    assert search(cli, "router") == []
    again = cli("kb", "retire", "router")
    assert again.exit_code == 1
    assert "article 'router' has no approved version to retire" in again.output
    missing = cli("kb", "history", "nope")
    assert missing.exit_code == 1 and "there is no article 'nope'" in missing.output
    bad = cli("kb", "diff", "router", "1", "7")
    assert bad.exit_code == 1 and "has no version 7 (it has 1, 2)" in bad.output
    when = cli("kb", "approve", "router", "--from", "soon")
    assert when.exit_code == 2 and "'soon' is not a time" in when.output


def test_scripts_history_approve_and_usage(cli, tmp_path, db_path, clock):
    scripts = [
        {"id": "greet", "title": "Greeting", "body": "Good evening!", "category": "greeting"},
        {"id": "bye", "title": "Goodbye", "body": "Goodbye!", "category": "closing"},
    ]
    ok(cli("scripts", "import", str(write_jsonl(tmp_path / "s.jsonl", scripts))))
    with Store(db_path, clock) as store:
        for days_ago, kind in ((1, EventType.SCRIPT_SAID), (10, EventType.SCRIPT_SAID)):
            store.events.append(
                kind,
                operator="anna",
                at=SHIFT_NOW - timedelta(days=days_ago),
                payload={"script_id": "greet", "version": 1},
            )
    rows = json.loads(ok(cli("scripts", "usage", "--json")))
    assert rows == [
        {
            "id": "greet",
            "last_7_days": {"shown": 0, "said": 1, "copied": 0, "opened": 0},
            "last_30_days": {"shown": 0, "said": 2, "copied": 0, "opened": 0},
            "last_used": "2026-11-22T19:30:00.000Z",
            "never_used": False,
        },
        {
            "id": "bye",
            "last_7_days": {"shown": 0, "said": 0, "copied": 0, "opened": 0},
            "last_30_days": {"shown": 0, "said": 0, "copied": 0, "opened": 0},
            "last_used": None,
            "never_used": True,
        },
    ]
    text = ok(cli("scripts", "usage"))
    assert "greet  shown 0/0  said 1/2  copied 0/0" in text and "bye  Goodbye" in text
    assert json.loads(ok(cli("scripts", "history", "greet", "--json")))[0]["version"] == 1
    write_jsonl(tmp_path / "s2.jsonl", [{**scripts[0], "body": "Hello!", "status": "review"}])
    ok(cli("scripts", "import", str(tmp_path / "s2.jsonl")))
    ok(cli("scripts", "approve", "greet"))
    assert "[-Good evening!-] {+Hello!+}" in ok(cli("scripts", "diff", "greet", "1", "2"))
    ok(cli("scripts", "retire", "bye"))


def test_gaps(cli, db_path, clock):
    ok(cli("kb", "search", "x"))  # creates the database
    with Store(db_path, clock) as store:
        for seconds, contact, kind, payload in (
            (1, 1, EventType.SEARCH_MADE, {"query": "IPTV freezes"}),
            (2, 2, EventType.SEARCH_MADE, {"query": "freezes iptv"}),
            (3, 3, EventType.SEARCH_MADE, {"query": "router"}),
            (4, 3, EventType.ARTICLE_OPENED, {"article_id": "router"}),
        ):
            while store.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] < contact:
                store.queue.add(channel="phone", customer_contract=None, topic=None)
            store.events.append(
                kind,
                operator="anna",
                at=SHIFT_NOW - timedelta(seconds=60 - seconds),
                payload=payload,
                contact_id=contact,
            )
    assert json.loads(ok(cli("kb", "gaps", "--json"))) == [
        {
            "words": "freezes iptv",
            "query": "freezes iptv",
            "count": 2,
            "contacts": 2,
            "last_seen": "2026-11-23T19:29:02.000Z",
        }
    ]
    assert "    2  2026-11-23T19:29:02.000Z  freezes iptv" in ok(cli("kb", "gaps"))
