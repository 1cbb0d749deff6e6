"""Which of the content languages a text is written in."""

from __future__ import annotations

import re

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
LATIN = re.compile(r"[a-z]", re.IGNORECASE)


def detect_language(text: str) -> str:
    """'ru' when Cyrillic letters outnumber Latin ones, else 'en'."""
    return "ru" if len(CYRILLIC.findall(text)) > len(LATIN.findall(text)) else "en"
