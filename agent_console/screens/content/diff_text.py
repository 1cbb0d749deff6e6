"""A word diff as styled text: removed words struck through in red, added ones green. Text
from the database is never read as markup (`Text`, not a markup string)."""

from __future__ import annotations

from rich.text import Text

from agent_console.domain.word_diff import Piece

STYLES = {"same": "", "removed": "strike red", "added": "bold green"}


def diff_text(pieces: list[Piece]) -> Text:
    text = Text()
    for piece in pieces:
        text.append(piece.text, style=STYLES[piece.change])
    return text
