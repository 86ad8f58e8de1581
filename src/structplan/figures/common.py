"""Who is who in a plan, the objective's parts recomputed, and the helpers the checks share."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import attrs

from structplan.model import (
    E2E,
    GENERALISTS,
    SPLIT,
    TERM_WORDS,
    Agency,
    Layout,
    Plan,
)

#: Accounts of this tier or more strategic, and projects of this complexity or more, pay for
#: seniority below the most senior level that may do the work (docs/rules.md).
SENIOR_TIER = 1
SENIOR_COMPLEXITY = 4
#: Statuses of a plan, and of a comparison row.
PLAN_STATUSES = ("optimal", "feasible", "hand", "unknown")
ROW_STATUSES = ("optimal", "feasible", "infeasible", "unknown", "not_tried")
#: Statuses of a comparison row without a plan (its figures are 0).
NO_PLAN = ("infeasible", "unknown", "not_tried")
STOPPED = ("proof", "effort", "clock", "user", "")
RUN_KEYS = ("deterministic_s", "first_plan_s", "wall_s")
#: A gap above this is said in the reason ("not proven optimal").
GAP_SAID = 0.01

Found = list[str]


# --------------------------------------------------------------------------- who is who


@attrs.frozen
class Unit:
    """Someone who takes work under the layout: a person on staff or a hire of the plan."""

    id: str
    discipline: str
    role: str
    family: str
    level: int
    capacity: int
    lines: frozenset[str]
    is_hire: bool = False


def units(plan: Plan, agency: Agency, layout: Layout) -> dict[str, Unit]:
    """Everyone on staff whose discipline has a layout role, then the plan's hires (by option)."""
    hpf = agency.agency.hours_per_fte
    out: dict[str, Unit] = {}
    for p in agency.people:
        role = layout.role_for(p.role)
        if role is not None:
            out[p.id] = Unit(
                p.id, p.role, role.id, role.family, p.level, round(hpf * p.fte), frozenset(p.service_lines)
            )
    options = {h.id: h for h in agency.hiring}
    for h in plan.hires:
        opt = options.get(h.option)
        role = layout.role_for(opt.role) if opt is not None else None
        if opt is None or role is None or h.id in out:
            continue
        out[h.id] = Unit(
            h.id, opt.role, role.id, role.family, opt.level, round(hpf * opt.fte), frozenset(opt.service_lines), True
        )
    return out


def hourly_rate(agency: Agency) -> int:
    """The blended hourly rate: yearly payroll / people / hours_per_fte, to the nearest unit."""
    if not agency.people:
        return 0
    return round(sum(p.cost for p in agency.people) / len(agency.people) / agency.agency.hours_per_fte)


def work_hours(plan: Plan, layout: Layout) -> Counter[str]:
    """Each person's planned hours: lead hours, coverage hours, hours_per_mentee per mentee."""
    hours: Counter[str] = Counter()
    for ap in plan.accounts:
        hours[ap.lead] += ap.lead_hours
        for c in ap.coverage:
            hours[c.person] += c.hours
    for m in plan.mentoring:
        hours[m.mentor] += layout.mentoring.hours_per_mentee
    return hours


def utilization(hours: int, capacity: int) -> float:
    """hours / capacity to three decimals (0 without capacity)."""
    return round(hours / capacity, 3) if capacity else 0.0


# --------------------------------------------------------------------------- the objective's parts


def _can_lead(u: Unit, layout: Layout, account, mode: str) -> bool:
    role = layout.role(u.role)
    if role is None or mode not in role.leads or u.level < layout.lead_level(account, mode):
        return False
    top = max((p.complexity for p in account.projects), default=1) if mode == E2E else 0
    return top <= role.max_complexity


def _can_manage(u: Unit, layout: Layout, project, mode: str) -> bool:
    role = layout.role(u.role)
    if role is None or mode not in role.covers or u.level < layout.project_level(project):
        return False
    if project.complexity > role.max_complexity:
        return False
    return not u.lines or not project.service_line or project.service_line in u.lines


def terms(plan: Plan, agency: Agency, layout: Layout) -> dict[str, int]:
    """Every part of the objective, by label, recomputed from the plan's staffing."""
    staff = units(attrs.evolve(plan, hires=()), agency, layout)
    mine = units(plan, agency, layout)
    # everyone who could take work: the staff and one slot of every hiring option that may be opened
    able = list(staff.values())
    hpf = agency.agency.hours_per_fte
    for opt in agency.hiring:
        role = layout.role_for(opt.role)
        if role is not None and opt.max > 0:
            able.append(
                Unit(
                    opt.id,
                    opt.role,
                    role.id,
                    role.family,
                    opt.level,
                    round(hpf * opt.fte),
                    frozenset(opt.service_lines),
                    True,
                )
            )
    rate = hourly_rate(agency)
    w = agency.policy.weights
    fr = layout.friction
    costs = layout.costs
    accounts = {a.id: a for a in agency.accounts}
    options = {h.id: h for h in agency.hiring}
    out = dict.fromkeys(TERM_WORDS, 0)
    out["hires"] = sum(options[h.option].cost if h.option in options else h.cost for h in plan.hires)
    modes = [ap.mode for ap in plan.accounts]
    out["coordination"] = layout.effort.coordination_hours * rate * modes.count(SPLIT)
    if SPLIT in modes:
        out["department_head"] = costs.department_head_hours * rate
    led = Counter(ap.lead for ap in plan.accounts if ap.mode == E2E)
    out["junior_support"] = sum(
        costs.junior_support_hours * rate * max(0, n - costs.accounts_without_support) for n in led.values()
    )
    out["mentoring"] = layout.mentoring.hours_per_mentee * rate * len(plan.mentoring)
    if SPLIT in layout.modes and E2E in layout.modes and E2E in modes:
        out["clarity"] = costs.clarity_hours * rate * len(agency.accounts)
    per_mille = w.seniority
    for ap in plan.accounts:
        acc = accounts.get(ap.id)
        if acc is None:
            continue
        lead = mine.get(ap.lead)
        if acc.tier <= SENIOR_TIER and lead is not None:
            top = max((u.level for u in able if _can_lead(u, layout, acc, ap.mode)), default=0)
            out["seniority"] += acc.fee * per_mille // 1000 * max(0, top - lead.level)
        projects = {p.id: p for p in acc.projects}
        work = sum(layout.project_hours(p) for p in acc.projects) or 1
        for c in ap.coverage:
            pr = projects.get(c.project)
            who = mine.get(c.person)
            if pr is None or who is None:
                continue
            if ap.mode == E2E and who.family in GENERALISTS:
                out["generalist_execution"] += costs.generalist_execution_hours[pr.complexity - 1] * rate
            if pr.complexity >= SENIOR_COMPLEXITY:
                weight = acc.fee * per_mille * layout.project_hours(pr) // (1000 * work)
                top = max(
                    (
                        u.level
                        for u in able
                        if _can_manage(u, layout, pr, ap.mode) or (ap.mode == E2E and _can_lead(u, layout, acc, E2E))
                    ),
                    default=0,
                )
                out["seniority"] += weight * max(0, top - who.level)
            if ap.mode == E2E and c.person == ap.lead and pr.complexity >= fr.lead_execution_complexity:
                out["friction"] += w.friction
        if acc.lead is not None and (acc.lead not in staff or ap.lead != acc.lead):
            out["continuity"] += w.continuity
        if lead is not None and fr.pm_on_strategy(lead.discipline, acc.tier):
            out["friction"] += w.friction
        others = {c.person for c in ap.coverage} - {ap.lead}
        out["voices"] += w.voices * max(0, len(others) - 1)
    hours = work_hours(plan, layout)
    pol = agency.policy
    target_pct = round(pol.target_utilization * 100)
    worst = 0
    for u in mine.values():
        target = math.floor(u.capacity * pol.target_utilization + 1e-9)
        out["overload"] += w.overload * max(0, hours[u.id] - target)
        if u.capacity:
            worst = max(worst, -(-100 * hours[u.id] // u.capacity) - target_pct)
    out["imbalance"] = w.imbalance * max(0, worst)
    return out


# --------------------------------------------------------------------------- helpers


def _money(n: int) -> str:
    return f"{n:,}"


def _ids(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _off(a: float, b: float, tol: float) -> bool:
    """Whether a stated number differs from the recomputed one (or is not a number at all)."""
    return not math.isfinite(a) or abs(a - b) > tol


def _finite(out: Found, path: str, value: float) -> bool:
    if not math.isfinite(value):
        out.append(f"{path}: {value} is not a number of the plan")
        return False
    return True


def stated_terms(plan: Plan) -> dict[str, int]:
    """The objective's parts as the plan states them."""
    out = {"hires": plan.cost.hires, "coordination": plan.cost.coordination}
    out.update(dict(plan.cost.tradeoffs))
    out.update(dict(plan.cost.penalties))
    return out
