"""The interface language: every string a person reads on the screen or the command line goes
through `_` (or `ngettext` where a number decides the form), and a string written where the
language is not yet known (a class attribute, a module constant) is marked with `N_` and
translated where it is shown.

The catalogs are stdlib gettext's (`locale/<lang>/LC_MESSAGES/agent_console.po`, compiled to
`.mo`); the interface language is apart from the content language of scripts and articles.
`scripts/update_catalogs.py` extracts the marked strings with Babel, updates each `.po` and
compiles its `.mo`, which is committed (an install needs no build step; tests/test_catalogs.py
checks that it is the `.po` compiled). Babel also says dates and numbers the locale's way
(`format_moment`, `format_amount`, `format_number`), imported on their first use: the first
screen never waits for its locale data.
Machine-readable output (--json, CSV) never goes through here: its keys and slugs stay English.
"""

from __future__ import annotations

import gettext
from datetime import datetime, tzinfo
from pathlib import Path

DOMAIN = "agent_console"
LOCALE_DIR = Path(__file__).parent / "locale"
# The interface languages there are catalogs for; English is the source language.
UI_LANGUAGES = ("en", "ru")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_ui_language(language: str) -> None:
    """Speak `language` from now on (an unknown one falls back to English)."""
    global _translations, _language
    _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    _language = language if language in UI_LANGUAGES else "en"


def ui_language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in `context`, where one English word has two translations."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Marks `message` for the catalogs without translating it (that happens where it is shown)."""
    return message


# --- dates, times and numbers in the interface's locale (Babel, imported on first use) ------

# How a moment reads, by interface language. English keeps the console's unambiguous ISO-like
# form; Russian writes the day first (23.11.2026 19:30), as Russian documents do, in the same
# width (the history table's date column).
_MOMENT_PATTERNS = {
    "en": ("yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"),
    "ru": ("dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss"),
}


def format_moment(
    moment: datetime,
    zone: tzinfo | None = None,
    *,
    seconds: bool = False,
    with_zone: bool = False,
) -> str:
    """`moment` as the interface's locale writes it, in `zone` (None: as it is); `with_zone`
    names the zone after it ("UTC", "+0300")."""
    from babel.dates import format_datetime  # its locale data costs start-up time

    if zone is not None:
        moment = moment.astimezone(zone)
    pattern = _MOMENT_PATTERNS.get(_language, _MOMENT_PATTERNS["en"])[seconds]
    if with_zone:
        pattern += " z"
    return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=_language)


def format_amount(amount: float) -> str:
    """A sum of money, two decimals, grouped as the locale groups: 1,234.50 / 1 234,50."""
    from babel.numbers import format_decimal

    return format_decimal(amount, "#,##0.00", locale=_language)


def format_number(number: float, decimals: int = 0) -> str:
    """A number as the locale writes it (the decimal comma in Russian)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(number, pattern, locale=_language)
