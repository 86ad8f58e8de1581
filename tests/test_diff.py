"""`structplan diff`: every kind of change is found, named and counted, in text and json, with
diff(1)'s exit codes. Plans are built in code from one small plan with `attrs.evolve`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

from structplan import diff as plan_diff
from structplan import formats
from structplan.cli import main
from structplan.commands.diff import compare
from structplan.model import (
    Account,
    AccountPlan,
    Agency,
    Contact,
    Cost,
    Coverage,
    Hire,
    MentoringPair,
    Person,
    PersonPlan,
    Plan,
    PlanWarning,
    Project,
    Settings,
    SolverInfo,
    StructureResult,
)

ESC = "\x1b["


def _people(plan: Plan) -> Plan:
    """Recompute people's hours and accounts, cost, headcount from the accounts (as a solver would)."""
    roles = {p.id: p.role for p in plan.people}
    hours = dict.fromkeys(roles, 0)
    accounts: dict[str, set[str]] = {p: set() for p in roles}
    for ap in plan.accounts:
        hours[ap.lead] += ap.lead_hours
        accounts[ap.lead].add(ap.id)
        for c in ap.coverage:
            hours[c.person] += c.hours
            accounts[c.person].add(ap.id)
    people = tuple(
        PersonPlan(p, roles[p], hours[p], 1600, round(hours[p] / 1600, 3), tuple(sorted(accounts[p])))
        for p in sorted(roles)
    )
    headcount: dict[str, int] = {}
    for p in people:
        if p.hours:
            headcount[p.role] = headcount.get(p.role, 0) + 1
    staff = 80_000 * sum(1 for p in people if p.hours)
    hires = sum(h.cost for h in plan.hires)
    coordination = 40 * 80 * sum(1 for a in plan.accounts if a.mode == "split")
    return attrs.evolve(
        plan,
        people=people,
        headcount=tuple(sorted(headcount.items())),
        cost=Cost(staff, hires, coordination, staff + hires + coordination),
    )


@pytest.fixture
def base() -> Plan:
    """Three accounts, five people, one mentoring pair, one warning."""
    plan = Plan(
        agency="Test Agency",
        structure="hybrid",
        layout="hybrid",
        accounts=(
            AccountPlan(
                "acme",
                "split",
                "ana-ruiz",
                240,
                (Coverage("web", "cy-ng", 300), Coverage("app", "di-wu", 160)),
                Contact("ana-ruiz", "cy-ng"),
            ),
            AccountPlan("beta", "end_to_end", "bo-li", 200, (Coverage("b1", "bo-li", 100),), Contact("bo-li", "bo-li")),
            AccountPlan(
                "gamma", "split", "ana-ruiz", 240, (Coverage("g1", "cy-ng", 80),), Contact("ana-ruiz", "cy-ng")
            ),
        ),
        people=tuple(
            PersonPlan(p, r)
            for p, r in [
                ("ana-ruiz", "account_manager"),
                ("bo-li", "account_manager"),
                ("cy-ng", "project_manager"),
                ("di-wu", "project_manager"),
                ("eve-ho", "pmo_manager"),
                ("fay-oz", "project_manager"),
            ]
        ),
        mentoring=(MentoringPair("eve-ho", "bo-li"),),
        warnings=(PlanWarning("overload", "cy-ng is at 81% of capacity", person="cy-ng"),),
        run=(("wall_s", 1.5),),
    )
    return _people(plan)


def account(plan: Plan, account_id: str, **changes: Any) -> Plan:
    """The plan with one account's staffing changed (people recomputed)."""
    accounts = tuple(attrs.evolve(a, **changes) if a.id == account_id else a for a in plan.accounts)
    return _people(attrs.evolve(plan, accounts=accounts))


def write(tmp_path: Path, name: str, obj: Plan | Agency) -> str:
    path = tmp_path / name
    formats.save(obj, path)
    return str(path)


# --------------------------------------------------------------------------- equal


def test_identical_plans_are_equal(base: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = plan_diff.diff(base, base)
    assert d.equal
    assert "no differences" in plan_diff.render_text(d)
    a, b = write(tmp_path, "a.plan.toml", base), write(tmp_path, "b.plan.toml", base)
    assert main(["diff", a, b]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "no differences"


def test_run_statistics_solver_figures_and_reason_are_ignored(base: Plan) -> None:
    other = attrs.evolve(
        base,
        run=(("wall_s", 99.0), ("first_plan_s", 3.0)),
        reason="because",
        solver=SolverInfo(status="feasible", objective=5, bound=2, gap=0.6),
        comparison=(StructureResult("hybrid", "feasible", 5),),
    )
    assert plan_diff.diff(base, other).equal


# --------------------------------------------------------------------------- accounts


def test_mode_change(base: Plan) -> None:
    new = account(base, "acme", mode="end_to_end")
    d = plan_diff.diff(base, new)
    (ch,) = d.accounts_changed
    assert ch.id == "acme" and ch.mode == plan_diff.Change("split", "end_to_end")
    text = plan_diff.render_text(d)
    assert "acme  split -> end to end, run by ana-ruiz" in text
    assert "1 account goes end to end" in text


def test_lead_change_names_both_leads_and_both_people(base: Plan) -> None:
    new = account(base, "acme", lead="bo-li", contact=Contact("bo-li", "cy-ng"))
    d = plan_diff.diff(base, new)
    (ch,) = d.accounts_changed
    assert ch.lead == plan_diff.Change("ana-ruiz", "bo-li")
    assert ch.contact == plan_diff.Change(Contact("ana-ruiz", "cy-ng"), Contact("bo-li", "cy-ng"))
    people = {p.id: p for p in d.people_changed}
    assert people["ana-ruiz"].leads_lost == ("acme",) and people["ana-ruiz"].lost == ("acme",)
    assert people["bo-li"].leads_gained == ("acme",) and people["bo-li"].gained == ("acme",)
    text = plan_diff.render_text(d)
    assert "acme  lead ana-ruiz -> bo-li" in text
    assert "+acme (lead)" in text and "-acme (lead)" in text


def test_lead_hours_alone(base: Plan) -> None:
    d = plan_diff.diff(base, account(base, "gamma", lead_hours=300))
    assert d.accounts_changed[0].lead_hours == plan_diff.Change(240, 300)
    assert "gamma  lead 240 -> 300 h" in plan_diff.render_text(d)


def test_coverage_moves_with_hours(base: Plan) -> None:
    new = account(base, "acme", coverage=(Coverage("web", "fay-oz", 300), Coverage("app", "di-wu", 160)))
    d = plan_diff.diff(base, new)
    (ch,) = d.accounts_changed
    assert ch.mode is None and ch.lead is None
    (pc,) = ch.projects
    assert pc == plan_diff.ProjectChange(
        "web", (plan_diff.Staffing("cy-ng", 300),), (plan_diff.Staffing("fay-oz", 300),)
    )
    text = plan_diff.render_text(d)
    assert "acme  +fay-oz 300 h, -cy-ng 300 h" in text
    assert "web cy-ng -> fay-oz (300 h)" in plan_diff.render_text(d, detail=True)
    people = {p.id: p for p in d.people_changed}
    assert people["cy-ng"].lost == ("acme",) and people["cy-ng"].hours == plan_diff.Change(380, 80)
    assert people["fay-oz"].gained == ("acme",)
    assert "fay-oz  +acme; 0 -> 300 h (0% -> 19%)" in text


def test_coverage_hours_only(base: Plan) -> None:
    new = account(base, "acme", coverage=(Coverage("web", "cy-ng", 200), Coverage("app", "di-wu", 160)))
    d = plan_diff.diff(base, new)
    assert "acme  cy-ng 300 -> 200 h" in plan_diff.render_text(d)
    assert "web cy-ng 300 -> 200 h" in plan_diff.render_text(d, detail=True)
    (person,) = d.people_changed
    assert not person.accounts_changed
    assert "Hours change, same accounts: 1" in plan_diff.render_text(d)


def test_projects_traded_between_the_same_people(base: Plan) -> None:
    new = account(base, "acme", coverage=(Coverage("web", "di-wu", 300), Coverage("app", "cy-ng", 160)))
    text = plan_diff.render_text(plan_diff.diff(base, new))
    assert "acme  cy-ng 300 -> 160 h, di-wu 160 -> 300 h" in text
    before = account(base, "acme", coverage=(Coverage("web", "cy-ng", 300), Coverage("app", "di-wu", 300)))
    after = account(base, "acme", coverage=(Coverage("web", "di-wu", 300), Coverage("app", "cy-ng", 300)))
    d = plan_diff.diff(before, after)
    assert not d.people_changed
    assert "acme  projects traded: app di-wu -> cy-ng (300 h); web cy-ng -> di-wu (300 h)" in plan_diff.render_text(d)


def test_accounts_added_and_removed(base: Plan) -> None:
    new = _people(
        attrs.evolve(
            base,
            accounts=(
                *[a for a in base.accounts if a.id != "gamma"],
                AccountPlan("delta", "split", "bo-li", 240, (Coverage("d1", "fay-oz", 80),)),
            ),
        )
    )
    d = plan_diff.diff(base, new)
    assert [a.id for a in d.accounts_added] == ["delta"]
    assert [a.id for a in d.accounts_removed] == ["gamma"]
    assert d.accounts_added[0].coverage == (Coverage("d1", "fay-oz", 80),)
    text = plan_diff.render_text(d)
    assert "+ delta  split, lead bo-li 240 h; d1 fay-oz 80 h" in text
    assert "- gamma  split, lead ana-ruiz 240 h; g1 cy-ng 80 h" in text
    people = {p.id: p for p in d.people_changed}
    assert people["bo-li"].gained == ("delta",) and people["ana-ruiz"].lost == ("gamma",)


def test_people_added_and_removed(base: Plan) -> None:
    new = attrs.evolve(
        base, people=(*[p for p in base.people if p.id != "fay-oz"], PersonPlan("gus-li", "project_manager", 0, 1600))
    )
    d = plan_diff.diff(base, _people(new))
    assert [p.id for p in d.people_added] == ["gus-li"]
    assert [p.id for p in d.people_removed] == ["fay-oz"]
    text = plan_diff.render_text(d)
    assert "+ gus-li  (project_manager) no accounts" in text
    assert "- fay-oz  (project_manager) no accounts" in text


def test_plans_from_different_structures(base: Plan) -> None:
    new = account(
        attrs.evolve(base, structure="separate", layout="separate", mentoring=()),
        "beta",
        mode="split",
        coverage=(Coverage("b1", "di-wu", 100),),
    )
    d = plan_diff.diff(base, new)
    assert dict(d.header)["structure"] == plan_diff.Change("hybrid", "separate")
    text = plan_diff.render_text(d)
    assert "structure hybrid -> separate (layout hybrid -> separate)" in text
    assert "beta  end to end -> split, led by bo-li" in text
    assert "1 account goes back to split" in text
    assert "eve-ho  mentors -bo-li" in text


# --------------------------------------------------------------------------- the rest


def test_mentoring_added_and_removed(base: Plan) -> None:
    new = attrs.evolve(base, mentoring=(MentoringPair("eve-ho", "ana-ruiz"),))
    d = plan_diff.diff(base, new)
    assert d.mentoring_added == (MentoringPair("eve-ho", "ana-ruiz"),)
    assert d.mentoring_removed == (MentoringPair("eve-ho", "bo-li"),)
    assert "eve-ho  mentors +ana-ruiz -bo-li" in plan_diff.render_text(d)


def test_trade_offs_and_penalties_are_compared_by_name(base: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    old = attrs.evolve(base, cost=attrs.evolve(base.cost, tradeoffs=(("department_head", 12_300),)))
    new = attrs.evolve(
        base,
        cost=attrs.evolve(
            base.cost,
            tradeoffs=(("generalist_execution", 14_760),),
            penalties=(("seniority", 1_830),),
            total=base.cost.total - 12_300 + 14_760,
        ),
    )
    d = plan_diff.diff(old, new)
    assert dict(d.tradeoffs) == {
        "department_head": plan_diff.Figure(12_300, 0),
        "generalist_execution": plan_diff.Figure(0, 14_760),
    }
    assert dict(d.penalties) == {"seniority": plan_diff.Figure(0, 1_830)} and not d.equal
    # penalties alone are no staffing decision: shown, but the plans are equal
    assert plan_diff.diff(attrs.evolve(new, cost=attrs.evolve(new.cost, penalties=())), new).equal
    text = plan_diff.render_text(d)
    assert re.search(r"department head\s+12,300\s+0\s+-12,300", text)
    assert re.search(r"generalist execution\s+0\s+14,760\s+\+14,760", text)
    assert text.index("generalist execution") < text.index("  total")
    assert re.search(r"Penalties \(objective, not in the total\).*\n\s+seniority\s+0\s+1,830\s+\+1,830", text)
    data = plan_diff.to_json(d)
    assert data["tradeoffs"]["generalist_execution"] == {"before": 0, "after": 14_760, "delta": 14_760}
    assert data["penalties"]["seniority"]["delta"] == 1_830
    # the same costs in both plans: no difference
    assert plan_diff.diff(new, new).equal


def test_hires_added_and_removed_and_cost(base: Plan) -> None:
    hire = Hire("senior-pm-1", "senior-pm", "Senior PM (hire 1)", "pm", 3, 85_000)
    with_hire = _people(
        attrs.evolve(base, hires=(hire,), people=(*base.people, PersonPlan("senior-pm-1", "project_manager")))
    )
    with_hire = account(with_hire, "gamma", coverage=(Coverage("g1", "senior-pm-1", 80),))
    with_hire = attrs.evolve(with_hire, cost=attrs.evolve(base.cost, hires=85_000, total=base.cost.total + 85_000))
    d = plan_diff.diff(base, with_hire)
    assert d.hires_added == (hire,) and not d.hires_removed
    cost = dict(d.cost)
    assert cost["hires"] == plan_diff.Figure(0, 85_000) and cost["hires"].delta == 85_000
    assert cost["total"].delta == 85_000
    text = plan_diff.render_text(d)
    assert "+ senior-pm-1  Senior PM (hire 1) (pm, level 3) 85,000 EUR" in text
    assert "+ Senior PM (hire 1)  (hire, project_manager) gamma; 80 h (5%)" in text
    assert "cost +85,000 EUR a year" in text
    back = plan_diff.diff(with_hire, base)
    assert back.hires_removed == (hire,) and dict(back.cost)["total"].delta == -85_000


def test_headcount_and_utilization(base: Plan) -> None:
    new = account(base, "gamma", coverage=(Coverage("g1", "fay-oz", 80),))
    d = plan_diff.diff(base, new)
    assert dict(d.headcount)["project_manager"] == plan_diff.Figure(2, 3)
    assert d.utilization.before == plan_diff.mean_utilization(base)
    assert d.utilization.after == plan_diff.mean_utilization(new)
    assert d.utilization.changed
    text = plan_diff.render_text(d)
    assert "project_manager       2      3     +1" in text
    assert "Mean utilization" in text and "pts" in text


def test_warnings_added_resolved_and_reworded(base: Plan) -> None:
    added = PlanWarning("unused", "fay-oz has no accounts in this plan", person="fay-oz")
    reworded = PlanWarning("overload", "cy-ng is at 85% of capacity", person="cy-ng")
    new = attrs.evolve(base, warnings=(added, reworded))
    d = plan_diff.diff(base, new)
    assert set(d.warnings_added) == {added, reworded}
    assert d.warnings_resolved == base.warnings
    text = plan_diff.render_text(d)
    assert "unused    +fay-oz" in text
    assert "(still there, other figures: cy-ng)" in text
    detail = plan_diff.render_text(d, detail=True)
    assert "+ unused: fay-oz has no accounts in this plan" in detail
    assert "- overload: cy-ng is at 81% of capacity" in detail
    gone = plan_diff.diff(base, attrs.evolve(base, warnings=()))
    assert gone.warnings_resolved == base.warnings and "overload  -cy-ng" in plan_diff.render_text(gone)


def test_output_is_ordered_by_id_whatever_the_input_order(base: Plan) -> None:
    new = account(account(base, "gamma", lead="bo-li"), "acme", lead="bo-li")
    shuffled = attrs.evolve(new, accounts=new.accounts[::-1], people=new.people[::-1])
    d = plan_diff.diff(base, shuffled)
    assert [a.id for a in d.accounts_changed] == ["acme", "gamma"]
    assert [p.id for p in d.people_changed] == sorted(p.id for p in d.people_changed)
    assert plan_diff.render_text(d) == plan_diff.render_text(plan_diff.diff(base, new))


def test_colour_only_when_asked(base: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = account(base, "acme", lead="bo-li")
    d = plan_diff.diff(base, new)
    coloured = plan_diff.render_text(d, color=True)
    assert f"{ESC}32m" in coloured and f"{ESC}31m" in coloured and f"{ESC}1m" in coloured
    assert ESC not in plan_diff.render_text(d)
    a, b = write(tmp_path, "a.plan.toml", base), write(tmp_path, "b.plan.toml", new)
    assert main(["diff", a, b]) == 1  # captured output is not a terminal: plain
    assert ESC not in capsys.readouterr().out
    assert main(["diff", "--color", "always", a, b]) == 1
    assert f"{ESC}32m" in capsys.readouterr().out
    assert main(["diff", "--color", "never", a, b]) == 1
    assert ESC not in capsys.readouterr().out


def test_the_document_is_the_text_as_sections_of_data(base: Plan) -> None:
    """The TUI reads the sections, not the printed text: both must say the same thing."""
    new = account(base, "acme", lead="bo-li")
    d = plan_diff.diff(base, new, "a.plan.toml", "b.plan.toml")
    doc = plan_diff.document(d)
    assert doc.text().plain + "\n" == plan_diff.render_text(d)
    summary = doc.section("summary")
    assert summary is not None and summary.title is not None and summary.title.plain == "Summary"
    assert any("1 account changes lead" in line.plain for line in summary.lines)
    keys = [s.key for s in doc.sections]
    assert keys.index("summary") < keys.index("decisions") < keys.index("figures") < keys.index("people")
    assert all(span.style == "bold" for span in summary.title.spans)
    equal = plan_diff.document(plan_diff.diff(base, base))
    assert equal.section("summary") is None and [s.key for s in equal.sections] == ["equal"]


# --------------------------------------------------------------------------- json


def test_json_schema(base: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = account(base, "acme", lead="bo-li", coverage=(Coverage("web", "fay-oz", 300),))
    a, b = write(tmp_path, "a.plan.toml", base), write(tmp_path, "b.plan.toml", new)
    assert main(["diff", "--format", "json", a, b]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(json.dumps(plan_diff.to_json(compare(a, b))))
    assert set(data) == {
        "schema",
        "old",
        "new",
        "baseline",
        "equal",
        "structure",
        "accounts",
        "people",
        "mentoring",
        "hires",
        "cost",
        "tradeoffs",
        "penalties",
        "currency",
        "headcount",
        "utilization",
        "modes",
        "end_to_end",
        "warnings",
    }
    assert data["schema"] == "structplan.diff/1" and data["baseline"] == "plan" and data["equal"] is False
    assert data["old"] == a and data["new"] == b
    assert set(data["accounts"]) == {"added", "removed", "changed"}
    (acme,) = data["accounts"]["changed"]
    assert set(acme) == {"id", "mode", "lead", "lead_hours", "projects", "contact", "raci"}
    assert acme["lead"] == {"before": "ana-ruiz", "after": "bo-li"} and acme["mode"] is None
    assert {"project": "app", "before": [{"person": "di-wu", "hours": 160}], "after": []} in acme["projects"]
    assert {
        "project": "web",
        "before": [{"person": "cy-ng", "hours": 300}],
        "after": [{"person": "fay-oz", "hours": 300}],
    } in acme["projects"]
    people = {p["id"]: p for p in data["people"]["changed"]}
    assert set(people["bo-li"]) == {
        "id",
        "role",
        "hours",
        "capacity",
        "utilization",
        "gained",
        "lost",
        "leads_gained",
        "leads_lost",
    }
    assert people["bo-li"]["leads_gained"] == ["acme"]
    assert people["di-wu"]["lost"] == ["acme"]
    assert set(data["cost"]) == {"staff", "hires", "coordination", "total"}
    assert data["tradeoffs"] == {} and data["penalties"] == {}
    assert set(data["cost"]["total"]) == {"before", "after", "delta"}
    assert set(data["utilization"]) == {"before", "after", "delta"}
    assert set(data["mentoring"]) == {"added", "removed"} and set(data["hires"]) == {"added", "removed"}
    assert set(data["warnings"]) == {"added", "resolved"}
    assert data["modes"] == {"end_to_end": 1, "split": 2}
    assert data["end_to_end"] == [{"account": "beta", "lead": "bo-li"}]


def test_json_of_entities_added_and_removed(base: Plan) -> None:
    hire = Hire("pm-1", "pm", "PM (hire 1)", "pm", 2, 60_000)
    new = _people(
        attrs.evolve(
            base,
            hires=(hire,),
            accounts=(*base.accounts, AccountPlan("delta", "split", "pm-1", 240)),
            people=(*[p for p in base.people if p.id != "fay-oz"], PersonPlan("pm-1", "project_manager")),
            warnings=(PlanWarning("unused", "x", person="di-wu"),),
        )
    )
    data = plan_diff.to_json(plan_diff.diff(base, new))
    assert data["accounts"]["added"] == [
        {"id": "delta", "mode": "split", "lead": "pm-1", "lead_hours": 240, "coverage": []}
    ]
    assert data["people"]["added"] == [
        {"id": "pm-1", "role": "project_manager", "hours": 240, "utilization": 0.15, "accounts": ["delta"]}
    ]
    assert data["people"]["removed"][0]["id"] == "fay-oz"
    assert data["hires"]["added"] == [attrs.asdict(hire)]
    assert data["warnings"]["added"] == [{"kind": "unused", "message": "x", "account": "", "person": "di-wu"}]
    assert data["warnings"]["resolved"][0]["kind"] == "overload"
    assert data["headcount"]["project_manager"] == {"before": 2, "after": 3, "delta": 1}


def test_json_of_equal_plans(base: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write(tmp_path, "a.plan.toml", base)
    assert main(["diff", "--format", "json", a, a]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["equal"] is True and data["accounts"] == {"added": [], "removed": [], "changed": []}
    assert data["cost"]["total"]["delta"] == 0


# --------------------------------------------------------------------------- today


@pytest.fixture
def agency() -> Agency:
    """The agency of `base`: acme led by ana-ruiz today, beta by nobody, gamma by bo-li."""

    def person(pid: str, role: str) -> Person:
        return Person(pid, pid.replace("-", " ").title(), role, 3, 80_000)

    return Agency(
        Settings("Test Agency"),
        people=(
            person("ana-ruiz", "am"),
            person("bo-li", "am"),
            person("cy-ng", "pm"),
            person("di-wu", "pm"),
            person("eve-ho", "pmo"),
            person("fay-oz", "pm"),
            person("hal-ek", "am"),
        ),
        accounts=(
            Account("acme", "Acme", 500_000, 1, "ana-ruiz", (Project("web", "Web", 3), Project("app", "App", 2))),
            Account("beta", "Beta", 100_000, 3, None, (Project("b1", "B1", 1),)),
            Account("gamma", "Gamma", 100_000, 3, "bo-li", (Project("g1", "G1", 1),)),
            Account("zeta", "Zeta", 100_000, 3, "hal-ek", (Project("z1", "Z1", 1),)),
        ),
    )


def test_today_versus_a_plan(base: Plan, agency: Agency, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hire = Hire("pm-1", "pm", "PM (hire 1)", "pm", 2, 60_000)
    plan = _people(attrs.evolve(base, hires=(hire,), people=(*base.people, PersonPlan("pm-1", "project_manager"))))
    d = plan_diff.diff_today(agency, plan)
    assert d.baseline == "today" and not d.equal
    leads = {a.id: a.lead for a in d.accounts_changed}
    assert leads == {"beta": plan_diff.Change(None, "bo-li"), "gamma": plan_diff.Change("bo-li", "ana-ruiz")}
    assert [a.id for a in d.accounts_removed] == ["zeta"]
    assert [p.id for p in d.people_removed] == ["hal-ek"]
    assert not d.people_added  # the hire is listed as a hire
    people = {p.id: p for p in d.people_changed}
    assert people["ana-ruiz"].leads_gained == ("gamma",)
    assert people["bo-li"].leads_gained == ("beta",) and people["bo-li"].leads_lost == ("gamma",)

    agency_file, plan_file = write(tmp_path, "agency.toml", agency), write(tmp_path, "q3.plan.toml", plan)
    assert main(["diff", agency_file, plan_file]) == 1
    text = capsys.readouterr().out
    assert text.startswith(f"structplan diff: today ({agency_file}) -> plan {plan_file} (hybrid)")
    # names from the agency file, not ids
    assert "Beta   no lead today -> plan Bo Li" in text
    assert "Gamma  lead today Bo Li -> plan Ana Ruiz" in text
    assert "- Zeta   in the agency, not in the plan (lead today Hal Ek)" in text
    assert "Hires needed: 1" in text and "+ pm-1  PM (hire 1) (pm, level 2) 60,000 EUR" in text
    assert "Bo Li     +Beta (lead) -Gamma (lead)" in text
    assert "Run end to end in the plan: 1 account" in text and "Beta (Bo Li)" in text
    assert f"it costs {plan.cost.total:,} EUR a year" in text
    assert main(["diff", "--format", "json", agency_file, plan_file]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["baseline"] == "today"
    assert data["cost"]["total"] == {"before": None, "after": plan.cost.total, "delta": None}
    assert {
        "id": "beta",
        "mode": None,
        "lead": {"before": None, "after": "bo-li"},
        "lead_hours": None,
        "projects": [],
        "contact": None,
        "raci": [],
    } in data["accounts"]["changed"]


def test_today_counts_lead_changes_apart_from_new_clients_and_shows_pm_moves(
    base: Plan, agency: Agency, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staffed = {c.project: c.person for a in base.accounts for c in a.coverage}
    kept, moved = sorted(staffed)[:2]
    today_pm = {kept: staffed[kept], moved: "fay-oz" if staffed[moved] != "fay-oz" else "cy-ng"}
    known = attrs.evolve(
        agency,
        accounts=tuple(
            attrs.evolve(a, projects=tuple(attrs.evolve(p, manager=today_pm.get(p.id)) for p in a.projects))
            for a in agency.accounts
        ),
    )
    d = plan_diff.diff_today(known, base)
    moves = [(a.id, pc.project, pc.before[0].person) for a in d.accounts_changed for pc in a.projects]
    account_of = {c.project: a.id for a in base.accounts for c in a.coverage}
    assert moves == [(account_of[moved], moved, today_pm[moved])]  # the kept PM is no move
    agency_file, plan_file = write(tmp_path, "agency.toml", known), write(tmp_path, "q3.plan.toml", base)
    assert main(["diff", agency_file, plan_file]) == 1
    text = capsys.readouterr().out
    relead = [a for a in d.accounts_changed if a.lead and a.lead.before]
    first = [a for a in d.accounts_changed if a.lead and a.lead.before is None]
    assert relead and first
    assert f"Leads: {len(relead)} account" in text and f"New clients: {len(first)} account" in text
    assert "PM moves: 1 project whose PM today does not manage it in the plan" in text
    names = {p.id: p.name for p in agency.people} | {p.id: p.name for a in agency.accounts for p in a.projects}
    assert f"{names[moved]}: today {names[today_pm[moved]]} -> plan {names[staffed[moved]]}" in text
    assert "1 project changes PM" in text


def test_today_with_every_lead_kept(
    base: Plan, agency: Agency, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    same = attrs.evolve(
        agency,
        accounts=tuple(
            attrs.evolve(a, lead={"beta": "bo-li", "gamma": "ana-ruiz"}.get(a.id, a.lead))
            for a in agency.accounts
            if a.id != "zeta"
        ),
        people=agency.people[:-1],
    )
    d = plan_diff.diff_today(same, base)
    assert d.equal
    agency_file, plan_file = write(tmp_path, "agency.toml", same), write(tmp_path, "p.plan.toml", base)
    assert main(["diff", agency_file, plan_file]) == 0
    assert "no differences: the plan keeps every lead of today" in capsys.readouterr().out


# --------------------------------------------------------------------------- errors


def _one_error_line(capsys: pytest.CaptureFixture[str], name: str, words: str) -> None:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{name}: ") and words in lines[0]


def test_missing_file(base: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write(tmp_path, "a.plan.toml", base)
    missing = str(tmp_path / "nope.plan.toml")
    assert main(["diff", a, missing]) == 2
    _one_error_line(capsys, missing, "no such file")
    assert main(["diff", missing, a]) == 2
    _one_error_line(capsys, missing, "no such file")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[plan\nagency = 'x'\n", "TOML syntax"),
        ("", "is empty"),
        (
            "[plan]\nagency = 'x'\nstructure = 'hybrid'\nlayout = 'hybrid'\n\n[[accounts]]\nid = 'a'\n"
            "mode = 'split'\nlead = 'ghost'\n",
            "'ghost' names no person in the plan",
        ),
        ("[plan]\nagency = 'x'\nstructure = 'sideways'\nlayout = 'hybrid'\n", "'sideways' is not allowed"),
    ],
    ids=["syntax", "empty", "dangling-lead", "bad-structure"],
)
def test_bad_plan_file(base: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: str) -> None:
    good = write(tmp_path, "good.plan.toml", base)
    bad = tmp_path / "bad.plan.toml"
    bad.write_text(text, encoding="utf-8")
    assert main(["diff", good, str(bad)]) == 2
    _one_error_line(capsys, str(bad), words)


def test_wrong_kinds_of_file(
    base: Plan, agency: Agency, tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = write(tmp_path, "p.plan.toml", base)
    agency_file = write(tmp_path, "agency.toml", agency)
    assert main(["diff", plan, agency_file]) == 2
    _one_error_line(capsys, agency_file, "is an agency file; diff needs a plan file as NEW")
    layout = str(repo_root / "layouts" / "hybrid.toml")
    assert main(["diff", layout, plan]) == 2
    _one_error_line(capsys, layout, "is a layout file")
    assert main(["diff", str(tmp_path), plan]) == 2
    _one_error_line(capsys, str(tmp_path), "is a directory")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["diff", "only-one.plan.toml"])
    assert exc.value.code == 2
    capsys.readouterr()
    assert main(["diff", "a", "b", "c"]) == 2
    assert "expected OLD and NEW" in capsys.readouterr().err


def test_contact_and_raci_edited_by_hand(base: Plan) -> None:
    from structplan.model import Raci

    new = account(base, "acme", contact=Contact("ana-ruiz", "di-wu"))
    d = plan_diff.diff(base, new)
    assert d.accounts_changed[0].contact == plan_diff.Change(Contact("ana-ruiz", "cy-ng"), Contact("ana-ruiz", "di-wu"))
    assert "acme  client calls: updates cy-ng -> di-wu" in plan_diff.render_text(d)
    new = account(base, "gamma", raci=(Raci("scope", "ana-ruiz"),))
    d = plan_diff.diff(base, new)
    assert d.accounts_changed[0].raci == ("scope",)
    assert "gamma  RACI changed: scope" in plan_diff.render_text(d)
