"""The candidate lists the preparation keeps for each need."""

from __future__ import annotations

from collections import Counter

import attrs
from replicas import copies

from structplan import formats
from structplan.data import layout_path
from structplan.solver.prep import build_problem


def _slot_kinds(pb, cands: list[int]) -> Counter:
    """Hire slots in `cands` per kind of hire (everything but the option's id, name and number)."""
    kinds: Counter = Counter()
    for u in cands:
        o = pb.units[u].option
        if o is not None:
            kinds[o.role, o.level, o.cost, o.fte, o.service_lines] += 1
    return kinds


def test_copies_of_a_hiring_option_are_one_pool_of_slots() -> None:
    """Ten copies of the large sample have ten copies of each hiring option; a need keeps as
    many slots of a kind as with one copy, not ten times as many."""
    layout = formats.load_layout(layout_path("separate"))
    one = build_problem(copies("large", 1), layout)
    ten = build_problem(copies("large", 10), layout)
    per_need_one = max(max(_slot_kinds(one, c).values(), default=0) for c in one.manage_cands.values())
    per_need_ten = max(max(_slot_kinds(ten, c).values(), default=0) for c in ten.manage_cands.values())
    assert per_need_ten == per_need_one
    # and every slot of the ten copies is still some need's candidate: the pools rotate
    kept = {u for c in ten.manage_cands.values() for u in c if ten.units[u].option is not None}
    assert ten.elig is not None
    eligible = {u for c in ten.manage_cands for u in ten.elig.managers(ten.projects[c[0]], c[1])}
    assert {u for u in eligible if ten.units[u].option is not None} <= kept


def test_options_of_different_kinds_keep_their_own_slots() -> None:
    """Two options that differ in cost are two kinds: a need keeps slots of both."""
    agency = copies("midsize", 1)
    pm = next(h for h in agency.hiring if h.role == "pm")
    dear = attrs.evolve(pm, id=pm.id + "-dear", name=pm.name + " (dear)", cost=pm.cost + 1000)
    agency = attrs.evolve(agency, hiring=(*agency.hiring, dear))
    pb = build_problem(agency, formats.load_layout(layout_path("separate")))
    options = [pb.units[u].option for c in pb.manage_cands.values() for u in c]
    seen = {o.id for o in options if o is not None}
    assert {pm.id, dear.id} <= seen
