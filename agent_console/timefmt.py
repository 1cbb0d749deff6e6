"""How durations read on screen: short, fixed-width where it matters."""

from __future__ import annotations

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
