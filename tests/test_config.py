"""The config file: every name in it is one the console knows, else an error naming the file, the
key and the nearest known name; the binding ids it accepts are the ones the screens define."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import agent_console
from agent_console.binding_ids import BINDING_IDS
from agent_console.config import Config, ConfigError, Display, Wrapup, load_config

README = Path(__file__).resolve().parents[1] / "README.md"


def loaded(tmp_path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ={})


def refused(tmp_path, text: str) -> str:
    """The one-line message of the ConfigError, which names the file first."""
    with pytest.raises(ConfigError) as error:
        loaded(tmp_path, text)
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'config.toml'}: ")
    assert "\n" not in message
    return message.removeprefix(f"{tmp_path / 'config.toml'}: ")


# --- names the console does not know --------------------------------------------------------------


def test_an_unknown_top_level_key_is_named_with_the_nearest_key(tmp_path):
    assert refused(tmp_path, 'languge = "ru"\n') == (
        'unknown key "languge"; did you mean "language"?'
    )
    assert refused(tmp_path, 'colour = "red"\n') == (
        'unknown key "colour" (known: "db", "operator", "language", "ui_language", "timezone")'
    )


def test_an_unknown_section_is_named_with_the_nearest_section(tmp_path):
    assert refused(tmp_path, "[dispaly]\ncursor_blink = false\n") == (
        "unknown section [dispaly]; did you mean [display]?"
    )
    assert refused(tmp_path, "[theme]\nname = 'dark'\n") == (
        "unknown section [theme] (known: [keymap], [wrapup], [display], [service_level],"
        " [contacts], [alerts])"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ('[wrapup]\nmod = "optional"\n', 'unknown key "mod" in [wrapup]; did you mean "mode"?'),
        ("[wrapup]\nlimit = 90\n", 'unknown key "limit" in [wrapup]; did you mean "limit_s"?'),
        (
            "[wrapup]\nstay = true\n",
            'unknown key "stay" in [wrapup] (known: "mode", "limit_s", "after")',
        ),
        (
            "[display]\ncursor_blinks = false\n",
            'unknown key "cursor_blinks" in [display]; did you mean "cursor_blink"?',
        ),
    ],
)
def test_an_unknown_key_in_a_section_is_named_with_the_nearest_key(tmp_path, text, message):
    assert refused(tmp_path, text) == message


def test_a_key_below_the_wrong_section_line_says_where_it_belongs(tmp_path):
    # TOML puts every key below [keymap] into [keymap]: the commonest slip of all.
    assert refused(tmp_path, '[keymap]\n"work.search" = "ctrl+f"\noperator = "olga.volkova"\n') == (
        'unknown key "operator" in [keymap]: operator is a top-level key,'
        " so it goes above the first [section] line"
    )
    assert refused(tmp_path, "[wrapup]\ncursor_blink = false\n") == (
        'unknown key "cursor_blink" in [wrapup]: cursor_blink belongs in [display]'
    )
    assert refused(tmp_path, '"work.accept_next" = "f5"\n') == (
        'unknown key "work.accept_next": it is a binding id, so it goes under [keymap]'
    )
    assert refused(tmp_path, "display = false\n") == (
        "display is a section: write [display] on a line of its own, then its keys below it"
    )


def test_an_unknown_binding_id_is_named_with_the_nearest_id(tmp_path):
    assert refused(tmp_path, '[keymap]\n"work.acept_next" = "f5"\n') == (
        'unknown binding id "work.acept_next" in [keymap]; did you mean "work.accept_next"?'
    )
    assert refused(tmp_path, '[keymap]\n"replay.pause" = "p"\n').startswith(
        'unknown binding id "replay.pause" in [keymap] (the replay. ids: replay.back,'
    )
    assert refused(tmp_path, '[keymap]\n"wrok.accept_next" = "f5"\n') == (
        'unknown binding id "wrok.accept_next" in [keymap]; did you mean "work.accept_next"?'
    )
    assert refused(tmp_path, '[keymap]\n"accept_next" = "f5"\n') == (
        'unknown binding id "accept_next" in [keymap]; did you mean "work.accept_next"?'
    )
    assert refused(tmp_path, '[keymap]\n"zzz" = "f5"\n').startswith(
        'unknown binding id "zzz" in [keymap] (binding ids begin with app., break.,'
    )


def test_a_binding_id_without_quotes_is_told_to_quote_it(tmp_path):
    # Unquoted, TOML reads work.accept_next as a table "work" holding "accept_next".
    assert refused(tmp_path, '[keymap]\nwork.accept_next = "f5"\n') == (
        '[keymap] work.accept_next: put the binding id in quotes, "work.accept_next" = "f5"'
    )
    assert refused(tmp_path, '[keymap]\nwork.acept_next = "f5"\n') == (
        'unknown binding id "work.acept_next" in [keymap]; did you mean "work.accept_next"?'
    )


# --- values of the wrong type or out of range -----------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("operator = 42\n", "operator must be text in quotes, not 42"),
        ("db = 1\n", "db must be text in quotes, not 1"),
        ('language = "de"\n', "language must be 'en' or 'ru', not 'de'"),
        (
            '[wrapup]\nlimit_s = "90"\n',
            "[wrapup] limit_s must be a whole number of seconds, 10 or more, not '90'",
        ),
        (
            "[wrapup]\nlimit_s = 9.5\n",
            "[wrapup] limit_s must be a whole number of seconds, 10 or more, not 9.5",
        ),
        (
            "[wrapup]\nlimit_s = true\n",
            "[wrapup] limit_s must be a whole number of seconds, 10 or more, not True",
        ),
        (
            '[wrapup]\nafter = "break"\n',
            '[wrapup] after must be "ready" or "wrapup", not \'break\'',
        ),
        ("[display]\ncursor_blink = 0\n", "[display] cursor_blink must be true or false, not 0"),
        (
            "[service_level]\nphone = 0\n",
            "[service_level] phone must be a whole number of seconds, 1 or more, not 0",
        ),
        (
            "[service_level]\ngoal = 80\n",
            "[service_level] goal must be a share from 0 to 1 (0.8 for 80 %), not 80",
        ),
        (
            '[keymap]\n"work.search" = 6\n',
            '[keymap] "work.search" must be a key or keys in quotes,'
            ' e.g. "work.search" = "f5" or "ctrl+f,f6", not 6',
        ),
        (
            '[keymap]\n"work.search" = ""\n',
            '[keymap] "work.search" must be a key or keys in quotes,'
            ' e.g. "work.search" = "f5" or "ctrl+f,f6", not \'\'',
        ),
    ],
)
def test_a_value_of_the_wrong_kind_names_the_key(tmp_path, text, message):
    assert refused(tmp_path, text) == message


def test_a_bad_value_from_the_environment_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="^AGENT_CONSOLE_LANGUAGE: language must be 'en' or 'ru'"):
        load_config(tmp_path / "config.toml", environ={"AGENT_CONSOLE_LANGUAGE": "de"})


def test_a_file_that_is_not_toml_or_not_text_is_an_error_naming_it(tmp_path):
    assert refused(tmp_path, "operator = \n").startswith("Invalid value")
    path = tmp_path / "config.toml"
    path.write_bytes(b'operator = "\xff"\n')
    with pytest.raises(ConfigError, match=re.escape(f"{path}: not UTF-8 text (at byte 12)")):
        load_config(path, environ={})
    path.unlink()
    path.mkdir()
    with pytest.raises(ConfigError, match=re.escape(f"{path}: cannot read it")):
        load_config(path, environ={})


def test_the_cli_prints_a_config_error_as_one_line_and_exits_nonzero(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from agent_console.cli import main

    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"work.acept_next" = "f5"\n', encoding="utf-8")
    monkeypatch.setenv("AGENT_CONSOLE_CONFIG", str(path))
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "console.db"), "sessions", "list"])
    assert result.exit_code == 1
    assert result.output == (
        f'Error: {path}: unknown binding id "work.acept_next" in [keymap];'
        f' did you mean "work.accept_next"?\n'
    )


# --- what the file says ---------------------------------------------------------------------------


def readme_config() -> str:
    """The config file shown in README.md."""
    readme = README.read_text(encoding="utf-8")
    return (
        readme.split("Configuration: `~/.config/agent-console/config.toml`")[1]
        .split("```toml\n")[1]
        .split("```")[0]
    )


def test_every_key_the_readme_shows_is_read(tmp_path):
    config = loaded(tmp_path, readme_config())
    assert config == Config(
        db=Path("/srv/callcenter/console.db"),
        operator="anna.smirnova",
        language="en",
        ui_language="ru",
        timezone="Europe/Moscow",
        keymap={"work.search": "ctrl+f"},
        wrapup=Wrapup(mode="mandatory", limit_s=120, after="ready"),
        display=Display(cursor_blink=True),
    )


def test_the_readme_shows_the_message_for_an_unknown_binding_id(tmp_path):
    message = refused(tmp_path, '[keymap]\n"work.acept_next" = "f5"\n')
    assert f"`config.toml: {message}`" in " ".join(README.read_text(encoding="utf-8").split())


def test_the_names_in_the_file_are_the_names_in_the_code(tmp_path):
    config = loaded(
        tmp_path,
        """\
        operator = "olga.volkova"
        language = "ru"
        timezone = "Asia/Novosibirsk"
        db = "~/shift.db"
        [keymap]
        "work.accept_next" = "f5"
        "replay.toggle" = "p"
        [wrapup]
        mode = "timeboxed"
        limit_s = 90
        after = "wrapup"
        [display]
        cursor_blink = false
    """,
    )
    assert (config.operator, config.language, config.timezone) == (
        "olga.volkova",
        "ru",
        "Asia/Novosibirsk",
    )
    assert config.db == Path("~/shift.db").expanduser()
    assert config.keymap == {"work.accept_next": "f5", "replay.toggle": "p"}
    assert config.wrapup == Wrapup(mode="timeboxed", limit_s=90, after="wrapup")
    assert config.display == Display(cursor_blink=False)


def test_no_file_is_the_defaults(tmp_path):
    config = load_config(tmp_path / "config.toml", environ={})
    assert (config.operator, config.language, config.timezone, config.keymap) == (
        "anna.smirnova",
        "en",
        None,
        {},
    )
    assert (config.wrapup, config.display) == (Wrapup(), Display())
    assert config.wrapup == Wrapup(mode="mandatory", limit_s=120, after="ready")


# --- the binding ids ------------------------------------------------------------------------------


def binding_ids_in_the_code() -> dict[str, str]:
    """Every binding id in the BINDINGS of a class of the package: id -> the class."""
    from textual.binding import Binding
    from textual.dom import DOMNode

    found: dict[str, str] = {}
    for module in pkgutil.walk_packages(agent_console.__path__, "agent_console."):
        if module.name == "agent_console.__main__":
            continue
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if cls.__module__ == module.name and issubclass(cls, DOMNode):
                for binding in cls.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id:
                        found.setdefault(binding.id, cls.__qualname__)
    return found


def test_the_binding_ids_of_the_config_are_those_of_the_screens():
    in_code = binding_ids_in_the_code()
    assert {"work.accept_next", "replay.toggle", "score.save", "app.help"} <= set(in_code)
    assert set(in_code) - BINDING_IDS == set(), "add these to agent_console/binding_ids.py"
    assert BINDING_IDS - set(in_code) == set(), "no binding has these ids any more"


def test_reading_the_config_does_not_load_textual():
    import subprocess
    import sys

    probe = "import sys, agent_console.config; print('textual' in sys.modules)"
    assert (
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )


def test_a_config_file_named_in_the_environment_must_exist(tmp_path):
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match=f"AGENT_CONSOLE_CONFIG names {missing}, and there is no"):
        load_config(environ={"AGENT_CONSOLE_CONFIG": str(missing)})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "cannot read it"),
        (lambda p: p.write_bytes(b'operator = "\xff"\n'), "not UTF-8 text"),
        (lambda p: p.write_text("db = 5\n"), "db must be text in quotes, not 5"),
        (lambda p: p.write_text("operator = [\n"), "config.toml"),
    ],
)
def test_a_config_that_cannot_be_used_is_one_line_naming_it(tmp_path, make, message):
    path = tmp_path / "config.toml"
    make(path)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(environ={"AGENT_CONSOLE_CONFIG": str(path)})


def test_service_level_targets_default_to_the_domain_and_are_read(tmp_path):
    from agent_console.config import ServiceLevel
    from agent_console.domain.codes import SLA_SECONDS

    assert ServiceLevel().targets() == SLA_SECONDS
    config = loaded(tmp_path, "[service_level]\nphone = 20\ngoal = 0.9\n")
    assert config.service_level.targets() == {**SLA_SECONDS, "phone": 20}
    assert config.service_level.goal == 0.9


def test_alert_thresholds_default_and_are_read(tmp_path):
    from agent_console.domain.alerts import AlertThresholds

    assert load_config(tmp_path / "config.toml", environ={}).alerts == AlertThresholds()
    config = loaded(tmp_path, "[alerts]\nlong_call_s = 600\nbreak_grace_s = 60\n")
    assert config.alerts == AlertThresholds(long_call_s=600, break_grace_s=60)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "[alerts]\nlong_hold_s = 0\n",
            "[alerts] long_hold_s must be a whole number of seconds, 1 or more, not 0",
        ),
        (
            "[alerts]\nbreak_grace_s = -1\n",
            "[alerts] break_grace_s must be a whole number of seconds, 0 or more, not -1",
        ),
        (
            '[alerts]\nlong_call_s = "15m"\n',
            "[alerts] long_call_s must be a whole number of seconds, 1 or more, not '15m'",
        ),
        (
            "[alerts]\nlong_call = 900\n",
            'unknown key "long_call" in [alerts]; did you mean "long_call_s"?',
        ),
    ],
)
def test_a_bad_alert_threshold_names_the_file_and_the_key(tmp_path, text, message):
    assert refused(tmp_path, text) == message


def test_the_readme_shows_the_alert_thresholds_as_they_are(tmp_path):
    from agent_console.domain.alerts import AlertThresholds

    shown = README.read_text(encoding="utf-8").split("```toml\n[alerts]\n")[1].split("```")[0]
    assert loaded(tmp_path, "[alerts]\n" + shown).alerts == AlertThresholds()


def test_a_server_database_is_named_by_its_url_from_the_file_or_the_environment(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('db = "postgresql://agent@db.example.org/callcenter"\n')
    from_file = load_config(path, environ={})
    assert from_file.db == "postgresql://agent@db.example.org/callcenter"
    url = "postgresql://agent:secret@db.example.org:5433/callcenter"
    from_environment = load_config(path, environ={"AGENT_CONSOLE_DB": url})
    assert from_environment.db == url
    # Messages name the server without the password; the console's own files stay local.
    assert from_environment.db_shown == "postgresql://agent:***@db.example.org:5433/callcenter"
    assert from_environment.data_folder.is_absolute()
    assert (
        load_config(path, environ={"AGENT_CONSOLE_DB": "~/c.db"}).db == Path("~/c.db").expanduser()
    )
