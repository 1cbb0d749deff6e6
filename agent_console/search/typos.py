"""Words one typo away: a dropped, added, swapped or wrong letter.

The candidates are looked up in the index vocabulary (an indexed table, so a few hundred
look-ups cost about a millisecond); the most frequent term that exists wins.
"""

from __future__ import annotations

from agent_console.search.text import script_of

RU_LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
EN_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Words shorter than this are left alone: too many short words are one letter apart.
MIN_LENGTH = 5
# Longer ones too: no word of either language is this long, and a pasted link or token would
# have ~60 edits per letter to look up (a 300-letter one took 170 ms, a 2,000-letter one seconds).
MAX_LENGTH = 30


def edits1(word: str) -> set[str]:
    """Every string one edit from `word`, in the alphabet of its script."""
    letters = RU_LETTERS if script_of(word) == "ru" else EN_LETTERS
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in letters}
    return (deletes | swaps | replaces | inserts) - {word}


def damerau_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (adjacent swaps count as one edit)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
