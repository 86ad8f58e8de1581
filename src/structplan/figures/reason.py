"""The checks of a plan's reason: every figure it quotes, against the plan's own rows."""

from __future__ import annotations

import re

from structplan.figures.common import (
    GAP_SAID,
    Found,
    _money,
    stated_terms,
)
from structplan.model import (
    NOT_TRIED,
    STRUCTURES,
    TERM_WORDS,
    UNPROVEN,
    Plan,
)

_NUM = r"\d{1,3}(?:,\d{3})+|\d+"
_WORD_TERM = {words: label for label, words in TERM_WORDS.items()}


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _pct(gap: float) -> str:
    return f"{gap:.1%}"


def _quoted_terms(text: str, currency: str) -> list[tuple[str, int]] | None:
    """'14,760 EUR of generalists running complex execution, ...' as (label, amount); None if unreadable."""
    out = []
    for item in text.split(", "):
        m = re.fullmatch(rf"({_NUM}) {re.escape(currency)} of (.+)", item)
        if m is None or m.group(2) not in _WORD_TERM:
            return None
        out.append((_WORD_TERM[m.group(2)], _int(m.group(1))))
    return out


def reason_problems(plan: Plan) -> Found:
    """Every figure the reason quotes that the plan's fields do not justify."""
    text = plan.reason.strip()
    if not text:
        return []
    out: Found = []
    at = "plan.reason"
    cur = re.escape(plan.currency)
    s = plan.solver
    mine = stated_terms(plan)
    paid = sorted(((k, v) for k, v in mine.items() if v), key=lambda kv: (-kv[1], kv[0]))
    rows = {r.structure: r for r in plan.comparison}
    solved = {k: r for k, r in rows.items() if r.status in ("optimal", "feasible")}
    named: set[str] = set()
    said = {"gap": False, "clock": False}
    parts = text.removesuffix(".").split("; ")
    head = parts[0]
    m = re.match(r"(\w+) (is the cheapest structure compared|has the lowest cost with its penalties)\. ", head)
    if m is not None:
        head = head[m.end() :]
        others = [r.cost for k, r in solved.items() if k != plan.structure]
        cheapest = all(plan.cost.total <= c for c in others)
        if m.group(1).lower() != plan.structure:
            out.append(f"{at}: names {m.group(1)}, the plan is {plan.structure}")
        if m.group(2).startswith("is the cheapest") and not cheapest:
            out.append(f"{at}: says {plan.structure} is the cheapest, but a compared structure has a lower cost")
        if m.group(2).startswith("has the lowest") and cheapest and others:
            out.append(f"{at}: says a compared structure costs less, but {plan.structure}'s cost.total is the lowest")
    for k, part in enumerate([head, *parts[1:]]):
        if k == 0:
            h = re.fullmatch(rf"(\w+): ({_NUM}) {cur} a year on top of the ({_NUM}) {cur} payroll \((.*)\)", part)
            if h is not None:
                if h.group(1).lower() != plan.structure:
                    out.append(f"{at}: names {h.group(1)}, the plan is {plan.structure}")
                if _int(h.group(2)) != s.objective:
                    out.append(
                        f"{at}: quotes {h.group(2)} a year on top of the payroll, "
                        f"solver.objective is {_money(s.objective)}"
                    )
                if _int(h.group(3)) != plan.cost.staff:
                    out.append(f"{at}: quotes a payroll of {h.group(3)}, cost.staff is {_money(plan.cost.staff)}")
                inner = h.group(4)
                if inner == "nothing beyond the payroll":
                    if paid:
                        out.append(f"{at}: says nothing beyond the payroll, the plan pays {_money(s.objective)}")
                    continue
                quoted = _quoted_terms(inner, plan.currency)
                if quoted is None:
                    out += _loose(at, inner, plan)
                    continue
                for label, amount in quoted:
                    if amount != mine.get(label, 0):
                        out.append(
                            f"{at}: quotes {_money(amount)} of {TERM_WORDS[label]}, the plan's {label} is "
                            f"{_money(mine.get(label, 0))}"
                        )
                if [label for label, _ in quoted] != [label for label, _ in paid[:4]] and all(
                    amount == mine.get(label, 0) for label, amount in quoted
                ):
                    out.append(
                        f"{at}: names {', '.join(lb for lb, _ in quoted)}, the largest parts the plan pays are "
                        f"{', '.join(lb for lb, _ in paid[:4])}"
                    )
                continue
        g = re.fullmatch(r"this figure is not proven optimal \(gap ([\d.]+)%\)", part)
        if g is not None:
            said["gap"] = True
            if s.gap <= GAP_SAID or g.group(1) + "%" != _pct(s.gap):
                out.append(f"{at}: quotes a gap of {g.group(1)}%, solver.gap is {s.gap} ({_pct(s.gap)})")
            continue
        if part == "the search was stopped by the clock before its effort was spent: a rerun may differ":
            said["clock"] = True
            if s.stopped != "clock":
                out.append(f"{at}: says the clock stopped the search, solver.stopped is {s.stopped!r}")
            continue
        f = re.fullmatch(r"(\d+) hires?, (\d+) warnings?", part)
        if f is not None:
            if int(f.group(1)) != len(plan.hires):
                out.append(f"{at}: quotes {f.group(1)} hires, the plan has {len(plan.hires)}")
            if int(f.group(2)) != len(plan.warnings):
                out.append(f"{at}: quotes {f.group(2)} warnings, the plan states {len(plan.warnings)}")
            continue
        n = re.fullmatch(r"(\w+) has no plan \((\w+)\)(?:: (.*))?", part)
        if n is not None:
            named.add(n.group(1))
            row = rows.get(n.group(1))
            if row is None or row.status != n.group(2) or n.group(2) not in ("infeasible", "unknown"):
                have = "no comparison row" if row is None else f"its comparison row is {row.status}"
                out.append(f"{at}: says {n.group(1)} has no plan ({n.group(2)}), {have}")
            elif n.group(3) is not None and (n.group(2) != "unknown" or n.group(3) not in UNPROVEN.values()):
                said_why = n.group(3)
                out.append(
                    f"{at}: says of {n.group(1)} ({n.group(2)}) {said_why!r}, which is no reason the solver gives"
                )
            continue
        t = re.fullmatch(r"(\w+) was not tried: (.*)", part)
        if t is not None:
            named.add(t.group(1))
            row = rows.get(t.group(1))
            if row is None or row.status != "not_tried":
                have = "no comparison row" if row is None else f"its comparison row is {row.status}"
                out.append(f"{at}: says {t.group(1)} was not tried, {have}")
            elif t.group(2) not in NOT_TRIED.values():
                out.append(f"{at}: says of {t.group(1)} {t.group(2)!r}, no reason the solver gives")
            continue
        a = re.fullmatch(
            rf"(\w+(?: and \w+)*) (?:would (?:each )?cost ({_NUM}) {cur} more a year|ties?)"
            rf"(?:: (?:it|they) would (?:save (.*?)(?: but pay (.*) more)?|pay (.*) more))?"
            r"(?: \(its figure is not proven: gap ([\d.]+)%\))?",
            part,
        )
        if a is not None and all(x in STRUCTURES for x in a.group(1).split(" and ")):
            out += _alternative(at, a, plan, rows, named, mine)
            continue
        out += _loose(at, part, plan)
    if s.gap > GAP_SAID and not said["gap"] and s.status in ("optimal", "feasible"):
        out.append(f"{at}: does not say the figure is not proven (solver.gap {s.gap})")
    if s.stopped == "clock" and not said["clock"]:
        out.append(f"{at}: does not say that the clock stopped the search")
    for structure in rows:
        if structure != plan.structure and structure not in named and structure in STRUCTURES:
            out.append(f"{at}: says nothing of {structure}, which the comparison holds")
    return out


def _alternative(at: str, a: re.Match[str], plan: Plan, rows: dict, named: set[str], mine: dict[str, int]) -> Found:
    out: Found = []
    cur = plan.currency
    diff = _int(a.group(2)) if a.group(2) else 0
    saves = _quoted_terms(a.group(3), cur) if a.group(3) else []
    pays_text = a.group(4) or a.group(5)
    pays = _quoted_terms(pays_text, cur) if pays_text else []
    for structure in a.group(1).split(" and "):
        named.add(structure)
        row = rows.get(structure)
        if row is None or structure == plan.structure:
            out.append(f"{at}: compares {structure}, which has no row in the comparison")
            continue
        if row.objective - plan.solver.objective != diff:
            out.append(
                f"{at}: says {structure} would cost {_money(diff)} more, its comparison row gives "
                f"{_money(row.objective)} - {_money(plan.solver.objective)} = "
                f"{_money(row.objective - plan.solver.objective)}"
            )
        said_gap = a.group(6)
        if row.gap > GAP_SAID and (said_gap is None or said_gap + "%" != _pct(row.gap)):
            out.append(f"{at}: {structure}'s gap is {_pct(row.gap)} (comparison), the reason says {said_gap or 'none'}")
        elif row.gap <= GAP_SAID and said_gap is not None:
            out.append(f"{at}: quotes a gap of {said_gap}% for {structure}, its comparison row has {row.gap}")
    if saves is None or pays is None:
        return out + _loose(at, a.group(0), plan)
    for label, amount in saves:
        if amount > mine.get(label, 0):
            out.append(
                f"{at}: says an alternative would save {_money(amount)} of {TERM_WORDS[label]}, the plan pays "
                f"{_money(mine.get(label, 0))} of it"
            )
    if sum(v for _, v in pays) - sum(v for _, v in saves) != diff:
        out.append(
            f"{at}: what {a.group(1)} would pay ({_money(sum(v for _, v in pays))}) less what it would save "
            f"({_money(sum(v for _, v in saves))}) is not the {_money(diff)} it would cost more"
        )
    return out


def _loose(at: str, text: str, plan: Plan) -> Found:
    """Numbers in free text: each must be a figure of the plan."""
    s = plan.solver
    known = {s.objective, s.bound, plan.cost.staff, plan.cost.total, len(plan.hires), len(plan.warnings)}
    known |= set(stated_terms(plan).values())
    for r in plan.comparison:
        known |= {r.objective, r.cost, r.hires, r.warnings, r.objective - s.objective}
    gaps = {_pct(s.gap)} | {_pct(r.gap) for r in plan.comparison}
    out: Found = []
    for m in re.finditer(rf"({_NUM})(\.\d+)?(%?)", text):
        if m.group(3):
            if m.group(0) not in gaps:
                out.append(f"{at}: quotes {m.group(0)}, which is no gap of the plan")
        elif m.group(2) is None and _int(m.group(1)) not in known:
            out.append(f"{at}: quotes {m.group(1)}, which no figure of the plan gives")
    return out
