"""validation.problems on objects built in code: each rule fires at the right key path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

from structplan import validation
from structplan.model import (
    DUTIES,
    Account,
    AccountPlan,
    Agency,
    Assignment,
    Coverage,
    Duty,
    Effort,
    EndToEnd,
    Friction,
    Hire,
    HiringOption,
    Layout,
    Mentoring,
    MentoringPair,
    Person,
    PersonPlan,
    Pin,
    Plan,
    Policy,
    Project,
    Raci,
    Role,
    Seniority,
    Settings,
    Weights,
)

# --------------------------------------------------------------------------- valid documents

AGENCY = Agency(
    agency=Settings(name="Northwind Creative", currency="EUR", hours_per_fte=1600),
    people=(
        Person("ana", "Ana Alves", "am", 3, 90000),
        Person("bo", "Bo Berg", "pm", 2, 70000, fte=0.8, service_lines=("web",)),
    ),
    accounts=(
        Account("acme", "Acme", 400000, 1, lead="ana", projects=(Project("acme-web", "Website", 3, "web"),)),
        Account("globex", "Globex", 0, 3, projects=(Project("globex-app", "App", 1, effort_hours=0),)),
    ),
    hiring=(HiringOption("senior-pm", "Senior PM", "pm", 3, 95000, max=0),),
    policy=Policy(mentoring_span=4, pins=(Pin("acme", lead="ana"), Pin("globex", mode="end_to_end"))),
)


def _assignment(owner: str) -> Assignment:
    return Assignment(accountable=(owner,), responsible=(owner,), informed=("pmo",))


LAYOUT = Layout(
    id="tiny",
    name="Tiny hybrid",
    structure="hybrid",
    roles=(
        Role("am", "Account Manager", "am", ("am", "client_service"), leads=("split", "end_to_end")),
        Role("pm", "Project Manager", "pm", ("pm",), covers=("split",)),
        Role("pmo", "PMO", "pmo", ("pmo",), covers=("split",), mentors=True, max_complexity=4),
    ),
    duties=tuple(
        Duty(
            d,
            d.title(),
            split=_assignment("am" if d == "relationship" or d.endswith("_am") else "pm"),
            end_to_end=_assignment("am"),
        )
        for d in DUTIES
    ),
    mentoring=Mentoring(required=True),
)

PLAN = Plan(
    agency="Northwind Creative",
    structure="separate",
    layout="separate",
    accounts=(
        AccountPlan(
            "acme",
            "split",
            "ana",
            340,
            coverage=(Coverage("acme-web", "bo", 300),),
            raci=(Raci("scope", "bo"), Raci("relationship", "ana")),
        ),
    ),
    people=(
        PersonPlan("ana", "account_manager", 340, 1600, 0.213),
        PersonPlan("bo", "project_manager", 300, 1280, 0.234),
    ),
    mentoring=(MentoringPair("ana", "bo"),),
    hires=(Hire("senior-pm-1", "senior-pm", "Senior PM (hire 1)", "pm", 3, 95000),),
)


def at(records: tuple[Any, ...], i: int, **changes: Any) -> tuple[Any, ...]:
    """The records with record i changed."""
    out = list(records)
    out[i] = attrs.evolve(out[i], **changes)
    return tuple(out)


def project(i: int, j: int, **changes: Any) -> Agency:
    """AGENCY with project j of account i changed."""
    account = AGENCY.accounts[i]
    return attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, i, projects=at(account.projects, j, **changes)))


def policy(**changes: Any) -> Agency:
    return attrs.evolve(AGENCY, policy=attrs.evolve(AGENCY.policy, **changes))


def duty(i: int, mode: str = "split", **changes: Any) -> Layout:
    """LAYOUT with the assignment of duty i in one mode changed."""
    assignment = LAYOUT.duties[i].assignment(mode)
    assert assignment is not None
    return attrs.evolve(LAYOUT, duties=at(LAYOUT.duties, i, **{mode: attrs.evolve(assignment, **changes)}))


def test_valid_documents_have_no_problems() -> None:
    assert validation.problems(AGENCY) == []
    assert validation.problems(LAYOUT) == []
    assert validation.problems(PLAN) == []


def test_edge_values_are_valid() -> None:
    """The ends of every range are inside it."""
    agency = attrs.evolve(
        AGENCY,
        agency=Settings(name="x", currency="USD", hours_per_fte=4000),
        people=(*at(AGENCY.people, 0, level=4, cost=0, fte=1.0), Person("z", "Z", "support", 1, 0, fte=0.001)),
        hiring=at(AGENCY.hiring, 0, level=1, max=1000, fte=1),
        policy=Policy(
            structures=("merged",),
            utilization_ceiling=1.0,
            target_utilization=0.01,
            mentoring_span=100,
            weights=Weights(0, 0, 0, 0),
        ),
    )
    assert validation.problems(agency) == []
    edited = project(0, 0, complexity=5, effort_hours=20000)
    assert validation.problems(edited) == []
    layout = attrs.evolve(
        LAYOUT,
        effort=Effort((0, 0, 20000), (0, 1, 2, 3, 20000), 0),
        end_to_end=EndToEnd(min_tier=3, max_complexity=1, max_projects=0),
        seniority=Seniority((4, 4, 1), (1, 1, 1, 1, 4)),
        mentoring=Mentoring(required=True, span=100, hours_per_mentee=2000),
        friction=Friction(lead_execution_complexity=6, pm_strategy_tier=0),
    )
    assert validation.problems(layout) == []


def test_an_empty_agency_is_valid() -> None:
    """No people and no accounts yet: a file being started, not an error."""
    assert validation.problems(Agency(agency=Settings(name="New"))) == []


# --------------------------------------------------------------------------- agency rules

AGENCY_CASES: list[tuple[str, Callable[[], Agency], list[tuple[str, str]]]] = [
    ("blank name", lambda: attrs.evolve(AGENCY, agency=Settings(name=" \t")), [("agency.name", "is empty")]),
    (
        "currency lower case",
        lambda: attrs.evolve(AGENCY, agency=Settings(name="x", currency="eur")),
        [("agency.currency", "'eur' is not a three-letter currency code")],
    ),
    (
        "currency with newline",
        lambda: attrs.evolve(AGENCY, agency=Settings(name="x", currency="EUR\n")),
        [("agency.currency", "three-letter")],
    ),
    (
        "hours per fte 0",
        lambda: attrs.evolve(AGENCY, agency=Settings(name="x", hours_per_fte=0)),
        [("agency.hours_per_fte", "0 is outside 1..4000")],
    ),
    (
        "hours per fte 4001",
        lambda: attrs.evolve(AGENCY, agency=Settings(name="x", hours_per_fte=4001)),
        [("agency.hours_per_fte", "4001 is outside 1..4000")],
    ),
    (
        "person id empty",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, id="")),
        [("people[1].id", "is empty; every record needs an id")],
    ),
    (
        "person id with space",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, id="b o")),
        [("people[1].id", "'b o' is not a valid id")],
    ),
    (
        "person id with trailing newline",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, id="bo\n")),
        [("people[1].id", "is not a valid id")],
    ),
    (
        "person id starting with a dash",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, id="-bo")),
        [("people[1].id", "is not a valid id")],
    ),
    (
        "person role",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 0, role="AM")),
        [("people[0].role", "'AM' is not allowed")],
    ),
    (
        "person role typo",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 0, role="pmo ")),
        [("people[0].role", "did you mean 'pmo'?")],
    ),
    (
        "level 0",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 0, level=0)),
        [("people[0].level", "0 is outside 1..4")],
    ),
    (
        "level 5",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 0, level=5)),
        [("people[0].level", "5 is outside 1..4")],
    ),
    (
        "negative cost",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, cost=-1)),
        [("people[1].cost", "-1 is negative")],
    ),
    (
        "fte 0",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, fte=0.0)),
        [("people[1].fte", "0.0 is outside 0..1")],
    ),
    (
        "fte 1.5",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, fte=1.5)),
        [("people[1].fte", "1.5 is outside 0..1")],
    ),
    (
        "fte nan",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, fte=float("nan"))),
        [("people[1].fte", "nan is outside 0..1")],
    ),
    (
        "hiring id",
        lambda: attrs.evolve(AGENCY, hiring=at(AGENCY.hiring, 0, id="senior pm")),
        [("hiring[0].id", "not a valid id")],
    ),
    (
        "hiring role",
        lambda: attrs.evolve(AGENCY, hiring=at(AGENCY.hiring, 0, role="designer")),
        [("hiring[0].role", "'designer' is not allowed")],
    ),
    (
        "hiring level",
        lambda: attrs.evolve(AGENCY, hiring=at(AGENCY.hiring, 0, level=5)),
        [("hiring[0].level", "5 is outside 1..4")],
    ),
    (
        "hiring cost",
        lambda: attrs.evolve(AGENCY, hiring=at(AGENCY.hiring, 0, cost=-5)),
        [("hiring[0].cost", "-5 is negative")],
    ),
    (
        "hiring max",
        lambda: attrs.evolve(AGENCY, hiring=at(AGENCY.hiring, 0, max=-1)),
        [("hiring[0].max", "-1 is outside 0..1000")],
    ),
    (
        "hiring fte",
        lambda: attrs.evolve(AGENCY, hiring=at(AGENCY.hiring, 0, fte=2.0)),
        [("hiring[0].fte", "2.0 is outside 0..1")],
    ),
    (
        "duplicate person",
        lambda: attrs.evolve(AGENCY, people=at(AGENCY.people, 1, id="ana")),
        [("people[1].id", "duplicate person or hiring id 'ana' (first at people[0].id)")],
    ),
    (
        "hiring id of a person",
        lambda: attrs.evolve(AGENCY, hiring=at(AGENCY.hiring, 0, id="bo")),
        [("hiring[0].id", "duplicate person or hiring id 'bo' (first at people[1].id)")],
    ),
    (
        "account id",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 1, id="")),
        [("accounts[1].id", "is empty"), ("policy.pins[1].account", "'globex' names no account")],
    ),
    (
        "negative fee",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 0, fee=-1)),
        [("accounts[0].fee", "-1 is negative")],
    ),
    (
        "tier 0",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 0, tier=0)),
        [("accounts[0].tier", "0 is outside 1..3")],
    ),
    (
        "tier 4",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 1, tier=4)),
        [("accounts[1].tier", "4 is outside 1..3")],
    ),
    (
        "lead names nobody",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 0, lead="anna")),
        [("accounts[0].lead", "'anna' names no person (did you mean 'ana'?)")],
    ),
    (
        "lead names a hiring option",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 0, lead="senior-pm")),
        [("accounts[0].lead", "'senior-pm' names no person")],
    ),
    (
        "today's PM names nobody",
        lambda: project(0, 0, manager="anna"),
        [("accounts[0].projects[0].manager", "'anna' names no person (did you mean 'ana'?)")],
    ),
    (
        "account without projects",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 1, projects=())),
        [("accounts[1].projects", "is empty; an account needs at least one project")],
    ),
    ("project id", lambda: project(0, 0, id="web site"), [("accounts[0].projects[0].id", "not a valid id")]),
    (
        "complexity 0",
        lambda: project(1, 0, complexity=0),
        [("accounts[1].projects[0].complexity", "0 is outside 1..5")],
    ),
    (
        "complexity 7",
        lambda: project(0, 0, complexity=7),
        [("accounts[0].projects[0].complexity", "7 is outside 1..5")],
    ),
    (
        "effort hours negative",
        lambda: project(1, 0, effort_hours=-1),
        [("accounts[1].projects[0].effort_hours", "-1 is outside 0..20000")],
    ),
    (
        "effort hours too many",
        lambda: project(1, 0, effort_hours=20001),
        [("accounts[1].projects[0].effort_hours", "20001 is outside 0..20000")],
    ),
    (
        "duplicate account",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 1, id="acme")),
        [
            ("accounts[1].id", "duplicate account id 'acme' (first at accounts[0].id)"),
            ("policy.pins[1].account", "'globex' names no account"),
        ],
    ),
    (
        "duplicate project across accounts",
        lambda: project(1, 0, id="acme-web"),
        [("accounts[1].projects[0].id", "duplicate project id 'acme-web' (first at accounts[0].projects[0].id)")],
    ),
    (
        "duplicate project in one account",
        lambda: attrs.evolve(AGENCY, accounts=at(AGENCY.accounts, 0, projects=AGENCY.accounts[0].projects * 2)),
        [("accounts[0].projects[1].id", "duplicate project id 'acme-web' (first at accounts[0].projects[0].id)")],
    ),
    ("no structures", lambda: policy(structures=()), [("policy.structures", "is empty")]),
    (
        "structure typo",
        lambda: policy(structures=("separate", "hybird")),
        [("policy.structures[1]", "'hybird' is not allowed (did you mean 'hybrid'?)")],
    ),
    (
        "utilization ceiling 1.2",
        lambda: policy(utilization_ceiling=1.2),
        [("policy.utilization_ceiling", "1.2 is outside 0..1")],
    ),
    (
        "utilization ceiling 0",
        lambda: policy(utilization_ceiling=0.0),
        [("policy.utilization_ceiling", "0.0 is outside 0..1")],
    ),
    (
        "target utilization negative",
        lambda: policy(target_utilization=-0.5),
        [("policy.target_utilization", "-0.5 is outside 0..1")],
    ),
    ("mentoring span 0", lambda: policy(mentoring_span=0), [("policy.mentoring_span", "0 is outside 1..100")]),
    ("mentoring span 101", lambda: policy(mentoring_span=101), [("policy.mentoring_span", "101 is outside 1..100")]),
    (
        "negative weight",
        lambda: policy(weights=Weights(overload=-60)),
        [("policy.weights.overload", "-60 is negative")],
    ),
    (
        "pin unknown account",
        lambda: policy(pins=(Pin("acne", lead="ana"),)),
        [("policy.pins[0].account", "'acne' names no account (did you mean 'acme'?)")],
    ),
    (
        "pin unknown person",
        lambda: policy(pins=(Pin("acme", lead="zoe"),)),
        [("policy.pins[0].lead", "'zoe' names no person")],
    ),
    (
        "pin unknown mode",
        lambda: policy(pins=(Pin("acme", mode="hybrid"),)),
        [("policy.pins[0].mode", "'hybrid' is not allowed")],
    ),
    ("pin nothing", lambda: policy(pins=(Pin("acme"),)), [("policy.pins[0]", "pins nothing")]),
    (
        "pinned twice",
        lambda: policy(pins=(Pin("acme", lead="ana"), Pin("acme", mode="split"))),
        [("policy.pins[1].account", "account 'acme' is pinned twice (also policy.pins[0])")],
    ),
]


@pytest.mark.parametrize(("build", "expected"), [c[1:] for c in AGENCY_CASES], ids=[c[0] for c in AGENCY_CASES])
def test_agency_rule(build: Callable[[], Agency], expected: list[tuple[str, str]]) -> None:
    assert_problems(validation.problems(build()), expected)


def assert_problems(found: list[tuple[str, str]], expected: list[tuple[str, str]]) -> None:
    """Exactly the expected problems (as a set of key paths), each message containing its words."""
    assert sorted(p for p, _ in found) == sorted(p for p, _ in expected), found
    for path, words in expected:
        messages = [m for p, m in found if p == path]
        assert any(words in m for m in messages), (path, words, messages)
    for _, message in found:
        assert "\n" not in message


# --------------------------------------------------------------------------- layout rules


def roles(i: int, **changes: Any) -> Layout:
    return attrs.evolve(LAYOUT, roles=at(LAYOUT.roles, i, **changes))


LAYOUT_CASES: list[tuple[str, Callable[[], Layout], list[tuple[str, str]]]] = [
    ("layout id", lambda: attrs.evolve(LAYOUT, id="my layout"), [("id", "not a valid id")]),
    ("structure", lambda: attrs.evolve(LAYOUT, structure="matrix"), [("structure", "'matrix' is not allowed")]),
    # one problem, not a cascade: roles' modes are then checked against every mode
    ("no modes", lambda: attrs.evolve(LAYOUT, modes=()), [("modes", "is empty")]),
    (
        "mode typo",
        lambda: attrs.evolve(LAYOUT, modes=("split", "end-to-end")),
        [("modes[1]", "did you mean 'end_to_end'?"), ("roles[0].leads[1]", "'end_to_end' is not allowed")],
    ),
    (
        "no roles",
        lambda: attrs.evolve(LAYOUT, roles=()),
        [("roles", "is empty"), ("mentoring.required", "no role mentors")]
        + [
            (f"duties[{i}].{m}.{f}[0]", "names no role")
            for i in range(len(DUTIES))
            for m in ("split", "end_to_end")
            for f in ("accountable", "responsible", "informed")
        ],
    ),
    (
        "duplicate role",
        lambda: roles(2, id="pm"),
        [("roles[2].id", "duplicate role id 'pm' (first at roles[1].id)")]
        + [
            (f"duties[{i}].{m}.informed[0]", "'pmo' names no role")
            for i in range(len(DUTIES))
            for m in ("split", "end_to_end")
        ],
    ),
    ("family", lambda: roles(1, family="delivery"), [("roles[1].family", "'delivery' is not allowed")]),
    ("staffed by nobody", lambda: roles(1, staffed_by=()), [("roles[1].staffed_by", "is empty")]),
    (
        "staffed by a non-discipline",
        lambda: roles(1, staffed_by=("pm", "designer")),
        [("roles[1].staffed_by[1]", "'designer' is not allowed")],
    ),
    (
        "discipline staffs two roles",
        lambda: roles(2, staffed_by=("pmo", "am")),
        [("roles[2].staffed_by[1]", "'am' already staffs role 'am'; a discipline takes one role")],
    ),
    (
        "leads a mode the layout lacks",
        lambda: attrs.evolve(
            roles(1, leads=("end_to_end",)),
            modes=("split",),
            duties=tuple(attrs.evolve(d, end_to_end=None) for d in LAYOUT.duties),
        ),
        [("roles[0].leads[1]", "'end_to_end' is not allowed"), ("roles[1].leads[0]", "'end_to_end' is not allowed")],
    ),
    ("max complexity 0", lambda: roles(2, max_complexity=0), [("roles[2].max_complexity", "0 is outside 1..5")]),
    (
        "no role leads",
        lambda: roles(0, leads=()),
        [("roles", "no role leads split accounts"), ("roles", "no role leads end_to_end accounts")],
    ),
    (
        "no role covers split",
        lambda: attrs.evolve(LAYOUT, roles=tuple(attrs.evolve(r, covers=()) for r in LAYOUT.roles)),
        [("roles", "no role manages projects of split accounts")],
    ),
    ("no duties", lambda: attrs.evolve(LAYOUT, duties=()), [("duties", "is empty; every duty needs a RACI")]),
    (
        "duty missing",
        lambda: attrs.evolve(LAYOUT, duties=LAYOUT.duties[:-1]),
        [("duties", "duty 'status_updates' is missing")],
    ),
    (
        "duplicate duty",
        lambda: attrs.evolve(LAYOUT, duties=at(LAYOUT.duties, 11, id="budget_am")),
        [
            ("duties[11].id", "duplicate duty id 'budget_am' (first at duties[10].id)"),
            ("duties", "duty 'status_updates' is missing"),
        ],
    ),
    (
        "duty id",
        lambda: attrs.evolve(LAYOUT, duties=(*LAYOUT.duties, attrs.evolve(LAYOUT.duties[0], id="client care"))),
        [("duties[12].id", "not a valid id")],
    ),
    (
        "mode assignment missing",
        lambda: attrs.evolve(LAYOUT, duties=at(LAYOUT.duties, 3, end_to_end=None)),
        [("duties[3].end_to_end", "is missing: who holds 'time_pm' in end_to_end accounts?")],
    ),
    (
        "no accountable role",
        lambda: duty(10, accountable=()),
        [("duties[10].split.accountable", "'budget_am' has no accountable role; exactly one role must be accountable")],
    ),
    (
        "two accountable roles",
        lambda: duty(1, "end_to_end", accountable=("am", "pm")),
        [("duties[1].end_to_end.accountable", "'scope_pm' has 2 accountable roles")],
    ),
    (
        "accountable names no role",
        lambda: duty(0, accountable=("acount",)),
        [("duties[0].split.accountable[0]", "'acount' names no role of this layout")],
    ),
    (
        "consulted names no role",
        lambda: duty(3, consulted=("am", "cfo")),
        [("duties[3].split.consulted[1]", "'cfo' names no role of this layout")],
    ),
    (
        "responsible names no role",
        lambda: duty(4, "end_to_end", responsible=("pmm",)),
        [("duties[4].end_to_end.responsible[0]", "'pmm' names no role of this layout (did you mean 'pm'?)")],
    ),
    (
        "effort tiers short",
        # a tuple of the wrong length, as a file may hold: the case under test
        lambda: attrs.evolve(LAYOUT, effort=Effort(account_hours_by_tier=(1, 2))),  # type: ignore[arg-type]
        [("effort.account_hours_by_tier", "has 2 values; expected 3, one per tier")],
    ),
    (
        "effort complexities long",
        # a tuple of the wrong length, as a file may hold: the case under test
        lambda: attrs.evolve(LAYOUT, effort=Effort(project_hours_by_complexity=(1, 2, 3, 4, 5, 6))),  # type: ignore[arg-type]
        [("effort.project_hours_by_complexity", "has 6 values; expected 5, one per complexity")],
    ),
    (
        "effort negative",
        lambda: attrs.evolve(LAYOUT, effort=Effort(account_hours_by_tier=(300, -1, 80))),
        [("effort.account_hours_by_tier[1]", "-1 is outside 0..20000")],
    ),
    (
        "project hours too many",
        lambda: attrs.evolve(LAYOUT, effort=Effort(project_hours_by_complexity=(1, 2, 3, 4, 20001))),
        [("effort.project_hours_by_complexity[4]", "20001 is outside 0..20000")],
    ),
    (
        "coordination negative",
        lambda: attrs.evolve(LAYOUT, effort=Effort(coordination_hours=-1)),
        [("effort.coordination_hours", "-1 is outside 0..20000")],
    ),
    (
        "end to end tier 4",
        lambda: attrs.evolve(LAYOUT, end_to_end=EndToEnd(min_tier=4)),
        [("end_to_end.min_tier", "4 is outside 1..3")],
    ),
    (
        "end to end complexity 6",
        lambda: attrs.evolve(LAYOUT, end_to_end=EndToEnd(max_complexity=6)),
        [("end_to_end.max_complexity", "6 is outside 1..5")],
    ),
    (
        "end to end projects negative",
        lambda: attrs.evolve(LAYOUT, end_to_end=EndToEnd(max_projects=-1)),
        [("end_to_end.max_projects", "-1 is negative")],
    ),
    (
        "seniority tiers short",
        # a tuple of the wrong length, as a file may hold: the case under test
        lambda: attrs.evolve(LAYOUT, seniority=Seniority(lead_level_by_tier=(3, 2))),  # type: ignore[arg-type]
        [("seniority.lead_level_by_tier", "has 2 values; expected 3")],
    ),
    (
        "seniority complexities short",
        # a tuple of the wrong length, as a file may hold: the case under test
        lambda: attrs.evolve(LAYOUT, seniority=Seniority(project_level_by_complexity=(1, 1, 2, 3))),  # type: ignore[arg-type]
        [("seniority.project_level_by_complexity", "has 4 values; expected 5")],
    ),
    (
        "seniority level 5",
        lambda: attrs.evolve(LAYOUT, seniority=Seniority(lead_level_by_tier=(5, 2, 1))),
        [("seniority.lead_level_by_tier[0]", "5 is outside 1..4")],
    ),
    (
        "seniority level 0",
        lambda: attrs.evolve(LAYOUT, seniority=Seniority(project_level_by_complexity=(0, 1, 2, 3, 3))),
        [("seniority.project_level_by_complexity[0]", "0 is outside 1..4")],
    ),
    (
        "mentoring span 0",
        lambda: attrs.evolve(LAYOUT, mentoring=Mentoring(span=0)),
        [("mentoring.span", "0 is outside 1..100")],
    ),
    (
        "mentoring hours",
        lambda: attrs.evolve(LAYOUT, mentoring=Mentoring(hours_per_mentee=2001)),
        [("mentoring.hours_per_mentee", "2001 is outside 0..2000")],
    ),
    (
        "mentoring without mentor",
        lambda: roles(2, mentors=False),
        [("mentoring.required", "is true but no role mentors")],
    ),
    (
        "friction complexity 7",
        lambda: attrs.evolve(LAYOUT, friction=Friction(lead_execution_complexity=7)),
        [("friction.lead_execution_complexity", "7 is outside 1..6")],
    ),
    (
        "friction tier 4",
        lambda: attrs.evolve(LAYOUT, friction=Friction(pm_strategy_tier=4)),
        [("friction.pm_strategy_tier", "4 is outside 0..3")],
    ),
]


@pytest.mark.parametrize(("build", "expected"), [c[1:] for c in LAYOUT_CASES], ids=[c[0] for c in LAYOUT_CASES])
def test_layout_rule(build: Callable[[], Layout], expected: list[tuple[str, str]]) -> None:
    assert_problems(validation.problems(build()), expected)


def test_split_only_layout_needs_no_end_to_end_raci() -> None:
    layout = attrs.evolve(
        LAYOUT,
        modes=("split",),
        roles=roles(0, leads=("split",)).roles,
        duties=tuple(attrs.evolve(d, end_to_end=None) for d in LAYOUT.duties),
    )
    assert validation.problems(layout) == []


def test_custom_duties_are_allowed_beside_the_standard_ones() -> None:
    extra = attrs.evolve(LAYOUT.duties[0], id="legal", name="Contracts")
    assert validation.problems(attrs.evolve(LAYOUT, duties=(*LAYOUT.duties, extra))) == []


# --------------------------------------------------------------------------- plan rules


def accounts(i: int, **changes: Any) -> Plan:
    return attrs.evolve(PLAN, accounts=at(PLAN.accounts, i, **changes))


PLAN_CASES: list[tuple[str, Callable[[], Plan], list[tuple[str, str]]]] = [
    ("structure", lambda: attrs.evolve(PLAN, structure="seperate"), [("structure", "did you mean 'separate'?")]),
    (
        "duplicate person",
        lambda: attrs.evolve(PLAN, people=at(PLAN.people, 1, id="ana")),
        [
            ("people[1].id", "duplicate person id 'ana'"),
            ("accounts[0].coverage[0].person", "'bo' names no person"),
            ("mentoring[0].mentee", "'bo' names no person"),
        ],
    ),
    (
        "duplicate account",
        lambda: attrs.evolve(PLAN, accounts=PLAN.accounts * 2),
        [("accounts[1].id", "duplicate account id 'acme'")],
    ),
    ("duplicate hire", lambda: attrs.evolve(PLAN, hires=PLAN.hires * 2), [("hires[1].id", "duplicate hire id")]),
    (
        "person id",
        lambda: attrs.evolve(PLAN, people=(*PLAN.people, PersonPlan("", "x"))),
        [("people[2].id", "is empty")],
    ),
    (
        "negative hours",
        lambda: attrs.evolve(PLAN, people=at(PLAN.people, 0, hours=-1)),
        [("people[0].hours", "-1 is negative")],
    ),
    (
        "negative capacity",
        lambda: attrs.evolve(PLAN, people=at(PLAN.people, 0, capacity=-1)),
        [("people[0].capacity", "-1 is negative")],
    ),
    (
        "negative utilization",
        lambda: attrs.evolve(PLAN, people=at(PLAN.people, 1, utilization=-0.1)),
        [("people[1].utilization", "-0.1 is negative")],
    ),
    ("account id", lambda: accounts(0, id="ac me"), [("accounts[0].id", "not a valid id")]),
    ("mode", lambda: accounts(0, mode="hybrid"), [("accounts[0].mode", "'hybrid' is not allowed")]),
    ("lead unknown", lambda: accounts(0, lead="zed"), [("accounts[0].lead", "'zed' names no person in the plan")]),
    ("lead hours negative", lambda: accounts(0, lead_hours=-5), [("accounts[0].lead_hours", "-5 is negative")]),
    (
        "coverage unknown person",
        lambda: accounts(0, coverage=(Coverage("acme-web", "bob", 1),)),
        [("accounts[0].coverage[0].person", "'bob' names no person in the plan (did you mean 'bo'?)")],
    ),
    (
        "coverage negative hours",
        lambda: accounts(0, coverage=(Coverage("acme-web", "bo", -1),)),
        [("accounts[0].coverage[0].hours", "-1 is negative")],
    ),
    (
        "raci duty twice",
        lambda: accounts(0, raci=(Raci("scope", "bo"), Raci("scope", "ana"))),
        [("accounts[0].raci[1].duty", "duplicate duty id 'scope'")],
    ),
    (
        "mentor unknown",
        lambda: attrs.evolve(PLAN, mentoring=(MentoringPair("zed", "bo"),)),
        [("mentoring[0].mentor", "'zed' names no person in the plan")],
    ),
    (
        "mentee unknown",
        lambda: attrs.evolve(PLAN, mentoring=(MentoringPair("ana", "zed"),)),
        [("mentoring[0].mentee", "'zed' names no person in the plan")],
    ),
    ("hire cost", lambda: attrs.evolve(PLAN, hires=at(PLAN.hires, 0, cost=-1)), [("hires[0].cost", "-1 is negative")]),
    (
        "hire level",
        lambda: attrs.evolve(PLAN, hires=at(PLAN.hires, 0, level=0)),
        [("hires[0].level", "0 is outside 1..4")],
    ),
]


@pytest.mark.parametrize(("build", "expected"), [c[1:] for c in PLAN_CASES], ids=[c[0] for c in PLAN_CASES])
def test_plan_rule(build: Callable[[], Plan], expected: list[tuple[str, str]]) -> None:
    assert_problems(validation.problems(build()), expected)


def test_problems_dispatches_on_kind() -> None:
    assert validation.problems(AGENCY) == validation.agency_problems(AGENCY)
    assert validation.problems(LAYOUT) == validation.layout_problems(LAYOUT)
    assert validation.problems(PLAN) == validation.plan_problems(PLAN)


def test_every_problem_of_a_very_bad_agency_is_reported_at_once() -> None:
    """Validation does not stop at the first mistake."""
    agency = attrs.evolve(
        AGENCY,
        people=at(at(AGENCY.people, 0, level=0), 1, fte=0.0),
        accounts=at(AGENCY.accounts, 1, tier=4, fee=-1),
        policy=Policy(utilization_ceiling=1.2),
    )
    paths = [p for p, _ in validation.problems(agency)]
    assert paths == [
        "people[0].level",
        "people[1].fte",
        "accounts[1].fee",
        "accounts[1].tier",
        "policy.utilization_ceiling",
    ]


@pytest.mark.parametrize("bad", ["Acme\nok: 0 problems", "Acme\x1b[2J", "Acme\tLtd", "Acme\u2028Ltd"])
def test_a_name_is_one_line_of_plain_text(bad: str) -> None:
    person = attrs.evolve(AGENCY.people[0], name=bad)
    account = AGENCY.accounts[0]
    project = attrs.evolve(account.projects[0], name=bad)
    agency = attrs.evolve(
        AGENCY,
        agency=attrs.evolve(AGENCY.agency, name=bad),
        people=(person, *AGENCY.people[1:]),
        accounts=(attrs.evolve(account, name=bad, projects=(project, *account.projects[1:])), *AGENCY.accounts[1:]),
    )
    where = ["agency.name", "people[0].name", "accounts[0].name", "accounts[0].projects[0].name"]
    assert_problems(validation.problems(agency), [(w, "a name is one line of plain text") for w in where])
