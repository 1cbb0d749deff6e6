"""What the contact in hand has used so far, and the scripts suggested from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from agent_console.domain import Contact, EventType, Script
from agent_console.domain.lifecycle import apply, replay, script_slug
from agent_console.domain.suggestions import ContactContext, suggested_scripts
from tests.helpers import SHIFT_NOW, ev

SCRIPTS = [
    Script(f"{slug}.en", slug, "…", category, stage=stage, topic=topic)
    for slug, category, stage, topic in [
        ("greeting-morning", "greeting", "opening", None),
        ("greeting-afternoon", "greeting", "opening", None),
        ("greeting-evening", "greeting", "opening", None),
        ("greeting-after-queue", "greeting", "opening", None),
        ("greeting-chat", "greeting", "opening", None),
        ("greeting-returning", "greeting", "opening", None),
        ("ident-confirm-name", "identification", "identification", None),
        ("ident-ask-contract", "identification", "identification", None),
        ("chat-ask-contract", "channel-chat-email", "identification", None),
        ("router-reboot", "router", "body", "router"),
        ("router-volna-help", "router", "body", "router"),
        ("outage-city", "outage", "body", "outage"),
        ("promo-offer", "promotion", "promotion", "promotion"),
        ("closing-anything-else", "closing", "closing", None),
        ("closing-standard", "closing", "closing", None),
        ("chat-closing", "channel-chat-email", "closing", None),
    ]
]


def contact(channel="phone", contract="5400224906", topic="router", waited_s=30):
    created = SHIFT_NOW - timedelta(seconds=waited_s)
    return Contact(
        7,
        channel,
        contract,
        "Ivan",
        topic,
        "no wi-fi",
        3,
        created,
        created + timedelta(seconds=60),
        "claimed",
        "anna",
        SHIFT_NOW,
    )


def suggested(events, context):
    return [script_slug(s.id) for s in suggested_scripts(SCRIPTS, replay(events), context)]


def test_slugs_drop_the_language_suffix_only():
    assert script_slug("greeting-evening.en") == "greeting-evening"
    assert script_slug("greeting-evening.ru") == "greeting-evening"
    assert script_slug("fee-increase") == "fee-increase"


def test_the_state_records_what_the_contact_used():
    state = replay(
        [
            ev(EventType.CONTACT_ACCEPTED, 0, 7),
            ev(EventType.SCRIPT_SAID, 5, 7, script_id="greeting-evening.en"),
            ev(EventType.SCRIPT_COPIED, 9, 7, script_id="greeting-evening.ru"),
            ev(EventType.ARTICLE_OPENED, 20, 7, article_id="router-reboot.en"),
            ev(EventType.PROMOTION_OFFERED, 40, 7, answer="declined"),
            ev(EventType.SCRIPT_SHOWN, 45, 7, script_id="router-reboot.en"),  # shown is not used
        ]
    )
    assert state.scripts_used == ("greeting-evening",)
    assert state.used("greeting-evening.ru") and not state.used("router-reboot.en")
    assert (state.articles_opened, state.promotion) == (("router-reboot.en",), "declined")
    # The next contact starts clean.
    fresh = apply(state, ev(EventType.CONTACT_ACCEPTED, 90, 8))
    assert (fresh.scripts_used, fresh.articles_opened, fresh.promotion) == ((), (), None)


def test_the_greeting_fits_the_channel_the_hour_and_the_wait():
    accepted = [ev(EventType.CONTACT_ACCEPTED, 0, 7)]
    evening = ContactContext(contact(), SHIFT_NOW)
    assert suggested(accepted, evening) == ["greeting-evening", "ident-confirm-name"]
    morning = replace(evening, local_time=SHIFT_NOW.replace(hour=9))
    assert suggested(accepted, morning)[0] == "greeting-morning"
    assert suggested(accepted, replace(evening, returning=True))[0] == "greeting-returning"
    waited = ContactContext(contact(waited_s=300), SHIFT_NOW)
    assert suggested(accepted, waited)[0] == "greeting-after-queue"
    chat = ContactContext(contact(channel="chat", contract=None), SHIFT_NOW)
    assert suggested(accepted, chat) == ["greeting-chat", "chat-ask-contract"]


def test_after_the_greeting_come_the_topic_and_the_promotion_then_the_closing():
    events = [
        ev(EventType.CONTACT_ACCEPTED, 0, 7),
        ev(EventType.SCRIPT_SAID, 5, 7, script_id="greeting-evening.en"),
    ]
    context = ContactContext(contact(), SHIFT_NOW, outage=True)
    assert suggested(events, context) == [
        "outage-city",
        "router-reboot",
        "router-volna-help",
        "promo-offer",
    ]
    events.append(ev(EventType.SCRIPT_SAID, 30, 7, script_id="router-reboot.en"))
    assert suggested(events, context) == [
        "outage-city",
        "router-volna-help",
        "promo-offer",
        "closing-anything-else",
    ]
    events.append(ev(EventType.PROMOTION_OFFERED, 60, 7, answer="accepted"))
    events.append(ev(EventType.SCRIPT_SAID, 70, 7, script_id="closing-anything-else.en"))
    assert suggested(events, context)[0] == "closing-standard"
    assert "promo-offer" not in suggested(events, context)


def test_nothing_is_suggested_without_a_contact_in_hand():
    assert suggested([], ContactContext(contact(), SHIFT_NOW)) == []
    ended = [ev(EventType.CONTACT_ACCEPTED, 0, 7), ev(EventType.CONTACT_ENDED, 9, 7)]
    assert suggested(ended, ContactContext(contact(), SHIFT_NOW)) == []


def test_numbers_belong_to_scripts_and_a_freed_one_comes_back_last():
    from agent_console.domain.script_numbers import Numbering

    first = Numbering().next(["greet", "ident"])
    assert dict(first.numbers) == {"greet": 1, "ident": 2}
    second = first.next(["topic-a", "topic-b", "promo"])
    # 1 and 2 were just read and pressed: new scripts get digits nobody has had yet.
    assert dict(second.numbers) == {"topic-a": 3, "topic-b": 4, "promo": 5}
    third = second.next(["closing", "topic-b", "promo"])
    assert third.numbers["topic-b"] == 4 and third.numbers["promo"] == 5
    assert third.numbers["closing"] == 6
    assert third.script_for(4) == "topic-b" and third.script_for(3) is None
    crowded = third.next([f"s{n}" for n in range(6)] + ["topic-b", "promo"])
    assert crowded.numbers["topic-b"] == 4 and crowded.numbers["promo"] == 5
    # The digits nobody has had first, then those freed longest ago (the closing's 6, freed
    # just now, last of all).
    assert [crowded.numbers[f"s{n}"] for n in range(6)] == [7, 8, 9, 1, 2, 3]
    assert crowded.freed == (6,)
