"""Names a person reads: reports, warnings and diffs show names; files keep ids."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import attrs
import pytest

from structplan import diff, formats, report
from structplan.model import DUTIES, Plan
from structplan.names import Names
from structplan.solver import SolveOptions, solve

ROOT = Path(__file__).resolve().parents[1]


def test_a_shared_name_shows_its_id_and_a_missing_one_shows_the_id() -> None:
    names = Names.of(
        accounts=[("acme", "Acme"), ("acme-2", "Acme"), ("bolt", "Bolt")],
        people=[("ana", ""), ("bo", "Bo Li")],
    )
    assert names.account("acme") == "Acme (acme)" and names.account("acme-2") == "Acme (acme-2)"
    assert names.account("bolt") == "Bolt"
    assert names.person("ana") == "ana" and names.person("bo") == "Bo Li"
    assert names.person("nobody-known") == "nobody-known"
    assert names.persons(["bo", "ana"]) == "Bo Li, ana"


@pytest.fixture(scope="module")
def boutique() -> tuple[formats.Agency, Plan]:
    agency = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    outcome = solve(agency, ["merged"], options=SolveOptions(time_limit=0, effort=0, workers=1))
    assert outcome.plan is not None
    return agency, outcome.plan


def test_the_plan_file_keeps_ids_and_carries_the_names(boutique: tuple[formats.Agency, Plan]) -> None:
    agency, plan = boutique
    names = {a.id: a.name for a in agency.accounts}
    assert {a.id: a.name for a in plan.accounts} == names
    people = {p.id: p.name for p in agency.people}
    assert {p.id: p.name for p in plan.people} == people
    projects = {p.id: p.name for a in agency.accounts for p in a.projects}
    assert all(c.project_name == projects[c.project] for a in plan.accounts for c in a.coverage)
    data = tomllib.loads(formats.dumps(plan))
    assert formats.from_data(data, "plan", "p.plan.toml") == formats.canonical(plan)
    # a plan written before names were kept still loads and reports by id
    bare = attrs.evolve(
        plan,
        accounts=tuple(attrs.evolve(a, name="") for a in plan.accounts),
        people=tuple(attrs.evolve(p, name="") for p in plan.people),
    )
    assert "alma-coffee" in report.render_text(bare)


def test_reports_and_warnings_show_names_not_ids(boutique: tuple[formats.Agency, Plan]) -> None:
    agency, plan = boutique
    text = report.render_text(plan)
    words = set(re.findall(r"[\w-]+", text))
    ids = {a.id for a in agency.accounts} | {p.id for p in agency.people}
    assert not ids & words, "ids of accounts or people in the report"
    assert all(a.name in text for a in agency.accounts) and all(p.name in text for p in agency.people)
    # two projects share the name "Always-on social": each shows its id
    assert "Always-on social (northwind-social)" in text and "Always-on social (tidewater-social)" in text
    assert plan.warnings and all(not ids & set(re.findall(r"[\w-]+", w.message)) for w in plan.warnings)
    assert all(w.account or w.person for w in plan.warnings)  # the ids stay in the record


def test_the_text_and_markdown_reports_hold_the_raci(boutique: tuple[formats.Agency, Plan]) -> None:
    _, plan = boutique
    names = Names.of_plan(plan)
    for text in (report.render_text(plan), report.render_markdown(plan)):
        raci = text[text.index("RACI") :]
        assert "scope (PM half)" in raci and "budget (AM half)" in raci and "status updates" in raci
    table = next(s for s in report.sections(plan) if s.title == "RACI").blocks[1]
    assert isinstance(table, report.Table)
    assert len(table.rows) == len(plan.accounts) * len(DUTIES)
    first = plan.accounts[0]
    assert table.rows[0][:3] == (names.account(first.id), "relationship", names.person(first.raci[0].accountable))


def test_a_diff_of_two_plans_speaks_in_names(boutique: tuple[formats.Agency, Plan]) -> None:
    _, plan = boutique
    a, b = plan.accounts[0], plan.accounts[1]
    moved = attrs.evolve(plan, accounts=(attrs.evolve(a, lead=b.lead), *plan.accounts[1:]))
    text = diff.render_text(diff.diff(plan, moved))
    names = Names.of_plan(plan)
    assert f"{names.account(a.id)}  lead {names.person(a.lead)} -> {names.person(b.lead)}" in text
    assert a.id not in text
