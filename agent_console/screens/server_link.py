"""Screens that show whether the database server answers (the banner), and catch up once it
is back: the app sets `server_link` on them (app_server_link.py), they bind it down to their
`ServerBanner`."""

from __future__ import annotations

from textual.reactive import reactive

from agent_console.server_link import LinkView


class ServerLinkScreen:
    """Mixed into a screen, before its Textual base (not a Screen itself: a modal screen's
    styles, its see-through background, must stay the ModalScreen's)."""

    server_link: reactive[LinkView] = reactive(LinkView)
    """Whether the database server answers, as the app last heard."""

    def watch_server_link(self, old: LinkView, new: LinkView) -> None:
        if old.lost and not new.lost:
            self.server_back()

    def server_back(self) -> None:
        """The server answers again after it was lost: read again what may have changed, write
        what could not be written (each screen extends this, calling super)."""
