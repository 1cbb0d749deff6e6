"""Redacting sessions for teaching material: no customer's personal data survives an export.

Every string of every payload goes through `Redactor.text` (snapshots, dialogue, notes, search
queries, titles alike), and so does the session id. What is replaced, with what:

- customer names: the full name of every known customer, and the first and last names alone of
  the customers the exported sessions are about -> "Customer 1", "Customer 2"... (one number per
  customer, whichever form of the name was used). First names alone are replaced only for those
  customers: the whole customer table's first names would blank out half the dialogue. Matching
  ignores case, so a customer's first name that is also an operator's is replaced too.
- e-mail addresses -> "customer1@example.invalid"...
- phone numbers, in any usual writing (+7 953 773-55-13, 8 (953) 7735513, 89537735513, known
  ones as stored) -> "+7 900 000-00-01"...; one stand-in per number, whatever its writing.
- contract numbers (known ones, and any 10-digit number) -> "0000000001"...
- addresses on the customer cards -> "Address 1"...
- card numbers: masked as the store masks them everywhere (domain/personal_data.py).

Numbers are given in order of first appearance, so one customer, phone or contract gets the same
stand-in throughout the export. All replacements are one pass of one regular expression, so a
stand-in is never taken for an original and replaced again. The operator's login is staff data,
not a customer's, and is kept: the trainer needs to know whose work it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from agent_console.domain.personal_data import mask_card_numbers

STAND_INS = {
    "name": "Customer {n}",
    "email": "customer{n}@example.invalid",
    "phone": "+7 900 {hi:03d}-{mid:02d}-{lo:02d}",
    "contract": "{n:010d}",
    "address": "Address {n}",
}

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# With a country or trunk prefix the separators may all be missing (89537735513); without one,
# a separator after the area code tells a phone from a contract number.
_PHONE = (
    r"(?<![\d+*])(?:(?:\+7|8|7)[ \-]?\(?\d{3}\)?[ \-]?|\(?\d{3}\)?[ \-])"
    r"\d{3}[ \-]?\d{2}[ \-]?\d{2}(?![\d*])"
)
_CONTRACT = r"(?<![\d*])\d{10}(?![\d*])"
# A name token worth replacing on its own: letters, maybe a hyphen or apostrophe inside.
_NAME_TOKEN = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)*$")


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _phone_key(text: str) -> str:
    # The national number: +7 953..., 8 953... and 953... are one phone.
    return _digits(text)[-10:]


class Redactor:
    def __init__(
        self, customers: Iterable[dict[str, Any]], *, present: Iterable[dict[str, Any]] = ()
    ) -> None:
        """`customers`: every card the database knows; `present`: the cards (or name and
        contract) of the customers the sessions are about, snapshots included."""
        self._known: dict[str, tuple[str, str]] = {}  # lowercased literal -> (kind, key)
        self._numbers: dict[tuple[str, str], int] = {}
        self._counts: dict[str, int] = dict.fromkeys(STAND_INS, 0)
        present = list(present)
        for card in [*present, *customers]:
            self._learn(card, tokens=False)
        for card in present:
            self._learn(card, tokens=True)
        self._phones = {key for kind, key in self._known.values() if kind == "phone"}
        literals = sorted(self._known, key=len, reverse=True)
        known = "|".join(re.escape(literal) for literal in literals) or r"(?!x)x"
        self._pattern = re.compile(
            rf"(?P<email>{_EMAIL})|(?P<phone>{_PHONE})|(?P<contract>{_CONTRACT})"
            rf"|(?<!\w)(?P<known>{known})(?!\w)",
            re.IGNORECASE,
        )

    def _learn(self, card: dict[str, Any], *, tokens: bool) -> None:
        name = (card.get("name") or "").strip()
        contract = card.get("contract")
        person = contract or name.lower()
        if not tokens:
            if name:
                self._known.setdefault(name.lower(), ("name", person))
            if contract:
                self._known.setdefault(str(contract).lower(), ("contract", _digits(str(contract))
                                                               or str(contract)))
            if card.get("phone"):
                self._known.setdefault(card["phone"].lower(), ("phone", _phone_key(card["phone"])))
            if card.get("address"):
                self._known.setdefault(card["address"].lower(), ("address", card["address"]))
            return
        for token in name.split():
            if len(token) >= 2 and _NAME_TOKEN.match(token):
                self._known.setdefault(token.lower(), ("name", person))

    # --- replacing --------------------------------------------------------------------------

    def text(self, text: str) -> str:
        masked, _ = mask_card_numbers(text)
        return self._pattern.sub(self._replace, masked)

    def value(self, value: Any) -> Any:
        """Any JSON value with every string in it redacted (keys are field names: kept)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        return value

    def line(self, line: dict[str, Any]) -> dict[str, Any]:
        """One exported event line, redacted."""
        return {
            **line,
            "session_id": self.value(line["session_id"]),
            "payload": self.value(line["payload"]),
        }

    def _replace(self, match: re.Match) -> str:
        found = match.group()
        if match.lastgroup == "email":
            return self._stand_in("email", found.lower())
        if match.lastgroup == "phone":
            return self._stand_in("phone", _phone_key(found))
        if match.lastgroup == "contract":
            # A known phone written as its bare ten digits is still that phone.
            if found in self._phones or ("phone", found) in self._numbers:
                return self._stand_in("phone", found)
            return self._stand_in("contract", found)
        # Case-insensitive matching may find a spelling whose lower case is not the literal's.
        kind, key = self._known.get(found.lower(), ("name", found.lower()))
        return self._stand_in(kind, key)

    def _stand_in(self, kind: str, key: str) -> str:
        number = self._numbers.get((kind, key))
        if number is None:
            self._counts[kind] += 1
            number = self._numbers[(kind, key)] = self._counts[kind]
        return STAND_INS[kind].format(
            n=number, hi=number // 10_000, mid=number // 100 % 100, lo=number % 100
        )
