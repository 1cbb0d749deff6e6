"""A word-level diff of two texts, for a reviewer comparing versions. `difflib` from the
standard library: its matcher on word lists is what a reviewer needs (what was said before,
what is said now), no dependency."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

# Words with the spaces after them, so that joining the pieces gives the text back exactly.
_TOKENS = re.compile(r"\S+\s*|\s+")

Change = Literal["same", "removed", "added"]


@dataclass(frozen=True, slots=True)
class Piece:
    change: Change
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    """The pieces of `after` and `before` in reading order: unchanged, removed, added."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    # Compare words without their spacing: a reflowed line is not a change of wording.
    matcher = SequenceMatcher(
        a=[t.strip() for t in old], b=[t.strip() for t in new], autojunk=False
    )
    pieces: list[Piece] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(new[b1:b2])))
            continue
        if a2 > a1:
            pieces.append(Piece("removed", "".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(Piece("added", "".join(new[b1:b2])))
    return pieces


def marked(pieces: list[Piece]) -> list[tuple[Change, str]]:
    """Each piece as a terminal without colour shows it: [-removed-] and {+added+}, as `git
    diff --word-diff` writes them."""
    marks = {"same": ("", ""), "removed": ("[-", "-]"), "added": ("{+", "+}")}
    out: list[tuple[Change, str]] = []
    for n, piece in enumerate(pieces):
        start, end = marks[piece.change]
        if not start:
            out.append((piece.change, piece.text))
            continue
        body = piece.text.rstrip()
        space = piece.text[len(body) :]
        following = pieces[n + 1] if n + 1 < len(pieces) else None
        if not space and following is not None and following.change == "added":
            space = " "  # "[-old-] {+new+}", not "[-old-]{+new+}"
        out.append((piece.change, f"{start}{body}{end}{space}"))
    return out


def as_text(pieces: list[Piece]) -> str:
    """The whole diff with its marks (see `marked`)."""
    return "".join(text for _, text in marked(pieces))
