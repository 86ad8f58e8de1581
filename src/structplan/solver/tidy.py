"""Fewer voices per account at no cost: a repair pass after the search.

The objective is indifferent to how many people run one account's projects (unless the
policy weighs `voices`), so among equally cheap plans CP-SAT returns whichever it met first,
often one that spreads an account over four or five project managers. This pass moves a
project to someone already on the account whenever that keeps every rule and does not raise
any term of the objective: the plan costs the same or less, and the client hears fewer voices.
Then each hiring option's opened slots are numbered from 1 (`in_slot_order`).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from structplan.solver.greedy import Solution, project_prices
from structplan.solver.prep import Problem


def fewer_voices(pb: Problem, sol: Solution) -> Solution:
    """A copy of `sol` whose accounts are run by as few people as moves at no cost allow."""
    assert pb.elig is not None
    units = pb.units
    w = pb.agency.policy.weights
    hours = sol.hours(pb)
    target_pct = round(pb.agency.policy.target_utilization * 100)

    def pct(u: int, h: int) -> int:
        return -(-100 * h // units[u].capacity) if units[u].capacity else 0

    worst = max((pct(u.index, hours[u.index]) for u in units), default=0)
    worst = max(worst, target_pct)
    manager = dict(sol.manager)
    for acc in pb.accounts:
        a = acc.index
        md = sol.mode[a]
        lead = sol.lead[a]
        accountable = pb.accountable.get(md, frozenset())
        changed = True
        while changed:
            changed = False
            mine = Counter(manager[p] for p in acc.projects if manager[p] != lead)
            if len(mine) <= 1:
                break
            # move projects of the person with the fewest hours here to those with the most
            order = sorted(mine, key=lambda u: (sum(pb.projects[p].hours for p in acc.projects if manager[p] == u), u))
            for u in order:
                moved = _move_all(
                    pb,
                    acc.projects,
                    u,
                    [v for v in reversed(order) if v != u],
                    manager,
                    hours,
                    lead,
                    md,
                    accountable,
                    worst,
                    w.overload,
                )
                if moved:
                    changed = True
                    break
    return Solution(dict(sol.mode), dict(sol.lead), manager, dict(sol.mentor))


def _move_all(
    pb: Problem,
    projects: tuple[int, ...],
    u: int,
    others: list[int],
    manager: dict[int, int],
    hours: list[int],
    lead: int,
    md: str,
    accountable: frozenset[str],
    worst: int,
    overload: int,
) -> bool:
    """Move every project of `u` on this account to the others, or none; True when moved."""
    assert pb.elig is not None
    units = pb.units
    mine = [p for p in projects if manager[p] == u]
    role = units[u].role.id
    if role in accountable:  # u must not be the account's only holder of an accountable role
        holders = {manager[p] for p in projects if manager[p] != u} | {lead}
        if not any(units[v].role.id == role for v in holders):
            return False
    plan: list[tuple[int, int]] = []
    extra: Counter[int] = Counter()
    for p in mine:
        pn = pb.projects[p]
        eligible = set(pb.elig.managers(pn, md))
        target = None
        for v in others:
            if v not in eligible or v == lead:
                continue
            h = hours[v] + extra[v] + pn.hours
            if h > units[v].limit:
                continue
            if units[v].is_hire and hours[v] + extra[v] == 0:
                continue  # never open a hire slot
            if max(0, h - units[v].target) > max(0, hours[v] + extra[v] - units[v].target):
                continue  # no new overload
            if units[v].capacity and -(-100 * h // units[v].capacity) > worst:
                continue  # no new peak
            if sum(project_prices(pb, p, md, v)) > sum(project_prices(pb, p, md, u)):
                continue  # no dearer hands (a generalist, a less senior manager)
            target = v
            break
        if target is None:
            return False
        plan.append((p, target))
        extra[target] += pn.hours
    for p, v in plan:
        manager[p] = v
        hours[v] += pb.projects[p].hours
        hours[u] -= pb.projects[p].hours
    return True


def in_slot_order(pb: Problem, sol: Solution) -> Solution:
    """`sol` with each hiring option's opened slots numbered from 1: the slots of one option are
    the same hire, the model opens them in order, and a plan with "hire 2" but no "hire 1"
    reads as a gap (the window search and the parts each open the slots they were given)."""
    slot_of = {(u.option.id, u.slot): u.index for u in pb.units if u.option is not None}
    used: dict[str, list[int]] = defaultdict(list)
    for u in sorted(sol.opened(pb), key=lambda u: pb.units[u].slot):
        option = pb.units[u].option
        assert option is not None  # opened holds hire slots only
        used[option.id].append(u)
    rename = {u: slot_of[option_id, k] for option_id, us in used.items() for k, u in enumerate(us, start=1)}
    if all(u == v for u, v in rename.items()):
        return sol

    def to(u: int) -> int:
        return rename.get(u, u)

    return Solution(
        dict(sol.mode),
        {a: to(u) for a, u in sol.lead.items()},
        {p: to(u) for p, u in sol.manager.items()},
        {to(u): to(v) for u, v in sol.mentor.items()},
    )
