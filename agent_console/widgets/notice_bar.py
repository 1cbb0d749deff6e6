"""Active outage notices: always visible at the top of the work screen."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from agent_console.domain import Notice
from agent_console.text import printable


class NoticeBar(Static):
    """One line per active notice; hidden when there is none."""

    notices: reactive[tuple[Notice, ...]] = reactive(tuple)
    """The notices in force now."""

    def watch_notices(self, notices: tuple[Notice, ...]) -> None:
        self.display = bool(notices)
        text = Text()
        for number, notice in enumerate(notices):
            if number:
                text.append("\n")
            text.append(f" ⚠ {printable(notice.region, single_line=True)}: ", style="bold")
            text.append(printable(notice.text, single_line=True))
        self.update(text)
