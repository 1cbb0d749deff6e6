"""Plain records passed between the store, the search and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Refusal(Exception):
    """The console says no to what was asked (it does not fit the state, or there is nothing to
    do it on); the message is for the person at the keyboard, not a bug."""


@dataclass(frozen=True, slots=True)
class Operator:
    login: str
    name: str
    role: str = "operator"
    language: str = "en"
    # The name as Russian-speaking customers hear it ("меня зовут Анна"); None: the same name.
    name_ru: str | None = None
    # A disabled operator keeps their history but cannot open the console.
    active: bool = True

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    def name_in(self, language: str) -> str:
        return self.name_ru if language == "ru" and self.name_ru else self.name

    def first_name_in(self, language: str) -> str:
        name = self.name_in(language)
        return name.split()[0] if name else ""


@dataclass(frozen=True, slots=True)
class Customer:
    contract: str
    name: str
    city: str = ""
    address: str = ""
    phone: str = ""
    email: str | None = None
    services: tuple[str, ...] = ()
    tariff: str | None = None
    since: str | None = None
    language: str = "ru"
    district: str = ""  # the city district, when known: outage notices may name districts
    # Every phone, the first of them also `phone` (one given either way fills the other).
    phones: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()  # social-network handles ("vk.com/ivanov", "@ivanov")
    balance: float | None = None  # the account's balance; negative: owes; None: not known
    status: str = "active"  # the account's state in billing: "active", "blocked_nonpayment"...

    def __post_init__(self) -> None:
        if self.phones and not self.phone:
            object.__setattr__(self, "phone", self.phones[0])
        elif self.phone and not self.phones:
            object.__setattr__(self, "phones", (self.phone,))

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    def to_dict(self) -> dict[str, Any]:
        """The customer as `customers find --json` prints it (and an import reads it back)."""
        return {
            "contract": self.contract,
            "name": self.name,
            "phones": list(self.phones),
            "email": self.email,
            "handles": list(self.handles),
            "city": self.city,
            "district": self.district,
            "address": self.address,
            "services": list(self.services),
            "tariff": self.tariff,
            "since": self.since,
            "language": self.language,
            "balance": self.balance,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact in the queue or in someone's hands: a call, chat, e-mail or social message."""

    id: int
    channel: str
    customer_contract: str | None
    customer_name: str
    topic: str | None
    subject: str
    priority: int
    created: datetime
    sla_due: datetime
    status: str
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    city: str = ""
    parent_id: int | None = None  # the contact it was transferred from
    # Who it came from as the channel gave it (a phone number, an e-mail address, a handle).
    from_address: str = ""
    queue: str = "front"  # the queue it waits in (codes.QUEUES)

    def to_dict(self) -> dict[str, Any]:
        """The contact as `contacts add --json` prints it; times in ISO 8601 (UTC)."""
        return {
            "id": self.id,
            "channel": self.channel,
            "from": self.from_address,
            "contract": self.customer_contract,
            "customer_name": self.customer_name,
            "topic": self.topic,
            "subject": self.subject,
            "priority": self.priority,
            "queue": self.queue,
            "created": self.created.isoformat(),
            "sla_due": self.sla_due.isoformat(),
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One earlier contact of a customer, as the card lists it."""

    contact_id: int
    at: datetime
    channel: str
    topic: str | None
    outcome: str | None
    operator: str | None
    notes: str
    transfer: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    session_id: str | None
    contact_id: int | None
    operator: str | None
    at: datetime
    type: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    language: str = "en"
    status: str = "approved"
    version: int = 1
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class Script:
    id: str
    title: str
    body: str
    category: str = ""
    language: str = "en"
    status: str = "approved"
    version: int = 1
    topic: str | None = None
    stage: str | None = None


@dataclass(frozen=True, slots=True)
class StreetScope:
    """A street a notice covers: the whole street, or only the listed house numbers."""

    street: str  # as written: "ul. Titova", "улица Титова"
    houses: tuple[str, ...] = ()  # empty: every house of the street


@dataclass(frozen=True, slots=True)
class Notice:
    """An outage or planned works, in force from `starts` until `ends` (open when None).

    Its scope is a city, narrowed to some districts and streets when any are given (a customer
    in one of the districts or on one of the streets is in the affected area; domain/notices.py).
    """

    id: int
    city: str
    text: str
    starts: datetime
    ends: datetime | None
    districts: tuple[str, ...] = ()
    streets: tuple[StreetScope, ...] = ()
    text_ru: str | None = None  # the same notice in Russian, when there is one

    @property
    def region(self) -> str:
        """The city: what a notice's place was before notices had a scope."""
        return self.city

    @property
    def whole_city(self) -> bool:
        return not self.districts and not self.streets

    def text_in(self, language: str) -> str:
        """The text in the content language, the English one when there is no other."""
        return self.text_ru if language == "ru" and self.text_ru else self.text

    def to_dict(self) -> dict[str, Any]:
        """The notice as `notices list --json` prints it: times in ISO 8601 (UTC), streets as
        `notices add --street` takes them ("ul. Titova 7, 9")."""
        return {
            "id": self.id,
            "city": self.city,
            "districts": list(self.districts),
            "streets": [
                f"{s.street} {', '.join(s.houses)}" if s.houses else s.street for s in self.streets
            ],
            "text": self.text,
            "text_ru": self.text_ru,
            "starts": self.starts.isoformat(),
            "ends": self.ends.isoformat() if self.ends else None,
        }


@dataclass(frozen=True, slots=True)
class WrapUp:
    """A saved wrap-up: how a contact ended, as the operator recorded it (store/wrapups.py)."""

    contact_id: int
    operator: str
    outcome: str
    topic: str | None = None
    notes: str = ""
    transfer_target: str | None = None
    transfer_reason: str | None = None
    promotion: str | None = None
    promotion_reason: str | None = None
    callback_at: str | datetime | None = None
    talk_s: int | None = None
    hold_s: int | None = None
    acw_s: int | None = None
    # Set only when the operator corrected the talk time: what the event log gave, and why.
    talk_s_logged: int | None = None
    talk_correction_reason: str | None = None


@dataclass(frozen=True, slots=True)
class OperatorFigures:
    """An operator's saved wrap-ups over a stretch of time: what their pay is measured on."""

    contacts: int = 0
    talk_s_avg: float = 0.0
    handle_s_avg: float = 0.0
