"""The interface language: every string a person reads on the screen or the command line goes
through `_` (or `ngettext` where a number decides the form), and a string written where the
language is not yet known (a class attribute, a module constant) is marked with `N_` and
translated where it is shown.

The catalogs are stdlib gettext's (`locale/<lang>/LC_MESSAGES/agent_console.po`, compiled to
`.mo`); the interface language is apart from the content language of scripts and articles.
Machine-readable output (--json, CSV) never goes through here: its keys and slugs stay English.
"""

from __future__ import annotations

import gettext
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
