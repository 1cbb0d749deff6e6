"""Operators, customers, and a customer's history of earlier contacts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from agent_console.clock import from_text
from agent_console.domain import Customer, HistoryEntry, Operator

if TYPE_CHECKING:
    from agent_console.store.store import Store

# In the order of Operator's fields.
OPERATOR_COLUMNS = "login, name, role, language, name_ru"


class PeopleRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def upsert_operators(self, operators: Iterable[Operator]) -> None:
        with self._store.transaction():
            self._store.db["operators"].upsert_all(
                [
                    {"login": o.login, "name": o.name, "role": o.role, "language": o.language,
                     "name_ru": o.name_ru}
                    for o in operators
                ],
                pk="login",
            )

    def operator(self, login: str) -> Operator | None:
        row = self._store.conn.execute(
            f"SELECT {OPERATOR_COLUMNS} FROM operators WHERE login = ?", (login,)
        ).fetchone()
        return Operator(*row) if row else None

    def operators(self, role: str | None = None) -> list[Operator]:
        sql = f"SELECT {OPERATOR_COLUMNS} FROM operators"
        params: tuple = ()
        if role:
            sql += " WHERE role = ?"
            params = (role,)
        return [Operator(*r) for r in self._store.conn.execute(sql + " ORDER BY login", params)]

    def upsert_customers(self, customers: Iterable[Customer]) -> None:
        with self._store.transaction():
            self._store.db["customers"].upsert_all(
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
        row = self._store.conn.execute(
            "SELECT contract, name, city, address, phone, email, services, tariff, since, language,"
            " district FROM customers WHERE contract = ?",
            (contract,),
        ).fetchone()
        if row is None:
            return None
        return Customer(
            contract=row[0],
            name=row[1],
            city=row[2],
            address=row[3],
            phone=row[4],
            email=row[5],
            services=tuple(json.loads(row[6] or "[]")),
            tariff=row[7],
            since=row[8],
            language=row[9],
            district=row[10],
        )

    def customer_contracts(self) -> list[str]:
        return [r[0] for r in self._store.conn.execute("SELECT contract FROM customers")]

    def history(self, contract: str, *, exclude_contact: int | None = None) -> list[HistoryEntry]:
        """Earlier contacts of a customer, newest first, with their wrap-up."""
        rows = self._store.conn.execute(
            "SELECT c.id, c.created, c.channel, coalesce(w.topic, c.topic), w.outcome,"
            " c.claimed_by, coalesce(w.notes, ''), w.transfer_target"
            " FROM contacts c LEFT JOIN wrapups w ON w.contact_id = c.id AND w.state = 'saved'"
            " WHERE c.customer_contract = ? AND c.status = 'closed' AND c.id IS NOT ?"
            " ORDER BY c.created DESC, c.id DESC",
            (contract, exclude_contact),
        ).fetchall()
        return [
            HistoryEntry(
                contact_id=r[0],
                at=from_text(r[1]),
                channel=r[2],
                topic=r[3],
                outcome=r[4],
                operator=r[5],
                notes=r[6],
                transfer=r[7],
            )
            for r in rows
        ]
