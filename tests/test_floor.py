"""The simulated floor (`simulate --operators N`): real events from the desk, on a virtual clock."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from datetime import timedelta

import pytest
from click.testing import CliRunner

from agent_console import cli
from agent_console.cli import main
from agent_console.clock import FixedClock
from agent_console.domain.figures import ShiftFigures
from agent_console.floor import Floor
from agent_console.store import Store
from tests.helpers import SHIFT_NOW

HOURS = 2.5


def run_floor(path, seed=11, operators=3, rate=1.0):
    clock = FixedClock(SHIFT_NOW)
    with Store(path, clock) as store:
        counts = Floor(store, operators, rate, random.Random(seed), clock, clock.advance).run(
            HOURS * 3600
        )
        events = store.events.between(SHIFT_NOW - timedelta(hours=1), clock.now() + timedelta(1))
        return counts, clock.now(), list(events)


@pytest.fixture
def floor_db(demo_template, tmp_path):
    path = tmp_path / "floor.db"
    shutil.copy(demo_template, path)
    return path


def test_a_floor_works_through_the_desk_and_the_figures_add_up(floor_db):
    counts, ended, events = run_floor(floor_db)
    assert ended == SHIFT_NOW + timedelta(hours=HOURS)  # the waits add up to the duration
    kinds = Counter(e.type for e in events if (e.operator or "").startswith("sim"))
    # Everything an operator does, through the desk: taken, held, promoted, ended, wrapped up,
    # a break each after two hours, logged out at the end.
    assert kinds["contact_accepted"] >= counts.handled > 20
    assert kinds["wrapup_saved"] == counts.handled
    assert kinds["contact_held"] == kinds["contact_resumed"] > 0
    assert kinds["promotion_offered"] > 0 and kinds["script_said"] > 0
    assert counts.breaks == 3
    assert counts.abandoned > 0 and counts.arrived > counts.abandoned
    figures = ShiftFigures(SHIFT_NOW, ended + timedelta(seconds=1))
    figures.add_all(events)
    rows = figures.rows()
    assert [r["operator"] for r in rows] == ["sim01", "sim02", "sim03"]
    total = figures.total()
    assert total["contacts"] == counts.handled
    assert total["abandoned"] == counts.abandoned
    transfers = total["transfers_tech_support"] + total["transfers_retention"]
    assert transfers == counts.transferred
    assert total["breaks"] == 3
    assert 60 < total["talk_s_avg"] < 900 and total["acw_s_avg"] <= 60
    assert 0 < total["occupancy"] <= 1 and total["wording_share"] > 0.9
    for row in rows:
        assert row["logged_in_s"] == HOURS * 3600  # logged in at the start, out at the end


def test_the_same_seed_gives_the_same_floor(demo_template, tmp_path):
    def once(name):
        path = tmp_path / name
        shutil.copy(demo_template, path)
        counts, _, events = run_floor(path, seed=5, operators=2)
        return counts, [(e.type, e.operator, e.at, e.contact_id) for e in events]

    assert once("a.db") == once("b.db")


def test_simulate_operators_on_the_command_line(floor_db, monkeypatch):
    clock = FixedClock(SHIFT_NOW)
    from agent_console.store import store as store_module

    monkeypatch.setattr(store_module, "SystemClock", lambda: clock)
    monkeypatch.setattr(cli, "_simulate_sleep", clock.advance)
    args = ["--db", str(floor_db), "simulate", "--rate", "2", "--for", "30m", "--seed", "1"]
    result = CliRunner().invoke(main, [*args, "--operators", "4"])
    assert result.exit_code == 0, result.output
    assert "Simulating 4 operators and 2 contacts/min" in result.output
    assert "arrived:" in result.stdout and "handled" in result.stdout
    assert clock.now() == SHIFT_NOW + timedelta(minutes=30)
    refused = CliRunner().invoke(main, [*args, "--operators", "0"])
    assert refused.exit_code != 0 and "--operators" in refused.output
