"""`structplan solve` as a process: Ctrl-C keeps the best plan, never a crash or a half file.

The test waits for the sign the command gives (`--progress lines` prints a line per report of
the search), never for the clock, so it holds on a machine ten times slower or faster.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from replicas import copies

from structplan import formats

ROOT = Path(__file__).resolve().parents[2]


def _replicate(k: int, target: Path) -> Path:
    formats.write_text_atomic(target, formats.dumps(copies("midsize", k)))
    return target


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
@pytest.mark.usefixtures("terminal_sigint")
def test_ctrl_c_stops_cleanly_and_keeps_the_best_plan(tmp_path: Path) -> None:
    # ten copies of the mid-size agency: a first plan comes fast, a proof of optimality never
    # within the time limit, so the signal always lands during the search
    agency = _replicate(10, tmp_path / "agency.toml")
    out = tmp_path / "plan.toml"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "structplan",
            "solve",
            str(agency),
            "--structure",
            "hybrid",
            "--time-limit",
            "600",
            "--progress",
            "lines",
            "-o",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:  # wait for the first plan the search reports
        seen.append(line)
        if re.match(r"progress: hybrid objective=\d+ ", line):
            break
    else:
        pytest.fail("the solve ended before it reported a plan: " + "".join(seen))
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=600)
    stderr = "".join(seen) + rest
    assert "Traceback" not in stderr and "terminate" not in stderr, stderr
    assert proc.returncode == 130, stderr
    assert "interrupted; keeping the best plan found so far" in stderr
    from structplan.cli import main

    assert main(["check", str(out), str(agency)]) == 0
    assert not list(tmp_path.glob("*.tmp*")), "no half-written file is left behind"


def test_progress_lines_are_plain_and_end_with_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.toml"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "structplan",
            "solve",
            str(ROOT / "sample_agencies" / "boutique.toml"),
            "--structure",
            "merged",
            "--progress",
            "lines",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines and all(line.startswith(("progress: merged ", "wrote ")) for line in lines), lines
    assert "\r" not in proc.stderr and "\033" not in proc.stderr
    assert re.search(r"progress: merged objective=\d+ bound=\d+ gap=0\.0000", proc.stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
@pytest.mark.usefixtures("terminal_sigint")
def test_ctrl_c_in_auto_exits_130_and_names_the_structures_never_tried(tmp_path: Path) -> None:
    import json

    out = tmp_path / "plan.toml"
    agency = ROOT / "sample_agencies" / "midsize.toml"
    command = [sys.executable, "-m", "structplan", "solve", str(agency), "--time-limit", "600"]
    proc = subprocess.Popen(
        [*command, "--progress", "lines", "--format", "json", "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:  # the first structure's first plan: the later ones have not started
        seen.append(line)
        if line.startswith("progress: separate objective="):
            break
    else:
        pytest.fail("the solve ended before it reported a plan: " + "".join(seen))
    proc.send_signal(signal.SIGINT)
    stdout, rest = proc.communicate(timeout=600)
    stderr = "".join(seen) + rest
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 130, stderr
    printed = json.loads(stdout)
    rows = {r["structure"]: r["status"] for r in printed["comparison"]}
    assert rows["merged"] == "not_tried", rows
    untried = [s for s, status in rows.items() if status == "not_tried"]
    assert f"keeping the best plan found so far; not tried: {', '.join(untried)}" in stderr
    for structure in untried:
        assert f"{structure} was not tried: the run was stopped before it started" in printed["plan"]["reason"]
    assert "infeasible" not in printed["plan"]["reason"]
    from structplan.cli import main

    assert main(["check", str(out), str(agency)]) == 0


def test_a_clock_without_time_for_a_structure_never_calls_it_infeasible(tmp_path: Path) -> None:
    # the first structure always starts; it takes more than the whole millisecond
    out = tmp_path / "plan.toml"
    agency = ROOT / "sample_agencies" / "midsize.toml"
    proc = subprocess.run(
        [sys.executable, "-m", "structplan", "solve", str(agency), "--time-limit", "0.001", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "the clock ran out before hybrid, merged could be tried" in proc.stderr
    plan = formats.load_plan(out)
    assert [(r.structure, r.status) for r in plan.comparison] == [
        ("separate", plan.solver.status),
        ("hybrid", "not_tried"),
        ("merged", "not_tried"),
    ]
    assert "hybrid was not tried: the clock ran out before it started" in plan.reason
    assert "infeasible" not in plan.reason
    from structplan.cli import main

    assert main(["check", str(out), str(agency)]) == 0


def test_json_on_an_agency_without_a_plan_explains_on_stdout(tmp_path: Path, capsys) -> None:
    import json

    import attrs

    agency = formats.load_agency(ROOT / "sample_agencies" / "boutique.toml")
    # nobody on staff may manage complexity-5 work, and nobody may be hired
    hard = tuple(
        attrs.evolve(a, projects=tuple(attrs.evolve(p, complexity=5) for p in a.projects)) for a in agency.accounts
    )
    path = tmp_path / "hard.toml"
    formats.write_text_atomic(path, formats.dumps(attrs.evolve(agency, accounts=hard, hiring=())))
    from structplan.cli import main

    assert main(["solve", str(path), "--format", "json", "--progress", "none"]) == 1
    captured = capsys.readouterr()
    printed = json.loads(captured.out)
    assert printed["plan"] is None and printed["interrupted"] is False
    assert printed["structures"] == [{"structure": s, "status": "infeasible"} for s in ("separate", "hybrid", "merged")]
    assert printed["explanation"] and all(line in captured.err for line in printed["explanation"])
    assert any(" projects need a level 3+ " in line for line in printed["explanation"])


def test_the_progress_bar_shows_the_time_elapsed_not_the_time_of_the_last_plan() -> None:
    from structplan.commands.solve import ProgressBar
    from structplan.solver.api import Progress

    now = [100.0]
    bar = ProgressBar(clock=lambda: now[0])
    assert bar.line().endswith("0.0 s elapsed ")
    now[0] = 103.0
    bar(Progress("hybrid", 52_000, 50_000, 0.0385, 2.5))  # found 2.5 s into the structure
    assert bar.line() == ("hybrid    objective       52,000  bound       50,000  gap   3.9%     3.0 s elapsed ")
    now[0] = 112.5  # no better plan since: the clock still moves
    assert bar.line().endswith("gap   3.9%    12.5 s elapsed ")


def test_the_progress_bar_of_structures_side_by_side_shows_the_cheapest_so_far() -> None:
    from structplan.commands.solve import ProgressBar
    from structplan.solver.api import Progress

    bar = ProgressBar(clock=lambda: 0.0)
    bar(Progress("separate", 60_000, 50_000, 0.1667, 1.0, together=True))
    bar(Progress("hybrid", 52_000, 50_000, 0.0385, 1.5, together=True))
    bar(Progress("merged", 90_000, 80_000, 0.1111, 2.0, together=True))  # the last report, not the cheapest
    assert bar.line().startswith("hybrid    objective       52,000  bound       50,000")
    bar(Progress("separate", 51_000, 50_000, 0.0196, 3.0, together=True))
    assert bar.line().startswith("separate  objective       51,000")
