"""The shift's figures, folded from the event log alone: per operator, in total and per 30 minutes.

Pure: no SQL, no clock, no UI. `ShiftFigures` is an accumulator: feed it events in log order with
`add(event)` and read `rows()`, `total()`, `intervals()` and `contacts` at any point. The report
feeds it a range of the log once; a live view keeps one and feeds it each tick's new events, so
the two never disagree. `FIGURE_EVENT_TYPES` are the events it reads: anything else is skipped,
so a caller may select just those from the log.

The rules (issue 13):
- A contact counts in the range its wrap-up was saved in (`wrapup_saved`); the averages are over
  those contacts; times are in seconds. AHT (handle) = talk + hold + after-call work.
- The `wrapup_saved` event carries the contact's own facts (channel, created, accepted, ended,
  the times, transfer, promotion, warnings, scripts used), so a contact is one event to read.
  An older one carries the outcome and the times only: its channel and arrival come from its
  `contact_created` (when read), its transfer from `transferred`, and it was taken its talk and
  hold time before it ended, its after-call work before the wrap-up was saved.
- Service level: the share of handled contacts taken (accepted) within their channel's target
  (seconds, `targets`) after they came in. A contact whose arrival is not known is left out.
- Abandoned contacts count in the range the customer left in; they have no operator, so they are
  in the total only.
- An early end is a contact whose outcome is `ended_profanity` or `ended_repeated`: the desk
  allows those only after the matching warning.
- Approved wording: the share of contacts where a greeting and a closing script were both used
  (copied or said, less those taken back); scripts per contact counts distinct phrasings.
- Occupancy: busy time (each contact wrapped up, from taken to wrap-up saved, clipped to the
  range) over the time logged in (breaks included). Logged in: from the operator's first event
  until `state_changed` to `logged_out` (the desk writes it at log-out), clipped to the range;
  without `now`, an operator still logged in counts up to their last event. A silence longer
  than a shift (SILENCE) is not logged in: a console that ended without its log-out.
- Breaks count in the range they started in; an overrun is a break longer than its reason allows
  (`lifecycle.BREAK_REASONS`), counted when it ends, or at `now` while it runs on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from agent_console.domain.codes import CHANNELS, SLA_SECONDS, EventType
from agent_console.domain.lifecycle import (
    BREAK,
    BREAK_REASONS,
    LOGGED_OUT,
    WARNING_OUTCOMES,
    OperatorState,
    apply,
)
from agent_console.domain.models import Event

INTERVAL_S = 30 * 60
EARLY_OUTCOMES = frozenset(WARNING_OUTCOMES.values())
# How far before a range the report reads, so that an operator logged in, or on a break, when it
# begins is known (an operator with no event in that hour counts from their first event in it).
WARM_UP = timedelta(hours=1)
# Longer than a shift: an operator with no event for this long logged out without saying so (a
# console killed, or events from before the log-out event), so the gap is not time logged in.
SILENCE = timedelta(hours=6)

FIGURE_EVENT_TYPES: tuple[str, ...] = (
    EventType.CONTACT_CREATED,
    EventType.CONTACT_ABANDONED,
    EventType.TRANSFERRED,
    EventType.WRAPUP_SAVED,
    EventType.STATE_CHANGED,
)
# What a `contact_created` tells the figures: the arrivals of the intervals, and the channel and
# the arrival of a contact whose closing event (an older wrap-up, an abandonment) does not carry
# them. A caller that needs neither may leave it out: nearly half of a month's events.
WITHOUT_ARRIVALS: tuple[str, ...] = tuple(
    kind for kind in FIGURE_EVENT_TYPES if kind != EventType.CONTACT_CREATED
)
_READ = frozenset(FIGURE_EVENT_TYPES)
# The same as plain strings: a month's report compares millions of times.
_CREATED, _ABANDONED, _TRANSFERRED, _SAVED = (
    str(EventType.CONTACT_CREATED),
    str(EventType.CONTACT_ABANDONED),
    str(EventType.TRANSFERRED),
    str(EventType.WRAPUP_SAVED),
)

# The columns of a figures row, in order (`operator` is absent from the total, `abandoned` from
# an operator's row). JSON and CSV use the same names.
ROW_COLUMNS: tuple[str, ...] = (
    "operator",
    "contacts",
    *(f"contacts_{channel}" for channel in CHANNELS),
    "talk_s_avg",
    "hold_s_avg",
    "acw_s_avg",
    "handle_s_avg",
    "transfers_tech_support",
    "transfers_tech_support_share",
    "transfers_retention",
    "transfers_retention_share",
    "promotion_offered",
    "promotion_offered_share",
    "promotion_accepted",
    "promotion_accepted_share",
    "ended_early",
    "wording_share",
    "scripts_per_contact",
    "service_level",
    *(f"service_level_{channel}" for channel in CHANNELS),
    "abandoned",
    "occupancy",
    "logged_in_s",
    "busy_s",
    "breaks",
    "break_s",
    "break_overruns",
)
INTERVAL_COLUMNS: tuple[str, ...] = (
    "start",
    "end",
    "arrivals",
    "handled",
    "abandoned",
    "service_level",
    "handle_s_avg",
)


def default_targets() -> dict[str, int]:
    """Service-level targets in seconds per channel: the domain's promised answer times."""
    return dict(SLA_SECONDS)


@dataclass(slots=True)
class ContactFigures:
    """One contact as the figures see it: handled (wrap-up saved) or abandoned."""

    id: int
    channel: str
    operator: str | None
    created: datetime | None
    accepted: datetime | None
    ended: datetime | None
    wrapped_up: datetime | None
    talk_s: float = 0.0
    hold_s: float = 0.0
    acw_s: float = 0.0
    outcome: str | None = None
    transfer: str | None = None
    promotion: str | None = None  # accepted | declined | None (not offered)
    warnings: int = 0
    greeting: bool = False
    closing: bool = False
    scripts: int = 0
    abandoned: bool = False
    waited_s: float | None = None  # in the queue, until taken (or until the customer left)
    within_target: bool | None = None

    @property
    def handle_s(self) -> float:
        return self.talk_s + self.hold_s + self.acw_s

    @property
    def ended_early(self) -> bool:
        return self.outcome in EARLY_OUTCOMES

    def as_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            row[spec.name] = _iso(value) if isinstance(value, datetime) else value
        row["handle_s"] = self.handle_s
        row["ended_early"] = self.ended_early
        return row


CONTACT_COLUMNS: tuple[str, ...] = (
    *(spec.name for spec in fields(ContactFigures)),
    "handle_s",
    "ended_early",
)


@dataclass(slots=True)
class _Tally:
    """Sums over handled contacts (a row's figures before the averages)."""

    contacts: int = 0
    # defaultdicts: `+= 1` once per contact of a month, not a get and a set.
    by_channel: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    talk_s: float = 0.0
    hold_s: float = 0.0
    acw_s: float = 0.0
    tech_support: int = 0
    retention: int = 0
    offered: int = 0
    accepted: int = 0
    early: int = 0
    worded: int = 0
    scripts: int = 0
    sl_met: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    sl_seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, contact: ContactFigures) -> None:
        self.contacts += 1
        self.by_channel[contact.channel] += 1
        self.talk_s += contact.talk_s
        self.hold_s += contact.hold_s
        self.acw_s += contact.acw_s
        self.tech_support += contact.transfer == "tech_support"
        self.retention += contact.transfer == "retention"
        self.offered += contact.promotion in ("accepted", "declined")
        self.accepted += contact.promotion == "accepted"
        self.early += contact.ended_early
        self.worded += contact.greeting and contact.closing
        self.scripts += contact.scripts
        if contact.within_target is not None:
            self.sl_seen[contact.channel] += 1
            self.sl_met[contact.channel] += contact.within_target

    def figures(self) -> dict[str, Any]:
        n = self.contacts
        row: dict[str, Any] = {"contacts": n}
        for channel in CHANNELS:
            row[f"contacts_{channel}"] = self.by_channel.get(channel, 0)
        row |= {
            "talk_s_avg": _avg(self.talk_s, n),
            "hold_s_avg": _avg(self.hold_s, n),
            "acw_s_avg": _avg(self.acw_s, n),
            "handle_s_avg": _avg(self.talk_s + self.hold_s + self.acw_s, n),
            "transfers_tech_support": self.tech_support,
            "transfers_tech_support_share": _share(self.tech_support, n),
            "transfers_retention": self.retention,
            "transfers_retention_share": _share(self.retention, n),
            "promotion_offered": self.offered,
            "promotion_offered_share": _share(self.offered, n),
            "promotion_accepted": self.accepted,
            "promotion_accepted_share": _share(self.accepted, n),
            "ended_early": self.early,
            "wording_share": _share(self.worded, n),
            "scripts_per_contact": _avg(self.scripts, n, 2),
            "service_level": _share(sum(self.sl_met.values()), sum(self.sl_seen.values())),
        }
        for channel in CHANNELS:
            row[f"service_level_{channel}"] = _share(
                self.sl_met.get(channel, 0), self.sl_seen.get(channel, 0)
            )
        return row


@dataclass(slots=True)
class _Desk:
    """One operator: their state from the log, and the time they spent in the range."""

    state: OperatorState = field(default_factory=OperatorState)
    at: datetime | None = None  # time counted up to here
    present: bool = False
    logged_in_s: float = 0.0
    busy_s: float = 0.0
    breaks: int = 0
    break_s: float = 0.0
    overruns: int = 0
    tally: _Tally = field(default_factory=_Tally)


@dataclass(slots=True)
class _Interval:
    arrivals: int = 0
    abandoned: int = 0
    handled: int = 0
    handle_s: float = 0.0
    sl_met: int = 0
    sl_seen: int = 0


@dataclass(slots=True)
class _Pending:
    """What the events before its wrap-up said about a contact."""

    channel: str | None = None
    created: datetime | None = None
    transfer: str | None = None


class ShiftFigures:
    """The figures of [start, end), folded event by event; incremental.

    `operators`, when given, limits the rows (and the total) to those logins. Events before
    `start` only build up the state (who is logged in, what contact is in hand); feed the report
    from `start - WARM_UP`. `keep_contacts` keeps every counted contact in `contacts` (the
    contacts report and a drill-down use it).
    """

    def __init__(
        self,
        start: datetime,
        end: datetime,
        *,
        targets: Mapping[str, int] | None = None,
        operators: Iterable[str] | None = None,
        keep_contacts: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        self.targets = dict(targets) if targets is not None else default_targets()
        self.only = frozenset(operators) if operators is not None else None
        self.keep_contacts = keep_contacts
        self.contacts: list[ContactFigures] = []
        self.last_event_id = 0  # the live view reads the log from here on
        self._desks: dict[str, _Desk] = {}
        self._pending: dict[int, _Pending] = {}
        self._intervals: dict[int, _Interval] = {}
        self._current = _Interval()  # the half-hour last counted in, and its bounds
        self._current_from = self._current_until = start
        self._abandoned = 0
        self._abandoned_by_channel: dict[str, int] = {}

    # --- feeding ---------------------------------------------------------------------------------

    def add_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.add(event)

    def add(self, event: Event) -> None:
        """Fold one event in; events must come in log order (ids increasing)."""
        if event.id > self.last_event_id:
            self.last_event_id = event.id
        kind = event.type
        if kind not in _READ:
            return
        at, payload, contact_id = event.at, event.payload, event.contact_id
        in_range = self.start <= at < self.end
        if kind == _CREATED:
            if contact_id is not None:
                self._pending[contact_id] = _Pending(payload.get("channel"), at)
            if in_range and payload.get("queue", "front") == "front":
                self._interval(at).arrivals += 1
            return
        if kind == _ABANDONED:
            pending = self._pending.pop(contact_id, None) if contact_id is not None else None
            if in_range:
                self._count_abandoned(event, pending)
            return
        operator = event.operator
        if operator is None or (self.only is not None and operator not in self.only):
            if kind == _SAVED and contact_id is not None:
                self._pending.pop(contact_id, None)
            return
        desk = self._desks.get(operator)
        if desk is None:
            desk = self._desks[operator] = _Desk()
        self._count_time(desk, at)
        if kind == _TRANSFERRED:
            if contact_id is not None:
                self._pending.setdefault(contact_id, _Pending()).transfer = payload.get("target")
            return
        if kind == _SAVED:
            if contact_id is not None:
                contact = self._contact(event, self._pending.pop(contact_id, None))
                if in_range:
                    self._count_contact(desk, contact)
            return
        # state_changed: logged in or out, a break begun or ended.
        before = desk.state
        desk.state = after = apply(before, event)
        desk.present = payload.get("state") != LOGGED_OUT
        if before.state == BREAK and after.state != BREAK and before.since is not None:
            desk.break_s += _clipped(before.since, at, self.start, self.end)
            desk.overruns += _overran(before, at, self.start, self.end)
        elif after.state == BREAK and before.state != BREAK and in_range:
            desk.breaks += 1

    def _count_time(self, desk: _Desk, at: datetime) -> None:
        since = desk.at
        if since is not None and desk.present and at - since <= SILENCE:
            # _clipped, inline: once for every operator's event of a month.
            if since < self.start:
                since = self.start
            until = at if at < self.end else self.end
            if until > since:
                desk.logged_in_s += (until - since).total_seconds()
        desk.at = at
        desk.present = True

    def _contact(self, event: Event, pending: _Pending | None) -> ContactFigures:
        """The contact a `wrapup_saved` closes, from the facts it carries. An older event
        carries only the outcome and the times: its channel and arrival come from its
        `contact_created` (when read), its transfer from `transferred`, and it was taken the
        handle time before the wrap-up was saved."""
        get = event.payload.get
        talk = float(get("talk_s") or 0)
        hold = float(get("hold_s") or 0)
        acw = float(get("acw_s") or 0)
        saved = event.at
        text = get("ended")
        ended = _parse(text) if text else saved - timedelta(seconds=acw)
        text = get("accepted")
        accepted = _parse(text) if text else ended - timedelta(seconds=talk + hold)
        text = get("created")
        created = _parse(text) if text else pending.created if pending else None
        channel = get("channel") or (pending.channel if pending else None) or ""
        promotion = get("promotion")
        categories = get("script_categories") or ()
        waited = within = None
        if created is not None:
            waited = (accepted - created).total_seconds()
            target = self.targets.get(channel)
            within = waited <= target if target is not None else None
        # Positional, in the order of the fields: a month's report makes 170,000 of these.
        return ContactFigures(
            event.contact_id or 0,
            channel,
            event.operator,
            created,
            accepted,
            ended,
            saved,
            talk,
            hold,
            acw,
            get("outcome"),
            get("transfer_target") or (pending.transfer if pending else None),
            promotion if promotion in ("accepted", "declined") else None,
            len(get("warnings") or ()),
            "greeting" in categories,
            "closing" in categories,
            len(get("scripts") or ()),
            False,
            waited,
            within,
        )

    def _count_contact(self, desk: _Desk, contact: ContactFigures) -> None:
        desk.tally.add(contact)
        saved = contact.wrapped_up or self.start
        if contact.accepted is not None:
            since = contact.accepted if contact.accepted > self.start else self.start
            if saved > since:
                desk.busy_s += (saved - since).total_seconds()
        interval = self._interval(saved)
        interval.handled += 1
        interval.handle_s += contact.talk_s + contact.hold_s + contact.acw_s
        if contact.within_target is not None:
            interval.sl_seen += 1
            interval.sl_met += contact.within_target
        if self.keep_contacts:
            self.contacts.append(contact)

    def _count_abandoned(self, event: Event, pending: _Pending | None) -> None:
        payload = event.payload
        channel = payload.get("channel") or (pending.channel if pending else None) or ""
        self._abandoned += 1
        self._abandoned_by_channel[channel] = self._abandoned_by_channel.get(channel, 0) + 1
        self._interval(event.at).abandoned += 1
        if self.keep_contacts:
            waited = payload.get("waited_s")
            created = pending.created if pending else None
            if waited is not None:
                created = event.at - timedelta(seconds=waited)
            self.contacts.append(
                ContactFigures(
                    id=event.contact_id or 0,
                    channel=channel,
                    operator=None,
                    created=created,
                    accepted=None,
                    ended=event.at,
                    wrapped_up=None,
                    abandoned=True,
                    waited_s=waited,
                )
            )

    def _interval(self, at: datetime) -> _Interval:
        # The log comes in time order: most events fall in the half-hour of the one before.
        if self._current_from <= at < self._current_until:
            return self._current
        key = int(at.timestamp()) // INTERVAL_S
        found = self._intervals.get(key)
        if found is None:
            found = self._intervals[key] = _Interval()
        self._current = found
        self._current_from = datetime.fromtimestamp(key * INTERVAL_S, UTC)
        self._current_until = self._current_from + timedelta(seconds=INTERVAL_S)
        return found

    # --- reading ---------------------------------------------------------------------------------

    def operators(self, now: datetime | None = None) -> list[str]:
        """The operators with anything in the range: a contact, time logged in, a break; with
        `now`, also those logged in still (a live view)."""
        return sorted(
            login
            for login, desk in self._desks.items()
            if desk.tally.contacts
            or desk.logged_in_s
            or desk.breaks
            or (now is not None and desk.present)
        )

    def rows(self, now: datetime | None = None) -> list[dict[str, Any]]:
        """One row per operator, by login. `now` (a live view's) counts the time in the state
        each operator is in up to then; without it the time ends at each one's last event."""
        return [self.row(login, now) for login in self.operators(now)]

    def row(self, login: str, now: datetime | None = None) -> dict[str, Any]:
        desk = self._desks.get(login) or _Desk()
        return {"operator": login, **self._figures(desk.tally, [desk], now)}

    def total(self, now: datetime | None = None) -> dict[str, Any]:
        tally = _Tally()
        desks = [self._desks[login] for login in self.operators(now)]
        for desk in desks:
            _merge(tally, desk.tally)
        row = self._figures(tally, desks, now)
        row["abandoned"] = self._abandoned
        return row

    def abandoned_by_channel(self) -> dict[str, int]:
        return dict(self._abandoned_by_channel)

    def _figures(self, tally: _Tally, desks: list[_Desk], now: datetime | None) -> dict[str, Any]:
        logged_in = busy = break_s = 0.0
        breaks = overruns = 0
        for desk in desks:
            running_in, running_busy, running_break, running_over = self._running(desk, now)
            logged_in += desk.logged_in_s + running_in
            busy += desk.busy_s + running_busy
            break_s += desk.break_s + running_break
            breaks += desk.breaks
            overruns += desk.overruns + running_over
        row = tally.figures()
        row["occupancy"] = _share(busy, logged_in)
        row["logged_in_s"] = round(logged_in, 1)
        row["busy_s"] = round(busy, 1)
        row["breaks"] = breaks
        row["break_s"] = round(break_s, 1)
        row["break_overruns"] = overruns
        return row

    def _running(self, desk: _Desk, now: datetime | None) -> tuple[float, float, float, int]:
        """The time since an operator's last event up to `now`, not yet counted."""
        if now is None or desk.at is None or not desk.present or now - desk.at > SILENCE:
            return 0.0, 0.0, 0.0, 0
        span = _clipped(desk.at, now, self.start, self.end)
        state = desk.state
        busy = 0.0  # a contact is busy time once wrapped up (the wrap-up carries its times)
        on_break = over = 0
        if state.state == BREAK and state.since is not None:
            on_break = _clipped(state.since, now, self.start, self.end)  # type: ignore[assignment]
            over = _overran(state, now, self.start, self.end)
        return span, busy, float(on_break), over

    def intervals(self) -> list[dict[str, Any]]:
        """One row per 30 minutes of the range, from its first interval to its last (empty ones
        included): arrivals (new front-line contacts), handled (wrap-ups saved), abandoned,
        service level and AHT of the contacts handled in it."""
        first = int(self.start.timestamp()) // INTERVAL_S
        last = (int(self.end.timestamp()) - 1) // INTERVAL_S
        out = []
        for key in range(first, last + 1):
            found = self._intervals.get(key) or _Interval()
            out.append(
                {
                    "start": _iso(datetime.fromtimestamp(key * INTERVAL_S, UTC)),
                    "end": _iso(datetime.fromtimestamp((key + 1) * INTERVAL_S, UTC)),
                    "arrivals": found.arrivals,
                    "handled": found.handled,
                    "abandoned": found.abandoned,
                    "service_level": _share(found.sl_met, found.sl_seen),
                    "handle_s_avg": _avg(found.handle_s, found.handled),
                }
            )
        return out


def _merge(into: _Tally, other: _Tally) -> None:
    into.contacts += other.contacts
    for channel, count in other.by_channel.items():
        into.by_channel[channel] = into.by_channel.get(channel, 0) + count
    into.talk_s += other.talk_s
    into.hold_s += other.hold_s
    into.acw_s += other.acw_s
    into.tech_support += other.tech_support
    into.retention += other.retention
    into.offered += other.offered
    into.accepted += other.accepted
    into.early += other.early
    into.worded += other.worded
    into.scripts += other.scripts
    for channel, count in other.sl_met.items():
        into.sl_met[channel] = into.sl_met.get(channel, 0) + count
    for channel, count in other.sl_seen.items():
        into.sl_seen[channel] = into.sl_seen.get(channel, 0) + count


def _overran(state: OperatorState, until: datetime, start: datetime, end: datetime) -> int:
    """1 when the break `state` is on had run past its limit by `until` (inside the range)."""
    limit = BREAK_REASONS.get(state.break_reason or "", ("", None))[1]
    if limit is None or state.since is None or not start <= until < end:
        return 0
    return int((until - state.since).total_seconds() > limit)


def _clipped(since: datetime, until: datetime, start: datetime, end: datetime) -> float:
    return max(0.0, (min(until, end) - max(since, start)).total_seconds())


def _avg(total: float, n: int, digits: int = 1) -> float:
    return round(total / n, digits) if n else 0.0


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


_parse = datetime.fromisoformat  # the store's "…Z" text, and the ISO text of a payload


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def iso_utc(at: datetime) -> str:
    """ISO 8601 in UTC with a Z: every time a report or a row shows."""
    return _iso(at)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")
