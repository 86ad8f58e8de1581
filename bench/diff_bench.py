#!/usr/bin/env python3
"""Time `structplan diff` on two large plans (default 2000 accounts, 6000 people).

    python bench/diff_bench.py [--accounts 2000] [--people 6000] [--seed 1] [--repeat 3]

The two plans are built in code from one seeded `random.Random` (no solver run): a base plan
with contact sheets and RACI rows like a solved plan's, and a second one in which about a tenth
of the accounts change mode, lead or PM coverage, with hires, mentoring pairs and warnings added
and removed. Both are written to temporary files with
`formats.save`, then each step is timed (best of `--repeat`):

* baseline: `tomllib.load` of both files, the least any diff of two TOML files must do;
* load: `formats.load_plan` of both (parse, structure, validate);
* diff: `diff.diff` of the two loaded plans (the target: under 1 s);
* text and json: `render_text` and `json.dumps(to_json(...))` of the result;
* total: load + diff + text, what `structplan diff OLD NEW` does, and its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from structplan import diff as plan_diff
from structplan import formats
from structplan.model import (
    AccountPlan,
    Contact,
    Cost,
    Coverage,
    Hire,
    MentoringPair,
    PersonPlan,
    Plan,
    PlanWarning,
    Raci,
)

ROLES = ("account_manager", "project_manager", "pmo_manager", "junior_support")
DUTIES = ("relationship", "scope", "time", "risk", "quality", "budget", "status_updates")


def _staffed(ap: AccountPlan) -> AccountPlan:
    """The account with its contact sheet and a RACI row per duty, as a solved plan has them."""
    pms = tuple(sorted({c.person for c in ap.coverage} - {ap.lead}))
    rows = tuple(
        Raci(d, ap.lead if i < 2 or not pms else pms[0], (ap.lead, *pms[:1]), pms[1:3], (ap.lead,))
        for i, d in enumerate(DUTIES)
    )
    return attrs.evolve(ap, contact=Contact(ap.lead, pms[0] if pms else ap.lead), raci=rows)


def base_plan(accounts: int, people: int, rng: random.Random) -> Plan:
    """A hybrid plan: a tenth of the people are AMs who lead, the rest run projects."""
    ams = [f"am-{i:05d}" for i in range(max(1, people // 10))]
    pmos = [f"pmo-{i:05d}" for i in range(max(1, people // 100))]
    pms = [f"pm-{i:05d}" for i in range(people - len(ams) - len(pmos))]
    project = 0
    plans = []
    for i in range(accounts):
        lead = rng.choice(ams)
        mode = "end_to_end" if rng.random() < 0.2 else "split"
        coverage = []
        for _ in range(1 + int(rng.random() * 6)):
            project += 1
            coverage.append(Coverage(f"p-{project:06d}", rng.choice(pms), rng.choice((80, 160, 300, 500))))
        plans.append(_staffed(AccountPlan(f"acc-{i:05d}", mode, lead, 240, tuple(coverage))))
    plan = Plan(
        agency="Bench Agency",
        structure="hybrid",
        layout="hybrid",
        accounts=tuple(plans),
        mentoring=tuple(MentoringPair(rng.choice(pmos), a.lead) for a in plans if a.mode == "end_to_end"),
        warnings=tuple(
            PlanWarning("overload", f"{p} is at 85% of capacity", person=p)
            for p in rng.sample(pms, min(len(pms), people // 50))
        ),
    )
    return _with_people(plan, ams, pms, pmos)


def _with_people(plan: Plan, ams: list[str], pms: list[str], pmos: list[str]) -> Plan:
    """People's hours, accounts and the cost and headcount, from the accounts."""
    hours: dict[str, int] = {p: 0 for p in [*ams, *pms, *pmos, *(h.id for h in plan.hires)]}
    accounts: dict[str, set[str]] = {p: set() for p in hours}
    for ap in plan.accounts:
        hours[ap.lead] += ap.lead_hours
        accounts[ap.lead].add(ap.id)
        for c in ap.coverage:
            hours[c.person] += c.hours
            accounts[c.person].add(ap.id)
    role = {
        **{p: ROLES[0] for p in ams},
        **{p: ROLES[1] for p in pms},
        **{p: ROLES[2] for p in pmos},
        **{h.id: ROLES[1] for h in plan.hires},
    }
    people = tuple(
        PersonPlan(p, role[p], hours[p], 1600, round(hours[p] / 1600, 3), tuple(sorted(accounts[p])))
        for p in sorted(hours)
    )
    staff = 90_000 * sum(1 for p in people if p.hours)
    hires = sum(h.cost for h in plan.hires)
    coordination = 40 * 80 * sum(1 for a in plan.accounts if a.mode == "split")
    headcount: dict[str, int] = {}
    for p in people:
        if p.hours:
            headcount[p.role] = headcount.get(p.role, 0) + 1
    return attrs.evolve(
        plan,
        people=people,
        headcount=tuple(sorted(headcount.items())),
        cost=Cost(staff, hires, coordination, staff + hires + coordination),
    )


def changed_plan(plan: Plan, rng: random.Random) -> Plan:
    """The same plan with about a tenth of the accounts restaffed, hires and warnings changed."""
    ams = sorted({p.id for p in plan.people if p.role == ROLES[0]})
    pms = sorted({p.id for p in plan.people if p.role == ROLES[1]})
    pmos = sorted({p.id for p in plan.people if p.role == ROLES[2]})
    hires = tuple(Hire(f"senior-pm-{i}", "senior-pm", f"Senior PM (hire {i})", "pm", 3, 85_000) for i in range(1, 6))
    staff = [*pms, *(h.id for h in hires)]
    accounts = []
    for ap in plan.accounts:
        r = rng.random()
        if r < 0.03:
            ap = attrs.evolve(ap, mode="split" if ap.mode == "end_to_end" else "end_to_end")
        elif r < 0.06:
            ap = _staffed(attrs.evolve(ap, lead=rng.choice(ams), lead_hours=ap.lead_hours + 40))
        elif r < 0.10:
            moved = tuple(attrs.evolve(c, person=rng.choice(staff)) if rng.random() < 0.5 else c for c in ap.coverage)
            ap = _staffed(attrs.evolve(ap, coverage=moved))
        accounts.append(ap)
    warnings = tuple(w for w in plan.warnings if rng.random() < 0.8) + tuple(
        PlanWarning("redundant_communication", f"{a.id} hears from many people", account=a.id)
        for a in rng.sample(accounts, max(1, len(accounts) // 100))
    )
    out = attrs.evolve(
        plan,
        accounts=tuple(accounts),
        hires=hires,
        warnings=warnings,
        mentoring=tuple(m for m in plan.mentoring if rng.random() < 0.9),
    )
    return _with_people(out, ams, pms, pmos)


def best(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest wall time of `repeat` runs of `step`, and its result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    old = base_plan(args.accounts, args.people, rng)
    new = changed_plan(old, rng)
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = Path(tmp, "old.plan.toml"), Path(tmp, "new.plan.toml")
        formats.save(old, old_path)
        formats.save(new, new_path)
        size = old_path.stat().st_size + new_path.stat().st_size

        def baseline() -> None:
            for path in (old_path, new_path):
                with path.open("rb") as fh:
                    tomllib.load(fh)

        t_base, _ = best(args.repeat, baseline)
        t_load, (a, b) = best(args.repeat, lambda: (formats.load_plan(old_path), formats.load_plan(new_path)))
    t_diff, d = best(args.repeat, lambda: plan_diff.diff(a, b, "old", "new"))
    t_text, text = best(args.repeat, lambda: plan_diff.render_text(d))
    t_json, _ = best(args.repeat, lambda: json.dumps(plan_diff.to_json(d)))
    total = t_load + t_diff + t_text

    print(
        f"python {platform.python_version()}, {args.accounts} accounts x {args.people} people, "
        f"seed {args.seed}, best of {args.repeat}; two files of {size / 2 / 1e6:.1f} MB each"
    )
    print(
        f"changes: {len(d.accounts_changed)} accounts, {len(d.people_changed)} people, "
        f"{len(d.hires_added)} hires, {len(d.warnings_added)} warnings added, "
        f"{len(d.warnings_resolved)} resolved; text {len(text.splitlines())} lines"
    )
    rows = [
        ("baseline: tomllib.load of both files", t_base),
        ("load_plan of both files", t_load),
        ("diff", t_diff),
        ("render_text", t_text),
        ("to_json + json.dumps", t_json),
        ("total: load + diff + text", total),
    ]
    for name, t in rows:
        print(f"  {name:<38} {t:8.3f} s  {t / t_base:6.2f} x baseline")
    print(f"diff alone: {t_diff:.3f} s (target < 1 s): {'met' if t_diff < 1 else 'NOT met'}")
    return 0 if t_diff < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
