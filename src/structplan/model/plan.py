"""A plan: the staffing of every account, people's load, mentoring, hires, cost, warnings and how it was found."""

from __future__ import annotations

import attrs


@attrs.frozen
class Coverage:
    """Who manages one project of an account, and for how many hours."""

    project: str
    """Id of the project."""
    project_name: str = attrs.field(default="", kw_only=True)
    """Name of the project, for reports (empty in older plans: reports show the id)."""
    person: str
    """Id of the person (or hire) managing it."""
    hours: int
    """Yearly hours."""


@attrs.frozen
class Contact:
    """Whom the client calls."""

    strategy: str
    """Person for relationship and strategy."""
    updates: str
    """Person for project status updates."""


@attrs.frozen
class Raci:
    """One duty of one account, with named people."""

    duty: str
    """Id of the duty."""
    accountable: str
    """The one person accountable (empty when nobody is: an accountability gap)."""
    responsible: tuple[str, ...] = ()
    """People who do the work."""
    consulted: tuple[str, ...] = ()
    """People consulted."""
    informed: tuple[str, ...] = ()
    """People informed."""


@attrs.frozen
class AccountPlan:
    """How one account is staffed."""

    id: str
    """Id of the account."""
    name: str = attrs.field(default="", kw_only=True)
    """Name of the account, for reports (empty in older plans: reports show the id)."""
    mode: str
    """split or end_to_end."""
    lead: str
    """Id of the person (or hire) who leads the account."""
    lead_hours: int = 0
    """Yearly hours of the lead on relationship, coordination and (end to end) execution."""
    coverage: tuple[Coverage, ...] = ()
    """Who manages each project."""
    contact: Contact | None = None
    """Whom the client calls for what."""
    raci: tuple[Raci, ...] = ()
    """RACI matrix with named people."""


@attrs.frozen
class PersonPlan:
    """One person's load in the plan."""

    id: str
    """Id of the person or hire."""
    name: str = attrs.field(default="", kw_only=True)
    """Name of the person or hire, for reports (empty in older plans: reports show the id)."""
    role: str
    """Layout role the person takes."""
    hours: int = 0
    """Planned yearly hours."""
    capacity: int = 0
    """Productive yearly hours (hours per FTE x FTE)."""
    utilization: float = 0.0
    """hours / capacity, rounded to 3 decimals."""
    accounts: tuple[str, ...] = ()
    """Accounts the person works on (led or covered)."""


@attrs.frozen
class MentoringPair:
    """A PMO mentor and an end-to-end lead."""

    mentor: str
    """Id of the mentor."""
    mentee: str
    """Id of the end-to-end lead."""


@attrs.frozen
class Hire:
    """An open position the plan asks for."""

    id: str
    """Id the plan uses for the position, e.g. senior-pm-2."""
    option: str
    """Id of the hiring option."""
    name: str
    """Display name, e.g. "Senior PM (hire 2)"."""
    role: str
    """Discipline of the hire."""
    level: int
    """Seniority of the hire."""
    cost: int
    """Yearly cost."""


@attrs.frozen
class PlanWarning:
    """A pitfall found in the plan."""

    kind: str
    """redundant_communication, accountability_gap, role_friction, overload or unused."""
    message: str
    """What is wrong, in words."""
    account: str = ""
    """Id of the account concerned, if any."""
    person: str = ""
    """Id of the person concerned, if any."""


@attrs.frozen
class Surplus:
    """Someone on staff the plan leaves without work or below the policy's surplus floor."""

    person: str
    """Id of the person."""
    role: str
    """Their discipline in the agency file (am, pm, pmo, client_service, support)."""
    utilization: float
    """Planned hours / capacity, rounded to 3 decimals."""
    cost: int
    """Their yearly cost: what not replacing them, or moving them, is worth."""


@attrs.frozen
class Staffing:
    """Headcount of one discipline: on staff, with work, and what the plan's hours need."""

    role: str
    """Discipline: am, pm, pmo, client_service or support."""
    on_staff: int
    """People of this discipline in the agency file."""
    hired: int
    """Hires of this discipline in the plan."""
    with_work: int
    """People and hires of this discipline with any hours in the plan."""
    needed: float
    """Full-time equivalents the planned hours of this discipline take at the target
    utilization (hours / (hours_per_fte x target_utilization)), rounded to 1 decimal."""


@attrs.frozen
class Cost:
    """What the plan costs a year."""

    staff: int = 0
    """Yearly payroll of everyone on staff in the agency file, with work in the plan or not."""
    hires: int = 0
    """Cost of the hires."""
    coordination: int = 0
    """Cost of the hand-offs of split accounts (coordination hours at the blended rate)."""
    total: int = 0
    """staff + hires + coordination + the trade-offs."""
    penalties: tuple[tuple[str, int], ...] = ()
    """Soft-rule costs the solver paid, by label (continuity, friction, seniority, overload,
    imbalance, voices); in the objective, not in the total."""
    tradeoffs: tuple[tuple[str, int], ...] = ()
    """The layout's named trade-off costs the plan pays, by name (generalist_execution,
    junior_support, department_head, clarity, mentoring), at the blended rate; in the total."""


@attrs.frozen
class SolverInfo:
    """How the plan was found."""

    status: str = "unknown"
    """optimal, feasible, infeasible, unknown or hand (written by a person)."""
    objective: int = 0
    """Objective value (currency units)."""
    bound: int = 0
    """Best proven lower bound of the objective."""
    gap: float = 0.0
    """(objective - bound) / objective, 0 when optimal."""
    seed: int = 0
    """Random seed."""
    workers: int = 1
    """Search workers."""
    time_limit: float = 0.0
    """Wall-clock limit of the whole solve in seconds (0: none)."""
    effort: float = 0.0
    """Deterministic budget per structure, in CP-SAT's deterministic seconds (0: none)."""
    stopped: str = ""
    """What ended the search: proof (optimal or infeasible), effort (the deterministic budget:
    the same plan on a rerun), clock (the wall-clock limit: may differ on a rerun), user."""


@attrs.frozen
class StructureResult:
    """One structure's outcome when several were compared."""

    structure: str
    """separate, hybrid or merged."""
    status: str
    """Solver status for this structure."""
    objective: int = 0
    """Objective value."""
    cost: int = 0
    """Total yearly cost."""
    hires: int = 0
    """Number of hires."""
    utilization: float = 0.0
    """Mean utilization of people with work."""
    warnings: int = 0
    """Number of warnings."""
    gap: float = 0.0
    """Proven gap."""


@attrs.frozen
class Plan:
    """The answer: a staffing of every account under one structure."""

    agency: str
    """Name of the agency planned."""
    structure: str
    """separate, hybrid or merged."""
    layout: str
    """Id of the layout used."""
    currency: str = "EUR"
    """Currency of every amount."""
    reason: str = ""
    """Why this structure, in words."""
    solver: SolverInfo = SolverInfo()
    """How it was found."""
    cost: Cost = Cost()
    """What it costs."""
    headcount: tuple[tuple[str, int], ...] = ()
    """People with work, by layout role."""
    comparison: tuple[StructureResult, ...] = ()
    """Every structure tried."""
    accounts: tuple[AccountPlan, ...] = ()
    """Staffing per account."""
    people: tuple[PersonPlan, ...] = ()
    """Load per person."""
    mentoring: tuple[MentoringPair, ...] = ()
    """Mentoring pairs."""
    hires: tuple[Hire, ...] = ()
    """Open positions."""
    warnings: tuple[PlanWarning, ...] = ()
    """Pitfalls found."""
    surplus: tuple[Surplus, ...] = ()
    """Surplus capacity: people without work or below policy.surplus_utilization, by id."""
    staffing: tuple[Staffing, ...] = ()
    """Headcount needed per discipline against the headcount on staff."""
    run: tuple[tuple[str, float], ...] = ()
    """Figures that vary from run to run (wall time); ignored by diff and tests."""

    def account(self, account_id: str) -> AccountPlan | None:
        """The staffing of this account, if any."""
        return next((a for a in self.accounts if a.id == account_id), None)

    def person(self, person_id: str) -> PersonPlan | None:
        """The load of this person, if any."""
        return next((p for p in self.people if p.id == person_id), None)
