"""Reading session files (the package docstring gives the format): all or nothing.

Every line is checked before anything is written; any problem, reported with its file, line and
field, means nothing is written. A session id already in the database is replaced when that
session was imported or shipped as a sample, and refused when it was recorded live here: an
operator's own record is never overwritten by a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from agent_console.clock import from_text
from agent_console.domain import EVENT_TYPES, Event, EventType
from agent_console.importers import MAX_PROBLEMS, ImportFailed, Problem, Record, read_jsonl
from agent_console.sessions.snapshots import notice_from
from agent_console.store import Store
from agent_console.store.sessions import SessionInfo

SPEAKERS = ("customer", "operator")
# Payload fields the replay and the practice scoring rely on, per event type.
REQUIRED_TEXT: dict[str, str] = {
    EventType.SCRIPT_SHOWN: "script_id",
    EventType.SCRIPT_COPIED: "script_id",
    EventType.SCRIPT_SAID: "script_id",
    EventType.SCRIPT_USE_UNDONE: "script_id",
    EventType.ARTICLE_OPENED: "article_id",
    EventType.WARNING_GIVEN: "kind",
    EventType.SEARCH_MADE: "query",
    EventType.DIALOGUE: "text",
}


@dataclass(slots=True)
class SessionFile:
    """One session read from a file: its header (if the file had one) and its events."""

    id: str
    file: str
    first_line: int | None
    header: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def info(self, source: str) -> SessionInfo:
        first = self.events[0] if self.events else None
        # A session has a header (which gives its start) or events, since a line made it.
        started: datetime = self.header.get("started") or self.events[0].at
        ended = self.header.get("ended") or (self.events[-1].at if self.events else None)
        return SessionInfo(
            id=self.id,
            operator=self.header.get("operator") or (first.operator if first else None),
            started=started,
            ended=ended,
            source=source,
            title=self.header.get("title", ""),
        )


@dataclass(frozen=True, slots=True)
class _Line:
    number: int | None  # as the record has it (JSON Lines: always)
    session_id: str  # the event's, which every line has
    event: Event


def read_sessions(paths: Iterable[Path]) -> list[SessionFile]:
    """Every session in the files, checked; raises ImportFailed with every problem found."""
    problems: list[Problem] = []
    sessions: dict[str, SessionFile] = {}
    for path in paths:
        lines = read_jsonl(Path(path), _event_from, problems)
        if not lines and not problems:
            problems.append(Problem(str(path), None, None, "holds no events"))
        for line in lines:
            if line is not None:
                _add(sessions, str(path), line, problems)
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS])
    return list(sessions.values())


def import_sessions(store: Store, paths: Iterable[Path], *, source: str = "imported") -> int:
    """Check the files, then write every session in one transaction; returns how many."""
    sessions = read_sessions(paths)
    problems = []
    for session in sessions:
        existing = store.sessions.get(session.id)
        if existing is not None and existing.is_live:
            problems.append(
                Problem(
                    session.file,
                    session.first_line,
                    "session_id",
                    f"session {session.id!r} was recorded live in this database and is not"
                    " overwritten; change its id in the file to import it beside the original",
                )
            )
    if problems:
        raise ImportFailed(problems)
    with store.transaction():
        for session in sessions:
            store.sessions.replace(session.info(source), session.events)
    return len(sessions)


def _add(sessions: dict[str, SessionFile], file: str, line: _Line, problems: list[Problem]) -> None:
    event = line.event
    session = sessions.get(line.session_id)
    if session is None:
        session = sessions[line.session_id] = SessionFile(line.session_id, file, line.number)
    if event.type == EventType.SESSION_STARTED:
        if session.header:
            problems.append(Problem(file, line.number, "type", "a second session_started line"))
        session.header = {
            **event.payload,
            "started": _time_or_none(event.payload, "started") or event.at,
            "ended": _time_or_none(event.payload, "ended"),
        }
        return
    if session.events and event.at < session.events[-1].at:
        problems.append(Problem(file, line.number, "at", "is earlier than the line before"))
    session.events.append(event)


def _event_from(record: Record) -> _Line | None:
    """One line as an Event, or None when the record reported a problem."""
    before = len(record.problems)
    session_id = record.text("session_id", required=True)
    operator = record.optional_text("operator")
    type_ = record.text("type", required=True)
    if type_ and type_ not in EVENT_TYPES:
        record.problem("type", f"is not an event type: {type_!r}")
    at = _time(record, "at")
    contact_id = _optional_int(record, "contact_id")
    _optional_int(record, "id")  # the id it had where it was recorded: checked, not kept
    payload = record.data.get("payload", {})
    if not isinstance(payload, dict):
        record.problem("payload", "must be a JSON object")
        payload = {}
    _check_payload(record, type_, payload)
    if len(record.problems) > before or at is None:  # no time: a problem was recorded
        return None
    return _Line(
        record.line, session_id, Event(0, session_id, contact_id, operator, at, type_, payload)
    )


def _check_payload(record: Record, type_: str, payload: dict[str, Any]) -> None:
    wanted = REQUIRED_TEXT.get(type_)
    if wanted and not isinstance(payload.get(wanted), str):
        record.problem(f"payload.{wanted}", "must be a string")
    if type_ == EventType.DIALOGUE and payload.get("speaker") not in SPEAKERS:
        record.problem("payload.speaker", f"must be one of {', '.join(SPEAKERS)}")
    if payload.get("notices") is not None:
        _check_notices(record, payload["notices"])
    if type_ == EventType.SESSION_STARTED:
        if not isinstance(payload.get("title", ""), str):
            record.problem("payload.title", "must be a string")
        for name in ("started", "ended"):
            value = payload.get(name)
            if value is not None and _parse(value) is None:
                record.problem(f"payload.{name}", "must be an ISO-8601 time")


def _check_notices(record: Record, notices: Any) -> None:
    """The notices recorded with a contact (optional: older files have none)."""
    if not isinstance(notices, list):
        record.problem("payload.notices", "must be a list of notices")
        return
    for number, notice in enumerate(notices):
        try:
            notice_from(notice)
        except ValueError as wrong:
            record.problem(f"payload.notices[{number}]", str(wrong))


def _time(record: Record, name: str) -> datetime | None:
    value = record.text(name, required=True)
    if not value:
        return None
    parsed = _parse(value)
    if parsed is None:
        record.problem(name, f"must be an ISO-8601 time with a zone, not {value!r}")
    return parsed


def _time_or_none(payload: dict[str, Any], name: str) -> datetime | None:
    value = payload.get(name)
    return _parse(value) if value is not None else None


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = from_text(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _optional_int(record: Record, name: str) -> int | None:
    value = record.data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        record.problem(name, "must be a whole number or null")
        return None
    return value
