"""The script panel: approved phrasings, the ones suggested now first, the highlighted one shown
filled in, the reply being stacked for a chat or an e-mail, and the promotion reminder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from agent_console.domain import Script
from agent_console.domain.codes import category_label
from agent_console.domain.lifecycle import script_slug
from agent_console.domain.placeholders import fill
from agent_console.domain.script_numbers import Numbering
from agent_console.i18n import N_, _
from agent_console.text import for_clipboard, printable
from agent_console.widgets.content_flag import FlagRequested

SUGGESTED_PREFIX = "suggested:"

# How a script is used: said on a call, copied for a chat or an e-mail, or stacked into a reply
# (copied later, with the rest of the reply).
Use = Literal["said", "copied", "stacked"]


@dataclass(frozen=True, slots=True)
class ReplyPart:
    script_id: str
    text: str


class ScriptList(Vertical):
    """Suggested scripts, then every approved script by category; a preview of the filled text."""

    DEFAULT_CSS = """
    #script-options {
        height: 1fr;
        border: none;
    }
    #promotion-reminder {
        height: auto;
        padding: 0 1;
        background: $warning 20%;
        color: $text;
    }
    #script-reply {
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        max-height: 5;
        border-top: solid $accent 50%;
        padding: 0 1;
    }
    #script-preview {
        /* A fixed height: a growing preview would shrink the list under its highlighted
           script. */
        height: 5;
        overflow-y: auto;
        border-top: solid $primary 50%;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding(
            "f7",
            "flag",
            N_("Flag"),
            id="scripts.flag",
            tooltip=N_("Tell the trainers this script is wrong or outdated"),
        ),
    ]

    scripts: reactive[tuple[Script, ...]] = reactive(tuple, always_update=True)
    """Approved scripts in the operator's language, in category order."""
    suggested: reactive[tuple[Script, ...]] = reactive(tuple)
    """The scripts that fit the contact's stage now, listed first."""
    used: reactive[frozenset[str]] = reactive(frozenset)
    """Slugs of the scripts copied or said on this contact: marked ✓."""
    values: reactive[dict[str, str | None]] = reactive(dict, always_update=True)
    """Placeholder values from the operator and the active contact."""
    reply: reactive[tuple[ReplyPart, ...]] = reactive(tuple)
    """Filled scripts stacked into one reply, in order."""
    promotion: reactive[str | None] = reactive(None)
    """The promotion still to be offered on this contact (its name), or None."""
    contact_id: reactive[int | None] = reactive(None)
    """The contact in hand: a new one starts the numbers afresh and shows the list's top."""

    @dataclass
    class ScriptUsed(Message):
        """The operator said or copied `script` (`text`: as filled in): the screen logs it."""

        script: Script
        text: str
        how: Literal["said", "copied"]

    @dataclass
    class ValuesMissing(Message):
        """`script` has placeholders with no value (a caller without a contract): the screen
        asks for them, then uses the script again (`use`)."""

        script: Script
        how: Use
        missing: tuple[str, ...]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._numbering = Numbering()
        # The list goes back to its top (the suggestions) when it is next rebuilt.
        self._to_top = True

    def compose(self) -> ComposeResult:
        yield Static(id="promotion-reminder")
        yield OptionList(id="script-options")
        yield Static(id="script-preview")
        yield Static(id="script-reply")

    def on_mount(self) -> None:
        self.query_one("#promotion-reminder").display = False
        self.query_one("#script-reply").display = False

    # --- the list ------------------------------------------------------------------------------

    @property
    def listed(self) -> list[Script]:
        """The scripts in the order they are listed (suggested ones first, then by category)."""
        return [*self.suggested, *self.scripts]

    def numbered(self, number: int) -> Script | None:
        """The suggested script that digit `number` uses (see `domain.script_numbers`)."""
        script_id = self._numbering.script_for(number)
        return next((s for s in self.suggested if s.id == script_id), None)

    def watch_scripts(self) -> None:
        self._rebuild()

    def watch_contact_id(self) -> None:
        self._numbering = Numbering().next([s.id for s in self.suggested])
        self._to_top = True
        self._rebuild()

    def watch_suggested(self, suggested: tuple[Script, ...]) -> None:
        self._numbering = self._numbering.next([s.id for s in suggested])
        self._to_top = True
        self._rebuild()

    def watch_used(self) -> None:
        self._to_top = True  # a script was used: show the suggestions for what comes next
        self._rebuild()

    def _label(self, number: int | None, script: Script) -> Text:
        label = Text(f"{number:>2} " if number else "   ", style="dim")
        label.append(printable(script.title, single_line=True))
        if script_slug(script.id) in self.used:
            label.append(" ✓", style="bold green")
        return label

    def _rebuild(self) -> None:
        options = self.query_one("#script-options", OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else None
        batch: list[Option] = []
        numbers = self._numbering.numbers
        if self.suggested:
            batch.append(Option(Text(_("Suggested now"), style="bold $warning"), disabled=True))
            batch.extend(
                Option(self._label(numbers.get(script.id), script), id=SUGGESTED_PREFIX + script.id)
                for script in self.suggested
            )
        category = None
        for script in self.scripts:
            if script.category != category:
                category = script.category
                batch.append(
                    Option(
                        Text(
                            printable(category_label(category, script.language), single_line=True),
                            style="bold $accent",
                        ),
                        disabled=True,
                    )
                )
            batch.append(Option(self._label(None, script), id=script.id))
        # One call for the whole list: adding options one by one repaints each time.
        options.clear_options()
        options.add_options(batch)
        to_top, self._to_top = self._to_top, False
        if batch:
            # Keep the highlighted script (in its category if it is no longer suggested),
            # unless the list is to show its top.
            for option_id in () if to_top else (keep, keep and keep.removeprefix(SUGGESTED_PREFIX)):
                if option_id and self._has_option(options, option_id):
                    options.highlighted = options.get_option_index(option_id)
                    break
            else:
                options.highlighted = 1  # the first script, below its heading
                options.scroll_home(animate=False)
        self._show_preview()

    @staticmethod
    def _has_option(options: OptionList, option_id: str) -> bool:
        try:
            options.get_option(option_id)
        except OptionDoesNotExist:
            return False
        return True

    @on(OptionList.OptionHighlighted, "#script-options")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_preview()

    @property
    def highlighted_script(self) -> Script | None:
        option = self.query_one("#script-options", OptionList).highlighted_option
        return self._script(option.id if option else None)

    def action_flag(self) -> None:
        script = self.highlighted_script
        if script is not None:
            self.post_message(FlagRequested("script", script.id, script.version, script.title))

    def focus_list(self) -> None:
        """Move to the list of scripts (the highlighted one stays highlighted)."""
        self.query_one("#script-options", OptionList).focus()

    def show_script(self, script_id: str, *, focus: bool = True) -> bool:
        """Highlight a script (and move to it); False when it is not listed (other language)."""
        options = self.query_one("#script-options", OptionList)
        try:
            options.highlighted = options.get_option_index(script_id)
        except OptionDoesNotExist:
            return False
        if focus:
            options.focus()
        return True

    def show_numbered(self, number: int) -> Script | None:
        """Highlight the suggested script with digit `number`; None when no script has it."""
        script = self.numbered(number)
        if script is not None:
            self.show_script(SUGGESTED_PREFIX + script.id, focus=False)
        return script

    def _script(self, option_id: str | None) -> Script | None:
        if option_id is None:
            return None
        script_id = option_id.removeprefix(SUGGESTED_PREFIX)
        return next((s for s in self.scripts if s.id == script_id), None)

    # --- the preview, the reply and the reminder ----------------------------------------------

    def watch_values(self) -> None:
        self._show_preview()

    def _show_preview(self) -> None:
        options = self.query_one("#script-options", OptionList)
        preview = self.query_one("#script-preview", Static)
        script = self.highlighted_script
        if script is None:
            preview.update(Text(_("Highlight a script to see it filled in."), style="dim"))
            return
        filled = fill(script.body, self.values)
        text = Text(printable(filled.text))
        for name in filled.missing:
            text.highlight_words([f"‹{name}›"], style="bold dark_orange")
        if filled.missing:
            text.append(
                "\n"
                + _("to fill in when used: {names}").format(
                    # As the marks in the text name them (‹customer.name›).
                    names=", ".join(filled.missing)
                ),
                style="italic dark_orange",
            )
        preview.update(text)
        # The preview may have grown and shrunk the list: keep the highlighted script in view.
        self.call_after_refresh(options.scroll_to_highlight)

    # --- using scripts -------------------------------------------------------------------------

    def use(self, script: Script, how: Use) -> None:
        """Say, copy or stack `script`, filled in; values it lacks are asked for first."""
        filled = fill(script.body, self.values)
        if filled.missing:
            self.post_message(self.ValuesMissing(script, how, filled.missing))
        elif how == "stacked":
            self.reply = (*self.reply, ReplyPart(script.id, filled.text))
        elif how == "copied":
            self._copy(filled.text, [script])
        else:
            self.post_message(self.ScriptUsed(script, filled.text, "said"))

    def use_numbered(self, number: int, how: Use) -> Script | None:
        """Use the suggested script with digit `number` (None: no script has it)."""
        script = self.show_numbered(number)
        if script is not None:
            self.use(script, how)
        return script

    def use_highlighted(self, how: Use) -> None:
        script = self.highlighted_script
        if script is not None:
            self.use(script, how)

    def copy(self) -> None:
        """Copy the reply being put together, whole, or else the highlighted script."""
        if not self.reply:
            self.use_highlighted("copied")
            return
        by_id = {script.id: script for script in self.scripts}
        parts, text = self.reply, self.reply_text
        self.reply = ()
        self._copy(text, [by_id[part.script_id] for part in parts if part.script_id in by_id])

    def drop_reply_part(self) -> None:
        self.reply = self.reply[:-1]

    def _copy(self, text: str, scripts: list[Script]) -> None:
        self.app.copy_to_clipboard(for_clipboard(text))
        self.notify(_("Copied to the clipboard."), markup=False)
        for script in scripts:
            self.post_message(self.ScriptUsed(script, text, "copied"))

    def watch_reply(self, reply: tuple[ReplyPart, ...]) -> None:
        self.refresh_bindings()  # Backspace drops a part only while there is one
        box = self.query_one("#script-reply", Static)
        box.display = bool(reply)
        if reply:
            lines = [
                Text.assemble(
                    (_("Reply · {count} · ").format(count=len(reply)), "bold"),
                    (_("c copies it all, Backspace drops the last"), "dim"),
                )
            ]
            lines += [
                Text(f"{number}. {printable(part.text, single_line=True)}")
                for number, part in enumerate(reply, start=1)
            ]
            box.update(Text("\n").join(lines))  # one line per part: see app.tcss

    @property
    def reply_text(self) -> str:
        return "\n\n".join(part.text for part in self.reply)

    def watch_promotion(self, promotion: str | None) -> None:
        reminder = self.query_one("#promotion-reminder", Static)
        reminder.display = promotion is not None
        if promotion is not None:
            reminder.update(
                Text.assemble(
                    (_("★ Offer "), "bold"),
                    # The name in the language's own quotation marks.
                    (
                        _("“{promotion}”").format(promotion=printable(promotion, single_line=True)),
                        "bold",
                    ),
                    (_("  o records the answer"), ""),
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )
