"""Text for people: customer text made safe to show (literally, never as markup or terminal
control codes), and counted nouns ("1 contact", "2 contacts"). Shared by the screens and the
command line; imports nothing of either."""

from __future__ import annotations

import re
from collections.abc import Callable

from agent_console.i18n import ngettext

# C0 controls (except tab and newline), DEL and the C1 controls.
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode "control pictures": ESC shows as ␛
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def printable(text: str | None, *, single_line: bool = False) -> str:
    """The text with control characters made visible; newlines folded when `single_line`."""
    if not text:
        return ""
    if single_line:
        text = _WHITESPACE.sub(" ", text)
    return _CONTROL.sub(_picture, text)


def for_clipboard(text: str) -> str:
    """The text with its control characters (tab and newline aside) left out: what is pasted
    into a customer's chat must not carry terminal codes (an OSC 52 in a customer's name would
    rewrite the operator's clipboard again when shown)."""
    return _CONTROL.sub("", text)


# Each counted noun of the messages, by its English plural: its forms for a number, from the
# catalogs (Russian has three: 1 контакт, 2 контакта, 5 контактов). A noun not here is the same
# for every number.
_FORMS: dict[str, Callable[[int], str]] = {
    "articles": lambda n: ngettext("article", "articles", n),
    "card numbers": lambda n: ngettext("card number", "card numbers", n),
    "contacts": lambda n: ngettext("contact", "contacts", n),
    "customers": lambda n: ngettext("customer", "customers", n),
    "earlier contacts": lambda n: ngettext("earlier contact", "earlier contacts", n),
    "events": lambda n: ngettext("event", "events", n),
    "lines": lambda n: ngettext("line", "lines", n),
    "notices": lambda n: ngettext("notice", "notices", n),
    "operators": lambda n: ngettext("operator", "operators", n),
    "pairs": lambda n: ngettext("pair", "pairs", n),
    "vectors": lambda n: ngettext("vector", "vectors", n),
    "problems": lambda n: ngettext("problem", "problems", n),
    "sample sessions": lambda n: ngettext("sample session", "sample sessions", n),
    "scripts": lambda n: ngettext("script", "scripts", n),
    "sessions": lambda n: ngettext("session", "sessions", n),
}


def noun(count: int, plural: str) -> str:
    """`plural` as it goes with `count` in the interface's language: "articles" for 0 or 2,
    "article" for 1."""
    forms = _FORMS.get(plural)
    return forms(count) if forms else plural


def counted(count: int, plural: str) -> str:
    """ "1 article", "2 articles"; "1 статья", "2 статьи", "5 статей"."""
    return f"{count} {noun(count, plural)}"


# A question of this many words or more reads as a sentence (a customer's question, not a few
# keywords): the semantic search is asked about it too, in `kb search` and when typing pauses.
SENTENCE_WORDS = 4


def is_sentence(query: str) -> bool:
    """Whether a query is a sentence-like question worth the semantic model's time; shorter
    queries, and every keystroke, get the lexical search alone."""
    return len(query.split()) >= SENTENCE_WORDS
