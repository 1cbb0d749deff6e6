"""The knowledge pane's results: each hit's label (title, kind, the snippet with its matches
highlighted) and the list that shows an answer's first screen before the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from agent_console.domain.placeholders import fill
from agent_console.i18n import pgettext
from agent_console.text import printable

if TYPE_CHECKING:
    from agent_console.search import Hit, SearchResult


def kind_name(kind: str) -> str:
    """What a hit is, as the label says it: "article", "script" (in a context of their own: the
    same words are counted nouns elsewhere)."""
    if kind == "article":
        return pgettext("result kind", "article")
    if kind == "script":
        return pgettext("result kind", "script")
    return kind


# A snippet may cut a placeholder in half at either end: "…{compa" or "name}, how".
PARTIAL_PLACEHOLDER = re.compile(r"\{[a-z_.|]*$|^[a-z_.]*\}")

# How many results fill the list on a 160x48 screen: listed first, the rest with their labels
# once they are made (the knowledge pane makes them when typing pauses).
FIRST_SCREEN = 8


def snippet_parts(hit: Hit, values: dict[str, str | None]) -> list[tuple[str, str]]:
    """The snippet with matches highlighted; a script's placeholders filled in, never raw."""
    parts = []
    position = 0
    for start, end in [*hit.highlights, (len(hit.snippet), len(hit.snippet))]:
        plain = hit.snippet[position:start]
        if hit.kind == "script":
            plain = PARTIAL_PLACEHOLDER.sub("…", fill(plain, values).text)
        parts.append((printable(plain, single_line=True), "dim"))
        parts.append((printable(hit.snippet[start:end], single_line=True), "bold reverse"))
        position = end
    return parts


def hit_label(hit: Hit, values: dict[str, str | None]) -> Content:
    """Title, kind and language, then the snippet: plain text from the database, never markup.

    Built as `Content`, which the OptionList uses as it is (a Rich `Text` is converted first).
    """
    parts: list[str | tuple[str, str]] = [
        (printable(hit.title, single_line=True), "bold"),
        (f"  {kind_name(hit.kind)} · {hit.language}", "dim"),
    ]
    if hit.snippet:
        parts.append("\n")
        parts.extend(snippet_parts(hit, values))
    return Content.assemble(*parts)


def result_labels(
    result: SearchResult, values: dict[str, str | None], first: int | None = None
) -> Labels:
    """The labels of an answer's hits (of the `first` ones only, if given).

    Safe to make in the search worker's thread, which keeps the snippets (made on first read,
    about a millisecond each on long articles) and the labels off the event loop.
    """
    hits = result.hits if first is None else result.hits[:first]
    return Labels(
        values,
        {(hit.kind, hit.id): hit_label(hit, values) for hit in hits},
        complete=first is None or first >= len(result.hits),
    )


def _key(hit: Hit) -> tuple[str, str, float]:
    return (hit.kind, hit.id, hit.score)


@dataclass(frozen=True)
class Labels:
    """Labels made ahead for one answer, and the placeholder values they were filled with."""

    values: dict[str, str | None]
    by_hit: dict[tuple[str, str], Content]
    complete: bool = True


class ResultList(OptionList):
    """The results. How many lines they take changes with every answer, the list's size does
    not (the CSS fixes it, and its scrollbar is always shown): a new answer repaints the list,
    where an OptionList would lay the whole screen out again (see `SearchBox`)."""

    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        # The hits the list is for: an answer with the same hits leaves the list alone.
        self._listed: list[Hit] | None = None
        # How many of them it holds yet: the first screen comes first (see `list_hits`).
        self._shown = 0
        self._labels: Labels | None = None
        self._values: dict[str, str | None] = {}

    def list_hits(
        self, hits: list[Hit], labels: Labels | None, values: dict[str, str | None]
    ) -> None:
        """Show these hits, best first, the first one highlighted; `labels` made ahead for
        them are used when they were filled in with these `values`.

        While only the first screen's labels are made, only the first screen is listed: every
        option of an OptionList is measured (its text wrapped) when it is added, and fifty
        cost more than the rest of the answer's way to the screen. The rest follow with their
        labels (`list_the_rest`).
        """
        # Hits compare by what identifies them: comparing whole hits would make every snippet.
        if self._listed is not None and [_key(h) for h in hits] == [_key(h) for h in self._listed]:
            return
        self._listed = hits
        self._values = values
        self._labels = labels if labels is not None and labels.values is values else None
        first = hits if self._labels is None or self._labels.complete else hits[:FIRST_SCREEN]
        self.set_options(self._option(hit) for hit in first)
        self._shown = len(first)
        if hits:
            self.highlighted = 0

    def forget(self) -> None:
        """The next `list_hits` lists again whatever it is given (the values changed: the
        scripts' snippets are to be filled in anew)."""
        self._listed = None

    def list_the_rest(self, labels: Labels) -> None:
        """Add the hits below the first screen, with the whole answer's `labels`."""
        self._labels = labels
        listed = self._listed or []
        if self._shown < len(listed):
            self.add_options(self._option(hit) for hit in listed[self._shown :])
            self._shown = len(listed)

    @property
    def listed_whole(self) -> bool:
        """Whether the list holds the whole answer (not only its first screen)."""
        return self._listed is None or self._shown >= len(self._listed)

    def _option(self, hit: Hit) -> Option:
        made = self._labels.by_hit.get((hit.kind, hit.id)) if self._labels is not None else None
        return Option(made or hit_label(hit, self._values), id=f"{hit.kind}:{hit.id}")
