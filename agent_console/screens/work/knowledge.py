"""The work screen's knowledge pane: it searches this screen's index, shows the articles the
operator opens, and every question asked and article opened is an event of the contact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.message import Message

from agent_console.domain import Article, topic_label
from agent_console.i18n import _
from agent_console.screens.work.scripts import ScriptsPart
from agent_console.widgets.content_flag import FlagRequested
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.script_list import ScriptList
from agent_console.workers import io_work

if TYPE_CHECKING:
    from agent_console.search import SearchResult

# The knowledge pane lists at most this many results (all kinds together).
SEARCH_LIMIT = 30


class KnowledgePart(ScriptsPart):
    @dataclass
    class ArticleLoaded(Message):
        article: Article

    def _search_knowledge(self, query: str) -> SearchResult:
        """The knowledge pane's search (run in its worker), over this screen's index."""
        return self.context.search_index.search(query, limit=SEARCH_LIMIT)

    def _search_knowledge_paused(self, query: str) -> SearchResult | None:
        """The knowledge pane's search once typing pauses on a sentence-like question (run in
        its worker): the lexical answer fused with the articles nearest in meaning, or None
        when no article has its vector yet (or the semantic extra is not installed)."""
        index = self.context.search_index
        if not index.can_fuse():
            return None
        return index.search(query, limit=SEARCH_LIMIT, dense=True)

    def search_topic(self, topic: str | None) -> None:
        """A new contact: the knowledge pane shows its topic's articles, unless the operator is
        typing a question in the box at that moment."""
        pane = self.query_one(KnowledgePane)
        if topic and not (
            pane.typing and pane.query_text.strip() and pane.query_text != pane.asked
        ):
            pane.ask(topic_label(topic, self.context.language))

    @on(KnowledgePane.QuestionAsked)
    def _question_asked(self, message: KnowledgePane.QuestionAsked) -> None:
        """Every question the operator asked is an event of the contact (with its top five)."""
        result = message.result
        top = [f"{hit.kind}:{hit.id}" for hit in result.hits[:5]]
        self.record(lambda: self.desk.log_search(result.query, result.searched_for, top))

    @on(KnowledgePane.ArticleRequested)
    def _article_requested(self, message: KnowledgePane.ArticleRequested) -> None:
        self.open_article(message.article_id, self.query_one(KnowledgePane).query_text)

    @on(KnowledgePane.Left)
    def _knowledge_left(self) -> None:
        self.action_focus_queue()

    @on(KnowledgePane.ScriptRequested)
    def _script_requested(self, message: KnowledgePane.ScriptRequested) -> None:
        if not self.query_one(ScriptList).show_script(message.script_id):
            self.notify(
                _("That script is not in the list for this contact (it is in another language)."),
                markup=False,
            )

    @on(FlagRequested)
    def _flag_requested(self, message: FlagRequested) -> None:
        """An operator flags an article or a script: asked what is wrong, stored for the
        trainers (the Content mode lists it)."""
        from agent_console.screens.flag_dialog import FlagAnswer, FlagDialog

        def given(answer: FlagAnswer | None) -> None:
            if answer is not None:
                self.save_flag(message, *answer)

        self.app.push_screen(FlagDialog(message.title), callback=given)

    @io_work(group="flag")
    def save_flag(self, item: FlagRequested, reason: str, comment: str) -> None:
        login = self.context.operator.login
        notes = self.store.content_notes
        notes.flag(item.kind, item.item_id, item.version, reason, comment, login)
        self.app.call_from_thread(self.notify, _("Flagged for the trainers. Thank you."))

    @io_work(exclusive=True, group="article")
    def open_article(self, article_id: str, query: str = "") -> None:
        article = self.store.content.article(article_id)
        if article is not None:
            self.post_message(self.ArticleLoaded(article))
            self.desk.log_article_opened(article_id, query)

    @on(ArticleLoaded)
    def _article_loaded(self, message: ArticleLoaded) -> None:
        self.query_one(KnowledgePane).article = message.article

    def action_search(self) -> None:
        # What is there (the contact's topic, or the last question) is replaced by typing.
        self.query_one(KnowledgePane).focus_query()
