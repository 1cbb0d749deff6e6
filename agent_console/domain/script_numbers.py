"""Which digit uses which suggested script: numbers that keep their meaning.

The operator reads "6 Router — restart", says it, presses 6, and may already be reaching for
9. The suggestions change after every use, so a number that were a position in the list would
mean another script by the time 9 is pressed. Instead a number belongs to a script for as long
as the script is suggested; a new suggestion takes a number nobody has had on this contact, and
only when all nine have been given does it take back the one freed longest ago — so even a
double press does not land on a script that has just appeared. Pure: the script panel keeps
the `Numbering` and asks for the next one whenever its suggestions change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DIGITS = tuple(range(1, 10))


@dataclass(frozen=True, slots=True)
class Numbering:
    numbers: Mapping[str, int] = field(default_factory=dict)
    """Script id → its digit, for the scripts suggested now."""
    freed: tuple[int, ...] = ()
    """Digits given back on this contact, the one freed longest ago first."""

    def next(self, suggested: Sequence[str]) -> Numbering:
        """The numbering once `suggested` (script ids, in the order listed) is shown."""
        wanted = set(suggested)
        kept = {sid: n for sid, n in self.numbers.items() if sid in wanted}
        freed = [*self.freed, *(n for sid, n in self.numbers.items() if sid not in wanted)]
        held = set(kept.values())
        never_given = [n for n in DIGITS if n not in held and n not in freed]
        available = never_given + freed
        for script_id in dict.fromkeys(suggested):
            if script_id not in kept and available:
                kept[script_id] = available.pop(0)
        given = set(kept.values())
        return Numbering(kept, tuple(n for n in freed if n not in given))

    def script_for(self, number: int) -> str | None:
        return next((sid for sid, n in self.numbers.items() if n == number), None)
