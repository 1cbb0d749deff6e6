"""The shift's figures against a shift computed by hand (domain/figures.py)."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest

from agent_console.desk import Desk
from agent_console.domain import Event, EventType
from agent_console.domain.figures import WARM_UP, ShiftFigures
from agent_console.domain.wrapup_rules import WrapUpEntry
from tests.helpers import SHIFT_NOW

pytestmark = pytest.mark.both_engines

E = EventType
START, END = SHIFT_NOW, SHIFT_NOW + timedelta(hours=2)
_ids = count(1)


def at(seconds: float):
    return SHIFT_NOW + timedelta(seconds=seconds)


def ev(type_, seconds, contact_id=None, operator=None, **payload) -> Event:
    return Event(next(_ids), None, contact_id, operator, at(seconds), type_, payload)


def anna(type_, seconds, contact_id=None, **payload) -> Event:
    return ev(type_, seconds, contact_id, "anna", **payload)


def boris(type_, seconds, contact_id=None, **payload) -> Event:
    return ev(type_, seconds, contact_id, "boris", **payload)


def iso(seconds: float) -> str:
    return at(seconds).isoformat()


def shift() -> list[Event]:
    """Two operators from 19:30 for two hours. Anna's events are as the desk writes them now
    (the wrap-up carries the contact's facts); Boris's wrap-ups are older ones that carry only
    the outcome and the times, so the channel, the arrival and the transfer come from the events
    before them. The events the figures do not read are there as the log has them."""
    events = [
        ev(E.CONTACT_CREATED, -7200, 4, queue="front", channel="email"),  # before the range
        ev(E.CONTACT_CREATED, -100, 1, queue="front", channel="phone"),
        anna(E.STATE_CHANGED, 0, state="ready", reason="login"),
        # c1, phone: waited 120 s (target 180), 60 s on hold, said the greeting and the
        # closing, the customer accepted the promotion, transferred to technical support.
        anna(E.CONTACT_ACCEPTED, 20, 1, channel="phone", queue="front", created=iso(-100)),
        anna(E.SCRIPT_SAID, 25, 1, script_id="greeting-evening.en"),
        ev(E.CONTACT_CREATED, 50, 3, queue="front", channel="phone"),
        anna(E.CONTACT_HELD, 80, 1),
        boris(E.CONTACT_ACCEPTED, 100, 3),
        anna(E.CONTACT_RESUMED, 140, 1),
        anna(E.PROMOTION_OFFERED, 200, 1, answer="accepted"),
        anna(E.SCRIPT_SAID, 300, 1, script_id="closing-anything-else.en"),
        ev(E.CONTACT_CREATED, 300, 2, queue="front", channel="chat"),
        anna(E.CONTACT_ENDED, 320, 1),
        ev(E.CONTACT_CREATED, 380, 101, "anna", queue="tech_support", channel="phone"),
        anna(E.TRANSFERRED, 380, 1, target="tech_support", new_contact_id=101),
        anna(
            E.WRAPUP_SAVED,
            380,
            1,
            outcome="transferred",
            talk_s=240,
            hold_s=60,
            acw_s=60,
            transfer_target="tech_support",
            promotion="accepted",
            channel="phone",
            created=iso(-100),
            accepted=iso(20),
            ended=iso(320),
            warnings=[],
            scripts=["greeting-evening", "closing-anything-else"],
            script_categories=["closing", "greeting"],
        ),  # fmt: skip
        # c2, chat: waited 100 s (target 300), a greeting copied then taken back, the
        # promotion declined, ended after a profanity warning.
        anna(E.CONTACT_ACCEPTED, 400, 2, channel="chat", queue="front", created=iso(300)),
        anna(E.SCRIPT_COPIED, 410, 2, script_id="greeting-chat.en"),
        anna(E.SCRIPT_USE_UNDONE, 415, 2, script_id="greeting-chat.en"),
        anna(E.PROMOTION_OFFERED, 500, 2, answer="declined"),
        # c3 (Boris), phone: waited 50 s, moved to retention.
        boris(E.CONTACT_ENDED, 500, 3),
        boris(E.TRANSFERRED, 560, 3, target="retention", new_contact_id=102),
        boris(E.WRAPUP_SAVED, 560, 3, outcome="transferred", talk_s=400, hold_s=0, acw_s=60),
        # c4 (Boris), e-mail that came in 2 h before the range: within its 24 h.
        boris(E.CONTACT_ACCEPTED, 600, 4),
        anna(E.WARNING_GIVEN, 600, 2, kind="profanity"),
        anna(E.CONTACT_ENDED, 700, 2, outcome="ended_profanity"),
        anna(
            E.WRAPUP_SAVED,
            730,
            2,
            outcome="ended_profanity",
            talk_s=300,
            hold_s=0,
            acw_s=30,
            promotion="declined",
            channel="chat",
            created=iso(300),
            accepted=iso(400),
            ended=iso(700),
            warnings=["profanity"],
            scripts=[],
            script_categories=[],
        ),  # fmt: skip
        # Anna's 10-minute break lasts 12.
        anna(E.STATE_CHANGED, 800, state="break", reason="break"),
        boris(E.CONTACT_ENDED, 900, 4),
        ev(E.CONTACT_CREATED, 1000, 5, queue="front", channel="phone"),
        boris(E.WRAPUP_SAVED, 1000, 4, outcome="resolved", talk_s=300, hold_s=0, acw_s=100),
        # c5 (Boris), phone: waited 300 s, past the 180 s target.
        boris(E.CONTACT_ACCEPTED, 1300, 5),
        boris(E.CONTACT_ENDED, 1400, 5),
        boris(E.WRAPUP_SAVED, 1410, 5, outcome="resolved", talk_s=100, hold_s=0, acw_s=10),
        anna(E.STATE_CHANGED, 1520, state="ready"),
        anna(E.STATE_CHANGED, 2000, state="logged_out"),
        # c7: the caller hung up after 100 s in the queue.
        ev(E.CONTACT_CREATED, 2000, 7, queue="front", channel="phone"),
        ev(E.CONTACT_ABANDONED, 2100, 7, queue="front", channel="phone", waited_s=100),
        # c6: taken in the range, wrapped up after it: the next range's.
        ev(E.CONTACT_CREATED, 7000, 6, queue="front", channel="social"),
        boris(E.CONTACT_ACCEPTED, 7100, 6),
        boris(E.CONTACT_ENDED, 7190, 6),
        boris(E.WRAPUP_SAVED, 7300, 6, outcome="resolved", talk_s=90, hold_s=0, acw_s=110),
    ]
    # Noise the figures do not read.
    events.append(anna(E.SEARCH_MADE, 7400, None, query="router"))
    return events


@pytest.fixture
def figures() -> ShiftFigures:
    folded = ShiftFigures(START, END, keep_contacts=True)
    folded.add_all(shift())
    return folded


def test_each_operator_by_hand(figures):
    rows = {row["operator"]: row for row in figures.rows()}
    assert list(rows) == ["anna", "boris"]
    a = rows["anna"]
    # c1: talk 320-20-60 = 240, hold 60, ACW 60; c2: talk 300, ACW 30.
    assert (a["contacts"], a["contacts_phone"], a["contacts_chat"]) == (2, 1, 1)
    assert (a["talk_s_avg"], a["hold_s_avg"], a["acw_s_avg"]) == (270.0, 30.0, 45.0)
    assert a["handle_s_avg"] == (360 + 330) / 2
    assert (a["transfers_tech_support"], a["transfers_tech_support_share"]) == (1, 0.5)
    assert (a["transfers_retention"], a["transfers_retention_share"]) == (0, 0.0)
    assert (a["promotion_offered"], a["promotion_offered_share"]) == (2, 1.0)
    assert (a["promotion_accepted"], a["promotion_accepted_share"]) == (1, 0.5)
    assert a["ended_early"] == 1
    assert (a["wording_share"], a["scripts_per_contact"]) == (0.5, 1.0)  # c1 only; 2 scripts / 2
    assert (a["service_level"], a["service_level_phone"], a["service_level_chat"]) == (1, 1, 1)
    assert a["service_level_email"] is None and "abandoned" not in a
    # Logged in 0-2000 s; busy 20-380 and 400-730; a 720 s break past its 600.
    assert (a["logged_in_s"], a["busy_s"], a["occupancy"]) == (2000, 690, 0.345)
    assert (a["breaks"], a["break_s"], a["break_overruns"]) == (1, 720, 1)

    b = rows["boris"]
    # c3: talk 400, ACW 60; c4: 300 + 100; c5: talk 100, ACW 10. c6 was wrapped up after
    # the range. Taken: the handle time before the wrap-up (100 s, 600 s, 1300 s).
    assert (b["contacts"], b["contacts_phone"], b["contacts_email"]) == (3, 2, 1)
    assert (b["talk_s_avg"], b["hold_s_avg"], b["acw_s_avg"]) == (266.7, 0.0, 56.7)
    assert b["handle_s_avg"] == round((460 + 400 + 110) / 3, 1)
    assert (b["transfers_retention"], b["transfers_retention_share"]) == (1, 0.3333)
    assert (b["promotion_offered"], b["promotion_accepted"], b["ended_early"]) == (0, 0, 0)
    assert (b["wording_share"], b["scripts_per_contact"]) == (0.0, 0.0)
    # c3 (50 s) and c4 (7800 s of 86400) within; c5 (300 s of 180) not.
    assert b["service_level"] == 0.6667
    assert (b["service_level_phone"], b["service_level_email"]) == (0.5, 1.0)
    # From the first event of his it reads (the transfer at 560 s) to his last (7300 s, past
    # the range's end at 7200 s): he never logged in nor out in this log. Busy from taking
    # each contact to its wrap-up (c6's is not in range).
    busy = (560 - 100) + (1000 - 600) + (1410 - 1300)
    assert (b["logged_in_s"], b["busy_s"]) == (7200 - 560, busy)
    assert b["occupancy"] == round(busy / 6640, 4)
    assert (b["breaks"], b["break_overruns"]) == (0, 0)


def test_the_total_by_hand(figures):
    total = figures.total()
    assert "operator" not in total
    assert total["contacts"] == 5
    assert (total["talk_s_avg"], total["hold_s_avg"], total["acw_s_avg"]) == (268, 12, 52)
    assert total["handle_s_avg"] == (690 + 970) / 5
    assert (total["transfers_tech_support"], total["transfers_retention"]) == (1, 1)
    assert total["transfers_retention_share"] == 0.2
    assert (total["promotion_offered"], total["promotion_accepted"]) == (2, 1)
    assert (total["promotion_offered_share"], total["promotion_accepted_share"]) == (0.4, 0.2)
    assert (total["ended_early"], total["abandoned"]) == (1, 1)
    assert (total["wording_share"], total["scripts_per_contact"]) == (0.2, 0.4)
    assert (total["service_level"], total["service_level_phone"]) == (0.8, 0.6667)
    assert total["service_level_social"] is None
    assert total["occupancy"] == round((690 + 970) / (2000 + 6640), 4)
    assert (total["breaks"], total["break_overruns"]) == (1, 1)
    assert figures.abandoned_by_channel() == {"phone": 1}


def test_thirty_minute_intervals(figures):
    intervals = figures.intervals()
    assert [i["start"] for i in intervals] == [
        "2026-11-23T19:30:00Z",
        "2026-11-23T20:00:00Z",
        "2026-11-23T20:30:00Z",
        "2026-11-23T21:00:00Z",
    ]
    # Arrivals: front-line contacts created (c3, c2, c5; c7; c6); the transfers' new contacts
    # are not arrivals.
    assert [i["arrivals"] for i in intervals] == [3, 1, 0, 1]
    assert [i["handled"] for i in intervals] == [5, 0, 0, 0]
    assert [i["abandoned"] for i in intervals] == [0, 1, 0, 0]
    assert intervals[0]["service_level"] == 0.8 and intervals[0]["handle_s_avg"] == 332
    assert intervals[1]["service_level"] is None and intervals[1]["handle_s_avg"] == 0


def test_one_row_per_contact(figures):
    by_id = {c.id: c for c in figures.contacts}
    assert sorted(by_id) == [1, 2, 3, 4, 5, 7]
    c1 = by_id[1]
    assert (c1.channel, c1.operator, c1.transfer, c1.promotion) == (
        "phone",
        "anna",
        "tech_support",
        "accepted",
    )
    assert (c1.talk_s, c1.hold_s, c1.acw_s, c1.handle_s, c1.waited_s) == (240, 60, 60, 360, 120)
    assert c1.greeting and c1.closing and c1.scripts == 2
    assert by_id[2].ended_early and by_id[2].warnings == 1 and not by_id[2].greeting
    assert (by_id[3].talk_s, by_id[3].acw_s, by_id[3].transfer) == (400, 60, "retention")
    assert by_id[5].within_target is False
    c7 = by_id[7]
    assert c7.abandoned and c7.operator is None and c7.waited_s == 100
    assert c7.created == at(2000)
    assert c1.as_row()["created"] == "2026-11-23T19:28:20Z"


def test_incremental_live_view_counts_the_state_in_progress():
    events = shift()
    live = ShiftFigures(START, END)
    for event in events:
        if event.at > at(1000):
            break
        live.add(event)
    on_break = live.row("anna", now=at(1000))
    assert (on_break["breaks"], on_break["break_s"], on_break["break_overruns"]) == (1, 200, 0)
    over = live.row("anna", now=at(1500))
    assert (over["break_s"], over["break_overruns"]) == (700, 1)
    assert live.last_event_id == max(e.id for e in events if e.at <= at(1000))
    # The rest fed later gives what one pass gives.
    for event in events:
        if event.at > at(1000):
            live.add(event)
    whole = ShiftFigures(START, END)
    whole.add_all(events)
    assert live.rows() == whole.rows() and live.total() == whole.total()


def test_operators_filter_and_targets():
    only = ShiftFigures(START, END, operators=["boris"], targets={"phone": 400})
    only.add_all(shift())
    assert [row["operator"] for row in only.rows()] == ["boris"]
    total = only.total()
    assert total["contacts"] == 3 and total["service_level_phone"] == 1.0


def test_the_desk_writes_what_the_figures_need(demo_store, clock):
    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    start = clock.now()
    desk.log_in()
    contact = desk.accept_next()
    desk.log_script(E.SCRIPT_SAID, "greeting-evening.en")
    clock.advance(100)
    desk.offer_promotion("accepted")
    desk.log_script(E.SCRIPT_SAID, "closing-anything-else.en")
    desk.end()
    clock.advance(20)
    desk.save_wrapup(WrapUpEntry(outcome="resolved", promotion="accepted"))
    clock.advance(30)
    desk.log_out()
    figures = ShiftFigures(start, clock.now() + timedelta(seconds=1), keep_contacts=True)
    figures.add_all(demo_store.events.between(start - WARM_UP, clock.now() + timedelta(1)))
    [row] = figures.rows()
    assert row["operator"] == "anna.smirnova" and row["contacts"] == 1
    assert (row["talk_s_avg"], row["acw_s_avg"], row["wording_share"]) == (100, 20, 1.0)
    assert (row["promotion_accepted"], row["logged_in_s"], row["busy_s"]) == (1, 150, 120)
    [handled] = figures.contacts
    assert handled.id == contact.id and handled.channel == contact.channel
    assert handled.created == contact.created and handled.accepted == start


@pytest.mark.sqlite_only
def test_the_store_keeps_the_figures_events_in_their_own_index(store):
    from agent_console.domain.figures import FIGURE_EVENT_TYPES
    from agent_console.store.events import FIGURE_TYPES

    assert set(FIGURE_EVENT_TYPES) == FIGURE_TYPES  # the migration's list is the domain's
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM events WHERE type IN"
        " ('contact_created', 'contact_abandoned', 'transferred', 'wrapup_saved',"
        " 'state_changed') AND at >= ? AND at < ? ORDER BY at, id",
        ("a", "b"),
    ).fetchall()
    assert "COVERING INDEX events_figures" in plan[0][-1]


def test_a_silence_longer_than_a_shift_is_not_time_logged_in():
    figures = ShiftFigures(START, START + timedelta(days=2))
    figures.add_all(
        [
            anna(E.WRAPUP_SAVED, 100, 1, outcome="resolved", talk_s=60, hold_s=0, acw_s=10),
            anna(E.WRAPUP_SAVED, 400, 2, outcome="resolved", talk_s=60, hold_s=0, acw_s=10),
            # The next evening, with no log-out between (events from before the desk wrote it).
            anna(E.WRAPUP_SAVED, 86400, 3, outcome="resolved", talk_s=60, hold_s=0, acw_s=10),
            anna(E.WRAPUP_SAVED, 86500, 4, outcome="resolved", talk_s=60, hold_s=0, acw_s=10),
        ]
    )
    [row] = figures.rows()
    assert (row["logged_in_s"], row["busy_s"]) == (300 + 100, 4 * 70)
    assert figures.row("anna", now=at(86500 + 7 * 3600))["logged_in_s"] == 400


def test_a_live_view_reads_on_from_the_last_event_and_agrees_with_the_report(demo_store, clock):
    from agent_console.domain.figures import FIGURE_EVENT_TYPES

    start = clock.now()
    end = start + timedelta(hours=8)
    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    live = ShiftFigures(start, end)
    live.add_all(demo_store.events.between(start - WARM_UP, clock.now(), FIGURE_EVENT_TYPES))
    live.last_event_id = demo_store.events.last_id()
    for _ in range(3):  # three contacts, one tick after each
        desk.accept_next()
        clock.advance(90)
        desk.end()
        clock.advance(15)
        desk.save_wrapup(WrapUpEntry(outcome="resolved", promotion="declined"))
        live.add_all(demo_store.events.after(live.last_event_id, FIGURE_EVENT_TYPES))
        clock.advance(5)
    desk.take_break("break")
    clock.advance(700)
    live.add_all(demo_store.events.after(live.last_event_id, FIGURE_EVENT_TYPES))
    now = clock.now()
    row = live.row("anna.smirnova", now)
    assert (row["contacts"], row["talk_s_avg"], row["acw_s_avg"]) == (3, 90, 15)
    assert (row["breaks"], row["break_s"], row["break_overruns"]) == (1, 700, 1)
    assert row["logged_in_s"] == 3 * 110 + 700
    report = ShiftFigures(start, end)
    report.add_all(demo_store.events.between(start - WARM_UP, end, FIGURE_EVENT_TYPES))
    assert report.total() == live.total()  # the same events, the same figures


# --- the contacts behind a figure (domain/drill_down.py) ----------------------------------------


@pytest.mark.parametrize(
    "figure, operator, ids",
    [
        ("contacts", "anna", [1, 2]),
        ("operator", "boris", [3, 4, 5]),  # any other figure: the operator's contacts
        ("contacts", None, [1, 3, 2, 4, 5]),  # the total's: as they were wrapped up
        ("contacts_phone", None, [1, 3, 5]),
        ("handle_s_avg", "boris", [3, 4, 5]),  # 460, 400, 110 s: the longest first
        ("talk_s_avg", None, [3, 2, 4, 1, 5]),  # 400, 300, 300, 240, 100
        ("transfers_tech_support", None, [1]),
        ("transfers_retention_share", None, [3]),
        ("promotion_offered", "anna", [1, 2]),
        ("promotion_accepted", None, [1]),
        ("ended_early", None, [2]),
        ("wording_share", "anna", [2]),  # c2's greeting was taken back
        ("service_level", None, [5]),  # 300 s of its 180
        ("service_level_phone", "anna", []),
        ("abandoned", None, [7]),
    ],
)
def test_the_contacts_behind_each_figure(figures, figure, operator, ids):
    from agent_console.domain.drill_down import contacts_behind

    assert [c.id for c in contacts_behind(figures.contacts, figure, operator)] == ids
