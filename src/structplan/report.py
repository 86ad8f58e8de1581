"""`structplan show`: a plan as a report an ops director reads, in text, markdown or json.

The summary comes first (structure, status, reason, the structures compared, cost, headcount,
hires, warnings), then the detail (accounts and their project coverage, people, mentoring), so a
plan of 300 accounts still opens with what matters and its detail stays greppable by id.
Text and markdown are rendered from the same sections; json is the plan file's own data.
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from typing import Any

import attrs

from structplan import formats
from structplan.model import MODES, WARNING_KINDS, Plan, WarningKind
from structplan.names import Names
from structplan.words import mode_words, plural

#: Width of a utilization bar, in characters.
BAR = 10
#: Width the text report wraps long values (the reason) to; fixed so the output never depends
#: on the terminal.
WIDTH = 100

#: Section titles of the warning kinds (docs/rules.md: pitfalls).
WARNING_TITLES: dict[WarningKind, str] = {
    "accountability_gap": "Accountability gaps",
    "redundant_communication": "Redundant communication",
    "role_friction": "Role friction",
    "overload": "Overload",
    "unused": "Unused people",
}

# --------------------------------------------------------------------------- building blocks


@attrs.frozen
class Fields:
    """Label: value lines (a bullet list in markdown)."""

    rows: tuple[tuple[str, str], ...]


@attrs.frozen
class Table:
    """A table; `right` holds the indexes of right-aligned (numeric) columns."""

    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: frozenset[int] = frozenset()


@attrs.frozen
class Groups:
    """Titled lists of messages (warnings by kind)."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]


@attrs.frozen
class Note:
    """A sentence."""

    text: str


Block = Fields | Table | Groups | Note


@attrs.frozen
class Section:
    """One titled part of the report."""

    title: str
    blocks: tuple[Block, ...]


# --------------------------------------------------------------------------- wording


def money(value: int, currency: str) -> str:
    """An amount with thousands separators and its currency: `791,000 EUR`."""
    return f"{value:,} {currency}"


def percent(share: float) -> str:
    """A share as a percentage with one decimal; a tiny positive share is not rounded to 0."""
    if 0 < share < 0.0005:
        return "less than 0.1%"
    return f"{share:.1%}"


def status_line(plan: Plan) -> str:
    """How good the plan is, in words; a merely feasible plan says how far from the best it may be."""
    s = plan.solver
    cur = plan.currency
    if s.status == "optimal":
        return "optimal: no cheaper plan exists under these rules"
    if s.status == "feasible":
        if s.stopped == "effort" and s.effort:
            within = f"within its effort ({s.effort:g} deterministic s)"
        elif s.stopped == "user":
            within = "before the search was stopped"
        else:
            within = f"within the {s.time_limit:g} s time limit" if s.time_limit else "within the time limit"
        head = f"feasible, not proven optimal: the best found {within}"
        if s.bound <= 0 < s.objective:
            return (
                f"{head}; no lower bound was proven, so how far it is from the best possible is not known "
                f"(objective {money(s.objective, cur)})"
            )
        return (
            f"{head}; at most {percent(s.gap)} above the best possible "
            f"(objective {money(s.objective, cur)}, proven bound {money(s.bound, cur)})"
        )
    if s.status == "hand":
        return "written by hand, not by the solver: verify it with `structplan check PLAN AGENCY`"
    if s.status == "infeasible":
        return "infeasible: no plan satisfies every rule"
    if s.status == "unknown":
        return "unknown: the solver neither found a plan nor proved that none exists"
    return s.status


def bar(utilization: float, width: int = BAR, unicode: bool = True) -> str:
    """A utilization bar such as `████████░░` for 0.82 (capped at full)."""
    full = max(0, min(width, round(utilization * width)))
    on, off = ("█", "░") if unicode else ("#", ".")
    return on * full + off * (width - full)


# --------------------------------------------------------------------------- sections


def sections(plan: Plan, unicode: bool = True) -> list[Section]:
    """The report as sections, summary first; text and markdown render these."""
    names = Names.of_plan(plan)
    out = [_summary(plan, names)]
    if plan.comparison:
        out.append(_comparison(plan))
    out.append(_cost(plan))
    if plan.headcount:
        total = sum(n for _, n in plan.headcount)
        rows = [(role, str(n)) for role, n in plan.headcount] + [("total", str(total))]
        out.append(Section("Headcount by role", (Table(("role", "people with work"), tuple(rows), frozenset({1})),)))
    if plan.staffing:
        out.append(_staffing(plan))
    if plan.hires:
        out.append(_hires(plan))
    if plan.surplus:
        out.append(_surplus(plan, names))
    if plan.warnings:
        out.append(_warnings(plan))
    if plan.accounts:
        out += _accounts(plan, names)
    if any(a.raci for a in plan.accounts):
        out.append(_raci(plan, names))
    if plan.people:
        out.append(_people(plan, names, unicode))
    if plan.mentoring:
        out.append(_mentoring(plan, names))
    if plan.run:
        figures = ", ".join(f"{k} {v:g}" for k, v in plan.run)
        out.append(Section("Run", (Note(f"{figures} (these vary from run to run; diff ignores them)"),)))
    return out


def _summary(plan: Plan, names: Names) -> Section:
    cur = plan.currency
    rows = [
        ("agency", plan.agency),
        ("structure", f"{plan.structure} (layout {plan.layout})"),
        ("status", status_line(plan)),
    ]
    if plan.reason:
        rows.append(("reason", plan.reason))
    hires = f"{plural(len(plan.hires), 'hire')} ({money(plan.cost.hires, cur)})" if plan.hires else "no hires"
    rows.append(("cost", f"{money(plan.cost.total, cur)} a year; {hires}"))
    if plan.accounts:
        modes = Counter(a.mode for a in plan.accounts)
        order = [m for m in MODES if m in modes] + sorted(m for m in modes if m not in MODES)
        split = ", ".join(f"{modes[m]} {mode_words(m)}" for m in order)
        rows.append(("accounts", f"{len(plan.accounts)}: {split}"))
    if plan.people:
        busy = [p for p in plan.people if p.hours > 0]
        line = f"{len(busy)} of {len(plan.people)} with work"
        if busy:
            mean = sum(p.utilization for p in busy) / len(busy)
            top = max(busy, key=lambda p: (p.utilization, [-ord(c) for c in p.id]))
            line += f"; mean utilization {mean:.0%}, highest {top.utilization:.0%} ({names.person(top.id)})"
        rows.append(("people", line))
    if plan.mentoring:
        mentors = len({m.mentor for m in plan.mentoring})
        rows.append(("mentoring", f"{plural(len(plan.mentoring), 'pair')}, {plural(mentors, 'mentor')}"))
    if plan.warnings:
        kinds = Counter(w.kind for w in plan.warnings)
        rows.append(
            (
                "warnings",
                f"{len(plan.warnings)}: "
                + ", ".join(f"{kinds[k]} {_kind_title(k).lower()}" for k in _kind_order(kinds)),
            )
        )
    else:
        rows.append(("warnings", "none"))
    s = plan.solver
    if s.status in ("optimal", "feasible"):
        limit = f"time limit {s.time_limit:g} s" if s.time_limit else "no time limit"
        rows.append(("solver", f"seed {s.seed}, {plural(s.workers, 'worker')}, {limit}"))
    return Section(f"Staffing plan for {plan.agency}: {plan.structure} structure", (Fields(tuple(rows)),))


def _comparison(plan: Plan) -> Section:
    cur = plan.currency
    rows = []
    for r in plan.comparison:
        solved = r.status in ("optimal", "feasible")
        name = f"{r.structure} (chosen)" if r.structure == plan.structure else r.structure
        if solved:
            rows.append(
                (
                    name,
                    r.status,
                    f"{r.cost:,}",
                    f"{r.objective:,}",
                    str(r.hires),
                    f"{r.utilization:.0%}",
                    str(r.warnings),
                    percent(r.gap),
                )
            )
        else:
            rows.append((name, r.status.replace("_", " "), "-", "-", "-", "-", "-", "-"))
    head = ("structure", "status", f"cost {cur}", f"objective {cur}", "hires", "mean util.", "warnings", "gap")
    return Section(
        "Structures compared",
        (
            Table(head, tuple(rows), frozenset(range(2, 8))),
            Note(
                "objective: what the solver minimized on top of the payroll (hires, hand-offs, trade-offs, penalties)"
            ),
        ),
    )


def _cost(plan: Plan) -> Section:
    cur = plan.currency
    c = plan.cost
    rows = [
        ("staff (payroll)", money(c.staff, cur)),
        ("hires", money(c.hires, cur)),
        ("coordination (hand-offs)", money(c.coordination, cur)),
        *((label.replace("_", " "), money(v, cur)) for label, v in c.tradeoffs),
        ("total", money(c.total, cur)),
    ]
    blocks: list[Block] = [Table(("item", "a year"), tuple(rows), frozenset({1}))]
    if c.penalties:
        pen = [(label, money(v, cur)) for label, v in c.penalties]
        pen.append(("total", money(sum(v for _, v in c.penalties), cur)))
        blocks.append(Note("Penalties paid for soft rules (in the solver's objective, not in the total):"))
        blocks.append(Table(("penalty", "amount"), tuple(pen), frozenset({1})))
    else:
        blocks.append(Note("No penalties paid for soft rules."))
    return Section("Cost", tuple(blocks))


def _hires(plan: Plan) -> Section:
    cur = plan.currency
    rows = [(h.id, h.name, h.option, h.role, str(h.level), f"{h.cost:,}") for h in plan.hires]
    rows.append(("total", "", "", "", "", f"{sum(h.cost for h in plan.hires):,}"))
    head = ("hire", "position", "hiring option", "role", "level", f"cost {cur}")
    return Section(f"Hires ({len(plan.hires)})", (Table(head, tuple(rows), frozenset({4, 5})),))


def _staffing(plan: Plan) -> Section:
    rows = tuple((s.role, str(s.on_staff), str(s.hired), str(s.with_work), f"{s.needed:g}") for s in plan.staffing)
    head = ("discipline", "on staff", "hired", "with work", "needed (FTE at target)")
    return Section("Headcount needed against on staff", (Table(head, rows, frozenset({1, 2, 3, 4})),))


def _surplus(plan: Plan, names: Names) -> Section:
    cur = plan.currency
    by_role: dict[str, list[int]] = {}
    for s in plan.surplus:
        by_role.setdefault(s.role, []).append(s.cost)
    rows = [(names.person(s.person), s.role, f"{s.utilization:.0%}", f"{s.cost:,}") for s in plan.surplus]
    rows += [(f"total {role}", f"{len(c)} people", "", f"{sum(c):,}") for role, c in sorted(by_role.items())]
    head = ("person", "discipline", "utilization", f"cost {cur}")
    note = Note(
        "People without work or below the policy's surplus floor: not to replace when they leave, "
        "or to move where work is short. A decision to take next to the hires."
    )
    return Section(f"Surplus capacity ({len(plan.surplus)})", (note, Table(head, tuple(rows), frozenset({2, 3}))))


def _kind_title(kind: str) -> str:
    for known, title in WARNING_TITLES.items():
        if known == kind:
            return title
    return kind.replace("_", " ").capitalize()


def _kind_order(kinds: Any) -> list[str]:
    known = [k for k in WARNING_KINDS if k in kinds]
    return known + sorted(k for k in kinds if k not in WARNING_KINDS)


def _warnings(plan: Plan) -> Section:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for w in plan.warnings:
        by_kind[w.kind].append(w.message)
    groups = tuple((f"{_kind_title(k)} ({len(by_kind[k])})", tuple(by_kind[k])) for k in _kind_order(by_kind))
    return Section(f"Warnings ({len(plan.warnings)})", (Groups(groups),))


def _accounts(plan: Plan, names: Names) -> list[Section]:
    rows = []
    cover = []
    for a in plan.accounts:
        strategy = names.person(a.contact.strategy) if a.contact else "-"
        updates = names.person(a.contact.updates) if a.contact else "-"
        project_hours = sum(c.hours for c in a.coverage)
        rows.append(
            (
                names.account(a.id),
                mode_words(a.mode),
                names.person(a.lead),
                str(a.lead_hours),
                strategy,
                updates,
                str(len(a.coverage)),
                str(project_hours),
            )
        )
        for c in a.coverage:
            who = names.person(c.person) + (" (lead)" if c.person == a.lead else "")
            cover.append((names.account(a.id), names.project(c.project), who, str(c.hours)))
    head = ("account", "mode", "lead", "lead h", "calls for strategy", "calls for updates", "projects", "project h")
    out = [
        Section(
            f"Accounts ({len(plan.accounts)})",
            (
                Table(head, tuple(rows), frozenset({3, 6, 7})),
                Note(
                    "lead h: the lead's yearly hours on the relationship (plus hand-offs in a split account); "
                    "the client calls the first person for strategy and the second for project updates."
                ),
            ),
        )
    ]
    if cover:
        out.append(
            Section(
                "Project coverage",
                (Table(("account", "project", "managed by", "hours"), tuple(cover), frozenset({3})),),
            )
        )
    return out


def _duty(duty: str) -> str:
    area, _, half = duty.rpartition("_")
    if half in ("pm", "am") and area:
        return f"{area} ({half.upper()} half)"
    return duty.replace("_", " ")


def _raci(plan: Plan, names: Names) -> Section:
    rows = []
    for a in plan.accounts:
        for i, r in enumerate(a.raci):
            rows.append(
                (
                    names.account(a.id) if i == 0 else "",
                    _duty(r.duty),
                    names.person(r.accountable) if r.accountable else "nobody",
                    names.persons(r.responsible) or "-",
                    names.persons(r.consulted) or "-",
                    names.persons(r.informed) or "-",
                )
            )
    head = ("account", "duty", "accountable", "responsible", "consulted", "informed")
    return Section(
        "RACI",
        (
            Note(
                "Who is accountable (one person), responsible, consulted and informed for each duty of each "
                "account; each PMP knowledge area is split into the half a PM holds and the half an AM holds."
            ),
            Table(head, tuple(rows)),
        ),
    )


def _people(plan: Plan, names: Names, unicode: bool) -> Section:
    rows = []
    for p in plan.people:
        utilization = f"{bar(p.utilization, unicode=unicode)} {p.utilization:4.0%}"
        rows.append(
            (
                names.person(p.id),
                p.role,
                f"{p.hours}/{p.capacity}",
                utilization,
                str(len(p.accounts)),
                ", ".join(names.account(a) for a in p.accounts) or "-",
            )
        )
    head = ("person", "role", "hours/capacity", "utilization", "accounts", "on")
    return Section(f"People ({len(plan.people)})", (Table(head, tuple(rows), frozenset({2, 4})),))


def _mentoring(plan: Plan, names: Names) -> Section:
    mentees: dict[str, list[str]] = defaultdict(list)
    for m in plan.mentoring:
        mentees[m.mentor].append(m.mentee)
    rows = tuple(
        (names.person(mentor), str(len(ms)), names.persons(ms))
        for mentor, ms in sorted(mentees.items(), key=lambda kv: (names.person(kv[0]), kv[0]))
    )
    return Section(
        f"Mentoring ({plural(len(plan.mentoring), 'pair')})",
        (Table(("mentor", "mentees", "who"), rows, frozenset({1})),),
    )


# --------------------------------------------------------------------------- text


def _text_table(t: Table) -> list[str]:
    widths = [max(len(x) for x in col) for col in zip(t.head, *t.rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in t.right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(t.head), line(tuple("-" * w for w in widths)), *(line(r) for r in t.rows)]


def _text_block(block: Block) -> list[str]:
    if isinstance(block, Fields):
        pad = max(len(k) for k, _ in block.rows) + 2
        lines = []
        for k, v in block.rows:
            lines += textwrap.wrap(
                v,
                WIDTH,
                initial_indent=k.ljust(pad),
                subsequent_indent=" " * pad,
                break_long_words=False,
                break_on_hyphens=False,
            ) or [k]
        return lines
    if isinstance(block, Table):
        return _text_table(block)
    if isinstance(block, Groups):
        lines = []
        for title, items in block.groups:
            lines.append(title)
            for item in items:
                lines += textwrap.wrap(
                    item,
                    WIDTH,
                    initial_indent="  - ",
                    subsequent_indent="    ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
        return lines
    return textwrap.wrap(block.text, WIDTH, break_long_words=False, break_on_hyphens=False)


def render_text(plan: Plan, unicode: bool = True) -> str:
    """The plan as plain text: summary first, then accounts, people and mentoring."""
    lines: list[str] = []
    for i, sec in enumerate(sections(plan, unicode)):
        lines += [sec.title, ("=" if i == 0 else "-") * len(sec.title)]
        for j, block in enumerate(sec.blocks):
            if j:
                lines.append("")
            lines += _text_block(block)
        lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- markdown


def _md(text: str) -> str:
    """Text safe inside a markdown table cell or list item."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_block(block: Block) -> list[str]:
    if isinstance(block, Fields):
        return [f"- **{k}**: {_md(v)}" for k, v in block.rows]
    if isinstance(block, Table):
        lines = [
            "| " + " | ".join(_md(h) for h in block.head) + " |",
            "|" + "|".join("---:" if i in block.right else "---" for i in range(len(block.head))) + "|",
        ]
        lines += ["| " + " | ".join(_md(c) if c else " " for c in row) + " |" for row in block.rows]
        return lines
    if isinstance(block, Groups):
        lines = []
        for title, items in block.groups:
            if lines:
                lines.append("")
            lines += [f"### {_md(title)}", ""] + [f"- {_md(item)}" for item in items]
        return lines
    return [_md(block.text)]


def render_markdown(plan: Plan) -> str:
    """The plan as markdown: the same sections as the text, tables as tables."""
    lines: list[str] = []
    for i, sec in enumerate(sections(plan)):
        lines += [f"{'#' if i == 0 else '##'} {_md(sec.title)}", ""]
        for block in sec.blocks:
            lines += _md_block(block)
            lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------- json and command


def to_json(plan: Plan) -> dict[str, Any]:
    """The plan as json data: exactly the tables and keys of the plan file (docs/formats.md)."""
    return formats.to_data(plan)
