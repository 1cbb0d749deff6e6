"""`agent-console serve`: the console in a browser (issue 17). Registered on `main` by
`register`, kept apart from cli.py so that the two change apart; what it decides is in
agent_console/serve.py, the web server in agent_console/serve_web.py."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from agent_console.i18n import _

if TYPE_CHECKING:
    from agent_console.cli import Context


def register(main: click.Group) -> None:
    @main.command("serve")
    @click.option(
        "--host", default="127.0.0.1", show_default=True, help="The address to listen on."
    )
    @click.option(
        "--port",
        default=8000,
        show_default=True,
        type=click.IntRange(0, 65535),
        help="The port to listen on.",
    )
    @click.option(
        "--proxy-secret-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Behind a reverse proxy that authenticates operators: the file (readable by you"
        " alone) holding the secret the proxy sends in X-Agent-Console-Proxy-Secret. Each tab"
        " then runs as the login the proxy passes in X-Agent-Console-Login.",
    )
    @click.option(
        "--public-url",
        metavar="URL",
        help="The address browsers open, when it is not http://HOST:PORT (behind a reverse"
        " proxy: the proxy's, e.g. https://console.example.com).",
    )
    @click.pass_context
    def serve(
        ctx: click.Context,
        host: str,
        port: int,
        proxy_secret_file: Path | None,
        public_url: str | None,
    ) -> None:
        """The console in a browser: one console process per browser tab (textual-serve). It
        has no authentication of its own: it listens on this machine only unless told
        otherwise, and behind a reverse proxy it believes the login the proxy passes only with
        the proxy's secret (see README.md, "The console in a browser")."""
        if public_url is not None and not public_url.startswith(("http://", "https://")):
            raise click.BadParameter(
                _("{url!r} is not an http:// or https:// address").format(url=public_url),
                param_hint="--public-url",
            )
        _serve(ctx, host, port, proxy_secret_file, public_url.rstrip("/") if public_url else None)


def _serve(
    ctx: click.Context,
    host: str,
    port: int,
    proxy_secret_file: Path | None,
    public_url: str | None,
) -> None:
    from agent_console.serve import ServeSetupError, is_loopback, read_proxy_secret
    from agent_console.serve_web import ConsoleServer

    context: Context = ctx.obj
    secret = None
    if proxy_secret_file is not None:
        try:
            secret = read_proxy_secret(proxy_secret_file)
        except ServeSetupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(
            _(
                "Each browser tab runs as the operator the reverse proxy authenticated"
                " (X-Agent-Console-Login, believed only with the proxy's secret)."
            ),
            err=True,
        )
    else:
        click.echo(
            _(
                "Every browser tab runs as operator {login}: no --proxy-secret-file, so this is"
                " one person's console on their own machine."
            ).format(login=context.config.operator),
            err=True,
        )
        if not is_loopback(host):
            click.echo(
                _(
                    "Warning: listening on {host} without --proxy-secret-file: anyone who"
                    " reaches this port gets a console as {login}, with no password."
                ).format(host=host, login=context.config.operator),
                err=True,
            )
    server = ConsoleServer(
        _given_options(ctx), host=host, port=port, public_url=public_url, proxy_secret=secret
    )
    try:
        server.serve()
    except OSError as error:  # the port taken, an address not this machine's
        raise click.ClickException(
            _("cannot listen on {host} port {port}: {error}").format(
                host=host, port=port, error=error.strerror or error
            )
        ) from error


def _given_options(ctx: click.Context) -> list[tuple[str, str]]:
    """`agent-console`'s own options given on the command line before `serve`, for each tab's
    console (the configuration file and the environment it reads for itself)."""
    from agent_console.serve import CONSOLE_OPTIONS

    parent = ctx.parent
    assert parent is not None
    return [
        (name, str(parent.params[name]))
        for name in CONSOLE_OPTIONS
        if parent.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
        and parent.params[name] is not None
    ]
