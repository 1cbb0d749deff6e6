"""The console's two languages, each switched from the palette without a restart: the content
language (scripts and articles) and the interface's (titles, keys, messages). They are apart: an
operator may read the interface in Russian and answer an English-speaking customer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.screen import Screen

from agent_console.context import ConsoleContext
from agent_console.i18n import _, set_ui_language

# Each language by its own name: someone who does not read the other one still finds theirs.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


class LanguageSwitching(App):
    """The palette's two language commands and what they do. The console's screens are made
    anew after a switch, each mode by the method `SCREEN_MODES` names."""

    SCREEN_MODES: ClassVar[dict[str, str]] = {}
    context: ConsoleContext

    def language_commands(self) -> Iterator[SystemCommand]:
        other = "ru" if self.context.language == "en" else "en"
        yield SystemCommand(
            _("Content language: {language}").format(language=LANGUAGE_NAMES[other]),
            _("Scripts and articles in this language from now on"),
            lambda: self.switch_content_language(other),
        )
        other_ui = "ru" if self.context.ui_language == "en" else "en"
        yield SystemCommand(
            # The language by its own name: whoever cannot read the interface's still finds it.
            _("Interface language: {language}").format(language=LANGUAGE_NAMES[other_ui]),
            _("Titles, keys and messages in this language from now on"),
            lambda: self.switch_ui_language(other_ui),
        )

    def _show_sub_title(self) -> None:
        context = self.context
        self.sub_title = _("{operator} · content: {language}").format(
            operator=context.operator.name_in(context.ui_language), language=context.language
        )

    def switch_content_language(self, language: str) -> None:
        """Scripts and articles in `language` from now on, without a restart: the work screen
        is made again around the new context (it rebuilds its state from the event log, as
        after a restart mid-contact)."""
        if not self._may_remake_screens():
            return
        self.context = replace(self.context, config=replace(self.context.config, language=language))
        self._show_sub_title()
        self.run_worker(self._remake_modes(("work",)), group="language", exclusive=True)
        self.notify(_("Content language: {language}.").format(language=LANGUAGE_NAMES[language]))

    def switch_ui_language(self, language: str) -> None:
        """Titles, keys and messages in `language` from now on, without a restart; the content
        language stays as it is.

        The keys are said where they are shown (`screens/translated.py`), but titles and labels
        are set when a screen is composed: every mode is made anew, as for the content
        language. The work screen rebuilds its state from the event log (the contact in hand,
        a hold, the warnings given, the scripts used); a wrap-up being typed is never thrown
        away — the switch waits until it is saved, as the content language's does."""
        if not self._may_remake_screens():
            return
        self.context = replace(
            self.context, config=replace(self.context.config, ui_language=language)
        )
        set_ui_language(language)
        self._show_sub_title()
        self.run_worker(
            self._remake_modes(tuple(self.SCREEN_MODES)), group="language", exclusive=True
        )
        self.notify(_("Interface language: {language}.").format(language=LANGUAGE_NAMES[language]))

    def _may_remake_screens(self) -> bool:
        """Whether the screens may be made anew now: not while a window is open in front (a
        wrap-up's form, a dialog's answer would be lost); the operator is told what to do."""
        from agent_console.screens.wrapup import WrapUpScreen

        if len(self.screen_stack) <= 1:
            return True
        blocked = any(isinstance(screen, WrapUpScreen) for screen in self.screen_stack)
        self.notify(
            _("Save the wrap-up first, then change the language.")
            if blocked
            else _("Close the window in front first, then change the language."),
            severity="warning",
        )
        return False

    async def _remake_modes(self, modes: tuple[str, ...]) -> None:
        """A mode's first screen cannot be swapped in place: each of `modes` is made anew (a
        mode not yet opened is made when it is), the one in front shown from a blank mode for
        the moment it takes."""
        in_front = self.current_mode
        if in_front in modes:
            self.add_mode("switching", Screen)
            await self.switch_mode("switching")
        for mode in modes:
            await self.remove_mode(mode)
            self.add_mode(mode, getattr(self, self.SCREEN_MODES[mode]))
        if in_front in modes:
            await self.switch_mode(in_front)
            await self.remove_mode("switching")
