"""The domain: agencies, layouts and plans as frozen attrs classes.

Nothing here knows about TOML, the solver or the screen. Field docstrings are the
reference for what each value means; `docs/formats.md` shows them as files.
"""

from __future__ import annotations

from typing import Final, Literal

import attrs

#: The disciplines a person on staff can belong to, as written in an agency file.
PERSON_ROLES = ("am", "pm", "pmo", "client_service", "support")
#: The two ways an account can be run.
Mode = Literal["split", "end_to_end"]
#: The lead manages the relationship; project managers manage the projects.
SPLIT: Final = "split"
#: One person leads the account and manages its projects (end to end).
E2E: Final = "end_to_end"
MODES: tuple[Mode, ...] = (SPLIT, E2E)
#: The three team structures.
STRUCTURES = ("separate", "hybrid", "merged")
#: Role families a layout may use.
FAMILIES = ("am", "pm", "pmo", "client_service", "junior_support")
#: The five PMP knowledge areas, each split into the half a PM holds and the half an AM holds.
KNOWLEDGE_AREAS = ("scope", "time", "risk", "quality", "budget")
#: The duties of an account (docs/rules.md: RACI), the rows of every RACI matrix: the relationship, the
#: PM half and the AM half of each knowledge area, and status updates to the client.
DUTIES = (
    "relationship",
    *(f"{area}_{half}" for area in KNOWLEDGE_AREAS for half in ("pm", "am")),
    "status_updates",
)

#: The layout's named trade-offs: part of `cost.total` and of the objective.
TRADEOFFS = ("generalist_execution", "junior_support", "department_head", "clarity", "mentoring")
#: The policy's soft rules: part of the objective, not of `cost.total`.
PENALTIES = ("continuity", "friction", "seniority", "voices", "overload", "imbalance")
#: Every part of the objective, and the words the reason and the reports use for it.
TERM_WORDS = {
    "hires": "hires",
    "coordination": "AM-PM hand-offs",
    "generalist_execution": "generalists running complex execution",
    "junior_support": "junior support for client-service leads",
    "department_head": "senior leadership of a PM department",
    "clarity": "telling clients whom to call for what",
    "mentoring": "PMO mentoring of end-to-end AMs",
    "continuity": "changing today's leads",
    "friction": "role friction",
    "seniority": "flagship and complex work below the most senior level available",
    "voices": "extra voices per account",
    "overload": "overload",
    "imbalance": "imbalance",
}
#: Why a structure was never tried, by what stopped the run before it started.
NOT_TRIED = {"user": "the run was stopped before it started", "clock": "the clock ran out before it started"}
#: Why a searched structure has no plan and no proof that none exists, by what ended its search.
UNPROVEN = {
    "user": "its search was stopped before it found one",
    "clock": "the clock stopped its search before it found one",
    "effort": "its effort was spent before it found one",
}

#: In a duty's responsible, consulted or informed roles: the account's lead, whatever their role.
LEAD = "lead"


# --------------------------------------------------------------------------- agency


@attrs.frozen
class Settings:
    """Agency-wide settings."""

    name: str
    """The agency's name, shown in reports."""
    currency: str = "EUR"
    """ISO 4217 code every money amount in the file is in."""
    hours_per_fte: int = 1600
    """Productive (billable or client-facing) hours per year of one full-time person."""


@attrs.frozen
class Person:
    """Someone on staff."""

    id: str
    """Stable identifier, unique among people and hiring options."""
    name: str
    """Display name."""
    role: str
    """Discipline: am, pm, pmo, client_service or support."""
    level: int
    """Seniority 1 (junior) .. 4 (director)."""
    cost: int
    """Fully loaded yearly cost, in the agency's currency."""
    fte: float = 1.0
    """Share of a full-time position, 0 < fte <= 1."""
    service_lines: tuple[str, ...] = ()
    """Service lines this person works in; empty means any."""


@attrs.frozen
class Project:
    """A piece of work inside an account."""

    id: str
    """Stable identifier, unique among all projects of the agency."""
    name: str
    """Display name."""
    complexity: int
    """1 (routine) .. 5 (flagship, many workstreams)."""
    service_line: str = ""
    """Service line the project belongs to; empty means any."""
    effort_hours: int | None = None
    """Yearly project-management hours; when absent the layout derives them from complexity."""
    manager: str | None = None
    """Id of the person who manages the project today, if known."""


@attrs.frozen
class Account:
    """A client account."""

    id: str
    """Stable identifier, unique among accounts."""
    name: str
    """The client's name."""
    fee: int
    """Yearly fee income from the client, in the agency's currency."""
    tier: int
    """Strategic tier: 1 (most strategic) .. 3 (smallest)."""
    lead: str | None = None
    """Id of the person who leads the account today, if any."""
    projects: tuple[Project, ...] = ()
    """The account's projects."""


@attrs.frozen
class HiringOption:
    """A position the agency may open."""

    id: str
    """Stable identifier, unique among people and hiring options."""
    name: str
    """Title of the position, e.g. "Senior PM"."""
    role: str
    """Discipline of the hire: am, pm, pmo, client_service or support."""
    level: int
    """Seniority 1..4 of the hire."""
    cost: int
    """Fully loaded yearly cost of one hire."""
    max: int = 1
    """How many of these may be hired (0 forbids it)."""
    fte: float = 1.0
    """Share of a full-time position of one hire."""
    service_lines: tuple[str, ...] = ()
    """Service lines a hire would work in; empty means any."""


@attrs.frozen
class Pin:
    """A decision the solver must keep."""

    account: str
    """Id of the pinned account."""
    lead: str | None = None
    """Id of the person who must lead the account."""
    mode: str | None = None
    """The mode the account must be run in: split or end_to_end."""


@attrs.frozen
class Weights:
    """What each soft rule costs, in currency units, in the objective."""

    continuity: int = 6000
    """Per account whose lead changes from today's."""
    friction: int = 4000
    """Per case of role friction (AM executing a complex project, PM leading a top-tier account)."""
    overload: int = 60
    """Per hour a person works above the target utilization."""
    imbalance: int = 300
    """Per percentage point of the highest utilization above the target."""
    seniority: int = 10
    """Per mille of an account's yearly fee, per level its work sits below the most senior level
    that may do it: the lead of a tier-1 account, and the manager of a project of complexity 4+
    (charged the project's share of the fee). Flagship and complex work goes to seniors."""
    voices: int = 0
    """Per extra person running an account's projects: beyond the first besides its lead.

    Off (0) by default: it makes plans with fewer voices per account, but at 120 accounts and
    300 people it keeps CP-SAT from proving a plan optimal within seconds (bench/RESULTS.md)."""


@attrs.frozen
class Policy:
    """The ops director's rules for this planning round."""

    structures: tuple[str, ...] = STRUCTURES
    """Structures to consider: separate, hybrid, merged."""
    utilization_ceiling: float = 0.9
    """Nobody may be planned above this share of their productive hours (0 < x <= 1)."""
    target_utilization: float = 0.8
    """Hours above this share count as overload (soft)."""
    mentoring_span: int | None = None
    """Most mentees one PMO mentor may have; absent means the layout's span."""
    surplus_utilization: float = 0.3
    """People planned below this share of their productive hours are surplus capacity (0..1)."""
    pins: tuple[Pin, ...] = ()
    """Decisions the solver must keep."""
    weights: Weights = Weights()
    """Cost of each soft rule."""


@attrs.frozen
class Agency:
    """Everything the planner knows about an agency."""

    agency: Settings
    """Agency-wide settings."""
    people: tuple[Person, ...] = ()
    """People on staff."""
    accounts: tuple[Account, ...] = ()
    """Client accounts."""
    hiring: tuple[HiringOption, ...] = ()
    """Positions that may be opened."""
    policy: Policy = Policy()
    """Planning rules."""

    def person(self, person_id: str) -> Person | None:
        """The person with this id, if any."""
        return next((p for p in self.people if p.id == person_id), None)

    def account(self, account_id: str) -> Account | None:
        """The account with this id, if any."""
        return next((a for a in self.accounts if a.id == account_id), None)


# --------------------------------------------------------------------------- layout


@attrs.frozen
class Role:
    """One role of a team structure."""

    id: str
    """Stable identifier within the layout."""
    name: str
    """Title, e.g. "Account Manager"."""
    family: str
    """am, pm, pmo, client_service or junior_support."""
    staffed_by: tuple[str, ...]
    """Person disciplines that take this role (each discipline maps to one role at most)."""
    leads: tuple[str, ...] = ()
    """Modes in which this role may lead an account (split, end_to_end)."""
    covers: tuple[str, ...] = ()
    """Modes of account in which this role may manage projects."""
    mentors: bool = False
    """Whether this role mentors people who run accounts end to end."""
    max_complexity: int = 5
    """Highest project complexity this role may manage."""


@attrs.frozen
class Assignment:
    """Who holds one duty, as layout roles, in one mode of account."""

    accountable: tuple[str, ...]
    """The role answerable for the duty: exactly one."""
    responsible: tuple[str, ...] = ()
    """Roles that do the work."""
    consulted: tuple[str, ...] = ()
    """Roles asked before decisions."""
    informed: tuple[str, ...] = ()
    """Roles kept up to date."""


@attrs.frozen
class Duty:
    """A duty of an account (docs/rules.md: RACI) with its RACI per mode."""

    id: str
    """relationship, scope, time, risk, quality, budget or status_updates (or your own)."""
    name: str
    """What the duty is, in words."""
    split: Assignment | None = None
    """RACI in a split account (required when the layout allows split)."""
    end_to_end: Assignment | None = None
    """RACI in an end-to-end account (required when the layout allows end_to_end)."""

    def assignment(self, mode: str) -> Assignment | None:
        """RACI of this duty in the given mode."""
        return self.split if mode == SPLIT else self.end_to_end


@attrs.frozen
class Effort:
    """How many hours a year the work takes."""

    account_hours_by_tier: tuple[int, int, int] = (900, 450, 200)
    """Relationship (AM) hours a year per account of tier 1, 2 and 3."""
    project_hours_by_complexity: tuple[int, int, int, int, int] = (60, 120, 220, 380, 600)
    """Project-management hours a year for complexity 1..5 when a project gives none."""
    coordination_hours: int = 40
    """Extra hours a split account costs its lead in AM-PM hand-offs."""


@attrs.frozen
class EndToEnd:
    """Which accounts one person may run end to end."""

    min_tier: int = 1
    """Only accounts of this tier or smaller (higher number) qualify: 1 allows every tier."""
    max_complexity: int = 5
    """No project above this complexity."""
    max_projects: int = 99
    """At most this many projects."""
    max_accounts_per_lead: int = 99
    """Most accounts one person may run end to end before being pulled in conflicting directions."""


@attrs.frozen
class Seniority:
    """Minimum levels by the weight of the work."""

    lead_level_by_tier: tuple[int, int, int] = (3, 2, 1)
    """Lowest level that may lead an account of tier 1, 2 and 3."""
    project_level_by_complexity: tuple[int, int, int, int, int] = (1, 1, 2, 3, 3)
    """Lowest level that may manage a project of complexity 1..5."""


@attrs.frozen
class Mentoring:
    """PMO mentoring of people who run accounts end to end."""

    required: bool = False
    """Whether every end-to-end lead must have exactly one mentor."""
    span: int = 6
    """Most mentees one mentor may have (the policy may lower or raise it)."""
    hours_per_mentee: int = 40
    """Mentor hours a year per mentee."""


@attrs.frozen
class Friction:
    """When role friction (docs/rules.md: pitfalls) is counted."""

    lead_execution_complexity: int = 4
    """An end-to-end lead managing a project of at least this complexity is friction."""
    pm_strategy_tier: int = 1
    """A PM (by discipline) leading an account of this tier or more strategic is friction."""


@attrs.frozen
class Costs:
    """What the practitioners' trade-offs between structures cost, in hours a year.

    Each is priced at the agency's blended hourly rate (yearly payroll / people / hours per
    FTE) and shown by name in the plan; docs/rules.md argues every default."""

    generalist_execution_hours: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    """Extra hours a generalist (the lead of an end-to-end account, a client-service
    professional) spends on a project of complexity 1..5 compared with a specialist PM."""
    junior_support_hours: int = 0
    """Junior support a generalist needs per end-to-end account led beyond `accounts_without_support`."""
    accounts_without_support: int = 1
    """End-to-end accounts one generalist carries without junior support."""
    department_head_hours: int = 0
    """Senior leadership and supervision a PM department needs, whenever any account is split."""
    clarity_hours: int = 0
    """Per account, whenever the structure runs some accounts end to end and splits others:
    agreeing and telling every client (and the team) whom to call for strategy and whom for
    project updates."""


@attrs.frozen
class Layout:
    """One team structure as data."""

    id: str
    """separate, hybrid, merged, or a name of your own."""
    name: str
    """Display name."""
    structure: str
    """Which of the three structures this layout is: separate, hybrid or merged."""
    description: str = ""
    """What the structure is and when it suits."""
    modes: tuple[str, ...] = MODES
    """Modes accounts may be run in under this layout."""
    roles: tuple[Role, ...] = ()
    """Roles of the structure."""
    duties: tuple[Duty, ...] = ()
    """RACI of every duty."""
    effort: Effort = Effort()
    """Hours the work takes."""
    end_to_end: EndToEnd = EndToEnd()
    """Which accounts may be run end to end."""
    seniority: Seniority = Seniority()
    """Minimum levels."""
    mentoring: Mentoring = Mentoring()
    """Mentoring rules."""
    friction: Friction = Friction()
    """Role-friction thresholds."""
    costs: Costs = Costs()
    """The structure's trade-offs, in hours a year."""

    def role_for(self, person_role: str) -> Role | None:
        """The layout role a person of this discipline takes, if any."""
        return next((r for r in self.roles if person_role in r.staffed_by), None)

    def role(self, role_id: str) -> Role | None:
        """The role with this id, if any."""
        return next((r for r in self.roles if r.id == role_id), None)

    def project_hours(self, project: Project) -> int:
        """Yearly project-management hours of a project under this layout."""
        if project.effort_hours is not None:
            return project.effort_hours
        return self.effort.project_hours_by_complexity[project.complexity - 1]

    def account_hours(self, account: Account) -> int:
        """Yearly relationship hours of an account under this layout."""
        return self.effort.account_hours_by_tier[account.tier - 1]

    def end_to_end_allowed(self, account: Account) -> bool:
        """Whether one person may run this account end to end under this layout."""
        if E2E not in self.modes:
            return False
        rule = self.end_to_end
        return (
            account.tier >= rule.min_tier
            and len(account.projects) <= rule.max_projects
            and all(p.complexity <= rule.max_complexity for p in account.projects)
        )

    def lead_level(self, account: Account, mode: str) -> int:
        """Lowest level that may lead this account in this mode."""
        level = self.seniority.lead_level_by_tier[account.tier - 1]
        if mode == E2E:
            for project in account.projects:
                level = max(level, self.project_level(project))
        return level

    def project_level(self, project: Project) -> int:
        """Lowest level that may manage this project."""
        return self.seniority.project_level_by_complexity[project.complexity - 1]


# --------------------------------------------------------------------------- plan


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
