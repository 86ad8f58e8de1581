"""Fixtures of the TUI tests: a small agency written by hand (with comments), fake solvers that
answer at once and deterministically, and an app factory that never reads the user's home."""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from structplan.model import (
    AccountPlan,
    Agency,
    Contact,
    Cost,
    Coverage,
    Hire,
    MentoringPair,
    PersonPlan,
    Plan,
    PlanWarning,
    Raci,
    SolverInfo,
    StructureResult,
)
from structplan.solver.api import Outcome, Progress, SolveOptions

TINY = """\
# Tiny agency used by the TUI tests.
[agency]
name = "Tiny Agency"  # shown in reports
currency = "EUR"
hours_per_fte = 1600

# ---- people
[[people]]
id = "ana"
name = "Ana Alves"
role = "am"
level = 3
cost = 90000

[[people]]
id = "ben"
name = "Ben Berg"
role = "pm"
level = 2
cost = 70000  # after the 2024 raise

[[people]]
id = "cleo"
name = "Cleo Cruz"
role = "pmo"
level = 4
cost = 110000

[[people]]
id = "dan"
name = "Dan Dorn"
role = "am"
level = 2
cost = 65000
fte = 0.8

# ---- accounts
[[accounts]]
id = "acme"
name = "Acme"
fee = 400000
tier = 1
lead = "ana"  # since 2021

[[accounts.projects]]
id = "acme-web"
name = "Website"
complexity = 3

[[accounts.projects]]
id = "acme-crm"
name = "CRM rollout"
complexity = 4

[[accounts]]
id = "bolt"
name = "Bolt"
fee = 120000
tier = 3

[[accounts.projects]]
id = "bolt-app"
name = "App"
complexity = 2

[[accounts]]
id = "cora"
name = "Cora Foods"
fee = 90000
tier = 2
lead = "dan"

[[accounts.projects]]
id = "cora-pack"
name = "Packaging"
complexity = 1

# ---- what we may hire
[[hiring]]
id = "senior-pm"
name = "Senior PM"
role = "pm"
level = 3
cost = 85000
max = 1

[policy]
structures = ["separate", "hybrid", "merged"]
utilization_ceiling = 0.9  # agreed with HR
"""

HOURS = (60, 120, 220, 380, 600)
DUTIES = ("relationship", "scope", "time", "risk", "quality", "budget", "status_updates")


def fake_plan(agency: Agency, structure: str, structures: Sequence[str]) -> Plan:
    """A plausible, deterministic plan: AMs lead, the PM covers, complexity drives hours."""
    ams = [p for p in agency.people if p.role in ("am", "client_service")] or list(agency.people)
    pms = [p for p in agency.people if p.role == "pm"] or ams
    accounts = []
    load: dict[str, list[Any]] = {p.id: [0, []] for p in agency.people}
    for i, account in enumerate(agency.accounts):
        lead = account.lead or ams[i % len(ams)].id
        mode = "end_to_end" if structure == "merged" or (structure == "hybrid" and account.tier == 3) else "split"
        coverage = []
        for project in account.projects:
            person = lead if mode == "end_to_end" else pms[0].id
            hours = HOURS[project.complexity - 1]
            coverage.append(Coverage(project.id, person, hours))
            load[person][0] += hours
            if account.id not in load[person][1]:
                load[person][1].append(account.id)
        lead_hours = (260, 160, 80)[account.tier - 1]
        load[lead][0] += lead_hours
        if account.id not in load[lead][1]:
            load[lead][1].append(account.id)
        updates = lead if mode == "end_to_end" else pms[0].id
        raci = tuple(
            Raci(
                d,
                lead if d in ("relationship", "budget") or mode == "end_to_end" else updates,
                responsible=(updates,),
                informed=(lead,) if updates != lead else (),
            )
            for d in DUTIES
        )
        accounts.append(AccountPlan(account.id, mode, lead, lead_hours, tuple(coverage), Contact(lead, updates), raci))
    people = []
    for p in agency.people:
        hours, worked = load[p.id]
        capacity = int(agency.agency.hours_per_fte * p.fte)
        people.append(PersonPlan(p.id, p.role, hours, capacity, round(hours / capacity, 3), tuple(worked)))
    warnings = [
        PlanWarning("overload", f"{p.id} is planned at {p.utilization:.0%}", person=p.id)
        for p in people
        if p.utilization > agency.policy.target_utilization
    ]
    for a in accounts:
        client = agency.account(a.id)
        if a.mode == "split" and client is not None and client.tier == 1:
            warnings.append(
                PlanWarning("redundant_communication", f"the client of {a.id} hears from two people", account=a.id)
            )
        if a.mode == "end_to_end" and any(c.hours >= 380 for c in a.coverage):
            warnings.append(
                PlanWarning("role_friction", f"{a.lead} executes a complex project of {a.id}", account=a.id)
            )
    hires = tuple(
        Hire(f"{h.id}-1", h.id, f"{h.name} (hire 1)", h.role, h.level, h.cost)
        for h in agency.hiring[:1]
        if structure == "separate"
    )
    mentoring = tuple(
        MentoringPair(p.id, a.lead)
        for p in agency.people
        if p.role == "pmo"
        for a in accounts[:1]
        if structure == "hybrid"
    )
    staff = sum(p.cost for p in agency.people if load[p.id][0])
    total = staff + sum(h.cost for h in hires)
    comparison = tuple(
        StructureResult(
            s,
            "optimal",
            objective=_objective(agency, s),
            cost=total,
            hires=len(hires),
            utilization=0.5,
            warnings=len(warnings),
        )
        for s in structures
    )
    return Plan(
        agency=agency.agency.name,
        structure=structure,
        layout=structure,
        currency=agency.agency.currency,
        reason=f"{structure.title()} has the lowest objective of the structures compared.",
        solver=SolverInfo(
            status="optimal", objective=_objective(agency, structure), bound=_objective(agency, structure)
        ),
        cost=Cost(staff=staff, hires=sum(h.cost for h in hires), coordination=0, total=total),
        headcount=(("account_manager", len(ams)), ("project_manager", len(pms))),
        comparison=comparison,
        accounts=tuple(accounts),
        people=tuple(people),
        mentoring=mentoring,
        hires=hires,
        warnings=tuple(warnings),
    )


def _objective(agency: Agency, structure: str) -> int:
    work = sum(HOURS[p.complexity - 1] for a in agency.accounts for p in a.projects)
    return work * 100 + {"separate": 30000, "hybrid": 10000, "merged": 20000}[structure]


def fake_solve(
    agency: Agency,
    structures: Sequence[str] | None = None,
    layouts: Any = None,
    options: SolveOptions = SolveOptions(),
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
) -> Outcome:
    """Answers at once; reports three progress steps per structure."""
    chosen = tuple(structures or agency.policy.structures)
    for s in chosen:
        goal = _objective(agency, s)
        for step, gap in enumerate((0.5, 0.1, 0.0)):
            if on_progress:
                on_progress(Progress(s, int(goal * (1 + gap)), goal, gap, 0.1 * step))
    best = min(chosen, key=lambda s: _objective(agency, s))
    return Outcome(fake_plan(agency, best, chosen))


class BlockingSolve:
    """A solver that keeps searching until stopped (or `limit` seconds), like a large agency."""

    def __init__(self, limit: float = 20.0) -> None:
        self.limit = limit
        self.started = threading.Event()
        self.stopped = False

    def __call__(
        self,
        agency: Agency,
        structures: Sequence[str] | None = None,
        layouts: Any = None,
        options: SolveOptions = SolveOptions(),
        on_progress: Callable[[Progress], None] | None = None,
        stop: threading.Event | None = None,
    ) -> Outcome:
        chosen = tuple(structures or agency.policy.structures)
        start = time.monotonic()
        self.started.set()
        ticks = 0
        while time.monotonic() - start < self.limit:
            if stop is not None and stop.wait(0.02):
                self.stopped = True
                break
            ticks += 1
            if on_progress:
                on_progress(Progress(chosen[0], 500000 - ticks, 400000, 0.2, time.monotonic() - start))
        plan = fake_plan(agency, chosen[0], chosen[:1])
        return Outcome(plan, cancelled=self.stopped)


def infeasible_solve(
    agency: Agency,
    structures: Sequence[str] | None = None,
    layouts: Any = None,
    options: SolveOptions = SolveOptions(),
    on_progress: Any = None,
    stop: Any = None,
) -> Outcome:
    """No plan exists."""
    return Outcome(None, ("Acme needs a senior AM; both seniors are full; hiring of senior AMs is capped at 0",))


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (no asyncio plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture
def agency_file(tmp_path: Path) -> Path:
    """The tiny agency, written by hand with comments, in a temporary folder."""
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's home or state; the working folder is the tmp folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Any]:
    """The app as the CLI builds it, with a fake solver and no cursor blink."""
    from structplan.tui.app import create_app

    def make(agency: Path | str | None, solve: Callable[..., Outcome] = fake_solve, **kwargs: Any) -> Any:
        kwargs.setdefault("state_dir", tmp_path / "state" / "structplan")
        kwargs.setdefault("cursor_blink", False)
        app = create_app(agency, solve=solve, **kwargs)
        app.animation_level = "none"  # no tab underline or scroll animations to wait for
        return app

    return make
