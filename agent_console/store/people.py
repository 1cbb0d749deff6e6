"""Operators, customers, and a customer's history of earlier contacts.

Customers are written in batches with plain `executemany` (a billing export has a million of
them: sqlite-utils' upsert builds a dict per row and is several times slower), each with its
addresses in `customer_addresses`, from which a caller is recognised by one index lookup.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from agent_console.clock import from_text
from agent_console.domain import Customer, HistoryEntry, Operator
from agent_console.domain.addresses import (
    EMAIL,
    HANDLE,
    PHONE,
    Kind,
    address_keys,
    email_key,
    fold,
    handle_key,
    phone_key,
)
from agent_console.domain.codes import ROLES
from agent_console.store.connection import named_rows

if TYPE_CHECKING:
    from agent_console.store.store import Store

OPERATOR_COLUMNS = "login, name, role, language, name_ru, active"
CUSTOMER_COLUMNS = (
    "contract, name, city, address, phone, email, services, tariff, since, language, district,"
    " phones, handles, balance, status"
)
# Customers written per executemany: big enough that the statement's overhead vanishes, small
# enough that an import of a million holds only this many in memory.
BATCH = 2000
# The page cache while customers are written (SQLite's default is 2 MiB): the peak memory of an
# import of any size is about this much more than a small one's.
IMPORT_CACHE_KIB = 64 * 1024
# At most this many customers answer one lookup (a phone shared by a whole office...).
MAX_MATCHES = 50

_UPSERT_OPERATOR = (
    "INSERT INTO operators (login, name, role, language, name_ru, active)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (login) DO UPDATE SET name = excluded.name,"
    " role = excluded.role, language = excluded.language, name_ru = excluded.name_ru,"
    " active = excluded.active"
)
_CUSTOMER_FIELDS = (
    "name, city, address, phone, email, services, tariff, since, language, district,"
    " phones, handles, balance, status, folded"
)
_UPSERT_CUSTOMER = (
    f"INSERT INTO customers (contract, {_CUSTOMER_FIELDS})"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (contract) DO UPDATE SET "
    + ", ".join(f"{f} = excluded.{f}" for f in _CUSTOMER_FIELDS.split(", "))
)
_FORGET_ADDRESSES = "DELETE FROM customer_addresses WHERE contract = ?"
_ADD_ADDRESS = "INSERT OR IGNORE INTO customer_addresses (kind, value, contract) VALUES (?, ?, ?)"


class PeopleRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- operators --------------------------------------------------------------------------

    def upsert_operators(self, operators: Iterable[Operator]) -> int:
        """Add these operators, or update those whose login is known; returns how many."""
        rows = [_operator_row(o) for o in operators]
        with self._store.transaction() as conn:
            conn.executemany(_UPSERT_OPERATOR, rows)
        return len(rows)

    def add_operator(self, operator: Operator) -> bool:
        """Add a new operator; False (and nothing written) when the login is taken."""
        with self._store.transaction() as conn:
            cursor = conn.execute(
                _UPSERT_OPERATOR.split(" ON CONFLICT")[0] + " ON CONFLICT (login) DO NOTHING",
                _operator_row(operator),
            )
            return cursor.rowcount == 1

    def set_active(self, login: str, active: bool) -> bool:
        """Enable or disable an operator; False when there is no such login."""
        with self._store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE operators SET active = ? WHERE login = ?", (int(active), login)
            )
            return cursor.rowcount == 1

    def set_role(self, login: str, role: str) -> bool:
        """Give an operator another role; False when there is no such login."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
        with self._store.transaction() as conn:
            cursor = conn.execute("UPDATE operators SET role = ? WHERE login = ?", (role, login))
            return cursor.rowcount == 1

    def operator(self, login: str) -> Operator | None:
        row = self._store.query(
            f"SELECT {OPERATOR_COLUMNS} FROM operators WHERE login = ?", (login,)
        ).fetchone()
        return operator_from_row(row) if row else None

    def operators(self, role: str | None = None, *, active_only: bool = False) -> list[Operator]:
        sql = f"SELECT {OPERATOR_COLUMNS} FROM operators WHERE 1 = 1"
        params: tuple[Any, ...] = ()
        if role:
            sql += " AND role = ?"
            params = (role,)
        if active_only:
            sql += " AND active = 1"
        return [operator_from_row(r) for r in self._store.query(sql + " ORDER BY login", params)]

    # --- customers --------------------------------------------------------------------------

    def upsert_customers(self, customers: Iterable[Customer], *, batch: int = BATCH) -> int:
        """Add these customers, or update those whose contract is known (their addresses
        replaced); returns how many were written. Streamed: `customers` may be a generator of a
        million, held `batch` at a time. One transaction (the caller's, when one is open)."""
        written = 0
        with self._store.transaction():
            for chunk in _batches(customers, batch):
                self.write_customer_rows(customer_rows(chunk))
                written += len(chunk)
        return written

    def write_customer_rows(self, rows: CustomerRows) -> None:
        """Write customers made into rows by `customer_rows` (perhaps in another process:
        importers/people.py reads a big file on a spare core); joins the caller's transaction."""
        with self._store.transaction() as conn, _page_cache(conn, IMPORT_CACHE_KIB):
            conn.executemany(_UPSERT_CUSTOMER, rows.customers)
            conn.executemany(_FORGET_ADDRESSES, [(row[0],) for row in rows.customers])
            conn.executemany(_ADD_ADDRESS, rows.addresses)

    def customer(self, contract: str) -> Customer | None:
        row = self._store.query(
            f"SELECT {CUSTOMER_COLUMNS} FROM customers WHERE contract = ?", (contract,)
        ).fetchone()
        return customer_from_row(row) if row else None

    def customer_contracts(self) -> list[str]:
        return [r[0] for r in self._store.conn.execute("SELECT contract FROM customers")]

    def count_customers(self) -> int:
        return int(self._store.conn.execute("SELECT count(*) FROM customers").fetchone()[0])

    def recognise(self, channel: str, address: str) -> list[Customer]:
        """The customers a contact's `from` belongs to (domain/addresses.py says how it is
        read): one for a known caller, several for a shared phone, none for a stranger.
        Index lookups only: a few hundred microseconds with a million customers."""
        return self._by_addresses(address_keys(channel, address))

    def find_customers(self, query: str, limit: int = 20) -> list[Customer]:
        """Customers by contract (exact), phone in any writing, e-mail address or handle; else
        those whose name, address, city, district, e-mail, contract or phone digits hold
        every word of the query, in any case and script; by name."""
        text = query.strip()
        if not text:
            return []
        exact = self.customer(text)
        if exact is not None:
            return [exact]
        keys: list[tuple[Kind, str]] = []
        if (phone := phone_key(text)) is not None:
            keys.append((PHONE, phone))
        if (email := email_key(text)) is not None:
            keys.append((EMAIL, email))
        if text.startswith("@") and (handle := handle_key(text)) is not None:
            keys.append((HANDLE, handle))
        found = self._by_addresses(keys)
        if found:
            return found[:limit]
        words = fold(text).split()
        where = " AND ".join("instr(folded, ?) > 0" for _ in words)
        rows = self._store.query(
            f"SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {where} ORDER BY name, contract"
            " LIMIT ?",
            (*words, limit),
        )
        return [customer_from_row(r) for r in rows]

    def recognised_contracts(self, channel: str, address: str) -> list[str]:
        """The contracts `recognise` would give, without reading the customers: what a new
        contact needs to know whether its caller is one customer."""
        return sorted(self._contracts(address_keys(channel, address)))

    def _contracts(self, keys: Iterable[tuple[Kind, str]]) -> list[str]:
        contracts: dict[str, None] = {}
        for kind, value in keys:
            for (contract,) in self._store.conn.execute(
                "SELECT contract FROM customer_addresses WHERE kind = ? AND value = ? LIMIT ?",
                (kind, value, MAX_MATCHES),
            ):
                contracts[contract] = None
        return list(contracts)[:MAX_MATCHES]

    def _by_addresses(self, keys: Iterable[tuple[Kind, str]]) -> list[Customer]:
        found = [self.customer(contract) for contract in self._contracts(keys)]
        return sorted((c for c in found if c is not None), key=lambda c: c.contract)

    def history(self, contract: str, *, exclude_contact: int | None = None) -> list[HistoryEntry]:
        """Earlier contacts of a customer, newest first, with their wrap-up."""
        rows = self._store.query(
            "SELECT c.id AS contact_id, c.created AS at, c.channel,"
            " coalesce(w.topic, c.topic) AS topic, w.outcome, c.claimed_by AS operator,"
            " coalesce(w.notes, '') AS notes, w.transfer_target AS transfer"
            " FROM contacts c LEFT JOIN wrapups w ON w.contact_id = c.id AND w.state = 'saved'"
            " WHERE c.customer_contract = ? AND c.status = 'closed' AND c.id IS NOT ?"
            " ORDER BY c.created DESC, c.id DESC",
            (contract, exclude_contact),
        )
        return [history_from_row(row) for row in rows]


@contextmanager
def _page_cache(conn: sqlite3.Connection, kib: int) -> Iterator[None]:
    """A bigger page cache for a while: a million customers' addresses go into their index in
    no order, and each page read again from the file costs more than the row itself."""
    previous = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(previous)}")


def _batches(items: Iterable[Customer], size: int) -> Iterator[list[Customer]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _operator_row(o: Operator) -> tuple[Any, ...]:
    return (o.login, o.name, o.role, o.language, o.name_ru, int(o.active))


# What json.dumps(ensure_ascii=False) would escape in a string: without any, a list is
# written by a join, four times faster (a million customers have three lists each).
_JSON_ESCAPES = re.compile(r'["\\\x00-\x1f]')


def _json_list(values: tuple[str, ...]) -> str:
    if not values:
        return "[]"
    joined = '", "'.join(values)
    if _JSON_ESCAPES.search(joined):
        return json.dumps(list(values), ensure_ascii=False)
    return f'["{joined}"]'


@dataclass(frozen=True, slots=True)
class CustomerRows:
    """Customers as rows of `customers` and of `customer_addresses`, ready to write."""

    customers: list[tuple[Any, ...]]
    addresses: list[tuple[str, str, str]]


def customer_rows(customers: Iterable[Customer]) -> CustomerRows:
    """The rows of these customers; of a contract given twice, the last (as in a later batch).
    Pure: a worker process may make them."""
    latest = {c.contract: c for c in customers}
    rows, addresses = [], []
    for customer in latest.values():
        row, its_addresses = _customer_rows(customer)
        rows.append(row)
        addresses += its_addresses
    return CustomerRows(rows, addresses)


def _customer_rows(c: Customer) -> tuple[tuple[Any, ...], list[tuple[str, str, str]]]:
    """The customer's row of `customers` and its rows of `customer_addresses`."""
    phones = [key for key in map(phone_key, c.phones) if key]
    handles = [key for key in map(handle_key, c.handles) if key]
    email = email_key(c.email) if c.email else None
    searched = (c.contract, c.name, c.city, c.district, c.address, c.email or "", *phones)
    row = (
        c.contract,
        c.name,
        c.city,
        c.address,
        c.phone,
        c.email,
        _json_list(c.services),
        c.tariff,
        c.since,
        c.language,
        c.district,
        _json_list(c.phones),
        _json_list(c.handles),
        c.balance,
        c.status,
        fold(" | ".join((*searched, *c.handles))),
    )
    addresses = [(PHONE, key, c.contract) for key in phones]
    if email:
        addresses.append((EMAIL, email, c.contract))
    addresses += [(HANDLE, key, c.contract) for key in handles]
    return row, addresses


def folded(c: Customer) -> str:
    """What a customer search looks in (find_customers), in one case-folded text."""
    return str(_customer_rows(c)[0][-1])


def addresses_of(c: Customer) -> list[tuple[str, str, str]]:
    """The (kind, value, contract) rows a customer is recognised by."""
    return _customer_rows(c)[1]


def refresh_customer_addresses(conn: sqlite3.Connection) -> None:
    """Every customer's search text and addresses made again from its row (a migration)."""
    rows = named_rows(conn, f"SELECT {CUSTOMER_COLUMNS} FROM customers")
    customers = [customer_from_row(r) for r in rows]
    conn.executemany(
        "UPDATE customers SET folded = ? WHERE contract = ?",
        [(folded(c), c.contract) for c in customers],
    )
    conn.execute("DELETE FROM customer_addresses")
    conn.executemany(_ADD_ADDRESS, [a for c in customers for a in addresses_of(c)])


def operator_from_row(row: sqlite3.Row) -> Operator:
    return Operator(
        login=row["login"],
        name=row["name"],
        role=row["role"],
        language=row["language"],
        name_ru=row["name_ru"],
        active=bool(row["active"]),
    )


def customer_from_row(row: sqlite3.Row) -> Customer:
    return Customer(
        contract=row["contract"],
        name=row["name"],
        city=row["city"],
        address=row["address"],
        phone=row["phone"],
        email=row["email"],
        services=tuple(json.loads(row["services"] or "[]")),
        tariff=row["tariff"],
        since=row["since"],
        language=row["language"],
        district=row["district"],
        phones=tuple(json.loads(row["phones"] or "[]")),
        handles=tuple(json.loads(row["handles"] or "[]")),
        balance=row["balance"],
        status=row["status"],
    )


def history_from_row(row: sqlite3.Row) -> HistoryEntry:
    return HistoryEntry(
        contact_id=row["contact_id"],
        at=from_text(row["at"]),
        channel=row["channel"],
        topic=row["topic"],
        outcome=row["outcome"],
        operator=row["operator"],
        notes=row["notes"],
        transfer=row["transfer"],
    )
