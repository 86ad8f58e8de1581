"""The planning problem of one structure, in solver-neutral terms.

Units (people and hire slots), what each account and project needs, and who may do it
(the candidates, pruned). Built in sorted order so every model built from it is deterministic.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import defaultdict

import attrs

from structplan.model import E2E, SPLIT, Account, Agency, HiringOption, Layout, Project, Role
from structplan.names import Names


@attrs.frozen
class Unit:
    """Someone who can take work: a person on staff, or one slot of a hiring option."""

    index: int
    id: str
    name: str
    discipline: str
    role: Role
    level: int
    cost: int
    capacity: int
    limit: int
    target: int
    lines: frozenset[str]
    option: HiringOption | None = None
    slot: int = 0

    @property
    def is_hire(self) -> bool:
        return self.option is not None


@attrs.frozen
class ProjectNeed:
    index: int
    account: int
    project: Project
    hours: int
    level: int
    #: currency per level its manager sits below the most senior eligible level (0: no term)
    senior_weight: int = 0


@attrs.frozen
class AccountNeed:
    index: int
    account: Account
    modes: tuple[str, ...]
    relationship: int
    projects: tuple[int, ...]
    today: int | None
    pinned_lead: int | None
    pinned_lead_id: str | None
    #: currency per level its lead sits below the most senior eligible level (0: no term)
    senior_weight: int = 0


@attrs.define
class Problem:
    """Everything the model, the greedy plan and the explanations need for one structure."""

    agency: Agency
    layout: Layout
    units: list[Unit]
    accounts: list[AccountNeed]
    projects: list[ProjectNeed]
    #: (account, mode) -> candidate lead units
    lead_cands: dict[tuple[int, str], list[int]]
    #: (project, mode) -> candidate managers other than the account's lead
    manage_cands: dict[tuple[int, str], list[int]]
    #: mentee unit -> candidate mentors
    mentor_cands: dict[int, list[int]]
    span: int
    coordination_cost: int
    hourly_rate: int
    #: accountable roles per mode that must be held on an account (beyond the lead)
    accountable: dict[str, frozenset[str]]
    elig: Eligibility | None = None
    #: (account or project index, mode) -> most senior level among its eligible units
    top_lead_level: dict[tuple[int, str], int] = attrs.field(factory=dict)
    top_manager_level: dict[tuple[int, str], int] = attrs.field(factory=dict)
    #: whether some need lost candidates to pruning (then "no plan" must be rechecked unpruned)
    pruned: bool = False
    unknown_pins: list[str] = attrs.field(factory=list)
    #: what explanations call accounts, projects and people (filled on first use)
    names: Names | None = None

    def unit(self, uid: str) -> Unit | None:
        return next((u for u in self.units if u.id == uid), None)


#: Accounts of this tier or more strategic, and projects of this complexity or more, pay for
#: seniority (policy.weights.seniority).
SENIOR_TIER = 1
SENIOR_COMPLEXITY = 4
#: Most senior candidates kept by pruning for work that pays for seniority.
SENIORS_K = 3


def _stable_hash(*parts: object) -> int:
    return _hash_text("|".join(map(str, parts)))


def _hash_text(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _lines_ok(unit: Unit, line: str) -> bool:
    return not unit.lines or not line or line in unit.lines


def hourly_rate(agency: Agency) -> int:
    """Blended hourly cost of the agency's staff."""
    if not agency.people:
        return 0
    mean = sum(p.cost for p in agency.people) / len(agency.people)
    return round(mean / agency.agency.hours_per_fte)


class Eligibility:
    """Who may lead or manage what, cached by requirement so equal needs share one list."""

    def __init__(self, units: list[Unit], layout: Layout) -> None:
        self.units = units
        self.layout = layout
        self._cache: dict[tuple[object, ...], list[int]] = {}

    def leads(self, acc: AccountNeed, projects: list[ProjectNeed], mode: str) -> list[int]:
        """Every unit that may lead this account in this mode."""
        level = self.layout.lead_level(acc.account, mode)
        top = max((projects[p].project.complexity for p in acc.projects), default=1)
        if mode != E2E:
            top = 0
        key = ("lead", mode, level, top)
        if key not in self._cache:
            self._cache[key] = [
                u.index
                for u in self.units
                if mode in u.role.leads and u.level >= level and top <= u.role.max_complexity
            ]
        return self._cache[key]

    def managers(self, pn: ProjectNeed, mode: str) -> list[int]:
        """Every unit that may manage this project in an account of this mode (besides its lead)."""
        line = pn.project.service_line
        key = ("pm", mode, pn.level, pn.project.complexity, line)
        if key not in self._cache:
            self._cache[key] = [
                u.index
                for u in self.units
                if mode in u.role.covers
                and u.level >= pn.level
                and pn.project.complexity <= u.role.max_complexity
                and _lines_ok(u, line)
            ]
        return self._cache[key]


def make_units(agency: Agency, layout: Layout) -> list[Unit]:
    """People on staff, then hire slots, each with a layout role; in sorted order."""
    pol = agency.policy
    hours = agency.agency.hours_per_fte
    units: list[Unit] = []

    def add(uid, name, discipline, level, cost, fte, lines, option=None, slot=0):
        role = layout.role_for(discipline)
        if role is None:
            return
        capacity = round(hours * fte)
        units.append(
            Unit(
                index=len(units),
                id=uid,
                name=name,
                discipline=discipline,
                role=role,
                level=level,
                cost=cost,
                capacity=capacity,
                limit=math.floor(capacity * pol.utilization_ceiling + 1e-9),
                target=math.floor(capacity * pol.target_utilization + 1e-9),
                lines=frozenset(lines),
                option=option,
                slot=slot,
            )
        )

    for p in sorted(agency.people, key=lambda p: p.id):
        add(p.id, p.name, p.role, p.level, p.cost, p.fte, p.service_lines)
    for h in sorted(agency.hiring, key=lambda h: h.id):
        for k in range(1, h.max + 1):
            add(f"{h.id}-{k}", f"{h.name} (hire {k})", h.role, h.level, h.cost, h.fte, h.service_lines, h, k)
    return units


def build_problem(
    agency: Agency, layout: Layout, *, lead_k: int = 10, manage_k: int = 10, mentor_k: int = 6, slots_k: int = 3
) -> Problem:
    """The problem of solving `agency` under `layout`, with candidates pruned to about k each."""
    units = make_units(agency, layout)
    by_id = {u.id: u for u in units}
    accounts: list[AccountNeed] = []
    projects: list[ProjectNeed] = []
    pins = {p.account: p for p in agency.policy.pins}
    unknown_pins: list[str] = []
    per_mille = agency.policy.weights.seniority
    for a in sorted(agency.accounts, key=lambda a: a.id):
        pin = pins.get(a.id)
        modes = [m for m in layout.modes if m == SPLIT or layout.end_to_end_allowed(a)]
        if pin is not None and pin.mode is not None:
            modes = [m for m in modes if m == pin.mode]
        idxs = []
        work = sum(layout.project_hours(pr) for pr in a.projects) or 1
        for pr in sorted(a.projects, key=lambda p: p.id):
            idxs.append(len(projects))
            hours = layout.project_hours(pr)
            weight = a.fee * per_mille * hours // (1000 * work) if pr.complexity >= SENIOR_COMPLEXITY else 0
            projects.append(ProjectNeed(len(projects), len(accounts), pr, hours, layout.project_level(pr), weight))
        today = by_id[a.lead].index if a.lead in by_id and not by_id[a.lead].is_hire else None
        pinned = None
        if pin is not None and pin.lead is not None:
            if pin.lead in by_id:
                pinned = by_id[pin.lead].index
            else:
                unknown_pins.append(a.id)
        accounts.append(
            AccountNeed(
                len(accounts),
                a,
                tuple(modes),
                layout.account_hours(a),
                tuple(idxs),
                today,
                pinned,
                pin.lead if pin else None,
                a.fee * per_mille // 1000 if a.tier <= SENIOR_TIER else 0,
            )
        )

    elig = Eligibility(units, layout)

    # --- pruning: today's lead, the pinned lead, a spread of staff, a few slots of each hire option.
    cut = [False]
    # what `prune` reads of a candidate list, worked out once per list (the lists are shared by
    # every need with the same requirement): staff by level, most senior first, and the hire
    # slots by option
    Layers = tuple[list[int], list[list[int]], list[tuple[str, list[int]]], set[int]]
    layers: dict[int, Layers] = {}

    def layered(full: list[int]) -> Layers:
        got = layers.get(id(full))
        if got is None:
            staff = [i for i in full if not units[i].is_hire]
            by_level: dict[int, list[int]] = defaultdict(list)
            for i in staff:
                by_level[units[i].level].append(i)
            # hire slots by kind of hire: options that differ only in id, name and number (as
            # in an agency made of copies) are one pool, else every need would keep slots of
            # each (ten copies of the large sample: 280 slots and 10 people per need)
            per_kind: dict[tuple[object, ...], list[int]] = defaultdict(list)
            first_id: dict[tuple[object, ...], str] = {}
            for i in full:
                option = units[i].option
                if option is not None:  # a hire slot
                    kind = (option.role, option.level, option.cost, option.fte, frozenset(option.service_lines))
                    per_kind[kind].append(i)
                    first_id[kind] = min(first_id.get(kind, option.id), option.id)
            per_option = sorted((first_id[kind], slots) for kind, slots in per_kind.items())
            groups = [by_level[lv] for lv in sorted(by_level, reverse=True)]
            got = (staff, groups, per_option, set(full))
            layers[id(full)] = got
            keep_alive.append(full)
        return got

    keep_alive: list[list[int]] = []

    def most_senior(groups: list[list[int]], key: object) -> list[int]:
        """The SENIORS_K most senior of `groups`, ties by a stable hash: sorted(...)[:SENIORS_K]."""
        out: list[int] = []
        for group in groups:
            if len(out) + len(group) <= SENIORS_K:
                out += group
            else:
                prefix = f"{key}|"  # _stable_hash(key, i) without joining per member
                out += heapq.nsmallest(SENIORS_K - len(out), group, key=lambda i: _hash_text(prefix + str(i)))
            if len(out) >= SENIORS_K:
                break
        return out

    def prune(full: list[int], key: object, k: int, keep: tuple[int | None, ...], seniors: bool = False) -> list[int]:
        if len(full) <= k + slots_k:
            return list(full)
        cut[0] = True
        staff, groups, per_option, members = layered(full)  # len(full) > k: hire slots apart
        chosen: set[int] = set()
        if seniors:  # work that pays for seniority keeps the most senior candidates
            chosen.update(most_senior(groups, key))
        if len(staff) <= k:
            chosen.update(staff)
        else:
            n = len(staff)
            start = _stable_hash(key) % n
            stride = max(1, n // k)
            chosen.update(staff[(start + j * stride) % n] for j in range(k))
        chosen.update(i for i in keep if i is not None and i in members)
        prefix = f"{key}|"
        for opt, slots in per_option:
            if len(slots) <= slots_k + 1:
                chosen.update(slots)
            else:
                start = _hash_text(prefix + opt) % len(slots)  # _stable_hash(key, opt)
                chosen.add(slots[0])
                chosen.update(slots[(start + j) % len(slots)] for j in range(slots_k))
        return sorted(chosen)

    lead_cands = {
        (acc.index, m): prune(
            elig.leads(acc, projects, m),
            ("lead", acc.account.id, m),
            lead_k,
            (acc.today, acc.pinned_lead),
            seniors=acc.senior_weight > 0,
        )
        for acc in accounts
        for m in acc.modes
    }
    manage_cands = {
        (pn.index, m): prune(elig.managers(pn, m), ("pm", pn.project.id, m), manage_k, (), seniors=pn.senior_weight > 0)
        for pn in projects
        for m in accounts[pn.account].modes
    }
    tops: dict[int, int] = {}

    def top_level(cands: list[int]) -> int:
        """The most senior level in a shared candidate list (0 for none), once per list."""
        if id(cands) not in tops:
            tops[id(cands)] = max((units[i].level for i in cands), default=0)
            keep_alive.append(cands)
        return tops[id(cands)]

    top_lead_level = {
        (acc.index, m): top_level(elig.leads(acc, projects, m))
        for acc in accounts
        for m in acc.modes
        if acc.senior_weight
    }
    top_manager_level: dict[tuple[int, str], int] = {}
    for pn in projects:
        if not pn.senior_weight:
            continue
        acc = accounts[pn.account]
        for m in acc.modes:
            top = top_level(elig.managers(pn, m))
            if m == E2E:  # the lead may run it too
                top = max(top, top_level(elig.leads(acc, projects, m)))
            top_manager_level[pn.index, m] = top

    # --- mentoring
    span = agency.policy.mentoring_span or layout.mentoring.span
    mentor_cands: dict[int, list[int]] = {}
    if layout.mentoring.required and E2E in layout.modes:
        mentors = [u.index for u in units if u.role.mentors]
        mentees = sorted({u for (a, m), c in lead_cands.items() if m == E2E for u in c})
        staff_m = [i for i in mentors if not units[i].is_hire]
        hire_m = [i for i in mentors if units[i].is_hire]
        for n, u in enumerate(mentees):
            if len(staff_m) <= mentor_k:
                chosen = list(staff_m)
            else:
                step = max(1, len(staff_m) // mentor_k)
                chosen = [staff_m[(n + j * step) % len(staff_m)] for j in range(mentor_k)]
            chosen += hire_m[:slots_k]
            mentor_cands[u] = sorted(set(chosen) - {u})

    accountable: dict[str, frozenset[str]] = {}
    for m in layout.modes:
        roles = set()
        for d in layout.duties:
            assignment = d.assignment(m)
            if assignment is not None and len(assignment.accountable) == 1:
                roles.add(assignment.accountable[0])
        accountable[m] = frozenset(roles)

    rate = hourly_rate(agency)
    return Problem(
        agency=agency,
        layout=layout,
        units=units,
        accounts=accounts,
        projects=projects,
        lead_cands=lead_cands,
        manage_cands=manage_cands,
        mentor_cands=mentor_cands,
        span=span,
        coordination_cost=layout.effort.coordination_hours * rate,
        hourly_rate=rate,
        accountable=accountable,
        elig=elig,
        top_lead_level=top_lead_level,
        top_manager_level=top_manager_level,
        pruned=cut[0],
        unknown_pins=unknown_pins,
    )
