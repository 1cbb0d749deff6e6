"""Redacting sessions for teaching material: no customer's personal data survives an export.

Every string of every payload goes through `Redactor.text` (snapshots, dialogue, e-mail bodies,
notes, search queries, titles alike), and so does the session id. What is replaced, with what:

- customer names: the full name of every known customer, and each word of the names of the
  customers the exported sessions are about -> "Customer 1", "Customer 2"... (one number per
  customer, whichever form of the name was used). A word of those names is found in either
  script and in its Russian case forms ("Ivan Petrov" on the card: Петров, Петровой, Ивану,
  Petrovym; domain/personal_data.py), with the initials beside it ("Петров И.", "I. Petrov").
  A customer's name written word by word is one stand-in. Only those customers' words are
  looked for: the whole customer table's first names would blank out half the dialogue.
  Matching ignores case, so a customer's first name that is also an operator's is replaced too.
- e-mail addresses -> "customer1@example.invalid"...
- phone numbers, in any usual writing (+7 953 773-55-13, 8 (953) 7735513, 89537735513, known
  ones as stored) -> "+7 900 000-00-01"...; one stand-in per number, whatever its writing.
- contract numbers (known ones, and any 10-digit number) -> "0000000001"...
- addresses -> "Address 1"...: those on the customer cards as written there; the street of a
  session's customer named in any script and case, with the house and flat numbers after it
  ("Свободы 44/3, кв. 49"), as the same stand-in as the card; and any address by its usual
  words ("ул. Ленина, д. 5", "Lenina street 5", "дом 12, кв. 3", "apt 7").
- phone numbers written with dots (953.773.55.13) and foreign ones (+44 20 7946 0958,
  +1 (555) 123-4567: a "+", then 8 to 15 digits in groups) -> the same phone stand-ins.
- contract numbers written in groups ("54 0063 2364", "5400-632-364": ten digits) -> as above.
- passport numbers after their name ("паспорт 4510 123456", "passport No. 45 10 123456",
  "серия 4510 номер 123456") -> "0000 000001"...
- dates of birth after their name ("д.р. 12.03.1985", "born 12/03/1985", "DOB 1985-03-12",
  "дата рождения: 12 марта 1985" is not caught: only dates in digits) -> "00.00.0001"...
- card numbers: masked as the store masks them everywhere (domain/personal_data.py), with the
  expiry and security code read out beside them.

What is not covered: a name or street of a customer the database does not hold, written in
free text without an address word; numbers of documents other than passports; dates of birth
written in words.

Numbers are given in order of first appearance, so one customer, phone or contract gets the same
stand-in throughout the export. All replacements are one pass of one regular expression, so a
stand-in is never taken for an original and replaced again. The operator's login is staff data,
not a customer's, and is kept: the trainer needs to know whose work it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from agent_console.domain.personal_data import (
    has_cyrillic,
    mask_card_numbers,
    name_forms,
    name_key,
)

STAND_INS = {
    "name": "Customer {n}",
    "email": "customer{n}@example.invalid",
    "phone": "+7 900 {hi:03d}-{mid:02d}-{lo:02d}",
    "contract": "{n:010d}",
    "address": "Address {n}",
    "passport": "0000 {n:06d}",
    "birth": "00.00.{n:04d}",
}

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# With a country or trunk prefix the separators may all be missing (89537735513); without one,
# a separator after the area code tells a phone from a contract number.
_PHONE = (
    r"(?<![\d+*])(?:(?:\+7|8|7)[ \-]?\(?\d{3}\)?[ \-]?|\(?\d{3}\)?[ \-])"
    r"\d{3}[ \-]?\d{2}[ \-]?\d{2}(?![\d*])"
)
_CONTRACT = r"(?<![\d*])\d{10}(?![\d*])"
# Dotted Russian phones, foreign ones by their "+", contracts in groups: how many digits they
# hold decides (`_judge`).
_DOTTED_PHONE = r"(?<![\d*.])(?:\+?7[ .]?|8[ .]?)?\(?\d{3}\)?\.\d{3}\.?\d{2}\.?\d{2}(?![\d*])"
_FOREIGN_PHONE = r"(?<![\d*])\+\d{1,3}(?:[ .\-]?\(?\d{1,4}\)?){2,5}(?![\d*])"
_GROUPED_NUMBER = r"(?<![\d*])\d{2,5}(?:[ \-]\d{2,5}){1,4}(?![\d*])"
_PASSPORT = (
    r"(?:паспорт\w*|passport|серия|series)\W{0,3}(?:(?:no|№|n)\.?\s?)?"
    r"(?P<passport_number>\d{2}\s?\d{2}\s?(?:(?:номер|№|no\.?)\s?)?\d{6})(?!\d)"
)
_BIRTH = (
    r"(?:д\.\s?р\.|дата рождения|родил\w*|born|dob|date of birth|birthday)\W{0,4}"
    r"(?P<birth_date>\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?!\d)"
)
_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)*"
# Capitalised: a street's name after "ул." or before "street" (case-sensitive inside an
# expression that ignores case, so that "на улице холодно" is not an address).
_CAPITALISED = r"(?-i:[A-ZА-ЯЁ])[^\W\d_]+(?:-[^\W\d_]+)*"
# "ш." and "sh." in lower case only: "Петров Ш." is a man's initial.
_STREET_BEFORE = (
    r"ул\.?|улиц[аеуы]|пр-т|пр\.|просп\.?|проспект[аеу]?|пер\.|переул(?:ок|ка|ке)|б-р|бул\.|"
    r"бульвар[аеу]?|(?-i:ш\.)|шоссе|наб\.|набережн(?:ая|ой|ую)|пл\.|площад[ьи]|мкр\.?|"
    r"микрорайон[аеу]?|ul\.?|ulitsa|ulitse|pr\.|prosp\.?|prospekt|per\.|pereulok|bulvar|"
    r"(?-i:sh\.)|shosse|nab\.|naberezhnaya|pl\.|ploshchad|mkr\.?"
)
# English streets take their kind after the name (Lenina street); Russian ones take it before,
# or after an adjective (Ленинский пр-т, на Тверской улице, Krasny pr.): a word of another kind
# before "площадь" is not a street ("Вычислить площадь").
_ENGLISH_STREET = r"street|st\.|avenue|ave\.|road|rd\.|lane|boulevard|blvd\."
_ADJECTIVE = (
    r"(?-i:[A-ZА-ЯЁ])[^\W\d_]*(?:[ыиоая]й|[ая]я|[ое]е|[ое]го|[ое]му|[ыи]м|[ое]м|[ую]ю|[ыи]х"
    r"|[^\W\d_aeiou]y|[yi]j|oy|aya|oye|oe|ogo|omu|om|uyu)(?![^\W\d_])"
)
_UNIT = (
    r"д\.|дом[аеу]?|корп\.|корпус[аеу]?|кв\.?|квартир[аеуы]|под\.|подъезд[аеу]?|"
    r"d\.|dom|house|bldg\.?|building|korp\.|apt\.?|apartment|flat|kv\.?"
)
_NUMBER = r"№?\s*\d{1,4}(?:[a-zа-я](?!\w))?(?:/\d{1,4}(?:[a-zа-я](?!\w))?)?(?!\d)"
_UNIT_NUMBER = rf"(?:{_UNIT})\s*{_NUMBER}"
# What follows a street: the house (its word may be left out), then flat, building...
_HOUSE_AND_FLAT = rf",?\s*(?:(?:{_UNIT})\s*)?{_NUMBER}(?:,?\s*{_UNIT_NUMBER})*"
# A street's name in lower case only when the house follows at once ("ул ленина 5"), so that
# "на улице холодно, 12 дней" is left alone.
_ADDRESS = (
    rf"(?<!\w)(?:{_STREET_BEFORE})(?!\w)\s*"
    rf"(?:{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}}"
    rf"|{_WORD}(?:\s+{_WORD})?(?=\s+{_NUMBER}|,?\s*{_UNIT_NUMBER}))"
    rf"(?:{_HOUSE_AND_FLAT})?"
    rf"|(?:{_CAPITALISED}\s+(?:{_ENGLISH_STREET})|{_ADJECTIVE}\s+(?:{_STREET_BEFORE}))(?!\w)"
    rf"(?:{_HOUSE_AND_FLAT})?"
    rf"|(?<!\w){_UNIT_NUMBER}(?:,?\s*{_UNIT_NUMBER})*"
)
_AFTER_STREET = re.compile(_HOUSE_AND_FLAT, re.IGNORECASE)
# Initials beside a name: "Петров И.", "Petrov I.I.", "И. И. Петров".
_INITIALS_AFTER = re.compile(r"[ \t]+[A-ZА-ЯЁ]\.(?:[ \t]?[A-ZА-ЯЁ]\.)?")
_INITIALS_BEFORE = re.compile(r"(?<![^\W\d_])(?:[A-ZА-ЯЁ]\.[ \t]?){1,2}[ \t]*\Z")
# What may lie between two words of one name, or two parts of one address, to make one stand-in.
_JOINS = {"name": re.compile(r"\s*"), "address": re.compile(r"[\s,]*")}
# Not a street's name: the words around one in an address, in any case. Shorter words (ул, д,
# кв, st) are never taken for one.
_ADDRESS_WORDS = frozenset(
    key
    for word in (
        "ulitsa street prospekt prosp avenue pereulok lane bulvar boulevard shosse naberezhnaya"
        " ploshchad road mkr mikrorayon dom house flat apartment apt building bldg korpus korp"
        " stroenie str office podyezd"
    ).split()
    for key in name_forms(word)
)
_MIN_STREET_LETTERS = 3
# On a card, a street of one customer: "10 let Oktyabrya" must not make every "let" theirs.
_MIN_CARD_STREET_LETTERS = 4
_MARKUP = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\[[^\]]*\]")  # as hostile names on cards carry


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _phone_key(text: str) -> str:
    # The national number: +7 953..., 8 953... and 953... are one phone.
    return _digits(text)[-10:]


def _words(text: str) -> list[str]:
    return re.findall(_WORD, _MARKUP.sub(" ", text))


def _street_names(address: str, min_letters: int = _MIN_STREET_LETTERS) -> list[str]:
    """The words of an address that name its street."""
    return [
        word
        for word in _words(address)
        if len(word) >= min_letters and name_key(word) not in _ADDRESS_WORDS
    ]


def _place(address: str) -> str:
    """One key for the ways of writing one address: "ул. Ленина, д. 5", "Lenina street 5"."""
    return " ".join([*map(name_key, _street_names(address)), *re.findall(r"\d+", address)])


class Redactor:
    def __init__(
        self, customers: Iterable[dict[str, Any]], *, present: Iterable[dict[str, Any]] = ()
    ) -> None:
        """`customers`: every card the database knows; `present`: the cards (or name and
        contract) of the customers the sessions are about, snapshots included."""
        self._known: dict[str, tuple[str, str]] = {}  # lowercased literal -> (kind, key)
        # A word's name_key -> (kind, key): in any script, and in Latin letters.
        self._forms: dict[str, tuple[str, str]] = {}
        self._latin_forms: dict[str, tuple[str, str]] = {}
        self._numbers: dict[tuple[str, str], int] = {}
        self._counts: dict[str, int] = dict.fromkeys(STAND_INS, 0)
        present = list(present)
        for card in [*present, *customers]:
            self._learn(card)
        for card in present:
            self._learn_forms(card)
        self._phones = {key for kind, key in self._known.values() if kind == "phone"}
        literals = sorted(self._known, key=len, reverse=True)
        known = "|".join(re.escape(literal) for literal in literals) or r"(?!x)x"
        # Alternatives are tried in this order at each place; `word` last, since any word
        # matches it and most are left as they are.
        self._pattern = re.compile(
            rf"(?P<email>{_EMAIL})|(?P<passport>{_PASSPORT})|(?P<birth>{_BIRTH})"
            rf"|(?P<phone>{_PHONE})|(?P<dotted>{_DOTTED_PHONE})|(?P<foreign>{_FOREIGN_PHONE})"
            rf"|(?P<contract>{_CONTRACT})|(?P<grouped>{_GROUPED_NUMBER})"
            rf"|(?<!\w)(?P<known>{known})(?!\w)|(?P<address>{_ADDRESS})"
            # Letters next to digits or "_" are still a word: petrov_ivan, Ivan2.
            rf"|(?<![^\W\d_])(?P<word>[^\W\d_]{{2,}}(?:-[^\W\d_]+)*)(?![^\W\d_])",
            re.IGNORECASE,
        )

    def _learn(self, card: dict[str, Any]) -> None:
        """The card's values as they are written on it."""
        name = (card.get("name") or "").strip()
        contract = card.get("contract")
        if name:
            self._known.setdefault(name.lower(), ("name", self._person(card)))
        if contract:
            self._known.setdefault(
                str(contract).lower(), ("contract", _digits(str(contract)) or str(contract))
            )
        if card.get("phone"):
            self._known.setdefault(card["phone"].lower(), ("phone", _phone_key(card["phone"])))
        if card.get("address"):
            self._known.setdefault(card["address"].lower(), ("address", card["address"]))

    def _learn_forms(self, card: dict[str, Any]) -> None:
        """Each word of the name and of the street, in every form it may take in free text."""
        learned = [
            (word, ("name", self._person(card)))
            for word in _words(card.get("name") or "")
            if len(word) >= 2
        ]
        streets = _street_names(card.get("address") or "", _MIN_CARD_STREET_LETTERS)
        if streets:
            # The longest word names the street (Cheremushkinskaya): the others are often
            # everyday words (Bolshaya, Karla) that would be blanked wherever they were said.
            learned.append((max(streets, key=len), ("address", card["address"])))
        for word, found in learned:
            for key, in_latin in name_forms(word).items():
                self._forms.setdefault(key, found)
                if in_latin:
                    self._latin_forms.setdefault(key, found)

    @staticmethod
    def _person(card: dict[str, Any]) -> str:
        return card.get("contract") or (card.get("name") or "").strip().lower()

    # --- replacing --------------------------------------------------------------------------

    def text(self, text: str) -> str:
        masked, _ = mask_card_numbers(text)
        pieces: list[str] = []
        done = 0
        previous: tuple[str, str] | None = None
        for start, end, kind, key in self._finds(masked):
            between = masked[done:start]
            join = _JOINS.get(kind)
            if not (previous == (kind, key) and join and join.fullmatch(between)):
                pieces += [between, self._stand_in(kind, key)]
            previous, done = (kind, key), end
        pieces.append(masked[done:])
        return "".join(pieces)

    def value(self, value: Any) -> Any:
        """Any JSON value with every string in it redacted (keys are field names: kept)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        return value

    def line(self, line: dict[str, Any]) -> dict[str, Any]:
        """One exported event line, redacted."""
        return {
            **line,
            "session_id": self.value(line["session_id"]),
            "payload": self.value(line["payload"]),
        }

    def _finds(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """What to replace, in order: start, end, kind of stand-in and whose it is."""
        done = replaced = 0
        while (match := self._pattern.search(text, done)) is not None:
            found = self._judge(match)
            done = match.end()
            if found is None:
                continue
            kind, key = found
            start, end = match.span()
            if kind in ("passport", "birth"):  # the number goes, the word before it stays
                start = match.start(f"{kind}_number" if kind == "passport" else "birth_date")
            if kind == "name":
                before = _INITIALS_BEFORE.search(text, max(replaced, start - 8), start)
                after = _INITIALS_AFTER.match(text, end)
                start, end = before.start() if before else start, after.end() if after else end
            elif match.lastgroup == "word":  # a street of a customer: its numbers go with it
                numbers = _AFTER_STREET.match(text, end)
                if numbers is None and not match.group()[0].isupper():
                    continue  # "свободы" is a word; "Свободы" and "свободы 44" are the street
                end = numbers.end() if numbers else end
            yield start, end, kind, key
            done = replaced = end

    def _judge(self, match: re.Match[str]) -> tuple[str, str] | None:
        """The kind and key of a stand-in for what was matched; None for a word to keep."""
        found = match.group()
        if match.lastgroup == "email":
            return "email", found.lower()
        if match.lastgroup == "phone":
            return "phone", _phone_key(found)
        if match.lastgroup in ("passport", "birth"):
            return match.lastgroup, _digits(found)
        if match.lastgroup == "dotted":
            return "phone", _phone_key(found)
        if match.lastgroup == "foreign":
            digits = _digits(found)
            return ("phone", digits) if 8 <= len(digits) <= 15 else None
        if match.lastgroup == "grouped":
            digits = _digits(found)
            if len(digits) == 10:
                return ("phone", digits) if digits in self._phones else ("contract", digits)
            return None
        if match.lastgroup == "contract":
            # A known phone written as its bare ten digits is still that phone.
            if found in self._phones or ("phone", found) in self._numbers:
                return "phone", found
            return "contract", found
        if match.lastgroup == "known":
            # Case-insensitive matching may find a spelling whose lower case is not the literal's.
            return self._known.get(found.lower(), ("name", found.lower()))
        if match.lastgroup == "address":
            # A customer's street in it makes it that customer's address.
            for word in _words(found):
                form = self._form(word)
                if form is not None and form[0] == "address":
                    return form
            return "address", _place(found)
        return self._form(found)

    def _form(self, word: str) -> tuple[str, str] | None:
        """Whose name or street the word is; a double-barrelled one by either part."""
        forms = self._forms if has_cyrillic(word) else self._latin_forms
        parts = [word, *word.split("-")] if "-" in word else [word]
        return next((forms[key] for key in map(name_key, parts) if key in forms), None)

    def _stand_in(self, kind: str, key: str) -> str:
        number = self._numbers.get((kind, key))
        if number is None:
            self._counts[kind] += 1
            number = self._numbers[(kind, key)] = self._counts[kind]
        return STAND_INS[kind].format(
            n=number, hi=number // 10_000, mid=number // 100 % 100, lo=number % 100
        )
