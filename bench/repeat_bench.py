"""Same bytes idle and under load: one solve on a quiet machine, the same solve while two busy
loops take both cores, and the two plans compared without their [run] table of timings.

    python bench/repeat_bench.py                                   # the mid-size sample, auto
    python bench/repeat_bench.py sample_agencies/large.toml --structure hybrid

Prints the wall time of each run, whether the plans are byte-identical, and what stopped each
search (`solver.stopped`): only a search that the clock stopped may differ.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _busy() -> None:
    while True:
        pass


def _solve(agency: str, extra: list[str], out: Path) -> tuple[float, str]:
    t = time.monotonic()
    cmd = [sys.executable, "-m", "structplan", "solve", agency, "-o", str(out), *extra]
    subprocess.run(cmd, check=True, capture_output=True)
    text = out.read_text(encoding="utf-8")
    return time.monotonic() - t, re.sub(r"\n\[run\]\n.*", "\n", text, flags=re.S)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("agency", nargs="?", default=str(ROOT / "sample_agencies" / "midsize.toml"))
    ap.add_argument("--keep", metavar="DIR", help="keep the two plans in this folder")
    args, extra = ap.parse_known_args()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or scratch
        Path(tmp).mkdir(parents=True, exist_ok=True)
        idle_s, idle = _solve(args.agency, extra, Path(tmp) / "idle.plan.toml")
        loops = [multiprocessing.Process(target=_busy, daemon=True) for _ in range(2)]
        for p in loops:
            p.start()
        try:
            busy_s, busy = _solve(args.agency, extra, Path(tmp) / "busy.plan.toml")
        finally:
            for p in loops:
                p.terminate()
    stopped = sorted(set(re.findall(r'^stopped = "(\w+)"', idle, re.M)))
    print(f"agency {args.agency} {' '.join(extra)}")
    print(f"idle {idle_s:.1f} s, under two busy loops {busy_s:.1f} s (ratio {busy_s / idle_s:.2f})")
    print(f"plans byte-identical without [run]: {'yes' if idle == busy else 'NO'}; stopped by: {', '.join(stopped)}")
    return 0 if idle == busy else 1


if __name__ == "__main__":
    sys.exit(main())
