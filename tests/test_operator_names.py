"""Operators have a name per language: Russian-speaking customers hear "меня зовут Анна"."""

from __future__ import annotations

import sqlite3

from agent_console.config import Config
from agent_console.context import ConsoleContext
from agent_console.domain import Operator
from agent_console.domain.placeholders import fill
from agent_console.store import SCHEMA_VERSION, Store, schema_version


def test_an_operator_keeps_the_name_in_russian(store):
    store.people.upsert_operators(
        [
            Operator("anna", "Anna Smirnova", name_ru="Анна Смирнова"),
            Operator("dima", "Dmitry Kozlov"),
        ]
    )
    assert store.people.operator("anna").name_ru == "Анна Смирнова"
    assert store.people.operator("dima").name_ru is None
    assert [o.name_ru for o in store.people.operators()] == ["Анна Смирнова", None]


def test_the_demo_staff_have_russian_names(demo_store):
    names = {o.login: o.name_ru for o in demo_store.people.operators()}
    assert names == {
        "anna.smirnova": "Анна Смирнова",
        "dmitry.kozlov": "Дмитрий Козлов",
        "olga.volkova": "Ольга Волкова",
        "irina.sokolova": "Ирина Соколова",
        "sergey.lebedev": "Сергей Лебедев",
    }


def test_a_russian_script_says_the_operators_russian_first_name(demo_store):
    context = ConsoleContext.live(demo_store, Config(db=demo_store.path, language="ru"))
    greeting = demo_store.content.script("greeting-evening.ru")
    said = fill(greeting.body, context.placeholder_values()).text
    assert "меня зовут Анна," in said
    assert "Anna" not in said
    english = demo_store.content.script("greeting-evening.en")
    assert "Anna" in fill(english.body, context.placeholder_values("en")).text


def test_a_version_4_file_is_migrated_keeping_its_operators(db_path, clock):
    from agent_console.store.migrations import MIGRATIONS

    conn = sqlite3.connect(db_path, isolation_level=None)
    for migration in MIGRATIONS[:4]:
        migration(conn)
    conn.execute("PRAGMA user_version = 4")
    conn.execute(
        "INSERT INTO operators (login, name, role, language)"
        " VALUES ('olga.volkova', 'Olga Volkova', 'operator', 'ru')"
    )
    conn.close()
    with Store(db_path, clock) as store:
        assert schema_version(store.conn) == SCHEMA_VERSION >= 5
        olga = store.people.operator("olga.volkova")
        assert olga == Operator("olga.volkova", "Olga Volkova", "operator", "ru", None)
        assert olga.first_name_in("ru") == "Olga"  # no Russian name yet: the one there is
        store.people.upsert_operators(
            [Operator("olga.volkova", "Olga Volkova", "operator", "ru", "Ольга Волкова")]
        )
        assert store.people.operator("olga.volkova").first_name_in("ru") == "Ольга"
