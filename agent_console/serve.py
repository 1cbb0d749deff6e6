"""What `agent-console serve` decides, apart from the web server that carries it out
(agent_console/serve_web.py): who a browser tab's console runs as, the command line that starts
it, and whether a request may have a console at all. Pure functions: tested without a network.

textual-serve has no authentication. Behind a reverse proxy that authenticates operators, the
proxy passes the login in LOGIN_HEADER and a secret shared with this process in SECRET_HEADER,
both set by the proxy (overwriting whatever the browser sent): a request without the secret did
not come through the proxy, and its login is not believed. A login that passed is only a claim
still: the console started for it checks that the login exists and is active in the store, as it
does for `--operator`.
"""

from __future__ import annotations

import hmac
import ipaddress
import shlex
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from agent_console.i18n import _

LOGIN_HEADER = "X-Agent-Console-Login"
SECRET_HEADER = "X-Agent-Console-Proxy-Secret"
# The options of `agent-console` itself that each tab's console is started with, as given
# before `serve`: the console reads the same database, content and interface language.
CONSOLE_OPTIONS = ("db", "operator", "language", "ui_language")
# The longest login believed from the proxy (the store's logins are short names).
LOGIN_MAX_LENGTH = 200


class ServeSetupError(Exception):
    """`serve` cannot start as asked; the message says why and what to do."""


class Refused(Exception):
    """A request that gets no console; the message says why (in the browser and in the log)."""


def read_proxy_secret(path: Path) -> bytes:
    """The secret the reverse proxy sends in SECRET_HEADER, from a file no other user of this
    machine can read (whoever knows it can open a console as any operator)."""
    try:
        mode = path.stat().st_mode
        secret = path.read_bytes().strip()
    except OSError as error:
        raise ServeSetupError(
            _("cannot read the proxy secret file {path}: {error}").format(
                path=path, error=error.strerror or error
            )
        ) from error
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        raise ServeSetupError(
            _(
                "the proxy secret file {path} can be read or written by every user of this"
                " machine, and whoever knows the secret can open a console as any operator."
                " Make it yours alone: chmod 600 {quoted}"
            ).format(path=path, quoted=shlex.quote(str(path)))
        )
    if not secret:
        raise ServeSetupError(
            _(
                "the proxy secret file {path} is empty: put in it a long random secret, the one"
                " the reverse proxy sends in {header}"
            ).format(path=path, header=SECRET_HEADER)
        )
    return secret


def proxy_login(headers: Mapping[str, str], secret: bytes) -> str:
    """The login the authenticating proxy passed, once the request proves it came through the
    proxy (`Refused` otherwise)."""
    sent = headers.get(SECRET_HEADER)
    if sent is None:
        raise Refused(
            _(
                "no console: the request did not come through the authenticating proxy"
                " (no {header} header)"
            ).format(header=SECRET_HEADER)
        )
    # In constant time: how long a wrong guess took says nothing of the secret.
    if not hmac.compare_digest(sent.encode("utf-8", "surrogateescape"), secret):
        raise Refused(
            _(
                "no console: the request's {header} is not the proxy's secret (is the secret"
                " file the one the proxy's configuration names?)"
            ).format(header=SECRET_HEADER)
        )
    login = headers.get(LOGIN_HEADER, "").strip()
    if not login:
        raise Refused(
            _(
                "no console: the proxy passed no login in {header} (is the location behind"
                " the proxy's authentication?)"
            ).format(header=LOGIN_HEADER)
        )
    if len(login) > LOGIN_MAX_LENGTH or not login.isprintable():
        raise Refused(
            _("no console: the login in {header} is not one an operator can have").format(
                header=LOGIN_HEADER
            )
        )
    return login


def console_command(given: Sequence[tuple[str, str]], login: str | None = None) -> str:
    """The shell command line that starts one tab's console: this Python (not whatever
    `agent-console` is first on PATH), `agent-console`'s options as given before `serve` (each
    quoted: textual-serve runs the line through a shell), and `--operator LOGIN` for a login
    the proxy passed, in place of any --operator given."""
    words = [sys.executable, "-m", "agent_console"]
    for option, value in given:
        if login is not None and option == "operator":
            continue
        words += ["--" + option.replace("_", "-"), value]
    if login is not None:
        words += ["--operator", login]
    return shlex.join(words)


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any address


def origin_allowed(origin: str | None, public_url: str, any_loopback_name: bool) -> bool:
    """Whether a websocket opened from the page at `origin` may have a console. A browser says
    which page opens a websocket, and any page may open one to any address: without this check
    a web site the operator visits could drive their console on 127.0.0.1. A client that is not
    a browser sends no Origin (and could reach the port anyway). With `any_loopback_name`, a
    page opened as localhost, 127.0.0.1 or [::1] is the same place."""
    if origin is None:
        return True
    page, public = urlsplit(origin), urlsplit(public_url)
    try:
        same_port = _port(page.scheme, page.port) == _port(public.scheme, public.port)
    except ValueError:
        return False  # a port that is not a number
    if page.scheme != public.scheme or not same_port:
        return False
    if page.hostname == public.hostname:
        return True
    return any_loopback_name and page.hostname is not None and is_loopback(page.hostname)


def _port(scheme: str, port: int | None) -> int | None:
    return port if port is not None else {"http": 80, "https": 443}.get(scheme)
