"""`agent-console contacts add|import|abandon`: contacts from a bridge, callers recognised."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest

from agent_console.domain import Customer, EventType, Operator
from agent_console.store import Store
from tests.helpers import SHIFT_NOW, write_jsonl

pytestmark = pytest.mark.usefixtures("commands_on_the_shift_clock")


@pytest.fixture(autouse=True)
def people(db_path, clock):
    with Store(db_path, clock) as store:
        store.people.upsert_operators([Operator("anna", "Anna"), Operator("dima", "Dima")])
        store.people.upsert_customers(
            [
                Customer("54-1", "Oleg Sidorov", "Novosibirsk", phone="+7 952 915-41-90",
                         email="oleg@mail.ru", handles=("@oleg",)),
                Customer("54-2", "Anna Sidorova", phones=("+7 383 210-00-01",)),
                Customer("54-3", "Boris Sidorov", phones=("8 383 210 00 01",)),
            ]
        )  # fmt: skip


def contacts(db_path) -> list:
    with Store(db_path) as store:
        rows = store.conn.execute("SELECT id FROM contacts ORDER BY id").fetchall()
        return [store.queue.get(r[0]) for r in rows]


def events(db_path, type_) -> list:
    with Store(db_path) as store:
        return store.conn.execute(
            "SELECT contact_id, payload FROM events WHERE type = ? ORDER BY id", (type_,)
        ).fetchall()


def test_add_prints_the_id_and_recognises_the_caller(cli, db_path):
    added = cli("contacts", "add", "--channel", "phone", "--from", "8 952 915 41 90")
    assert added.exit_code == 0, added.output
    assert added.output == "1\n"
    [contact] = contacts(db_path)
    assert (contact.customer_contract, contact.customer_name, contact.from_address) == (
        "54-1",
        "Oleg Sidorov",
        "8 952 915 41 90",
    )
    assert contact.status == "waiting" and contact.created == SHIFT_NOW
    assert [row[0] for row in events(db_path, EventType.CONTACT_CREATED)] == [1]


def test_add_json_is_the_contact_with_english_keys(cli):
    added = cli(
        "contacts", "add", "--channel", "email", "--from", "OLEG@mail.ru", "--topic", "billing",
        "--subject", "Invoice", "--priority", "2", "--queue", "retention", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.output) == {
        "id": 1,
        "channel": "email",
        "from": "OLEG@mail.ru",
        "contract": "54-1",
        "customer_name": "Oleg Sidorov",
        "topic": "billing",
        "subject": "Invoice",
        "priority": 2,
        "queue": "retention",
        "created": "2026-11-23T19:30:00+00:00",
        "sla_due": (SHIFT_NOW + timedelta(hours=24)).isoformat(),
        "status": "waiting",
    }


def test_several_or_no_matching_customers_leave_the_contract_to_the_console(cli, db_path):
    cli("contacts", "add", "--channel", "phone", "--from", "+7 383 210-00-01")  # two customers
    cli("contacts", "add", "--channel", "chat", "--from", "+7 800 000-00-00")  # nobody
    cli("contacts", "add", "--channel", "social", "--from", "@Oleg")  # a handle
    first, second, third = contacts(db_path)
    assert (first.customer_contract, second.customer_contract) == (None, None)
    assert third.customer_contract == "54-1"
    with Store(db_path) as store:
        assert [c.contract for c in store.people.recognise("phone", first.from_address)] == [
            "54-2",
            "54-3",
        ]


def test_an_explicit_contract_wins_over_recognition(cli, db_path):
    cli("contacts", "add", "--channel", "phone", "--from", "89529154190", "--contract", "54-2")
    assert contacts(db_path)[0].customer_contract == "54-2"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--channel", "fax", "--from", "1"], "Invalid value for '--channel'"),
        (["--channel", "phone"], "Missing option '--from'"),
        (
            ["--channel", "phone", "--from", "1", "--priority", "5"],
            "Invalid value for '--priority'",
        ),
        (["--channel", "phone", "--from", "1", "--queue", "boss"], "Invalid value for '--queue'"),
        (["--channel", "phone", "--from", " "], "--from is empty"),
        (
            ["--channel", "phone", "--from", "1", "--contract", "99-9"],
            "--contract no customer has the contract '99-9'",
        ),
    ],
)
def test_add_refuses_what_it_cannot_use_and_writes_nothing(cli, db_path, args, message):
    refused = cli("contacts", "add", *args)
    assert refused.exit_code != 0
    assert message in refused.output, refused.output
    assert contacts(db_path) == [] and events(db_path, EventType.CONTACT_CREATED) == []


def test_import_a_file_all_or_nothing(cli, db_path, tmp_path):
    good = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"channel": "phone", "from": "89529154190", "topic": "no_internet"},
            {"channel": "email", "from": "x@y.org", "subject": "Hello", "priority": 1},
        ],
    )
    imported = cli("contacts", "import", str(good))
    assert imported.exit_code == 0, imported.output
    assert "Added 2 contacts" in imported.output
    assert [c.customer_contract for c in contacts(db_path)] == ["54-1", None]
    bad = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            {"channel": "phone", "from": "1"},
            {"channel": "phone", "from": "1", "contract": "99-9"},
            {"channel": "pigeon", "from": "1", "priority": 9},
        ],
    )
    refused = cli("contacts", "import", str(bad))
    assert refused.exit_code == 1
    assert f"{bad}, line 2, field 'contract': no customer has the contract '99-9'" in (
        refused.stderr
    )
    assert f"{bad}, line 3, field 'channel': must be one of phone" in refused.stderr
    assert f"{bad}, line 3, field 'priority': must be 1 (urgent) to 4 (low), not 9" in (
        refused.stderr
    )
    assert len(contacts(db_path)) == 2
    assert len(events(db_path, EventType.CONTACT_CREATED)) == 2
    assert cli("contacts", "import", str(tmp_path / "none.jsonl")).exit_code == 2


def test_import_from_stdin_goes_on_past_a_bad_line(cli, db_path):
    lines = "\n".join(
        [
            json.dumps({"channel": "phone", "from": "89529154190"}),
            '{"channel": "phone", "from":',
            json.dumps({"channel": "chat", "from": "guest-1", "queue": "nowhere"}),
            "",
            json.dumps({"channel": "chat", "from": "oleg@mail.ru"}),
        ]
    )
    streamed = cli("contacts", "import", "-", input=lines + "\n")
    assert streamed.exit_code == 1
    assert streamed.stdout.split() == ["1", "2"]
    assert "error: <stdin>, line 2: not valid JSON" in streamed.stderr
    assert "error: <stdin>, line 3, field 'queue': must be one of front" in streamed.stderr
    assert "Added 2 contacts; 2 lines refused." in streamed.stderr
    assert [c.customer_contract for c in contacts(db_path)] == ["54-1", "54-1"]


def test_import_from_stdin_all_good_exits_zero(cli, db_path):
    streamed = cli("contacts", "import", "-", input='{"channel": "phone", "from": "1"}\n')
    assert streamed.exit_code == 0 and "Added 1 contact." in streamed.stderr


def test_abandon_a_waiting_contact(cli, db_path, clock):
    cli("contacts", "add", "--channel", "phone", "--from", "89529154190")
    with Store(db_path, clock) as store:
        before = store.queue.changes_since(None).watermark
    abandoned = cli("contacts", "abandon", "1")
    assert abandoned.exit_code == 0, abandoned.output
    assert "Contact 1 abandoned" in abandoned.output
    [contact] = contacts(db_path)
    assert contact.status == "abandoned"
    [(contact_id, payload)] = events(db_path, EventType.CONTACT_ABANDONED)
    assert contact_id == 1
    assert json.loads(payload) == {"queue": "front", "channel": "phone", "waited_s": 0.0}
    with Store(db_path, clock) as store:
        assert store.queue.waiting() == []
        assert store.queue.changes_since(before).removed == {1}  # off every console's queue
        assert store.people.history("54-1") == []  # never handled: not in the history


def test_abandon_refuses_a_taken_or_unknown_contact(cli, db_path, clock):
    cli("contacts", "add", "--channel", "phone", "--from", "1")
    with Store(db_path, clock) as store:
        store.queue.claim(1, "anna")
    taken = cli("contacts", "abandon", "1")
    assert taken.exit_code == 1 and "contact 1 is not waiting: it is active by anna" in (
        taken.output
    )
    unknown = cli("contacts", "abandon", "7")
    assert unknown.exit_code == 1 and "there is no contact 7" in unknown.output
    assert events(db_path, EventType.CONTACT_ABANDONED) == []
    assert cli("contacts", "abandon", "one").exit_code == 2


def test_a_stream_races_two_consoles_and_no_contact_is_lost_or_taken_twice(db_path, clock):
    """Contacts stream in through `stream_contacts` while two other connections claim them:
    every contact is claimed once, and none is lost."""
    from agent_console.importers.people import stream_contacts

    total = 300
    lines = [json.dumps({"channel": "phone", "from": f"+7 900 {n:07d}"}) for n in range(total)]
    done = threading.Event()
    claimed: dict[str, list[int]] = {"anna": [], "dima": []}

    def console(login: str) -> None:
        with Store(db_path, clock) as store:
            while True:
                contact = store.queue.claim_next(login)
                if contact is not None:
                    claimed[login].append(contact.id)
                elif done.is_set() and store.queue.count_waiting() == 0:
                    return

    consoles = [threading.Thread(target=console, args=(login,)) for login in claimed]
    for thread in consoles:
        thread.start()
    added: list[int] = []
    with Store(db_path, clock) as feeder:
        good, bad = stream_contacts(
            feeder, lines, added=lambda n, i: added.append(i), refused=print
        )
    done.set()
    for thread in consoles:
        thread.join(timeout=60)
    everything = claimed["anna"] + claimed["dima"]
    assert (good, bad) == (total, 0)
    assert sorted(everything) == sorted(added)  # none lost, none twice
    assert len(set(everything)) == total
