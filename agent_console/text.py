"""Making customer text safe to show: literally, never as markup or terminal control codes."""

from __future__ import annotations

import re

# C0 controls (except tab and newline), DEL and the C1 controls.
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match) -> str:
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
