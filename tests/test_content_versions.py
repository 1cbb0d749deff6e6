"""Content as versions: saving, approving from a time, what operators see, imports with a
status, the migration of an existing database, and use events carrying their version."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from agent_console.clock import to_text
from agent_console.curation import Curation, unknown_placeholders
from agent_console.domain import Article, Script
from agent_console.domain.codes import EventType
from agent_console.domain.content_use import gap_key, gaps, usage
from agent_console.domain.content_versions import ContentError
from agent_console.domain.word_diff import as_text, word_diff
from agent_console.search import SearchIndex
from agent_console.store import Store
from agent_console.store.migrations import MIGRATIONS
from tests.helpers import SHIFT_NOW, ev

pytestmark = pytest.mark.both_engines

ANY_ROUTER = Article("router.en", "Router setup", "We help configure any Wi-Fi router.", ("wifi",))
OWN_ROUTERS = Article(
    "router.en", "Router setup", "We help configure only Volna routers.", ("wifi",)
)


def found(store, query: str) -> list[str]:
    index = SearchIndex(store)
    index.ensure()
    return [h.id for h in index.search(query, kinds=("article",)).hits]


@pytest.fixture
def curation(store):
    curation = Curation(store)
    with store.transaction():
        SearchIndex(store).index("article", store.content.upsert_articles([ANY_ROUTER]))
    return curation


def test_an_import_is_version_one_approved_and_in_force(store, curation):
    [line] = curation.history("article", "router.en")
    assert (line.version.version, line.status, line.in_force) == (1, "approved", True)
    assert line.version.author == "import"
    assert store.content.article("router.en").body == ANY_ROUTER.body


def test_the_same_import_again_makes_no_new_version(store, curation):
    store.content.upsert_articles([ANY_ROUTER])
    assert len(curation.history("article", "router.en")) == 1


def test_a_draft_changes_nothing_for_operators_until_approved(store, curation, clock):
    draft = Article(**{**_fields(OWN_ROUTERS), "status": "draft"})
    with store.transaction():
        assert store.content.upsert_articles([draft]) == []
    assert store.content.article("router.en").body == ANY_ROUTER.body
    assert found(store, "any router") == ["router.en"]
    assert found(store, "Volna routers") in ([], ["router.en"])  # title words still match
    clock.advance(60)
    approved = curation.approve("article", "router.en", None, "irina")
    assert approved.version == 2
    assert store.content.article("router.en").body == OWN_ROUTERS.body
    assert store.content.article("router.en").version == 2
    lines = curation.history("article", "router.en")
    assert [(line.version.version, line.status, line.in_force) for line in lines] == [
        (2, "approved", True),
        (1, "retired", False),  # superseded
    ]


def _fields(article: Article) -> dict:
    return {f: getattr(article, f) for f in Article.__slots__}


def test_an_approval_takes_effect_from_its_time(store, curation, clock):
    curation.save_draft("article", _version_of(store, OWN_ROUTERS), "irina", "own routers only")
    first_of_month = SHIFT_NOW + timedelta(days=8)
    curation.approve("article", "router.en", 2, "sergey", from_time=first_of_month)
    assert store.content.article("router.en").version == 1
    assert curation.bring_in_force() == 0
    lines = curation.history("article", "router.en")
    assert [(line.status, line.in_force) for line in lines] == [
        ("approved", False),
        ("approved", True),
    ]
    clock.advance(timedelta(days=8).total_seconds())
    assert curation.bring_in_force() == 1
    assert store.content.article("router.en").version == 2
    assert "router.en" in found(store, "Volna")
    assert curation.bring_in_force() == 0


def _version_of(store, article: Article):
    return store.versions.get("article", article.id).__class__(
        kind="article",
        item_id=article.id,
        version=0,
        status="draft",
        title=article.title,
        body=article.body,
        author="",
        at=SHIFT_NOW,
        tags=article.tags,
    )


def test_review_send_back_restore_and_the_rules(store, curation):
    draft = curation.save_draft("article", _version_of(store, OWN_ROUTERS), "irina", "")
    assert draft.version == 2
    curation.submit("article", "router.en", 2, "irina")
    with pytest.raises(ContentError, match="say why"):
        curation.send_back("article", "router.en", 2, "sergey", "  ")
    back = curation.send_back("article", "router.en", 2, "sergey", "name the routers")
    assert back.status == "draft"
    assert store.versions.reviews("article", "router.en")[0]["comment"] == "name the routers"
    with pytest.raises(ContentError, match="only a version that is review"):
        curation.send_back("article", "router.en", 2, "sergey", "again")
    with pytest.raises(ContentError, match="has no version 9"):
        curation.approve("article", "router.en", 9, "sergey")
    with pytest.raises(ContentError, match="there is no article 'nope'"):
        curation.history("article", "nope")
    restored = curation.restore("article", "router.en", 1, "irina")
    assert (restored.version, restored.status, restored.body) == (3, "draft", ANY_ROUTER.body)
    assert restored.comment == "restored from version 1"
    with pytest.raises(ContentError, match="title and the body"):
        curation.save_draft("article", _version_of(store, Article("router.en", "T", " ")), "irina")


def test_retiring_takes_it_from_operators(store, curation):
    curation.retire("article", "router.en", "sergey")
    assert found(store, "router") == []
    assert store.content.article("router.en").status == "retired"
    with pytest.raises(ContentError, match="no approved version"):
        curation.retire("article", "router.en", "sergey")


def test_a_failed_approval_changes_nothing(store, curation, monkeypatch):
    curation.save_draft("article", _version_of(store, OWN_ROUTERS), "irina")

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(curation._index, "index", broken)
    with pytest.raises(sqlite3.OperationalError):
        curation.approve("article", "router.en", 2, "sergey")
    assert store.versions.get("article", "router.en", 2).status == "draft"
    assert store.content.article("router.en").version == 1


def test_an_existing_database_keeps_its_content_approved_version_one(tmp_path, clock):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    from agent_console.store.connection import transaction

    with transaction(conn):
        for migration in MIGRATIONS[:-1]:
            migration(conn)
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
        now = to_text(SHIFT_NOW)
        conn.execute(
            "INSERT INTO articles (id, title, body, updated) VALUES ('a', 'A', 'Body', ?)", (now,)
        )
        conn.execute(
            "INSERT INTO articles (id, title, body, status, updated)"
            " VALUES ('d', 'D', 'Draft', 'draft', ?)",
            (now,),
        )
        conn.execute(
            "INSERT INTO scripts (id, title, body, updated) VALUES ('s', 'S', 'Hello', ?)", (now,)
        )
    conn.close()
    with Store(path, clock) as store:
        curation = Curation(store)
        [line] = curation.history("article", "a")
        assert (line.version.version, line.status, line.in_force) == (1, "approved", True)
        assert curation.history("script", "s")[0].in_force
        assert store.content.article("d") is None  # a draft is not for operators
        assert curation.history("article", "d")[0].status == "draft"


def test_script_imports_carry_status_too(store):
    greeting = Script("greet.en", "Greeting", "Hello, {customer.name}.", "greeting")
    store.content.upsert_scripts([greeting])
    store.content.upsert_scripts(
        [Script("greet.en", "Greeting", "Hi!", "greeting", status="review")]
    )
    assert store.content.script("greet.en").body == greeting.body
    assert [v.status for v in store.versions.history("script", "greet.en")] == [
        "review",
        "approved",
    ]
    assert [s.id for s in store.content.scripts()] == ["greet.en"]


def test_use_events_carry_the_version_in_force(demo_store):
    from agent_console.desk import Desk

    desk = Desk(demo_store, "anna.smirnova")
    script = demo_store.content.scripts()[0]
    article = demo_store.content.articles_all()[0]
    desk.log_script(EventType.SCRIPT_SAID, script.id)
    desk.log_article_opened(article.id, "router")
    events = demo_store.events.after(0, (EventType.SCRIPT_SAID, EventType.ARTICLE_OPENED))
    assert [e.payload["version"] for e in events[-2:]] == [script.version, article.version]


def test_replay_names_the_version_used():
    from agent_console.domain.player import describe

    line = describe(ev(EventType.SCRIPT_SAID, 5, 1, script_id="s", version=3), titles={"s": "Hi"})
    assert line == "Said script: Hi (version 3)"
    assert describe(ev(EventType.ARTICLE_OPENED, 5, 1, article_id="a")) == "Opened article: a"


def test_word_diff_marks_words_removed_and_added():
    pieces = word_diff("help configure any Wi-Fi router", "help configure only our router")
    assert as_text(pieces) == "help configure [-any Wi-Fi-] {+only our+} router"
    assert "".join(p.text for p in pieces if p.change != "removed") == (
        "help configure only our router"
    )


def test_usage_counts_by_window_and_takes_back_undone_uses():
    now = SHIFT_NOW + timedelta(days=20)
    old = timedelta(days=10).total_seconds()
    recent = timedelta(days=19).total_seconds()
    events = [
        ev(EventType.SCRIPT_SAID, old, 1, script_id="greet"),
        ev(EventType.SCRIPT_SAID, recent, 2, script_id="greet"),
        ev(EventType.SCRIPT_COPIED, recent + 1, 2, script_id="close"),
        ev(EventType.SCRIPT_USE_UNDONE, recent + 2, 2, script_id="close"),
        ev(EventType.ARTICLE_OPENED, recent + 3, 2, article_id="router.en"),
    ]
    found = usage(events, now)
    greet = found[("script", "greet")]
    assert (greet.last_30_days["said"], greet.last_7_days["said"]) == (2, 1)
    assert found[("script", "close")].total == 0
    assert found[("article", "router.en")].last_7_days["opened"] == 1


def test_gaps_are_searches_no_article_answered():
    events = [
        ev(EventType.SEARCH_MADE, 1, 1, query="router blinks"),
        ev(EventType.SEARCH_MADE, 2, 1, query="router red light"),
        ev(EventType.ARTICLE_OPENED, 3, 1, article_id="router.en"),  # answers both
        ev(EventType.SEARCH_MADE, 4, 2, query="IPTV freezes"),
        ev(EventType.SEARCH_MADE, 9, 3, query="freezes, IPTV"),
        ev(EventType.SEARCH_MADE, 10, None, query="outside a contact"),
    ]
    [gap] = gaps(events)
    assert (gap.words, gap.count, gap.contacts, gap.example) == (
        "freezes iptv",
        2,
        {2, 3},
        "freezes, IPTV",
    )
    assert gap.last_seen == SHIFT_NOW + timedelta(seconds=9)
    assert gap_key("Роутер  роутер, WI-FI") == "fi wi роутер"


def test_unknown_placeholders_are_named():
    assert unknown_placeholders("Hi {customer.name}, size {customer.shoe_size|?}.") == [
        "customer.shoe_size"
    ]


def test_the_list_rows_due_for_review_and_flagged(store, curation, clock):
    from datetime import date

    store.content_notes.set_review_by("article", "router.en", date(2026, 11, 23))
    store.content_notes.flag("article", "router.en", 1, "outdated", "own routers", "anna")
    [row] = curation.items()
    assert (row.in_force, row.flags, row.due, row.state) == (1, 1, True, "approved")
    assert row.matches("due", "article", "en", "router")
    assert not row.matches("review", "all", "all", "")
    assert not row.matches("all", "script", "all", "")
    store.content_notes.set_review_by("article", "router.en", date(2026, 12, 1))
    assert not curation.items()[0].due
    curation.save_draft("article", _version_of(store, OWN_ROUTERS), "irina")
    curation.approve("article", "router.en", None, "sergey")
    assert curation.items()[0].flags == 0  # an approval deals with the flags


def test_retiring_a_script_leaves_an_article_of_the_same_id_alone(store):
    curation = Curation(store)
    store.content.upsert_articles([Article("same", "An article", "Article text.")])
    store.content.upsert_scripts([Script("same", "A script", "Script text.", "greeting")])
    curation.retire("script", "same", "sergey")
    assert store.content.script("same").status == "retired"
    assert store.content.article("same").status == "approved"
    assert [s.id for s in store.content.scripts()] == []
