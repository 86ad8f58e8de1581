"""One structure's staffing as a starting point for another.

The hybrid layout may split every account, as separate does, so a separate plan is also a
hybrid plan when the same people may do the same work. Solved first, separate's plan becomes one
of hybrid's hints: hybrid's answer is then never worse than separate's because its own search ran
short of time, and the comparison between the two says what the structures cost, not how far
each search got.
"""

from __future__ import annotations

from collections import Counter

from structplan.model import E2E
from structplan.solver.greedy import Solution
from structplan.solver.prep import Problem


def transfer(pb: Problem, other: Problem, sol: Solution) -> Solution | None:
    """`sol`, a staffing of `other`, restated for `pb`; None unless it keeps every hard rule of
    `pb` (modes, who may lead and manage what, pins, roles that must be on an account, capacity,
    end-to-end accounts per lead, mentoring)."""
    assert pb.elig is not None
    unit = {u.id: u.index for u in pb.units}
    account = {a.account.id: a.index for a in pb.accounts}
    project = {(pn.account, pn.project.id): pn.index for pn in pb.projects}
    if len(other.accounts) != len(pb.accounts) or len(other.projects) != len(pb.projects):
        return None
    out = Solution()
    try:
        for a, md in sol.mode.items():
            here = account[other.accounts[a].account.id]
            out.mode[here] = md
            out.lead[here] = unit[other.units[sol.lead[a]].id]
        for p, u in sol.manager.items():
            pn = other.projects[p]
            here_account = account[other.accounts[pn.account].account.id]
            out.manager[project[(here_account, pn.project.id)]] = unit[other.units[u].id]
        for mentee, mentor in sol.mentor.items():
            out.mentor[unit[other.units[mentee].id]] = unit[other.units[mentor].id]
    except KeyError:  # someone or something the other structure has and this one does not
        return None
    return out if keeps_rules(pb, out) else None


def keeps_rules(pb: Problem, sol: Solution) -> bool:
    """Whether a staffing keeps the hard rules the model of `pb` enforces."""
    assert pb.elig is not None
    layout = pb.layout
    if set(sol.mode) != {a.index for a in pb.accounts} or set(sol.manager) != {p.index for p in pb.projects}:
        return False
    # Eligibility caches one list per requirement: look units up in a set of each list, once
    sets: dict[int, frozenset[int]] = {}

    def among(u: int, cands: list[int]) -> bool:
        key = id(cands)
        if key not in sets:
            sets[key] = frozenset(cands)
        return u in sets[key]

    # a mentoring role's duties are held by the lead's mentor when mentoring is required
    mentored_roles = {u.role.id for u in pb.units if u.role.mentors} if layout.mentoring.required else set()
    e2e_led: Counter[int] = Counter()
    for acc in pb.accounts:
        a = acc.index
        md, lead = sol.mode[a], sol.lead[a]
        if md not in acc.modes or not among(lead, pb.elig.leads(acc, pb.projects, md)):
            return False
        if acc.pinned_lead is not None and lead != acc.pinned_lead:
            return False
        on_account = {lead}
        for p in acc.projects:
            u = sol.manager[p]
            if not (md == E2E and u == lead) and not among(u, pb.elig.managers(pb.projects[p], md)):
                return False
            on_account.add(u)
        held = {pb.units[u].role.id for u in on_account}
        if not {r for r in pb.accountable.get(md, frozenset()) if r not in mentored_roles} <= held:
            return False
        if md == E2E:
            e2e_led[lead] += 1
            if layout.mentoring.required and lead not in sol.mentor:
                return False
    if any(n > layout.end_to_end.max_accounts_per_lead for n in e2e_led.values()):
        return False
    if set(sol.mentor) - set(e2e_led):
        return False
    mentees = Counter(sol.mentor.values())
    if any(not pb.units[v].role.mentors or n > pb.span for v, n in mentees.items()):
        return False
    hours = sol.hours(pb)
    return all(hours[u.index] <= u.limit for u in pb.units)
