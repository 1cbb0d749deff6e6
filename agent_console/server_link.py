"""Whether the database server answers, as the console tells the operator: lost, when the next
try is, back. No IO and no UI: the app feeds it what its workers found (app_server_link.py) and
shows what `view` gives (widgets/server_banner.py).

Only what the console does by itself is tried again (reading the queue and the state, the
heartbeat, the wrap-up's draft): an operator's action whose answer was lost may have been
applied, so it is never repeated blindly. The operator presses the key again once the server is
back, and the desk, which checks every action against the log, refuses what was already done.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from agent_console.store.backoff import Backoff


@dataclass(frozen=True, slots=True)
class LinkView:
    """What the banner says: nothing (`lost` and `back` both false), lost (and in how many
    seconds the next try is; 0: trying now), or back."""

    lost: bool = False
    retry_in_s: int = 0
    back: bool = False


class ServerLink:
    def __init__(
        self, backoff: Backoff | None = None, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        """`monotonic`: the clock that paces the tries (seconds, only ever going forward)."""
        self._backoff = backoff or Backoff()
        self._monotonic = monotonic
        self.is_lost = False
        self.trying = False
        self.next_try_at = 0.0

    def lost(self) -> bool:
        """Something found the server gone; True when that is news (it answered until now).
        A loss heard again while already lost changes nothing: the schedule goes on."""
        if self.is_lost:
            return False
        self.is_lost = True
        self._backoff.reset()
        self._schedule()
        return True

    def due(self) -> bool:
        """Time to try the server again (and no try under way)."""
        return self.is_lost and not self.trying and self._monotonic() >= self.next_try_at

    def trying_now(self) -> None:
        self.trying = True

    def try_failed(self) -> None:
        """The server did not answer the try: the next one after a longer pause."""
        self.trying = False
        if self.is_lost:
            self._schedule()

    def answered(self) -> bool:
        """The server answered; True when it was lost until now (it is back)."""
        was_lost = self.is_lost
        self.is_lost = self.trying = False
        self._backoff.reset()
        return was_lost

    def view(self, *, back: bool = False) -> LinkView:
        if not self.is_lost:
            return LinkView(back=back)
        wait = 0 if self.trying else max(0, math.ceil(self.next_try_at - self._monotonic()))
        return LinkView(lost=True, retry_in_s=wait)

    def _schedule(self) -> None:
        self.next_try_at = self._monotonic() + self._backoff.next()
