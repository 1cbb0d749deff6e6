"""Active outage notices: always visible at the top of the work screen."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from agent_console.domain import Notice
from agent_console.domain.notices import scope_text
from agent_console.text import printable


class NoticeBar(Static):
    """One line per active notice, its scope then its text in the content language
    (" ⚠ Novosibirsk, Leninsky district — Outage in ..."); hidden when there is none."""

    notices: reactive[tuple[Notice, ...]] = reactive(tuple)
    """The notices in force now."""

    def __init__(self, language: str = "en", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.language = language

    def watch_notices(self, notices: tuple[Notice, ...]) -> None:
        self.display = bool(notices)
        text = Text()
        for number, notice in enumerate(notices):
            if number:
                text.append("\n")
            text.append(f" ⚠ {printable(scope_text(notice), single_line=True)}", style="bold")
            text.append(" — ")
            text.append(printable(notice.text_in(self.language), single_line=True))
        self.update(text)
