"""Pilot tests of the editor: what a user does with the keyboard, and what ends up on disk."""

from __future__ import annotations

import asyncio
import functools
import io
import types
from pathlib import Path

from rich.console import Console
from textual.binding import Binding
from textual.widgets import Checkbox, Input, Static

from structplan import formats
from structplan.model import STRUCTURES
from structplan.tui.app import StructplanApp
from structplan.tui.editing import SETTINGS
from structplan.tui.screens.dialogs import ChoiceScreen
from structplan.tui.screens.form import RecordForm
from structplan.tui.widgets.editors import SettingsTable

from .conftest import TINY, BlockingSolve, infeasible_solve

SIZE = (120, 40)


async def settle(pilot, app: StructplanApp) -> None:
    """Let workers finish and their messages arrive."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def edit_project_complexity(pilot, value: str) -> None:
    """Accounts tab: Tab to the projects of Acme, Enter on acme-crm, Tab Tab to complexity, type."""
    await pilot.press("1", "tab", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecordForm)
    await pilot.press("tab", "tab", *value, "enter")
    await pilot.pause()


def status_text(app: StructplanApp) -> str:
    return str(app.main.query_one("#solve-status", Static).render())


async def test_solve_keeps_screen_alive_and_cancel_keeps_best_plan(make_app, agency_file: Path) -> None:
    solver = BlockingSolve(limit=20)
    app = make_app(agency_file, solve=solver)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await asyncio.get_running_loop().run_in_executor(None, solver.started.wait, 5)
        await pilot.pause(0.2)
        assert app.solving
        assert "Solving" in status_text(app)
        await pilot.press("2")  # the screen answers while the solver runs
        assert app.main.tabs.active == "people"
        await pilot.press("5", "escape")
        await settle(pilot, app)
        assert solver.stopped and not app.solving
        assert "Cancelled" in status_text(app)
        assert app.plan_doc.plan is not None and app.plan_doc.cancelled


async def test_quit_with_unsaved_edits_asks_first(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "d")  # delete Bolt
        await settle(pilot, app)
        assert app.document.agency.account("bolt") is None
        recovery = app.document.recovery_path
        assert recovery.is_file()

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")  # cancel: stay
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, ChoiceScreen)

        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
    assert app.return_value == 0
    assert agency_file.read_text() == TINY
    assert not recovery.exists()


async def test_quit_and_save_asks_before_writing_over_a_file_changed_on_disk(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "d")  # delete Bolt
        agency_file.write_text(TINY.replace("# ---- people", "# ---- people (edited elsewhere)"))
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("enter")  # the first button: Save
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen), "asks before writing over the other program's change"
        await pilot.click("#cancel")  # Don't save: stay in the editor
        await settle(pilot, app)
        assert app.is_running and app.document.modified
        assert "edited elsewhere" in agency_file.read_text()

        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("enter")  # Save
        await pilot.pause()
        await pilot.press("enter")  # Save mine over it
        await settle(pilot, app)
    text = agency_file.read_text()
    assert "bolt" not in text and "# since 2021" in text and "edited elsewhere" not in text


def test_edit_refuses_what_is_not_an_agency(tmp_path: Path, capsys) -> None:
    from structplan.cli import main

    plan = tmp_path / "studio.plan.toml"
    plan.write_text('[plan]\nagency = "x"\nstructure = "hybrid"\nlayout = "hybrid"\n')
    cases = [
        (plan, "is a plan: open the agency it was made for"),
        (tmp_path, "is a folder: name an agency file"),
        (tmp_path / "nowhere" / "new.toml", "no such folder to create new.toml in"),
    ]
    for path, words in cases:
        assert main(["edit", str(path)]) == 2
        assert words in capsys.readouterr().err


#: (Tab presses from the form's first field, what is typed, what `structplan validate` says)
INVALID_EDITS = (
    (2, "lots", "accounts[0].fee: expected a whole number, got text 'lots'"),
    (3, "7", "accounts[0].tier: 7 is outside 1..3"),
    (4, "zoe", "accounts[0].lead: 'zoe' names no person"),
    (0, "bolt", "accounts[1].id: duplicate account id 'bolt' (first at accounts[0].id)"),
)


async def test_invalid_edits_are_refused_with_their_messages(make_app, agency_file: Path, capsys) -> None:
    """Each refused edit keeps the form open with the words `structplan validate` prints."""
    from structplan.cli import main

    bad = agency_file.with_name("bad.toml")
    bad.write_text(TINY.replace("tier = 1\n", "tier = 7\n"))
    assert main(["validate", str(bad)]) == 2
    printed = capsys.readouterr().err.strip()
    assert printed == f"{bad}: accounts[0].tier (account 'acme'): 7 is outside 1..3"

    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        for field_tabs, typed, message in INVALID_EDITS:
            await pilot.press("enter")  # edit Acme
            await pilot.press(*(["tab"] * field_tabs), *typed, "enter")
            await pilot.pause()
            assert isinstance(app.screen, RecordForm), "the form stays open"
            error = str(app.screen.query_one("#form-error", Static).render())
            assert message in error
            if message in printed:
                assert str(app.screen.query_one("#note-tier", Static).render()) == "7 is outside 1..3"
            assert app.document.agency == app.document.saved
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, RecordForm)
            assert "modified" not in app.sub_title

        await pilot.press("2", "d")  # Ana leads Acme: deleting her is refused
        await pilot.pause()
        assert app.document.agency.person("ana") is not None
        assert any(
            "Ana Alves leads Acme today (Accounts tab); give them another lead first" in n.message
            for n in app._notifications
        )


async def test_undo_is_a_stack(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await edit_project_complexity(pilot, "5")
        await pilot.press("1", "down", "d")  # delete Bolt
        await pilot.pause()
        assert app.document.agency.account("bolt") is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.document.agency.account("bolt") is not None
        assert app.document.modified
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert app.document.agency == app.document.saved
        assert "modified" not in app.sub_title
        assert not app.document.recovery_path.exists()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.document.agency.account("acme").projects[0].complexity == 5


async def test_add_account_with_first_project(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        for name, value in (
            ("id", "dune"),
            ("name", "Dune Labs"),
            ("fee", "50000"),
            ("tier", "3"),
            ("project_id", "dune-site"),
            ("project_name", "Site"),
            ("project_complexity", "9"),
        ):
            form.query_one(f"#field-{name}", Input).value = value
        await pilot.press("enter")
        await pilot.pause()
        assert "9 is outside 1..5" in str(form.query_one("#note-project_complexity", Static).render())
        form.query_one("#field-project_complexity", Input).value = "2"
        await pilot.press("enter")
        await pilot.pause()
        assert app.document.agency.account("dune").projects[0].id == "dune-site"
        assert app.main.accounts.accounts_table.current_id == "dune"


async def test_recovery_after_a_crash(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await edit_project_complexity(pilot, "5")
        await settle(pilot, app)
        assert app.document.recovery_path.is_file()
        app.exit()  # as if killed: no question asked, nothing saved
    assert agency_file.read_text() == TINY

    again = make_app(agency_file)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ChoiceScreen)
        await pilot.press("enter")  # Recover them
        await pilot.pause()
        assert again.document.agency.account("acme").projects[0].complexity == 5
        assert again.document.modified


async def test_missing_file_is_offered_for_creation(make_app, tmp_path: Path) -> None:
    path = tmp_path / "fresh.toml"
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert path.is_file()
        assert app.document.path == path
        assert formats.load_agency(path).agency.name == "Fresh"


async def test_missing_file_not_created_when_declined(make_app, tmp_path: Path) -> None:
    path = tmp_path / "fresh.toml"
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right", "enter")  # Quit
        await pilot.pause()
    assert not path.exists()


async def test_warning_jumps_to_its_account(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot, app)
        await pilot.press("6")
        app.main.plan_view.show_view("warnings")
        await pilot.pause()
        table = app.main.plan_view.query_one("#warnings-table")
        table.focus()
        plan = app.plan_doc.plan
        index = next(i for i, w in enumerate(plan.warnings) if w.account)
        table.move_cursor(row=index)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.plan_view.view == "staffing"
        staffing = app.main.plan_view.query_one("#staffing-table")
        assert staffing.coordinate_to_cell_key(staffing.cursor_coordinate).row_key.value == plan.warnings[index].account


async def test_no_plan_shows_the_conflict(make_app, agency_file: Path) -> None:
    app = make_app(agency_file, solve=infeasible_solve)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot, app)
        text = str(app.main.query_one("#explanation", Static).render())
        assert "hiring of senior AMs is capped at 0" in text
        assert app.plan_doc.plan is None


async def test_sample_is_saved_under_a_new_name(make_app, agency_file: Path, tmp_path: Path) -> None:
    app = make_app(None, sample=agency_file)
    async with app.run_test(size=SIZE) as pilot:
        assert "(sample)" in app.sub_title
        await edit_project_complexity(pilot, "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        field = app.screen.query_one("#path-input", Input)
        field.value = "mine.toml"
        await pilot.press("enter")
        await settle(pilot, app)
    assert agency_file.read_text() == TINY, "the sample itself is never written"
    mine = (tmp_path / "mine.toml").read_text()
    assert "complexity = 5" in mine and "# since 2021" in mine


async def test_open_another_file_asks_about_unsaved_edits(make_app, agency_file: Path) -> None:
    other = agency_file.with_name("other.toml")
    other.write_text(TINY.replace('"Tiny Agency"', '"Other Agency"'))
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "d", "ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#discard")
        await pilot.pause()
        app.screen.query_one("#path-input", Input).value = str(other)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.document.agency.agency.name == "Other Agency"
        assert app.document.path == other


async def test_setting_edit(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        table = app.main.query_one("#settings-table")
        table.move_cursor(row=4)  # utilization ceiling
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-utilization_ceiling", Input).value = "1.5"
        await pilot.press("enter")
        await pilot.pause()
        assert "1.5 is outside 0..1 (above 0)" in str(form.query_one("#form-error", Static).render())
        form.query_one("#field-utilization_ceiling", Input).value = "0.85"
        await pilot.press("enter", "ctrl+s")
        await settle(pilot, app)
    assert "utilization_ceiling = 0.85  # agreed with HR" in agency_file.read_text()


async def test_the_solve_boxes_follow_the_policy_and_keep_what_the_user_ticked(make_app, agency_file: Path) -> None:
    app = make_app(agency_file)

    def ticked() -> set[str]:
        return {s for s in STRUCTURES if app.main.query_one(f"#structure-{s}", Checkbox).value}

    async def set_setting(path: str, value: str) -> None:
        await pilot.press("4")
        await pilot.pause()
        app.main.query_one("#settings-table", SettingsTable).move_cursor(row=[p for p, _ in SETTINGS].index(path))
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(f"#field-{path.rsplit('.', 1)[-1]}", Input).value = value
        await pilot.press("enter")
        await settle(pilot, app)

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert ticked() == set(app.document.agency.policy.structures)
        app.main.query_one("#structure-hybrid", Checkbox).value = False  # the user's own choice
        await set_setting("policy.utilization_ceiling", "0.85")  # another edit: the ticks stay
        assert app.document.agency.policy.utilization_ceiling == 0.85
        assert ticked() == set(app.document.agency.policy.structures) - {"hybrid"}
        await set_setting("policy.structures", "separate, merged")  # the policy changed: the boxes follow
        assert app.document.agency.policy.structures == ("separate", "merged")
        assert ticked() == {"separate", "merged"}


#: How the help writes a binding's key.
_SHOWN = {
    "escape": "Esc",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "delete": "Delete",
    "enter": "Enter",
    "space": "Space",
}

#: Palette entries that do what a table's or a view's own key does.
_PALETTE_FOR = {
    "add_record": "add",
    "edit_record": "edit_current",
    "edit_setting": "edit_current",
    "delete_record": "delete_current",
    "previous_view": "plan_view",
    "next_view": "plan_view",
    "add_scenario": "scenarios",
    "edit_scenario": "scenarios",
    "delete_scenario": "scenarios",
    "run_scenarios": "scenarios",
    "stop_scenarios": "scenarios",
}


def test_every_key_is_in_the_help_and_every_action_in_the_palette(agency_file: Path) -> None:
    from structplan.tui.app import create_app
    from structplan.tui.commands import StructplanCommands
    from structplan.tui.keys import KEYS
    from structplan.tui.screens.help import keys_table
    from structplan.tui.widgets.editors import SettingsTable
    from structplan.tui.widgets.plan_view import PlanView
    from structplan.tui.widgets.record_table import RecordTable
    from structplan.tui.widgets.scenarios_panel import ScenariosPanel

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(keys_table())
    shown = console.export_text()
    for _, keys, what in KEYS:
        assert keys in shown and what in shown

    app = create_app(agency_file)
    # a stand-in for the Screen a Provider is given: it only asks the screen for its app
    provider = StructplanCommands(types.SimpleNamespace(app=app))  # type: ignore[arg-type]
    calls = [call for _, _, call in provider.actions()]
    assert all(isinstance(call, functools.partial) for call in calls)
    palette = {call.args[0].split("(")[0] for call in calls if isinstance(call, functools.partial)}
    bindings = [
        *StructplanApp.BINDINGS,
        *RecordTable.BINDINGS,
        *SettingsTable.BINDINGS,
        *PlanView.BINDINGS,
        *ScenariosPanel.BINDINGS,
    ]
    for binding in bindings:
        assert isinstance(binding, Binding), binding
        action = binding.action.split("(")[0]
        if action in ("help_quit", "command_palette"):
            continue
        for key in binding.key.split(","):
            name = _SHOWN.get(
                key, "+".join(part.capitalize() if len(part) > 1 else part.upper() for part in key.split("+"))
            )
            if key.isdigit():
                name = "1 .. 7"
            elif len(key) == 1:
                name = key
            assert name in shown, f"the help does not list {key} ({binding.action})"
        assert _PALETTE_FOR.get(action, action) in palette, f"the palette has no entry for {binding.action}"


async def test_tables_name_the_people_and_accounts_they_refer_to(make_app, tmp_path: Path) -> None:
    text = TINY + '\n[[policy.pins]]\naccount = "acme"\nlead = "ana"\n'
    path = tmp_path / "pinned.toml"
    path.write_text(text, encoding="utf-8")
    agency = formats.load_agency(path)
    acme = agency.account("acme")
    assert acme is not None and acme.lead == "ana"
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        accounts = app.main.query_one("#accounts-table")
        row = accounts.get_row("acme")
        assert "Ana Alves" in [str(c) for c in row] and "ana" not in [str(c) for c in row]
        await pilot.press("4")
        await settle(pilot, app)
        pins = app.main.query_one("#pin-table")
        cells = [str(c) for c in pins.get_row("acme")]
        assert cells[:2] == [acme.name, "Ana Alves"]
