"""The recovery journal: where each editor session keeps its unsaved edits (the file's text as
read, then one line per edit, undo or redo), how a journal is replayed, and the writer that
performs journal writes in order from any thread.

No textual here: the app and the tests drive these directly.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import platformdirs

from structplan import formats
from structplan.model import Agency
from structplan.tui import editing


def default_state_dir() -> Path:
    """Where recovery files of unnamed agencies (the bundled sample) go: the platform's user
    state folder (on Linux $XDG_STATE_HOME/structplan, by default ~/.local/state/structplan)."""
    return Path(platformdirs.user_state_dir("structplan", appauthor=False))


def recovery_place(agency_path: Path | None, origin: Path | None, state_dir: Path) -> tuple[Path, str]:
    """The folder of an agency's recovery journals and the start of their names."""
    if agency_path is not None:
        return agency_path.parent, f".{agency_path.stem}.recover-"
    stem = origin.stem if origin is not None else "untitled"
    return state_dir, f"{stem}.recover-"


def recovery_path_for(agency_path: Path | None, origin: Path | None, state_dir: Path, session: str) -> Path:
    """Where one editor session keeps the unsaved edits of an agency until it is saved."""
    folder, prefix = recovery_place(agency_path, origin, state_dir)
    return folder / f"{prefix}{session}.jsonl"


def legacy_recovery_path(agency_path: Path | None, origin: Path | None, state_dir: Path) -> Path:
    """The one recovery file (a whole agency in TOML) that earlier versions kept."""
    if agency_path is not None:
        return agency_path.with_name(f".{agency_path.stem}.recover.toml")
    stem = origin.stem if origin is not None else "untitled"
    return state_dir / f"{stem}.recover.toml"


def new_session() -> str:
    """An id for one editor session: its process id, then random letters (ids get reused)."""
    return f"{os.getpid()}-{secrets.token_hex(3)}"


def session_alive(path: Path) -> bool:
    """Whether the editor that writes this journal is still running (another window)."""
    session = path.name.rsplit("recover-", 1)[-1].removesuffix(".jsonl")
    try:
        pid = int(session.split("-", 1)[0])
    except ValueError:
        return False
    if pid == os.getpid() or os.name == "nt":  # signal 0 is not a probe on Windows
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


@attrs.define
class Recovery:
    """Edits found in a recovery journal (or an older whole-agency recovery file)."""

    path: Path
    agency: Agency
    saved_at: str
    """When the recovery file was last written, in local time."""
    journal: bool = True
    """Whether it is a journal (one line per edit), which the new session carries on."""


def edit_data(edit: editing.Edit) -> dict[str, Any]:
    return {
        "kind": edit.kind,
        "action": edit.action,
        "target": edit.target,
        "parent": edit.parent,
        "values": dict(edit.values),
    }


def replay_journal(path: Path) -> Agency:
    """The agency a recovery journal ends at (ValueError or LoadError when it is not one).

    A last line cut short by a kill is left out; an edit that no longer applies ends the replay
    with the edits before it.
    """
    lines = path.read_bytes().decode("utf-8").split("\n")
    header = json.loads(lines[0])
    if not isinstance(header, dict) or header.get("structplan_recovery") != JOURNAL_VERSION:
        raise ValueError(f"{path}: not a structplan recovery journal")
    where = str(header.get("where", path))
    if isinstance(header.get("base_text"), str):
        base = formats.from_data(formats.parse_toml(header["base_text"].encode(), where), "agency", where)
    else:
        base = formats.from_data(header["base_data"], "agency", where)
    states, done = [base], 0
    for line in lines[1:]:
        try:
            entry = json.loads(line)
        except ValueError:
            break  # the end (or a line a kill cut short)
        if "edit" in entry:
            raw = entry["edit"]
            edit = editing.Edit(raw["kind"], raw["action"], raw["target"], raw["parent"], raw["values"])
            try:
                new = editing.apply(states[done], edit, where)
            except editing.EditRefused:
                break
            del states[done + 1 :]
            states.append(new)
            done += 1
        elif "undo" in entry and done > 0:
            done -= 1
        elif "redo" in entry and done + 1 < len(states):
            done += 1
    return states[done]


#: The version in a recovery journal's first line.
JOURNAL_VERSION = 1


@attrs.frozen
class JournalStart:
    """Write a new journal: its first line holds the agency it starts from."""

    path: Path
    where: str
    """The file the edits belong to."""
    base_text: str | None = None
    """The agency file's text (costs nothing to take: it is in memory as read)."""
    base_agency: Agency | None = None
    """Or the agency itself, written as data (a full serialization: only when no text fits)."""

    def perform(self) -> None:
        header: dict[str, Any] = {
            "structplan_recovery": JOURNAL_VERSION,
            "where": self.where,
            "note": "unsaved edits; structplan offers them the next time the file is opened",
        }
        if self.base_text is not None:
            header["base_text"] = self.base_text
        else:
            assert self.base_agency is not None
            header["base_data"] = formats.to_data(self.base_agency)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        formats.write_text_atomic(self.path, json.dumps(header, ensure_ascii=False) + "\n")


@attrs.frozen
class JournalAppend:
    """Add one line (an edit, an undo, a redo) to the end of a journal."""

    path: Path
    entry: dict[str, Any]

    def perform(self) -> None:
        line = json.dumps(self.entry, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(line)


@attrs.frozen
class CopyFile:
    """Carry another session's journal on as this session's."""

    source: Path
    path: Path

    def perform(self) -> None:
        formats.write_text_atomic(self.path, self.source.read_bytes().decode("utf-8"))


@attrs.frozen
class RemoveFile:
    """Remove a journal (nothing unsaved, or the user discarded it)."""

    path: Path

    def perform(self) -> None:
        self.path.unlink(missing_ok=True)


RecoveryOp = JournalStart | JournalAppend | CopyFile | RemoveFile


class RecoveryWriter:
    """Performs journal writes in the order they were made, from any thread.

    `put` queues them (call it from the thread that makes the edits); `drain` performs what is
    queued, one drain at a time. A write that a later rewrite of the same file makes pointless
    (a full start or a removal) is skipped, so a slow snapshot never holds up a newer state.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[RecoveryOp] = deque()

    def put(self, ops: Iterable[RecoveryOp]) -> None:
        """Queue writes, in order."""
        self._queue.extend(ops)

    def drain(self) -> int:
        """Perform every queued write; how many were performed (OSError from a failed one)."""
        with self._lock:
            ops: list[RecoveryOp] = []
            while self._queue:
                ops.append(self._queue.popleft())
            todo = _coalesce(ops)
            for op in todo:
                op.perform()
            return len(todo)


def _coalesce(ops: Sequence[RecoveryOp]) -> list[RecoveryOp]:
    """The writes left once those that a later rewrite of their file overwrites are dropped."""
    last_rewrite: dict[Path, int] = {}
    for i, op in enumerate(ops):
        if not isinstance(op, JournalAppend):
            last_rewrite[op.path] = i
    return [op for i, op in enumerate(ops) if i >= last_rewrite.get(op.path, -1)]
