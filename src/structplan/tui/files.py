"""The editor's file flows: save, save as, open and quit, the questions asked at start (create a
missing file, recover unsaved edits) and the recovery journal kept behind every edit.

Each flow is a dialog: it runs as a worker of the app's "dialog" group, one at a time, and
talks to the user through the app's screens and notifications. The app holds the documents;
the flows read and replace them, and ask the app to show what changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from structplan import formats
from structplan.exitcode import ExitCode
from structplan.tui.document import (
    AgencyDocument,
    PlanDocument,
    perform_save,
    plan_path_for,
    write_plan,
)
from structplan.tui.recovery import RecoveryWriter, RemoveFile
from structplan.tui.screens.dialogs import ChoiceScreen, PathScreen

if TYPE_CHECKING:
    from structplan.tui.app import StructplanApp

Flow = Callable[[], Coroutine[Any, Any, Any]]


class FileFlows:
    """Saving, opening, quitting and recovering for one app."""

    def __init__(self, app: StructplanApp) -> None:
        self.app = app
        self.recovery_writer = RecoveryWriter()
        self.saving = False
        """Whether an agency file is being written (the title says so)."""
        self._recovery_warned = False

    # ------------------------------------------------------------------ running a flow

    @property
    def asking(self) -> bool:
        """Whether a question or a save is under way (one at a time)."""
        return any(w.group == "dialog" and not w.is_finished for w in self.app.workers)

    def run(self, flow: Flow, name: str) -> None:
        """Run `flow` as the dialog on screen."""
        self.app.run_worker(flow(), name=name, group="dialog")

    def start(self, flow: Flow, name: str) -> None:
        """Run `flow` unless another dialog is on screen (then say so)."""
        if self.asking:
            self.app.notify("Finish the question on screen first (Esc closes it).", timeout=3)
            return
        self.run(flow, name)

    # ------------------------------------------------------------------ startup questions

    def offer_create(self, path: Path) -> None:
        self.run(lambda: self._offer_create(path), "offer_create")

    async def _offer_create(self, path: Path) -> None:
        app = self.app
        choice = await app.push_screen_wait(
            ChoiceScreen(
                "New file",
                f"{path} does not exist. Create it as a new agency?",
                [("create", "Create it", "primary"), ("cancel", "Quit", "default")],
            )
        )
        if choice != "create":
            app.exit(ExitCode.OK)
            return
        try:
            app.set_document(
                AgencyDocument.create(path, app.document.state_dir), PlanDocument(path=plan_path_for(path))
            )
        except (OSError, formats.LoadError) as exc:
            app.notify(str(exc), title="Could not create the file", severity="error")
            return
        app.notify(f"Created {path}. Add accounts (a) to begin.", title="New agency")

    def offer_recovery(self) -> None:
        self.run(self._offer_recovery, "offer_recovery")

    async def _offer_recovery(self) -> None:
        """Offer the edits every other session left unsaved, newest first, one at a time."""
        app = self.app
        found = app.document.pending_recoveries()
        for number, recovery in enumerate(found, start=1):
            of = f" ({number} of {len(found)})" if len(found) > 1 else ""
            choice = await app.push_screen_wait(
                ChoiceScreen(
                    f"Unsaved edits found{of}",
                    f"{app.document.name} has edits that were never saved (kept in {home(recovery.path)}, "
                    f"written {recovery.saved_at}). Recover them?",
                    [
                        ("recover", "Recover them", "primary"),
                        ("later", "Not now", "default"),
                        ("discard", "Discard them", "error"),
                    ],
                )
            )
            if choice == "recover":
                app.document.recover(recovery)
                app.show_document()
                self.keep_recovery()
                left = len(found) - number
                more = f" {left} other set{'s' if left != 1 else ''} of edits stay for the next start." if left else ""
                app.notify(
                    f"Recovered edits: Ctrl+S saves them, Ctrl+Z goes back to the file.{more}",
                    title="Recovered",
                    markup=False,
                )
                return
            if choice == "discard":
                self.recovery_writer.put([RemoveFile(recovery.path)])
                self.drain_recovery_now()

    # ------------------------------------------------------------------ the recovery journal

    def keep_recovery(self) -> None:
        """Hand the journal writes of the last edits to the writer, performed in a worker thread
        at once (an edit is one short line; only a save or a far undo rewrites the journal)."""
        ops = self.app.document.take_recovery_ops()
        if ops:
            self.recovery_writer.put(ops)
            self.app.run_worker(self._write_recovery, thread=True, group="recovery", exit_on_error=False)

    def drain_recovery_now(self) -> None:
        """Perform the queued journal writes here and now (before quitting or opening a file)."""
        self.recovery_writer.put(self.app.document.take_recovery_ops())
        try:
            self.recovery_writer.drain()
        except OSError as exc:
            self._recovery_failed(exc)

    def _write_recovery(self) -> None:
        """Runs in a thread; reports a failure with a message, never touches a widget."""
        try:
            self.recovery_writer.drain()
        except OSError as exc:
            self.app.call_from_thread(self._recovery_failed, exc)

    def _recovery_failed(self, exc: OSError) -> None:
        if not self._recovery_warned:
            self._recovery_warned = True
            self.app.notify(f"Cannot write the recovery file: {exc}. Save often.", severity="warning", markup=False)

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        self.start(self._save, "save")

    async def _save(self) -> None:
        await self._save_all()

    async def _write_agency(self, target: Path | None = None) -> str | None:
        """Save the agency in a worker thread (a large file takes seconds); its name for the note,
        None when the user chose not to overwrite a file another program changed."""
        app = self.app
        doc = app.document
        job = doc.prepare_save(target)
        if job.path == doc.path and doc.source is not None and not await self._may_overwrite(job.path, doc.source):
            return None
        self.saving = True
        app.update_title()
        try:
            result = await asyncio.to_thread(perform_save, job)
        finally:
            self.saving = False
        doc.finish_save(job, result)
        self.keep_recovery()
        return _saved_note(doc)

    async def _may_overwrite(self, path: Path, source: str) -> bool:
        """Whether to save over `path` when another program changed it since it was read."""
        try:
            now = formats.read_text(path)
        except formats.LoadError:
            return True  # gone or unreadable: the write says what is wrong
        if now == source:
            return True
        choice = await self.app.push_screen_wait(
            ChoiceScreen(
                "The file changed on disk",
                f"{path.name} was changed by another program after structplan read it. Saving writes your "
                "version over those changes.",
                [("replace", "Save mine over it", "error"), ("cancel", "Don't save", "default")],
            )
        )
        return choice == "replace"

    async def _write_plan(self, target: Path) -> None:
        """Save the plan on screen in a worker thread."""
        plan = self.app.plan_doc.plan
        assert plan is not None
        await asyncio.to_thread(write_plan, target, plan)
        self.app.plan_doc.mark_saved(plan, target)

    async def _save_all(self) -> bool:
        """Save what is unsaved; False when the user cancelled or a write failed."""
        app = self.app
        doc, plan = app.document, app.plan_doc
        written: list[str] = []
        try:
            if doc.path is None:
                if not (doc.modified or plan.unsaved):
                    app.notify("Nothing to save: this is the bundled sample, unchanged.", timeout=3)
                    return True
                target = await self._ask_save_path(
                    "Save the agency as",
                    doc.origin.name if doc.origin else "agency.toml",
                    "The bundled sample is not overwritten: name a file for your copy (its plan goes next to it).",
                )
                if target is None:
                    return False
                note = await self._write_agency(target)
                if note is None:
                    return False
                written.append(note)
                if plan.path is None or plan.path == plan_path_for(doc.origin or target):
                    plan.path = plan_path_for(target)
            elif doc.modified:
                note = await self._write_agency()
                if note is None:
                    return False
                written.append(note)
            if plan.unsaved:
                if plan.path is None:
                    plan.path = doc.plan_path
                assert plan.path is not None
                await self._write_plan(plan.path)
                written.append(plan.path.name)
        except OSError as exc:
            app.notify(
                f"{exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}",
                title="Not saved",
                severity="error",
                markup=False,
            )
            return False
        finally:
            app.show_plan()
            app.update_title()
        if written:
            app.notify("Saved " + ", ".join(written) + ".", title="Saved", markup=False)
            if not doc.kept_comments:
                app.notify(f"{doc.name} was rewritten in full: its comments could not be kept.", severity="warning")
        else:
            app.notify("Nothing to save.", timeout=3)
        return True

    async def _ask_save_path(self, title: str, initial: str, note: str = "") -> Path | None:
        target = await self.app.push_screen_wait(PathScreen(title, initial, note, must_exist=False))
        if target is None:
            return None
        if target.exists():
            choice = await self.app.push_screen_wait(
                ChoiceScreen(
                    "Replace the file?",
                    f"{target} exists. Replace it?",
                    [("replace", "Replace it", "error"), ("cancel", "Cancel", "default")],
                )
            )
            if choice != "replace":
                return None
        return target

    def save_agency_as(self) -> None:
        self.start(self._save_agency_as, "save_agency_as")

    async def _save_agency_as(self) -> None:
        app = self.app
        initial = str(app.document.path or (app.document.origin.name if app.document.origin else "agency.toml"))
        target = await self._ask_save_path("Save the agency as", initial)
        if target is None:
            return
        try:
            note = await self._write_agency(target)
        except OSError as exc:
            app.notify(str(exc), title="Not saved", severity="error", markup=False)
            app.update_title()
            return
        if note is None:
            return
        if app.plan_doc.saved is None:
            app.plan_doc.path = plan_path_for(target)
        app.update_title()
        app.show_plan()
        app.notify(f"Saved {note}.", title="Saved", markup=False)

    def save_plan_as(self) -> None:
        self.start(self._save_plan_as, "save_plan_as")

    async def _save_plan_as(self) -> None:
        app = self.app
        if app.plan_doc.plan is None:
            app.notify("No plan to save yet: solve first (F5).", severity="warning")
            return
        initial = str(app.plan_doc.path or "plan.toml")
        target = await self._ask_save_path("Save the plan as", initial)
        if target is None:
            return
        try:
            await self._write_plan(target)
        except OSError as exc:
            app.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        app.update_title()
        app.show_plan()
        app.notify(f"Saved {target.name}.", title="Saved", markup=False)

    # ------------------------------------------------------------------ leaving the file

    async def _settle_unsaved(self, doing: str) -> bool:
        """Ask what to do with unsaved work before `doing`; False means stay."""
        doc, plan = self.app.document, self.app.plan_doc
        if not (doc.modified or plan.unsaved):
            return True
        what = []
        if doc.modified:
            count = len(doc.undo_stack)
            what.append(f"unsaved edits to {doc.name} ({count} edit{'s' if count != 1 else ''})")
        if plan.unsaved:
            what.append("a plan that is not saved")
        choice = await self.app.push_screen_wait(
            ChoiceScreen(
                "Unsaved work",
                f"You have {' and '.join(what)}. Save before you {doing}?",
                [("save", "Save", "primary"), ("discard", "Don't save", "error"), ("cancel", "Cancel", "default")],
            )
        )
        if choice == "save":
            return await self._save_all()
        if choice == "discard":
            doc.discard_recovery()
            self.drain_recovery_now()
            return True
        return False

    def quit(self) -> None:
        self.start(self._quit, "quit")

    async def _quit(self) -> None:
        if not await self._settle_unsaved("quit"):
            return
        self.drain_recovery_now()
        self.app.stop_solve()
        self.app.exit(ExitCode.OK)

    def open(self) -> None:
        self.start(self._open, "open")

    async def _open(self) -> None:
        app = self.app
        if app.solving:
            app.notify("A solve is running: cancel it first (Esc).", severity="warning")
            return
        if not await self._settle_unsaved("open another file"):
            return
        here = app.document.path.parent if app.document.path else Path.cwd()
        try:
            initial = str(here.relative_to(Path.cwd())) + "/"
        except ValueError:
            initial = str(here) + "/"
        if initial == "./":
            initial = ""
        path = await app.push_screen_wait(PathScreen("Open an agency or plan file", initial))
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path) -> bool:
        """Open an agency file (with its plan) or a plan file; problems are shown, not raised."""
        app = self.app
        try:
            kind, _ = formats.load(path)
        except formats.LoadError as exc:
            app.notify(
                "\n".join(str(p) for p in exc.problems[:8]),
                title=f"Cannot open {path.name}",
                severity="error",
                timeout=15,
                markup=False,
            )
            return False
        if kind == "plan":
            try:
                app.plan_doc = PlanDocument.open(path)
            except formats.LoadError as exc:  # pragma: no cover - load just succeeded
                app.notify(str(exc), severity="error", markup=False)
                return False
            app.show_plan()
            app.update_title()
            app.main.show_tab("plan")
            app.notify(f"Opened plan {path.name}: the next solve is compared with it.", title="Plan opened")
            return True
        if kind != "agency":
            app.notify(f"{path.name} is a {kind} file; open an agency or a plan.", severity="error")
            return False
        try:
            document = AgencyDocument.open(path, app.document.state_dir)
        except (formats.LoadError, OSError) as exc:
            app.notify(str(exc), title=f"Cannot open {path.name}", severity="error", markup=False)
            return False
        app.set_document(document, open_plan_for(document, app.notify))
        app.main.show_tab("accounts")
        app.notify(f"Opened {path.name}.", title="Opened")
        self.offer_recovery()
        return True


def _saved_note(doc: AgencyDocument) -> str:
    assert doc.path is not None
    return doc.path.name + (" (comments kept)" if doc.kept_comments and doc.source else "")


def open_plan_for(document: AgencyDocument, warn: Callable[..., None] | None = None) -> PlanDocument:
    """The plan document of an agency: its plan file when there is one."""
    path = document.plan_path
    if path is None or not path.is_file():
        return PlanDocument(path=path)
    try:
        plan = PlanDocument.open(path)
    except formats.LoadError as exc:
        if warn is not None:
            warn(
                "\n".join(str(p) for p in exc.problems[:5]),
                title=f"Plan {path.name} not loaded",
                severity="warning",
                markup=False,
            )
        return PlanDocument(path=path)
    plan.agency = None
    return plan


def home(path: Path) -> str:
    """A path as a person writes it: ~ for the home folder."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)
