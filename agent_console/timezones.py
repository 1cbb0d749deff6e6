"""The operator's time zone. The store and the clock keep UTC; what an operator types or reads
as a wall-clock time (a callback) is in their zone: the `timezone` setting, an IANA name such as
"Europe/Moscow", or the system's own zone when it is not set.

The zone data comes from the system (/usr/share/zoneinfo) or, where the system has none, from the
`tzdata` package, which is a dependency for that reason.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from agent_console.clock import ensure_utc, from_text, to_text

LOCAL_FORMAT = "%Y-%m-%d %H:%M"


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name`; ValueError when there is no such zone."""
    if not isinstance(name, str) or not name or name != name.strip():
        raise ValueError(f"no time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError) as error:  # not found, not a key, a folder
        raise ValueError(f"no time zone {name!r}") from error


def system_zone_name() -> str | None:
    """The IANA name of the system's zone: TZ, else where /etc/localtime points, else
    /etc/timezone; None when none of them names a zone."""
    candidates = []
    tz = os.environ.get("TZ", "").removeprefix(":")
    if tz:
        candidates.append(tz.partition("/zoneinfo/")[2] if "/zoneinfo/" in tz else tz)
    else:
        try:
            target = os.path.realpath("/etc/localtime")
            if "/zoneinfo/" in target:
                candidates.append(target.partition("/zoneinfo/")[2])
        except OSError:
            pass
        try:
            candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
        except OSError:
            pass
    for name in candidates:
        try:
            zone_named(name)
        except ValueError:
            continue
        return name
    return None


def system_zone() -> tzinfo:
    """The system's zone: by its IANA name when that is known, else the offset in force now."""
    name = system_zone_name()
    if name is not None:
        return zone_named(name)
    # Only the offset is read here (a TZ such as "MSK-3" that names no zone): not the time.
    # astimezone() always gives an aware time; typeshed types .tzinfo as tzinfo | None.
    return datetime.now().astimezone().tzinfo  # type: ignore[return-value]


def zone_for(name: str | None) -> tzinfo:
    """The configured zone, or the system's when none is configured."""
    return system_zone() if name is None else zone_named(name)


def zone_label(zone: tzinfo) -> str:
    """How the form names the zone: "Europe/Moscow"; an unnamed zone by its abbreviation."""
    key = getattr(zone, "key", None)
    return key or zone.tzname(None) or "local time"


def typed_local(text: str | None, zone: tzinfo) -> str | None:
    """A date and time the operator typed in their zone ("2026-12-07 10:00"), as the store's UTC
    text; a time typed with an offset keeps it. Text that is not a date and time yet comes back
    as typed (the form's validation names the problem); None when nothing is typed."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    return to_text(at if at.tzinfo else at.replace(tzinfo=zone))


def local_text(value: str | datetime | None, zone: tzinfo) -> str:
    """A kept time (the store's UTC text, ISO text or a datetime; UTC when it has no zone) as the
    operator reads and types it in their zone; text that is not a time is shown as it is."""
    if value is None or value == "":
        return ""
    try:
        at = value if isinstance(value, datetime) else from_text(str(value).strip())
    except ValueError:
        return str(value)
    return ensure_utc(at).astimezone(zone).strftime(LOCAL_FORMAT)
