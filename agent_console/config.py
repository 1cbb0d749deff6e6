"""Configuration: defaults, then the TOML config file, then AGENT_CONSOLE_* environment variables,
then command-line options — each later layer wins.

    # ~/.config/agent-console/config.toml
    operator = "anna.smirnova"
    language = "en"          # content language of scripts and articles: en | ru
    db = "/srv/callcenter/console.db"

    [keymap]                 # binding id = keys
    "work.accept_next" = "f5"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "agent-console"
ENV_PREFIX = "AGENT_CONSOLE_"
DEFAULT_OPERATOR = "anna.smirnova"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    db: Path
    operator: str = DEFAULT_OPERATOR
    language: str = "en"
    keymap: dict[str, str] = field(default_factory=dict)

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
    for key in ("db", "operator", "language"):
        if ENV_PREFIX + key.upper() in environ:
            values[key] = environ[ENV_PREFIX + key.upper()]
    language = values.get("language", "en")
    if language not in ("en", "ru"):
        raise ConfigError(f"{path}: language must be 'en' or 'ru', not {language!r}")
    keymap = values.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f"{path}: [keymap] maps binding ids to keys, e.g. \"work.accept_next\" = \"f5\"")
    return Config(
        db=Path(values["db"]).expanduser() if values.get("db") else default_db_path(),
        operator=str(values.get("operator", DEFAULT_OPERATOR)),
        language=language,
        keymap=dict(keymap),
    )
