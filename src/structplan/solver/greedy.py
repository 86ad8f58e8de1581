"""A staffing as plain data, its cost, and the greedy plan a planner would make by hand.

The greedy plan is both the baseline the benchmark compares against and the solver's first
hint: biggest accounts first, each need to the least loaded eligible person, hiring only when
nobody eligible has room.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

import attrs
import numpy as np

from structplan.model import E2E, GENERALISTS, SPLIT
from structplan.solver.prep import AccountNeed, Problem

#: Labels of the objective's terms, in report order.
TERMS = (
    "hires",
    "coordination",
    "generalist_execution",
    "junior_support",
    "department_head",
    "clarity",
    "mentoring",
    "continuity",
    "friction",
    "seniority",
    "voices",
    "overload",
    "imbalance",
)
#: A pick that finds this many staff too full for the hours at hand scans the whole list instead.
SCAN_AFTER = 32


@attrs.define
class Solution:
    """Per account its mode and lead; per project its manager; per end-to-end lead its mentor."""

    mode: dict[int, str] = attrs.field(factory=dict)
    lead: dict[int, int] = attrs.field(factory=dict)
    manager: dict[int, int] = attrs.field(factory=dict)
    mentor: dict[int, int] = attrs.field(factory=dict)

    def hours(self, pb: Problem) -> list[int]:
        """Planned hours of every unit."""
        hours = [0] * len(pb.units)
        coord = pb.layout.effort.coordination_hours
        for a, u in self.lead.items():
            hours[u] += pb.accounts[a].relationship + (coord if self.mode[a] == SPLIT else 0)
        for p, u in self.manager.items():
            hours[u] += pb.projects[p].hours
        for _, v in self.mentor.items():
            hours[v] += pb.layout.mentoring.hours_per_mentee
        return hours

    def opened(self, pb: Problem) -> set[int]:
        """Hire slots with any work."""
        used = set(self.lead.values()) | set(self.manager.values()) | set(self.mentor.values())
        return {u for u in used if pb.units[u].is_hire}


def project_prices(pb: Problem, p: int, md: str, unit_index: int) -> tuple[int, int]:
    """What `unit_index` managing project `p` in an account of mode `md` costs in generalist
    execution (a generalist running it end to end) and in seniority (below the most senior)."""
    pn = pb.projects[p]
    unit = pb.units[unit_index]
    generalist = 0
    if md == E2E and unit.role.family in GENERALISTS:
        generalist = pb.layout.costs.generalist_execution_hours[pn.project.complexity - 1] * pb.hourly_rate
    seniority = 0
    if pn.senior_weight:
        seniority = pn.senior_weight * max(0, pb.top_manager_level.get((p, md), 0) - unit.level)
    return generalist, seniority


def lead_price(pb: Problem, a: int, md: str, unit_index: int) -> int:
    """What `unit_index` leading account `a` in mode `md` costs in seniority (below the most senior)."""
    acc = pb.accounts[a]
    if not acc.senior_weight:
        return 0
    return acc.senior_weight * max(0, pb.top_lead_level.get((a, md), 0) - pb.units[unit_index].level)


def lead_penalties(pb: Problem, a: int, unit_index: int) -> tuple[int, int]:
    """What `unit_index` leading account `a` costs in PM-strategy friction (a PM leading a
    strategic account) and in continuity (an account with a lead today, led by someone else)."""
    acc = pb.accounts[a]
    w = pb.agency.policy.weights
    friction = w.friction if pb.layout.friction.pm_on_strategy(pb.units[unit_index].discipline, acc.account.tier) else 0
    continuity = w.continuity if acc.account.lead is not None and unit_index != acc.today else 0
    return friction, continuity


def evaluate(pb: Problem, sol: Solution) -> dict[str, int]:
    """Every objective term of a solution, computed as the CP-SAT model computes it."""
    terms = shared_terms(pb, sol)
    seniority = generalist = friction = continuity = voices = 0
    for acc in pb.accounts:
        s, g, f, c, v = account_terms(pb, sol, acc.index)
        seniority += s
        generalist += g
        friction += f
        continuity += c
        voices += v
    for name, value in zip(ACCOUNT_TERMS, (seniority, generalist, friction, continuity, voices), strict=True):
        terms[name] += value
    return terms


#: the terms that are a sum over accounts of what each account's own staffing costs
ACCOUNT_TERMS = ("seniority", "generalist_execution", "friction", "continuity", "voices")


def account_terms(pb: Problem, sol: Solution, a: int) -> tuple[int, int, int, int, int]:
    """What account `a`'s own staffing in `sol` adds to each of `ACCOUNT_TERMS`."""
    acc = pb.accounts[a]
    md = sol.mode[a]
    lead_index = sol.lead[a]
    seniority = lead_price(pb, a, md, lead_index)
    generalist = 0
    for p in acc.projects:
        g, s = project_prices(pb, p, md, sol.manager[p])
        generalist += g
        seniority += s
    friction, continuity = lead_penalties(pb, a, lead_index)
    w = pb.agency.policy.weights
    others = {sol.manager[p] for p in acc.projects} - {lead_index}
    voices = w.voices * max(0, len(others) - 1)
    if md == E2E:
        complex_from = pb.layout.friction.lead_execution_complexity
        for p in acc.projects:
            if sol.manager[p] == lead_index and pb.projects[p].project.complexity >= complex_from:
                friction += w.friction
    return seniority, generalist, friction, continuity, voices


def shared_terms(pb: Problem, sol: Solution, hours: list[int] | None = None) -> dict[str, int]:
    """Every objective term of a solution but what its accounts add one by one (`ACCOUNT_TERMS`,
    left at 0): hires, the counts paid once, mentoring, people's hours; `hours` as `sol.hours`."""
    w = pb.agency.policy.weights
    if hours is None:
        hours = sol.hours(pb)
    terms = dict.fromkeys(TERMS, 0)
    terms["hires"] = sum(pb.units[u].cost for u in sol.opened(pb))
    terms["coordination"] = sum(pb.coordination_cost for a in sol.mode.values() if a == SPLIT)
    costs, rate, layout = pb.layout.costs, pb.hourly_rate, pb.layout
    mixed = SPLIT in layout.modes and E2E in layout.modes
    if any(m == SPLIT for m in sol.mode.values()):
        terms["department_head"] = costs.department_head_hours * rate
    led: dict[int, int] = defaultdict(int)
    for account_index, lead_index in sol.lead.items():
        if sol.mode[account_index] == E2E:
            led[lead_index] += 1
    terms["junior_support"] = sum(
        costs.junior_support_hours * rate * max(0, n - costs.accounts_without_support) for n in led.values()
    )
    terms["mentoring"] = layout.mentoring.hours_per_mentee * rate * len(sol.mentor)
    if mixed and any(m == E2E for m in sol.mode.values()):
        terms["clarity"] = costs.clarity_hours * rate * len(pb.accounts)
    target_pct = round(pb.agency.policy.target_utilization * 100)
    worst = 0
    for u in pb.units:
        terms["overload"] += w.overload * max(0, hours[u.index] - u.target)
        if u.capacity:
            pct = -(-100 * hours[u.index] // u.capacity)  # ceiling
            worst = max(worst, pct - target_pct)
    terms["imbalance"] = w.imbalance * max(0, worst)
    return terms


def greedy(
    pb: Problem,
    keep_today: bool = False,
    gather: bool | None = None,
    spare: bool = False,
    lean: bool = False,
    split: bool = False,
) -> Solution | None:
    """Pinned accounts, then the biggest, each need to the least loaded eligible person; None if stuck.

    With `keep_today`, today's lead keeps an account when eligible and not full (what a
    careful planner does); without, the plain hand method the benchmark compares against.
    With `gather` (default: as `keep_today`), an account's projects go to people already on it
    when they have room. With `spare`, routine work goes to the least senior eligible person
    with room (seniors are kept for the work only they may do) and work that pays for
    seniority to the most senior. With `lean`, an end-to-end lead is chosen for the relationship
    alone and runs the account's projects where they have room, except the complex ones
    (layout friction.lead_execution_complexity), which go to someone else where anyone eligible
    has room, and those that would take the lead above their target utilization, which go to
    the least loaded (with `spare` too, as `spare` chooses): what a planner does who keeps
    today's lead and spares them friction and overload. With `split`, a mixed structure's
    accounts are split wherever they may be (the plan of a separate structure, which a mixed
    one may keep).
    """
    if gather is None:
        gather = keep_today
    assert pb.elig is not None
    units = pb.units
    layout = pb.layout
    load = [0] * len(units)
    mentees: dict[int, int] = defaultdict(int)
    sol = Solution()
    hpm = layout.mentoring.hours_per_mentee
    coord = layout.effort.coordination_hours
    need_mentor = layout.mentoring.required

    def fits(u: int, hours: int) -> bool:
        return load[u] + hours <= units[u].limit

    heaps: dict[int, tuple[list[tuple[float, int, int]], list[int]]] = {}
    limit = np.array([u.limit for u in units], dtype=np.int64)
    level = np.array([u.level for u in units], dtype=np.int64)
    staff_of: dict[int, tuple[np.ndarray, list[int]]] = {}

    def scan(cands: list[int], hours: int) -> int | None:
        """What the heap would give, by one pass over the list: the first staff member by
        (rank, index) with room for `hours`. Exact: numpy divides and adds as Python does."""
        if id(cands) not in staff_of:
            listed = [u for u in cands if not units[u].is_hire]
            staff_of[id(cands)] = (np.array(listed, dtype=np.int64), listed)
        staff, listed = staff_of[id(cands)]
        if not listed:
            return None
        loads = np.fromiter((load[u] for u in listed), dtype=np.int64, count=len(listed))
        room = loads + hours <= limit[staff]
        if not room.any():
            return None
        who, loads = staff[room], loads[room]
        ranks = loads / np.maximum(1, limit[who])
        if spare:
            ranks = level[who] + ranks
        best = ranks.min()
        return int(who[ranks == best].min())

    def rank(u: int) -> float:
        ratio = load[u] / max(1, units[u].limit)
        return units[u].level + ratio if spare else ratio

    def pick(cands: list[int], hours: int, senior: bool = False) -> int | None:
        """Least loaded staff member with room, else an open hire, else a new hire."""
        if spare and senior:
            room = [u for u in cands if not units[u].is_hire and fits(u, hours)]
            if room:
                return min(room, key=lambda u: (-units[u].level, load[u] / max(1, units[u].limit), u))
        entry = heaps.get(id(cands))
        if entry is None:
            heap = [(rank(u), u, load[u]) for u in cands if not units[u].is_hire]
            heapq.heapify(heap)
            for _, u, _ in heap:
                member[u].append(heap)
            entry = heaps[id(cands)] = (heap, [u for u in cands if units[u].is_hire])
            keep_alive.append(cands)
        heap, hires = entry
        skipped = []
        found = None
        while heap:
            ratio, u, seen = heapq.heappop(heap)
            if seen != load[u]:
                heapq.heappush(heap, (rank(u), u, load[u]))
                continue
            skipped.append((ratio, u, seen))
            if fits(u, hours):
                found = u
                break
            if len(skipped) > SCAN_AFTER:  # most of the list is too full for these hours
                found = scan(cands, hours)
                break
        for item in skipped:
            heapq.heappush(heap, item)
        if found is not None:
            return found
        best, best_key = None, None
        for u in hires:
            if fits(u, hours):
                key = (load[u] == 0, units[u].cost, u)
                if best_key is None or key < best_key:
                    best, best_key = u, key
        return best

    keep_alive: list[list[int]] = []
    member: dict[int, list[list[tuple[float, int, int]]]] = defaultdict(list)  # unit -> heaps it is in

    def let_go(u: int, hours: int) -> None:
        """Take `hours` off `u`. The lazy heaps hold each unit at a rank no higher than its own
        (loads only grow), so `u` gets a fresh entry in each heap it is in."""
        load[u] -= hours
        for heap in member.get(u, ()):
            heapq.heappush(heap, (rank(u), u, load[u]))

    mentors_all = [v for v in range(len(units)) if units[v].role.mentors]

    def mentor_for(u: int) -> int | None:
        if not need_mentor or u in sol.mentor:
            return sol.mentor.get(u, -1)
        cands = [v for v in mentors_all if v != u and mentees[v] < pb.span and fits(v, hpm)]
        if not cands:
            return None
        return min(
            cands,
            key=lambda v: (
                units[v].is_hire and mentees[v] == 0,
                units[v].is_hire,
                mentees[v],
                load[v] / max(1, units[v].limit),
                v,
            ),
        )

    filtered: dict[tuple[int, frozenset[str]], list[int]] = {}

    def role_filtered(pc: list[int], roles: frozenset[str]) -> list[int]:
        key = (id(pc), roles)
        if key not in filtered:
            filtered[key] = [u for u in pc if units[u].role.id in roles]
        return filtered[key]

    def modes_of(acc: AccountNeed) -> list[str]:
        """The modes to try for an account, in order."""
        modes = list(acc.modes)
        if split and SPLIT in modes:
            modes = [SPLIT, *(md for md in modes if md != SPLIT)]
        elif E2E in modes and SPLIT in modes:
            # the hybrid hand rule: end to end only where it saves more than it costs
            premium = sum(
                layout.costs.generalist_execution_hours[pb.projects[p].project.complexity - 1] for p in acc.projects
            )
            mentoring = hpm / max(1, layout.end_to_end.max_accounts_per_lead)
            modes = [E2E, SPLIT] if premium + mentoring < coord else [SPLIT, E2E]
        return modes

    e2e_led: dict[int, int] = defaultdict(int)
    e2e_full: set[int] = set()
    # pinned accounts first: they have one possible lead, who must not be filled up by others
    order = sorted(pb.accounts, key=lambda a: (a.pinned_lead is None, -a.account.fee, a.account.id))
    # once the pinned accounts are staffed, today's leads keep room for the relationships they
    # hold today: without it, the accounts staffed before (the larger ones) fill them with
    # projects and they lose the later ones (large sample, merged, the lean plan: 3,004,541 with
    # 102 accounts off their lead; with the room kept, 2,587,944 with 49)
    tries = {acc.index: modes_of(acc) for acc in order}
    held: dict[int, int] = {}

    def hold_today() -> None:
        assert pb.elig is not None
        for acc in order:
            u = acc.today
            # a split lead coordinates too (large sample, hybrid, lean and sparing: 894,851 -> 879,851)
            hours = acc.relationship + (coord if tries[acc.index][:1] == [SPLIT] else 0)
            if (
                u is not None
                and acc.pinned_lead is None
                and any(u in pb.elig.leads(acc, pb.projects, md) for md in acc.modes)
                and fits(u, hours)
            ):
                held[acc.index] = hours
                load[u] += hours

    holding = keep_today
    for acc in order:
        if holding and acc.pinned_lead is None:  # the pinned accounts (first) are staffed
            holding = False
            hold_today()
        # the account's own hold is let go before its lead is chosen
        hold = held.pop(acc.index, 0)
        if hold:
            assert acc.today is not None
            let_go(acc.today, hold)
        done = False
        for mode in tries[acc.index]:
            own = sum(pb.projects[p].hours for p in acc.projects) if mode == E2E else 0
            lead_hours = acc.relationship + (coord if mode == SPLIT else 0)
            cands = pb.elig.leads(acc, pb.projects, mode)
            if acc.pinned_lead is not None:
                cands = [u for u in cands if u == acc.pinned_lead]
            if mode == E2E and e2e_full and not e2e_full.isdisjoint(cands):
                cands = [u for u in cands if u not in e2e_full]
            shared = lean and mode == E2E and bool(own)
            if shared:
                own = 0
            lead = None
            if keep_today and acc.today is not None and acc.today in cands and fits(acc.today, lead_hours + own):
                lead = acc.today
            if lead is None:
                lead = pick(cands, lead_hours + own, acc.senior_weight > 0)
            if lead is None and mode == E2E and own:  # nobody carries it all: others run some projects
                lead, own, shared = pick(cands, lead_hours), 0, True
            if lead is None:
                continue
            mentor = mentor_for(lead) if mode == E2E else -1
            if mentor is None:
                continue
            load[lead] += lead_hours + own
            managers: dict[int, int] = {}
            ok = True
            if mode == SPLIT:
                # the largest project goes to a role accountable for the PM duties
                roles = pb.accountable.get(SPLIT, frozenset()) - {units[lead].role.id}
                for n, p in enumerate(sorted(acc.projects, key=lambda p: (-pb.projects[p].hours, p))):
                    pc = pb.elig.managers(pb.projects[p], SPLIT)
                    if n == 0 and roles:
                        pc = role_filtered(pc, roles)
                    u = None
                    if gather:  # a careful planner keeps an account's projects with few people
                        mine = [
                            v for v in dict.fromkeys(managers.values()) if v in pc and fits(v, pb.projects[p].hours)
                        ]
                        u = min(mine, key=lambda v: (load[v] / max(1, units[v].limit), v)) if mine else None
                    if u is None:
                        u = pick(pc, pb.projects[p].hours, pb.projects[p].senior_weight > 0)
                    if u is None:
                        ok = False
                        break
                    managers[p] = u
                    load[u] += pb.projects[p].hours
            elif not shared:
                managers = {p: lead for p in acc.projects}
            else:
                for p in sorted(acc.projects, key=lambda p: (-pb.projects[p].hours, p)):
                    h = pb.projects[p].hours
                    pc = pb.elig.managers(pb.projects[p], E2E)
                    u = None
                    if lean:
                        if pb.projects[p].project.complexity < layout.friction.lead_execution_complexity:
                            senior = pb.projects[p].senior_weight > 0
                            u = lead if load[lead] + h <= units[lead].target else pick(pc, h, senior)
                        else:
                            u = pick(pc, h, pb.projects[p].senior_weight > 0)
                            if u == lead:  # the least loaded with room is the lead: anyone else with room
                                u = min(
                                    (v for v in pc if v != lead and fits(v, h)),
                                    key=lambda v: (load[v], v),
                                    default=None,
                                )
                    if u is None:
                        u = lead if fits(lead, h) else pick(pc, h)
                    if u is None:
                        ok = False
                        break
                    managers[p] = u
                    load[u] += h
            if not ok:
                load[lead] -= lead_hours + own
                for p, u in managers.items():
                    load[u] -= pb.projects[p].hours
                heaps.clear()  # a load went down: the lazy heaps assume loads only grow
                member.clear()
                continue
            sol.mode[acc.index] = mode
            sol.lead[acc.index] = lead
            if mode == E2E:
                e2e_led[lead] += 1
                if e2e_led[lead] >= layout.end_to_end.max_accounts_per_lead:
                    e2e_full.add(lead)
            sol.manager.update(managers)
            if mode == E2E and need_mentor and lead not in sol.mentor:
                sol.mentor[lead] = mentor
                mentees[mentor] += 1
                load[mentor] += hpm
            done = True
            break
        if not done:
            return None
    return sol
