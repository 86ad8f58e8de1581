"""Structure map: which staffing structure wins, across agency size and complexity mix.

    python bench/structure_map.py [--sizes 10,20,40,80,160,320,640,1000] [--mixes simple,mixed,complex]
                                  [--seed 1] [--effort 8] [--time-limit 60] [-o docs/structure_map.png]

For every (size, mix) cell the script generates an agency with ``bench/generate.py``
(``generate(accounts=size, people=2 x size, seed)``), solves it with the solver's default
settings (separate, hybrid and merged compared; 2 workers, ``--effort`` deterministic seconds
per structure, ``--time-limit`` wall-clock seconds for the whole solve, every structure
together) and records the winner, each structure's status, objective and proven gap, and the
wall time. Each cell runs in its own process (``--one SIZE MIX``), which prints one JSON line;
the parent prints those lines to stderr as they arrive, then a markdown table on stdout, and
draws a chart: x = size (accounts), y = mix, each cell coloured by the winning structure and
labelled with its name, with "*" when the winner's own figure is not proven within 1% (its
gap > 1%) and "?" when another structure was stopped with a proven bound more than 1% below
the winner's objective (that structure might still win with more time). "(= x)" marks a
structure x with exactly the winner's objective (the solver keeps the first in the order
separate, hybrid, merged).

What a mix does
---------------
A mix changes only the complexity of the generated projects. ``generate`` draws each
project's complexity 1..5 with the relative weights ``COMPLEXITY_WEIGHTS[tier]`` (tier 1:
8, 17, 30, 27, 18; tier 2: 18, 34, 32, 13, 3; tier 3: 40, 40, 17, 3, 0). For one cell the
script replaces that module constant, and puts the original back afterwards:

* ``simple``: every tier's weights multiplied element-wise by (3, 2, 1, 0.5, 0.25), then
  rescaled to the tier's original total (100): the draw shifts towards complexity 1-2.
* ``mixed``: the generator's weights unchanged.
* ``complex``: every tier's weights multiplied by (0.25, 0.5, 1, 2, 3), rescaled the same
  way: the draw shifts towards complexity 4-5.

A zero weight stays zero (tier 3 never draws complexity 5). Everything else (tier shares,
fees, people, leads, hiring options, policy) is the generator's default. The generator still
fits projects to the project staff (it may downgrade or drop complex projects), so the mix
moves the complexity the solver sees but does not set it exactly. If ``generate`` raises for
a cell, the cell is recorded as "not generated".

Drawing the chart needs matplotlib, which is not a dependency of the package. The solving
runs under whatever interpreter runs this script; matplotlib is imported only for drawing,
and when it is missing the script says so and still prints the table. The chart in
docs/structure_map.png was drawn from a separate virtual environment:

    python3 -m venv /tmp/mapvenv
    /tmp/mapvenv/bin/pip install matplotlib -r /work/main/requirements.lock
    PYTHONPATH=/work/main/src /tmp/mapvenv/bin/python bench/structure_map.py
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STRUCTURES = ("separate", "hybrid", "merged")
MIX_FACTORS: dict[str, tuple[float, ...] | None] = {
    "simple": (3, 2, 1, 0.5, 0.25),
    "mixed": None,
    "complex": (0.25, 0.5, 1, 2, 3),
}
COLOURS = {"separate": "#4C78A8", "hybrid": "#F2A541", "merged": "#54A24B"}
NOT_PROVEN = 0.01
TITLE = "Which structure wins (generated agencies, default settings)"


def mix_weights(base: dict[int, tuple[float, ...]], mix: str) -> dict[int, tuple[float, ...]]:
    """The complexity weights of a mix: each tier's weights times the mix's factors, same total."""
    factors = MIX_FACTORS[mix]
    if factors is None:
        return dict(base)
    out = {}
    for tier, weights in base.items():
        scaled = [w * f for w, f in zip(weights, factors, strict=True)]
        total = sum(scaled)
        out[tier] = tuple(round(s * sum(weights) / total, 3) for s in scaled)
    return out


def one(size: int, mix: str, seed: int, effort: float, limit: float) -> dict:
    """Generate and solve one cell; a dict for the JSON line."""
    sys.path.insert(0, str(HERE))
    import generate as generate_module
    from generate import generate

    from structplan.solver.api import SolveOptions, solve

    cell: dict = {"size": size, "people": 2 * size, "mix": mix, "seed": seed}
    original = generate_module.COMPLEXITY_WEIGHTS
    generate_module.COMPLEXITY_WEIGHTS = mix_weights(original, mix)
    try:
        agency = generate(size, 2 * size, seed)
    except Exception as exc:  # any refusal of the generator is "not generated"
        return cell | {"winner": None, "error": f"not generated: {type(exc).__name__}: {exc}"}
    finally:
        generate_module.COMPLEXITY_WEIGHTS = original
    complexities = [p.complexity for a in agency.accounts for p in a.projects]
    cell["projects"] = len(complexities)
    cell["mean_complexity"] = round(sum(complexities) / len(complexities), 2) if complexities else None
    t = time.monotonic()
    outcome = solve(agency, list(STRUCTURES), options=SolveOptions(time_limit=limit, effort=effort, workers=2))
    cell["wall_s"] = round(time.monotonic() - t, 1)
    cell["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    plan = outcome.plan
    if plan is None:
        return cell | {"winner": None, "error": "no plan: " + " ".join(outcome.explanation)[:300]}
    cell["winner"] = plan.structure
    cell["structures"] = {
        r.structure: {"status": r.status, "objective": r.objective, "cost": r.cost, "gap": r.gap}
        for r in plan.comparison
    }
    return cell


def run(size: int, mix: str, args: argparse.Namespace) -> dict:
    """One cell in its own process."""
    cmd = [sys.executable, __file__, "--one", str(size), mix, "--seed", str(args.seed)]
    cmd += ["--effort", str(args.effort), "--time-limit", str(args.time_limit)]
    t = time.monotonic()
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        last = res.stderr.strip().splitlines()[-1:] or [f"exit {res.returncode}"]
        cell = {"size": size, "mix": mix, "winner": None, "error": "error: " + last[0]}
    else:
        cell = json.loads(res.stdout.strip().splitlines()[-1])
    cell["process_s"] = round(time.monotonic() - t, 1)
    return cell


def ties(cell: dict) -> list[str]:
    """Other structures with the winner's objective (the solver keeps the first in its order)."""
    best = cell["structures"][cell["winner"]]["objective"]
    return [
        s
        for s, r in cell["structures"].items()
        if s != cell["winner"] and r["status"] in ("optimal", "feasible") and r["objective"] == best
    ]


def open_rivals(cell: dict) -> list[str]:
    """Structures whose proven bound is more than 1% below the winner's objective: they may still win."""
    best = cell["structures"][cell["winner"]]["objective"]
    return [
        s
        for s, r in cell["structures"].items()
        if s != cell["winner"]
        and r["status"] == "feasible"
        and r["objective"] * (1 - r["gap"]) < best * (1 - NOT_PROVEN)
    ]


def marks(cell: dict) -> str:
    """'*' when the winner's own figure is not proven within 1%, '?' when a rival may still win."""
    gap = winner_gap(cell)
    return ("*" if gap is not None and gap > NOT_PROVEN else "") + ("?" if open_rivals(cell) else "")


def winner_gap(cell: dict) -> float | None:
    if not cell.get("winner"):
        return None
    return cell["structures"].get(cell["winner"], {}).get("gap")


def table(cells: list[dict]) -> str:
    """The markdown table of every cell."""
    head = "| accounts (people) | mix | mean complexity | winner | " + " | ".join(STRUCTURES) + " | wall s |"
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    for c in cells:
        name = f"{c['size']} ({2 * c['size']})"
        if not c.get("winner"):
            lines.append(f"| {name} | {c['mix']} | - | {c.get('error', 'no plan')} |" + " |" * len(STRUCTURES) + " |")
            continue
        mark = marks(c)
        tie = "".join(f" (= {t})" for t in ties(c))
        parts = []
        for s in STRUCTURES:
            r = c["structures"].get(s)
            if r is None:
                parts.append("-")
            elif r["status"] in ("optimal", "feasible"):
                parts.append(f"{r['objective']:,} ({r['status']}, gap {r['gap']:.1%})")
            else:
                parts.append(r["status"])
        lines.append(
            f"| {name} | {c['mix']} | {c.get('mean_complexity', '-')} | **{c['winner']}**{mark}{tie} | "
            + " | ".join(parts)
            + f" | {c['wall_s']} |"
        )
    return "\n".join(lines)


def draw(cells: list[dict], sizes: list[int], mixes: list[str], out: Path, subtitle: str) -> bool:
    """The heatmap-style chart; False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch
    except ModuleNotFoundError:
        print("pip install matplotlib to draw the chart; the table is printed anyway", file=sys.stderr)
        return False
    by = {(c["size"], c["mix"]): c for c in cells}
    fig, ax = plt.subplots(figsize=(1.7 * len(sizes) + 2.2, 1.15 * len(mixes) + 1.9))
    for x, size in enumerate(sizes):
        for y, mix in enumerate(mixes):
            c = by.get((size, mix), {})
            w = c.get("winner")
            colour = COLOURS.get(w, "#DDDDDD") if w else "#DDDDDD"
            ax.add_patch(plt.Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="white", lw=3))
            if w:
                mark = marks(c)
                tie = "".join(f"\n(= {t})" for t in ties(c))
                label = f"{w}{mark}{tie}"
            else:
                label = "not generated" if "not generated" in c.get("error", "") else "no plan"
            ax.text(x, y, label, ha="center", va="center", fontsize=10, color="black")
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-0.5, len(mixes) - 0.5)
    ax.set_xticks(range(len(sizes)), [f"{s}\n({2 * s} people)" for s in sizes])
    ax.set_yticks(range(len(mixes)), mixes)
    ax.set_xlabel("agency size (accounts)")
    ax.set_ylabel("complexity mix")
    ax.set_title(TITLE + "\n" + subtitle, fontsize=11)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    handles = [Patch(facecolor=COLOURS[s], label=s) for s in STRUCTURES]
    handles.append(Patch(facecolor="white", edgecolor="white", label=f"*  winner's gap > {NOT_PROVEN:.0%}"))
    handles.append(Patch(facecolor="white", edgecolor="white", label=f"?  a rival's bound is > {NOT_PROVEN:.0%} lower"))
    handles.append(Patch(facecolor="white", edgecolor="white", label="(= x)  x ties the winner"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="winner")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=130)
    plt.close(fig)
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--sizes", default="10,20,40,80,160,320,640,1000", help="comma-separated account counts (people = 2 x)"
    )
    ap.add_argument("--mixes", default="simple,mixed,complex", help="comma-separated: simple, mixed, complex")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--effort", type=float, default=8.0, help="deterministic seconds per structure (default 8)")
    ap.add_argument("--time-limit", type=float, default=60.0, help="wall-clock seconds per solve (default 60)")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "structure_map.png")
    ap.add_argument("--one", nargs=2, metavar=("SIZE", "MIX"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        size, mix = args.one
        print(json.dumps(one(int(size), mix, args.seed, args.effort, args.time_limit)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    mixes = args.mixes.split(",")
    unknown = [m for m in mixes if m not in MIX_FACTORS]
    if unknown:
        ap.error(f"unknown mix {', '.join(unknown)} (choose from {', '.join(MIX_FACTORS)})")
    settings = f"seed {args.seed}, effort {args.effort:g}, clock {args.time_limit:g} s per solve, 2 workers"
    print(settings, file=sys.stderr)
    cells = []
    start = time.monotonic()
    for size in sizes:
        for mix in mixes:
            cell = run(size, mix, args)
            print(json.dumps(cell), file=sys.stderr, flush=True)
            cells.append(cell)
    print(f"total {time.monotonic() - start:.0f} s", file=sys.stderr)
    print(table(cells))
    draw(cells, sizes, mixes, args.output, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
