"""The console when the database server is lost mid-shift: it says so on a banner (once, not a
notice at every tick), tries the server again with growing pauses, and once it answers says it
is back and lets the screens catch up (they read the queue and the state again from the log,
and write what could not be written: the wrap-up's draft).

The tries are a cheap question (`Store.ping`), never an operator's action: an action whose
answer was lost may have been applied, so it is the operator's to press again once the server
is back, and the desk, which checks each action against the log, refuses a second one.
"""

from __future__ import annotations

import logging

from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from agent_console.context import ConsoleContext
from agent_console.screens.server_link import ServerLinkScreen
from agent_console.server_link import ServerLink
from agent_console.workers import io_work

log = logging.getLogger("agent_console")

# How often, while the server is lost, the banner's countdown is refreshed and the console
# looks whether the next try is due (the pauses themselves: store/backoff.py).
LINK_TICK_S = 0.25
# How long the banner says the server is back before it goes.
BACK_SHOWN_S = 5.0


class ServerProbed(Message):
    """A try of the server came back: `answered` or not."""

    def __init__(self, answered: bool) -> None:
        super().__init__()
        self.answered = answered


class ServerLinkKeeping(App):
    """Mixed into the app: `server_unreachable` is what its one policy for failed workers calls
    for a lost server."""

    context: ConsoleContext

    def keep_server_link(self) -> None:
        """Start following the server (from `__init__`)."""
        self.server_link = ServerLink()
        self._link_timer: Timer | None = None
        self._back_timer: Timer | None = None
        self._link_back = False

    def follow_screens_for_link(self) -> None:
        """From `on_mount`: a screen shown later (a mode opened, the wrap-up form) learns where
        things stand as it comes."""
        self.screen_change_signal.subscribe(self, self._tell_screen)

    def server_unreachable(self) -> bool:
        """A worker found the server unreachable: the banner says so and the tries start
        (a loss heard again while lost changes nothing). True when this is news."""
        if not self.server_link.lost():
            return False
        log.warning("the database server cannot be reached; trying again")
        self._link_back = False
        if self._back_timer is not None:
            self._back_timer.stop()
        self._link_timer = self.set_interval(LINK_TICK_S, self._link_tick)
        self._show_link()
        return True

    def _link_tick(self) -> None:
        if self.server_link.due():
            self.server_link.trying_now()
            self.probe_server()
        self._show_link()

    @io_work(exclusive=True, group="server-probe", background=True)
    def probe_server(self) -> None:
        import sqlite3

        try:
            self.context.store.ping()
        except Exception as error:
            self.post_message(ServerProbed(answered=False))
            if isinstance(error, sqlite3.Error):
                return  # still away: expected, and the banner says it
            raise  # anything else is a bug, said as any worker's is
        self.post_message(ServerProbed(answered=True))

    def on_server_probed(self, message: ServerProbed) -> None:
        if not message.answered:
            self.server_link.try_failed()
            self._show_link()
            return
        if not self.server_link.answered():
            return
        log.warning("the database server answers again")
        if self._link_timer is not None:
            self._link_timer.stop()
            self._link_timer = None
        self._link_back = True
        self._back_timer = self.set_timer(BACK_SHOWN_S, self._back_said)
        self._show_link()

    def _back_said(self) -> None:
        self._link_back = False
        self._show_link()

    def _show_link(self) -> None:
        for screen in self.screen_stack:
            self._tell_screen(screen)

    @property
    def link_shown(self) -> bool:
        """Whether the screen in front has the banner (the shift view, say, has not)."""
        return isinstance(self.screen, ServerLinkScreen)

    def _tell_screen(self, screen: Screen) -> None:
        if isinstance(screen, ServerLinkScreen):
            screen.server_link = self.server_link.view(back=self._link_back)
