"""The checks of every figure a plan states but its reason (reason.py)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterator, Sequence
from typing import Any

import attrs

from structplan.figures.common import (
    NO_PLAN,
    PLAN_STATUSES,
    ROW_STATUSES,
    RUN_KEYS,
    STOPPED,
    Found,
    Unit,
    _finite,
    _ids,
    _money,
    _off,
    hourly_rate,
    stated_terms,
    terms,
    units,
    utilization,
    work_hours,
)
from structplan.figures.reason import reason_problems
from structplan.model import (
    PENALTIES,
    SPLIT,
    STRUCTURES,
    TRADEOFFS,
    WARNING_KINDS,
    AccountPlan,
    Agency,
    Layout,
    Plan,
    Raci,
)


def problems(plan: Plan, agency: Agency, layout: Layout, broken: frozenset[int] = frozenset()) -> Found:
    """Every figure of the plan that is not what its staffing gives, one line each.

    `broken` holds the positions of accounts whose staffing breaks a rule: their RACI rows and
    contact sheet follow from a staffing that is not allowed, so they are not compared."""
    out: Found = []
    out += _header(plan, agency)
    out += _people(plan, agency, layout)
    out += _names(plan, agency)
    out += _raci_and_contact(plan, agency, layout, broken)
    out += _hires(plan, agency)
    out += _cost(plan, agency, layout)
    out += _solver(plan)
    out += _headcount(plan, agency, layout)
    out += _staffing(plan, agency, layout)
    out += _surplus(plan, agency, layout)
    out += _comparison(plan)
    out += _warnings(plan, agency, layout)
    out += _run(plan)
    out += reason_problems(plan)
    return out


def _header(plan: Plan, agency: Agency) -> Found:
    out: Found = []
    if plan.agency != agency.agency.name:
        out.append(f"plan.agency: {plan.agency!r}, the agency file is {agency.agency.name!r}")
    if plan.currency != agency.agency.currency:
        out.append(f"plan.currency: {plan.currency!r}, the agency's currency is {agency.agency.currency!r}")
    return out


def _names(plan: Plan, agency: Agency) -> Found:
    """Names a plan carries for reports are the agency file's (an older plan may carry none)."""
    out: Found = []
    accounts = {a.id: a for a in agency.accounts}
    projects = {p.id: p.name for a in agency.accounts for p in a.projects}
    people = {p.id: p.name for p in agency.people} | {h.id: h.name for h in plan.hires}
    for i, ap in enumerate(plan.accounts):
        acc = accounts.get(ap.id)
        if ap.name and acc is not None and ap.name != acc.name:
            out.append(f"accounts[{i}].name: {ap.name!r}, the agency file calls {ap.id} {acc.name!r}")
        for j, c in enumerate(ap.coverage):
            want = projects.get(c.project)
            if c.project_name and want is not None and c.project_name != want:
                out.append(
                    f"accounts[{i}].coverage[{j}].project_name: {c.project_name!r}, "
                    f"the agency file calls {c.project} {want!r}"
                )
    for i, pp in enumerate(plan.people):
        want = people.get(pp.id)
        if pp.name and want is not None and pp.name != want:
            out.append(f"people[{i}].name: {pp.name!r}, {pp.id} is {want!r}")
    return out


def _people(plan: Plan, agency: Agency, layout: Layout) -> Found:
    out: Found = []
    mine = units(plan, agency, layout)
    on: dict[str, set[str]] = defaultdict(set)
    for ap in plan.accounts:
        on[ap.lead].add(ap.id)
        for c in ap.coverage:
            on[c.person].add(ap.id)
    listed = Counter(p.id for p in plan.people)
    for p in agency.people:
        if p.id in mine and listed[p.id] == 0:
            out.append(f"people: {p.id} ({p.role}) is on staff but not in the plan")
    for h in plan.hires:
        if listed[h.id] == 0:
            out.append(f"people: hire {h.id} is not in the plan's people")
    for i, pp in enumerate(plan.people):
        at = f"people[{i}]"
        u = mine.get(pp.id)
        if u is None:
            staff = agency.person(pp.id)
            why = (
                f"a {staff.role} takes no role in the {layout.id!r} layout"
                if staff is not None
                else "neither on staff nor a hire of the plan"
            )
            out.append(f"{at}.id: {pp.id!r} is {why}")
            continue
        if pp.role != u.role:
            out.append(f"{at}.role: {pp.role!r}, a {u.discipline} takes the role {u.role!r} in this layout")
        if pp.capacity != u.capacity:
            out.append(f"{at}.capacity: {pp.capacity} h, hours_per_fte x fte gives {u.capacity} h")
        if _finite(out, f"{at}.utilization", pp.utilization):
            want = utilization(pp.hours, pp.capacity)
            if _off(pp.utilization, want, 5e-4 + 1e-9):
                out.append(
                    f"{at}.utilization: {pp.utilization:g}, hours / capacity = {pp.hours} / {pp.capacity} = {want}"
                )
        want_accounts = tuple(sorted(on.get(pp.id, ())))
        if tuple(sorted(pp.accounts)) != want_accounts or len(set(pp.accounts)) != len(pp.accounts):
            out.append(f"{at}.accounts: {_ids(pp.accounts)}, {pp.id} leads or runs projects on {_ids(want_accounts)}")
    return out


def expected_raci(plan: Plan, agency: Agency, layout: Layout, ap: AccountPlan) -> tuple[Raci, ...]:
    """The RACI rows the account's staffing gives under the layout (docs/rules.md)."""
    from structplan.checks import raci

    mine = units(plan, agency, layout)
    mentor = next((m.mentor for m in plan.mentoring if m.mentee == ap.lead), None)
    return raci(ap, layout, mentor, {u.id: u.role for u in mine.values()}, {u.id: u.level for u in mine.values()})


#: More rows of one account whose R, C or I lists are wrong than this are said in one line.
MANY_ROWS = 3


def _rows_once(
    rows: Sequence[Any], table: str, key: str, allowed: Container[str], unknown: str, seen: set[str], out: Found
) -> Iterator[tuple[str, Any]]:
    """The rows of a table with their key path, each `key` value once: a value not `allowed`
    (`unknown` says why) and a second row for a value are said in `out` and passed over; the
    values met go into `seen`."""
    for j, row in enumerate(rows):
        at = f"{table}[{j}]"
        value = getattr(row, key)
        if value not in allowed:
            out.append(f"{at}.{key}: {value!r} {unknown}")
        elif value in seen:
            out.append(f"{at}.{key}: a second row for {value!r}")
        else:
            seen.add(value)
            yield at, row


def _raci_and_contact(plan: Plan, agency: Agency, layout: Layout, broken: frozenset[int]) -> Found:
    from structplan.checks import contact

    out: Found = []
    mine = units(plan, agency, layout)
    for i, ap in enumerate(plan.accounts):
        at = f"accounts[{i}]"
        if i in broken or ap.mode not in layout.modes:
            continue  # checks.violations says what is wrong with the staffing itself
        if any(p not in mine for p in (ap.lead, *(c.person for c in ap.coverage))):
            continue
        want = {r.duty: r for r in expected_raci(plan, agency, layout, ap)}
        seen: set[str] = set()
        lists: Found = []
        unknown = f"is not a duty of {ap.mode} accounts in the {layout.id!r} layout"
        for rat, row in _rows_once(ap.raci, f"{at}.raci", "duty", want, unknown, seen, out):
            exp = want[row.duty]
            if not row.accountable:
                out.append(
                    f"{rat}.accountable: is empty: nobody is accountable for {row.duty}"
                    + (f" (the rule makes it {exp.accountable})" if exp.accountable else "")
                )
            elif row.accountable != exp.accountable:
                if not exp.accountable:
                    why = "nobody on the account holds the accountable role"
                elif exp.accountable == ap.lead:
                    why = f"the rule makes it the lead, {exp.accountable}"
                else:
                    u = mine.get(exp.accountable)
                    role = layout.role(u.role) if u is not None else None
                    name = role.name if role is not None else "holder of the role"
                    why = f"the rule makes it the account's most senior {name}, {exp.accountable}"
                out.append(f"{rat}.accountable: {row.accountable!r} is accountable for {row.duty}; {why}")
            for field in ("responsible", "consulted", "informed"):
                have, should = getattr(row, field), getattr(exp, field)
                if tuple(sorted(have)) != should or len(set(have)) != len(have):
                    lists.append(f"{rat}.{field}: {_ids(have)}, the layout's roles on this account give {_ids(should)}")
        if len(lists) > MANY_ROWS:
            out.append(f"{at}.raci: {len(lists)} responsible, consulted or informed lists are wrong; first {lists[0]}")
        else:
            out += lists
        for duty in want:
            if duty not in seen:
                out.append(f"{at}.raci: no row for duty {duty!r}")
        sheet = contact(ap, tuple(want.values()))
        if ap.contact is None:
            out.append(
                f"{at}.contact: missing; the client calls {sheet.strategy} for strategy and {sheet.updates} for updates"
            )
            continue
        if ap.contact.strategy != sheet.strategy:
            out.append(
                f"{at}.contact.strategy: {ap.contact.strategy!r}, the RACI makes {sheet.strategy} "
                "accountable for relationship"
            )
        if ap.contact.updates != sheet.updates:
            out.append(
                f"{at}.contact.updates: {ap.contact.updates!r}, the RACI makes {sheet.updates} "
                "accountable for status_updates"
            )
    return out


def _hires(plan: Plan, agency: Agency) -> Found:
    out: Found = []
    options = {h.id: h for h in agency.hiring}
    seen: dict[str, int] = {}
    for i, h in enumerate(plan.hires):
        at = f"hires[{i}]"
        if h.id in seen:
            out.append(f"{at}.id: {h.id!r} is hired twice (also hires[{seen[h.id]}])")
            continue
        seen[h.id] = i
        opt = options.get(h.option)
        if opt is None:
            continue  # checks.violations: the option is not in the agency file
        m = re.fullmatch(re.escape(opt.id) + r"-([1-9]\d*)", h.id)
        if m is None or int(m.group(1)) > opt.max:
            out.append(f"{at}.id: {h.id!r} is not {opt.id}-N with N in 1..{opt.max}")
        else:
            name = f"{opt.name} (hire {m.group(1)})"
            if h.name != name:
                out.append(f"{at}.name: {h.name!r}, hire {m.group(1)} of {opt.id} is {name!r}")
        if h.role != opt.role:
            out.append(f"{at}.role: {h.role!r}, hiring option {opt.id} is {opt.role!r}")
        if h.level != opt.level:
            out.append(f"{at}.level: {h.level}, hiring option {opt.id} is level {opt.level}")
        if h.cost != opt.cost:
            out.append(f"{at}.cost: {_money(h.cost)}, hiring option {opt.id} costs {_money(opt.cost)}")
    return out


def _labelled(
    out: Found, path: str, stated: tuple[tuple[str, int], ...], want: dict[str, int], labels: tuple[str, ...]
) -> None:
    have = dict(stated)
    for name, value in stated:
        if name not in labels:
            out.append(f"{path}.{name}: not a label of {path} (one of: {', '.join(labels)})")
        elif value != want[name]:
            out.append(f"{path}.{name}: {_money(value)}, the plan's staffing gives {_money(want[name])}")
        elif value == 0:
            out.append(f"{path}.{name}: 0; a label the plan pays nothing for is left out")
    for name in labels:
        if want[name] and name not in have:
            out.append(f"{path}.{name}: missing; the plan's staffing pays {_money(want[name])}")


def _cost(plan: Plan, agency: Agency, layout: Layout) -> Found:
    out: Found = []
    want = terms(plan, agency, layout)
    c = plan.cost
    if c.coordination != want["coordination"]:
        n = sum(1 for ap in plan.accounts if ap.mode == SPLIT)
        out.append(
            f"cost.coordination: {_money(c.coordination)}, {n} split accounts x "
            f"{layout.effort.coordination_hours} h x {hourly_rate(agency)} an hour give {_money(want['coordination'])}"
        )
    _labelled(out, "cost.tradeoffs", c.tradeoffs, want, TRADEOFFS)
    _labelled(out, "cost.penalties", c.penalties, want, PENALTIES)
    return out


def _solver(plan: Plan) -> Found:
    out: Found = []
    s = plan.solver
    parts = stated_terms(plan)
    total = sum(parts.values())
    if s.objective != total:
        out.append(
            f"solver.objective: {_money(s.objective)}, hires + coordination + trade-offs + penalties = {_money(total)}"
        )
    if s.status not in PLAN_STATUSES:
        out.append(f"solver.status: {s.status!r} is not the status of a plan (one of: {', '.join(PLAN_STATUSES)})")
    if s.stopped not in STOPPED:
        out.append(f"solver.stopped: {s.stopped!r} is not one of: {', '.join(x for x in STOPPED if x)}")
    solved = s.status in ("optimal", "feasible")
    if solved:
        if s.bound > s.objective:
            out.append(f"solver.bound: {_money(s.bound)} is above the objective {_money(s.objective)}")
        if _finite(out, "solver.gap", s.gap):
            want = round(max(0.0, (s.objective - s.bound) / s.objective), 4) if s.objective > 0 else 0.0
            if _off(s.gap, want, 5e-5 + 1e-9):
                out.append(f"solver.gap: {s.gap}, (objective - bound) / objective = {want}")
        if not s.stopped:
            out.append(f"solver.stopped: empty; a {s.status} plan says what ended its search")
    if s.status == "optimal":
        if s.objective != s.bound:
            out.append(
                f"solver.status: 'optimal' but the objective {_money(s.objective)} is not the bound {_money(s.bound)}"
            )
        if s.stopped and s.stopped != "proof":
            out.append(f"solver.stopped: {s.stopped!r}, an optimal plan's search ends on its proof")
    elif s.status == "feasible" and s.stopped == "proof":
        out.append("solver.status: 'feasible' but solver.stopped is 'proof': a search that ends on a proof is optimal")
    if not -(2**31) <= s.seed < 2**31:
        out.append(f"solver.seed: {s.seed} is not a seed a search takes (-2147483648..2147483647)")
    if s.workers < 1:
        out.append(f"solver.workers: {s.workers}; a search has at least 1 worker")
    for name in ("time_limit", "effort"):
        value = getattr(s, name)
        if _finite(out, f"solver.{name}", value) and value < 0:
            out.append(f"solver.{name}: {value} is negative")
    if s.stopped == "effort" and not s.effort > 0:
        out.append(f"solver.effort: {s.effort} but solver.stopped is 'effort': the run had an effort budget")
    if s.stopped == "clock" and not s.time_limit > 0:
        out.append(f"solver.time_limit: {s.time_limit} but solver.stopped is 'clock': the run had a time limit")
    c = plan.cost
    want_total = c.staff + c.hires + c.coordination + sum(v for _, v in c.tradeoffs)
    if c.total != want_total:
        out.append(f"cost.total: {_money(c.total)}, staff + hires + coordination + trade-offs = {_money(want_total)}")
    return out


def _busy(plan: Plan, agency: Agency, layout: Layout) -> tuple[dict[str, Unit], Counter[str]]:
    """The plan's units and their recomputed hours."""
    return units(plan, agency, layout), work_hours(plan, layout)


def _headcount(plan: Plan, agency: Agency, layout: Layout) -> Found:
    out: Found = []
    mine, hours = _busy(plan, agency, layout)
    want = Counter(u.role for u in mine.values() if hours[u.id] > 0)
    have = dict(plan.headcount)
    for role, n in plan.headcount:
        if role not in want:
            out.append(f"headcount.{role}: {n}, nobody in the role {role!r} has work in the plan")
        elif n != want[role]:
            out.append(f"headcount.{role}: {n}, {want[role]} people and hires in that role have work")
    for role in sorted(want):
        if role not in have:
            out.append(f"headcount.{role}: missing; {want[role]} people and hires in that role have work")
    return out


def _staffing(plan: Plan, agency: Agency, layout: Layout) -> Found:
    out: Found = []
    mine, hours = _busy(plan, agency, layout)
    on_staff = Counter(p.role for p in agency.people)
    hired = Counter(u.discipline for u in mine.values() if u.is_hire)
    with_work = Counter(u.discipline for u in mine.values() if hours[u.id] > 0)
    planned: Counter[str] = Counter()
    for u in mine.values():
        planned[u.discipline] += hours[u.id]
    per_fte = agency.agency.hours_per_fte * agency.policy.target_utilization
    disciplines = set(on_staff) | set(hired)
    seen: set[str] = set()
    unstaffed = "is a discipline of nobody on staff or hired"
    for at, row in _rows_once(plan.staffing, "staffing", "role", disciplines, unstaffed, seen, out):
        if row.on_staff != on_staff[row.role]:
            out.append(f"{at}.on_staff: {row.on_staff}, the agency file has {on_staff[row.role]} {row.role}")
        if row.hired != hired[row.role]:
            out.append(f"{at}.hired: {row.hired}, the plan hires {hired[row.role]} {row.role}")
        if row.with_work != with_work[row.role]:
            out.append(f"{at}.with_work: {row.with_work}, {with_work[row.role]} {row.role} have hours in the plan")
        want = round(planned[row.role] / per_fte, 1) if per_fte else 0.0
        if _finite(out, f"{at}.needed", row.needed) and _off(row.needed, want, 1e-6):
            out.append(
                f"{at}.needed: {row.needed:g}, {planned[row.role]} h / ({agency.agency.hours_per_fte} x "
                f"{agency.policy.target_utilization}) = {want}"
            )
    for role in sorted(disciplines - seen):
        out.append(f"staffing: no row for {role}")
    return out


def _surplus(plan: Plan, agency: Agency, layout: Layout) -> Found:
    out: Found = []
    mine, hours = _busy(plan, agency, layout)
    floor = agency.policy.surplus_utilization
    want = {}
    for p in agency.people:
        u = mine.get(p.id)
        util = utilization(hours[p.id], u.capacity) if u is not None else 0.0
        if u is None or hours[p.id] == 0 or util < floor:
            want[p.id] = (p.role, util, p.cost)
    seen: set[str] = set()
    for i, row in enumerate(plan.surplus):
        at = f"surplus[{i}]"
        if row.person in seen:
            out.append(f"{at}.person: {row.person} is listed twice")
            continue
        seen.add(row.person)
        if row.person not in want:
            staff = agency.person(row.person)
            why = (
                "is not on staff"
                if staff is None
                else f"is planned at {utilization(hours[row.person], mine[row.person].capacity):.3f}, "
                f"not below the surplus floor {floor}"
            )
            out.append(f"{at}.person: {row.person} {why}")
            continue
        role, util, cost = want[row.person]
        if row.role != role:
            out.append(f"{at}.role: {row.role!r}, {row.person} is {role!r} in the agency file")
        if _finite(out, f"{at}.utilization", row.utilization) and _off(row.utilization, util, 5e-4 + 1e-9):
            out.append(f"{at}.utilization: {row.utilization:g}, {row.person} is planned at {util}")
        if row.cost != cost:
            out.append(f"{at}.cost: {_money(row.cost)}, {row.person} costs {_money(cost)} in the agency file")
    for pid in sorted(set(want) - seen):
        role, util, _ = want[pid]
        out.append(f"surplus: no row for {pid} ({role}), planned at {util}, below the floor {floor}")
    return out


def _comparison(plan: Plan) -> Found:
    out: Found = []
    s = plan.solver
    rows = plan.comparison
    seen: dict[str, int] = {}
    active = [p for p in plan.people if p.hours > 0]
    mean = round(sum(p.utilization for p in active) / len(active), 3) if active else 0.0
    for i, row in enumerate(rows):
        at = f"comparison[{i}]"
        if row.structure not in STRUCTURES:
            out.append(f"{at}.structure: {row.structure!r} is not a structure (one of: {', '.join(STRUCTURES)})")
            continue
        if row.structure in seen:
            out.append(f"{at}.structure: {row.structure} is compared twice (also comparison[{seen[row.structure]}])")
            continue
        seen[row.structure] = i
        if row.status not in ROW_STATUSES:
            out.append(f"{at}.status: {row.status!r} is not one of: {', '.join(ROW_STATUSES)}")
        for name in ("utilization", "gap"):
            value = getattr(row, name)
            if _finite(out, f"{at}.{name}", value) and not 0 <= value <= 1:
                out.append(f"{at}.{name}: {value} is outside 0..1")
        if row.structure == plan.structure:
            mine = {
                "status": (row.status, s.status),
                "objective": (row.objective, s.objective),
                "cost": (row.cost, plan.cost.total),
                "hires": (row.hires, len(plan.hires)),
                "warnings": (row.warnings, len(plan.warnings)),
            }
            where = {
                "status": "solver.status",
                "objective": "solver.objective",
                "cost": "cost.total",
                "hires": "the number of [[hires]]",
                "warnings": "the number of [[warnings]]",
            }
            for name, (have, want) in mine.items():
                if have != want:
                    out.append(f"{at}.{name}: {have!r} for the plan's own structure, {where[name]} is {want!r}")
            if math.isfinite(row.utilization) and _off(row.utilization, mean, 5e-4 + 1e-9):
                out.append(
                    f"{at}.utilization: {row.utilization:g}, the mean utilization of the people with work is {mean}"
                )
            if math.isfinite(row.gap) and _off(row.gap, s.gap, 5e-5 + 1e-9):
                out.append(f"{at}.gap: {row.gap} for the plan's own structure, solver.gap is {s.gap}")
            continue
        if row.status in NO_PLAN:
            figures = {n: getattr(row, n) for n in ("objective", "cost", "hires", "utilization", "warnings", "gap")}
            for name, value in figures.items():
                if value != 0:
                    out.append(f"{at}.{name}: {value}, a structure without a plan ({row.status}) has 0")
            continue
        if row.status == "optimal" and row.gap != 0:
            out.append(f"{at}.gap: {row.gap} but the row is optimal (gap 0)")
        if row.objective < s.objective or (
            row.objective == s.objective
            and plan.structure in STRUCTURES
            and STRUCTURES.index(row.structure) < STRUCTURES.index(plan.structure)
        ):
            out.append(
                f"{at}.objective: {row.structure}'s {_money(row.objective)} would beat this plan's "
                f"{_money(s.objective)}; the best structure is the one kept"
            )
        staff = plan.cost.staff
        if not staff <= row.cost <= staff + row.objective:
            out.append(
                f"{at}.cost: {_money(row.cost)} is not between the payroll {_money(staff)} and the payroll plus "
                f"its objective {_money(staff + row.objective)}"
            )
        for name in ("hires", "warnings"):
            if getattr(row, name) < 0:
                out.append(f"{at}.{name}: {getattr(row, name)} is negative")
    if rows and plan.structure in STRUCTURES and plan.structure not in seen:
        out.append(f"comparison: no row for the plan's own structure, {plan.structure}")
    return out


def _warnings(plan: Plan, agency: Agency, layout: Layout) -> Found:
    from structplan.checks import pitfalls

    out: Found = []
    mine, hours = _busy(plan, agency, layout)
    # the pitfalls of the staffing, found with the RACI rows and hours it gives, not those it states
    fixed = attrs.evolve(
        plan,
        accounts=tuple(
            attrs.evolve(ap, raci=expected_raci(plan, agency, layout, ap)) if ap.mode in layout.modes else ap
            for ap in plan.accounts
        ),
        people=tuple(
            attrs.evolve(p, hours=hours[p.id], capacity=mine[p.id].capacity) if p.id in mine else p for p in plan.people
        ),
    )
    found = Counter((w.kind, w.account, w.person, w.message) for w in pitfalls(fixed, agency, layout))
    by_key = defaultdict(list)
    for key in found:
        by_key[key[:3]].append(key[3])
    left = Counter(found)
    unmatched = []
    for i, w in enumerate(plan.warnings):
        key = (w.kind, w.account, w.person, w.message)
        if w.kind not in WARNING_KINDS:
            out.append(f"warnings[{i}].kind: {w.kind!r} is not one of: {', '.join(WARNING_KINDS)}")
        elif left[key] > 0:
            left[key] -= 1
        else:
            unmatched.append((i, w))
    for i, w in unmatched:
        at = f"warnings[{i}]"
        near = [m for m in by_key.get((w.kind, w.account, w.person), []) if left[(w.kind, w.account, w.person, m)] > 0]
        if near:
            left[(w.kind, w.account, w.person, near[0])] -= 1
            out.append(f"{at}.message: {w.message!r}, the pitfall is {near[0]!r}")
        else:
            what = w.account or w.person or "the plan"
            out.append(f"{at}: the plan states a {w.kind} warning for {what} that its staffing does not have")
    for (kind, _account, _person, message), n in sorted(left.items()):
        for _ in range(n):
            out.append(f"warnings: not stated: {kind}: {message}")
    return out


def _run(plan: Plan) -> Found:
    out: Found = []
    for name, value in plan.run:
        if name not in RUN_KEYS:
            out.append(f"run.{name}: not a figure of [run] (one of: {', '.join(RUN_KEYS)})")
        elif _finite(out, f"run.{name}", value) and value < 0:
            out.append(f"run.{name}: {value} seconds is negative")
    return out
