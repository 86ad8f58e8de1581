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
