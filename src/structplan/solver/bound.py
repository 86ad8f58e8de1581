"""Lower bounds on every plan of a problem, from its accounts one at a time.

Leave out everything that ties accounts together through people (capacity, hires, overload,
imbalance, the accounts one person may lead, voices, junior support) and each account is a
small problem of its own: its cheapest mode, lead and managers among its candidates, priced
exactly as the model prices them (greedy.evaluate). What ties accounts together only through
the structure is kept exactly: the PM department's head is paid once if any account is split,
clarity once if a mixed structure runs any account end to end, and every end-to-end lead has
a mentor (so at least 1/cap of a mentee's cost per end-to-end account, cap the accounts one
lead may run end to end). That is the floor (`local_bound`).

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
first, then hours and accounts together (`Priced.search`). The mentees' cost is shared out
too: each end-to-end lead choice pays a share of it, and what a person's shares could add up to
beyond their cost as a mentee is paid back (`Priced.mentoring`); the search raises the shares of
the leads the relaxed choice takes and lowers the rest. That is what the LP relaxation (relax.py)
keeps and the 1/cap share does not: the large sample, hybrid, 725,558 at 3,000 steps without it,
754,397 at `ROUNDS` with it, the LP 755,875 (the plan 786,616); ten copies, 7,136,122 -> 7,433,625
(`ROUNDS`). Both need no model and are quick
(ten copies of the large sample, merged: the floor 0.9 s; the search of 200 steps about 3 s
more), so they are
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


#: Subgradient steps of `Priced.search`, and the steps without a better bound after which the
#: step is halved. Measured with the mentees' shares priced, gap to the best plan known, 100 steps
#: halving after 3 -> 200 halving after 5 (200 after 8): the large sample, separate / hybrid /
#: merged, 4.14 / 4.57 / 2.83% -> 3.88 / 4.10 / 2.50% (3.82 / 4.01 / 2.51%); ten copies of it
#: 4.31 / 4.99 / 3.12% -> 4.01 / 4.10 / 2.72% (3.90 / 4.24 / 2.75%), hybrid's 3.1 s -> 5.2 s; 25
#: copies of the mid-size sample 10.36 / 16.69 / 4.48% -> 9.87 / 15.83 / 3.94% (9.68 / 16.20 /
#: 3.54%). 100 steps halving after 5 gave 4.13 / 4.20 / 2.78%, 4.31 / 4.23 / 3.17%, 10.31 /
#: 16.89 / 4.03%. Earlier, before overload was priced (ten copies of the large sample, merged, the
#: floor 21,140,250): hours priced alone, 100 steps 21,374,401, 300 steps 21,437,485; 50 steps on
#: hours then 50 on hours and accounts 22,087,489.
ROUNDS = 200
STALE = 5


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
        # every end-to-end lead is a mentee, who costs `mentee` and takes a mentor's hours
        self.hpm = float(lay.mentoring.hours_per_mentee) if lay.mentoring.required else 0.0
        self.mentee = self.hpm * pb.hourly_rate
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
                fixed[a, md] = pb.coordination_cost if md == SPLIT else 0.0
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
        # the share of a mentee's cost each end-to-end lead choice pays (`value`): at first what
        # the most accounts one may lead end to end prove, a share of 1/cap each
        self.share = np.where(self.ends, self.mentee / cap, 0.0)
        self.top = cap
        # each end-to-end lead candidate's mentor candidates, flat: (mentee, mentor)
        pairs = [(u, v) for u in np.unique(self.units[self.ends]) for v in pb.mentor_cands.get(int(u), [])]
        self.mentees = np.array([u for u, _ in pairs], dtype=np.int64)
        self.mentors = np.array([v for _, v in pairs], dtype=np.int64)
        # the accounts one person may lead end to end, and the junior support beyond the first few
        self.cap = float(lay.end_to_end.max_accounts_per_lead)
        self.free = float(lay.costs.accounts_without_support)
        self.support = float(lay.costs.junior_support_hours * pb.hourly_rate)
        self.head = lay.costs.department_head_hours * pb.hourly_rate
        mixed = SPLIT in lay.modes and E2E in lay.modes
        self.clarity = lay.costs.clarity_hours * pb.hourly_rate * n if mixed else 0

    def value(
        self,
        prices: np.ndarray,
        support: np.ndarray | None = None,
        over_cap: np.ndarray | None = None,
        share: np.ndarray | None = None,
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """The bound at `prices` per hour of each unit (>= 0), `support` per end-to-end account it
        leads beyond the first few (0 to the junior support one costs), `over_cap` per such
        account beyond the most it may lead (>= 0) and `share`, per choice, of a mentee's cost
        paid by each end-to-end lead choice (>= 0; `mentoring`); and the hours and end-to-end
        accounts each unit gets in the choices that make it (the direction in which the bound
        grows)."""
        total, used, led, _ = self._value(prices, support, over_cap, share)
        return total, used, led

    def _value(
        self,
        prices: np.ndarray,
        support: np.ndarray | None,
        over_cap: np.ndarray | None,
        share: np.ndarray | None,
    ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """`value`, and the direction in which the bound grows in `share`."""
        n = len(self.limit)
        nothing = (0.0, np.zeros(n), np.zeros(n), np.zeros(len(self.units)))
        # only end-to-end lead choices pay a share (the rest are no mentee's)
        share = self.share if share is None else np.where(self.ends, share, 0.0)
        vals = self.static + prices[self.units] * self.hours + share
        per_account = np.zeros(n)
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
        used = np.bincount(self.units[sel], weights=self.hours[sel], minlength=n)
        led = np.bincount(self.units[sel], weights=self.ends[sel].astype(float), minlength=n)
        # the mentees' cost, less the shares their lead choices paid (`mentoring`)
        cheapest = self.cheapest_mentor(prices)
        paid, mentored, toward = self.mentoring(prices, share, cheapest)
        total += paid
        if mentored.any() and self.hpm:  # each mentee's hours go to their cheapest mentor
            who = np.flatnonzero(mentored & (cheapest >= 0))
            used = used + np.bincount(cheapest[who], minlength=n) * self.hpm
        direction = -toward
        direction[sel] += self.ends[sel]
        return total, used, led, direction

    def mentoring(
        self, prices: np.ndarray, share: np.ndarray, cheapest: np.ndarray
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """What the mentees' cost adds to a bound whose end-to-end lead choices paid `share`.

        A unit that leads any account end to end is a mentee: it costs `mentee`, and its hours
        with a mentor at that mentor's price (at least the cheapest of its candidates'). Let T be
        the most its shares may add up to (the sum of its `top` largest: one leads at most that
        many accounts end to end) and M that cost (`cheapest`: each unit's cheapest mentor
        candidate, -1 for none). A plan pays M for a mentee, which is at least
        the shares its accounts paid plus min(0, M - T); for anyone else 0, and min(0, M - T) is
        at most that: so adding min(0, M - T) for every unit keeps the bound valid for any
        shares >= 0. Returned: that sum, the units for which M < T (the relaxation's mentees),
        and the choices whose share counts in such a T (where a higher share costs)."""
        n = len(self.limit)
        none = (0.0, np.zeros(n, dtype=bool), np.zeros(len(self.units)))
        lead_choices = np.flatnonzero(self.ends & (share > 0))
        if not len(lead_choices):
            return none
        who = self.units[lead_choices]
        order = np.lexsort((-share[lead_choices], who))
        ranked = who[order]
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        rank = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.r_[starts, len(ranked)]))
        top = order[rank < self.top]
        most = np.bincount(who[top], weights=share[lead_choices[top]], minlength=n)
        cost = np.full(n, self.mentee)
        if self.hpm:
            cost += np.where(cheapest >= 0, prices[np.maximum(cheapest, 0)], 0.0) * self.hpm
        mentored = most > cost
        toward = np.zeros(len(self.units))
        counted = lead_choices[top]
        toward[counted[mentored[self.units[counted]]]] = 1.0
        return float(np.minimum(0.0, cost - most).sum()), mentored, toward

    def cheapest_mentor(self, prices: np.ndarray) -> np.ndarray:
        """Each unit's cheapest mentor candidate at `prices` (-1 for a unit with none)."""
        best = np.full(len(self.limit), -1, dtype=np.int64)
        if len(self.mentees):
            order = np.lexsort((prices[self.mentors], self.mentees))
            first = order[np.r_[True, self.mentees[order][1:] != self.mentees[order][:-1]]]
            best[self.mentees[first]] = self.mentors[first]
        return best

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
        shares = self.share.copy()
        counted = accounts and bool(self.ends.any())
        best = -math.inf
        step = 1.0
        stale = 0
        half = rounds // 2 if counted else rounds
        for turn in range(rounds):
            if turn == half:  # the hours' prices first, then the accounts' too
                step, stale = 1.0, 0
            # the accounts' prices stay 0 until then: the same as pricing hours alone
            total, used, led, toward = self._value(prices, support, over_cap, shares)
            if total > best + 1e-9:
                best, stale = total, 0
            else:
                stale += 1
                if stale >= STALE:
                    step, stale = step / 2, 0
            if total >= ceiling:
                break  # as high as the plan: nothing more to prove
            moves = [(prices, used - self.worth_hours(prices), math.inf)]
            if turn >= half:
                moves += [(support, led - self.free, self.support), (over_cap, led - self.cap, math.inf)]
                if self.mentee:  # and the shares of the mentees' cost
                    moves.append((shares, toward, math.inf))
            length = step * (ceiling - total) / len(moves)
            moved = False
            for price, over, top in moves:
                over = np.where((price > 0) | (over > 0), over, 0.0)
                norm = float((over * over).sum())
                if norm:
                    price[:] = np.clip(price + length / norm * over, 0.0, top)
                    moved = True
            if not moved and turn < half < rounds:
                half = turn + 1  # every limit on hours kept: on to the accounts' prices
            elif not moved:
                break  # the relaxed choice keeps every limit: these prices are as good as they get
        return max(0, math.floor(best)) if math.isfinite(best) else 0


def priced_bound(pb: Problem, ceiling: int) -> int:
    """The floor with people's hours priced (`Priced.search`), and their end-to-end accounts and
    the mentees' shares too where there are any, at least `local_bound`. The search with accounts
    spends its first half on hours alone, so searching hours alone as well adds little: towards
    the best plans known it was higher once in twelve structures with end-to-end accounts (five
    copies of the mid-size sample, merged, 1,657,214 against 1,655,977; the large sample, hybrid,
    725,835 against 754,397; ten copies of it, merged, 21,620,193 against 22,328,895), and took 3 s
    of the 60 at 3,000 accounts."""
    priced = Priced(pb)
    return priced.search(ceiling, accounts=bool(priced.ends.any()))
