"""`agent-console report shift|contacts`: the figures of a shift worked through the desk."""

from __future__ import annotations

import csv
import io
import json

import pytest

from agent_console.clock import FixedClock
from agent_console.desk import Desk
from agent_console.domain import Customer, Operator
from agent_console.domain.figures import CONTACT_COLUMNS, INTERVAL_COLUMNS, ROW_COLUMNS
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.store import Store
from tests.helpers import SHIFT_NOW

pytestmark = pytest.mark.usefixtures("commands_on_the_shift_clock")


@pytest.fixture(autouse=True)
def worked(db_path):
    """From 18:00: Anna takes a call after 60 s in the queue, 30 s of it on hold, and transfers
    it to technical support; Boris takes a chat after 640 s (past its 300 s), the customer takes
    the promotion; a third caller hangs up after 50 s."""
    clock = FixedClock(SHIFT_NOW.replace(hour=18, minute=0))
    with Store(db_path, clock) as store:
        store.people.upsert_operators([Operator("anna", "Anna"), Operator("boris", "Boris")])
        store.people.upsert_customers([Customer("5400000001", "Svetlana Morozova", "Omsk")])
        call = store.queue.add(channel="phone", customer_contract="5400000001", topic="router")
        chat = store.queue.add(channel="chat", customer_contract=None, topic="billing")
        lost = store.queue.add(channel="phone", customer_contract=None, topic="billing")
        anna = Desk(store, "anna", store.events.start_session("anna"))
        boris = Desk(store, "boris", store.events.start_session("boris"))
        anna.log_in()
        boris.log_in()
        clock.advance(50)
        store.queue.abandon(lost)
        clock.advance(10)
        anna.accept(call)
        clock.advance(100)
        anna.hold()
        clock.advance(30)
        anna.resume()
        clock.advance(70)
        anna.end()
        clock.advance(40)
        anna.save_wrapup(
            WrapUpEntry(
                outcome="transferred",
                topic="router",
                transfer_target="tech_support",
                transfer_reason="line fault",
            )
        )
        clock.advance(340)  # 640 s after the chat came in
        boris.accept(chat)
        clock.advance(10)
        boris.offer_promotion("accepted")
        clock.advance(290)
        boris.end()
        clock.advance(20)
        boris.save_wrapup(WrapUpEntry(outcome="resolved", topic="billing", promotion="accepted"))
    return {"call": call, "chat": chat, "lost": lost}


def test_shift_as_json(cli):
    result = cli("report", "shift", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["from"], report["to"]) == (
        "2026-11-23T00:00:00Z",
        "2026-11-24T00:00:00Z",
    )
    assert report["service_level_targets_s"]["phone"] == 180
    assert report["service_level_goal"] == 0.8
    anna, boris = report["operators"]
    assert anna["operator"] == "anna" and "abandoned" not in anna
    assert (anna["contacts"], anna["talk_s_avg"], anna["hold_s_avg"], anna["acw_s_avg"]) == (
        1,
        170,
        30,
        40,
    )
    assert (anna["handle_s_avg"], anna["transfers_tech_support"], anna["service_level"]) == (
        240,
        1,
        1.0,
    )
    assert (boris["promotion_offered"], boris["promotion_accepted"], boris["service_level"]) == (
        1,
        1,
        0.0,
    )
    total = report["total"]
    assert "operator" not in total
    assert (total["contacts"], total["abandoned"], total["service_level"]) == (2, 1, 0.5)
    assert total["handle_s_avg"] == (240 + 320) / 2
    for row in (anna, boris, total):
        assert set(ROW_COLUMNS) - {"operator", "abandoned"} <= set(row)


def test_shift_as_csv_and_table(cli):
    result = cli("report", "shift", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == list(ROW_COLUMNS)
    assert [r["operator"] for r in rows] == ["anna", "boris", ""]
    assert (rows[0]["abandoned"], rows[2]["abandoned"], rows[2]["contacts"]) == ("", "1", "2")
    table = cli("report", "shift").output
    assert "Figures 2026-11-23 00:00 – 2026-11-24 00:00: 2 contacts, 1 abandoned" in table
    assert table.splitlines()[3].split()[:6] == ["anna", "1", "2:50", "0:30", "0:40", "4:00"]
    assert table.splitlines()[-1].startswith("Total")


def test_one_operator_by_interval(cli):
    result = cli(
        "report", "shift", "--operator", "boris", "--by", "interval", "--format", "json",
        "--from", "2026-11-23T18:00", "--to", "19:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["interval_s"] == 1800 and "operators" not in report
    first, second = report["intervals"]
    assert list(first) == list(INTERVAL_COLUMNS)
    assert (first["start"], second["end"]) == ("2026-11-23T18:00:00Z", "2026-11-23T19:00:00Z")
    assert (first["arrivals"], first["handled"], first["abandoned"]) == (3, 1, 1)
    assert report["total"]["contacts"] == 1
    listed = cli("report", "shift", "--by", "interval", "--format", "csv", "--to", "19:00")
    assert len(listed.output.splitlines()) == 1 + 38 + 1  # header, 00:00-19:00, the total


def test_a_date_range_and_one_outside_it(cli):
    day = json.loads(cli("report", "shift", "--from", "2026-11-23", "--to", "2026-11-23",
                         "--format", "json").output)  # fmt: skip
    assert day["total"]["contacts"] == 2
    before = json.loads(cli("report", "shift", "--from", "2026-11-22", "--format", "json").output)
    assert before["to"] == "2026-11-23T00:00:00Z" and before["total"]["contacts"] == 0


def test_contacts_as_csv_and_json(cli, worked):
    result = cli("report", "contacts")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == list(CONTACT_COLUMNS)
    by_id = {int(r["id"]): r for r in rows}
    assert set(by_id) == set(worked.values())
    call = by_id[worked["call"]]
    assert (call["channel"], call["operator"], call["transfer"], call["talk_s"]) == (
        "phone",
        "anna",
        "tech_support",
        "170.0",
    )
    assert by_id[worked["lost"]]["abandoned"] == "True"
    assert "Morozova" not in result.output and "5400000001" not in result.output
    listed = json.loads(cli("report", "contacts", "--format", "json").output)
    chat = next(c for c in listed["contacts"] if c["id"] == worked["chat"])
    assert (chat["promotion"], chat["waited_s"], chat["within_target"]) == ("accepted", 640, False)
    assert chat["created"] == "2026-11-23T18:00:00Z" and chat["wrapped_up"].startswith("2026")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "yesterday"], "'yesterday' is not a time"),
        (["--from", "2026-11-23T20:00", "--to", "2026-11-23T19:00"], "--to (2026-11-23 19:00)"),
        (["--operator", "nobody"], "no operator 'nobody'"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_errors_say_what_is_wrong(cli, args, message):
    result = cli("report", "shift", *args)
    assert result.exit_code != 0
    assert message in result.output


@pytest.mark.sqlite_only  # the older wrap-ups are written with SQLite's json_remove
def test_older_wrap_ups_still_take_their_facts_from_the_contacts_creation(cli, db_path):
    """The report leaves the contacts' creation events unread when every wrap-up carries its
    contact's facts (the desk writes them), and reads them when one does not (written before)."""
    from datetime import timedelta

    day = SHIFT_NOW.replace(hour=0, minute=0)
    with Store(db_path, FixedClock(SHIFT_NOW)) as store:
        assert store.events.closings_carry_facts(day, day + timedelta(days=1))
    before = json.loads(cli("report", "shift", "--format", "json").output)
    with Store(db_path, FixedClock(SHIFT_NOW)) as store, store.transaction() as conn:
        conn.execute(
            "UPDATE events SET payload = json_remove(payload, '$.channel', '$.created',"
            " '$.accepted', '$.ended', '$.transfer_target') WHERE type = 'wrapup_saved'"
        )
    with Store(db_path, FixedClock(SHIFT_NOW)) as store:
        assert not store.events.closings_carry_facts(day, day + timedelta(days=1))
    after = json.loads(cli("report", "shift", "--format", "json").output)
    for key in ("contacts_phone", "contacts_chat", "service_level", "transfers_tech_support"):
        assert after["total"][key] == before["total"][key], key
    assert after["total"]["contacts_phone"] == 1 and after["total"]["service_level"] == 0.5
