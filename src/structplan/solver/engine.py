"""Solving: each structure in turn (or side by side), progress and stop (the plan that comes out: plan.py)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import attrs
from ortools.sat.python import cp_model

from structplan.data import layout_path
from structplan.formats import load_layout
from structplan.model import (
    E2E,
    NOT_TRIED,
    SPLIT,
    STRUCTURES,
    Agency,
    Layout,
)
from structplan.solver import cpsat, explain, parts, relax
from structplan.solver.api import Outcome, Progress, SolveOptions, rank, search_rank
from structplan.solver.bound import local_bound, priced_bound
from structplan.solver.build import add_hint, build, extend_candidates
from structplan.solver.greedy import Solution, evaluate, greedy
from structplan.solver.plan import plan_reason, structure_result, to_plan
from structplan.solver.prep import Problem, build_problem
from structplan.solver.tidy import fewer_voices, in_slot_order
from structplan.solver.transfer import transfer


@attrs.frozen
class StructureOutcome:
    """What solving one structure gave."""

    structure: str
    status: str
    problem: Problem | None = None
    solution: Solution | None = None
    terms: Mapping[str, int] = attrs.field(factory=dict)
    objective: int = 0
    bound: int = 0
    explanation: tuple[str, ...] = ()
    first_plan_s: float = 0.0
    """Seconds until a valid plan existed (the greedy hint, else CP-SAT's first)."""
    best_plan_s: float = 0.0
    wall_s: float = 0.0
    greedy_objective: int | None = None
    stopped: str = ""
    """What ended the search: proof, effort, clock or user (empty when nothing was searched)."""
    deterministic_s: float = 0.0
    """CP-SAT deterministic seconds the search spent."""

    @property
    def gap(self) -> float:
        if self.solution is None or self.objective <= 0:
            return 0.0
        return round(max(0.0, (self.objective - self.bound) / self.objective), 4)


def solve_structure(
    agency: Agency,
    layout: Layout,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    prune: bool = True,
    earlier: Sequence[StructureOutcome] = (),
    problem: Problem | None = None,
    since: float | None = None,
) -> StructureOutcome:
    """Solve one structure: precheck, greedy hint, CP-SAT, and the best staffing found.

    The staffings of `earlier` structures that keep this structure's rules (a separate plan
    under hybrid) join the hints (transfer.py). `problem`: the pruned problem of `agency` under
    `layout` when the caller has built it (prep.build_problem), used once; `since`: the
    monotonic time its building began, from which the structure's clock and its times to the
    first plan count (default: now)."""
    out = _search(agency, layout, options, on_progress, stop, prune, earlier=earlier, problem=problem, since=since)
    if out.solution is None or out.problem is None:
        return out
    tidy = in_slot_order(out.problem, fewer_voices(out.problem, out.solution))
    terms = evaluate(out.problem, tidy)
    objective = sum(terms.values())
    if objective > out.objective:  # the repair never pays for fewer voices
        raise AssertionError(f"tidying raised the objective of {out.structure}: {out.objective} -> {objective}")
    out = attrs.evolve(out, solution=tidy, terms=terms, objective=objective, bound=min(out.bound, objective))
    if on_progress is not None:  # the structure's last figures: a bound may have come after its last plan
        on_progress(Progress(out.structure, out.objective, out.bound, out.gap, out.wall_s))
    return out


def _search(
    agency: Agency,
    layout: Layout,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    prune: bool,
    whole: bool = True,
    earlier: Sequence[StructureOutcome] = (),
    problem: Problem | None = None,
    since: float | None = None,
) -> StructureOutcome:
    """Search one structure; `whole` is False for a part of a larger agency (never split again);
    `problem` and `since` as in `solve_structure`."""
    start = time.monotonic() if since is None else since
    st = layout.structure
    if not prune:
        pb = build_problem(agency, layout, lead_k=10**9, manage_k=10**9, mentor_k=10**9, slots_k=10**9)
    else:
        pb = problem if problem is not None else build_problem(agency, layout)
    reasons = explain.precheck(pb)
    if reasons:
        return StructureOutcome(st, "infeasible", pb, explanation=tuple(reasons), wall_s=time.monotonic() - start)

    baseline = greedy(pb, keep_today=False)
    careful = greedy(pb, keep_today=True) or greedy(pb, keep_today=True, gather=False)
    sparing = greedy(pb, keep_today=True, gather=False, spare=True)
    lean = greedy(pb, keep_today=True, gather=False, lean=True) if E2E in layout.modes else None
    # lean and sparing at once: seniors for the work that pays for them, juniors for the rest
    # (large sample, merged: 2,587,944 lean, 2,334,765 both; hybrid 1,010,339 -> 894,851)
    lean_sparing = greedy(pb, keep_today=True, gather=False, lean=True, spare=True) if E2E in layout.modes else None
    base_obj = sum(evaluate(pb, baseline).values()) if baseline else None
    hints = [s for s in (careful, sparing, lean, lean_sparing, baseline) if s is not None]
    if SPLIT in layout.modes and E2E in layout.modes:
        # a mixed structure may keep every account split, which neither the searches from its
        # hand plans nor the window search reach once one account runs end to end (clarity is
        # paid by the whole agency): the hand method of a separate structure joins the hints
        # (ten copies of the large sample, hybrid: 11,682,263 mixed, 9,091,063 all split)
        hints += [
            s
            for s in (
                greedy(pb, keep_today=True, split=True) or greedy(pb, keep_today=True, gather=False, split=True),
                greedy(pb, keep_today=True, gather=False, spare=True, split=True),
            )
            if s is not None
        ]
    for o in earlier:
        if o.solution is not None and o.problem is not None:
            moved = transfer(pb, o.problem, o.solution)
            if moved is not None:
                hints.append(moved)
    # the first valid plan is the hand method's, when it found one
    hint_s = time.monotonic() - start

    def best(hints: list[Solution]) -> Solution | None:
        hint = min(hints, key=lambda s: sum(evaluate(pb, s).values())) if hints else None
        if hint is not None and on_progress is not None:
            on_progress(Progress(st, sum(evaluate(pb, hint).values()), None, None, time.monotonic() - start))
        return hint

    hint = best(hints)
    part_det = 0.0
    n_parts = parts.count(agency) if prune and whole else 1
    if hint is not None and _size(pb) > LARGE:
        # above the window search's threshold the windows do better with the whole clock from
        # the hand method's plan than after the parts, which took all but a few seconds of it
        # (replicated suite, 60 s, objective / k times the one-copy plan, before -> after, with
        # lns.py's small windows: four copies of the large sample 1.148 / 1.323 / 1.308 ->
        # 1.003 / 1.053 / 1.096, ten copies 1.126 / 1.308 / 1.305 -> 1.023 / 1.167 / 1.232; 25
        # of the mid-size sample, hybrid 1.858 -> 1.341, merged 1.139 -> 1.055). The parts stay
        # the way to a first plan where the hand method finds none for the whole.
        n_parts = 1
    short = options.time_limit > 0 and options.time_limit - (time.monotonic() - start) < n_parts * PART_MIN_S
    if n_parts > 1 and short and _size(pb) <= WHOLE_FIRST:
        n_parts = 1  # too little time to search the parts: CP-SAT searches the whole from the hint
    if n_parts > 1:
        by_parts, part_det = _by_parts(pb, n_parts, options, stop, start)
        if by_parts is not None:
            if hint is None:
                hint_s = time.monotonic() - start
            # each part opens the hire slots it was dealt; the model opens an option's slots in
            # order, and a hint it refuses is no hint (five copies of the mid-size sample: the
            # same plans either way, 593,590 separate and 583,095 hybrid)
            hint = best([in_slot_order(pb, by_parts), *hints])
    if hint is not None:
        extend_candidates(pb, hint)
    if hint is not None and _size(pb) > LARGE:
        return _solve_large(pb, hint, options, on_progress, stop, start, hint_s, base_obj)
    if hint is not None and options.time_limit > 0:
        left = options.time_limit - (time.monotonic() - start)
        if left < max(1.0, _size(pb) / BUILD_PAIRS_PER_S):  # no time to build and search the whole
            floor = local_bound(pb) if whole else 0  # a part's bound is never read
            return _hint_only(pb, hint, hint_s, base_obj, part_det, start, bound=floor)
    built = build(pb)
    watch = cpsat.Watch(st, on_progress, stop, start)
    case = cpsat.clarity_case(built) if whole else None  # a part is searched for a plan, not for a bound
    # the LP relaxation's bound is solved beside the search (relax.py), first with clarity not
    # paid when the structure has cases; a part's bound is never read
    relaxed = (
        relax.Solving(built.model, _left(options, start, relax.AFTER_S), () if case is None else (case.index,)).start()
        if whole and len(built.model.proto.variables) <= relax.MAX_VARS
        else None
    )
    if relaxed is not None:  # the progress reports show the LP's bound as soon as it is known
        relaxed.then(watch.raise_floor)
    spent = False  # whether a mixed structure's second case was left out for want of effort
    if case is None:
        if hint is not None:
            add_hint(built, pb, hint)
        runs = [cpsat.run(built, pb, options, options.effort, start, watch, stop)]
    else:
        # a mixed structure is searched as two cases, all accounts split (clarity not paid) and
        # clarity paid; the second looks only below the first's plan. Each case's bound is much
        # stronger than the bound of both at once (large sample, hybrid, 60 s: 633,189 at once,
        # 755,548 and 773,894 apart), and the lower of the two is a bound of the structure.
        split_only = [h for h in (hint, *hints) if h is not None and all(md == SPLIT for md in h.mode.values())]
        first = cpsat.run(
            built,
            pb,
            options,
            options.effort / 2,
            start,
            watch,
            stop,
            fix=(case, 0),
            hint=min(split_only, key=lambda s: sum(evaluate(pb, s).values())) if split_only else None,
            share=0.5,
        )
        runs = [first]
        if not (stop is not None and stop.is_set()):
            effort = max(0.0, options.effort - first.deterministic_s) if options.effort > 0 else 0.0
            spent = options.effort > 0 and effort <= 0  # the first case took the whole effort
            if not spent:
                below = first.objective if first.solution is not None else None
                paid_hint = hint
                if (
                    below is not None
                    and paid_hint is not None
                    and not _cheaper(pb, paid_hint, below, built.terms["clarity"][0][1])
                ):
                    # a hint that no plan of the search below `below` can follow is left out: with
                    # it, CP-SAT 9.15 aborts ("heuristics.fixed_search != nullptr") in interleaved
                    # search when the model has no such plan
                    paid_hint = None
                runs.append(
                    cpsat.run(
                        built, pb, options, effort, start, watch, stop, fix=(case, 1), hint=paid_hint, below=below
                    )
                )
    for r in runs:
        if r.status == cp_model.MODEL_INVALID:  # a bug in building the model, never the user's input
            raise RuntimeError(f"invalid CP-SAT model for {st}: {r.invalid}")
    proven = all(r.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE) for r in runs) and (case is None or len(runs) == 2)
    lp_bound: int | None = None
    if relaxed is not None:
        if not proven and not (stop is not None and stop.is_set()):
            # GLOP's time limit leaves the clock's last AFTER_S for reading its duals and the plan
            lp_bound = relaxed.result(_left(options, start) if options.time_limit > 0 else None)
        relaxed.cancel()
    wall = time.monotonic() - start
    if proven:
        stopped = "proof"
    elif stop is not None and stop.is_set():
        stopped = "user"
    elif (
        any(r.stopped == "clock" for r in runs)
        or (case is not None and len(runs) == 1 and not spent)
        or (relaxed is not None and lp_bound is None)  # the clock ended the LP: its bound is missing
    ):
        stopped = "clock"
    else:
        stopped = "effort"
    status = (
        cp_model.INFEASIBLE
        if proven and all(r.status == cp_model.INFEASIBLE for r in runs)
        else cp_model.OPTIMAL
        if proven
        else cp_model.FEASIBLE
        if any(r.solution is not None for r in runs)
        else cp_model.UNKNOWN
    )
    det = part_det + sum(r.deterministic_s for r in runs)
    # a lower bound on every plan of the structure: each case's own, the best plan's objective
    # for a case shown to hold nothing below it
    found = [r for r in runs if r.solution is not None]
    best_run = min(found, key=lambda r: r.objective) if found else None
    cp_bound = min((r.bound for r in runs), default=math.inf)
    if best_run is not None:
        cp_bound = min(cp_bound, best_run.objective)
    if case is not None and len(runs) < 2:  # the case with clarity paid was not searched: no bound
        cp_bound = 0.0
    if whole and not proven:  # floors under what the search proved (bound.py, relax.py)
        # the priced floor steps towards the best plan's objective (with none, it stays the floor)
        ceiling = best_run.objective if best_run is not None else 0
        cp_bound = max(cp_bound, priced_bound(pb, ceiling), lp_bound or 0)
        if best_run is not None and cp_bound >= best_run.objective:
            status, stopped = cp_model.OPTIMAL, "proof"
    if (
        hint is not None
        and best_run is not None
        and status != cp_model.OPTIMAL
        and sum(evaluate(pb, hint).values()) < best_run.objective
    ):
        # the searches' best plan is worse than the plan they started from (a mixed structure's
        # first case searches without it, and the clock may end the second before it reports:
        # five copies of the mid-size sample, hybrid, once in three runs, 2,290,303, above even
        # the plain hand method's plan); the hint is the plan
        bound = math.ceil(cp_bound - 1e-6) if math.isfinite(cp_bound) else 0
        return _hint_only(pb, hint, hint_s, base_obj, det, start, stopped, bound)
    if best_run is not None and best_run.solution is not None:
        return StructureOutcome(
            st,
            "optimal" if status == cp_model.OPTIMAL else "feasible",
            pb,
            best_run.solution,
            best_run.terms,
            best_run.objective,
            math.ceil(cp_bound - 1e-6),
            first_plan_s=hint_s if hint is not None else (watch.first or wall),
            best_plan_s=watch.best or wall,
            wall_s=wall,
            greedy_objective=base_obj,
            stopped=stopped,
            deterministic_s=det,
        )
    name = cp_model.CpSolver().status_name(status)
    if status == cp_model.INFEASIBLE and not whole:  # a part: the caller deals it again
        return StructureOutcome(st, "infeasible", pb, wall_s=wall, deterministic_s=det)
    if status == cp_model.INFEASIBLE and pb.pruned:  # pruning may have cut the only plans: look at all
        return _search(agency, layout, options, on_progress, stop, prune=False, whole=whole, earlier=earlier)
    if status == cp_model.INFEASIBLE:
        lines = explain.explain(pb)
        return StructureOutcome(st, "infeasible", pb, explanation=tuple(lines), wall_s=wall, greedy_objective=base_obj)
    if hint is not None:  # stopped before CP-SAT reported: the hint is a valid plan
        bound = math.ceil(cp_bound - 1e-6) if math.isfinite(cp_bound) else 0
        return _hint_only(pb, hint, hint_s, base_obj, det, start, stopped, bound)
    why = "stopped" if stopped == "user" else f"no plan found within {options.time_limit:g} s"
    if stopped == "effort":
        why = f"no plan found within an effort of {options.effort:g}"
    return StructureOutcome(
        st, "unknown", pb, explanation=(f"{st}: {why} ({name.lower()})",), wall_s=wall, stopped=stopped
    )


def _cheaper(pb: Problem, sol: Solution, below: int, clarity: int) -> bool:
    """Whether `sol` costs less than `below` with clarity (`clarity` a year) paid."""
    terms = evaluate(pb, sol)
    return sum(terms.values()) - terms.get("clarity", 0) + clarity < below


#: Candidate pairs the model is built for per second (measured: 44,000 in 1.7 s, hint included),
#: to tell whether the clock leaves time to build and search the whole after its parts.
BUILD_PAIRS_PER_S = 20_000


def _hint_only(
    pb: Problem,
    hint: Solution,
    hint_s: float,
    base_obj: int | None,
    det: float,
    start: float,
    stopped: str = "clock",
    bound: int = 0,
) -> StructureOutcome:
    """The hint as the structure's plan, when the search over the whole gave nothing better;
    `bound` is what the caller proved (for a whole agency at least bound.local_bound)."""
    terms = evaluate(pb, hint)
    found = sum(terms.values())
    wall = time.monotonic() - start
    return StructureOutcome(
        pb.layout.structure,
        "feasible",
        pb,
        hint,
        terms,
        found,
        min(found, bound),
        first_plan_s=hint_s,
        best_plan_s=wall,
        wall_s=wall,
        greedy_objective=base_obj,
        stopped=stopped,
        deterministic_s=det,
    )


#: Wall-clock seconds a structure keeps for the search over the whole after its parts, and
#: accounts a second it puts together, tidies and turns into a plan, whichever reserve is
#: larger (without the second, 25 copies of the mid-size sample, 1,000 accounts, overran a 60 s
#: clock by 3.6 s on two cores).
PART_RESERVE_S = 2.0
#: Share of the clock the parts may take to find a count of parts that each have the people
#: their work needs, before the whole is searched without them.
PART_TRIES_SHARE = 0.25
FINISH_ACCOUNTS_PER_S = 250
#: Wall-clock seconds a structure's clock must hold per part for the parts to be searched,
#: when CP-SAT can search the whole model after them (the large sample at 20 s a structure, 8
#: parts: their plans were worse than the hand method's, 951,594 against 921,731 for separate,
#: while the whole searched from the hand method's plan gave 789,381; merged 3,521,679 against
#: 4,576,516 after its parts). Five copies of the mid-size sample at 60 s search their parts.
#: Only up to `WHOLE_FIRST` candidate pairs (above it the window search takes over: `LARGE`).
PART_MIN_S = 4.0
WHOLE_FIRST = 60_000


def _hand(pb: Problem) -> Solution | None:
    """The hand method's best plan (no search), or None when the precheck or the hand fails."""
    if explain.precheck(pb):
        return None
    tries = [dict(keep_today=False), dict(keep_today=True)]
    if E2E in pb.layout.modes:
        tries += [dict(keep_today=True, lean=True), dict(keep_today=True, lean=True, spare=True)]
    plans = [s for s in (greedy(pb, gather=False, **kw) for kw in tries) if s is not None]
    return min(plans, key=lambda s: sum(evaluate(pb, s).values())) if plans else None


def _by_parts(
    pb: Problem, n: int, options: SolveOptions, stop: threading.Event | None, start: float
) -> tuple[Solution | None, float]:
    """A plan of the whole made of the parts' plans (parts.py), and the deterministic seconds
    spent; None when some part has no plan even merged with its neighbour. Parts the clock
    leaves no time to search keep their hand method's plan."""

    def prepared(part: parts.Part) -> tuple[parts.Part, Problem, Solution | None]:
        sub = build_problem(part.agency, part.layout)
        return part, sub, _hand(sub)

    todo = [prepared(p) for p in parts.split(pb.agency, pb.layout, n)]
    # fewer, larger parts until each has the people its work needs (precheck and hand method: no
    # search). Each try deals and prepares every part again (about 2 s at 3,000 accounts), so
    # beyond 8 parts the count falls by a quarter, not by one (3,000 accounts went from 75 parts
    # down one at a time: 46 tries, 100 s of a 60 s clock), and the tries stop at a quarter of the
    # clock: the whole is then searched from the hand method's plan of the whole.
    while n > 1 and any(hand is None for _, _, hand in todo):
        if options.time_limit > 0 and time.monotonic() - start > options.time_limit * PART_TRIES_SHARE:
            return None, 0.0
        n = n - 1 if n <= 8 else n * 3 // 4
        todo = [prepared(p) for p in parts.split(pb.agency, pb.layout, n)]
    if n == 1:
        return None, 0.0
    done: list[tuple[parts.Part, Problem, Solution]] = []
    spent = 0.0
    # kept for putting the plan together and writing it, which grow with the agency
    reserve = max(PART_RESERVE_S, len(pb.accounts) / FINISH_ACCOUNTS_PER_S)
    searched, parts_start = 0, time.monotonic()
    while todo:
        if stop is not None and stop.is_set():
            return None, spent
        if options.time_limit > 0 and options.time_limit - (time.monotonic() - start) < reserve:
            if any(hand is None for _, _, hand in todo):
                return None, spent
            done += [(part, sub, hand) for part, sub, hand in todo if hand is not None]
            break
        part = todo.pop(0)[0]
        left = options.time_limit - (time.monotonic() - start) - reserve
        if searched and left < (len(todo) + 1) * (time.monotonic() - parts_start) / searched:
            # at the pace so far the clock ends before the last part: each part left gets an
            # even share of it, rather than the first ones their whole effort and the rest none
            left /= len(todo) + 1
        sub_options = SolveOptions(
            time_limit=max(0.5, left) if options.time_limit > 0 else 0,
            effort=parts.PART_EFFORT_PER_ACCOUNT * len(part.agency.accounts),
            seed=options.seed,
            workers=options.workers,
        )
        out = _search(part.agency, part.layout, sub_options, None, stop, True, whole=False)
        searched += 1
        spent += out.deterministic_s
        if out.solution is not None and out.problem is not None:
            done.append((part, out.problem, out.solution))
            continue
        # no plan alone (or stopped before one): solve it again together with a neighbour
        if todo:
            todo.insert(0, prepared(parts.merge(part, todo.pop(0)[0])))
        elif done:
            todo.insert(0, prepared(parts.merge(done.pop()[0], part)))
        else:
            return None, spent
    return parts.combine(pb, done), spent


#: Above this many candidate pairs the model is solved a window at a time (see lns.py). Between
#: 60,000 and 120,000 pairs the parts used to be searched whatever the clock, and the clock ended
#: them on an idle machine, so plans there did not repeat; the windows end on their effort (60 s,
#: objective / k x one copy, parts -> windows: two copies of the large sample 1.010 / 1.063 / 1.009
#: -> 0.991 / 0.988 / 1.003, 60 s -> 20-23 s; 25 copies of the mid-size sample, separate, 0.900 ->
#: 0.913 / 0.941 / 0.971 for seeds 0 / 1 / 2, 56 s -> 20-24 s: worse, and repeatable).
LARGE = WHOLE_FIRST


def _left(options: SolveOptions, start: float, keep: float = 0.0) -> float:
    """Seconds of the clock left but `keep` (0: no clock)."""
    return max(0.001, options.time_limit - keep - (time.monotonic() - start)) if options.time_limit > 0 else 0.0


def _size(pb: Problem) -> int:
    """Candidate (need, unit) pairs: about the number of variables of the full model."""
    return sum(len(c) for c in pb.lead_cands.values()) + sum(len(c) for c in pb.manage_cands.values())


def _solve_large(
    pb: Problem,
    hint: Solution,
    options: SolveOptions,
    on_progress,
    stop,
    start: float,
    hint_s: float,
    base_obj: int | None,
) -> StructureOutcome:
    from structplan.solver import lns

    st = pb.layout.structure
    limit = options.time_limit if options.time_limit > 0 else 10**9
    bound = priced_bound(pb, sum(evaluate(pb, hint).values()))

    def better(obj: int) -> None:
        if on_progress is not None:
            gap = (obj - bound) / obj if obj > 0 else 0.0
            on_progress(Progress(st, obj, bound, max(0.0, gap), time.monotonic() - start))

    sol, last, stopped, det = lns.improve(
        pb,
        hint,
        start + limit,
        seed=options.seed,
        stop=stop,
        on_better=better,
        effort=options.effort or 60.0,
    )
    terms = evaluate(pb, sol)
    obj = sum(terms.values())
    wall = time.monotonic() - start
    status = "optimal" if obj <= bound else "feasible"
    return StructureOutcome(
        st,
        status,
        pb,
        sol,
        terms,
        obj,
        min(bound, obj),
        first_plan_s=hint_s,
        best_plan_s=last - start,
        wall_s=wall,
        greedy_objective=base_obj,
        stopped="proof" if status == "optimal" else stopped,
        deterministic_s=det,
    )


def _not_tried(structure: str, stopped: str) -> StructureOutcome:
    """A structure the run never searched: neither a plan nor a proof."""
    return StructureOutcome(
        structure,
        "not_tried",
        explanation=(f"{structure}: not tried: {NOT_TRIED[stopped]}",),
        stopped=stopped,
    )


def _listed(structure: str) -> int:
    """Where `structure` comes in STRUCTURES, the order results are listed and ties broken in."""
    return rank(STRUCTURES, structure)


def _adopt(out: StructureOutcome, outs: Sequence[StructureOutcome]) -> StructureOutcome:
    """`out` with the cheapest of the other structures' plans that keep its rules, where one is
    cheaper than its own (transfer.py): hybrid's plan that splits every account is a separate
    plan, and separate then costs no more than hybrid because its own search got less far. A
    proven optimum is kept as it is."""
    if out.solution is None or out.problem is None or out.status == "optimal":
        return out
    pb = out.problem
    best = out
    for other in outs:
        if other is out or other.solution is None or other.problem is None:
            continue
        moved = transfer(pb, other.problem, other.solution)
        if moved is None:
            continue
        terms = evaluate(pb, moved)
        objective = sum(terms.values())
        if objective < best.objective:
            best = attrs.evolve(
                best,
                status="feasible",
                solution=moved,
                terms=terms,
                objective=objective,
                bound=min(best.bound, objective),
            )
    return best


def _together(
    agency: Agency,
    order: Sequence[str],
    layouts: dict[str, Layout],
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    start: float,
    problems: dict[str, tuple[Problem, float]],
) -> list[StructureOutcome] | None:
    """The structures searched side by side on threads, when every one of them is big enough for
    the window search (`LARGE`); None otherwise (and then in turn, each after the ones before it,
    from the `problems` built here to find out, with the seconds each took to build).

    A window runs CP-SAT on one worker, so during the window search of one structure the second
    core is mostly idle: three structures in turn took more than the 60 s the command has (two
    copies of the large sample: 60.2 s, the last cut by the clock), side by side 35.6 s, each at
    the objective it reaches alone (four copies 48.3 s, bench/RESULTS.md). Each keeps its own
    effort, so each repeats its plan; none starts from the others' plans (`earlier`), and the
    best plan found that keeps a structure's rules is still adopted at the end (`_adopt`)."""
    if len(order) < 2 or (stop is not None and stop.is_set()):
        return None
    if options.time_limit > 0 and options.time_limit - (time.monotonic() - start) <= 0:
        return None
    for st in order:
        if st not in layouts:
            layouts[st] = load_layout(layout_path(st))
    began = time.monotonic()
    for st in order:  # built once, for the search too; the first small one ends the look
        built = time.monotonic()
        problems[st] = (build_problem(agency, layouts[st]), time.monotonic() - built)
        if _size(problems[st][0]) <= LARGE:
            return None
    share = options
    if options.time_limit > 0:  # side by side, each has what was left of the whole clock when building began
        left = options.time_limit - (began - start)
        share = attrs.evolve(options, time_limit=max(0.5, left), spent=0.0)
    report = None
    if on_progress is not None:
        tell = on_progress

        def report(p: Progress) -> None:
            tell(attrs.evolve(p, together=True))

    with ThreadPoolExecutor(max_workers=len(order), thread_name_prefix="structplan-structure") as pool:
        jobs = [
            pool.submit(
                solve_structure, agency, layouts[st], share, report, stop, problem=problems.pop(st)[0], since=began
            )
            for st in order
        ]
        return [job.result() for job in jobs]


def solve_agency(
    agency: Agency,
    structures: Sequence[str] | None,
    layouts: Mapping[str, Layout] | None,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
) -> Outcome:
    """Solve each structure and keep the best; see `structplan.solver.solve`."""
    chosen = list(structures or agency.policy.structures)
    layouts = dict(layouts or {})
    outs: list[StructureOutcome] = []
    order = sorted(chosen, key=search_rank)
    start = time.monotonic() - options.spent
    problems: dict[str, tuple[Problem, float]] = {}
    together = _together(agency, order, layouts, options, on_progress, stop, start, problems)
    if together is not None:
        outs = together
    for n, st in enumerate(order if together is None else ()):
        left = options.time_limit - (time.monotonic() - start)
        if stop is not None and stop.is_set():
            outs.append(_not_tried(st, "user"))
            continue
        if options.time_limit > 0 and left <= 0 and outs:
            outs.append(_not_tried(st, "clock"))
            continue
        layout = layouts.get(st) or load_layout(layout_path(st))
        share = options
        if options.time_limit > 0:
            # an even share of what is left: what a quicker structure leaves goes to those after
            # it (with the first taking all but a reserve for the others, the large sample's
            # separate took 40 s of 60 and merged kept its hand plan, at twice its optimum)
            share = attrs.evolve(options, time_limit=max(0.5, left / (len(order) - n)), spent=0.0)
        problem, since = None, None
        if st in problems:  # built while deciding: its building counts as this structure's time
            problem, took = problems.pop(st)
            since = time.monotonic() - took
            if options.time_limit > 0:
                share = attrs.evolve(share, time_limit=share.time_limit + took)
        outs.append(
            solve_structure(agency, layout, share, on_progress, stop, earlier=outs, problem=problem, since=since)
        )
    outs = [_adopt(o, outs) for o in sorted(outs, key=lambda o: _listed(o.structure))]
    plans = {o.structure: to_plan(agency, o, options) for o in outs if o.solution is not None}
    cancelled = stop is not None and stop.is_set()
    solved = [o for o in outs if o.structure in plans]
    statuses = tuple((o.structure, o.status) for o in outs)
    if not solved:
        lines = [line for o in outs for line in o.explanation] or ["no structure was solved"]
        return Outcome(None, tuple(lines), cancelled, statuses)
    best = min(solved, key=lambda o: (o.objective, _listed(o.structure)))
    comparison = tuple(structure_result(agency, o, plans.get(o.structure)) for o in outs)
    plan = attrs.evolve(plans[best.structure], comparison=comparison, reason=plan_reason(best, plans, outs))
    return Outcome(plan, (), cancelled, statuses)
