"""A simulated floor: operators who take, hold, talk, wrap up, break and transfer, and callers who
hang up when their patience runs out, so the figures and a supervisor's view have a live log to
follow with nobody at the keyboards.

Every action goes through the same paths as a real console: the desk (`Desk.accept_next`, `hold`,
`end`, `save_wrapup`, ...) and the queue (`queue.add`, `queue.abandon`), one transaction each,
so the event log is real. The floor is a discrete-event simulation: each operator is a generator
that yields the seconds until its next action, arrivals are a Poisson process (the feeder's), and
each caller's patience an exponential wait. The random generator, the clock and the sleep are
injected: a test runs an hour of the floor in no time on a virtual clock, the same every run.

Durations (DOMAIN.md; seconds, by channel): talk is lognormal around 4 minutes on the phone
(the promotion lengthens it), a fifth of calls are put on hold for 20-90 s, after-call work is
15-60 s; two 10-minute breaks a 6-hour shift, one in five running a few minutes over; 8 % of
contacts go to technical support, 2 % to retention; 2 % end early after a warning.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from agent_console.clock import Clock
from agent_console.desk import Desk, DeskError
from agent_console.domain import EventType, Operator
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.feeder import new_contact, queue_contact
from agent_console.store import Store
from agent_console.store.queue import NotWaiting

# Median talk time (seconds) by channel, and how patient a waiting customer is on average.
TALK_MEDIAN_S = {"phone": 210, "chat": 300, "email": 240, "social": 180}
PATIENCE_MEAN_S = {"phone": 150, "chat": 600, "email": 10**9, "social": 3600}
HOLD_SHARE = 0.2
PROMOTION_SHARE = 0.6
PROMOTION_ACCEPTED = 0.15
EARLY_END_SHARE = 0.02
TRANSFERS = {"tech_support": 0.08, "retention": 0.02}
BREAKS_AFTER_S = (2 * 3600, 4 * 3600)
BREAK_S = 600
IDLE_POLL_S = 2.0  # a ready operator with an empty queue looks again after this


@dataclass(order=True)
class _Wake:
    at: datetime
    order: int
    action: Callable[[], float | None] = field(compare=False)


@dataclass
class FloorCounts:
    arrived: int = 0
    abandoned: int = 0
    handled: int = 0
    transferred: int = 0
    breaks: int = 0


def simulated_logins(count: int) -> list[str]:
    return [f"sim{n:02d}" for n in range(1, count + 1)]


class Floor:
    def __init__(
        self,
        store: Store,
        operators: int,
        rate_per_min: float,
        rng: random.Random,
        clock: Clock,
        sleep: Callable[[float], object],
    ) -> None:
        if operators < 1:
            raise ValueError("a floor needs at least one operator")
        if rate_per_min <= 0:
            raise ValueError(f"the rate must be more than zero, not {rate_per_min}")
        self.store, self.rng, self.clock, self.sleep = store, rng, clock, sleep
        self.rate_per_s = rate_per_min / 60
        self.counts = FloorCounts()
        logins = simulated_logins(operators)
        known = {o.login for o in store.people.operators()}
        store.people.upsert_operators(
            Operator(login, f"Simulated operator {login[3:]}")
            for login in logins
            if login not in known
        )
        self.desks = [
            Desk(store, login, store.events.start_session(login, title="simulated"))
            for login in logins
        ]
        scripts = store.content.scripts("en")
        self.greetings = [s.id for s in scripts if s.category == "greeting"]
        self.closings = [s.id for s in scripts if s.category == "closing"]
        self.customers = [
            c for c in map(store.people.customer, store.people.customer_contracts()) if c
        ]
        self._queue: list[_Wake] = []
        self._order = 0

    # --- the scheduler ----------------------------------------------------------------------------

    def run(self, duration_s: float | None) -> FloorCounts:
        """Run the floor for `duration_s` (forever when None); the operators log out at the
        end, or when the sleep raises (KeyboardInterrupt goes on to the caller)."""
        start = self.clock.now()
        for desk in self.desks:
            desk.log_in()
            self._start(self._operator(desk, start))
        self._schedule(self.rng.expovariate(self.rate_per_s), self._arrival)
        try:
            while self._queue:
                wake = self._queue[0]
                if duration_s is not None and (wake.at - start).total_seconds() >= duration_s:
                    left = duration_s - (self.clock.now() - start).total_seconds()
                    if left > 0:
                        self.sleep(left)
                    break
                heapq.heappop(self._queue)
                wait = (wake.at - self.clock.now()).total_seconds()
                if wait > 0:
                    self.sleep(wait)
                again = wake.action()
                if again is not None:
                    self._schedule(again, wake.action)
        finally:
            for desk in self.desks:
                desk.log_out()
        return self.counts

    def _schedule(self, after_s: float, action: Callable[[], float | None]) -> None:
        self._order += 1
        at = self.clock.now() + timedelta(seconds=max(0.0, after_s))
        heapq.heappush(self._queue, _Wake(at, self._order, action))

    def _start(self, life: Iterator[float]) -> None:
        def step() -> float | None:
            return next(life, None)

        self._schedule(0, step)

    # --- callers ----------------------------------------------------------------------------------

    def _arrival(self) -> float:
        contact = new_contact(self.rng, self.customers, self.clock)
        contact_id = queue_contact(self.store, contact)
        self.counts.arrived += 1
        patience = self.rng.expovariate(1 / PATIENCE_MEAN_S[contact.channel])
        self._schedule(patience, lambda: self._give_up(contact_id))
        return self.rng.expovariate(self.rate_per_s)

    def _give_up(self, contact_id: int) -> None:
        try:
            self.store.queue.abandon(contact_id)
        except NotWaiting:
            return None  # taken in time
        self.counts.abandoned += 1
        return None

    # --- operators --------------------------------------------------------------------------------

    def _operator(self, desk: Desk, start: datetime) -> Iterator[float]:
        breaks = list(BREAKS_AFTER_S)
        while True:
            if breaks and (self.clock.now() - start).total_seconds() >= breaks[0]:
                breaks.pop(0)
                yield from self._break(desk)
            try:
                contact = desk.accept_next()
            except DeskError:
                contact = None
            if contact is None:
                yield IDLE_POLL_S * (0.5 + self.rng.random())
                continue
            yield from self._handle(desk, contact.channel, contact.topic)

    def _break(self, desk: Desk) -> Iterator[float]:
        desk.take_break("break")
        self.counts.breaks += 1
        over = self.rng.uniform(60, 300) if self.rng.random() < 0.2 else 0.0
        yield BREAK_S * self.rng.uniform(0.8, 1.0) + over
        desk.back_from_break()

    def _handle(self, desk: Desk, channel: str, topic: str | None) -> Iterator[float]:
        rng = self.rng
        talk = rng.lognormvariate(math.log(TALK_MEDIAN_S[channel]), 0.45)
        if self.greetings:
            desk.log_script(EventType.SCRIPT_SAID, rng.choice(self.greetings))
        yield talk * 0.4
        if channel == "phone" and rng.random() < HOLD_SHARE:
            desk.hold()
            yield rng.uniform(20, 90)
            desk.resume()
        promotion = None
        if rng.random() < PROMOTION_SHARE:
            promotion = "accepted" if rng.random() < PROMOTION_ACCEPTED else "declined"
            yield rng.uniform(20, 60)  # offering it lengthens the talk
            desk.offer_promotion(promotion)
        if rng.random() < EARLY_END_SHARE:
            kind = rng.choice(("profanity", "repeated"))
            desk.warn(kind)
            yield rng.uniform(10, 40)
            desk.end(early=True)
            outcome = f"ended_{kind}"
            target = None
        else:
            yield talk * 0.6
            if self.closings:
                desk.log_script(EventType.SCRIPT_SAID, rng.choice(self.closings))
            desk.end()
            roll, target = rng.random(), None
            for name, share in TRANSFERS.items():
                if roll < share:
                    target = name
                    break
                roll -= share
            outcome = "transferred" if target else rng.choice(("resolved", "info_given"))
        yield rng.uniform(15, 60)
        desk.save_wrapup(
            WrapUpEntry(
                outcome=outcome,
                topic=topic,
                transfer_target=target,
                transfer_reason="needs the next line" if target else None,
                promotion=promotion or "not_offered",
                promotion_reason=None if promotion else "no moment for it",
            )
        )
        self.counts.handled += 1
        self.counts.transferred += target is not None
