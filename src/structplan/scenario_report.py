"""A comparison of scenarios for a reader (text) and for scripts (json)."""

from __future__ import annotations

from typing import Any

from structplan.scenario_run import (
    Comparison,
    Row,
)
from structplan.solver.api import SolveOptions

#: Facts of a scenario without a plan shown under its row (json gives them all).
FACTS = 4


def _money(amount: int | None) -> str:
    return "-" if amount is None else f"{amount:,}"


def change_text(row: Row, base: int | None) -> str:
    """A row's cost against the base plan's, in money and share ("-" without one)."""
    if row.cost_change is None:
        return "-"
    pct = f" ({row.cost_change / base:+.1%})" if base else ""
    return f"{row.cost_change:+,}{pct}"


def status_text(row: Row) -> str:
    """A row's status as the comparison shows it: gap and clock when they matter."""
    if not row.structure:
        return "no plan" if row.status == "infeasible" else row.status
    text = row.status
    if row.status != "optimal" and row.gap is not None:
        text += f", gap {row.gap:.1%}"
    if row.stopped == "clock":
        text += ", stopped by the clock"
    return text


def render_text(c: Comparison, source: str, options: SolveOptions) -> str:
    """The comparison as a table, each scenario's notes and explanation under its row."""
    base = c.rows[0].cost if c.rows else None
    head = ("scenario", "structure", f"cost ({c.currency})", "vs base", "hires", "surplus", "leads moved", "warnings")
    cells = [
        (
            r.id,
            r.structure or "-",
            _money(r.cost),
            change_text(r, base),
            ", ".join(f"{role} {n}" for role, n in r.hires) or "-",
            str(r.surplus) if r.structure else "-",
            "-" if r.leads_changed is None else str(r.leads_changed),
            str(r.warnings) if r.structure else "-",
        )
        for r in c.rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(head)]
    numeric = {2, 3, 5, 6, 7}

    def line(values: tuple[str, ...], status: str) -> str:
        parts = [
            v.rjust(w) if i in numeric else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return ("  ".join(parts) + "  " + status).rstrip()

    out = [
        f"Scenarios of {c.agency} ({source}): {len(c.rows) - 1} scenarios and the base; seed {options.seed}, "
        f"effort {options.effort:g} per structure, {options.workers} worker{'s' if options.workers != 1 else ''} "
        "per solve",
        "",
        line(head, "status"),
    ]
    for r, values in zip(c.rows, cells, strict=True):
        out.append(line(values, status_text(r)))
        for note in (r.name if r.name not in (r.id, "base agency") else "", *r.notes):
            if note:
                out.append(f"    {note}")
        for fact in r.explanation[:FACTS]:
            out.append(f"    no plan: {fact}")
        if len(r.explanation) > FACTS:
            more = len(r.explanation) - FACTS
            out.append(f"    no plan: and {more} more fact{'s' if more != 1 else ''} (--format json lists every one)")
        if r.stopped == "clock":
            out.append("    the clock stopped the search before its effort was spent: a rerun may differ")
    written = [r.plan_file for r in c.rows if r.plan_file]
    if written:
        out += ["", f"plans written: {', '.join(written)}"]
    return "\n".join(out) + "\n"


def render_json(c: Comparison, source: str, options: SolveOptions) -> dict[str, Any]:
    """The comparison as data: the same figures as the text, one object per scenario."""
    return {
        "file": source,
        "agency": c.agency,
        "currency": c.currency,
        "options": {
            "effort": options.effort,
            "time_limit": options.time_limit,
            "seed": options.seed,
            "workers": options.workers,
        },
        "scenarios": [
            {
                "id": r.id,
                "name": r.name,
                "structure": r.structure or None,
                "cost": r.cost,
                "cost_change": r.cost_change,
                "hires": dict(r.hires),
                "surplus": r.surplus if r.structure else None,
                "leads_changed": r.leads_changed,
                "warnings": r.warnings if r.structure else None,
                "status": r.status,
                "gap": r.gap,
                "stopped": r.stopped or None,
                "notes": list(r.notes),
                "explanation": list(r.explanation),
                "plan_file": r.plan_file or None,
            }
            for r in c.rows
        ],
    }
