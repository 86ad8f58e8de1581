"""Pilot tests of the editor's rough edges: keys in tables, refusals in words, solves that are
cancelled, the quit question, and figures that agree with each other."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import attrs
from rich.console import Console
from textual.widgets import DataTable, Static

from structplan.tui.app import StructplanApp

from .conftest import TINY, fake_solve

SIZE = (120, 40)


async def settle(pilot, app: StructplanApp) -> None:
    """Let workers finish, animations end and messages arrive."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def pinned(tmp_path: Path) -> Path:
    """The tiny agency with Acme pinned to Ana."""
    path = tmp_path / "pinned.toml"
    path.write_text(TINY + '\n[[policy.pins]]\naccount = "acme"\nlead = "ana"\n', encoding="utf-8")
    return path


async def test_deleting_a_pinned_account_says_where_the_pin_is(make_app, tmp_path: Path) -> None:
    app = make_app(pinned(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("1", "d")  # Acme, the first account
        await settle(pilot, app)
        assert app.document.agency.account("acme") is not None
        messages = [n.message for n in app._notifications]
        assert "Acme is pinned on the Policy tab; remove the pin first" in messages
        assert not any("names no" in m or "pins[" in m for m in messages)
        await pilot.press("2", "d")  # Ana: leads Acme and is pinned to it
        await settle(pilot, app)
        message = [n.message for n in app._notifications][-1]
        assert "Ana Alves leads Acme today" in message
        assert "Ana Alves is pinned as the lead of Acme on the Policy tab; remove the pin first" in message


async def test_home_and_end_go_to_the_first_and_last_row(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("2")
        table = app.main.people.table
        assert app.focused is table and table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 == 3
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("4", "end")  # the settings of the Policy tab
        settings = app.main.query_one("#settings-table")
        assert app.focused is settings and settings.cursor_row == settings.row_count - 1
        await pilot.press("f5")
        await settle(pilot, app)
        await pilot.press("6", "right_square_bracket", "right_square_bracket")  # the plan's people
        await settle(pilot, app)
        load = app.main.query_one("#load-table")
        assert app.focused is load
        await pilot.press("end")
        assert load.cursor_row == load.row_count - 1 > 0
        await pilot.press("home")
        assert load.cursor_row == 0


def shown_text(renderable: Any) -> str:
    """What a renderable shows, as plain text."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def cells(app: StructplanApp, structure: str) -> dict[str, str]:
    """A row of the Solve tab's table, by column key."""
    table = app.main.query_one("#progress-table", DataTable)
    row = table.get_row(structure)
    return {str(key.value): str(value) for key, value in zip(table.columns, row, strict=True)}


def stale_bound_solve(*args: Any, **kwargs: Any) -> Any:
    """The search reports a bound below the final one; the plan says optimal with objective 94,940
    and, for hybrid, a bound of 92,900 (a plan whose figures disagree)."""
    on_progress = args[4] if len(args) > 4 else kwargs.get("on_progress")
    outcome = fake_solve(*args, **kwargs)
    plan = outcome.plan
    if on_progress is not None:
        from structplan.solver.api import Progress

        for result in plan.comparison:
            on_progress(Progress(result.structure, result.objective, result.objective - 2040, 0.02, 1.0))
    solver = attrs.evolve(plan.solver, bound=plan.solver.objective - 2040, gap=0.0)
    return attrs.evolve(outcome, plan=attrs.evolve(plan, solver=solver))


async def test_the_solve_tab_shows_the_plans_figures_and_optimal_only_when_proven(make_app, agency_file: Path) -> None:
    app = make_app(agency_file, solve=fake_solve)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        plan = app.plan_doc.plan
        assert plan is not None
        for result in plan.comparison:
            row = cells(app, result.structure)
            assert row["status"].startswith("optimal")
            assert row["objective"] == row["bound"] == f"{result.objective:,}"
            assert row["gap"] == "0.0%"
    app = make_app(agency_file, solve=stale_bound_solve)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        plan = app.plan_doc.plan
        assert plan is not None
        chosen = cells(app, plan.structure)
        assert chosen["status"] == "feasible  <- plan"
        assert chosen["objective"] == f"{plan.solver.objective:,}"
        assert chosen["bound"] == f"{plan.solver.bound:,}"
        for result in plan.comparison:
            if result.structure != plan.structure:  # proven: the stale bound of the search is gone
                row = cells(app, result.structure)
                assert row["status"] == "optimal" and row["bound"] == row["objective"]
        await pilot.press("6")
        await settle(pilot, app)
        overview = shown_text(app.main.query_one("#overview-text", Static).content)
        assert "solver feasible" in overview and "optimal" not in overview.split("Structures compared")[0]
