"""Notices with a scope: which customers are in the affected area, which only in its city."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_console.domain import Customer, Notice, StreetScope
from agent_console.domain.notices import (
    AFFECTED,
    SAME_CITY,
    match,
    matches,
    parse_address,
    scope_text,
    street_scope,
)
from tests.helpers import SHIFT_NOW

pytestmark = pytest.mark.both_engines


def notice(city="Novosibirsk", districts=(), streets=(), text="Fibre cut", **kwargs) -> Notice:
    return Notice(
        0,
        city,
        text,
        SHIFT_NOW - timedelta(hours=1),
        None,
        tuple(districts),
        tuple(s if isinstance(s, StreetScope) else street_scope(s) for s in streets),
        **kwargs,
    )


def customer(address="ul. Titova 7, apt 124", city="Novosibirsk", district="") -> Customer:
    return Customer("5400944039", "Gennady Tarasov", city, address, district=district)


# --- the scope ----------------------------------------------------------------------------------


def test_a_whole_city_notice_affects_everyone_in_the_city_and_nobody_elsewhere():
    assert match(notice(), customer()) == AFFECTED
    assert match(notice(), customer(city="Kazan")) is None
    assert match(notice(), customer(city="")) is None


def test_a_district_notice_affects_its_district_only():
    leninsky = notice(districts=["Leninsky"])
    assert match(leninsky, customer(district="Leninsky")) == AFFECTED
    assert match(leninsky, customer(district="Tsentralny")) == SAME_CITY
    assert match(leninsky, customer(district="")) == SAME_CITY  # not known: may be affected
    assert match(leninsky, customer(city="Kazan", district="Leninsky")) is None


def test_a_street_notice_affects_the_street_or_only_the_houses_it_lists():
    assert match(notice(streets=["ul. Titova"]), customer("ul. Titova 37, apt 2")) == AFFECTED
    houses = notice(streets=["ul. Titova 7, 9"])
    assert match(houses, customer("ul. Titova 7, apt 124")) == AFFECTED
    assert match(houses, customer("ul. Titova 37, apt 2")) == SAME_CITY
    assert match(houses, customer("ul. Plakhotnogo 7, apt 32")) == SAME_CITY


def test_districts_and_streets_together_cover_either():
    both = notice(districts=["Leninsky"], streets=["ul. Frunze 16"])
    assert match(both, customer(district="Leninsky")) == AFFECTED
    assert match(both, customer("ul. Frunze 16, apt 139", district="Tsentralny")) == AFFECTED
    assert match(both, customer("ul. Frunze 18, apt 1", district="Tsentralny")) == SAME_CITY


# --- tolerance of how names are written -------------------------------------------------------


@pytest.mark.parametrize(
    "street",
    [
        "ul. Titova",
        "UL. TITOVA",
        "Titova",
        "улица Titova",
        "street Titova",
        "Titova st.",
        "ul.Titova",
        "Titova street",
    ],
)
def test_the_kind_of_street_and_case_do_not_matter(street):
    assert match(notice(streets=[street]), customer("ul. Titova 7, apt 124")) == AFFECTED


@pytest.mark.parametrize(
    "address",
    [
        "ул. Титова 7, кв. 124",
        "улица Титова, д. 7, кв. 124",
        "г. Новосибирск, ул. Титова, 7",
        "УЛ ТИТОВА 7",
    ],
)
def test_russian_addresses_match_a_street_written_in_russian(address):
    assert match(notice(streets=["ул. Титова 7"]), customer(address)) == AFFECTED


def test_yo_is_e_and_a_house_letter_is_one_letter_in_either_alphabet():
    assert match(notice(streets=["ул. Тёплая 12а"]), customer("улица Теплая, д. 12a")) == AFFECTED
    assert match(notice(streets=["ул. Тёплая 12а"]), customer("улица Теплая, д. 12")) == SAME_CITY


def test_city_and_district_writings():
    assert match(notice(city="Saint Petersburg"), customer(city="St. Petersburg")) == AFFECTED
    assert match(notice(city="г. Новосибирск"), customer(city="Новосибирск")) == AFFECTED
    spelled = notice(districts=["Leninskiy district"])
    assert match(spelled, customer(district="Leninsky")) == AFFECTED
    assert match(notice(districts=["Ленинский р-н"]), customer(district="ленинский")) == AFFECTED


def test_a_number_that_starts_a_street_name_is_not_the_house():
    october = notice(city="Omsk", streets=["ul. 10 let Oktyabrya 93"])
    assert match(october, customer("ul. 10 let Oktyabrya 93, apt 3", city="Omsk")) == AFFECTED
    assert match(october, customer("ul. 10 let Oktyabrya 7/3, apt 43", city="Omsk")) == SAME_CITY


def test_a_similar_street_is_not_the_street():
    assert match(notice(streets=["Karla Marksa"]), customer("pr. Karla Marksa 6")) == AFFECTED
    assert match(notice(streets=["Marksa"]), customer("pr. Karla Marksa 6")) == SAME_CITY


@pytest.mark.parametrize(
    ("address", "parsed"),
    [
        ("ul. Nemirovicha-Danchenko 32, apt 26", ("nemirovicha danchenko", "32")),
        ("Krasny pr. 60, apt 132", ("krasny", "60")),
        ("ul. Ippodromskaya 29/1, apt 69", ("ippodromskaya", "29/1")),
        ("ul. 20-letiya Oktyabrya 115, apt 163", ("20 letiya oktyabrya", "115")),
        ("улица Титова, д. 7, кв. 124", ("титова", "7")),
        ("", ("", "")),
    ],
)
def test_addresses_are_read_as_street_and_house(address, parsed):
    assert parse_address(address) == parsed


def test_a_notices_street_is_read_with_its_houses():
    assert street_scope("ul. Titova") == StreetScope("ul. Titova")
    assert street_scope("ul. Titova 7, 9") == StreetScope("ul. Titova", ("7", "9"))
    assert street_scope("улица Титова, д. 7, 9а") == StreetScope("улица Титова", ("7", "9а"))
    assert street_scope("10 let Oktyabrya") == StreetScope("10 let Oktyabrya")
    with pytest.raises(ValueError, match="not a house number"):
        street_scope("ul. Titova 7, behind the school")
    with pytest.raises(ValueError, match="names no street"):
        street_scope("ul.")


# --- several notices ------------------------------------------------------------------------------


def test_matches_lists_the_affected_area_first_and_leaves_other_cities_out():
    city_works = notice(text="Planned works")
    district = notice(districts=["Tsentralny"], text="Fibre cut")
    kazan = notice(city="Kazan", text="Kazan works")
    found = matches([district, kazan, city_works], customer(district="Leninsky"))
    assert [(m.notice.text, m.match) for m in found] == [
        ("Planned works", AFFECTED),
        ("Fibre cut", SAME_CITY),
    ]
    assert matches([city_works], None) == ()


@pytest.mark.parametrize(
    "districts, streets, shown",
    [
        ((), (), "Novosibirsk, the whole city"),
        (["Leninsky"], (), "Novosibirsk, Leninsky district"),
        (
            ["Leninsky", "Kirovsky district"],
            (),
            "Novosibirsk, Leninsky district, Kirovsky district",
        ),
        (["Ленинский район"], (), "Novosibirsk, Ленинский район"),
        ((), ["ul. Titova 7, 9", "Vatutina St"], "Novosibirsk: ul. Titova 7, 9; Vatutina St"),
        (["Leninsky"], ["ul. Titova"], "Novosibirsk, Leninsky district: ul. Titova"),
    ],
)
def test_the_scope_is_written_out_as_the_notice_gives_it(districts, streets, shown):
    assert scope_text(notice(districts=districts, streets=streets)) == shown


def test_the_text_follows_the_content_language():
    both = notice(text="Fibre cut", text_ru="Обрыв кабеля")
    assert (both.text_in("ru"), both.text_in("en")) == ("Обрыв кабеля", "Fibre cut")
    assert notice(text="Fibre cut").text_in("ru") == "Fibre cut"


# --- the demo -------------------------------------------------------------------------------------


def test_the_demo_outage_is_in_one_district_of_one_city(demo_store):
    [outage] = demo_store.notices.active()
    assert (outage.city, outage.districts, outage.streets) == ("Novosibirsk", ("Leninsky",), ())
    assert outage.text_ru and "Ленинский" in outage.text_ru
    customers = [demo_store.people.customer(c) for c in demo_store.people.customer_contracts()]
    found = {c.contract: match(outage, c) for c in customers}
    in_city = [c for c in customers if c.city == "Novosibirsk"]
    assert all(found[c.contract] is None for c in customers if c.city != "Novosibirsk")
    affected = {c.contract for c in in_city if found[c.contract] == AFFECTED}
    assert len(affected) >= 5 and len(in_city) - len(affected) >= 5
    # The customers who wrote in about the Leninsky district are in it.
    waiting = {c.customer_contract: c.subject for c in demo_store.queue.waiting()}
    writers = {k for k, subject in waiting.items() if "Ленинск" in subject}
    assert writers and writers <= affected


def test_the_demo_planned_works_in_kazan_are_in_a_district_no_customer_lives_in(demo_store):
    demo_store.clock.advance(7 * 3600)
    [works] = [n for n in demo_store.notices.active() if n.city == "Kazan"]
    kazan = [demo_store.people.customer(c) for c in demo_store.people.customer_contracts()]
    kazan = [c for c in kazan if c.city == "Kazan"]
    assert kazan and all(c.district for c in kazan)
    assert {match(works, c) for c in kazan} == {SAME_CITY}


# --- the notice bar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "Outage in Novosibirsk, Leninsky district, since 18:40"),
        ("ru", "Авария в Новосибирске, Ленинский район, с 18:40"),
    ],
)
async def test_the_notice_bar_shows_the_scope_and_the_text_in_the_content_language(
    demo_store,
    language,
    text,
):
    from agent_console.widgets.notice_bar import NoticeBar
    from tests.helpers import SIZE, make_app, settle

    app = make_app(demo_store, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = str(app.screen.query_one(NoticeBar).render())
    assert shown.startswith(f" ⚠ Novosibirsk, Leninsky district — {text}")
