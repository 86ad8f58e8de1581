"""`structplan check`: every hard rule and pitfall is caught on plans edited by hand."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from structplan import checks, formats, validation
from structplan.cli import main
from structplan.data import layout_path
from structplan.model import (
    Account,
    Agency,
    Coverage,
    Hire,
    MentoringPair,
    Person,
    Plan,
    Policy,
    Project,
    Settings,
)
from structplan.names import Names
from structplan.solver import SolveOptions, solve

ROOT = Path(__file__).resolve().parent.parent
BOUTIQUE = ROOT / "sample_agencies" / "boutique.toml"
FAST = SolveOptions(time_limit=10, seed=0, workers=1)
LAYOUTS = {s: formats.load_layout(layout_path(s)) for s in ("separate", "hybrid", "merged")}


@pytest.fixture(scope="module")
def agency() -> Agency:
    return formats.load_agency(BOUTIQUE)


@pytest.fixture(scope="module")
def plans(agency: Agency) -> dict[str, Plan]:
    out = {}
    for st in ("separate", "merged"):
        plan = solve(agency, [st], options=FAST).plan
        assert plan is not None
        out[st] = plan
    return out


def _hybrid_agency() -> Agency:
    """Three small accounts that hybrid runs end to end under one PMO mentor."""
    people = [Person(f"am{i}", f"AM {i}", "am", 3, 80_000) for i in range(3)]
    people += [Person("pmo", "Pat", "pmo", 4, 100_000), Person("pm", "Pia", "pm", 3, 80_000)]
    accounts = [Account(f"c{i}", f"C{i}", 100_000, 3, f"am{i}", (Project(f"j{i}", "J", 1),)) for i in range(3)]
    return formats.canonical(Agency(Settings("Mentored"), tuple(people), tuple(accounts), policy=Policy()))


def _replace_account(plan: Plan, aid: str, **changes) -> Plan:
    return attrs.evolve(plan, accounts=tuple(attrs.evolve(a, **changes) if a.id == aid else a for a in plan.accounts))


def _one(found: list[str], *words: str) -> str:
    hits = [line for line in found if all(w in line for w in words)]
    assert hits, f"no violation mentions {words}: {found}"
    return hits[0]


def test_solved_plans_hold_every_rule(agency: Agency, plans: dict[str, Plan]) -> None:
    for st, plan in plans.items():
        assert checks.violations(plan, agency, LAYOUTS[st]) == []


def test_overloading_a_person_breaks_capacity(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["separate"]
    # hand the work of every project to one project manager
    pm = next(p.id for p in agency.people if p.role == "pm" and p.level >= 3)
    accounts = tuple(
        attrs.evolve(a, coverage=tuple(attrs.evolve(c, person=pm) for c in a.coverage)) for a in plan.accounts
    )
    found = checks.violations(attrs.evolve(plan, accounts=accounts), agency, LAYOUTS["separate"])
    line = _one(found, pm, "ceiling")
    assert "90%" in line


def test_declared_hours_must_match_the_work(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["separate"]
    busy = next(p for p in plan.people if p.hours > 0)
    people = tuple(attrs.evolve(p, hours=p.hours - 10) if p.id == busy.id else p for p in plan.people)
    _one(
        checks.violations(attrs.evolve(plan, people=people), agency, LAYOUTS["separate"]),
        busy.id,
        "the work adds up to",
    )


def test_lead_must_be_allowed_to_lead_and_senior_enough(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["separate"]
    support = next(p.id for p in agency.people if p.role == "support")
    ap = plan.accounts[0]
    _one(
        checks.violations(_replace_account(plan, ap.id, lead=support), agency, LAYOUTS["separate"]),
        ap.id,
        support,
        "may not lead",
    )
    junior_am = next(p for p in agency.people if p.role == "am" and p.level == 2)
    tier1 = next(a for a in agency.accounts if a.tier == 1)
    _one(
        checks.violations(_replace_account(plan, tier1.id, lead=junior_am.id), agency, LAYOUTS["separate"]),
        tier1.id,
        "level 2",
        "needs level 3",
    )


def test_every_account_and_project_is_covered_once(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["separate"]
    ap = plan.accounts[0]
    dropped = attrs.evolve(plan, accounts=plan.accounts[1:])
    _one(checks.violations(dropped, agency, LAYOUTS["separate"]), ap.id, "not in the plan")
    extra = attrs.evolve(plan, accounts=(*plan.accounts, attrs.evolve(ap, id="ghost-co")))
    _one(checks.violations(extra, agency, LAYOUTS["separate"]), "ghost-co", "not in the agency file")
    first = ap.coverage[0]
    _one(
        checks.violations(_replace_account(plan, ap.id, coverage=ap.coverage[1:]), agency, LAYOUTS["separate"]),
        first.project,
        "no project manager",
    )
    _one(
        checks.violations(_replace_account(plan, ap.id, coverage=(*ap.coverage, first)), agency, LAYOUTS["separate"]),
        first.project,
        "covered 2 times",
    )
    wrong = attrs.evolve(first, hours=first.hours + 1)
    _one(
        checks.violations(
            _replace_account(plan, ap.id, coverage=(wrong, *ap.coverage[1:])), agency, LAYOUTS["separate"]
        ),
        first.project,
        "the layout gives",
    )


def test_pins_hold(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["separate"]
    pin = agency.policy.pins[0]
    assert pin.lead is not None
    other = next(p.id for p in agency.people if p.role == "am" and p.id != pin.lead)
    _one(
        checks.violations(_replace_account(plan, pin.account, lead=other), agency, LAYOUTS["separate"]),
        pin.account,
        "pinned to lead",
        pin.lead,
    )


def test_modes_follow_the_layout(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["separate"]
    ap = plan.accounts[0]
    _one(
        checks.violations(_replace_account(plan, ap.id, mode="end_to_end"), agency, LAYOUTS["separate"]),
        ap.id,
        "not a mode of the separate structure",
    )


def test_accountable_roles_are_held_on_the_account(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["separate"]
    # give every project of a split account to junior support: nobody holds the PM duties
    ap = plan.accounts[0]
    support = next(p.id for p in agency.people if p.role == "support")
    cov = tuple(attrs.evolve(c, person=support) for c in ap.coverage)
    found = checks.violations(_replace_account(plan, ap.id, coverage=cov), agency, LAYOUTS["separate"])
    _one(found, ap.id, "Project Manager", "accountable for")


def test_hires_are_within_the_options(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["separate"]
    opt = agency.hiring[0]
    hires = tuple(
        Hire(f"{opt.id}-{k}", opt.id, f"{opt.name} (hire {k})", opt.role, opt.level, opt.cost)
        for k in range(1, opt.max + 2)
    )
    found = checks.violations(attrs.evolve(plan, hires=hires), agency, LAYOUTS["separate"])
    _one(found, opt.id, f"at most {opt.max} allowed")
    _one(found, f"hire {opt.id}-1", "has no work")
    ghost = Hire("nobody-1", "nobody", "Nobody (hire 1)", "pm", 3, 1)
    _one(
        checks.violations(attrs.evolve(plan, hires=(ghost,)), agency, LAYOUTS["separate"]),
        "hires[0].option",
        "'nobody' is not a hiring option",
    )


def test_mentoring_rules() -> None:
    agency = _hybrid_agency()
    layout = LAYOUTS["hybrid"]
    plan = solve(agency, ["hybrid"], options=FAST).plan
    assert plan is not None
    assert checks.violations(plan, agency, layout) == []
    assert any(a.mode == "end_to_end" for a in plan.accounts)
    lead = next(a.lead for a in plan.accounts if a.mode == "end_to_end")
    without = attrs.evolve(plan, mentoring=tuple(m for m in plan.mentoring if m.mentee != lead))
    found = checks.violations(without, agency, layout)
    _one(found, lead, "0 mentors")
    twice = attrs.evolve(plan, mentoring=(*plan.mentoring, MentoringPair("pm", lead)))
    found = checks.violations(twice, agency, layout)
    _one(found, lead, "2 mentors")
    _one(found, "pm mentors", "may not mentor")
    tight = attrs.evolve(agency, policy=attrs.evolve(agency.policy, mentoring_span=1))
    mentees = {m.mentee for m in plan.mentoring}
    if len(mentees) > 1:
        _one(checks.violations(plan, tight, layout), "at most 1 allowed")


def test_pitfalls_name_their_account_or_person(agency: Agency, plans: dict[str, Plan]) -> None:
    plan = plans["merged"]
    layout = LAYOUTS["merged"]
    # a project manager leading a tier-1 account is role friction
    tier1 = next(a for a in agency.accounts if a.tier == 1)
    pm = next(p.id for p in agency.people if p.role == "pm" and p.level >= 3)
    edited = _replace_account(plan, tier1.id, lead=pm)
    kinds = {(w.kind, w.account) for w in checks.pitfalls(edited, agency, layout)}
    assert ("role_friction", tier1.id) in kinds
    # an end-to-end lead running a complexity-4+ project himself is role friction too
    heavy = next((a, p) for a in agency.accounts for p in a.projects if p.complexity >= 4)
    ap = plan.account(heavy[0].id)
    assert ap is not None
    cov = tuple(attrs.evolve(c, person=ap.lead) if c.project == heavy[1].id else c for c in ap.coverage)
    warns = checks.pitfalls(_replace_account(plan, ap.id, coverage=cov), agency, layout)
    project = Names.of_agency(agency).project(heavy[1].id)
    assert any(w.kind == "role_friction" and project in w.message for w in warns)
    # too many voices on one account
    others = [p.id for p in agency.people if p.role in ("pm", "client_service") and p.id != ap.lead][:4]
    many = tuple(Coverage(f"x{i}", who, 10) for i, who in enumerate(others))
    warns = checks.pitfalls(_replace_account(plan, ap.id, coverage=many), agency, layout)
    assert any(w.kind == "redundant_communication" and w.account == ap.id for w in warns)
    # overload above the target utilization
    busy = next(p for p in plan.people if p.capacity)
    people = tuple(attrs.evolve(p, hours=int(p.capacity * 0.85)) if p.id == busy.id else p for p in plan.people)
    warns = checks.pitfalls(attrs.evolve(plan, people=people), agency, layout)
    assert any(w.kind == "overload" and w.person == busy.id and "85%" in w.message for w in warns)


def test_raci_has_one_accountable_person_per_duty(plans: dict[str, Plan]) -> None:
    for st, plan in plans.items():
        duties = {d.id for d in LAYOUTS[st].duties}
        for ap in plan.accounts:
            assert {r.duty for r in ap.raci} == duties
            people = {ap.lead, *(c.person for c in ap.coverage)}
            for r in ap.raci:
                assert r.accountable in people
            assert ap.contact is not None and ap.contact.strategy == ap.lead
            if st == "separate":
                assert ap.contact.updates in {c.person for c in ap.coverage}


def test_check_command_exit_codes(tmp_path: Path, agency: Agency, plans: dict[str, Plan], capsys) -> None:
    good = tmp_path / "good.plan.toml"
    formats.save(plans["separate"], good)
    assert main(["check", str(good), str(BOUTIQUE)]) == 0
    assert "ok:" in capsys.readouterr().out
    pm = next(p.id for p in agency.people if p.role == "pm")
    bad_plan = attrs.evolve(
        plans["separate"],
        accounts=tuple(
            attrs.evolve(a, coverage=tuple(attrs.evolve(c, person=pm) for c in a.coverage))
            for a in plans["separate"].accounts
        ),
    )
    bad = tmp_path / "bad.plan.toml"
    formats.save(bad_plan, bad)
    assert main(["check", str(bad), str(BOUTIQUE)]) == 1
    out = capsys.readouterr().out
    assert any(
        line.startswith(f"{bad}: people[") and f"{pm}:" in line and "ceiling" in line for line in out.splitlines()
    )
    assert main(["check", str(tmp_path / "missing.toml"), str(BOUTIQUE)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.toml" in err[0]


def test_in_merged_the_relationship_and_the_am_halves_are_the_leads_alone(plans: dict[str, Plan]) -> None:
    plan = plans["merged"]
    lead_only = {"relationship", *(f"{area}_am" for area in ("scope", "time", "risk", "quality", "budget"))}
    shared = False
    for ap in plan.accounts:
        runners = {c.person for c in ap.coverage} | {ap.lead}
        for r in ap.raci:
            if r.duty in lead_only:
                assert r.responsible == (ap.lead,), (ap.id, r)
            elif r.duty == "scope_pm":
                assert set(r.responsible) <= runners and ap.lead in r.responsible
                shared |= len(r.responsible) > 1
    assert shared  # some accounts have others running projects: the PM halves are theirs too


def test_lead_may_be_named_responsible_but_not_accountable() -> None:
    layout = LAYOUTS["merged"]
    duty = layout.duties[0]
    bad = attrs.evolve(
        duty, end_to_end=attrs.evolve(duty.end_to_end, accountable=("lead",)) if duty.end_to_end else None
    )
    problems = validation.problems(attrs.evolve(layout, duties=(bad, *layout.duties[1:])))
    assert any("duties[0].end_to_end.accountable[0]" in where and "lead" in what for where, what in problems)
    assert validation.problems(layout) == []
