"""The feeder: Poisson arrivals of realistic contacts, on a fixed clock with a fake sleep."""

from __future__ import annotations

import random
import re
import signal
import statistics
from collections import Counter
from datetime import timedelta

import pytest
from click.testing import CliRunner

from agent_console import cli
from agent_console.cli import main
from agent_console.domain import CHANNELS, PRIORITIES, TOPICS
from agent_console.feeder import new_contact, parse_duration, run
from tests.helpers import SHIFT_NOW

INTERNET_TOPICS = {"no_internet", "slow_internet", "router", "fee_increase", "tariff"}
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


class FakeSleep:
    """Records the waits; moves the clock by them when given one, as real time would."""

    def __init__(self, clock=None, interrupt_after: int | None = None) -> None:
        self.waits: list[float] = []
        self.clock = clock
        self.interrupt_after = interrupt_after

    def __call__(self, seconds: float) -> None:
        if self.interrupt_after is not None and len(self.waits) >= self.interrupt_after:
            raise KeyboardInterrupt
        self.waits.append(seconds)
        if self.clock is not None:
            self.clock.advance(seconds)


def customers_of(store):
    return [store.people.customer(contract) for contract in store.people.customer_contracts()]


def generate(store, n, *, seed=1, outage_cities=()):
    rng = random.Random(seed)
    customers = customers_of(store)
    return [new_contact(rng, customers, store.clock, outage_cities) for _ in range(n)]


# --- the run loop ---------------------------------------------------------------------------------


def test_six_a_minute_for_ten_minutes_writes_about_sixty_and_waits_the_whole_duration(
    demo_store, clock
):
    before = demo_store.queue.count_waiting()
    sleep = FakeSleep()
    written = run(demo_store, 6, 600, random.Random(7), sleep, clock)
    assert 40 <= written <= 80
    assert demo_store.queue.count_waiting() == before + written
    assert sum(sleep.waits) == pytest.approx(600)
    # one wait before each contact, and the rest of the duration after the last one
    assert len(sleep.waits) == written + 1


def test_arrivals_average_the_rate_with_exponential_gaps(store, clock):
    counts, gaps = [], []
    for seed in range(8):
        sleep = FakeSleep()
        counts.append(run(store, 6, 600, random.Random(seed), sleep, clock))
        gaps += sleep.waits[:-1]
    assert 54 <= statistics.mean(counts) <= 66
    assert statistics.mean(gaps) == pytest.approx(10, rel=0.15)
    # Poisson arrivals, not a metronome: the gaps spread as widely as they are long
    assert statistics.stdev(gaps) == pytest.approx(10, rel=0.25)
    assert min(gaps) < 1 and max(gaps) > 30


def test_the_same_seed_gives_the_same_feed(store, clock):
    first, second = FakeSleep(), FakeSleep()
    run(store, 6, 300, random.Random(42), first, clock)
    run(store, 6, 300, random.Random(42), second, clock)
    assert first.waits == second.waits


def test_contacts_enter_the_queue_at_the_clock_s_time_with_their_event(demo_store, clock):
    sleep = FakeSleep(clock)
    seen = []
    written = run(demo_store, 12, 300, random.Random(3), sleep, clock, lambda c, i: seen.append(i))
    assert written == len(seen) > 0
    arrivals = [SHIFT_NOW + timedelta(seconds=sum(sleep.waits[: n + 1])) for n in range(written)]
    contacts = [demo_store.queue.get(contact_id) for contact_id in seen]
    # the store keeps milliseconds
    assert all(
        abs(c.created - at) < timedelta(milliseconds=1)
        for c, at in zip(contacts, arrivals, strict=True)
    )
    assert all(c.status == "waiting" for c in contacts)
    waiting = {c.id for c in demo_store.queue.waiting()}
    assert set(seen) <= waiting
    created_events = demo_store.conn.execute(
        "SELECT count(*) FROM events WHERE type = 'contact_created' AND contact_id >= ?",
        (min(seen),),
    ).fetchone()[0]
    assert created_events == written


def test_on_contact_sees_what_was_written(demo_store, clock):
    seen = []
    run(
        demo_store,
        30,
        120,
        random.Random(5),
        FakeSleep(),
        clock,
        lambda contact, contact_id: seen.append((contact, contact_id)),
    )
    for contact, contact_id in seen:
        stored = demo_store.queue.get(contact_id)
        assert (stored.channel, stored.topic, stored.priority, stored.subject) == (
            contact.channel,
            contact.topic,
            contact.priority,
            contact.subject,
        )
        assert stored.customer_contract == contact.customer_contract
        assert stored.customer_name == contact.customer_name


def test_ctrl_c_reaches_the_caller_after_what_was_written(store, clock):
    seen = []
    with pytest.raises(KeyboardInterrupt):
        run(
            store,
            6,
            None,
            random.Random(1),
            FakeSleep(interrupt_after=4),
            clock,
            lambda c, i: seen.append(i),
        )
    assert len(seen) == 4
    assert store.queue.count_waiting() == 4


def test_a_rate_of_zero_is_refused(store, clock):
    with pytest.raises(ValueError, match="more than zero"):
        run(store, 0, 60, random.Random(1), FakeSleep(), clock)


# --- what the contacts look like ----------------------------------------------------------------


def test_every_code_is_valid_and_the_mix_is_realistic(demo_store):
    contacts = generate(demo_store, 3000)
    contracts = set(demo_store.people.customer_contracts())
    assert {c.channel for c in contacts} <= set(CHANNELS)
    assert {c.topic for c in contacts} <= set(TOPICS)
    assert {c.priority for c in contacts} == set(PRIORITIES)
    assert all(c.customer_contract in contracts or c.customer_contract is None for c in contacts)
    assert all(c.subject.strip() and c.created == SHIFT_NOW for c in contacts)

    def share(counter, key):
        return counter[key] / len(contacts)

    channels = Counter(c.channel for c in contacts)
    assert share(channels, "phone") == pytest.approx(0.55, abs=0.04)
    assert share(channels, "chat") == pytest.approx(0.25, abs=0.03)
    assert share(channels, "email") == pytest.approx(0.12, abs=0.03)
    assert share(channels, "social") == pytest.approx(0.08, abs=0.02)
    priorities = Counter(c.priority for c in contacts)
    assert share(priorities, 3) > 0.65
    assert priorities[2] > priorities[4] > priorities[1] > 0
    topics = Counter(c.topic for c in contacts)
    assert len(topics) == len(TOPICS)
    assert topics.most_common(1)[0][0] in {"no_internet", "billing", "slow_internet"}


def test_priorities_fit_the_topic(demo_store):
    contacts = generate(demo_store, 3000, seed=12)
    assert not [c for c in contacts if c.priority == 4 and c.topic in {"no_internet", "outage"}]
    assert not [c for c in contacts if c.priority == 1 and c.topic in {"wish", "promotion"}]
    assert Counter(c.priority for c in contacts if c.topic == "wish").most_common(1)[0][0] == 4


def test_subjects_are_ivr_lines_for_calls_and_typed_messages_otherwise(demo_store):
    contacts = generate(demo_store, 2000, seed=2)
    phone = [c.subject for c in contacts if c.channel == "phone"]
    typed = [c.subject for c in contacts if c.channel != "phone"]
    assert all(subject.startswith("IVR: ") for subject in phone)
    assert not any(subject.startswith("IVR") for subject in typed)
    russian = [s for s in typed if CYRILLIC.search(s)]
    assert 0.6 < len(russian) / len(typed) < 0.99  # mostly Russian, as the customers are
    assert len(set(typed)) > 200  # openers, sign-offs and typos vary the templates
    emails = [c for c in contacts if c.channel == "email" and c.customer_contract]
    assert any(c.customer_contract in c.subject for c in emails)


def test_customers_ask_about_the_services_they_have(demo_store):
    customers = {c.contract: c for c in customers_of(demo_store)}
    for contact in generate(demo_store, 2000, seed=4):
        customer = customers.get(contact.customer_contract)
        if customer is None:
            continue
        if not any("Internet" in s for s in customer.services):
            assert contact.topic not in INTERNET_TOPICS
        if not any("Home phone" in s for s in customer.services):
            assert contact.topic != "telephony"


def test_about_one_in_twelve_is_an_unknown_caller(demo_store):
    contacts = generate(demo_store, 3000, seed=6)
    unknown = [c for c in contacts if c.customer_contract is None]
    assert len(unknown) / len(contacts) == pytest.approx(0.08, abs=0.025)
    assert all(c.customer_name.startswith("Unknown ") and c.city == "" for c in unknown)
    callers = [c.customer_name for c in unknown if c.channel == "phone"]
    assert callers and all(
        re.fullmatch(r"Unknown caller \+7 9\d\d \d{3}-\d\d-\d\d", name) for name in callers
    )


def test_unknown_callers_keep_their_name_in_the_queue(demo_store, clock):
    seen = []
    run(
        demo_store,
        30,
        600,
        random.Random(8),
        FakeSleep(),
        clock,
        lambda contact, contact_id: seen.append((contact, contact_id)),
    )
    unknown = [i for contact, i in seen if contact.customer_contract is None]
    assert unknown
    for contact_id in unknown:
        queued = demo_store.queue.get(contact_id)
        assert queued.customer_contract is None
        assert queued.customer_name.startswith("Unknown ")


def test_an_empty_database_gets_only_unknown_callers(store, clock):
    seen = []
    run(store, 30, 120, random.Random(1), FakeSleep(), clock, lambda c, i: seen.append(c))
    assert seen and all(c.customer_contract is None for c in seen)


def _outage_calls(contacts, city_contracts):
    return sum(
        1
        for c in contacts
        if c.customer_contract in city_contracts and c.topic in {"no_internet", "tv_no_signal"}
    )


def test_an_outage_brings_no_internet_and_no_tv_calls_from_its_city(demo_store):
    novosibirsk = {c.contract for c in customers_of(demo_store) if c.city == "Novosibirsk"}
    calm = generate(demo_store, 2000, seed=9)
    outage = generate(demo_store, 2000, seed=9, outage_cities={"Novosibirsk"})
    assert _outage_calls(outage, novosibirsk) > 2.5 * _outage_calls(calm, novosibirsk)
    assert _outage_calls(outage, novosibirsk) / 2000 > 0.25
    # the other cities keep calling
    assert sum(1 for c in outage if c.customer_contract not in novosibirsk) / 2000 > 0.3


def test_the_run_follows_the_notices_in_force(demo_store, clock):
    """The demo's Novosibirsk outage is active at SHIFT_NOW and over five hours later."""
    assert [n.region for n in demo_store.notices.active()] == ["Novosibirsk"]
    novosibirsk = {c.contract for c in customers_of(demo_store) if c.city == "Novosibirsk"}

    def feed():
        seen = []
        run(
            demo_store, 30, 1800, random.Random(11), FakeSleep(), clock, lambda c, i: seen.append(c)
        )
        return seen

    during = feed()
    clock.set(SHIFT_NOW + timedelta(hours=5))
    assert demo_store.notices.active() == []
    after = feed()
    assert _outage_calls(during, novosibirsk) > 2.5 * _outage_calls(after, novosibirsk)


# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("10m", 600),
        ("2h", 7200),
        ("1h30m", 5400),
        ("1h30m15s", 5415),
        ("45", 45),
        ("2.5", 2.5),
        ("1.5h", 5400),
        (" 10M ", 600),
        ("1h 30m", 5400),
    ],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "abc",
        "10x",
        "m",
        "h30",
        "1m1h",
        "10 minutes",
        "-5",
        "-5m",
        "0",
        "0m",
        "nan",
        "inf",
        "1e999",
    ],
)
def test_bad_durations_name_the_value(text):
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_duration(text)


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def demo_db(demo_store):
    """The demo database, closed so the command opens it on its own."""
    demo_store.close()
    return demo_store.address


@pytest.fixture
def fake_sleep(monkeypatch):
    sleep = FakeSleep()
    monkeypatch.setattr(cli, "_simulate_sleep", sleep)
    return sleep


def simulate(db_path, *args):
    return CliRunner().invoke(main, ["--db", str(db_path), "simulate", *args])


def test_simulate_for_ten_minutes_prints_each_contact_and_a_summary(demo_db, fake_sleep, clock):
    result = simulate(demo_db, "--rate", "6", "--for", "10m", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert sum(fake_sleep.waits) == pytest.approx(600)
    lines = [line for line in result.stdout.splitlines() if re.match(r"\d\d:\d\d:\d\d  ", line)]
    summary = re.search(r"Wrote (\d+) contacts to ", result.stdout)
    assert summary and int(summary.group(1)) == len(lines) > 30
    assert any(re.search(r"  phone   .+  [A-Z]", line) for line in lines)
    assert "Traceback" not in result.output and "\x1b" not in result.output
    from agent_console.store import Store

    with Store(demo_db, clock) as store:
        assert store.queue.count_waiting() == 30 + len(lines)


def test_the_same_seed_prints_the_same_feed(demo_db, fake_sleep):
    def feed():
        output = simulate(demo_db, "--rate", "20", "--for", "90s", "--seed", "3").stdout
        return [line[10:] for line in output.splitlines() if re.match(r"\d\d:\d\d:\d\d", line)]

    assert feed() == feed()


def test_ctrl_c_stops_with_a_summary_and_no_traceback(demo_db, monkeypatch):
    monkeypatch.setattr(cli, "_simulate_sleep", FakeSleep(interrupt_after=3))
    handler = signal.getsignal(signal.SIGTERM)
    result = simulate(demo_db, "--rate", "6")
    assert result.exit_code == 0, result.output
    assert "Stopped. Wrote 3 contacts" in result.stdout
    assert "Traceback" not in result.output and "Aborted" not in result.output
    assert signal.getsignal(signal.SIGTERM) == handler  # SIGTERM is handed back


def test_an_empty_database_is_fed_with_a_warning(db_path, fake_sleep):
    result = simulate(db_path, "--rate", "30", "--for", "1m", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "no customers in the database" in result.stderr
    assert "Unknown " in result.stdout


@pytest.mark.parametrize("value", ["10x", "soon", "0", "-1m"])
def test_a_bad_duration_is_a_usage_error_naming_it(db_path, fake_sleep, value):
    result = simulate(db_path, "--rate", "6", "--for", value)
    assert result.exit_code == 2
    assert f"'{value}'" in result.stderr and "--for" in result.stderr
    assert fake_sleep.waits == []


@pytest.mark.parametrize("args", [[], ["--rate", "0"], ["--rate", "-3"], ["--rate", "lots"]])
def test_the_rate_is_required_and_positive(db_path, fake_sleep, args):
    result = simulate(db_path, *args, "--for", "1m")
    assert result.exit_code == 2
    assert "--rate" in result.stderr
