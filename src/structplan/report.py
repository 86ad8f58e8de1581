"""`structplan show`: a plan as a report an ops director reads, in text, markdown or json.

Summary first (structure, status, reason, comparison, cost, headcount, hires, warnings), then
accounts, people and mentoring, so a 300-account plan still opens with what matters.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from typing import Any

from structplan import formats
from structplan.model import Plan

BAR = 10


def _money(value: int, currency: str) -> str:
    return f"{value:,} {currency}"


def _status(plan: Plan) -> str:
    s = plan.solver
    if s.status == "optimal":
        return "optimal: no cheaper plan exists under these rules"
    if s.status == "feasible":
        return (f"best found within the time limit; at most {s.gap:.1%} above the best possible "
                f"(bound {s.bound:,})")
    return s.status


def bar(utilization: float, width: int = BAR) -> str:
    """A utilization bar such as `███████░░░`."""
    full = max(0, min(width, round(utilization * width)))
    return "█" * full + "░" * (width - full)


def _table(rows: list[list[str]], head: list[str], right: set[int] = frozenset()) -> list[str]:  # type: ignore[assignment]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(head), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _sections(plan: Plan) -> list[tuple[str, list[str], list[list[str]], set[int]] | tuple[str, list[str]]]:
    """The report as (title, header, rows, right-aligned columns) or (title, lines)."""
    cur = plan.currency
    out: list[Any] = []
    out.append(("Summary", [
        f"agency     {plan.agency}",
        f"structure  {plan.structure} (layout {plan.layout})",
        f"status     {_status(plan)}",
        *([f"reason     {plan.reason}"] if plan.reason else []),
    ]))
    if plan.comparison:
        rows = [[r.structure, r.status, f"{r.cost:,}" if r.cost else "-", f"{r.objective:,}" if r.cost else "-",
                 str(r.hires), f"{r.utilization:.0%}", str(r.warnings), f"{r.gap:.1%}"] for r in plan.comparison]
        out.append(("Structures compared", ["structure", "status", f"cost {cur}", "objective", "hires",
                                             "mean util.", "warnings", "gap"], rows, {2, 3, 4, 5, 6, 7}))
    c = plan.cost
    lines = [f"staff         {_money(c.staff, cur):>18}", f"hires         {_money(c.hires, cur):>18}",
             f"coordination  {_money(c.coordination, cur):>18}", f"total         {_money(c.total, cur):>18}"]
    if c.penalties:
        lines.append("penalties paid in the objective: " + ", ".join(f"{k} {v:,}" for k, v in c.penalties))
    out.append(("Cost (a year)", lines))
    if plan.headcount:
        out.append(("Headcount by role", ["role", "people"], [[r, str(n)] for r, n in plan.headcount], {1}))
    if plan.hires:
        out.append(("Hires", ["id", "position", "role", "level", f"cost {cur}"],
                    [[h.id, h.name, h.role, str(h.level), f"{h.cost:,}"] for h in plan.hires], {3, 4}))
    if plan.warnings:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for w in plan.warnings:
            by_kind[w.kind].append(w.message)
        lines = []
        for kind in sorted(by_kind):
            lines.append(f"{kind} ({len(by_kind[kind])})")
            lines += [f"  - {m}" for m in by_kind[kind]]
        out.append(("Warnings", lines))
    rows = []
    for a in plan.accounts:
        contact = f"{a.contact.strategy} / {a.contact.updates}" if a.contact else ""
        coverage = ", ".join(f"{cv.project}: {cv.person} {cv.hours} h" for cv in a.coverage)
        rows.append([a.id, a.mode, a.lead, str(a.lead_hours), contact, coverage])
    out.append(("Accounts", ["account", "mode", "lead", "lead h", "strategy / updates", "projects"], rows, {3}))
    rows = [[p.id, p.role, f"{p.hours}/{p.capacity}", f"{bar(p.utilization)} {p.utilization:4.0%}",
             ", ".join(p.accounts)] for p in plan.people]
    out.append(("People", ["person", "role", "hours", "utilization", "accounts"], rows, {2}))
    if plan.mentoring:
        out.append(("Mentoring", ["mentor", "mentee"], [[m.mentor, m.mentee] for m in plan.mentoring], set()))
    return out


def render_text(plan: Plan) -> str:
    """The plan as plain text."""
    lines: list[str] = []
    for sec in _sections(plan):
        lines.append(sec[0])
        lines.append("=" * len(sec[0]))
        if len(sec) == 2:
            lines += sec[1]
        else:
            lines += _table(sec[2], sec[1], sec[3])
        lines.append("")
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def render_markdown(plan: Plan) -> str:
    """The plan as markdown, tables as tables."""
    lines = [f"# Staffing plan: {plan.agency}", ""]
    for sec in _sections(plan):
        lines += [f"## {sec[0]}", ""]
        if len(sec) == 2:
            lines += [f"- {_md_cell(x.strip())}" if not x.startswith("  ") else f"  - {_md_cell(x.strip()[2:])}"
                      for x in sec[1]]
        else:
            head, rows, right = sec[1], sec[2], sec[3]
            lines.append("| " + " | ".join(head) + " |")
            lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|")
            lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
        lines.append("")
    return "\n".join(lines)


def to_json(plan: Plan) -> dict[str, Any]:
    """The plan as json data: the same structure as the plan file."""
    return formats.to_data(plan)


def run(args: argparse.Namespace) -> int:
    """`structplan show PLAN [--format text|markdown|json]`."""
    plan = formats.load_plan(args.plan)
    if args.format == "json":
        json.dump(to_json(plan), sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(plan))
    else:
        sys.stdout.write(render_text(plan))
    return 0
