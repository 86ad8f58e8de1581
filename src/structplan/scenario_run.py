"""Solving a scenario file: one independent solve per scenario, run through a
`concurrent.futures` executor (local processes, or a Dask cluster), compared against the base.

Every solve ends on CP-SAT's deterministic clock (the `effort` of SolveOptions) with a fixed
seed and worker count, so the comparison is the same whatever executor ran it and in what
order the solves finished; rows are always in file order, the base first.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

import attrs

from structplan.model import Agency, Layout, Plan
from structplan.scenario import BASE, Loaded
from structplan.solver.api import SolveOptions


@attrs.frozen
class Job:
    """One solve: sent to a worker process or a cluster worker, so everything is picklable."""

    id: str
    """The scenario's id (BASE for the base agency)."""
    agency: Agency
    """The agency to solve (the scenario applied)."""
    layouts: tuple[tuple[str, Layout], ...] = ()
    """Layouts by structure, when the scenario forces one (default: the bundled layouts)."""
    options: SolveOptions = SolveOptions()
    """How hard and how repeatably to search."""


@attrs.frozen
class Solved:
    """What one solve gave."""

    id: str
    """The scenario's id."""
    plan: Plan | None
    """The plan, or None when none exists."""
    explanation: tuple[str, ...] = ()
    """Why there is no plan, one fact per line."""
    failed: bool = False
    """Whether the solve itself failed (a worker died): the explanation says how."""
    seconds: float = attrs.field(default=0.0, eq=False)
    """Wall-clock seconds the solve took in its worker (varies from run to run)."""


def solve_job(job: Job) -> Solved:
    """Solve one job; runs in the worker (a module-level function, so it can be pickled)."""
    from structplan.solver.api import solve

    start = time.monotonic()
    outcome = solve(job.agency, None, dict(job.layouts) or None, job.options)
    return Solved(job.id, outcome.plan, outcome.explanation, seconds=time.monotonic() - start)


def jobs_of(loaded: Loaded, options: SolveOptions) -> list[Job]:
    """The base and every scenario as jobs, in file order."""
    jobs = [Job(BASE, loaded.base, (), options)]
    for r in loaded.scenarios:
        layouts = ((r.layout.structure, r.layout),) if r.layout is not None else ()
        jobs.append(Job(r.scenario.id, r.agency, layouts, options))
    return jobs


def run_jobs(
    jobs: list[Job],
    executor: Executor,
    on_done: Callable[[Solved, int, int], None] | None = None,
    stop: Future[Any] | None = None,
) -> dict[str, Solved]:
    """Submit every job to the executor and collect the results by id.

    A solve that raises (a worker that died, a cluster that lost it) becomes a result without a
    plan that says so; the others still run. `on_done(result, done, total)` follows progress.
    When `stop` is done, the solves still out are left to the caller (`stop_executor`) and the
    results so far are returned: a cancelled future never wakes `as_completed`, `stop` does.
    """
    futures: dict[Future[Solved], str] = {executor.submit(solve_job, job): job.id for job in jobs}
    results: dict[str, Solved] = {}
    order = {future: i for i, future in enumerate(futures)}
    pending: set[Future[Any]] = set(futures)
    watched: set[Future[Any]] = {stop} if stop is not None else set()
    while pending and not (stop is not None and stop.done()):
        done, _ = wait(pending | watched, return_when=FIRST_COMPLETED)
        for future in sorted(done - watched, key=order.__getitem__):  # solves ending together: in file order
            pending.discard(future)
            sid = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # reported in the scenario's row
                result = Solved(sid, None, (f"the solve failed: {type(exc).__name__}: {exc}",), failed=True)
            results[sid] = result
            if on_done is not None:
                on_done(result, len(results), len(jobs))
    return results


# --------------------------------------------------------------------------- executors


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_jobs(workers: int) -> int:
    """Parallel solves that fill the cores without oversubscribing them: cores // workers."""
    return max(1, cores() // max(1, workers))


def _quiet_worker() -> None:
    """Worker processes leave Ctrl-C to the command, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker on the process's own stderr.

    The first spawned process starts the tracker and hands it `sys.stderr.fileno()`; inside the
    editor `sys.stderr` is Textual's capture, whose fileno() is -1, and the spawn then fails
    ("bad value(s) in fds_to_keep"). Started here first, every later spawn reuses it."""
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable or sys.__stderr__ is None:
        resource_tracker.ensure_running()
        return
    captured, sys.stderr = sys.stderr, sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


@contextmanager
def local_executor(jobs: int) -> Iterator[Executor]:
    """`jobs` worker processes (started fresh, not forked, on every platform); on an error or
    Ctrl-C the running solves are stopped rather than waited for."""
    _start_resource_tracker()
    executor = ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker
    )
    try:
        yield executor
    except BaseException:
        stop_executor(executor)
        raise
    else:
        executor.shutdown(wait=True)


def stop_executor(executor: Executor) -> None:
    """Cancel the solves not started and stop the running ones (their futures then fail):
    a process pool's workers are terminated; a thread's solve runs to its end."""
    processes = dict(getattr(executor, "_processes", None) or {})  # the pool keeps no public handle
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes.values():
        proc.terminate()


#: Seconds `structplan scenarios --scheduler` waits for the scheduler to answer.
CONNECT_TIMEOUT = 10.0


class ClusterError(Exception):
    """The cluster cannot be used: the extra is missing or the scheduler cannot be reached."""


@contextmanager
def cluster_executor(address: str, timeout: float | None = None) -> Iterator[Executor]:
    """An executor on the Dask cluster whose scheduler is at `address` (tcp://HOST:PORT);
    `timeout`: seconds to wait for the scheduler (default CONNECT_TIMEOUT)."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "--scheduler needs Dask's distributed, which is not installed: pip install 'structplan[cluster]'"
        ) from None
    import logging

    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # failures are said in one line
    try:
        client = Client(address, timeout=timeout or CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()


# --------------------------------------------------------------------------- comparison


@attrs.frozen
class Row:
    """One line of the comparison: a scenario's plan against the base plan."""

    id: str
    """The scenario's id (BASE for the base)."""
    name: str
    """What the scenario is."""
    structure: str = ""
    """Structure chosen ("" without a plan)."""
    cost: int | None = None
    """Total yearly cost."""
    cost_change: int | None = None
    """Cost against the base plan's."""
    hires: tuple[tuple[str, int], ...] = ()
    """Hires by discipline."""
    surplus: int = 0
    """People on staff the plan leaves (nearly) without work."""
    leads_changed: int | None = None
    """Accounts of both plans whose lead differs from the base plan's."""
    warnings: int = 0
    """Pitfalls in the plan."""
    status: str = "infeasible"
    """optimal, feasible, infeasible, failed, or not run (a cancelled run)."""
    gap: float | None = None
    """Proven gap of the plan's objective."""
    stopped: str = ""
    """What ended the search: proof, effort, clock (a rerun may differ) or user."""
    notes: tuple[str, ...] = ()
    """What the scenario changes, in words (who leaves, by name)."""
    explanation: tuple[str, ...] = ()
    """Without a plan: why."""
    plan_file: str = ""
    """Where its plan was written (with -o)."""


@attrs.frozen
class Comparison:
    """The base and every scenario, in file order."""

    agency: str
    """The base agency's name."""
    currency: str
    """Currency of every amount."""
    rows: tuple[Row, ...]
    """The base first, then the scenarios."""
    plans: tuple[tuple[str, Plan], ...] = ()
    """Each plan by scenario id (those that have one)."""

    @property
    def complete(self) -> bool:
        """Whether every scenario has a plan."""
        return all(r.structure for r in self.rows)


def leads_changed(base: Plan, plan: Plan) -> int:
    """Accounts in both plans led by someone else than in the base plan."""
    leads = {a.id: a.lead for a in base.accounts}
    return sum(1 for a in plan.accounts if a.id in leads and leads[a.id] != a.lead)


def compare(loaded: Loaded, results: dict[str, Solved]) -> Comparison:
    """The comparison rows of every result, in file order."""
    base = results[BASE].plan if BASE in results else None
    entries = [(BASE, "base agency", ())] + [(r.scenario.id, r.scenario.title, r.notes) for r in loaded.scenarios]
    rows = []
    for sid, name, notes in entries:
        res = results.get(sid)
        if res is None:  # not solved (the run was cancelled)
            rows.append(Row(sid, name, status="not run", notes=notes))
            continue
        plan = res.plan
        if plan is None:
            rows.append(
                Row(
                    sid, name, status="failed" if res.failed else "infeasible", notes=notes, explanation=res.explanation
                )
            )
            continue
        rows.append(
            Row(
                sid,
                name,
                structure=plan.structure,
                cost=plan.cost.total,
                cost_change=None if base is None or sid == BASE else plan.cost.total - base.cost.total,
                hires=tuple(sorted(Counter(h.role for h in plan.hires).items())),
                surplus=len(plan.surplus),
                leads_changed=None if base is None or sid == BASE else leads_changed(base, plan),
                warnings=len(plan.warnings),
                status=plan.solver.status,
                gap=plan.solver.gap,
                stopped=plan.solver.stopped,
                notes=notes,
            )
        )
    plans = tuple((sid, res.plan) for sid, _, _ in entries if (res := results.get(sid)) and res.plan is not None)
    return Comparison(loaded.base.agency.name, loaded.base.agency.currency, tuple(rows), plans)
