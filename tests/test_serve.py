"""`agent-console serve`: who a tab's console runs as, the command line that starts it, the
admission of requests (pure, no network), the command line's refusals, and the admission as the
web server applies it (aiohttp's test client, on loopback). The console in a real browser is
in tests/test_serve_browser.py."""

from __future__ import annotations

import asyncio
import shlex
import socket
import subprocess
import sys

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from aiohttp.web import HTTPForbidden

from agent_console import serve_web
from agent_console.serve import (
    LOGIN_HEADER,
    SECRET_HEADER,
    Refused,
    ServeSetupError,
    console_command,
    is_loopback,
    origin_allowed,
    proxy_login,
    read_proxy_secret,
)
from agent_console.serve_web import ConsoleServer
from tests.terminal import terminal_text

SECRET = b"s3cret-from-the-proxy"
THROUGH_THE_PROXY = {SECRET_HEADER: SECRET.decode(), LOGIN_HEADER: "anna.smirnova"}


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "proxy-secret"
    path.write_bytes(SECRET + b"\n")
    path.chmod(0o600)
    return path


# The command line of a tab's console


def test_a_tabs_console_is_this_python_with_the_options_given_each_quoted():
    given = [("db", "/srv/call center/it's.db"), ("language", "ru"), ("ui_language", "en")]
    words = shlex.split(console_command(given))
    assert words == [
        sys.executable,
        "-m",
        "agent_console",
        "--db",
        "/srv/call center/it's.db",
        "--language",
        "ru",
        "--ui-language",
        "en",
    ]


def test_the_proxys_login_takes_the_place_of_the_operator_given():
    command = console_command([("operator", "boris"), ("db", "x.db")], "anna; rm -rf ~")
    assert shlex.split(command)[3:] == ["--db", "x.db", "--operator", "anna; rm -rf ~"]


def test_without_a_login_the_operator_given_stays():
    assert shlex.split(console_command([("operator", "boris")]))[3:] == ["--operator", "boris"]


# The proxy's secret file


def test_the_secret_is_read_without_its_line_end(secret_file):
    assert read_proxy_secret(secret_file) == SECRET


@pytest.mark.parametrize("mode", [0o644, 0o602])
def test_a_secret_file_others_can_read_or_write_is_refused(secret_file, mode):
    secret_file.chmod(mode)
    with pytest.raises(ServeSetupError, match="every user of this machine.*chmod 600"):
        read_proxy_secret(secret_file)


def test_an_empty_or_missing_secret_file_is_refused(tmp_path, secret_file):
    secret_file.write_text(" \n")
    with pytest.raises(ServeSetupError, match="is empty"):
        read_proxy_secret(secret_file)
    with pytest.raises(ServeSetupError, match="cannot read the proxy secret file"):
        read_proxy_secret(tmp_path / "nowhere")


# The login the proxy passes


def test_the_login_is_believed_with_the_proxys_secret():
    assert proxy_login(THROUGH_THE_PROXY, SECRET) == "anna.smirnova"


@pytest.mark.parametrize(
    "headers, reason",
    [
        ({LOGIN_HEADER: "anna.smirnova"}, "did not come through the authenticating proxy"),
        ({**THROUGH_THE_PROXY, SECRET_HEADER: "guess"}, "is not the proxy's secret"),
        ({**THROUGH_THE_PROXY, SECRET_HEADER: ""}, "is not the proxy's secret"),
        ({SECRET_HEADER: SECRET.decode()}, "passed no login"),
        ({**THROUGH_THE_PROXY, LOGIN_HEADER: "  "}, "passed no login"),
        ({**THROUGH_THE_PROXY, LOGIN_HEADER: "anna\x1b[31m"}, "not one an operator can have"),
    ],
)
def test_no_login_is_believed_without_the_secret_or_without_a_login(headers, reason):
    with pytest.raises(Refused, match=reason):
        proxy_login(headers, SECRET)


# Where requests may come from


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.10", False),
        ("console.example.com", False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    "origin, any_loopback_name, allowed",
    [
        (None, False, True),  # not a browser
        ("http://127.0.0.1:8000", False, True),
        ("http://localhost:8000", True, True),
        ("http://[::1]:8000", True, True),
        ("http://localhost:8000", False, False),
        ("http://localhost:9000", True, False),
        ("https://127.0.0.1:8000", True, False),
        ("http://evil.example:8000", True, False),
        ("http://127.0.0.1:notaport", True, False),
    ],
)
def test_a_websocket_opened_by_another_sites_page_gets_no_console(
    origin, any_loopback_name, allowed
):
    assert origin_allowed(origin, "http://127.0.0.1:8000", any_loopback_name) is allowed


def test_behind_the_proxy_only_its_public_address_is_the_pages():
    public = "https://console.example.com"
    assert origin_allowed("https://console.example.com", public, False)
    assert origin_allowed("https://console.example.com:443", public, False)
    assert not origin_allowed("http://console.example.com", public, False)


# The web server's admission


def _server(proxy_secret=None, given=(), public_url=None) -> ConsoleServer:
    return ConsoleServer(
        list(given), host="127.0.0.1", port=8000, public_url=public_url, proxy_secret=proxy_secret
    )


async def test_each_tab_gets_the_console_of_the_login_the_proxy_passed(monkeypatch):
    started = []

    class Console:
        """A tab's console that records its command line and starts nothing."""

        def __init__(self, command, **_):
            started.append(command)

        async def start(self, width, height):
            pass

        async def stop(self):
            pass

    monkeypatch.setattr(serve_web, "TabConsole", Console)
    server = _server(SECRET, given=[("db", "x.db"), ("operator", "boris")])
    async with TestClient(TestServer(await server._make_app())) as client:
        for login in ("anna.smirnova", "igor.petrov"):
            headers = {**THROUGH_THE_PROXY, LOGIN_HEADER: login}
            async with client.ws_connect("/ws", headers=headers):
                pass
    assert [shlex.split(command)[3:] for command in started] == [
        ["--db", "x.db", "--operator", "anna.smirnova"],
        ["--db", "x.db", "--operator", "igor.petrov"],
    ]


def test_a_request_without_the_secret_is_forbidden_and_logged(caplog):
    request = make_mocked_request("GET", "/ws", headers={LOGIN_HEADER: "anna.smirnova"})
    with pytest.raises(HTTPForbidden) as refused:
        _server(SECRET).admitted_login(request)
    assert "did not come through the authenticating proxy" in refused.value.text
    assert "did not come through the authenticating proxy" in caplog.text


def test_without_a_proxy_every_tab_is_the_configured_operators():
    request = make_mocked_request("GET", "/ws", headers={LOGIN_HEADER: "igor.petrov"})
    assert _server().admitted_login(request) is None


async def test_the_page_says_why_there_is_no_console():
    server = _server(SECRET)
    async with TestClient(TestServer(await server._make_app())) as client:
        refused = await client.get("/", headers={LOGIN_HEADER: "anna.smirnova"})
        assert refused.status == 403
        assert "did not come through the authenticating proxy" in await refused.text()
        download = await client.get("/download/some-key")
        assert download.status == 403
        page = await client.get("/", headers=THROUGH_THE_PROXY)
        assert page.status == 200
        assert "data-session-websocket-url" in await page.text()
        websocket = await client.get(
            "/ws", headers={**THROUGH_THE_PROXY, "Origin": "http://evil.example:8000"}
        )
        assert websocket.status == 403
        assert "the page was opened from http://evil.example:8000" in await websocket.text()


async def _drawn_until(websocket, text: str) -> str | None:
    """What the tab's console drew until it drew `text`; None if the tab was closed first."""
    drawn = ""
    async with asyncio.timeout(30):  # bounds a failure only
        while text not in drawn:
            message = await websocket.receive()
            if message.type != WSMsgType.BINARY:
                return None
            drawn += terminal_text(message.data)
    return drawn


async def test_through_the_proxy_a_tab_gets_the_console_of_its_login(demo_template, tmp_path):
    db = tmp_path / "served.db"
    db.write_bytes(demo_template.read_bytes())
    server = _server(SECRET, given=[("db", str(db)), ("operator", "anna.smirnova")])
    async with TestClient(TestServer(await server._make_app())) as client:
        headers = {**THROUGH_THE_PROXY, LOGIN_HEADER: "dmitry.kozlov"}
        async with client.ws_connect("/ws?width=120&height=40", headers=headers) as websocket:
            assert await _drawn_until(websocket, "Dmitry Kozlov") is not None
        # A login the store does not know: its console refuses it, and the tab is closed.
        headers = {**THROUGH_THE_PROXY, LOGIN_HEADER: "nobody"}
        async with client.ws_connect("/ws?width=120&height=40", headers=headers) as websocket:
            assert await _drawn_until(websocket, "agent-console") is None


# The command line


def test_serve_refuses_a_secret_file_others_can_read(cli, secret_file):
    secret_file.chmod(0o644)
    result = cli("serve", "--proxy-secret-file", str(secret_file))
    assert result.exit_code == 1
    assert "can be read or written by every user of this machine" in result.stderr
    assert f"chmod 600 {secret_file}" in result.stderr


@pytest.fixture
def served(monkeypatch):
    """What `serve` would have served: the ConsoleServer, not started."""
    servers = []
    monkeypatch.setattr(ConsoleServer, "serve", lambda self: servers.append(self))
    return servers


def test_serve_passes_the_options_given_before_it_to_each_console(cli, db_path, served):
    result = cli("--operator", "boris", "--language", "ru", "serve", "--port", "8123")
    assert result.exit_code == 0, result.output
    (server,) = served
    assert (server.host, server.port, server.proxy_secret) == ("127.0.0.1", 8123, None)
    assert shlex.split(server.command)[3:] == [
        "--db",
        str(db_path),
        "--operator",
        "boris",
        "--language",
        "ru",
    ]
    assert "Every browser tab runs as operator boris" in result.stderr
    assert "Warning" not in result.stderr


def test_serve_warns_when_anyone_on_the_network_could_have_a_console(cli, served):
    result = cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 0, result.output
    assert "Warning: listening on 0.0.0.0 without --proxy-secret-file" in result.stderr


def test_serve_behind_the_proxy_says_whose_consoles_it_starts(cli, secret_file, served):
    result = cli(
        "serve",
        "--host",
        "0.0.0.0",
        "--proxy-secret-file",
        str(secret_file),
        "--public-url",
        "https://console.example.com/",
    )
    assert result.exit_code == 0, result.output
    (server,) = served
    assert server.proxy_secret == SECRET
    assert server.public_url == "https://console.example.com"
    assert "the operator the reverse proxy authenticated" in result.stderr
    assert "Warning" not in result.stderr


def test_serve_refuses_a_public_url_that_is_not_a_web_address(cli, served):
    result = cli("serve", "--public-url", "console.example.com")
    assert result.exit_code == 2
    assert "'console.example.com' is not an http:// or https:// address" in result.stderr
    assert served == []


def test_serve_says_when_it_cannot_listen(db_path):
    # A process of its own: a server that ran would leave this one's event loop closed.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        serve = [sys.executable, "-m", "agent_console", "--db", str(db_path), "serve"]
        result = subprocess.run(
            [*serve, "--port", port], capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert f"Error: cannot listen on 127.0.0.1 port {port}" in result.stderr
    assert "address already in use" in result.stderr


def test_serve_help_names_its_options(cli):
    result = cli("serve", "--help")
    assert result.exit_code == 0
    for option in ("--host", "--port", "--proxy-secret-file", "--public-url"):
        assert option in result.output
