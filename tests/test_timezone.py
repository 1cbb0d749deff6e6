"""The operator's time zone: a callback is typed and shown in local time, and kept in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Input

from agent_console.config import Config, ConfigError, load_config
from agent_console.context import ConsoleContext
from agent_console.timezones import local_text, system_zone, typed_local, zone_label
from tests.helpers import SHIFT_NOW, SIZE, end_contact, make_app, settle

MOSCOW = ZoneInfo("Europe/Moscow")
README = Path(__file__).resolve().parents[1] / "README.md"


# --- the setting ---------------------------------------------------------------------------------


def test_the_time_zone_comes_from_the_config_file_then_the_environment(tmp_path):
    path = tmp_path / "config.toml"
    assert load_config(path, environ={}).timezone is None  # not set: the system's zone
    path.write_text('timezone = "Europe/Moscow"\n')
    assert load_config(path, environ={}).timezone == "Europe/Moscow"
    config = load_config(path, environ={"AGENT_CONSOLE_TIMEZONE": "Asia/Novosibirsk"})
    assert config.timezone == "Asia/Novosibirsk"


@pytest.mark.parametrize(
    "name", ["Europe/Mosow", "MSK", "", "Europe", "../etc/passwd", "/etc/localtime", "+03:00"]
)
def test_a_zone_that_does_not_exist_is_a_config_error_naming_it(tmp_path, name):
    path = tmp_path / "config.toml"
    path.write_text(f'timezone = "{name}"\n')
    with pytest.raises(
        ConfigError,
        match=re.escape(
            f'timezone must be an IANA time zone name such as "Europe/Moscow", not {name!r}'
        ),
    ):
        load_config(path, environ={})


def test_a_bad_zone_in_the_environment_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="AGENT_CONSOLE_TIMEZONE: timezone must be .* 'Moscow'"):
        load_config(tmp_path / "config.toml", environ={"AGENT_CONSOLE_TIMEZONE": "Moscow"})


def test_a_zone_that_is_not_text_is_a_config_error(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("timezone = 3\n")
    with pytest.raises(ConfigError, match="timezone must be an IANA time zone name"):
        load_config(path, environ={})


def test_the_context_gives_the_configured_zone_or_the_systems(store):
    moscow = ConsoleContext.live(store, Config(db=store.path, timezone="Europe/Moscow"))
    assert moscow.timezone == MOSCOW
    system = ConsoleContext.live(store, Config(db=store.path))
    assert system.timezone == ZoneInfo("UTC") == system_zone()  # tests run with TZ=UTC


def test_the_system_zone_is_read_from_tz_or_the_system_files(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Yekaterinburg")
    assert system_zone() == ZoneInfo("Asia/Yekaterinburg")
    monkeypatch.setenv("TZ", ":Europe/Samara")
    assert system_zone() == ZoneInfo("Europe/Samara")
    monkeypatch.setenv("TZ", "/usr/share/zoneinfo/Asia/Omsk")
    assert system_zone() == ZoneInfo("Asia/Omsk")


def test_the_readme_tells_the_setting():
    readme = README.read_text(encoding="utf-8")
    assert 'timezone = "Europe/Moscow"' in readme
    assert "AGENT_CONSOLE_TIMEZONE" in readme


# --- typed and shown in local time ---------------------------------------------------------------


def test_a_typed_local_time_is_kept_in_utc_and_shown_back_in_local_time():
    assert typed_local("2026-12-07 10:00", MOSCOW) == "2026-12-07T07:00:00.000Z"
    assert typed_local(" 2026-12-07T10:00 ", MOSCOW) == "2026-12-07T07:00:00.000Z"
    assert local_text("2026-12-07T07:00:00.000Z", MOSCOW) == "2026-12-07 10:00"
    assert local_text(datetime(2026, 12, 7, 7, tzinfo=UTC), MOSCOW) == "2026-12-07 10:00"
    # A zone the operator typed wins over the configured one.
    assert typed_local("2026-12-07 10:00+00:00", MOSCOW) == "2026-12-07T10:00:00.000Z"
    # Not a time (yet): kept as typed, for the form to say what is wrong and to show again.
    assert typed_local("2026-12-0", MOSCOW) == "2026-12-0"
    assert local_text("2026-12-0", MOSCOW) == "2026-12-0"
    assert typed_local("  ", MOSCOW) is None
    assert local_text(None, MOSCOW) == ""


def test_the_zone_is_named_as_the_operator_set_it():
    assert zone_label(MOSCOW) == "Europe/Moscow"
    assert zone_label(UTC) == "UTC"


# --- the wrap-up form ----------------------------------------------------------------------------


def stored_callback(store, contact_id):
    return store.conn.execute(
        "SELECT callback_at, state FROM wrapups WHERE contact_id = ?", (contact_id,)
    ).fetchone()


async def test_a_callback_is_typed_in_the_operators_zone_and_kept_in_utc(demo_store, clock):
    app = make_app(demo_store, timezone="Europe/Moscow")
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        contact_id = form.contact_id
        callback = form.query_one("#wrapup-callback", Input)
        assert callback.placeholder == "YYYY-MM-DD HH:MM (Europe/Moscow)"
        await pilot.press("4")
        callback.focus()
        await pilot.press(*"2026-12-07 10:00")
        await pilot.pause(0.8)  # the draft is written half a second after the last key
        await app.workers.wait_for_complete()
        assert stored_callback(demo_store, contact_id) == ("2026-12-07T07:00:00.000Z", "draft")
    clock.advance(30)
    again = make_app(demo_store, timezone="Europe/Moscow")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        form = again.screen
        assert form.query_one("#wrapup-callback", Input).value == "2026-12-07 10:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form is not again.screen
        assert stored_callback(demo_store, contact_id) == ("2026-12-07T07:00:00.000Z", "saved")


async def test_a_callback_already_past_in_local_time_is_refused(demo_store):
    # 19:30 UTC is 22:30 in Moscow: 22:00 there has gone, though 22:00 UTC has not.
    assert SHIFT_NOW.astimezone(MOSCOW).strftime("%H:%M") == "22:30"
    app = make_app(demo_store, timezone="Europe/Moscow")
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        await pilot.press("4")
        form.query_one("#wrapup-callback", Input).focus()
        await pilot.press(*"2026-11-23 22:00", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert str(form.query_one("#wrapup-callback_at-error").content) == (
            "The callback time is in the past"
        )


async def test_a_half_typed_callback_comes_back_as_typed(demo_store, clock):
    app = make_app(demo_store, timezone="Europe/Moscow")
    async with app.run_test(size=SIZE) as pilot:
        form = await end_contact(pilot)
        await pilot.press("4")
        form.query_one("#wrapup-callback", Input).focus()
        await pilot.press(*"2026-12-0")
        await pilot.pause(0.8)
        await app.workers.wait_for_complete()
    again = make_app(demo_store, timezone="Europe/Moscow")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert again.screen.query_one("#wrapup-callback", Input).value == "2026-12-0"


# --- the hour of the greeting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "greeting"),
    [
        (None, "greeting-evening"),  # 19:30 UTC
        ("America/New_York", "greeting-afternoon"),
        ("Asia/Vladivostok", "greeting-morning"),
    ],
)
async def test_the_greeting_follows_the_hour_in_the_operators_zone(demo_store, zone, greeting):
    from agent_console.domain.lifecycle import script_slug
    from agent_console.widgets.script_list import ScriptList
    from tests.helpers import take

    new_call = demo_store.queue.add(
        channel="phone", customer_contract=None, topic="router", customer_name="Ivan"
    )
    app = make_app(demo_store, timezone=zone)
    async with app.run_test(size=SIZE) as pilot:
        await take(pilot, new_call)
        suggested = [script_slug(s.id) for s in app.screen.query_one(ScriptList).suggested]
        assert suggested[0] == greeting
