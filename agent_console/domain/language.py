"""Which of the content languages a text is written in."""

from __future__ import annotations

import re

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
LATIN = re.compile(r"[a-z]", re.IGNORECASE)


def detect_language(text: str) -> str:
    """'ru' when Cyrillic letters outnumber Latin ones, else 'en'."""
    return "ru" if len(CYRILLIC.findall(text)) > len(LATIN.findall(text)) else "en"


# The languages scripts and articles are written in.
CONTENT_LANGUAGES = ("en", "ru")


def script_language(
    customer_language: str | None, operator_language: str, content_language: str
) -> str:
    """The language the scripts of a contact are shown (and said, and copied) in.

    The customer's own language when the operator works in it — it is the operator's language,
    or the console's content language — and scripts are written in it; otherwise the content
    language. A contact without a customer on record gets the content language.
    """
    if customer_language in CONTENT_LANGUAGES and customer_language in (
        operator_language,
        content_language,
    ):
        return customer_language
    return content_language
