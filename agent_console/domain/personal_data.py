"""Personal data in free text: card numbers masked before the store writes them, and the forms
a person's name takes in either script, for redaction (sessions/redact.py).

## Card numbers

Customers read their card number aloud or paste it into a chat, and operators copy it into the
notes; the notes then live in the database, in exports and in replays. A card number is masked
before it is written, keeping the first 6 digits (the issuer) and the last 4 (what a customer
recognises), the way payment receipts show it.

What counts as a card number: 12 to 19 digits, written together or in groups separated by up to
three spaces, dashes or dots, that pass the Luhn check. The check is what tells a card from the
other long numbers in the notes (contracts, phones, dates), which are left alone.

The mask replaces digits in place and keeps the separators: "4276 3800 1234 5679" becomes "4276
38** **** 5679". What a customer reads out with the card goes too: just after it, the expiry
date ("12/27" -> "**/**") and the security code, after its name ("CVV 123", "код 123") or
straight after the expiry ("12/27 123"). The text keeps its shape and length, so the operator
still sees where the number was, and masked text never matches again (the run of digits is
broken by the stars).

## Names

A customer on the card as "Ivan Petrov" signs an e-mail "Петров И." and is "Петровой" to his
wife in a chat: the same name in the other script and in another grammatical case. Names are
compared by a key that both scripts share (`name_key`): Russian letters are spelt in Latin ones,
then the spellings that differ between transliteration habits are made one (kh/h, ts/c, y/j/i,
ye/ie/e, yo/io/e, yu/iu/u, doubled letters), so that "Grigorieva", "Grigoryeva" and "Григорьева"
all read "grigoreva". `name_forms` lists the keys of a name's case forms, by the Russian
declension its ending calls for (-ов/-ин surnames and the names like Иван, -а/-я, -ия, -й, and
adjectival ones: -ский/-ская/-ой, which street names follow too).

A word in Latin letters is taken for a case form only by the endings that translit writers
actually use (Petrova, Petrovu, Petrovym, Ivanom): the one-vowel endings -е/-ы/-и and the soft
ones would make English words of names ("Vera" -> "very", "Nina" -> "nine", "Roman" ->
"Romania").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

CARD_MIN_DIGITS = 12
CARD_MAX_DIGITS = 19
KEEP_FIRST = 6
KEEP_LAST = 4
MASK = "*"

# A run of digit groups joined by up to three spaces, dashes or dots; runs are found whole, then
# split into cards.
_RUN = re.compile(r"(?<!\d)\d+(?:[ .\-\u00a0]{1,3}\d+)*(?!\d)")
# Just after a card (within a few words): its expiry, then its security code, named or not.
_AFTER_CARD = 40
_EXPIRY = re.compile(
    r"\A(?P<before>\D{0,25}?)(?<!\d)(?P<date>(?:0[1-9]|1[0-2])\s?[/.\-]\s?(?:\d{4}|\d{2}))(?!\d)"
)
_CODE = re.compile(
    r"\A(?P<before>\D{0,20}?(?:cvv2?|cvc2?|cid|csc|код|code)\D{0,6}?|\s{0,3}[,;]?\s{0,3})"
    r"(?<!\d)(?P<code>\d{3,4})(?!\d)",
    re.IGNORECASE,
)
_GROUP = re.compile(r"\d+")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that every payment card number carries in its last digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_card_number(digits: str) -> bool:
    return (
        digits.isdigit()
        and CARD_MIN_DIGITS <= len(digits) <= CARD_MAX_DIGITS
        and luhn_valid(digits)
    )


def mask_card_numbers(text: str) -> tuple[str, int]:
    """The text with every card number masked, and how many were masked."""
    if not text:
        return text, 0
    pieces: list[str] = []
    count = 0
    last = 0
    for run in _RUN.finditer(text):
        if run.start() < last:
            continue  # inside what was masked after the last card
        for start, end in _cards_in_run(run):
            if start < last:
                continue
            pieces.append(text[last:start])
            pieces.append(_mask(text[start:end]))
            after, last = _mask_after_card(text, end)
            pieces.append(after)
            count += 1
    pieces.append(text[last:])
    return "".join(pieces), count


def _mask_after_card(text: str, end: int) -> tuple[str, int]:
    """The text just after a card (from `end`) with its expiry and security code masked, and
    where the masked part ends (`end` itself when neither is there)."""
    window = text[end : end + _AFTER_CARD]
    done = 0
    masked = ""
    expiry = _EXPIRY.match(window)
    if expiry is not None:
        masked += expiry["before"] + re.sub(r"\d", MASK, expiry["date"])
        done = expiry.end()
    code = _CODE.match(window[done:])
    if code is not None and (expiry is not None or code["before"].strip(" ,;")):
        masked += code["before"] + MASK * len(code["code"])
        done += code.end()
    return masked, end + done


def _cards_in_run(run: re.Match[str]) -> list[tuple[int, int]]:
    """Spans of card numbers in one run of digit groups.

    A run may hold more than a card: "4111 1111 1111 1111 5400224906" is a card and a contract
    typed one after the other. A card starts and ends on a group boundary; from each group the
    longest Luhn-valid stretch of whole groups wins, and the search goes on after it.
    """
    offset = run.start()
    groups = [(m.start() + offset, m.end() + offset) for m in _GROUP.finditer(run.group())]
    spans: list[tuple[int, int]] = []
    first = 0
    while first < len(groups):
        found = None
        digits = ""
        for last in range(first, len(groups)):
            start, end = groups[last]
            digits += run.string[start:end]
            if len(digits) > CARD_MAX_DIGITS:
                break
            if is_card_number(digits):
                found = last
        if found is None:
            first += 1
            continue
        spans.append((groups[first][0], groups[found][1]))
        first = found + 1
    return spans


def _mask(number: str) -> str:
    """Replace the digits between the first 6 and the last 4, leaving separators where they are."""
    total = sum(char.isdigit() for char in number)
    seen = 0
    out = []
    for char in number:
        if char.isdigit():
            seen += 1
            if KEEP_FIRST < seen <= total - KEEP_LAST:
                char = MASK
        out.append(char)
    return "".join(out)


# --- names --------------------------------------------------------------------------------------

_CYRILLIC_IN_LATIN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "y",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        # Ukrainian and Belarusian letters of names written in Russian text
        "і": "i",
        "ї": "yi",
        "є": "ye",
        "ґ": "g",
        "ў": "u",
    }
)

# In this order: the consonant spellings first, so that their letters are gone before the
# vowels are made one.
_SPELLINGS = tuple(
    (re.compile(pattern), spelling)
    for pattern, spelling in (
        (r"shch|sch", "sc"),
        (r"kh", "h"),
        (r"ts|tz", "c"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"q", "k"),
        (r"[jy]", "i"),
        (r"(.)\1+", r"\1"),
        (r"ie", "e"),
        (r"io", "e"),
        (r"iu", "u"),
        (r"(.)\1+", r"\1"),
    )
)


def romanized(word: str) -> str:
    """The word in lower case, Russian letters spelt in Latin ones (ё as е: few write it)."""
    return word.lower().replace("ё", "е").translate(_CYRILLIC_IN_LATIN)


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """What a word reads as, whatever its script and transliteration habit."""
    key = romanized(word)
    for pattern, spelling in _SPELLINGS:
        key = pattern.sub(spelling, key)
    return key


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


class _Declension(NamedTuple):
    ending: re.Pattern[str]  # how the nominative ends, romanized
    nominatives: tuple[str, ...]  # its spellings
    latin: tuple[str, ...]  # the other cases' endings that pass in Latin text (see above)
    cyrillic_only: tuple[str, ...]


def _declension(ending: str, *endings: tuple[str, ...]) -> _Declension:
    return _Declension(re.compile(ending), *endings)


# Adjectival (Достоевский, Лебединская, Толстой, Красный, Варшавское) and the names in -ий
# (Дмитрий, Геннадий) end alike in Latin letters: they get the forms of both.
_ADJECTIVAL = _declension(
    r"(?<=[^aeiouy])(?:yy|iy|ii|ij|yi|y|i|oy|oi|aya|aia|aja|oye|oe)$",
    ("iy", "yy", "ii", "y", "i", "oy", "aya", "oye"),
    ("ogo", "omu", "ym", "im", "om", "aya", "oy", "uyu", "oyu", "ykh", "ikh", "iya", "iyu", "iem"),
    ("ego", "emu", "em", "yaya", "ey", "yuyu", "eyu", "ee", "ye", "ie", "ymi", "imi"),
)
_IYA = _declension(r"(?:iya|iia|ija|ia)$", ("iya", "ia"), ("iyu", "iey", "ieyu"), ("ii", "ie"))
_YA = _declension(r"(?:ya|ja)$", ("ya",), ("yu", "ey", "eyu", "yoy"), ("i", "e"))  # Илья
_A = _declension(r"a$", ("a",), ("u", "oy", "oyu", "ey", "eyu"), ("y", "i", "e"))  # Светлана
_Y = _declension(r"(?<=[aeiou])[yij]$", ("y", "i"), ("ya", "yu"), ("em", "e", "ye"))  # Сергей
# Иван, Петров, and the female forms of a surname: Петрова, Петровой, Петрову.
_CONSONANT = _declension(
    r"(?<=[^aeiouy])$",
    ("",),
    ("a", "u", "om", "ym", "oy", "ykh"),
    ("e", "y", "i", "ya", "yu", "em", "yem", "yom", "im", "ikh", "ymi"),
)
_DECLENSIONS = (_ADJECTIVAL, _IYA, _YA, _A, _Y, _CONSONANT)  # the first that fits
# Surnames in -ов/-ев/-ин: a woman's card names a family whose men are written without the -а.
_SURNAME_STEM = re.compile(r"(?:ov|ev|in|yn)$")
# Павел -> Павла, Марек -> Марка: the vowel that drops out in the other cases.
_FLEETING_VOWEL = re.compile(r"(?<=[^aeiouy])[eo](?=(?:l|k|ts)$)")
_MIN_STEM = 2


def name_forms(name: str) -> dict[str, bool]:
    """The keys of one word of a name in its case forms, each with whether a word in Latin
    letters may be taken for it. A word no declension fits (Marco) is only itself."""
    word = romanized(name)
    forms = {name_key(word): True}

    def add(stem: str, endings: tuple[str, ...], latin: bool) -> None:
        for ending in endings:
            key = name_key(stem + ending)
            forms[key] = forms.get(key, False) or latin

    def decline(stem: str, declension: _Declension) -> None:
        add(stem, declension.nominatives, True)
        add(stem, declension.latin, True)
        add(stem, declension.cyrillic_only, False)

    for declension in _DECLENSIONS:
        if found := declension.ending.search(word):
            break
    else:
        return forms
    stem = word[: found.start()]
    if len(stem) < _MIN_STEM:
        return forms
    decline(stem, declension)
    fleeting = _FLEETING_VOWEL.search(stem)
    if declension is _CONSONANT and fleeting:
        decline(stem[: fleeting.start()] + stem[fleeting.end() :], declension)
    if declension is _A and _SURNAME_STEM.search(stem):
        decline(stem, _CONSONANT)
    return forms
