"""Usage and gaps. Usage: per script and article, the times it was shown, said, copied or
opened in the last 7 and 30 days, and what was never used. Gaps: searches made during contacts
after which no article was opened, grouped by their words; `n` starts an article from one."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from agent_console.context import ConsoleContext
from agent_console.domain.content_use import USE_KINDS, Gap, Usage
from agent_console.domain.content_versions import KINDS, ContentVersion
from agent_console.i18n import N_, _
from agent_console.screens.translated import TranslatedBindings
from agent_console.text import printable
from agent_console.workers import io_work

USAGE_HELP = N_("""\
## Usage

Each script and article with the times it was shown, said, copied or opened: the last 7 days,
then the last 30. Below them, those in force that nobody used in 30 days.
""")

GAPS_HELP = N_("""\
## Gaps

Searches made during contacts after which no article was opened on that contact, grouped by
their words (case and order aside), the most frequent first. `n` starts a new article titled
with the highlighted search.
""")

_TABLE_CSS = """
    DataTable {
        height: 1fr; border: round $primary; border-title-style: bold;
        &:focus { border: round $accent; }
    }
"""


def _line(text: str) -> Text:
    return Text(printable(text, single_line=True))


class UsageScreen(TranslatedBindings, Screen):
    HELP = USAGE_HELP
    DEFAULT_CSS = "UsageScreen {" + _TABLE_CSS + "}"
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="usage.back", tooltip=N_("Back to the list")),
    ]

    @dataclass
    class Read(Message):
        used: list[Usage]
        unused: list[ContentVersion]

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        yield DataTable(id="usage-list", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("usage")
        table = self.query_one(DataTable)
        table.border_title = _("Uses: last 7 days / last 30 days")
        table.add_columns(_("Kind"), _("Id"), *(_(k) for k in USE_KINDS), _("Last used"))
        self.load()
        table.focus()

    @io_work(exclusive=True, group="usage-read")
    def load(self) -> None:
        used: list[Usage] = []
        unused: list[ContentVersion] = []
        for kind in KINDS:
            found, never = self.context.curation.usage(kind)
            used += found
            unused += never
        self.post_message(self.Read(used, unused))

    @on(Read)
    def _read(self, message: Read) -> None:
        table = self.query_one(DataTable)
        table.clear()
        zone = self.context.timezone
        for u in message.used:
            counts = [f"{u.last_7_days[k]} / {u.last_30_days[k]}" for k in USE_KINDS]
            last = u.last_used.astimezone(zone).strftime("%Y-%m-%d %H:%M") if u.last_used else ""
            table.add_row(_(u.kind), _line(u.item_id), *counts, last)
        for v in message.unused:
            never = Text(_("never used"), style="dim")
            table.add_row(_(v.kind), _line(v.item_id), *([""] * len(USE_KINDS)), never)

    def action_back(self) -> None:
        self.dismiss()


class GapsScreen(TranslatedBindings, Screen):
    HELP = GAPS_HELP
    DEFAULT_CSS = "GapsScreen {" + _TABLE_CSS + "}"
    BINDINGS = [
        Binding("n", "new_article", N_("New article"), id="gaps.new_article",
                tooltip=N_("Start an article for this search")),
        Binding("escape", "back", N_("Back"), id="gaps.back", tooltip=N_("Back to the list")),
    ]  # fmt: skip

    @dataclass
    class Read(Message):
        gaps: list[Gap]

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__()
        self.context = context
        self._gaps: list[Gap] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        yield DataTable(id="gaps-list", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("gaps")
        table = self.query_one(DataTable)
        table.border_title = _("Searches no article answered — last 30 days")
        table.add_columns(_("Searches"), _("Contacts"), _("Last seen"), _("Last asked as"))
        self.load()
        table.focus()

    @io_work(exclusive=True, group="gaps-read")
    def load(self) -> None:
        self.post_message(self.Read(self.context.curation.gaps()))

    @on(Read)
    def _read(self, message: Read) -> None:
        self._gaps = message.gaps
        table = self.query_one(DataTable)
        table.clear()
        zone = self.context.timezone
        for gap in message.gaps:
            seen = (
                gap.last_seen.astimezone(zone).strftime("%Y-%m-%d %H:%M") if gap.last_seen else ""
            )
            table.add_row(str(gap.count), str(len(gap.contacts)), seen, _line(gap.example))
        if not message.gaps:
            table.add_row(
                "", "", "", Text(_("No gaps: every search led to an article."), style="dim")
            )

    def action_new_article(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if not 0 <= row < len(self._gaps):
            return
        from agent_console.screens.content.editor import EditorScreen
        from agent_console.screens.content.list_screen import new_article

        title = self._gaps[row].example
        self.app.push_screen(EditorScreen(self.context, new_article(self.context, title)))

    def action_back(self) -> None:
        self.dismiss()
