"""The change model of `structplan diff` and the comparison that fills it.

`diff(old, new)` compares two plans; `diff_today(agency, plan)` compares today's staffing (the
leads and PMs named in an agency file) with a plan. Both give a `PlanDiff`. Everything is keyed
and ordered by id, so the same two files always give the same result. The plan's `run` table,
solver statistics, structure comparison and reason are not staffing decisions and are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Generic, Literal, TypeVar

import attrs

from structplan.model import E2E, AccountPlan, Agency, Contact, Coverage, Hire, MentoringPair, Plan, PlanWarning
from structplan.names import Names

T = TypeVar("T")
#: The cost lines compared, in the order they are shown.
COST_LINES = ("staff", "hires", "coordination", "total")
#: Version of the json document `to_json` returns; bumped when a key changes meaning.
SCHEMA = "structplan.diff/1"


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
