from __future__ import annotations

from datetime import timedelta

import pytest

from agent_console.domain import EventType
from agent_console.domain.lifecycle import OperatorState, apply, replay
from tests.helpers import SHIFT_NOW, ev

pytestmark = pytest.mark.both_engines


def at(seconds):
    return SHIFT_NOW + timedelta(seconds=seconds)


def test_a_contact_with_a_hold_counts_talk_and_hold_apart():
    state = replay(
        [
            ev(EventType.CONTACT_ACCEPTED, 0, 7),
            ev(EventType.CONTACT_HELD, 60, 7),
            ev(EventType.CONTACT_RESUMED, 90, 7),
            ev(EventType.CONTACT_HELD, 120, 7),
        ]
    )
    assert state.state == "on_hold"
    assert state.hold_s(at(130)) == 40
    assert state.talk_s(at(130)) == 90
    ended = apply(
        apply(state, ev(EventType.CONTACT_RESUMED, 140, 7)), ev(EventType.CONTACT_ENDED, 200, 7)
    )
    assert (ended.state, ended.talk_s(at(500)), ended.hold_s(at(500))) == ("wrapup", 150, 50)
    assert ended.in_state_s(at(230)) == 30  # after-call work so far


def test_an_early_end_needs_a_warning_and_takes_its_outcome():
    talking = replay([ev(EventType.CONTACT_ACCEPTED, 0, 7)])
    assert talking.can_end and talking.early_end_outcome is None
    warned = apply(talking, ev(EventType.WARNING_GIVEN, 10, 7, kind="repeated"))
    assert warned.early_end_outcome == "ended_repeated"


def test_saving_the_wrapup_makes_the_operator_ready():
    state = replay(
        [
            ev(EventType.CONTACT_ACCEPTED, 0, 7),
            ev(EventType.CONTACT_ENDED, 60, 7),
            ev(EventType.WRAPUP_SAVED, 90, 7),
        ]
    )
    assert (state.state, state.since, state.contact_id) == ("ready", at(90), None)


def test_a_break_runs_over_after_its_length():
    state = replay([ev(EventType.STATE_CHANGED, 0, state="break", reason="break")])
    assert state.can_return and not state.can_accept
    assert not state.break_overrun(at(600))
    assert state.break_overrun(at(601))
    training = replay([ev(EventType.STATE_CHANGED, 0, state="break", reason="training")])
    assert not training.break_overrun(at(7200))


def test_events_that_do_not_fit_the_state_change_nothing():
    ready = OperatorState()
    assert apply(ready, ev(EventType.CONTACT_HELD, 0, 7)) == ready
    assert apply(ready, ev(EventType.CONTACT_ENDED, 0, 7)) == ready
    talking = replay([ev(EventType.CONTACT_ACCEPTED, 0, 7)])
    # A hold of another contact (another console's) is not this contact's.
    assert apply(talking, ev(EventType.CONTACT_HELD, 5, 8)) == talking
    # No break in the middle of a contact.
    assert apply(talking, ev(EventType.STATE_CHANGED, 5, state="break", reason="break")) == talking
