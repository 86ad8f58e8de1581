"""`structplan diff`: what changes between two plans, as staffing decisions.

`diff(old, new)` compares two plans; `diff_today(agency, plan)` compares today's staffing (the
leads named in an agency file) with a plan. Both give a `PlanDiff`, which `render_text` prints
for a reader and `to_json` turns into data for scripts (schema in docs/diff.md). Everything is
keyed and ordered by id, so the same two files always give the same output. The plan's `run`
table, solver statistics, structure comparison and reason are not staffing decisions and are
ignored.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import attrs

from structplan import formats
from structplan.exitcode import ExitCode
from structplan.model import E2E, SPLIT, AccountPlan, Agency, Contact, Coverage, Hire, MentoringPair, Plan, PlanWarning
from structplan.names import Names

T = TypeVar("T")
#: The cost lines compared, in the order they are shown.
COST_LINES = ("staff", "hires", "coordination", "total")
#: Version of the json document `to_json` returns; bumped when a key changes meaning.
SCHEMA = "structplan.diff/1"
#: Lines of the text diff are continued on the next line past this width.
WIDTH = 100


# --------------------------------------------------------------------------- the changes


@attrs.frozen
class Change(Generic[T]):
    """One value before and after."""

    before: T
    """The value in the old plan (or today)."""
    after: T
    """The value in the new plan."""


@attrs.frozen
class Figure:
    """A number before and after; `before` is None when today's figure is unknown."""

    before: int | float | None
    """The figure in the old plan, None when unknown."""
    after: int | float
    """The figure in the new plan."""

    @property
    def delta(self) -> int | float | None:
        """after - before, None when before is unknown."""
        if self.before is None:
            return None
        d = self.after - self.before
        return round(d, 3) if isinstance(d, float) else d

    @property
    def changed(self) -> bool:
        """Whether the figure moved (an unknown before never counts as a change)."""
        return self.before is not None and self.before != self.after


@attrs.frozen
class Staffing:
    """One person's hours on one project."""

    person: str
    """Id of the person or hire."""
    hours: int
    """Yearly hours."""


@attrs.frozen
class ProjectChange:
    """Who manages one project, before and after (empty: nobody, or not in that plan)."""

    project: str
    """Id of the project."""
    before: tuple[Staffing, ...]
    """Staffing in the old plan, by person."""
    after: tuple[Staffing, ...]
    """Staffing in the new plan, by person."""


@attrs.frozen
class AccountChange:
    """An account present in both plans whose staffing differs; None fields are unchanged."""

    id: str
    """Id of the account."""
    mode: Change[str] | None = None
    """split or end_to_end, before and after."""
    lead: Change[str | None] | None = None
    """The lead before and after; None before means no lead today."""
    lead_hours: Change[int] | None = None
    """The lead's yearly hours on the account."""
    projects: tuple[ProjectChange, ...] = ()
    """Projects whose PM coverage changed, by project id."""
    contact: Change[Contact | None] | None = None
    """Whom the client calls for strategy and for updates."""
    raci: tuple[str, ...] = ()
    """Duties whose named RACI changed."""
    lead_now: str = ""
    """The lead in the new plan, changed or not (to say who runs an account whose mode changed)."""


@attrs.frozen
class AccountEntry:
    """An account present in one plan only (or, against today, in the agency only)."""

    id: str
    """Id of the account."""
    mode: str | None
    """split or end_to_end; None for today's staffing."""
    lead: str | None
    """The lead (None: no lead today)."""
    lead_hours: int | None
    """The lead's hours; None for today's staffing."""
    coverage: tuple[Coverage, ...] = ()
    """Who manages each project."""


@attrs.frozen
class PersonChange:
    """A person in both plans whose work differs; None fields are unchanged."""

    id: str
    """Id of the person or hire."""
    role: Change[str] | None = None
    """Layout role."""
    hours: Change[int] | None = None
    """Planned yearly hours."""
    capacity: Change[int] | None = None
    """Productive yearly hours."""
    utilization: Change[float] | None = None
    """hours / capacity."""
    gained: tuple[str, ...] = ()
    """Accounts the person starts working on (lead or projects)."""
    lost: tuple[str, ...] = ()
    """Accounts the person stops working on."""
    leads_gained: tuple[str, ...] = ()
    """Accounts the person starts leading."""
    leads_lost: tuple[str, ...] = ()
    """Accounts the person stops leading."""

    @property
    def accounts_changed(self) -> bool:
        """Whether the person's accounts or leads changed (not only their hours)."""
        return bool(self.gained or self.lost or self.leads_gained or self.leads_lost or self.role)


@attrs.frozen
class PersonEntry:
    """A person present in one plan only (or, against today, in the agency only)."""

    id: str
    """Id of the person or hire."""
    role: str
    """Layout role (today: the person's discipline)."""
    hours: int | None
    """Planned yearly hours; None for today's staffing."""
    utilization: float | None
    """hours / capacity; None for today's staffing."""
    accounts: tuple[str, ...] = ()
    """Accounts the person works on (today: accounts they lead)."""


Baseline = Literal["plan", "today"]


@attrs.frozen
class PlanDiff:
    """Every staffing decision that differs between two plans, ordered by id."""

    old_name: str = "old"
    """What the old side is called in the output (a file name)."""
    new_name: str = "new"
    """What the new side is called."""
    baseline: Baseline = "plan"
    """plan: two plans compared; today: an agency's current leads against a plan."""
    header: tuple[tuple[str, Change[str]], ...] = ()
    """Changed plan facts: structure, layout, agency, currency."""
    structure: str = ""
    """Structure of the new plan."""
    accounts_added: tuple[AccountEntry, ...] = ()
    """Accounts only in the new plan."""
    accounts_removed: tuple[AccountEntry, ...] = ()
    """Accounts only in the old plan (or only in the agency)."""
    accounts_changed: tuple[AccountChange, ...] = ()
    """Accounts in both whose staffing differs."""
    people_added: tuple[PersonEntry, ...] = ()
    """People only in the new plan (new hires, new staff)."""
    people_removed: tuple[PersonEntry, ...] = ()
    """People only in the old plan (or only in the agency)."""
    people_changed: tuple[PersonChange, ...] = ()
    """People in both whose accounts, role or hours differ."""
    mentoring_added: tuple[MentoringPair, ...] = ()
    """New mentoring pairs."""
    mentoring_removed: tuple[MentoringPair, ...] = ()
    """Mentoring pairs that end."""
    hires_added: tuple[Hire, ...] = ()
    """Positions the new plan opens that the old did not."""
    hires_removed: tuple[Hire, ...] = ()
    """Positions of the old plan the new one does not open."""
    cost: tuple[tuple[str, Figure], ...] = ()
    """staff, hires, coordination and total cost a year."""
    tradeoffs: tuple[tuple[str, Figure], ...] = ()
    """The layouts' named trade-off costs a year (part of the total), by name, in either plan."""
    penalties: tuple[tuple[str, Figure], ...] = ()
    """Soft-rule penalties (in the objective, not the total), by label, in either plan."""
    headcount: tuple[tuple[str, Figure], ...] = ()
    """People with work, by layout role."""
    utilization: Figure = Figure(None, 0.0)
    """Mean utilization of people with work."""
    warnings_added: tuple[PlanWarning, ...] = ()
    """Warnings of the new plan the old did not have."""
    warnings_resolved: tuple[PlanWarning, ...] = ()
    """Warnings of the old plan the new one no longer has."""
    currency: str = "EUR"
    """Currency of the new plan's amounts."""
    modes: tuple[tuple[str, int], ...] = ()
    """Number of accounts of the new plan by mode."""
    end_to_end: tuple[tuple[str, str], ...] = ()
    """(account, lead) of every account the new plan runs end to end (listed against today,
    whose modes the agency file does not say)."""
    names: Names = attrs.field(factory=Names, eq=False)
    """What the text calls each account, project and person (not compared, not in json)."""

    @property
    def equal(self) -> bool:
        """Whether no staffing decision, figure or warning differs.

        Against today only what today is known by counts: leads, accounts and people on staff,
        and hires (the plan's mentoring and warnings are shown, but today's are unknown).
        """
        decisions = (
            self.header
            or self.accounts_added
            or self.accounts_removed
            or self.accounts_changed
            or self.people_added
            or self.people_removed
            or self.people_changed
            or self.hires_added
            or self.hires_removed
        )
        if self.baseline == "today":
            return not decisions
        return not (
            decisions
            or self.mentoring_added
            or self.mentoring_removed
            or self.warnings_added
            or self.warnings_resolved
            or self.utilization.changed
            or any(f.changed for _, f in self.cost)
            or any(f.changed for _, f in self.tradeoffs)
            or any(f.changed for _, f in self.headcount)
        )


# --------------------------------------------------------------------------- comparing


def _change(before: T, after: T) -> Change[T] | None:
    return None if before == after else Change(before, after)


def _staffing(coverage: Iterable[Coverage]) -> dict[str, tuple[Staffing, ...]]:
    by_project: dict[str, list[Staffing]] = defaultdict(list)
    for c in coverage:
        by_project[c.project].append(Staffing(c.person, c.hours))
    return {p: tuple(sorted(s, key=lambda x: (x.person, x.hours))) for p, s in by_project.items()}


def _account_change(old: AccountPlan, new: AccountPlan) -> AccountChange | None:
    if old == new:
        return None
    before, after = _staffing(old.coverage), _staffing(new.coverage)
    projects = tuple(
        ProjectChange(p, before.get(p, ()), after.get(p, ()))
        for p in sorted(before.keys() | after.keys())
        if before.get(p, ()) != after.get(p, ())
    )
    old_raci = {r.duty: r for r in old.raci}
    new_raci = {r.duty: r for r in new.raci}
    raci = tuple(d for d in sorted(old_raci.keys() | new_raci.keys()) if old_raci.get(d) != new_raci.get(d))
    change = AccountChange(
        old.id,
        mode=_change(old.mode, new.mode),
        lead=_change(old.lead, new.lead),
        lead_hours=_change(old.lead_hours, new.lead_hours),
        projects=projects,
        contact=_change(old.contact, new.contact),
        raci=raci,
        lead_now=new.lead,
    )
    return change if change != AccountChange(old.id, lead_now=new.lead) else None


def _entry(ap: AccountPlan) -> AccountEntry:
    return AccountEntry(ap.id, ap.mode, ap.lead, ap.lead_hours, ap.coverage)


def _involvement(plan: Plan) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """person -> accounts they work on, person -> accounts they lead, from the accounts and people."""
    works: dict[str, set[str]] = defaultdict(set)
    leads: dict[str, set[str]] = defaultdict(set)
    for ap in plan.accounts:
        works[ap.lead].add(ap.id)
        leads[ap.lead].add(ap.id)
        for c in ap.coverage:
            works[c.person].add(ap.id)
    for pp in plan.people:
        works[pp.id].update(pp.accounts)
    return works, leads


def _figures(
    before: Mapping[str, int | float] | None, after: Mapping[str, int | float], keys: Iterable[str]
) -> tuple[tuple[str, Figure], ...]:
    return tuple((k, Figure(None if before is None else before.get(k, 0), after.get(k, 0))) for k in keys)


def mean_utilization(plan: Plan) -> float:
    """Mean utilization of the people with work in a plan (as the structure comparison counts it)."""
    active = [p.utilization for p in plan.people if p.hours > 0]
    return round(sum(active) / len(active), 3) if active else 0.0


def _cost(plan: Plan) -> dict[str, int]:
    return {k: getattr(plan.cost, k) for k in COST_LINES}


def _named(
    before: tuple[tuple[str, int], ...] | None, after: tuple[tuple[str, int], ...]
) -> tuple[tuple[str, Figure], ...]:
    """Figures of named amounts, for every name in either side (a name missing from a side is 0)."""
    names = sorted({k for k, _ in before or ()} | {k for k, _ in after})
    return _figures(None if before is None else dict(before), dict(after), names)


def _warning_key(w: PlanWarning) -> tuple[str, str, str, str]:
    return (w.kind, w.account, w.person, w.message)


def _modes(plan: Plan) -> tuple[tuple[str, int], ...]:
    count: dict[str, int] = defaultdict(int)
    for ap in plan.accounts:
        count[ap.mode] += 1
    return tuple(sorted(count.items()))


def _end_to_end(plan: Plan) -> tuple[tuple[str, str], ...]:
    return tuple((ap.id, ap.lead) for ap in plan.accounts if ap.mode == E2E)


def diff(old: Plan, new: Plan, old_name: str = "old", new_name: str = "new") -> PlanDiff:
    """Every staffing decision that differs from `old` to `new`."""
    header = tuple(
        (name, ch)
        for name in ("structure", "layout", "agency", "currency")
        if (ch := _change(getattr(old, name), getattr(new, name))) is not None
    )
    old_acc = {a.id: a for a in old.accounts}
    new_acc = {a.id: a for a in new.accounts}
    changed_accounts = []
    for aid in sorted(old_acc.keys() & new_acc.keys()):
        account_change = _account_change(old_acc[aid], new_acc[aid])
        if account_change is not None:
            changed_accounts.append(account_change)

    old_works, old_leads = _involvement(old)
    new_works, new_leads = _involvement(new)
    old_people = {p.id: p for p in old.people}
    new_people = {p.id: p for p in new.people}
    changed_people = []
    for pid in sorted(old_people.keys() & new_people.keys()):
        a, b = old_people[pid], new_people[pid]
        wa, wb = old_works.get(pid, set()), new_works.get(pid, set())
        la, lb = old_leads.get(pid, set()), new_leads.get(pid, set())
        if a == b and wa == wb and la == lb:
            continue
        pc = PersonChange(
            pid,
            role=_change(a.role, b.role),
            hours=_change(a.hours, b.hours),
            capacity=_change(a.capacity, b.capacity),
            utilization=_change(a.utilization, b.utilization),
            gained=tuple(sorted(wb - wa)),
            lost=tuple(sorted(wa - wb)),
            leads_gained=tuple(sorted(lb - la)),
            leads_lost=tuple(sorted(la - lb)),
        )
        if pc != PersonChange(pid):
            changed_people.append(pc)

    def person_entry(plan_people: Mapping[str, Any], pid: str, works: Mapping[str, set[str]]) -> PersonEntry:
        p = plan_people[pid]
        return PersonEntry(pid, p.role, p.hours, p.utilization, tuple(sorted(works.get(pid, set()))))

    old_pairs, new_pairs = set(old.mentoring), set(new.mentoring)
    old_hires = {h.id: h for h in old.hires}
    new_hires = {h.id: h for h in new.hires}
    old_warn = {_warning_key(w): w for w in old.warnings}
    new_warn = {_warning_key(w): w for w in new.warnings}
    roles = sorted({r for r, _ in old.headcount} | {r for r, _ in new.headcount})
    return PlanDiff(
        names=Names.of_plan(new).union(Names.of_plan(old)),
        old_name=old_name,
        new_name=new_name,
        baseline="plan",
        header=header,
        structure=new.structure,
        accounts_added=tuple(_entry(new_acc[a]) for a in sorted(new_acc.keys() - old_acc.keys())),
        accounts_removed=tuple(_entry(old_acc[a]) for a in sorted(old_acc.keys() - new_acc.keys())),
        accounts_changed=tuple(changed_accounts),
        people_added=tuple(
            person_entry(new_people, p, new_works) for p in sorted(new_people.keys() - old_people.keys())
        ),
        people_removed=tuple(
            person_entry(old_people, p, old_works) for p in sorted(old_people.keys() - new_people.keys())
        ),
        people_changed=tuple(changed_people),
        mentoring_added=tuple(sorted(new_pairs - old_pairs, key=lambda m: (m.mentor, m.mentee))),
        mentoring_removed=tuple(sorted(old_pairs - new_pairs, key=lambda m: (m.mentor, m.mentee))),
        hires_added=tuple(new_hires[h] for h in sorted(new_hires) if old_hires.get(h) != new_hires[h]),
        hires_removed=tuple(old_hires[h] for h in sorted(old_hires) if new_hires.get(h) != old_hires[h]),
        cost=_figures(_cost(old), _cost(new), COST_LINES),
        tradeoffs=_named(old.cost.tradeoffs, new.cost.tradeoffs),
        penalties=_named(old.cost.penalties, new.cost.penalties),
        headcount=_figures(dict(old.headcount), dict(new.headcount), roles),
        utilization=Figure(mean_utilization(old), mean_utilization(new)),
        warnings_added=tuple(new_warn[k] for k in sorted(new_warn.keys() - old_warn.keys())),
        warnings_resolved=tuple(old_warn[k] for k in sorted(old_warn.keys() - new_warn.keys())),
        currency=new.currency,
        modes=_modes(new),
        end_to_end=_end_to_end(new),
    )


def diff_today(agency: Agency, plan: Plan, old_name: str = "today", new_name: str = "plan") -> PlanDiff:
    """What changes if the agency adopts `plan`: today's leads (from the agency) against the plan's.

    Today's PM of a project is compared where the agency file records it (`manager`): a move is
    a project whose PM today does not manage it in the plan (today's hours are `0`: unknown).
    Today's hours and cost are not in the agency file, so only leads, PMs, people on staff,
    hires and the plan's own figures are compared.
    """
    today = {a.id: a for a in agency.accounts}
    planned = {a.id: a for a in plan.accounts}
    changed = []
    for aid in sorted(today.keys() & planned.keys()):
        before, ap = today[aid].lead, planned[aid]
        staffing = _staffing(ap.coverage)
        moves = tuple(
            ProjectChange(pr.id, (Staffing(pr.manager, 0),), staffing.get(pr.id, ()))
            for pr in sorted(today[aid].projects, key=lambda pr: pr.id)
            if pr.manager is not None and pr.manager not in {s.person for s in staffing.get(pr.id, ())}
        )
        lead = Change(before, ap.lead) if before != ap.lead else None
        if lead or moves:
            changed.append(AccountChange(aid, lead=lead, projects=moves, lead_now=ap.lead))
    old_leads: dict[str, set[str]] = defaultdict(set)
    for a in agency.accounts:
        if a.lead:
            old_leads[a.lead].add(a.id)
    new_leads: dict[str, set[str]] = defaultdict(set)
    for ap in plan.accounts:
        new_leads[ap.lead].add(ap.id)
    staff = {p.id: p for p in agency.people}
    in_plan = {p.id: p for p in plan.people}
    people = []
    for pid in sorted(staff.keys() & in_plan.keys()):
        la, lb = old_leads.get(pid, set()), new_leads.get(pid, set())
        if la != lb:
            people.append(
                PersonChange(
                    pid,
                    gained=tuple(sorted(lb - la)),
                    lost=tuple(sorted(la - lb)),
                    leads_gained=tuple(sorted(lb - la)),
                    leads_lost=tuple(sorted(la - lb)),
                )
            )
    new_works, _ = _involvement(plan)
    hire_ids = {h.id for h in plan.hires}
    roles = sorted({r for r, _ in plan.headcount})
    return PlanDiff(
        names=Names.of_agency(agency).union(Names.of_plan(plan)),
        old_name=old_name,
        new_name=new_name,
        baseline="today",
        structure=plan.structure,
        accounts_added=tuple(_entry(planned[a]) for a in sorted(planned.keys() - today.keys())),
        accounts_removed=tuple(
            AccountEntry(a, None, today[a].lead, None) for a in sorted(today.keys() - planned.keys())
        ),
        accounts_changed=tuple(changed),
        people_added=tuple(
            PersonEntry(
                p, in_plan[p].role, in_plan[p].hours, in_plan[p].utilization, tuple(sorted(new_works.get(p, set())))
            )
            for p in sorted(in_plan.keys() - staff.keys())
            if p not in hire_ids
        ),
        people_removed=tuple(
            PersonEntry(p, staff[p].role, None, None, tuple(sorted(old_leads.get(p, set()))))
            for p in sorted(staff.keys() - in_plan.keys())
        ),
        people_changed=tuple(people),
        mentoring_added=plan.mentoring,
        hires_added=plan.hires,
        cost=_figures(None, _cost(plan), COST_LINES),
        tradeoffs=_named(None, plan.cost.tradeoffs),
        penalties=_named(None, plan.cost.penalties),
        headcount=_figures(None, dict(plan.headcount), roles),
        utilization=Figure(None, mean_utilization(plan)),
        warnings_added=plan.warnings,
        currency=plan.currency,
        modes=_modes(plan),
        end_to_end=_end_to_end(plan),
    )


# --------------------------------------------------------------------------- text


@attrs.frozen
class _Paint:
    """ANSI colour when asked for: green for what comes, red for what goes, bold headings."""

    color: bool

    def _sgr(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text

    def add(self, text: str) -> str:
        return self._sgr("32", text)

    def rm(self, text: str) -> str:
        return self._sgr("31", text)

    def head(self, text: str) -> str:
        return self._sgr("1", text)


def _h(before: int, after: int) -> str:
    return f"{after} h" if before == after else f"{before} -> {after} h"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _mode(mode: str | None) -> str:
    return "end to end" if mode == E2E else (mode or "?")


def _who(lead: str | None, n: Names) -> str:
    return n.person(lead) if lead else "nobody"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _project_lines(projects: tuple[ProjectChange, ...], paint: _Paint, n: Names) -> list[str]:
    """Coverage changes project by project, moves between the same two people grouped."""
    moved: dict[tuple[str, str], list[ProjectChange]] = defaultdict(list)
    out: list[tuple[str, str]] = []
    for pc in projects:
        if len(pc.before) == 1 and len(pc.after) == 1:
            was, now = pc.before[0], pc.after[0]
            if was.person != now.person:
                moved[(was.person, now.person)].append(pc)
            else:
                out.append((pc.project, f"{n.project(pc.project)} {n.person(was.person)} {_h(was.hours, now.hours)}"))
            continue
        before = {s.person: s.hours for s in pc.before}
        after = {s.person: s.hours for s in pc.after}
        parts = []
        for person in sorted(before.keys() | after.keys()):
            if person not in before:
                parts.append(paint.add(f"+{n.person(person)} {after[person]} h"))
            elif person not in after:
                parts.append(paint.rm(f"-{n.person(person)} {before[person]} h"))
            elif before[person] != after[person]:
                parts.append(f"{n.person(person)} {before[person]} -> {after[person]} h")
        out.append((pc.project, f"{n.project(pc.project)} {', '.join(parts)}"))
    for (from_person, to_person), group in moved.items():
        ids = ", ".join(n.project(pc.project) for pc in group)
        hours = _h(sum(pc.before[0].hours for pc in group), sum(pc.after[0].hours for pc in group))
        out.append(
            (
                group[0].project,
                f"{ids} {paint.rm(n.person(from_person))} -> {paint.add(n.person(to_person))} ({hours})",
            )
        )
    return [line for _, line in sorted(out)]


def _team(projects: tuple[ProjectChange, ...], paint: _Paint, n: Names) -> list[str]:
    """Coverage changes of one account summed by person: who joins, who leaves, whose hours move."""
    before: dict[str, int] = defaultdict(int)
    after: dict[str, int] = defaultdict(int)
    for pc in projects:
        for s in pc.before:
            before[s.person] += s.hours
        for s in pc.after:
            after[s.person] += s.hours
    joins = [paint.add(f"+{n.person(p)} {after[p]} h") for p in sorted(after.keys() - before.keys())]
    leaves = [paint.rm(f"-{n.person(p)} {before[p]} h") for p in sorted(before.keys() - after.keys())]
    moves = [
        f"{n.person(p)} {before[p]} -> {after[p]} h"
        for p in sorted(before.keys() & after.keys())
        if before[p] != after[p]
    ]
    parts = joins + leaves + moves
    if projects and not parts:  # the same people and hours, projects traded between them
        lines = _project_lines(projects, paint, n)
        return [f"projects traded: {lines[0]}", *lines[1:]]
    return parts


def _decision(ch: AccountChange, paint: _Paint, today: bool, n: Names) -> str:
    """Mode and lead of one account, in words."""
    hours = _h(ch.lead_hours.before, ch.lead_hours.after) if ch.lead_hours else ""
    if today and ch.lead:
        was = f"lead today {n.person(ch.lead.before)}" if ch.lead.before else "no lead today"
        return f"{was} -> plan {paint.add(_who(ch.lead.after, n))}"
    parts = []
    if ch.mode:
        mode = f"{_mode(ch.mode.before)} -> {_mode(ch.mode.after)}"
        if not ch.lead:
            how = "run by" if ch.mode.after == E2E else "led by"
            mode += f", {how} {n.person(ch.lead_now)}" + (f" (lead {hours})" if hours else "")
        parts.append(mode)
    if ch.lead:
        parts.append(
            f"lead {paint.rm(_who(ch.lead.before, n))} -> {paint.add(_who(ch.lead.after, n))}"
            + (f" ({hours})" if hours else "")
        )
    return "; ".join(parts)


def _entry_text(e: AccountEntry, n: Names) -> str:
    if e.mode is None:
        return f"lead today {n.person(e.lead)}" if e.lead else "no lead today"
    projects = ", ".join(f"{n.project(c.project)} {n.person(c.person)} {c.hours} h" for c in e.coverage)
    lead = n.person(e.lead) if e.lead else "nobody"
    return f"{_mode(e.mode)}, lead {lead} {e.lead_hours} h" + (f"; {projects}" if projects else "")


def _person_lines(pc: PersonChange, width: int, paint: _Paint, n: Names) -> list[str]:
    items = [f"role {pc.role.before} -> {pc.role.after};"] if pc.role else []
    lead_change = set(pc.leads_gained) | set(pc.leads_lost)
    items += [paint.add(f"+{n.account(a)}" + (" (lead)" if a in lead_change else "")) for a in pc.gained]
    items += [paint.rm(f"-{n.account(a)}" + (" (lead)" if a in lead_change else "")) for a in pc.lost]
    items += [paint.add(f"now leads {n.account(a)}") for a in pc.leads_gained if a not in pc.gained]
    items += [paint.rm(f"no longer leads {n.account(a)}") for a in pc.leads_lost if a not in pc.lost]
    load = _load(pc)
    if load:
        if items:
            items[-1] += ";"
        items.append(load)
    return _flow(f"  {n.person(pc.id).ljust(width)}  ", items, " ")


def _load(pc: PersonChange) -> str:
    bits = []
    if pc.hours:
        bits.append(f"{pc.hours.before} -> {pc.hours.after} h")
    if pc.capacity:
        bits.append(f"capacity {pc.capacity.before} -> {pc.capacity.after} h")
    if pc.utilization:
        bits.append(f"({_pct(pc.utilization.before)} -> {_pct(pc.utilization.after)})")
    return " ".join(bits)


def _wrap(items: list[str], indent: str, width: int = WIDTH) -> list[str]:
    """Items joined with ", " in lines of about `width` characters."""
    lines: list[str] = []
    line = ""
    for item in items:
        if line and len(line) + len(item) + 2 > width:
            lines.append(line + ",")
            line = ""
        line = f"{line}, {item}" if line else indent + item
    if line:
        lines.append(line)
    return lines


_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _flow(head: str, items: list[str], sep: str, width: int = WIDTH) -> list[str]:
    """`head` followed by items joined with `sep`, continued under the first item past `width`."""
    indent = " " * len(_SGR.sub("", head))
    lines, line, used = [], head, len(indent)
    for n, item in enumerate(items):
        size = len(_SGR.sub("", item))
        if n and used + len(sep) + size > width:
            lines.append(line + sep.rstrip())
            line, used = indent + item, len(indent) + size
        else:
            line, used = (line + sep + item, used + len(sep) + size) if n else (line + item, used + size)
    lines.append(line)
    return lines


def _signed(value: int | float | None, percent: bool = False) -> str:
    if value is None:
        return ""
    if percent:
        return f"{value * 100:+.1f} pts" if value else "0"
    return f"{value:+,}" if value else "0"


def _table(rows: list[tuple[str, ...]], paint: _Paint) -> list[str]:
    """Rows under a bold header row, the first column left-aligned, numbers right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))]
        text = "  ".join(cells).rstrip()
        out.append(paint.head(text) if n == 0 else text)
    return out


def _figures_text(d: PlanDiff, paint: _Paint) -> list[str]:
    """Cost, headcount and mean utilization: before, after and delta (against today: the plan's)."""
    known = d.baseline == "plan"

    def rows(title: str, figures: tuple[tuple[str, Figure], ...]) -> list[tuple[str, ...]]:
        if known:
            return [
                (title, "before", "after", "delta"),
                *(("  " + k, f"{f.before:,}", f"{f.after:,}", _signed(f.delta)) for k, f in figures),
            ]
        return [(title, "plan"), *(("  " + k, f"{f.after:,}") for k, f in figures)]

    cost = [*d.cost[:-1], *((f"  {k.replace('_', ' ')}", f) for k, f in d.tradeoffs), *d.cost[-1:]]
    lines = _table(rows(f"Cost a year ({d.currency})", tuple(cost)), paint)
    if d.penalties:
        lines += ["", *_table(rows("Penalties (objective, not in the total)", d.penalties), paint)]
    if d.headcount:
        lines += ["", *_table(rows("Headcount by role", d.headcount), paint)]
    u = d.utilization
    lines.append("")
    if known:
        lines.append(
            paint.head("Mean utilization") + f"  {u.before:.1%} -> {u.after:.1%} ({_signed(u.delta, percent=True)})"
        )
    else:
        lines.append(paint.head("Mean utilization") + f"  {u.after:.1%}")
    return lines


def _subject(w: PlanWarning, n: Names) -> str:
    if w.account:
        return n.account(w.account)
    return n.person(w.person) if w.person else w.message


def _warnings_text(d: PlanDiff, paint: _Paint, detail: bool) -> list[str]:
    """Warnings by kind: new ones, resolved ones, and ones still there with other figures."""
    if detail:
        return [paint.add(f"  + {w.kind}: {w.message}") for w in d.warnings_added] + [
            paint.rm(f"  - {w.kind}: {w.message}") for w in d.warnings_resolved
        ]
    added = {(w.kind, w.account, w.person) for w in d.warnings_added}
    resolved = {(w.kind, w.account, w.person) for w in d.warnings_resolved}
    by_kind: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for w in d.warnings_added:
        key = (w.kind, w.account, w.person)
        if key in resolved:
            by_kind[w.kind]["changed"].append(_subject(w, d.names))
        else:
            by_kind[w.kind]["new"].append(paint.add(f"+{_subject(w, d.names)}"))
    for w in d.warnings_resolved:
        if (w.kind, w.account, w.person) not in added:
            by_kind[w.kind]["resolved"].append(paint.rm(f"-{_subject(w, d.names)}"))
    width = max((len(k) for k in by_kind), default=0)
    lines = []
    for kind in sorted(by_kind):
        groups = by_kind[kind]
        items = groups["new"] + groups["resolved"]
        changed = sorted(set(groups["changed"]))
        if changed:
            items += ["(still there, other figures:", *(f"{c}," for c in changed[:-1]), f"{changed[-1]})"]
        lines += _flow(f"  {kind.ljust(width)}  ", items, " ")
    return lines


def render_text(d: PlanDiff, color: bool = False, detail: bool = False) -> str:
    """The diff for a reader, what matters first: a summary, the decisions (mode and lead,
    accounts added and removed, mentoring, hires), the figures and the warnings, then the long
    lists: PM coverage by account and people by person. ANSI colour when `color`; `detail` lists
    coverage project by project, the client contacts and every warning message."""
    paint = _Paint(color)
    n = d.names
    today = d.baseline == "today"
    if today:
        top = f"structplan diff: today ({d.old_name}) -> plan {d.new_name} ({d.structure})"
    else:
        top = f"structplan diff: {d.old_name} -> {d.new_name}"
    out = [paint.head(top)]
    if d.equal and not today:
        return "\n".join(out) + "\nno differences\n"

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.append("")
            out.append(paint.head(title))
            out.extend(lines)

    movers = [p for p in d.people_changed if p.accounts_changed]
    load_only = [p for p in d.people_changed if not p.accounts_changed]
    decisions = [a for a in d.accounts_changed if a.mode or a.lead]
    covered = [a for a in d.accounts_changed if a.projects or (a.lead_hours and not (a.mode or a.lead))]
    other = [a for a in d.accounts_changed if a not in decisions and a not in covered]
    if d.equal:
        out.append("no differences: the plan keeps every lead of today, with the same people and no hires")
    section("Summary", _summary(d, decisions, covered, movers, paint))

    ids = [a.id for a in d.accounts_changed] + [a.id for a in d.accounts_added] + [a.id for a in d.accounts_removed]
    width = max((len(n.account(i)) for i in ids), default=0)

    def account(aid: str) -> str:
        return n.account(aid).ljust(width)

    lines = [f"  {account(a.id)}  {_decision(a, paint, today, n)}" for a in decisions]
    if today:
        relead, first = _today_leads(decisions)
        section(
            f"Leads: {_plural(len(relead), 'account changes', 'accounts change')} lead",
            [f"  {account(a.id)}  {_decision(a, paint, today, n)}" for a in relead],
        )
        section(
            f"New clients: {_plural(len(first), 'account gets', 'accounts get')} a first lead",
            [f"  {account(a.id)}  {_decision(a, paint, today, n)}" for a in first],
        )
        moves = [(a.id, pc) for a in d.accounts_changed for pc in a.projects]
        section(
            f"PM moves: {_plural(len(moves), 'project')} whose PM today does not manage it in the plan",
            [
                f"  {account(aid)}  {n.project(pc.project)}: today {n.person(pc.before[0].person)} -> plan "
                + paint.add(n.persons(s.person for s in pc.after) or "nobody")
                for aid, pc in moves
            ],
        )
        lines = [
            paint.add(f"+ {account(e.id)}  in the plan, not in the agency: {_entry_text(e, n)}")
            for e in d.accounts_added
        ]
        lines += [
            paint.rm(f"- {account(e.id)}  in the agency, not in the plan ({_entry_text(e, n)})")
            for e in d.accounts_removed
        ]
    else:
        section(f"Mode and lead: {_plural(len(decisions), 'account')}", lines)
        lines = [paint.add(f"+ {account(e.id)}  {_entry_text(e, n)}") for e in d.accounts_added]
        lines += [paint.rm(f"- {account(e.id)}  {_entry_text(e, n)}") for e in d.accounts_removed]
    section(f"Accounts added and removed: +{len(d.accounts_added)} -{len(d.accounts_removed)}", lines)

    if today:
        section(
            f"Run end to end in the plan: {_plural(len(d.end_to_end), 'account')}",
            _wrap([f"{n.account(a)} ({n.person(lead)})" for a, lead in d.end_to_end], "  "),
        )
        section(
            f"Mentoring in the plan: {_plural(len(d.mentoring_added), 'pair')}",
            _mentoring(d.mentoring_added, (), paint, n),
        )
    else:
        section(
            f"Mentoring: {len(d.mentoring_added)} added, {len(d.mentoring_removed)} removed",
            _mentoring(d.mentoring_added, d.mentoring_removed, paint, n),
        )
    hire_lines = [
        paint.add(f"  + {h.id}  {h.name} ({h.role}, level {h.level}) {h.cost:,} {d.currency}") for h in d.hires_added
    ]
    hire_lines += [
        paint.rm(f"  - {h.id}  {h.name} ({h.role}, level {h.level}) {h.cost:,} {d.currency}") for h in d.hires_removed
    ]
    if today:
        section(f"Hires needed: {len(d.hires_added)}", hire_lines or ["  none"])
    else:
        section(f"Hires: {len(d.hires_added)} added, {len(d.hires_removed)} removed", hire_lines)

    out.append("")
    out += _figures_text(d, paint)
    if today:
        kinds: dict[str, int] = defaultdict(int)
        for w in d.warnings_added:
            kinds[w.kind] += 1
        listed = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        section(f"Warnings in the plan: {len(d.warnings_added)}", [f"  {listed}"] if listed else [])
    else:
        section(
            f"Warnings: {len(d.warnings_added)} added, {len(d.warnings_resolved)} resolved",
            _warnings_text(d, paint, detail),
        )

    if not today:
        lines = []
        for a in covered:
            hours = (
                f"lead {_h(a.lead_hours.before, a.lead_hours.after)}" if a.lead_hours and not (a.mode or a.lead) else ""
            )
            if detail and a.projects:
                project_lines = _project_lines(a.projects, paint, n)
                if hours:
                    project_lines.insert(0, hours)
                lines.append(f"  {account(a.id)}  {project_lines[0]}")
                lines += [" " * (width + 4) + line for line in project_lines[1:]]
            else:
                team = _team(a.projects, paint, n)
                if hours:
                    team = [f"{hours};", *team] if team else [hours]
                sep = "; " if team and team[0].startswith("projects traded") else ", "
                lines += _flow(f"  {account(a.id)}  ", team, sep)
        moved = sum(len(a.projects) for a in covered)
        section(f"PM coverage: {_plural(len(covered), 'account')}, {_plural(moved, 'project')}", lines)
        lines = []
        for a in d.accounts_changed:
            if a.contact and (detail or a in other):
                before = a.contact.before or Contact("", "")
                after = a.contact.after or Contact("", "")
                parts = [
                    f"{what} {_who(getattr(before, what), n)} -> {_who(getattr(after, what), n)}"
                    for what in ("strategy", "updates")
                    if getattr(before, what) != getattr(after, what)
                ]
                lines.append(f"  {account(a.id)}  client calls: {', '.join(parts)}")
            elif a.raci and a in other:
                lines.append(f"  {account(a.id)}  RACI changed: {', '.join(a.raci)}")
        section("Client contacts and RACI", lines)

    ids = [p.id for p in movers] + [p.id for p in d.people_added] + [p.id for p in d.people_removed]
    width = max((len(n.person(i)) for i in ids), default=0)

    def person(pid: str) -> str:
        return n.person(pid).ljust(width)

    lines = [line for p in movers for line in _person_lines(p, width, paint, n)]
    hires = {h.id for h in d.hires_added}
    for e in d.people_added:
        tag = "hire, " if e.id in hires else ""
        accounts = ", ".join(n.account(a) for a in e.accounts) or "no accounts"
        lines.append(paint.add(f"+ {person(e.id)}  ({tag}{e.role}) {accounts}; {e.hours} h ({_pct(e.utilization)})"))
    for e in d.people_removed:
        if today:
            lines.append(paint.rm(f"- {person(e.id)}  ({e.role}) on staff, not in the plan"))
        else:
            accounts = ", ".join(n.account(a) for a in e.accounts) or "no accounts"
            lines.append(paint.rm(f"- {person(e.id)}  ({e.role}) {accounts}"))
    title = "People whose leads change" if today else "People whose accounts change"
    counts = (
        [str(len(movers))]
        + ([f"{len(d.people_added)} added"] if d.people_added else [])
        + ([f"{len(d.people_removed)} removed"] if d.people_removed else [])
    )
    section(f"{title}: {', '.join(counts)}", lines)
    if load_only:
        section(
            f"Hours change, same accounts: {len(load_only)}",
            _wrap([f"{n.person(p.id)} {_load(p)}" for p in load_only], "  "),
        )
    return "\n".join(out) + "\n"


def _today_leads(decisions: list[AccountChange]) -> tuple[list[AccountChange], list[AccountChange]]:
    """Against today: accounts whose lead changes, and accounts without a lead today."""
    relead = [a for a in decisions if a.lead is not None and a.lead.before is not None]
    first = [a for a in decisions if a.lead is not None and a.lead.before is None]
    return relead, first


def _summary(
    d: PlanDiff, decisions: list[AccountChange], covered: list[AccountChange], movers: list[PersonChange], paint: _Paint
) -> list[str]:
    """A few lines an ops director reads first."""
    lines = [f"{name} {paint.rm(ch.before)} -> {paint.add(ch.after)}" for name, ch in d.header]
    if len(lines) > 1 and [n for n, _ in d.header[:2]] == ["structure", "layout"]:
        lines[:2] = [f"{lines[0]} (layout {d.header[1][1].before} -> {d.header[1][1].after})"]
    if d.baseline == "today":
        relead, first = _today_leads(decisions)
        moves = sum(len(a.projects) for a in d.accounts_changed)
        lines.append(
            f"{_plural(len(relead), 'account changes', 'accounts change')} lead, "
            f"{_plural(len(first), 'new client gets', 'new clients get')} a first lead"
            + (f", {_plural(moves, 'project changes', 'projects change')} PM" if moves else "")
            + f"; {_plural(len(movers), 'person', 'people')} gain or lose a lead; "
            f"{_plural(len(d.hires_added), 'hire')} needed"
        )
        modes = ", ".join(f"{n} {_mode(m)}" for m, n in d.modes)
        total = dict(d.cost).get("total")
        lines.append(
            f"the plan ({d.structure}) runs {sum(n for _, n in d.modes)} accounts: {modes}; "
            f"it costs {total.after if total else 0:,} {d.currency} a year"
        )
        return ["  " + line for line in lines]
    to_e2e = sum(1 for a in decisions if a.mode and a.mode.after == E2E)
    to_split = sum(1 for a in decisions if a.mode and a.mode.after == SPLIT)
    leads = sum(1 for a in decisions if a.lead)
    parts = []
    if to_e2e:
        parts.append(f"{_plural(to_e2e, 'account goes', 'accounts go')} end to end")
    if to_split:
        parts.append(f"{_plural(to_split, 'account goes', 'accounts go')} back to split")
    if leads:
        parts.append(f"{_plural(leads, 'account changes', 'accounts change')} lead")
    if parts:
        lines.append("; ".join(parts))
    if covered:
        moved = sum(len(a.projects) for a in covered)
        lines.append(f"PM coverage changes on {_plural(len(covered), 'account')} ({_plural(moved, 'project')})")
    if d.accounts_added or d.accounts_removed:
        lines.append(f"accounts: {len(d.accounts_added)} added, {len(d.accounts_removed)} removed")
    people = f"{_plural(len(movers), 'person changes', 'people change')} accounts"
    if d.people_added or d.people_removed:
        people += f"; people: {len(d.people_added)} added, {len(d.people_removed)} removed"
    lines.append(people)
    lines.append(
        f"mentoring pairs: {len(d.mentoring_added)} added, {len(d.mentoring_removed)} removed; "
        f"hires: {len(d.hires_added)} added, {len(d.hires_removed)} removed"
    )
    total = dict(d.cost).get("total")
    if total is not None and total.before is not None:
        u = d.utilization
        lines.append(
            f"cost {_signed(total.delta)} {d.currency} a year ({total.before:,} -> {total.after:,}); "
            f"mean utilization {u.before:.1%} -> {u.after:.1%}"
        )
    lines.append(f"warnings: {len(d.warnings_added)} added, {len(d.warnings_resolved)} resolved")
    return ["  " + line for line in lines]


def _mentoring(
    added: tuple[MentoringPair, ...], removed: tuple[MentoringPair, ...], paint: _Paint, n: Names
) -> list[str]:
    by_mentor: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for m in added:
        by_mentor[m.mentor].append((m.mentee, True))
    for m in removed:
        by_mentor[m.mentor].append((m.mentee, False))
    width = max((len(n.person(m)) for m in by_mentor), default=0)
    lines = []
    for mentor, items in sorted(by_mentor.items()):
        lines += _flow(
            f"  {n.person(mentor).ljust(width)}  mentors ",
            [paint.add(f"+{n.person(who)}") if new else paint.rm(f"-{n.person(who)}") for who, new in sorted(items)],
            " ",
        )
    return lines


# --------------------------------------------------------------------------- json


def _json_change(ch: Change[Any] | None) -> dict[str, Any] | None:
    if ch is None:
        return None
    return {"before": _plain(ch.before), "after": _plain(ch.after)}


def _plain(value: Any) -> Any:
    """Records as dicts, tuples as lists: what json.dump writes."""
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _json_figure(f: Figure) -> dict[str, Any]:
    return {"before": f.before, "after": f.after, "delta": f.delta}


def _json_staffing(s: tuple[Staffing, ...]) -> list[dict[str, Any]]:
    return [{"person": x.person, "hours": x.hours} for x in s]


def to_json(d: PlanDiff) -> dict[str, Any]:
    """The diff as json data; the schema is documented in docs/diff.md."""
    return {
        "schema": SCHEMA,
        "old": d.old_name,
        "new": d.new_name,
        "baseline": d.baseline,
        "equal": d.equal,
        "structure": {name: _json_change(ch) for name, ch in d.header},
        "accounts": {
            "added": [_plain(e) for e in d.accounts_added],
            "removed": [_plain(e) for e in d.accounts_removed],
            "changed": [
                {
                    "id": a.id,
                    "mode": _json_change(a.mode),
                    "lead": _json_change(a.lead),
                    "lead_hours": _json_change(a.lead_hours),
                    "projects": [
                        {"project": p.project, "before": _json_staffing(p.before), "after": _json_staffing(p.after)}
                        for p in a.projects
                    ],
                    "contact": _json_change(a.contact),
                    "raci": list(a.raci),
                }
                for a in d.accounts_changed
            ],
        },
        "people": {
            "added": [_plain(e) for e in d.people_added],
            "removed": [_plain(e) for e in d.people_removed],
            "changed": [
                {
                    "id": p.id,
                    "role": _json_change(p.role),
                    "hours": _json_change(p.hours),
                    "capacity": _json_change(p.capacity),
                    "utilization": _json_change(p.utilization),
                    "gained": list(p.gained),
                    "lost": list(p.lost),
                    "leads_gained": list(p.leads_gained),
                    "leads_lost": list(p.leads_lost),
                }
                for p in d.people_changed
            ],
        },
        "mentoring": {
            "added": [_plain(m) for m in d.mentoring_added],
            "removed": [_plain(m) for m in d.mentoring_removed],
        },
        "hires": {"added": [_plain(h) for h in d.hires_added], "removed": [_plain(h) for h in d.hires_removed]},
        "cost": {k: _json_figure(f) for k, f in d.cost},
        "tradeoffs": {k: _json_figure(f) for k, f in d.tradeoffs},
        "penalties": {k: _json_figure(f) for k, f in d.penalties},
        "currency": d.currency,
        "headcount": {k: _json_figure(f) for k, f in d.headcount},
        "utilization": _json_figure(d.utilization),
        "modes": dict(d.modes),
        "end_to_end": [{"account": a, "lead": lead} for a, lead in d.end_to_end],
        "warnings": {
            "added": [_plain(w) for w in d.warnings_added],
            "resolved": [_plain(w) for w in d.warnings_resolved],
        },
    }


# --------------------------------------------------------------------------- command


def _use_color(choice: str, stream: Any) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _load_side(path: str, side: str) -> tuple[str, Agency | Plan]:
    """Load OLD (a plan or an agency file) or NEW (a plan); a LoadError names the file otherwise."""
    data = formats.read_toml(path)
    kind = formats.detect_kind(data)
    if kind == "layout" or (kind == "agency" and side == "NEW"):
        wanted = "a plan file" if side == "NEW" else "a plan or an agency file"
        raise formats.LoadError(
            [
                formats.Problem(
                    path, "", f"is {'an' if kind == 'agency' else 'a'} {kind} file; diff needs {wanted} as {side}"
                )
            ]
        )
    if kind == "agency":
        return "agency", formats.from_data(data, "agency", path)
    return "plan", formats.from_data(data, "plan", path)


def compare(old_path: str, new_path: str, old_name: str | None = None, new_name: str | None = None) -> PlanDiff:
    """Load two files and diff them: OLD a plan or an agency (today), NEW a plan."""
    _, old = _load_side(old_path, "OLD")
    _, new = _load_side(new_path, "NEW")
    assert isinstance(new, Plan)
    if isinstance(old, Agency):
        return diff_today(old, new, old_name or old_path, new_name or new_path)
    return diff(old, new, old_name or old_path, new_name or new_path)


def _emit(d: PlanDiff, fmt: str, color: bool, detail: bool) -> None:
    if fmt == "json":
        json.dump(to_json(d), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(d, color=color, detail=detail))


def run(args: argparse.Namespace) -> int:
    """`structplan diff OLD NEW`: exit 0 when equal, 1 when different, 2 on error."""
    if getattr(args, "git", False):
        return run_git(args)
    if getattr(args, "rest", None):
        print(
            f"structplan diff: expected OLD and NEW, got {2 + len(args.rest)} files (git's 7 arguments need --git)",
            file=sys.stderr,
        )
        return ExitCode.BAD
    d = compare(args.old, args.new)
    _emit(d, args.format, _use_color(args.color, sys.stdout), getattr(args, "detail", False))
    return ExitCode.OK if d.equal else ExitCode.NO


def run_git(args: argparse.Namespace) -> int:
    """`structplan diff --git PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`: git's
    external diff driver. Always exits 0 (git stops at a non-zero exit); a side that does not
    load is reported and shown as a plain text diff instead."""
    argv = [args.old, args.new, *(args.rest or [])]
    if len(argv) not in (7, 9):
        print(f"structplan diff --git: expected git's 7 (or 9) arguments, got {len(argv)}", file=sys.stderr)
        return ExitCode.BAD
    path, old_file, _, _, new_file, _, _ = argv[:7]
    new_path = argv[7] if len(argv) == 9 else path
    names = {old_file: f"a/{path}", new_file: f"b/{new_path}"}

    def problems(exc: formats.LoadError) -> str:  # git's temporary files named as the user knows them
        return "".join(f"  {attrs.evolve(p, file=names.get(p.file, p.file))}\n" for p in exc.problems)

    color = _use_color(args.color, sys.stdout) or (
        args.color == "auto" and bool(os.environ.get("GIT_PAGER_IN_USE")) and not os.environ.get("NO_COLOR")
    )
    paint = _Paint(color)
    sys.stdout.write(paint.head(f"structplan diff a/{path} b/{new_path}") + "\n")
    if old_file == os.devnull or new_file == os.devnull:
        which, file = ("new", new_file) if old_file == os.devnull else ("deleted", old_file)
        try:
            _, obj = _load_side(file, "OLD")
            sys.stdout.write(f"{which} file: {_describe(obj)}\n")
        except formats.LoadError as exc:
            sys.stdout.write(f"{which} file; it does not load:\n" + problems(exc))
        return ExitCode.OK
    try:
        d = compare(old_file, new_file, f"a/{path}", f"b/{new_path}")
    except formats.LoadError as exc:
        sys.stdout.write("cannot compare the plans:\n" + problems(exc) + "the text diff follows\n")
        sys.stdout.writelines(_text_diff(old_file, new_file, f"a/{path}", f"b/{new_path}"))
        return ExitCode.OK
    if args.format == "text":
        body = render_text(d, color=color, detail=getattr(args, "detail", False))
    else:
        body = json.dumps(to_json(d), indent=2) + "\n"
    sys.stdout.write(body.split("\n", 1)[1] if args.format == "text" else body)
    return ExitCode.OK


def _describe(obj: Agency | Plan) -> str:
    if isinstance(obj, Plan):
        return (
            f"plan ({obj.structure}), {_plural(len(obj.accounts), 'account')}, "
            f"{_plural(len(obj.people), 'person', 'people')}, {_plural(len(obj.hires), 'hire')}, "
            f"cost {obj.cost.total:,} {obj.currency}"
        )
    return (
        f"agency {obj.agency.name}, {_plural(len(obj.accounts), 'account')}, "
        f"{_plural(len(obj.people), 'person', 'people')}"
    )


def _text_diff(old_file: str, new_file: str, old_name: str, new_name: str) -> Iterable[str]:
    def lines(path: str) -> list[str]:
        try:
            return Path(path).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        except OSError:
            return []

    for line in difflib.unified_diff(lines(old_file), lines(new_file), old_name, new_name):
        yield line if line.endswith("\n") else line + "\n"
