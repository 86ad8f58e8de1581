"""Pilot tests of the editor's rough edges: keys in tables, refusals in words, solves that are
cancelled, the quit question, and figures that agree with each other."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import attrs
from rich.console import Console
from textual.widgets import DataTable, Input, ProgressBar, Static

from structplan.tui.app import StructplanApp
from structplan.tui.screens.dialogs import ChoiceScreen

from .conftest import TINY, BlockingSolve, fake_solve

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
    assert plan is not None
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


async def cancelled_solve(pilot, app: StructplanApp) -> BlockingSolve:
    """Start a solve that runs until cancelled, wait until it searches, press Esc."""
    solver = BlockingSolve(limit=30)
    app.solve_function = solver
    await pilot.press("f5")
    await asyncio.get_running_loop().run_in_executor(None, solver.started.wait, 5)
    while not app.main.solve_panel.solving:
        await pilot.pause()
    await pilot.press("escape")
    while app.solving:
        await pilot.pause()
    await pilot.pause()
    assert solver.stopped
    return solver


async def test_cancelling_a_second_solve_keeps_the_complete_plan_unless_asked(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        complete = app.plan_doc.plan
        assert complete is not None and complete.structure == "hybrid" and not app.plan_doc.cancelled

        await cancelled_solve(pilot, app)
        while not isinstance(app.screen, ChoiceScreen):
            await pilot.pause()
        assert "Keep the plan on screen?" in str(app.screen.message)
        await pilot.press("enter")  # the first button: keep
        await settle(pilot, app)
        assert app.plan_doc.plan is complete and not app.plan_doc.cancelled

        await cancelled_solve(pilot, app)
        while not isinstance(app.screen, ChoiceScreen):
            await pilot.pause()
        await pilot.press("escape")  # closing the question keeps it too
        await settle(pilot, app)
        assert app.plan_doc.plan is complete

        await cancelled_solve(pilot, app)
        while not isinstance(app.screen, ChoiceScreen):
            await pilot.pause()
        await pilot.press("right", "enter")  # use the partial plan
        await settle(pilot, app)
        partial = app.plan_doc.plan
        assert partial is not complete and partial is not None and partial.structure == "separate"
        assert app.plan_doc.cancelled

        await cancelled_solve(pilot, app)  # partial over partial: no question, the newest is shown
        await settle(pilot, app)
        assert not isinstance(app.screen, ChoiceScreen)
        assert app.plan_doc.plan is not partial and app.plan_doc.cancelled


async def test_the_progress_bar_starts_again_after_a_cancel(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        bar = app.main.query_one("#solve-progress", ProgressBar)
        solver = BlockingSolve(limit=30)
        app.solve_function = solver
        await pilot.press("f5")
        await asyncio.get_running_loop().run_in_executor(None, solver.started.wait, 5)
        while not bar.progress:  # the clock moves the bar
            await pilot.pause()
        await pilot.press("escape")
        assert bar.total is None  # winding down: the bar pulses instead of standing still
        while app.solving:
            await pilot.pause()
        await settle(pilot, app)
        assert not bar.display and bar.progress == 0 and bar.percentage is None
        solver = BlockingSolve(limit=30)
        app.solve_function = solver
        await pilot.press("f5")
        await pilot.pause()
        assert bar.display and bar.total == 3 * 20 and bar.percentage is not None and bar.percentage < 0.05
        await pilot.press("escape")
        while app.solving:
            await pilot.pause()
        await settle(pilot, app)


def timed_solve(*args: Any, **kwargs: Any) -> Any:
    """The fake solver, with a plan whose run timings differ from one solve to the next."""
    timed_solve.runs += 1  # type: ignore[attr-defined]
    outcome = fake_solve(*args, **kwargs)
    assert outcome.plan is not None
    run = (("wall_s", 0.5 + timed_solve.runs),)  # type: ignore[attr-defined]
    return attrs.evolve(outcome, plan=attrs.evolve(outcome.plan, run=run))


timed_solve.runs = 0  # type: ignore[attr-defined]


async def test_quit_does_not_call_a_plan_unsaved_when_the_diff_shows_no_change(make_app, agency_file: Path) -> None:
    app = make_app(agency_file, solve=timed_solve)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        assert app.plan_doc.unsaved and "plan unsaved" in app.sub_title
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert agency_file.with_name("tiny.plan.toml").is_file()
        assert not app.plan_doc.unsaved
        await pilot.press("f5")  # the same plan again, with other timings
        await settle(pilot, app)
        assert app.plan_doc.plan != app.plan_doc.saved
        assert not app.plan_doc.unsaved and "plan unsaved" not in app.sub_title
        diff = shown_text(app.main.query_one("#diff-text", Static).content)
        assert "no changes" in diff
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert not isinstance(app.screen, ChoiceScreen)
    assert app.return_code == 0


async def test_quit_still_asks_about_a_plan_that_differs(make_app, agency_file: Path) -> None:
    app = make_app(agency_file, solve=timed_solve)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f5")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        app.main.solve_panel.set_structures(("merged",))  # merged alone: another plan
        await pilot.press("f5")
        await settle(pilot, app)
        assert app.plan_doc.plan is not None and app.plan_doc.plan.structure == "merged"
        assert app.plan_doc.unsaved
        await pilot.press("ctrl+q")
        while not isinstance(app.screen, ChoiceScreen):  # the quit question waits for an answer
            await pilot.pause()
        assert "a plan that is not saved" in str(app.screen.message)
        await pilot.press("escape")
        await settle(pilot, app)


async def change_tier(pilot, app: StructplanApp, row: int, tier: str) -> None:
    """Accounts tab: edit the account on `row`, set its tier (the fourth input), save the form."""
    from structplan.tui.screens.form import RecordForm

    await pilot.press("1", "home", *(["down"] * row), "enter")
    while not isinstance(app.screen, RecordForm):
        await pilot.pause()
    app.screen.query_one("#field-tier", Input).value = tier
    await pilot.press("ctrl+s")  # the form's save
    await settle(pilot, app)
    assert not isinstance(app.screen, RecordForm)


async def test_two_editors_on_one_file_keep_their_own_recovery_journals(make_app, agency_file: Path) -> None:
    first, second = make_app(agency_file), make_app(agency_file)
    async with first.run_test(size=SIZE) as one, second.run_test(size=SIZE) as two:
        await settle(one, first)
        await settle(two, second)
        await change_tier(one, first, 1, "1")  # Bolt: tier 1 in the first editor
        assert first.document.recovery_path.is_file()  # written as soon as the edit is made
        await change_tier(two, second, 2, "3")  # Cora: tier 3 in the second
        assert first.document.recovery_path != second.document.recovery_path
        await two.press("ctrl+s")
        await settle(two, second)
        assert not second.document.recovery_path.exists()
        assert first.document.recovery_path.is_file(), "the other editor's save leaves this one's edits"
        first.exit()  # as if killed: no question, nothing saved
        second.exit()
    saved = agency_file.read_text()
    assert "tier = 3" in saved

    again = make_app(agency_file)
    async with again.run_test(size=SIZE) as pilot:
        while not isinstance(again.screen, ChoiceScreen):
            await pilot.pause()
        assert "Unsaved edits found" in again.screen.title_text
        await pilot.press("enter")  # Recover them
        await settle(pilot, again)
        bolt = again.document.agency.account("bolt")
        assert bolt is not None and bolt.tier == 1
        assert again.document.recovery_path.is_file()
        assert [p.name for p in agency_file.parent.glob(".tiny.recover-*")] == [again.document.recovery_path.name]


async def test_every_killed_session_is_offered_newest_first(make_app, agency_file: Path) -> None:
    for row, tier in ((1, "1"), (2, "3")):
        app = make_app(agency_file)
        async with app.run_test(size=SIZE) as pilot:
            if row == 2:  # the first session's edits are offered: not now
                while not isinstance(app.screen, ChoiceScreen):
                    await pilot.pause()
                await pilot.press("right", "enter")
            await settle(pilot, app)
            await change_tier(pilot, app, row, tier)
            app.exit()
    again = make_app(agency_file)
    async with again.run_test(size=SIZE) as pilot:
        while not isinstance(again.screen, ChoiceScreen):
            await pilot.pause()
        assert again.screen.title_text == "Unsaved edits found (1 of 2)"
        await pilot.press("right", "enter")  # Not now: the newest (Cora) stays on disk
        while not (isinstance(again.screen, ChoiceScreen) and "2 of 2" in again.screen.title_text):
            await pilot.pause()
        await pilot.press("enter")  # recover the older one (Bolt)
        await settle(pilot, again)
        bolt, cora = again.document.agency.account("bolt"), again.document.agency.account("cora")
        assert bolt is not None and bolt.tier == 1 and cora is not None and cora.tier == 2
    assert len(list(agency_file.parent.glob(".tiny.recover-*"))) == 2  # Cora's and the new session's


async def test_the_solve_tab_counts_structures_in_the_order_they_are_searched(make_app, agency_file: Path) -> None:
    """The solver takes hybrid last: merged, searched second, is "2 of 3", not "3 of 3"."""
    from structplan.solver.api import Progress
    from structplan.tui.widgets.solve_panel import SolvePanel

    app = make_app(agency_file, solve=fake_solve)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        panel = app.main.query_one(SolvePanel)
        panel.start(["separate", "hybrid", "merged"], 20)
        for n, structure in enumerate(("separate", "merged", "hybrid"), start=1):
            panel.progress(Progress(structure, 1000, 900, 0.1, 0.5))
            await pilot.pause()
            status = shown_text(panel.query_one("#solve-status", Static).render())
            assert f"Solving: {structure} ({n} of 3)" in status, status
        panel.solving = False


async def test_the_solve_tab_shows_structures_searched_side_by_side_as_all_solving(make_app, agency_file: Path) -> None:
    """Reports of structures searched side by side interleave: none is marked done by another's
    report, and the status names them all."""
    from structplan.solver.api import Progress
    from structplan.tui.widgets.solve_panel import SolvePanel

    app = make_app(agency_file, solve=fake_solve)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        panel = app.main.query_one(SolvePanel)
        panel.start(["separate", "hybrid", "merged"], 20)
        for structure in ("hybrid", "separate", "merged", "hybrid"):
            panel.progress(Progress(structure, 1000, 900, 0.1, 0.5, together=True))
            await pilot.pause()
        table = panel.query_one(DataTable)
        for structure in ("separate", "hybrid", "merged"):
            assert shown_text(table.get_cell(structure, "status")).strip() == "solving", structure
        status = shown_text(panel.query_one("#solve-status", Static).render())
        assert "Solving: separate, merged, hybrid side by side" in status, status
        panel.solving = False
