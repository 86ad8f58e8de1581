"""Solving a large agency by parts: a first plan that is as good as staffing each part alone.

A large agency is, to the solver, many agencies side by side: most people could work on most
accounts, but a good plan keeps each team near its clients. Here the agency is dealt into
parts of about `PART_ACCOUNTS` accounts. Accounts (with today's lead and a pinned lead, who
stay with the accounts they lead) and the other people are spread evenly by stratum (accounts
by service line and tier, people by role, level and service lines); the people who manage
projects and lead nothing today go, the most senior first, to the part whose projects most
lack their service line and seniority; each hiring option's slots are dealt over the parts.
Each part is solved by CP-SAT on its own, quickly, because it is small; the parts' plans put
together are a valid plan of the whole agency, which then serves as the hint of the search
over the whole (engine.py). An agency made of k copies of one sample is dealt into parts
that each look like a copy, so the first plan already costs about k times the one-copy plan.
"""

from __future__ import annotations

import math
from collections import defaultdict

import attrs

from structplan.model import Account, Agency, HiringOption, Layout, Person
from structplan.solver.greedy import Solution
from structplan.solver.prep import Problem

#: Accounts per part. Forty-account parts (the mid-size sample's size) come near their optimum
#: in about 3 deterministic seconds; twenty-account parts are proven sooner but are too small
#: to hold one of every scarce kind of person. Where a part lacks someone its work needs, the
#: agency is dealt again into fewer, larger parts (engine._by_parts).
PART_ACCOUNTS = 40
#: Deterministic seconds a part may search, per account it holds.
PART_EFFORT_PER_ACCOUNT = 0.05


def count(agency: Agency) -> int:
    """How many parts an agency is solved in (1: solve it whole)."""
    n = len(agency.accounts)
    return 1 if n < 2 * PART_ACCOUNTS else round(n / PART_ACCOUNTS)


@attrs.frozen
class Part:
    agency: Agency
    layout: Layout
    #: hiring option id -> the slot numbers (1-based, of the whole agency) this part may use
    slots: dict[str, tuple[int, ...]]


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _manages(layout: Layout, person: Person | None) -> bool:
    role = layout.role_for(person.role) if person is not None else None
    return role is not None and bool(role.covers)


def _band(level: int) -> int:
    return 1 if level >= 3 else 0


def _deal_by_need(
    layout: Layout,
    agency: Agency,
    accounts: dict[str, Account],
    people: dict[str, Person],
    managers: list[list[str]],
    members_of: list[list[str]],
) -> None:
    """Deal the people who manage projects and lead nothing today to the part whose projects
    most lack their service line and seniority (the most senior first)."""
    lines = sorted({pr.service_line for a in accounts.values() for pr in a.projects})
    need: list[dict[tuple[str, int], float]] = []
    have: list[dict[tuple[str, int], float]] = []
    for ms in members_of:
        demand: dict[tuple[str, int], float] = defaultdict(float)
        supply: dict[tuple[str, int], float] = defaultdict(float)
        for m in ms:
            if m.startswith("a:"):
                for pr in accounts[m[2:]].projects:
                    demand[pr.service_line, _band(layout.project_level(pr))] += layout.project_hours(pr)
            elif _manages(layout, people[m[2:]]):
                _supply(supply, people[m[2:]], lines, agency.agency.hours_per_fte)
        need.append(demand)
        have.append(supply)
    order = sorted(managers, key=lambda ms: (-people[ms[0][2:]].level, people[ms[0][2:]].role, ms[0]))
    for ms in order:
        person = people[ms[0][2:]]
        mine = sorted(person.service_lines) or lines
        band = _band(person.level)

        def lack(k: int, mine: list[str] = mine, band: int = band) -> float:
            return sum(need[k][line, b] - have[k][line, b] for line in mine for b in range(band + 1))

        k = max(range(len(members_of)), key=lambda k: (lack(k), -len(members_of[k]), -k))
        members_of[k].extend(ms)
        _supply(have[k], person, lines, agency.agency.hours_per_fte)


def _supply(supply: dict[tuple[str, int], float], person: Person, lines: list[str], hours: int) -> None:
    mine = sorted(person.service_lines) or lines
    for line in mine:
        supply[line, _band(person.level)] += hours * person.fte / max(1, len(mine))


def split(agency: Agency, layout: Layout, parts: int) -> list[Part]:
    """Deal the agency into `parts` parts (deterministic: sorted order throughout)."""
    people = {p.id: p for p in agency.people}
    accounts = {a.id: a for a in agency.accounts}
    pins = {pin.account: pin for pin in agency.policy.pins}
    parent: dict[str, str] = {f"a:{a}": f"a:{a}" for a in accounts} | {f"p:{p}": f"p:{p}" for p in people}
    for a in sorted(accounts.values(), key=lambda a: a.id):
        pin = pins.get(a.id)
        for who in (a.lead, pin.lead if pin else None):
            if who in people:
                ra, rp = _find(parent, f"a:{a.id}"), _find(parent, f"p:{who}")
                if ra != rp:
                    parent[max(ra, rp)] = min(ra, rp)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in sorted(parent):
        groups[_find(parent, key)].append(key)

    def stratum(members: list[str]) -> tuple[object, ...]:
        staff = sorted((people[m[2:]] for m in members if m.startswith("p:")), key=lambda p: p.id)
        if staff:
            p = staff[0]
            return ("person", p.role, p.level, tuple(sorted(p.service_lines)))
        a = accounts[members[0][2:]]
        line = min((pr.service_line for pr in a.projects), default="")
        return ("account", line, a.tier, max((pr.complexity for pr in a.projects), default=0))

    # systematic sampling: in stratum order, every `parts`-th cluster goes to the same part, so
    # each part (and each pair of neighbouring parts) gets a like share of every stratum
    clusters = sorted(groups.values(), key=lambda ms: (stratum(ms), -len(ms), ms[0]))
    members_of: list[list[str]] = [[] for _ in range(parts)]
    managers = [ms for ms in clusters if len(ms) == 1 and _manages(layout, people.get(ms[0][2:]))]
    for n, ms in enumerate(c for c in clusters if c not in managers):
        members_of[n % parts].extend(ms)
    _deal_by_need(layout, agency, accounts, people, managers, members_of)

    # hiring: every option's slots dealt over the parts, each option starting one part further
    slots: list[dict[str, list[int]]] = [defaultdict(list) for _ in range(parts)]
    for n, h in enumerate(sorted(agency.hiring, key=lambda h: (h.role, h.level, h.id))):
        for j in range(h.max):
            slots[(n + j) % parts][h.id].append(j + 1)

    costs = layout.costs
    shared = attrs.evolve(costs, department_head_hours=math.ceil(costs.department_head_hours / parts))
    part_layout = attrs.evolve(layout, costs=shared)
    out = []
    for k in range(parts):
        ids = set(members_of[k])
        hiring: list[HiringOption] = [
            attrs.evolve(h, max=len(slots[k][h.id])) for h in agency.hiring if slots[k].get(h.id)
        ]
        sub = attrs.evolve(
            agency,
            people=tuple(p for p in agency.people if f"p:{p.id}" in ids),
            accounts=tuple(a for a in agency.accounts if f"a:{a.id}" in ids),
            hiring=tuple(hiring),
            policy=attrs.evolve(agency.policy, pins=tuple(p for p in agency.policy.pins if f"a:{p.account}" in ids)),
        )
        out.append(Part(sub, part_layout, {o: tuple(s) for o, s in slots[k].items()}))
    return out


def merge(a: Part, b: Part) -> Part:
    """Two parts as one (when one of them cannot be staffed alone)."""
    hiring = {h.id: h for h in a.agency.hiring}
    for h in b.agency.hiring:
        hiring[h.id] = attrs.evolve(h, max=hiring[h.id].max + h.max) if h.id in hiring else h
    slots = {o: tuple(sorted(a.slots.get(o, ()) + b.slots.get(o, ()))) for o in sorted(a.slots.keys() | b.slots.keys())}
    sub = attrs.evolve(
        a.agency,
        people=a.agency.people + b.agency.people,
        accounts=a.agency.accounts + b.agency.accounts,
        hiring=tuple(hiring[h] for h in sorted(hiring)),
        policy=attrs.evolve(a.agency.policy, pins=a.agency.policy.pins + b.agency.policy.pins),
    )
    head = a.layout.costs.department_head_hours + b.layout.costs.department_head_hours
    layout = attrs.evolve(a.layout, costs=attrs.evolve(a.layout.costs, department_head_hours=head))
    return Part(sub, layout, slots)


def combine(pb: Problem, parts: list[tuple[Part, Problem, Solution]]) -> Solution:
    """The parts' plans as one plan of the whole problem `pb`."""
    unit_of = {u.id: u.index for u in pb.units}
    account_of = {acc.account.id: acc.index for acc in pb.accounts}
    project_of = {pn.project.id: pn.index for pn in pb.projects}
    whole = Solution()
    for part, sub, sol in parts:

        def unit(i: int, part: Part = part, sub: Problem = sub) -> int:
            u = sub.units[i]
            if u.option is None:
                return unit_of[u.id]
            return unit_of[f"{u.option.id}-{part.slots[u.option.id][u.slot - 1]}"]

        for a, md in sol.mode.items():
            whole.mode[account_of[sub.accounts[a].account.id]] = md
        for a, u in sol.lead.items():
            whole.lead[account_of[sub.accounts[a].account.id]] = unit(u)
        for p, u in sol.manager.items():
            whole.manager[project_of[sub.projects[p].project.id]] = unit(u)
        for u, v in sol.mentor.items():
            whole.mentor[unit(u)] = unit(v)
    return whole
