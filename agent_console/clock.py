"""The one source of time. Nothing else in the package reads the wall clock.

Production code gets a `SystemClock`; tests and benchmarks a `FixedClock` (a replay moves a
virtual clock of its own: domain/player.py). Times are timezone-aware UTC datetimes; the store
keeps them as ISO-8601 text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to: for tests."""

    def __init__(self, at: datetime) -> None:
        self._at = ensure_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = ensure_utc(at)

    def advance(self, seconds: float) -> None:
        self._at += timedelta(seconds=seconds)


def ensure_utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at.astimezone(UTC)


def to_text(at: datetime) -> str:
    """The store's text form of a time: ISO-8601 UTC with milliseconds, sortable as text."""
    return ensure_utc(at).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
