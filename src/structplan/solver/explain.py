"""Why no plan exists, in the user's words.

Cheap aggregate checks run first and catch most real cases (nobody senior enough, too little
capacity, a pin that cannot hold). Otherwise a copy of the model without objective guards each
user-level fact with a literal, and CP-SAT names a set of facts that cannot all hold.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from structplan.model import E2E, SPLIT, HiringOption
from structplan.names import Names
from structplan.solver.prep import AccountNeed, Problem

_LEVEL = {1: "junior", 2: "mid-level", 3: "senior", 4: "director-level"}


def _roles(pb: Problem, mode: str, field: str) -> str:
    names = [r.name for r in pb.layout.roles if mode in getattr(r, field)]
    return " or ".join(names) or "no role"


def _hiring_note(options: list[HiringOption]) -> str:
    """What hiring allows among the options that would fit the need."""
    if not options:
        return "no such position may be hired"
    allowed = [h for h in options if h.max > 0]
    if not allowed:
        return "hiring of " + ", ".join(f"{h.name}" for h in options) + " is capped at 0"
    return "hiring allows " + ", ".join(f"{h.max} {h.name}" for h in allowed)


#: Records an explanation names before it says how many more there are.
SHOWN = 3


def _some(records: list[str]) -> str:
    """The first few records, and how many more."""
    more = len(records) - SHOWN
    return ", ".join(records[:SHOWN]) + (f" and {more} more" if more > 0 else "")


def names_of(pb: Problem) -> Names:
    """The agency's names, and the hire slots' (computed once per problem)."""
    if pb.names is None:
        pb.names = Names.of_agency(pb.agency, ((u.id, u.name) for u in pb.units if u.is_hire))
    return pb.names


def precheck(pb: Problem) -> list[str]:
    """Aggregate reasons the structure cannot be staffed, before any model runs."""
    st = pb.layout.structure
    out: list[str] = []
    names = names_of(pb)
    # leads and project managers nobody can be, by what is missing: one line per group
    no_lead: dict[tuple[str, str], list[str]] = {}
    no_manager: dict[tuple[int, str, str, str], list[str]] = {}
    pins = {p.account: p for p in pb.agency.policy.pins}
    by_id = {u.id: u for u in pb.units}
    most_hours: dict[int, int] = {}  # the most hours anyone eligible can give, by eligible list
    assert pb.elig is not None
    for acc in pb.accounts:
        aid = names.account(acc.account.id)
        pin = pins.get(acc.account.id)
        if not acc.modes:
            if pin is not None and pin.mode is not None:
                out.append(f"{st}: {aid} is pinned to {pin.mode}, which the {st} layout does not allow for it")
            else:
                out.append(f"{st}: {aid} can be run in no mode the {st} layout allows")
            continue
        if acc.pinned_lead_id is not None:
            unit = by_id.get(acc.pinned_lead_id)
            person = pb.agency.person(acc.pinned_lead_id)
            if unit is None:
                disc = person.role if person else "?"
                out.append(
                    f"{st}: {aid} is pinned to {names.person(acc.pinned_lead_id)} as lead, but a {disc} takes no role "
                    f"in the {st} layout"
                )
                continue
            ok = [m for m in acc.modes if unit.index in pb.elig.leads(acc, pb.projects, m)]
            if not ok:
                need = min(pb.layout.lead_level(acc.account, m) for m in acc.modes)
                leads = " or ".join(sorted({_roles(pb, m, "leads") for m in acc.modes}))
                if not any(m in unit.role.leads for m in acc.modes):
                    why = f"a {unit.role.name} does not lead accounts in the {st} layout (only {leads})"
                else:
                    why = f"{names.person(unit.id)} is level {unit.level}; it needs level {need} or above"
                out.append(f"{st}: {aid} is pinned to {names.person(unit.id)} as lead, but {why}")
                continue
        if E2E in acc.modes and acc.modes == (E2E,):
            alone = acc.relationship + sum(
                pb.projects[p].hours for p in acc.projects if not pb.elig.managers(pb.projects[p], E2E)
            )
            eligible = pb.elig.leads(acc, pb.projects, E2E)  # one list for every account of one need
            if id(eligible) not in most_hours:  # (3,000 accounts: 11 million steps, 1.3 s, once a list)
                most_hours[id(eligible)] = max((pb.units[i].limit for i in eligible), default=0)
            most = most_hours[id(eligible)]
            if eligible and alone > most:
                out.append(
                    f"{st}: {aid} run end to end needs {alone} h a year from its lead; no eligible lead can "
                    f"give more than {most} h ({pb.agency.policy.utilization_ceiling:.0%} of their hours)"
                )
                continue
        if all(not pb.elig.leads(acc, pb.projects, m) for m in acc.modes):
            need = min(pb.layout.lead_level(acc.account, m) for m in acc.modes)
            roles = " or ".join(sorted({_roles(pb, m, "leads") for m in acc.modes}))
            note = _hiring_note(
                [
                    h
                    for h in pb.agency.hiring
                    if (r := pb.layout.role_for(h.role)) is not None and any(m in r.leads for m in acc.modes)
                ]
            )
            level = f"a {_LEVEL.get(need, need)} lead (level {need}+, {roles})"
            no_lead.setdefault((level, note), []).append(f"{aid} (tier {acc.account.tier})")
        for p in acc.projects:
            pn = pb.projects[p]
            if any(pb.elig.managers(pn, m) for m in acc.modes):
                continue
            if E2E in acc.modes and pb.elig.leads(acc, pb.projects, E2E):
                continue
            roles = " or ".join(sorted({_roles(pb, m, "covers") for m in acc.modes}))
            note = _hiring_note(
                [
                    h
                    for h in pb.agency.hiring
                    if (r := pb.layout.role_for(h.role)) is not None and bool(r.covers) and h.level >= pn.level
                ]
            )
            key = (pn.level, pn.project.service_line or "", roles, note)
            no_manager.setdefault(key, []).append(
                f"{names.project(pn.project.id)} of {aid} (complexity {pn.project.complexity})"
            )
    for (lead, note), accounts in no_lead.items():
        if len(accounts) == 1:
            out.append(f"{st}: {accounts[0]} needs {lead}; nobody on staff qualifies and {note}")
        else:
            out.append(
                f"{st}: {len(accounts)} accounts need {lead}: {_some(accounts)}; nobody on staff qualifies and {note}"
            )
    for (pm_level, service_line, pm_roles, note), projects in no_manager.items():
        line = f" in service line {service_line}" if service_line else ""
        if len(projects) == 1:
            out.append(
                f"{st}: project {projects[0]} needs a level {pm_level}+ {pm_roles}{line}; nobody qualifies and {note}"
            )
        else:
            out.append(
                f"{st}: {len(projects)} projects need a level {pm_level}+ {pm_roles}{line}: {_some(projects)}; "
                f"nobody qualifies and {note}"
            )
    if out:
        return out
    out += _capacity(pb)
    return out


def _capacity(pb: Problem) -> list[str]:
    """Demand for senior leads and for hours against what people (and hires) can give."""
    st = pb.layout.structure
    out = []
    for level in (4, 3, 2, 1):
        need_accounts = [a for a in pb.accounts if min(pb.layout.lead_level(a.account, m) for m in a.modes) >= level]
        if not need_accounts:
            continue
        demand = sum(
            a.relationship + (pb.layout.effort.coordination_hours if a.modes == (SPLIT,) else 0) for a in need_accounts
        )
        able = [u for u in pb.units if u.level >= level and any(m in u.role.leads for m in pb.layout.modes)]
        staff = [u for u in able if not u.is_hire]
        supply = sum(u.limit for u in able)
        if demand > supply:
            full = ", ".join(f"{names_of(pb).person(u.id)} {u.limit} h" for u in staff[:4]) or "nobody on staff"
            note = _hiring_note(
                [
                    h
                    for h in pb.agency.hiring
                    if h.level >= level and (r := pb.layout.role_for(h.role)) is not None and bool(r.leads)
                ]
            )
            out.append(
                f"{st}: {len(need_accounts)} accounts need a lead of level {level}+ ({demand} h a year); "
                f"leads of that level can give {supply} h at most ({full}); {note}"
            )
    total = sum(a.relationship for a in pb.accounts) + sum(p.hours for p in pb.projects)
    supply = sum(u.limit for u in pb.units)
    if total > supply:
        ceiling = pb.agency.policy.utilization_ceiling
        out.append(
            f"{st}: the accounts need at least {total} h a year; everyone who may work under the "
            f"{st} layout, hires included, can give {supply} h at the {ceiling:.0%} ceiling"
        )
    return out


def _words(pb: Problem, key: str, hours: dict[int, int]) -> str:
    kind, _, arg = key.partition(":")
    names = names_of(pb)
    if kind == "account":
        acc: AccountNeed = pb.accounts[int(arg)]
        need = min(pb.layout.lead_level(acc.account, m) for m in acc.modes) if acc.modes else 0
        top = max((pb.projects[p].project.complexity for p in acc.projects), default=0)
        hours_needed = acc.relationship + sum(pb.projects[p].hours for p in acc.projects)
        return (
            f"{names.account(acc.account.id)} (tier {acc.account.tier}, {len(acc.projects)} projects up to "
            f"complexity {top}) "
            f"needs a level {need}+ lead and {hours_needed} h"
        )
    if kind == "capacity":
        unit = pb.units[int(arg)]
        if unit.option is not None:  # a hire slot
            return f"hire slot {names.person(unit.id)}: at most {unit.option.max} {unit.option.name} may be hired"
        return f"{names.person(unit.id)} ({unit.role.name}, level {unit.level}) can give at most {unit.limit} h"
    if kind == "pin":
        acc = pb.accounts[int(arg)]
        return f"pin: {names.account(acc.account.id)} keeps {names.person(acc.pinned_lead_id or '')} as lead"
    if kind == "span":
        return f"a mentor may have at most {pb.span} mentees"
    if kind == "e2e-limit":
        unit = pb.units[int(arg)]
        most = pb.layout.end_to_end.max_accounts_per_lead
        return f"{names.person(unit.id)} may run at most {most} account{'s' if most != 1 else ''} end to end"
    return key


def explain(pb: Problem, time_limit: float = 10.0) -> list[str]:
    """A set of the user's facts that cannot all hold, one line each."""
    from structplan.solver.build import build

    st = pb.layout.structure
    built = build(pb, guarded=True, objective=False)
    model = built.model
    model.add_assumptions([built.guards[i][0] for i in sorted(built.guards)])
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is ours (solve runs off the main thread)
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return [
            f"{st}: no plan found, and no small set of conflicting facts could be named "
            f"within {time_limit:g} s ({solver.status_name(status).lower()})"
        ]
    core = solver.sufficient_assumptions_for_infeasibility()
    if not core:
        return [f"{st}: the layout's own rules cannot all hold for this agency (no user fact is involved)"]
    hours: dict[int, int] = {}
    words = [_words(pb, built.guards[i][1], hours) for i in core if i in built.guards]
    lines = [f"{st}: these cannot all hold:", *(f"  - {w}" for w in sorted(words))]
    return lines
