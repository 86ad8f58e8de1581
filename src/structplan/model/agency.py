"""An agency as its file gives it: settings, people, accounts and their projects, hiring options, policy."""

from __future__ import annotations

import attrs

from structplan.model.terms import STRUCTURES


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
