"""Replay: the player (pure) and the replay screen over sample and live sessions."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from agent_console.app import AgentConsoleApp
from agent_console.config import Config
from agent_console.desk import Desk
from agent_console.domain import EventType
from agent_console.domain.player import Player, describe
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.screens.replay import ReplayScreen, SessionPicker
from agent_console.sessions import export_lines, import_sessions
from agent_console.widgets.customer_card import CustomerCard
from agent_console.widgets.status_bar import OperatorStatus
from tests.helpers import SAMPLE, SIZE, ev, replay_app, settle


def a_contact():
    return [
        ev(EventType.STATE_CHANGED, 0, None, state="ready"),
        ev(EventType.CONTACT_ACCEPTED, 10, 7),
        ev(EventType.DIALOGUE, 12, 7, speaker="customer", text="hi"),
        ev(EventType.CONTACT_HELD, 30, 7),
        ev(EventType.CONTACT_RESUMED, 50, 7),
        ev(EventType.CONTACT_ENDED, 90, 7),
    ]


def test_the_player_steps_jumps_and_plays_at_a_speed():
    player = Player(a_contact())
    assert (player.index, player.position().state.state) == (-1, "ready")
    player.step()
    player.step()
    assert player.position().state.state == "in_contact"
    assert player.now == player.events[1].at
    player.jump(3)
    assert player.position().state.state == "on_hold"
    player.jump(99)
    assert player.at_end and player.position().state.state == "wrapup"
    player.jump(-1)
    player.set_speed(4)
    player.toggle()
    assert player.playing
    assert player.advance(2.0)  # 8 virtual seconds: past the login only
    assert player.index == 0
    assert not player.advance(0.25)  # 1 more second: nothing new happened
    player.advance(10)  # 40 more: accepted, dialogue, held
    assert player.position().state.state == "on_hold"
    assert player.position().now == player.start + timedelta(seconds=49)
    player.advance(100)
    assert player.at_end and not player.playing  # stops at the end
    player.toggle()  # play again from the start
    assert player.playing and player.index == -1
    with pytest.raises(ValueError):
        player.set_speed(3)
    player.faster()
    assert player.speed == 8
    player.faster()
    assert player.speed == 1


def test_the_transcript_and_the_screen_follow_the_position():
    events = [
        *a_contact()[:3],
        ev(EventType.SCRIPT_SAID, 14, 7, script_id="greeting-evening.en"),
        ev(EventType.DIALOGUE, 16, 7, speaker="operator", text="Good evening"),
    ]
    player = Player(events)
    player.jump(2)
    assert [t.payload["text"] for t in player.position().transcript] == ["hi"]
    assert player.position().on_screen is None
    player.jump(4)
    position = player.position()
    assert [t.payload["text"] for t in position.transcript] == ["hi", "Good evening"]
    assert position.on_screen.payload == {"script_id": "greeting-evening.en"}


def test_timeline_lines_say_what_happened():
    titles = {"greeting-evening.en": "Greeting — evening"}
    assert (
        describe(ev(EventType.SCRIPT_SAID, 0, 7, script_id="greeting-evening.en"), titles=titles)
        == "Said script: Greeting — evening"
    )
    assert describe(ev(EventType.DIALOGUE, 0, 7, speaker="customer", text="hi")) == "Customer: hi"
    assert describe(ev(EventType.SEARCH_MADE, 0, 7, query="router")) == "Searched: “router”"
    assert describe(ev(EventType.WRAPUP_SAVED, 0, 7, outcome="resolved")) == (
        "Wrap-up saved: Resolved"
    )
    assert describe(ev(EventType.TRANSFERRED, 0, 7, target="retention")).startswith(
        "Transferred to"
    )


async def test_a_sample_session_replays_step_by_step_to_its_wrapup(demo_store):
    app = replay_app(demo_store, SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        assert screen.player.index == -1
        await pilot.press("right", "right")
        assert screen.player.index == 1
        assert screen.query_one(CustomerCard).data.customer.name == "Anastasia Romanova"
        assert screen.query_one(OperatorStatus).state == "in_contact"
        await pilot.press("left")
        assert screen.player.index == 0
        await pilot.press("4")
        assert screen.player.speed == 4
        await pilot.press("space")
        assert screen.player.playing
        assert "playing 4×" in str(screen.query_one("#replay-player").render())
        await pilot.press("space")
        assert not screen.player.playing
        await pilot.press("end")
        await pilot.pause()
        position = screen.position
        assert screen.player.at_end and position.state.state == "ready"
        assert position.on_screen.type == EventType.WRAPUP_SAVED
        assert "Outcome: Resolved" in str(screen.query_one("#replay-screen-text").render())
        transcript = str(screen.query_one("#replay-transcript-text").render())
        assert transcript.startswith("Operator: Good evening")
        # Enter on a timeline line jumps there.
        timeline = screen.query_one("#replay-timeline")
        timeline.focus()
        timeline.highlighted = 5
        await pilot.press("enter")
        assert screen.player.index == 5


async def test_a_live_session_replays_through_the_same_states_the_operator_had(demo_store, clock):
    session_id = demo_store.events.start_session("anna.smirnova")
    desk = Desk(demo_store, "anna.smirnova", session_id)
    live_states = [desk.log_in()]

    def do(action, seconds=7):
        clock.advance(seconds)
        action()
        live_states.append(desk.state())

    do(desk.accept_next)
    do(lambda: desk.log_script(EventType.SCRIPT_SAID, "greeting-evening.en"))
    do(lambda: desk.log_search("router", None, ["article:router-reboot.en"]))
    do(lambda: desk.log_article_opened("router-reboot.en", "router"))
    do(desk.hold, 20)
    do(desk.resume, 40)
    do(lambda: desk.offer_promotion("accepted"))
    do(desk.end, 30)
    do(lambda: desk.save_wrapup(WrapUpEntry(outcome="resolved", notes="restarted")), 15)
    customer = demo_store.people.customer(
        demo_store.queue.get(live_states[-2].contact_id).customer_contract
    )

    app = replay_app(demo_store, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert len(screen.player.events) == len(live_states)
        for index, live in enumerate(live_states):
            screen.action_jump_to(index)
            assert screen.position.state == live, f"event {index}"
        await pilot.pause()
        assert screen.query_one(CustomerCard).data.customer.name == customer.name
        assert "Notes: restarted" in str(screen.query_one("#replay-screen-text").render())


async def test_the_session_list_opens_a_replay_and_escape_comes_back(demo_store):
    app = replay_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SessionPicker)
        listed = app.screen.query_one("#sessions-list")
        ids = [listed.get_option_at_index(i).id for i in range(listed.option_count)]
        assert SAMPLE in ids and len([i for i in ids if i.startswith("sample-")]) >= 8
        listed.highlighted = ids.index(SAMPLE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        assert app.screen.session_id == SAMPLE
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionPicker)


async def test_customer_text_in_a_replay_is_shown_literally(demo_store, tmp_path):
    lines = export_lines(demo_store, [SAMPLE])
    for line in lines:
        line["session_id"] = "sample-markup"
        if line["type"] == "dialogue":
            line["payload"]["text"] = "[bold red]boom[/] \x1b[31mred"
    path = tmp_path / "markup.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    import_sessions(demo_store, [path])
    app = replay_app(demo_store, "sample-markup")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await pilot.pause()
        transcript = str(app.screen.query_one("#replay-transcript-text").render())
        assert "[bold red]boom[/] ␛[31mred" in transcript


def two_resolved_contacts(store, clock) -> str:
    """A live session of two contacts taken, ended and wrapped up as resolved; its id."""
    session_id = store.events.start_session("anna.smirnova")
    desk = Desk(store, "anna.smirnova", session_id)
    desk.log_in()
    for _ in range(2):
        clock.advance(10)
        desk.accept_next()
        clock.advance(30)
        desk.end()
        clock.advance(10)
        desk.save_wrapup(WrapUpEntry(outcome="resolved"))
    return session_id


async def test_the_session_list_counts_contacts_in_words(demo_store, clock):
    session_id = two_resolved_contacts(demo_store, clock)
    app = replay_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = app.screen.query_one("#sessions-list")
        labels = {
            listed.get_option_at_index(i).id: str(listed.get_option_at_index(i).prompt)
            for i in range(listed.option_count)
        }
    assert " · 1 contact · " in labels[SAMPLE]
    assert " · 2 contacts · " in labels[session_id]
    assert not any("(s)" in label for label in labels.values())


async def test_an_article_in_a_replay_is_rendered_as_markdown(demo_store):
    from textual.widgets import Markdown
    from textual.widgets.markdown import MarkdownBlock

    app = replay_app(demo_store, SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        opened = next(
            i for i, e in enumerate(screen.data.events) if e.type == EventType.ARTICLE_OPENED
        )
        screen.action_jump_to(opened)
        await settle(pilot)
        text = str(screen.query_one("#replay-screen-text").render())
        assert "Opened article: No internet: first diagnostics" in text
        assert "**Summary:**" not in text and "## Diagnostics" not in text
        article = screen.query_one("#replay-article", Markdown)
        assert article.display
        blocks = [
            (type(block).__name__, str(block.render()).strip())
            for block in article.query(MarkdownBlock)
        ]
        assert ("MarkdownH1", "No internet: first diagnostics") in blocks
        assert ("MarkdownH2", "Diagnostics") in blocks
        assert any(kind == "MarkdownOrderedList" for kind, _ in blocks)
        # Another kind of event: the article is gone, the text says what is on screen.
        screen.action_jump_to(len(screen.data.events) - 1)
        await settle(pilot)
        assert not article.display
        assert "Outcome: Resolved" in str(screen.query_one("#replay-screen-text").render())


def card_details(screen) -> str:
    return str(screen.query_one(CustomerCard).query_one("#card-details").render())


async def test_the_replay_card_says_where_the_session_is_not_what_keys_to_press_live(demo_store):
    app = replay_app(demo_store, SAMPLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        # Before the first contact: when the session starts and when the contact comes.
        shown = card_details(screen)
        assert "take the next one" not in shown and "queue" not in shown
        assert "No contact yet" in shown
        assert "2026-11-16 10:35 UTC" in shown and "0:04" in shown
        assert str(screen.query_one("#replay-transcript-text").render()) == "No contact yet."
        await pilot.press("right")  # the login: still no contact
        assert "No contact yet" in card_details(screen)
        await pilot.press("right")  # the contact is taken
        assert screen.query_one(CustomerCard).data is not None
        assert screen.query_one(CustomerCard).border_subtitle == ""
        # After the wrap-up the contact stays on the card, marked as done.
        await pilot.press("end")
        await pilot.pause()
        card = screen.query_one(CustomerCard)
        assert card.data.customer.name == "Anastasia Romanova"
        assert card.border_subtitle == "wrapped up · the session's last contact"


async def test_a_contact_recorded_without_its_card_says_so(demo_store, tmp_path):
    lines = export_lines(demo_store, [SAMPLE])
    for line in lines:
        line["session_id"] = "sample-no-card"
        line["payload"].pop("contact", None)
        line["payload"].pop("customer", None)
    path = tmp_path / "no-card.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    import_sessions(demo_store, [path])
    app = replay_app(demo_store, "sample-no-card")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right", "right")
        shown = card_details(app.screen)
        assert "take the next one" not in shown
        assert "customer card was not recorded" in shown


async def test_between_two_contacts_the_card_says_the_first_is_done(demo_store, clock):
    session_id = two_resolved_contacts(demo_store, clock)
    app = replay_app(demo_store, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        types = [e.type for e in screen.data.events]
        card = screen.query_one(CustomerCard)
        screen.action_jump_to(types.index(EventType.CONTACT_ENDED))  # in wrap-up
        assert screen.position.state.state == "wrapup" and card.border_subtitle == ""
        screen.action_jump_to(types.index(EventType.WRAPUP_SAVED))
        assert card.data is not None
        assert card.border_subtitle == "wrapped up · between contacts, the next at 1:00"
        screen.action_jump_to(len(types) - 1)
        assert card.border_subtitle == "wrapped up · the session's last contact"


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "⚠ In the affected area: Outage in Novosibirsk, Leninsky district"),
        ("ru", "⚠ In the affected area: Авария в Новосибирске, Ленинский район"),
    ],
)
async def test_the_replay_card_shows_the_notices_recorded_with_the_contact(
    demo_store, language, text
):
    app = AgentConsoleApp(
        store=demo_store,
        config=Config(db=demo_store.path, operator="anna.smirnova", language=language),
        replay="sample-city-outage",
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right", "right")
        card = app.screen.query_one(CustomerCard)
        assert card.data.customer.name == "Svetlana Morozova"
        assert card.data.outage
        assert text in card_details(app.screen)


async def test_a_live_session_replays_with_the_notices_in_force_when_the_contact_was_taken(
    demo_store,
    clock,
):
    in_district = next(
        c for c in demo_store.queue.waiting() if c.customer_contract == "5400632364"
    )  # Leninsky district
    session_id = demo_store.events.start_session("anna.smirnova")
    desk = Desk(demo_store, "anna.smirnova", session_id)
    desk.log_in()
    clock.advance(5)
    desk.accept(in_district.id)
    clock.advance(60)
    desk.end()
    app = replay_app(demo_store, session_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right", "right")
        assert "⚠ In the affected area: " in card_details(app.screen)


async def test_an_imported_sessions_title_reaches_the_header_without_its_control_codes(
    demo_store, tmp_path
):
    lines = export_lines(demo_store, [SAMPLE])
    for line in lines:
        line["session_id"] = "sample-escapes"
        if line["type"] == "session_started":
            line["payload"]["title"] = "Router \x1b]0;pwned\x07 \x1b[2J"
    path = tmp_path / "escapes.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    import_sessions(demo_store, [path])
    app = replay_app(demo_store, "sample-escapes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "\x1b" not in app.screen.sub_title and "\x07" not in app.screen.sub_title
        assert "Router ␛]0;pwned␇ ␛[2J" in app.screen.sub_title
