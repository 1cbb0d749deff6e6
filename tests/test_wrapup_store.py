"""The wrap-up below the UI: card masking, validation, drafts that survive, and transfers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agent_console.domain import Customer, EventType, Operator
from agent_console.domain.personal_data import luhn_valid, mask_card_numbers
from agent_console.domain.wrapup_rules import NOTES_MAX_CHARS, WrapUpEntry, validate
from agent_console.store import Store
from agent_console.store.wrapups import WrapUp, WrapUpAlreadySaved

pytestmark = pytest.mark.both_engines

# Luhn-valid test numbers of the schemes a Russian ISP's customers carry.
VISA = "4111111111111111"
MASTERCARD = "5555555555554444"
AMEX = "378282246310005"  # 15 digits, grouped 4-6-5
MIR = "2200700000000009"
MAESTRO_12 = "500000000009"
MAESTRO_19 = "6767700000000000001"
CONTRACT = "5400224906"  # ten digits: a contract number, not a card

# --- card numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [VISA, MASTERCARD, AMEX, MIR, MAESTRO_12, MAESTRO_19])
def test_test_card_numbers_are_luhn_valid_and_masked_to_first_6_last_4(number):
    assert luhn_valid(number)
    masked, count = mask_card_numbers(number)
    assert count == 1
    assert masked == number[:6] + "*" * (len(number) - 10) + number[-4:]


def test_grouped_numbers_keep_their_separators():
    assert mask_card_numbers("4276 3800 1234 5679") == ("4276 38** **** 5679", 1)
    assert mask_card_numbers("2200-7000-0000-0009") == ("2200-70**-****-0009", 1)
    assert mask_card_numbers("3782 822463 10005") == ("3782 82**** *0005", 1)


@pytest.mark.parametrize(
    "text",
    [
        "4276 3800 1234 5678",  # one digit off: fails Luhn
        "4111111111111112",
        CONTRACT,
        "+7 912 345-67-89",
        "8 800 555 35 35",
        "41111111111",  # 11 digits, too short even though Luhn-valid
        "41111111111111111111",  # 20 digits
        "2026-11-23",
    ],
)
def test_other_numbers_are_left_alone(text):
    assert mask_card_numbers(text) == (text, 0)


def test_cards_inside_text_several_at_once_and_next_to_other_numbers():
    text = (
        f"Contract {CONTRACT}. Paid with {VISA}, then with 5555 5555 5555 4444;"
        f" call back on +7 912 345-67-89."
    )
    masked, count = mask_card_numbers(text)
    assert count == 2
    assert masked == (
        f"Contract {CONTRACT}. Paid with 411111******1111, then with 5555 55** **** 4444;"
        f" call back on +7 912 345-67-89."
    )


def test_a_card_typed_straight_after_a_contract_is_still_found():
    masked, count = mask_card_numbers(f"{VISA} {CONTRACT}")
    assert (masked, count) == (f"411111******1111 {CONTRACT}", 1)


def test_masking_is_idempotent_and_empty_text_is_fine():
    once, _ = mask_card_numbers(f"card {VISA}")
    assert mask_card_numbers(once) == (once, 0)
    assert mask_card_numbers("") == ("", 0)


# --- validation ---------------------------------------------------------------------------------

NOW = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)


def test_a_plain_resolved_wrapup_is_valid():
    assert validate(WrapUpEntry(outcome="resolved", topic="router", notes="ok"), NOW) == {}


def test_missing_or_unknown_outcome_is_named():
    assert validate(WrapUpEntry(), NOW) == {"outcome": "Choose an outcome"}
    assert "outcome" in validate(WrapUpEntry(outcome="escalated_to_senior"), NOW)
    assert "topic" in validate(WrapUpEntry(outcome="resolved", topic="weather"), NOW)


def test_a_transfer_needs_one_of_the_two_targets_and_a_reason():
    errors = validate(WrapUpEntry(outcome="transferred"), NOW)
    assert errors == {
        "transfer_target": "Choose a transfer target",
        "transfer_reason": "Give the reason for the transfer",
    }
    errors = validate(
        WrapUpEntry(outcome="transferred", transfer_target="supervisor", transfer_reason="angry"),
        NOW,
    )
    assert list(errors) == ["transfer_target"]
    errors = validate(
        WrapUpEntry(outcome="transferred", transfer_target="retention", transfer_reason="   "), NOW
    )
    assert list(errors) == ["transfer_reason"]
    for target in ("tech_support", "retention"):
        entry = WrapUpEntry(outcome="transferred", transfer_target=target, transfer_reason="why")
        assert validate(entry, NOW) == {}


@pytest.mark.parametrize(
    ("callback_at", "message"),
    [
        (None, "Set the callback time"),
        ("", "Set the callback time"),
        ("tomorrow-ish", "Give the callback time as YYYY-MM-DD HH:MM"),
        ("2026-11-23 19:00", "The callback time is in the past"),
        ("2026-11-23T19:30:00Z", "The callback time is in the past"),
        (NOW - timedelta(minutes=1), "The callback time is in the past"),
    ],
)
def test_a_callback_needs_a_time_in_the_future(callback_at, message):
    errors = validate(WrapUpEntry(outcome="callback", callback_at=callback_at), NOW)
    assert errors == {"callback_at": message}


@pytest.mark.parametrize(
    "callback_at",
    [
        "2026-11-24 10:00",
        "2026-11-24T10:00:00+03:00",
        "2026-11-23T19:31:00Z",
        NOW + timedelta(hours=1),
        datetime(2026, 11, 24, 10, 0),
    ],
)
def test_future_callback_times_pass_as_text_or_datetime(callback_at):
    assert validate(WrapUpEntry(outcome="callback", callback_at=callback_at), NOW) == {}


def test_a_callback_time_matters_only_for_a_callback():
    assert validate(WrapUpEntry(outcome="resolved", callback_at="2020-01-01 10:00"), NOW) == {}


def test_notes_over_the_limit_are_named_with_their_length():
    assert validate(WrapUpEntry(outcome="resolved", notes="x" * NOTES_MAX_CHARS), NOW) == {}
    errors = validate(WrapUpEntry(outcome="resolved", notes="x" * 100_000), NOW)
    assert errors == {"notes": "Notes are too long: 100,000 characters, at most 20,000"}


def test_promotion_answers_and_the_reason_for_not_offering():
    assert validate(WrapUpEntry(outcome="resolved", promotion="accepted"), NOW) == {}
    assert validate(WrapUpEntry(outcome="resolved", promotion="declined"), NOW) == {}
    assert list(validate(WrapUpEntry(outcome="resolved", promotion="maybe"), NOW)) == ["promotion"]
    errors = validate(WrapUpEntry(outcome="resolved", promotion="not_offered"), NOW)
    assert errors == {"promotion_reason": "Say why the promotion was not offered"}
    entry = WrapUpEntry(outcome="resolved", promotion="not_offered", promotion_reason="angry")
    assert validate(entry, NOW) == {}


def test_all_problems_are_reported_at_once():
    entry = WrapUpEntry(outcome="transferred", notes="x" * 20_001, promotion="not_offered")
    assert set(validate(entry, NOW)) == {
        "transfer_target",
        "transfer_reason",
        "notes",
        "promotion_reason",
    }


# --- the store ----------------------------------------------------------------------------------

OPERATOR = "anna"
CUSTOMER = "7700112233"


@pytest.fixture
def contact_in_wrapup(store):
    """A phone contact of a known customer, taken and ended: waiting for its wrap-up."""
    store.people.upsert_operators([Operator(OPERATOR, "Anna Smirnova")])
    store.people.upsert_customers([Customer(CUSTOMER, "Ivan Petrov", city="Kazan")])
    contact_id = store.queue.add(
        channel="phone",
        customer_contract=CUSTOMER,
        topic="no_internet",
        subject="No link",
        priority=2,
    )
    store.queue.claim(contact_id, OPERATOR)
    store.queue.end(contact_id, OPERATOR)
    return contact_id


def test_save_masks_cards_in_notes_and_reports_how_many(store, contact_in_wrapup):
    masked = store.wrapups.save(
        WrapUp(contact_in_wrapup, OPERATOR, "resolved", notes=f"Card {VISA} and {MIR}, ok")
    )
    assert masked == 2
    notes = store.conn.execute(
        "SELECT notes FROM wrapups WHERE contact_id = ?", (contact_in_wrapup,)
    ).fetchone()[0]
    assert notes == "Card 411111******1111 and 220070******0009, ok"
    assert store.queue.get(contact_in_wrapup).status == "closed"


def test_save_without_cards_reports_none(store, contact_in_wrapup):
    assert store.wrapups.save(WrapUp(contact_in_wrapup, OPERATOR, "resolved", notes="")) == 0


def test_a_draft_is_kept_and_read_back(store, contact_in_wrapup, db_path, clock):
    assert store.wrapups.draft(contact_in_wrapup) is None
    store.wrapups.save_draft(contact_in_wrapup, OPERATOR, {"outcome": "callback", "notes": "Ca"})
    store.wrapups.save_draft(
        contact_in_wrapup,
        OPERATOR,
        {"notes": "Call him back [b]tomorrow[/b]\x1b[31m", "callback_at": "2026-11-24 10:00"},
    )
    # Another connection, as after a restart of the console, sees the same draft.
    with Store(db_path, clock) as reopened:
        draft = reopened.wrapups.draft(contact_in_wrapup)
    assert draft == {
        "outcome": "callback",
        "topic": None,
        "transfer_target": None,
        "transfer_reason": None,
        "promotion": None,
        "promotion_reason": None,
        "notes": "Call him back [b]tomorrow[/b]\x1b[31m",
        "callback_at": "2026-11-24T10:00:00.000Z",
    }
    assert WrapUpEntry(**draft).outcome == "callback"
    assert store.queue.get(contact_in_wrapup).status == "wrapup"


def test_a_draft_masks_cards_too_and_none_clears_a_field(store, contact_in_wrapup):
    masked = store.wrapups.save_draft(
        contact_in_wrapup, OPERATOR, {"notes": f"card {VISA}", "promotion": "declined"}
    )
    assert masked == 1
    store.wrapups.save_draft(contact_in_wrapup, OPERATOR, {"promotion": None})
    draft = store.wrapups.draft(contact_in_wrapup)
    assert draft["notes"] == "card 411111******1111" and draft["promotion"] is None


def test_a_draft_never_overwrites_a_saved_wrapup(store, contact_in_wrapup):
    store.wrapups.save_draft(contact_in_wrapup, OPERATOR, {"outcome": "info_given"})
    store.wrapups.save(WrapUp(contact_in_wrapup, OPERATOR, "resolved", notes="done"))
    assert store.wrapups.draft(contact_in_wrapup) is None
    store.wrapups.save_draft(contact_in_wrapup, OPERATOR, {"outcome": "dropped", "notes": "late"})
    row = store.conn.execute(
        "SELECT state, outcome, notes FROM wrapups WHERE contact_id = ?", (contact_in_wrapup,)
    ).fetchone()
    assert row == ("saved", "resolved", "done")


def test_a_draft_refuses_fields_it_does_not_know(store, contact_in_wrapup):
    with pytest.raises(ValueError, match="state"):
        store.wrapups.save_draft(contact_in_wrapup, OPERATOR, {"state": "saved"})
    assert store.wrapups.draft(contact_in_wrapup) is None


def test_a_wrapup_is_saved_once(store, contact_in_wrapup):
    store.wrapups.save(WrapUp(contact_in_wrapup, OPERATOR, "resolved"))
    with pytest.raises(WrapUpAlreadySaved):
        store.wrapups.save(WrapUp(contact_in_wrapup, OPERATOR, "dropped"))


def test_a_callback_time_given_as_a_datetime_is_stored_as_text(store, contact_in_wrapup, clock):
    when = clock.now() + timedelta(days=1)
    store.wrapups.save(WrapUp(contact_in_wrapup, OPERATOR, "callback", callback_at=when))
    stored = store.conn.execute("SELECT callback_at FROM wrapups").fetchone()[0]
    assert stored == "2026-11-24T19:30:00.000Z"


# --- transfers ----------------------------------------------------------------------------------


def test_a_transfer_puts_a_new_contact_in_the_target_queue(store, contact_in_wrapup):
    masked = store.wrapups.save(
        WrapUp(
            contact_in_wrapup,
            OPERATOR,
            "transferred",
            topic="router",
            notes="Router reset did not help",
            transfer_target="tech_support",
            transfer_reason=f"Needs a line check; paid with {VISA}",
        )
    )
    assert masked == 1
    [new] = store.queue.waiting("tech_support")
    assert store.queue.waiting("front") == [] and store.queue.waiting("retention") == []
    assert new.channel == "phone" and new.customer_contract == CUSTOMER
    assert new.topic == "router" and new.priority == 2 and new.status == "waiting"
    assert new.subject == (
        "Transferred from front line: Needs a line check; paid with 411111******1111"
    )
    parent = store.conn.execute("SELECT parent_id FROM contacts WHERE id = ?", (new.id,)).fetchone()
    assert parent == (contact_in_wrapup,)
    assert store.queue.get(contact_in_wrapup).status == "closed"

    events = store.events.for_contact(contact_in_wrapup)
    assert [e.type for e in events][-2:] == [EventType.TRANSFERRED, EventType.WRAPUP_SAVED]
    assert events[-2].payload == {
        "target": "tech_support",
        "reason": "Needs a line check; paid with 411111******1111",
        "new_contact_id": new.id,
    }
    created = store.events.for_contact(new.id)
    assert [(e.type, e.operator, e.payload["queue"]) for e in created] == [
        (EventType.CONTACT_CREATED, OPERATOR, "tech_support")
    ]

    [entry] = store.people.history(CUSTOMER)
    assert entry.contact_id == contact_in_wrapup
    assert entry.outcome == "transferred" and entry.transfer == "tech_support"


def test_a_transfer_to_retention(store, contact_in_wrapup):
    store.wrapups.save(
        WrapUp(
            contact_in_wrapup,
            OPERATOR,
            "transferred",
            transfer_target="retention",
            transfer_reason="Wants to cancel",
        )
    )
    [new] = store.queue.waiting("retention")
    assert new.subject == "Transferred from front line: Wants to cancel"
    assert new.topic == "no_internet"  # the contact's own topic when the wrap-up names none


@pytest.mark.parametrize("target", [None, "supervisor"])
def test_a_transfer_without_a_line_writes_nothing(store, contact_in_wrapup, target):
    with pytest.raises(ValueError, match="transfer"):
        store.wrapups.save(
            WrapUp(
                contact_in_wrapup,
                OPERATOR,
                "transferred",
                transfer_target=target,
                transfer_reason="why",
            )
        )
    assert store.queue.get(contact_in_wrapup).status == "wrapup"
    assert store.conn.execute("SELECT count(*) FROM wrapups").fetchone()[0] == 0


def test_a_failed_transfer_rolls_the_whole_save_back(store, contact_in_wrapup, monkeypatch):
    append = store.events.append

    def failing_append(type_, **kwargs):
        if type_ == EventType.TRANSFERRED:
            raise RuntimeError("disk full")
        return append(type_, **kwargs)

    monkeypatch.setattr(store.events, "append", failing_append)
    with pytest.raises(RuntimeError):
        store.wrapups.save(
            WrapUp(
                contact_in_wrapup,
                OPERATOR,
                "transferred",
                transfer_target="retention",
                transfer_reason="why",
            )
        )
    assert store.conn.execute("SELECT count(*) FROM wrapups").fetchone()[0] == 0
    assert store.queue.get(contact_in_wrapup).status == "wrapup"
    assert store.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
    assert [e.type for e in store.events.for_contact(contact_in_wrapup)][-1] == "contact_ended"


def test_transfer_fields_are_dropped_when_the_outcome_is_not_a_transfer(store, contact_in_wrapup):
    store.wrapups.save(
        WrapUp(
            contact_in_wrapup,
            OPERATOR,
            "resolved",
            transfer_target="retention",
            transfer_reason="changed my mind",
        )
    )
    assert store.queue.waiting("retention") == []
    [entry] = store.people.history(CUSTOMER)
    assert entry.transfer is None


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("4276.3800.1234.5679", "4276.38**.****.5679"),
        ("4276  3800  1234  5679", "4276  38**  ****  5679"),
        (
            "card 4276 3800 1234 5679 exp 12/27 cvv 123, thanks",
            "card 4276 38** **** 5679 exp **/** cvv ***, thanks",
        ),
        ("4276 3800 1234 5679, 11/2026, 456", "4276 38** **** 5679, **/****, ***"),
        (
            "карта 4276-3800-1234-5679 до 03/28 код 987",
            "карта 4276-38**-****-5679 до **/** код ***",
        ),
        ("4276 3800 1234 5679 CVC: 0123", "4276 38** **** 5679 CVC: ****"),
    ],
)
def test_cards_with_dots_or_wide_gaps_and_their_expiry_and_code_are_masked(text, masked):
    assert mask_card_numbers(text) == (masked, 1)


def test_a_number_after_a_card_without_a_code_name_or_expiry_is_left_alone():
    assert mask_card_numbers("4276 3800 1234 5679 then 123 more")[0].endswith("then 123 more")
