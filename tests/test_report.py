"""`structplan show`: the facts of a plan appear, in text, markdown and json."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from structplan import formats, report
from structplan.cli import main
from structplan.solver import SolveOptions, solve

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def plan():
    agency = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    out = solve(agency, ["separate", "merged"], options=SolveOptions(time_limit=10))
    assert out.plan is not None
    return out.plan


def test_text_report_names_the_decisions(plan) -> None:
    text = report.render_text(plan)
    assert plan.structure in text and plan.reason in text
    assert f"{plan.cost.total:,} {plan.currency}" in text
    for ap in plan.accounts:
        assert ap.id in text and ap.lead in text
    for pp in plan.people:
        assert pp.id in text
    for w in plan.warnings:
        assert w.message in text


def test_feasible_plans_say_how_far_from_the_best_they_may_be(plan) -> None:
    feasible = attrs.evolve(plan, solver=attrs.evolve(plan.solver, status="feasible", gap=0.0123, bound=1000))
    assert "at most 1.2% above the best possible" in report.render_text(feasible)


def test_markdown_tables_are_well_formed(plan) -> None:
    md = report.render_markdown(plan)
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert table
    blocks: list[list[str]] = []
    previous = False
    for line in md.splitlines():
        is_row = line.startswith("|")
        if is_row and not previous:
            blocks.append([])
        if is_row:
            blocks[-1].append(line)
        previous = is_row
    for block in blocks:
        cols = {row.replace("\\|", "").count("|") for row in block}
        assert len(cols) == 1, block


def test_json_is_the_plan_file_data(plan, tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.plan.toml"
    formats.save(plan, path)
    assert main(["show", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == formats.to_data(plan)


def test_bars() -> None:
    assert report.bar(0.0) == "░" * 10
    assert report.bar(0.82) == "█" * 8 + "░" * 2
    assert report.bar(1.5) == "█" * 10


def test_show_missing_file_is_one_line(tmp_path: Path, capsys) -> None:
    assert main(["show", str(tmp_path / "missing.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing.toml" in err[0]
