"""The script panel's list: the approved scripts, the ones suggested now first under their
numbers, every other by category, and the highlighted one shown filled in. Using them, the reply
and the promotion reminder are the panel's (widgets/script_list.py)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from agent_console.domain import Script
from agent_console.domain.codes import category_label
from agent_console.domain.lifecycle import script_slug
from agent_console.domain.placeholders import fill
from agent_console.domain.script_numbers import Numbering
from agent_console.i18n import N_, _
from agent_console.text import printable
from agent_console.widgets.content_flag import FlagRequested

SUGGESTED_PREFIX = "suggested:"


class ScriptOptions(Vertical):
    """The list (`#script-options`) and the preview (`#script-preview`) of the script panel."""

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
    contact_id: reactive[int | None] = reactive(None)
    """The contact in hand: a new one starts the numbers afresh and shows the list's top."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._numbering = Numbering()
        # The list goes back to its top (the suggestions) when it is next rebuilt.
        self._to_top = True

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

    # --- the preview ---------------------------------------------------------------------------

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
