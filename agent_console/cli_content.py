"""The content commands (issue 14; PRODUCT.md fixes their shape): `kb|scripts history`,
`approve`, `retire`, `diff`, `kb gaps`, `scripts usage` (and `kb usage`). Registered on the `kb`
and `scripts` groups by `register`, kept apart from cli.py so that the two change apart."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from agent_console.i18n import _, ngettext
from agent_console.text import printable

if TYPE_CHECKING:
    from agent_console.cli import Context
    from agent_console.curation import Curation

# Who the command line acts as, in the versions' author and reviewer columns.
_OPERATOR_HELP = "Recorded as who did it: the --operator given to agent-console."


@contextmanager
def _curation(context: Context) -> Iterator[Curation]:
    """The curation over the command's database, approvals that came due brought in force
    first; a refusal of the content's rules is the command's error, naming what and why."""
    from agent_console.curation import ContentError, Curation

    store = context.open_store()
    try:
        curation = Curation(store)
        curation.bring_in_force()
        yield curation
    except ContentError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()


def _at(when) -> str:
    from agent_console.clock import to_text

    return to_text(when)


def _history(context: Context, kind: str, item_id: str, as_json: bool) -> None:
    with _curation(context) as curation:
        lines = curation.history(kind, item_id)
    if as_json:
        rows = [
            {
                "version": line.version.version,
                "status": line.status,
                "author": line.version.author,
                "at": _at(line.version.at),
                "comment": line.version.comment,
                "title": line.version.title,
                "in_force": line.in_force,
                "in_force_from": _at(line.version.in_force_from)
                if line.version.in_force_from
                else None,
            }
            for line in lines
        ]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for line in lines:
        v = line.version
        mark = "*" if line.in_force else " "
        extra = ""
        if v.in_force_from and not line.in_force and line.status == "approved":
            extra = "  " + _("in force from {time}").format(time=_at(v.in_force_from))
        fields = (v.author or "-", v.title, v.comment)
        author, title, comment = (printable(f, single_line=True) for f in fields)
        click.echo(
            f"{mark} {v.version:>3}  {line.status:<8}  {_at(v.at)}  {author}  {title}"
            f"  {comment}{extra}".rstrip()
        )


def _approve(
    context: Context, kind: str, item_id: str, version: int | None, since: str | None
) -> None:
    from agent_console.cli import parse_time

    with _curation(context) as curation:
        now = curation.store.clock.now()
        try:
            start = parse_time(since, now) if since else None
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--from") from error
        approved = curation.approve(
            kind, item_id, version, context.config.operator, from_time=start
        )
    if start is not None and start > now:
        click.echo(
            _("Approved {kind} {id} version {version}, in force from {time}").format(
                kind=kind, id=printable(item_id), version=approved.version, time=_at(start)
            )
        )
    else:
        click.echo(
            _("Approved {kind} {id} version {version}, in force now").format(
                kind=kind, id=printable(item_id), version=approved.version
            )
        )


def _retire(context: Context, kind: str, item_id: str) -> None:
    with _curation(context) as curation:
        curation.retire(kind, item_id, context.config.operator)
    click.echo(_("Retired {kind} {id}").format(kind=kind, id=printable(item_id)))


def _diff(context: Context, kind: str, item_id: str, first: int, second: int) -> None:
    from agent_console.domain.word_diff import marked

    with _curation(context) as curation:
        parts = curation.diff(kind, item_id, first, second)
    colours = {"same": None, "removed": "red", "added": "green"}
    click.echo(f"--- {kind} {printable(item_id)} version {first}")
    click.echo(f"+++ {kind} {printable(item_id)} version {second}")
    for name in ("title", "body"):
        click.echo(f"@@ {name} @@")
        # The [-removed-] {+added+} marks, coloured at a terminal (click drops the colour
        # when the output is piped).
        for change, text in marked(parts[name]):
            click.echo(click.style(printable(text), fg=colours[change]), nl=False)
        click.echo()


def _usage(context: Context, kind: str, as_json: bool) -> None:
    from agent_console.domain.content_use import USE_KINDS

    with _curation(context) as curation:
        used, unused = curation.usage(kind)
    if as_json:
        rows: list[dict[str, Any]] = [
            {
                "id": u.item_id,
                "last_7_days": {k: u.last_7_days[k] for k in USE_KINDS},
                "last_30_days": {k: u.last_30_days[k] for k in USE_KINDS},
                "last_used": _at(u.last_used) if u.last_used else None,
                "never_used": False,
            }
            for u in used
        ]
        rows += [
            {
                "id": v.item_id,
                "last_7_days": dict.fromkeys(USE_KINDS, 0),
                "last_30_days": dict.fromkeys(USE_KINDS, 0),
                "last_used": None,
                "never_used": True,
            }
            for v in unused
        ]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    kinds = [k for k in USE_KINDS if kind == "article" or k != "opened"]
    if kind == "article":
        kinds = ["opened"]
    click.echo(_("last 7 days / last 30 days: {uses}").format(uses=", ".join(kinds)))
    for u in used:
        counts = "  ".join(f"{k} {u.last_7_days[k]}/{u.last_30_days[k]}" for k in kinds)
        click.echo(f"{printable(u.item_id, single_line=True)}  {counts}")
    if unused:
        click.echo(
            ngettext(
                "Never used in 30 days ({count}):",
                "Never used in 30 days ({count}):",
                len(unused),
            ).format(count=len(unused))
        )
        for v in unused:
            item_id, title = (printable(t, single_line=True) for t in (v.item_id, v.title))
            click.echo(f"  {item_id}  {title}")


def _gaps(context: Context, as_json: bool, days: int) -> None:
    with _curation(context) as curation:
        found = curation.gaps(days)
    if as_json:
        rows = [
            {
                "words": g.words,
                "query": g.example,
                "count": g.count,
                "contacts": len(g.contacts),
                "last_seen": _at(g.last_seen) if g.last_seen else None,
            }
            for g in found
        ]
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not found:
        click.echo(_("No gaps: every search during a contact led to an article."))
    for g in found:
        seen = _at(g.last_seen) if g.last_seen else "-"
        click.echo(f"{g.count:>5}  {seen}  {printable(g.example, single_line=True)}")


_as_json = click.option("--json", "as_json", is_flag=True, help="JSON instead of lines of text.")


def register(main: click.Group, kb: click.Group, scripts: click.Group) -> None:
    """The content commands on `kb` (articles) and `scripts`, and `content` on `main`."""

    @main.command("content")
    @click.pass_obj
    def content(context: Context) -> None:
        """Open the console in the Content mode (trainers and supervisors)."""
        from agent_console.cli import _run_console

        _run_console(context, mode="content")

    for group, kind in ((kb, "article"), (scripts, "script")):
        _register_versions(group, kind)
        _register_usage(group, kind)

    @kb.command("gaps")
    @_as_json
    @click.option(
        "--days", default=30, show_default=True, type=click.IntRange(1, 366), help="How far back."
    )
    @click.pass_obj
    def kb_gaps(context: Context, as_json: bool, days: int) -> None:
        """Searches during contacts after which no article was opened, grouped by their words,
        most frequent first: what the knowledge base lacks."""
        _gaps(context, as_json, days)


def _register_versions(group: click.Group, kind: str) -> None:
    things = "articles" if kind == "article" else "scripts"

    @group.command("history", help=f"The versions of one of the {things}, newest first.")
    @click.argument("item_id", metavar="ID")
    @_as_json
    @click.pass_obj
    def history(context: Context, item_id: str, as_json: bool) -> None:
        _history(context, kind, item_id, as_json)

    @group.command(
        "approve",
        help=f"Approve a version of one of the {things} (the newest by default): operators"
        " get it from --from (now by default). " + _OPERATOR_HELP,
    )
    @click.argument("item_id", metavar="ID")
    @click.option("--version", type=click.IntRange(1), help="The version to approve.")
    @click.option(
        "--from", "since", metavar="TIME", help="In force from (18:40 or 2026-12-01T00:00)."
    )
    @click.pass_obj
    def approve(context: Context, item_id: str, version: int | None, since: str | None) -> None:
        _approve(context, kind, item_id, version, since)

    @group.command("retire", help=f"Take one of the {things} away from operators.")
    @click.argument("item_id", metavar="ID")
    @click.pass_obj
    def retire(context: Context, item_id: str) -> None:
        _retire(context, kind, item_id)

    @group.command("diff", help="Word by word, what changed from version V1 to V2.")
    @click.argument("item_id", metavar="ID")
    @click.argument("first", metavar="V1", type=click.IntRange(1))
    @click.argument("second", metavar="V2", type=click.IntRange(1))
    @click.pass_obj
    def diff(context: Context, item_id: str, first: int, second: int) -> None:
        _diff(context, kind, item_id, first, second)


def _register_usage(group: click.Group, kind: str) -> None:
    @group.command(
        "usage",
        help="Times each was shown, said, copied or opened in the last 7 and 30 days,"
        " and those never used.",
    )
    @_as_json
    @click.pass_obj
    def usage(context: Context, as_json: bool) -> None:
        _usage(context, kind, as_json)
