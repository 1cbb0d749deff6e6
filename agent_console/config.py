"""Configuration: defaults, then the TOML config file, then AGENT_CONSOLE_* environment variables,
then command-line options — each later layer wins.

    # ~/.config/agent-console/config.toml
    operator = "anna.smirnova"
    language = "en"          # content language of scripts and articles: en | ru
    ui_language = "ru"       # the interface's language: en | ru; default: the operator's own
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

    [service_level]          # "X % in Y s": a contact is within target when taken in Y s
    phone = 180              # seconds per channel (default: the domain's SLA_SECONDS)
    chat = 300
    email = 86400
    social = 3600
    goal = 0.8               # the X: the share the center aims for (0-1)

    [alerts]                 # the Shift view's alerts, and the floor's red rows (seconds)
    long_call_s = 900        # a contact in hand (holds included) longer than this
    long_hold_s = 180        # one hold longer than this
    long_wrapup_s = 120      # after-call work longer than this
    break_grace_s = 0        # a break this long past its length (10 minutes for a break)

The names in the file are the names in the code: `[wrapup] mode` is `config.wrapup.mode`. A name
the console does not know (a key, a section, a binding id) is an error naming the file, the key
and the nearest known name, never ignored: a typo would otherwise silently keep the default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from agent_console.binding_ids import BINDING_IDS
from agent_console.domain.alerts import AlertThresholds
from agent_console.domain.codes import ACW_MODES, SLA_SECONDS
from agent_console.i18n import _
from agent_console.timezones import zone_named

APP_NAME = "agent-console"
ENV_PREFIX = "AGENT_CONSOLE_"
DEFAULT_OPERATOR = "anna.smirnova"
LANGUAGES = ("en", "ru")
AFTER_WRAPUP = ("ready", "wrapup")


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
class ServiceLevel:
    """[service_level]: seconds within which a contact of each channel should be taken (the
    figures' service level is the share of contacts that were), and the share aimed for."""

    phone: int = SLA_SECONDS["phone"]
    chat: int = SLA_SECONDS["chat"]
    email: int = SLA_SECONDS["email"]
    social: int = SLA_SECONDS["social"]
    goal: float = 0.8

    def targets(self) -> dict[str, int]:
        return {channel: getattr(self, channel) for channel in SLA_SECONDS}


@dataclass(frozen=True)
class Contacts:
    """[contacts]"""

    # A chat, e-mail or social message held by an operator none of whose consoles has given a
    # sign of life for this many minutes goes back to the queue; 0: never.
    release_written_after_min: int = 10


@dataclass(frozen=True)
class Config:
    # The SQLite file, or the `postgresql://` URL of a database on a server (a str).
    db: Path | str
    operator: str = DEFAULT_OPERATOR
    language: str = "en"
    # The interface's language (titles, keys, messages), apart from the content language.
    # None: the operator's own, from their record (ConsoleContext.ui_language).
    ui_language: str | None = None
    # The operator's time zone, an IANA name ("Europe/Moscow"): callback times are typed and
    # shown in it. None: the system's zone (agent_console/timezones.py).
    timezone: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)  # [keymap]: binding id -> key(s)
    wrapup: Wrapup = field(default_factory=Wrapup)
    display: Display = field(default_factory=Display)
    service_level: ServiceLevel = field(default_factory=ServiceLevel)
    contacts: Contacts = field(default_factory=Contacts)
    alerts: AlertThresholds = field(default_factory=AlertThresholds)

    def with_overrides(self, **values) -> Config:
        return replace(self, **{k: v for k, v in values.items() if v is not None})

    @property
    def data_folder(self) -> Path:
        """Where the console keeps its own files (the crash log, practice score cards): beside
        the database file, or the user data directory when the database is on a server."""
        if isinstance(self.db, Path):
            return self.db.parent
        return default_db_path().parent

    @property
    def db_shown(self) -> str:
        """The database as messages name it: a server's URL without its password."""
        return database_shown(self.db)


def database_setting(value: str | Path) -> Path | str:
    """A database as named (option, environment, file): a server's URL as it is, else a path."""
    from agent_console.store.postgres import is_url

    text = str(value)
    return text if is_url(text) else Path(text).expanduser()


def database_shown(db: Path | str) -> str:
    if isinstance(db, Path):
        return str(db)
    from agent_console.store.postgres import redacted_url

    return redacted_url(db)


# The file's sections are the Config fields that hold a table; its top-level keys are the others.
SECTIONS: dict[str, type | None] = {
    "keymap": None,
    "wrapup": Wrapup,
    "display": Display,
    "service_level": ServiceLevel,
    "contacts": Contacts,
    "alerts": AlertThresholds,
}
TOP_LEVEL_KEYS = tuple(f.name for f in fields(Config) if f.name not in SECTIONS)
# AGENT_CONSOLE_DB, _OPERATOR, _LANGUAGE, _UI_LANGUAGE, _TIMEZONE
FROM_ENVIRONMENT = TOP_LEVEL_KEYS


def default_db_path() -> Path:
    from platformdirs import user_data_dir  # only when no database is named

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "console.db"


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    environ = os.environ if environ is None else environ
    named = environ.get(ENV_PREFIX + "CONFIG")
    if path is None and named is not None and not Path(named).expanduser().exists():
        # Named on purpose: running on the defaults instead (the default operator, the
        # default database) would be a surprise, not a convenience.
        raise ConfigError(f"{ENV_PREFIX}CONFIG names {named}, and there is no such file")
    path = path or (Path(named).expanduser() if named is not None else default_config_path())
    values = read_config_file(path)
    check_names(path, values)
    source: dict[str, str | Path] = dict.fromkeys(values, path)
    for key in FROM_ENVIRONMENT:
        if ENV_PREFIX + key.upper() in environ:
            values[key] = environ[ENV_PREFIX + key.upper()]
            source[key] = ENV_PREFIX + key.upper()

    for key in ("db", "operator"):
        if not isinstance(values.get(key, ""), str):
            raise ConfigError(f"{source[key]}: {key} must be text in quotes, not {values[key]!r}")
    language = values.get("language", Config.language)
    if language not in LANGUAGES:
        raise ConfigError(f"{source['language']}: language must be 'en' or 'ru', not {language!r}")
    ui_language = values.get("ui_language")
    if ui_language is not None and ui_language not in LANGUAGES:
        raise ConfigError(
            f"{source['ui_language']}: ui_language must be 'en' or 'ru', not {ui_language!r}"
        )
    timezone = values.get("timezone")
    if timezone is not None:
        try:
            zone_named(timezone)
        except ValueError:
            raise ConfigError(
                f"{source['timezone']}: timezone must be an IANA time zone name such as"
                f' "Europe/Moscow", not {timezone!r}'
            ) from None
    return Config(
        db=database_setting(values["db"]) if values.get("db") else default_db_path(),
        operator=values.get("operator", DEFAULT_OPERATOR),
        language=language,
        ui_language=ui_language,
        timezone=timezone,
        keymap=checked_keymap(path, values.get("keymap", {})),
        wrapup=checked_wrapup(path, values.get("wrapup", {})),
        display=checked_display(path, values.get("display", {})),
        service_level=checked_service_level(path, values.get("service_level", {})),
        contacts=checked_contacts(path, values.get("contacts", {})),
        alerts=checked_alerts(path, values.get("alerts", {})),
    )


def read_config_file(path: Path) -> dict:
    """The file's tables and keys; none when there is no file."""
    if not path.exists():
        return {}
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (at byte {error.start})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it: {error.strerror or error}") from None


def checked_keymap(path: Path, keymap: dict) -> dict[str, str]:
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(
                f'{path}: [keymap] "{binding_id}" must be a key or keys in quotes,'
                f' e.g. "{binding_id}" = "f5" or "ctrl+f,f6", not {keys!r}'
            )
    return dict(keymap)


def checked_wrapup(path: Path, table: dict) -> Wrapup:
    wrapup = Wrapup(**table)
    if wrapup.mode not in ACW_MODES:
        raise ConfigError(
            f"{path}: [wrapup] mode must be one of {', '.join(ACW_MODES)}, not {wrapup.mode!r}"
        )
    if type(wrapup.limit_s) is not int or wrapup.limit_s < 10:  # not a bool, nor a float
        raise ConfigError(
            f"{path}: [wrapup] limit_s must be a whole number of seconds, 10 or"
            f" more, not {wrapup.limit_s!r}"
        )
    if wrapup.after not in AFTER_WRAPUP:
        raise ConfigError(
            f'{path}: [wrapup] after must be "ready" or "wrapup", not {wrapup.after!r}'
        )
    return wrapup


def checked_display(path: Path, table: dict) -> Display:
    display = Display(**table)
    if not isinstance(display.cursor_blink, bool):
        raise ConfigError(
            f"{path}: [display] cursor_blink must be true or false, not {display.cursor_blink!r}"
        )
    return display


def checked_service_level(path: Path, table: dict) -> ServiceLevel:
    levels = ServiceLevel(**table)
    for channel in SLA_SECONDS:
        seconds = getattr(levels, channel)
        if type(seconds) is not int or seconds < 1:  # not a bool, nor a float
            raise ConfigError(
                f"{path}: [service_level] {channel} must be a whole number of seconds, 1 or"
                f" more, not {seconds!r}"
            )
    goal = levels.goal
    if type(goal) not in (int, float) or not 0 <= goal <= 1:
        raise ConfigError(
            f"{path}: [service_level] goal must be a share from 0 to 1 (0.8 for 80 %), not {goal!r}"
        )
    return levels


def checked_contacts(path: Path, table: dict) -> Contacts:
    contacts = Contacts(**table)
    minutes = contacts.release_written_after_min
    if type(minutes) is not int or minutes < 0:
        raise ConfigError(
            f"{path}: [contacts] release_written_after_min must be a whole number of minutes"
            f" (0: never), not {minutes!r}"
        )
    return contacts


def checked_alerts(path: Path, table: dict) -> AlertThresholds:
    thresholds = AlertThresholds(**table)
    for spec in fields(AlertThresholds):
        seconds = getattr(thresholds, spec.name)
        least = 0 if spec.name == "break_grace_s" else 1
        if type(seconds) is not int or seconds < least:  # not a bool, nor a float
            raise ConfigError(
                _(
                    "{path}: [alerts] {key} must be a whole number of seconds, {least} or more,"
                    " not {value!r}"
                ).format(path=path, key=spec.name, least=least, value=seconds)
            )
    return thresholds


# --- names the console does not know -------------------------------------------------------------


def section_keys(section: str) -> tuple[str, ...]:
    table = SECTIONS[section]
    return tuple(sorted(BINDING_IDS)) if table is None else tuple(f.name for f in fields(table))


def check_names(path: Path, values: dict) -> None:
    """Every key, section and binding id in the file is one the console knows; else a ConfigError
    naming the file and the key, with the nearest known name."""
    for key, value in values.items():
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(
                    f"{path}: {key} is a section: write [{key}] on a line of its"
                    f" own, then its keys below it"
                )
        elif key not in TOP_LEVEL_KEYS:
            raise ConfigError(f"{path}: {unknown_top_level(key, value)}")
    for section in SECTIONS:
        for key, value in values.get(section, {}).items():
            if key not in section_keys(section):
                raise ConfigError(f"{path}: {unknown_in_section(section, key, value)}")


def unknown_top_level(key: str, value: object) -> str:
    if isinstance(value, dict):  # [name], or name.key = …
        if any(f"{key}.{inner}" in BINDING_IDS for inner in value):
            return (
                f"unknown section [{key}]: binding ids go under [keymap], in quotes:"
                f" {quoted(key + '.' + next(iter(value)))} = …"
            )
        return f"unknown section [{key}]{nearest(key, tuple(SECTIONS), '[{}]')}"
    if key in BINDING_IDS:
        return f"unknown key {quoted(key)}: it is a binding id, so it goes under [keymap]"
    return f"unknown key {quoted(key)}{nearest(key, TOP_LEVEL_KEYS)}"


def unknown_in_section(section: str, key: str, value: object) -> str:
    # TOML puts every key below a [section] line into that section: a key written below the
    # wrong header is the commonest way to get here.
    where = f"unknown key {quoted(key)} in [{section}]"
    if key in TOP_LEVEL_KEYS:
        return f"{where}: {key} is a top-level key, so it goes above the first [section] line"
    for other in SECTIONS:
        if other != section and key in section_keys(other):
            return f"{where}: {key} belongs in [{other}]"
    if section != "keymap":
        return f"{where}{nearest(key, section_keys(section))}"
    if isinstance(value, dict) and value:  # work.accept_next = "f5", without the quotes
        inner, keys = next(iter(value.items()))
        key = f"{key}.{inner}"
        if key in BINDING_IDS:
            shown = quoted(keys) if isinstance(keys, str) else "…"
            return f"[keymap] {key}: put the binding id in quotes, {quoted(key)} = {shown}"
    return f"unknown binding id {quoted(key)} in [keymap]{nearest_binding_id(key)}"


def quoted(text: str) -> str:
    return f'"{text}"'


def nearest(name: str, known: tuple[str, ...], shown: str = '"{}"') -> str:
    """'; did you mean …?' with the known name nearest to `name`, else the list of known names."""
    close = closest(name, known)
    if close:
        return f"; did you mean {shown.format(close)}?"
    return f" (known: {', '.join(shown.format(each) for each in known)})"


def nearest_binding_id(name: str) -> str:
    """The nearest id of the same screen ("work.…"), else the ids of that screen; for a screen
    that has none, the nearest of all ids, else the screens."""
    prefix, _, action = name.partition(".")
    same_screen = sorted(each for each in BINDING_IDS if each.startswith(prefix + "."))
    if same_screen:
        close = closest(action, tuple(each.partition(".")[2] for each in same_screen))
        if close:
            return f"; did you mean {quoted(prefix + '.' + close)}?"
        return f" (the {prefix}. ids: {', '.join(same_screen)})"
    close = closest(name, tuple(sorted(BINDING_IDS)))
    if close:
        return f"; did you mean {quoted(close)}?"
    prefixes = sorted({each.partition(".")[0] + "." for each in BINDING_IDS})
    return f" (binding ids begin with {', '.join(prefixes)})"


def closest(name: str, known: tuple[str, ...]) -> str | None:
    from difflib import get_close_matches  # only when something is wrong

    # 0.7 rather than difflib's 0.6: "pause" is not "practise", nor "colour" "operator".
    close = get_close_matches(name, known, n=1, cutoff=0.7)
    return close[0] if close else None
