from __future__ import annotations

import pytest

from agent_console.desk import ContactTaken, Desk, DeskError
from agent_console.domain.wrapup_rules import WrapUpEntry

pytestmark = pytest.mark.both_engines


@pytest.fixture
def desk(demo_store):
    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    return desk


def test_a_whole_contact_is_written_as_events_and_a_wrapup(desk, demo_store, clock):
    contact = desk.accept_next()
    assert contact.priority == 1 and contact.claimed_by == "anna.smirnova"
    clock.advance(120)
    desk.hold()
    clock.advance(30)
    desk.resume()
    clock.advance(60)
    desk.end()
    clock.advance(20)
    desk.save_wrapup(WrapUpEntry(outcome="resolved", notes="Router restarted, link up."))
    row = demo_store.conn.execute(
        "SELECT outcome, notes, talk_s, hold_s, acw_s FROM wrapups WHERE contact_id = ?",
        (contact.id,),
    ).fetchone()
    assert row == ("resolved", "Router restarted, link up.", 180, 30, 20)
    assert demo_store.queue.get(contact.id).status == "closed"
    types = [e.type for e in demo_store.events.for_contact(contact.id)]
    assert types == [
        "contact_created",
        "contact_accepted",
        "contact_held",
        "contact_resumed",
        "contact_ended",
        "wrapup_saved",
    ]
    assert desk.state().state == "ready"
    assert demo_store.people.history(contact.customer_contract)[0].contact_id == contact.id


def test_the_state_survives_a_new_desk_on_the_same_file(desk, demo_store, clock):
    desk.accept_next()
    clock.advance(40)
    desk.hold()
    clock.advance(15)
    again = Desk(demo_store, "anna.smirnova")
    state = again.log_in()
    assert state.state == "on_hold"
    assert (state.talk_s(clock.now()), state.hold_s(clock.now())) == (40, 15)


def test_logging_out_gives_the_session_its_end_time_once(desk, demo_store, clock):
    session_id = desk.session_id
    assert demo_store.sessions.get(session_id).ended is None
    clock.advance(3600)
    desk.log_out()
    ended = clock.now()
    clock.advance(60)
    desk.log_out()  # nothing left to end: the end time stays
    assert demo_store.sessions.get(session_id).ended == ended
    assert desk.session_id is None


def test_refusals_say_why(desk):
    with pytest.raises(DeskError, match="Nothing to put on hold"):
        desk.hold()
    desk.accept_next()
    with pytest.raises(DeskError, match="Finish the current contact first"):
        desk.accept_next()
    with pytest.raises(DeskError, match="needs a warning first"):
        desk.end(early=True)
    with pytest.raises(DeskError, match="Breaks start from the ready state"):
        desk.take_break("break")


def test_warning_then_early_end_records_the_outcome(desk, demo_store):
    contact = desk.accept_next()
    desk.warn("profanity")
    state = desk.end(early=True)
    assert state.end_outcome == "ended_profanity"
    ended = demo_store.events.for_contact(contact.id)[-1]
    assert (ended.type, ended.payload) == ("contact_ended", {"outcome": "ended_profanity"})


def test_a_contact_taken_by_another_operator_is_refused_clearly(desk, demo_store):
    other = Desk(demo_store, "dmitry.kozlov")
    other.log_in()
    contact = other.accept_next()
    with pytest.raises(ContactTaken, match="took that contact a moment ago"):
        desk.accept(contact.id)
    assert desk.state().state == "ready"


def test_break_and_back(desk, clock):
    desk.take_break("break")
    clock.advance(11 * 60)
    assert desk.state().break_overrun(clock.now())
    desk.back_from_break()
    assert desk.state().state == "ready"


def test_a_corrected_talk_time_keeps_the_logged_one_and_the_reason(desk, demo_store, clock):
    contact = desk.accept_next()
    clock.advance(30)
    desk.end()
    with pytest.raises(DeskError, match="Say why the talk time is corrected"):
        desk.save_wrapup(WrapUpEntry(outcome="resolved"), talk_s=300)
    desk.save_wrapup(
        WrapUpEntry(outcome="resolved"),
        talk_s=300,
        correction_reason="call taken on the desk phone",
    )
    row = demo_store.conn.execute(
        "SELECT talk_s, talk_s_logged, talk_correction_reason FROM wrapups WHERE contact_id = ?",
        (contact.id,),
    ).fetchone()
    assert row == (300, 30, "call taken on the desk phone")
    saved = demo_store.events.for_contact(contact.id)[-1]
    assert (saved.payload["talk_s"], saved.payload["talk_s_logged"]) == (300, 30)


def test_the_promotion_answer_is_recorded_on_the_contact(desk, demo_store):
    with pytest.raises(DeskError, match="no contact in hand"):
        desk.offer_promotion("accepted")
    contact = desk.accept_next()
    with pytest.raises(DeskError, match="accepted or declined"):
        desk.offer_promotion("maybe")
    desk.offer_promotion("declined")
    assert desk.state().promotion == "declined"
    offered = [
        e for e in demo_store.events.for_contact(contact.id) if e.type == "promotion_offered"
    ]
    assert [e.payload for e in offered] == [{"answer": "declined"}]


def test_only_a_call_can_be_put_on_hold(demo_store):
    from agent_console.desk import Desk, DeskError

    chat = next(c for c in demo_store.queue.waiting() if c.channel == "chat")
    desk = Desk(demo_store, "anna.smirnova")
    desk.log_in()
    desk.accept(chat.id)
    with pytest.raises(DeskError, match="Only a call"):
        desk.hold()
    assert desk.state().state == "in_contact"


def full_fold(store, operator):
    from agent_console.desk import STATE_LOOKBACK
    from agent_console.domain.lifecycle import replay

    return replay(store.events.for_operator_since(operator, store.clock.now() - STATE_LOOKBACK))


def test_the_folded_state_is_the_whole_log_folded_after_every_action(desk, demo_store, clock):
    steps = [desk.accept_next, desk.hold, desk.resume, lambda: desk.warn("profanity"), desk.end]
    for step in steps:
        clock.advance(10)
        step()
        assert desk.state() == full_fold(demo_store, "anna.smirnova")
    desk.save_wrapup(WrapUpEntry(outcome="resolved"))
    assert desk.state() == full_fold(demo_store, "anna.smirnova")


def test_events_another_console_writes_for_the_operator_are_seen_once(desk, demo_store, clock):
    desk.accept_next()
    other = Desk(demo_store, "anna.smirnova")  # the same login on a second console
    clock.advance(30)
    other.hold()
    state = desk.state()
    assert state.state == "on_hold" and state.holds == 1
    assert desk.state() == state  # asked again: nothing applied twice
    other.resume()
    assert desk.state().state == "in_contact" and desk.state().holds == 1


def test_a_log_that_went_back_is_folded_again(desk, demo_store):
    desk.accept_next()
    assert desk.state().state == "in_contact"
    demo_store.clear_all()  # a demo reload empties the log
    assert desk.state().state == "ready"


def test_an_action_reads_only_the_events_since_the_last_look(desk, demo_store, monkeypatch):
    """The cost of an action stays flat over a shift (scripts/bench_desk.py measures it): the
    whole log is folded once, never again while it only grows."""
    read = []
    whole = demo_store.events.for_operator_since
    monkeypatch.setattr(
        demo_store.events,
        "for_operator_since",
        lambda *args: read.append(args) or whole(*args),
    )
    for step in (desk.accept_next, desk.hold, desk.resume, desk.end):
        step()
    assert read == []
