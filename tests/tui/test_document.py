"""Saving edits into the file a person wrote: comments, key order and layout stay; only what
changed changes. Undo, redo and the recovery file. No app is started here."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from structplan import data, formats
from structplan.tui.document import AgencyDocument
from structplan.tui.editing import Edit, EditRefused
from structplan.tui.recovery import RecoveryWriter, replay_journal


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    """The boutique sample, written by hand with comments and aligned inline comments."""
    path = tmp_path / "studio.toml"
    shutil.copy(data.samples_dir() / "boutique.toml", path)
    return path


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a save removed (-) and added (+)."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def saved(doc: AgencyDocument, path: Path, *edits: Edit) -> list[str]:
    before = path.read_text()
    for edit in edits:
        doc.apply(edit)
    doc.save()
    assert doc.kept_comments
    assert formats.load_agency(path) == doc.agency
    return changed_lines(before, path.read_text())


def test_saving_without_edits_writes_the_same_bytes(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    before = studio.read_bytes()
    doc.save()
    assert studio.read_bytes() == before


def test_a_changed_value_keeps_its_comment(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    lines = saved(doc, studio, Edit("hiring", "change", "hire-delivery-manager", None, {"cost": 70000}))
    assert lines == [
        "-cost = 63000                   # 105k full time, three days a week",
        "+cost = 70000                   # 105k full time, three days a week",
    ]


def test_a_deleted_record_takes_only_its_own_lines(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    lines = saved(doc, studio, Edit("project", "delete", "lumen-local-ads", "lumen-dental"))
    assert all(line.startswith("-") for line in lines)
    assert '-id = "lumen-local-ads"' in lines and len(lines) <= 7
    assert "# signed last month: no lead yet" in studio.read_text()


def test_a_new_record_goes_after_the_last_of_its_kind(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    saved(
        doc,
        studio,
        Edit(
            "hiring",
            "add",
            None,
            None,
            {"id": "hire-am", "name": "Account Manager", "role": "am", "level": 2, "cost": 60000, "max": 1},
        ),
    )
    text = studio.read_text()
    assert text.index('id = "hire-am"') > text.index('id = "hire-project-coordinator"')
    assert text.index('id = "hire-am"') < text.index(
        "# ---------------------------------------------------------------- policy"
    )


def test_a_renamed_account_is_edited_in_place_and_its_pin_follows(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    lines = saved(doc, studio, Edit("account", "change", "tidewater-hotels", None, {"id": "tidewater"}))
    assert sorted(lines) == sorted(
        ['-id = "tidewater-hotels"', '+id = "tidewater"', '-account = "tidewater-hotels"', '+account = "tidewater"']
    )


def test_a_renamed_person_stays_the_lead_and_the_pm_of_today(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    doc.apply(Edit("project", "change", "tidewater-rebrand", "tidewater-hotels", {"manager": "marta-oliveira"}))
    doc.apply(Edit("person", "change", "marta-oliveira", None, {"id": "marta-o"}))
    account = doc.agency.account("tidewater-hotels")
    assert account is not None and account.lead == "marta-o"
    assert {p.id: p.manager for p in account.projects}["tidewater-rebrand"] == "marta-o"
    doc.save()
    assert 'manager = "marta-o"' in studio.read_text()


def test_a_refused_edit_changes_nothing(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    with pytest.raises(EditRefused) as refused:
        doc.apply(Edit("person", "delete", "marta-oliveira"))
    assert "leads" in str(refused.value) and "give them another lead first" in str(refused.value)
    assert not doc.modified and not doc.undo_stack


def test_undo_redo_and_the_recovery_journal(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    writer = RecoveryWriter()
    doc.apply(Edit("account", "change", "lumen-dental", None, {"tier": 2}))
    doc.apply(Edit("account", "delete", "sparrow-pet-care"))
    writer.put(doc.take_recovery_ops())
    assert writer.drain() == 3, "the file's text, then one line per edit"
    name = doc.recovery_path.name
    assert name.startswith(".studio.recover-") and name.endswith(".jsonl") and doc.session in name
    assert len(doc.recovery_path.read_text().splitlines()) == 3
    other = AgencyDocument.open(studio, tmp_path)  # another session finds it
    found = other.pending_recovery()
    assert found is not None and found.agency == doc.agency
    assert doc.pending_recovery() is None, "a session is not offered its own journal"

    assert doc.undo() == "deleted account sparrow-pet-care"
    writer.put(doc.take_recovery_ops())
    writer.drain()
    assert replay_journal(doc.recovery_path) == doc.agency
    assert doc.redo() == "deleted account sparrow-pet-care"
    assert doc.undo() and doc.undo() == "changed account lumen-dental"
    assert not doc.modified and doc.undo() is None
    writer.put(doc.take_recovery_ops())
    writer.drain()
    assert not doc.recovery_path.exists(), "nothing unsaved: no journal"
    assert doc.redo() == "changed account lumen-dental"  # past the journal's start: a snapshot
    account = doc.agency.account("lumen-dental")
    assert account is not None and account.tier == 2
    writer.put(doc.take_recovery_ops())
    writer.drain()
    assert replay_journal(doc.recovery_path) == doc.agency


def test_a_journal_cut_short_by_a_kill_keeps_the_edits_before_the_cut(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    writer = RecoveryWriter()
    doc.apply(Edit("account", "change", "lumen-dental", None, {"tier": 2}))
    doc.apply(Edit("account", "delete", "sparrow-pet-care"))
    writer.put(doc.take_recovery_ops())
    writer.drain()
    text = doc.recovery_path.read_text()
    doc.recovery_path.write_text(text[: len(text) - 10])  # the last line half written
    agency = replay_journal(doc.recovery_path)
    account = agency.account("lumen-dental")
    assert account is not None and account.tier == 2
    assert agency.account("sparrow-pet-care") is not None


def test_an_edit_costs_one_short_line_whatever_the_size_of_the_agency(tmp_path: Path) -> None:
    """The recovery of a large agency: the first edit writes the file's text as read (no
    serialization), every later one appends a line of its own size."""
    large = data.samples_dir() / "large.toml"
    path = tmp_path / "large.toml"
    path.write_bytes(large.read_bytes())
    doc = AgencyDocument.open(path, tmp_path)
    writer = RecoveryWriter()
    first = doc.agency.accounts[0]
    doc.apply(Edit("account", "change", first.id, None, {"tier": 1 if first.tier != 1 else 2}))
    ops = doc.take_recovery_ops()
    assert [type(op).__name__ for op in ops] == ["JournalStart", "JournalAppend"]
    assert ops[0].base_text == path.read_text()  # type: ignore[union-attr]
    writer.put(ops)
    writer.drain()
    size = doc.recovery_path.stat().st_size
    second = doc.agency.accounts[1]
    doc.apply(Edit("account", "change", second.id, None, {"name": "Renamed"}))
    ops = doc.take_recovery_ops()
    assert [type(op).__name__ for op in ops] == ["JournalAppend"]
    writer.put(ops)
    writer.drain()
    assert doc.recovery_path.stat().st_size - size < 200
    assert replay_journal(doc.recovery_path) == doc.agency


def test_the_editing_core_does_not_import_textual() -> None:
    """document, editing, tomledit and keys are driven without a screen (and by these tests)."""
    code = (
        "import sys; import structplan.tui.document, structplan.tui.editing, structplan.tui.tomledit, "
        "structplan.tui.keys; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_setting_of_the_agency_and_its_policy_has_a_row() -> None:
    import attrs

    from structplan.model import Policy, Settings, Weights
    from structplan.tui.editing import SETTINGS

    paths = {path for path, _ in SETTINGS}
    expected = {f"agency.{f.name}" for f in attrs.fields(Settings)}
    expected |= {f"policy.{f.name}" for f in attrs.fields(Policy) if f.name not in ("pins", "weights")}
    expected |= {f"policy.weights.{f.name}" for f in attrs.fields(Weights)}
    assert paths == expected


def test_a_setting_the_file_leaves_to_its_default_is_added_alone(studio: Path, tmp_path: Path) -> None:
    doc = AgencyDocument.open(studio, tmp_path)
    lines = saved(doc, studio, Edit("setting", "change", "policy.weights.voices", None, {"value": 500}))
    assert [line for line in lines if line.strip("+ ")] == ["+[policy.weights]", "+voices = 500"]
