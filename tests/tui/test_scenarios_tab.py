"""The Scenarios tab: scenarios edited in forms and written next to the agency, solved in the
background with per-row progress, stopped with Esc, compared in a table and a chart, and a
scenario's plan opened in the plan views."""

from __future__ import annotations

import asyncio
import io
import threading
import tomllib
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.bar import Bar
from rich.console import Console
from rich.table import Table
from textual.widgets import Static, TextArea

from structplan.scenario import BASE
from structplan.scenario_report import change_text
from structplan.scenario_run import local_executor
from structplan.solver.api import SolveOptions
from structplan.tui.screens.dialogs import ChoiceScreen
from structplan.tui.screens.form import RecordForm
from structplan.tui.widgets.scenarios_panel import ScenariosPanel

SIZE = (120, 40)
QUICK = SolveOptions(time_limit=0, effort=0.3, workers=1)

SCENARIOS = """\
# what-ifs of the tiny agency
base = "tiny.toml"

[[scenarios]]
id = "lose-bolt"
name = "We lose Bolt"
lose = ["bolt"]

[[scenarios]]
id = "frozen"
name = "Hiring is frozen"
freeze_hiring = true
"""


@contextmanager
def threads(jobs: int) -> Iterator[Executor]:
    """The solves in threads of this process (real solves, no process start-up)."""
    with ThreadPoolExecutor(max_workers=jobs) as executor:
        yield executor


class Held(Executor):
    """An executor whose solves never start until it is shut down, which cancels them."""

    def __init__(self) -> None:
        self.futures: list[Future[Any]] = []
        self.submitted = threading.Event()
        self.stopped = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.futures.append(future)
        self.submitted.set()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.stopped = True
        for future in self.futures:
            future.cancel()


async def settle(pilot, app) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def panel_of(app) -> ScenariosPanel:
    return app.main.scenarios


def cells(panel: ScenariosPanel, sid: str) -> list[str]:
    return [str(c) for c in panel.table.get_row(sid)]


async def open_tab(pilot, app, executor=threads) -> ScenariosPanel:
    await settle(pilot, app)
    panel = panel_of(app)
    panel.executor_factory = executor
    panel.options = QUICK
    await pilot.press("7")
    await pilot.pause()
    panel.table.focus()
    await pilot.pause()
    return panel


async def test_the_tab_lists_the_scenarios_kept_next_to_the_agency(make_app, agency_file: Path) -> None:
    (agency_file.parent / "tiny.scenarios.toml").write_text(SCENARIOS, encoding="utf-8")
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_tab(pilot, app)
        assert app.main.tabs.active == "scenarios"
        assert [str(k.value) for k in panel.table.rows] == [BASE, "lose-bolt", "frozen"]
        assert cells(panel, "lose-bolt")[0] == "We lose Bolt"


async def test_a_scenario_added_in_the_form_is_checked_then_written_with_the_file_kept(
    make_app, agency_file: Path
) -> None:
    target = agency_file.parent / "tiny.scenarios.toml"
    target.write_text(SCENARIOS, encoding="utf-8")
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_tab(pilot, app)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        await pilot.press(*"ana-leaves", "tab", *"Ana leaves", "tab", "tab")
        area = form.query_one("#field-changes", TextArea)
        area.text = 'leave = ["anna"]\n'  # a typo: no such person
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # refused, with the loader's words and key path
        error = str(form.query_one("#form-error").render())
        assert "scenarios[2].leave[0]" in error and "'anna'" in error
        assert target.read_text(encoding="utf-8") == SCENARIOS  # nothing written
        area.text = 'leave = ["ana"]\n'
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is not form
        text = target.read_text(encoding="utf-8")
        assert text.startswith("# what-ifs of the tiny agency")  # the comments stay
        data = tomllib.loads(text)
        assert data["scenarios"][-1] == {"id": "ana-leaves", "name": "Ana leaves", "leave": ["ana"]}
        assert "ana-leaves" in [str(k.value) for k in panel.table.rows]


async def test_editing_and_deleting_a_scenario_rewrite_only_that_scenario(make_app, agency_file: Path) -> None:
    target = agency_file.parent / "tiny.scenarios.toml"
    target.write_text(SCENARIOS, encoding="utf-8")
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_tab(pilot, app)
        await pilot.press("down", "e")  # lose-bolt
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        area = form.query_one("#field-changes", TextArea)
        assert area.text.strip() == 'lose = ["bolt"]'
        area.text = 'lose = ["cora"]\n'
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        data = tomllib.loads(target.read_text(encoding="utf-8"))
        assert data["scenarios"][0] == {"id": "lose-bolt", "name": "We lose Bolt", "lose": ["cora"]}
        assert data["scenarios"][1]["id"] == "frozen"
        panel.table.move_cursor(row=2)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#delete")
        await settle(pilot, app)
        data = tomllib.loads(target.read_text(encoding="utf-8"))
        assert [s["id"] for s in data["scenarios"]] == ["lose-bolt"]


async def test_a_run_fills_the_comparison_and_the_chart_and_enter_opens_a_plan(make_app, agency_file: Path) -> None:
    (agency_file.parent / "tiny.scenarios.toml").write_text(SCENARIOS, encoding="utf-8")
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_tab(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        comparison = panel.comparison
        assert comparison is not None and comparison.complete
        assert not panel.state.running and len(panel.state.results) == 3
        base = cells(panel, BASE)
        assert base[2] in ("separate", "hybrid", "merged") and base[3].replace(",", "").isdigit()
        rows = {r.id: r for r in comparison.rows}
        lose = cells(panel, "lose-bolt")
        lost, kept = rows["lose-bolt"].cost, rows[BASE].cost
        assert lost is not None and kept is not None
        assert lost <= kept  # one client fewer never costs more
        assert lose[3] == f"{lost:,}" and lose[4] == change_text(rows["lose-bolt"], kept)
        chart = panel.query_one("#scenario-chart", Static).content
        assert isinstance(chart, Table)  # a rich Table of Bars: a cost and a headcount bar per row
        bars = [cell for column in chart.columns for cell in column._cells]
        assert sum(isinstance(c, Bar) for c in bars) == 2 * len(comparison.rows)
        assert "lose-bolt" in [str(c) for c in bars]
        await pilot.press("down", "enter")
        await settle(pilot, app)
        assert app.main.tabs.active == "plan"
        plan = dict(comparison.plans)["lose-bolt"]
        assert app.plan_doc.plan == plan
        assert app.plan_doc.path == agency_file.with_name("tiny.lose-bolt.plan.toml")
        assert all(a.id != "bolt" for a in app.plan_doc.plan.accounts)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.main.plan_view.query_one("#overview-text", Static).content)
        overview = console.export_text()
        assert "Scenario lose-bolt" in overview and "has changed since" not in overview


async def test_esc_stops_a_run_and_the_rows_not_solved_say_so(make_app, agency_file: Path) -> None:
    (agency_file.parent / "tiny.scenarios.toml").write_text(SCENARIOS, encoding="utf-8")
    held = Held()

    @contextmanager
    def factory(jobs: int) -> Iterator[Executor]:
        yield held

    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_tab(pilot, app, factory)
        await pilot.press("r")
        await asyncio.get_running_loop().run_in_executor(None, held.submitted.wait, 5)
        await pilot.pause()
        assert panel.state.running
        assert cells(panel, BASE)[1] in ("solving", "waiting")
        await pilot.press("escape")
        await settle(pilot, app)
        assert held.stopped and panel.state.cancelled and not panel.state.running
        assert all(cells(panel, sid)[1] == "not run" for sid in (BASE, "lose-bolt", "frozen"))
        assert "Stopped" in str(panel.query_one("#scenarios-status").render())


async def test_the_bundled_sample_runs_its_scenarios_but_does_not_edit_them(make_app) -> None:
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_tab(pilot, app)
        assert panel.read_only and panel.book is not None
        assert len(panel.table.rows) == 1 + len(panel.book.ids()) >= 7
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)


async def test_the_default_run_goes_through_worker_processes_started_from_the_app(make_app, agency_file: Path) -> None:
    (agency_file.parent / "tiny.scenarios.toml").write_text(SCENARIOS, encoding="utf-8")
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_tab(pilot, app, local_executor)
        await pilot.press("r")
        await settle(pilot, app)
        comparison = panel.comparison
        assert comparison is not None and comparison.complete, comparison
        assert all(not r.explanation for r in comparison.rows)
