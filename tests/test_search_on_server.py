"""The search on a PostgreSQL database: the same engine (SQLite's FTS5 and our ranking, in the
console's own index file, Store.search_file), so the same answers as on a file, and it follows
the content the server has in force."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent_console.domain import Article
from agent_console.search import SearchIndex
from agent_console.store import Store
from tests.helpers import eventually

pytestmark = pytest.mark.postgresql_only

QUESTIONS = Path(__file__).parent / "search_eval" / "questions.jsonl"


def test_every_evaluation_question_gets_the_same_answers_as_on_a_file(
    demo_store, demo_template, tmp_path, clock
):
    file_path = tmp_path / "demo.db"
    file_path.write_bytes(demo_template.read_bytes())
    questions = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line]
    with Store(file_path, clock) as file:
        # Both indexes made the one way, from the content in force (equal scores are ranked by
        # the index's row order, which an import in parts would give otherwise).
        file.conn.execute("UPDATE search_meta SET value = '0' WHERE key = 'version'")
        on_file, on_server = SearchIndex(file), SearchIndex(demo_store)
        for question in questions:
            asked = {"kinds": ("article",), "language": question["lang"], "limit": 5}
            expected = [(h.id, h.score) for h in on_file.search(question["q"], **asked).hits]
            found = [(h.id, h.score) for h in on_server.search(question["q"], **asked).hits]
            assert found == expected, question["q"]
    assert demo_store.search_file.path.parent.stat().st_mode & 0o077 == 0


def test_content_approved_by_another_console_is_found_here(demo_store, clock):
    here = SearchIndex(demo_store)

    def found() -> list[str]:
        return [hit.id for hit in here.search("zeppelin", kinds=("article",)).hits]

    assert "zeppelin.en" not in found()
    with Store(demo_store.url, clock) as elsewhere:
        elsewhere.content.upsert_articles(
            [Article("zeppelin.en", "Zeppelin mooring", "Moor the zeppelin at the mast.", (), "en")]
        )
    # The server notifies the change; this console's index is made again from the server.
    assert eventually(lambda: found()[:1] == ["zeppelin.en"])


def test_the_index_takes_in_only_what_changed_elsewhere(demo_store, clock):
    here = SearchIndex(demo_store)
    here.ensure()
    index = demo_store.search_file.conn

    def rows() -> dict[str, int]:
        return {doc: rowid for rowid, doc in index.execute("SELECT rowid, doc_id FROM search_docs")}

    before = rows()
    some = sorted(before)[0]
    with Store(demo_store.url, clock) as elsewhere:
        elsewhere.content.upsert_articles(
            [Article("zeppelin.en", "Zeppelin mooring", "Moor the zeppelin at the mast.", (), "en")]
        )
        elsewhere.conn.execute("DELETE FROM articles WHERE id = ?", (some,))
        elsewhere.learned.add([("airship parking", "zeppelin.en")])

    def caught_up() -> bool:
        return [h.id for h in here.search("airship parking", kinds=("article",)).hits][:1] == [
            "zeppelin.en"
        ]

    assert eventually(caught_up)
    after = rows()
    assert some not in after
    # Nothing else was indexed again: every other item keeps its row.
    assert {doc: rowid for doc, rowid in after.items() if doc != "zeppelin.en"} == {
        doc: rowid for doc, rowid in before.items() if doc != some
    }
