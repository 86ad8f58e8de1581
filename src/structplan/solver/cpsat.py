"""One CP-SAT search of a structure's model: its parameters by size, the watch that reports each
better plan and stops on request, and what the search gave (`Case`)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping

import attrs
from ortools.sat.python import cp_model

from structplan.solver.api import Progress, SolveOptions
from structplan.solver.build import add_hint, read_solution
from structplan.solver.greedy import Solution, evaluate
from structplan.solver.prep import Problem


class Watch(cp_model.CpSolverSolutionCallback):
    """Reports each improving plan and stops the search when asked."""

    def __init__(self, structure: str, on_progress, stop: threading.Event | None, start: float) -> None:
        super().__init__()
        self.structure = structure
        self.on_progress = on_progress
        self.stop = stop
        self.start = start
        self.first: float | None = None
        self.best: float = 0.0
        #: a bound proven outside the search (the LP's, relax.py), once it is known
        self.floor: int = 0

    def raise_floor(self, bound: int) -> None:
        self.floor = max(self.floor, bound)

    def on_solution_callback(self) -> None:
        now = time.monotonic() - self.start
        if self.first is None:
            self.first = now
        self.best = now
        if self.on_progress is not None:
            obj = round(self.objective_value)
            bound = max(math.ceil(self.best_objective_bound - 1e-6), self.floor)
            gap = (obj - bound) / obj if obj > 0 else 0.0
            self.on_progress(Progress(self.structure, obj, bound, max(0.0, gap), now))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


@attrs.frozen
class Case:
    """What one CP-SAT search of a structure's model (or of one case of it) gave."""

    status: cp_model.CpSolverStatus
    solution: Solution | None
    terms: Mapping[str, int]
    objective: int
    bound: float
    """A lower bound on the plans this search looked at (inf when it proved there are none)."""
    deterministic_s: float
    stopped: str
    invalid: str = ""


def clarity_case(built) -> cp_model.IntVar | None:
    """The literal a mixed structure is searched on case by case: whether clarity is paid,
    which it must be as soon as one account runs end to end (None: nothing to split on)."""
    items = built.terms.get("clarity", [])
    return items[0][0] if len(items) == 1 and isinstance(items[0][0], cp_model.IntVar) else None


def run(
    built,
    pb: Problem,
    options: SolveOptions,
    effort: float,
    start: float,
    watch: Watch,
    stop: threading.Event | None,
    fix: tuple[cp_model.IntVar, int] | None = None,
    hint: Solution | None = None,
    below: int | None = None,
    share: float = 1.0,
) -> Case:
    """Search the model, or a copy with `fix` (literal, value) and, when `below` is given,
    only for plans cheaper than `below`; `share` of the clock left goes to this search."""
    model = built.model
    if fix is not None:
        model = built.model.clone()
        model.clear_hints()
        lit, value = fix
        model.add(model.get_bool_var_from_proto_index(lit.index) == value)
        if below is not None:
            cut_below(model, below)
        if hint is not None:
            add_hint(attrs.evolve(built, model=model), pb, hint)
    elif hint is not None:
        add_hint(built, pb, hint)
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is ours (solve runs off the main thread)
    prm = solver.parameters
    prm.num_workers = max(1, options.workers)
    prm.random_seed = options.seed
    if options.workers > 1:  # parallel, and still the same plan on an idle or a busy machine
        prm.interleave_search = True
    if options.time_limit > 0:  # the clock covers preparation too
        prm.max_time_in_seconds = max(0.5, share * (options.time_limit - (time.monotonic() - start)))
    if effort > 0:
        prm.max_deterministic_time = effort
    if len(model.proto.variables) > LP_FREE_VARS:
        # the full subsolvers that solve the LP run their first task (root LP and cuts) for
        # longer than the whole budget at this size, and in interleaved search every batch waits
        # for its slowest task, so the LNS subsolvers, which find the plans, never run
        if model.proto.has_solution_hint():
            # with a plan to start from, even the LP-free full subsolvers hold a batch up (large
            # merged, 20 s: a no_lp task of 5.4 s next to LNS tasks of 0.6 s, 11 LNS calls in all,
            # 3,183,864); LNS alone makes 44 calls, each improving the plan, to 2,773,135 (hybrid:
            # 1,056,201 -> 900,317; separate: 786,512 -> 786,852)
            prm.use_lns_only = True
            # one LNS task per worker in each batch: a batch of six on two workers waits for its
            # slowest task, at this size about 0.5 s of wall per 0.05 deterministic s each (large
            # sample, 20 s alone: merged 2,773,135 -> 2,480,418-2,517,365, separate 792,853 ->
            # 787,889, hybrid alone 886,917-897,317 -> 918,804-925,524; the whole default solve
            # 785,623 / 785,623 / 2,773,135 -> 785,206 / 785,206 / 2,552,010)
            prm.interleave_batch_size = max(1, options.workers)
        else:  # a full subsolver must find the first plan
            prm.subsolvers.extend(LP_FREE_SUBSOLVERS)
        # symmetry detection is part of presolve's cost at this size and serves the proof, which
        # the LP-free search does not reach (large merged, 25 s: first plan 5.7 s against 8.5 s,
        # 2,598,426 against 2,715,446; separate: the same plan)
        prm.symmetry_level = 0
    if len(model.proto.variables) > LIGHT_PRESOLVE_VARS:
        # measured at 2000 accounts x 6000 people: full presolve takes the whole budget and finds
        # nothing; one presolve pass without probing finds plans and still proves a useful bound
        prm.max_presolve_iterations = 1
        prm.cp_model_probing_level = 0
    ender = stopper(solver.stop_search, stop)
    try:
        status = solver.solve(model, watch)
    finally:
        ender.set()
    if status == cp_model.MODEL_INVALID:
        return Case(status, None, {}, 0, 0.0, solver.deterministic_time, "", model.validate())
    stopped = "proof" if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE) else "clock"
    # only a search whose reported deterministic time reached its effort is said to be ended by
    # it: one that stops short of it may have been ended by the clock, and may differ on a rerun
    # (mid-size hybrid under two busy loops ended at 3.8 of 5.6, 7 s before its clock, with a
    # plan the idle run does not give); with no clock at all nothing else could end it
    if stopped == "clock" and effort > 0 and (solver.deterministic_time >= effort * 0.999 or options.time_limit <= 0):
        stopped = "effort"
    if status == cp_model.INFEASIBLE:
        return Case(status, None, {}, 0, math.inf, solver.deterministic_time, stopped)
    bound = solver.best_objective_bound if math.isfinite(solver.best_objective_bound) else 0.0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Case(status, None, {}, 0, bound, solver.deterministic_time, stopped)
    sol = read_solution(built, pb, solver.boolean_value)
    terms = evaluate(pb, sol)
    obj = sum(terms.values())
    # the plan costs what it costs; slack in a soft term of a merely feasible solution can only
    # make the model's figure higher, never lower
    if obj > round(solver.objective_value):
        raise AssertionError(f"objective mismatch in {pb.layout.structure}: model {solver.objective_value}, plan {obj}")
    return Case(status, sol, terms, obj, bound, solver.deterministic_time, stopped)


#: Model variables above which the search leaves out the full subsolvers that solve the LP
#: (measured on the large sample, separate, 34,717 variables, 2 workers, 8 deterministic s: with
#: them the batch of the root LP took 27 s and no LNS ran, the plan stayed the hint, 921,731;
#: without them 812,732 in 24 s; the mid-size sample, 3,063-6,242 variables, is proven optimal
#: sooner with them).
LP_FREE_VARS = 30_000


LP_FREE_SUBSOLVERS = ("no_lp", "quick_restart_no_lp")


LIGHT_PRESOLVE_VARS = 50_000


def cut_below(model: cp_model.CpModel, below: int) -> None:
    """Only plans cheaper than `below`: an upper end of the objective's domain, which CP-SAT
    uses as it uses its own incumbent (measured on the large sample, hybrid with clarity paid,
    60 s: bound 775,916; the same cut as a linear constraint: 706,536 after longer)."""
    objective = model.proto.objective
    if objective.scaling_factor not in (0, 1) or objective.offset != int(objective.offset):
        raise AssertionError("the objective is expected to be an integer sum")
    lowest = -(2**62)
    domain = list(objective.domain) or [lowest, 2**62]
    # the domain is over the sum without the offset; a domain of several intervals keeps its gaps
    top = below - 1 - int(objective.offset)
    kept: list[int] = []
    for lo, hi in zip(domain[::2], domain[1::2], strict=True):
        if lo <= top:
            kept += [lo, min(hi, top)]
    if not kept:  # nothing below: no plan at all
        model.add_bool_or([])
        return
    objective.domain.clear()
    objective.domain.extend(kept)


def stopper(halt: Callable[[], object], stop: threading.Event | None) -> threading.Event:
    """A thread that calls `halt` (a search's stop) once `stop` is set, again while it returns
    False (nothing to stop yet); set the returned event to end the thread."""
    done = threading.Event()
    if stop is None:
        return done

    def watch() -> None:
        while not done.wait(0.05):
            if stop.is_set() and halt() is not False:
                return

    threading.Thread(target=watch, name="structplan-stop", daemon=True).start()
    return done
