"""A layout: the roles of a team structure, who does which duty in each mode, its efforts, levels and costs."""

from __future__ import annotations

import attrs

from structplan.model.agency import Account, Project
from structplan.model.terms import E2E, MODES, PM, SPLIT


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

    def pm_on_strategy(self, discipline: str, tier: int) -> bool:
        """Whether a lead of `discipline` on an account of `tier` is a PM leading strategy."""
        return discipline == PM and tier <= self.pm_strategy_tier


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
