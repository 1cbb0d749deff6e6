"""Keeping card numbers out of what the store writes.

Customers read their card number aloud or paste it into a chat, and operators copy it into the
notes; the notes then live in the database, in exports and in replays. A card number is masked
before it is written, keeping the first 6 digits (the issuer) and the last 4 (what a customer
recognises), the way payment receipts show it.

What counts as a card number: 12 to 19 digits, written together or in groups separated by a
single space or dash, that pass the Luhn check. The check is what tells a card from the other
long numbers in the notes (contracts, phones, dates), which are left alone.

The mask replaces digits in place and keeps the separators: "4276 3800 1234 5679" becomes
"4276 38** **** 5679". The text keeps its shape and length, so the operator still sees where the
number was, and masked text never matches again (the run of digits is broken by the stars).
"""

from __future__ import annotations

import re

CARD_MIN_DIGITS = 12
CARD_MAX_DIGITS = 19
KEEP_FIRST = 6
KEEP_LAST = 4
MASK = "*"

# A run of digit groups joined by one space or dash; runs are found whole, then split into cards.
_RUN = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")
_GROUP = re.compile(r"\d+")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that every payment card number carries in its last digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_card_number(digits: str) -> bool:
    return (
        digits.isdigit()
        and CARD_MIN_DIGITS <= len(digits) <= CARD_MAX_DIGITS
        and luhn_valid(digits)
    )


def mask_card_numbers(text: str) -> tuple[str, int]:
    """The text with every card number masked, and how many were masked."""
    if not text:
        return text, 0
    pieces: list[str] = []
    count = 0
    last = 0
    for run in _RUN.finditer(text):
        for start, end in _cards_in_run(run):
            pieces.append(text[last:start])
            pieces.append(_mask(text[start:end]))
            last = end
            count += 1
    pieces.append(text[last:])
    return "".join(pieces), count


def _cards_in_run(run: re.Match) -> list[tuple[int, int]]:
    """Spans of card numbers in one run of digit groups.

    A run may hold more than a card: "4111 1111 1111 1111 5400224906" is a card and a contract
    typed one after the other. A card starts and ends on a group boundary; from each group the
    longest Luhn-valid stretch of whole groups wins, and the search goes on after it.
    """
    offset = run.start()
    groups = [(m.start() + offset, m.end() + offset) for m in _GROUP.finditer(run.group())]
    spans: list[tuple[int, int]] = []
    first = 0
    while first < len(groups):
        found = None
        digits = ""
        for last in range(first, len(groups)):
            start, end = groups[last]
            digits += run.string[start:end]
            if len(digits) > CARD_MAX_DIGITS:
                break
            if is_card_number(digits):
                found = last
        if found is None:
            first += 1
            continue
        spans.append((groups[first][0], groups[found][1]))
        first = found + 1
    return spans


def _mask(number: str) -> str:
    """Replace the digits between the first 6 and the last 4, leaving separators where they are."""
    total = sum(char.isdigit() for char in number)
    seen = 0
    out = []
    for char in number:
        if char.isdigit():
            seen += 1
            if KEEP_FIRST < seen <= total - KEEP_LAST:
                char = MASK
        out.append(char)
    return "".join(out)
