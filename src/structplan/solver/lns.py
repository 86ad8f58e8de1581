"""Decomposition for very large agencies: re-solve windows of accounts, keep what improves.

A model of every account at once (2000 accounts x 6000 people: about 180k variables) spends
its whole budget in presolve. Here the plan is improved a window at a time: the accounts of
a window are freed, everything else stays as it is (its hours, mentors and hires become
constants), and a small CP-SAT model re-staffs the window. A window's result is kept only when
the whole plan's cost, evaluated from scratch, goes down, so the plan can only get better.
Windows group accounts that draw on the same people (by service line and tier), so moving
work between them is possible, and rotate each round. Each window's search and the whole run
are bounded in CP-SAT's deterministic time, so the same seed gives the same plan on any machine
unless the wall-clock deadline comes first.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from structplan.model import E2E, SPLIT
from structplan.solver.build import Fixed, add_hint, build, extend_candidates, read_solution
from structplan.solver.greedy import Solution, account_terms, evaluate, lead_price, project_prices, shared_terms
from structplan.solver.prep import Problem

#: how many idle hire slots of a kind a window may open (one: a window rarely needs two new
#: people of one kind, and the next window can open another; each slot is a candidate of most
#: needs, so at 2 they were half of a window's variables)
SPARE = 1
#: staff candidates per need that a window looks at: the cheapest for it, then the least loaded
#: outside the window (besides whoever does it now); and hire slots per need, the cheapest
#: counting an unopened slot's cost. Smaller windows models mean more windows for the same
#: effort (four copies of the large sample, merged, effort 8: 48 windows and 9,244,167 with every
#: candidate and two idle slots of a kind; 92 and 9,218,962 with one; 112 and 9,217,463 with six
#: staff; 176 and 9,183,495 with two hire slots a need, 201 and 9,168,138 with one). Presolve
#: removed most of the others. Two hire slots, not one: 25 copies of the mid-size sample,
#: hybrid, gave 2,927,355 with two, 3,192,240 with one, 3,201,466 with three, 3,010,684 with all.
WIDTH = 6
HIRE_WIDTH = 2

#: model entries (variables and constraints) counted as one deterministic second of a window.
#: CP-SAT leaves its presolve out of deterministic time, and presolve (with building the model
#: in Python) is nearly all of a window's work: a 40-account window of ten copies of the large
#: sample, merged, 7,517 variables and 11,352 constraints, took 0.6 s, 0.001 of them counted.
#: Counting the entries makes the search's length a property of the input, not of the
#: machine's speed or load, so that a search the clock does not stop repeats byte for byte.
#: At 100,000 the default effort (8) ends ten copies of the large sample, merged, at 36-46 s on
#: an idle machine (the same bytes every run); under two busy loops at 57 s in one run, the same
#: bytes, and after the 60 s clock in two others (bench/RESULTS.md).
ENTRIES_PER_S = 100_000


def _kinds(pb: Problem) -> list[list[int]]:
    """Hire slots that differ in nothing a plan can tell apart (as the slots of one option, or of
    options that differ only in id and name), each group in index order."""
    pinned = {acc.pinned_lead for acc in pb.accounts}
    by_kind: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for u in pb.units:
        if u.is_hire and u.index not in pinned:
            key = (u.role.id, u.discipline, u.level, u.cost, u.capacity, u.limit, u.target, u.lines)
            by_kind[key].append(u.index)
    return [slots for slots in by_kind.values() if len(slots) > SPARE]


def _spare(pb: Problem, sol: Solution, kinds: list[list[int]]) -> dict[int, tuple[int, ...]]:
    """Each idle hire slot to the first SPARE idle slots of its kind. Every need keeps a sample of
    each kind's slots (prep.py), so the needs of a window see many different idle slots, and
    CP-SAT spent most of a window's presolve on them (ten copies of the large sample, merged: of
    12,507 variables 4,834 were idle slots, and 115 were left)."""
    used = sol.opened(pb)
    out: dict[int, tuple[int, ...]] = {}
    for slots in kinds:
        idle = [u for u in slots if u not in used]
        first = tuple(idle[:SPARE])
        for u in idle:
            out[u] = first
        for u in first:  # a slot standing for others may lead end to end: it needs their mentors
            if not pb.mentor_cands.get(u) and (others := [v for v in idle if pb.mentor_cands.get(v)]):
                pb.mentor_cands[u] = [v for v in pb.mentor_cands[others[0]] if v != u]
    return out


class _Wide:
    """Every staff member eligible for a need, by what they would cost for it, for the windows to
    offer the cheapest with room: pruning keeps about ten candidates per need (prep.py), and in a
    big agency those ten are a small and arbitrary part of who could do it. In 25 copies of the
    mid-size sample, merged, the plan had senior accounts led a level below the top while top-level
    people led routine ones (38 and 31 of 1,000; one copy's optimum x 25: 25 and 0): the three most
    senior candidates pruning keeps of about a hundred were busy. Offered to work whose holder
    costs something for it (seeds 0 / 1 / 2, objective before -> after): merged 8,700,909 /
    8,734,158 / 8,715,568 -> 8,671,834 / 8,651,510 / 8,657,067 (the reference is 8,597,525);
    hybrid 2,922,654 / 3,102,308 / 3,113,113 -> 3,015,278 / 3,019,192 / 2,940,774. Offered only
    to work that pays seniority: merged 8,719,075 / 8,716,697 / 8,719,070, hybrid the same; in
    place of the candidates rather than beside them: merged 8,967,141 (every need of a window
    then sees the same six least loaded people)."""

    def __init__(self, pb: Problem) -> None:
        self.units = pb.units
        self.limit = np.array([u.limit for u in pb.units], dtype=np.int64)
        self.classes: dict[int, list[tuple[int, int, np.ndarray]]] = {}
        self.lists: list[list[int]] = []  # the lists `classes` is keyed by, kept alive

    def _classes(self, full: list[int]) -> list[tuple[int, int, np.ndarray]]:
        """Staff of `full` by level, discipline and role (what a price depends on besides being
        today's lead, which the pruned candidates keep): first and last member, and all."""
        got = self.classes.get(id(full))
        if got is None:
            by: dict[tuple[int, str, str], list[int]] = defaultdict(list)
            for u in full:
                unit = self.units[u]
                if not unit.is_hire:
                    by[unit.level, unit.discipline, unit.role.id].append(u)
            got = [(ms[0], ms[-1], np.array(ms, dtype=np.int64)) for _, ms in sorted(by.items())]
            self.classes[id(full)] = got
            self.lists.append(full)
        return got

    def picker(self, hours: list[int], width: int) -> Callable[[list[int], int, Callable[[int], int], int], list[int]]:
        base = np.array(hours, dtype=np.int64)
        limit = self.limit

        def pick(full: list[int], need: int, price: Callable[[int], int], below: int) -> list[int]:
            by_price: dict[int, list[np.ndarray]] = defaultdict(list)
            for first, last, members in self._classes(full):
                if (cost := max(price(first), price(last))) < below:
                    by_price[cost].append(members)
            out: list[int] = []
            for cost in sorted(by_price):
                members = np.concatenate(by_price[cost])
                ok = members[base[members] + need <= limit[members]]
                if ok.size:
                    load = base[ok] / np.maximum(1, limit[ok])
                    out += ok[np.lexsort((ok, load))][: width - len(out)].tolist()
                if len(out) >= width:
                    break
            return out

        return pick


def _fixed(
    pb: Problem,
    sol: Solution,
    window: set[int],
    spare: dict[int, tuple[int, ...]] | None = None,
    wide: _Wide | None = None,
    making_room: bool = False,
) -> Fixed:
    rest = Solution(
        mode={a: m for a, m in sol.mode.items() if a not in window},
        lead={a: u for a, u in sol.lead.items() if a not in window},
        manager={p: u for p, u in sol.manager.items() if pb.projects[p].account not in window},
    )
    e2e_outside = {u for a, u in rest.lead.items() if rest.mode[a] == E2E}
    rest.mentor = {u: v for u, v in sol.mentor.items() if u in e2e_outside}
    hours = rest.hours(pb)
    mentees: dict[int, int] = defaultdict(int)
    for v in rest.mentor.values():
        mentees[v] += 1
    target = round(pb.agency.policy.target_utilization * 100)
    worst = 0
    for u in pb.units:
        if u.capacity and hours[u.index]:
            worst = max(worst, -(-100 * hours[u.index] // u.capacity) - target)
    led: dict[int, int] = defaultdict(int)
    for account_index, lead_index in rest.lead.items():
        if rest.mode[account_index] == E2E:
            led[lead_index] += 1
    return Fixed(
        hours,
        frozenset(rest.mentor),
        dict(mentees),
        dict(led),
        frozenset(rest.opened(pb)),
        max(0, worst),
        has_split=any(m == SPLIT for m in rest.mode.values()),
        has_end_to_end=any(m == E2E for m in rest.mode.values()),
        spare=spare or {},
        width=WIDTH,
        hire_width=HIRE_WIDTH,
        holders={("lead", a, sol.mode[a]): sol.lead[a] for a in window}
        | {("pm", p, sol.mode[a]): sol.manager[p] for a in window for p in pb.accounts[a].projects if p in sol.manager},
        pick=wide.picker(hours, WIDTH) if wide is not None else None,
        making_room=making_room,
    )


def _windows(pb: Problem, size: int, rng: random.Random) -> list[list[int]]:
    def line(a: int) -> str:
        ps = pb.accounts[a].projects
        return pb.projects[ps[0]].project.service_line if ps else ""

    order = sorted(range(len(pb.accounts)), key=lambda a: (line(a), pb.accounts[a].account.tier, rng.random()))
    shift = rng.randrange(size)
    order = order[shift:] + order[:shift]
    return [order[i : i + size] for i in range(0, len(order), size)]


def _around(pb: Problem, sol: Solution, size: int, rng: random.Random) -> list[list[int]]:
    """Windows centred on the opened hire slots, in random order: the accounts a slot works on,
    then those of the people who could take its work instead, up to `size`. A slot is closed
    only when all its work moves at once, to people whose own work may have to move to others:
    windows by service line rarely hold all of that."""
    touches = _touches(pb, sol)
    centres = sorted(u for u in touches if pb.units[u].is_hire)
    rng.shuffle(centres)
    out = []
    for c in centres:
        window = sorted(touches[c])[:size]
        instead: set[int] = set()
        for a in window:
            md = sol.mode[a]
            if sol.lead[a] == c:
                instead.update(pb.lead_cands.get((a, md), []))
            for p in pb.accounts[a].projects:
                if sol.manager.get(p) == c:
                    instead.update(pb.manage_cands.get((p, md), []))
        out.append(_grow(window, instead - {c}, touches, size, rng))
    return out


#: staff per piece of a hire slot's work whose accounts a room-making window holds
MAKERS = 4
#: windows between two turns of room-making ones (one for each hire slot open then)
ROOM_EVERY = 25


def _making_room(pb: Problem, sol: Solution, size: int, rng: random.Random) -> list[list[int]]:
    """Windows centred on the opened hire slots, in random order: the accounts a slot works on,
    then those of the staff eligible for its work who are nearest to having room for it. When
    few of everyone eligible have room (25 copies of the mid-size sample, separate: a senior PM
    hired for two 500 h projects that 50 and 75 staff may manage, of whom 1 and 0 have room for
    one), a slot closes only if some of them hand routine work to the many others who could do
    it, and take the slot's in its place. Such a window offers all of its work the least loaded
    of everyone eligible (`Fixed.pick`), not only work that costs something as it is done."""
    if pb.elig is None or not (opened := sol.opened(pb)):
        return []
    hours = sol.hours(pb)
    touches = _touches(pb, sol)
    centres = sorted(u for u in touches if u in opened)
    rng.shuffle(centres)
    out = []
    for c in centres:
        makers: set[int] = set()
        for need, eligible in _held(pb, sol, c):
            staff = [v for v in eligible if not pb.units[v].is_hire]
            staff.sort(key=lambda v: (hours[v] + need - pb.units[v].target, v))
            makers.update(staff[:MAKERS])
        out.append(_grow(sorted(touches[c])[:size], makers, touches, size, rng))
    return out


def _held(pb: Problem, sol: Solution, u: int) -> list[tuple[int, list[int]]]:
    """The hours of each piece of work `u` does in `sol`, and every unit eligible for it."""
    assert pb.elig is not None
    out = []
    coord = pb.layout.effort.coordination_hours
    for a, lead in sol.lead.items():
        if lead == u:
            acc, md = pb.accounts[a], sol.mode[a]
            out.append((acc.relationship + (coord if md == SPLIT else 0), pb.elig.leads(acc, pb.projects, md)))
    for p, manager in sol.manager.items():
        if manager == u and sol.lead.get(pb.projects[p].account) != u:
            pn = pb.projects[p]
            out.append((pn.hours, pb.elig.managers(pn, sol.mode[pn.account])))
    return out


def _touches(pb: Problem, sol: Solution) -> dict[int, set[int]]:
    """Each unit to the accounts it works on in `sol`."""
    touches: dict[int, set[int]] = defaultdict(set)
    for a, u in sol.lead.items():
        touches[u].add(a)
    for p, u in sol.manager.items():
        touches[u].add(pb.projects[p].account)
    return touches


def _grow(window: list[int], units: set[int], touches: dict[int, set[int]], size: int, rng: random.Random) -> list[int]:
    """`window` and then the accounts of `units`, in random order, up to `size`."""
    others = sorted(units)
    rng.shuffle(others)
    for a in (a for u in others for a in sorted(touches.get(u, ()))):
        if len(window) >= size:
            break
        if a not in window:
            window.append(a)
    return window


def _dearer(pb: Problem, sol: Solution, size: int, rng: random.Random) -> list[list[int]]:
    """Windows centred on the work done by someone dearer for it than another candidate (below
    the most senior level, or a generalist running complex execution), the dearest first: the
    account, then the accounts of the candidates who would do that work for less, up to `size`.
    Such a candidate is busy elsewhere, so the work can move only with theirs: windows by
    service line rarely hold both ends."""
    touches = _touches(pb, sol)
    cheaper: dict[int, set[int]] = defaultdict(set)  # account -> units that would do some of its work for less
    dear: dict[int, int] = defaultdict(int)  # account -> what its lead and projects pay in those prices
    for a, u in sol.lead.items():
        md = sol.mode[a]
        paid = lead_price(pb, a, md, u)
        dear[a] += paid
        if paid:
            cheaper[a].update(v for v in pb.lead_cands.get((a, md), []) if lead_price(pb, a, md, v) < paid)
        for p in pb.accounts[a].projects:
            m = sol.manager.get(p)
            if m is None:
                continue
            paid = sum(project_prices(pb, p, md, m))
            dear[a] += paid
            if paid:
                cands = pb.manage_cands.get((p, md), []) + (pb.lead_cands.get((a, md), []) if md == E2E else [])
                cheaper[a].update(v for v in cands if sum(project_prices(pb, p, md, v)) < paid)
    centres = sorted(a for a, units in cheaper.items() if units)
    rng.shuffle(centres)
    # the dearest first, ties in random order: the effort leaves room for a few hundred windows
    # (replicated suite, before -> after: four copies of the large sample, merged, 9,183,495 ->
    # 9,144,665, ten copies 23,099,847 -> 22,995,890, hybrid 7,776,307 -> 7,755,733; 25 of the
    # mid-size sample, hybrid, 2,927,355 -> 2,922,654)
    centres.sort(key=lambda a: -dear[a])
    out = []
    for a in centres:
        out.append(_grow([a], cheaper[a], touches, size, rng))
    return out


def improve(
    pb: Problem,
    sol: Solution,
    deadline: float,
    seed: int = 0,
    stop: threading.Event | None = None,
    on_better=None,
    size: int = 40,
    window_limit: float = 0.05,
    effort: float = 0.0,
) -> tuple[Solution, float, str, float]:
    """The best plan found by re-solving windows until `effort` deterministic seconds are spent
    (each window gets at most `window_limit` of them; its model's size counts too, see
    ENTRIES_PER_S) or the wall-clock `deadline` comes; when it was last improved; what stopped it
    ("effort", "clock" or "user"); and the deterministic seconds spent.

    Many small, short windows do better than a few large ones: most of a window is fixed by
    the hours of the rest (a 40-account window of four copies of the large sample, 5,131
    variables, is 90 after presolve), so each window is quick and the plan moves by many small
    steps (those four copies, separate, 30 s from the hand method's plan: 40 accounts and 0.05
    deterministic s a window 3,188,214; 0.1 s 3,233,186; 150 accounts and 3 s 3,451,214; the
    reference, four times the one-copy plan, is 3,140,824)."""
    rng = random.Random(seed)
    best = sol
    best_obj = sum(evaluate(pb, sol).values())
    # a window changes what its own accounts cost and the terms they share: the rest of the sum
    # is kept (evaluating a whole plan of ten copies of the large sample took 44 ms a window)
    per_account = [sum(account_terms(pb, sol, a)) for a in range(len(pb.accounts))]
    accounts_cost = sum(per_account)
    last = time.monotonic()
    spent = 0.0
    overhead = 0.3  # the most a window took beyond its search (building, reading, checking)

    def stopped() -> str:
        if stop is not None and stop.is_set():
            return "user"
        if effort > 0 and spent >= effort:
            return "effort"
        if time.monotonic() >= deadline - overhead:
            return "clock"
        return ""

    kinds = _kinds(pb)
    wide = _Wide(pb) if pb.elig is not None else None
    spare = _spare(pb, best, kinds)  # changes only with the plan's opened slots
    turn = 0
    while not stopped():
        improved_round = False
        turn += 1
        # every other round centres its windows on the hire slots, when any is open (25 copies
        # of the mid-size sample, hybrid, 55 s from the all-split hand plan: 4,549,759 with 13
        # hires -> 4,142,721 with 9; in every round, 4,417,520: they close slots by overloading)
        # and, taking turns with those, on work done dearer than another candidate would do it
        # (replicated suite, objective / reference, before -> after: four copies of the large
        # sample 0.993 / 0.993 / 1.015 -> 0.987 / 0.986 / 1.014, 25 of the mid-size sample,
        # hybrid 0.991 -> 0.983, merged 1.037 -> 1.020; dearer windows in every round, or ahead
        # of those by service line, did worse: 25 of the mid-size sample, hybrid, 1.238)
        centred = _interleave(_around(pb, best, size, rng), _dearer(pb, best, size, rng)) if turn % 2 == 0 else []
        windows = deque((w, False) for w in centred or _windows(pb, size, rng))
        # room-making windows first, and again every ROOM_EVERY windows while a slot is open:
        # rounds are long (one dearer window per account that pays for its staffing), and a
        # slot opened by one window could wait rounds for the next (25 copies of the mid-size
        # sample, seeds 0 / 1 / 2, objective / reference, before -> after: separate 0.913 /
        # 0.941 / 0.971 with 0, 1 and 2 hires -> 0.913 / 0.915 / 0.916 with none; hybrid 0.957
        # / 0.958 / 0.933 -> 0.926 / 0.928 / 0.932, none. Only at the start of each round:
        # separate 0.913 / 0.941 / 0.942; free to open another slot of the kind, as the windows
        # around the hires are, and every other round: 0.915 / 0.969 / 0.915)
        since = ROOM_EVERY
        while windows and not stopped():
            if since >= ROOM_EVERY:
                windows.extendleft(reversed([(w, True) for w in _making_room(pb, best, size, rng)]))
                since = 0
            window, making_room = windows.popleft()
            since += 1
            began = time.monotonic()
            fixed = _fixed(pb, best, set(window), spare, wide, making_room)
            built = build(pb, window=window, fixed=fixed)
            add_hint(built, pb, best)
            solver = cp_model.CpSolver()
            solver.parameters.catch_sigint_signal = False  # Ctrl-C is ours (solve runs off the main thread)
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = seed
            solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic() - overhead)
            solver.parameters.max_deterministic_time = min(window_limit, effort - spent) if effort > 0 else window_limit
            # one presolve pass without probing: a window is small and fixed for the most part
            # (four copies of the large sample, 60 s: hybrid 4,323,808 -> 3,784,535; separate
            # 3,143,986 -> 3,143,583 and merged 10,360,755 -> 10,340,250, within their spread)
            solver.parameters.max_presolve_iterations = 1
            solver.parameters.cp_model_probing_level = 0
            status = solver.solve(built.model)
            proto = built.model.proto
            spent += solver.deterministic_time + (len(proto.variables) + len(proto.constraints)) / ENTRIES_PER_S
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                overhead = max(overhead, time.monotonic() - began - solver.wall_time)
                continue
            part = read_solution(built, pb, solver.boolean_value)
            cand = Solution(dict(best.mode), dict(best.lead), dict(best.manager), dict(best.mentor))
            for a in window:
                cand.mode[a] = part.mode[a]
                cand.lead[a] = part.lead[a]
                for p in pb.accounts[a].projects:
                    cand.manager[p] = part.manager[p]
            # mentors: keep the fixed ones, take the window's new ones, drop those no longer needed
            e2e = {u for a, u in cand.lead.items() if cand.mode[a] == E2E}
            cand.mentor = {u: v for u, v in best.mentor.items() if u in e2e and u in fixed.mentored}
            cand.mentor.update({u: v for u, v in part.mentor.items() if u in e2e})
            for u in e2e:
                if u not in cand.mentor and u in best.mentor:
                    cand.mentor[u] = best.mentor[u]
            hours = cand.hours(pb)
            changed = {a: sum(account_terms(pb, cand, a)) for a in window}
            delta = sum(changed.values()) - sum(per_account[a] for a in window)
            obj = sum(shared_terms(pb, cand, hours).values()) + accounts_cost + delta
            overhead = max(overhead, time.monotonic() - began - solver.wall_time)
            if obj < best_obj and _valid(pb, cand, hours):
                best, best_obj = cand, obj
                accounts_cost += delta
                for a, cost in changed.items():
                    per_account[a] = cost
                extend_candidates(pb, best, window)  # the slots it opened in place of others
                spare = _spare(pb, best, kinds)
                last = time.monotonic()
                improved_round = True
                if on_better is not None:
                    on_better(best_obj)
        if not improved_round and not stopped():
            size = min(len(pb.accounts), int(size * 1.5))  # stuck: look at bigger windows
    return best, last, stopped(), spent


def _interleave(first: list[list[int]], second: list[list[int]]) -> list[list[int]]:
    """One of each in turn, the rest of the longer at the end."""
    return [w for pair in itertools.zip_longest(first, second) for w in pair if w is not None]


def _valid(pb: Problem, sol: Solution, hours: list[int]) -> bool:
    """Capacity and mentoring span hold (the window model guarantees the rest); `hours` are the
    plan's (`Solution.hours`)."""
    if any(hours[u.index] > u.limit for u in pb.units):
        return False
    if pb.layout.mentoring.required:
        count: dict[int, int] = defaultdict(int)
        for v in sol.mentor.values():
            count[v] += 1
        if any(c > pb.span for c in count.values()):
            return False
        e2e = {u for a, u in sol.lead.items() if sol.mode[a] == E2E}
        if e2e - set(sol.mentor):
            return False
    return all(a in sol.mode and (sol.mode[a] == SPLIT or sol.mode[a] == E2E) for a in range(len(pb.accounts)))
