"""The line that says the database server cannot be reached (and when the console tries again),
then that it is back; hidden while all is well."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from agent_console.i18n import _
from agent_console.server_link import LinkView


def banner_text(link: LinkView) -> str:
    """What the banner says about `link` ("" when there is nothing to say)."""
    if link.lost:
        if link.retry_in_s:
            return _(
                "The database server cannot be reached — trying again in {seconds} s. "
                "What you typed is kept."
            ).format(seconds=link.retry_in_s)
        return _(
            "The database server cannot be reached — trying again now… What you typed is kept."
        )
    if link.back:
        return _("The database server is back: the queue and your state are read again.")
    return ""


class ServerBanner(Static):
    """One line across the screen: red while the server is lost, green once it is back."""

    DEFAULT_CSS = """
    ServerBanner {
        height: auto;
        padding: 0 1;
        display: none;
        text-style: bold;
    }
    ServerBanner.-lost {
        display: block;
        background: $error;
        color: $text;
    }
    ServerBanner.-back {
        display: block;
        background: $success;
        color: $text;
    }
    """

    link: reactive[LinkView] = reactive(LinkView)
    """Whether the server answers, bound down from the screen (`ServerLinkScreen`)."""

    def watch_link(self, link: LinkView) -> None:
        self.set_class(link.lost, "-lost")
        self.set_class(link.back and not link.lost, "-back")
        text = banner_text(link)
        self.update(Text(f"{'⚠' if link.lost else '✓'} {text}") if text else "")
