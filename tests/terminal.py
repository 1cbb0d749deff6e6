"""What a console served in a browser drew, as text: the tests of `serve` read it from the bytes
the console sends the page's terminal (xterm.js draws them on a canvas, no text to query)."""

from __future__ import annotations

import re

# CSI (colours, cursor moves), OSC, the other string commands, and two-byte escapes.
ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[P^_X][^\x1b]*\x1b\\|.)"
)


def terminal_text(drawn: str | bytes) -> str:
    """`drawn` with its escape sequences taken out: the words on the screen, in drawing order."""
    if isinstance(drawn, bytes):
        drawn = drawn.decode("utf-8", "replace")
    return ESCAPES.sub("", drawn)
