"""`structplan check` re-verifies every field docs/formats.md defines for a plan.

Solved plans of the boutique (all structures compared; and, pinned so that hybrid hires a PMO
mentor, hybrid alone) are made once per module; the mid-size plans are too slow to solve in
every run and are kept under tests/plans/, made with

    structplan solve sample_agencies/midsize.toml --time-limit 0 -o tests/plans/midsize.plan.toml
    structplan solve sample_agencies/midsize.toml --structure hybrid --effort 2 --time-limit 0 \\
        -o tests/plans/midsize-feasible.plan.toml

(`--time-limit 0` so that a busy machine writes the same files; the second stops on its effort
before a proof: a feasible plan with a gap). Each case below
breaks one documented field of one of these plans, and `check` must exit 1 with a line that
starts with the field's key path.
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w

from structplan.cli import main

ROOT = Path(__file__).resolve().parent.parent
BOUTIQUE = ROOT / "sample_agencies" / "boutique.toml"
MIDSIZE = ROOT / "sample_agencies" / "midsize.toml"
PLANS = ROOT / "tests" / "plans"
PIN = '\n[[policy.pins]]\naccount = "sparrow-pet-care"\nmode = "end_to_end"\n'

Data = dict[str, Any]


@attrs.frozen
class Solved:
    """A solved plan as parsed TOML, and the agency file it was solved for."""

    data: Data
    agency: Path


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Solved]:
    where = tmp_path_factory.mktemp("solved")
    pinned = where / "boutique-pinned.toml"
    pinned.write_text(BOUTIQUE.read_text(encoding="utf-8") + PIN, encoding="utf-8")
    out = {}
    for name, agency, extra in (("boutique", BOUTIQUE, []), ("pinned", pinned, ["--structure", "hybrid"])):
        plan = where / f"{name}.plan.toml"
        assert main(["solve", str(agency), "-o", str(plan), "--progress", "none", *extra]) == 0
        out[name] = Solved(tomllib.loads(plan.read_text(encoding="utf-8")), agency)
    for name in ("midsize", "midsize-feasible"):
        out[name] = Solved(tomllib.loads((PLANS / f"{name}.plan.toml").read_text(encoding="utf-8")), MIDSIZE)
    return out


def check(data: Data, agency: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Exit code and the lines `check` prints, with the file name taken off."""
    path = tmp_path / "edited.plan.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    code = main(["check", str(path), str(agency)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    prefix = f"{path}: "
    return code, [line.removeprefix(prefix) for line in out.splitlines() if line.startswith(prefix)]


# --------------------------------------------------------------------------- finding records


def _acc(d: Data, mode: str | None = None, *, covered_by_other: bool = False) -> int:
    for i, a in enumerate(d["accounts"]):
        if mode is not None and a["mode"] != mode:
            continue
        if covered_by_other and not any(c["person"] != a["lead"] for c in a.get("coverage", [])):
            continue
        return i
    raise AssertionError(f"no account with mode {mode}")


def _row(a: Data, field: str) -> int:
    return next(j for j, r in enumerate(a["raci"]) if r.get(field))


def _person(d: Data, busy: bool = True) -> int:
    return next(k for k, p in enumerate(d["people"]) if (p["hours"] > 0) == busy)


def _staff_of(d: Data, role: str) -> str:
    return next(p["id"] for p in d["people"] if p["role"] == role)


def _own_row(d: Data) -> int:
    return next(k for k, r in enumerate(d["comparison"]) if r["structure"] == d["plan"]["structure"])


def _other_row(d: Data) -> int:
    return next(k for k, r in enumerate(d["comparison"]) if r["structure"] != d["plan"]["structure"])


def _sub(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is not in {text!r}"
    return text.replace(old, new, 1)


# --------------------------------------------------------------------------- the cases

Mutation = Callable[[Data], str]
CASES: list[tuple[str, str, str, Mutation]] = []
"""(case id, plan, documented field, mutation returning the key path check must name)."""


def case(plan: str, field: str) -> Callable[[Mutation], Mutation]:
    def add(fn: Mutation) -> Mutation:
        CASES.append((fn.__name__, plan, field, fn))
        return fn

    return add


# [plan]
@case("boutique", "plan.agency")
def agency_renamed(d: Data) -> str:
    d["plan"]["agency"] = "Another Studio"
    return "plan.agency"


@case("boutique", "plan.structure")
def structure_changed(d: Data) -> str:
    d["plan"]["structure"] = "separate"
    return "plan.structure"


@case("boutique", "plan.structure")
def structure_misspelt(d: Data) -> str:
    d["plan"]["structure"] = "mergd"
    return "plan.structure"


@case("boutique", "plan.layout")
def layout_of_another_structure(d: Data) -> str:
    d["plan"]["layout"] = "hybrid"
    return "plan.layout"


@case("boutique", "plan.currency")
def currency_changed(d: Data) -> str:
    d["plan"]["currency"] = "USD"
    return "plan.currency"


@case("boutique", "plan.reason")
def reason_objective(d: Data) -> str:
    d["plan"]["reason"] = _sub(d["plan"]["reason"], "16,590 EUR a year", "15,590 EUR a year")
    return "plan.reason"


@case("boutique", "plan.reason")
def reason_payroll(d: Data) -> str:
    d["plan"]["reason"] = _sub(d["plan"]["reason"], "791,000 EUR payroll", "790,000 EUR payroll")
    return "plan.reason"


@case("boutique", "plan.reason")
def reason_term(d: Data) -> str:
    d["plan"]["reason"] = _sub(d["plan"]["reason"], "(14,760 EUR of generalists", "(4,760 EUR of generalists")
    return "plan.reason"


@case("boutique", "plan.reason")
def reason_alternative_costs_more(d: Data) -> str:
    d["plan"]["reason"] = _sub(d["plan"]["reason"], "8,830 EUR more", "7,830 EUR more")
    return "plan.reason"


@case("boutique", "plan.reason")
def reason_alternative_pays(d: Data) -> str:
    d["plan"]["reason"] = _sub(d["plan"]["reason"], "13,120 EUR of AM-PM hand-offs", "23,120 EUR of AM-PM hand-offs")
    return "plan.reason"


@case("boutique", "plan.reason")
def reason_hires(d: Data) -> str:
    d["plan"]["reason"] = _sub(d["plan"]["reason"], "0 hires", "2 hires")
    return "plan.reason"


@case("boutique", "plan.reason")
def reason_warnings(d: Data) -> str:
    said = re.search(r"(\d+) warnings", d["plan"]["reason"])  # the count the plan itself gives
    assert said is not None, d["plan"]["reason"]
    n = int(said[1])
    d["plan"]["reason"] = _sub(d["plan"]["reason"], f"{n} warnings", f"{n + 2} warnings")
    return "plan.reason"


@case("boutique", "plan.reason")
def reason_not_cheapest(d: Data) -> str:
    reason = _sub(d["plan"]["reason"], "is the cheapest structure compared", "has the lowest cost with its penalties")
    d["plan"]["reason"] = reason
    return "plan.reason"


@case("boutique", "plan.reason")
def reason_free_text(d: Data) -> str:
    d["plan"]["reason"] = "Merged saves 99,999 EUR a year."
    return "plan.reason"


@case("midsize", "plan.reason")
def reason_saves_more_than_paid(d: Data) -> str:
    coordination = d["cost"]["coordination"]  # merged saves all of it; claim it saves twice as much
    said = f"it would save {coordination:,} EUR of AM-PM hand-offs"
    d["plan"]["reason"] = _sub(d["plan"]["reason"], said, f"it would save {2 * coordination:,} EUR of AM-PM hand-offs")
    return "plan.reason"


@case("midsize", "plan.reason")
def reason_alternative_dropped(d: Data) -> str:
    reason = d["plan"]["reason"]
    d["plan"]["reason"] = re.sub(r"; merged would cost [^;]*", "", reason)
    return "plan.reason"


@case("midsize-feasible", "plan.reason")
def reason_gap(d: Data) -> str:
    gap = d["solver"]["gap"]
    d["plan"]["reason"] = _sub(d["plan"]["reason"], f"(gap {gap:.1%})", f"(gap {gap - 0.01:.1%})")
    return "plan.reason"


@case("midsize-feasible", "plan.reason")
def reason_gap_unsaid(d: Data) -> str:
    said = f"; this figure is not proven optimal (gap {d['solver']['gap']:.1%})"
    d["plan"]["reason"] = _sub(d["plan"]["reason"], said, "")
    return "plan.reason"


# [solver]
@case("boutique", "solver.status")
def optimal_said_feasible(d: Data) -> str:
    d["solver"]["status"] = "feasible"
    return "solver.status"


@case("midsize-feasible", "solver.status")
def feasible_said_optimal(d: Data) -> str:
    d["solver"]["status"] = "optimal"
    return "solver.status"


@case("boutique", "solver.status")
def status_unknown_word(d: Data) -> str:
    d["solver"]["status"] = "solved"
    return "solver.status"


@case("boutique", "solver.objective")
def objective_off(d: Data) -> str:
    d["solver"]["objective"] += 1
    d["solver"]["bound"] += 1
    return "solver.objective"


@case("boutique", "solver.bound")
def bound_above_objective(d: Data) -> str:
    d["solver"]["bound"] = d["solver"]["objective"] + 100
    return "solver.bound"


@case("midsize-feasible", "solver.gap")
def gap_off(d: Data) -> str:
    d["solver"]["gap"] = 0.05
    return "solver.gap"


@case("midsize-feasible", "solver.bound")
def bound_moved(d: Data) -> str:
    d["solver"]["bound"] = 130000
    return "solver.gap"


@case("boutique", "solver.gap")
def gap_of_optimal(d: Data) -> str:
    d["solver"]["gap"] = 0.1
    return "solver.gap"


@case("boutique", "solver.seed")
def seed_too_large(d: Data) -> str:
    d["solver"]["seed"] = 2**40
    return "solver.seed"


@case("boutique", "solver.workers")
def no_workers(d: Data) -> str:
    d["solver"]["workers"] = 0
    return "solver.workers"


@case("boutique", "solver.time_limit")
def negative_time_limit(d: Data) -> str:
    d["solver"]["time_limit"] = -5.0
    return "solver.time_limit"


@case("midsize-feasible", "solver.effort")
def no_effort_but_stopped_on_it(d: Data) -> str:
    d["solver"]["effort"] = 0.0
    return "solver.effort"


@case("boutique", "solver.stopped")
def optimal_stopped_on_effort(d: Data) -> str:
    d["solver"]["stopped"] = "effort"
    return "solver.stopped"


@case("boutique", "solver.stopped")
def stopped_unknown_word(d: Data) -> str:
    d["solver"]["stopped"] = "bored"
    return "solver.stopped"


# [cost]
@case("boutique", "cost.staff")
def staff_off(d: Data) -> str:
    d["cost"]["staff"] += 1000
    d["cost"]["total"] += 1000
    return "cost.staff"


@case("boutique", "cost.hires")
def hires_cost_without_hires(d: Data) -> str:
    d["cost"]["hires"] = 5000
    return "cost.hires"


@case("midsize", "cost.coordination")
def coordination_off(d: Data) -> str:
    d["cost"]["coordination"] += 430
    return "cost.coordination"


@case("boutique", "cost.total")
def total_off(d: Data) -> str:
    d["cost"]["total"] += 1
    return "cost.total"


@case("boutique", "cost.penalties")
def penalty_off(d: Data) -> str:
    d["cost"]["penalties"]["seniority"] += 10
    d["solver"]["objective"] += 10
    d["solver"]["bound"] += 10
    return "cost.penalties.seniority"


@case("boutique", "cost.penalties")
def penalty_added(d: Data) -> str:
    d["cost"]["penalties"]["friction"] = 4000
    return "cost.penalties.friction"


@case("midsize", "cost.penalties")
def penalty_dropped(d: Data) -> str:
    del d["cost"]["penalties"]["continuity"]
    return "cost.penalties.continuity"


@case("boutique", "cost.tradeoffs")
def tradeoff_off(d: Data) -> str:
    d["cost"]["tradeoffs"]["generalist_execution"] -= 60
    d["cost"]["total"] -= 60
    return "cost.tradeoffs.generalist_execution"


@case("midsize", "cost.tradeoffs")
def tradeoff_dropped(d: Data) -> str:
    del d["cost"]["tradeoffs"]["clarity"]
    return "cost.tradeoffs.clarity"


@case("midsize", "cost.tradeoffs")
def tradeoff_unknown(d: Data) -> str:
    d["cost"]["tradeoffs"]["coffee"] = 100
    return "cost.tradeoffs.coffee"


# [[surplus]]
@case("boutique", "surplus")
def surplus_row_dropped(d: Data) -> str:
    del d["surplus"][0]
    return "surplus"


@case("boutique", "surplus.person")
def surplus_of_a_busy_person(d: Data) -> str:
    busy = max(d["people"], key=lambda p: p["utilization"])
    d["surplus"][0]["person"] = busy["id"]
    return "surplus[0].person"


@case("boutique", "surplus.role")
def surplus_role(d: Data) -> str:
    d["surplus"][0]["role"] = "am" if d["surplus"][0]["role"] != "am" else "pm"
    return "surplus[0].role"


@case("boutique", "surplus.utilization")
def surplus_utilization(d: Data) -> str:
    d["surplus"][0]["utilization"] += 0.1
    return "surplus[0].utilization"


@case("boutique", "surplus.cost")
def surplus_cost(d: Data) -> str:
    d["surplus"][0]["cost"] += 1000
    return "surplus[0].cost"


# [[staffing]]
@case("boutique", "staffing")
def staffing_row_dropped(d: Data) -> str:
    del d["staffing"][-1]
    return "staffing"


@case("boutique", "staffing.role")
def staffing_role(d: Data) -> str:
    d["staffing"][0]["role"] = "designer"
    return "staffing[0].role"


@case("midsize", "staffing.on_staff")
def staffing_on_staff(d: Data) -> str:
    d["staffing"][0]["on_staff"] += 1
    return "staffing[0].on_staff"


@case("pinned", "staffing.hired")
def staffing_hired(d: Data) -> str:
    k = next(k for k, r in enumerate(d["staffing"]) if r["hired"])
    d["staffing"][k]["hired"] = 0
    return f"staffing[{k}].hired"


@case("boutique", "staffing.with_work")
def staffing_with_work(d: Data) -> str:
    d["staffing"][0]["with_work"] -= 1
    return "staffing[0].with_work"


@case("midsize", "staffing.needed")
def staffing_needed(d: Data) -> str:
    d["staffing"][1]["needed"] += 0.5
    return "staffing[1].needed"


# [headcount]
@case("boutique", "headcount")
def headcount_off(d: Data) -> str:
    d["headcount"]["client_service"] += 1
    return "headcount.client_service"


@case("midsize", "headcount")
def headcount_dropped(d: Data) -> str:
    del d["headcount"]["pmo_manager"]
    return "headcount.pmo_manager"


@case("boutique", "headcount")
def headcount_foreign_role(d: Data) -> str:
    d["headcount"]["project_manager"] = 2
    return "headcount.project_manager"


# [[comparison]]
@case("boutique", "comparison.structure")
def comparison_structure(d: Data) -> str:
    d["comparison"][0]["structure"] = "matrix"
    return "comparison[0].structure"


@case("boutique", "comparison")
def comparison_own_row_dropped(d: Data) -> str:
    del d["comparison"][_own_row(d)]
    return "comparison"


@case("boutique", "comparison.status")
def comparison_own_status(d: Data) -> str:
    k = _own_row(d)
    d["comparison"][k]["status"] = "feasible"
    return f"comparison[{k}].status"


@case("boutique", "comparison.status")
def comparison_no_plan_with_figures(d: Data) -> str:
    k = _other_row(d)
    d["comparison"][k]["status"] = "infeasible"
    return f"comparison[{k}]"


@case("boutique", "comparison.objective")
def comparison_own_objective(d: Data) -> str:
    k = _own_row(d)
    d["comparison"][k]["objective"] += 100
    return f"comparison[{k}].objective"


@case("boutique", "comparison.objective")
def comparison_other_would_win(d: Data) -> str:
    k = _other_row(d)
    d["comparison"][k]["objective"] = 1000
    return f"comparison[{k}].objective"


@case("boutique", "comparison.cost")
def comparison_own_cost(d: Data) -> str:
    k = _own_row(d)
    d["comparison"][k]["cost"] -= 100
    return f"comparison[{k}].cost"


@case("boutique", "comparison.cost")
def comparison_other_cost_below_payroll(d: Data) -> str:
    k = _other_row(d)
    d["comparison"][k]["cost"] = 700000
    return f"comparison[{k}].cost"


@case("boutique", "comparison.hires")
def comparison_own_hires(d: Data) -> str:
    k = _own_row(d)
    d["comparison"][k]["hires"] = 1
    return f"comparison[{k}].hires"


@case("boutique", "comparison.utilization")
def comparison_own_utilization(d: Data) -> str:
    k = _own_row(d)
    d["comparison"][k]["utilization"] += 0.05
    return f"comparison[{k}].utilization"


@case("boutique", "comparison.warnings")
def comparison_own_warnings(d: Data) -> str:
    k = _own_row(d)
    d["comparison"][k]["warnings"] += 1
    return f"comparison[{k}].warnings"


@case("boutique", "comparison.gap")
def comparison_own_gap(d: Data) -> str:
    k = _own_row(d)
    d["comparison"][k]["gap"] = 0.2
    return f"comparison[{k}].gap"


@case("boutique", "comparison.gap")
def comparison_optimal_with_gap(d: Data) -> str:
    k = _other_row(d)
    d["comparison"][k]["gap"] = 0.05
    return f"comparison[{k}].gap"


# [[accounts]]
@case("boutique", "accounts.id")
def account_dropped(d: Data) -> str:
    del d["accounts"][0]
    return "accounts"


@case("boutique", "accounts.id")
def account_renamed(d: Data) -> str:
    d["accounts"][2]["id"] = "ghost-co"
    return "accounts[2].id"


@case("midsize", "accounts.mode")
def split_said_end_to_end(d: Data) -> str:
    i = _acc(d, "split")
    d["accounts"][i]["mode"] = "end_to_end"
    return f"accounts[{i}].mode"


@case("boutique", "accounts.mode")
def mode_misspelt(d: Data) -> str:
    d["accounts"][1]["mode"] = "end-to-end"
    return "accounts[1].mode"


@case("boutique", "accounts.lead")
def lead_unknown(d: Data) -> str:
    d["accounts"][3]["lead"] = "nobody-at-all"
    return "accounts[3].lead"


@case("midsize", "accounts.lead")
def lead_not_allowed(d: Data) -> str:
    i = _acc(d, "split")
    d["accounts"][i]["lead"] = _staff_of(d, "junior_support")
    return f"accounts[{i}].lead"


@case("boutique", "accounts.lead_hours")
def lead_hours_off(d: Data) -> str:
    d["accounts"][0]["lead_hours"] += 10
    return "accounts[0].lead_hours"


@case("boutique", "accounts.coverage")
def coverage_row_dropped(d: Data) -> str:
    del d["accounts"][0]["coverage"][0]
    return "accounts[0].coverage"


@case("boutique", "accounts.coverage.project")
def coverage_foreign_project(d: Data) -> str:
    d["accounts"][0]["coverage"][0]["project"] = "ghost-project"
    return "accounts[0].coverage[0].project"


@case("boutique", "accounts.coverage.person")
def coverage_person_unknown(d: Data) -> str:
    d["accounts"][0]["coverage"][1]["person"] = "nobody-at-all"
    return "accounts[0].coverage[1].person"


@case("midsize", "accounts.coverage.person")
def coverage_person_not_allowed(d: Data) -> str:
    i = _acc(d, "split")
    d["accounts"][i]["coverage"][0]["person"] = d["accounts"][i]["lead"]
    return f"accounts[{i}].coverage[0].person"


@case("boutique", "accounts.coverage.hours")
def coverage_hours_off(d: Data) -> str:
    d["accounts"][0]["coverage"][0]["hours"] += 20
    return "accounts[0].coverage[0].hours"


@case("pinned", "accounts.contact.strategy")
def contact_strategy(d: Data) -> str:
    i = _acc(d, "split", covered_by_other=True)
    a = d["accounts"][i]
    a["contact"]["strategy"] = next(c["person"] for c in a["coverage"] if c["person"] != a["lead"])
    return f"accounts[{i}].contact.strategy"


@case("pinned", "accounts.contact.updates")
def contact_updates(d: Data) -> str:
    i = _acc(d, "split", covered_by_other=True)
    d["accounts"][i]["contact"]["updates"] = d["accounts"][i]["lead"]
    return f"accounts[{i}].contact.updates"


@case("boutique", "accounts.contact")
def contact_dropped(d: Data) -> str:
    del d["accounts"][4]["contact"]
    return "accounts[4].contact"


@case("boutique", "accounts.raci")
def raci_row_dropped(d: Data) -> str:
    del d["accounts"][0]["raci"][3]
    return "accounts[0].raci"


@case("boutique", "accounts.raci.duty")
def raci_duty_unknown(d: Data) -> str:
    d["accounts"][0]["raci"][3]["duty"] = "gossip"
    return "accounts[0].raci[3].duty"


@case("boutique", "accounts.raci.duty")
def raci_duty_twice(d: Data) -> str:
    d["accounts"][0]["raci"][3]["duty"] = d["accounts"][0]["raci"][2]["duty"]
    return "accounts[0].raci[3].duty"


@case("pinned", "accounts.raci.accountable")
def raci_wrong_accountable(d: Data) -> str:
    i = _acc(d, "split", covered_by_other=True)
    a = d["accounts"][i]
    j = next(j for j, r in enumerate(a["raci"]) if r["accountable"] == a["lead"])
    a["raci"][j]["accountable"] = next(c["person"] for c in a["coverage"] if c["person"] != a["lead"])
    return f"accounts[{i}].raci[{j}].accountable"


@case("midsize", "accounts.raci.accountable")
def raci_not_the_most_senior(d: Data) -> str:
    """The PM half goes to the most senior project manager: hand it to another one on the account."""
    i, j, other = next(
        (i, j, c["person"])
        for i, a in enumerate(d["accounts"])
        if a["mode"] == "split"
        for j, r in enumerate(a["raci"])
        if r["duty"] == "scope_pm"
        for c in a["coverage"]
        if c["person"] not in (r["accountable"], a["lead"])
        and next(p["role"] for p in d["people"] if p["id"] == c["person"]) == "project_manager"
    )
    d["accounts"][i]["raci"][j]["accountable"] = other
    return f"accounts[{i}].raci[{j}].accountable"


@case("boutique", "accounts.raci.accountable")
def raci_empty_accountable(d: Data) -> str:
    d["accounts"][0]["raci"][0]["accountable"] = ""
    return "accounts[0].raci[0].accountable"


@case("pinned", "accounts.raci.accountable")
def raci_list_of_accountables(d: Data) -> str:
    i = _acc(d, "split", covered_by_other=True)
    a = d["accounts"][i]
    a["raci"][0]["accountable"] = [a["lead"], a["contact"]["updates"]]
    return f"accounts[{i}].raci[0].accountable"


@case("boutique", "accounts.raci.responsible")
def raci_responsible_dropped(d: Data) -> str:
    d["accounts"][0]["raci"][1]["responsible"] = d["accounts"][0]["raci"][1]["responsible"][1:]
    return "accounts[0].raci[1].responsible"


@case("pinned", "accounts.raci.consulted")
def raci_consulted_added(d: Data) -> str:
    i = _acc(d, "split", covered_by_other=True)
    a = d["accounts"][i]
    j = _row(a, "consulted")
    a["raci"][j]["consulted"] = sorted({*a["raci"][j]["consulted"], "marta-oliveira", "nils-berg"})
    return f"accounts[{i}].raci[{j}].consulted"


@case("pinned", "accounts.raci.informed")
def raci_informed_dropped(d: Data) -> str:
    i = _acc(d, "split", covered_by_other=True)
    a = d["accounts"][i]
    j = _row(a, "informed")
    del a["raci"][j]["informed"]
    return f"accounts[{i}].raci[{j}].informed"


# [[people]]
@case("boutique", "people.id")
def person_dropped(d: Data) -> str:
    del d["people"][_person(d, busy=False)]
    return "people"


@case("boutique", "people.id")
def person_unknown(d: Data) -> str:
    k = _person(d, busy=False)
    d["people"][k]["id"] = "ghost-person"
    return f"people[{k}].id"


@case("boutique", "people.role")
def person_role(d: Data) -> str:
    k = _person(d)
    d["people"][k]["role"] = "account_manager"
    return f"people[{k}].role"


@case("boutique", "people.hours")
def person_hours(d: Data) -> str:
    k = _person(d)
    d["people"][k]["hours"] += 10
    return f"people[{k}].hours"


@case("boutique", "accounts.name")
def account_name(d: Data) -> str:
    d["accounts"][0]["name"] = "Someone Else Ltd"
    return "accounts[0].name"


@case("midsize", "accounts.coverage.project_name")
def project_name(d: Data) -> str:
    d["accounts"][1]["coverage"][0]["project_name"] = "Not this project"
    return "accounts[1].coverage[0].project_name"


@case("boutique", "people.name")
def person_name(d: Data) -> str:
    k = _person(d)
    d["people"][k]["name"] += " Jr"
    return f"people[{k}].name"


@case("boutique", "people.capacity")
def person_capacity(d: Data) -> str:
    k = _person(d)
    d["people"][k]["capacity"] += 100
    return f"people[{k}].capacity"


@case("midsize", "people.utilization")
def person_utilization(d: Data) -> str:
    k = _person(d)
    d["people"][k]["utilization"] += 0.1
    return f"people[{k}].utilization"


@case("boutique", "people.utilization")
def person_utilization_of_another(d: Data) -> str:
    k = _person(d)
    d["people"][k]["utilization"] = 0.0
    return f"people[{k}].utilization"


@case("boutique", "people.accounts")
def person_accounts_dropped(d: Data) -> str:
    k = _person(d)
    d["people"][k]["accounts"] = d["people"][k]["accounts"][1:]
    return f"people[{k}].accounts"


@case("midsize", "people.accounts")
def person_accounts_added(d: Data) -> str:
    k = _person(d)
    extra = next(a["id"] for a in d["accounts"] if a["id"] not in d["people"][k]["accounts"])
    d["people"][k]["accounts"] = sorted([*d["people"][k]["accounts"], extra])
    return f"people[{k}].accounts"


# [[mentoring]]
@case("pinned", "mentoring.mentee")
def mentoring_dropped(d: Data) -> str:
    del d["mentoring"][0]
    return "mentoring"


@case("pinned", "mentoring.mentor")
def mentor_not_a_mentor(d: Data) -> str:
    d["mentoring"][0]["mentor"] = "marta-oliveira"
    return "mentoring[0].mentor"


@case("pinned", "mentoring.mentee")
def mentee_runs_nothing_end_to_end(d: Data) -> str:
    d["mentoring"][0]["mentee"] = "nils-berg"
    return "mentoring[0].mentee"


# [[hires]]
@case("pinned", "hires.id")
def hire_number_beyond_max(d: Data) -> str:
    old = d["hires"][0]["id"]
    new = old.rsplit("-", 1)[0] + "-7"
    text = tomli_w.dumps(d).replace(f'"{old}"', f'"{new}"')
    d.clear()
    d.update(tomllib.loads(text))
    return "hires[0].id"


@case("pinned", "hires.id")
def hire_twice(d: Data) -> str:
    d["hires"].append(copy.deepcopy(d["hires"][0]))
    return "hires[1].id"


@case("pinned", "hires.option")
def hire_option_unknown(d: Data) -> str:
    d["hires"][0]["option"] = "hire-astronaut"
    return "hires[0].option"


@case("pinned", "hires.name")
def hire_name(d: Data) -> str:
    d["hires"][0]["name"] = "Delivery Manager (hire 1)"
    return "hires[0].name"


@case("pinned", "hires.role")
def hire_role(d: Data) -> str:
    d["hires"][0]["role"] = "am"
    return "hires[0].role"


@case("pinned", "hires.level")
def hire_level(d: Data) -> str:
    d["hires"][0]["level"] = 2
    return "hires[0].level"


@case("pinned", "hires.cost")
def hire_cost(d: Data) -> str:
    d["hires"][0]["cost"] = 50000
    return "hires[0].cost"


# [[warnings]]
@case("boutique", "warnings")
def warning_dropped(d: Data) -> str:
    del d["warnings"][0]
    return "warnings"


@case("boutique", "warnings.kind")
def warning_kind(d: Data) -> str:
    d["warnings"][0]["kind"] = "gossip"
    return "warnings[0].kind"


@case("boutique", "warnings.message")
def warning_message(d: Data) -> str:
    d["warnings"][0]["message"] = "all is well"
    return "warnings[0].message"


@case("boutique", "warnings.account")
def warning_account(d: Data) -> str:
    k = next(k for k, w in enumerate(d["warnings"]) if w["account"])
    d["warnings"][k]["account"] = next(a["id"] for a in d["accounts"] if a["id"] != d["warnings"][k]["account"])
    return f"warnings[{k}]"


@case("boutique", "warnings.person")
def warning_person(d: Data) -> str:
    k = next(k for k, w in enumerate(d["warnings"]) if w["person"])
    d["warnings"][k]["person"] = _staff_of(d, "client_service")
    return f"warnings[{k}]"


@case("pinned", "warnings")
def warning_invented(d: Data) -> str:
    d.setdefault("warnings", []).append(
        {
            "kind": "overload",
            "message": "marta-oliveira is at 99% of capacity",
            "account": "",
            "person": "marta-oliveira",
        }
    )
    return f"warnings[{len(d['warnings']) - 1}]"


# [run]
@case("boutique", "run.wall_s")
def wall_negative(d: Data) -> str:
    d["run"]["wall_s"] = -1.0
    return "run.wall_s"


@case("boutique", "run.first_plan_s")
def first_plan_negative(d: Data) -> str:
    d["run"]["first_plan_s"] = -0.5
    return "run.first_plan_s"


@case("midsize", "run.deterministic_s")
def deterministic_negative(d: Data) -> str:
    d["run"]["deterministic_s"] = -0.5
    return "run.deterministic_s"


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("name", ["boutique", "pinned", "midsize", "midsize-feasible"])
def test_solved_plans_pass(name: str, solved: dict[str, Solved], tmp_path: Path, capsys) -> None:
    code, lines = check(solved[name].data, solved[name].agency, tmp_path, capsys)
    assert (code, lines) == (0, [])


@pytest.mark.parametrize(("plan", "mutate"), [pytest.param(p, fn, id=f"{p}-{n}") for n, p, _, fn in CASES])
def test_one_broken_field_fails_check(plan: str, mutate: Mutation, solved: dict[str, Solved], tmp_path: Path, capsys):
    data = copy.deepcopy(solved[plan].data)
    path = mutate(data)
    code, lines = check(data, solved[plan].agency, tmp_path, capsys)
    assert code == 1, lines
    assert lines, "no line says what is wrong"
    assert any(line.startswith(f"{path}:") or line.startswith(f"{path}.") for line in lines), lines


def test_enough_cases() -> None:
    assert len(CASES) >= 72


def _documented_plan_fields() -> set[str]:
    """Every key of the plan tables in docs/formats.md, as table.key (lists of records by their name)."""
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = text[text.index("### Plan tables") : text.index("## Errors")]
    out: set[str] = set()
    for block in re.split(r"\n(?=\*\*`\[)", section)[1:]:
        table = re.match(r"\*\*`\[+([\w.]+)\]+`\*\*", block)
        assert table is not None
        name = table.group(1)
        rows = re.findall(r"^\| `([\w.\[\]]+)` \| ([^|]*) \|", block, re.M)
        if not rows:
            keys = re.findall(r"`(\w+)`", block.split("\n\n")[0].split(":", 1)[-1])
            out |= {f"{name}.{k}" for k in keys if k not in ("mentor", "mentee") or name == "mentoring"}
            if name == "headcount":
                out.add("headcount")
            continue
        for key, kind in rows:
            key = key.strip("[]")
            field = key if key.startswith(f"{name}.") else f"{name}.{key}"
            inner = re.search(r"\{([^}]*)\}", kind)
            if inner:
                out |= {f"{field}.{k.strip()}" for k in inner.group(1).split(",")}
            else:
                out.add(field)
    return out


def test_every_documented_plan_field_has_a_case() -> None:
    documented = _documented_plan_fields()
    assert {"plan.reason", "solver.gap", "accounts.raci.accountable", "people.accounts", "run.wall_s"} <= documented
    broken = {field for _, _, field, _ in CASES}
    assert sorted(documented - broken) == []


def test_rules_md_lists_every_documented_plan_field() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    table = text[text.index("## Figures (every field of a plan)") : text.index("## RACI")]
    listed = {key for row in re.findall(r"^\| (`[^|]*) \|", table, re.M) for key in re.findall(r"`([\w.]+)`", row)}
    assert sorted(_documented_plan_fields() - listed) == []


def test_a_plan_for_another_agency_is_one_line(solved: dict[str, Solved], tmp_path: Path, capsys) -> None:
    code, lines = check(solved["boutique"].data, MIDSIZE, tmp_path, capsys)
    assert code == 1
    assert len(lines) == 1 and "another agency" in lines[0] and "Fieldnote Studio" in lines[0]


def test_a_file_that_is_not_a_plan_is_bad_input(tmp_path: Path, capsys) -> None:
    for text in ("[plan]\nagency = 3\n", "name = 'x'\n", "[plan\n"):
        path = tmp_path / "p.toml"
        path.write_text(text, encoding="utf-8")
        assert main(["check", str(path), str(BOUTIQUE)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err and all(line.startswith(f"{path}: ") for line in err)


def test_check_does_not_use_the_solver() -> None:
    plan, agency = PLANS / "midsize.plan.toml", MIDSIZE
    code = (
        "import sys\n"
        "from structplan.cli import main\n"
        f"assert main(['check', {str(plan)!r}, {str(agency)!r}]) == 0\n"
        "sys.exit(any(m.startswith(('structplan.solver', 'ortools')) for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False, capture_output=True).returncode == 0


def test_the_checks_words_and_labels_are_the_solvers() -> None:
    from structplan import figures, model
    from structplan.solver import engine, greedy
    from structplan.solver import plan as solver_plan  # the solver's reason is written there

    # one vocabulary (model.py) for the solver's reason and the check that reads it
    assert figures.TERM_WORDS is solver_plan.TERM_WORDS is model.TERM_WORDS
    assert figures.NOT_TRIED is engine.NOT_TRIED and figures.UNPROVEN is solver_plan.UNPROVEN
    assert set(model.TERM_WORDS) == set(greedy.TERMS) == {"hires", "coordination", *model.TRADEOFFS, *model.PENALTIES}
