"""Hypothesis strategies shared by the solver tests: small agencies built in code."""

from __future__ import annotations

from hypothesis import strategies as st

from structplan import formats
from structplan.model import Account, Agency, HiringOption, Person, Pin, Policy, Project, Settings

LINES = ("brand", "digital", "social")


@st.composite
def agencies(draw: st.DrawFn) -> Agency:
    """Small agencies with enough seniors that most can be staffed, some needing hires."""
    people = []
    n = 0

    def person(role: str, level: int) -> None:
        nonlocal n
        n += 1
        lines = tuple(sorted(draw(st.sets(st.sampled_from(LINES), max_size=2))))
        fte = draw(st.sampled_from((1.0, 1.0, 0.8, 0.6)))
        people.append(Person(f"p{n:02d}", f"Person {n}", role, level, 50_000 + 15_000 * level, fte, lines))

    for _ in range(draw(st.integers(1, 3))):
        person("am", draw(st.integers(2, 4)))
    for _ in range(draw(st.integers(1, 3))):
        person("pm", draw(st.integers(1, 4)))
    for _ in range(draw(st.integers(0, 2))):
        person(draw(st.sampled_from(("pmo", "support", "client_service"))), draw(st.integers(1, 4)))
    accounts = []
    k = 0
    for i in range(draw(st.integers(1, 5))):
        projects = []
        for _ in range(draw(st.integers(1, 3))):
            k += 1
            projects.append(
                Project(f"j{k:02d}", f"Project {k}", draw(st.integers(1, 5)), draw(st.sampled_from(("", *LINES))))
            )
        tier = draw(st.integers(1, 3))
        leads = [p.id for p in people if p.role == "am"]
        lead = draw(st.sampled_from([None, *leads]))
        accounts.append(Account(f"a{i}", f"Client {i}", 100_000 * (4 - tier), tier, lead, tuple(projects)))
    hiring = (
        HiringOption("h-am", "Account Director", "am", 4, 120_000, draw(st.integers(0, 2))),
        HiringOption("h-pm", "Senior PM", "pm", 3, 95_000, draw(st.integers(0, 2))),
        HiringOption("h-pmo", "PMO Manager", "pmo", 4, 110_000, draw(st.integers(0, 1))),
    )
    pins: tuple[Pin, ...] = ()
    if draw(st.booleans()):
        a = accounts[0]
        if a.lead is not None:
            pins = (Pin(a.id, lead=a.lead),)
    return formats.canonical(Agency(Settings("Prop"), tuple(people), tuple(accounts), hiring, Policy(pins=pins)))
