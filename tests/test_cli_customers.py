"""`agent-console customers import|find` and recognising callers."""

from __future__ import annotations

import json

import pytest

from agent_console.domain import Customer
from agent_console.store import Store
from tests.helpers import write_jsonl

CSV_HEADER = "contract,name,phones,email,city,district,address,services,tariff,since,language,balance,status\n"  # noqa: E501
SVETLANA = (
    '5400224906,Svetlana Морозова,"+7 983 536-00-60;8 (383) 210-00-01",Svetlana@List.ru,'
    'Novosibirsk,Leninsky,"ul. Titova 7, apt 26","Internet Home 300;Digital TV Basic",'
    "Internet Home 300,2018-06-18,ru,-150.50,blocked_nonpayment\n"
)
OLEG = {
    "contract": "5400320436",
    "name": "Олег Ёлкин",
    "phone": "+7 952 915-41-90",
    "email": "oleg@mail.ru",
    "handles": ["vk.com/oleg_elkin"],
    "city": "Новосибирск",
    "address": "ул. Гоголя 3",
    "services": ["Internet Home 100"],
    "balance": 320,
}


@pytest.fixture
def imported(cli, tmp_path):
    csv_file = tmp_path / "billing.csv"
    csv_file.write_text(CSV_HEADER + SVETLANA, encoding="utf-8")
    jsonl_file = write_jsonl(tmp_path / "more.jsonl", [OLEG])
    result = cli("customers", "import", str(csv_file), str(jsonl_file))
    assert result.exit_code == 0, result.output
    assert "Imported 2 customers" in result.output
    return csv_file, jsonl_file


def count(db_path, table="customers") -> int:
    with Store(db_path) as store:
        return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_import_csv_and_json_lines_with_every_field(imported, db_path):
    with Store(db_path) as store:
        svetlana = store.people.customer("5400224906")
        oleg = store.people.customer("5400320436")
    assert svetlana == Customer(
        contract="5400224906",
        name="Svetlana Морозова",
        city="Novosibirsk",
        address="ul. Titova 7, apt 26",
        phone="+7 983 536-00-60",
        email="Svetlana@List.ru",
        services=("Internet Home 300", "Digital TV Basic"),
        tariff="Internet Home 300",
        since="2018-06-18",
        language="ru",
        district="Leninsky",
        phones=("+7 983 536-00-60", "8 (383) 210-00-01"),
        balance=-150.5,
        status="blocked_nonpayment",
    )
    assert (oleg.phone, oleg.handles, oleg.balance, oleg.status) == (
        "+7 952 915-41-90",
        ("vk.com/oleg_elkin",),
        320.0,
        "active",
    )


def test_reimport_updates_and_replaces_addresses(imported, cli, db_path, tmp_path):
    changed = write_jsonl(
        tmp_path / "changed.jsonl", [{**OLEG, "phone": "+7 999 000-00-00", "email": None}]
    )
    assert cli("customers", "import", str(changed)).exit_code == 0
    assert count(db_path) == 2
    with Store(db_path) as store:
        assert store.people.recognise("phone", "89529154190") == []
        assert store.people.recognise("email", "oleg@mail.ru") == []
        [oleg] = store.people.recognise("phone", "9990000000")
        assert oleg.contract == "5400320436" and oleg.email is None


@pytest.mark.parametrize(
    "written", ["+7 952 915-41-90", "89529154190", "9529154190", "8 (952) 915 41 90"]
)
def test_a_caller_is_recognised_by_a_phone_in_any_writing(imported, db_path, written):
    with Store(db_path) as store:
        assert [c.contract for c in store.people.recognise("phone", written)] == ["5400320436"]


def test_a_caller_is_recognised_by_email_and_handle_and_a_stranger_by_nothing(imported, db_path):
    with Store(db_path) as store:
        people = store.people
        assert [c.name for c in people.recognise("email", "SVETLANA@list.RU")] == [
            "Svetlana Морозова"
        ]
        assert [c.name for c in people.recognise("social", "https://VK.com/oleg_elkin")] == [
            "Олег Ёлкин"
        ]
        assert people.recognise("phone", "+7 800 555-35-35") == []
        assert people.recognise("email", "nobody@example.com") == []


def test_a_shared_phone_is_several_customers(cli, db_path, tmp_path):
    path = write_jsonl(
        tmp_path / "family.jsonl",
        [
            {"contract": "1", "name": "Anna", "phone": "+7 383 210-00-01"},
            {"contract": "2", "name": "Boris", "phones": ["8 383 2100001", "+7 900 1"]},
        ],
    )
    assert cli("customers", "import", str(path)).exit_code == 0, "+7 900 1 is 5 digits: a phone"
    with Store(db_path) as store:
        assert [c.contract for c in store.people.recognise("phone", "3832100001")] == ["1", "2"]


@pytest.mark.parametrize(
    ("query", "contracts"),
    [
        ("5400224906", ["5400224906"]),  # contract
        ("8 952 915 41 90", ["5400320436"]),  # phone, another writing
        ("OLEG@MAIL.RU", ["5400320436"]),  # e-mail, any case
        ("ёлкин", ["5400320436"]),  # name, Cyrillic, any case, ё
        ("ЕЛКИН олег", ["5400320436"]),  # every word
        ("морозова", ["5400224906"]),
        ("titova", ["5400224906"]),  # address
        ("гоголя 3", ["5400320436"]),
        ("novosibirsk", ["5400224906"]),
        ("nobody", []),
    ],
)
def test_find_by_contract_phone_email_name_or_address(imported, cli, query, contracts):
    found = cli("customers", "find", query, "--json")
    assert found.exit_code == 0, found.output
    assert [c["contract"] for c in json.loads(found.output)] == contracts


def test_find_json_has_english_keys_and_the_table_a_line_each(imported, cli):
    [svetlana] = json.loads(cli("customers", "find", "5400224906", "--json").output)
    assert svetlana == {
        "contract": "5400224906",
        "name": "Svetlana Морозова",
        "phones": ["+7 983 536-00-60", "8 (383) 210-00-01"],
        "email": "Svetlana@List.ru",
        "handles": [],
        "city": "Novosibirsk",
        "district": "Leninsky",
        "address": "ul. Titova 7, apt 26",
        "services": ["Internet Home 300", "Digital TV Basic"],
        "tariff": "Internet Home 300",
        "since": "2018-06-18",
        "language": "ru",
        "balance": -150.5,
        "status": "blocked_nonpayment",
    }
    table = cli("customers", "find", "Novosibirsk").output.splitlines()
    assert len(table) == 1 and table[0].startswith("5400224906")
    assert "blocked_nonpayment" in table[0] and "-150.50" in table[0]
    assert "no customers for 'zzz'" in cli("customers", "find", "zzz").output


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ("5400000001,,,,,,,,,,,,\n", "line 3, field 'name': is missing"),
        ("5400000001,Ivan,not a phone,,,,,,,,,,\n", "line 3, field 'phones': 'not a phone'"),
        ("5400000001,Ivan,,ivan-at-mail,,,,,,,,,\n", "line 3, field 'email': 'ivan-at-mail' is"),
        ("5400000001,Ivan,,,,,,,,18.06.2018,,,\n", "line 3, field 'since': must be a date"),
        ("5400000001,Ivan,,,,,,,,,de,,\n", "line 3, field 'language': must be one of en, ru"),
        ("5400000001,Ivan,,,,,,,,,,lots,\n", "line 3, field 'balance': must be a number"),
        ("5400000001,Ivan,,,,,,,,,,,Blocked!\n", "line 3, field 'status': must be a code"),
        ('"5400000001",Ivan,,,,,,,,,,,,extra\n', "line 3: has 14 cells, the header names 13"),
        (",Ivan,,,,,,,,,,,\n", "line 3, field 'contract': is missing"),
    ],
)
def test_a_bad_csv_line_names_file_line_and_field_and_nothing_is_written(
    cli, db_path, tmp_path, rows, problem
):
    path = tmp_path / "billing.csv"
    path.write_text(CSV_HEADER + SVETLANA + rows, encoding="utf-8")
    refused = cli("customers", "import", str(path))
    assert refused.exit_code == 1
    assert f"error: {path}, {problem}" in refused.stderr, refused.stderr
    assert "Nothing was imported" in refused.stderr
    assert count(db_path) == 0 and count(db_path, "customer_addresses") == 0


def test_a_problem_in_a_later_file_writes_nothing_of_the_earlier_ones(cli, db_path, tmp_path):
    good = write_jsonl(tmp_path / "a.jsonl", [OLEG])
    bad = write_jsonl(
        tmp_path / "b.jsonl",
        [{"contract": "1", "name": "A"}, '{"contract": "2"', {"contract": "3", "nmae": "C"}],
    )
    refused = cli("customers", "import", str(good), str(bad))
    assert refused.exit_code == 1
    assert f"{bad}, line 2: not valid JSON" in refused.stderr
    assert f"{bad}, line 3, field 'nmae': is not a field the console knows" in refused.stderr
    assert f"{bad}, line 3, field 'name': is missing" in refused.stderr
    assert count(db_path) == 0 and count(db_path, "customer_addresses") == 0


def test_a_big_import_in_many_batches_is_still_all_or_nothing(db_path, clock, tmp_path):
    from agent_console.importers import ImportFailed
    from agent_console.importers.people import import_customers
    from agent_console.store import people

    rows = [{"contract": str(n), "name": f"N{n}", "phone": f"+7 900 {n:07d}"} for n in range(50)]
    path = write_jsonl(tmp_path / "c.jsonl", [*rows, {"contract": "x", "name": ""}])
    with Store(db_path, clock) as store:
        original = people.BATCH
        people.BATCH = 7
        try:
            with pytest.raises(ImportFailed, match="line 51, field 'name': is empty"):
                import_customers(store, [path])
        finally:
            people.BATCH = original
        assert store.people.count_customers() == 0


def test_a_csv_with_semicolons_between_columns(cli, db_path, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(
        'contract;name;phones;balance\n1;Иван;"+7 900 000-00-01;+7 900 000-00-02";-10,5\n',
        encoding="utf-8-sig",
    )
    assert cli("customers", "import", str(path)).exit_code == 0
    with Store(db_path) as store:
        customer = store.people.customer("1")
    assert customer.phones == ("+7 900 000-00-01", "+7 900 000-00-02")
    assert customer.balance == -10.5


def test_a_customer_file_that_is_not_there_or_not_utf8(cli, db_path, tmp_path):
    missing = cli("customers", "import", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2 and "does not exist" in missing.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("contract,name\n1,Иван\n".encode("cp1251"))
    refused = cli("customers", "import", str(latin))
    assert refused.exit_code == 1 and "is not UTF-8 text" in refused.stderr
    assert count(db_path) == 0


@pytest.mark.parametrize("bad", [False, True])
def test_a_big_import_read_by_a_worker_process_is_the_same_all_or_nothing(
    db_path, clock, tmp_path, bad
):
    from agent_console.importers import ImportFailed
    from agent_console.importers.people import import_customers

    rows = [{"contract": str(n), "name": f"N{n}", "phone": f"+7 900 {n:07d}"} for n in range(5000)]
    rows[1234]["name"] = "Changed"
    rows.append({**rows[1234], "name": "Last wins"})  # a contract twice: the later one
    first = write_jsonl(tmp_path / "a.jsonl", rows[:3000])
    second = write_jsonl(
        tmp_path / "b.jsonl", rows[3000:] + ([{"contract": "x", "phone": "y"}] if bad else [])
    )
    with Store(db_path, clock) as store:
        if bad:
            with pytest.raises(ImportFailed) as failed:
                import_customers(store, [first, second], worker=True)
            assert [str(p) for p in failed.value.problems] == [
                f"{second}, line 2002, field 'phone': 'y' is not a phone number",
                f"{second}, line 2002, field 'name': is missing",
            ]
            assert store.people.count_customers() == 0
            assert store.conn.execute("SELECT count(*) FROM customer_addresses").fetchone()[0] == 0
            return
        assert import_customers(store, [first, second], worker=True) == 5001
        assert store.people.count_customers() == 5000
        assert store.people.customer("1234").name == "Last wins"
        [found] = store.people.recognise("phone", "8 900 0004999")
        assert found.contract == "4999"
