"""The Content mode's first screen: every script and article, filtered by state (due for
review and flagged among them), kind, language and words of the id or title."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select

from agent_console.context import ConsoleContext
from agent_console.curation import STATE_FILTERS, ItemRow
from agent_console.domain.content_versions import ContentVersion
from agent_console.i18n import N_, _
from agent_console.screens.translated import TranslatedBindings
from agent_console.text import printable
from agent_console.workers import io_work

HELP = N_("""\
## Content

Every script and article with the state of its newest version and the version operators see
(*in force*). Filter by state — *due* lists items past their review-by date, *flagged* those
operators flagged as wrong or outdated — by kind, by language, or by words of the id or title.

`Enter` opens an item's versions: the word diff between any two, approve, send back, restore.
`e` edits the newest version as a new draft, `n` starts a new article, `u` shows usage,
`g` the gaps: searches no article answered.
""")

# Titles are cut to this many characters: the state and the versions stay on the screen.
TITLE_WIDTH = 52


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


STATE_LABELS = {
    "all": N_("Any state"),
    "draft": N_("Draft"),
    "review": N_("In review"),
    "approved": N_("Approved"),
    "retired": N_("Retired"),
    "due": N_("Due for review"),
    "flagged": N_("Flagged"),
}


def new_article(context: ConsoleContext, title: str = "") -> ContentVersion:
    """The fields of an article not written yet (its id made from the title when saved)."""
    return ContentVersion(
        "article", "", 0, "draft", title, "", context.operator.login, context.clock.now(),
        language=context.language,
    )  # fmt: skip


class ContentScreen(TranslatedBindings, Screen):
    HELP = HELP
    DEFAULT_CSS = """
    ContentScreen #content-filters { height: 3; }
    ContentScreen #content-filters Select { width: 30; }
    ContentScreen #content-filters Input { width: 1fr; }
    ContentScreen #content-list {
        height: 1fr; border: round $primary; border-title-style: bold;
        &:focus { border: round $accent; }
    }
    """
    BINDINGS = [
        Binding("e", "edit", N_("Edit"), id="content.edit", tooltip=N_("A new draft of it")),
        Binding("n", "new", N_("New article"), id="content.new",
                tooltip=N_("Write a new article")),
        Binding("u", "usage", N_("Usage"), id="content.usage",
                tooltip=N_("Times used, 7/30 days")),
        Binding("g", "gaps", N_("Gaps"), id="content.gaps",
                tooltip=N_("Searches no article answered")),
        Binding("r", "reload", N_("Reload"), id="content.reload",
                tooltip=N_("Read the list again")),
    ]  # fmt: skip

    @dataclass
    class Listed(Message):
        rows: list[ItemRow]

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__()
        self.context = context
        self._rows: list[ItemRow] = []
        self._shown: list[ItemRow] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        with Horizontal(id="content-filters"):
            yield Select(
                [(_(STATE_LABELS[s]), s) for s in STATE_FILTERS],
                value="all",
                allow_blank=False,
                id="filter-state",
            )
            kinds = [
                (_("Articles and scripts"), "all"),
                (_("Articles"), "article"),
                (_("Scripts"), "script"),
            ]
            yield Select(kinds, value="all", allow_blank=False, id="filter-kind")
            yield Select(
                [(_("Any language"), "all"), ("English", "en"), ("Русский", "ru")],
                value="all",
                allow_blank=False,
                id="filter-language",
            )
            yield Input(placeholder=_("Words of the id or title"), id="filter-text")
        yield DataTable(id="content-list", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("content")
        table = self.query_one("#content-list", DataTable)
        table.border_title = _("Scripts and articles — Enter: versions")
        table.add_columns(
            _("Kind"), _("Id"), _("Title"), _("State"), _("Newest"), _("In force"),
            _("Language"), _("Flags"), _("Review by"),
        )  # fmt: skip
        self.load()
        table.focus()

    def on_screen_resume(self) -> None:
        self.load()  # back from the editor or the versions: what changed shows

    def action_reload(self) -> None:
        self.load()

    @io_work(exclusive=True, group="content-list")
    def load(self) -> None:
        self.context.curation.bring_in_force()
        self.post_message(self.Listed(self.context.curation.items()))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        self._rows = message.rows
        self._refilter()

    @on(Select.Changed)
    @on(Input.Changed, "#filter-text")
    def _refilter(self) -> None:
        state = str(self.query_one("#filter-state", Select).value)
        kind = str(self.query_one("#filter-kind", Select).value)
        language = str(self.query_one("#filter-language", Select).value)
        text = self.query_one("#filter-text", Input).value
        self._shown = [r for r in self._rows if r.matches(state, kind, language, text)]
        table = self.query_one("#content-list", DataTable)
        table.clear()
        for row in self._shown:
            v = row.newest
            table.add_row(
                _(v.kind),
                Text(printable(v.item_id, single_line=True)),
                Text(shorten(printable(v.title, single_line=True), TITLE_WIDTH)),
                Text(_(v.status), style="bold" if v.status == "review" else ""),
                str(v.version),
                str(row.in_force) if row.in_force is not None else "—",
                v.language,
                Text(str(row.flags), style="bold red") if row.flags else "",
                Text(row.review_by.isoformat(), style="bold red" if row.due else "")
                if row.review_by
                else "",
                key=f"{v.kind}:{v.item_id}",
            )

    def _highlighted(self) -> ItemRow | None:
        table = self.query_one("#content-list", DataTable)
        if not self._shown or table.cursor_row >= len(self._shown):
            return None
        return self._shown[table.cursor_row]

    @on(DataTable.RowSelected, "#content-list")
    def _open(self) -> None:
        row = self._highlighted()
        if row is not None:
            from agent_console.screens.content.versions import VersionsScreen

            self.app.push_screen(VersionsScreen(self.context, row.newest.kind, row.newest.item_id))

    def action_edit(self) -> None:
        row = self._highlighted()
        if row is not None:
            from agent_console.screens.content.editor import EditorScreen

            self.app.push_screen(EditorScreen(self.context, row.newest, row.review_by))

    def action_new(self) -> None:
        from agent_console.screens.content.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.context, new_article(self.context)))

    def action_usage(self) -> None:
        from agent_console.screens.content.usage import UsageScreen

        self.app.push_screen(UsageScreen(self.context))

    def action_gaps(self) -> None:
        from agent_console.screens.content.usage import GapsScreen

        self.app.push_screen(GapsScreen(self.context))
