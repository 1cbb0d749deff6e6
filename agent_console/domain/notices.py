"""Whom a notice concerns: the customers in its affected area, and the rest of its city.

A notice (an outage, planned works) has a scope: a city, and optionally districts and streets,
a street optionally with house numbers. A customer of that city is *affected* when the notice
covers the whole city, or names the customer's district, or names their street (and their
house, when it lists houses); any other customer of the city only *may be* affected. Customers
of other cities are not concerned.

Addresses are written by hand, so names are compared in a plain form: case, ё/е, punctuation,
the kind of street ("ул.", "улица", "ul.", "street", "pr.", "проспект"...) and of place ("г.",
"район", "district") do not matter, nor a transliteration's -iy/-y ending ("Leninskiy" is
"Leninsky"). Cyrillic and Latin spellings of one name are not matched to each other. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from agent_console.domain.models import Customer, Notice, StreetScope
from agent_console.i18n import _

Match = Literal["affected", "same_city"]
AFFECTED: Final = "affected"
SAME_CITY: Final = "same_city"

# The kind of a street, in the writings an address may use: left out when names are compared.
STREET_KINDS = frozenset(
    """
    ул улица ulitsa ulica ul street str st
    пр пр-т просп проспект pr pr-t prosp prospekt prospect avenue ave av
    ш шоссе sh shosse highway hwy
    пер переулок per pereulok lane ln
    б-р бульв бульвар bul bulv bulvar boulevard blvd
    пл площадь pl ploshchad square sq
    наб набережная nab naberezhnaya embankment
    пр-д проезд proezd passage
""".split()
)
# Words that only say "house number" or "apartment" in an address.
HOUSE_MARKERS = frozenset("д дом d house h no".split())
APARTMENT_MARKERS = frozenset("кв квартира kv apt apartment flat office офис оф".split())
# Words that only say "city" or "district".
CITY_WORDS = frozenset("г город gorod city".split())
DISTRICT_WORDS = frozenset("р-н рн район raion rayon r-n district distr".split())

_TOKEN = re.compile(r"[0-9a-zа-я]+(?:[/-][0-9a-zа-я]+)*")
_HOUSE = re.compile(r"\d[0-9a-zа-я/-]*")
# A house number's letter written in Cyrillic or Latin is one letter: 12а is 12a.
_HOUSE_LETTERS = str.maketrans("абвгдек", "abvgdek")


@dataclass(frozen=True, slots=True)
class NoticeMatch:
    """A notice with what it means for one customer."""

    notice: Notice
    match: Match

    @property
    def affected(self) -> bool:
        return self.match == AFFECTED


def match(notice: Notice, customer: Customer) -> Match | None:
    """ "affected" when the customer's address is in the notice's scope, "same_city" when it is
    in the notice's city but not (or not known to be) in its scope, None otherwise."""
    if not customer.city or place_key(customer.city) != place_key(notice.city):
        return None
    if notice.whole_city:
        return AFFECTED
    if customer.district and district_key(customer.district) in {
        district_key(d) for d in notice.districts
    }:
        return AFFECTED
    street, house = parse_address(customer.address, city=customer.city)
    for scope in notice.streets:
        if (
            street
            and street_key(scope.street) == street
            and (not scope.houses or house in {house_key(h) for h in scope.houses})
        ):
            return AFFECTED
    return SAME_CITY


def matches(notices: Iterable[Notice], customer: Customer | None) -> tuple[NoticeMatch, ...]:
    """The notices that concern the customer, those whose affected area they are in first."""
    if customer is None:
        return ()
    found = [NoticeMatch(n, m) for n in notices if (m := match(n, customer)) is not None]
    return tuple(sorted(found, key=lambda found: not found.affected))


def scope_text(notice: Notice) -> str:
    """The notice's scope as it gives it, for people: "Novosibirsk, the whole city",
    "Novosibirsk, Leninsky district", "Novosibirsk: ul. Titova 7, 9; Vatutina St", or both
    ("Novosibirsk, Leninsky district: ul. Titova"). A district's name gets the word "district"
    unless it has one of its own ("Ленинский район")."""
    if notice.whole_city:
        return _("{city}, the whole city").format(city=notice.city)
    text = notice.city
    if notice.districts:
        text += ", " + ", ".join(
            d if DISTRICT_WORDS & set(_tokens(d)) else _("{name} district").format(name=d)
            for d in notice.districts
        )
    if notice.streets:
        text += ": " + "; ".join(
            ", ".join((f"{s.street} {s.houses[0]}", *s.houses[1:])) if s.houses else s.street
            for s in notice.streets
        )
    return text


def same_city(a: str, b: str) -> bool:
    return place_key(a) == place_key(b)


# --- names in their plain form --------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall((text or "").lower().replace("ё", "е"))


def _plain(tokens: Iterable[str]) -> str:
    return " ".join(" ".join(tokens).replace("-", " ").split())


def _ending(token: str) -> str:
    # Leninskiy, Leninskii, Leninskij: one transliteration of Ленинский, Leninsky.
    return re.sub(r"(?<=[a-z])(?:iy|ii|ij|yi|yj)$", "y", token)


def place_key(name: str) -> str:
    """A city's name, plain: "г. Санкт-Петербург" and "saint petersburg" differ only in
    alphabet; "St. Petersburg" is "Saint Petersburg"."""
    words = {"st": "saint", "sankt": "saint"}
    return _plain(words.get(t, t) for t in _tokens(name) if t not in CITY_WORDS)


def district_key(name: str) -> str:
    return _plain(_ending(t) for t in _tokens(name) if t not in DISTRICT_WORDS)


def street_key(name: str) -> str:
    return _plain(_ending(t) for t in _tokens(name) if t not in STREET_KINDS)


def house_key(number: str) -> str:
    return "".join(_tokens(number)).translate(_HOUSE_LETTERS)


def parse_address(address: str, *, city: str = "") -> tuple[str, str]:
    """(street, house) of an address, both plain ("" when not found): "ul. Titova 7, apt 124"
    and "улица Титова, д. 7, кв. 124" give the street and the house alike.

    The street is the words before the first comma or the house number (a number that starts
    the street's name, as in "ul. 10 let Oktyabrya 93", is part of it); a leading part naming
    the city ("г. Новосибирск, ...") is skipped; what follows "apt"/"кв." is not read.
    """
    street: list[str] = []
    street_done = False
    for part in address.split(","):
        tokens = _tokens(part)
        if not street and (CITY_WORDS & set(tokens) or (city and same_city(part, city))):
            continue
        for token in tokens:
            if token in APARTMENT_MARKERS:
                return street_key(" ".join(street)), ""
            if token in STREET_KINDS or token in HOUSE_MARKERS:
                continue
            if street and _HOUSE.fullmatch(token):
                return street_key(" ".join(street)), house_key(token)
            if not street_done:
                street.append(token)
        street_done = bool(street)
    return street_key(" ".join(street)), ""


def street_scope(text: str) -> StreetScope:
    """A street as a notice's scope is written: "ul. Titova" (every house), "ul. Titova 7, 9"
    or "улица Титова, д. 7, 9а" (those houses). ValueError when a part after the street is not
    a house number."""
    head, *rest = (part.strip() for part in text.split(","))
    houses: list[str] = []
    found = re.fullmatch(r"(.*\S)\s+(\d\S*)", head)
    if found and street_key(found.group(1)):
        head, houses = found.group(1), [found.group(2)]
    for part in rest:
        words = [t for t in part.split() if t.lower().strip(".") not in HOUSE_MARKERS]
        number = " ".join(words)
        if not _HOUSE.fullmatch(house_key(number)) or len(words) != 1:
            raise ValueError(f"{part!r} in {text!r} is not a house number")
        houses.append(number)
    if not street_key(head):
        raise ValueError(f"{text!r} names no street")
    return StreetScope(head, tuple(houses))
