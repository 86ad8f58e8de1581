"""Edits of an agency as data: what the tables and forms of the editor change.

An edit is applied to the agency's file data and the result goes through
`formats.from_data`, the loader every command uses, so an edit the editor accepts is exactly
an edit `structplan validate` would accept, and a refused edit carries the same messages.

No textual here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from structplan import formats
from structplan.model import MODES, PERSON_ROLES, STRUCTURES, Agency

FieldKind = Literal["text", "int", "float", "list", "choice", "toml"]
Action = Literal["add", "change", "delete"]


@attrs.frozen
class Field:
    """One input of a form: a key of a record in the agency file."""

    name: str
    """Key in the file."""
    label: str
    """What the form calls it."""
    kind: FieldKind = "text"
    """How the typed text becomes a value."""
    optional: bool = False
    """Whether an empty input means "absent" (the key is left out)."""
    choices: tuple[str, ...] = ()
    """Allowed values of a choice field."""
    help: str = ""
    """One line shown under the input."""


@attrs.frozen
class RecordKind:
    """A kind of record the editor shows in a table."""

    name: str
    """account, project, person, hiring or pin."""
    title: str
    """Singular display name."""
    list_name: str
    """Key of the list in the file (projects are inside their account)."""
    fields: tuple[Field, ...]
    """The form's inputs, in order."""

    @property
    def key(self) -> str:
        """The field that identifies a record."""
        return "account" if self.name == "pin" else "id"


_ID = Field("id", "Id", help="stable identifier: letters, digits, '-', '_', '.'")
_LEVEL = Field("level", "Level", "int", help="1 junior .. 4 director")
_ROLE = Field("role", "Role", "choice", choices=PERSON_ROLES)
_FTE = Field("fte", "FTE", "float", help="share of a full-time position, above 0, at most 1")

KINDS: dict[str, RecordKind] = {
    "account": RecordKind(
        "account",
        "Account",
        "accounts",
        (
            _ID,
            Field("name", "Name"),
            Field("fee", "Fee", "int", help="yearly fee income"),
            Field("tier", "Tier", "int", help="1 most strategic .. 3 smallest"),
            Field("lead", "Lead today", optional=True, help="id of the person who leads it today (empty: nobody)"),
        ),
    ),
    "project": RecordKind(
        "project",
        "Project",
        "projects",
        (
            _ID,
            Field("name", "Name"),
            Field("complexity", "Complexity", "int", help="1 routine .. 5 flagship"),
            Field("service_line", "Service line", help="empty means any"),
            Field(
                "effort_hours",
                "Effort hours",
                "int",
                optional=True,
                help="yearly PM hours (empty: from the layout, by complexity)",
            ),
            Field("manager", "PM today", optional=True, help="id of the person who manages it today (empty: unknown)"),
        ),
    ),
    "person": RecordKind(
        "person",
        "Person",
        "people",
        (
            _ID,
            Field("name", "Name"),
            _ROLE,
            _LEVEL,
            Field("cost", "Cost", "int", help="fully loaded yearly cost"),
            _FTE,
            Field("service_lines", "Service lines", "list", help="comma-separated; empty means any"),
        ),
    ),
    "hiring": RecordKind(
        "hiring",
        "Hiring option",
        "hiring",
        (
            _ID,
            Field("name", "Title"),
            _ROLE,
            _LEVEL,
            Field("cost", "Cost", "int", help="fully loaded yearly cost of one hire"),
            Field("max", "Max", "int", help="how many may be hired (0 forbids it)"),
            _FTE,
            Field("service_lines", "Service lines", "list", help="comma-separated; empty means any"),
        ),
    ),
    "pin": RecordKind(
        "pin",
        "Pin",
        "pins",
        (
            Field("account", "Account", help="id of the pinned account"),
            Field("lead", "Lead", optional=True, help="id of the person who must lead it (empty: any)"),
            Field("mode", "Mode", "choice", optional=True, choices=MODES, help="split or end_to_end (empty: any)"),
        ),
    ),
}

#: Fields a new account's form adds: its first project (an account needs one).
FIRST_PROJECT: tuple[Field, ...] = (
    Field("project_id", "First project id", help="an account needs at least one project"),
    Field("project_name", "First project name"),
    Field("project_complexity", "First project complexity", "int", help="1 routine .. 5 flagship"),
)

#: Agency-wide settings and policy, one editable row each: (key path, field).
SETTINGS: tuple[tuple[str, Field], ...] = (
    ("agency.name", Field("name", "Agency name")),
    ("agency.currency", Field("currency", "Currency", help="three-letter code such as EUR")),
    (
        "agency.hours_per_fte",
        Field("hours_per_fte", "Hours per FTE", "int", help="productive hours a year of one full-time person"),
    ),
    ("policy.structures", Field("structures", "Structures", "list", help=f"comma-separated: {', '.join(STRUCTURES)}")),
    (
        "policy.utilization_ceiling",
        Field("utilization_ceiling", "Utilization ceiling", "float", help="nobody above this share (0..1)"),
    ),
    (
        "policy.target_utilization",
        Field("target_utilization", "Target utilization", "float", help="hours above it count as overload"),
    ),
    (
        "policy.mentoring_span",
        Field(
            "mentoring_span",
            "Mentoring span",
            "int",
            optional=True,
            help="most mentees per PMO mentor (empty: the layout's)",
        ),
    ),
    (
        "policy.surplus_utilization",
        Field("surplus_utilization", "Surplus below", "float", help="people planned below this share are surplus"),
    ),
    (
        "policy.weights.continuity",
        Field("continuity", "Weight: continuity", "int", help="per account whose lead changes"),
    ),
    ("policy.weights.friction", Field("friction", "Weight: friction", "int", help="per case of role friction")),
    ("policy.weights.overload", Field("overload", "Weight: overload", "int", help="per hour above target")),
    (
        "policy.weights.imbalance",
        Field("imbalance", "Weight: imbalance", "int", help="per point of the highest utilization above target"),
    ),
    (
        "policy.weights.seniority",
        Field(
            "seniority", "Weight: seniority", "int", help="per mille of fee per level flagship work sits below the top"
        ),
    ),
    (
        "policy.weights.voices",
        Field("voices", "Weight: voices", "int", help="per extra person running an account's projects (0: off)"),
    ),
)


@attrs.frozen
class Edit:
    """One change the user asked for."""

    kind: str
    """account, project, person, hiring, pin or setting."""
    action: Action
    """add, change or delete."""
    target: str | None = None
    """Id of the record changed or deleted (a key path for a setting)."""
    parent: str | None = None
    """Id of the account a project belongs to."""
    values: Mapping[str, Any] = attrs.field(factory=dict)
    """New values by key; None leaves a key out."""

    def describe(self) -> str:
        """The edit in words, for notifications and undo."""
        if self.kind == "setting":
            return f"set {self.target}"
        title = KINDS[self.kind].title.lower()
        ident = self.values.get(KINDS[self.kind].key) if self.action == "add" else self.target
        verb = {"add": "added", "change": "changed", "delete": "deleted"}[self.action]
        where = f" of {self.parent}" if self.parent else ""
        return f"{verb} {title} {ident}{where}"


class EditRefused(Exception):
    """An edit that would make the agency invalid; `problems` are (key path, message)."""

    def __init__(self, problems: Sequence[tuple[str, str]], record: str = "") -> None:
        super().__init__("\n".join(f"{w}: {m}" if w else m for w, m in problems))
        self.problems = list(problems)
        self.record = record
        """Key path of the edited record (accounts[3]), to find the form field of a problem."""

    def lines(self) -> list[str]:
        """One line per problem, as `structplan validate` prints them (without the file)."""
        return [f"{w}: {m}" if w else m for w, m in self.problems]

    def field_problems(self) -> dict[str, str]:
        """Messages of problems inside the edited record, by field name."""
        out: dict[str, str] = {}
        if not self.record:
            return out
        for where, message in self.problems:
            if where.startswith(self.record + "."):
                name = where[len(self.record) + 1 :].split(".")[0].split("[")[0]
                out.setdefault(name, message)
        return out


# --------------------------------------------------------------------------- form values


def parse_value(field: Field, text: str) -> Any:
    """The value a typed text stands for; text that is not a number stays text so that the
    loader reports it in its own words ("expected a whole number, got text 'abc'")."""
    if field.kind == "toml":  # several lines, read by the caller
        return text
    text = text.strip()
    if field.optional and text == "":
        return None
    if field.kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    if field.kind == "int":
        try:
            return int(text.replace("_", ""))
        except ValueError:
            return text
    if field.kind == "float":
        for convert in (int, float):
            try:
                return convert(text)
            except ValueError:
                pass
        return text
    return text


def format_value(field: Field, value: Any) -> str:
    """The text an input shows for a value."""
    if value is None:
        return ""
    if field.kind == "list":
        return ", ".join(str(v) for v in value)
    return str(value)


def record_values(agency: Agency, kind: str, target: str, parent: str | None = None) -> dict[str, Any]:
    """The current values of a record, by field name."""
    spec = KINDS[kind]
    record = _find_record(agency, kind, target, parent)
    return {f.name: getattr(record, f.name) for f in spec.fields}


def setting_value(agency: Agency, path: str) -> Any:
    """The current value of a setting, by key path."""
    obj: Any = agency
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _find_record(agency: Agency, kind: str, target: str, parent: str | None) -> Any:
    if kind == "project":
        account = agency.account(parent or "")
        records: Sequence[Any] = account.projects if account else ()
    elif kind == "pin":
        records = agency.policy.pins
    else:
        records = getattr(agency, KINDS[kind].list_name)
    key = KINDS[kind].key
    for record in records:
        if getattr(record, key) == target:
            return record
    raise KeyError(f"no {kind} {target!r}")


# --------------------------------------------------------------------------- applying


def apply(agency: Agency, edit: Edit, file_name: str = "agency") -> Agency:
    """The agency after an edit, or EditRefused with the loader's messages."""
    if edit.action == "delete" and edit.target is not None:
        named = still_named(agency, edit.kind, edit.target)
        if named:
            raise EditRefused([("", line) for line in named])
    data = formats.to_data(agency)
    record_path = ""
    if edit.kind == "setting":
        assert edit.target
        _set_path(data, edit.target, edit.values.get("value"))
        record_path = edit.target
    else:
        spec = KINDS[edit.kind]
        records, list_path = _records(data, edit.kind, edit.parent)
        key = spec.key
        if edit.action == "add":
            record = {k: v for k, v in edit.values.items() if v is not None}
            records.append(record)
            record_path = f"{list_path}[{len(records) - 1}]"
        else:
            index = next((i for i, r in enumerate(records) if r.get(key) == edit.target), None)
            if index is None:
                raise EditRefused([("", f"no {spec.title.lower()} {edit.target!r}")])
            if edit.action == "delete":
                del records[index]
            else:
                record = dict(records[index])
                for field_name, value in edit.values.items():
                    if value is None:
                        record.pop(field_name, None)
                    else:
                        record[field_name] = value
                records[index] = record
                record_path = f"{list_path}[{index}]"
                new_id = record.get(key)
                if new_id != edit.target and isinstance(new_id, str):
                    _rename_references(data, edit.kind, edit.target or "", new_id)
    try:
        return formats.from_data(data, "agency", file_name)
    except formats.LoadError as exc:
        raise EditRefused([(p.where, p.message) for p in exc.problems], record_path) from None


def still_named(agency: Agency, kind: str, target: str) -> list[str]:
    """Why a record cannot be deleted yet: the records that name it, in words (empty: it can)."""
    out: list[str] = []
    if kind == "account":
        account = agency.account(target)
        name = account.name if account is not None and account.name else target
        if any(pin.account == target for pin in agency.policy.pins):
            out.append(f"{name} is pinned on the Policy tab; remove the pin first")
    elif kind == "person":
        person = next((p for p in agency.people if p.id == target), None)
        name = person.name if person is not None and person.name else target
        leads = [a.name or a.id for a in agency.accounts if a.lead == target]
        if leads:
            out.append(f"{name} leads {_listed(leads)} today (Accounts tab); give them another lead first")
        managed = [p.name or p.id for a in agency.accounts for p in a.projects if p.manager == target]
        if managed:
            out.append(f"{name} manages {_listed(managed)} (Accounts tab, projects); change the manager first")
        pinned = [_account_name(agency, pin.account) for pin in agency.policy.pins if pin.lead == target]
        if pinned:
            out.append(f"{name} is pinned as the lead of {_listed(pinned)} on the Policy tab; remove the pin first")
    return out


def _account_name(agency: Agency, account_id: str) -> str:
    account = agency.account(account_id)
    return account.name if account is not None and account.name else account_id


def _listed(names: Sequence[str], most: int = 3) -> str:
    """'a, b and c', or 'a, b, c and 4 more'."""
    shown = list(names[:most])
    if len(names) > most:
        return f"{', '.join(shown)} and {len(names) - most} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _records(data: dict[str, Any], kind: str, parent: str | None) -> tuple[list[dict[str, Any]], str]:
    if kind == "project":
        accounts = data.get("accounts", [])
        for i, account in enumerate(accounts):
            if account.get("id") == parent:
                return account.setdefault("projects", []), f"accounts[{i}].projects"
        raise EditRefused([("", f"no account {parent!r}")])
    if kind == "pin":
        return data.setdefault("policy", {}).setdefault("pins", []), "policy.pins"
    name = KINDS[kind].list_name
    return data.setdefault(name, []), name


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    table = data
    for part in parents:
        table = table.setdefault(part, {})
    if value is None:
        table.pop(last, None)
    else:
        table[last] = value


def _rename_references(data: dict[str, Any], kind: str, old: str, new: str) -> None:
    """Follow a renamed person or account in the records that name it."""
    pins = data.get("policy", {}).get("pins", [])
    if kind == "person":
        for account in data.get("accounts", []):
            if account.get("lead") == old:
                account["lead"] = new
            for project in account.get("projects", []):
                if project.get("manager") == old:
                    project["manager"] = new
        for pin in pins:
            if pin.get("lead") == old:
                pin["lead"] = new
    elif kind == "account":
        for pin in pins:
            if pin.get("account") == old:
                pin["account"] = new
