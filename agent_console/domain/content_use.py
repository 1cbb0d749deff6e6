"""How content was used, from the event log: per item, times shown / said / copied / opened in
the last 7 and 30 days; and the gaps, searches after which no article was opened. Pure folds
over events in time order (the store reads them, `store.events.between`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from agent_console.domain.codes import EventType
from agent_console.domain.models import Event

USE_KINDS = ("shown", "said", "copied", "opened")
_USE_OF_EVENT = {
    EventType.SCRIPT_SHOWN: ("script", "shown"),
    EventType.SCRIPT_SAID: ("script", "said"),
    EventType.SCRIPT_COPIED: ("script", "copied"),
    EventType.ARTICLE_OPENED: ("article", "opened"),
}
# The event types these folds read, for the store's query.
USE_EVENT_TYPES = (*(str(t) for t in _USE_OF_EVENT), str(EventType.SCRIPT_USE_UNDONE))
GAP_EVENT_TYPES = (str(EventType.SEARCH_MADE), str(EventType.ARTICLE_OPENED))
WINDOWS = (7, 30)


@dataclass(slots=True)
class Usage:
    """One item's uses: counts by kind of use, over the last 7 and the last 30 days."""

    kind: str
    item_id: str
    last_7_days: Counter[str] = field(default_factory=Counter)
    last_30_days: Counter[str] = field(default_factory=Counter)
    last_used: datetime | None = None

    @property
    def total(self) -> int:
        return sum(self.last_30_days.values())


def usage(events: Iterable[Event], now: datetime) -> dict[tuple[str, str], Usage]:
    """Uses by (kind, id) from events of the last 30 days. A use taken back (a wrong key,
    `script_use_undone`) no longer counts."""
    found: dict[tuple[str, str], Usage] = {}
    # The last use of each script on each contact, for an undo to take back.
    last_use: dict[tuple[int | None, str], tuple[str, bool]] = {}
    week_ago = now - timedelta(days=7)
    for event in events:
        if event.type == EventType.SCRIPT_USE_UNDONE:
            key = (event.contact_id, str(event.payload.get("script_id", "")))
            taken = last_use.pop(key, None)
            if taken is not None:
                item = found[("script", key[1])]
                use, recent = taken
                item.last_30_days[use] -= 1
                if recent:
                    item.last_7_days[use] -= 1
            continue
        kind_use = _USE_OF_EVENT.get(event.type)  # type: ignore[call-overload]
        if kind_use is None:
            continue
        kind, use = kind_use
        item_id = str(event.payload.get(f"{kind}_id", ""))
        item = found.setdefault((kind, item_id), Usage(kind, item_id))
        recent = event.at >= week_ago
        item.last_30_days[use] += 1
        if recent:
            item.last_7_days[use] += 1
        item.last_used = event.at
        if kind == "script":
            last_use[(event.contact_id, item_id)] = (use, recent)
    return found


_WORDS = re.compile(r"\w+")


def gap_key(query: str) -> str:
    """Searches grouped by their words: case, order, repeats and punctuation aside."""
    return " ".join(sorted(set(_WORDS.findall(query.casefold()))))


@dataclass(slots=True)
class Gap:
    """Searches with the same words after which no article was opened on that contact."""

    words: str
    example: str  # the last query as typed
    count: int = 0
    contacts: set[int] = field(default_factory=set)
    last_seen: datetime | None = None


def gaps(events: Iterable[Event]) -> list[Gap]:
    """Searches made during contacts after which no article was opened on the same contact,
    grouped by their words; most often first. A search refined by the next one and then
    answered by an article is no gap: any article opened later on the contact answers it."""
    unanswered: dict[int, list[Event]] = {}
    for event in events:
        if event.contact_id is None:
            continue
        if event.type == EventType.SEARCH_MADE:
            if str(event.payload.get("query", "")).strip():
                unanswered.setdefault(event.contact_id, []).append(event)
        elif event.type == EventType.ARTICLE_OPENED:
            unanswered.pop(event.contact_id, None)
    found: dict[str, Gap] = {}
    for searches in unanswered.values():
        for search in searches:
            query = str(search.payload["query"]).strip()
            key = gap_key(query)
            if not key:
                continue
            gap = found.setdefault(key, Gap(key, query))
            gap.count += 1
            assert search.contact_id is not None
            gap.contacts.add(search.contact_id)
            if gap.last_seen is None or search.at >= gap.last_seen:
                gap.last_seen, gap.example = search.at, query
    return sorted(found.values(), key=lambda g: (-g.count, g.words))
