"""The web server of `agent-console serve`: textual-serve's, which serves the page (xterm.js) and
starts one console process per browser tab, with the admission of agent_console/serve.py in
front of the page and of the websocket each tab's console speaks through."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from agent_console.i18n import _
from agent_console.serve import (
    Refused,
    console_command,
    is_loopback,
    origin_allowed,
    proxy_login,
)

log = logging.getLogger("agent-console.serve")


class ConsoleServer(Server):
    def __init__(
        self,
        given: Sequence[tuple[str, str]],
        *,
        host: str,
        port: int,
        public_url: str | None,
        proxy_secret: bytes | None,
    ) -> None:
        """`given`: agent-console's options given before `serve`, for each tab's console;
        `proxy_secret`: None for no proxy (every tab runs as the configured operator)."""
        super().__init__(
            console_command(given),
            host=host,
            port=port,
            title="Agent Console",
            public_url=public_url,
        )
        self.given = given
        self.proxy_secret = proxy_secret
        # Without a public URL the page may be opened as localhost as well as 127.0.0.1.
        self.any_loopback_name = public_url is None and is_loopback(host)

    def admitted_login(self, request: web.Request) -> str | None:
        """The login the request's console runs as (None: the configured operator), or a 403
        that says why there is no console, said in the log too."""
        try:
            if not origin_allowed(
                request.headers.get("Origin"), self.public_url, self.any_loopback_name
            ):
                raise Refused(
                    _("no console: the page was opened from {origin}, not from {url}").format(
                        origin=request.headers.get("Origin"), url=self.public_url
                    )
                )
            if self.proxy_secret is None:
                return None
            return proxy_login(request.headers, self.proxy_secret)
        except Refused as refusal:
            log.warning("%s %s from %s: %s", request.method, request.path, request.remote, refusal)
            raise web.HTTPForbidden(text=str(refusal)) from None

    async def handle_index(self, request: web.Request) -> Any:
        self.admitted_login(request)
        return await super().handle_index(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        # A file a console offers its tab (none does yet) is its operator's as much as the page.
        self.admitted_login(request)
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The websocket of one tab, and the console process behind it (textual-serve's
        handler, with the console's command line of the tab's login and a TabConsole)."""
        login = self.admitted_login(request)
        if login is not None:
            log.info(_("A console for {login}").format(login=login))
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        console = TabConsole(
            console_command(self.given, login),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        await console.start(
            to_int(request.query.get("width", "80"), 80),
            to_int(request.query.get("height", "24"), 24),
        )
        try:
            await self._process_messages(websocket, console)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            await console.stop()
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            _(
                "Serving the console on {url} (one console process per browser tab); Ctrl+C stops."
            ).format(url=self.public_url),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


class TabConsole(AppService):
    """One tab's console process, as textual-serve runs it, and two things more: the tab is
    closed when the console ends, and the process is waited for.

    textual-serve closes the tab when its console says it quits, but not when the console ends
    without a word: one that refused its login (unknown, disabled) would leave the page waiting
    for ever; closed, the page says "Session ended" (and the log has the console's words). And
    it stops reading once the console closes its output, leaving the exit and the pipes to the
    garbage collector."""

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            await self.remote_close()
            process = self._process
            if process is not None:
                await process.wait()
                if process.stdin is not None:
                    process.stdin.close()  # textual-serve leaves it to the garbage collector
