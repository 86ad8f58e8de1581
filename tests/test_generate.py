"""bench/generate.py: deterministic, valid, realistic and staffable agencies; the samples."""

from __future__ import annotations

import importlib.util
import shlex
import sys
from collections import Counter
from pathlib import Path

import pytest

from structplan import formats, validation
from structplan.model import Agency

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_agencies"


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()

SIZES = [(1, 4), (8, 12), (40, 80), (100, 160), (300, 600)]


@pytest.fixture(scope="module", params=SIZES, ids=[f"{a}x{p}" for a, p in SIZES])
def generated(request) -> tuple[int, int, Agency]:
    accounts, people = request.param
    return accounts, people, gen.generate(accounts, people, seed=11)


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes() -> None:
    one = gen.render(gen.generate(40, 80, 5), "cmd")
    two = gen.render(gen.generate(40, 80, 5), "cmd")
    assert one == two
    assert gen.render(gen.generate(40, 80, 6), "cmd") != one


def test_command_writes_the_same_file_twice(tmp_path: Path) -> None:
    out = tmp_path / "agency.toml"
    args = ["--accounts", "30", "--people", "50", "--seed", "9", "-o", str(out)]
    assert gen.main(args) == 0
    first = out.read_bytes()
    assert gen.main(args) == 0
    assert out.read_bytes() == first
    text = first.decode()
    assert text.startswith("# ")
    assert f"--seed 9 -o {shlex.quote(str(out))}" in text.splitlines()[2]
    assert formats.load_agency(out) == gen.generate(30, 50, 9)


def test_stats_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "agency.toml"
    assert gen.main(["--accounts", "20", "--people", "40", "--seed", "1", "-o", str(out), "--stats"]) == 0
    line = capsys.readouterr().out.strip()
    assert "\n" not in line
    assert line.startswith("20 accounts,") and line.endswith("staffable")
    assert gen.main(["--stats-of", str(out)]) == 0
    assert capsys.readouterr().out.strip() == line


# --------------------------------------------------------------------------- validity


def test_generated_agency_is_valid(generated: tuple[int, int, Agency], tmp_path: Path) -> None:
    accounts, people, agency = generated
    assert validation.problems(agency) == []
    assert len(agency.accounts) == accounts and len(agency.people) == people
    path = tmp_path / "a.toml"
    path.write_text(gen.render(agency, "cmd"), encoding="utf-8")
    assert formats.load_agency(path) == agency  # already canonical: the file round-trips


def test_generated_agency_is_realistic(generated: tuple[int, int, Agency]) -> None:
    accounts, people, agency = generated
    rules = gen.rules_for()
    tiers = Counter(a.tier for a in agency.accounts)
    assert [tiers[t] for t in (1, 2, 3)] == gen.quota(accounts, gen.TIER_SHARE)
    for a in agency.accounts:
        low, high = gen.FEE_RANGE[a.tier]
        assert low <= a.fee <= high
        assert 1 <= len(a.projects) <= 6
        assert len({p.name for p in a.projects}) == len(a.projects)
        assert all(p.service_line in gen.SERVICE_LINES for p in a.projects)
    assert len({a.name for a in agency.accounts}) == accounts
    roles = Counter(p.role for p in agency.people)
    if people >= 40:
        assert roles["pmo"] >= 1
    for p in agency.people:
        assert 1 <= len(p.service_lines) <= 3
        assert p.fte in (0.6, 0.8, 1.0)
    by_id = {p.id: p for p in agency.people}
    led = [a for a in agency.accounts if a.lead]
    assert abs(len(led) - round(0.85 * accounts)) <= 1
    for a in led:
        assert a.lead is not None
        lead = by_id[a.lead]
        assert rules.can_lead(lead.role, lead.level, a.tier)
    for pin in agency.policy.pins:
        account = agency.account(pin.account)
        assert account is not None and pin.lead == account.lead
    assert set(agency.policy.structures) == {"separate", "hybrid", "merged"}
    assert agency.policy.utilization_ceiling == 0.9
    assert {h.role for h in agency.hiring} == {"am", "pm", "pmo", "client_service", "support"}


def test_large_agency_has_the_promised_mix() -> None:
    agency = gen.generate(2000, 6000, 3)
    roles = Counter(p.role for p in agency.people)
    for role, share in gen.DISCIPLINE_SHARE.items():
        assert abs(roles[role] / 6000 - share) < 0.01
    levels = Counter(p.level for p in agency.people if p.role == "am")
    assert levels[2] > levels[1] and levels[3] > levels[4]
    assert len({a.name for a in agency.accounts}) == 2000


def test_too_few_people_is_refused() -> None:
    with pytest.raises(ValueError, match="too few"):
        gen.generate(400, 20, 1)
    with pytest.raises(ValueError):
        gen.generate(0, 20, 1)


# --------------------------------------------------------------------------- staffable


def test_demand_is_below_capacity(generated: tuple[int, int, Agency]) -> None:
    _, _, agency = generated
    s = gen.measure(agency)
    assert s.staffable
    assert s.bottleneck <= 0.9, s.line()
    assert s.relationship + s.coordination <= 0.75 * s.lead_capacity, s.line()
    assert s.project_hours <= 0.75 * s.project_capacity, s.line()
    assert s.complex_hours <= 0.75 * s.complex_capacity, s.line()
    assert s.top_tier_hours <= 0.75 * s.top_tier_capacity, s.line()


@pytest.mark.parametrize("seed", range(6))
def test_midsize_agencies_reach_the_target_load(seed: int) -> None:
    s = gen.measure(gen.generate(40, 80, seed))
    assert 0.5 <= s.project_hours / s.project_capacity <= 0.7, s.line()
    assert s.bottleneck <= 0.85, s.line()


def test_a_tight_agency_is_still_staffable() -> None:
    s = gen.measure(gen.generate(60, 80, 4, load=0.8))
    assert s.project_hours / s.project_capacity >= 0.7, s.line()
    assert s.staffable, s.line()


# --------------------------------------------------------------------------- the samples


@pytest.mark.parametrize("name", ["boutique", "midsize", "large"])
def test_sample_is_valid_and_staffable(name: str) -> None:
    agency = formats.load_agency(SAMPLES / f"{name}.toml")
    assert gen.measure(agency).staffable


def test_boutique_has_no_pmo() -> None:
    agency = formats.load_agency(SAMPLES / "boutique.toml")
    assert not any(p.role == "pmo" for p in agency.people)


def test_large_sample_is_what_its_header_says() -> None:
    text = (SAMPLES / "large.toml").read_text(encoding="utf-8")
    command = shlex.split(text.splitlines()[2].lstrip("# "))
    args = dict(zip(command[2::2], command[3::2], strict=True))
    agency = gen.generate(int(args["--accounts"]), int(args["--people"]), int(args["--seed"]))
    assert gen.render(agency, shlex.join(command)) == text, (
        "sample_agencies/large.toml is out of date; re-create it with the command in its header"
    )
