"""Lower bounds on every plan of a problem, from its accounts one at a time.

Leave out everything that ties accounts together through people (capacity, hires, overload,
imbalance, the accounts one person may lead, voices, junior support) and each account is a
small problem of its own: its cheapest mode, lead and managers among its candidates, priced
exactly as the model prices them (greedy.evaluate). What ties accounts together only through
the structure is kept exactly: the PM department's head is paid once if any account is split,
clarity once if a mixed structure runs any account end to end, and every end-to-end lead has
a mentor (so at least 1/cap of a mentor per end-to-end account, cap the accounts one lead may
run end to end). That is the floor (`local_bound`).

Leaving terms out and choosing per account can only make the cost lower, so the sum is a
valid bound of the model CP-SAT searches (the same candidate lists). Capacity is then brought
back as a price on each person's hours (a Lagrangian relaxation, `Priced`): every choice also
pays its hours at the price of whoever does them, each person's limit at their price is paid
back, and for any prices >= 0 the result still lies below every plan (a plan keeps every limit,
so what it is charged never exceeds what comes back). Overload is brought back with it: what
comes back is the most a person's hours at their price, less the overload past their target,
can be worth to a plan (the target at their price while the price is below an overload hour's
cost, else the limit at their price less the overload up to it), so a plan that loads people
past their target pays for it in the bound too (the large sample, separate, towards 785,629:
742,552 -> 753,123, the LP relaxation's 755,509; ten copies of it 7,246,502 -> 7,402,714,
hybrid 6,984,824 -> 7,117,220, merged 22,061,669 -> 22,230,976). The same goes for the end-to-end
accounts one person leads: a price per account beyond the first few (at most what their junior
support costs) and beyond the most one may lead, each paid back for those first few and that
most. Subgradient steps raise the prices of the people the relaxed choice overloads, hours
first, then hours and accounts together (`Priced.search`). Both need no model and are quick
(ten copies of the large sample, merged: the floor 0.9 s; 100 steps 1.9 s more), so they are
the bound of the window search (lns.py) and floors under CP-SAT's own bound.
"""

from __future__ import annotations

import math

import numpy as np

from structplan.model import E2E, SPLIT
from structplan.solver.greedy import lead_penalties, lead_price, project_prices
from structplan.solver.prep import Problem


def local_bound(pb: Problem) -> int:
    """The floor described in the module docstring (0 when the problem has no plan at all)."""
    return max(0, math.floor(Priced(pb).value(np.zeros(len(pb.units)))[0]))


#: Subgradient steps of `Priced.search` (measured before overload was priced: ten copies of the
#: large sample, merged, the plan
#: 23,167,441, the floor 21,140,250: hours priced alone, 100 steps 1.9 s, 21,374,401, 300 steps
#: 5.1 s, 21,437,485; 50 steps on hours then 50 on hours and accounts 22,087,489; 100 and then 50
#: more 22,072,763, with the large sample's merged bound 2,206,040 -> 2,137,488).
ROUNDS = 100


class Priced:
    """bound.py's floor with a price on every hour of every person (a Lagrangian relaxation of
    capacity): each choice of an account also pays its hours at the price of whoever does them,
    and every person's price times their limit comes back, so for any prices >= 0 the result is
    still below every plan. Good prices (found by `search`) make people who are short of hours
    dear, which is what the floor leaves out."""

    def __init__(self, pb: Problem) -> None:
        self.pb = pb
        lay = pb.layout
        w = pb.agency.policy.weights
        fr = lay.friction
        cap = max(1, lay.end_to_end.max_accounts_per_lead)
        mentor_share = lay.mentoring.hours_per_mentee * pb.hourly_rate / cap if lay.mentoring.required else 0.0
        coord = lay.effort.coordination_hours
        # every choice a group of candidates offers: (group, unit, static cost, hours); the
        # groups of an account and mode are its lead and each of its projects
        units: list[int] = []
        static: list[float] = []
        hours: list[float] = []
        starts: list[int] = []
        ends: list[bool] = []  # whether a choice is an end-to-end account's lead
        groups_of: list[tuple[int, str]] = []  # group -> (account, mode)
        fixed: dict[tuple[int, str], float] = {}  # (account, mode) -> its cost beside the groups
        for acc in pb.accounts:
            a = acc.index
            for md in acc.modes:
                leads = pb.lead_cands.get((a, md), [])
                if acc.pinned_lead_id is not None:
                    leads = [u for u in leads if u == acc.pinned_lead]
                if not leads:
                    continue
                rows = [
                    (u, float(lead_price(pb, a, md, u) + sum(lead_penalties(pb, a, u))), acc.relationship)
                    for u in leads
                ]
                if md == SPLIT:
                    rows = [(u, c, h + coord) for u, c, h in rows]
                groups = [rows]
                for p in acc.projects:
                    pn = pb.projects[p]
                    opts = [
                        (u, float(sum(project_prices(pb, p, md, u))), pn.hours)
                        for u in pb.manage_cands.get((p, md), [])
                    ]
                    if md == E2E:
                        own = w.friction if pn.project.complexity >= fr.lead_execution_complexity else 0
                        opts += [(u, float(sum(project_prices(pb, p, md, u)) + own), pn.hours) for u in leads]
                    groups.append(opts)
                if any(not g for g in groups):
                    continue  # no way to staff the account in this mode
                for i, g in enumerate(groups):
                    starts.append(len(units))
                    groups_of.append((a, md))
                    for u, c, h in g:
                        units.append(u)
                        static.append(float(c))
                        hours.append(float(h))
                        ends.append(i == 0 and md == E2E)
                fixed[a, md] = pb.coordination_cost if md == SPLIT else mentor_share
        self.units = np.array(units, dtype=np.int64)
        self.static = np.array(static)
        self.hours = np.array(hours)
        self.starts = np.array(starts, dtype=np.int64)
        self.group_of = np.repeat(np.arange(len(starts)), np.diff(np.append(self.starts, len(units))))
        n = len(pb.accounts)
        # (account, mode) pairs as one index: account * 2 + (1 for end to end)
        self.slot = np.array([2 * a + (md == E2E) for a, md in groups_of], dtype=np.int64)
        self.base = np.full(2 * n, np.inf)
        for (a, md), c in fixed.items():
            self.base[2 * a + (md == E2E)] = c
        self.limit = np.array([u.limit for u in pb.units], dtype=float)
        # hours above a person's target cost `overload` each: at an hour price below that, the
        # most a person's hours can be worth to a plan is their target at that price
        self.target = np.minimum(self.limit, np.array([max(0, u.target) for u in pb.units], dtype=float))
        self.overload = float(w.overload)
        self.hire_cost = np.array([u.cost if u.is_hire else 0 for u in pb.units], dtype=float)
        self.is_hire = np.array([u.is_hire for u in pb.units])
        self.ends = np.array(ends, dtype=bool)
        # the accounts one person may lead end to end, and the junior support beyond the first few
        self.cap = float(lay.end_to_end.max_accounts_per_lead)
        self.free = float(lay.costs.accounts_without_support)
        self.support = float(lay.costs.junior_support_hours * pb.hourly_rate)
        self.head = lay.costs.department_head_hours * pb.hourly_rate
        mixed = SPLIT in lay.modes and E2E in lay.modes
        self.clarity = lay.costs.clarity_hours * pb.hourly_rate * n if mixed else 0

    def value(
        self, prices: np.ndarray, support: np.ndarray | None = None, over_cap: np.ndarray | None = None
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """The bound at `prices` per hour of each unit (>= 0), `support` per end-to-end account it
        leads beyond the first few (0 to the junior support one costs) and `over_cap` per such
        account beyond the most it may lead (>= 0); and the hours and end-to-end accounts each
        unit gets in the choices that make it (the direction in which the bound grows)."""
        nothing = (0.0, np.zeros(len(self.limit)), np.zeros(len(self.limit)))
        vals = self.static + prices[self.units] * self.hours
        per_account = np.zeros(len(self.limit))
        for price in (support, over_cap):
            if price is not None:
                per_account += price
        if per_account.any():
            vals = vals + np.where(self.ends, per_account[self.units], 0.0)
        if not len(vals):
            return nothing
        mins = np.minimum.reduceat(vals, self.starts)
        picked = np.flatnonzero(vals <= mins[self.group_of])
        _, first = np.unique(self.group_of[picked], return_index=True)
        chosen = picked[first]  # the first cheapest choice of each group
        cost = self.base + np.bincount(self.slot, weights=mins, minlength=len(self.base))
        split, e2e = cost[0::2], cost[1::2]
        if np.any(np.isinf(split) & np.isinf(e2e)):
            return nothing
        cheaper = np.minimum(split, e2e)
        cases = [
            (float(split.sum()) + self.head, np.zeros(len(split), dtype=bool)),  # every account split
            (float(e2e.sum()) + self.clarity, np.ones(len(split), dtype=bool)),  # every account end to end
            (float(cheaper.sum()) + self.head + self.clarity, e2e < split),  # each its cheaper mode
        ]
        total, ends = min(cases, key=lambda c: c[0])
        if not np.isfinite(total):
            return nothing
        # what a person's hours are worth at their price comes back, less the overload past their
        # target (the most of price x hours - overload over h in [0, limit]); a hire slot is
        # opened only where that pays
        back = self.worth(prices)
        total -= float(np.where(self.is_hire, np.maximum(0.0, back - self.hire_cost), back).sum())
        # and each unit's first few end-to-end accounts, and the most it may lead, at their prices
        if support is not None:
            total -= float(support.sum()) * self.free
        if over_cap is not None:
            total -= float(over_cap.sum()) * self.cap
        keep = (self.slot % 2 == 1) == ends[self.slot // 2]  # the groups of each account's chosen mode
        sel = chosen[keep[self.group_of[chosen]]]
        used = np.bincount(self.units[sel], weights=self.hours[sel], minlength=len(self.limit))
        led = np.bincount(self.units[sel], weights=self.ends[sel].astype(float), minlength=len(self.limit))
        return total, used, led

    def worth(self, prices: np.ndarray) -> np.ndarray:
        """Each unit's most of price x h - overload x max(0, h - target) over h in [0, limit]."""
        above = prices * self.limit - self.overload * (self.limit - self.target)
        return np.where(prices <= self.overload, prices * self.target, above)

    def worth_hours(self, prices: np.ndarray) -> np.ndarray:
        """The hours at which `worth` is reached (its slope in the price)."""
        return np.where(prices < self.overload, self.target, self.limit)

    def search(self, ceiling: int, rounds: int = ROUNDS, accounts: bool = True) -> int:
        """The best bound found in `rounds` subgradient steps towards `ceiling` (a plan's
        objective: the bound can never pass it), starting from no prices (the floor). Each kind
        of price takes its own step (hours and accounts are on different scales)."""
        n = len(self.pb.units)
        prices, support, over_cap = np.zeros(n), np.zeros(n), np.zeros(n)
        counted = accounts and bool(self.ends.any())
        best = -math.inf
        step = 1.0
        stale = 0
        half = rounds // 2 if counted else rounds
        for turn in range(rounds):
            if turn == half:  # the hours' prices first, then the accounts' too
                step, stale = 1.0, 0
            # the accounts' prices stay 0 until then: the same as pricing hours alone
            total, used, led = self.value(prices, support, over_cap)
            if total > best + 1e-9:
                best, stale = total, 0
            else:
                stale += 1
                if stale >= 3:
                    step, stale = step / 2, 0
            if total >= ceiling:
                break  # as high as the plan: nothing more to prove
            moves = [(prices, used - self.worth_hours(prices), math.inf)]
            if turn >= half:
                moves += [(support, led - self.free, self.support), (over_cap, led - self.cap, math.inf)]
            share = step * (ceiling - total) / len(moves)
            moved = False
            for price, over, top in moves:
                over = np.where((price > 0) | (over > 0), over, 0.0)
                norm = float((over * over).sum())
                if norm:
                    price[:] = np.clip(price + share / norm * over, 0.0, top)
                    moved = True
            if not moved and turn < half < rounds:
                half = turn + 1  # every limit on hours kept: on to the accounts' prices
            elif not moved:
                break  # the relaxed choice keeps every limit: these prices are as good as they get
        return max(0, math.floor(best)) if math.isfinite(best) else 0


def priced_bound(pb: Problem, ceiling: int) -> int:
    """The floor with people's hours priced (`Priced.search`), and their end-to-end accounts
    too where there are any: the better of the two, at least `local_bound`. Neither is always
    the higher (25 copies of the mid-size sample, hybrid, towards 3,099,614: hours alone
    2,391,517, with accounts 2,347,938; the large sample, merged, towards 2,280,025: 2,158,678
    and 2,215,945)."""
    priced = Priced(pb)
    hours = priced.search(ceiling, accounts=False)
    return max(hours, priced.search(ceiling)) if priced.ends.any() else hours
