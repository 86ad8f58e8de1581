"""Problem -> CP-SAT model. One model serves every structure; the layout shapes it.

Variables are keyed by tuples of indexes into the Problem and named after the domain, so a
model dump reads like the plan. Soft rules are collected as (expression, weight, label) and
minimized once, so the plan can say what it paid for.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable

import attrs
from ortools.sat.python import cp_model

from structplan.model import E2E, SPLIT
from structplan.solver.greedy import Solution, lead_penalties, lead_price, project_prices
from structplan.solver.prep import Problem


@attrs.define
class Model:
    """The CP-SAT model of one structure and its variables."""

    model: cp_model.CpModel
    mode: dict[tuple[int, str], cp_model.IntVar]
    lead: dict[tuple[int, int, str], cp_model.IntVar]
    manage: dict[tuple[int, int, str], cp_model.IntVar]
    self_manage: dict[tuple[int, int], cp_model.IntVar]
    mentor: dict[tuple[int, int], cp_model.IntVar]
    opened: dict[int, cp_model.IntVar]
    hours: dict[int, cp_model.LinearExpr]
    terms: dict[str, list[tuple[cp_model.LinearExprT, int]]]
    #: guards for explanations: literal index -> (literal, what it stands for); only when guarded
    guards: dict[int, tuple[cp_model.IntVar, str]] = attrs.field(factory=dict)

    def objective_expr(self) -> cp_model.LinearExprT:
        return sum(w * e for items in self.terms.values() for e, w in items)


def _const(model: cp_model.CpModel, value: int) -> cp_model.IntVar:
    return model.new_constant(value)


@attrs.frozen
class Fixed:
    """The rest of a plan, held fixed while a window of accounts is re-solved."""

    hours: list[int]
    """Hours every unit already has outside the window."""
    mentored: frozenset[int]
    """Units that already have a mentor (they lead end to end outside the window)."""
    mentees: dict[int, int]
    """Mentees each mentor already has."""
    led_end_to_end: dict[int, int]
    """End-to-end accounts each unit already leads outside the window."""
    opened: frozenset[int]
    """Hire slots already opened (their cost is paid)."""
    worst: int
    """Highest utilization above target among units outside the window, in points."""
    has_split: bool = False
    """Whether some account outside the window is split (the PM department is paid for)."""
    has_end_to_end: bool = False
    """Whether some account outside the window runs end to end (clarity is paid for)."""
    spare: dict[int, tuple[int, ...]] = attrs.field(factory=dict)
    """Hire slots nobody works in, each to the few of its kind that stand for all of them."""
    width: int = 0
    """At most this many staff candidates per need of the window, the cheapest for it and then
    the least loaded outside the window (0: all of them), besides the need's `holders`."""
    hire_width: int = 0
    """At most this many hire slots per need, the cheapest for it counting an unopened slot's
    cost (0: all of them)."""
    holders: dict[tuple[str, int, str], int] = attrs.field(factory=dict)
    """Who does each need of the window in the plan being improved: ("lead", account, mode) or
    ("pm", project, mode) to its unit; always kept among the need's candidates."""
    pick: Callable[[list[int], int, Callable[[int], int], int], list[int]] | None = None
    """Given every staff member eligible for a need (not only its pruned candidates), the hours
    it takes, its price per unit and the price of whoever does it now: the `width` cheapest with
    room for it that cost less, then the least loaded, offered beside the candidates of a need
    whose holder costs something for it (None: the candidates alone)."""
    making_room: bool = False
    """A window that closes the hire slots working in it: no slot that is not opened outside it
    is offered (so the slot's work must go to staff, and not to another slot of its kind), and
    every need is offered `pick`'s choice, work that costs nothing as it is done too (the least
    loaded of those who would do it for no more)."""


def build(
    pb: Problem,
    *,
    guarded: bool = False,
    objective: bool = True,
    window: list[int] | None = None,
    fixed: Fixed | None = None,
) -> Model:
    """The CP-SAT model of `pb`, or of a `window` of its accounts with the rest `fixed`.

    With `guarded`, each user-level fact (an account's demand, a person's capacity, a pin,
    the mentoring span) is enforced by its own literal so infeasibility can be explained;
    such a model has no objective.
    """
    m = cp_model.CpModel()
    lay = pb.layout
    units = pb.units
    pol = pb.agency.policy
    w = pol.weights
    coord = lay.effort.coordination_hours
    hpm = lay.mentoring.hours_per_mentee
    costs = lay.costs
    rate = pb.hourly_rate
    mixed = SPLIT in lay.modes and E2E in lay.modes
    priced = objective and not guarded
    guards: dict[int, tuple[cp_model.IntVar, str]] = {}

    def guard(words: str) -> cp_model.IntVar | None:
        if not guarded:
            return None
        lit = m.new_bool_var(f"guard[{len(guards)}]")
        guards[lit.index] = (lit, words)
        return lit

    mode: dict[tuple[int, str], cp_model.IntVar] = {}
    lead: dict[tuple[int, int, str], cp_model.IntVar] = {}
    manage: dict[tuple[int, int, str], cp_model.IntVar] = {}
    self_manage: dict[tuple[int, int], cp_model.IntVar] = {}
    load: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    terms: dict[str, list[tuple[cp_model.LinearExprT, int]]] = defaultdict(list)
    leads_e2e: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    splits: list[cp_model.IntVar] = []
    end_to_end_modes: list[cp_model.IntVar] = []

    base = fixed.hours if fixed is not None else [0] * len(units)
    mentor_roles = {unit.role.id for unit in units if unit.role.mentors}

    def room(
        cands: list[int],
        hours: int,
        need: tuple[str, int, str],
        price: Callable[[int], int],
        everyone: Callable[[], list[int]] | None,
    ) -> list[int]:
        """The candidates who could take `hours` beside the hours fixed outside the window (the
        others' variables could only be 0: a 40-account window of four copies of the large
        sample, merged, had 12,170 variables, 100 left after a presolve of 0.4 s), and of those
        the few a window looks at (`Fixed.width`, `Fixed.hire_width`)."""
        if fixed is None:
            return cands
        if fixed.spare:
            cands = sorted({v for u in cands for v in fixed.spare.get(u, (u,))})
        cands = [u for u in cands if base[u] + hours <= units[u].limit]
        if not (fixed.width or fixed.hire_width):
            return cands
        staff = [u for u in cands if not units[u].is_hire]
        hires = [u for u in cands if units[u].is_hire]
        if fixed.width and len(staff) > fixed.width:
            staff = sorted(staff, key=lambda u: (price(u), base[u] / max(1, units[u].limit), u))[: fixed.width]
        # work that costs something as it is done is offered besides who among everyone eligible
        # would cost less: pruning keeps about ten candidates of each need and three of the most
        # senior, who in a big agency may all be busy
        holder = fixed.holders.get(need)
        if fixed.pick is not None and everyone is not None and holder is not None:
            below = price(holder)
            if fixed.making_room:  # who would cost no more, or less than the slot and what it is paid
                below += 1 + (units[holder].cost if units[holder].is_hire else 0)
            if below > 0:
                staff += fixed.pick(everyone(), hours, price, below)
        if fixed.making_room:
            hires = [u for u in hires if u in fixed.opened]
        if fixed.hire_width and len(hires) > fixed.hire_width:
            hires = sorted(hires, key=lambda u: (price(u) + (0 if u in fixed.opened else units[u].cost), u))
            hires = hires[: fixed.hire_width]
        keep = {*staff, *hires}
        if holder is not None and holder in cands:
            keep.add(holder)
        return sorted(keep)

    for acc in pb.accounts if window is None else [pb.accounts[i] for i in window]:
        a = acc.index
        aid = acc.account.id
        g = guard(f"account:{a}")
        leads: dict[str, list[int]] = {}
        managers: dict[tuple[int, str], list[int]] = {}
        for md in acc.modes:
            mode[a, md] = m.new_bool_var(f"mode[{aid},{md}]")
        if not acc.modes:
            if g is not None:
                m.add_bool_or([g.Not()])
                continue
            m.add_bool_or([])  # no mode at all: infeasible (explained before building)
            continue
        ct = (
            m.add_exactly_one([mode[a, md] for md in acc.modes])
            if not guarded
            else m.add(sum(mode[a, md] for md in acc.modes) == 1)
        )
        if g is not None:
            ct.only_enforce_if(g)
        for md in acc.modes:
            cands = leads[md] = room(
                pb.lead_cands.get((a, md), []),
                acc.relationship + (coord if md == SPLIT else 0),
                ("lead", a, md),
                functools.partial(_lead_cost, pb, a, md),
                functools.partial(pb.elig.leads, acc, pb.projects, md) if pb.elig is not None else None,
            )
            lead_vars = []
            for unit_index in cands:
                var = m.new_bool_var(f"lead[{aid},{units[unit_index].id},{md}]")
                lead[a, unit_index, md] = var
                lead_vars.append(var)
                load[unit_index].append((var, acc.relationship + (coord if md == SPLIT else 0)))
                if md == E2E:
                    leads_e2e[unit_index].append(var)
                if priced and (senior := lead_price(pb, a, md, unit_index)):
                    terms["seniority"].append((var, senior))
            m.add(sum(lead_vars) == mode[a, md])
            # projects
            voices: dict[int, list[cp_model.IntVar]] = {}
            for p in acc.projects:
                pn = pb.projects[p]
                pid = pn.project.id
                mvs = []
                managers[p, md] = room(
                    pb.manage_cands.get((p, md), []),
                    pn.hours,
                    ("pm", p, md),
                    functools.partial(_manage_cost, pb, p, md),
                    functools.partial(pb.elig.managers, pn, md) if pb.elig is not None else None,
                )
                for unit_index in managers[p, md]:
                    var = m.new_bool_var(f"manage[{pid},{units[unit_index].id},{md}]")
                    manage[p, unit_index, md] = var
                    mvs.append(var)
                    load[unit_index].append((var, pn.hours))
                    if (a, unit_index, md) in lead:  # a lead runs its account's projects only as its own (end to end)
                        m.add_implication(lead[a, unit_index, md], var.Not())
                    if objective and not guarded and w.voices:
                        voices.setdefault(unit_index, []).append(var)
                    if priced:
                        _price_project(terms, pb, p, md, unit_index, var)
                if md == E2E:
                    for unit_index in cands:
                        if mvs:  # someone else could manage it: whether the lead does is a choice
                            var = m.new_bool_var(f"self[{pid},{units[unit_index].id}]")
                            m.add_implication(var, lead[a, unit_index, md])
                        else:  # nobody else may: the lead manages it whenever they lead
                            var = lead[a, unit_index, md]
                        self_manage[p, unit_index] = var
                        load[unit_index].append((var, pn.hours))
                        if priced:
                            _price_project(terms, pb, p, md, unit_index, var)
                        if pn.project.complexity >= lay.friction.lead_execution_complexity:
                            terms["friction"].append((var, w.friction))
                    own = [self_manage[p, unit_index] for unit_index in cands]
                    m.add(sum(mvs) + sum(own) == mode[a, md])
                else:
                    m.add(sum(mvs) == mode[a, md])
            if len(voices) > 1:  # every person beyond the first running projects besides the lead
                said = []
                for unit_index, manage_vars in sorted(voices.items()):
                    voice = m.new_bool_var(f"voice[{aid},{units[unit_index].id},{md}]")
                    for var in manage_vars:
                        m.add_implication(var, voice)
                    said.append(voice)
                extra = m.new_int_var(0, len(said) - 1, f"voices[{aid},{md}]")
                m.add(extra >= sum(said) - 1)
                terms["voices"].append((extra, w.voices))
            # accountability: each accountable role of the mode is held on the account
            for role in sorted(pb.accountable.get(md, ())):
                if role in mentor_roles and lay.mentoring.required:
                    continue
                holders = [lead[a, unit_index, md] for unit_index in cands if units[unit_index].role.id == role]
                holders += [
                    manage[p, unit_index, md]
                    for p in acc.projects
                    for unit_index in managers[p, md]
                    if units[unit_index].role.id == role
                ]
                if md == E2E:
                    holders += [
                        self_manage[p, unit_index]
                        for p in acc.projects
                        for unit_index in cands
                        if units[unit_index].role.id == role
                    ]
                m.add(sum(holders) >= mode[a, md])
        # continuity and PM-strategy friction
        if acc.account.lead is not None:
            keep = (
                [lead[a, acc.today, md] for md in acc.modes if (a, acc.today, md) in lead]
                if acc.today is not None
                else []
            )
            terms["continuity"].append((1 - sum(keep), w.continuity))
        for md in acc.modes:
            for unit_index in leads[md]:
                if lay.friction.pm_on_strategy(units[unit_index].discipline, acc.account.tier):
                    terms["friction"].append((lead[a, unit_index, md], w.friction))
            if md == SPLIT:
                terms["coordination"].append((mode[a, md], pb.coordination_cost))
                splits.append(mode[a, md])
            else:
                end_to_end_modes.append(mode[a, md])
        # pins
        if acc.pinned_lead_id is not None:
            gp = guard(f"pin:{a}")
            keep = (
                [lead[a, acc.pinned_lead, md] for md in acc.modes if (a, acc.pinned_lead, md) in lead]
                if acc.pinned_lead is not None
                else []
            )
            ct = m.add(sum(keep) == 1)
            if gp is not None:
                ct.only_enforce_if(gp)

    # mentoring
    mentor: dict[tuple[int, int], cp_model.IntVar] = {}
    if lay.mentoring.required and leads_e2e:
        by_mentor: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for mentee_index in sorted(leads_e2e):
            if fixed is not None and mentee_index in fixed.mentored:
                continue  # already mentored through an account outside the window
            mentor_vars = []
            for mentor_index in pb.mentor_cands.get(mentee_index, []):
                var = m.new_bool_var(f"mentor[{units[mentor_index].id},{units[mentee_index].id}]")
                mentor[mentee_index, mentor_index] = var
                mentor_vars.append(var)
                by_mentor[mentor_index].append(var)
                load[mentor_index].append((var, hpm))
                if priced and hpm:
                    terms["mentoring"].append((var, hpm * rate))
            has = sum(mentor_vars) if mentor_vars else 0
            for lv in leads_e2e[mentee_index]:
                m.add(has >= lv)
            m.add(has <= sum(leads_e2e[mentee_index]))
            m.add(has <= 1)
        gs = guard("span")
        for mentor_index, xs in sorted(by_mentor.items()):
            ct = m.add(sum(xs) <= pb.span - (fixed.mentees.get(mentor_index, 0) if fixed is not None else 0))
            if gs is not None:
                ct.only_enforce_if(gs)

    # how many accounts one person runs end to end, and the junior support that takes
    cap = lay.end_to_end.max_accounts_per_lead
    free = costs.accounts_without_support
    for unit_index, led in sorted(leads_e2e.items()):
        before = fixed.led_end_to_end.get(unit_index, 0) if fixed is not None else 0
        if len(led) + before > cap:
            ct = m.add(sum(led) <= cap - before)
            gl = guard(f"e2e-limit:{unit_index}")
            if gl is not None:
                ct.only_enforce_if(gl)
        if priced and costs.junior_support_hours and len(led) + before > free:
            extra = m.new_int_var(0, len(led) + before - free, f"junior_support[{units[unit_index].id}]")
            m.add(extra >= sum(led) + before - free)
            terms["junior_support"].append((extra, costs.junior_support_hours * rate))
    # a PM department needs senior leadership as soon as any account is split; a structure that
    # runs some accounts end to end and splits others must make every client and every team
    # member clear on whom to call for what. Each is paid once, or by the accounts outside a window.
    once = (
        ("department_head", splits, costs.department_head_hours, fixed is not None and fixed.has_split),
        (
            "clarity",
            end_to_end_modes if mixed else [],
            costs.clarity_hours * len(pb.accounts),
            fixed is not None and fixed.has_end_to_end,
        ),
    )
    for label, triggers, hours_paid, paid_outside in once:
        if priced and triggers and hours_paid and not paid_outside:
            paid = m.new_bool_var(label)
            for var in triggers:
                m.add_implication(var, paid)
            terms[label].append((paid, hours_paid * rate))

    # hours, capacity, hires, overload, imbalance
    hours: dict[int, cp_model.LinearExpr] = {}
    opened: dict[int, cp_model.IntVar] = {}
    target_pct = round(pol.target_utilization * 100)
    floor = fixed.worst if fixed is not None else 0
    worst = m.new_int_var(floor, max(floor, 100), "imbalance") if objective and not guarded else None
    for unit in units:
        items = load.get(unit.index)
        if not items:
            continue
        expr = cp_model.LinearExpr.weighted_sum([var for var, _ in items], [h for _, h in items]) + base[unit.index]
        hours[unit.index] = expr
        gu = guard(f"capacity:{unit.index}")
        if unit.is_hire and fixed is not None and unit.index in fixed.opened:
            ct = m.add(expr <= unit.limit)
        elif unit.is_hire:
            o = m.new_bool_var(f"hire[{unit.id}]")
            opened[unit.index] = o
            ct = m.add(expr <= unit.limit * o)
            for var, _ in items:
                m.add_implication(var, o)
            terms["hires"].append((o, unit.cost))
        else:
            ct = m.add(expr <= unit.limit)
        if gu is not None:
            ct.only_enforce_if(gu)
        if worst is not None:  # objective and not guarded
            top = sum(h for _, h in items) + base[unit.index]
            if top > unit.target:
                over = m.new_int_var(0, top - unit.target, f"overload[{unit.id}]")
                m.add(over >= expr - unit.target)
                terms["overload"].append((over, w.overload))
            if unit.capacity and 100 * min(top, unit.limit) > unit.capacity * target_pct:
                m.add(100 * expr - unit.capacity * worst <= unit.capacity * target_pct)
    if worst is not None:
        terms["imbalance"].append((worst, w.imbalance))

    # hire slots of one option are interchangeable when every need sees all of them: open in order
    by_option: dict[str, list[int]] = defaultdict(list)
    for unit in units:
        if unit.index in opened and unit.option is not None:  # opened holds hire slots only
            by_option[unit.option.id].append(unit.index)
    for _option_id, idx in sorted(by_option.items()):
        option = units[idx[0]].option
        if option is not None and len(idx) == option.max and option.max <= 4 and fixed is None:
            for earlier, later in itertools.pairwise(idx):
                m.add(opened[earlier] >= opened[later])

    built = Model(m, mode, lead, manage, self_manage, mentor, opened, hours, dict(terms), guards)
    if objective and not guarded:
        m.minimize(built.objective_expr())
    return built


def _lead_cost(pb: Problem, a: int, md: str, u: int) -> int:
    """What `u` leading account `a` in mode `md` costs, running all its projects when end to end."""
    cost = lead_price(pb, a, md, u) + sum(lead_penalties(pb, a, u))
    if md == E2E:
        cost += sum(sum(project_prices(pb, p, md, u)) for p in pb.accounts[a].projects)
    return cost


def _manage_cost(pb: Problem, p: int, md: str, u: int) -> int:
    """What `u` managing project `p` in mode `md` costs."""
    return sum(project_prices(pb, p, md, u))


def _price_project(
    terms: dict[str, list[tuple[cp_model.LinearExprT, int]]],
    pb: Problem,
    p: int,
    md: str,
    unit_index: int,
    var: cp_model.IntVar,
) -> None:
    """The generalist-execution and seniority costs of `unit_index` managing project `p`."""
    generalist, seniority = project_prices(pb, p, md, unit_index)
    if generalist:
        terms["generalist_execution"].append((var, generalist))
    if seniority:
        terms["seniority"].append((var, seniority))


def add_hint(built: Model, pb: Problem, sol: Solution) -> int:
    """Hint a full solution; returns how many of its choices had no variable (pruned away)."""
    missing = 0
    m = built.model
    for (a, md), var in built.mode.items():
        m.add_hint(var, sol.mode.get(a) == md)
    for (a, u, md), var in built.lead.items():
        m.add_hint(var, sol.lead.get(a) == u and sol.mode.get(a) == md)
    for (p, u, md), var in built.manage.items():
        a = pb.projects[p].account
        m.add_hint(var, sol.manager.get(p) == u and sol.mode.get(a) == md and sol.lead.get(a) != u)
    for (p, u), var in built.self_manage.items():
        a = pb.projects[p].account
        if var is not built.lead.get((a, u, E2E)):  # the lead's own variable is hinted already
            m.add_hint(var, sol.manager.get(p) == u and sol.lead.get(a) == u and sol.mode.get(a) == E2E)
    for (mentee, mentor_index), x in built.mentor.items():
        m.add_hint(x, sol.mentor.get(mentee) == mentor_index)
    used = sol.opened(pb)
    for u, o in built.opened.items():
        m.add_hint(o, u in used)
    for a, u in sol.lead.items():
        if (a, u, sol.mode[a]) not in built.lead:
            missing += 1
    return missing


def read_solution(built: Model, pb: Problem, value: Callable[[cp_model.IntVar], bool]) -> Solution:
    """The staffing a CP-SAT solution describes; `value` is the solver's boolean_value."""
    sol = Solution()
    for (a, md), var in built.mode.items():
        if value(var):
            sol.mode[a] = md
    for (a, u, _md), var in built.lead.items():
        if value(var):
            sol.lead[a] = u
    for (p, u, _md), var in built.manage.items():
        if value(var):
            sol.manager[p] = u
    for (p, u), var in built.self_manage.items():
        if value(var):
            sol.manager[p] = u
    for (mentee, mentor_index), x in built.mentor.items():
        if value(x):
            sol.mentor[mentee] = mentor_index
    return sol


def extend_candidates(pb: Problem, sol: Solution, accounts: Iterable[int] | None = None) -> None:
    """Make sure every choice of `sol` (on `accounts`, or all) has a variable."""
    picked = list(sol.lead if accounts is None else accounts)
    for a in picked:
        md = sol.mode[a]
        u = sol.lead[a]
        if u not in pb.lead_cands.setdefault((a, md), []):
            pb.lead_cands[a, md] = sorted([*pb.lead_cands[a, md], u])
        for p in pb.accounts[a].projects:
            v = sol.manager.get(p)
            if v is not None and (md == SPLIT or v != u) and v not in pb.manage_cands.setdefault((p, md), []):
                pb.manage_cands[p, md] = sorted([*pb.manage_cands[p, md], v])
    leads = {sol.lead[a] for a in picked} if accounts is not None else None
    for u, v in sol.mentor.items():
        if (leads is None or u in leads) and v not in pb.mentor_cands.setdefault(u, []):
            pb.mentor_cands[u] = sorted([*pb.mentor_cands[u], v])
    # the mentees of the plan must be mentee candidates of every mentor they may get
    if pb.layout.mentoring.required:
        for a in picked:
            for md in pb.accounts[a].modes:
                if md == E2E:
                    for u in pb.lead_cands.get((a, md), []):
                        pb.mentor_cands.setdefault(u, [])
