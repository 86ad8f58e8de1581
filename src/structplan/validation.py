"""Content rules of agency, layout and plan files: ranges, ids, references.

`problems(obj)` returns (key path, message) pairs in file order; an empty list means valid.
The loader, `structplan validate` and the TUI's inline validation all use it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from structplan.model import (
    DUTIES,
    FAMILIES,
    LEAD,
    MODES,
    PERSON_ROLES,
    SPLIT,
    STRUCTURES,
    Agency,
    HiringOption,
    Layout,
    Person,
    Plan,
)

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
#: The most a cost or fee may be, in the currency's whole units a year: room for any agency in
#: any currency, and small enough that no sum the solver makes can overflow.
MONEY_MAX = 10**12
#: The most a policy weight may be (currency units per account, case, hour or point), and the
#: most the seniority weight may be (per mille of a fee, per level).
WEIGHT_MAX = 10**9
SENIORITY_MAX = 1000
#: The most accounts or projects an end-to-end limit of a layout may name.
COUNT_MAX = 10**4

Found = list[tuple[str, str]]


def problems(obj: Agency | Layout | Plan) -> Found:
    """Every content problem of a loaded document."""
    if isinstance(obj, Agency):
        return agency_problems(obj)
    if isinstance(obj, Layout):
        return layout_problems(obj)
    return plan_problems(obj)


# --------------------------------------------------------------------------- helpers


def _range(out: Found, path: str, value: float, low: float, high: float | None = None) -> None:
    if value < low or (high is not None and value > high):
        if high is None:
            out.append((path, f"{value} is below {low}" if low else f"{value} is negative"))
        else:
            out.append((path, f"{value} is outside {low}..{_big(high)}"))


def _upto(out: Found, path: str, value: int, high: int) -> None:
    """A count or an amount of 0..high: a negative one is named as such, a huge one with the range."""
    if value < 0:
        out.append((path, f"{value} is negative"))
    else:
        _range(out, path, value, 0, high)


def _big(value: float) -> str:
    """A bound as a TOML file may write it: 1_000_000_000_000 for the largest ones."""
    return f"{value:_}" if isinstance(value, int) and value >= 10**6 else str(value)


def _ident(out: Found, path: str, value: str) -> None:
    if not value:
        out.append((path, "is empty; every record needs an id"))
    elif not ID.fullmatch(value):
        out.append((path, f"{value!r} is not a valid id (letters, digits, '-', '_', '.')"))


def _name(out: Found, path: str, value: str) -> None:
    """A name is one line of text: a control character (a line break, a tab, an escape) could
    fake lines or colours in a report."""
    if not value.strip():
        return  # blank: said where a name is required
    bad = next((c for c in value if unicodedata.category(c) == "Cc" or c in "\u2028\u2029"), None)
    if bad is not None:
        out.append((path, f"contains the control character {bad!r}; a name is one line of plain text"))


def _choice(out: Found, path: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        close = difflib.get_close_matches(value, allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(allowed)}"
        out.append((path, f"{value!r} is not allowed ({hint})"))


def _ref(out: Found, path: str, value: str, known: Iterable[str], what: str) -> None:
    if not isinstance(known, (set, frozenset, dict)):
        known = list(known)
    if value not in known:
        close = difflib.get_close_matches(value, list(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        out.append((path, f"{value!r} names no {what}{hint}"))


def _unique(out: Found, items: Iterable[tuple[str, str]], what: str) -> None:
    seen: dict[str, str] = {}
    for path, value in items:
        if value and value in seen:
            out.append((path, f"duplicate {what} id {value!r} (first at {seen[value]})"))
        seen.setdefault(value, path)


def _length(out: Found, path: str, values: Sequence[Any], n: int, what: str) -> bool:
    if len(values) != n:
        out.append((path, f"has {len(values)} values; expected {n}, one per {what}"))
        return False
    return True


def warnings(obj: Agency | Layout | Plan) -> Found:
    """What is valid but likely a mistake, with its place: a service line that nobody on staff
    and no hiring option names (a typo such as 'digitl' would force a hire of anyone)."""
    if not isinstance(obj, Agency):
        return []
    offered = sorted(
        {line for p in obj.people for line in p.service_lines} | {line for h in obj.hiring for line in h.service_lines}
    )
    out: Found = []
    for i, a in enumerate(obj.accounts):
        for j, pr in enumerate(a.projects):
            if pr.service_line and pr.service_line not in offered:
                close = difflib.get_close_matches(pr.service_line, offered, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                out.append(
                    (
                        f"accounts[{i}].projects[{j}].service_line",
                        f"{pr.service_line!r} is a service line that nobody on staff or in hiring offers{hint}",
                    )
                )
    return out


# --------------------------------------------------------------------------- agency


def agency_problems(agency: Agency) -> Found:
    """Content problems of an agency."""
    out: Found = []
    s = agency.agency
    if not s.name.strip():
        out.append(("agency.name", "is empty"))
    _name(out, "agency.name", s.name)
    if not CURRENCY.fullmatch(s.currency):
        out.append(("agency.currency", f"{s.currency!r} is not a three-letter currency code such as EUR"))
    _range(out, "agency.hours_per_fte", s.hours_per_fte, 1, 4000)

    def staff(at: str, x: Person | HiringOption) -> None:
        """What a person and a hiring option share: id, name, role, level, cost."""
        _ident(out, f"{at}.id", x.id)
        _name(out, f"{at}.name", x.name)
        _choice(out, f"{at}.role", x.role, PERSON_ROLES)
        _range(out, f"{at}.level", x.level, 1, 4)
        _upto(out, f"{at}.cost", x.cost, MONEY_MAX)

    for i, p in enumerate(agency.people):
        staff(f"people[{i}]", p)
        if not 0 < p.fte <= 1:
            out.append((f"people[{i}].fte", f"{p.fte} is outside 0..1 (above 0)"))
    for i, h in enumerate(agency.hiring):
        staff(f"hiring[{i}]", h)
        _range(out, f"hiring[{i}].max", h.max, 0, 1000)
        if not 0 < h.fte <= 1:
            out.append((f"hiring[{i}].fte", f"{h.fte} is outside 0..1 (above 0)"))
    _unique(
        out,
        [(f"people[{i}].id", p.id) for i, p in enumerate(agency.people)]
        + [(f"hiring[{i}].id", h.id) for i, h in enumerate(agency.hiring)],
        "person or hiring",
    )

    people = {p.id: None for p in agency.people}
    project_ids: list[tuple[str, str]] = []
    for i, a in enumerate(agency.accounts):
        at = f"accounts[{i}]"
        _ident(out, f"{at}.id", a.id)
        _name(out, f"{at}.name", a.name)
        _upto(out, f"{at}.fee", a.fee, MONEY_MAX)
        _range(out, f"{at}.tier", a.tier, 1, 3)
        if a.lead is not None:
            _ref(out, f"{at}.lead", a.lead, people, "person")
        if not a.projects:
            out.append((f"{at}.projects", "is empty; an account needs at least one project"))
        for j, pr in enumerate(a.projects):
            pat = f"{at}.projects[{j}]"
            _ident(out, f"{pat}.id", pr.id)
            _name(out, f"{pat}.name", pr.name)
            project_ids.append((f"{pat}.id", pr.id))
            _range(out, f"{pat}.complexity", pr.complexity, 1, 5)
            if pr.effort_hours is not None:
                _range(out, f"{pat}.effort_hours", pr.effort_hours, 0, 20000)
            if pr.manager is not None:
                _ref(out, f"{pat}.manager", pr.manager, people, "person")
    _unique(out, [(f"accounts[{i}].id", a.id) for i, a in enumerate(agency.accounts)], "account")
    _unique(out, project_ids, "project")

    pol = agency.policy
    if not pol.structures:
        out.append(("policy.structures", "is empty; name at least one of separate, hybrid, merged"))
    for i, st in enumerate(pol.structures):
        _choice(out, f"policy.structures[{i}]", st, STRUCTURES)
    if not 0 < pol.utilization_ceiling <= 1:
        out.append(("policy.utilization_ceiling", f"{pol.utilization_ceiling} is outside 0..1 (above 0)"))
    if not 0 < pol.target_utilization <= 1:
        out.append(("policy.target_utilization", f"{pol.target_utilization} is outside 0..1 (above 0)"))
    if not 0 <= pol.surplus_utilization <= 1:
        out.append(("policy.surplus_utilization", f"{pol.surplus_utilization} is outside 0..1"))
    if pol.mentoring_span is not None:
        _range(out, "policy.mentoring_span", pol.mentoring_span, 1, 100)
    for name in ("continuity", "friction", "overload", "imbalance", "seniority", "voices"):
        _upto(
            out,
            f"policy.weights.{name}",
            getattr(pol.weights, name),
            SENIORITY_MAX if name == "seniority" else WEIGHT_MAX,
        )
    accounts = {a.id: None for a in agency.accounts}
    pinned: dict[str, int] = {}
    for i, pin in enumerate(pol.pins):
        at = f"policy.pins[{i}]"
        _ref(out, f"{at}.account", pin.account, accounts, "account")
        if pin.lead is not None:
            _ref(out, f"{at}.lead", pin.lead, people, "person")
        if pin.mode is not None:
            _choice(out, f"{at}.mode", pin.mode, MODES)
        if pin.lead is None and pin.mode is None:
            out.append((at, "pins nothing: give a lead, a mode or both"))
        if pin.account in pinned:
            out.append(
                (f"{at}.account", f"account {pin.account!r} is pinned twice (also policy.pins[{pinned[pin.account]}])")
            )
        pinned.setdefault(pin.account, i)
    return out


# --------------------------------------------------------------------------- layout


def layout_problems(layout: Layout) -> Found:
    """Content problems of a layout."""
    out: Found = []
    _ident(out, "id", layout.id)
    _choice(out, "structure", layout.structure, STRUCTURES)
    if not layout.modes:
        out.append(("modes", "is empty; name split, end_to_end or both"))
    for i, m in enumerate(layout.modes):
        _choice(out, f"modes[{i}]", m, MODES)
    role_ids = [r.id for r in layout.roles]
    if not layout.roles:
        out.append(("roles", "is empty; a layout needs roles"))
    _unique(out, [(f"roles[{i}].id", r.id) for i, r in enumerate(layout.roles)], "role")
    staffed: dict[str, str] = {}
    for i, r in enumerate(layout.roles):
        at = f"roles[{i}]"
        _ident(out, f"{at}.id", r.id)
        _choice(out, f"{at}.family", r.family, FAMILIES)
        if not r.staffed_by:
            out.append(
                (f"{at}.staffed_by", f"is empty; name the disciplines that take this role ({', '.join(PERSON_ROLES)})")
            )
        for j, d in enumerate(r.staffed_by):
            _choice(out, f"{at}.staffed_by[{j}]", d, PERSON_ROLES)
            if d in staffed:
                out.append(
                    (f"{at}.staffed_by[{j}]", f"{d!r} already staffs role {staffed[d]!r}; a discipline takes one role")
                )
            staffed.setdefault(d, r.id)
        for field in ("leads", "covers"):
            for j, m in enumerate(getattr(r, field)):
                _choice(out, f"{at}.{field}[{j}]", m, layout.modes or MODES)
        _range(out, f"{at}.max_complexity", r.max_complexity, 1, 5)
    for m in layout.modes:
        if m in MODES and layout.roles and not any(m in r.leads for r in layout.roles):
            out.append(("roles", f'no role leads {m} accounts; give one role leads = ["{m}"]'))
    if SPLIT in layout.modes and layout.roles and not any(SPLIT in r.covers for r in layout.roles):
        out.append(("roles", 'no role manages projects of split accounts; give one role covers = ["split"]'))

    duty_ids = [d.id for d in layout.duties]
    _unique(out, [(f"duties[{i}].id", d.id) for i, d in enumerate(layout.duties)], "duty")
    for d in DUTIES:
        if layout.duties and d not in duty_ids:
            out.append(("duties", f"duty {d!r} is missing; every duty of an account needs an owner"))
    if not layout.duties:
        out.append(("duties", "is empty; every duty needs a RACI"))
    for i, duty in enumerate(layout.duties):
        at = f"duties[{i}]"
        _ident(out, f"{at}.id", duty.id)
        for mode in layout.modes:
            a = duty.assignment(mode)
            if a is None:
                out.append((f"{at}.{mode}", f"is missing: who holds {duty.id!r} in {mode} accounts?"))
                continue
            if len(a.accountable) != 1:
                what = "no accountable role" if not a.accountable else f"{len(a.accountable)} accountable roles"
                out.append(
                    (f"{at}.{mode}.accountable", f"{duty.id!r} has {what}; exactly one role must be accountable")
                )
            for field in ("accountable", "responsible", "consulted", "informed"):
                # the account's lead, whatever their role, may be named in R, C and I as "lead"
                known = role_ids if field == "accountable" else [*role_ids, LEAD]
                for j, rid in enumerate(getattr(a, field)):
                    _ref(out, f"{at}.{mode}.{field}[{j}]", rid, known, "role of this layout")

    e = layout.effort
    if _length(out, "effort.account_hours_by_tier", e.account_hours_by_tier, 3, "tier"):
        for i, h in enumerate(e.account_hours_by_tier):
            _range(out, f"effort.account_hours_by_tier[{i}]", h, 0, 20000)
    if _length(out, "effort.project_hours_by_complexity", e.project_hours_by_complexity, 5, "complexity"):
        for i, h in enumerate(e.project_hours_by_complexity):
            _range(out, f"effort.project_hours_by_complexity[{i}]", h, 0, 20000)
    _range(out, "effort.coordination_hours", e.coordination_hours, 0, 20000)
    _range(out, "end_to_end.min_tier", layout.end_to_end.min_tier, 1, 3)
    _range(out, "end_to_end.max_complexity", layout.end_to_end.max_complexity, 1, 5)
    _upto(out, "end_to_end.max_projects", layout.end_to_end.max_projects, COUNT_MAX)
    _range(out, "end_to_end.max_accounts_per_lead", layout.end_to_end.max_accounts_per_lead, 1, COUNT_MAX)
    c = layout.costs
    if _length(out, "costs.generalist_execution_hours", c.generalist_execution_hours, 5, "complexity"):
        for i, h in enumerate(c.generalist_execution_hours):
            _range(out, f"costs.generalist_execution_hours[{i}]", h, 0, 20000)
    for name in ("junior_support_hours", "department_head_hours", "clarity_hours"):
        _range(out, f"costs.{name}", getattr(c, name), 0, 20000)
    _range(out, "costs.accounts_without_support", c.accounts_without_support, 0, 1000)
    s = layout.seniority
    if _length(out, "seniority.lead_level_by_tier", s.lead_level_by_tier, 3, "tier"):
        for i, lv in enumerate(s.lead_level_by_tier):
            _range(out, f"seniority.lead_level_by_tier[{i}]", lv, 1, 4)
    if _length(out, "seniority.project_level_by_complexity", s.project_level_by_complexity, 5, "complexity"):
        for i, lv in enumerate(s.project_level_by_complexity):
            _range(out, f"seniority.project_level_by_complexity[{i}]", lv, 1, 4)
    _range(out, "mentoring.span", layout.mentoring.span, 1, 100)
    _range(out, "mentoring.hours_per_mentee", layout.mentoring.hours_per_mentee, 0, 2000)
    if layout.mentoring.required and not any(r.mentors for r in layout.roles):
        out.append(("mentoring.required", "is true but no role mentors; give a PMO role mentors = true"))
    _range(out, "friction.lead_execution_complexity", layout.friction.lead_execution_complexity, 1, 6)
    _range(out, "friction.pm_strategy_tier", layout.friction.pm_strategy_tier, 0, 3)
    return out


# --------------------------------------------------------------------------- plan


def plan_problems(plan: Plan) -> Found:
    """Structural problems of a plan (the rules of staffing are `checks`)."""
    out: Found = []
    _choice(out, "structure", plan.structure, STRUCTURES)
    people = {p.id: None for p in plan.people}
    _unique(out, [(f"people[{i}].id", p.id) for i, p in enumerate(plan.people)], "person")
    _unique(out, [(f"accounts[{i}].id", a.id) for i, a in enumerate(plan.accounts)], "account")
    _unique(out, [(f"hires[{i}].id", h.id) for i, h in enumerate(plan.hires)], "hire")
    for i, p in enumerate(plan.people):
        at = f"people[{i}]"
        _ident(out, f"{at}.id", p.id)
        _range(out, f"{at}.hours", p.hours, 0)
        _range(out, f"{at}.capacity", p.capacity, 0)
        _range(out, f"{at}.utilization", p.utilization, 0)
    for i, a in enumerate(plan.accounts):
        at = f"accounts[{i}]"
        _ident(out, f"{at}.id", a.id)
        _choice(out, f"{at}.mode", a.mode, MODES)
        _ref(out, f"{at}.lead", a.lead, people, "person in the plan")
        _range(out, f"{at}.lead_hours", a.lead_hours, 0)
        for j, c in enumerate(a.coverage):
            _ref(out, f"{at}.coverage[{j}].person", c.person, people, "person in the plan")
            _range(out, f"{at}.coverage[{j}].hours", c.hours, 0)
        _unique(out, [(f"{at}.raci[{j}].duty", r.duty) for j, r in enumerate(a.raci)], "duty")
    for i, m in enumerate(plan.mentoring):
        _ref(out, f"mentoring[{i}].mentor", m.mentor, people, "person in the plan")
        _ref(out, f"mentoring[{i}].mentee", m.mentee, people, "person in the plan")
    for i, h in enumerate(plan.hires):
        _range(out, f"hires[{i}].cost", h.cost, 0)
        _range(out, f"hires[{i}].level", h.level, 1, 4)
    return out
