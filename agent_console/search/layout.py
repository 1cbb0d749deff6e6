"""Text typed with the keyboard left in the other layout: `ghbdtn` is `привет`, `руддщ` is `hello`.

The two readings of a chunk are made key by key (the standard Russian ЙЦУКЕН layout over
US QWERTY); which one the operator meant is decided elsewhere, from the index vocabulary.
"""

from __future__ import annotations

_LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`" + 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~'
_CYRILLIC = "йцукенгшщзхъфывапролджэячсмитьбюё" + "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ"

TO_CYRILLIC = str.maketrans(_LATIN, _CYRILLIC)
TO_LATIN = str.maketrans(_CYRILLIC, _LATIN)

# Keys that give a letter in the Russian layout but punctuation in the Latin one: a word typed
# in the wrong layout may contain them ("hf,jnftn" is "работает").
LETTER_KEYS_LATIN = frozenset("[];',.`{}:\"<>~")


def to_cyrillic(text: str) -> str:
    """The text as if the same keys had been pressed in the Russian layout."""
    return text.translate(TO_CYRILLIC)


def to_latin(text: str) -> str:
    """The text as if the same keys had been pressed in the US layout."""
    return text.translate(TO_LATIN)


def other_reading(chunk: str) -> str | None:
    """The chunk read in the other layout, or None when it is not in one script only."""
    has_cyrillic = any("а" <= c.lower() <= "я" or c in "ёЁ" for c in chunk)
    has_latin = any("a" <= c.lower() <= "z" for c in chunk)
    if has_latin and not has_cyrillic:
        return to_cyrillic(chunk)
    if has_cyrillic and not has_latin:
        return to_latin(chunk)
    return None
