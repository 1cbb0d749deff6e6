"""The knowledge pane: one search box over articles and scripts, results, and the open article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from agent_console.domain import Article
from agent_console.domain.placeholders import fill
from agent_console.text import printable

if TYPE_CHECKING:
    from textual.widget import Widget

    from agent_console.search import Hit, SearchResult

# A snippet may cut a placeholder in half at either end: "…{compa" or "name}, how".
PARTIAL_PLACEHOLDER = re.compile(r"\{[a-z_.|]*$|^[a-z_.]*\}")

# The result tabs, in the order Tab visits them: (kind shown, its name on the strip).
KINDS = (("all", "All"), ("article", "Articles"), ("script", "Scripts"))


def snippet_parts(hit: Hit, values: dict[str, str | None]) -> list[tuple[str, str]]:
    """The snippet with matches highlighted; a script's placeholders filled in, never raw."""
    parts = []
    position = 0
    for start, end in [*hit.highlights, (len(hit.snippet), len(hit.snippet))]:
        plain = hit.snippet[position:start]
        if hit.kind == "script":
            plain = PARTIAL_PLACEHOLDER.sub("…", fill(plain, values).text)
        parts.append((printable(plain, single_line=True), "dim"))
        parts.append((printable(hit.snippet[start:end], single_line=True), "bold reverse"))
        position = end
    return parts


def hit_label(hit: Hit, values: dict[str, str | None]) -> Content:
    """Title, kind and language, then the snippet: plain text from the database, never markup.

    Built as `Content`, which the OptionList uses as it is (a Rich `Text` is converted first).
    """
    parts: list[str | tuple[str, str]] = [
        (printable(hit.title, single_line=True), "bold"),
        (f"  {hit.kind} · {hit.language}", "dim"),
    ]
    if hit.snippet:
        parts.append("\n")
        parts.extend(snippet_parts(hit, values))
    return Content.assemble(*parts)


def title_label(hit: Hit) -> Content:
    """A hit's first line alone: what a result below the first screen shows for the moment
    its snippet takes to make."""
    return Content.assemble((printable(hit.title, single_line=True), "bold"),
                            (f"  {hit.kind} · {hit.language}", "dim"))


def result_labels(result: SearchResult, values: dict[str, str | None],
                  first: int | None = None) -> Labels:
    """The labels of an answer's hits (of the `first` ones only, if given).

    Safe to make in the search worker's thread, which keeps the snippets (made on first read,
    about a millisecond each on long articles) and the labels off the event loop.
    """
    hits = result.hits if first is None else result.hits[:first]
    return Labels(values, {(hit.kind, hit.id): hit_label(hit, values) for hit in hits},
                  complete=first is None or first >= len(result.hits))


def _key(hit: Hit) -> tuple[str, str, float]:
    return (hit.kind, hit.id, hit.score)


@dataclass(frozen=True)
class Labels:
    """Labels made ahead for one answer, and the placeholder values they were filled with."""

    values: dict[str, str | None]
    by_hit: dict[tuple[str, str], Content]
    complete: bool = True


def tab_strip(result: SearchResult | None, kind: str) -> Content:
    """"All 23 · Articles 18 · Scripts 5" with the tab shown now emphasised."""
    hits = result.hits if result is not None else []
    parts: list[str | tuple[str, str]] = []
    for n, (tab, name) in enumerate(KINDS):
        if n:
            parts.append(("·", "dim"))
        count = len(hits) if tab == "all" else sum(1 for hit in hits if hit.kind == tab)
        label = f" {name} {count} " if result is not None else f" {name} "
        parts.append((label, "bold reverse") if tab == kind else label)
    return Content.assemble(*parts)


class KnowledgePane(Vertical):
    """Search as you type; ↑/↓ and Enter from the box, Tab between articles and scripts."""

    BINDINGS = [
        Binding("escape", "back", "Back to results", id="knowledge.back",
                tooltip="Close the article; the results and the query stay"),
        Binding("escape", "leave", "Back to the queue", id="knowledge.leave", show=False,
                tooltip="Leave the search (the query and results stay) and go to the queue"),
        Binding("tab", "next_kind", "All/Articles/Scripts", id="knowledge.next_kind",
                tooltip="Show all results, then only articles, then only scripts"),
        Binding("shift+tab", "previous_kind", "Previous results tab", id="knowledge.previous_kind",
                show=False, tooltip="The same tabs the other way round"),
        Binding("down", "move(1)", "Next result", id="knowledge.next_result", show=False,
                tooltip="Move the highlight down without leaving the search box"),
        Binding("up", "move(-1)", "Previous result", id="knowledge.previous_result", show=False,
                tooltip="Move the highlight up without leaving the search box"),
    ]

    result: reactive[SearchResult | None] = reactive(None)
    """The latest answer to the search box (stale answers never arrive here)."""
    kind: reactive[str] = reactive("all", bindings=True)
    """Which results are listed: "all", "article" or "script" (a filter of `result`)."""
    article: reactive[Article | None] = reactive(None, bindings=True)
    """The open article, or None while the results are shown."""
    values: reactive[dict[str, str | None]] = reactive(dict)
    """Placeholder values for script snippets."""

    @dataclass
    class SearchChanged(Message):
        query: str

    @dataclass
    class ArticleRequested(Message):
        article_id: str

    @dataclass
    class ScriptRequested(Message):
        script_id: str

    class Left(Message):
        """The operator is done with the search (Esc with no article open)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        # The hits the list holds now: an answer with the same hits leaves the list alone.
        self._listed: list[Hit] | None = None
        self._labels: Labels | None = None
        self._return_to: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search articles and scripts  ( / )", id="knowledge-query")
        yield Static(id="knowledge-tabs")
        yield Static(id="knowledge-status")
        yield OptionList(id="knowledge-results")

    def on_mount(self) -> None:
        self.query_one("#knowledge-status").display = False

    # --- what the operator does ----------------------------------------------------------------

    @on(Input.Changed, "#knowledge-query")
    def _query_changed(self, event: Input.Changed) -> None:
        # The snippets still to make are for an answer about to be replaced: the new search
        # gets the CPU.
        self.workers.cancel_group(self, "knowledge-labels")
        self.post_message(self.SearchChanged(event.value))

    @on(Input.Submitted, "#knowledge-query")
    def _query_submitted(self) -> None:
        # Enter in the box opens the highlighted result, as Enter in the list does.
        self.query_one("#knowledge-results", OptionList).action_select()

    @on(OptionList.OptionSelected, "#knowledge-results")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, doc_id = (event.option.id or "").partition(":")
        if kind == "article":
            self.post_message(self.ArticleRequested(doc_id))
        elif kind == "script":
            self.post_message(self.ScriptRequested(doc_id))

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "back":
            return self.article is not None
        if action in ("leave", "next_kind", "previous_kind"):
            return self.article is None
        if action == "move":
            # Only from the search box: the list moves its own highlight.
            return self.article is None and self.query_one("#knowledge-query").has_focus
        return True

    def action_back(self) -> None:
        self.article = None

    def action_leave(self) -> None:
        self.post_message(self.Left())

    def action_next_kind(self) -> None:
        self._step_kind(1)

    def action_previous_kind(self) -> None:
        self._step_kind(-1)

    def _step_kind(self, step: int) -> None:
        names = [tab for tab, _ in KINDS]
        self.kind = names[(names.index(self.kind) + step) % len(names)]

    def action_move(self, step: int) -> None:
        results = self.query_one("#knowledge-results", OptionList)
        if step > 0:
            results.action_cursor_down()
        else:
            results.action_cursor_up()

    # --- what is shown -----------------------------------------------------------------------

    def show(self, result: SearchResult, labels: Labels | None = None) -> None:
        """Show an answer, with its labels if they were made ahead (see `result_labels`).

        The same answer again brings the rest of its labels: the results below the first
        screen get their snippets where they are, the highlight and scroll stay.
        """
        self._labels = labels
        if result is not self.result:
            self.result = result
            if labels is not None and not labels.complete:
                self._later_labels(result)
            return
        listed = self._listed or []
        if labels is None or labels.values is not self.values:
            return
        results = self.query_one("#knowledge-results", OptionList)
        for index, hit in enumerate(listed):
            label = labels.by_hit.get((hit.kind, hit.id))
            if label is not None and results.get_option_at_index(index).prompt is not label:
                results.replace_option_prompt_at_index(index, label)

    def watch_result(self) -> None:
        self._show_results()

    def watch_kind(self) -> None:
        self._show_results()

    def watch_values(self) -> None:
        self._listed = None  # the scripts' snippets are filled in with the new values
        self._show_results()

    def _show_results(self) -> None:
        result, kind = self.result, self.kind
        tabs = self.query_one("#knowledge-tabs", Static)
        # Before the first search the line stays empty rather than listing empty tabs.
        tabs.update(tab_strip(result, kind) if result is not None or kind != "all" else "")
        hits = [] if result is None else [h for h in result.hits if kind in ("all", h.kind)]
        self._list(hits)
        status = self.query_one("#knowledge-status", Static)
        line = None
        if result is not None and result.query.strip() and not result.hits:
            line = Content.styled(
                f"Nothing found for “{printable(result.query, single_line=True)}”", "dim")
        elif result is not None and result.searched_for:
            line = Content.styled(
                f"searched for: {printable(result.searched_for, single_line=True)}", "italic")
        status.display = line is not None
        status.update(line or "")

    def _list(self, hits: list[Hit]) -> None:
        """Show these hits, best first, the first one highlighted."""
        # Hits compare by what identifies them: comparing whole hits would make every snippet.
        if self._listed is not None and [_key(h) for h in hits] == [_key(h) for h in self._listed]:
            return
        self._listed = hits
        results = self.query_one("#knowledge-results", OptionList)
        labels = self._labels if self._labels and self._labels.values is self.values else None
        results.set_options(
            Option(self._label(h, labels), id=f"{h.kind}:{h.id}") for h in hits
        )
        if hits:
            results.highlighted = 0

    def _later_labels(self, result: SearchResult) -> None:
        """Make the rest of an answer's labels once the first screen is painted. The next key
        cancels that work: the CPU goes to the new search (the threads share one interpreter)."""
        self.call_after_refresh(self._make_labels, result, self.values)

    @work(thread=True, exclusive=True, group="knowledge-labels")
    def _make_labels(self, result: SearchResult, values: dict[str, str | None]) -> None:
        worker = get_current_worker()
        made = {}
        for hit in result.hits:
            if worker.is_cancelled:
                return
            made[(hit.kind, hit.id)] = hit_label(hit, values)
        self.app.call_from_thread(self.show, result, Labels(values, made))

    def _label(self, hit: Hit, labels: Labels | None) -> Content:
        if labels is None:
            return hit_label(hit, self.values)
        made = labels.by_hit.get((hit.kind, hit.id))
        if made is not None:
            return made
        # The rest are on their way from the worker; until then, no snippet made here.
        return hit_label(hit, self.values) if labels.complete else title_label(hit)

    def _show_article(self, markdown: str) -> Widget:
        """Put the article in the viewer, mounted on first use (importing Markdown slows the
        start). The Markdown sits in a focusable scroll view so that ↑/↓ and Page Up/Down read
        a long article from the keyboard."""
        from textual.containers import VerticalScroll
        from textual.widgets import Markdown

        found = self.query("#knowledge-article")
        if found:
            view = found.first()
            view.query_one(Markdown).update(markdown)
            view.scroll_home(animate=False)
            return view
        # A Markdown renders the text it was made with once mounted: an update before that
        # would be replaced by it.
        view = VerticalScroll(Markdown(markdown), id="knowledge-article", can_focus=True)
        self.mount(view)
        return view

    def watch_article(self, article: Article | None) -> None:
        results = self.query_one("#knowledge-results", OptionList)
        if article is None:
            results.display = True
            for view in self.query("#knowledge-article"):
                view.display = False
            (self._return_to or results).focus()
            return
        focused = self.screen.focused
        if focused is not None and focused.parent is self:
            self._return_to = focused  # Esc goes back to the box or the list, as it was
        results.display = False
        view = self._show_article(f"# {printable(article.title)}\n\n{printable(article.body)}")
        view.display = True
        view.focus()
