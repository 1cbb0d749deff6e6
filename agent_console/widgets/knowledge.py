"""The knowledge pane: one search box over articles and scripts, results, and the open article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.widgets import Input, OptionList, Static

from agent_console.domain import Article
from agent_console.i18n import N_, _
from agent_console.text import printable
from agent_console.widgets.content_flag import FlagRequested
from agent_console.widgets.knowledge_search import SearchingPane
from agent_console.widgets.search_results import (
    Labels,
    ResultList,
)

if TYPE_CHECKING:
    from textual.widget import Widget

    from agent_console.search import SearchResult

# The result tabs, in the order Tab visits them: (kind shown, its name on the strip).
KINDS = (("all", N_("All")), ("article", N_("Articles")), ("script", N_("Scripts")))


def article_markdown(article: Article) -> str:
    """An article as the operator reads it, in Markdown: its title as the heading, then its body
    (which is Markdown). Control characters are made visible, never sent to the terminal.

    Rendered with Textual's `Markdown` widget here and in the replay (screens/replay.py).
    """
    return f"# {printable(article.title)}\n\n{printable(article.body)}"


def tab_strip(result: SearchResult | None, kind: str) -> Content:
    """ "All 23 · Articles 18 · Scripts 5" with the tab shown now emphasised."""
    hits = result.hits if result is not None else []
    parts: list[str | tuple[str, str]] = []
    for n, (tab, name) in enumerate(KINDS):
        if n:
            parts.append(("·", "dim"))
        count = len(hits) if tab == "all" else sum(1 for hit in hits if hit.kind == tab)
        label = f" {_(name)} {count} " if result is not None else f" {_(name)} "
        parts.append((label, "bold reverse") if tab == kind else label)
    return Content.assemble(*parts)


class SearchBox(Input):
    """The search box. Its text never changes its size (the CSS fixes it), so a keystroke
    repaints the box alone: an Input lays the whole screen out again on every character (its
    virtual size is the text's width), and the layout redraws the script list beside it too
    (its scrollbar is refreshed by every layout) while the search is running."""

    virtual_size = Reactive(Size(0, 0), layout=False)


class KnowledgePane(SearchingPane):
    """Search as you type; ↑/↓ and Enter from the box, Tab between articles and scripts."""

    DEFAULT_CSS = """
    #knowledge-query {
        border: tall $primary 30%;
    }
    #knowledge-tabs {
        /* Each tab carries its own spaces, so the emphasised one reads as a tab. */
        height: 1;
    }
    #knowledge-status {
        height: 1;
        padding: 0 1;
    }
    #knowledge-results {
        height: 1fr;
        border: none;
        /* Always shown: a scrollbar coming and going would lay the screen out again. */
        overflow-y: scroll;
    }
    #knowledge-article {
        height: 1fr;
        overflow-y: auto;
    }
    """

    BINDINGS = [
        Binding(
            "escape",
            "back",
            N_("Back to results"),
            id="knowledge.back",
            tooltip=N_("Close the article; the results and the query stay"),
        ),
        Binding(
            "escape",
            "leave",
            N_("Back to the queue"),
            id="knowledge.leave",
            show=False,
            tooltip=N_("Leave the search (the query and results stay) and go to the queue"),
        ),
        Binding(
            "tab",
            "next_kind",
            N_("All/Articles/Scripts"),
            id="knowledge.next_kind",
            tooltip=N_("Show all results, then only articles, then only scripts"),
        ),
        Binding(
            "shift+tab",
            "previous_kind",
            N_("Previous results tab"),
            id="knowledge.previous_kind",
            show=False,
            tooltip=N_("The same tabs the other way round"),
        ),
        Binding(
            "f7",
            "flag",
            N_("Flag"),
            id="knowledge.flag",
            tooltip=N_("Tell the trainers this article is wrong or outdated"),
        ),
        Binding(
            "down",
            "move(1)",
            N_("Next result"),
            id="knowledge.next_result",
            show=False,
            tooltip=N_("Move the highlight down without leaving the search box"),
        ),
        Binding(
            "up",
            "move(-1)",
            N_("Previous result"),
            id="knowledge.previous_result",
            show=False,
            tooltip=N_("Move the highlight up without leaving the search box"),
        ),
    ]

    kind: reactive[str] = reactive("all", bindings=True, repaint=False)
    """Which results are listed: "all", "article" or "script" (a filter of `result`)."""
    article: reactive[Article | None] = reactive(None, bindings=True, repaint=False)
    """The open article, or None while the results are shown."""

    # The labels made ahead for the answer shown (see `show`), and where Esc from an article
    # goes back to (the box or the list, as it was); set per pane as it is used.
    _labels: Labels | None = None
    _return_to: Widget | None = None

    @dataclass
    class ArticleRequested(Message):
        article_id: str

    @dataclass
    class ScriptRequested(Message):
        script_id: str

    class Left(Message):
        """The operator is done with the search (Esc with no article open)."""

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder=_("Search articles and scripts  ( / )"), id="knowledge-query")
        yield Static(id="knowledge-tabs")
        yield Static(id="knowledge-status")
        yield ResultList(id="knowledge-results")

    def on_mount(self) -> None:
        self.query_one("#knowledge-status").display = False
        # Watched, not waited for as Input.Changed: the watcher runs inside the key's own
        # handling, so the search starts before the typed character is even repainted.
        self.watch(self.query_one("#knowledge-query", Input), "value", self._typed, init=False)

    # --- what the screen asks of the pane -------------------------------------------------------

    @property
    def typing(self) -> bool:
        """The operator is in the search box (a new contact must not overwrite their words)."""
        return self.query_one("#knowledge-query", Input).has_focus

    def ask(self, query: str) -> None:
        """Search for `query` as if typed (a new contact's topic): the results, not an article."""
        self.asked = query
        self.article = None
        self.query_one("#knowledge-query", Input).value = query

    def focus_query(self) -> None:
        """Into the search box, with what is there selected: typing replaces it."""
        self.article = None
        box = self.query_one("#knowledge-query", Input)
        box.focus()
        box.select_all()

    # --- what the operator does ----------------------------------------------------------------

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("back", "flag"):
            return self.article is not None
        if action in ("leave", "next_kind", "previous_kind"):
            return self.article is None
        if action == "move":
            # Only from the search box: the list moves its own highlight.
            return self.article is None and self.query_one("#knowledge-query").has_focus
        return True

    def action_back(self) -> None:
        self.article = None

    def action_flag(self) -> None:
        if self.article is not None:
            a = self.article
            self.post_message(FlagRequested("article", a.id, a.version, a.title))

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
        screen are added under it, the highlight and scroll stay.
        """
        self._labels = labels
        if result is not self.result:
            self.result = result
            if labels is not None and not labels.complete:
                self._later_labels(result, labels)
            return
        if labels is not None and labels.complete and labels.values is self.values:
            self.query_one(ResultList).list_the_rest(labels)

    def watch_result(self) -> None:
        self._show_results()

    def watch_kind(self) -> None:
        self._show_results()

    def watch_values(self) -> None:
        self.query_one(ResultList).forget()  # the scripts' snippets get the new values
        self._show_results()

    def _show_results(self) -> None:
        result, kind = self.result, self.kind
        tabs = self.query_one("#knowledge-tabs", Static)
        # Before the first search the line stays empty rather than listing empty tabs. Both
        # lines are one row high whatever they say: no layout to redo for them.
        tabs.update(
            tab_strip(result, kind) if result is not None or kind != "all" else "", layout=False
        )
        hits = [] if result is None else [h for h in result.hits if kind in ("all", h.kind)]
        self.query_one(ResultList).list_hits(hits, self._labels, self.values)
        status = self.query_one("#knowledge-status", Static)
        line = None
        if result is not None and result.query.strip() and not result.hits:
            line = Content.styled(
                _("Nothing found for “{query}”").format(
                    query=printable(result.query, single_line=True)
                ),
                "dim",
            )
        elif result is not None and result.searched_for:
            line = Content.styled(
                _("searched for: {query}").format(
                    query=printable(result.searched_for, single_line=True)
                ),
                "italic",
            )
        status.display = line is not None
        status.update(line or "", layout=False)

    @property
    def listed_whole(self) -> bool:
        """Whether the results list holds the whole answer (not only its first screen)."""
        return self.query_one(ResultList).listed_whole

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
        view = self._show_article(article_markdown(article))
        view.display = True
        view.focus()
