"""Pauses between attempts to reach a database server again: short at first (a restart takes
a moment), doubling up to a ceiling (a server down for an hour is not asked twice a second by
every console of three call centers)."""

from __future__ import annotations

# The first pause and the longest one, in seconds.
FIRST_RETRY_S = 0.5
LAST_RETRY_S = 15.0


class Backoff:
    """The pauses one after the other: `first`, doubling, never above `last`; `reset` once the
    server answers, so the next loss starts short again."""

    def __init__(self, first: float = FIRST_RETRY_S, last: float = LAST_RETRY_S) -> None:
        self.first = first
        self.last = last
        self._next = first

    def next(self) -> float:
        """The pause before the next attempt (each call: the one after)."""
        pause = self._next
        self._next = min(pause * 2, self.last)
        return pause

    def reset(self) -> None:
        self._next = self.first
