"""A short extract of an article around the words that matched, with their spans marked."""

from __future__ import annotations

import re
from functools import lru_cache

from agent_console.search.text import fold, joined, normalise_form, term_of

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
SEPARATORS = re.compile(r"[-'’]")
# Markdown that reads as noise in one line: emphasis, code marks, headings, quotes, table rules.
# Single underscores stay: a script's placeholders ({operator.first_name}) are filled in later.
MARKUP = re.compile(r"\*+|__+|`+|^\s*#+|^\s*>|\||-{3,}", re.MULTILINE)
LINE_MARKUP = re.compile(r"^\s*#+|^\s*>", re.MULTILINE)
RUN_MARKUP = re.compile(r"__+|-{3,}")
WIDTH = 160
LEAD = 24  # characters of context before the first match
# A term begins with its word's first letter (stemming cuts and changes endings), but for й,
# folded to и after stemming, and ё, folded to е.
FIRST_LETTERS = {"и": "ий", "е": "её"}


def plain(text: str) -> str:
    """Markdown emphasis, headings and tables stripped; whitespace collapsed."""
    # What `MARKUP.sub(" ", text)` leaves once whitespace is collapsed, for a quarter of the
    # time: the line starts first (a mark made a space must not make a new line start), then
    # the single marks by plain replacing, then the runs, if any.
    text = LINE_MARKUP.sub(" ", text).replace("*", " ").replace("`", " ").replace("|", " ")
    if "__" in text or "---" in text:
        text = RUN_MARKUP.sub(" ", text)
    return " ".join(text.split())


def _matches(word: str, terms: set[str]) -> bool:
    if word.isalnum():
        return term_of(word) in terms
    return term_of(joined(word)) in terms or any(
        term_of(part) in terms for part in SEPARATORS.split(word)
    )


@lru_cache(maxsize=64)
def _first_letter(firsts: frozenset[str]) -> re.Pattern[str]:
    """A letter that begins a word (or a part of a compound) and may begin one of the terms.
    Starting with a set of letters, the pattern lets the regex engine skip to the next such
    letter in C: most words of an article begin with none of them."""
    letters = "".join(FIRST_LETTERS.get(c, c) for c in sorted(firsts))
    return re.compile(rf"[{re.escape(letters)}](?<!\w.)")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what `\w` matches


def _word_start(text: str, at: int) -> int:
    """Where the word `WORD` finds around `at` begins: before `at` if `at` begins a part of a
    compound ("fi" of "wi-fi")."""
    while True:
        while at > 0 and _is_word_char(text[at - 1]):
            at -= 1
        if at >= 2 and text[at - 1] in "-'’" and _is_word_char(text[at - 2]):
            at -= 1
        else:
            return at


def _spans(folded: str, terms: set[str]) -> list[tuple[int, int]]:
    """The spans of the words of a folded text that have one of these terms: those `WORD`
    finds, looking only at the words whose first letter (or a part's) may begin a term."""
    if "" in terms:  # the term of every word too short to be indexed: no word can be skipped
        return [m.span() for m in WORD.finditer(folded) if _matches(m.group(), terms)]
    firsts = frozenset(term[0] for term in terms)
    if not firsts:
        return []
    spans = []
    done = 0  # the words before this have been looked at
    match_word = WORD.match
    for letter in _first_letter(firsts).finditer(folded):
        at = letter.start()
        if at < done:
            continue  # a later part of a compound already looked at
        if at >= 2 and folded[at - 1] in "-'’" and _is_word_char(folded[at - 2]):
            at = _word_start(folded, at)
        word = match_word(folded, at)
        assert word is not None  # `at` is the start of a word: a letter `WORD` begins with
        done = word.end()
        if _matches(word.group(), terms):
            spans.append(word.span())
    return spans


def snippet(
    text: str, terms: set[str], width: int = WIDTH
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The best `width` characters of `text` for these terms, and the spans of the matches."""
    body = plain(normalise_form(text))
    folded = fold(body)
    if len(folded) != len(body):  # a rare letter whose lowercase is longer: match word by word
        spans = [
            (m.start(), m.end()) for m in WORD.finditer(body) if _matches(fold(m.group()), terms)
        ]
    else:
        spans = _spans(folded, terms)
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
