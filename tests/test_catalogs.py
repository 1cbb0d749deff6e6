"""The interface's catalogs: complete, current, compiled, and speaking Russian as Russians count.

Pure tests (no console): the catalog files themselves, the plural forms, the language settings
and the command line. What the screens show in Russian is in tests/test_russian_screens.py.
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from agent_console import i18n
from agent_console.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "agent_console" / "locale"
RUSSIAN_PO = LOCALE / "ru" / "LC_MESSAGES" / "agent_console.po"


def russian_catalog():
    with RUSSIAN_PO.open("rb") as po_file:
        return read_po(po_file, locale="ru", domain="agent_console")


def update_catalogs_module():
    spec = importlib.util.spec_from_file_location(
        "update_catalogs", ROOT / "scripts" / "update_catalogs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_catalog_entry_has_a_russian_translation():
    untranslated = []
    for message in russian_catalog():
        if not message.id:
            continue  # the header
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            untranslated.append(message.id)
    assert untranslated == []


def test_plural_entries_have_the_three_russian_forms():
    catalog = russian_catalog()
    assert catalog.num_plurals == 3
    for message in catalog:
        if message.pluralizable:
            assert len(message.string) == 3, message.id


def test_every_string_of_the_code_is_in_the_catalogs():
    """A string marked in the code but missing from the .po (scripts/update_catalogs.py was not
    run) would be shown in English on a Russian screen."""
    template = update_catalogs_module().extract()
    in_code = {(message.id, message.context) for message in template if message.id}
    in_catalog = {(message.id, message.context) for message in russian_catalog() if message.id}
    assert sorted(map(str, in_code - in_catalog)) == []
    assert sorted(map(str, in_catalog - in_code)) == []  # nothing stale kept


def test_the_compiled_catalog_is_the_po_compiled():
    """The .mo ships in the repository (an install needs no build step): it must say what the
    .po says."""
    compiled = io.BytesIO()
    write_mo(compiled, russian_catalog(), use_fuzzy=False)
    assert (RUSSIAN_PO.with_suffix(".mo")).read_bytes() == compiled.getvalue()


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "1 контакт"),
        (2, "2 контакта"),
        (5, "5 контактов"),
        (11, "11 контактов"),
        (21, "21 контакт"),
        (22, "22 контакта"),
        (0, "0 контактов"),
    ],
)
def test_russian_counts_take_the_right_form(count, said):
    from agent_console.text import counted

    i18n.set_ui_language("ru")
    assert counted(count, "contacts") == said


def test_english_counts_stay_english():
    from agent_console.text import counted

    assert [counted(n, "contacts") for n in (1, 2, 5, 11, 21)] == [
        "1 contact",
        "2 contacts",
        "5 contacts",
        "11 contacts",
        "21 contacts",
    ]


def test_a_plural_message_agrees_with_its_number_in_russian():
    i18n.set_ui_language("ru")
    masked = [
        i18n.ngettext(
            "{count} card number in the wrap-up was masked before saving.",
            "{count} card numbers in the wrap-up were masked before saving.",
            n,
        ).format(count=n)
        for n in (1, 2, 5, 11, 21)
    ]
    assert masked == [
        "1 номер карты в постобработке скрыт перед сохранением.",
        "2 номера карт в постобработке скрыты перед сохранением.",
        "5 номеров карт в постобработке скрыты перед сохранением.",
        "11 номеров карт в постобработке скрыты перед сохранением.",
        "21 номер карты в постобработке скрыт перед сохранением.",
    ]


def test_dates_and_numbers_follow_the_interface_language():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)
    assert i18n.format_moment(moment) == "2026-11-23 19:30"
    assert i18n.format_amount(-1234.5) == "-1,234.50"
    i18n.set_ui_language("ru")
    # In the operator's zone: 19:30 UTC is 22:30 in Moscow.
    assert i18n.format_moment(moment, ZoneInfo("Europe/Moscow")) == "23.11.2026 22:30"
    assert i18n.format_amount(1234.5) == "1\xa0234,50"
    assert i18n.format_number(3.25, 1) == "3,2"


def test_slugs_have_names_in_both_languages():
    from agent_console.domain.codes import (
        CHOSEN_OUTCOMES,
        TOPICS,
        channel_label,
        outcome_label,
        topic_label,
    )

    i18n.set_ui_language("ru")
    assert outcome_label("callback") == "Назначен перезвон"
    assert channel_label("email") == "Почта"
    assert topic_label("no_internet") == "Нет интернета"
    assert all(outcome_label(code) != code for code in CHOSEN_OUTCOMES)
    assert all(topic_label(code) != code for code in TOPICS)
    i18n.set_ui_language("en")
    assert outcome_label("callback") == "Callback arranged"
    assert topic_label("no_internet") == "No internet"


# --- where the language comes from -------------------------------------------------------------


def test_ui_language_is_read_from_the_file_and_the_environment(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('ui_language = "ru"\nlanguage = "en"\n', encoding="utf-8")
    config = load_config(path, environ={})
    assert (config.ui_language, config.language) == ("ru", "en")
    assert load_config(path, environ={"AGENT_CONSOLE_UI_LANGUAGE": "en"}).ui_language == "en"
    assert load_config(tmp_path / "none.toml", environ={}).ui_language is None


def test_an_unknown_ui_language_is_an_error_naming_the_file_and_the_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('ui_language = "de"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    assert str(error.value) == f"{path}: ui_language must be 'en' or 'ru', not 'de'"
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path / "none.toml", environ={"AGENT_CONSOLE_UI_LANGUAGE": "fr"})
    assert (
        str(error.value) == "AGENT_CONSOLE_UI_LANGUAGE: ui_language must be 'en' or 'ru', not 'fr'"
    )


def test_without_a_setting_the_interface_speaks_the_operators_language(tmp_path):
    from agent_console.config import Config
    from agent_console.context import interface_language
    from agent_console.domain import Operator

    olga = Operator("olga.volkova", "Olga Volkova", "operator", "ru")
    anna = Operator("anna.smirnova", "Anna Smirnova", "operator", "en")
    config = Config(db=tmp_path / "x.db")
    assert interface_language(config, olga) == "ru"
    assert interface_language(config, anna) == "en"
    assert interface_language(config, None) == "en"
    assert interface_language(Config(db=tmp_path / "x.db", ui_language="en"), olga) == "en"


# --- the command line ------------------------------------------------------------------------


def test_the_command_line_speaks_russian_when_asked(cli, db_path):
    result = cli("--ui-language", "ru", "db", "check")
    assert result.exit_code == 1
    assert f"нет файла базы данных {db_path}" in result.output


def test_the_command_lines_help_is_in_russian(cli):
    result = cli("--ui-language", "ru", "--help")
    assert result.exit_code == 0
    assert "Без команды запускает консоль." in result.output
    assert "Язык интерфейса" in result.output
    assert "Статьи базы знаний." in result.output  # a command's one line, in the list


def test_the_environment_sets_the_command_lines_language(cli, db_path, monkeypatch):
    monkeypatch.setenv("AGENT_CONSOLE_UI_LANGUAGE", "ru")
    assert "нет файла базы данных" in cli("db", "check").output


def test_json_output_keeps_its_english_keys_and_slugs(cli, demo_store):
    english = cli("operators", "list", "--json")
    russian = cli("--ui-language", "ru", "operators", "list", "--json")
    assert english.exit_code == russian.exit_code == 0
    assert json.loads(russian.output) == json.loads(english.output)
    assert {row["role"] for row in json.loads(russian.output)} >= {"operator", "supervisor"}


def test_an_install_carries_the_catalogs():
    """Every catalog file is package data (pyproject.toml), so a wheel and an editable install
    both have them (checked by hand with `pip wheel .`: the .pot, .po and .mo are in it)."""
    import tomllib
    from fnmatch import fnmatch

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["agent_console"]
    package = ROOT / "agent_console"
    catalogs = [
        path.relative_to(package).as_posix()
        for path in LOCALE.rglob("*")
        if path.suffix in (".pot", ".po", ".mo")
    ]
    assert len(catalogs) >= 3
    assert [c for c in catalogs if not any(fnmatch(c, p) for p in patterns)] == []
