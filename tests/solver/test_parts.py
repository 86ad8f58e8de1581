"""solver/parts.py: a large agency dealt into parts, each solved alone, put together again."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

from fixed import model_cost
from replicas import copies

from structplan import checks, formats
from structplan.data import layout_path
from structplan.solver import SolveOptions, engine, parts, solve
from structplan.solver.greedy import evaluate
from structplan.solver.prep import build_problem
from structplan.solver.tidy import in_slot_order

ROOT = Path(__file__).resolve().parents[2]


def test_small_agencies_are_solved_whole() -> None:
    assert parts.count(formats.load_agency(ROOT / "sample_agencies" / "midsize.toml")) == 1
    assert parts.count(copies("midsize", 5)) == 5


def test_split_deals_everything_once_and_keeps_today_together() -> None:
    agency = formats.load_agency(ROOT / "sample_agencies" / "large.toml")
    layout = formats.load_layout(layout_path("separate"))
    dealt = parts.split(agency, layout, parts.count(agency))
    assert len(dealt) == parts.count(agency) > 1
    accounts = Counter(a.id for p in dealt for a in p.agency.accounts)
    people = Counter(q.id for p in dealt for q in p.agency.people)
    assert accounts == Counter(a.id for a in agency.accounts)
    assert people == Counter(q.id for q in agency.people)
    for part in dealt:
        staff = {q.id for q in part.agency.people}
        assert all(a.lead is None or a.lead in staff for a in part.agency.accounts)
        assert all(pin.lead is None or pin.lead in staff for pin in part.agency.policy.pins)
        for h in part.agency.hiring:
            assert h.max == len(part.slots[h.id])
    for h in agency.hiring:  # every slot of every option in exactly one part
        slots = sorted(s for p in dealt for s in p.slots.get(h.id, ()))
        assert slots == list(range(1, h.max + 1))
    sizes = [len(p.agency.accounts) for p in dealt]
    assert max(sizes) - min(sizes) <= max(sizes) // 2
    # the department's leadership is paid once in the whole, so each part carries its share
    head = layout.costs.department_head_hours
    assert sum(p.layout.costs.department_head_hours for p in dealt) >= head


def test_merge_adds_up() -> None:
    agency = copies("midsize", 5)
    layout = formats.load_layout(layout_path("hybrid"))
    a, b, *_ = parts.split(agency, layout, 5)
    both = parts.merge(a, b)
    assert len(both.agency.accounts) == len(a.agency.accounts) + len(b.agency.accounts)
    assert {h.id: h.max for h in both.agency.hiring} == {h: len(s) for h, s in both.slots.items()}
    head = both.layout.costs.department_head_hours
    assert head == a.layout.costs.department_head_hours + b.layout.costs.department_head_hours


def test_parts_staff_copies_as_well_as_one_copy_alone() -> None:
    # eighty accounts made of ten boutiques: dealt into two parts of five boutiques each; the
    # parts' plan put together must be a valid plan costing no more than ten times one boutique
    one = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    layout = formats.load_layout(layout_path("merged"))
    options = SolveOptions(time_limit=0, effort=8, workers=2)
    single = engine.solve_structure(one, layout, options)
    assert single.status == "optimal"
    agency = copies("boutique", 10)
    pb = build_problem(agency, layout)
    whole, spent = engine._by_parts(pb, parts.count(agency), options, None, time.monotonic())
    assert whole is not None and spent > 0
    assert set(whole.mode) == set(range(len(pb.accounts)))
    assert sum(evaluate(pb, whole).values()) <= 10 * single.objective
    # and through the solver, as a plan that holds every rule
    outcome = solve(agency, ["merged"], {"merged": layout}, SolveOptions(time_limit=0, effort=2, workers=2))
    assert outcome.plan is not None
    assert checks.verify(outcome.plan, agency, layout) == []
    assert outcome.plan.solver.objective <= 10 * single.objective


def test_a_stop_ends_the_parts_early() -> None:
    agency = copies("midsize", 5)
    layout = formats.load_layout(layout_path("hybrid"))
    pb = build_problem(agency, layout)
    stop = threading.Event()
    stop.set()
    whole, _ = engine._by_parts(pb, 5, SolveOptions(), stop, time.monotonic())
    assert whole is None


def test_the_parts_plan_with_its_hires_in_slot_order_is_a_plan_of_the_whole_model() -> None:
    agency = copies("midsize", 5)
    layout = formats.load_layout(layout_path("separate"))
    pb = build_problem(agency, layout)
    done = []
    for part in parts.split(agency, layout, parts.count(agency)):
        sub = build_problem(part.agency, part.layout)
        hand = engine._hand(sub)
        assert hand is not None
        done.append((part, sub, hand))
    whole = parts.combine(pb, done)
    ordered = in_slot_order(pb, whole)
    assert ordered != whole  # each part opened the slots it was dealt, not the first ones
    cost = sum(evaluate(pb, whole).values())
    assert sum(evaluate(pb, ordered).values()) == cost
    assert model_cost(pb, whole) is None  # the model opens an option's slots in order
    assert model_cost(pb, ordered) == cost
