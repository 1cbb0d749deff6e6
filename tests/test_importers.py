from __future__ import annotations

import pytest

from agent_console.importers import ImportFailed, import_articles, import_scripts
from tests.helpers import GOOD_ARTICLES, write_jsonl


def article_count(store):
    return store.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_good_articles_are_imported_with_language_detected(store, tmp_path):
    assert import_articles(store, [write_jsonl(tmp_path / "a.jsonl", GOOD_ARTICLES)]) == 2
    assert store.content.article("no-internet").language == "en"
    assert store.content.article("роутер").language == "ru"
    assert store.content.article("no-internet").tags == ("internet", "router")


def test_reimporting_an_id_updates_it(store, tmp_path):
    import_articles(store, [write_jsonl(tmp_path / "a.jsonl", GOOD_ARTICLES)])
    changed = dict(GOOD_ARTICLES[0], title="No internet: what to check first")
    import_articles(store, [write_jsonl(tmp_path / "b.jsonl", [changed])])
    assert article_count(store) == 2
    assert store.content.article("no-internet").title == "No internet: what to check first"


def test_a_folder_of_markdown_files_is_imported(store, tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "slow-wifi.md").write_text(
        "# Slow Wi-Fi\nTags: wifi, speed\n\nMove closer to the router.\n", encoding="utf-8"
    )
    assert import_articles(store, [folder]) == 1
    article = store.content.article("slow-wifi")
    assert (article.title, article.tags, article.body) == (
        "Slow Wi-Fi",
        ("wifi", "speed"),
        "Move closer to the router.",
    )


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        ("{not json", "line 3: not valid JSON"),
        ('["a list"]', "line 3: must be a JSON object"),
        ({"title": "No id"}, "line 3, field 'id': is missing"),
        ({"id": "x"}, "line 3, field 'title': is missing"),
        ({"id": "x", "title": "   "}, "line 3, field 'title': is empty"),
        ({"id": "x", "title": "t"}, "line 3, field 'body': is missing"),
        ({"id": "x", "title": "t", "body": ""}, "line 3, field 'body': is empty"),
        ({"id": "x", "title": "t", "body": " \n\t "}, "line 3, field 'body': is empty"),
        ({"id": 7, "title": "Numeric id"}, "line 3, field 'id': must be a string, not a number"),
        (
            {"id": "x", "title": "t", "body": "b", "tags": "wifi"},
            "line 3, field 'tags': must be a list",
        ),
        (
            {"id": "x", "title": "t", "body": "b", "lang": "de"},
            "line 3, field 'lang': must be one of en, ru",
        ),
        (
            {"id": "x", "title": "t", "body": "b", "status": "live"},
            "line 3, field 'status': must be one of",
        ),
    ],
)
def test_one_bad_line_means_nothing_is_written(store, tmp_path, bad_line, expected):
    path = write_jsonl(tmp_path / "kb.jsonl", [*GOOD_ARTICLES, bad_line])
    with pytest.raises(ImportFailed) as failure:
        import_articles(store, [path])
    assert f"{path}, {expected}" in str(failure.value)
    assert article_count(store) == 0


@pytest.mark.parametrize(
    ("text", "line"),
    [("# Slow Wi-Fi\n", 2), ("\n\n# Slow Wi-Fi\nTags: wifi\n\n  \n", 5)],
)
def test_a_markdown_article_without_a_body_is_refused_with_its_line(store, tmp_path, text, line):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\nA body.\n", encoding="utf-8")
    (folder / "slow-wifi.md").write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_articles(store, [folder])
    assert [str(p) for p in failure.value.problems] == [
        f"{folder / 'slow-wifi.md'}, line {line}, field 'body': is empty"
    ]
    assert article_count(store) == 0


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ({"id": "s", "title": "", "body": "Hello"}, "line 2, field 'title': is empty"),
        ({"id": "s", "title": "Hi", "body": "  "}, "line 2, field 'body': is empty"),
    ],
)
def test_a_script_without_a_title_or_body_is_refused(store, tmp_path, bad, expected):
    path = write_jsonl(tmp_path / "s.jsonl", [{"id": "ok", "title": "Hi", "body": "Hello"}, bad])
    with pytest.raises(ImportFailed, match=expected):
        import_scripts(store, [path])
    assert store.content.scripts(status=None) == []


def test_a_bad_second_file_keeps_the_first_from_being_written(store, tmp_path):
    good = write_jsonl(tmp_path / "good.jsonl", GOOD_ARTICLES)
    bad = write_jsonl(tmp_path / "bad.jsonl", ['{"id": "x"}'])
    with pytest.raises(ImportFailed, match="bad.jsonl, line 1, field 'title'"):
        import_articles(store, [good, bad])
    assert article_count(store) == 0


def test_a_file_that_is_not_utf8_is_named(store, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"id": "x", "title": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(ImportFailed, match="latin1.jsonl, line 1: is not UTF-8 text"):
        import_articles(store, [path])


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        (
            '{"id": "x", "title": "t", "body": "b", "version": 123456789012345678901234567890}',
            "line 3, field 'version': is too large a number",
        ),
        ('{"id": "x", "title": "t\\ud800", "body": "b"}', "line 3: holds a lone surrogate"),
        (
            '{"id": "x", "title": "t", "body": "b", "tags": ' + "[" * 5000 + "]" * 5000 + "}",
            "line 3: nested too deeply",
        ),
    ],
)
def test_odd_input_names_its_line_and_writes_nothing(store, tmp_path, bad_line, expected):
    for importer in (import_articles, import_scripts):
        path = write_jsonl(tmp_path / "odd.jsonl", [*GOOD_ARTICLES, bad_line])
        with pytest.raises(ImportFailed) as failure:
            importer(store, [path])
        assert f"{path}, {expected}" in str(failure.value)
    assert article_count(store) == 0


def test_a_byte_order_mark_is_accepted_and_not_kept(store, tmp_path):
    path = write_jsonl(tmp_path / "excel.jsonl", GOOD_ARTICLES)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    import_articles(store, [path])
    titles = [r[0] for r in store.conn.execute("SELECT title FROM articles ORDER BY id")]
    assert titles and not any(t.startswith("\ufeff") for t in titles)


def test_a_markdown_file_that_is_not_utf8_names_its_line(store, tmp_path):
    path = tmp_path / "router.md"
    path.write_bytes(b"# Router\n\nrestart it \xff twice\n")
    with pytest.raises(ImportFailed, match="router.md, line 3: is not UTF-8 text"):
        import_articles(store, [path])


def test_a_folder_named_like_a_markdown_file_is_named(store, tmp_path):
    folder = tmp_path / "x.md"
    folder.mkdir()
    with pytest.raises(ImportFailed, match="x.md: is a folder with no .md files in it"):
        import_articles(store, [folder])


def test_one_markdown_file_is_one_article(store, tmp_path):
    path = tmp_path / "slow-wifi.md"
    path.write_text("# Slow Wi-Fi\nTags: wifi\n\nMove closer to the router.\n")
    import_articles(store, [path])
    assert article_count(store) == 1


def test_scripts_need_a_body(store, tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", [{"id": "greet", "title": "Greeting"}])
    with pytest.raises(ImportFailed, match="line 1, field 'body': is missing"):
        import_scripts(store, [path])
    assert store.content.scripts(status=None) == []


def test_scripts_keep_category_status_and_placeholders(store, tmp_path):
    path = write_jsonl(
        tmp_path / "s.jsonl",
        [
            {
                "id": "greet.en",
                "title": "Greeting",
                "category": "greeting",
                "body": "Good evening, my name is {operator.first_name}, how can I help you?",
            },
            {
                "id": "old.en",
                "title": "Any router",
                "category": "router",
                "status": "retired",
                "body": "We will help with any router.",
            },
        ],
    )
    assert import_scripts(store, [path]) == 2
    assert [s.id for s in store.content.scripts()] == ["greet.en"]
    assert store.content.script("old.en").status == "retired"


def test_the_count_is_of_articles_stored_an_id_twice_is_one(store, tmp_path):
    rows = [*GOOD_ARTICLES, {**GOOD_ARTICLES[0], "title": "The same id, a newer text"}]
    path = write_jsonl(tmp_path / "kb.jsonl", rows)
    assert import_articles(store, [path]) == len(GOOD_ARTICLES) == article_count(store)
    assert import_articles(store, [path], workers=1) == len(GOOD_ARTICLES)
