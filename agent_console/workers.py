"""The one policy for work done off the UI thread.

Every IO worker of the console is declared with `io_work`: a thread worker that does not close
the app when it fails (Textual's default does, mid-call) and tells the app what failed with a
`WorkFailed` message. (Textual's own `Worker.StateChanged` does not bubble, so the app would
not hear of a screen's or a widget's worker.) The app's one handler turns it into a notice
through `failure_notice`; the screen stays as it was, so nothing typed is lost and the
operator can try again.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from textual import work
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.worker import Worker

from agent_console.domain import Refusal
from agent_console.i18n import N_, _
from agent_console.store.maintenance import failure_kind

log = logging.getLogger("agent_console")

Node = TypeVar("Node", bound=DOMNode)
Params = ParamSpec("Params")
Result = TypeVar("Result")


class WorkFailed(Message):
    """A worker of the console failed with `error` (posted to the app); `background`: work the
    console does by itself (a poll, the heartbeat, a draft), not an action the operator asked
    for."""

    def __init__(self, error: Exception, *, background: bool = False) -> None:
        super().__init__()
        self.error = error
        self.background = background


def io_work(
    *, group: str = "default", exclusive: bool = False, background: bool = False
) -> Callable[
    [Callable[Concatenate[Node, Params], Result]],
    Callable[Concatenate[Node, Params], Worker[Result]],
]:
    """`@work` for IO: in a thread, and a failure is a notice, never an exit. The decorated
    method returns its `Worker`, as with `@work`. `background`: work the console does by
    itself, which a lost database server does not turn into a notice each time it fails (the
    banner says it once; see app_server_link.py)."""

    def decorate(
        method: Callable[Concatenate[Node, Params], Result],
    ) -> Callable[Concatenate[Node, Params], Worker[Result]]:
        @functools.wraps(method)
        def reporting(node: Node, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
            try:
                return method(node, *args, **kwargs)
            except Exception as error:
                node.app.post_message(WorkFailed(error, background=background))
                raise  # the worker ends in the ERROR state, as it should

        return work(reporting, thread=True, exclusive=exclusive, group=group, exit_on_error=False)

    return decorate


@dataclass(frozen=True, slots=True)
class FailureNotice:
    title: str
    message: str
    severity: SeverityLevel  # "warning": the console said no; "error": something failed


# What the operator is told when the database fails them, by the kind of failure; what they
# typed stays in front of them (nothing was saved, nothing else changed).
DATABASE_FAILURES = {
    "damaged": N_(
        "The database file is damaged, so this was not done. Tell your supervisor: the "
        "database must be restored from a backup (agent-console db check says more)."
    ),
    "locked": N_(
        "The database is locked by another program, so this was not saved. "
        "Nothing was changed; try again in a moment."
    ),
    "full": N_(
        "The disk is full, so this was not saved. Nothing was changed and what you typed "
        "is still here; tell your supervisor, then try again."
    ),
    "folder read-only": N_(
        "The database's folder is read-only for this console, so this was not "
        "saved. What you typed is still here; tell your supervisor."
    ),
    "read-only": N_(
        "The database is read-only for this console, so this was not saved. What you "
        "typed is still here; tell your supervisor."
    ),
    "unreachable": N_(
        "The database server cannot be reached, so this may not have been done. What you "
        "typed is still here; the console keeps trying, and once the server is back it shows "
        "what was done: then try again if it was not."
    ),
}


def failure_notice(error: BaseException | None, db: Path | str | None = None) -> FailureNotice:
    """What to tell the operator about a worker that failed with `error` (`db`: the database
    file, to tell a full disk from another I/O error)."""
    if isinstance(error, Refusal):  # not a failure: the console said no, and says why
        return FailureNotice("", str(error), "warning")
    if isinstance(error, sqlite3.Error):
        kind = failure_kind(error, db)
        if kind == "other":
            return FailureNotice(
                _("Database"),
                _("The database did not take it ({error}). Nothing was changed; try again.").format(
                    error=error
                ),
                "error",
            )
        return FailureNotice(_("Database"), _(DATABASE_FAILURES[kind]), "error")
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return FailureNotice(
            _("File"),
            _("Could not use the file{where}: {reason}.").format(
                where=where, reason=error.strerror or error
            ),
            "error",
        )
    log.error("worker failed", exc_info=error)
    return FailureNotice(
        _("Error"),
        _("Something went wrong ({kind}: {error}). The console goes on; try again.").format(
            kind=type(error).__name__, error=error
        ),
        "error",
    )
