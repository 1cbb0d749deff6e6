"""How the knowledge pane answers what is typed: a search per keystroke in a worker (a newer
keystroke drops an older answer), the question fused with its meaning once typing pauses, the
question logged once it settles, and the labels below the first screen made when there is time.
What is shown, and how, is the pane's (widgets/knowledge.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input
from textual.worker import get_current_worker

from agent_console.text import is_sentence
from agent_console.widgets.search_results import FIRST_SCREEN, Labels, hit_label, result_labels
from agent_console.workers import io_work

if TYPE_CHECKING:
    from textual.timer import Timer

    from agent_console.search import SearchResult

# The rest of an answer's labels are made once typing pauses this long (see `_later_labels`).
REST_AFTER_S = 0.3

# A question counts as asked (and is logged) once the operator has stopped typing this long.
QUESTION_SETTLED_S = 1.0

# A sentence-like question is searched again, fused with its meaning (`search_paused`), once
# typing pauses this long: every keystroke gets the lexical answer alone.
RERANK_AFTER_S = 0.4


class SearchingPane(Vertical):
    """The answering half of the knowledge pane: its search box is `#knowledge-query`, and
    `show` (the pane's) puts an answer on screen."""

    # The pane draws nothing of its own: its watchers update the children, and a repaint
    # of the whole pane on every answer would redraw the box, the tabs and the list too.
    result: reactive[SearchResult | None] = reactive(None, repaint=False)
    """The latest answer to the search box (stale answers never arrive here)."""
    values: reactive[dict[str, str | None]] = reactive(dict, repaint=False)
    """Placeholder values for script snippets."""

    @dataclass
    class Answered(Message):
        """A search finished (in the pane's worker); shown only if it answers the box."""

        result: SearchResult
        labels: Labels | None = None

    @dataclass
    class QuestionAsked(Message):
        """The operator asked this (typing paused on its answer): one per question, not one per
        keystroke, and never the topic the console filled in for a new contact."""

        result: SearchResult

    @dataclass
    class Reranked(Message):
        """The answer again, fused with the semantic search (in the pane's worker), for the pane
        itself; shown only if the box still holds its question."""

        bubble: ClassVar[bool] = False
        result: SearchResult
        labels: Labels

    @dataclass
    class LabelsMade(Message):
        """The rest of an answer's labels are made (in the pane's worker), for the pane itself."""

        bubble: ClassVar[bool] = False
        result: SearchResult
        labels: Labels

    def __init__(
        self,
        *,
        search: Callable[[str], SearchResult] | None = None,
        search_paused: Callable[[str], SearchResult | None] | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        """`search`: answers a query (called in a worker thread); without it the pane only
        shows what it is given (`show`). `search_paused`: answers a sentence-like question
        again once typing pauses (the lexical ranking fused with the semantic one), or None
        when it has nothing better (no vectors); called in a worker thread, never for a
        keystroke."""
        super().__init__(id=id)
        self._search = search
        self._search_paused = search_paused
        self._rest_timer: Timer | None = None
        self._rerank_timer: Timer | None = None
        self._settle_timer: Timer | None = None
        self.asked = ""  # the query the console put in the box (`ask`), not the operator

    @property
    def query_text(self) -> str:
        """What is in the search box."""
        return self.query_one("#knowledge-query", Input).value

    def show(self, result: SearchResult, labels: Labels | None = None) -> None:
        raise NotImplementedError

    def _typed(self, query: str) -> None:
        # The snippets still to make are for an answer about to be replaced: the new search
        # gets the CPU.
        self.workers.cancel_group(self, "knowledge-labels")
        if self._rest_timer is not None:
            self._rest_timer.stop()
        if self._rerank_timer is not None:
            self._rerank_timer.stop()
            self.workers.cancel_group(self, "knowledge-rerank")
        if self._search is not None:
            self._run_search(self._search, query, self.values)
        if self._settle_timer is not None:
            self._settle_timer.stop()  # typing again: the answer shown was not the question

    @io_work(exclusive=True, group="knowledge-search")
    def _run_search(
        self, search: Callable[[str], SearchResult], query: str, values: dict[str, str | None]
    ) -> None:
        worker = get_current_worker()
        result = search(query)
        # The first screen's labels (snippets) are made here too, off the event loop; the
        # rest once that screen is painted. A newer keystroke started a newer search: this
        # answer is stale, drop it.
        if not worker.is_cancelled:
            labels = result_labels(result, values, FIRST_SCREEN)
            if not worker.is_cancelled:
                self.post_message(self.Answered(result, labels))

    @on(Answered)
    def _answered(self, message: Answered) -> None:
        if message.result.query == self.query_text:
            self.show(message.result, message.labels)
            self._settle(message.result)
            self._rerank_later(message.result.query)

    def _rerank_later(self, query: str) -> None:
        """A sentence-like question the operator typed is searched again, by meaning too, once
        typing pauses (a keystroke stops the timer: see `_typed`)."""
        if self._search_paused is None or query == self.asked or not is_sentence(query):
            return
        if self._rerank_timer is not None:
            self._rerank_timer.stop()
        self._rerank_timer = self.set_timer(
            RERANK_AFTER_S, partial(self._rerank, self._search_paused, query, self.values)
        )

    @io_work(exclusive=True, group="knowledge-rerank")
    def _rerank(
        self,
        search: Callable[[str], SearchResult | None],
        query: str,
        values: dict[str, str | None],
    ) -> None:
        worker = get_current_worker()
        result = search(query)
        if result is not None and not worker.is_cancelled:
            labels = result_labels(result, values, FIRST_SCREEN)
            if not worker.is_cancelled:
                self.post_message(self.Reranked(result, labels))

    @on(Reranked)
    def _reranked(self, message: Reranked) -> None:
        if message.result.query == self.query_text:
            self.show(message.result, message.labels)
            self._settle(message.result)  # the question asked is logged with what is shown

    def _settle(self, result: SearchResult) -> None:
        if self._settle_timer is not None:
            self._settle_timer.stop()
        if result.query.strip() and result.query != self.asked:
            self._settle_timer = self.set_timer(
                QUESTION_SETTLED_S, partial(self.post_message, self.QuestionAsked(result))
            )

    def _later_labels(self, result: SearchResult, labels: Labels) -> None:
        """Make the rest of an answer's labels once typing pauses. Until then the CPU is the
        next search's and the next repaint's (the threads share one interpreter): the rest is
        below the first screen, and nobody scrolls down while typing."""
        if self._rest_timer is not None:
            self._rest_timer.stop()
        self._rest_timer = self.set_timer(REST_AFTER_S, partial(self._make_labels, result, labels))

    @io_work(exclusive=True, group="knowledge-labels")
    def _make_labels(self, result: SearchResult, made: Labels) -> None:
        worker = get_current_worker()
        known = made.by_hit if made.values is self.values else {}
        labels = {}
        for hit in result.hits:
            if worker.is_cancelled:
                return
            key = (hit.kind, hit.id)
            labels[key] = known.get(key) or hit_label(hit, made.values)
        self.post_message(self.LabelsMade(result, Labels(made.values, labels)))

    @on(LabelsMade)
    def _labels_made(self, message: LabelsMade) -> None:
        if message.result is self.result:  # a newer answer came meanwhile: these are not its
            self.show(message.result, message.labels)
