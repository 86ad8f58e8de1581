"""What-if scenarios: a base agency and named sets of changes to it.

`apply(base, scenario)` is a pure function from the base agency to the scenario's agency;
`load(path)` reads a scenario file, checks every scenario against its base and validates each
scenario's agency like an agency file, so a bad file gives one line per problem with the file
and the key path (docs/scenarios.md is the reference of every key).
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from structplan import formats, validation
from structplan.formats import LoadError, Problem
from structplan.model import PERSON_ROLES, STRUCTURES, Account, Agency, HiringOption, Layout, Person

#: The id the base agency's result is written and shown under; no scenario may take it.
BASE = "base"
#: The largest factor effort may be scaled by.
FACTOR_MAX = 10.0


# --------------------------------------------------------------------------- the file


@attrs.frozen
class LeaveByRole:
    """Some people of one discipline at a level or above leave; which ones is decided by a
    fixed rule (the most senior first, then the most expensive, then by id)."""

    role: str
    """Discipline: am, pm, pmo, client_service or support."""
    count: int
    """How many leave."""
    level: int = 1
    """The lowest level concerned (1 .. 4): 3 means level 3 or 4."""


@attrs.frozen
class Scale:
    """A factor applied to the yearly hours of projects: all of them, a service line's or an
    account's (give at most one of service_line and account)."""

    factor: float
    """1.2 is 20 % more work, 0.5 half the work (above 0, at most 10)."""
    service_line: str | None = None
    """Only projects of this service line."""
    account: str | None = None
    """Only projects of this account."""


@attrs.frozen
class PolicyChange:
    """Policy values a scenario changes; an absent key keeps the base agency's value."""

    structures: tuple[str, ...] | None = None
    """Structures to consider."""
    utilization_ceiling: float | None = None
    """Nobody above this share of their productive hours."""
    target_utilization: float | None = None
    """Hours above this share count as overload."""
    mentoring_span: int | None = None
    """Most mentees of one PMO mentor."""
    surplus_utilization: float | None = None
    """Below this share, a person is surplus capacity."""


@attrs.frozen
class Scenario:
    """One named what-if: a small set of changes to the base agency."""

    id: str
    """Stable identifier: the scenario's plan is written to <id>.plan.toml."""
    name: str = ""
    """What the scenario is, in a few words (default: the id)."""
    description: str = ""
    """Why it is asked, for the reader of the file."""
    leave: tuple[str, ...] = ()
    """People who leave, by id."""
    leave_by_role: tuple[LeaveByRole, ...] = ()
    """People who leave, by discipline and level."""
    join: tuple[Person, ...] = ()
    """People who join: person records as in an agency file."""
    lose: tuple[str, ...] = ()
    """Accounts lost, by id."""
    win: tuple[Account, ...] = ()
    """Accounts won: account records with their projects, as in an agency file."""
    scale: tuple[Scale, ...] = ()
    """Changes of project effort."""
    hiring: tuple[HiringOption, ...] = ()
    """Hiring options added, or replacing the option of the same id."""
    hiring_max: tuple[tuple[str, int], ...] = ()
    """New caps of hiring options, by option id."""
    freeze_hiring: bool = False
    """No hiring at all: every option's max becomes 0."""
    policy: PolicyChange = PolicyChange()
    """Policy values changed."""
    structure: str | None = None
    """Solve this structure only: separate, hybrid or merged."""
    layout: str | None = None
    """Solve with this layout file (relative to the scenario file); its structure only."""

    @property
    def title(self) -> str:
        """The scenario's name, or its id when it has none."""
        return self.name or self.id


@attrs.frozen
class ScenarioFile:
    """A scenario file as written."""

    base: str
    """The base agency file, relative to the scenario file."""
    scenarios: tuple[Scenario, ...] = ()
    """The scenarios, in the order they are shown."""


@attrs.frozen
class Resolved:
    """One scenario ready to solve."""

    scenario: Scenario
    """The scenario as written."""
    agency: Agency
    """The base agency with the scenario's changes."""
    layout: Layout | None = None
    """The layout the scenario forces, if any."""
    layout_path: str | None = None
    """Where that layout was read from."""
    leavers: tuple[str, ...] = ()
    """Ids of everyone who leaves, named ones and those the rule chose."""
    notes: tuple[str, ...] = ()
    """What the scenario changes, in words."""


@attrs.frozen
class Loaded:
    """A scenario file with its base agency, every scenario checked and applied."""

    path: str
    """The scenario file, as the user named it."""
    base_path: str
    """The base agency file, as found from the scenario file."""
    base: Agency
    """The base agency."""
    scenarios: tuple[Resolved, ...]
    """The scenarios, in file order."""


# --------------------------------------------------------------------------- applying


def _hours_table(layout: Layout | None) -> tuple[int, ...]:
    if layout is not None:
        return layout.effort.project_hours_by_complexity
    return _bundled_hours()


def _bundled_hours() -> tuple[int, ...]:
    from structplan.data import layout_path

    return formats.load_layout(layout_path("hybrid")).effort.project_hours_by_complexity


def chosen_leavers(base: Agency, scenario: Scenario) -> tuple[str, ...]:
    """Who leaves: the people named in `leave`, then for each `leave_by_role` entry, among those
    of its discipline at its level or above who are not already leaving, the most senior first,
    then the most expensive, then by id. Joiners never leave."""
    leaving = [pid for pid in scenario.leave if base.person(pid) is not None]
    for rule in scenario.leave_by_role:
        pool = sorted(
            (p for p in base.people if p.role == rule.role and p.level >= rule.level and p.id not in leaving),
            key=lambda p: (-p.level, -p.cost, p.id),
        )
        leaving.extend(p.id for p in pool[: rule.count])
    return tuple(dict.fromkeys(leaving))


def apply(base: Agency, scenario: Scenario, layout: Layout | None = None) -> Agency:
    """The base agency with the scenario's changes, in this order: leavers go, joiners come,
    lost accounts go, won accounts come, effort is scaled, hiring and policy change, and a
    forced structure becomes the only one the policy considers.

    A leaver stops leading accounts and managing projects today, and a pin naming them as lead
    loses its lead (a pin left with nothing is dropped). Effort: a project's hours are its
    effort_hours or, without them, the hours its complexity takes in `layout` (default: the
    bundled layouts, which all take the same); the scaled hours are written as effort_hours,
    rounded to the nearest hour (halves up). Factors that apply to one project multiply.
    """
    leavers = set(chosen_leavers(base, scenario))
    lost = set(scenario.lose)

    def today(pid: str | None) -> str | None:
        return None if pid in leavers else pid

    people = tuple(p for p in base.people if p.id not in leavers) + scenario.join
    accounts = [
        attrs.evolve(
            a,
            lead=today(a.lead),
            projects=tuple(attrs.evolve(pr, manager=today(pr.manager)) for pr in a.projects),
        )
        for a in base.accounts
        if a.id not in lost
    ]
    accounts.extend(scenario.win)
    if scenario.scale:
        table = _hours_table(layout)
        scaled = []
        for a in accounts:
            projects = []
            for pr in a.projects:
                factor = 1.0
                for s in scenario.scale:
                    if (s.service_line is None or s.service_line == pr.service_line) and (
                        s.account is None or s.account == a.id
                    ):
                        factor *= s.factor
                if factor != 1.0:
                    hours = pr.effort_hours if pr.effort_hours is not None else table[pr.complexity - 1]
                    pr = attrs.evolve(pr, effort_hours=math.floor(hours * factor + 0.5))
                projects.append(pr)
            scaled.append(attrs.evolve(a, projects=tuple(projects)))
        accounts = scaled
    replaced = {h.id: h for h in scenario.hiring}
    hiring = [replaced.pop(h.id, h) for h in base.hiring] + list(replaced.values())
    caps = dict(scenario.hiring_max)
    hiring = [attrs.evolve(h, max=0 if scenario.freeze_hiring else caps.get(h.id, h.max)) for h in hiring]

    pins = []
    for pin in base.policy.pins:
        if pin.account in lost:
            continue
        if pin.lead in leavers:
            pin = attrs.evolve(pin, lead=None)
            if pin.mode is None:
                continue
        pins.append(pin)
    changes = {k: v for k, v in attrs.asdict(scenario.policy, recurse=False).items() if v is not None}
    policy = attrs.evolve(base.policy, pins=tuple(pins), **changes)
    structure = scenario.structure or (layout.structure if layout is not None else None)
    if structure is not None:
        policy = attrs.evolve(policy, structures=(structure,))
    return attrs.evolve(base, people=people, accounts=tuple(accounts), hiring=tuple(hiring), policy=policy)


def describe(base: Agency, scenario: Scenario, leavers: Iterable[str]) -> tuple[str, ...]:
    """What a scenario changes, in words: who leaves (named), what is won and lost."""
    notes = []
    gone = [base.person(pid) for pid in leavers]
    if gone:
        notes.append(
            "leave: " + ", ".join(f"{p.name} ({p.id}, {p.role} level {p.level})" for p in gone if p is not None)
        )
    if scenario.join:
        notes.append("join: " + ", ".join(f"{p.name} ({p.id})" for p in scenario.join))
    if scenario.lose:
        lost = [base.account(aid) for aid in scenario.lose]
        notes.append("lose: " + ", ".join(f"{a.name} ({a.id})" for a in lost if a is not None))
    if scenario.win:
        notes.append("win: " + ", ".join(f"{a.name} ({a.id})" for a in scenario.win))
    for s in scenario.scale:
        what = f"service line {s.service_line}" if s.service_line else f"account {s.account}" if s.account else "all"
        notes.append(f"effort x{s.factor:g}: {what}")
    if scenario.hiring:
        notes.append("hiring options: " + ", ".join(h.id for h in scenario.hiring))
    if scenario.hiring_max:
        notes.append("hiring caps: " + ", ".join(f"{k} {v}" for k, v in scenario.hiring_max))
    if scenario.freeze_hiring:
        notes.append("hiring frozen")
    changed = {k: v for k, v in attrs.asdict(scenario.policy, recurse=False).items() if v is not None}
    if changed:
        notes.append(
            "policy: "
            + ", ".join(f"{k} {', '.join(v) if isinstance(v, tuple) else f'{v:g}'}" for k, v in changed.items())
        )
    if scenario.structure or scenario.layout:
        notes.append(f"structure forced: {scenario.structure or scenario.layout}")
    dropped = [pin.account for pin in base.policy.pins if pin.lead in set(leavers) and pin.account not in scenario.lose]
    if dropped:
        notes.append("pins losing their lead (who leaves): " + ", ".join(dropped))
    return tuple(notes)


# --------------------------------------------------------------------------- checking


def _hint(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def scenario_problems(base: Agency, scenario: Scenario, at: str) -> list[tuple[str, str]]:
    """What in a scenario does not fit its base agency: (key path, message)."""
    out: list[tuple[str, str]] = []
    if not scenario.id:
        out.append((f"{at}.id", "is empty; every scenario needs an id"))
    elif not validation.ID.fullmatch(scenario.id):
        out.append((f"{at}.id", f"{scenario.id!r} is not a valid id (letters, digits, '-', '_', '.')"))
    elif scenario.id == BASE:
        out.append((f"{at}.id", f"{BASE!r} is the base agency's name; call the scenario something else"))
    people = [p.id for p in base.people]
    seen: set[str] = set()
    for j, pid in enumerate(scenario.leave):
        if pid not in people:
            out.append((f"{at}.leave[{j}]", f"{pid!r} names no person of the base agency{_hint(pid, people)}"))
        elif pid in seen:
            out.append((f"{at}.leave[{j}]", f"{pid!r} is named twice"))
        seen.add(pid)
    leaving = set(seen)
    for j, rule in enumerate(scenario.leave_by_role):
        where = f"{at}.leave_by_role[{j}]"
        if rule.role not in PERSON_ROLES:
            out.append((f"{where}.role", f"{rule.role!r} is not allowed{_hint(rule.role, PERSON_ROLES)}"))
            continue
        if not 1 <= rule.level <= 4:
            out.append((f"{where}.level", f"{rule.level} is outside 1..4"))
            continue
        if rule.count < 1:
            out.append((f"{where}.count", f"{rule.count} is below 1"))
            continue
        pool = [
            p.id
            for p in sorted(base.people, key=lambda p: (-p.level, -p.cost, p.id))
            if p.role == rule.role and p.level >= rule.level and p.id not in leaving
        ]
        if len(pool) < rule.count:
            out.append(
                (
                    f"{where}.count",
                    f"{rule.count} {rule.role} at level {rule.level} or above cannot leave: the base agency has "
                    f"{len(pool)} more",
                )
            )
        leaving.update(pool[: rule.count])
    accounts = [a.id for a in base.accounts]
    for j, aid in enumerate(scenario.lose):
        if aid not in accounts:
            out.append((f"{at}.lose[{j}]", f"{aid!r} names no account of the base agency{_hint(aid, accounts)}"))
    kept = [a for a in accounts if a not in scenario.lose] + [a.id for a in scenario.win]
    lines = sorted({pr.service_line for a in (*base.accounts, *scenario.win) for pr in a.projects if pr.service_line})
    for j, s in enumerate(scenario.scale):
        where = f"{at}.scale[{j}]"
        if not (math.isfinite(s.factor) and 0 < s.factor <= FACTOR_MAX):
            out.append((f"{where}.factor", f"{s.factor} is outside 0..{FACTOR_MAX:g} (above 0)"))
        if s.service_line is not None and s.account is not None:
            out.append((where, "give service_line or account, not both (two entries multiply)"))
        if s.service_line is not None and s.service_line not in lines:
            out.append(
                (
                    f"{where}.service_line",
                    f"{s.service_line!r} is the service line of no project{_hint(s.service_line, lines)}",
                )
            )
        if s.account is not None and s.account not in kept:
            why = "is lost in this scenario" if s.account in scenario.lose else "names no account"
            out.append((f"{where}.account", f"{s.account!r} {why}{_hint(s.account, kept)}"))
    options = [h.id for h in base.hiring] + [h.id for h in scenario.hiring]
    for key, cap in scenario.hiring_max:
        if key not in options:
            out.append((f"{at}.hiring_max.{key}", f"{key!r} names no hiring option{_hint(key, options)}"))
        elif not 0 <= cap <= 1000:
            out.append((f"{at}.hiring_max.{key}", f"{cap} is outside 0..1000"))
    if scenario.freeze_hiring and scenario.hiring_max:
        out.append((f"{at}.hiring_max", "has no effect with freeze_hiring = true (every option's max becomes 0)"))
    if scenario.structure is not None and scenario.structure not in STRUCTURES:
        out.append(
            (
                f"{at}.structure",
                f"{scenario.structure!r} is not allowed (expected one of: {', '.join(STRUCTURES)})"
                f"{_hint(scenario.structure, STRUCTURES)}",
            )
        )
    return out


def _where_from(path: str, base: Agency, agency: Agency, scenario: Scenario, at: str) -> str:
    """The scenario's key behind a problem of its agency: a joiner, a won account, a hiring
    option or a policy value it sets; else the agency's key, said to be the scenario's agency."""
    head, _, rest = path.partition("]")
    sections: tuple[tuple[str, Sequence[Any], Sequence[Any]], ...] = (
        ("people", agency.people, scenario.join),
        ("accounts", agency.accounts, scenario.win),
        ("hiring", agency.hiring, scenario.hiring),
    )
    for key, records, added in sections:
        if head.startswith(f"{key}[") and head[len(key) + 1 :].isdigit():
            record = records[int(head[len(key) + 1 :])]
            for j, mine in enumerate(added):
                if mine.id == record.id:
                    section = {"people": "join", "accounts": "win", "hiring": "hiring"}[key]
                    return f"{at}.{section}[{j}]{rest}"
    if path.startswith("policy."):
        name = path.removeprefix("policy.").split("[")[0].split(".")[0]
        if getattr(scenario.policy, name, None) is not None:
            return f"{at}.{path}"
    return f"{at} (its agency: {path})"


def resolve(base: Agency, scenario: Scenario, at: str, folder: Path, name: str) -> Resolved:
    """Check a scenario against its base, apply it and validate the result; LoadError naming
    the scenario file and the scenario's keys otherwise."""
    problems = [Problem(name, w, m) for w, m in scenario_problems(base, scenario, at)]
    layout = None
    layout_path = None
    if scenario.layout is not None:
        layout_path = os.path.join(folder, scenario.layout)
        if not os.path.isfile(layout_path):
            problems.append(Problem(name, f"{at}.layout", f"no such file {layout_path}"))
        else:
            layout = formats.load_layout(layout_path)  # its own problems name the layout file
            if scenario.structure is not None and scenario.structure != layout.structure:
                problems.append(
                    Problem(
                        name,
                        f"{at}.structure",
                        f"{scenario.structure!r} does not match the structure of {layout_path} ({layout.structure})",
                    )
                )
    if problems:
        raise LoadError(problems)
    agency = apply(base, scenario, layout)
    found = validation.problems(agency)
    if found:
        raise LoadError(
            [
                Problem(name, _where_from(w, base, agency, scenario, at), f"scenario {scenario.id!r}: {m}")
                for w, m in found
            ]
        )
    leavers = chosen_leavers(base, scenario)
    return Resolved(
        scenario=scenario,
        agency=formats.canonical(agency),
        layout=layout,
        layout_path=layout_path,
        leavers=leavers,
        notes=describe(base, scenario, leavers),
    )


def looks_like(data: dict[str, object]) -> bool:
    """Whether parsed TOML is a scenario file (a base and a list of scenarios)."""
    return "base" in data and "scenarios" in data and "agency" not in data


def load(path: str | os.PathLike[str]) -> Loaded:
    """Read a scenario file and its base agency, check and apply every scenario."""
    name = str(path)
    data = formats.read_toml(path)
    parsed = formats.structure(data, ScenarioFile, name)
    problems: list[Problem] = []
    if not parsed.scenarios:
        problems.append(Problem(name, "scenarios", "is empty; give at least one [[scenarios]]"))
    seen: dict[str, int] = {}
    for i, s in enumerate(parsed.scenarios):
        if s.id in seen:
            problems.append(
                Problem(
                    name, f"scenarios[{i}].id", f"duplicate scenario id {s.id!r} (first at scenarios[{seen[s.id]}].id)"
                )
            )
        seen.setdefault(s.id, i)
    folder = Path(os.path.dirname(name) or ".")
    base_path = os.path.join(folder, parsed.base)
    if not parsed.base.strip():
        problems.append(Problem(name, "base", "is empty; name the base agency file"))
    elif not os.path.exists(base_path):
        problems.append(Problem(name, "base", f"no such file {base_path} (the path is relative to the scenario file)"))
    if problems:
        raise LoadError(problems)
    base = formats.load_agency(base_path)  # its own problems name the base agency file
    return resolve_all(base, parsed.scenarios, folder, name, base_path)


def resolve_all(base: Agency, scenarios: Iterable[Scenario], folder: Path, name: str, base_path: str) -> Loaded:
    """Every scenario checked against `base` and applied, in order; LoadError with the
    problems of all of them."""
    problems: list[Problem] = []
    resolved = []
    for i, s in enumerate(scenarios):
        try:
            resolved.append(resolve(base, s, f"scenarios[{i}]", folder, name))
        except LoadError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LoadError(problems)
    return Loaded(path=name, base_path=base_path, base=base, scenarios=tuple(resolved))
