"""The editor: a script's or an article's text in Markdown, beside a preview filled in for a
sample customer. Placeholders the console cannot fill are named under the preview, and saving
with one asks for a second Ctrl+S. Every save is a new draft version; operators see nothing of
it until it is approved."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Markdown, Static, TextArea

from agent_console.context import ConsoleContext
from agent_console.curation import unknown_placeholders
from agent_console.domain import Customer
from agent_console.domain.content_versions import ContentError, ContentVersion
from agent_console.domain.placeholders import customer_values, fill
from agent_console.i18n import N_, _
from agent_console.screens.translated import TranslatedBindings
from agent_console.workers import io_work

HELP = N_("""\
## Editing

The text is Markdown; placeholders such as `{customer.name}` are filled in the preview for a
sample customer. A placeholder the console does not know is named in red under the preview:
saving with one asks you to press `Ctrl+S` again. Saving makes a new **draft** version:
operators go on seeing the approved one until a reviewer approves this.
""")

# Who the preview speaks to: a customer made up for it, in the content's language.
SAMPLE_CUSTOMERS = {
    "en": Customer("SAMPLE-0001", "Maria Ivanova", "Novosibirsk", phone="+7 900 000-00-00",
                   tariff="Home 100"),
    "ru": Customer("SAMPLE-0001", "Мария Иванова", "Новосибирск", phone="+7 900 000-00-00",
                   tariff="Домашний 100"),
}  # fmt: skip


def slug(title: str, language: str) -> str:
    """An id for a new item from its title: "Router setup" -> "router-setup.en"."""
    words = re.findall(r"\w+", title.casefold())
    return "-".join(words)[:60] + f".{language}" if words else ""


class EditorScreen(TranslatedBindings, Screen):
    HELP = HELP
    DEFAULT_CSS = """
    EditorScreen #editor-fields { height: auto; }
    EditorScreen #editor-fields Input { width: 1fr; }
    EditorScreen #editor-main { height: 1fr; }
    EditorScreen #editor-body { width: 1fr; border: round $primary; }
    EditorScreen #editor-body:focus { border: round $accent; }
    EditorScreen #editor-side { width: 1fr; }
    EditorScreen #editor-preview-box { height: 1fr; border: round $primary; }
    EditorScreen #editor-unknown { height: auto; color: $error; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save draft"), id="editor.save",
                tooltip=N_("Save as a new draft version"), priority=True),
        Binding("escape", "back", N_("Back"), id="editor.back", tooltip=N_("Leave, unsaved")),
    ]  # fmt: skip

    @dataclass
    class Saved(Message):
        version: ContentVersion

    def __init__(
        self, context: ConsoleContext, base: ContentVersion, review_by: date | None = None
    ) -> None:
        """`base`: the version the draft starts from (an `item_id` of "": a new article)."""
        super().__init__()
        self.context = context
        self.base = base
        self.review_by = review_by
        self._accepted_unknown: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="✎")
        with Horizontal(id="editor-fields"):
            yield Input(self.base.item_id, placeholder=_("Id (from the title)"), id="editor-id",
                        disabled=bool(self.base.item_id))  # fmt: skip
            yield Input(self.base.title, placeholder=_("Title"), id="editor-title")
            yield Input(
                self.review_by.isoformat() if self.review_by else "",
                placeholder=_("Review by (YYYY-MM-DD)"),
                id="editor-review-by",
            )
            yield Input(placeholder=_("What changed (comment)"), id="editor-comment")
        with Horizontal(id="editor-main"):
            yield TextArea(self.base.body, language="markdown", id="editor-body")
            with Vertical(id="editor-side"):
                with VerticalScroll(id="editor-preview-box"):
                    yield Markdown(id="editor-preview")
                yield Static(id="editor-unknown")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        kind = _("article") if self.base.kind == "article" else _("script")
        self.sub_title = (
            _("new {kind}").format(kind=kind)
            if not self.base.item_id
            else _("{kind} {id}, from version {version}").format(
                kind=kind, id=self.base.item_id, version=self.base.version
            )
        )
        self.query_one("#editor-body", TextArea).border_title = _("Text (Markdown)")
        self.query_one("#editor-preview-box").border_title = _("Preview for a sample customer")
        self._preview()
        self.query_one("#editor-title" if not self.base.item_id else "#editor-body").focus()

    @on(TextArea.Changed, "#editor-body")
    def _preview(self) -> None:
        body = self.query_one("#editor-body", TextArea).text
        customer = SAMPLE_CUSTOMERS.get(self.base.language, SAMPLE_CUSTOMERS["en"])
        values = {
            **self.context.placeholder_values(self.base.language),
            **customer_values(customer),
        }
        self.query_one("#editor-preview", Markdown).update(fill(body, values).text)
        unknown = unknown_placeholders(body)
        self.query_one("#editor-unknown", Static).update(
            Text(_("Unknown placeholders: {names}").format(names=", ".join(unknown)))
            if unknown
            else ""
        )

    def action_back(self) -> None:
        self.dismiss()

    def action_save(self) -> None:
        title = self.query_one("#editor-title", Input).value.strip()
        body = self.query_one("#editor-body", TextArea).text
        item_id = self.query_one("#editor-id", Input).value.strip() or slug(
            title, self.base.language
        )
        review_text = self.query_one("#editor-review-by", Input).value.strip()
        try:
            review_by = date.fromisoformat(review_text) if review_text else None
        except ValueError:
            self.notify(
                _("Review by: {text!r} is not a date (YYYY-MM-DD). Nothing was saved.").format(
                    text=review_text
                ),
                severity="error",
                markup=False,
            )
            return
        if not item_id or not title or not body.strip():
            self.notify(_("The title and the text are required. Nothing was saved."),
                        severity="error")  # fmt: skip
            return
        unknown = unknown_placeholders(body)
        if unknown and unknown != self._accepted_unknown:
            self._accepted_unknown = unknown
            self.notify(
                _("Unknown placeholders: {names}. Press Ctrl+S again to save anyway.").format(
                    names=", ".join(unknown)
                ),
                severity="warning",
                markup=False,
            )
            return
        fields = replace(self.base, item_id=item_id, title=title, body=body)
        comment = self.query_one("#editor-comment", Input).value.strip()
        self.save(fields, comment, review_by)

    @io_work(exclusive=True, group="content-save")
    def save(self, fields: ContentVersion, comment: str, review_by: date | None) -> None:
        store = self.context.store
        if not self.base.item_id and store.versions.history(fields.kind, fields.item_id):
            raise ContentError(
                _("There is already an {kind} {id}: open it from the list to edit it.").format(
                    kind=fields.kind, id=fields.item_id
                )
            )
        with store.transaction():
            saved = self.context.curation.save_draft(
                fields.kind, fields, self.context.operator.login, comment
            )
            if review_by != self.review_by:
                store.content_notes.set_review_by(fields.kind, fields.item_id, review_by)
        self.post_message(self.Saved(saved))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.notify(
            _("Saved {id} as draft version {version}.").format(
                id=message.version.item_id, version=message.version.version
            ),
            markup=False,
        )
        self.dismiss(message.version)
