"""A big import read in parts by a worker process writes exactly what the one-piece import does."""

from __future__ import annotations

import json

import pytest

from agent_console.importers import ImportFailed, import_articles, import_scripts, parts
from agent_console.search import SearchIndex
from agent_console.store import Store

WORDS = (
    "router",
    "роутер",
    "internet",
    "интернет",
    "tariff",
    "тариф",
    "wi-fi",
    "оплата",
    "restart",
    "перезагрузите",
    "signal",
    "сигнал",
    "кабель",
    "cable",
)


def article(n: int, **changes) -> dict:
    language = "ru" if n % 2 else "en"
    words = [WORDS[(n * 7 + k) % len(WORDS)] for k in range(12)]
    row = {
        "id": f"a-{n}",
        "title": f"Article {n}: {words[0]} {words[1]}",
        "body": " ".join(words) + f". Step {n}, (see {words[3]}).",
        "tags": [words[2], words[4]],
        "lang": language,
    }
    return {**row, **changes}


def lines(rows) -> str:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows
    )


@pytest.fixture
def small_parts(monkeypatch):
    # A few hundred bytes a part: the test file is cut into dozens of parts.
    monkeypatch.setattr(parts, "FIRST_PART_BYTES", 300)
    monkeypatch.setattr(parts, "PART_BYTES", 2_000)


def tricky_file(path):
    rows = [article(n) for n in range(120)]
    rows[5] = article(5, body="Line one\u2028still the same line\u000cand a form feed")
    rows[17] = article(17, status="retired")
    rows.insert(40, "")  # a blank line
    rows.append(article(3, title="Article 3, imported again: the last one wins"))
    rows.append(article(17, title="Article 17 is back"))  # retired, then approved
    rows.append(article(8, status="retired"))  # approved, then retired
    text = lines(rows).replace("\n", "\r\n", 10)  # some Windows line ends too
    path.write_text(text, encoding="utf-8")
    return path


def everything(store: Store) -> dict:
    """Every row the import writes, in a comparable form."""
    conn = store.conn
    tables = {
        "articles": "SELECT id, title, body, tags, language, status, version, topic FROM articles",
        # Row ids are left out: an id met again in a later part is written again, at the end.
        "index": "SELECT d.kind, d.doc_id, d.language, d.title, f.title, f.tags, f.body,"
        " f.language FROM search_docs d JOIN search_fts_article f ON f.rowid = d.rowid",
        "terms": "SELECT term, df FROM search_terms",
        "meta": "SELECT key, value FROM search_meta",
    }
    return {name: sorted(conn.execute(sql).fetchall()) for name, sql in tables.items()}


def test_parts_write_what_the_one_piece_import_writes(tmp_path, clock, small_parts):
    source = tricky_file(tmp_path / "kb.jsonl")
    results = {}
    for workers in (0, 1):
        with Store(tmp_path / f"w{workers}.db", clock=clock) as store:
            count = import_articles(store, [source], workers=workers)
            results[workers] = (count, everything(store))
    assert results[1] == results[0]
    count, written = results[1]
    assert count == 120  # what was stored: an id given twice is one article
    assert len(written["articles"]) == 120
    indexed = {row[1] for row in written["index"]}
    assert "a-17" in indexed and "a-8" not in indexed and len(indexed) == 119


def test_what_the_parts_wrote_is_found(tmp_path, clock, small_parts):
    source = tricky_file(tmp_path / "kb.jsonl")
    with Store(tmp_path / "kb.db", clock=clock) as store:
        import_articles(store, [source], workers=1)
        hits = SearchIndex(store).search("imported again", kinds=("article",)).hits
        assert hits[0].id == "a-3"
        assert store.content.article("a-5").body.startswith("Line one\u2028still")
        assert SearchIndex(store).search("wi-fi", kinds=("article",)).hits


def test_problems_in_several_parts_are_all_named_and_nothing_is_written(
    tmp_path, clock, small_parts
):
    rows = [article(n) for n in range(60)]
    rows[2] = '{"id": "broken", "title": '
    rows[45] = article(45, title="")
    rows[50] = article(50, body="   ")
    source = tmp_path / "kb.jsonl"
    source.write_text(lines(rows), encoding="utf-8")
    with Store(tmp_path / "kb.db", clock=clock) as store:
        SearchIndex(store).ensure()
        before = everything(store)
        with pytest.raises(ImportFailed) as failed:
            import_articles(store, [source], workers=1)
        assert everything(store) == before
    named = [str(p) for p in failed.value.problems]
    assert named == [
        f"{source}, line 3: not valid JSON (Expecting value)",
        f"{source}, line 46, field 'title': is empty",
        f"{source}, line 51, field 'body': is empty",
    ]


def test_an_earlier_import_survives_a_failed_big_one(tmp_path, clock, small_parts):
    good = tmp_path / "good.jsonl"
    good.write_text(lines([article(1), article(2)]), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(lines([article(n) for n in range(3, 50)] + ["[1, 2]"]), encoding="utf-8")
    with Store(tmp_path / "kb.db", clock=clock) as store:
        import_articles(store, [good])
        before = everything(store)
        with pytest.raises(ImportFailed, match=r"line 48: must be a JSON object"):
            import_articles(store, [bad], workers=1)
        assert everything(store) == before


def test_a_file_that_is_not_utf8_is_named_once(tmp_path, clock, small_parts):
    source = tmp_path / "latin1.jsonl"
    body = lines([article(n) for n in range(30)]).encode("utf-8")
    source.write_bytes(body + "Ошибка".encode("cp1251") + b"\n" + body)
    with Store(tmp_path / "kb.db", clock=clock) as store:
        with pytest.raises(ImportFailed) as failed:
            import_articles(store, [source], workers=1)
    assert [str(p) for p in failed.value.problems] == [
        f"{source}: is not UTF-8 text (invalid continuation byte)"
    ]


def test_scripts_and_markdown_folders_go_through_the_parts_too(tmp_path, clock, small_parts):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "slow-wifi.md").write_text(
        "# Slow Wi-Fi\n\nMove closer to the router.\n", encoding="utf-8"
    )
    scripts = tmp_path / "scripts.jsonl"
    scripts.write_text(
        lines(
            [
                {
                    "id": f"s-{n}",
                    "title": f"Greeting {n}",
                    "body": f"Hello, {{customer.name}} {n}",
                    "category": "greeting",
                    "lang": "en",
                }
                for n in range(40)
            ]
        ),
        encoding="utf-8",
    )
    with Store(tmp_path / "kb.db", clock=clock) as store:
        assert import_articles(store, [folder], workers=1) == 1
        assert import_scripts(store, [scripts], workers=1) == 40
        index = SearchIndex(store)
        assert index.search("slow wifi", kinds=("article",)).hits[0].id == "slow-wifi"
        assert index.search("greeting 17", kinds=("script",)).hits[0].id == "s-17"


def test_the_parts_are_used_only_when_they_pay(tmp_path, monkeypatch):
    source = tmp_path / "kb.jsonl"
    source.write_text(lines([article(n) for n in range(50)]), encoding="utf-8")
    assert not parts.worth_parallel([source], cores=8)  # far too small to pay
    monkeypatch.setattr(parts, "PARALLEL_FROM_BYTES", 1_000)
    assert parts.worth_parallel([source], cores=2)
    assert not parts.worth_parallel([source], cores=1)  # no core to spare
    assert not parts.worth_parallel([tmp_path / "missing.jsonl"], cores=2)


def test_a_one_piece_import_keeps_a_raw_line_separator_in_its_line(store, tmp_path):
    source = tmp_path / "kb.jsonl"
    source.write_text(lines([article(1, body="one\u2028two\u2029three\x85four")]), encoding="utf-8")
    assert import_articles(store, [source], workers=0) == 1
    assert store.content.article("a-1").body == "one\u2028two\u2029three\x85four"


def test_a_markdown_file_that_is_not_utf8_is_named_with_its_line(tmp_path, clock, small_parts):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "slow-wifi.md").write_text("# Slow Wi-Fi\n\nMove closer.\n", encoding="utf-8")
    bad = folder / "tariffs.md"
    bad.write_bytes("# Тарифы\n\nДомашний 100\n".encode("cp1251"))
    with Store(tmp_path / "kb.db", clock=clock) as store:
        for workers in (0, 1):
            with pytest.raises(ImportFailed) as failed:
                import_articles(store, [folder], workers=workers)
            assert [str(p) for p in failed.value.problems] == [
                f"{bad}, line 1: is not UTF-8 text (invalid continuation byte); save it as UTF-8"
            ]
        assert store.content.articles_all() == []


def test_a_worker_exits_when_the_import_that_started_it_is_killed(tmp_path):
    """`kill -9` of an import must not leave its reader processes waiting for work for ever."""
    import os
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\n"
            "from concurrent.futures import ProcessPoolExecutor\n"
            "from agent_console.importers.parts import _worker_started, start_method\n"
            "pool = ProcessPoolExecutor(\n"
            "    1, mp_context=start_method(), initializer=_worker_started\n"
            ")\n"
            "print(pool.submit(__import__('os').getpid).result(), flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    worker = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()

    def running(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/status") as status:
                return "\nState:\tZ" not in status.read()  # a zombie has exited
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 10
    while running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(worker)
