"""Rules and pitfalls of a plan, checked with code that shares nothing with the solver's model.

`violations` lists every hard rule a plan breaks (docs/rules.md names them all); `pitfalls`
lists the warnings (docs/rules.md: pitfalls) a plan runs into; `raci` and `contact` derive an account's
RACI rows and contact sheet from who works on it. `structplan check` calls `run`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping

import attrs

from structplan.model import (
    E2E,
    LEAD,
    SPLIT,
    SUPPORT,
    AccountPlan,
    Agency,
    Contact,
    Layout,
    Plan,
    PlanWarning,
    Raci,
    WarningKind,
)
from structplan.names import Names

#: A split account whose projects are run by more people than this speaks to its
#: client with too many voices.
MAX_PROJECT_VOICES = 3
#: An end-to-end account whose client gets status updates from more people than this hears
#: the same news twice (docs/rules.md: redundant_communication).
MAX_UPDATE_SENDERS = 2


# --------------------------------------------------------------------------- RACI and contact


def raci(
    ap: AccountPlan,
    layout: Layout,
    mentor: str | None,
    roles: Mapping[str, str],
    levels: Mapping[str, int] | None = None,
) -> tuple[Raci, ...]:
    """Who is Responsible, Accountable, Consulted and Informed for each duty of one account.

    `roles` maps everyone on the account (and the mentor) to their layout role id, `levels`
    to their seniority. The accountable person of a role is the lead when the lead holds it,
    else the most senior person on the account in that role (then the one with the most hours,
    then by id); "" when nobody on the account holds it.
    """
    levels = levels or {}
    hours: Counter[str] = Counter()
    hours[ap.lead] += ap.lead_hours
    for c in ap.coverage:
        hours[c.person] += c.hours
    holders: dict[str, list[str]] = defaultdict(list)
    for person in sorted(hours, key=lambda p: (p != ap.lead, -levels.get(p, 0), -hours[p], p)):
        holders[roles.get(person, "")].append(person)
    if mentor is not None:
        holders[roles.get(mentor, "")].append(mentor)

    def named(role_ids: tuple[str, ...]) -> tuple[str, ...]:
        people = {p for r in role_ids for p in holders.get(r, [])}
        return tuple(sorted(people | {ap.lead} if LEAD in role_ids else people))

    rows = []
    for duty in layout.duties:
        a = duty.assignment(ap.mode)
        if a is None:
            continue
        owner = next((holders[r][0] for r in a.accountable if holders.get(r)), "")
        rows.append(Raci(duty.id, owner, named(a.responsible), named(a.consulted), named(a.informed)))
    return tuple(rows)


def contact(ap: AccountPlan, rows: tuple[Raci, ...]) -> Contact:
    """Whom the client calls for strategy and for project updates."""
    by_duty = {r.duty: r for r in rows}
    strategy = by_duty["relationship"].accountable if "relationship" in by_duty else ""
    updates = by_duty["status_updates"].accountable if "status_updates" in by_duty else ""
    if not updates and ap.coverage:
        hours: Counter[str] = Counter()
        for c in ap.coverage:
            hours[c.person] += c.hours
        updates = min(hours, key=lambda p: (-hours[p], p))
    return Contact(strategy or ap.lead, updates or ap.lead)


# --------------------------------------------------------------------------- who is who


@attrs.frozen
class Worker:
    """Someone a plan may name: a person on staff or a hire of the plan."""

    id: str
    discipline: str
    level: int
    capacity: int
    lines: frozenset[str]
    is_hire: bool = False


def _workers(plan: Plan, agency: Agency) -> tuple[dict[str, Worker], list[str]]:
    hours = agency.agency.hours_per_fte
    found: dict[str, Worker] = {
        p.id: Worker(p.id, p.role, p.level, round(hours * p.fte), frozenset(p.service_lines)) for p in agency.people
    }
    options = {h.id: h for h in agency.hiring}
    problems = []
    for i, h in enumerate(plan.hires):
        opt = options.get(h.option)
        if opt is None:
            problems.append(f"hires[{i}].option: {h.option!r} is not a hiring option in the agency file")
            continue
        if h.id in found:
            if not found[h.id].is_hire:
                problems.append(f"hires[{i}].id: {h.id!r} is already a person on staff")
            continue
        found[h.id] = Worker(h.id, opt.role, opt.level, round(hours * opt.fte), frozenset(opt.service_lines), True)
    return found, problems


# --------------------------------------------------------------------------- hard rules


def violations(plan: Plan, agency: Agency, layout: Layout) -> list[str]:
    """Every hard rule the plan breaks, one line each starting with its key path; empty when it holds."""
    out: list[str] = []
    workers, problems = _workers(plan, agency)
    out += problems
    pol = agency.policy
    if plan.structure != layout.structure:
        out.append(f"plan.structure: {plan.structure} but the layout {layout.id!r} is {layout.structure}")
    where_person = {p.id: f"people[{i}]" for i, p in reversed(list(enumerate(plan.people)))}

    # --- hires
    per_option = Counter(h.option for h in plan.hires)
    for opt in agency.hiring:
        if per_option[opt.id] > opt.max:
            out.append(f"hires: {per_option[opt.id]} hires of option {opt.id}, at most {opt.max} allowed")

    # --- every account once, with a lead, coverage of every project
    accounts = {a.id: a for a in agency.accounts}
    seen = Counter(ap.id for ap in plan.accounts)
    for aid in sorted(accounts):
        if seen[aid] == 0:
            out.append(f"accounts: account {aid} of the agency file is not in the plan")
    first: dict[str, int] = {}
    for i, ap in enumerate(plan.accounts):
        if ap.id not in accounts:
            out.append(f"accounts[{i}].id: account {ap.id} is in the plan but not in the agency file")
        elif ap.id in first:
            out.append(
                f"accounts[{i}].id: account {ap.id} appears {seen[ap.id]} times (first at accounts[{first[ap.id]}])"
            )
        first.setdefault(ap.id, i)

    work: Counter[str] = Counter()
    used: set[str] = set()
    e2e_leads: set[str] = set()
    pins = {p.account: p for p in pol.pins}
    coord = layout.effort.coordination_hours
    for i, ap in enumerate(plan.accounts):
        acc = accounts.get(ap.id)
        work[ap.lead] += ap.lead_hours
        for c in ap.coverage:
            work[c.person] += c.hours
        if acc is None or first.get(ap.id) != i:
            continue
        where = f"accounts[{i}]"
        if ap.mode not in layout.modes:
            out.append(f"{where}.mode: {ap.id}: {ap.mode} is not a mode of the {layout.structure} structure")
        elif ap.mode == E2E and not layout.end_to_end_allowed(acc):
            rule = layout.end_to_end
            out.append(
                f"{where}.mode: {ap.id} may not run end to end (needs tier >= {rule.min_tier}, at most "
                f"{rule.max_projects} projects, none above complexity {rule.max_complexity})"
            )
        pin = pins.get(ap.id)
        if pin is not None and pin.lead is not None and ap.lead != pin.lead:
            out.append(f"{where}.lead: {ap.id} is pinned to lead {pin.lead}, the plan has {ap.lead}")
        if pin is not None and pin.mode is not None and ap.mode != pin.mode:
            out.append(f"{where}.mode: {ap.id} is pinned to mode {pin.mode}, the plan has {ap.mode}")

        lead = workers.get(ap.lead)
        if lead is None:
            out.append(f"{where}.lead: {ap.lead!r}, the lead of {ap.id}, is neither on staff nor a hire of the plan")
        else:
            used.add(lead.id)
            role = layout.role_for(lead.discipline)
            need = layout.lead_level(acc, ap.mode)
            if role is None or ap.mode not in role.leads:
                out.append(
                    f"{where}.lead: {lead.id} ({lead.discipline}) may not lead {ap.id}, a {ap.mode} account "
                    f"under the {layout.structure} structure"
                )
            elif lead.level < need:
                out.append(f"{where}.lead: {lead.id} is level {lead.level}, {ap.id} needs level {need}")
            if ap.mode == E2E:
                e2e_leads.add(lead.id)
        want_hours = layout.account_hours(acc) + (coord if ap.mode == SPLIT else 0)
        if ap.lead_hours != want_hours:
            out.append(f"{where}.lead_hours: {ap.lead_hours} on {ap.id}, the layout gives {want_hours}")

        projects = {p.id: p for p in acc.projects}
        covered = Counter(c.project for c in ap.coverage)
        for pid in sorted(projects):
            if covered[pid] == 0:
                out.append(f"{where}.coverage: project {pid} has no project manager")
        twice: set[str] = set()
        for j, c in enumerate(ap.coverage):
            cat = f"{where}.coverage[{j}]"
            pr = projects.get(c.project)
            who = workers.get(c.person)
            if pr is None:
                out.append(f"{cat}.project: project {c.project} is not a project of this account")
                continue
            if covered[c.project] > 1:
                if c.project not in twice:
                    out.append(f"{cat}.project: project {c.project} is covered {covered[c.project]} times")
                twice.add(c.project)
            if c.hours != layout.project_hours(pr):
                out.append(
                    f"{cat}.hours: project {pr.id} has {c.hours} h, the layout gives {layout.project_hours(pr)} h"
                )
            if who is None:
                out.append(
                    f"{cat}.person: project {pr.id} is run by {c.person!r}, neither on staff nor a hire of the plan"
                )
                continue
            used.add(who.id)
            role = layout.role_for(who.discipline)
            if ap.mode == E2E and c.person == ap.lead:
                if role is not None and pr.complexity > role.max_complexity:
                    out.append(f"{cat}.person: {who.id} may not run project {pr.id} of complexity {pr.complexity}")
                continue
            if role is None or ap.mode not in role.covers:
                out.append(
                    f"{cat}.person: {who.id} ({who.discipline}) may not manage projects of a {ap.mode} "
                    f"account under the {layout.structure} structure"
                )
                continue
            if pr.complexity > role.max_complexity:
                out.append(
                    f"{cat}.person: {who.id} ({role.name}) may manage up to complexity {role.max_complexity}, "
                    f"project {pr.id} is {pr.complexity}"
                )
            need = layout.project_level(pr)
            if who.level < need:
                out.append(f"{cat}.person: project {pr.id} needs level {need}, {who.id} is level {who.level}")
            if who.lines and pr.service_line and pr.service_line not in who.lines:
                out.append(f"{cat}.person: {who.id} does not work in service line {pr.service_line} (project {pr.id})")

        # --- accountability: each accountable role of the mode is held on the account
        held = set()
        for wid in {ap.lead, *(c.person for c in ap.coverage)}:
            w = workers.get(wid)
            r = layout.role_for(w.discipline) if w is not None else None
            if r is not None:
                held.add(r.id)
        unheld: dict[str, list[str]] = defaultdict(list)
        for duty in layout.duties:
            a = duty.assignment(ap.mode)
            if a is None or len(a.accountable) != 1:
                continue
            role = layout.role(a.accountable[0])
            if role is None or (role.mentors and layout.mentoring.required and ap.mode == E2E):
                continue  # held by the lead's mentor, checked below
            if role.id not in held:
                unheld[role.name].append(duty.id)
        for name, duties in unheld.items():
            out.append(f"{where}: nobody on {ap.id} holds the {name} role, accountable for {', '.join(duties)}")

    # --- how many accounts one person runs end to end
    led_e2e = Counter(ap.lead for ap in plan.accounts if ap.mode == E2E)
    most = layout.end_to_end.max_accounts_per_lead
    for person_id, n in sorted(led_e2e.items()):
        if n > most:
            at = where_person.get(person_id, "accounts")
            out.append(f"{at}: {person_id} runs {n} accounts end to end; the layout allows at most {most}")

    # --- mentoring
    span = pol.mentoring_span or layout.mentoring.span
    mentors_of: dict[str, list[str]] = defaultdict(list)
    mentees_of: Counter[str] = Counter()
    for i, pair in enumerate(plan.mentoring):
        at = f"mentoring[{i}]"
        mentors_of[pair.mentee].append(pair.mentor)
        mentees_of[pair.mentor] += 1
        work[pair.mentor] += layout.mentoring.hours_per_mentee
        mentor = workers.get(pair.mentor)
        if mentor is None:
            out.append(f"{at}.mentor: {pair.mentor!r} is neither on staff nor a hire of the plan")
            continue
        used.add(mentor.id)
        role = layout.role_for(mentor.discipline)
        if role is None or not role.mentors:
            out.append(f"{at}.mentor: {pair.mentor} mentors {pair.mentee} but a {mentor.discipline} may not mentor")
        if pair.mentor == pair.mentee:
            out.append(f"{at}.mentee: {pair.mentor} mentors themself")
        if pair.mentee not in e2e_leads:
            out.append(f"{at}.mentee: {pair.mentor} mentors {pair.mentee}, who runs no account end to end")
    if layout.mentoring.required:
        for lead_id in sorted(e2e_leads):
            n = len(mentors_of.get(lead_id, ()))
            if n != 1:
                out.append(f"mentoring: {lead_id} runs accounts end to end and has {n} mentors (exactly 1 needed)")
    for mentor_id, n in sorted(mentees_of.items()):
        if n > span:
            out.append(f"mentoring: {mentor_id} mentors {n} people, at most {span} allowed")

    # --- capacity, from the work itself and not from the hours the plan declares
    for wid in sorted(work):
        w = workers.get(wid)
        if w is None:
            continue
        at = where_person.get(wid, "people")
        limit = math.floor(w.capacity * pol.utilization_ceiling + 1e-9)
        if work[wid] > limit:
            pct = work[wid] / w.capacity if w.capacity else math.inf
            out.append(
                f"{at}: {wid}: {work[wid]} h of work is {pct:.0%} of {w.capacity} h, above the "
                f"{pol.utilization_ceiling:.0%} ceiling ({limit} h)"
            )
    for i, pp in enumerate(plan.people):
        if pp.id in workers and pp.hours != work[pp.id]:
            out.append(f"people[{i}].hours: {pp.id}: the plan says {pp.hours} h, the work adds up to {work[pp.id]} h")
    for i, h in enumerate(plan.hires):
        if h.id in workers and h.id not in used:
            out.append(f"hires[{i}]: hire {h.id} has no work in the plan")

    # --- cost
    options = {o.id: o for o in agency.hiring}
    hire_cost = sum(options[h.option].cost if h.option in options else h.cost for h in plan.hires)
    staff = sum(p.cost for p in agency.people)
    if plan.cost.hires != hire_cost:
        out.append(f"cost.hires: {plan.cost.hires:,}, the hires' options cost {hire_cost:,}")
    if plan.cost.staff != staff:
        out.append(f"cost.staff: {plan.cost.staff:,}, the staff in the agency file cost {staff:,}")
    return out


# --------------------------------------------------------------------------- pitfalls


def _warning(kind: WarningKind, message: str, account: str = "", person: str = "") -> PlanWarning:
    """A pitfall of one of the kinds the plans warn about (the kind checked where it is written)."""
    return PlanWarning(kind, message, account, person)


def pitfalls(plan: Plan, agency: Agency, layout: Layout) -> tuple[PlanWarning, ...]:
    """The pitfalls (docs/rules.md) the plan runs into, each naming its account or person."""
    out: list[PlanWarning] = []
    accounts = {a.id: a for a in agency.accounts}
    names = Names.of_agency(agency, ((h.id, h.name) for h in plan.hires))
    account, person = names.account, names.person
    discipline = {p.id: p.role for p in agency.people} | {h.id: h.role for h in plan.hires}
    fr = layout.friction
    for ap in plan.accounts:
        acc = accounts.get(ap.id)
        if acc is None:
            continue
        if fr.pm_on_strategy(discipline.get(ap.lead, ""), acc.tier):
            out.append(
                _warning(
                    "role_friction",
                    f"{person(ap.lead)}, a project manager, leads the strategy of tier-{acc.tier} account "
                    f"{account(ap.id)}",
                    ap.id,
                    ap.lead,
                )
            )
        if ap.mode == E2E:
            projects = {p.id: p for p in acc.projects}
            heavy = sorted(
                c.project
                for c in ap.coverage
                if c.person == ap.lead
                and c.project in projects
                and projects[c.project].complexity >= fr.lead_execution_complexity
            )
            if heavy:
                out.append(
                    _warning(
                        "role_friction",
                        f"{person(ap.lead)} leads {account(ap.id)} and also runs complex "
                        f"project{'s' if len(heavy) > 1 else ''} {', '.join(names.project(h) for h in heavy)} "
                        f"(complexity >= {fr.lead_execution_complexity})",
                        ap.id,
                        ap.lead,
                    )
                )
        voices = sorted({c.person for c in ap.coverage} - {ap.lead})
        if len(voices) > MAX_PROJECT_VOICES:
            out.append(
                _warning(
                    "redundant_communication",
                    f"{account(ap.id)} hears from {len(voices)} people running "
                    f"its projects ({names.persons(voices)}) besides its lead {person(ap.lead)}",
                    ap.id,
                )
            )
        if ap.mode == SPLIT:
            senders = {p for r in ap.raci if r.duty == "status_updates" for p in (r.accountable, *r.responsible)}
            if ap.lead in senders and len(senders - {ap.lead}) > 0 and discipline.get(ap.lead) != SUPPORT:
                out.append(
                    _warning(
                        "redundant_communication",
                        f"{account(ap.id)} gets status updates from both its lead "
                        f"{person(ap.lead)} and {names.persons(sorted(senders - {ap.lead}))}",
                        ap.id,
                    )
                )
        if ap.mode == E2E:
            updates_from = sorted(
                {p for r in ap.raci if r.duty == "status_updates" for p in (r.accountable, *r.responsible) if p}
            )
            if len(updates_from) > MAX_UPDATE_SENDERS:
                out.append(
                    _warning(
                        "redundant_communication",
                        f"{account(ap.id)} gets status updates from {len(updates_from)} people "
                        f"({names.persons(updates_from)})",
                        ap.id,
                    )
                )
        for r in ap.raci:
            if not r.accountable:
                out.append(
                    _warning("accountability_gap", f"{account(ap.id)}: nobody is accountable for {r.duty}", ap.id)
                )
    target = agency.policy.target_utilization
    for pp in plan.people:
        if pp.capacity and pp.hours > math.floor(pp.capacity * target + 1e-9):
            out.append(
                _warning(
                    "overload",
                    f"{person(pp.id)} is at {pp.hours / pp.capacity:.0%} of capacity "
                    f"({pp.hours} of {pp.capacity} h; target {target:.0%})",
                    person=pp.id,
                )
            )
    working = {pp.id for pp in plan.people if pp.hours > 0}
    for who in sorted(agency.people, key=lambda p: p.id):
        if who.id not in working and layout.role_for(who.role) is not None:
            out.append(_warning("unused", f"{person(who.id)} has no accounts in this plan", person=who.id))
    return tuple(sorted(out, key=lambda w: (w.kind, w.account, w.person, w.message)))


# --------------------------------------------------------------------------- command


def verify(plan: Plan, agency: Agency, layout: Layout) -> list[str]:
    """Every broken rule and every wrong figure of a plan, one line each, starting with its key path."""
    import re

    from structplan import figures

    out = violations(plan, agency, layout)
    broken = frozenset(int(m.group(1)) for line in out if (m := re.match(r"accounts\[(\d+)\]", line)))
    out += figures.problems(plan, agency, layout, broken)
    return list(dict.fromkeys(out))


def foreign(plan: Plan, agency: Agency) -> str | None:
    """Why the plan is for another agency than this one, or None when it is for this one.

    It is for another agency when fewer than half of the accounts, or of the people on staff, of
    either side are on the other: then no rule can be checked field by field."""
    staff = {p.id for p in agency.people}
    hired = {h.id for h in plan.hires}
    theirs_a, ours_a = {a.id for a in plan.accounts}, {a.id for a in agency.accounts}
    theirs_p = {p.id for p in plan.people} - hired
    shared_a, shared_p = theirs_a & ours_a, theirs_p & staff

    def half(shared: set[str], *sides: set[str]) -> bool:
        return all(2 * len(shared) >= len(side) for side in sides)

    if half(shared_a, theirs_a, ours_a) and half(shared_p, theirs_p, staff):
        return None
    return (
        f"plan is for another agency: {plan.agency!r} ({len(theirs_a)} accounts, {len(theirs_p)} people on staff), "
        f"the agency file is {agency.agency.name!r} ({len(ours_a)} accounts, {len(staff)} people); "
        f"{len(shared_a)} accounts and {len(shared_p)} people in common"
    )
