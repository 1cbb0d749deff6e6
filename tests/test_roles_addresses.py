"""The pure parts of issue 12: roles and what they may do, and contact addresses in one writing."""

from __future__ import annotations

import pytest

from agent_console.domain import Customer
from agent_console.domain.addresses import (
    address_keys,
    email_key,
    fold,
    handle_key,
    phone_key,
)
from agent_console.domain.roles import CAPABILITIES, can, role_needed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("operator", {"work"}),
        ("trainer", {"work", "replay", "practice", "content", "floor"}),
        ("supervisor", set(CAPABILITIES)),
        ("janitor", set()),
    ],
)
def test_each_role_may_do_its_own_and_no_more(role, allowed):
    assert {c for c in CAPABILITIES if can(role, c)} == allowed


def test_the_lowest_role_needed_is_named():
    assert [role_needed(c) for c in CAPABILITIES] == [
        "operator",
        "trainer",
        "trainer",
        "trainer",
        "trainer",  # watching the floor
        "supervisor",  # acting on it
    ]


def test_an_unknown_capability_is_a_mistake_not_a_no():
    with pytest.raises(ValueError, match="unknown capability"):
        can("supervisor", "fly")


@pytest.mark.parametrize(
    "written",
    [
        "+7 952 915-41-90",
        "89529154190",
        "9529154190",
        "8 (952) 915 41 90",
        "+7(952)915-41-90",
        "7 952 915 41 90",
        "8-952-915-41-90 доб. 12",
        "+7 952 915 41 90 ext. 3",
        "00 7 952 915 41 90",
    ],
)
def test_a_russian_number_in_any_writing_is_one_key(written):
    assert phone_key(written) == "9529154190"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("+44 20 7946 0958", "442079460958"),
        ("0044 20 7946 0958", "442079460958"),
        ("810 44 20 7946 0958", "442079460958"),
        ("+1 (555) 123-4567", "15551234567"),
        ("21-45-67", "214567"),  # a local number: its digits
    ],
)
def test_other_numbers_keep_their_digits(written, key):
    assert phone_key(written) == key


@pytest.mark.parametrize(
    "text", ["", "  ", "ivan@mail.ru", "call me", "12", "+7 952 abc", "1" * 16]
)
def test_what_is_not_a_phone_number_has_no_key(text):
    assert phone_key(text) is None


def test_emails_and_handles_ignore_case_and_decoration():
    assert email_key("  Ivan.Petrov@Mail.RU ") == "ivan.petrov@mail.ru"
    assert email_key("mailto:ivan@mail.ru") == "ivan@mail.ru"
    assert email_key("ivan at mail") is None
    assert handle_key("https://vk.com/Ivanov/") == "vk.com/ivanov"
    assert handle_key("@Ivanov") == "ivanov"
    assert handle_key(" @ ") is None


def test_a_contacts_from_is_looked_up_as_what_its_channel_carries():
    assert address_keys("phone", "8 952 915 41 90") == [("phone", "9529154190")]
    assert address_keys("phone", "ivan@mail.ru") == []
    assert address_keys("email", "Ivan@Mail.ru") == [("email", "ivan@mail.ru")]
    assert address_keys("email", "89529154190") == []
    assert address_keys("chat", "ivan@mail.ru") == [("email", "ivan@mail.ru")]
    assert address_keys("social", "@Ivanov") == [("handle", "ivanov")]
    # A numeric id on a social network may be a phone or a handle: both are looked up.
    assert address_keys("social", "89529154190") == [
        ("phone", "9529154190"),
        ("handle", "89529154190"),
    ]
    assert address_keys("phone", "  ") == []


def test_fold_ignores_case_in_every_script():
    assert fold("Ёлкина Светлана ИВАНОВНА") == "елкина светлана ивановна"


def test_a_customer_given_phones_or_a_phone_has_both():
    assert Customer("1", "A", phone="+7 1").phones == ("+7 1",)
    assert Customer("1", "A", phones=("+7 1", "+7 2")).phone == "+7 1"
    assert Customer("1", "A").phones == ()
