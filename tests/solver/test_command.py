"""`structplan solve` as a process: Ctrl-C keeps the best plan, never a crash or a half file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_stops_cleanly_and_keeps_the_best_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.toml"
    proc = subprocess.Popen(
        [sys.executable, "-m", "structplan", "solve", str(ROOT / "sample_agencies" / "midsize.toml"),
         "--structure", "hybrid", "--time-limit", "120", "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(4)  # loading, the greedy plan and into the search
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert "Traceback" not in stderr and "terminate" not in stderr, stderr
    assert proc.returncode == 0, stderr
    assert "interrupted" in stderr
    from structplan.cli import main

    assert main(["check", str(out), str(ROOT / "sample_agencies" / "midsize.toml")]) == 0
    assert not list(tmp_path.glob("*.tmp*")), "no half-written file is left behind"
