"""Outage notices from the Shift view (supervisors): write one, or end one in force.

The same rules as `agent-console notices add|end`: the store's (a city and a text are needed,
a notice ends after it starts, a street reads "ul. Titova" or "ul. Titova 7, 9") and the time
the command line reads (timefmt.parse_time: "HH:MM" or ISO 8601, in the operator's zone). What
is wrong is said in the form, which keeps what was typed; nothing is written until it is right.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from agent_console.context import ConsoleContext
from agent_console.domain import Notice, Refusal
from agent_console.domain.notices import scope_text
from agent_console.i18n import N_, _
from agent_console.screens.dialogs import DIALOG_CSS, focus_next_input
from agent_console.screens.translated import TranslatedBindings
from agent_console.text import printable
from agent_console.timefmt import parse_time
from agent_console.workers import io_work

# The form's fields: (id, label, placeholder).
FIELDS = (
    ("city", N_("City"), ""),
    ("districts", N_("Only these districts (commas between them; empty: the whole city)"), ""),
    ("streets", N_('Only these streets (";" between them), e.g. ul. Titova 7, 9'), ""),
    ("text", N_("The notice, as operators tell it"), ""),
    ("text_ru", N_("The same in Russian (optional)"), ""),
    ("until", N_("Until (HH:MM or 2026-11-23T23:00; empty: until further notice)"), ""),
)


@dataclass(frozen=True)
class NoticeDraft:
    city: str
    districts: tuple[str, ...]
    streets: tuple[str, ...]
    text: str
    text_ru: str
    until: str


def _parts(text: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(separator) if part.strip())


class NoticeDialog(TranslatedBindings, ModalScreen[int | None]):
    """Write an outage notice; returns its id once stored, None when cancelled."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", N_("Cancel"), id="notice.cancel", tooltip=N_("Back")),
        Binding("ctrl+s", "save", N_("Save"), id="notice.save", tooltip=N_("Put the notice up")),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="NoticeDialog")
        + """
    NoticeDialog .error { color: $error; height: auto; }
    """
    )

    class Refused(Message):
        """The store said no: `reason` is why (the form stays as it was)."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    class Stored(Message):
        def __init__(self, notice_id: int) -> None:
            super().__init__()
            self.notice_id = notice_id

    def __init__(self, context: ConsoleContext) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical():
            for name, label, placeholder in FIELDS:
                yield Label(_(label))
                yield Input(placeholder=placeholder, id=f"notice-{name}")
            yield Static(id="notice-error", classes="error")
            yield Static(Text(_("Ctrl+S puts it up on every console · Esc cancels"), style="dim"))

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = _("Outage notice")

    def draft(self) -> NoticeDraft:
        value = {name: self.query_one(f"#notice-{name}", Input).value for name, *_rest in FIELDS}
        return NoticeDraft(
            city=value["city"].strip(),
            districts=_parts(value["districts"], ","),
            streets=_parts(value["streets"], ";"),
            text=value["text"].strip(),
            text_ru=value["text_ru"].strip(),
            until=value["until"].strip(),
        )

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if not focus_next_input(self, event.input):
            self.action_save()

    def action_save(self) -> None:
        self.store_notice(self.draft())

    @io_work(exclusive=True, group="notice-save")
    def store_notice(self, draft: NoticeDraft) -> None:
        now = self.context.clock.now()
        try:
            ends = (
                parse_time(draft.until, now, after=now, zone=self.context.timezone)
                if draft.until
                else None
            )
            notice_id = self.context.store.notices.add(
                draft.city,
                draft.text,
                now,
                ends,
                districts=draft.districts,
                streets=draft.streets,
                text_ru=draft.text_ru or None,
            )
        except ValueError as error:  # the store's and the time's own words
            self.post_message(self.Refused(str(error)))
            return
        self.post_message(self.Stored(notice_id))

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        self.query_one("#notice-error", Static).update(Text(message.reason.capitalize() + "."))

    @on(Stored)
    def _stored(self, message: Stored) -> None:
        self.dismiss(message.notice_id)


def notice_line(notice: Notice, language: str) -> Text:
    line = Text(printable(scope_text(notice), single_line=True), style="bold")
    line.append(" — " + printable(notice.text_in(language), single_line=True))
    return line


class EndNoticeDialog(TranslatedBindings, ModalScreen[int | None]):
    """Pick a notice in force and end it now; returns its id once ended, None when cancelled."""

    BINDINGS = [
        Binding(
            "escape", "dismiss(None)", N_("Cancel"), id="end_notice.cancel", tooltip=N_("Back")
        ),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="EndNoticeDialog")

    class Ended(Message):
        def __init__(self, notice_id: int) -> None:
            super().__init__()
            self.notice_id = notice_id

    def __init__(self, context: ConsoleContext, notices: list[Notice]) -> None:
        super().__init__()
        self.context = context
        self.notices = notices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield OptionList(
                *(
                    Option(notice_line(n, self.context.language), id=str(n.id))
                    for n in self.notices
                ),
                id="end-notice-list",
            )
            yield Static(Text(_("Enter ends the notice on every console · Esc cancels"), "dim"))

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = _("End a notice")
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.end_notice(int(event.option.id))

    @io_work(exclusive=True, group="notice-end")
    def end_notice(self, notice_id: int) -> None:
        try:
            self.context.store.notices.end(notice_id)
        except ValueError as error:  # another supervisor ended it a moment ago
            raise Refusal(str(error).capitalize() + ".") from error
        self.post_message(self.Ended(notice_id))

    @on(Ended)
    def _ended(self, message: Ended) -> None:
        self.dismiss(message.notice_id)
