"""A short extract of an article around the words that matched, with their spans marked."""

from __future__ import annotations

import re

from agent_console.search.text import fold, joined, normalise_form, term_of

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
SEPARATORS = re.compile(r"[-'’]")
# Markdown that reads as noise in one line: emphasis, code marks, headings, quotes, table rules.
# Single underscores stay: a script's placeholders ({operator.first_name}) are filled in later.
MARKUP = re.compile(r"\*+|__+|`+|^\s*#+|^\s*>|\||-{3,}", re.MULTILINE)
WIDTH = 160
LEAD = 24  # characters of context before the first match


def plain(text: str) -> str:
    """Markdown emphasis, headings and tables stripped; whitespace collapsed."""
    return " ".join(MARKUP.sub(" ", text).split())


def _matches(word: str, terms: set[str]) -> bool:
    if word.isalnum():
        return term_of(word) in terms
    return term_of(joined(word)) in terms or any(
        term_of(part) in terms for part in SEPARATORS.split(word)
    )


def snippet(text: str, terms: set[str], width: int = WIDTH) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The best `width` characters of `text` for these terms, and the spans of the matches."""
    body = plain(normalise_form(text))
    folded = fold(body)
    if len(folded) != len(body):  # a rare letter whose lowercase is longer: match word by word
        spans = [
            (m.start(), m.end()) for m in WORD.finditer(body) if _matches(fold(m.group()), terms)
        ]
    else:
        spans = [(m.start(), m.end()) for m in WORD.finditer(folded) if _matches(m.group(), terms)]
    if len(body) <= width:
        start, end = 0, len(body)
    else:
        start = _best_start(spans, width)
        start = max(0, start - LEAD) if spans else 0
        if start:
            space = body.find(" ", start)
            start = space + 1 if 0 <= space < start + LEAD else start
        end = min(len(body), start + width)
        if end < len(body):
            space = body.rfind(" ", start, end)
            end = space if space > start else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    shift = len(prefix) - start
    marked = tuple((s + shift, e + shift) for s, e in spans if s >= start and e <= end)
    return prefix + body[start:end] + suffix, marked


def _best_start(spans: list[tuple[int, int]], width: int) -> int:
    """Start of the window of `width` characters holding the most matches."""
    best, best_count = 0, 0
    for n, (start, _) in enumerate(spans):
        count = sum(1 for _, end in spans[n:] if end <= start + width)
        if count > best_count:
            best, best_count = start, count
    return best
