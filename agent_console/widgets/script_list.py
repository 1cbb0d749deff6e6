"""The script panel: approved phrasings, the ones suggested now first, the highlighted one shown
filled in, the reply being stacked for a chat or an e-mail, and the promotion reminder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static

from agent_console.domain import Script
from agent_console.domain.placeholders import fill
from agent_console.i18n import _
from agent_console.text import for_clipboard, printable
from agent_console.widgets.script_options import ScriptOptions

# How a script is used: said on a call, copied for a chat or an e-mail, or stacked into a reply
# (copied later, with the rest of the reply).
Use = Literal["said", "copied", "stacked"]


@dataclass(frozen=True, slots=True)
class ReplyPart:
    script_id: str
    text: str


class ScriptList(ScriptOptions):
    """Suggested scripts, then every approved script by category; a preview of the filled text;
    the reply being stacked and the promotion reminder."""

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

    reply: reactive[tuple[ReplyPart, ...]] = reactive(tuple)
    """Filled scripts stacked into one reply, in order."""
    promotion: reactive[str | None] = reactive(None)
    """The promotion still to be offered on this contact (its name), or None."""

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

    def compose(self) -> ComposeResult:
        yield Static(id="promotion-reminder")
        yield OptionList(id="script-options")
        yield Static(id="script-preview")
        yield Static(id="script-reply")

    def on_mount(self) -> None:
        self.query_one("#promotion-reminder").display = False
        self.query_one("#script-reply").display = False

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
