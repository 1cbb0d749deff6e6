"""The knowledge pane: one search box over articles and scripts, results, and the open article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.domain import Article
from agent_console.domain.placeholders import fill
from agent_console.text import printable

if TYPE_CHECKING:
    from agent_console.search import Hit, SearchResult

# A snippet may cut a placeholder in half at either end: "…{compa" or "name}, how".
PARTIAL_PLACEHOLDER = re.compile(r"\{[a-z_.|]*$|^[a-z_.]*\}")


def snippet_text(hit: Hit, values: dict[str, str | None]) -> Text:
    """The snippet with matches highlighted; a script's placeholders filled in, never raw."""
    text = Text(style="dim")
    position = 0
    for start, end in [*hit.highlights, (len(hit.snippet), len(hit.snippet))]:
        plain = hit.snippet[position:start]
        if hit.kind == "script":
            plain = PARTIAL_PLACEHOLDER.sub("…", fill(plain, values).text)
        text.append(printable(plain, single_line=True))
        text.append(printable(hit.snippet[start:end], single_line=True), style="bold reverse")
        position = end
    return text


def hit_label(hit: Hit, values: dict[str, str | None]) -> Text:
    label = Text(printable(hit.title, single_line=True), style="bold")
    label.append(f"  {hit.kind} · {hit.language}", style="dim")
    if hit.snippet:
        label.append("\n")
        label.append_text(snippet_text(hit, values))
    return label


class KnowledgePane(Vertical):
    """Search as you type; Enter opens an article, Esc goes back to the results."""

    BINDINGS = [
        Binding(
            "escape", "back", "Back to results", id="knowledge.back", tooltip="Close the article"
        ),
    ]

    result: reactive[SearchResult | None] = reactive(None)
    """The latest answer to the search box (stale answers never arrive here)."""
    article: reactive[Article | None] = reactive(None)
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

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search articles and scripts  ( / )", id="knowledge-query")
        yield Static(id="knowledge-status")
        yield OptionList(id="knowledge-results")

    @on(Input.Changed, "#knowledge-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.post_message(self.SearchChanged(event.value))

    @on(Input.Submitted, "#knowledge-query")
    def _query_submitted(self) -> None:
        results = self.query_one("#knowledge-results", OptionList)
        if results.option_count:
            results.highlighted = results.highlighted or 0
            results.focus()

    @on(OptionList.OptionSelected, "#knowledge-results")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, doc_id = (event.option.id or "").partition(":")
        if kind == "article":
            self.post_message(self.ArticleRequested(doc_id))
        elif kind == "script":
            self.post_message(self.ScriptRequested(doc_id))

    def watch_result(self, result: SearchResult | None) -> None:
        results = self.query_one("#knowledge-results", OptionList)
        status = self.query_one("#knowledge-status", Static)
        results.clear_options()
        if result is None:
            status.update("")
            return
        results.add_options(Option(hit_label(h, self.values), id=f"{h.kind}:{h.id}") for h in result.hits)
        line = Text(f"{len(result.hits)} found", style="dim")
        if result.searched_for:
            line.append(f"  searched for: {printable(result.searched_for)}", style="italic")
        if result.query.strip() and not result.hits:
            line = Text(f"Nothing found for “{printable(result.query)}”", style="dim")
        status.update(line)

    def _viewer(self):
        """The article viewer, mounted on first use: importing Markdown slows the start."""
        from textual.widgets import Markdown

        found = self.query("#knowledge-article")
        if found:
            return found.first(Markdown)
        viewer = Markdown(id="knowledge-article")
        self.mount(viewer)
        return viewer

    def watch_article(self, article: Article | None) -> None:
        results = self.query_one("#knowledge-results", OptionList)
        results.display = article is None
        if article is None:
            for viewer in self.query("#knowledge-article"):
                viewer.display = False
            results.focus()
            return
        viewer = self._viewer()
        viewer.display = True
        viewer.update(f"# {printable(article.title)}\n\n{printable(article.body)}")
        viewer.focus()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "back":
            return self.article is not None
        return True

    def action_back(self) -> None:
        self.article = None
