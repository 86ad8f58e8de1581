"""Editing the scenarios of an agency one at a time, as the editor's Scenarios tab does.

An agency file ``X.toml`` keeps its what-if scenarios next to it in ``X.scenarios.toml`` (the
bundled ``midsize.scenarios.toml`` is the mid-size sample's). The file is edited with tomlkit,
so its comments and key order stay as written; each scenario is checked against the agency, with
the same messages and key paths as `structplan validate`, before it is taken. A scenario is
edited as its id, name and description, and its changes as TOML text (docs/scenarios.md).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import attrs
import tomlkit
from tomlkit.items import AoT

from structplan import formats
from structplan.formats import LoadError, Problem
from structplan.model import Agency
from structplan.scenario import Loaded, Resolved, Scenario, ScenarioFile, resolve, resolve_all

#: Keys of a scenario the form shows as inputs of their own; every other key is a change.
HEAD = ("id", "name", "description")

_NEW_FILE = """\
# What-if scenarios of {agency}: `structplan scenarios {file}` solves each of them side by side
# with the base agency. docs/scenarios.md describes every key.

base = {base}
"""


def path_for(agency_path: Path) -> Path:
    """Where an agency file's scenarios are kept: X.scenarios.toml next to X.toml."""
    return agency_path.with_name(f"{agency_path.stem}.scenarios.toml")


@attrs.define
class ScenarioBook:
    """A scenario file being edited: its text as tomlkit keeps it, and where it lives."""

    path: Path
    doc: tomlkit.TOMLDocument
    exists: bool
    """Whether the file is on disk (a new book is written on its first change)."""

    @classmethod
    def open(cls, path: Path, agency_path: Path, agency_name: str = "") -> ScenarioBook:
        """The scenario file at `path`, or a new one whose base is `agency_path`; LoadError
        when the file is not TOML or not a scenario file."""
        if path.exists():
            text = formats.read_text(path)
            formats.parse_toml(text.encode("utf-8"), str(path))  # syntax errors, in the loader's words
            doc = tomlkit.parse(text)
            if "scenarios" in doc and not isinstance(doc["scenarios"], AoT | list):
                raise LoadError([Problem(str(path), "scenarios", "must be an array of tables [[scenarios]]")])
            return cls(path, doc, True)
        base = os.path.relpath(agency_path, path.parent)
        text = _NEW_FILE.format(
            agency=agency_name or agency_path.name, file=path.name, base=tomlkit.string(base).as_string()
        )
        return cls(path, tomlkit.parse(text), False)

    def _tables(self) -> list[Any]:
        items = self.doc.get("scenarios")
        return list(items) if items is not None else []

    def raw(self) -> list[dict[str, Any]]:
        """Every scenario as plain data, in file order."""
        return [_plain(t) for t in self._tables()]

    def ids(self) -> list[str]:
        return [str(t.get("id", "")) for t in self._tables()]

    def scenarios(self) -> list[Scenario]:
        """Every scenario, structured (LoadError naming the file and key path otherwise)."""
        data = {"base": str(self.doc.get("base", "")), "scenarios": self.raw()}
        return list(formats.structure(data, ScenarioFile, str(self.path)).scenarios)

    def index(self, sid: str) -> int | None:
        ids = self.ids()
        return ids.index(sid) if sid in ids else None

    def put(self, data: dict[str, Any], replace: str | None = None) -> None:
        """Add a scenario at the end, or put it in the place of scenario `replace`."""
        at = self.index(replace) if replace is not None else None
        tables = self._array()
        if at is not None:  # changed in place: the keys kept keep their place and comments
            old = tables[at]
            for key in [k for k in old if k not in data]:
                del old[key]
            for key, value in data.items():
                if key not in old or _plain(old[key]) != value:
                    old[key] = value
            return
        table = tomlkit.table()
        for key, value in data.items():
            table[key] = value
        tables.append(table)
        text = self.doc.as_string()
        header = text.rfind("[[scenarios]]\n")  # the new scenario's: the array ends the file
        if len(tables) > 1 and header > 1 and text[header - 2 : header] != "\n\n":
            # a blank line between the last scenario and the new one (an array read from a file
            # leaves none; a new array has one)
            del tables[-1]
            tables[-1].add(tomlkit.nl())
            tables.append(table)

    def _array(self) -> AoT:
        """The [[scenarios]] array of tables, made one when the file has none, or has the
        scenarios as an inline array (`scenarios = [{ ... }]`), which a table cannot join."""
        tables = self.doc.get("scenarios")
        if isinstance(tables, AoT):
            return tables
        aot = tomlkit.aot()
        for item in tables or []:
            table = tomlkit.table()
            for key, value in _plain(item).items():
                table[key] = value
            aot.append(table)
        if "scenarios" in self.doc:
            del self.doc["scenarios"]
        if not self.doc.as_string().endswith("\n\n"):
            self.doc.add(tomlkit.nl())
        self.doc["scenarios"] = aot
        return aot

    def delete(self, sid: str) -> None:
        at = self.index(sid)
        if at is not None:
            del self._array()[at]

    def text(self) -> str:
        return tomlkit.dumps(self.doc)

    def save(self) -> None:
        """Write the file atomically, once the text is known to read back as these scenarios."""
        text = self.text()
        expected = {"base": _plain(self.doc.get("base")), "scenarios": self.raw()}
        try:
            back = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:  # never write a file that does not read back
            raise OSError(f"the edited file would not be valid TOML ({exc}); nothing written") from None
        if {"base": back.get("base"), "scenarios": back.get("scenarios", [])} != expected:
            raise OSError("the edited file would not read back as the scenarios shown; nothing written")
        formats.write_text_atomic(self.path, text)
        self.exists = True


def _plain(item: Any) -> Any:
    """tomlkit items as plain Python data."""
    return item.unwrap() if hasattr(item, "unwrap") else item


def changes_text(data: dict[str, Any]) -> str:
    """A scenario's changes (every key but its id, name and description) as TOML text."""
    rest = {k: v for k, v in data.items() if k not in HEAD}
    return tomlkit.dumps(rest).strip() + "\n" if rest else ""


def from_form(values: dict[str, Any], record: str, file_name: str) -> dict[str, Any]:
    """The scenario a form describes (id, name, description and the changes' TOML text);
    LoadError with the key path `record.changes` when the text is not TOML."""
    data: dict[str, Any] = {}
    for key in HEAD:
        value = values.get(key)
        if value not in (None, ""):
            data[key] = value
    text = str(values.get("changes") or "")
    if text.strip():
        try:
            changes = formats.parse_toml(text.encode("utf-8"), file_name)
        except LoadError as exc:
            raise LoadError(
                [Problem(file_name, f"{record}.changes", f"{p.where}: {p.message}") for p in exc.problems]
            ) from None
        for key in HEAD:
            if key in changes:
                raise LoadError(
                    [Problem(file_name, f"{record}.changes", f"{key!r} has an input of its own; remove it here")]
                )
        data.update(changes)
    return data


def check(book: ScenarioBook, base: Agency, data: dict[str, Any], replace: str | None = None) -> Resolved:
    """Check one scenario against the base agency as `structplan validate` would check it in
    the file (its place there: `replace`'s, or the end); LoadError with its key paths."""
    name = str(book.path)
    ids = book.ids()
    at = ids.index(replace) if replace is not None and replace in ids else len(ids)
    where = f"scenarios[{at}]"
    scenario = formats.structure(data, Scenario, name, prefix=where)
    others = {sid for i, sid in enumerate(ids) if i != at}
    if scenario.id in others:
        raise LoadError([Problem(name, f"{where}.id", f"duplicate scenario id {scenario.id!r}")])
    return resolve(base, scenario, where, book.path.parent, name)


def loaded(book: ScenarioBook, base: Agency, base_path: Path) -> Loaded:
    """Every scenario of the book applied to `base` (the agency as edited), ready to solve."""
    return resolve_all(base, book.scenarios(), book.path.parent, str(book.path), str(base_path))
