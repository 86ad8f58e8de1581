"""`structplan show`: the facts of a plan appear, in text, markdown and json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import pytest

from structplan import formats, report
from structplan.cli import main
from structplan.model import (
    AccountPlan,
    Contact,
    Cost,
    Coverage,
    Hire,
    MentoringPair,
    PersonPlan,
    Plan,
    PlanWarning,
    Raci,
    SolverInfo,
    StructureResult,
)


def small_plan() -> Plan:
    """A hybrid plan of three accounts, five people and one hire, written out in code."""
    return Plan(
        agency="Fieldnote Studio",
        structure="hybrid",
        layout="hybrid",
        currency="EUR",
        reason="hybrid is the cheapest: 61,400 EUR of hires, coordination and penalties on top of the "
        "1,234,500 EUR payroll",
        solver=SolverInfo("optimal", 61400, 61400, 0.0, seed=7, workers=1, time_limit=30.0),
        cost=Cost(
            staff=1_234_500,
            hires=48_000,
            coordination=3_400,
            total=1_285_900,
            penalties=(("continuity", 6000), ("friction", 4000)),
        ),
        headcount=(("account_manager", 2), ("pmo_manager", 1), ("project_manager", 2)),
        comparison=(
            StructureResult("separate", "optimal", 70_100, 1_294_600, 1, 0.61, 3, 0.0),
            StructureResult("hybrid", "optimal", 61_400, 1_285_900, 1, 0.58, 4, 0.0),
            StructureResult("merged", "infeasible"),
        ),
        accounts=(
            AccountPlan(
                "acme",
                "split",
                "ana",
                940,
                (Coverage("acme-site", "pm-hire-1", 500), Coverage("acme-tv", "paul", 300)),
                Contact("ana", "paul"),
                (Raci("relationship", "ana", ("ana",), ("paul",)), Raci("status_updates", "paul", ("paul",))),
            ),
            AccountPlan("bolt", "end_to_end", "bea", 200, (Coverage("bolt-ads", "bea", 160),), Contact("bea", "bea")),
            AccountPlan("cove", "end_to_end", "bea", 200, (Coverage("cove-film", "bea", 80),), Contact("bea", "bea")),
        ),
        people=(
            PersonPlan("ana", "account_manager", 940, 1600, 0.588, ("acme",)),
            PersonPlan("bea", "account_manager", 640, 1600, 0.4, ("bolt", "cove")),
            PersonPlan("dora", "pmo_manager", 40, 1600, 0.025, ()),
            PersonPlan("paul", "project_manager", 1312, 1600, 0.82, ("acme",)),
            PersonPlan("pm-hire-1", "project_manager", 500, 1600, 0.312, ("acme",)),
        ),
        mentoring=(MentoringPair("dora", "bea"),),
        hires=(Hire("pm-hire-1", "hire-senior-pm", "Senior PM | Lisbon (hire 1)", "pm", 3, 48_000),),
        warnings=(
            PlanWarning("overload", "paul is at 82% of capacity (1312 of 1600 h; target 80%)", person="paul"),
            PlanWarning("role_friction", "bea leads bolt and also runs complex project bolt-ads", "bolt", "bea"),
            PlanWarning("role_friction", "bea leads cove and also runs complex project cove-film", "cove", "bea"),
            PlanWarning("unused", "eve has no accounts in this plan", person="eve"),
        ),
        run=(("first_plan_s", 0.01), ("wall_s", 0.25)),
    )


@pytest.fixture
def plan() -> Plan:
    return formats.canonical(small_plan())


def _blocks(md: str) -> list[list[str]]:
    """Consecutive runs of markdown table lines."""
    blocks: list[list[str]] = []
    previous = False
    for line in md.splitlines():
        row = line.startswith("|")
        if row and not previous:
            blocks.append([])
        if row:
            blocks[-1].append(line)
        previous = row
    return blocks


def _cells(row: str) -> list[str]:
    assert row.startswith("| ") or row.startswith("|-") or row.startswith("|:"), row
    assert row.endswith("|"), row
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


# --------------------------------------------------------------------------- text


def test_text_names_structure_status_reason_and_cost(plan: Plan) -> None:
    text = report.render_text(plan)
    assert text.startswith("Staffing plan for Fieldnote Studio: hybrid structure\n")
    assert "optimal: no cheaper plan exists" in text
    assert "1,234,500 EUR payroll" in " ".join(text.split())  # the reason, wrapped
    for amount in ("1,234,500 EUR", "48,000 EUR", "3,400 EUR", "1,285,900 EUR"):
        assert amount in text
    assert re.search(r"continuity\s+6,000 EUR", text) and re.search(r"friction\s+4,000 EUR", text)
    assert re.search(r"total\s+10,000 EUR", text)  # the penalties together
    assert "seed 7, 1 worker, time limit 30 s" in text


def test_text_compares_structures_and_marks_the_chosen_one(plan: Plan) -> None:
    text = report.render_text(plan)
    assert re.search(r"separate\s+optimal\s+1,294,600\s+70,100\s+1\s+61%\s+3\s+0\.0%", text)
    assert re.search(r"hybrid \(chosen\)\s+optimal\s+1,285,900", text)
    assert re.search(r"merged\s+infeasible(\s+-){6}", text)


def test_text_headcount_hires_and_warnings_by_kind(plan: Plan) -> None:
    text = report.render_text(plan)
    assert re.search(r"project_manager\s+2", text) and re.search(r"total\s+5\n", text)
    assert re.search(r"pm-hire-1\s+Senior PM \| Lisbon \(hire 1\)\s+hire-senior-pm\s+pm\s+3\s+48,000", text)
    assert "Warnings (4)" in text
    assert "4: 2 role friction, 1 overload, 1 unused people" in text
    friction = text.index("Role friction (2)")
    assert (
        text.index("bea leads bolt", friction)
        < text.index("bea leads cove", friction)
        < text.index("Unused people (1)")
    )
    assert "Overload (1)\n  - paul is at 82% of capacity" in text


def test_text_accounts_with_contact_sheet_and_coverage(plan: Plan) -> None:
    text = report.render_text(plan)
    assert re.search(r"acme\s+split\s+ana\s+940\s+ana\s+paul\s+2\s+800", text)
    assert re.search(r"bolt\s+end to end\s+bea\s+200\s+bea\s+bea\s+1\s+160", text)
    assert re.search(r"acme\s+acme-site\s+Senior PM \| Lisbon \(hire 1\)\s+500", text)
    assert re.search(r"bolt\s+bolt-ads\s+bea \(lead\)\s+160", text)
    assert "3: 1 split, 2 end to end" in text


def test_text_people_with_bars_and_mentoring(plan: Plan) -> None:
    text = report.render_text(plan)
    assert re.search(r"paul\s+project_manager\s+1312/1600\s+████████░░  82%\s+1\s+acme", text)
    assert re.search(r"bea\s+account_manager\s+640/1600\s+████░░░░░░  40%\s+2\s+bolt, cove", text)
    assert re.search(r"dora\s+pmo_manager\s+40/1600\s+░░░░░░░░░░   2%\s+0\s+-", text)
    assert re.search(r"dora\s+1\s+bea", text[text.index("Mentoring (1 pair)") :])
    assert "5 of 5 with work" in text
    assert "highest 82% (paul)" in text


def test_summary_comes_before_the_detail(plan: Plan) -> None:
    text = report.render_text(plan)
    order = [
        "status",
        "Structures compared",
        "Cost",
        "Headcount by role",
        "Hires (1)",
        "Warnings (4)",
        "Accounts (3)",
        "Project coverage",
        "People (5)",
        "Mentoring (1 pair)",
        "Run",
    ]
    at = [text.index(title) for title in order]
    assert at == sorted(at)


def test_feasible_plans_say_how_far_from_the_best_they_may_be(plan: Plan) -> None:
    feasible = attrs.evolve(
        plan, solver=attrs.evolve(plan.solver, status="feasible", objective=61400, bound=60663, gap=0.012)
    )
    text = " ".join(report.render_text(feasible).split())
    assert "feasible, not proven optimal: the best found within the 30 s time limit" in text
    assert "at most 1.2% above the best possible" in text
    assert "proven bound 60,663 EUR" in text
    assert "optimal: no cheaper" not in text


def test_a_search_ended_by_its_effort_says_so_rather_than_blame_the_clock(plan: Plan) -> None:
    ended = attrs.evolve(
        plan,
        solver=attrs.evolve(
            plan.solver, status="feasible", objective=61400, bound=60663, gap=0.012, stopped="effort", effort=8.0
        ),
    )
    text = " ".join(report.render_text(ended).split())
    assert "the best found within its effort (8 deterministic s)" in text
    assert "time limit" not in text.split("reason")[0]


def test_feasible_without_a_bound_does_not_claim_a_gap(plan: Plan) -> None:
    loose = attrs.evolve(plan, solver=attrs.evolve(plan.solver, status="feasible", bound=0, gap=1.0))
    text = " ".join(report.render_text(loose).split())
    assert "no lower bound was proven" in text and "at most 100" not in text


def test_hand_written_plans_say_so(plan: Plan) -> None:
    hand = attrs.evolve(plan, solver=SolverInfo("hand"), comparison=(), run=())
    text = report.render_text(hand)
    assert "written by hand" in text and "structplan check" in text
    assert "Structures compared" not in text and "Run" not in text and "seed" not in text


def test_tiny_gaps_are_not_rounded_to_zero() -> None:
    assert report.percent(0.0002) == "less than 0.1%"
    assert report.percent(0.0) == "0.0%"
    assert report.percent(0.0123) == "1.2%"


def test_bars() -> None:
    assert report.bar(0.0) == "░" * 10
    assert report.bar(0.82) == "█" * 8 + "░" * 2
    assert report.bar(1.5) == "█" * 10
    assert report.bar(0.5, width=4, unicode=False) == "##.."


def test_ascii_text_has_no_block_characters(plan: Plan) -> None:
    text = report.render_text(plan, unicode=False)
    assert "█" not in text and "░" not in text and "########..  82%" in text


def test_a_plan_with_nothing_in_it_still_renders() -> None:
    empty = Plan(agency="Empty", structure="separate", layout="separate")
    for text in (report.render_text(empty), report.render_markdown(empty)):
        assert "Empty" in text and "warnings" in text


def test_a_large_plan_opens_with_its_summary() -> None:
    people = tuple(PersonPlan(f"p{i:03}", "account_manager", 800, 1600, 0.5, (f"a{i:03}",)) for i in range(300))
    accounts = tuple(
        AccountPlan(
            f"a{i:03}",
            "end_to_end",
            f"p{i:03}",
            200,
            (Coverage(f"j{i:03}", f"p{i:03}", 600),),
            Contact(f"p{i:03}", f"p{i:03}"),
        )
        for i in range(300)
    )
    warnings = tuple(PlanWarning("overload", f"p{i:03} is busy", person=f"p{i:03}") for i in range(0, 300, 3))
    big = Plan(
        agency="Big",
        structure="merged",
        layout="merged",
        accounts=accounts,
        people=people,
        warnings=warnings,
        solver=SolverInfo("optimal"),
    )
    lines = report.render_text(big).splitlines()
    head = "\n".join(lines[:15])
    assert "optimal" in head and "300: 300 end to end" in head and "warnings   100: 100 overload" in head
    assert all(len(line) <= report.WIDTH for line in lines[:15])
    assert sum(1 for line in lines if line.startswith("a2")) == 200  # one account row and one coverage row each


# --------------------------------------------------------------------------- markdown


def test_markdown_tables_are_well_formed(plan: Plan) -> None:
    md = report.render_markdown(plan)
    blocks = _blocks(md)
    assert len(blocks) >= 8
    for block in blocks:
        head, rule, *rows = block
        width = len(_cells(head))
        assert re.fullmatch(r"\|(---:?\|)+", rule), rule
        assert len(_cells(rule)) == width, block
        for row in rows:
            assert len(_cells(row)) == width, row
    lines = md.splitlines()
    for i, line in enumerate(lines):  # a table starts after a blank line, as markdown requires
        if line.startswith("|") and not lines[i - 1].startswith("|"):
            assert lines[i - 1] == ""


def test_markdown_escapes_pipes_and_keeps_the_facts(plan: Plan) -> None:
    md = report.render_markdown(plan)
    assert md.startswith("# Staffing plan for Fieldnote Studio: hybrid structure\n")
    assert "Senior PM \\| Lisbon (hire 1)" in md
    assert "- **status**: optimal: no cheaper plan exists under these rules" in md
    assert "| acme | split | ana | 940 | ana | paul | 2 | 800 |" in md
    assert "| paul | project_manager | 1312/1600 | ████████░░  82% | 1 | acme |" in md
    assert "### Role friction (2)" in md
    assert "| total | 1,285,900 EUR |" in md


def test_markdown_has_the_same_sections_as_text(plan: Plan) -> None:
    md = report.render_markdown(plan)
    titles = [s.title for s in report.sections(plan)]
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == titles[1:]


# --------------------------------------------------------------------------- json and the command


def test_json_is_the_plan_file_data(plan: Plan) -> None:
    data = report.to_json(plan)
    assert data == formats.to_data(plan)
    again = formats.from_data(json.loads(json.dumps(data)), "plan", "report.json")
    assert again == plan


def test_show_prints_each_format(plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.plan.toml"
    formats.save(plan, path)
    assert main(["show", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == formats.to_data(plan)
    assert main(["show", str(path), "--format", "markdown"]) == 0
    assert capsys.readouterr().out == report.render_markdown(plan)
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Staffing plan for Fieldnote Studio" in out and "1,285,900 EUR" in out


def test_show_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(tmp_path / "missing.toml")]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "missing.toml" in err[0] and "no such file" in err[0]
    assert captured.out == "" and "Traceback" not in captured.err


def test_show_rejects_a_file_that_is_not_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "agency.toml"
    path.write_text('[agency]\nname = "Not a plan"\n', encoding="utf-8")
    assert main(["show", str(path)]) == 2
    err = capsys.readouterr().err
    assert "agency.toml" in err and "plan" in err and "Traceback" not in err
