"""Operators, customers, and a customer's history of earlier contacts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from agent_console.clock import from_text
from agent_console.domain import Customer, HistoryEntry, Operator

if TYPE_CHECKING:
    import sqlite3

    from agent_console.store.store import Store

OPERATOR_COLUMNS = "login, name, role, language, name_ru"
CUSTOMER_COLUMNS = (
    "contract, name, city, address, phone, email, services, tariff, since, language, district"
)


class PeopleRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def upsert_operators(self, operators: Iterable[Operator]) -> None:
        with self._store.transaction():
            self._store.db.table("operators").upsert_all(
                [
                    {
                        "login": o.login,
                        "name": o.name,
                        "role": o.role,
                        "language": o.language,
                        "name_ru": o.name_ru,
                    }
                    for o in operators
                ],
                pk="login",
            )

    def operator(self, login: str) -> Operator | None:
        row = self._store.query(
            f"SELECT {OPERATOR_COLUMNS} FROM operators WHERE login = ?", (login,)
        ).fetchone()
        return operator_from_row(row) if row else None

    def operators(self, role: str | None = None) -> list[Operator]:
        sql = f"SELECT {OPERATOR_COLUMNS} FROM operators"
        params: tuple[Any, ...] = ()
        if role:
            sql += " WHERE role = ?"
            params = (role,)
        return [operator_from_row(r) for r in self._store.query(sql + " ORDER BY login", params)]

    def upsert_customers(self, customers: Iterable[Customer]) -> None:
        with self._store.transaction():
            self._store.db.table("customers").upsert_all(
                [
                    {
                        "contract": c.contract,
                        "name": c.name,
                        "city": c.city,
                        "address": c.address,
                        "phone": c.phone,
                        "email": c.email,
                        "services": json.dumps(list(c.services), ensure_ascii=False),
                        "tariff": c.tariff,
                        "since": c.since,
                        "language": c.language,
                        "district": c.district,
                    }
                    for c in customers
                ],
                pk="contract",
            )

    def customer(self, contract: str) -> Customer | None:
        row = self._store.query(
            f"SELECT {CUSTOMER_COLUMNS} FROM customers WHERE contract = ?", (contract,)
        ).fetchone()
        return customer_from_row(row) if row else None

    def customer_contracts(self) -> list[str]:
        return [r[0] for r in self._store.conn.execute("SELECT contract FROM customers")]

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


def operator_from_row(row: sqlite3.Row) -> Operator:
    return Operator(
        login=row["login"],
        name=row["name"],
        role=row["role"],
        language=row["language"],
        name_ru=row["name_ru"],
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
