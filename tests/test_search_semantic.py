"""The semantic layer: vectors made and resumed, fused by reciprocal rank fusion, and a console
that works the same without the extra. A small fake embedder stands in for the model."""

from __future__ import annotations

import json
import zlib

import pytest
from click.testing import CliRunner

from agent_console.cli import main
from agent_console.importers import import_articles
from agent_console.search import SearchIndex, semantic
from tests.helpers import THREE_ARTICLES as ARTICLES
from tests.helpers import write_jsonl

try:  # the semantic extra brings numpy; without it only the tests of its absence run
    import numpy as np
except ImportError:  # pragma: no cover
    np = None
needs_numpy = pytest.mark.skipif(np is None, reason="the semantic extra is not installed")
pytestmark = pytest.mark.both_engines

# The fake model's "meaning": words that mean the same map to the same dimension.
CONCEPTS = {
    "goggle": "tv",
    "television": "tv",
    "screen": "tv",
    "money": "payment",
    "pay": "payment",
}


class FakeEmbedder:
    name = "fake-model"
    dim = 64

    def __init__(self) -> None:
        self.passages_made = 0

    def _vector(self, text: str):
        vector = np.zeros(self.dim, dtype="<f4")
        for word in text.lower().replace(":", " ").replace(".", " ").split():
            word = CONCEPTS.get(word, word)
            vector[zlib.crc32(word.encode()) % self.dim] += 1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def query(self, text: str):
        return self._vector(text)

    def passages(self, texts):
        self.passages_made += len(texts)
        return np.stack([self._vector(t) for t in texts])


@pytest.fixture
def kb(store, tmp_path):
    import_articles(store, [write_jsonl(tmp_path / "kb.jsonl", ARTICLES)])
    return store


def test_reciprocal_rank_fusion_rewards_what_both_lists_rank_high():
    fused = [item for _, item in semantic.fuse(["a", "b", "c"], ["c", "b", "d"])]
    assert set(fused[:2]) == {"b", "c"}  # high in both lists beats first in one
    assert set(fused) == {"a", "b", "c", "d"}
    scores = dict((item, score) for score, item in semantic.fuse(["a"], ["a"]))
    assert scores["a"] == pytest.approx(2 / 61)


@needs_numpy
def test_vectors_are_made_in_committed_batches_and_resume_where_they_stopped(kb):
    embedder = FakeEmbedder()
    assert kb.vectors.progress(embedder.name) == (0, 3)
    batches = []
    made = semantic.embed_missing(
        kb,
        embedder,
        batch=1,
        progress=lambda done, total: batches.append(done),
        stop=lambda: len(batches) >= 1,
    )  # killed after one batch
    assert made == 1 and kb.vectors.progress(embedder.name) == (1, 3)
    # A new pass (a new process after the kill) makes only the missing ones.
    again = FakeEmbedder()
    assert semantic.embed_missing(kb, again, batch=2) == 2
    assert again.passages_made == 2
    assert kb.vectors.progress(embedder.name) == (3, 3)
    assert semantic.embed_missing(kb, again) == 0


@needs_numpy
def test_a_retired_article_needs_no_vector(kb, tmp_path):
    embedder = FakeEmbedder()
    semantic.embed_missing(kb, embedder)
    edited = [
        {**ARTICLES[0], "body": "Check the HDMI input."},
        {**ARTICLES[2], "status": "retired"},
    ]
    import_articles(kb, [write_jsonl(tmp_path / "edit.jsonl", edited)])
    missing = [row[0] for row in kb.vectors.missing(embedder.name, 10)]
    assert "payment" not in missing
    assert kb.vectors.progress(embedder.name)[1] == 2


@needs_numpy
def test_fused_search_finds_by_meaning_and_keeps_the_lexical_answers(kb):
    embedder = FakeEmbedder()
    semantic.embed_missing(kb, embedder)
    index = SearchIndex(kb, vectors=semantic.Vectors(kb, embedder))
    question = "the goggle screen shows nothing at all"
    lexical = [h.id for h in index.search(question, kinds=("article",)).hits]
    assert "tv-signal" not in lexical  # no word of the question is in it
    fused = index.search(question, kinds=("article",), dense=True)
    assert fused.hits[0].id == "tv-signal"
    assert fused.hits[0].kind == "article"
    # The lexical path alone still answers every keystroke, and without dense=True.
    assert index.search("router li", kinds=("article",)).hits[0].id == "router-lights"


@needs_numpy
def test_fusion_never_shows_a_retired_article(kb, tmp_path):
    embedder = FakeEmbedder()
    semantic.embed_missing(kb, embedder)
    import_articles(
        kb, [write_jsonl(tmp_path / "retire.jsonl", [{**ARTICLES[0], "status": "retired"}])]
    )
    index = SearchIndex(kb, vectors=semantic.Vectors(kb, embedder))
    fused = index.search("the goggle screen shows nothing at all", kinds=("article",), dense=True)
    assert "tv-signal" not in [h.id for h in fused.hits]


@pytest.fixture
def without_the_extra(monkeypatch):
    monkeypatch.setattr(semantic, "available", lambda: False)


def test_without_the_extra_embed_says_so_and_exits_0(without_the_extra, db_path, tmp_path):
    runner = CliRunner()
    path = write_jsonl(tmp_path / "kb.jsonl", ARTICLES)
    assert runner.invoke(main, ["--db", str(db_path), "kb", "import", str(path)]).exit_code == 0
    done = runner.invoke(main, ["--db", str(db_path), "kb", "embed"])
    assert done.exit_code == 0
    assert "not installed" in done.output and "[semantic]" in done.output
    status = runner.invoke(main, ["--db", str(db_path), "kb", "status"])
    assert status.exit_code == 0
    assert "Articles: 3 (3 approved)" in status.output
    assert "the semantic extra is not installed" in status.output
    found = runner.invoke(
        main,
        ["--db", str(db_path), "kb", "search", "--json"],
        input="router lights blinking all the time\n",
    )
    assert found.exit_code == 0
    assert json.loads(found.stdout)["results"][0]["id"] == "router-lights"


@needs_numpy
def test_status_reports_the_vectors_progress(kb, db_path, monkeypatch):
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "MODEL", FakeEmbedder.name)
    semantic.embed_missing(
        kb, FakeEmbedder(), batch=1, stop=lambda: kb.vectors.stamp(FakeEmbedder.name)[0] >= 2
    )
    status = CliRunner().invoke(main, ["--db", str(db_path), "kb", "status"])
    assert "Semantic vectors: 2 of 3 (66%)" in status.output
    assert "kb embed" in status.output
