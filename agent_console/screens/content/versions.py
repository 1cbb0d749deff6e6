"""One item's versions: the list, newest first, and the word diff between two of them (from
the one marked with `f`, to the highlighted one); the reviewer approves, sends back with a
comment, sends for review, or restores an old version as a new draft. Operators' flags on the
item are listed under the diff."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from agent_console.context import ConsoleContext
from agent_console.curation import HistoryLine
from agent_console.domain.word_diff import Piece
from agent_console.i18n import N_, _
from agent_console.screens.content.comment import CommentDialog
from agent_console.screens.content.diff_text import diff_text
from agent_console.screens.translated import TranslatedBindings
from agent_console.store.content_notes import Flag
from agent_console.text import printable
from agent_console.workers import io_work

HELP = N_("""\
## Versions

Newest first; `*` marks the version operators see. The diff shows, word by word, what changed
from the version marked with `f` (at first the one before the highlighted) to the highlighted
one: removed words struck through in red, added ones in green.

`a` approves the highlighted version (operators see it at once), `s` sends a draft for review,
`b` sends a version in review back with a comment, `r` restores the highlighted version as a
new draft, `e` edits the newest, `x` retires the item.
""")


# What a reviewer did, as the side panel says it.
REVIEW_ACTIONS = {
    "submit": N_("sent for review"),
    "send_back": N_("sent back"),
    "approved": N_("approved"),
    "retired": N_("retired"),
    "restored": N_("restored as a new draft"),
}


class VersionsScreen(TranslatedBindings, Screen):
    HELP = HELP
    DEFAULT_CSS = """
    VersionsScreen #versions-list {
        height: 12; border: round $primary; border-title-style: bold;
        &:focus { border: round $accent; }
    }
    VersionsScreen #versions-bottom { height: 1fr; }
    VersionsScreen #versions-diff-box { width: 3fr; border: round $primary; }
    VersionsScreen #versions-side { width: 1fr; border: round $primary; }
    VersionsScreen .diff-head { text-style: bold; margin-top: 1; }
    """
    BINDINGS = [
        Binding("f", "compare_from", N_("Compare from"), id="versions.compare_from",
                tooltip=N_("Diff from this version")),
        Binding("a", "approve", N_("Approve"), id="versions.approve",
                tooltip=N_("Operators see this version from now")),
        Binding("s", "submit", N_("For review"), id="versions.submit",
                tooltip=N_("Send this draft for review")),
        Binding("b", "send_back", N_("Send back"), id="versions.send_back",
                tooltip=N_("Back to draft, with a comment")),
        Binding("r", "restore", N_("Restore"), id="versions.restore",
                tooltip=N_("This version's text as a new draft")),
        Binding("e", "edit", N_("Edit"), id="versions.edit", tooltip=N_("A new draft")),
        Binding("x", "retire", N_("Retire"), id="versions.retire",
                tooltip=N_("Take it away from operators")),
        Binding("escape", "back", N_("Back"), id="versions.back", tooltip=N_("Back to the list")),
    ]  # fmt: skip

    @dataclass
    class Read(Message):
        lines: list[HistoryLine]
        reviews: list[dict[str, object]]
        flags: list[Flag]

    @dataclass
    class Diffed(Message):
        first: int
        second: int
        parts: dict[str, list[Piece]]

    @dataclass
    class Done(Message):
        said: str

    def __init__(self, context: ConsoleContext, kind: str, item_id: str) -> None:
        super().__init__()
        self.context = context
        self.kind = kind
        self.item_id = item_id
        self._lines: list[HistoryLine] = []
        self._compare_from: int | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        yield DataTable(id="versions-list", cursor_type="row")
        with Horizontal(id="versions-bottom"):
            with VerticalScroll(id="versions-diff-box"):
                yield Static(id="versions-diff-title", classes="diff-head")
                yield Static(id="versions-diff-title-text")
                yield Static(_("Text"), classes="diff-head")
                yield Static(id="versions-diff-body")
            with VerticalScroll(id="versions-side"):
                yield Static(id="versions-notes")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"{self.kind} {printable(self.item_id, single_line=True)}"
        table = self.query_one("#versions-list", DataTable)
        table.border_title = _("Versions — * in force")
        table.add_columns(
            "", _("Version"), _("State"), _("Saved"), _("By"), _("Comment"), _("In force from")
        )
        self.query_one("#versions-side").border_title = _("Reviews and flags")
        self.load()
        table.focus()

    # --- reading ------------------------------------------------------------------------------

    @io_work(exclusive=True, group="versions-read")
    def load(self) -> None:
        store = self.context.store
        self.post_message(
            self.Read(
                self.context.curation.history(self.kind, self.item_id),
                store.versions.reviews(self.kind, self.item_id),
                store.content_notes.open_flags(self.kind, self.item_id),
            )
        )

    @on(Read)
    def _read(self, message: Read) -> None:
        self._lines = message.lines
        table = self.query_one("#versions-list", DataTable)
        row = table.cursor_row
        table.clear()
        zone = self.context.timezone
        for line in message.lines:
            v = line.version
            table.add_row(
                "*" if line.in_force else "",
                str(v.version),
                _(line.status),
                v.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                Text(printable(v.author or "—", single_line=True)),
                Text(printable(v.comment, single_line=True)),
                v.in_force_from.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                if v.in_force_from and line.status == "approved"
                else "",
            )
        table.move_cursor(row=min(row, len(message.lines) - 1))
        self._show_notes(message.reviews, message.flags)
        self._diff_highlighted()

    def _show_notes(self, reviews: list[dict[str, object]], flags: list[Flag]) -> None:
        notes = Text()
        for flag in flags:
            notes.append(_("Flagged {reason}").format(reason=_(flag.reason)), style="bold red")
            notes.append(f" · v{flag.version or '?'} · {flag.operator}\n")
            notes.append(printable(flag.comment) + "\n\n")
        for review in reviews:
            action = _(REVIEW_ACTIONS.get(str(review["action"]), str(review["action"])))
            notes.append(f"v{review['version']} {action}", style="bold")
            notes.append(f" · {review['by'] or '—'}\n")
            if review["comment"]:
                notes.append(printable(str(review["comment"])) + "\n")
        self.query_one("#versions-notes", Static).update(notes or _("Nothing yet."))

    def _highlighted(self) -> HistoryLine | None:
        row = self.query_one("#versions-list", DataTable).cursor_row
        return self._lines[row] if 0 <= row < len(self._lines) else None

    @on(DataTable.RowHighlighted, "#versions-list")
    def _diff_highlighted(self) -> None:
        line = self._highlighted()
        if line is None:
            return
        second = line.version.version
        first = self._compare_from
        if first is None or first == second:
            older = [x.version.version for x in self._lines if x.version.version < second]
            first = max(older, default=second)
        self.diff(first, second)

    @io_work(exclusive=True, group="versions-diff")
    def diff(self, first: int, second: int) -> None:
        parts = self.context.curation.diff(self.kind, self.item_id, first, second)
        self.post_message(self.Diffed(first, second, parts))

    @on(Diffed)
    def _diffed(self, message: Diffed) -> None:
        self.query_one("#versions-diff-box").border_title = _(
            "From version {first} to version {second}"
        ).format(first=message.first, second=message.second)
        self.query_one("#versions-diff-title", Static).update(_("Title"))
        self.query_one("#versions-diff-title-text", Static).update(
            diff_text(message.parts["title"])
        )
        self.query_one("#versions-diff-body", Static).update(diff_text(message.parts["body"]))

    def action_compare_from(self) -> None:
        line = self._highlighted()
        if line is not None:
            self._compare_from = line.version.version
            self.notify(
                _("Comparing from version {version}: highlight another.").format(
                    version=line.version.version
                )
            )

    # --- the reviewer's actions ---------------------------------------------------------------

    def action_approve(self) -> None:
        line = self._highlighted()
        if line is not None:
            self.act("approve", line.version.version)

    def action_submit(self) -> None:
        line = self._highlighted()
        if line is not None:
            self.act("submit", line.version.version)

    def action_restore(self) -> None:
        line = self._highlighted()
        if line is not None:
            self.act("restore", line.version.version)

    def action_retire(self) -> None:
        self.act("retire", None)

    def action_send_back(self) -> None:
        line = self._highlighted()
        if line is None:
            return
        version = line.version.version

        def given(comment: str | None) -> None:
            if comment:
                self.act("send_back", version, comment)

        self.app.push_screen(
            CommentDialog(_("Why does version {version} go back?").format(version=version)),
            callback=given,
        )

    @io_work(exclusive=True, group="versions-act")
    def act(self, action: str, version: int | None, comment: str = "") -> None:
        curation, by = self.context.curation, self.context.operator.login
        kind, item_id = self.kind, self.item_id
        if action == "approve":
            curation.approve(kind, item_id, version, by)
            said = _("Version {version} approved: operators see it now.")
        elif action == "submit":
            curation.submit(kind, item_id, version, by)
            said = _("Version {version} sent for review.")
        elif action == "send_back":
            curation.send_back(kind, item_id, version, by, comment)
            said = _("Version {version} sent back to draft.")
        elif action == "restore":
            draft = curation.restore(kind, item_id, version or 0, by)
            said = _("Version {version} restored as draft version {new}.").replace(
                "{new}", str(draft.version)
            )
        else:
            curation.retire(kind, item_id, by)
            said = _("Retired: operators no longer see it.")
        self.post_message(self.Done(said.format(version=version)))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.notify(message.said, markup=False)
        self.load()

    def action_edit(self) -> None:
        if not self._lines:
            return
        from agent_console.screens.content.editor import EditorScreen

        newest = self._lines[0].version
        self.app.push_screen(EditorScreen(self.context, newest), callback=self._edited)

    def _edited(self, _saved: object) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss()
