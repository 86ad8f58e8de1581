"""The hand method's plans: valid plans of the model, whatever variant made them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixed import model_cost

from structplan import formats
from structplan.data import layout_path
from structplan.model import E2E, SPLIT
from structplan.solver.greedy import evaluate, greedy
from structplan.solver.prep import Problem, build_problem

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = {
    "plain": {"keep_today": False},
    "careful": {"keep_today": True},
    "sparing": {"keep_today": True, "gather": False, "spare": True},
    "lean": {"keep_today": True, "gather": False, "lean": True},
    "lean_sparing": {"keep_today": True, "gather": False, "lean": True, "spare": True},
    "split": {"keep_today": True, "gather": False, "spare": True, "split": True},
}


def _problem(sample: str, structure: str) -> Problem:
    agency = formats.load_agency(ROOT / "sample_agencies" / f"{sample}.toml")
    return build_problem(agency, formats.load_layout(layout_path(structure)))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("structure", ["separate", "hybrid", "merged"])
def test_every_hand_plan_is_a_plan_of_the_model_at_its_cost(structure: str, variant: str) -> None:
    pb = _problem("boutique", structure)
    sol = greedy(pb, **VARIANTS[variant])
    assert sol is not None
    assert pb.elig is not None
    for acc in pb.accounts:  # every choice one the rules allow (the model is built for the choices made)
        md, lead = sol.mode[acc.index], sol.lead[acc.index]
        assert lead in pb.elig.leads(acc, pb.projects, md)
        for p in acc.projects:
            assert (sol.manager[p] == lead and md == E2E) or sol.manager[p] in pb.elig.managers(pb.projects[p], md)
    assert model_cost(pb, sol) == sum(evaluate(pb, sol).values())


@pytest.mark.parametrize("sample", ["boutique", "midsize"])
def test_the_split_hand_plan_of_a_mixed_structure_splits_every_account_that_may_be(sample: str) -> None:
    pb = _problem(sample, "hybrid")
    mixed = greedy(pb, keep_today=True, gather=False, spare=True)
    split = greedy(pb, **VARIANTS["split"])
    assert mixed is not None and split is not None
    assert E2E in mixed.mode.values()  # the hybrid hand rule runs some accounts end to end
    assert all(split.mode[acc.index] == SPLIT for acc in pb.accounts if SPLIT in acc.modes)
    assert not split.mentor and evaluate(pb, split).get("clarity", 0) == 0


def test_the_lean_hand_spares_end_to_end_leads_the_friction_of_complex_projects() -> None:
    """Merged, mid-size sample: the plain hand method gives every project to the account's lead,
    and a lead running a complex project is friction; the lean one gives those to others."""
    pb = _problem("midsize", "merged")
    careful = greedy(pb, **VARIANTS["careful"])
    lean = greedy(pb, **VARIANTS["lean"])
    assert careful is not None and lean is not None
    before, after = evaluate(pb, careful), evaluate(pb, lean)
    assert after["friction"] < before["friction"]
    assert sum(after.values()) < sum(before.values())
    complexity = pb.layout.friction.lead_execution_complexity
    handed_on = [p for p, u in lean.manager.items() if pb.projects[p].project.complexity >= complexity]
    assert any(lean.manager[p] != lean.lead[pb.projects[p].account] for p in handed_on)


@pytest.mark.parametrize("sample", ["midsize", "large"])
def test_the_careful_hand_keeps_today_s_lead_wherever_they_can_hold_all_their_relationships(sample: str) -> None:
    """Merged: the larger accounts come first and their projects go to whoever has room, so a
    lead could be filled before their smaller accounts come up; each lead's room for the
    relationships held today is kept for them."""
    pb = _problem(sample, "merged")
    lean = greedy(pb, **VARIANTS["lean"])
    assert lean is not None and pb.elig is not None
    today: dict[int, list[int]] = {}
    for acc in pb.accounts:
        if acc.today is not None and acc.pinned_lead is None:
            today.setdefault(acc.today, []).append(acc.index)
    cap = pb.layout.end_to_end.max_accounts_per_lead
    held = [
        a
        for u, accounts in today.items()
        if len(accounts) <= cap
        and sum(pb.accounts[a].relationship for a in accounts) <= pb.units[u].limit
        and all(u in pb.elig.leads(pb.accounts[a], pb.projects, E2E) for a in accounts)
        for a in accounts
    ]
    assert len(held) >= len(pb.accounts) / 4
    assert [a for a in held if lean.lead[a] != pb.accounts[a].today] == []
