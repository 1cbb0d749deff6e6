"""Configuration: defaults, then the TOML config file, then AGENT_CONSOLE_* environment variables,
then command-line options — each later layer wins.

    # ~/.config/agent-console/config.toml
    operator = "anna.smirnova"
    language = "en"          # content language of scripts and articles: en | ru
    timezone = "Europe/Moscow"  # the operator's zone (IANA name); default: the system's
    db = "/srv/callcenter/console.db"

    [keymap]                 # binding id = keys
    "work.accept_next" = "f5"

    [wrapup]
    mode = "mandatory"       # mandatory | optional (Esc skips) | timeboxed (closes itself)
    limit_s = 120            # timeboxed: seconds of after-call work before the form closes
    after = "ready"          # after saving: ready at once, or stay in "wrapup" until F9

    [display]
    cursor_blink = true      # false: a steady text cursor

The names in the file are the names in the code: `[wrapup] mode` is `config.wrapup.mode`.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from agent_console.domain.codes import ACW_MODES
from agent_console.timezones import zone_named

APP_NAME = "agent-console"
ENV_PREFIX = "AGENT_CONSOLE_"
DEFAULT_OPERATOR = "anna.smirnova"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Wrapup:
    """[wrapup]: after-call work."""

    mode: str = "mandatory"  # one of ACW_MODES: optional (Esc skips), timeboxed (closes itself)
    limit_s: int = 120  # timeboxed: seconds before the form closes, keeping what was typed
    after: str = "ready"  # after saving: "ready" at once, or stay in "wrapup" until F9


@dataclass(frozen=True)
class Display:
    """[display]"""

    cursor_blink: bool = True  # False: a steady text cursor


@dataclass(frozen=True)
class Config:
    db: Path
    operator: str = DEFAULT_OPERATOR
    language: str = "en"
    # The operator's time zone, an IANA name ("Europe/Moscow"): callback times are typed and
    # shown in it. None: the system's zone (agent_console/timezones.py).
    timezone: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)  # [keymap]: binding id -> key(s)
    wrapup: Wrapup = field(default_factory=Wrapup)
    display: Display = field(default_factory=Display)

    def with_overrides(self, **values) -> Config:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def default_db_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "console.db"


def default_config_path() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    environ = os.environ if environ is None else environ
    path = path or Path(environ.get(ENV_PREFIX + "CONFIG", default_config_path()))
    values: dict = {}
    if path.exists():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: {error}") from error
    from_environ = set()
    for key in ("db", "operator", "language", "timezone"):
        if ENV_PREFIX + key.upper() in environ:
            values[key] = environ[ENV_PREFIX + key.upper()]
            from_environ.add(key)
    language = values.get("language", "en")
    if language not in ("en", "ru"):
        raise ConfigError(f"{path}: language must be 'en' or 'ru', not {language!r}")
    timezone = values.get("timezone")
    if timezone is not None:
        try:
            zone_named(timezone)
        except ValueError:
            source = ENV_PREFIX + "TIMEZONE" if "timezone" in from_environ else path
            raise ConfigError(
                f"{source}: timezone must be an IANA time zone name such as \"Europe/Moscow\","
                f" not {timezone!r}"
            ) from None
    keymap = values.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f"{path}: [keymap] maps binding ids to keys, e.g. \"work.accept_next\" = \"f5\"")
    wrapup = values.get("wrapup", {})
    acw_mode = wrapup.get("mode", "mandatory")
    if acw_mode not in ACW_MODES:
        raise ConfigError(f"{path}: [wrapup] mode must be one of {', '.join(ACW_MODES)}")
    acw_limit_s = wrapup.get("limit_s", 120)
    if not isinstance(acw_limit_s, int) or acw_limit_s < 10:
        raise ConfigError(f"{path}: [wrapup] limit_s must be a whole number of seconds, 10 or more")
    after = wrapup.get("after", "ready")
    if after not in ("ready", "wrapup"):
        raise ConfigError(f"{path}: [wrapup] after must be \"ready\" or \"wrapup\"")
    cursor_blink = values.get("display", {}).get("cursor_blink", True)
    if not isinstance(cursor_blink, bool):
        raise ConfigError(f"{path}: [display] cursor_blink must be true or false")
    return Config(
        db=Path(values["db"]).expanduser() if values.get("db") else default_db_path(),
        operator=str(values.get("operator", DEFAULT_OPERATOR)),
        language=language,
        timezone=timezone,
        keymap=dict(keymap),
        wrapup=Wrapup(mode=acw_mode, limit_s=acw_limit_s, after=after),
        display=Display(cursor_blink=cursor_blink),
    )
