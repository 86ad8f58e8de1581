"""The window search of very large agencies (lns.py), and the engine's way to it."""

from __future__ import annotations

import functools
import random
import time
from pathlib import Path

import attrs
import pytest
from fixed import model_cost
from replicas import copies

from structplan import formats
from structplan.data import layout_path
from structplan.solver import build as build_module
from structplan.solver import engine, lns, parts
from structplan.solver.api import SolveOptions
from structplan.solver.build import Model, build, extend_candidates
from structplan.solver.greedy import Solution, evaluate, greedy, lead_price, project_prices
from structplan.solver.prep import Problem, build_problem
from structplan.solver.tidy import in_slot_order

ROOT = Path(__file__).resolve().parents[2]
NO_CLOCK = 10**9  # a deadline that never comes: only the effort ends the search


@pytest.mark.parametrize("structure", ["separate", "merged"])
def test_the_window_search_improves_its_start_with_a_valid_plan_and_repeats(structure: str) -> None:
    def run(told: list[int]) -> tuple[Problem, Solution, tuple[Solution, float, str, float]]:
        # a problem of its own each time: the search adds what its plan chose to the candidates
        pb = build_problem(copies("midsize", 3), formats.load_layout(layout_path(structure)))
        start = engine._hand(pb)
        assert start is not None
        extend_candidates(pb, start)
        return pb, start, lns.improve(pb, start, time.monotonic() + NO_CLOCK, seed=3, effort=0.3, on_better=told.append)

    reported: list[int] = []
    (pb, start, first), (_, again, second) = run(reported), run([])
    assert again == start
    before = sum(evaluate(pb, start).values())

    plan, _, stopped, spent = first
    cost = sum(evaluate(pb, plan).values())
    assert stopped == "effort" and spent >= 0.3
    assert cost < before
    # the search sums only what its windows change: what it reported last is the plan's cost
    assert reported and reported == sorted(reported, reverse=True) and reported[-1] == cost
    # the whole model takes the plan at its own cost, once its hires are numbered as the model
    # opens them (the windows open whichever slots they were given)
    ordered = in_slot_order(pb, plan)
    assert sum(evaluate(pb, ordered).values()) == cost
    assert model_cost(pb, ordered) == cost
    assert second[0] == plan  # bounded by effort alone: the same seed gives the same plan


def test_above_the_window_threshold_the_whole_is_searched_from_the_hand_plan_without_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agency = copies("midsize", 3)
    assert parts.count(agency) > 1
    monkeypatch.setattr(engine, "LARGE", 0)

    def no_parts(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parts were searched")

    monkeypatch.setattr(engine, "_by_parts", no_parts)
    layout = formats.load_layout(layout_path("separate"))
    out = engine.solve_structure(agency, layout, SolveOptions(time_limit=0, effort=0.5, workers=2))

    assert out.solution is not None and out.problem is not None
    assert out.stopped == "effort" and out.deterministic_s >= 0.5
    assert out.objective == sum(evaluate(out.problem, out.solution).values())
    assert out.greedy_objective is not None and out.objective < out.greedy_objective


def test_windows_around_the_hires_hold_all_of_a_slots_work_and_people_who_could_take_it() -> None:
    pb = build_problem(copies("midsize", 3), formats.load_layout(layout_path("separate")))
    plan = engine._hand(pb)
    assert plan is not None
    opened = plan.opened(pb)
    assert opened  # the hand method hires for three copies
    size = 40
    windows = lns._around(pb, plan, size, random.Random(1))
    assert len(windows) == len(opened)
    for window in windows:
        assert 0 < len(window) <= size and len(set(window)) == len(window)

        def work(u: int) -> set[int]:
            led = {a for a, v in plan.lead.items() if v == u}
            return led | {pb.projects[p].account for p, v in plan.manager.items() if v == u}

        # the window is centred on a slot: all its work is in it
        assert any(work(u) <= set(window) for u in opened if work(u) & set(window))
    assert lns._around(pb, plan, size, random.Random(1)) == windows  # the seed decides the order


def test_room_making_windows_hold_a_slots_work_and_the_eligible_staff_nearest_to_room_for_it() -> None:
    pb = build_problem(copies("midsize", 3), formats.load_layout(layout_path("separate")))
    plan = engine._hand(pb)
    assert plan is not None and pb.elig is not None
    extend_candidates(pb, plan)
    opened = plan.opened(pb)
    assert opened  # the hand method hires for three copies
    hours = plan.hours(pb)
    touches = lns._touches(pb, plan)
    windows = lns._making_room(pb, plan, 40, random.Random(1))
    assert len(windows) == len(opened)
    spare = lns._spare(pb, plan, lns._kinds(pb))
    widened = 0
    for window in windows:
        assert 0 < len(window) <= 40 and len(set(window)) == len(window)
        (slot,) = [u for u in opened if touches[u] <= set(window)]  # one slot's work, whole
        for need, eligible in lns._held(pb, plan, slot):
            staff = sorted(
                (v for v in eligible if not pb.units[v].is_hire),
                key=lambda v: (hours[v] + need - pb.units[v].target, v),
            )
            for v in staff[: lns.MAKERS]:  # the nearest to room: all their work too
                assert touches.get(v, set()) <= set(window)
        fixed = lns._fixed(pb, plan, set(window), spare, lns._Wide(pb), making_room=True)
        assert slot not in fixed.opened
        built = build(pb, window=window, fixed=fixed)
        offered = {u for _, u, _ in built.lead} | {u for _, u, _ in built.manage}
        # no slot besides those in use: the slot's work goes to staff, not to another slot
        assert {u for u in offered if pb.units[u].is_hire} <= opened
        plain = build(pb, window=window, fixed=attrs.evolve(fixed, making_room=False))
        people = {u for u in offered if not pb.units[u].is_hire}
        plain_offered = {u for _, u, _ in plain.lead} | {u for _, u, _ in plain.manage}
        plain_people = {u for u in plain_offered if not pb.units[u].is_hire}
        assert people >= plain_people
        widened += bool(people - plain_people)
    assert widened  # work that costs nothing as it is done is offered the least loaded too


@functools.cache
def _midsize_separate_optimum() -> engine.StructureOutcome:
    midsize = formats.load_agency(ROOT / "sample_agencies" / "midsize.toml")
    return engine.solve_structure(
        midsize, formats.load_layout(layout_path("separate")), SolveOptions(time_limit=0, workers=2)
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_window_search_closes_the_hires_of_copies_of_the_mid_size_sample(seed: int) -> None:
    """Three copies of the mid-size sample can be staffed without hiring, for three times one
    copy's optimum less two department heads: from the hand plan, which hires, a short search
    closes every slot and costs at most three times that optimum (windows around the hires alone
    left one slot open with seed 0)."""
    one = _midsize_separate_optimum()
    assert one.status == "optimal" and one.terms["hires"] == 0
    layout = formats.load_layout(layout_path("separate"))
    pb = build_problem(copies("midsize", 3), layout)
    start = engine._hand(pb)
    assert start is not None and start.opened(pb)
    extend_candidates(pb, start)
    plan, _, stopped, _ = lns.improve(pb, start, time.monotonic() + NO_CLOCK, seed=seed, effort=1.0)
    assert stopped == "effort"
    assert not plan.opened(pb)
    assert sum(evaluate(pb, plan).values()) <= 3 * one.objective


def test_windows_on_dear_work_hold_it_and_the_work_of_someone_who_would_do_it_for_less() -> None:
    """Three copies of the large sample, merged, from the hand plan: every window starts at an
    account whose lead or projects cost something (seniority, generalist execution) in the
    hands they are in, and the rest of it is work of people who could take some of that."""
    pb = build_problem(copies("large", 3), formats.load_layout(layout_path("merged")))
    plan = engine._hand(pb)
    assert plan is not None
    size = 40
    windows = lns._dearer(pb, plan, size, random.Random(1))
    assert windows  # the hand plan leaves complex work below the most senior level

    def paid(a: int) -> int:
        md = plan.mode[a]
        return lead_price(pb, a, md, plan.lead[a]) + sum(
            sum(project_prices(pb, p, md, plan.manager[p])) for p in pb.accounts[a].projects
        )

    centres = [paid(w[0]) for w in windows]
    assert centres == sorted(centres, reverse=True)  # the dearest first
    for window in windows[:50]:
        assert 0 < len(window) <= size and len(set(window)) == len(window)
        a = window[0]
        md = plan.mode[a]
        assert paid(a) > 0
        cands = set(pb.lead_cands[a, md])
        cands |= {v for p in pb.accounts[a].projects for v in pb.manage_cands.get((p, md), [])}
        for b in window[1:]:  # worked on by someone who could take some of a's work
            workers = {plan.lead[b]} | {plan.manager[p] for p in pb.accounts[b].projects}
            assert workers & cands
    assert lns._dearer(pb, plan, size, random.Random(1)) == windows  # the seed decides the order


def test_a_mixed_structure_ends_no_dearer_than_its_all_split_hand_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    agency = copies("midsize", 3)
    monkeypatch.setattr(engine, "LARGE", 0)  # the window search, from the best hand plan
    layout = formats.load_layout(layout_path("hybrid"))
    out = engine.solve_structure(agency, layout, SolveOptions(time_limit=0, effort=0.2, workers=1))
    assert out.solution is not None and out.problem is not None
    split = greedy(out.problem, keep_today=True, gather=False, spare=True, split=True)
    assert split is not None
    assert out.objective <= sum(evaluate(out.problem, split).values())


def test_a_window_offers_the_slots_in_use_and_only_the_first_idle_slots_of_each_kind() -> None:
    pb = build_problem(copies("midsize", 3), formats.load_layout(layout_path("separate")))
    plan = engine._hand(pb)
    assert plan is not None
    extend_candidates(pb, plan)
    opened = plan.opened(pb)
    kinds = lns._kinds(pb)
    assert kinds  # three copies: each hiring option three times over
    spare = lns._spare(pb, plan, kinds)
    first: set[int] = set()
    for slots in kinds:
        idle = [u for u in slots if u not in opened]
        first.update(idle[: lns.SPARE])
        assert all(spare[u] == tuple(idle[: lns.SPARE]) for u in idle)
    assert not set(spare) & opened

    window = lns._around(pb, plan, 40, random.Random(1))[0]
    built = build(pb, window=window, fixed=lns._fixed(pb, plan, set(window), spare))
    offered = {u for _, u, _ in built.lead} | {u for _, u, _ in built.manage}
    hires = {u for u in offered if pb.units[u].is_hire}
    in_kinds = {u for slots in kinds for u in slots}
    assert hires & first  # the window may still hire
    assert hires & in_kinds <= opened | first
    # every choice the plan makes in the window keeps its variable
    for a in window:
        assert (a, plan.lead[a], plan.mode[a]) in built.lead
        for p in pb.accounts[a].projects:
            if plan.manager[p] != plan.lead[a]:
                assert (p, plan.manager[p], plan.mode[a]) in built.manage


def test_a_window_looks_at_the_cheapest_few_candidates_of_each_need_and_whoever_does_it_now() -> None:
    pb = build_problem(copies("large", 2), formats.load_layout(layout_path("merged")))
    plan = engine._hand(pb)
    assert plan is not None
    extend_candidates(pb, plan)
    spare = lns._spare(pb, plan, lns._kinds(pb))
    window = lns._windows(pb, 40, random.Random(1))[0]
    fixed = lns._fixed(pb, plan, set(window), spare)
    assert fixed.width == lns.WIDTH and fixed.hire_width == lns.HIRE_WIDTH
    built = build(pb, window=window, fixed=fixed)
    wide = build(pb, window=window, fixed=attrs.evolve(fixed, width=0, hire_width=0))
    assert len(built.model.proto.variables) < len(wide.model.proto.variables)

    def offered(model: Model, key: tuple[int, str], project: bool) -> list[int]:
        got = model.manage if project else model.lead
        return sorted(u for (n, u, md) in got if (n, md) == key)

    narrowed = 0
    for a in window:
        md = plan.mode[a]
        needs = [((a, md), False, plan.lead[a])]
        needs += [((p, md), True, plan.manager[p]) for p in pb.accounts[a].projects]
        for key, project, holder in needs:
            kept, every = offered(built, key, project), offered(wide, key, project)
            assert set(kept) <= set(every)
            staff = [u for u in kept if not pb.units[u].is_hire and u != holder]
            hires = [u for u in kept if pb.units[u].is_hire and u != holder]
            assert len(staff) <= lns.WIDTH and len(hires) <= lns.HIRE_WIDTH
            if holder in every:
                assert holder in kept  # the plan's own choice stays open
            if project and len(kept) < len(every) and staff:  # those left out cost no less
                narrowed += 1
                cost = functools.partial(build_module._manage_cost, pb, key[0], md)
                dropped = [u for u in every if u not in kept and not pb.units[u].is_hire]
                assert all(cost(u) >= max(cost(v) for v in staff) for u in dropped)
    assert narrowed  # the candidates of some needs were cut to the cheapest


def test_dear_work_is_also_offered_to_the_cheapest_with_room_of_everyone_eligible() -> None:
    pb = build_problem(copies("midsize", 5), formats.load_layout(layout_path("merged")))
    plan = engine._hand(pb)
    assert plan is not None and pb.elig is not None
    extend_candidates(pb, plan)
    spare = lns._spare(pb, plan, lns._kinds(pb))
    window = lns._dearer(pb, plan, 40, random.Random(1))[0]
    fixed = lns._fixed(pb, plan, set(window), spare, lns._Wide(pb))
    built = build(pb, window=window, fixed=fixed)
    base = fixed.hours

    widened = 0
    for a in window:
        md = plan.mode[a]
        acc = pb.accounts[a]
        needs = [
            (
                (a, md),
                plan.lead[a],
                built.lead,
                pb.lead_cands[a, md],
                pb.elig.leads(acc, pb.projects, md),
                acc.relationship,
                functools.partial(build_module._lead_cost, pb, a, md),
            )
        ]
        needs += [
            (
                (p, md),
                plan.manager[p],
                built.manage,
                pb.manage_cands[p, md],
                pb.elig.managers(pb.projects[p], md),
                pb.projects[p].hours,
                functools.partial(build_module._manage_cost, pb, p, md),
            )
            for p in acc.projects
        ]
        for key, holder, variables, pruned, every, hours, cost in needs:
            offered = {u for (n, u, m) in variables if (n, m) == key}
            extra = offered - set(pruned)
            if cost(holder) == 0:
                assert not extra  # work done at no cost keeps to its candidates
                continue
            cheaper = [u for u in every if not pb.units[u].is_hire and cost(u) < cost(holder)]
            with_room = [u for u in cheaper if base[u] + hours <= pb.units[u].limit]
            assert extra <= set(with_room)
            if extra:
                widened += 1
                left = [u for u in with_room if u not in offered]
                assert len(extra) <= lns.WIDTH
                assert all(cost(u) >= max(cost(v) for v in extra) for u in left)
                for u in left:  # of those as cheap, the least loaded outside the window are offered
                    for v in extra:
                        if cost(u) == cost(v):
                            assert base[u] / pb.units[u].limit >= base[v] / pb.units[v].limit
            elif with_room:  # the cheapest with room were among its candidates already
                assert set(with_room) & offered
    assert widened  # some dear work was offered people its pruned candidates leave out
