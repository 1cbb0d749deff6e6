"""The work screen: the queue beside the scripts and the knowledge pane, the operator's state below."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

from agent_console.domain import Contact, Notice, Script
from agent_console.search import SearchResult
from agent_console.widgets.knowledge import KnowledgePane
from agent_console.widgets.notice_bar import NoticeBar
from agent_console.widgets.queue_table import QueueTable
from agent_console.widgets.script_list import ScriptList
from agent_console.widgets.status_bar import OperatorStatus

HELP = """\
## Work

The queue of waiting contacts is on the left, most urgent first and then longest waiting.
**Waiting** ticks every second; **SLA left** turns amber when a third of the channel's answer
time is left and red once it is breached. New contacts appear by themselves.

On the right, the **Scripts** panel lists the approved phrasings in your content language,
filled in with your name and the customer's details; the **Knowledge** pane searches articles
and scripts as you type.

Active outage notices stay at the top of the screen.
"""


class WorkScreen(Screen):
    HELP = HELP
    BINDINGS = [
        Binding("slash", "search", "Search", id="work.search", tooltip="Search articles and scripts"),
        Binding("f2", "focus_queue", "Queue", id="work.queue", tooltip="Move to the queue"),
        Binding("f3", "focus_scripts", "Scripts", id="work.scripts", tooltip="Move to the scripts"),
    ]

    @dataclass
    class QueueLoaded(Message):
        contacts: list[Contact]

    @dataclass
    class NoticesLoaded(Message):
        notices: list[Notice]

    @dataclass
    class ScriptsLoaded(Message):
        scripts: list[Script]

    @dataclass
    class SearchAnswered(Message):
        result: SearchResult

    def compose(self) -> ComposeResult:
        yield Header(icon="☎")
        yield NoticeBar(id="notices")
        with Horizontal(id="main"):
            yield QueueTable(id="queue")
            with Vertical(id="side"):
                yield ScriptList(id="scripts")
                yield KnowledgePane(id="knowledge")
        yield OperatorStatus(self.app.operator.name, id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#queue").border_title = "Queue"
        self.query_one("#scripts").border_title = "Scripts"
        self.query_one("#knowledge").border_title = "Knowledge"
        self.query_one(QueueTable).language = self.app.config.language
        status = self.query_one(OperatorStatus)
        status.since = self.app.clock.now()
        self.query_one(ScriptList).values = self.app.placeholder_values()
        self.query_one(KnowledgePane).values = self.app.placeholder_values()
        self._tick()
        self.load_queue()
        self.load_side()
        self.set_interval(1.0, self._tick)
        self.query_one(QueueTable).focus()

    # --- the clock and the live queue -------------------------------------------------------

    def _tick(self) -> None:
        now = self.app.clock.now()
        self.query_one(QueueTable).now = now
        self.query_one(OperatorStatus).now = now
        self.poll_queue()

    @work(thread=True, exclusive=True, group="queue-poll")
    def poll_queue(self) -> None:
        """Reload the queue only when someone committed to the database since the last look."""
        if self.app.store.has_changed():
            self._post_queue()

    @work(thread=True, exclusive=True, group="queue")
    def load_queue(self) -> None:
        self._post_queue()

    def _post_queue(self) -> None:
        store = self.app.store
        contacts = store.queue.waiting()
        notices = store.notices.active()
        if not get_current_worker().is_cancelled:
            self.post_message(self.QueueLoaded(contacts))
            self.post_message(self.NoticesLoaded(notices))

    @on(QueueLoaded)
    def _show_queue(self, message: QueueLoaded) -> None:
        self.query_one(QueueTable).show(message.contacts)
        status = self.query_one(OperatorStatus)
        status.waiting = len(message.contacts)
        now = self.app.clock.now()
        status.longest_wait_s = max(
            ((now - c.created).total_seconds() for c in message.contacts), default=0.0
        )
        self.query_one("#queue").border_subtitle = f"{len(message.contacts)} waiting"

    @on(NoticesLoaded)
    def _show_notices(self, message: NoticesLoaded) -> None:
        self.query_one(NoticeBar).notices = tuple(message.notices)

    # --- scripts and knowledge --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="scripts")
    def load_side(self) -> None:
        scripts = self.app.store.content.scripts(language=self.app.config.language)
        self.post_message(self.ScriptsLoaded(scripts))

    @on(ScriptsLoaded)
    def _show_scripts(self, message: ScriptsLoaded) -> None:
        self.query_one(ScriptList).scripts = tuple(message.scripts)

    @on(KnowledgePane.SearchChanged)
    def _search_changed(self, message: KnowledgePane.SearchChanged) -> None:
        self.run_search(message.query)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        result = self.app.search_index.search(query, limit=50)
        # A newer keystroke started a newer search: this answer is stale, drop it.
        if not get_current_worker().is_cancelled:
            self.post_message(self.SearchAnswered(result))

    @on(SearchAnswered)
    def _show_search(self, message: SearchAnswered) -> None:
        pane = self.query_one(KnowledgePane)
        if message.result.query == self.query_one("#knowledge-query").value:
            pane.result = message.result

    @on(KnowledgePane.ArticleRequested)
    def _article_requested(self, message: KnowledgePane.ArticleRequested) -> None:
        self.open_article(message.article_id)

    @on(KnowledgePane.ScriptRequested)
    def _script_requested(self, message: KnowledgePane.ScriptRequested) -> None:
        if not self.query_one(ScriptList).show_script(message.script_id):
            self.notify("That script is not in your content language's list.", markup=False)

    @work(thread=True, exclusive=True, group="article")
    def open_article(self, article_id: str) -> None:
        article = self.app.store.content.article(article_id)
        if article is not None:
            self.app.call_from_thread(setattr, self.query_one(KnowledgePane), "article", article)

    # --- actions ------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(KnowledgePane).article = None
        self.query_one("#knowledge-query").focus()

    def action_focus_queue(self) -> None:
        self.query_one(QueueTable).focus()

    def action_focus_scripts(self) -> None:
        self.query_one("#script-options").focus()
