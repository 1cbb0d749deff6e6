"""How durations read on screen (short, fixed-width where it matters), and how a person types a
time: the command line's --from/--until and the Shift view's notice form read it the same way."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo

from agent_console.clock import ensure_utc
from agent_console.i18n import _


def duration(seconds: float) -> str:
    """Elapsed time: 0:42, 12:05, 1h 05m, 2d 03h."""
    seconds = max(0, int(seconds))
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    if seconds < 86400:
        return _("{hours}h {minutes}m").format(
            hours=seconds // 3600, minutes=f"{seconds % 3600 // 60:02d}"
        )
    return _("{days}d {hours}h").format(
        days=seconds // 86400, hours=f"{seconds % 86400 // 3600:02d}"
    )


def signed_duration(seconds: float) -> str:
    """Time left, negative once overdue: 2:31, -0:45."""
    if seconds < 0:
        return "-" + duration(-seconds)
    return duration(seconds)


def parse_time(
    text: str, now: datetime, *, after: datetime | None = None, zone: tzinfo | None = None
) -> datetime:
    """A time as a person types it: "HH:MM" today (the day after `after` when it would come
    before it), or an ISO-8601 date and time; in `zone` (the system's when None) unless a zone
    is given. UTC out; ValueError saying what was wrong."""
    local = now.astimezone(zone)
    cleaned = text.strip()
    hours_minutes = re.fullmatch(r"(\d{1,2}):(\d{2})", cleaned)
    if hours_minutes:
        hour, minute = map(int, hours_minutes.groups())
        if hour > 23 or minute > 59:
            raise ValueError(_("{text!r} is not a time of day").format(text=text))
        at = datetime.combine(local.date(), time(hour, minute), tzinfo=local.tzinfo)
        if after is not None and at <= after:
            at += timedelta(days=1)
        return ensure_utc(at)
    try:
        at = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            _("{text!r} is not a time (try 18:40 or 2026-11-23T18:40)").format(text=text)
        ) from None
    return ensure_utc(at if at.tzinfo else at.replace(tzinfo=local.tzinfo))
