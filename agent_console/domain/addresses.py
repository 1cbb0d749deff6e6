"""A customer's contact addresses in one writing each, so that a caller is recognised however
the telephony bridge, the mail gateway or the billing export wrote them. Pure.

- Phones: only the digits count. A Russian number is its last ten digits, whether written
  `+7 952 915-41-90`, `8 (952) 915 41 90`, `89529154190` or `9529154190`; an international
  number dialled with `00` or `810` loses that prefix; any other number keeps all its digits
  (`+44 20 7946 0958` is `442079460958`). An extension (`ext. 12`, `доб. 12`) is not part of it.
- E-mail addresses: case does not matter (`Ivan@Mail.RU` is `ivan@mail.ru`).
- Social handles: case, a leading `@`, and `https://`, `www.` do not matter
  (`https://vk.com/Ivanov` is `vk.com/ivanov`; `@Ivanov` is `ivanov`).
"""

from __future__ import annotations

import re
from typing import Final, Literal

Kind = Literal["phone", "email", "handle"]
PHONE: Final = "phone"
EMAIL: Final = "email"
HANDLE: Final = "handle"

# A phone number has at least this many digits (short service numbers are not callers' phones).
MIN_PHONE_DIGITS = 5
MAX_PHONE_DIGITS = 15  # E.164
_EXTENSION = re.compile(r"(?i)(ext\.?|x|доб\.?|#).*$")
_PHONE_CHARACTERS = re.compile(r"[0-9 \t()+\-./]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# What is left of a phone number's writing once only its digits count (the characters
# _PHONE_CHARACTERS allows besides digits; str.translate is the fastest way to drop them).
_ONLY_DIGITS = str.maketrans("", "", " \t\n\r\f\v()+-./")


def phone_key(text: str) -> str | None:
    """The number's one writing (see the module), or None when `text` is not a phone number."""
    number = text.strip()
    if not _PHONE_CHARACTERS.fullmatch(number):
        number = _EXTENSION.sub("", number).strip()
        if not number or not _PHONE_CHARACTERS.fullmatch(number):
            return None
    digits = number.translate(_ONLY_DIGITS)
    if digits.startswith("810") and len(digits) > 11:  # Russian international prefix
        digits = digits[3:]
    elif digits.startswith("00"):
        digits = digits[2:]
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        return None
    return digits


def email_key(text: str) -> str | None:
    """The address in lower case, or None when `text` is not an e-mail address."""
    address = text.strip()
    if address.lower().startswith("mailto:"):
        address = address[7:]
    return address.casefold() if _EMAIL.fullmatch(address) else None


def handle_key(text: str) -> str | None:
    """A social handle's one writing, or None when nothing is left of it."""
    handle = text.strip().casefold()
    for prefix in ("https://", "http://", "www.", "@"):
        if handle.startswith(prefix):
            handle = handle[len(prefix) :]
    handle = handle.rstrip("/")
    return handle or None


def address_keys(channel: str, address: str) -> list[tuple[Kind, str]]:
    """What a contact's `from` may be looked up as: a phone for a call, an e-mail address for an
    e-mail; a chat's or a social message's `from` as each of phone, e-mail address and handle
    that it can be read as (a social network's numeric id could be a handle or a phone). Empty
    when nothing can be looked up."""
    text = address.strip()
    keys: list[tuple[Kind, str]] = []
    phone = phone_key(text) if channel != "email" else None
    if phone is not None:
        keys.append((PHONE, phone))
    email = email_key(text) if channel != "phone" else None
    if email is not None:
        keys.append((EMAIL, email))
    if channel in ("social", "chat") and email is None:
        handle = handle_key(text)
        if handle is not None:
            keys.append((HANDLE, handle))
    return keys


def fold(text: str) -> str:
    """Text as a search compares it: case folded in any script, ё read as е."""
    return text.casefold().replace("ё", "е")
