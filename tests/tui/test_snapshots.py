"""Snapshots of the main screens at 120x40 on the boutique sample, with a fake solver whose plan
and a clock that stand still, so the pictures never change unless the screens do.

After a deliberate change of a screen: `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the new SVG files before committing them.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import pytest

from structplan import data

SIZE = (120, 40)


@pytest.fixture
def boutique_app(make_app, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Any]:
    """The editor on the bundled boutique sample, a fake solver and a frozen clock."""
    frozen = types.SimpleNamespace(monotonic=lambda: 1000.0)
    monkeypatch.setattr("structplan.tui.app.time", frozen)
    monkeypatch.setattr("structplan.tui.widgets.solve_panel.time", frozen)
    return lambda: make_app(None, sample=data.samples_dir() / "boutique.toml")


async def settle(pilot) -> None:
    """Wait until the app is at rest: every worker done (the first fill, the recovery check, a
    solve), no animation running or scheduled, every message handled and the screen idle (tables
    measure their new rows when idle). Called before the first key and before every picture."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def pressing(*keys: str) -> Callable[[Any], Any]:
    """A run_before that lets the app settle, presses keys and lets the screen settle."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


async def solved(pilot) -> None:
    """Solve, wait for the worker, drop the notifications."""
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    pilot.app.clear_notifications()
    await settle(pilot)


def test_accounts_tab(snap_compare, boutique_app) -> None:
    """Accounts with the projects of the one under the cursor; the footer's main keys."""
    assert snap_compare(boutique_app(), terminal_size=SIZE, run_before=pressing("down"))


def test_refused_edit(snap_compare, boutique_app) -> None:
    """A project form that refused a complexity of 9 with the loader's message."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("tab", "enter", "tab", "tab", "9", "enter")
        await settle(pilot)

    assert snap_compare(boutique_app(), terminal_size=SIZE, run_before=run_before)


def test_solve_tab_after_a_solve(snap_compare, boutique_app) -> None:
    """Each structure's figures, the one chosen marked, the summary line."""
    assert snap_compare(boutique_app(), terminal_size=SIZE, run_before=solved)


def test_plan_overview(snap_compare, boutique_app) -> None:
    """Structure, reason, cost, headcount and the comparison of the structures."""

    async def run_before(pilot) -> None:
        await solved(pilot)
        await pilot.press("6")
        await settle(pilot)

    assert snap_compare(boutique_app(), terminal_size=SIZE, run_before=run_before)


def test_plan_accounts(snap_compare, boutique_app) -> None:
    """An account's mode and lead, its contact sheet, coverage and RACI."""

    async def run_before(pilot) -> None:
        await solved(pilot)
        await pilot.press("6", "right_square_bracket", "down")
        await settle(pilot)

    assert snap_compare(boutique_app(), terminal_size=SIZE, run_before=run_before)


def test_plan_people(snap_compare, boutique_app) -> None:
    """Utilization bars and each person's accounts."""

    async def run_before(pilot) -> None:
        await solved(pilot)
        await pilot.press("6", "right_square_bracket", "right_square_bracket")
        await settle(pilot)

    assert snap_compare(boutique_app(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, boutique_app) -> None:
    """Every key, by where it works."""
    assert snap_compare(boutique_app(), terminal_size=SIZE, run_before=pressing("f1"))


NARROW = (80, 24)


def test_accounts_tab_at_80x24(snap_compare, boutique_app) -> None:
    """At 80 columns the names give way, every column and the footer's keys stay on screen."""
    assert snap_compare(boutique_app(), terminal_size=NARROW, run_before=pressing("down"))


def test_people_tab_at_80x24(snap_compare, boutique_app) -> None:
    """At 80 columns the people's ids give way (they mostly spell the name again); names stay whole."""
    assert snap_compare(boutique_app(), terminal_size=NARROW, run_before=pressing("2"))


def test_account_form_at_80x24(snap_compare, boutique_app) -> None:
    """A new account's form fills 24 rows; its buttons are on screen at the bottom."""
    assert snap_compare(boutique_app(), terminal_size=NARROW, run_before=pressing("a"))


def test_plan_overview_at_80x24(snap_compare, boutique_app) -> None:
    """The overview at 80 columns: status, reason, cost and headcount side by side."""

    async def run_before(pilot) -> None:
        await solved(pilot)
        await pilot.press("6")
        await settle(pilot)

    assert snap_compare(boutique_app(), terminal_size=NARROW, run_before=run_before)


def test_scenarios_tab_after_a_run_at_80x24(snap_compare, make_app, agency_file) -> None:
    """The Scenarios tab of the tiny agency after a run: the comparison and the bars."""
    from .test_scenarios_tab import QUICK, SCENARIOS, threads

    (agency_file.parent / "tiny.scenarios.toml").write_text(SCENARIOS, encoding="utf-8")

    async def run_before(pilot) -> None:
        await settle(pilot)
        panel = pilot.app.main.scenarios
        panel.options = QUICK
        await pilot.press("7")
        await settle(pilot)
        panel.table.focus()
        await pilot.press("r")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(make_app(agency_file, scenario_executor=threads), terminal_size=(80, 24), run_before=run_before)
