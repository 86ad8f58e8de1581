"""The plan file of a solved structure, and the reason that compares it with the others."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import attrs

from structplan.model import (
    NOT_TRIED,
    PENALTIES,
    SPLIT,
    TERM_WORDS,
    TRADEOFFS,
    UNPROVEN,
    AccountPlan,
    Agency,
    Cost,
    Coverage,
    Hire,
    MentoringPair,
    PersonPlan,
    Plan,
    SolverInfo,
    Staffing,
    StructureResult,
    Surplus,
)
from structplan.solver.api import SolveOptions

if TYPE_CHECKING:
    from structplan.solver.engine import StructureOutcome


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


def structure_result(agency: Agency, out: StructureOutcome, plan: Plan | None) -> StructureResult:
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


def plan_reason(best: StructureOutcome, plans: dict[str, Plan], outs: list[StructureOutcome]) -> str:
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
