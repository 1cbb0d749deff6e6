"""The script panel: approved phrasings, the ones suggested now first, the highlighted one shown
filled in, the reply being stacked for a chat or an e-mail, and the promotion reminder."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from agent_console.domain import Script
from agent_console.domain.lifecycle import script_slug
from agent_console.domain.placeholders import fill
from agent_console.text import printable

NUMBERED = 9  # digits 1-9 use the first nine scripts of the list as it stands
SUGGESTED_PREFIX = "suggested:"


@dataclass(frozen=True, slots=True)
class ReplyPart:
    script_id: str
    text: str


class ScriptList(Vertical):
    """Suggested scripts, then every approved script by category; a preview of the filled text."""

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

    @dataclass
    class Highlighted(Message):
        script: Script

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
        listed = self.listed
        return listed[number - 1] if 1 <= number <= min(NUMBERED, len(listed)) else None

    def watch_scripts(self) -> None:
        self._rebuild()

    def watch_suggested(self) -> None:
        self._rebuild()

    def watch_used(self) -> None:
        self._rebuild()

    def _label(self, number: int, script: Script) -> Text:
        label = Text(f"{number:>2} " if number <= NUMBERED else "   ", style="dim")
        label.append(printable(script.title, single_line=True))
        if script_slug(script.id) in self.used:
            label.append(" ✓", style="bold green")
        return label

    def _rebuild(self) -> None:
        options = self.query_one("#script-options", OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else None
        batch: list[Option] = []
        if self.suggested:
            batch.append(Option(Text("SUGGESTED NOW", style="bold $warning"), disabled=True))
            batch.extend(Option(self._label(number, script), id=SUGGESTED_PREFIX + script.id)
                         for number, script in enumerate(self.suggested, start=1))
        category = None
        for number, script in enumerate(self.scripts, start=len(self.suggested) + 1):
            if script.category != category:
                category = script.category
                batch.append(
                    Option(Text(printable(category).upper(), style="bold $accent"), disabled=True)
                )
            batch.append(Option(self._label(number, script), id=script.id))
        # One call for the whole list: adding options one by one repaints each time.
        options.clear_options()
        options.add_options(batch)
        if batch:
            # Keep the highlighted script (in its category if it is no longer suggested).
            for option_id in (keep, keep and keep.removeprefix(SUGGESTED_PREFIX)):
                if option_id and self._has_option(options, option_id):
                    options.highlighted = options.get_option_index(option_id)
                    break
            else:
                options.highlighted = 1  # the first script, below its heading
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
        script = self._script(event.option.id)
        if script is not None:
            self.post_message(self.Highlighted(script))

    @property
    def highlighted_script(self) -> Script | None:
        option = self.query_one("#script-options", OptionList).highlighted_option
        return self._script(option.id if option else None)

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
        """Highlight script `number` of the list as it stands, where it is listed."""
        script = self.numbered(number)
        if script is None:
            return None
        option_id = SUGGESTED_PREFIX + script.id if number <= len(self.suggested) else script.id
        self.show_script(option_id, focus=False)
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
            preview.update(Text("Highlight a script to see it filled in.", style="dim"))
            return
        filled = fill(script.body, self.values)
        text = Text(printable(filled.text))
        for name in filled.missing:
            text.highlight_words([f"‹{name}›"], style="bold dark_orange")
        if filled.missing:
            text.append(f"\nto fill in when used: {', '.join(filled.missing)}",
                        style="italic dark_orange")
        preview.update(text)
        # The preview may have grown and shrunk the list: keep the highlighted script in view.
        self.call_after_refresh(options.scroll_to_highlight)

    def watch_reply(self, reply: tuple[ReplyPart, ...]) -> None:
        box = self.query_one("#script-reply", Static)
        box.display = bool(reply)
        if reply:
            lines = [Text.assemble((f"Reply · {len(reply)} · ", "bold"),
                                   ("c copies it all, Backspace drops the last", "dim"))]
            lines += [Text(f"{number}. {printable(part.text, single_line=True)}")
                      for number, part in enumerate(reply, start=1)]
            box.update(Text("\n").join(lines))  # one line per part: see app.tcss

    @property
    def reply_text(self) -> str:
        return "\n\n".join(part.text for part in self.reply)

    def watch_promotion(self, promotion: str | None) -> None:
        reminder = self.query_one("#promotion-reminder", Static)
        reminder.display = promotion is not None
        if promotion is not None:
            reminder.update(Text.assemble(
                ("★ Offer ", "bold"), (f"“{printable(promotion, single_line=True)}”", "bold"),
                ("  o records the answer", ""), no_wrap=True, overflow="ellipsis",
            ))
