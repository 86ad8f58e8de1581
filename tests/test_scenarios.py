"""Scenario files and `structplan scenarios`: each kind of change does what docs/scenarios.md
says, bad files are refused one line per problem, and the comparison is the same on one
process, two processes and a Dask cluster."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import pytest

from structplan import formats, scenario, scenario_run
from structplan.cli import main
from structplan.model import Account, Agency, Person, Project
from structplan.scenario import LeaveByRole, PolicyChange, Scale, Scenario
from structplan.scenario_run import ClusterError, cluster_executor, compare, jobs_of, run_jobs
from structplan.solver.api import SolveOptions

ROOT = Path(__file__).resolve().parent.parent
BOUTIQUE = ROOT / "sample_agencies" / "boutique.toml"
FAST = ["--effort", "0.5"]

SMALL = f"""
base = "{BOUTIQUE.as_posix()}"

[[scenarios]]
id = "frozen"
name = "Hiring frozen"
freeze_hiring = true

[[scenarios]]
id = "senior-pm-leaves"
leave_by_role = [{{ role = "pm", level = 3, count = 1 }}]
structure = "merged"

[[scenarios]]
id = "impossible"
name = "Nobody above 5%"
policy = {{ utilization_ceiling = 0.05, target_utilization = 0.05 }}
"""


@pytest.fixture(scope="module")
def base() -> Agency:
    return formats.load_agency(BOUTIQUE)


def write(tmp_path: Path, text: str, name: str = "s.scenarios.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- applying


def test_leave_by_id_drops_their_leads_managers_and_pins(base) -> None:
    agency = scenario.apply(base, Scenario("s", leave=("marta-oliveira",)))
    assert agency.person("marta-oliveira") is None
    tidewater = agency.account("tidewater-hotels")
    assert tidewater is not None and tidewater.lead is None
    assert all(pin.lead != "marta-oliveira" for pin in agency.policy.pins)
    assert all(pr.manager != "marta-oliveira" for a in agency.accounts for pr in a.projects)


def test_leave_by_role_takes_the_most_senior_then_the_most_expensive(base) -> None:
    sc = Scenario("s", leave_by_role=(LeaveByRole(role="pm", level=2, count=2),))
    # two level-3 PMs: Rui 84,000 before Sofia 82,000; Bram (level 2) stays
    assert scenario.chosen_leavers(base, sc) == ("rui-almeida", "sofia-marino")
    sc = Scenario("s", leave=("rui-almeida",), leave_by_role=(LeaveByRole(role="pm", level=2, count=2),))
    assert scenario.chosen_leavers(base, sc) == ("rui-almeida", "sofia-marino", "bram-de-boer")


def test_join_lose_and_win(base) -> None:
    newcomer = Person(id="kai", name="Kai", role="pm", level=3, cost=80000)
    won = Account(id="orion", name="Orion", fee=300000, tier=1, projects=(Project(id="o1", name="O", complexity=4),))
    pinned = "tidewater-hotels"
    agency = scenario.apply(base, Scenario("s", join=(newcomer,), win=(won,), lose=(pinned,)))
    assert agency.person("kai") == newcomer
    assert agency.account("orion") == won
    assert agency.account(pinned) is None
    assert all(pin.account != pinned for pin in agency.policy.pins)


def test_scale_multiplies_project_hours_from_the_layout_and_compounds(base) -> None:
    sc = Scenario("s", scale=(Scale(factor=1.2, service_line="digital"), Scale(factor=1.5, account="tidewater-hotels")))
    agency = scenario.apply(base, sc)
    before = {pr.id: pr for a in base.accounts for pr in a.projects}
    after = {pr.id: pr for a in agency.accounts for pr in a.projects}
    table = (80, 160, 300, 500, 800)  # the bundled layouts' hours by complexity
    booking = before["tidewater-booking-site"]  # digital and Tidewater: both factors
    assert after[booking.id].effort_hours == round(table[booking.complexity - 1] * 1.2 * 1.5)
    rebrand = before["tidewater-rebrand"]  # Tidewater, brand
    assert after[rebrand.id].effort_hours == table[rebrand.complexity - 1] * 3 // 2
    untouched = [pid for pid, pr in before.items() if pr.service_line != "digital" and pid.split("-")[0] != "tidewater"]
    assert untouched and all(after[pid] == before[pid] for pid in untouched)


def test_hiring_policy_and_structure(base) -> None:
    sc = Scenario(
        "s",
        hiring_max=(("hire-project-coordinator", 5),),
        policy=PolicyChange(utilization_ceiling=0.8, mentoring_span=3),
        structure="hybrid",
    )
    agency = scenario.apply(base, sc)
    caps = {h.id: h.max for h in agency.hiring}
    assert caps["hire-project-coordinator"] == 5
    assert agency.policy.utilization_ceiling == 0.8 and agency.policy.mentoring_span == 3
    assert agency.policy.structures == ("hybrid",)
    assert agency.policy.target_utilization == base.policy.target_utilization
    frozen = scenario.apply(base, Scenario("s", freeze_hiring=True))
    assert {h.max for h in frozen.hiring} == {0}
    replaced = attrs.evolve(base.hiring[0], cost=1)
    assert scenario.apply(base, Scenario("s", hiring=(replaced,))).hiring[0].cost == 1


def test_the_sample_loads_with_at_least_six_scenarios() -> None:
    loaded = scenario.load(ROOT / "sample_agencies" / "midsize.scenarios.toml")
    assert len(loaded.scenarios) >= 6
    left = next(r for r in loaded.scenarios if r.scenario.id == "two-senior-pms-leave")
    assert len(left.leavers) == 2 and "leave: " in left.notes[0]


# --------------------------------------------------------------------------- bad files

BAD = [
    ('[[scenarios]]\nid = "x"\nfreez_hiring = true\n', ["scenarios[0].freez_hiring", "did you mean 'freeze_hiring'"]),
    ('[[scenarios]]\nid = "x"\nleave = ["rui-almieda"]\n', ["scenarios[0].leave[0]", "did you mean 'rui-almeida'"]),
    (
        '[[scenarios]]\nid = "x"\nleave_by_role = [{ role = "pm", level = 3, count = 3 }]\n',
        ["scenarios[0].leave_by_role[0].count", "the base agency has 2 more"],
    ),
    ('[[scenarios]]\nid = "x"\nlose = ["alma-cofee"]\n', ["scenarios[0].lose[0]", "did you mean 'alma-coffee'"]),
    (
        '[[scenarios]]\nid = "x"\nscale = [{ factor = 0, service_line = "digitl" }]\n',
        ["scenarios[0].scale[0].factor", "scenarios[0].scale[0].service_line", "did you mean 'digital'"],
    ),
    (
        '[[scenarios]]\nid = "x"\npolicy = { utilization_ceiling = 1.5 }\n',
        ["scenarios[0].policy.utilization_ceiling", "scenario 'x'", "outside 0..1"],
    ),
    (
        '[[scenarios]]\nid = "x"\n[[scenarios.join]]\nid = "kai"\nname = "Kai"\nrole = "pm"\nlevel = 7\ncost = 1\n',
        ["scenarios[0].join[0].level", "7 is outside 1..4"],
    ),
    ('[[scenarios]]\nid = "x"\nhiring_max = { hire-senior = 2 }\n', ["scenarios[0].hiring_max.hire-senior"]),
    ('[[scenarios]]\nid = "x"\nstructure = "hybird"\n', ["scenarios[0].structure", "did you mean 'hybrid'"]),
    ('[[scenarios]]\nid = "base"\n', ["scenarios[0].id", "'base' is the base agency's name"]),
    ('[[scenarios]]\nid = "x"\n[[scenarios]]\nid = "x"\n', ["scenarios[1].id", "duplicate scenario id 'x'"]),
    ('[[scenarios]]\nid = "x"\nleave = "rui-almeida"\n', ["scenarios[0].leave", "expected a list"]),
]


@pytest.mark.parametrize(("body", "words"), BAD)
def test_bad_scenario_files_are_refused_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, words: list[str]
) -> None:
    path = write(tmp_path, f'base = "{BOUTIQUE.as_posix()}"\n{body}')
    for argv in (["scenarios", str(path)], ["validate", str(path)]):
        code, out, err = run(capsys, argv)
        assert code == 2, (argv, out, err)
        assert out == "" and "Traceback" not in err
        assert all(line.startswith(f"{path}: ") for line in err.splitlines()), err
        for word in words:
            assert word in err, (word, err)


def test_a_missing_base_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, 'base = "nowhere.toml"\n[[scenarios]]\nid = "x"\n')
    code, _, err = run(capsys, ["scenarios", str(path)])
    assert code == 2 and f"{path}: base: no such file" in err and "relative to the scenario file" in err


def test_validate_says_ok_for_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, ["validate", str(ROOT / "sample_agencies" / "midsize.scenarios.toml")])
    assert code == 0 and out.startswith("ok: 8 scenarios of ")


# --------------------------------------------------------------------------- running


def results_of(path: Path, executor) -> dict:
    loaded = scenario.load(path)
    options = SolveOptions(effort=0.5, workers=1)
    comparison = compare(loaded, run_jobs(jobs_of(loaded, options), executor))
    return {r.id: attrs.evolve(r, plan_file="") for r in comparison.rows} | {
        f"plan:{sid}": formats.dumps(attrs.evolve(plan, run=())) for sid, plan in comparison.plans
    }


def test_an_infeasible_scenario_is_explained_and_the_others_still_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, SMALL)
    out_dir = tmp_path / "plans"
    code, out, err = run(capsys, ["scenarios", str(path), *FAST, "--jobs", "2", "-o", str(out_dir)])
    assert code == 1, err
    lines = out.splitlines()
    impossible = next(i for i, line in enumerate(lines) if line.startswith("impossible "))
    assert "no plan" in lines[impossible]
    assert lines[impossible + 3].startswith("    no plan: ")
    assert any(line.startswith("frozen ") and "optimal" in line for line in lines)
    assert "leave: Rui Almeida (rui-almeida, pm level 3)" in out
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "base.plan.toml",
        "frozen.plan.toml",
        "senior-pm-leaves.plan.toml",
    ]
    code, _, _ = run(capsys, ["diff", str(out_dir / "base.plan.toml"), str(out_dir / "senior-pm-leaves.plan.toml")])
    assert code == 1  # they differ: a senior PM is gone


def test_one_process_and_two_give_the_same_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SMALL)
    outputs = []
    for jobs in ("1", "2"):
        code, out, _ = run(capsys, ["scenarios", str(path), *FAST, "--jobs", jobs, "--format", "json"])
        assert code == 1
        outputs.append(out)
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert [s["id"] for s in data["scenarios"]] == ["base", "frozen", "senior-pm-leaves", "impossible"]
    assert data["scenarios"][3]["structure"] is None and data["scenarios"][3]["explanation"]


@pytest.mark.parametrize("processes", [False, True])
def test_a_dask_cluster_gives_the_same_results_as_local_solves(tmp_path: Path, processes: bool) -> None:
    distributed = pytest.importorskip("distributed")
    path = write(tmp_path, SMALL)
    with ThreadPoolExecutor(1) as local:
        expected = results_of(path, local)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=processes, dashboard_address=":0"
        ) as cluster,
        cluster_executor(cluster.scheduler_address) as executor,
    ):
        assert results_of(path, executor) == expected


def test_the_command_on_a_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    path = write(tmp_path, SMALL)
    _, local, _ = run(capsys, ["scenarios", str(path), *FAST, "--jobs", "1"])
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    ) as c:
        code, remote, err = run(capsys, ["scenarios", str(path), *FAST, "--scheduler", c.scheduler_address])
    assert code == 1, err
    assert remote == local


def test_without_the_extra_or_the_scheduler_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, SMALL)
    monkeypatch.setattr(scenario_run, "CONNECT_TIMEOUT", 0.5)
    code, out, err = run(capsys, ["scenarios", str(path), "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2 and out == ""
    assert (
        err.startswith("structplan: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
        and len(err.splitlines()) == 1
    )
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ClusterError, match=r"pip install 'structplan\[cluster\]'"), cluster_executor("tcp://h:1"):
        pass
    code, _, err = run(capsys, ["scenarios", str(path), "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2 and "structplan[cluster]" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, ["scenarios", str(path), "--scheduler", "nonsense"])
    assert code == 2 and "expected tcp://HOST:PORT" in err


def test_output_dir_is_checked_before_solving(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SMALL)
    a_file = tmp_path / "a-file"
    a_file.write_text("mine")
    code, _, err = run(capsys, ["scenarios", str(path), "-o", str(a_file)])
    assert code == 2 and "is not a folder" in err and a_file.read_text() == "mine"
    code, _, err = run(capsys, ["scenarios", str(path), "-o", str(tmp_path / "no" / "such")])
    assert code == 2 and "no such folder" in err
    (tmp_path / "out" / "frozen.plan.toml").mkdir(parents=True)
    code, _, err = run(capsys, ["scenarios", str(path), "-o", str(tmp_path / "out")])
    assert code == 2 and "frozen.plan.toml: is a directory" in err
    notes = tmp_path / "mine" / "base.plan.toml"
    notes.parent.mkdir()
    notes.write_text("my notes, not a plan\n")
    code, _, err = run(capsys, ["scenarios", str(path), "-o", str(notes.parent)])
    assert code == 2 and "is not a plan file" in err and notes.read_text() == "my notes, not a plan\n"


def test_the_worked_example_of_the_docs_loads_and_shows_every_key(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- full example: scenarios -->\n```toml\n(.*?)^```", doc, re.S | re.M)
    assert found is not None
    shutil.copy(BOUTIQUE, tmp_path / "boutique.toml")
    shutil.copy(ROOT / "layouts" / "hybrid.toml", tmp_path / "my-hybrid.toml")
    path = write(tmp_path, found.group(1))
    loaded = scenario.load(path)
    assert len(loaded.scenarios) == 4
    data = tomllib.loads(found.group(1))
    assert {f.name for f in attrs.fields(scenario.ScenarioFile)} <= set(data)
    written = {key for s in data["scenarios"] for key in s}
    assert {f.name for f in attrs.fields(Scenario)} <= written
    for cls, key in ((LeaveByRole, "leave_by_role"), (Scale, "scale")):
        shown = {k for s in data["scenarios"] for entry in s.get(key, []) for k in entry}
        assert {f.name for f in attrs.fields(cls)} <= shown, key
    shown = {k for s in data["scenarios"] for k in s.get("policy", {})}
    assert {f.name for f in attrs.fields(PolicyChange)} <= shown
