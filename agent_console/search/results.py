"""What a search answers: hits, best first, and what was searched for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn

Spans = tuple[tuple[int, int], ...]


class Hit:
    """One article or script found. Immutable.

    The snippet is made when it is first read: the command line never reads it, and the
    knowledge pane reads it only for the hits it shows, so neither pays for the others.
    """

    __slots__ = ("kind", "id", "title", "score", "language", "_snippet", "_highlights", "_make")

    kind: str  # "article" | "script"
    id: str
    title: str
    score: float  # higher is better; comparable within one answer only
    language: str
    # Set once through object.__setattr__ (the class is immutable); the snippet is made from
    # `_make` on first read.
    _snippet: str
    _highlights: Spans
    _make: Callable[[], tuple[str, Spans]] | None

    def __init__(
        self,
        kind: str,
        id: str,  # noqa: A002 - the field is called id everywhere else
        title: str,
        score: float,
        language: str,
        snippet: str = "",
        highlights: Spans = (),
        *,
        make_snippet: Callable[[], tuple[str, Spans]] | None = None,
    ) -> None:
        for name, value in (
            ("kind", kind),
            ("id", id),
            ("title", title),
            ("score", score),
            ("language", language),
            ("_snippet", snippet),
            ("_highlights", highlights),
            ("_make", make_snippet),
        ):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Hit is immutable; cannot set {name!r}")

    def _made(self) -> None:
        if self._make is not None:
            text, spans = self._make()
            object.__setattr__(self, "_snippet", text)
            object.__setattr__(self, "_highlights", spans)
            object.__setattr__(self, "_make", None)

    @property
    def snippet(self) -> str:
        """A short extract around the matched words."""
        self._made()
        return self._snippet

    @property
    def highlights(self) -> Spans:
        """(start, end) character spans of `snippet` that matched the query."""
        self._made()
        return self._highlights

    def _key(self) -> tuple[object, ...]:
        return (
            self.kind,
            self.id,
            self.title,
            self.score,
            self.language,
            self.snippet,
            self.highlights,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.kind, self.id, self.score))

    def __repr__(self) -> str:
        return (
            f"Hit(kind={self.kind!r}, id={self.id!r}, title={self.title!r}, score={self.score!r},"
            f" language={self.language!r})"
        )


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    # What was searched for when the query was corrected (wrong layout, typo); None otherwise.
    searched_for: str | None = None
