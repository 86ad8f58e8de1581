"""The agency being edited and the plan being looked at: files, undo, recovery, saving.

`AgencyDocument` holds the agency as loaded, the agency after the user's edits, the undo and
redo stacks and the text of the file it came from; saving edits that text in place with
tomlkit (comments and key order kept) and writes it atomically. Every edit is also appended to
the session's recovery journal (the file's text as read, then one line per edit, undo or redo),
so a crash or a kill never loses edits and the cost of keeping them does not grow with the
agency; the next open replays every journal another session left and offers it back. Each
editor has a journal of its own, so two editors on one file never take each other's edits
(the journal itself: `recovery.py`).
`PlanDocument` holds the plan on screen and the last saved plan the diff compares to.

No textual here: the app and the tests drive these classes directly.
"""

from __future__ import annotations

import time
from pathlib import Path

import attrs
import tomlkit

from structplan import formats
from structplan.model import Agency, Plan, Settings
from structplan.tui import editing, tomledit
from structplan.tui.recovery import (
    CopyFile,
    JournalAppend,
    JournalStart,
    Recovery,
    RecoveryOp,
    RemoveFile,
    default_state_dir,
    edit_data,
    legacy_recovery_path,
    new_session,
    recovery_path_for,
    recovery_place,
    replay_journal,
    session_alive,
)

#: Most edits kept for undo.
UNDO_DEPTH = 200

_STARTER = """\
# {name}: an agency for structplan. Edit it in `structplan edit {file}` or by hand;
# check it with `structplan validate {file}`.

[agency]
name = "{name}"
currency = "EUR"
hours_per_fte = 1600

# [[people]]           one block per person on staff: id, name, role, level, cost, fte
# [[accounts]]         one block per client account: id, name, fee, tier, lead
# [[accounts.projects]] the account's projects: id, name, complexity
# [[hiring]]           positions that may be opened: id, name, role, level, cost, max
"""


def plan_path_for(agency_path: Path) -> Path:
    """The plan file that goes with an agency file: `<stem>.plan.toml` next to it."""
    return agency_path.with_name(f"{agency_path.stem}.plan.toml")


@attrs.define
class AgencyDocument:
    """An agency under edit."""

    agency: Agency
    """The agency with the user's edits."""
    saved: Agency
    """The agency as the file holds it (the last load or save)."""
    path: Path | None
    """The file saving writes; None until the user names one (the bundled sample)."""
    origin: Path | None = None
    """The file the agency was read from (the sample's path when path is None)."""
    source: str | None = None
    """Text of the file as last read or written, edited in place on save."""
    state_dir: Path = attrs.field(factory=default_state_dir)
    """Where recovery files of unnamed agencies go."""
    undo_stack: list[tuple[Agency, str]] = attrs.field(factory=list)
    redo_stack: list[tuple[Agency, str]] = attrs.field(factory=list)
    renames: dict[str, dict[str, str]] = attrs.field(factory=dict)
    """Ids renamed since the file was read, per list: {new id: id in the file}."""
    kept_comments: bool = True
    """Whether the last save kept the file's comments (False when it had to rewrite it)."""
    session: str = attrs.field(factory=new_session)
    """This editor's id in the name of its recovery journal."""
    _journal: tuple[int, int] | None = attrs.field(default=None, init=False, repr=False, eq=False)
    """(edits replayed, edits that a redo may replay again) since the journal's start; None while
    there is no journal."""
    _ops: list[RecoveryOp] = attrs.field(factory=list, init=False, repr=False, eq=False)
    """Writes of the recovery journal not yet handed to the writer."""

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path, state_dir: Path | None = None) -> AgencyDocument:
        """Read an agency file (LoadError when it is not a valid agency)."""
        agency, text = _read_agency(path)
        return cls(agency, agency, path, path, text, state_dir or default_state_dir())

    @classmethod
    def sample(cls, path: Path, state_dir: Path | None = None) -> AgencyDocument:
        """Read a bundled sample: saving asks for a file name instead of writing the sample."""
        agency, text = _read_agency(path)
        return cls(agency, agency, None, path, text, state_dir or default_state_dir())

    @classmethod
    def create(cls, path: Path, state_dir: Path | None = None) -> AgencyDocument:
        """Write a starter agency file at `path` and open it."""
        name = path.stem.replace("_", " ").replace("-", " ").strip().title() or "New agency"
        text = _STARTER.format(name=name.replace('"', ""), file=path.name)
        formats.write_text_atomic(path, text)
        return cls.open(path, state_dir)

    # ------------------------------------------------------------------ state

    @property
    def name(self) -> str:
        """The file name shown in the title."""
        if self.path is not None:
            return self.path.name
        return f"{self.origin.name} (sample)" if self.origin else "untitled"

    @property
    def modified(self) -> bool:
        """Whether there are edits the file does not hold."""
        return self.agency != self.saved

    @property
    def recovery_path(self) -> Path:
        """This session's recovery journal of this agency."""
        return recovery_path_for(self.path, self.origin, self.state_dir, self.session)

    @property
    def plan_path(self) -> Path | None:
        """The plan file that goes with this agency, if it has a file."""
        return plan_path_for(self.path) if self.path is not None else None

    # ------------------------------------------------------------------ edits

    def apply(self, edit: editing.Edit) -> str:
        """Apply an edit (EditRefused when the agency would be invalid); returns its description."""
        new = editing.apply(self.agency, edit, self.name)
        if new == self.agency:
            return "no change"
        self._note_rename(edit, new)
        before = self.agency
        self.undo_stack.append((self.agency, edit.describe()))
        del self.undo_stack[:-UNDO_DEPTH]
        self.redo_stack.clear()
        self.agency = new
        if self._journal is None:
            self._start_journal(before)
        assert self._journal is not None
        done, _ = self._journal
        self._ops.append(JournalAppend(self.recovery_path, {"edit": edit_data(edit)}))
        self._journal = (done + 1, done + 1)
        self._journal_kept()
        return edit.describe()

    def undo(self) -> str | None:
        """Go back one edit; returns what was undone, None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        previous, what = self.undo_stack.pop()
        self.redo_stack.append((self.agency, what))
        self.agency = previous
        if self._journal is not None and self._journal[0] > 0:
            done, top = self._journal
            self._ops.append(JournalAppend(self.recovery_path, {"undo": 1}))
            self._journal = (done - 1, top)
        else:  # back past the journal's start: write the state itself
            self._snapshot()
        self._journal_kept()
        return what

    def redo(self) -> str | None:
        """Apply the last undone edit again."""
        if not self.redo_stack:
            return None
        following, what = self.redo_stack.pop()
        self.undo_stack.append((self.agency, what))
        self.agency = following
        if self._journal is not None and self._journal[0] < self._journal[1]:
            done, top = self._journal
            self._ops.append(JournalAppend(self.recovery_path, {"redo": 1}))
            self._journal = (done + 1, top)
        else:
            self._snapshot()
        self._journal_kept()
        return what

    # ------------------------------------------------------------------ the recovery journal

    def _start_journal(self, base: Agency) -> None:
        """Begin a journal at `base`: the file's own text when base is the file (no cost)."""
        where = str(self.path or self.origin or "untitled")
        if self.source is not None and (base is self.saved or base == self.saved):
            self._ops.append(JournalStart(self.recovery_path, where, base_text=self.source))
        else:
            self._ops.append(JournalStart(self.recovery_path, where, base_agency=base))
        self._journal = (0, 0)

    def _snapshot(self) -> None:
        """Start the journal again from the agency under edit (costs a full write)."""
        self._journal = None
        if self.modified:
            self._start_journal(self.agency)

    def _journal_kept(self) -> None:
        """Nothing unsaved: the journal goes."""
        if not self.modified:
            self._ops.append(RemoveFile(self.recovery_path))
            self._journal = None

    def take_recovery_ops(self) -> list[RecoveryOp]:
        """The journal writes since the last call, in order, for a RecoveryWriter."""
        ops, self._ops = self._ops, []
        return ops

    def discard_recovery(self) -> None:
        """Forget this session's journal (the user chose not to keep the edits)."""
        self._journal = None
        self._ops.append(RemoveFile(self.recovery_path))

    def _note_rename(self, edit: editing.Edit, new: Agency) -> None:
        if edit.action != "change" or edit.kind == "setting":
            return
        spec = editing.KINDS[edit.kind]
        new_id = edit.values.get(spec.key)
        if not isinstance(new_id, str) or new_id == edit.target or edit.target is None:
            return
        # A pin is keyed by its account: renaming the account renames the pin's key too.
        lists = (spec.list_name, "pins") if edit.kind == "account" else (spec.list_name,)
        for list_name in lists:
            moved = self.renames.setdefault(list_name, {})
            original = moved.pop(edit.target, edit.target)
            if original != new_id:
                moved[new_id] = original

    # ------------------------------------------------------------------ saving

    def prepare_save(self, path: Path | None = None) -> SaveJob:
        """What a save writes, taken now: the job can run in another thread while edits go on."""
        target = path or self.path
        if target is None:
            raise ValueError("no file to save to: give a path")
        return SaveJob(target, self.agency, self.saved, self.source, _copy_renames(self.renames), self.name)

    def finish_save(self, job: SaveJob, result: SaveResult) -> None:
        """Take a written save as the file's state and forget the old recovery file."""
        old_recovery = self.recovery_path
        self.path = job.path
        self.source = result.text
        self.saved = job.agency
        self.kept_comments = result.kept_comments
        if self.agency is job.agency:
            self.renames = {}
        self._ops.append(RemoveFile(old_recovery))
        self._journal = None
        if self.modified:  # edits made while the file was written: a journal from here
            self._start_journal(self.agency)

    def render(self) -> str:
        """The file text of the edited agency: the source edited in place when there is one."""
        text, self.kept_comments = render_job(self.prepare_save(self.path or Path("agency.toml")))
        return text

    def save(self, path: Path | None = None) -> Path:
        """Write the agency atomically to `path` (default: its file) and forget the recovery file."""
        job = self.prepare_save(path)
        self.finish_save(job, perform_save(job))
        return job.path

    # ------------------------------------------------------------------ recovery

    def pending_recoveries(self) -> list[Recovery]:
        """Edits other sessions left unsaved (killed, or crashed), newest first: every journal of
        this agency but this session's and those of editors still running, replayed; journals
        that end where the file is are removed."""
        folder, prefix = recovery_place(self.path, self.origin, self.state_dir)
        try:
            paths = [p for p in folder.glob(f"{prefix}*.jsonl") if p != self.recovery_path]
        except OSError:
            paths = []
        legacy = legacy_recovery_path(self.path, self.origin, self.state_dir)
        found: list[tuple[float, Recovery]] = []
        for path in [*paths, legacy]:
            if not path.is_file() or (path.suffix == ".jsonl" and session_alive(path)):
                continue
            try:
                agency = replay_journal(path) if path.suffix == ".jsonl" else formats.load_agency(path)
                stamp = path.stat().st_mtime
            except (formats.LoadError, OSError, ValueError):
                continue
            if agency == self.saved:
                path.unlink(missing_ok=True)
                continue
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))
            found.append((stamp, Recovery(path, agency, when, journal=path.suffix == ".jsonl")))
        return [r for _, r in sorted(found, key=lambda f: -f[0])]

    def pending_recovery(self) -> Recovery | None:
        """The newest edits another session left unsaved, if any."""
        found = self.pending_recoveries()
        return found[0] if found else None

    def recover(self, recovery: Recovery) -> None:
        """Take the recovered edits as the agency under edit (undo goes back to the file); this
        session's journal carries them on and the one they came from goes."""
        self.undo_stack.append((self.agency, "recovered edits"))
        self.redo_stack.clear()
        self.agency = recovery.agency
        if recovery.journal:
            self._ops.append(CopyFile(recovery.path, self.recovery_path))
            self._journal = (0, 0)  # an undo goes back past the recovered edits: a snapshot
        else:
            self._snapshot()
        self._ops.append(RemoveFile(recovery.path))
        self._journal_kept()


def _copy_renames(renames: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {name: dict(moved) for name, moved in renames.items()}


@attrs.frozen
class SaveJob:
    """A save taken at one moment: everything needed to write the file, nothing shared."""

    path: Path
    agency: Agency
    """The agency to write."""
    saved: Agency
    """The agency the source text holds."""
    source: str | None
    """Text of the file as last read or written (None: write it from scratch)."""
    renames: dict[str, dict[str, str]]
    name: str
    """File name for messages."""


@attrs.frozen
class SaveResult:
    """A written save."""

    text: str
    kept_comments: bool
    """False when the file had to be rewritten in full (its comments are gone)."""


def render_job(job: SaveJob) -> tuple[str, bool]:
    """The text a save writes and whether it kept the file's comments.

    The source is edited in place with tomlkit; when that does not read back as exactly the
    agency (any surprise in the file), the file is written from scratch instead.
    """
    if not job.source:
        return formats.dumps(job.agency), job.source is None or not job.source.strip()
    try:
        doc = tomlkit.parse(job.source)
        tomledit.update_document(doc, formats.to_data(job.saved), formats.to_data(job.agency), job.renames)
        text = doc.as_string()
        check = formats.from_data(tomlkit.parse(text).unwrap(), "agency", job.name)
    except Exception:  # any surprise in the in-place edit: fall back to a clean rewrite
        return formats.dumps(job.agency), False
    if check != formats.canonical(job.agency):
        return formats.dumps(job.agency), False
    return text, True


def perform_save(job: SaveJob) -> SaveResult:
    """Render and write a save atomically; safe to call from a worker thread."""
    text, kept = render_job(job)
    formats.write_text_atomic(job.path, text)
    return SaveResult(text, kept)


def _read_agency(path: Path) -> tuple[Agency, str]:
    """The agency in a file and the file's text, read once (LoadError when it is not an agency)."""
    raw = formats.read_bytes(path)
    agency = formats.from_data(formats.parse_toml(raw, str(path)), "agency", str(path))
    return agency, formats.decode_text(raw, str(path))


def empty_agency(name: str) -> Agency:
    """An agency with a name and nothing else."""
    return Agency(agency=Settings(name=name))


@attrs.define
class PlanDocument:
    """The plan on screen and the saved plan the diff compares it with."""

    plan: Plan | None = None
    """The plan on screen: the last solve, or the plan file."""
    agency: Agency | None = None
    """The agency the plan was made for (names of accounts and people)."""
    path: Path | None = None
    """Where the plan is saved."""
    saved: Plan | None = None
    """The plan as its file holds it (the last load or save)."""
    replaced: Plan | None = None
    """The plan the last save replaced, to show what the save changed."""
    cancelled: bool = False
    """Whether the plan on screen is the best so far of a cancelled solve."""
    scenario: str | None = None
    """The scenario (Scenarios tab) whose plan this is; None for the agency's own plan."""
    _same: tuple[Plan, Plan, bool] | None = attrs.field(default=None, init=False, repr=False, eq=False)

    @property
    def unsaved(self) -> bool:
        """Whether the plan on screen says something its file does not: a staffing decision, a
        figure or a warning, as `structplan diff` compares them (not the timings of the run)."""
        if self.plan is None:
            return False
        return self.saved is None or not self.same_as_saved()

    def same_as_saved(self) -> bool:
        """Whether the plan on screen and the saved plan show no difference in the diff."""
        plan, saved = self.plan, self.saved
        if plan is None or saved is None:
            return plan is saved
        if plan is saved or plan == saved:
            return True
        if self._same is not None and self._same[0] is plan and self._same[1] is saved:
            return self._same[2]
        from structplan import diff

        same = diff.diff(saved, plan).equal
        self._same = (plan, saved, same)
        return same

    @classmethod
    def open(cls, path: Path) -> PlanDocument:
        """Read a plan file (LoadError when it is not a valid plan)."""
        plan = formats.load_plan(path)
        return cls(plan=plan, path=path, saved=plan)

    def save(self, path: Path | None = None) -> Path:
        """Write the plan atomically."""
        target = path or self.path
        if self.plan is None or target is None:
            raise ValueError("nothing to save or nowhere to save it")
        write_plan(target, self.plan)
        self.mark_saved(self.plan, target)
        return target

    def mark_saved(self, plan: Plan, path: Path) -> None:
        """Note that `plan` is now what the file at `path` holds."""
        if self.saved != plan:
            self.replaced = self.saved
        self.saved = plan
        self.path = path


def write_plan(path: Path, plan: Plan) -> None:
    """Write a plan file atomically; safe to call from a worker thread."""
    formats.write_text_atomic(path, formats.dumps(plan))
