"""A `PlanDiff` for a reader, as rich text in sections: summary, decisions, figures, warnings,
then the long lists.

`document(d)` builds the sections as data (`doc.Document`); the command prints them through
one rich `Console` (`render_text`), and the TUI shows the same sections as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from rich.text import Text

from structplan.diff.changes import AccountChange, AccountEntry, Figure, PersonChange, PlanDiff, ProjectChange
from structplan.diff.doc import Document, Part, Section, add, cat, head, join, rm, text, to_string
from structplan.model import E2E, SPLIT, Contact, MentoringPair, PlanWarning
from structplan.names import Names
from structplan.words import mode_words, plural

#: Lines of the text diff are continued on the next line past this width.
WIDTH = 100


def _h(before: int, after: int) -> str:
    return f"{after} h" if before == after else f"{before} -> {after} h"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _who(lead: str | None, n: Names) -> str:
    return n.person(lead) if lead else "nobody"


def _project_lines(projects: tuple[ProjectChange, ...], n: Names) -> list[Text]:
    """Coverage changes project by project, moves between the same two people grouped."""
    moved: dict[tuple[str, str], list[ProjectChange]] = defaultdict(list)
    out: list[tuple[str, Text]] = []
    for pc in projects:
        if len(pc.before) == 1 and len(pc.after) == 1:
            was, now = pc.before[0], pc.after[0]
            if was.person != now.person:
                moved[(was.person, now.person)].append(pc)
            else:
                out.append(
                    (pc.project, text(f"{n.project(pc.project)} {n.person(was.person)} {_h(was.hours, now.hours)}"))
                )
            continue
        before = {s.person: s.hours for s in pc.before}
        after = {s.person: s.hours for s in pc.after}
        parts: list[Part] = []
        for person in sorted(before.keys() | after.keys()):
            if person not in before:
                parts.append(add(f"+{n.person(person)} {after[person]} h"))
            elif person not in after:
                parts.append(rm(f"-{n.person(person)} {before[person]} h"))
            elif before[person] != after[person]:
                parts.append(f"{n.person(person)} {before[person]} -> {after[person]} h")
        out.append((pc.project, cat(f"{n.project(pc.project)} ", join(", ", parts))))
    for (from_person, to_person), group in moved.items():
        ids = ", ".join(n.project(pc.project) for pc in group)
        hours = _h(sum(pc.before[0].hours for pc in group), sum(pc.after[0].hours for pc in group))
        out.append(
            (
                group[0].project,
                cat(f"{ids} ", rm(n.person(from_person)), " -> ", add(n.person(to_person)), f" ({hours})"),
            )
        )
    return [line for _, line in sorted(out, key=lambda item: item[0])]


def _team(projects: tuple[ProjectChange, ...], n: Names) -> list[Text]:
    """Coverage changes of one account summed by person: who joins, who leaves, whose hours move."""
    before: dict[str, int] = defaultdict(int)
    after: dict[str, int] = defaultdict(int)
    for pc in projects:
        for s in pc.before:
            before[s.person] += s.hours
        for s in pc.after:
            after[s.person] += s.hours
    joins = [add(f"+{n.person(p)} {after[p]} h") for p in sorted(after.keys() - before.keys())]
    leaves = [rm(f"-{n.person(p)} {before[p]} h") for p in sorted(before.keys() - after.keys())]
    moves = [
        text(f"{n.person(p)} {before[p]} -> {after[p]} h")
        for p in sorted(before.keys() & after.keys())
        if before[p] != after[p]
    ]
    parts = joins + leaves + moves
    if projects and not parts:  # the same people and hours, projects traded between them
        lines = _project_lines(projects, n)
        return [cat("projects traded: ", lines[0]), *lines[1:]]
    return parts


def _decision(ch: AccountChange, today: bool, n: Names) -> Text:
    """Mode and lead of one account, in words."""
    hours = _h(ch.lead_hours.before, ch.lead_hours.after) if ch.lead_hours else ""
    if today and ch.lead:
        was = f"lead today {n.person(ch.lead.before)}" if ch.lead.before else "no lead today"
        return cat(f"{was} -> plan ", add(_who(ch.lead.after, n)))
    parts: list[Part] = []
    if ch.mode:
        mode = f"{mode_words(ch.mode.before)} -> {mode_words(ch.mode.after)}"
        if not ch.lead:
            how = "run by" if ch.mode.after == E2E else "led by"
            mode += f", {how} {n.person(ch.lead_now)}" + (f" (lead {hours})" if hours else "")
        parts.append(mode)
    if ch.lead:
        parts.append(
            cat(
                "lead ",
                rm(_who(ch.lead.before, n)),
                " -> ",
                add(_who(ch.lead.after, n)),
                f" ({hours})" if hours else "",
            )
        )
    return join("; ", parts)


def _entry_text(e: AccountEntry, n: Names) -> str:
    if e.mode is None:
        return f"lead today {n.person(e.lead)}" if e.lead else "no lead today"
    projects = ", ".join(f"{n.project(c.project)} {n.person(c.person)} {c.hours} h" for c in e.coverage)
    lead = n.person(e.lead) if e.lead else "nobody"
    return f"{mode_words(e.mode)}, lead {lead} {e.lead_hours} h" + (f"; {projects}" if projects else "")


def _person_lines(pc: PersonChange, width: int, n: Names) -> list[Text]:
    items: list[Text] = [text(f"role {pc.role.before} -> {pc.role.after};")] if pc.role else []
    lead_change = set(pc.leads_gained) | set(pc.leads_lost)
    items += [add(f"+{n.account(a)}" + (" (lead)" if a in lead_change else "")) for a in pc.gained]
    items += [rm(f"-{n.account(a)}" + (" (lead)" if a in lead_change else "")) for a in pc.lost]
    items += [add(f"now leads {n.account(a)}") for a in pc.leads_gained if a not in pc.gained]
    items += [rm(f"no longer leads {n.account(a)}") for a in pc.leads_lost if a not in pc.lost]
    load = _load(pc)
    if load:
        if items:
            items[-1] = cat(items[-1], ";")
        items.append(text(load))
    return _flow(text(f"  {n.person(pc.id).ljust(width)}  "), items, " ")


def _load(pc: PersonChange) -> str:
    bits = []
    if pc.hours:
        bits.append(f"{pc.hours.before} -> {pc.hours.after} h")
    if pc.capacity:
        bits.append(f"capacity {pc.capacity.before} -> {pc.capacity.after} h")
    if pc.utilization:
        bits.append(f"({_pct(pc.utilization.before)} -> {_pct(pc.utilization.after)})")
    return " ".join(bits)


def _wrap(items: list[str], indent: str, width: int = WIDTH) -> list[Text]:
    """Items joined with ", " in lines of about `width` characters."""
    lines: list[str] = []
    line = ""
    for item in items:
        if line and len(line) + len(item) + 2 > width:
            lines.append(line + ",")
            line = ""
        line = f"{line}, {item}" if line else indent + item
    if line:
        lines.append(line)
    return [text(line) for line in lines]


def _flow(first: Text, items: Sequence[Text], sep: str, width: int = WIDTH) -> list[Text]:
    """`first` followed by items joined with `sep`, continued under the first item past `width`."""
    indent = " " * len(first.plain)
    lines: list[Text] = []
    line, used = first.copy(), len(indent)
    for k, item in enumerate(items):
        size = len(item.plain)
        if k and used + len(sep) + size > width:
            lines.append(cat(line, sep.rstrip()))
            line, used = cat(indent, item), len(indent) + size
        elif k:
            line, used = cat(line, sep, item), used + len(sep) + size
        else:
            line, used = cat(line, item), used + size
    lines.append(line)
    return lines


def _signed(value: int | float | None, percent: bool = False) -> str:
    if value is None:
        return ""
    if percent:
        return f"{value * 100:+.1f} pts" if value else "0"
    return f"{value:+,}" if value else "0"


def _table(rows: list[tuple[str, ...]]) -> list[Text]:
    """Rows under a bold header row, the first column left-aligned, numbers right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for k, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))]
        line = "  ".join(cells).rstrip()
        out.append(head(line) if k == 0 else text(line))
    return out


def _figures_text(d: PlanDiff) -> list[Text]:
    """Cost, headcount and mean utilization: before, after and delta (against today: the plan's)."""
    known = d.baseline == "plan"

    def rows(title: str, figures: tuple[tuple[str, Figure], ...]) -> list[tuple[str, ...]]:
        if known:
            return [
                (title, "before", "after", "delta"),
                *(("  " + k, f"{f.before:,}", f"{f.after:,}", _signed(f.delta)) for k, f in figures),
            ]
        return [(title, "plan"), *(("  " + k, f"{f.after:,}") for k, f in figures)]

    cost = [*d.cost[:-1], *((f"  {k.replace('_', ' ')}", f) for k, f in d.tradeoffs), *d.cost[-1:]]
    lines = _table(rows(f"Cost a year ({d.currency})", tuple(cost)))
    if d.penalties:
        lines += [Text(), *_table(rows("Penalties (objective, not in the total)", d.penalties))]
    if d.headcount:
        lines += [Text(), *_table(rows("Headcount by role", d.headcount))]
    u = d.utilization
    lines.append(Text())
    if known:
        lines.append(
            cat(head("Mean utilization"), f"  {u.before:.1%} -> {u.after:.1%} ({_signed(u.delta, percent=True)})")
        )
    else:
        lines.append(cat(head("Mean utilization"), f"  {u.after:.1%}"))
    return lines


def _subject(w: PlanWarning, n: Names) -> str:
    if w.account:
        return n.account(w.account)
    return n.person(w.person) if w.person else w.message


def _warnings_text(d: PlanDiff, detail: bool) -> list[Text]:
    """Warnings by kind: new ones, resolved ones, and ones still there with other figures."""
    if detail:
        return [add(f"  + {w.kind}: {w.message}") for w in d.warnings_added] + [
            rm(f"  - {w.kind}: {w.message}") for w in d.warnings_resolved
        ]
    added = {(w.kind, w.account, w.person) for w in d.warnings_added}
    resolved = {(w.kind, w.account, w.person) for w in d.warnings_resolved}
    by_kind: dict[str, dict[str, list[Text]]] = defaultdict(lambda: defaultdict(list))
    changed_by_kind: dict[str, set[str]] = defaultdict(set)
    for w in d.warnings_added:
        key = (w.kind, w.account, w.person)
        if key in resolved:
            changed_by_kind[w.kind].add(_subject(w, d.names))
        else:
            by_kind[w.kind]["new"].append(add(f"+{_subject(w, d.names)}"))
    for w in d.warnings_resolved:
        if (w.kind, w.account, w.person) not in added:
            by_kind[w.kind]["resolved"].append(rm(f"-{_subject(w, d.names)}"))
    kinds = by_kind.keys() | changed_by_kind.keys()
    width = max((len(k) for k in kinds), default=0)
    lines = []
    for kind in sorted(kinds):
        groups = by_kind[kind]
        items = groups["new"] + groups["resolved"]
        changed = sorted(changed_by_kind[kind])
        if changed:
            items += [
                text("(still there, other figures:"),
                *(text(f"{c},") for c in changed[:-1]),
                text(f"{changed[-1]})"),
            ]
        lines += _flow(text(f"  {kind.ljust(width)}  "), items, " ")
    return lines


def render_text(d: PlanDiff, color: bool = False, detail: bool = False) -> str:
    """The diff for a reader (`document`) as the command prints it: ANSI colour when `color`."""
    return to_string(document(d, detail), color)


def document(d: PlanDiff, detail: bool = False) -> Document:
    """The diff for a reader, what matters first: a summary, the decisions (mode and lead,
    accounts added and removed, mentoring, hires), the figures and the warnings, then the long
    lists: PM coverage by account and people by person. `detail` lists coverage project by
    project, the client contacts and every warning message."""
    n = d.names
    today = d.baseline == "today"
    if today:
        top = f"structplan diff: today ({d.old_name}) -> plan {d.new_name} ({d.structure})"
    else:
        top = f"structplan diff: {d.old_name} -> {d.new_name}"
    out: list[Section] = []

    def note(key: str, line: str) -> None:
        out.append(Section(key, None, (text(line),), spaced=False))

    if d.equal and not today:
        note("equal", "no differences")
        return Document(head(top), tuple(out))

    def section(key: str, title: str, lines: Sequence[Part]) -> None:
        if lines:
            out.append(Section(key, head(title), tuple(text(line) for line in lines)))

    movers = [p for p in d.people_changed if p.accounts_changed]
    load_only = [p for p in d.people_changed if not p.accounts_changed]
    decisions = [a for a in d.accounts_changed if a.mode or a.lead]
    covered = [a for a in d.accounts_changed if a.projects or (a.lead_hours and not (a.mode or a.lead))]
    other = [a for a in d.accounts_changed if a not in decisions and a not in covered]
    if d.equal:
        note("equal", "no differences: the plan keeps every lead of today, with the same people and no hires")
    section("summary", "Summary", _summary(d, decisions, covered, movers))

    ids = [a.id for a in d.accounts_changed] + [a.id for a in d.accounts_added] + [a.id for a in d.accounts_removed]
    width = max((len(n.account(i)) for i in ids), default=0)

    def account(aid: str) -> str:
        return n.account(aid).ljust(width)

    lines: list[Part] = [cat(f"  {account(a.id)}  ", _decision(a, today, n)) for a in decisions]
    if today:
        relead, first = _today_leads(decisions)
        section(
            "leads",
            f"Leads: {plural(len(relead), 'account changes', 'accounts change')} lead",
            [cat(f"  {account(a.id)}  ", _decision(a, today, n)) for a in relead],
        )
        section(
            "new_clients",
            f"New clients: {plural(len(first), 'account gets', 'accounts get')} a first lead",
            [cat(f"  {account(a.id)}  ", _decision(a, today, n)) for a in first],
        )
        moves = [(a.id, pc) for a in d.accounts_changed for pc in a.projects]
        section(
            "pm_moves",
            f"PM moves: {plural(len(moves), 'project')} whose PM today does not manage it in the plan",
            [
                cat(
                    f"  {account(aid)}  {n.project(pc.project)}: today {n.person(pc.before[0].person)} -> plan ",
                    add(n.persons(s.person for s in pc.after) or "nobody"),
                )
                for aid, pc in moves
            ],
        )
        lines = [
            add(f"+ {account(e.id)}  in the plan, not in the agency: {_entry_text(e, n)}") for e in d.accounts_added
        ]
        lines += [
            rm(f"- {account(e.id)}  in the agency, not in the plan ({_entry_text(e, n)})") for e in d.accounts_removed
        ]
    else:
        section("decisions", f"Mode and lead: {plural(len(decisions), 'account')}", lines)
        lines = [add(f"+ {account(e.id)}  {_entry_text(e, n)}") for e in d.accounts_added]
        lines += [rm(f"- {account(e.id)}  {_entry_text(e, n)}") for e in d.accounts_removed]
    section("accounts", f"Accounts added and removed: +{len(d.accounts_added)} -{len(d.accounts_removed)}", lines)

    if today:
        section(
            "end_to_end",
            f"Run end to end in the plan: {plural(len(d.end_to_end), 'account')}",
            _wrap([f"{n.account(a)} ({n.person(lead)})" for a, lead in d.end_to_end], "  "),
        )
        section(
            "mentoring",
            f"Mentoring in the plan: {plural(len(d.mentoring_added), 'pair')}",
            _mentoring(d.mentoring_added, (), n),
        )
    else:
        section(
            "mentoring",
            f"Mentoring: {len(d.mentoring_added)} added, {len(d.mentoring_removed)} removed",
            _mentoring(d.mentoring_added, d.mentoring_removed, n),
        )
    hire_lines: list[Part] = [
        add(f"  + {h.id}  {h.name} ({h.role}, level {h.level}) {h.cost:,} {d.currency}") for h in d.hires_added
    ]
    hire_lines += [
        rm(f"  - {h.id}  {h.name} ({h.role}, level {h.level}) {h.cost:,} {d.currency}") for h in d.hires_removed
    ]
    if today:
        section("hires", f"Hires needed: {len(d.hires_added)}", hire_lines or ["  none"])
    else:
        section("hires", f"Hires: {len(d.hires_added)} added, {len(d.hires_removed)} removed", hire_lines)

    out.append(Section("figures", None, tuple(_figures_text(d))))
    if today:
        kinds: dict[str, int] = defaultdict(int)
        for w in d.warnings_added:
            kinds[w.kind] += 1
        listed = ", ".join(f"{k} {count}" for k, count in sorted(kinds.items()))
        section("warnings", f"Warnings in the plan: {len(d.warnings_added)}", [f"  {listed}"] if listed else [])
    else:
        section(
            "warnings",
            f"Warnings: {len(d.warnings_added)} added, {len(d.warnings_resolved)} resolved",
            _warnings_text(d, detail),
        )

    if not today:
        lines = []
        for a in covered:
            hours = (
                f"lead {_h(a.lead_hours.before, a.lead_hours.after)}" if a.lead_hours and not (a.mode or a.lead) else ""
            )
            if detail and a.projects:
                project_lines = _project_lines(a.projects, n)
                if hours:
                    project_lines.insert(0, text(hours))
                lines.append(cat(f"  {account(a.id)}  ", project_lines[0]))
                lines += [cat(" " * (width + 4), line) for line in project_lines[1:]]
            else:
                team = _team(a.projects, n)
                if hours:
                    team = [text(f"{hours};"), *team] if team else [text(hours)]
                sep = "; " if team and team[0].plain.startswith("projects traded") else ", "
                lines += _flow(text(f"  {account(a.id)}  "), team, sep)
        moved = sum(len(a.projects) for a in covered)
        section("coverage", f"PM coverage: {plural(len(covered), 'account')}, {plural(moved, 'project')}", lines)
        lines = []
        for a in d.accounts_changed:
            if a.contact and (detail or a in other):
                before = a.contact.before or Contact("", "")
                after = a.contact.after or Contact("", "")
                parts = [
                    f"{what} {_who(getattr(before, what), n)} -> {_who(getattr(after, what), n)}"
                    for what in ("strategy", "updates")
                    if getattr(before, what) != getattr(after, what)
                ]
                lines.append(f"  {account(a.id)}  client calls: {', '.join(parts)}")
            elif a.raci and a in other:
                lines.append(f"  {account(a.id)}  RACI changed: {', '.join(a.raci)}")
        section("contacts", "Client contacts and RACI", lines)

    ids = [p.id for p in movers] + [p.id for p in d.people_added] + [p.id for p in d.people_removed]
    width = max((len(n.person(i)) for i in ids), default=0)

    def person(pid: str) -> str:
        return n.person(pid).ljust(width)

    lines = [line for p in movers for line in _person_lines(p, width, n)]
    hires = {h.id for h in d.hires_added}
    for e in d.people_added:
        tag = "hire, " if e.id in hires else ""
        accounts = ", ".join(n.account(a) for a in e.accounts) or "no accounts"
        lines.append(add(f"+ {person(e.id)}  ({tag}{e.role}) {accounts}; {e.hours} h ({_pct(e.utilization)})"))
    for e in d.people_removed:
        if today:
            lines.append(rm(f"- {person(e.id)}  ({e.role}) on staff, not in the plan"))
        else:
            accounts = ", ".join(n.account(a) for a in e.accounts) or "no accounts"
            lines.append(rm(f"- {person(e.id)}  ({e.role}) {accounts}"))
    title = "People whose leads change" if today else "People whose accounts change"
    counts = (
        [str(len(movers))]
        + ([f"{len(d.people_added)} added"] if d.people_added else [])
        + ([f"{len(d.people_removed)} removed"] if d.people_removed else [])
    )
    section("people", f"{title}: {', '.join(counts)}", lines)
    if load_only:
        section(
            "hours",
            f"Hours change, same accounts: {len(load_only)}",
            _wrap([f"{n.person(p.id)} {_load(p)}" for p in load_only], "  "),
        )
    return Document(head(top), tuple(out))


def _today_leads(decisions: list[AccountChange]) -> tuple[list[AccountChange], list[AccountChange]]:
    """Against today: accounts whose lead changes, and accounts without a lead today."""
    relead = [a for a in decisions if a.lead is not None and a.lead.before is not None]
    first = [a for a in decisions if a.lead is not None and a.lead.before is None]
    return relead, first


def _summary(
    d: PlanDiff, decisions: list[AccountChange], covered: list[AccountChange], movers: list[PersonChange]
) -> list[Text]:
    """A few lines an ops director reads first."""
    lines: list[Text] = [cat(f"{name} ", rm(ch.before), " -> ", add(ch.after)) for name, ch in d.header]
    if len(lines) > 1 and [n for n, _ in d.header[:2]] == ["structure", "layout"]:
        lines[:2] = [cat(lines[0], f" (layout {d.header[1][1].before} -> {d.header[1][1].after})")]
    if d.baseline == "today":
        relead, first = _today_leads(decisions)
        moves = sum(len(a.projects) for a in d.accounts_changed)
        lines.append(
            text(
                f"{plural(len(relead), 'account changes', 'accounts change')} lead, "
                f"{plural(len(first), 'new client gets', 'new clients get')} a first lead"
                + (f", {plural(moves, 'project changes', 'projects change')} PM" if moves else "")
                + f"; {plural(len(movers), 'person', 'people')} gain or lose a lead; "
                f"{plural(len(d.hires_added), 'hire')} needed"
            )
        )
        modes = ", ".join(f"{n} {mode_words(m)}" for m, n in d.modes)
        total = dict(d.cost).get("total")
        lines.append(
            text(
                f"the plan ({d.structure}) runs {sum(n for _, n in d.modes)} accounts: {modes}; "
                f"it costs {total.after if total else 0:,} {d.currency} a year"
            )
        )
        return [cat("  ", line) for line in lines]
    to_e2e = sum(1 for a in decisions if a.mode and a.mode.after == E2E)
    to_split = sum(1 for a in decisions if a.mode and a.mode.after == SPLIT)
    leads = sum(1 for a in decisions if a.lead)
    parts = []
    if to_e2e:
        parts.append(f"{plural(to_e2e, 'account goes', 'accounts go')} end to end")
    if to_split:
        parts.append(f"{plural(to_split, 'account goes', 'accounts go')} back to split")
    if leads:
        parts.append(f"{plural(leads, 'account changes', 'accounts change')} lead")
    said: list[str] = []
    if parts:
        said.append("; ".join(parts))
    if covered:
        moved = sum(len(a.projects) for a in covered)
        said.append(f"PM coverage changes on {plural(len(covered), 'account')} ({plural(moved, 'project')})")
    if d.accounts_added or d.accounts_removed:
        said.append(f"accounts: {len(d.accounts_added)} added, {len(d.accounts_removed)} removed")
    people = f"{plural(len(movers), 'person changes', 'people change')} accounts"
    if d.people_added or d.people_removed:
        people += f"; people: {len(d.people_added)} added, {len(d.people_removed)} removed"
    said.append(people)
    said.append(
        f"mentoring pairs: {len(d.mentoring_added)} added, {len(d.mentoring_removed)} removed; "
        f"hires: {len(d.hires_added)} added, {len(d.hires_removed)} removed"
    )
    total = dict(d.cost).get("total")
    if total is not None and total.before is not None:
        u = d.utilization
        said.append(
            f"cost {_signed(total.delta)} {d.currency} a year ({total.before:,} -> {total.after:,}); "
            f"mean utilization {u.before:.1%} -> {u.after:.1%}"
        )
    said.append(f"warnings: {len(d.warnings_added)} added, {len(d.warnings_resolved)} resolved")
    return [cat("  ", line) for line in [*lines, *map(text, said)]]


def _mentoring(added: tuple[MentoringPair, ...], removed: tuple[MentoringPair, ...], n: Names) -> list[Text]:
    by_mentor: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for m in added:
        by_mentor[m.mentor].append((m.mentee, True))
    for m in removed:
        by_mentor[m.mentor].append((m.mentee, False))
    width = max((len(n.person(m)) for m in by_mentor), default=0)
    lines = []
    for mentor, items in sorted(by_mentor.items()):
        lines += _flow(
            text(f"  {n.person(mentor).ljust(width)}  mentors "),
            [add(f"+{n.person(who)}") if new else rm(f"-{n.person(who)}") for who, new in sorted(items)],
            " ",
        )
    return lines
