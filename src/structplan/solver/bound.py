"""A lower bound on every plan of a problem, from its accounts one at a time.

Leave out everything that ties accounts together through people (capacity, hires, overload,
imbalance, the accounts one person may lead, voices, junior support) and each account is a
small problem of its own: its cheapest mode, lead and managers among its candidates, priced
exactly as the model prices them (greedy.evaluate). What ties accounts together only through
the structure is kept exactly: the PM department's head is paid once if any account is split,
clarity once if a mixed structure runs any account end to end, and every end-to-end lead has
a mentor (so at least 1/cap of a mentor per end-to-end account, cap the accounts one lead may
run end to end).

Leaving terms out and choosing per account can only make the cost lower, so the sum is a
valid bound of the model CP-SAT searches (the same candidate lists). It needs no model and runs
in well under a second at 3,000 accounts, so it is the bound of the window search (lns.py) and
a floor under CP-SAT's own bound when a search stops before proving much.
"""

from __future__ import annotations

import math

from structplan.model import E2E, SPLIT
from structplan.solver.greedy import lead_penalties, lead_price, project_prices
from structplan.solver.prep import Problem


def local_bound(pb: Problem) -> int:
    """The bound described in the module docstring (0 when the problem has no plan at all)."""
    lay = pb.layout
    w = pb.agency.policy.weights
    fr = lay.friction
    rate = pb.hourly_rate
    costs = lay.costs
    cap = max(1, lay.end_to_end.max_accounts_per_lead)
    mentor_share = lay.mentoring.hours_per_mentee * rate / cap if lay.mentoring.required else 0.0
    split_costs: list[float] = []
    e2e_costs: list[float] = []
    for acc in pb.accounts:
        a = acc.index
        best = {SPLIT: math.inf, E2E: math.inf}
        for md in acc.modes:
            leads = pb.lead_cands.get((a, md), [])
            if acc.pinned_lead_id is not None:
                leads = [u for u in leads if u == acc.pinned_lead]
            if not leads:
                continue
            total: float = min(lead_price(pb, a, md, u) + sum(lead_penalties(pb, a, u)) for u in leads)
            for p in acc.projects:
                options = [sum(project_prices(pb, p, md, u)) for u in pb.manage_cands.get((p, md), [])]
                if md == E2E:  # the lead may run it as their own
                    own = w.friction if pb.projects[p].project.complexity >= fr.lead_execution_complexity else 0
                    options += [sum(project_prices(pb, p, md, u)) + own for u in leads]
                total += min(options, default=math.inf)
            total += pb.coordination_cost if md == SPLIT else mentor_share
            best[md] = min(best[md], total)
        if math.isinf(best[SPLIT]) and math.isinf(best[E2E]):
            return 0  # no plan: nothing to bound
        split_costs.append(best[SPLIT])
        e2e_costs.append(best[E2E])
    head = costs.department_head_hours * rate
    mixed = SPLIT in lay.modes and E2E in lay.modes
    clarity = costs.clarity_hours * rate * len(pb.accounts) if mixed else 0
    cases = [
        sum(split_costs) + head,  # every account split
        sum(e2e_costs) + clarity,  # every account end to end
        # some of each (relaxed to: each account its cheaper mode)
        sum(min(s, e) for s, e in zip(split_costs, e2e_costs, strict=True)) + head + clarity,
    ]
    found = min(cases)
    return 0 if math.isinf(found) else math.floor(found)
