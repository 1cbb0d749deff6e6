"""Scripts in the customer's language, when the operator works in it; else the content language."""

from __future__ import annotations

import pytest

from agent_console.app import AgentConsoleApp
from agent_console.config import Config
from agent_console.context import ConsoleContext
from agent_console.domain import EventType, Operator
from agent_console.domain.language import script_language
from agent_console.widgets.customer_card import CustomerCard
from agent_console.widgets.script_list import ScriptList
from tests.helpers import SIZE, settle, take


@pytest.mark.parametrize(
    ("customer", "operator", "content", "shown"),
    [
        ("ru", "ru", "en", "ru"),  # the operator's own language
        ("ru", "en", "ru", "ru"),  # the configured content language
        ("ru", "ru", "ru", "ru"),
        ("ru", "en", "en", "en"),  # the operator does not work in Russian
        ("en", "ru", "ru", "ru"),  # ... nor in English
        ("en", "en", "ru", "en"),
        ("en", "ru", "en", "en"),
        (None, "ru", "en", "en"),  # no customer on record: the content language
        ("", "ru", "en", "en"),
        ("de", "de", "en", "en"),  # there are no scripts in German
    ],
)
def test_the_script_language(customer, operator, content, shown):
    assert script_language(customer, operator, content) == shown


def test_the_context_applies_the_rule_to_its_operator_and_config(store):
    olga = Operator("olga.volkova", "Olga Volkova", language="ru", name_ru="Ольга Волкова")
    context = ConsoleContext(store, Config(db=store.path, language="en"), olga, store.clock)
    assert context.script_language("ru") == "ru"
    assert context.script_language("en") == "en"
    assert context.script_language(None) == "en"


def make_app(store, operator, language="en") -> AgentConsoleApp:
    return AgentConsoleApp(
        store=store, config=Config(db=store.path, operator=operator, language=language)
    )


def waiting(store, channel: str, customer_language: str) -> int:
    """A waiting contact of the channel from a customer who speaks the language."""
    return next(
        c.id
        for c in store.queue.waiting()
        if c.channel == channel
        and store.people.customer(c.customer_contract).language == customer_language
    )


def events_of(store, app, type_) -> list[dict]:
    contact_id = app.screen.query_one(CustomerCard).data.contact.id
    return [e.payload for e in store.events.for_contact(contact_id) if e.type == type_]


async def test_a_russian_customer_gets_russian_scripts_from_an_operator_who_speaks_it(demo_store):
    # Olga works in Russian; the console's content language is English.
    app = make_app(demo_store, "olga.volkova")
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, waiting(demo_store, "chat", "ru"))
        panel = app.screen.query_one(ScriptList)
        assert panel.suggested and all(s.language == "ru" for s in panel.suggested)
        assert [s.id for s in panel.suggested][:1] == ["greeting-chat.ru"]
        assert panel.scripts and all(s.language == "ru" for s in panel.scripts)
        # Shown and copied in Russian, with her Russian name.
        preview = str(app.screen.query_one("#script-preview").content)
        assert preview.startswith("Здравствуйте! Меня зовут Ольга, служба поддержки Волна Телеком")
        await pilot.press("1")
        await settle(pilot)
        assert app.clipboard == preview
        assert events_of(demo_store, app, EventType.SCRIPT_COPIED) == [
            {"script_id": "greeting-chat.ru", "version": 1}
        ]
        # The approved warning comes up in the customer's language too.
        await pilot.press("p")
        await settle(pilot)
        assert panel.highlighted_script.id == "warning-profanity-first.ru"


async def test_an_english_customer_of_the_same_operator_gets_english_scripts(demo_store):
    app = make_app(demo_store, "olga.volkova")
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, waiting(demo_store, "chat", "en"))
        panel = app.screen.query_one(ScriptList)
        assert [s.id for s in panel.suggested][:1] == ["greeting-chat.en"]
        assert all(s.language == "en" for s in panel.scripts)
        assert "My name is Olga," in str(app.screen.query_one("#script-preview").content)


async def test_an_operator_who_does_not_work_in_russian_keeps_the_content_language(demo_store):
    app = make_app(demo_store, "anna.smirnova")  # language en, content en
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert all(s.language == "en" for s in app.screen.query_one(ScriptList).scripts)
        await take(pilot, waiting(demo_store, "phone", "ru"))
        panel = app.screen.query_one(ScriptList)
        assert panel.suggested and all(s.language == "en" for s in panel.suggested)
        await pilot.press("1")
        await settle(pilot)
        [said] = events_of(demo_store, app, EventType.SCRIPT_SAID)
        assert said["script_id"].endswith(".en")


async def test_a_russian_content_language_serves_an_english_customer_in_english(demo_store):
    # Anna's own language is English and the console's content is Russian: she works in both.
    app = make_app(demo_store, "anna.smirnova", language="ru")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(ScriptList)
        assert all(s.language == "ru" for s in panel.scripts)  # nothing in hand: the content's
        await take(pilot, waiting(demo_store, "chat", "en"))
        assert [s.id for s in panel.suggested][:1] == ["greeting-chat.en"]
        assert "My name is Anna," in str(app.screen.query_one("#script-preview").content)
