"""Text for people: customer text made safe to show (literally, never as markup or terminal
control codes), and counted nouns ("1 contact", "2 contacts"). Shared by the screens and the
command line; imports nothing of either."""

from __future__ import annotations

import re

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


# The singular of each counted noun of the messages; a noun not here is the same for one.
# (A later issue brings gettext and its plural forms; until then English needs only this.)
_SINGULAR = {
    "articles": "article",
    "card numbers": "card number",
    "contacts": "contact",
    "customers": "customer",
    "earlier contacts": "earlier contact",
    "lines": "line",
    "more lines": "more line",
    "notices": "notice",
    "operators": "operator",
    "pairs": "pair",
    "vectors": "vector",
    "problems": "problem",
    "sample sessions": "sample session",
    "scripts": "script",
    "sessions": "session",
}


def noun(count: int, plural: str) -> str:
    """`plural` as it goes with `count`: "articles" for 0 or 2, "article" for 1."""
    return _SINGULAR.get(plural, plural) if count == 1 else plural


def counted(count: int, plural: str) -> str:
    """ "1 article", "2 articles"."""
    return f"{count} {noun(count, plural)}"


# A question of this many words or more reads as a sentence (a customer's question, not a few
# keywords): the semantic search is asked about it too, in `kb search` and when typing pauses.
SENTENCE_WORDS = 4


def is_sentence(query: str) -> bool:
    """Whether a query is a sentence-like question worth the semantic model's time; shorter
    queries, and every keystroke, get the lexical search alone."""
    return len(query.split()) >= SENTENCE_WORDS
