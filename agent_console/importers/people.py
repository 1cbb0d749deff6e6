"""Reading the call center's people and contacts from files: operators and customers from CSV
(a header row) or JSON Lines, contacts from JSON Lines. Every problem names its file, line and
field (`records.Problem`); files are read as a stream, a line at a time, so a billing export of a
million customers never sits in memory.

In CSV a list (`phones`, `services`, `handles`) is one cell, its items separated by `;`
(`+7 952 915-41-90;+7 383 210-00-00`): a comma is the usual column separator, and a list cell is
quoted by any spreadsheet anyway. A file whose header holds `;` and no `,` is read with `;` between
columns (what a spreadsheet set to Russian writes). Empty cells are missing fields.
"""

from __future__ import annotations

import csv
import gc
import queue
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from agent_console.collector import collector_paused
from agent_console.domain import CHANNELS, ROLES, Customer, Operator
from agent_console.domain.addresses import email_key, handle_key, phone_key
from agent_console.domain.codes import LANGUAGES, QUEUES
from agent_console.importers.parts import (
    exit_with_parent,
    start_method,
    worth_parallel,
)
from agent_console.importers.records import MAX_PROBLEMS, ImportFailed, Problem, Record, parse_line
from agent_console.store import Store
from agent_console.store.people import BATCH, customer_rows

OPERATOR_FIELDS: tuple[str, ...] = ("login", "name", "name_ru", "role", "language", "active")
CUSTOMER_FIELDS: tuple[str, ...] = (
    "contract",
    "name",
    "phones",
    "phone",
    "email",
    "handles",
    "city",
    "district",
    "address",
    "services",
    "tariff",
    "since",
    "language",
    "balance",
    "status",
)
CONTACT_FIELDS: tuple[str, ...] = (
    "channel",
    "from",
    "contract",
    "topic",
    "subject",
    "priority",
    "queue",
)
_KNOWN = {
    fields: frozenset(fields) for fields in (OPERATOR_FIELDS, CUSTOMER_FIELDS, CONTACT_FIELDS)
}
LIST_SEPARATOR = ";"
LIST_FIELDS = frozenset({"phones", "services", "handles"})

# A login is one word: letters, digits and . _ - @ (it is typed at the command line).
LOGIN = re.compile(r"[\w.@-]+")
# A billing status is a code: "active", "blocked_nonpayment".
STATUS = re.compile(r"[a-z][a-z0-9_]*")
_TRUE = frozenset({"true", "yes", "1", "y"})
_FALSE = frozenset({"false", "no", "0", "n"})


# --- one record each ---------------------------------------------------------------------------


def operator_from(record: Record) -> Operator:
    _known_fields(record, OPERATOR_FIELDS)
    login = record.text("login", required=True).strip()
    if login and not LOGIN.fullmatch(login):
        record.problem(
            "login", f"must be one word of letters, digits, '.', '_', '-', not {login!r}"
        )
    return Operator(
        login=login,
        name=record.text("name", required=True).strip(),
        role=record.choice("role", ROLES, "operator"),
        language=record.choice("language", LANGUAGES, "en"),
        name_ru=(record.optional_text("name_ru") or "").strip() or None,
        active=flag(record, "active", True),
    )


def customer_from(record: Record) -> Customer:
    """A customer from its record. The fields are read without Record's helpers when they are
    strings, as they nearly always are (and always in CSV): a million customers are read in a
    billing export, and each helper call costs more than the read."""
    _known_fields(record, CUSTOMER_FIELDS)
    data = record.data
    phones = text_list(record, "phones")
    single = _text(record, "phone")
    if single:
        phones = (single, *(p for p in phones if p != single))
    for phone in phones:
        if phone_key(phone) is None:
            field = "phone" if phone == single else "phones"
            record.problem(field, f"{phone!r} is not a phone number")
    email = _text(record, "email")
    if email and email_key(email) is None:
        record.problem("email", f"{email!r} is not an e-mail address")
    handles = text_list(record, "handles") if "handles" in data else ()
    for handle in handles:
        if handle_key(handle) is None:
            record.problem("handles", f"{handle!r} is not a handle")
    since = _text(record, "since")
    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            record.problem("since", f"must be a date such as 2019-03-14, not {since!r}")
    status = _text(record, "status") or "active"
    if not STATUS.fullmatch(status):
        record.problem(
            "status", f"must be a code such as active or blocked_nonpayment, not {status!r}"
        )
    language = _text(record, "language") or "ru"
    if language not in LANGUAGES:
        record.problem("language", f"must be one of {', '.join(LANGUAGES)}, not {language!r}")
    contract = _text(record, "contract")
    if not contract:
        record.problem("contract", "is missing" if "contract" not in data else "is empty")
    name = _text(record, "name")
    if not name:
        record.problem("name", "is missing" if "name" not in data else "is empty")
    return Customer(
        contract=contract or "",
        name=name or "",
        city=_text(record, "city") or "",
        address=_text(record, "address") or "",
        email=email or None,
        services=text_list(record, "services") if "services" in data else (),
        tariff=_text(record, "tariff") or None,
        since=since or None,
        language=language,
        district=_text(record, "district") or "",
        phones=phones,
        handles=handles,
        balance=number(record, "balance"),
        status=status,
    )


def _text(record: Record, field: str) -> str | None:
    """A string field stripped (None when missing); a problem when it is not a string."""
    value = record.data.get(field)
    if value is None:
        return None
    if type(value) is str:
        return value.strip()
    return record.optional_text(field)  # names the problem


def _known_fields(record: Record, known: tuple[str, ...]) -> None:
    if _KNOWN[known].issuperset(record.data):
        return
    for name in record.data:
        if name not in known:
            record.problem(name, f"is not a field the console knows (known: {', '.join(known)})")


def flag(record: Record, field: str, default: bool) -> bool:
    value = record.data.get(field)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    record.problem(field, f"must be true or false, not {value!r}")
    return default


def number(record: Record, field: str) -> float | None:
    value = record.data.get(field)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ".").replace(" ", ""))
        except ValueError:
            pass
    record.problem(field, f"must be a number, not {value!r}")
    return None


def text_list(record: Record, field: str) -> tuple[str, ...]:
    """A list of strings; in CSV (or written as a string) its items separated by `;`."""
    value = record.data.get(field)
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(LIST_SEPARATOR) if item.strip())
    return tuple(item.strip() for item in record.string_list(field) if item.strip())


@dataclass(frozen=True, slots=True)
class ContactEntry:
    """A contact arriving from outside (a telephony bridge, a mail gateway), checked."""

    channel: str
    from_address: str
    contract: str | None = None
    topic: str | None = None
    subject: str = ""
    priority: int = 3
    queue: str = "front"


def contact_from(record: Record) -> ContactEntry:
    _known_fields(record, CONTACT_FIELDS)
    channel = record.text("channel", required=True)
    if channel and channel not in CHANNELS:
        record.problem("channel", f"must be one of {', '.join(CHANNELS)}, not {channel!r}")
    priority = record.integer("priority", 3)
    if not 1 <= priority <= 4:
        record.problem("priority", f"must be 1 (urgent) to 4 (low), not {priority}")
    return ContactEntry(
        channel=channel,
        from_address=record.text("from", required=True).strip(),
        contract=(record.optional_text("contract") or "").strip() or None,
        topic=(record.optional_text("topic") or "").strip() or None,
        subject=record.text("subject", required=False).strip(),
        priority=priority,
        queue=record.choice("queue", QUEUES, "front"),
    )


def add_contact(store: Store, entry: ContactEntry, record: Record) -> int | None:
    """Put a checked contact in its queue (the caller recognised by its `from` when it has no
    contract); None, with a problem on the record, for a contract the database does not have."""
    if entry.contract is not None and store.people.customer(entry.contract) is None:
        record.problem("contract", f"no customer has the contract {entry.contract!r}")
        return None
    return store.queue.add(
        channel=entry.channel,
        customer_contract=entry.contract,
        topic=entry.topic,
        subject=entry.subject,
        priority=entry.priority,
        queue=entry.queue,
        from_address=entry.from_address,
    )


# --- files, as a stream of records -------------------------------------------------------------


def read_records(
    path: Path, problems: list[Problem], *, allow_csv: bool = True
) -> Iterator[Record]:
    """The records of a CSV file (with a header row) or a JSON Lines file, one at a time.
    CSV when the name ends in .csv, JSON Lines when in .jsonl, .ndjson or .json; otherwise
    JSON Lines when the first thing in it is `{`. Only JSON Lines unless `allow_csv`."""
    file = str(path)
    try:
        as_csv = allow_csv and _is_csv(path)
        stream = path.open(encoding="utf-8-sig", newline="" if as_csv else "\n")
    except OSError as error:
        problems.append(Problem(file, None, None, error.strerror or str(error)))
        return
    number = 0
    with stream:
        try:
            if as_csv:
                yield from _csv_records(stream, file, problems)
                return
            for number, line in enumerate(stream, start=1):  # noqa: B007 - read after
                record = parse_line(line.rstrip("\r\n"), file, number, problems)
                if record is not None:
                    yield record
        except UnicodeDecodeError as error:
            problems.append(
                Problem(file, None, None, f"is not UTF-8 text ({error.reason}); save it as UTF-8")
            )


def _is_csv(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return True
    if suffix in (".jsonl", ".ndjson", ".json"):
        return False
    with path.open("rb") as raw:
        start = raw.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return not start.startswith(b"{")


def _csv_records(stream: Iterable[str], file: str, problems: list[Problem]) -> Iterator[Record]:
    lines = iter(stream)
    header_line = next(lines, "")
    delimiter = ";" if ";" in header_line and "," not in header_line else ","
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    header = [name.strip() for name in header]
    if not any(header):
        problems.append(Problem(file, 1, None, "has no header row (the names of the fields)"))
        return
    reader = csv.reader(lines, delimiter=delimiter)
    end = 1  # the line the previous record ended on
    for row in reader:
        start, end = end + 1, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(
                Problem(file, start, None, f"has {len(row)} cells, the header names {len(header)}")
            )
            continue
        data: dict[str, Any] = {
            name: cell for name, cell in zip(header, row, strict=False) if cell.strip()
        }
        yield Record(data, file, start, problems)


# --- imports: all or nothing -------------------------------------------------------------------


def import_operators(store: Store, path: Path) -> int:
    """Add or update the operators of a file; nothing is written when any line is wrong."""
    problems: list[Problem] = []
    operators = []
    for record in read_records(path, problems):
        before = len(problems)
        operator = operator_from(record)
        if len(problems) == before:
            operators.append(operator)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS])
    return store.people.upsert_operators(operators)


def import_customers(store: Store, paths: Iterable[Path], *, worker: bool | None = None) -> int:
    """Add or update the customers of these files, streamed, in one transaction: nothing is
    written when any line of any file is wrong (every problem up to MAX_PROBLEMS is named).

    A big import (8 MB or more) is read, checked and made into rows by a worker process on a
    spare core while this one writes (`worker`: True or False to choose); the worker is ahead
    by a few batches at most, so memory stays flat. Returns how many customers were read."""
    paths = list(paths)
    if worker is None:
        worker = worth_parallel(paths)
    # The import makes millions of short-lived objects and no cycles: the cyclic collector
    # would only walk them over and over.
    with collector_paused(), store.transaction():
        if worker:
            count, problems = _write_from_worker(store, paths)
        else:
            problems = []
            count = store.people.upsert_customers(_good_customers(paths, problems))
        if problems:
            raise ImportFailed(problems[:MAX_PROBLEMS])  # the transaction is rolled back
    return count


def _good_customers(paths: Iterable[Path], problems: list[Problem]) -> Iterator[Customer]:
    """The customers of these files while none is wrong; once one is, the rest are only read
    to name their problems too (up to MAX_PROBLEMS)."""
    for path in paths:
        for record in read_records(path, problems):
            before = len(problems)
            customer = customer_from(record)
            if len(problems) >= MAX_PROBLEMS:
                return
            if len(problems) == before and not problems:
                yield customer


# Batches the worker may be ahead of the writer: enough that neither waits for the other.
WORKER_AHEAD = 8


def _write_from_worker(store: Store, paths: list[Path]) -> tuple[int, list[Problem]]:
    context: Any = start_method()  # its Process and Queue are the context's own
    batches = context.Queue(maxsize=WORKER_AHEAD)
    reader = context.Process(
        target=_read_customers, args=([str(p) for p in paths], batches), daemon=True
    )
    reader.start()
    count = 0
    try:
        while True:
            try:
                message = batches.get(timeout=1)
            except queue.Empty:
                if not reader.is_alive():
                    raise RuntimeError("the process reading the customers stopped") from None
                continue
            if message[0] == "rows":
                store.people.write_customer_rows(message[1])
                count += message[2]
            elif message[0] == "failed":
                raise RuntimeError(f"reading the customers failed: {message[1]}")
            else:
                return count, message[1]
    finally:
        if reader.is_alive():
            reader.terminate()
        reader.join()


def _read_customers(paths: list[str], batches: Any) -> None:
    """In the worker: read, check and make rows, a batch at a time; then the problems."""
    exit_with_parent()
    gc.disable()
    try:
        problems: list[Problem] = []
        good = _good_customers([Path(p) for p in paths], problems)
        while chunk := list(islice(good, BATCH)):
            batches.put(("rows", customer_rows(chunk), len(chunk)))
        batches.put(("done", problems[:MAX_PROBLEMS]))
    except BaseException as error:  # noqa: BLE001 - the writer must hear of it, not wait
        batches.put(("failed", repr(error)))


def import_contacts(store: Store, path: Path) -> list[int]:
    """Put the contacts of a JSON Lines file in their queues, in one transaction: none of them
    when any line is wrong. Returns their ids."""
    problems: list[Problem] = []
    ids: list[int] = []
    with store.one_transaction():
        for record in read_records(path, problems, allow_csv=False):
            before = len(problems)
            entry = contact_from(record)
            if len(problems) == before and not problems:
                contact_id = add_contact(store, entry, record)
                if contact_id is not None:
                    ids.append(contact_id)
            if len(problems) >= MAX_PROBLEMS:
                break
        if problems:
            raise ImportFailed(problems[:MAX_PROBLEMS])  # the transaction is rolled back
    return ids


def stream_contacts(
    store: Store,
    lines: Iterable[str],
    *,
    added: Callable[[int, int], None],
    refused: Callable[[Problem], None],
    source: str = "<stdin>",
) -> tuple[int, int]:
    """Contacts as a bridge sends them, one JSON object a line, each line its own transaction:
    `added(line_number, id)` for each contact written, `refused(problem)` for each problem of
    a line that wrote nothing, and the stream goes on. Returns (added, lines refused)."""
    good = bad = 0
    store.write_often()
    for number, line in enumerate(lines, start=1):
        problems: list[Problem] = []
        record = parse_line(line.rstrip("\r\n"), source, number, problems)
        contact_id = None
        if record is not None:
            entry = contact_from(record)
            if not problems:
                contact_id = add_contact(store, entry, record)
        if problems:
            bad += 1
            for problem in problems:
                refused(problem)
        elif contact_id is not None:
            good += 1
            added(number, contact_id)
    return good, bad
