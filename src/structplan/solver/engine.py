"""Solving: each structure in turn, progress and stop, and the plan that comes out."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import attrs
from ortools.sat.python import cp_model

from structplan.data import layout_path
from structplan.formats import load_layout
from structplan.model import (
    E2E,
    NOT_TRIED,
    PENALTIES,
    SPLIT,
    STRUCTURES,
    TERM_WORDS,
    TRADEOFFS,
    UNPROVEN,
    AccountPlan,
    Agency,
    Cost,
    Coverage,
    Hire,
    Layout,
    MentoringPair,
    PersonPlan,
    Plan,
    SolverInfo,
    Staffing,
    StructureResult,
    Surplus,
)
from structplan.solver import explain, parts
from structplan.solver.api import Outcome, Progress, SolveOptions
from structplan.solver.build import add_hint, build, read_solution
from structplan.solver.greedy import Solution, evaluate, greedy
from structplan.solver.prep import Problem, build_problem
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


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports each improving plan and stops the search when asked."""

    def __init__(self, structure: str, on_progress, stop: threading.Event | None, start: float) -> None:
        super().__init__()
        self.structure = structure
        self.on_progress = on_progress
        self.stop = stop
        self.start = start
        self.first: float | None = None
        self.best: float = 0.0

    def on_solution_callback(self) -> None:
        now = time.monotonic() - self.start
        if self.first is None:
            self.first = now
        self.best = now
        if self.on_progress is not None:
            obj, bound = round(self.objective_value), math.ceil(self.best_objective_bound - 1e-6)
            gap = (obj - bound) / obj if obj > 0 else 0.0
            self.on_progress(Progress(self.structure, obj, bound, max(0.0, gap), now))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def _extend_candidates(pb: Problem, sol: Solution) -> None:
    """Make sure every choice of the hint has a variable."""
    for a, u in sol.lead.items():
        key = (a, sol.mode[a])
        if u not in pb.lead_cands.setdefault(key, []):
            pb.lead_cands[key] = sorted([*pb.lead_cands[key], u])
    for p, u in sol.manager.items():
        a = pb.projects[p].account
        if sol.mode[a] == SPLIT or u != sol.lead[a]:
            key = (p, sol.mode[a])
            if u not in pb.manage_cands.setdefault(key, []):
                pb.manage_cands[key] = sorted([*pb.manage_cands[key], u])
    for u, v in sol.mentor.items():
        if v not in pb.mentor_cands.setdefault(u, []):
            pb.mentor_cands[u] = sorted([*pb.mentor_cands[u], v])
    # the mentees of the hint must be mentee candidates of every mentor they may get
    for (_a, md), cands in pb.lead_cands.items():
        if md == E2E and pb.layout.mentoring.required:
            for u in cands:
                pb.mentor_cands.setdefault(u, [])


def solve_structure(
    agency: Agency,
    layout: Layout,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    prune: bool = True,
    earlier: Sequence[StructureOutcome] = (),
) -> StructureOutcome:
    """Solve one structure: precheck, greedy hint, CP-SAT, and the best staffing found.

    The staffings of `earlier` structures that keep this structure's rules (a separate plan
    under hybrid) join the hints (transfer.py)."""
    out = _search(agency, layout, options, on_progress, stop, prune, earlier=earlier)
    if out.solution is None or out.problem is None:
        return out
    from structplan.solver.tidy import fewer_voices

    tidy = fewer_voices(out.problem, out.solution)
    terms = evaluate(out.problem, tidy)
    objective = sum(terms.values())
    if objective > out.objective:  # the repair never pays for fewer voices
        raise AssertionError(f"tidying raised the objective of {out.structure}: {out.objective} -> {objective}")
    return attrs.evolve(out, solution=tidy, terms=terms, objective=objective, bound=min(out.bound, objective))


def _search(
    agency: Agency,
    layout: Layout,
    options: SolveOptions,
    on_progress: Callable[[Progress], None] | None,
    stop: threading.Event | None,
    prune: bool,
    whole: bool = True,
    earlier: Sequence[StructureOutcome] = (),
) -> StructureOutcome:
    """Search one structure; `whole` is False for a part of a larger agency (never split again)."""
    start = time.monotonic()
    st = layout.structure
    pb = (
        build_problem(agency, layout)
        if prune
        else build_problem(agency, layout, lead_k=10**9, manage_k=10**9, mentor_k=10**9, slots_k=10**9)
    )
    reasons = explain.precheck(pb)
    if reasons:
        return StructureOutcome(st, "infeasible", pb, explanation=tuple(reasons), wall_s=time.monotonic() - start)

    baseline = greedy(pb, keep_today=False)
    careful = greedy(pb, keep_today=True) or greedy(pb, keep_today=True, gather=False)
    sparing = greedy(pb, keep_today=True, gather=False, spare=True)
    base_obj = sum(evaluate(pb, baseline).values()) if baseline else None
    hints = [s for s in (careful, sparing, baseline) if s is not None]
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
    if n_parts > 1:
        by_parts, part_det = _by_parts(pb, n_parts, options, stop, start)
        if by_parts is not None:
            if hint is None:
                hint_s = time.monotonic() - start
            hint = best([by_parts, *hints])
    if hint is not None:
        _extend_candidates(pb, hint)
    if hint is not None and _size(pb) > LARGE:
        return _solve_large(pb, hint, options, on_progress, stop, start, hint_s, base_obj)
    if hint is not None and options.time_limit > 0:
        left = options.time_limit - (time.monotonic() - start)
        if left < max(1.0, _size(pb) / BUILD_PAIRS_PER_S):  # no time to build and search the whole
            return _hint_only(pb, hint, hint_s, base_obj, part_det, start)
    built = build(pb)
    if hint is not None:
        add_hint(built, pb, hint)

    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is ours (solve runs off the main thread)
    prm = solver.parameters
    prm.num_workers = max(1, options.workers)
    prm.random_seed = options.seed
    if options.workers > 1:  # parallel, and still the same plan on an idle or a busy machine
        prm.interleave_search = True
    left = 0.0
    if options.time_limit > 0:  # the clock covers preparation too
        left = max(0.5, options.time_limit - (time.monotonic() - start))
        prm.max_time_in_seconds = left
    if options.effort > 0:
        prm.max_deterministic_time = options.effort
    if len(built.model.proto.variables) > 120_000:
        # measured at 2000 accounts x 6000 people: full presolve takes the whole budget and finds
        # nothing; one presolve pass without probing finds plans and still proves a useful bound
        prm.max_presolve_iterations = 1
        prm.cp_model_probing_level = 0
    watch = _Watch(st, on_progress, stop, start)
    stopper = _stopper(solver, stop)
    try:
        status = solver.solve(built.model, watch)
    finally:
        stopper.set()
    wall = time.monotonic() - start
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        stopped = "proof"
    elif stop is not None and stop.is_set():
        stopped = "user"
    elif options.effort > 0 and solver.deterministic_time >= options.effort * 0.999:
        stopped = "effort"
    else:
        stopped = "clock"
    if status == cp_model.MODEL_INVALID:  # a bug in building the model, never the user's input
        raise RuntimeError(f"invalid CP-SAT model for {st}: {built.model.validate()}")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sol = read_solution(built, pb, solver.boolean_value)
        terms = evaluate(pb, sol)
        obj = sum(terms.values())
        # the plan costs what it costs; slack in a soft term of a merely feasible solution can only
        # make the model's figure higher, never lower
        if obj > round(solver.objective_value):
            raise AssertionError(f"objective mismatch in {st}: model {solver.objective_value}, plan {obj}")
        return StructureOutcome(
            st,
            "optimal" if status == cp_model.OPTIMAL else "feasible",
            pb,
            sol,
            terms,
            obj,
            math.ceil(solver.best_objective_bound - 1e-6),
            first_plan_s=hint_s if hint is not None else (watch.first or wall),
            best_plan_s=watch.best or wall,
            wall_s=wall,
            greedy_objective=base_obj,
            stopped=stopped,
            deterministic_s=part_det + solver.deterministic_time,
        )
    if status == cp_model.INFEASIBLE and not whole:  # a part: the caller deals it again
        return StructureOutcome(st, "infeasible", pb, wall_s=wall, deterministic_s=solver.deterministic_time)
    if status == cp_model.INFEASIBLE and pb.pruned:  # pruning may have cut the only plans: look at all
        return _search(agency, layout, options, on_progress, stop, prune=False, whole=whole, earlier=earlier)
    if status == cp_model.INFEASIBLE:
        lines = explain.explain(pb)
        return StructureOutcome(st, "infeasible", pb, explanation=tuple(lines), wall_s=wall, greedy_objective=base_obj)
    if hint is not None:  # stopped before CP-SAT reported: the hint is a valid plan
        cp_bound = solver.best_objective_bound
        bound = math.ceil(cp_bound - 1e-6) if math.isfinite(cp_bound) else 0
        det = part_det + solver.deterministic_time
        return _hint_only(pb, hint, hint_s, base_obj, det, start, stopped, bound)
    why = "stopped" if stopped == "user" else f"no plan found within {options.time_limit:g} s"
    if stopped == "effort":
        why = f"no plan found within an effort of {options.effort:g}"
    return StructureOutcome(
        st, "unknown", pb, explanation=(f"{st}: {why} ({name.lower()})",), wall_s=wall, stopped=stopped
    )


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
    """The hint as the structure's plan, when the search over the whole gave nothing better."""
    from structplan.solver.lns import lower_bound

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
        min(found, max(lower_bound(pb), bound)),
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
FINISH_ACCOUNTS_PER_S = 250


def _hand(pb: Problem) -> Solution | None:
    """The hand method's best plan (no search), or None when the precheck or the hand fails."""
    if explain.precheck(pb):
        return None
    plans = [s for s in (greedy(pb, keep_today=k, gather=False) for k in (False, True)) if s is not None]
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
    # fewer, larger parts until each has the people its work needs (precheck and hand method: no search)
    while n > 1 and any(hand is None for _, _, hand in todo):
        n -= 1
        todo = [prepared(p) for p in parts.split(pb.agency, pb.layout, n)]
    if n == 1:
        return None, 0.0
    done: list[tuple[parts.Part, Problem, Solution]] = []
    spent = 0.0
    # kept for putting the plan together and writing it, which grow with the agency
    reserve = max(PART_RESERVE_S, len(pb.accounts) / FINISH_ACCOUNTS_PER_S)
    while todo:
        if stop is not None and stop.is_set():
            return None, spent
        if options.time_limit > 0 and options.time_limit - (time.monotonic() - start) < reserve:
            if any(hand is None for _, _, hand in todo):
                return None, spent
            done += [(part, sub, hand) for part, sub, hand in todo if hand is not None]
            break
        part = todo.pop(0)[0]
        sub_options = SolveOptions(
            time_limit=max(0.5, options.time_limit - (time.monotonic() - start) - reserve)
            if options.time_limit > 0
            else 0,
            effort=parts.PART_EFFORT_PER_ACCOUNT * len(part.agency.accounts),
            seed=options.seed,
            workers=options.workers,
        )
        out = _search(part.agency, part.layout, sub_options, None, stop, True, whole=False)
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


#: Above this many candidate pairs the model is solved a window at a time (see lns.py).
LARGE = 120_000


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
    bound = lns.lower_bound(pb)

    def better(obj: int) -> None:
        if on_progress is not None:
            gap = (obj - bound) / obj if obj > 0 else 0.0
            on_progress(Progress(st, obj, bound, max(0.0, gap), time.monotonic() - start))

    sol, last, stopped = lns.improve(
        pb, hint, start + limit, seed=options.seed, stop=stop, on_better=better, effort=options.effort or 60.0
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
    )


def _stopper(solver: cp_model.CpSolver, stop: threading.Event | None) -> threading.Event:
    """A thread that stops the search when `stop` is set; set the returned event to end it."""
    done = threading.Event()
    if stop is None:
        return done

    def watch() -> None:
        while not done.wait(0.05):
            if stop.is_set():
                solver.stop_search()
                return

    threading.Thread(target=watch, name="structplan-stop", daemon=True).start()
    return done


# --------------------------------------------------------------------------- plan


def to_plan(agency: Agency, out: StructureOutcome, options: SolveOptions) -> Plan:
    """The plan file of a solved structure."""
    from structplan import checks

    pb, sol = out.problem, out.solution
    assert pb is not None and sol is not None
    lay = pb.layout
    units = pb.units
    hours = sol.hours(pb)
    coord = lay.effort.coordination_hours
    accounts_of: dict[int, set[str]] = {u.index: set() for u in units}
    account_plans = []
    for acc in pb.accounts:
        a = acc.index
        md = sol.mode[a]
        lead = sol.lead[a]
        accounts_of[lead].add(acc.account.id)
        coverage = []
        for p in acc.projects:
            manager = sol.manager[p]
            accounts_of[manager].add(acc.account.id)
            project = pb.projects[p].project
            coverage.append(Coverage(project.id, units[manager].id, pb.projects[p].hours, project_name=project.name))
        account_plans.append(
            AccountPlan(
                acc.account.id,
                md,
                units[lead].id,
                acc.relationship + (coord if md == SPLIT else 0),
                tuple(coverage),
                name=acc.account.name,
            )
        )
    mentor_of = {units[mentee].id: units[mentor].id for mentee, mentor in sol.mentor.items()}
    roles = {unit.id: unit.role.id for unit in units}
    levels = {unit.id: unit.level for unit in units}
    finished = []
    for ap in account_plans:
        raci = checks.raci(ap, lay, mentor_of.get(ap.lead), roles, levels)
        finished.append(attrs.evolve(ap, raci=raci, contact=checks.contact(ap, raci)))
    opened = sol.opened(pb)
    people = []
    for unit in units:
        if unit.is_hire and unit.index not in opened:
            continue
        util = round(hours[unit.index] / unit.capacity, 3) if unit.capacity else 0.0
        people.append(
            PersonPlan(
                unit.id,
                unit.role.id,
                hours[unit.index],
                unit.capacity,
                util,
                tuple(sorted(accounts_of[unit.index])),
                name=unit.name,
            )
        )
    hires = tuple(
        Hire(unit.id, unit.option.id, unit.name, unit.discipline, unit.level, unit.cost)
        for unit in (units[unit_index] for unit_index in sorted(opened))
        if unit.option is not None  # opened holds hire slots only
    )
    staff_cost = sum(p.cost for p in agency.people)
    hire_cost = sum(h.cost for h in hires)
    coordination = sum(pb.coordination_cost for md in sol.mode.values() if md == SPLIT)
    tradeoffs = tuple(sorted((k, out.terms[k]) for k in TRADEOFFS if out.terms.get(k)))
    cost = Cost(
        staff=staff_cost,
        hires=hire_cost,
        coordination=coordination,
        tradeoffs=tradeoffs,
        total=staff_cost + hire_cost + coordination + sum(v for _, v in tradeoffs),
        penalties=tuple((k, out.terms[k]) for k in PENALTIES if out.terms.get(k)),
    )
    headcount = Counter(p.role for p in people if p.hours > 0)
    floor = agency.policy.surplus_utilization
    by_id = {p.id: p for p in people}
    surplus = tuple(
        Surplus(person.id, person.role, by_id[person.id].utilization if person.id in by_id else 0.0, person.cost)
        for person in agency.people
        if person.id not in by_id or by_id[person.id].hours == 0 or by_id[person.id].utilization < floor
    )
    discipline = {unit.id: unit.discipline for unit in units}
    hours_of: Counter[str] = Counter()
    working: Counter[str] = Counter()
    for pp in people:
        hours_of[discipline[pp.id]] += pp.hours
        working[discipline[pp.id]] += pp.hours > 0
    per_fte = agency.agency.hours_per_fte * agency.policy.target_utilization
    on_staff = Counter(p.role for p in agency.people)
    hired = Counter(h.role for h in hires)
    staffing = tuple(
        Staffing(
            role, on_staff[role], hired[role], working[role], round(hours_of[role] / per_fte, 1) if per_fte else 0.0
        )
        for role in sorted(set(on_staff) | set(hired))
    )
    plan = Plan(
        agency=agency.agency.name,
        structure=out.structure,
        layout=lay.id,
        currency=agency.agency.currency,
        solver=SolverInfo(
            out.status,
            out.objective,
            out.bound,
            out.gap,
            options.seed,
            options.workers,
            options.time_limit,
            options.effort,
            out.stopped,
        ),
        cost=cost,
        headcount=tuple(sorted(headcount.items())),
        accounts=tuple(finished),
        people=tuple(people),
        mentoring=tuple(MentoringPair(units[v].id, units[u].id) for u, v in sorted(sol.mentor.items())),
        hires=hires,
        surplus=surplus,
        staffing=staffing,
        run=(  # sorted by name, as the file keeps them
            ("deterministic_s", round(out.deterministic_s, 3)),
            ("first_plan_s", round(out.first_plan_s, 3)),
            ("wall_s", round(out.wall_s, 3)),
        ),
    )
    return attrs.evolve(plan, warnings=checks.pitfalls(plan, agency, lay))


def _result(agency: Agency, out: StructureOutcome, plan: Plan | None) -> StructureResult:
    if plan is None:
        return StructureResult(out.structure, out.status)
    active = [p for p in plan.people if p.hours > 0]
    mean = round(sum(p.utilization for p in active) / len(active), 3) if active else 0.0
    return StructureResult(
        out.structure, out.status, out.objective, plan.cost.total, len(plan.hires), mean, len(plan.warnings), out.gap
    )


def _money(amount: int, currency: str) -> str:
    return f"{amount:,} {currency}"


def _terms_in_words(deltas: list[tuple[str, int]], currency: str) -> str:
    return ", ".join(f"{_money(abs(v), currency)} of {TERM_WORDS.get(k, k)}" for k, v in deltas)


def _reason(best: StructureOutcome, plans: dict[str, Plan], outs: list[StructureOutcome]) -> str:
    """Why this structure, in words and money: what it pays, what each alternative would save
    and what it would cost instead; "cheapest" only where it is cheapest in cost."""
    plan = plans[best.structure]
    cur = plan.currency
    paid = sorted(((k, v) for k, v in best.terms.items() if v), key=lambda kv: (-kv[1], kv[0]))
    head = (
        f"{best.structure.capitalize()}: {_money(best.objective, cur)} a year on top of the "
        f"{_money(plan.cost.staff, cur)} payroll"
    )
    head += f" ({_terms_in_words(paid[:4], cur)})" if paid else " (nothing beyond the payroll)"
    parts = [head]
    if best.gap > 0.01:
        parts.append(f"this figure is not proven optimal (gap {best.gap:.1%})")
    if best.stopped == "clock":
        parts.append("the search was stopped by the clock before its effort was spent: a rerun may differ")
    compared = [o for o in outs if o.structure != best.structure]
    if not compared:
        return "; ".join(parts) + "."
    solved = [o for o in compared if o.structure in plans]
    cheaper = [o for o in solved if plans[o.structure].cost.total < plan.cost.total]
    if not cheaper and solved:
        parts[0] = f"{best.structure.capitalize()} is the cheapest structure compared. " + parts[0]
    elif solved:
        parts[0] = f"{best.structure.capitalize()} has the lowest cost with its penalties. " + parts[0]
    said: dict[tuple[int, tuple[tuple[str, int], ...]], int] = {}  # same figures: one sentence
    for o in compared:
        if o.structure not in plans:
            if o.status == "not_tried":
                parts.append(f"{o.structure} was not tried: {NOT_TRIED.get(o.stopped, NOT_TRIED['user'])}")
            elif o.status == "unknown" and o.stopped in UNPROVEN:
                parts.append(f"{o.structure} has no plan ({o.status}): {UNPROVEN[o.stopped]}")
            else:
                parts.append(f"{o.structure} has no plan ({o.status})")
            continue
        figures = (o.objective, tuple(sorted((k, v) for k, v in o.terms.items() if v)))
        if figures in said:
            where = said[figures]
            parts[where] = parts[where].replace(" would cost", f" and {o.structure} would each cost", 1)
            parts[where] = parts[where].replace(": it would", ": they would", 1)
            parts[where] = parts[where].replace(" ties", f" and {o.structure} tie", 1)
            continue
        said[figures] = len(parts)
        deltas = [(k, o.terms.get(k, 0) - best.terms.get(k, 0)) for k in sorted(set(o.terms) | set(best.terms))]
        saves = sorted(((k, v) for k, v in deltas if v < 0), key=lambda kv: (kv[1], kv[0]))
        costs = sorted(((k, v) for k, v in deltas if v > 0), key=lambda kv: (-kv[1], kv[0]))
        diff = o.objective - best.objective
        text = f"{o.structure} would cost {_money(diff, cur)} more a year" if diff else f"{o.structure} ties"
        if saves:
            text += f": it would save {_terms_in_words(saves, cur)}"
        if costs:
            text += f"{' but pay' if saves else ': it would pay'} {_terms_in_words(costs, cur)} more"
        if o.gap > 0.01:
            text += f" (its figure is not proven: gap {o.gap:.1%})"
        parts.append(text)
    hires = len(plan.hires)
    n = len(plan.warnings)
    parts.append(f"{hires} hire{'s' if hires != 1 else ''}, {n} warning{'s' if n != 1 else ''}")
    return "; ".join(parts) + "."


def _not_tried(structure: str, stopped: str) -> StructureOutcome:
    """A structure the run never searched: neither a plan nor a proof."""
    return StructureOutcome(
        structure,
        "not_tried",
        explanation=(f"{structure}: not tried: {NOT_TRIED[stopped]}",),
        stopped=stopped,
    )


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
    plans: dict[str, Plan] = {}
    order = sorted(chosen, key=lambda s: STRUCTURES.index(s) if s in STRUCTURES else 9)
    start = time.monotonic()
    for n, st in enumerate(order):
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
            # what is left of the clock, less a reserve for each structure still to come: a
            # structure that needs longer may take what a quicker one before it left over
            reserve = options.time_limit / (2 * len(order))
            share = attrs.evolve(options, time_limit=max(0.5, left - reserve * (len(order) - n - 1)))
        out = solve_structure(agency, layout, share, on_progress, stop, earlier=outs)
        outs.append(out)
        if out.solution is not None:
            plans[st] = to_plan(agency, out, options)
    cancelled = stop is not None and stop.is_set()
    solved = [o for o in outs if o.structure in plans]
    statuses = tuple((o.structure, o.status) for o in outs)
    if not solved:
        lines = [line for o in outs for line in o.explanation] or ["no structure was solved"]
        return Outcome(None, tuple(lines), cancelled, statuses)
    best = min(solved, key=lambda o: (o.objective, STRUCTURES.index(o.structure) if o.structure in STRUCTURES else 9))
    comparison = tuple(_result(agency, o, plans.get(o.structure)) for o in outs)
    plan = attrs.evolve(plans[best.structure], comparison=comparison, reason=_reason(best, plans, outs))
    return Outcome(plan, (), cancelled, statuses)
