"""Approved scripts grouped by category, with the highlighted one shown filled in."""

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
from agent_console.domain.placeholders import fill
from agent_console.text import printable


class ScriptList(Vertical):
    """The script panel: categories, numbered scripts, and a preview of the filled text."""

    scripts: reactive[tuple[Script, ...]] = reactive(tuple, always_update=True)
    """Approved scripts in the operator's language, in category order."""
    values: reactive[dict[str, str | None]] = reactive(dict, always_update=True)
    """Placeholder values from the operator and the active contact."""

    @dataclass
    class Highlighted(Message):
        script: Script

    def compose(self) -> ComposeResult:
        yield OptionList(id="script-options")
        yield Static(id="script-preview")

    def watch_scripts(self, scripts: tuple[Script, ...]) -> None:
        options = self.query_one("#script-options", OptionList)
        batch: list[Option] = []
        category = None
        for number, script in enumerate(scripts, start=1):
            if script.category != category:
                category = script.category
                batch.append(
                    Option(Text(printable(category).upper(), style="bold $accent"), disabled=True)
                )
            label = Text(f"{number:>2} ", style="dim")
            label.append(printable(script.title, single_line=True))
            batch.append(Option(label, id=script.id))
        # One call for the whole list: adding options one by one repaints each time.
        options.clear_options()
        options.add_options(batch)
        if scripts and options.highlighted is None:
            options.highlighted = 1  # the first script, below its category heading
        self._show_preview()

    def watch_values(self) -> None:
        self._show_preview()

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

    def show_script(self, script_id: str) -> bool:
        """Highlight a script and move to it; False when it is not in the list (other language)."""
        options = self.query_one("#script-options", OptionList)
        try:
            options.highlighted = options.get_option_index(script_id)
        except OptionDoesNotExist:
            return False
        options.focus()
        return True

    def _script(self, script_id: str | None) -> Script | None:
        return next((s for s in self.scripts if s.id == script_id), None)

    def _show_preview(self) -> None:
        options = self.query_one("#script-options", OptionList)
        preview = self.query_one("#script-preview", Static)
        option = options.highlighted_option
        script = self._script(option.id if option else None)
        if script is None:
            preview.update(Text("Highlight a script to see it filled in.", style="dim"))
            return
        filled = fill(script.body, self.values)
        text = Text(printable(filled.text))
        if filled.missing:
            text.append(f"\nto fill in: {', '.join(filled.missing)}", style="italic dark_orange")
        preview.update(text)
        # The preview may have grown and shrunk the list: keep the highlighted script in view.
        self.call_after_refresh(options.scroll_to_highlight)
