"""Alerts from a hand-made event log on a fixed clock: what holds, when, and raised once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from agent_console.domain.alerts import AlertThresholds, AlertWatch, WaitingContact
from agent_console.domain.codes import SLA_SECONDS
from agent_console.domain.live_floor import LiveFloor
from tests.helpers import SHIFT_NOW, ev

THRESHOLDS = AlertThresholds(long_call_s=650, long_hold_s=120, long_wrapup_s=60, break_grace_s=30)


def by(operator, event):
    return replace(event, operator=operator)


# One evening, seconds from SHIFT_NOW:
#   anna takes contact 1 at 0 (650 s limit), holds it at 500 (a 2-minute hold limit), resumes
#        at 700,
#        ends it at 800 and wraps up until 900 (a 1-minute limit);
#   olga goes on a 10-minute break at 0 (30 s of grace);
#   ivan takes contact 3 at 150.
# And in the queue: contact 2 (phone, a 180 s target) has waited since 100.
LOG = [
    ev("state_changed", -60, state="ready", reason="login"),
    by("olga", ev("state_changed", -60, state="ready", reason="login")),
    by("ivan", ev("state_changed", -60, state="ready", reason="login")),
    ev("contact_accepted", 0, 1),
    by("olga", ev("state_changed", 0, state="break", reason="break")),
    by("ivan", ev("contact_accepted", 150, 3)),
    ev("contact_held", 500, 1),
    ev("contact_resumed", 700, 1),
    ev("contact_ended", 800, 1, outcome="resolved"),
    ev("wrapup_saved", 900, 1, outcome="resolved"),
]


WAITING = [WaitingContact(2, "phone", SHIFT_NOW + timedelta(seconds=100))]


def floor_until(seconds: float) -> LiveFloor:
    floor = LiveFloor(SHIFT_NOW.replace(hour=0, minute=0), THRESHOLDS)
    for n, event in enumerate(LOG, start=1):
        if event.at <= SHIFT_NOW + timedelta(seconds=seconds):
            floor.add(replace(event, id=n))
    return floor


def holding(seconds: float) -> set[tuple]:
    at = SHIFT_NOW + timedelta(seconds=seconds)
    return {
        (alert.kind, alert.operator, alert.contact_id)
        for alert in floor_until(seconds).alerts(at, WAITING, SLA_SECONDS)
    }


def test_nothing_holds_before_a_threshold_is_passed():
    assert holding(200) == set()  # the phone contact has waited 100 s of its 180


def test_each_alert_holds_from_its_threshold_until_what_it_is_about_ends():
    assert holding(281) == {("sla_breached", None, 2)}
    assert holding(621) == {("sla_breached", None, 2), ("long_hold", "anna", 1)}
    assert ("break_overrun", "olga", None) in holding(631)  # 10 minutes and 30 s of grace
    assert ("long_call", "anna", 1) in holding(651)
    assert ("long_hold", "anna", 1) not in holding(701)  # resumed at 700
    assert ("long_call", "anna", 1) not in holding(801)  # ended at 800: wrap-up
    assert ("long_wrapup", "anna", 1) in holding(861)
    assert not {kind for kind, who, _ in holding(901) if who == "anna"}  # saved at 900


def test_sla_breaches_are_by_the_service_level_targets_and_the_newest_first():
    at = SHIFT_NOW + timedelta(seconds=400)
    waiting = [*WAITING, WaitingContact(4, "chat", SHIFT_NOW + timedelta(seconds=50))]
    found = floor_until(0).alerts(at, waiting, {"phone": 200, "chat": 60})
    assert [(a.kind, a.contact_id, a.due) for a in found] == [
        ("sla_breached", 2, SHIFT_NOW + timedelta(seconds=300)),
        ("sla_breached", 4, SHIFT_NOW + timedelta(seconds=110)),
    ]
    assert floor_until(0).alerts(at, waiting, {"phone": 400, "chat": 400}) == []


def test_the_floor_rows_turn_red_by_the_same_thresholds():
    at = SHIFT_NOW + timedelta(seconds=631)
    rows = {row.login: row.attention for row in floor_until(631).rows(at)}  # hold, break
    assert rows == {"anna": True, "olga": True, "ivan": False}


def test_an_alert_is_raised_once_per_occurrence_not_on_every_tick():
    watch = AlertWatch()
    raised = []
    for seconds in range(600, 1000, 1):  # one tick a second
        at = SHIFT_NOW + timedelta(seconds=seconds)
        raised += [
            (a.kind, a.operator) for a in watch.update(floor_until(seconds).alerts(at, [], {}))
        ]
    assert raised == [
        ("long_hold", "anna"),
        ("break_overrun", "olga"),
        ("long_call", "anna"),
        ("long_call", "ivan"),  # contact 3, taken at 150
        ("long_wrapup", "anna"),
    ]
    # A second hold of the same call is a new occurrence.
    floor = floor_until(1000)
    floor.add(by("olga", ev("state_changed", 1000, state="ready")))
    floor.add(by("olga", ev("state_changed", 1100, state="break", reason="break")))
    late = SHIFT_NOW + timedelta(seconds=1100 + 631)
    assert [a.kind for a in watch.update(floor.alerts(late, [], {}))] == ["break_overrun"]
