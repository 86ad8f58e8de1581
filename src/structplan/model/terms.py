"""The closed sets of the domain, each spelled once, and the words the reports use for them.

Each closed set is a `Literal` type, spelled here once; its tuple (the order the reports and
the checks use) is read from the type. The fields of a file keep plain `str`: a file may hold
any text until `validation` checks it against these sets.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

#: The disciplines a person on staff can belong to, as written in an agency file.
Discipline = Literal["am", "pm", "pmo", "client_service", "support"]
PERSON_ROLES: tuple[Discipline, ...] = get_args(Discipline)
#: A project manager by discipline: one leading a strategic account is friction (layout.Friction).
PM: Final = "pm"
#: Support staff: a support lead's status updates do not compete with a project manager's.
SUPPORT: Final = "support"
#: The two ways an account can be run.
Mode = Literal["split", "end_to_end"]
#: The lead manages the relationship; project managers manage the projects.
SPLIT: Final = "split"
#: One person leads the account and manages its projects (end to end).
E2E: Final = "end_to_end"
MODES: tuple[Mode, ...] = get_args(Mode)
#: The three team structures.
Structure = Literal["separate", "hybrid", "merged"]
STRUCTURES: tuple[Structure, ...] = get_args(Structure)
#: Role families a layout may use.
Family = Literal["am", "pm", "pmo", "client_service", "junior_support"]
FAMILIES: tuple[Family, ...] = get_args(Family)
#: Role families that run projects as generalists (the layout's costs.generalist_execution_hours).
GENERALISTS: frozenset[Family] = frozenset({"am", "client_service"})
#: The kinds of pitfall a plan warns about (docs/rules.md: pitfalls), in report order.
WarningKind = Literal["accountability_gap", "redundant_communication", "role_friction", "overload", "unused"]
WARNING_KINDS: tuple[WarningKind, ...] = get_args(WarningKind)
#: The kinds of structplan file.
FileKind = Literal["agency", "layout", "plan"]
FILE_KINDS: tuple[FileKind, ...] = get_args(FileKind)
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
