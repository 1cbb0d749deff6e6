from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from agent_console.cli import main
from agent_console.clock import FixedClock
from agent_console.demo import SAMPLE_SESSIONS
from agent_console.desk import Desk
from agent_console.domain import OUTCOMES, EventType, Operator
from agent_console.domain.lifecycle import (
    IN_CONTACT,
    ON_HOLD,
    READY,
    WRAPUP,
    OperatorState,
    apply,
    replay,
)
from agent_console.domain.wrapup_rules import WrapUpEntry
from agent_console.feeder import BROKEN
from agent_console.importers import ImportFailed
from agent_console.sessions import (
    Redactor,
    UnknownSession,
    contacts_in,
    export_lines,
    import_sessions,
)
from agent_console.store import Store
from tests.helpers import SHIFT_NOW, write_jsonl

pytestmark = pytest.mark.both_engines

STORIES = {
    "sample-angry-before-greeting",
    "sample-channel-removed",
    "sample-fee-increase",
    "sample-wants-to-cancel",
    "sample-router-restart",
    "sample-setup-tech-support",
    "sample-profanity-ended",
    "sample-city-outage",
}
CONTACT_EVENTS_THAT_FOLD = (
    EventType.CONTACT_ACCEPTED,
    EventType.CONTACT_HELD,
    EventType.CONTACT_RESUMED,
    EventType.WARNING_GIVEN,
    EventType.CONTACT_ENDED,
    EventType.WRAPUP_SAVED,
)


@pytest.fixture
def other_store(tmp_path):
    """A second, empty database: where an exported session is taken to be replayed."""
    with Store(tmp_path / "elsewhere.db", FixedClock(SHIFT_NOW)) as opened:
        yield opened


def samples(store):
    return [s for s in store.sessions.newest_first() if s.source == "sample"]


def write_lines(path, lines):
    return write_jsonl(path, [json.dumps(line, ensure_ascii=False) for line in lines])


def live_session(store, clock, notes="Router restarted, link up."):
    """One contact worked through the desk, as the work screen does it."""
    desk = Desk(store, "anna.smirnova", store.events.start_session("anna.smirnova"))
    desk.log_in()
    contact = desk.accept_next()
    clock.advance(20)
    desk.log_script(EventType.SCRIPT_SAID, "greeting-evening.en")
    desk.log_search("router lights", None, ["article:router-lights.en"])
    desk.log_article_opened("router-lights.en", "router lights")
    clock.advance(40)
    desk.hold()
    clock.advance(15)
    desk.resume()
    clock.advance(30)
    desk.end()
    clock.advance(12)
    desk.save_wrapup(
        WrapUpEntry(outcome="resolved", topic="router", notes=notes, promotion="declined")
    )
    return desk.session_id, contact


# --- the sample sessions ------------------------------------------------------------------------


def test_the_demo_ships_the_eight_stories_each_with_a_title_and_dialogue(demo_store):
    found = samples(demo_store)
    assert STORIES <= {s.id for s in found}
    for session in found:
        assert session.title and session.contacts == 1
        events = demo_store.sessions.events(session)
        speakers = {e.payload["speaker"] for e in events if e.type == EventType.DIALOGUE}
        assert speakers == {"customer", "operator"}, session.id


def test_every_sample_folds_through_the_lifecycle_and_ends_wrapped_up(demo_store):
    for session in samples(demo_store):
        events = demo_store.sessions.events(session)
        state, seen = OperatorState(), []
        for event in events:
            state = apply(state, event)
            if not seen or seen[-1] != state.state:
                seen.append(state.state)
        assert seen[:2] == [READY, IN_CONTACT] and seen[-2:] == [WRAPUP, READY], session.id
        assert set(seen) <= {READY, IN_CONTACT, ON_HOLD, WRAPUP}, session.id
        folding = [e for e in events if e.type in CONTACT_EVENTS_THAT_FOLD]
        assert folding[-1].type == EventType.WRAPUP_SAVED, session.id
        saved = folding[-1].payload
        assert saved["outcome"] in OUTCOMES
        ended = next(e for e in events if e.type == EventType.CONTACT_ENDED)
        at_end = replay(e for e in events if e.id <= ended.id)
        assert saved["talk_s"] == round(at_end.talk_s(ended.at)), session.id
        assert saved["hold_s"] == round(at_end.hold_s(ended.at)), session.id


def test_the_samples_promotion_answer_agrees_with_their_wrap_up(demo_store):
    for session in samples(demo_store):
        events = demo_store.sessions.events(session)
        ended = next(e for e in events if e.type == EventType.CONTACT_ENDED)
        at_end = replay(e for e in events if e.id <= ended.id)
        promotion = events[-1].payload["promotion"]
        expected = promotion if promotion in ("accepted", "declined") else None
        assert at_end.promotion == expected, session.id
        if promotion == "not_offered":
            assert events[-1].payload["promotion_reason"], session.id


def test_samples_are_written_a_few_seconds_apart_in_time_order(demo_store):
    for session in samples(demo_store):
        times = [e.at for e in demo_store.sessions.events(session)]
        gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) >= 0 and max(gaps) <= 120, session.id


def test_the_scripts_and_articles_the_samples_mention_exist_in_english(demo_store):
    for session in samples(demo_store):
        for event in demo_store.sessions.events(session):
            p = event.payload
            if "script_id" in p:
                script = demo_store.content.script(p["script_id"])
                assert script is not None and script.status == "approved", p
                assert script.language == "en"
            if event.type == EventType.ARTICLE_OPENED:
                assert demo_store.content.article(p["article_id"]).language == "en"
            for ref in p.get("results", []):
                kind, _, item = ref.partition(":")
                found = getattr(demo_store.content, kind)(item)
                assert found is not None, ref


def test_the_samples_cover_the_seeds_endings(demo_store):
    endings = set()
    for session in samples(demo_store):
        saved = demo_store.sessions.events(session)[-1].payload
        endings.add((saved["outcome"], saved["transfer_target"]))
    assert {
        ("transferred", "retention"),
        ("transferred", "tech_support"),
        ("ended_profanity", None),
        ("dropped", None),
        ("resolved", None),
        ("info_given", None),
    } <= endings


def sample_texts(events):
    """What the samples' people say and write: every dialogue line, search and wrap-up note."""
    for event in events:
        payload = event.payload
        for field in ("text", "query", "notes", "transfer_reason", "promotion_reason"):
            if isinstance(payload.get(field), str):
                yield payload[field]


STREET_WORD = r"(?:\b(?:ul|ул|pr|пр|sh|ш)\.|\b(?:улица|street|prospekt|проспект)\b)"


def street_names_in(text: str, known: set[str]) -> set[str]:
    """The streets a text names: a known street before a house number or after "ul."/"pr.",
    and any word after "ul." (so a street no customer lives on counts too)."""
    from agent_console.domain.notices import street_key

    found = set()
    for street in known:
        name = r"[\s-]+".join(map(re.escape, street.split()))
        if re.search(rf"(?:{STREET_WORD}\s*{name}\b|\b{name}[\s,]+\d)", text, re.I):
            found.add(street)
    for word in re.findall(rf"{STREET_WORD}\s*([^\W\d_][\w-]*)", text, re.I):
        found.add(street_key(word))
    return found


def test_every_sample_agrees_with_its_customer_in_the_demo_data(demo_store):
    """The card, and what is said and written about the customer: their own name, contract,
    phone, e-mail and street, never another customer's (nor an operator confirming one)."""
    from agent_console.domain.notices import parse_address

    customers = [demo_store.people.customer(c) for c in demo_store.people.customer_contracts()]
    streets = {parse_address(c.address)[0] for c in customers}
    for session in samples(demo_store):
        events = demo_store.sessions.events(session)
        [(_, card)] = contacts_in(events).items()
        own = demo_store.people.customer(card.contact.customer_contract)
        assert card.customer == own, session.id
        assert card.contact.customer_name == own.name, session.id
        others = [c for c in customers if c.contract != own.contract]
        own_phone = re.sub(r"\D", "", own.phone)[-10:]
        for text in sample_texts(events):
            where = f"{session.id}: {text!r}"
            assert set(re.findall(r"(?<!\d)\d{10}(?!\d)", text)) <= {own.contract}, where
            phones = re.findall(r"\+7[\d ()-]{10,}\d", text)
            assert all(re.sub(r"\D", "", p)[-10:] == own_phone for p in phones), where
            assert set(re.findall(r"[\w.+-]+@[\w.-]+\.\w+", text)) <= {own.email}, where
            for other in others:
                last_name = other.name.split()[-1]
                if last_name not in own.name:
                    assert not re.search(rf"\b{re.escape(last_name)}\b", text), where
            assert street_names_in(text, streets) <= {parse_address(own.address)[0]}, where


def test_samples_leave_the_live_state_and_log_alone(demo_store):
    # Same operators, and the live log is what an operator's state is folded from.
    assert Desk(demo_store, "anna.smirnova").state().state == READY
    sample_ids = {s.id for s in samples(demo_store)}
    marks = ",".join("?" * len(sample_ids))
    in_log = demo_store.conn.execute(
        f"SELECT count(*) FROM events WHERE session_id IN ({marks})", tuple(sample_ids)
    ).fetchone()[0]
    assert in_log == 0


# --- export and import ----------------------------------------------------------------------------


def test_an_export_starts_with_the_session_and_carries_the_snapshots(demo_store):
    lines = export_lines(demo_store, ["sample-city-outage"])
    header = lines[0]
    assert header["type"] == "session_started" and header["id"] is None
    assert set(header["payload"]) == {"title", "source", "operator", "started", "ended"}
    accepted = next(line for line in lines if line["type"] == "contact_accepted")
    assert accepted["payload"]["customer"]["name"] == "Svetlana Morozova"
    assert accepted["payload"]["contact"]["customer_contract"] == "5400224906"
    assert set(lines[1]) == {"id", "session_id", "contact_id", "operator", "at", "type", "payload"}


def test_a_live_session_replays_in_another_database_to_the_same_final_state(
    demo_store, other_store, clock, tmp_path
):
    session_id, contact = live_session(demo_store, clock)
    live_events = demo_store.events.for_session(session_id)
    lines = export_lines(demo_store, [session_id])
    accepted = next(line for line in lines if line["type"] == "contact_accepted")
    assert accepted["payload"]["contact"]["channel"] == contact.channel
    assert accepted["payload"]["customer"]["contract"] == contact.customer_contract
    saved = lines[-1]["payload"]
    assert (saved["notes"], saved["topic"], saved["promotion"]) == (
        "Router restarted, link up.",
        "router",
        "declined",
    )

    assert import_sessions(other_store, [write_lines(tmp_path / "s.jsonl", lines)]) == 1
    imported = other_store.sessions.get(session_id)
    assert (imported.source, imported.operator, imported.contacts) == (
        "imported",
        "anna.smirnova",
        1,
    )
    replayed = other_store.sessions.events(imported)
    assert [(e.type, e.at, e.contact_id) for e in replayed] == [
        (e.type, e.at, e.contact_id) for e in live_events
    ]
    now = clock.now()
    live_state, replay_state = replay(live_events), replay(replayed)
    assert replay_state == live_state
    ended = [e for e in replayed if e.type == EventType.CONTACT_ENDED][0]
    assert replay(e for e in replayed if e.at <= ended.at).talk_s(now) == 90
    [card] = contacts_in(replayed).values()
    assert card.contact.id == contact.id and card.contact.channel == contact.channel
    assert card.customer == demo_store.people.customer(contact.customer_contract)
    # Nothing of the import reached the other database's contacts or live log.
    assert other_store.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    assert other_store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_export_of_an_imported_session_gives_back_the_same_lines(demo_store, other_store, tmp_path):
    lines = export_lines(demo_store, ["sample-setup-tech-support", "sample-fee-increase"])
    import_sessions(other_store, [write_lines(tmp_path / "s.jsonl", lines)])
    again = export_lines(other_store, ["sample-setup-tech-support", "sample-fee-increase"])

    def comparable(rows):
        return [{k: v for k, v in row.items() if k != "id"} for row in rows]

    expected = comparable(lines)
    for line in expected:
        if line["type"] == "session_started":
            line["payload"]["source"] = "imported"
    assert comparable(again) == expected


def test_a_replay_reads_the_card_from_the_snapshots(demo_store):
    events = demo_store.sessions.events(demo_store.sessions.get("sample-fee-increase"))
    [(contact_id, card)] = contacts_in(events).items()
    assert contact_id == 90301
    assert (card.contact.channel, card.contact.topic, card.contact.claimed_by) == (
        "chat",
        "fee_increase",
        "dmitry.kozlov",
    )
    assert card.contact.sla_due - card.contact.created == timedelta(minutes=5)
    assert card.customer == demo_store.people.customer("5400849231")
    assert card.contact.city == "Novosibirsk"


def test_unknown_ids_export_nothing(demo_store):
    with pytest.raises(UnknownSession, match="no-such"):
        export_lines(demo_store, ["sample-city-outage", "no-such"])


def test_reimporting_replaces_an_imported_session(other_store, tmp_path, demo_store):
    lines = export_lines(demo_store, ["sample-router-restart"])
    path = write_lines(tmp_path / "s.jsonl", lines)
    import_sessions(other_store, [path])
    lines[0]["payload"]["title"] = "Router restart, second edition"
    import_sessions(other_store, [write_lines(tmp_path / "s2.jsonl", lines)])
    [only] = other_store.sessions.newest_first()
    assert only.title == "Router restart, second edition"
    count = other_store.conn.execute("SELECT count(*) FROM session_events").fetchone()[0]
    assert count == len(lines) - 1


def test_a_live_session_is_never_overwritten_by_an_import(demo_store, clock, tmp_path):
    session_id, _ = live_session(demo_store, clock)
    before = demo_store.events.for_session(session_id)
    lines = export_lines(demo_store, ["sample-router-restart"])
    for line in lines:
        line["session_id"] = session_id
    with pytest.raises(ImportFailed) as failed:
        import_sessions(demo_store, [write_lines(tmp_path / "s.jsonl", lines)])
    [problem] = failed.value.problems
    assert (problem.line, problem.field) == (1, "session_id")
    assert "recorded live" in problem.message
    assert demo_store.events.for_session(session_id) == before
    assert demo_store.sessions.get(session_id).source == "live"


def test_a_bad_file_names_the_line_and_field_and_writes_nothing(demo_store, other_store, tmp_path):
    lines = export_lines(demo_store, ["sample-profanity-ended"])
    rows = [json.dumps(line) for line in lines]
    rows[2] = json.dumps({**lines[2], "at": "yesterday"})
    rows[3] = json.dumps({**lines[3], "type": "teleported"})
    dialogue = next(i for i, line in enumerate(lines) if line["type"] == "dialogue")
    rows[dialogue] = json.dumps(
        {**lines[dialogue], "payload": {"speaker": "narrator", "text": "x"}}
    )
    rows.insert(5, "{not json")
    path = write_jsonl(tmp_path / "bad.jsonl", rows)
    with pytest.raises(ImportFailed) as failed:
        import_sessions(other_store, [path])
    places = {(p.line, p.field) for p in failed.value.problems}
    assert {(3, "at"), (4, "type"), (dialogue + 1, "payload.speaker"), (6, None)} <= places
    assert all(p.file == str(path) for p in failed.value.problems)
    assert other_store.sessions.newest_first() == []


def test_events_out_of_time_order_are_refused(other_store, demo_store, tmp_path):
    lines = export_lines(demo_store, ["sample-router-restart"])
    lines[3]["at"] = "2020-01-01T00:00:00.000Z"
    with pytest.raises(ImportFailed) as failed:
        import_sessions(other_store, [write_lines(tmp_path / "s.jsonl", lines)])
    assert [(p.line, p.field) for p in failed.value.problems] == [(4, "at")]


# --- the notices recorded with a session ----------------------------------------------------------


def events_of_session(store, session_id):
    return tuple(store.sessions.events(store.sessions.get(session_id)))


def test_an_export_records_the_notices_in_force_when_each_contact_was_taken(
    demo_store, other_store, clock, tmp_path
):
    # In force at SHIFT_NOW: the demo's Novosibirsk outage; the Kazan works start later, and
    # one that ended before is not recorded either.
    demo_store.notices.add(
        "Omsk", "Over", SHIFT_NOW - timedelta(hours=3), SHIFT_NOW - timedelta(hours=1)
    )
    session_id, _ = live_session(demo_store, clock)
    lines = export_lines(demo_store, [session_id])
    accepted = next(line for line in lines if line["type"] == "contact_accepted")
    [recorded] = accepted["payload"]["notices"]
    assert (recorded["city"], recorded["districts"], recorded["streets"]) == (
        "Novosibirsk",
        ["Leninsky"],
        [],
    )
    assert recorded["text_ru"].startswith("Авария в Новосибирске")
    import_sessions(other_store, [write_lines(tmp_path / "s.jsonl", lines)])
    [card] = contacts_in(events_of_session(other_store, session_id)).values()
    assert [(n.text, n.districts) for n in card.notices] == [(recorded["text"], ("Leninsky",))]


def test_the_outage_sample_recorded_its_notice_and_the_customer_is_in_its_area(demo_store):
    from agent_console.domain.notices import AFFECTED, match

    [card] = contacts_in(events_of_session(demo_store, "sample-city-outage")).values()
    [outage] = card.notices
    assert (outage.city, outage.districts) == ("Novosibirsk", ("Leninsky",))
    assert outage.starts <= card.contact.claimed_at < outage.ends
    assert match(outage, card.customer) == AFFECTED
    [later] = contacts_in(events_of_session(demo_store, "sample-wants-to-cancel")).values()
    assert later.notices == ()  # recorded: none in force


def test_no_sample_fixes_at_home_a_breakdown_the_recorded_outage_explains(demo_store):
    """A customer in an outage's area whose internet or TV is down is told about the outage:
    a sample where a restart fixed it took place where (or when) no outage was in force."""
    from agent_console.domain.notices import matches

    for session in samples(demo_store):
        events = demo_store.sessions.events(session)
        [card] = contacts_in(events).values()
        saved = events[-1].payload
        in_area = any(found.affected for found in matches(card.notices, card.customer))
        if saved.get("outcome") == "resolved" and saved.get("topic") in BROKEN:
            assert not in_area, session.id


def test_a_file_from_before_notices_and_districts_still_imports(demo_store, other_store, tmp_path):
    lines = export_lines(demo_store, ["sample-city-outage"])
    for line in lines:
        line["payload"].pop("notices", None)
        if isinstance(line["payload"].get("customer"), dict):
            line["payload"]["customer"].pop("district")
    import_sessions(other_store, [write_lines(tmp_path / "old.jsonl", lines)])
    [card] = contacts_in(events_of_session(other_store, "sample-city-outage")).values()
    assert card.notices is None and card.customer.district == ""
    assert card.customer.name == "Svetlana Morozova"


def test_recorded_notices_that_are_not_notices_are_refused_by_line_and_field(
    demo_store, other_store, tmp_path
):
    lines = export_lines(demo_store, ["sample-city-outage"])
    number, accepted = next(
        (i, line) for i, line in enumerate(lines) if line["type"] == "contact_accepted"
    )
    [good] = accepted["payload"]["notices"]
    accepted["payload"]["notices"] = [
        good,
        {**good, "city": ""},
        {**good, "starts": "soon"},
        {**good, "streets": ["ul. Titova"]},
    ]
    with pytest.raises(ImportFailed) as failed:
        import_sessions(other_store, [write_lines(tmp_path / "s.jsonl", lines)])
    found = {(p.line, p.field): p.message for p in failed.value.problems}
    assert set(found) == {(number + 1, f"payload.notices[{i}]") for i in (1, 2, 3)}
    assert "city" in found[(number + 1, "payload.notices[1]")]
    assert "starts" in found[(number + 1, "payload.notices[2]")]
    accepted["payload"]["notices"] = "Leninsky"
    with pytest.raises(ImportFailed, match="payload.notices"):
        import_sessions(other_store, [write_lines(tmp_path / "s.jsonl", lines)])
    assert other_store.sessions.newest_first() == []


def practice_notices(store, session_id):
    from agent_console.sessions.practice import prepare_practice

    events = events_of_session(store, session_id)
    run = prepare_practice(store, events, contacts_in(events), Operator("anna.smirnova", "Anna"))
    try:
        return run.store.notices.active(), run.store.notices.in_force_at(
            store.clock.now() + timedelta(hours=8)
        )
    finally:
        run.close()


def test_practice_runs_with_the_notices_recorded_with_the_session_not_todays(demo_store):
    demo_store.notices.add("Novosibirsk", "Today: works on ul. Titova", streets=["ul. Titova"])
    now, later = practice_notices(demo_store, "sample-city-outage")
    [outage] = now
    assert (outage.city, outage.districts) == ("Novosibirsk", ("Leninsky",))
    assert outage.text.startswith("Outage in Novosibirsk, Leninsky district")
    # As long since it started and as long still to go as when the contact was taken (12:55:04
    # on a notice from 11:40 to 16:30).
    assert outage.starts == SHIFT_NOW - timedelta(hours=1, minutes=15, seconds=4)
    assert outage.ends == SHIFT_NOW + timedelta(hours=3, minutes=34, seconds=56)
    assert later == []  # nor today's Kazan works later on
    # The live database keeps its own notices.
    assert len(demo_store.notices.active()) == 2


def test_practice_of_a_session_with_no_notices_in_force_has_none(demo_store, tmp_path, other_store):
    assert practice_notices(demo_store, "sample-wants-to-cancel") == ([], [])
    # A file from before notices were recorded: none either, rather than today's.
    lines = export_lines(demo_store, ["sample-city-outage"])
    for line in lines:
        line["payload"].pop("notices", None)
    other_store.notices.add("Novosibirsk", "Today's outage")
    import_sessions(other_store, [write_lines(tmp_path / "old.jsonl", lines)])
    assert practice_notices(other_store, "sample-city-outage") == ([], [])


# --- redaction ----------------------------------------------------------------------------------


def originals(store, lines):
    """Every personal value the exported sessions' customers have, in the forms it may take."""
    contracts = {
        line["payload"]["contact"]["customer_contract"]
        for line in lines
        if "contact" in line["payload"]
    }
    values = set()
    for card in store.sessions.customers():
        if card["contract"] not in contracts:
            values |= {card["name"], card["contract"], card["phone"]}
            continue
        digits = re.sub(r"\D", "", card["phone"])
        values |= {
            card["name"],
            *card["name"].split()[:1],
            card["name"].split()[-1],
            card["contract"],
            card["phone"],
            digits,
            digits[1:],
            "8" + digits[1:],
            card["address"],
        }
        if card["email"]:
            values.add(card["email"])
    return {v for v in values if v}


def test_a_redacted_export_of_the_demo_sessions_keeps_no_original_value(demo_store):
    ids = [s.id for s in samples(demo_store)]
    plain = export_lines(demo_store, ids)
    text = "\n".join(
        json.dumps(line, ensure_ascii=False) for line in export_lines(demo_store, ids, redact=True)
    )
    found = [value for value in originals(demo_store, plain) if value.lower() in text.lower()]
    assert found == []
    assert "4276 3800 1234 5679" in json.dumps(plain, ensure_ascii=False)
    assert "4276 3800 1234 5679" not in text and "4276380012345679" not in text
    # The stories survive: the stand-ins are there, and the approved content is untouched.
    assert "Customer 1" in text and "customer1@example.invalid" in text
    assert "Volna Telecom" in text and "anna.smirnova" in text


def test_one_customer_gets_one_stand_in_throughout_an_export(demo_store):
    lines = export_lines(demo_store, ["sample-channel-removed", "sample-fee-increase"], redact=True)
    for line in lines:
        if "customer" in line["payload"]:
            card, contact = line["payload"]["customer"], line["payload"]["contact"]
            assert card["name"] == contact["customer_name"]
            assert card["contract"] == contact["customer_contract"]
            said = " ".join(
                x["payload"]["text"]
                for x in lines
                if x["session_id"] == line["session_id"] and x["type"] == "dialogue"
            )
            assert card["name"] in said and card["contract"] in said


def test_every_writing_of_a_phone_gets_the_same_stand_in():
    redactor = Redactor(
        [
            {
                "name": "Valentina Grigorieva",
                "contract": "5400481201",
                "phone": "+7 953 773-55-13",
                "email": None,
            }
        ]
    )
    writings = [
        "+7 953 773-55-13",
        "8 (953) 7735513",
        "89537735513",
        "+79537735513",
        "953 773 55 13",
        "(953) 773-55-13",
        "9537735513",
    ]
    stand_ins = {redactor.text(f"call me on {w} please") for w in writings}
    assert stand_ins == {"call me on +7 900 000-00-01 please"}
    assert redactor.text("an unknown +7 912 000-11-22 and 8 912 000 11 22") == (
        "an unknown +7 900 000-00-02 and +7 900 000-00-02"
    )


def test_names_contracts_mails_and_cards_in_free_text():
    redactor = Redactor(
        [{"name": "Ivan Petrov", "contract": "7700146811", "phone": "", "email": None}],
        present=[{"name": "Svetlana Morozova", "contract": "5400224906"}],
    )
    text = (
        "svetlana morozova (5400224906) paid with 4111 1111 1111 1111, wrote from "
        "s.m@list.ru; Svetlana said Ivan Petrov, contract 7700146811, is her neighbour. "
        "Morozova again; contract 1234567890."
    )
    assert redactor.text(text) == (
        "Customer 1 (0000000001) paid with 4111 11** **** 1111, wrote from "
        "customer1@example.invalid; Customer 1 said Customer 2, contract 0000000002, is her"
        " neighbour. Customer 1 again; contract 0000000003."
    )
    # Only the customers the sessions are about lose their first names alone.
    assert redactor.text("Ivan called") == "Ivan called"


def test_hostile_names_are_still_found():
    name = "Oleg \x1b[31m Sidorov"
    redactor = Redactor([], present=[{"name": name, "contract": "5400320436"}])
    assert redactor.text(f"{name} / Oleg / SIDOROV") == "Customer 1 / Customer 1 / Customer 1"


# Ivan Petrov (on the card in Latin letters) writes the e-mail the demo queue holds, signed
# "Петров И."; Tatyana Nikitina then writes on social media. What they and the operator wrote:
PETROV_CHAT = [
    "Это снова Иван Петров, договор 7700146811. Жена, Петрова, звонила вчера.",
    "Передайте Петрову, что Ивану перезвонят. Звонить Ивану Петрову на 89856598076.",
    "Я говорил с Петровым и его женой Петровой; в Петрове уверены. С Иваном договорились.",
    "Адрес: ул. Свободы, д. 44/3, кв. 49. Раньше жил на Свободы 12, а мама — ул. Ленина, д. 5.",
    "Sorry, Petrovym pishet: I moved from Lenina street 5 to Svobody 44/3, apt 49; "
    "write to i.petrov@petrov-consult.ru or call 8 (985) 659 80 76. И. Петров",
    "Карта 4111 1111 1111 1111, у брата дом 12, кв. 3.",
]
NIKITINA_CHAT = [
    "Никитина Татьяна, 5400167418. Татьяне обещали Кино Премьеру, на Ипподромской 29/1 нет ТВ.",
    "Tatyana Nikitina, Ippodromskaya 29/1, apt 69, nikitina.t@yandex.ru, +7 953 447-05-59",
]
PETROV_NOTES = (
    "Петров И. (Ivan Petrov) недоволен, перерасчёт; адрес Свободы 44/3, кв. 49; "
    "тел. +7 985 659-80-76; с Ивановой не путать."
)
# Everything of theirs that the export above must not let through: their names as words in
# any case (Иванова is another woman), the rest anywhere.
THEIR_NAMES = {
    "petrov",
    "petrova",
    "petrovym",
    "петров",
    "петрова",
    "петрову",
    "петровым",
    "петрове",
    "петровой",
    "ivan",
    "иван",
    "ивана",
    "ивану",
    "иваном",
    "иване",
    "nikitina",
    "никитина",
    "никитиной",
    "tatyana",
    "татьяна",
    "татьяне",
}
THEIR_DATA = [
    "7700146811",
    "5400167418",
    "985",
    "6598076",
    "447-05-59",
    "petrov-consult",
    "nikitina.t",
    "Svobod",
    "Свобод",
    "44/3",
    "Ippodrom",
    "Ипподром",
    "29/1",
    "Ленина",
    "Lenina",
    "apt 49",
    "кв. 49",
    "дом 12",
    "кв. 3",
    "1111 1111 1111",
]


def test_a_redacted_export_keeps_no_name_phone_contract_mail_or_street_in_any_form(
    demo_store, clock
):
    desk = Desk(demo_store, "anna.smirnova", demo_store.events.start_session("anna.smirnova"))
    desk.log_in()
    for contract, chat, notes in [
        ("7700146811", PETROV_CHAT, PETROV_NOTES),
        ("5400167418", NIKITINA_CHAT, "Никитиной: Кино Премьера"),
    ]:
        contact_id = demo_store.conn.execute(
            "SELECT id FROM contacts WHERE customer_contract = ? AND status = 'waiting'",
            (contract,),
        ).fetchone()[0]
        desk.accept(contact_id)
        for text in chat:
            clock.advance(20)
            demo_store.events.append(
                EventType.DIALOGUE,
                contact_id=contact_id,
                operator="anna.smirnova",
                session_id=desk.session_id,
                payload={"speaker": "customer", "text": text},
            )
        desk.log_search("Петрову перерасчёт", None, [])
        desk.end()
        desk.save_wrapup(WrapUpEntry(outcome="resolved", topic="compensation", notes=notes))
    plain = CliRunner().invoke(
        main, ["--db", str(demo_store.address), "sessions", "export", desk.session_id]
    )
    assert "Петров И." in plain.stdout and "Петровым" in plain.stdout  # in e-mail and chat

    result = CliRunner().invoke(
        main, ["--db", str(demo_store.address), "sessions", "export", desk.session_id, "--redact"]
    )

    assert result.exit_code == 0, result.output
    out = result.stdout.lower()
    assert THEIR_NAMES & set(re.findall(r"\w+", out)) == set()
    assert [value for value in THEIR_DATA if value.lower() in out] == []
    # The rest of what they wrote is still there to learn from, one stand-in per person.
    assert "Customer 1 (Customer 1) недоволен, перерасчёт; адрес Address 1;" in result.stdout
    assert "Customer 2, 0000000002. Customer 2 обещали Кино Премьеру" in result.stdout
    assert "Звонить Customer 1 на +7 900 000-00-01" in result.stdout
    assert "4111 11** **** 1111" in result.stdout and "с Ивановой не путать" in result.stdout


PETROV = {
    "name": "Ivan [VIP] Petrov",
    "contract": "7700146811",
    "address": "ul. Svobody 44/3, apt 49",
    "phone": "+7 985 659-80-76",
    "email": "i.petrov@petrov-consult.ru",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Петров И.", "Customer 1"),
        ("И. И. Петров, I.I. Petrov", "Customer 1, Customer 1"),
        ("Петрова, Петрову, Петровым, Петрове, Петровой, Петровых", ", ".join(["Customer 1"] * 6)),
        ("Иван, Ивана, Ивану, Иваном, Иване", ", ".join(["Customer 1"] * 5)),
        (
            "Иван Петров звонил; Petrova Ivana i Petrovym",
            "Customer 1 звонил; Customer 1 i Customer 1",
        ),
        (
            "ivan_petrov, Петрова-Водкина, Петров Ш.",
            "Customer 1_Customer 1, Customer 1, Customer 1",
        ),
        # Another person, and English words a Russian case ending could make of a name.
        (
            "Иванова, Петровский, Ivanov; very nine Romania",
            "Иванова, Петровский, Ivanov; very nine Romania",
        ),
    ],
)
def test_a_customers_name_is_found_in_either_script_and_any_case(text, expected):
    assert Redactor([], present=[PETROV]).text(text) == expected


def test_transliteration_habits_read_as_one_name():
    redactor = Redactor(
        [],
        present=[
            {"name": "Valentina Grigorieva", "contract": "5400481201"},
            {"name": "Артём Кузнецов", "contract": "5400944285"},
            {"name": "Dmitry Ageev", "contract": "5400000003"},
        ],
    )
    assert redactor.text("Григорьевой, Grigoryeva, Валентине") == (
        "Customer 1, Customer 1, Customer 1"
    )
    assert redactor.text("Artyom Kuznetsov, Artem Kuznecov, Артёму") == (
        "Customer 2, Customer 2, Customer 2"
    )
    assert redactor.text("Дмитрия Агеева, Dmitriy, Dmitrii") == (
        "Customer 3, Customer 3, Customer 3"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The customer's street in any script and case takes the card's stand-in, numbers and all.
        (
            "живу на Свободы 44/3, кв. 49, а раньше ul. Svobody, d. 12",
            "живу на Address 1, а раньше Address 1",
        ),
        ("на Свободы нет света, на Svobodu tozhe", "на Address 1 нет света, на Address 1 tozhe"),
        ("нет свободы выбора; на свободы 44", "нет свободы выбора; на Address 1"),
        ("ул. Ленина, д. 5 и улица Гоголя 7", "Address 2 и Address 3"),
        ("Lenina street 5; Krasny pr. 60, apt 132; ул ленина 5", "Address 2; Address 3; Address 2"),
        (
            "Нахимовский проспект 3; у брата дом 12, кв. 3; house 5, flat 2",
            "Address 2; у брата Address 3; Address 4",
        ),
        # Not addresses: a street word without a name, numbers without a word for them.
        (
            "на улице холодно, 12 дней, 3 раза, 5400 рублей",
            "на улице холодно, 12 дней, 3 раза, 5400 рублей",
        ),
        (
            "Street food in Lenina 5 min. Вычислить площадь. Сегодня улица",
            "Street food in Lenina 5 min. Вычислить площадь. Сегодня улица",
        ),
        ("на Ленинском проспекте 3, по Тверской улице", "на Address 2, по Address 3"),
    ],
)
def test_streets_and_house_numbers_are_addresses(text, expected):
    redactor = Redactor([], present=[PETROV])
    redactor.text("ul. Svobody 44/3, apt 49")  # the card, first: Address 1
    assert redactor.text(text) == expected


def test_a_redacted_line_keeps_its_shape():
    redactor = Redactor([], present=[{"name": "Anna Petrova", "contract": "5400000001"}])
    line = {
        "id": 3,
        "session_id": "s",
        "contact_id": 9,
        "operator": "anna.smirnova",
        "at": "2026-11-16T12:00:00.000Z",
        "type": "search_made",
        "payload": {"query": "petrova 5400000001", "results": ["article:x"]},
    }
    out = redactor.line(line)
    assert out["payload"] == {"query": "Customer 1 0000000001", "results": ["article:x"]}
    assert out["operator"] == "anna.smirnova" and out["at"] == line["at"]


def test_the_sample_file_is_valid_json_lines_in_the_export_format():
    rows = [json.loads(line) for line in SAMPLE_SESSIONS.read_text().splitlines() if line]
    assert all(
        set(r) == {"id", "session_id", "contact_id", "operator", "at", "type", "payload"}
        for r in rows
    )
    starts = [r for r in rows if r["type"] == "session_started"]
    assert len(starts) == len({r["session_id"] for r in rows}) >= 8


@pytest.mark.parametrize(
    ("text", "planted"),
    [
        ("call me on 953.773.55.13", "953.773.55.13"),
        ("or +7.953.773.55.13 after six", "953.773.55.13"),
        ("my son in London: +44 20 7946 0958", "7946 0958"),
        ("US office +1 (555) 123-4567", "123-4567"),
        ("contract 54 0063 2364 please", "0063 2364"),
        ("the contract is 5400-632-364", "632-364"),
        ("паспорт 4510 123456 выдан", "123456"),
        ("passport No. 45 10 123456", "123456"),
        ("серия 4510 номер 123456", "123456"),
        ("д.р. 12.03.1985", "1985"),
        ("born 12/03/1985 in Omsk", "1985"),
        ("DOB 1985-03-12", "1985"),
        ("card 4276.3800.1234.5679", "3800.1234"),
        ("4276 3800 1234 5679 exp 12/27 cvv 123", "12/27"),
        ("4276 3800 1234 5679 exp 12/27 cvv 123", "cvv 123"),
    ],
)
def test_redaction_leaves_no_trace_of_numbers_in_their_other_writings(text, planted):
    redacted = Redactor([]).text(text)
    assert planted not in redacted, redacted


def test_redaction_keeps_dates_and_amounts_that_are_nobodys(demo_store):
    text = "on 2026-11-23 at 12:30 she paid 1 500 rub, ticket 12 34"
    assert Redactor([]).text(text) == text
