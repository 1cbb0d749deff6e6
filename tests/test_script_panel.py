"""The script panel during a contact: suggestions, one-key use, said marks, stacked replies,
the fill-in prompt and the promotion reminder — driven by keys through Pilot."""

from __future__ import annotations

from agent_console.domain import EventType, Script
from agent_console.domain.lifecycle import script_slug
from agent_console.screens.dialogs import FillInDialog, PromotionDialog
from agent_console.screens.wrapup import WrapUpScreen
from agent_console.widgets.customer_card import CustomerCard
from agent_console.widgets.script_list import ScriptList
from tests.helpers import SIZE, make_app, settle, suggested, take, take_contact


def panel(app) -> ScriptList:
    return app.screen.query_one(ScriptList)


def events_of(store, app, type_) -> list[dict]:
    contact_id = app.screen.query_one(CustomerCard).data.contact.id
    return [e.payload for e in store.events.for_contact(contact_id) if e.type == type_]


def option_text(app, script_id: str) -> str:
    options = app.screen.query_one("#script-options")
    return str(options.get_option(script_id).prompt)


async def test_a_call_starts_with_the_greeting_and_a_digit_marks_it_said(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert suggested(app) == []  # nothing in hand, nothing to suggest
        await pilot.press("a")
        await settle(pilot)
        contact = app.screen.query_one(CustomerCard).data.contact
        assert contact.channel == "phone"
        assert contact.sla_due < contact.claimed_at  # the most urgent call waited past its SLA
        # So the greeting thanks them for waiting; then identification.
        assert suggested(app)[:2] == ["greeting-after-queue", "ident-confirm-name"]
        assert panel(app).numbered(1).id == "greeting-after-queue.en"
        await pilot.press("1")
        await settle(pilot)
        assert events_of(demo_store, app, EventType.SCRIPT_SAID) == [
            {"script_id": "greeting-after-queue.en", "version": 1}
        ]
        assert app.clipboard == ""  # a call: said, not copied
        # The stage moved on: the topic's scripts and the promotion; the greeting is marked ✓.
        assert "greeting-after-queue" not in suggested(app)
        assert "promo-offer" in suggested(app)
        assert option_text(app, "greeting-after-queue.en").endswith("✓")


async def test_s_marks_the_highlighted_script_said(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        panel(app).show_script("deesc-understand.en")
        await pilot.press("s")
        await settle(pilot)
        assert events_of(demo_store, app, EventType.SCRIPT_SAID) == [
            {"script_id": "deesc-understand.en", "version": 1}
        ]
        assert "deesc-understand" in panel(app).used


async def test_in_a_chat_a_digit_copies_the_filled_script(demo_store):
    chat = next(c for c in demo_store.queue.waiting() if c.channel == "chat")
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, chat.id)
        assert suggested(app)[0] == "greeting-chat"
        await pilot.press("1")
        await settle(pilot)
        assert app.clipboard.startswith("Hello")
        assert "Anna" in app.clipboard and "{" not in app.clipboard
        assert events_of(demo_store, app, EventType.SCRIPT_COPIED) == [
            {"script_id": "greeting-chat.en", "version": 1}
        ]


async def test_scripts_stack_into_one_reply_that_c_copies_whole(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        scripts = panel(app)
        for script_id in ("deesc-apologise.en", "chat-checking.en", "closing-anything-else.en"):
            scripts.show_script(script_id)
            await pilot.press("plus")
        assert [part.script_id for part in scripts.reply] == [
            "deesc-apologise.en",
            "chat-checking.en",
            "closing-anything-else.en",
        ]
        await pilot.press("backspace")  # drop the last part
        assert len(scripts.reply) == 2
        assert "Reply · 2 ·" in str(app.screen.query_one("#script-reply").render())
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard.count("\n\n") == 1
        assert scripts.reply == ()
        assert not app.screen.query_one("#script-reply").display
        assert events_of(demo_store, app, EventType.SCRIPT_COPIED) == [
            {"script_id": "deesc-apologise.en", "version": 1},
            {"script_id": "chat-checking.en", "version": 1},
        ]


async def test_a_missing_value_is_asked_for_once_and_kept_for_the_contact(demo_store):
    unknown = demo_store.queue.add(
        channel="chat",
        customer_contract=None,
        topic="billing",
        customer_name="",
        subject="where is my payment?",
    )
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, unknown)
        panel(app).show_script("billing-payment-search.en")
        await pilot.pause()
        assert "‹customer.contract›" in str(app.screen.query_one("#script-preview").render())
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FillInDialog)
        await pilot.press("enter")  # nothing typed: the field is named, nothing is copied
        await pilot.pause()
        assert "Fill in: Contract number" in str(app.screen.query_one("#fill-error").render())
        assert app.clipboard == ""
        await pilot.press(*"5400224906", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, FillInDialog)
        assert "5400224906" in app.clipboard
        assert "‹" not in app.clipboard
        # The value stays for this contact: the next script that needs it is not asked again.
        panel(app).show_script("complaint-registered.en")
        await pilot.press("c")
        await settle(pilot)
        assert not isinstance(app.screen, FillInDialog)
        assert "5400224906" in app.clipboard


async def test_escape_in_the_fill_in_prompt_uses_nothing(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # no contact: no contract number to fill in
        panel(app).show_script("billing-payment-search.en")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FillInDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.clipboard == ""
        assert demo_store.events.last_of_type("anna.smirnova", (EventType.SCRIPT_COPIED,)) is None


async def test_the_promotion_reminder_stays_until_the_answer_is_recorded(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        reminder = app.screen.query_one("#promotion-reminder")
        assert reminder.display
        assert "Digital TV 2.0" in str(reminder.render())
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PromotionDialog)
        await pilot.press("escape")  # not offered yet: the reminder stays
        await settle(pilot)
        assert reminder.display
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("d")
        await settle(pilot)
        assert not reminder.display
        assert events_of(demo_store, app, EventType.PROMOTION_OFFERED) == [{"answer": "declined"}]
        assert "promo-offer" not in suggested(app)
        # The wrap-up already knows the answer.
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, WrapUpScreen)
        assert app.screen.query_one("#wrapup-promotion").value == "declined"


async def test_a_script_with_an_unknown_placeholder_asks_for_it_by_name(demo_store):
    demo_store.content.upsert_scripts(
        [
            Script(
                "odd.en",
                "Odd script",
                "Your size is {customer.shoe_size}, {customer.name|friend}.",
                "closing",
                "en",
            )
        ]
    )
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel(app).show_script("odd.en")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FillInDialog)
        assert "Customer · shoe size" in str(app.screen.query_one("Label").render())
        await pilot.press(*"42", "enter")
        await settle(pilot)
        assert app.clipboard == "Your size is 42, friend."


async def test_an_empty_database_shows_an_empty_panel(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert panel(app).scripts == ()
        await pilot.press("1", "c", "s", "plus")
        await settle(pilot)
        assert app.clipboard == ""
        assert "Highlight a script" in str(app.screen.query_one("#script-preview").render())


def numbers_shown(app) -> dict[str, int]:
    """Script slug → the digit printed beside it in the Suggested now part of the list."""
    options = app.screen.query_one("#script-options")
    shown = {}
    for option in options.options:
        if option.id and option.id.startswith("suggested:"):
            text = str(option.prompt).strip()
            digit = text.split(" ", 1)[0]
            if digit.isdigit():
                shown[script_slug(option.id.removeprefix("suggested:"))] = int(digit)
    return shown


async def test_a_digit_keeps_meaning_the_script_it_was_shown_beside(demo_store):
    no_internet = next(c for c in demo_store.queue.waiting() if c.topic == "no_internet")
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, no_internet.id)
        await pilot.press("1")  # the greeting: the topic's scripts and the promotion follow
        await settle(pilot)
        before = numbers_shown(app)
        assert len(before) >= 2, before
        first, *_, last = sorted(before.items(), key=lambda item: item[1])
        await pilot.press(str(first[1]))  # use one of them...
        await settle(pilot)
        after = numbers_shown(app)
        # ...and every other script still listed keeps its number: the last one read is the
        # last one used.
        for slug, number in before.items():
            if slug in after:
                assert after[slug] == number, (slug, before, after)
        await pilot.press(str(last[1]))
        await settle(pilot)
        said = [
            script_slug(p["script_id"]) for p in events_of(demo_store, app, EventType.SCRIPT_SAID)
        ]
        assert said[-2:] == [first[0], last[0]]


async def test_a_script_has_one_number_even_where_it_is_listed_twice(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        options = app.screen.query_one("#script-options")
        prompts = [str(o.prompt).split() for o in options.options if o.id]
        digits = [p[0] for p in prompts if p and p[0].isdigit()]
        assert len(digits) == len(set(digits)) == len(panel(app).suggested)


async def test_u_takes_back_the_last_use_and_the_figures_follow(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        greeting = panel(app).numbered(1)
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.operator_state.used(greeting.id)
        await pilot.press("u")
        await settle(pilot)
        assert not app.screen.operator_state.used(greeting.id)
        assert script_slug(greeting.id) in suggested(app)  # to be said again
        assert events_of(demo_store, app, EventType.SCRIPT_USE_UNDONE) == [
            {"script_id": greeting.id}
        ]
        assert not option_text(app, greeting.id).endswith("✓")


async def test_suggested_now_is_in_view_after_a_use_and_on_the_next_contact(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take_contact(pilot)
        options = app.screen.query_one("#script-options")
        panel(app).show_script("deesc-understand.en")  # far down, in its category
        await pilot.press("s")
        await settle(pilot)
        assert options.highlighted == 1 and options.scroll_offset.y == 0
        panel(app).show_script("closing-standard.en")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("1", "ctrl+s")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert options.highlighted == 1 and options.scroll_offset.y == 0
        assert str(options.get_option_at_index(0).prompt) == "Suggested now"
        assert numbers_shown(app) and min(numbers_shown(app).values()) == 1


async def test_category_headers_are_names_in_the_content_language_never_slugs(demo_store):
    for language, expected in (("en", "Chat and e-mail"), ("ru", "Чат и почта")):
        app = make_app(demo_store, language=language)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            options = app.screen.query_one("#script-options")
            headers = [str(option.prompt) for option in options.options if option.disabled]
            assert expected in headers
            slugs = {script.category for script in app.screen.query_one(ScriptList).scripts}
            assert not slugs & set(headers), headers  # "greeting" never, "Greeting" is a name
            assert not [h for h in headers if h.isupper() and len(h) > 2], headers


async def test_a_copied_script_carries_no_control_codes_from_the_customers_details(demo_store):
    chat = next(c for c in demo_store.queue.waiting() if c.channel == "chat")
    customer = demo_store.people.customer(chat.customer_contract)
    from dataclasses import replace

    demo_store.people.upsert_customers(
        [replace(customer, name="Olga\x1b]52;c;cHduZWQ=\x07 Ivanova")]
    )
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, chat.id)
        panel(app).show_script("greeting-returning.en")
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard and "\x1b" not in app.clipboard and "\x07" not in app.clipboard
