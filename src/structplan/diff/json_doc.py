"""A `PlanDiff` as data for scripts (schema in docs/diff.md)."""

from __future__ import annotations

from typing import Any

import attrs

from structplan.diff.changes import SCHEMA, Change, Figure, PlanDiff, Staffing


def _json_change(ch: Change[Any] | None) -> dict[str, Any] | None:
    if ch is None:
        return None
    return {"before": _plain(ch.before), "after": _plain(ch.after)}


def _plain(value: Any) -> Any:
    """Records as dicts, tuples as lists: what json.dump writes."""
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _json_figure(f: Figure) -> dict[str, Any]:
    return {"before": f.before, "after": f.after, "delta": f.delta}


def _json_staffing(s: tuple[Staffing, ...]) -> list[dict[str, Any]]:
    return [{"person": x.person, "hours": x.hours} for x in s]


def to_json(d: PlanDiff) -> dict[str, Any]:
    """The diff as json data; the schema is documented in docs/diff.md."""
    return {
        "schema": SCHEMA,
        "old": d.old_name,
        "new": d.new_name,
        "baseline": d.baseline,
        "equal": d.equal,
        "structure": {name: _json_change(ch) for name, ch in d.header},
        "accounts": {
            "added": [_plain(e) for e in d.accounts_added],
            "removed": [_plain(e) for e in d.accounts_removed],
            "changed": [
                {
                    "id": a.id,
                    "mode": _json_change(a.mode),
                    "lead": _json_change(a.lead),
                    "lead_hours": _json_change(a.lead_hours),
                    "projects": [
                        {"project": p.project, "before": _json_staffing(p.before), "after": _json_staffing(p.after)}
                        for p in a.projects
                    ],
                    "contact": _json_change(a.contact),
                    "raci": list(a.raci),
                }
                for a in d.accounts_changed
            ],
        },
        "people": {
            "added": [_plain(e) for e in d.people_added],
            "removed": [_plain(e) for e in d.people_removed],
            "changed": [
                {
                    "id": p.id,
                    "role": _json_change(p.role),
                    "hours": _json_change(p.hours),
                    "capacity": _json_change(p.capacity),
                    "utilization": _json_change(p.utilization),
                    "gained": list(p.gained),
                    "lost": list(p.lost),
                    "leads_gained": list(p.leads_gained),
                    "leads_lost": list(p.leads_lost),
                }
                for p in d.people_changed
            ],
        },
        "mentoring": {
            "added": [_plain(m) for m in d.mentoring_added],
            "removed": [_plain(m) for m in d.mentoring_removed],
        },
        "hires": {"added": [_plain(h) for h in d.hires_added], "removed": [_plain(h) for h in d.hires_removed]},
        "cost": {k: _json_figure(f) for k, f in d.cost},
        "tradeoffs": {k: _json_figure(f) for k, f in d.tradeoffs},
        "penalties": {k: _json_figure(f) for k, f in d.penalties},
        "currency": d.currency,
        "headcount": {k: _json_figure(f) for k, f in d.headcount},
        "utilization": _json_figure(d.utilization),
        "modes": dict(d.modes),
        "end_to_end": [{"account": a, "lead": lead} for a, lead in d.end_to_end],
        "warnings": {
            "added": [_plain(w) for w in d.warnings_added],
            "resolved": [_plain(w) for w in d.warnings_resolved],
        },
    }
